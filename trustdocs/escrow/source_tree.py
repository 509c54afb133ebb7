"""The files a deposit takes from a source directory: the tracked files of a git checkout, else every file."""

from __future__ import annotations

import logging
import os
import shutil
import stat
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from trustdocs.errors import BuildError
from trustdocs.terminal import printable

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DepositFile:
    """One file of the deposit; `path` is relative to the source directory, with "/" separators."""

    path: str
    size: int
    executable: bool = False
    link_target: str | None = None
    """Set for a symbolic link, which is deposited as a link and never followed (it may point outside)."""

    @property
    def is_link(self) -> bool:
        return self.link_target is not None

    @property
    def sort_key(self) -> bytes:
        # Byte order of the UTF-8 path is the one order every platform and locale agrees on.
        return self.path.encode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class GitState:
    """The commit a git checkout is at, and whether the deposited files differ from it."""

    commit: str | None
    dirty: bool


@dataclass(frozen=True)
class SourceTree:
    root: Path
    files: tuple[DepositFile, ...]
    """Sorted by `DepositFile.sort_key`."""
    git: GitState | None
    include_untracked: bool = False

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)


def collect_source_tree(
    root: Path, *, include_untracked: bool = False, exclude: Iterable[Path] = (), extra: Iterable[str] = ()
) -> SourceTree:
    """List the files to deposit from `root`.

    In a git checkout only tracked files are taken (plus untracked, not ignored ones with
    `include_untracked`); elsewhere every file except `.git`. Paths under `exclude` (such as an output
    folder inside the source) are left out; `extra` paths (sealed credentials, often git-ignored) are taken
    when they exist even if git does not track them.
    """
    root = root.resolve()
    excluded = tuple(p.resolve() for p in exclude)
    git = _git_checkout(root)
    if git is None:
        names: Iterable[str] = _walk(root)
        state = None
    else:
        names = _git_names(root, include_untracked)
        state = GitState(commit=_git_commit(root), dirty=_git_dirty(root, include_untracked))
    wanted = set(names) | {p for p in map(_normalise, extra) if _inside(root, p)}
    files = []
    for name in wanted:
        if _is_excluded(root / name, excluded):
            continue
        entry = _describe(root, name)
        if entry is not None:
            files.append(entry)
    files.sort(key=lambda f: f.sort_key)
    return SourceTree(root=root, files=tuple(files), git=state, include_untracked=include_untracked)


def _normalise(path: str) -> str:
    return Path(path).as_posix().lstrip("/").removeprefix("./")


def _inside(root: Path, name: str) -> bool:
    path = root / name
    return ".." not in Path(name).parts and (path.is_file() or path.is_symlink())


def _is_excluded(path: Path, excluded: tuple[Path, ...]) -> bool:
    return any(path == e or e in path.parents for e in excluded)


def _describe(root: Path, name: str) -> DepositFile | None:
    path = root / name
    try:
        info = path.lstat()
    except FileNotFoundError:
        # git still lists a tracked file deleted from the working tree; the dirty flag records it.
        logger.warning("listed by git but missing from the working tree, not deposited: %s", printable(name))
        return None
    if stat.S_ISLNK(info.st_mode):
        return DepositFile(path=name, size=0, link_target=os.readlink(path))
    if stat.S_ISREG(info.st_mode):
        return DepositFile(path=name, size=info.st_size, executable=bool(info.st_mode & stat.S_IXUSR))
    if stat.S_ISDIR(info.st_mode):
        logger.warning("git submodule not checked out, not deposited: %s", printable(name))
    else:
        logger.warning("not a regular file, not deposited: %s", printable(name))
    return None


def _walk(root: Path) -> Iterator[str]:
    for folder, dirnames, filenames in os.walk(root, onerror=_raise):
        here = Path(folder)
        # A symlink to a folder is deposited as a link; os.walk would not descend into it anyway.
        for d in [d for d in dirnames if (here / d).is_symlink()]:
            dirnames.remove(d)
            yield (here / d).relative_to(root).as_posix()
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for f in filenames:
            if f != ".git":  # a worktree or submodule pointer file
                yield (here / f).relative_to(root).as_posix()


def _raise(error: OSError) -> None:
    raise error  # os.walk would skip an unreadable folder silently, leaving it out of the deposit


def _run_git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)


def _git_checkout(root: Path) -> bool | None:
    """True inside a git work tree, None outside one (or when git is not installed)."""
    if shutil.which("git") is None:
        logger.warning("git is not installed; depositing every file under %s", root)
        return None
    result = _run_git(root, "rev-parse", "--is-inside-work-tree")
    if result.returncode == 0:
        return True if result.stdout.strip() == b"true" else None
    message = result.stderr.decode(errors="replace").strip()
    if "not a git repository" in message:
        return None
    # e.g. "detected dubious ownership": guessing "not git" here would deposit ignored files.
    raise BuildError(f"git cannot read {root}: {message}")


def _git_lines(root: Path, *args: str) -> list[str]:
    result = _run_git(root, *args)
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        raise BuildError(f"git {' '.join(args[:2])} failed in {root}: {message}")
    return [os.fsdecode(p) for p in result.stdout.split(b"\0") if p]


def _git_names(root: Path, include_untracked: bool) -> list[str]:
    names = _git_lines(root, "ls-files", "-z", "--cached", "--recurse-submodules")
    if include_untracked:
        names += _git_lines(root, "ls-files", "-z", "--others", "--exclude-standard")
    return names


def _git_commit(root: Path) -> str | None:
    result = _run_git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    if result.returncode != 0:  # a repository without commits yet
        return None
    return result.stdout.decode().strip() or None


def _git_dirty(root: Path, include_untracked: bool) -> bool:
    untracked = "--untracked-files=normal" if include_untracked else "--untracked-files=no"
    # --no-optional-locks: looking must not rewrite the checkout's index.
    result = _run_git(root, "--no-optional-locks", "status", "--porcelain", "-z", untracked, "--", ".")
    if result.returncode != 0:
        raise BuildError(f"git status failed in {root}: {result.stderr.decode(errors='replace').strip()}")
    return bool(result.stdout.strip(b"\0"))
