"""Writing outputs all-or-nothing: everything is rendered in memory, then each file lands by rename."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from trustdocs.errors import BuildError
from trustdocs.interpreter import raise_if_stopped, stop_signals_deferred

log = logging.getLogger(__name__)


def _read_umask() -> int:
    # os.umask can only be read by setting it; read it once, at import, and put it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


TEMPORARY_NAME_CHARACTERS = 40
"""How much of an output's name its temporary file keeps (mkstemp adds 8 characters and '.tmp')."""


def _reason(error: OSError) -> str:
    """What went wrong, as the system says it: "File name too long", "Read-only file system"."""
    return error.strerror or str(error)


def _fsync_directory(folder: Path) -> None:
    """Make a rename durable; not every platform can open a directory, which is fine to skip."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_temporary(path: Path, data: bytes) -> Path:
    """`data` in a new temporary file next to `path`, flushed to disk; returns the temporary path."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # the folder is a file: say so, rather than "File exists"
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path.parent)) from None
    # Shortened, so that a name the file system accepts is not refused for its temporary file.
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:TEMPORARY_NAME_CHARACTERS]}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private; outputs get the permissions of any newly created file.
        os.chmod(temporary, 0o666 & ~_UMASK)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that readers see either the old file or the new one, never a part.

    Raises BuildError naming `path` when the system refuses (a name too long, no permission, a full disk).
    """
    raise_if_stopped()
    try:
        temporary = _write_temporary(path, data)
    except OSError as error:
        raise BuildError(f"could not write {path}: {_reason(error)}") from error
    try:
        with stop_signals_deferred():
            os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise BuildError(f"could not write {path}: {_reason(error)}") from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _checked_relative(relative: str) -> str:
    pure = PurePosixPath(relative)
    if not relative or pure.is_absolute() or any(part in ("", ".", "..") for part in relative.split("/")):
        raise ValueError(f"output path must be relative and stay inside the output folder: {relative!r}")
    return str(pure)


@dataclass
class OutputSet:
    """The files one build produces, kept in memory until `write()` puts them all in place."""

    root: Path
    files: dict[str, bytes] = field(default_factory=dict)

    def add(self, relative: str, data: bytes) -> None:
        """Add an output at `relative` (a POSIX path under root); each path may be added once."""
        key = _checked_relative(relative)
        if key in self.files:
            raise ValueError(f"output {key} is produced twice")
        self.files[key] = data

    def __contains__(self, relative: object) -> bool:
        return relative in self.files

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        return iter(sorted(self.files.items()))

    def __len__(self) -> int:
        return len(self.files)

    def write(self) -> list[Path]:
        """Write every file: all temporary files first, then the renames, so a failure replaces nothing.

        Returns the written paths in sorted order.
        """
        raise_if_stopped()  # nothing is written after Ctrl-C, even if a library swallowed it while rendering
        staged: list[tuple[Path, Path]] = []
        target = self.root
        try:
            for relative, data in self:
                target = self.root / relative
                staged.append((_write_temporary(target, data), target))
        except OSError as error:
            for temporary, _ in staged:
                temporary.unlink(missing_ok=True)
            raise BuildError(f"could not write {target}: {_reason(error)}") from error
        except BaseException:
            for temporary, _ in staged:
                temporary.unlink(missing_ok=True)
            raise
        written = []
        # Ctrl-C waits for the renames (a few milliseconds), so that the outputs are all old or all new.
        with stop_signals_deferred():
            for index, (temporary, target) in enumerate(staged):
                try:
                    os.replace(temporary, target)
                except OSError as error:
                    for leftover, _ in staged[index:]:
                        with contextlib.suppress(OSError):
                            leftover.unlink()
                    raise BuildError(f"could not write {target}: {_reason(error)}") from error
                written.append(target)
        for folder in sorted({target.parent for target in written}):
            _fsync_directory(folder)
        log.debug("wrote %d file(s) under %s", len(written), self.root)
        return written


def replace_directory(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Replace the whole of `folder` with `files` (POSIX paths under it): all or nothing.

    The files are written into a new folder next to `folder`, which then takes its place by rename; the old
    folder is removed only after that. A failure before the rename leaves `folder` exactly as it was.
    Returns the written paths in sorted order.
    """
    raise_if_stopped()
    parent = folder.parent
    try:
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:  # a folder on the way is a file: say so, rather than "File exists"
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(parent)) from None
        staging = Path(
            tempfile.mkdtemp(dir=parent, prefix=f".{folder.name[:TEMPORARY_NAME_CHARACTERS]}.", suffix=".tmp")
        )
    except OSError as error:
        raise BuildError(f"could not write {folder}: {_reason(error)}") from error
    old: Path | None = None
    try:
        os.chmod(staging, 0o777 & ~_UMASK)
        outputs = OutputSet(staging)
        for relative, data in sorted(files.items()):
            outputs.add(relative, data)
        outputs.write()
        with stop_signals_deferred():
            if folder.exists() or folder.is_symlink():
                if not folder.is_dir() or folder.is_symlink():
                    raise BuildError(f"could not write {folder}: it exists and is not a folder")
                old = Path(
                    tempfile.mkdtemp(
                        dir=parent, prefix=f".{folder.name[:TEMPORARY_NAME_CHARACTERS]}.old.", suffix=".tmp"
                    )
                )
                os.replace(folder, old / folder.name)
            try:
                os.replace(staging, folder)
            except OSError:
                if old is not None:
                    os.replace(old / folder.name, folder)
                raise
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"could not write {folder}: {_reason(error)}") from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    _fsync_directory(parent)
    return [folder / relative for relative in sorted(files)]
