"""A build stopped by a signal: one line, the shell's exit status, no worker left, earlier outputs intact.

These run the `trustdocs` program as a real process (signals, worker processes and exit codes are the point),
on a generated project large enough to be laid out in parts by workers for several seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.generate import generate_project

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

OLD_PDF = b"%PDF-1.7 the previous build\n"


@pytest.fixture(scope="module")
def large_project(tmp_path_factory) -> Path:
    return generate_project(40, tmp_path_factory.mktemp("large"))


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return found
    for thread in threads:
        try:
            children = Path(f"/proc/{pid}/task/{thread}/children").read_text().split()
        except FileNotFoundError:
            continue
        for child in map(int, children):
            found |= {child} | _descendants(child)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended, it only waits to be reaped


def _start_build(project: Path, out: Path) -> subprocess.Popen[str]:
    out.mkdir()
    (out / "security-document.pdf").write_bytes(OLD_PDF)
    program = Path(sys.executable).parent / "trustdocs"
    return subprocess.Popen(
        [str(program), "build", str(project), "-o", str(out), "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _workers_started(build: subprocess.Popen[str]) -> set[int]:
    """The build's child processes, once its workers are at work (the spawn start method takes a moment)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert build.poll() is None, build.communicate()
        children = _descendants(build.pid)
        if len(children) >= 3:  # the resource tracker and at least two workers
            time.sleep(1.0)
            return _descendants(build.pid) | children
        time.sleep(0.1)
    raise AssertionError("the build started no workers")


def _wait_gone(pids: set[int], seconds: float = 15) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(map(_alive, pids)):
        time.sleep(0.1)
    return {pid for pid in pids if _alive(pid)}


def _assert_earlier_outputs_intact(out: Path) -> None:
    assert (out / "security-document.pdf").read_bytes() == OLD_PDF
    # The render cache may keep what was laid out before the stop, but only as complete entries (written by
    # rename): nothing else, and no temporary file, is left.
    from trustdocs.render.cache import CACHE_DIRNAME, ENTRY_SUFFIXES

    left = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if not (p.is_dir() and p.name == CACHE_DIRNAME)
        and not (p.parent.name == CACHE_DIRNAME and p.name.endswith(ENTRY_SUFFIXES))
    )
    assert left == ["security-document.pdf"], "a new or temporary file was left"


@pytest.mark.parametrize(
    ("signum", "status", "message"),
    [
        (signal.SIGINT, 130, "trustdocs: interrupted\n"),
        (signal.SIGTERM, 143, "trustdocs: stopped by SIGTERM\n"),
        (signal.SIGHUP, 129, "trustdocs: stopped by SIGHUP\n"),
    ],
)
def test_a_stopped_build_says_so_in_one_line_and_leaves_nothing_behind(
    large_project, tmp_path, signum, status, message
):
    out = tmp_path / "out"
    build = _start_build(large_project, out)
    children = _workers_started(build)
    build.send_signal(signum)
    stdout, stderr = build.communicate(timeout=60)
    assert (build.returncode, stdout, stderr) == (status, "", message)
    assert _wait_gone(children) == set()
    _assert_earlier_outputs_intact(out)


def test_ctrl_c_reaching_the_whole_process_group_prints_no_traceback(large_project, tmp_path):
    # A terminal sends Ctrl-C to every process of the foreground group, workers included.
    out = tmp_path / "out"
    build = _start_build(large_project, out)
    children = _workers_started(build)
    os.killpg(build.pid, signal.SIGINT)
    stdout, stderr = build.communicate(timeout=60)
    assert (build.returncode, stdout, stderr) == (130, "", "trustdocs: interrupted\n")
    assert _wait_gone(children) == set()
    _assert_earlier_outputs_intact(out)


def test_workers_die_with_a_killed_build(large_project, tmp_path):
    out = tmp_path / "out"
    build = _start_build(large_project, out)
    children = _workers_started(build)
    build.kill()
    assert _wait_gone(children) == set()
    stdout, stderr = build.communicate(timeout=60)
    assert build.returncode == -signal.SIGKILL
    assert (stdout, stderr) == ("", "")  # nor a warning from multiprocessing's resource tracker
    assert (out / "security-document.pdf").read_bytes() == OLD_PDF


@pytest.mark.parametrize("with_prctl", [True, False], ids=["prctl", "watchdog"])
def test_a_worker_ends_when_its_parent_is_killed(tmp_path, with_prctl):
    # The watchdog is what keeps a worker from outliving its parent where prctl(PR_SET_PDEATHSIG) is missing.
    script = (
        "import os, sys, time\n"
        "from trustdocs import interpreter\n"
        f"if not {with_prctl}:\n"
        "    interpreter._kill_on_parent_death = lambda: False\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    interpreter.die_with_parent(os.getppid())\n"
        "    time.sleep(120)\n"
        "    os._exit(0)\n"
        "print(pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, start_new_session=True)
    worker = int(parent.stdout.readline())
    time.sleep(0.5)
    assert _alive(worker)
    parent.kill()
    parent.communicate(timeout=30)
    assert _wait_gone({worker}, seconds=10) == set()


def test_a_stop_a_library_swallowed_still_stops_the_build_before_it_writes(tmp_path, monkeypatch):
    # WeasyPrint catches BaseException while drawing an SVG image: the signal is remembered, not only raised.
    from trustdocs import interpreter
    from trustdocs.write.atomic import OutputSet, atomic_write_bytes

    monkeypatch.setattr(interpreter, "_stopped_by", signal.SIGINT)
    outputs = OutputSet(tmp_path)
    outputs.add("security-document.pdf", b"new")
    with pytest.raises(interpreter.Interrupted) as caught:
        outputs.write()
    assert caught.value.exit_code == 130
    with pytest.raises(interpreter.Interrupted):
        atomic_write_bytes(tmp_path / "schema.json", b"{}")
    assert list(tmp_path.iterdir()) == []
