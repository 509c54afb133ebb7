"""Writes a reproducible .tar.gz: the same files give the same bytes, whatever the disk's metadata says."""

from __future__ import annotations

import gzip
import hashlib
import tarfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from trustdocs.errors import BuildError
from trustdocs.escrow.manifest import FileRecord
from trustdocs.escrow.progress import ProgressReporter, quiet_progress
from trustdocs.escrow.source_tree import DepositFile

COMPRESS_LEVEL = 3
"""Fixed, because the level changes the compressed bytes (as would another zlib build, such as zlib-ng).

3 is the best of zlib's fast levels: on source code it is about six times faster than gzip's default of 6
for an archive about a seventh larger, which matters more for a multi-gigabyte deposit than the size.
"""
COPY_BUFFER = 1024 * 1024
TAR_FORMAT = tarfile.PAX_FORMAT


@dataclass(frozen=True)
class ArchiveResult:
    files: tuple[FileRecord, ...]
    sha256: str
    bytes: int


class HashingReader:
    """Reads a file for tarfile while hashing it, so each file is read once."""

    def __init__(self, stream: BinaryIO, progress: ProgressReporter):
        self._stream = stream
        self._progress = progress
        self.sha256 = hashlib.sha256()
        self.bytes = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.sha256.update(data)
        self.bytes += len(data)
        self._progress.advance(len(data))
        return data

    def drain(self, chunk: int = 1 << 20) -> None:
        """Hash what the reader left unread (the end-of-archive padding, or everything after damage)."""
        while self.read(chunk):
            pass


class HashingWriter:
    """Passes writes through while hashing them, so the archive's SHA-256 needs no second read."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream
        self.sha256 = hashlib.sha256()
        self.bytes = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.bytes += len(data)
        return self._stream.write(data)

    def flush(self) -> None:
        self._stream.flush()


def write_archive(
    root: Path,
    files: Iterable[DepositFile],
    target: BinaryIO,
    *,
    folder: str,
    mtime: int,
    progress: ProgressReporter | None = None,
) -> ArchiveResult:
    """Write `files` (already sorted) from `root` as a gzip'd tar to `target`, each under `folder/`.

    Only what a deposit means is kept: the path, the content, the executable bit and the link target.
    Owners, permissions and times are normalised and the gzip header carries no name and no time.
    """
    progress = progress or quiet_progress()
    files = list(files)
    progress.phase("Archiving", sum(f.size for f in files))
    out = HashingWriter(target)
    records: list[FileRecord] = []
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=COMPRESS_LEVEL, mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=TAR_FORMAT, encoding="utf-8", copybufsize=COPY_BUFFER) as tar:  # type: ignore[call-overload]  # TarFile kwarg absent from typeshed
            for file in files:
                records.append(_add(tar, root, file, folder, mtime, progress))
    return ArchiveResult(files=tuple(records), sha256=out.sha256.hexdigest(), bytes=out.bytes)


def _tarinfo(name: str, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mtime = mtime
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _add(
    tar: tarfile.TarFile, root: Path, file: DepositFile, folder: str, mtime: int, progress: ProgressReporter
) -> FileRecord:
    info = _tarinfo(f"{folder}/{file.path}", mtime)
    if file.link_target is not None:
        info.type = tarfile.SYMTYPE
        info.linkname = file.link_target
        info.mode = 0o777
        tar.addfile(info)
        digest = hashlib.sha256(file.link_target.encode("utf-8", "surrogateescape")).hexdigest()
        return FileRecord(path=file.path, size=0, sha256=digest, mode="0777", link=file.link_target)
    info.type = tarfile.REGTYPE
    info.mode = 0o755 if file.executable else 0o644
    info.size = file.size
    try:
        with (root / file.path).open("rb") as stream:
            reader = HashingReader(stream, progress)
            tar.addfile(info, reader)
    except OSError as exc:
        if exc.strerror:
            raise BuildError(f"cannot deposit {file.path}: {exc.strerror}") from exc
        # tarfile says "unexpected end of data" when a file shrank after it was listed.
        raise BuildError(f"cannot deposit {file.path}: it changed while it was being deposited") from exc
    return FileRecord(path=file.path, size=file.size, sha256=reader.sha256.hexdigest(), mode=f"{info.mode:04o}")
