"""Verifies a deposit against its manifest: integrity (every file, every hash) and inventory (required items)."""

from __future__ import annotations

import gzip
import hashlib
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from trustdocs.errors import TrustdocsError
from trustdocs.escrow.archive import HashingReader
from trustdocs.escrow.checklist import SHOWN_MATCHES, matching_paths
from trustdocs.escrow.manifest import FileRecord, Manifest, manifest_path_for, read_manifest
from trustdocs.escrow.progress import quiet_progress
from trustdocs.terminal import printable

_CHUNK = 1024 * 1024
_KIND_ORDER = {"changed": 0, "missing": 1, "unexpected": 2, "duplicate": 3}

DifferenceKind = Literal["changed", "missing", "unexpected", "duplicate"]


@dataclass(frozen=True)
class FileDifference:
    """One way the archive departs from its manifest, printed as `changed: src/app.py (sha256 differs)`."""

    kind: DifferenceKind
    path: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.path}" + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True)
class InventoryResult:
    id: str
    name: str
    required: bool
    matches: tuple[str, ...]

    @property
    def present(self) -> bool:
        return bool(self.matches)


@dataclass(frozen=True)
class VerificationReport:
    archive: Path
    manifest_path: Path
    unreadable: str | None
    """Why the archive could not be read to the end, if it could not."""
    archive_sha256: str
    archive_bytes: int
    expected_sha256: str
    expected_bytes: int
    differences: tuple[FileDifference, ...]
    files_checked: int
    inventory: tuple[InventoryResult, ...]

    @property
    def archive_problem(self) -> str | None:
        differs = [
            name
            for name, same in (
                ("size", self.archive_bytes == self.expected_bytes),
                ("sha256", self.archive_sha256 == self.expected_sha256),
            )
            if not same
        ]
        return f"archive: {_differ(differs)} from the manifest" if differs else None

    @property
    def integrity_problems(self) -> tuple[str, ...]:
        lines = [f"unreadable: {self.unreadable}"] if self.unreadable else []
        lines += [self.archive_problem] if self.archive_problem else []
        return tuple(lines + [str(d) for d in self.differences])

    @property
    def missing_required(self) -> tuple[InventoryResult, ...]:
        return tuple(i for i in self.inventory if i.required and not i.present)

    @property
    def integrity_passed(self) -> bool:
        return not self.integrity_problems

    @property
    def inventory_passed(self) -> bool:
        return not self.missing_required

    @property
    def passed(self) -> bool:
        return self.integrity_passed and self.inventory_passed


def verify_deposit(archive: Path, manifest_path: Path | None = None) -> VerificationReport:
    """Read the archive once, hashing it whole and every file in it, and compare with the manifest."""
    if manifest_path is None:
        manifest_path = manifest_path_for(archive)
        if not manifest_path.exists():
            raise TrustdocsError(f"no manifest beside {archive}: expected {manifest_path}; give --manifest FILE")
    manifest = read_manifest(manifest_path)
    expected = {f.path: f for f in manifest.files}
    found: dict[str, FileRecord] = {}
    differences: list[FileDifference] = []
    unreadable = None
    try:
        raw = archive.open("rb")
    except OSError as exc:
        raise TrustdocsError(f"cannot read {archive}: {exc.strerror or exc}") from exc
    with raw:
        reader = HashingReader(raw, quiet_progress())
        try:
            # gzip here rather than tarfile's "r|gz": GzipFile notices truncation and checks the CRC.
            with gzip.GzipFile(fileobj=reader, mode="rb") as gz:  # type: ignore[call-overload]  # HashingReader is a readable stream
                with tarfile.open(fileobj=gz, mode="r|") as tar:
                    for member in tar:
                        _check_member(tar, member, manifest, expected, found, differences)
                while gz.read(_CHUNK):  # to the end of the gzip stream, so its trailer is checked
                    pass
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            unreadable = _unreadable_reason(exc)
        reader.drain()
    differences += [FileDifference("missing", p) for p in expected if p not in found]
    differences.sort(key=lambda d: (_KIND_ORDER[d.kind], d.path.encode("utf-8", "surrogateescape")))
    paths = sorted(found)
    inventory = tuple(
        InventoryResult(c.id, c.name, c.required, matching_paths(c.patterns, paths)) for c in manifest.checklist
    )
    return VerificationReport(
        archive=archive,
        manifest_path=manifest_path,
        unreadable=unreadable,
        archive_sha256=reader.sha256.hexdigest(),
        archive_bytes=reader.bytes,
        expected_sha256=manifest.archive_sha256,
        expected_bytes=manifest.archive_bytes,
        differences=tuple(differences),
        files_checked=len(found),
        inventory=inventory,
    )


def _unreadable_reason(exc: BaseException) -> str:
    if isinstance(exc, gzip.BadGzipFile):
        if str(exc).startswith("Not a gzipped file"):
            return "not a gzip file"
        return f"corrupt gzip data ({exc})"
    if isinstance(exc, EOFError):
        return "the archive ends early (truncated)"
    if isinstance(exc, zlib.error):
        return f"corrupt compressed data ({exc})"
    if isinstance(exc, tarfile.TarError):
        return f"not a valid tar archive ({exc})"
    return str(exc) or type(exc).__name__


def _check_member(
    tar: tarfile.TarFile,
    member: tarfile.TarInfo,
    manifest: Manifest,
    expected: dict[str, FileRecord],
    found: dict[str, FileRecord],
    differences: list[FileDifference],
) -> None:
    if member.isdir():
        return  # folders carry no content; extraction makes them from the file paths
    prefix = manifest.archive_root + "/"
    if not member.name.startswith(prefix):
        differences.append(FileDifference("unexpected", member.name, f"outside {prefix}"))
        return
    path = member.name[len(prefix) :]
    record = _record_of(tar, member, path)
    if path in found:
        differences.append(FileDifference("duplicate", path))
        return
    found[path] = record if record is not None else FileRecord(path, member.size, "", "")
    want = expected.get(path)
    if want is None:
        differences.append(FileDifference("unexpected", path))
        return
    if record is None:
        differences.append(FileDifference("changed", path, "not a file or a link"))
        return
    differs = [
        name
        for name, same in (
            ("type", (want.link is None) == (record.link is None)),
            ("size", want.size == record.size),
            ("sha256", want.sha256 == record.sha256),
            ("mode", want.mode == record.mode),
        )
        if not same
    ]
    if differs:
        differences.append(FileDifference("changed", path, _differ(differs)))


def _record_of(tar: tarfile.TarFile, member: tarfile.TarInfo, path: str) -> FileRecord | None:
    if member.issym():
        digest = hashlib.sha256(member.linkname.encode("utf-8", "surrogateescape")).hexdigest()
        return FileRecord(path, 0, digest, f"{member.mode & 0o777:04o}", link=member.linkname)
    if not member.isfile():
        return None
    stream = tar.extractfile(member)
    assert stream is not None  # a regular member always has content
    sha256, size = hashlib.sha256(), 0
    while chunk := stream.read(_CHUNK):
        sha256.update(chunk)
        size += len(chunk)
    return FileRecord(path, size, sha256.hexdigest(), f"{member.mode & 0o777:04o}")


def _differ(names: list[str]) -> str:
    if len(names) == 1:
        return f"{names[0]} differs"
    return f"{', '.join(names[:-1])} and {names[-1]} differ"


def report_text(report: VerificationReport) -> str:
    """The report as a person reads it; every problem on its own line.

    Member names, paths and the manifest's item names come from the files being checked, so each line is
    made printable: a name holding a newline or a terminal escape cannot add a "result: passed" of its own.
    """
    lines = [f"verifying {report.archive} against {report.manifest_path}"]
    if report.integrity_passed:
        lines.append(f"integrity: passed ({report.files_checked} files, archive sha256 matches)")
    else:
        lines.append("integrity: FAILED")
        lines += [f"  {p}" for p in report.integrity_problems]
    required = [i for i in report.inventory if i.required]
    present = sum(1 for i in required if i.present)
    counts = f"{present} of {len(required)} required items present"
    lines.append(f"inventory: {'passed' if report.inventory_passed else 'FAILED'} ({counts})")
    lines += [f"  missing required item: {i.id} ({i.name})" for i in report.missing_required]
    lines.append(f"result: {'passed' if report.passed else 'FAILED'}")
    return "\n".join(printable(line) for line in lines)


def report_json(report: VerificationReport) -> dict[str, Any]:
    """The same facts as `report_text`, for machines."""
    return {
        "archive": str(report.archive),
        "manifest": str(report.manifest_path),
        "passed": report.passed,
        "integrity": {
            "passed": report.integrity_passed,
            "readable": report.unreadable is None,
            "error": report.unreadable,
            "files_checked": report.files_checked,
            "archive_sha256": {"expected": report.expected_sha256, "actual": report.archive_sha256},
            "archive_bytes": {"expected": report.expected_bytes, "actual": report.archive_bytes},
            "differences": [{"kind": d.kind, "path": d.path, "detail": d.detail} for d in report.differences],
            "problems": list(report.integrity_problems),
        },
        "inventory": {
            "passed": report.inventory_passed,
            "items": [
                {
                    "id": i.id,
                    "name": i.name,
                    "required": i.required,
                    "present": i.present,
                    "match_count": len(i.matches),
                    "matches": list(i.matches[:SHOWN_MATCHES]),
                }
                for i in report.inventory
            ],
            "problems": [f"missing required item: {i.id} ({i.name})" for i in report.missing_required],
        },
    }
