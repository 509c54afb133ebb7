"""What an attacker or a careless user may hand the CLI: special files, names too long, odd YAML, odd paths.

Each case is one line on stderr with the exit status of the bar (1 bad input or a refused write, 2 usage),
never a traceback, and the outputs already in place are left as they were.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import sys
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, SAMPLE
from trustdocs.cli import main
from trustdocs.errors import BuildError
from trustdocs.write.atomic import OutputSet, atomic_write_bytes

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")


def _minimal(root: Path, edit=lambda text: text) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "trustdocs.yaml").write_text(edit(MINIMAL.read_text(encoding="utf-8")), encoding="utf-8")
    return root


def _with_include(name: str):
    return lambda text: text + f"include:\n  - {name}\n"


def _last_line_of_minimal() -> int:
    return len(MINIMAL.read_text(encoding="utf-8").splitlines())


# -- special files are refused before they are opened -----------------------------------------


@needs_fifo
def test_an_included_named_pipe_is_refused_without_waiting_for_a_writer(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _minimal(tmp_path / "proj", _with_include("pipe.yaml"))
    os.mkfifo(tmp_path / "proj" / "pipe.yaml")
    result = runner.invoke(main, ["validate", "proj"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"proj/trustdocs.yaml:{_last_line_of_minimal() + 2}:5: include[0]: cannot read included file 'pipe.yaml': "
        "not a regular file (a named pipe)",
        "trustdocs: 1 error",
    ]


def test_an_included_socket_or_directory_is_refused(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _minimal(tmp_path / "proj", lambda text: text + "include:\n  - sock.yaml\n  - folder.yaml\n")
    (tmp_path / "proj" / "folder.yaml").mkdir()
    server = socket.socket(socket.AF_UNIX)
    monkeypatch.chdir(tmp_path / "proj")  # a socket's path must be short
    server.bind("sock.yaml")
    monkeypatch.chdir(tmp_path)
    try:
        result = runner.invoke(main, ["validate", "proj"])
    finally:
        server.close()
    line = _last_line_of_minimal() + 2
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"proj/trustdocs.yaml:{line}:5: include[0]: cannot read included file 'sock.yaml': "
        "not a regular file (a socket)",
        f"proj/trustdocs.yaml:{line + 1}:5: include[1]: included file 'folder.yaml' is a directory, not a file",
        "trustdocs: 2 errors",
    ]


@needs_fifo
def test_a_logo_that_is_a_named_pipe_is_a_located_error(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _minimal(
        tmp_path / "proj",
        lambda text: text.replace(
            "  product: Tiny Notes\n", "  product: Tiny Notes\n  branding:\n    logo: logo.png\n"
        ),
    )
    os.mkfifo(tmp_path / "proj" / "logo.png")
    result = runner.invoke(main, ["validate", "proj"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "proj/trustdocs.yaml:5:11: document.branding.logo: cannot read file 'logo.png': "
        "not a regular file (a named pipe)",
        "trustdocs: 1 error",
    ]


@needs_fifo
def test_a_customer_file_that_is_a_named_pipe_is_refused(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _minimal(tmp_path / "proj")
    os.mkfifo(tmp_path / "globex.yaml")
    result = runner.invoke(main, ["validate", "proj", "--customer", "globex.yaml"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "cannot read globex.yaml: not a regular file (a named pipe)",
        "trustdocs: 1 error",
    ]


# -- writes the system refuses ----------------------------------------------------------------


def test_an_output_folder_name_too_long_is_one_line(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _minimal(tmp_path / "proj")
    result = runner.invoke(main, ["build", "proj", "-o", "o" * 300, "-q"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: could not write {'o' * 300}/diagrams/overview.png: File name too long"
    ]


def test_a_file_name_derived_from_a_long_id_is_one_line_and_earlier_outputs_stay(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    long_id = "v" * 250
    shutil.copytree(SAMPLE, tmp_path / "proj")  # the sample's data subnet has a boundary diagram of its own
    architecture = tmp_path / "proj" / "architecture.yaml"
    architecture.write_text(architecture.read_text(encoding="utf-8").replace("data-subnet", long_id), encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "security-document.pdf").write_bytes(b"the previous build")
    result = runner.invoke(main, ["build", "proj", "-o", "out", "-q"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: could not write out/diagrams/boundary-{long_id}.png: File name too long"
    ]
    assert (tmp_path / "out" / "security-document.pdf").read_bytes() == b"the previous build"
    # Outputs are written whole or not at all: no temporary file is left, none carries the long name.
    left = [p.name for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert not [name for name in left if name.endswith(".tmp") or long_id in name], left


def test_a_name_that_fits_is_not_refused_for_its_temporary_file(tmp_path):
    target = tmp_path / ("n" * 250)
    atomic_write_bytes(target, b"data")
    assert target.read_bytes() == b"data"
    assert os.listdir(tmp_path) == ["n" * 250]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.EACCES, "Permission denied"),
        (errno.EROFS, "Read-only file system"),
        (errno.ENOSPC, "No space left on device"),
        (errno.ENAMETOOLONG, "File name too long"),
    ],
)
def test_a_refused_write_is_a_build_error_naming_the_file(tmp_path, monkeypatch, code, reason):
    import trustdocs.write.atomic as atomic

    (tmp_path / "a.pdf").write_bytes(b"old")

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    outputs = OutputSet(tmp_path)
    outputs.add("a.pdf", b"new")
    with pytest.raises(BuildError) as caught:
        outputs.write()
    assert caught.value.message == f"could not write {tmp_path / 'a.pdf'}: {reason}"
    with pytest.raises(BuildError) as caught:
        atomic_write_bytes(tmp_path / "a.pdf", b"new")
    assert caught.value.message == f"could not write {tmp_path / 'a.pdf'}: {reason}"
    assert (tmp_path / "a.pdf").read_bytes() == b"old"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["schema", "-o", "s" * 300], f"Error: could not write {'s' * 300}: File name too long"),
        (["schema", "-o", "file.txt/schema.json"], "Error: could not write file.txt/schema.json: Not a directory"),
        (["init", "file.txt/new"], "Error: could not write file.txt/new/architecture.yaml: Not a directory"),
    ],
)
def test_schema_and_init_report_a_refused_write_in_one_line(runner, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file.txt").write_text("a file, not a folder\n", encoding="utf-8")
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [message]


def test_an_unforeseen_system_error_is_one_line_from_the_program(tmp_path):
    import subprocess

    # `run` is the installed program; a command that lets an OSError through still prints no traceback.
    code = (
        "import sys, click, trustdocs.cli as cli\n"
        "@cli.main.command('explode')\n"
        "def explode():\n"
        "    raise OSError(28, 'No space left on device', 'out/x.pdf')\n"
        "sys.argv = ['trustdocs', 'explode']\n"
        "cli.run()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "Error: No space left on device: out/x.pdf\n")


# -- odd YAML and odd paths -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "bad.yaml:1:1: file is empty"),
        ("# only a comment\n", "bad.yaml:1:1: file is empty"),
        ("- a\n- b\n", "bad.yaml:1:1: a project file must be a mapping of top-level sections, found a list"),
        ("42\n", "bad.yaml:1:1: a project file must be a mapping of top-level sections, found a number"),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "bad.yaml:1:1003: nesting is deeper than 64 levels"),
        (
            "document:\n  product: '" + "x" * 10_000_000 + "'\n",
            "bad.yaml:1:1: file is larger than the limit of 5.0 MiB",
        ),
    ],
)
def test_odd_yaml_is_one_located_line(runner, tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["validate", "bad.yaml"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [message, "trustdocs: 1 error"]


def test_a_symlink_loop_is_a_usage_error(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.symlink("two.yaml", "one.yaml")
    os.symlink("one.yaml", "two.yaml")
    result = runner.invoke(main, ["validate", "one.yaml"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: Invalid value for '[PROJECT]': Path 'one.yaml' does not exist."


def test_an_included_symlink_loop_is_a_located_error(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = _minimal(tmp_path / "proj", _with_include("loop.yaml"))
    os.symlink("loop.yaml", root / "loop.yaml")
    result = runner.invoke(main, ["validate", "proj"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"proj/trustdocs.yaml:{_last_line_of_minimal() + 2}:5: include[0]: include 'loop.yaml' cannot be "
        "resolved (symlink loop?)",
        "trustdocs: 1 error",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["validate", "proj", "--customer", "proj"],
            "Error: Invalid value for '--customer': File 'proj' is a directory.",
        ),
        (
            ["build", "proj", "-o", "file.txt"],
            "Error: Invalid value for '-o' / '--output': Directory 'file.txt' is a file.",
        ),
        (
            ["packet", "proj", "--customer", "proj", "-o", "out"],
            "Error: Invalid value for '--customer': File 'proj' is a directory.",
        ),
    ],
)
def test_a_path_of_the_wrong_kind_is_a_usage_error(runner, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    _minimal(tmp_path / "proj")
    (tmp_path / "file.txt").write_text("x\n", encoding="utf-8")
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads any file")
def test_an_unreadable_include_is_a_located_error(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = _minimal(tmp_path / "proj", _with_include("secret.yaml"))
    (root / "secret.yaml").write_text("sla: {}\n", encoding="utf-8")
    (root / "secret.yaml").chmod(0)
    result = runner.invoke(main, ["validate", "proj"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"proj/trustdocs.yaml:{_last_line_of_minimal() + 2}:5: include[0]: cannot read included file "
        "'secret.yaml': permission denied"
    )


def test_a_project_that_is_a_device_is_refused(runner):
    result = runner.invoke(main, ["validate", os.devnull])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{os.devnull} is not a directory or a regular file", "trustdocs: 1 error"]


def test_a_customer_file_that_is_a_device_is_refused(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _minimal(tmp_path / "proj")
    result = runner.invoke(main, ["validate", "proj", "--customer", os.devnull])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"cannot read {os.devnull}: not a regular file (a character device)",
        "trustdocs: 1 error",
    ]


def test_a_path_with_a_nul_character_is_a_located_error(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _minimal(
        tmp_path / "proj",
        lambda text: (
            text.replace("  product: Tiny Notes\n", '  product: Tiny Notes\n  branding:\n    logo: "x\\0.png"\n')
            + 'include:\n  - "a\\0b.yaml"\n'
        ),
    )
    result = runner.invoke(main, ["validate", "proj"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"proj/trustdocs.yaml:{_last_line_of_minimal() + 4}:5: include[0]: include 'a\\0b.yaml' contains a NUL "
        "character",
        "trustdocs: 1 error",
    ]
    _minimal(
        tmp_path / "proj",
        lambda text: text.replace(
            "  product: Tiny Notes\n", '  product: Tiny Notes\n  branding:\n    logo: "x\\0.png"\n'
        ),
    )
    result = runner.invoke(main, ["validate", "proj"])
    assert result.stderr.splitlines() == [
        "proj/trustdocs.yaml:5:11: document.branding.logo: file 'x\\0.png' contains a NUL character",
        "trustdocs: 1 error",
    ]
