"""Advisory locks on folders, so concurrent deposits never lose a log entry or each other's work."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def lock_folder(folder: Path, *, wait: bool = True) -> int | None:
    """An open descriptor of `folder` holding an exclusive flock; None when `wait` is false and it is taken.

    The kernel drops the lock when the descriptor is closed or its process dies, even by SIGKILL, so a
    lock that can be taken means nobody holds it. A folder, not a file beside it, is locked: nothing is
    left behind, and the lock survives the renames that replace the files inside.
    """
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def folder_locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` for the block, waiting for any other holder to finish."""
    fd = lock_folder(folder)
    assert fd is not None  # a waiting lock is always taken
    try:
        yield
    finally:
        os.close(fd)
