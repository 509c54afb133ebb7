"""Makes an escrow deposit: gather the files, refuse credentials, write the archive and its manifest."""

from __future__ import annotations

import datetime as dt
import fnmatch
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from trustdocs import __version__
from trustdocs.errors import BuildError, TrustdocsError
from trustdocs.escrow.archive import write_archive
from trustdocs.escrow.checklist import (
    SHOWN_MATCHES,
    ChecklistResult,
    default_checklist,
    evaluate_checklist,
    missing_required,
)
from trustdocs.escrow.locking import folder_locked, lock_folder
from trustdocs.escrow.manifest import (
    ARCHIVE_SUFFIX,
    ChecklistRecord,
    Manifest,
    SealedRecord,
    manifest_json,
    manifest_path_for,
)
from trustdocs.escrow.progress import ProgressReporter, quiet_progress
from trustdocs.escrow.secret_scan import SecretFinding, scan_for_secrets
from trustdocs.escrow.source_tree import collect_source_tree
from trustdocs.model.escrow import Escrow
from trustdocs.terminal import printable

logger = logging.getLogger(__name__)

DateSource = Literal["--date", "SOURCE_DATE_EPOCH", "clock"]
ALLOW_SECRET_PURPOSE = "allowed with --allow-secret"
LAST_EPOCH = int(dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC).timestamp())
STAGING_PREFIX = ".trustdocs-deposit-"
"""A deposit's archive and manifest are written in a folder of this name inside OUT, then moved out."""
_LEGACY_PART = re.compile(r"^\..+\.(?:tar\.gz|manifest\.json)\..+\.part$")
"""Temporary files that deposits used to write beside their outputs, left there by a run that was killed."""


@dataclass(frozen=True)
class DepositTime:
    """When the deposit is dated, and where that came from: only a given time can be reproduced."""

    moment: dt.datetime
    source: DateSource

    @property
    def reproducible(self) -> bool:
        return self.source != "clock"

    @property
    def iso(self) -> str:
        return self.moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def stamp(self) -> str:
        return self.moment.strftime("%Y%m%dT%H%M%SZ")

    @property
    def archive_mtime(self) -> int:
        # The clock's time would make every archive unique; 0 keeps even undated archives comparable.
        return int(self.moment.timestamp()) if self.reproducible else 0


def parse_deposit_date(text: str) -> dt.datetime:
    """`2026-03-14` (midnight UTC) or `2026-03-14T02:10:00Z`; a time must carry its offset."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            moment = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), dt.UTC)
        else:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 date or date-time, e.g. 2026-03-14T02:10:00Z") from None
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset; write e.g. {text}Z or {text}+01:00")
    if moment.timestamp() < 0:
        raise ValueError(f"{text!r} is before 1970-01-01")
    try:
        return moment.astimezone(dt.UTC).replace(microsecond=0)
    except OverflowError:  # 9999-12-31T23:30:00-01:00 is in the year 10000 in UTC
        raise ValueError(f"{text!r} is after 9999-12-31T23:59:59Z, the last time a deposit can be dated") from None


def deposit_time(date: dt.datetime | None = None, environ: Mapping[str, str] | None = None) -> DepositTime:
    """The deposit time: `date`, else SOURCE_DATE_EPOCH, else now (which cannot be reproduced)."""
    if date is not None:
        return DepositTime(date.astimezone(dt.UTC).replace(microsecond=0), "--date")
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not (epoch.isascii() and epoch.isdigit()):
            raise ValueError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, not {epoch!r}")
        if int(epoch) > LAST_EPOCH:
            raise ValueError(
                f"SOURCE_DATE_EPOCH {epoch} is after 9999-12-31T23:59:59Z, the last time a deposit "
                f"can be dated ({LAST_EPOCH})"
            )
        return DepositTime(dt.datetime.fromtimestamp(int(epoch), dt.UTC), "SOURCE_DATE_EPOCH")
    return DepositTime(dt.datetime.now(dt.UTC).replace(microsecond=0), "clock")


class SecretsFound(TrustdocsError):
    """Files that look like credentials were about to be deposited; nothing was written."""

    def __init__(self, findings: Sequence[SecretFinding]):
        self.findings = tuple(findings)
        super().__init__(f"{len(self.findings)} possible credential(s) found")

    def format_message(self) -> str:
        files = len({f.path for f in self.findings})
        lines = [f"refusing to deposit: {files} file(s) look like credentials"]
        lines += [printable(str(f)) for f in self.findings]  # a file name may hold a newline
        lines.append(
            "To seal a credential into the deposit on purpose, list it under "
            "escrow.sealed_credentials or pass --allow-secret PATH."
        )
        return "\n".join(lines)


@dataclass(frozen=True)
class DepositResult:
    archive: Path
    manifest_path: Path
    manifest: Manifest
    checklist: tuple[ChecklistResult, ...]

    @property
    def missing_required(self) -> tuple[ChecklistResult, ...]:
        return missing_required(self.checklist)


def make_deposit(
    source: Path,
    out_dir: Path,
    *,
    when: DepositTime,
    escrow: Escrow | None = None,
    name: str | None = None,
    include_untracked: bool = False,
    allow_secrets: Sequence[str] = (),
    progress: ProgressReporter | None = None,
) -> DepositResult:
    """Deposit `source` into `out_dir`: `<name>-<date>-<commit>.tar.gz` and its `.manifest.json`.

    Everything is checked before anything is written; a failed deposit leaves no archive behind.
    Raises SecretsFound when files look like credentials that are not sealed deliberately.
    """
    try:
        return _deposit(
            source,
            out_dir,
            when=when,
            escrow=escrow,
            name=name,
            include_untracked=include_untracked,
            allow_secrets=allow_secrets,
            progress=progress or quiet_progress(),
        )
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        raise BuildError(f"cannot deposit: {where}{exc.strerror or exc}") from exc


def _deposit(
    source: Path,
    out_dir: Path,
    *,
    when: DepositTime,
    escrow: Escrow | None,
    name: str | None,
    include_untracked: bool,
    allow_secrets: Sequence[str],
    progress: ProgressReporter,
) -> DepositResult:
    given_out_dir, source, out_dir = out_dir, source.resolve(), out_dir.resolve()
    if out_dir == source:
        raise BuildError(f"the output folder must not be the source folder: {source}")
    sealed = _sealed_rules(escrow, allow_secrets)
    tree = collect_source_tree(
        source, include_untracked=include_untracked, exclude=[out_dir], extra=[p for p in sealed if not _is_glob(p)]
    )
    if not tree.files:
        what = "tracked files" if tree.git is not None and not include_untracked else "files"
        raise BuildError(f"nothing to deposit: no {what} in {source}")
    is_sealed = _sealed_matcher(sealed)
    scan = scan_for_secrets(tree.root, tree.files, sealed=lambda p: is_sealed(p) is not None, progress=progress)
    if scan.findings:
        raise SecretsFound(scan.findings)
    sealed_records = tuple(
        SealedRecord(f.path, purpose) for f in tree.files if (purpose := is_sealed(f.path)) is not None
    )
    _warn_unused(sealed, {r.path for r in sealed_records})

    items = escrow.contents if escrow is not None and escrow.contents else default_checklist()
    checklist = evaluate_checklist(items, [f.path for f in tree.files])
    commit = tree.git.commit if tree.git is not None else None
    stem = "-".join(part for part in (_slug(name or source.name), when.stamp, (commit or "")[:12]) if part)
    out_dir.mkdir(parents=True, exist_ok=True)
    archive_path = given_out_dir / (stem + ARCHIVE_SUFFIX)  # reported as the user named the folder
    manifest_path = manifest_path_for(archive_path)

    with _staging(out_dir) as stage:
        staged_archive, staged_manifest = stage / archive_path.name, stage / manifest_path.name
        with _new_file(staged_archive) as stream:
            archive = write_archive(
                tree.root, tree.files, stream, folder=stem, mtime=when.archive_mtime, progress=progress
            )
        manifest = Manifest(
            archive_name=archive_path.name,
            archive_root=stem,
            archive_sha256=archive.sha256,
            archive_bytes=archive.bytes,
            deposit_date=when.iso,
            date_source=when.source,
            source_name=source.name,
            git=tree.git is not None,
            commit=commit,
            dirty=tree.git.dirty if tree.git is not None else None,
            include_untracked=include_untracked,
            checklist_source="project" if escrow is not None and escrow.contents else "default",
            checklist=tuple(_checklist_record(r) for r in checklist),
            sealed=sealed_records,
            scan={
                "scanned": scan.summary.scanned,
                "skipped_binary": scan.summary.skipped_binary,
                "skipped_large": list(scan.summary.skipped_large),
            },
            files=archive.files,
            trustdocs_version=__version__,
        )
        with _new_file(staged_manifest) as stream:
            stream.write(manifest_json(manifest))
        # The manifest first: a run killed between the two renames leaves a manifest without its archive,
        # never an archive that cannot be verified.
        _publish(staged_manifest, out_dir / manifest_path.name)
        _publish(staged_archive, out_dir / archive_path.name)
    logger.info("deposited %d files (%d bytes) as %s", manifest.total_files, manifest.total_bytes, archive_path)
    return DepositResult(archive=archive_path, manifest_path=manifest_path, manifest=manifest, checklist=checklist)


@contextmanager
def _staging(out_dir: Path) -> Iterator[Path]:
    """A private folder inside `out_dir` holding this deposit's files until both are whole; removed after.

    A run killed outright (SIGKILL, a power cut) leaves its folder behind, and the next deposit into the
    same folder removes it: each run holds a lock on its own folder, so one whose lock can be taken was
    left by a run that is gone. Folders are made and locked, and abandoned ones removed, under a lock on
    `out_dir`, so that a live run's folder is never taken for an abandoned one.
    """
    with folder_locked(out_dir):
        _remove_abandoned(out_dir)
        stage = Path(tempfile.mkdtemp(dir=out_dir, prefix=STAGING_PREFIX))
        held = lock_folder(stage)
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        if held is not None:
            os.close(held)


def _remove_abandoned(out_dir: Path) -> None:
    for entry in sorted(out_dir.iterdir()):
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir() and not entry.is_symlink():
            held = lock_folder(entry, wait=False)
            if held is None:
                continue  # a deposit running now
            try:
                shutil.rmtree(entry)
            finally:
                os.close(held)
            logger.info("removed %s, left by a deposit that did not finish", entry)
        elif _LEGACY_PART.match(entry.name) and entry.is_file() and not entry.is_symlink():
            entry.unlink()
            logger.info("removed %s, left by a deposit that did not finish", entry)


@contextmanager
def _new_file(path: Path) -> Iterator[BinaryIO]:
    """A new file, flushed to disk when the block ends, readable by all: a deposit is meant to be handed over."""
    with path.open("xb") as stream:
        yield stream
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, 0o644)


def _publish(staged: Path, final: Path) -> None:
    os.replace(staged, final)
    fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(fd)  # the rename itself is on disk before the next one
    finally:
        os.close(fd)


def _checklist_record(result: ChecklistResult) -> ChecklistRecord:
    item = result.item
    return ChecklistRecord(
        id=item.id,
        name=item.name,
        required=item.required,
        patterns=item.patterns,
        match_count=len(result.matches),
        matches=result.matches[:SHOWN_MATCHES],
    )


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9._]+", "-", name.lower()).strip("-.") or "deposit"


def _is_glob(path: str) -> bool:
    return any(c in path for c in "*?[")


def _normalise(path: str) -> str:
    return Path(path).as_posix().lstrip("/").removeprefix("./")


def _sealed_rules(escrow: Escrow | None, allow_secrets: Sequence[str]) -> dict[str, str]:
    """Path or glob -> why it may hold a credential."""
    rules = {_normalise(s.path): s.purpose for s in (escrow.sealed_credentials if escrow else ())}
    for path in allow_secrets:
        rules.setdefault(_normalise(path), ALLOW_SECRET_PURPOSE)
    return rules


def _sealed_matcher(rules: Mapping[str, str]) -> Callable[[str], str | None]:
    globs = [(p, purpose) for p, purpose in rules.items() if _is_glob(p)]

    def purpose_of(path: str) -> str | None:
        if path in rules:
            return rules[path]
        return next((purpose for p, purpose in globs if fnmatch.fnmatchcase(path, p)), None)

    return purpose_of


def _warn_unused(rules: Mapping[str, str], sealed: set[str]) -> None:
    for rule in rules:
        used = any(fnmatch.fnmatchcase(p, rule) for p in sealed) if _is_glob(rule) else rule in sealed
        if not used:
            logger.warning("sealed credential not in the deposit: %s", printable(rule))
