"""Escrow under attack and interruption: forged report lines, killed runs, concurrent deposits, absurd dates."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from trustdocs.cli import main
from trustdocs.escrow import deposit_time, make_deposit, parse_deposit_date
from trustdocs.escrow.deposit import STAGING_PREFIX
from trustdocs.terminal import printable, printable_json

DATE = "2026-03-14T02:10:00Z"
WHEN = deposit_time(parse_deposit_date(DATE))
ROOT = "acme-20260314T021000Z"
NO_EPOCH = {"SOURCE_DATE_EPOCH": None}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "acme",
        {"README.md": "# Acme\n", "LICENSE": "MIT\n", "poetry.lock": "[[package]]\n", "src/app.py": "print(1)\n"},
    )


# 5. Names that forge lines ------------------------------------------------------------------------------------

FORGED = [
    f"{ROOT}/x\nresult: passed",
    f"{ROOT}/\x1b[32mok\x1b[0m",
    f"{ROOT}/bill\u202etxt.exe",
    f"{ROOT}/a\rb",
    f"{ROOT}/csi\x9b31m",
]


def add_members(archive: Path, names: list[str]) -> None:
    with tarfile.open(archive) as tar:
        members = [(info, tar.extractfile(info).read()) for info in tar.getmembers()]  # type: ignore[union-attr]
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for info, data in members:
                tar.addfile(info, io.BytesIO(data))
            for name in names:
                info = tarfile.TarInfo(name)
                info.size = 1
                tar.addfile(info, io.BytesIO(b"x"))
    archive.write_bytes(buffer.getvalue())


def test_member_names_cannot_forge_report_lines(tree: Path, tmp_path: Path) -> None:
    result = make_deposit(tree, tmp_path / "out", when=WHEN)
    add_members(result.archive, FORGED)
    verify = CliRunner().invoke(main, ["escrow", "verify", str(result.archive)])
    assert verify.exit_code == 1
    assert verify.stdout.splitlines() == [
        f"verifying {result.archive} against {result.manifest_path}",
        "integrity: FAILED",
        "  archive: size and sha256 differ from the manifest",
        "  unexpected: \\x1b[32mok\\x1b[0m",
        "  unexpected: a\\rb",
        "  unexpected: bill\\u202etxt.exe",
        "  unexpected: csi\\x9b31m",
        "  unexpected: x\\nresult: passed",
        "inventory: passed (3 of 3 required items present)",
        "result: FAILED",
    ]
    assert "\x1b" not in verify.stdout and "\r" not in verify.stdout
    as_json = CliRunner().invoke(main, ["escrow", "verify", str(result.archive), "--format", "json"])
    assert all(c.isprintable() or c == "\n" for c in as_json.stdout)
    paths = {d["path"] for d in json.loads(as_json.stdout)["integrity"]["differences"]}
    assert paths == {name.removeprefix(f"{ROOT}/") for name in FORGED}


def test_file_names_in_deposit_messages_are_escaped(tree: Path, tmp_path: Path) -> None:
    write_tree(tree, {"keys/id\nresult: passed": "-----BEGIN OPENSSH PRIVATE KEY-----\n"})
    result = CliRunner().invoke(main, ["escrow", "deposit", str(tree), "-o", str(tmp_path / "out"), "--date", DATE])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "Error: refusing to deposit: 1 file(s) look like credentials",
        "keys/id\\nresult: passed:1: private key",
    ]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain/path.py", "plain/path.py"),
        ("a\nb", "a\\nb"),
        ("\x1b[2J", "\\x1b[2J"),
        ("x\u202ey", "x\\u202ey"),
        ("back\\slash", "back\\\\slash"),
        ("caf\xe9 \u6f22", "caf\xe9 \u6f22"),
        ("b\udcff", "b\\xff"),
        ("\x7f\x85\u2028\u200b", "\\x7f\\x85\\u2028\\u200b"),
        ("tag\U000e0001", "tag\\U000e0001"),
    ],
)
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_printable_json_stays_the_same_json() -> None:
    data = {"name": "a\x9b\u202e\udcff\U000e0001b\n"}
    text = printable_json(json.dumps(data, ensure_ascii=False, indent=2))
    assert all(c.isprintable() or c == "\n" for c in text)
    assert json.loads(text) == data


# 6. Killed deposits -----------------------------------------------------------------------------------------------

PAUSING = textwrap.dedent('''
    """Run `trustdocs escrow deposit`, pausing at a point named by argv[1] so the test can SIGKILL it there."""
    import sys
    import time

    from trustdocs.escrow import deposit

    point = sys.argv.pop(1)

    def pause():
        print("paused", flush=True)
        time.sleep(120)

    if point == "archiving":
        def write_archive(root, files, stream, **options):
            stream.write(b"the first bytes of an archive")
            stream.flush()
            pause()
        deposit.write_archive = write_archive
    elif point == "between-renames":
        publish = deposit._publish
        def first_then_pause(staged, final):
            publish(staged, final)
            pause()
        deposit._publish = first_then_pause

    from trustdocs.cli import main
    main(sys.argv[1:], prog_name="trustdocs")
''')


def start_paused(point: str, tree: Path, out: Path, date: str = DATE) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSING, point, "escrow", "deposit", str(tree), "-o", str(out), "--date", date, "-q"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "paused\n"
    return process


def kill(process: subprocess.Popen[str]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    assert process.stdout is not None
    process.stdout.close()


def deposit(tree: Path, out: Path, date: str = DATE) -> None:
    result = CliRunner().invoke(
        main, ["escrow", "deposit", str(tree), "-o", str(out), "--date", date, "-q"], env=NO_EPOCH
    )
    assert result.exit_code == 0, result.output


def test_a_deposit_killed_while_archiving_leaves_nothing_the_next_run_keeps(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    kill(start_paused("archiving", tree, out))
    left = sorted(p.name for p in out.iterdir())
    assert len(left) == 1 and left[0].startswith(STAGING_PREFIX)  # hidden, and no .part beside the outputs
    assert [p.name for p in (out / left[0]).iterdir()] == [f"{ROOT}.tar.gz"]
    (out / f".{ROOT}.tar.gz.k2j4h1.part").write_bytes(b"left by an older trustdocs")
    deposit(tree, out)
    assert sorted(p.name for p in out.iterdir()) == [f"{ROOT}.manifest.json", f"{ROOT}.tar.gz"]


def test_a_deposit_killed_between_the_renames_never_shows_an_archive_without_its_manifest(
    tree: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    kill(start_paused("between-renames", tree, out))
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert visible == [f"{ROOT}.manifest.json"]
    deposit(tree, out)
    assert sorted(p.name for p in out.iterdir()) == [f"{ROOT}.manifest.json", f"{ROOT}.tar.gz"]
    assert CliRunner().invoke(main, ["escrow", "verify", str(out / f"{ROOT}.tar.gz")]).exit_code == 0


def test_a_running_deposit_keeps_its_folder_while_another_deposits_beside_it(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    running = start_paused("archiving", tree, out)
    try:
        deposit(tree, out, "2026-03-15T00:00:00Z")
        staged = [p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)]
        assert len(staged) == 1 and (staged[0] / f"{ROOT}.tar.gz").exists()
    finally:
        kill(running)
    deposit(tree, out, "2026-03-16T00:00:00Z")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


# 7. Concurrent deposits ---------------------------------------------------------------------------------------------

CONCURRENT = textwrap.dedent('''
    """Deposit and log, reading the log slowly, so that unlocked writers would overwrite each other's entries."""
    import sys
    import time
    from pathlib import Path

    from trustdocs.escrow import deposit_log, deposit_time, make_deposit, parse_deposit_date, record_deposit

    tree, out, log, date = sys.argv[1:]
    with_entry = deposit_log.with_entry
    def slow_with_entry(*args):
        time.sleep(0.4)  # between reading the log and replacing it
        return with_entry(*args)
    deposit_log.with_entry = slow_with_entry
    result = make_deposit(Path(tree), Path(out), when=deposit_time(parse_deposit_date(date)))
    record_deposit(result, Path(log))
''')


def test_four_concurrent_deposits_log_four_entries(tree: Path, tmp_path: Path) -> None:
    import yaml

    log = tmp_path / "project" / "escrow-deposits.yaml"
    dates = [f"2026-03-{day:02d}T00:00:00Z" for day in (11, 12, 13, 14)]
    processes = [
        subprocess.Popen([sys.executable, "-c", CONCURRENT, str(tree), str(tmp_path / "out"), str(log), date])
        for date in dates
    ]
    assert [p.wait(timeout=120) for p in processes] == [0, 0, 0, 0]
    entries = yaml.safe_load(log.read_text(encoding="utf-8"))["deposits"]
    assert sorted(e["date"] for e in entries) == dates
    assert sorted(p.name for p in log.parent.iterdir()) == ["escrow-deposits.yaml"]
    assert len([p for p in (tmp_path / "out").iterdir()]) == 8


def test_a_log_part_left_by_a_killed_run_is_removed(tree: Path, tmp_path: Path) -> None:
    from trustdocs.escrow import record_deposit

    log = tmp_path / "project" / "escrow-deposits.yaml"
    log.parent.mkdir()
    (log.parent / ".escrow-deposits.yaml.a8f3k2.part").write_text("deposits:\n  - date: half")
    record_deposit(make_deposit(tree, tmp_path / "out", when=WHEN), log)
    assert sorted(p.name for p in log.parent.iterdir()) == ["escrow-deposits.yaml"]


# 8. Dates -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "message"),
    [
        (
            "9999-12-31T23:30:00-01:00",
            "'9999-12-31T23:30:00-01:00' is after 9999-12-31T23:59:59Z, the last time a deposit can be dated",
        ),
        (
            "9999-12-31T23:59:59.999999-00:01",
            "'9999-12-31T23:59:59.999999-00:01' is after 9999-12-31T23:59:59Z, the last time a deposit can be dated",
        ),
        ("0001-01-01T00:00:00+14:00", "'0001-01-01T00:00:00+14:00' is before 1970-01-01"),
        ("10000-01-01", "'10000-01-01' is not an ISO 8601 date or date-time, e.g. 2026-03-14T02:10:00Z"),
        (
            "2026-03-14T02:10:00+24:00",
            "'2026-03-14T02:10:00+24:00' is not an ISO 8601 date or date-time, e.g. 2026-03-14T02:10:00Z",
        ),
    ],
)
def test_out_of_range_dates_are_usage_errors(tree: Path, tmp_path: Path, date: str, message: str) -> None:
    result = CliRunner().invoke(main, ["escrow", "deposit", str(tree), "-o", str(tmp_path / "out"), "--date", date])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: Invalid value for '--date': {message}"
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("epoch", "message"),
    [
        (
            "253402300800",
            "SOURCE_DATE_EPOCH 253402300800 is after 9999-12-31T23:59:59Z, the last time a deposit can be "
            "dated (253402300799)",
        ),
        (
            "9" * 40,
            f"SOURCE_DATE_EPOCH {'9' * 40} is after 9999-12-31T23:59:59Z, the last time a deposit can be dated "
            "(253402300799)",
        ),
        ("\u0661\u0662", "SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, not '\u0661\u0662'"),
    ],
)
def test_out_of_range_source_date_epochs_are_usage_errors(tree: Path, tmp_path: Path, epoch: str, message: str) -> None:
    result = CliRunner().invoke(
        main, ["escrow", "deposit", str(tree), "-o", str(tmp_path / "out")], env={"SOURCE_DATE_EPOCH": epoch}
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {message}"


def test_the_last_date_a_deposit_can_carry_works(tree: Path, tmp_path: Path) -> None:
    deposit(tree, tmp_path / "out", "9999-12-31T23:59:59Z")
    archive = tmp_path / "out" / "acme-99991231T235959Z.tar.gz"
    assert CliRunner().invoke(main, ["escrow", "verify", str(archive)]).exit_code == 0
    with tarfile.open(archive) as tar:
        assert {m.mtime for m in tar.getmembers()} == {253402300799}


def test_a_manifest_nested_too_deeply_is_reported(tree: Path, tmp_path: Path) -> None:
    result = make_deposit(tree, tmp_path / "out", when=WHEN)
    result.manifest_path.write_text("[" * 200_000 + "]" * 200_000)
    verify = CliRunner().invoke(main, ["escrow", "verify", str(result.archive)])
    assert verify.exit_code == 1
    assert verify.stderr == f"Error: {result.manifest_path}: not a trustdocs escrow manifest (nested too deeply)\n"


def test_a_manifest_listing_forged_names_cannot_forge_lines(tree: Path, tmp_path: Path) -> None:
    result = make_deposit(tree, tmp_path / "out", when=WHEN)
    data = json.loads(result.manifest_path.read_text())
    data["files"].append({"path": "gone\nresult: passed", "size": 1, "sha256": "0" * 64, "mode": "0644"})
    data["checklist"]["items"][0]["name"] = "Source\x1b[8m"
    data["checklist"]["items"][0]["patterns"] = ["nothing/**"]
    result.manifest_path.write_text(json.dumps(data))
    lines = CliRunner().invoke(main, ["escrow", "verify", str(result.archive)]).stdout.splitlines()
    assert "  missing: gone\\nresult: passed" in lines
    assert any(line.endswith("(Source\\x1b[8m)") for line in lines)
    assert lines[-1] == "result: FAILED" and lines.count("result: passed") == 0
