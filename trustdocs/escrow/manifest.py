"""The deposit manifest: the JSON record beside an archive that says what the archive must hold."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trustdocs.errors import TrustdocsError

MANIFEST_FORMAT = "trustdocs-escrow-manifest/1"
ARCHIVE_SUFFIX = ".tar.gz"
MANIFEST_SUFFIX = ".manifest.json"


@dataclass(frozen=True)
class FileRecord:
    path: str
    size: int
    sha256: str
    """Of the content, or of the target text for a symbolic link."""
    mode: str
    """"0644", "0755", or "0777" for a symbolic link: the only permissions a deposit keeps."""
    link: str | None = None


@dataclass(frozen=True)
class ChecklistRecord:
    id: str
    name: str
    required: bool
    patterns: tuple[str, ...]
    match_count: int
    matches: tuple[str, ...]
    """The first few matching paths."""

    @property
    def found(self) -> bool:
        return self.match_count > 0


@dataclass(frozen=True)
class SealedRecord:
    """A credential deliberately sealed into the deposit."""

    path: str
    purpose: str


@dataclass(frozen=True)
class Manifest:
    archive_name: str
    archive_root: str
    """The folder every archived path sits under."""
    archive_sha256: str
    archive_bytes: int
    deposit_date: str
    """ISO 8601 in UTC, e.g. 2026-03-14T02:10:00Z."""
    date_source: str
    """"--date", "SOURCE_DATE_EPOCH" or "clock"; only the first two can be reproduced."""
    source_name: str
    git: bool
    commit: str | None
    dirty: bool | None
    include_untracked: bool
    checklist_source: str
    """"project" or "default"."""
    checklist: tuple[ChecklistRecord, ...]
    sealed: tuple[SealedRecord, ...]
    scan: dict[str, Any]
    files: tuple[FileRecord, ...]
    trustdocs_version: str

    @property
    def reproducible(self) -> bool:
        return self.date_source != "clock"

    @property
    def total_files(self) -> int:
        return len(self.files)

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)


def manifest_path_for(archive: Path) -> Path:
    """x.tar.gz -> x.manifest.json, in the same folder."""
    name = archive.name
    stem = name[: -len(ARCHIVE_SUFFIX)] if name.endswith(ARCHIVE_SUFFIX) else archive.stem
    return archive.with_name(stem + MANIFEST_SUFFIX)


def manifest_json(m: Manifest) -> bytes:
    """The manifest as UTF-8 JSON."""
    data = {
        "format": MANIFEST_FORMAT,
        "trustdocs_version": m.trustdocs_version,
        "deposit": {"date": m.deposit_date, "date_source": m.date_source, "reproducible": m.reproducible},
        "source": {
            "name": m.source_name,
            "git": m.git,
            "commit": m.commit,
            "dirty": m.dirty,
            "include_untracked": m.include_untracked,
        },
        "archive": {
            "name": m.archive_name,
            "root": m.archive_root,
            "sha256": m.archive_sha256,
            "bytes": m.archive_bytes,
        },
        "totals": {"files": m.total_files, "bytes": m.total_bytes},
        "checklist": {
            "source": m.checklist_source,
            "items": [
                {
                    "id": c.id,
                    "name": c.name,
                    "required": c.required,
                    "found": c.found,
                    "patterns": list(c.patterns),
                    "match_count": c.match_count,
                    "matches": list(c.matches),
                }
                for c in m.checklist
            ],
        },
        "sealed": [{"path": s.path, "purpose": s.purpose} for s in m.sealed],
        "secret_scan": m.scan,
        "files": [_file_json(f) for f in m.files],
    }
    try:
        return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        # A file name that is not UTF-8 survives only as \udcXX escapes, which JSON readers round-trip.
        return json.dumps(data, indent=2, ensure_ascii=True).encode("ascii") + b"\n"


def _file_json(f: FileRecord) -> dict[str, Any]:
    data: dict[str, Any] = {"path": f.path, "size": f.size, "sha256": f.sha256, "mode": f.mode}
    if f.link is not None:
        data["link"] = f.link
    return data


def read_manifest(path: Path) -> Manifest:
    """Read a manifest written by `manifest_json`; anything else is reported as not a manifest."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TrustdocsError(f"cannot read the manifest {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TrustdocsError(f"{path}: not a trustdocs escrow manifest (not JSON: {exc})") from exc
    except RecursionError:
        raise TrustdocsError(f"{path}: not a trustdocs escrow manifest (nested too deeply)") from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise TrustdocsError(f"{path}: not a trustdocs escrow manifest (format is not {MANIFEST_FORMAT!r})")
    try:
        return _manifest_from(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise TrustdocsError(f"{path}: not a trustdocs escrow manifest (bad or missing {exc})") from exc


def _manifest_from(data: dict[str, Any]) -> Manifest:
    deposit, source, archive = data["deposit"], data["source"], data["archive"]
    checklist = data["checklist"]
    return Manifest(
        archive_name=str(archive["name"]),
        archive_root=str(archive["root"]),
        archive_sha256=str(archive["sha256"]),
        archive_bytes=int(archive["bytes"]),
        deposit_date=str(deposit["date"]),
        date_source=str(deposit["date_source"]),
        source_name=str(source["name"]),
        git=bool(source["git"]),
        commit=source["commit"],
        dirty=source["dirty"],
        include_untracked=bool(source["include_untracked"]),
        checklist_source=str(checklist["source"]),
        checklist=tuple(
            ChecklistRecord(
                id=c["id"],
                name=c["name"],
                required=bool(c["required"]),
                patterns=tuple(c["patterns"]),
                match_count=int(c["match_count"]),
                matches=tuple(c["matches"]),
            )
            for c in checklist["items"]
        ),
        sealed=tuple(SealedRecord(s["path"], s["purpose"]) for s in data["sealed"]),
        scan=dict(data["secret_scan"]),
        files=tuple(
            FileRecord(path=f["path"], size=int(f["size"]), sha256=f["sha256"], mode=f["mode"], link=f.get("link"))
            for f in data["files"]
        ),
        trustdocs_version=str(data["trustdocs_version"]),
    )
