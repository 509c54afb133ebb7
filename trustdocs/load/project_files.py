"""Loads a project's YAML files: the root `trustdocs.yaml`, the files it includes, and files data refers to.

Every path is relative to the project root, written with '/', and must stay inside the project after
resolving symlinks. Problems in one included file do not stop the others from being read, so a single
run reports everything that is wrong.
"""

from __future__ import annotations

import errno
import hashlib
import logging
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from trustdocs.errors import InputError, Problem
from trustdocs.load.limits import MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES, describe_size
from trustdocs.load.positions import Positions, format_path
from trustdocs.load.yaml_source import parse_yaml, read_limited, too_large
from trustdocs.model.base import Location
from trustdocs.model.project import SourceFile

log = logging.getLogger(__name__)

ROOT_FILE = "trustdocs.yaml"
INCLUDE = "include"


@dataclass(frozen=True)
class SourceTree:
    """The merged data of a project's YAML files, with positions pointing into the file of each value."""

    root: Path
    data: dict[str, Any]
    positions: Positions
    sources: tuple[SourceFile, ...]
    display_root: str = "."


@dataclass(frozen=True)
class ProjectFile:
    """A file inside the project, read and checked: where it is, how messages name it, and its bytes."""

    path: Path
    display: str
    raw: bytes
    source: SourceFile


def display_name(display_root: str, relative: str) -> str:
    """How messages name a project file: the project path as the user gave it, joined with `relative`."""
    if display_root in ("", "."):
        return relative
    return str(PurePosixPath(display_root) / relative)


class _Refused(Exception):
    """A referenced path cannot be used; carries the message for the place that referred to it."""


class _Missing(_Refused):
    """The referenced file does not exist."""


def _file_noun(noun: str) -> str:
    return "included file" if noun == "include" else noun


def _contained(root: Path, entry: str, noun: str) -> tuple[str, Path]:
    """Normalise `entry` (relative to `root`) and resolve it; refuse anything that leaves the project."""
    if "\0" in entry:  # no file system allows it, and os calls raise ValueError on it
        shown = entry.replace("\0", "\\0")
        raise _Refused(f"{noun} '{shown}' contains a NUL character")
    if "\\" in entry:
        raise _Refused(f"{noun} '{entry}' must use '/' between folders")
    outside = f"{noun} '{entry}' is outside the project"
    if PurePosixPath(entry).is_absolute() or PureWindowsPath(entry).drive:
        raise _Refused(outside)
    parts: list[str] = []
    for part in entry.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                raise _Refused(outside)
            parts.pop()
        else:
            parts.append(part)
    if not parts:
        raise _Refused(f"{noun} '{entry}' is not a file")
    relative = "/".join(parts)
    try:
        resolved = (root / relative).resolve(strict=True)
    except (FileNotFoundError, NotADirectoryError):
        raise _Missing(f"{_file_noun(noun)} '{entry}' not found") from None
    except RuntimeError:  # a symlink loop before Python 3.13
        raise _Refused(f"{noun} '{entry}' cannot be resolved (symlink loop?)") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _Refused(f"{noun} '{entry}' cannot be resolved (symlink loop?)") from None
        reason = (exc.strerror or str(exc)).lower()
        raise _Refused(f"cannot read {_file_noun(noun)} '{entry}': {reason}") from None
    if not resolved.is_relative_to(root):
        raise _Refused(outside)
    return relative, resolved


def _read(resolved: Path, entry: str, noun: str) -> bytes:
    try:
        return read_limited(resolved)
    except FileNotFoundError:
        raise _Missing(f"{noun} '{entry}' not found") from None
    except IsADirectoryError:
        raise _Refused(f"{noun} '{entry}' is a directory, not a file") from None
    except OSError as exc:
        raise _Refused(f"cannot read {noun} '{entry}': {(exc.strerror or str(exc)).lower()}") from None


def read_project_file(
    root: Path,
    display_root: str,
    relative: str,
    *,
    where: Location | None = None,
    path: str = "",
    limit: int = MAX_FILE_BYTES,
    noun: str = "file",
    when_missing: str = "",
) -> ProjectFile:
    """Read a file the data refers to (a deposit log, a logo) with the project's containment rules.

    `where` and `path` locate the reference in messages about the file not being usable; `noun` names the
    file in them and `when_missing` is added to the message when it does not exist (how to create it).
    """
    root = Path(root).resolve()
    try:
        normalised, resolved = _contained(root, relative, noun)
        raw = _read(resolved, relative, noun)
    except _Missing as exc:
        raise InputError([Problem(where, path, f"{exc}; {when_missing}" if when_missing else str(exc))]) from None
    except _Refused as exc:
        raise InputError([Problem(where, path, str(exc))]) from None
    display = display_name(display_root, normalised)
    if len(raw) > limit:
        raise InputError([too_large(display, len(raw), limit)])
    return ProjectFile(resolved, display, raw, SourceFile(normalised, hashlib.sha256(raw).hexdigest()))


def load_extra_file(
    root: Path,
    display_root: str,
    relative: str,
    *,
    where: Location | None = None,
    path: str = "",
    noun: str = "file",
    when_missing: str = "",
) -> tuple[Any, Positions, SourceFile]:
    """Load a YAML file the data refers to (e.g. the escrow deposit log); raise InputError on problems."""
    found = read_project_file(
        root, display_root, relative, where=where, path=path, noun=noun, when_missing=when_missing
    )
    data, positions = parse_yaml(found.raw, found.display)
    return data, positions, found.source


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return "a number"


@dataclass(frozen=True)
class _Loaded:
    """One project file, parsed: its path relative to the root, its data and their positions."""

    relative: str
    data: dict[str, Any]
    positions: Positions


class _ProjectLoader:
    """Follows includes depth first from the root file, merging top-level keys and collecting problems."""

    def __init__(self, root: Path, display_root: str):
        self.root = root
        self.display_root = display_root
        self.problems: list[Problem] = []
        self.sources: list[SourceFile] = []
        self.data: dict[str, Any] = {}
        self.positions = Positions()
        self.owners: dict[str, Location | None] = {}
        self.included_at: dict[Path, Location | None] = {}
        self.total_bytes = 0
        self.stopped = False

    def _problem(self, where: Location | None, path: str, message: str) -> None:
        self.problems.append(Problem(where, path, message))

    def load_root(self, relative: str) -> None:
        resolved = (self.root / relative).resolve()
        try:
            raw = _read(resolved, relative, "file")
        except _Refused as exc:
            raise InputError([Problem(None, "", str(exc))]) from None
        loaded = self._parse(relative, raw, None, root=True)
        if loaded is None:
            raise InputError(self.problems)
        self.included_at[resolved] = None
        self._merge(loaded, with_root=True)
        self._follow(loaded, [(resolved, relative)])

    def _parse(self, relative: str, raw: bytes, where: Location | None, *, root: bool = False) -> _Loaded | None:
        display = display_name(self.display_root, relative)
        if len(self.sources) >= MAX_FILES:
            self._stop(where, f"too many files (limit {MAX_FILES})")
            return None
        self.total_bytes += len(raw)
        if self.total_bytes > MAX_TOTAL_BYTES:
            self._stop(where, f"the project's files together exceed the limit of {describe_size(MAX_TOTAL_BYTES)}")
            return None
        self.sources.append(SourceFile(relative, hashlib.sha256(raw).hexdigest()))
        try:
            data, positions = parse_yaml(raw, display)
        except InputError as exc:
            self.problems.extend(exc.problems)
            return None
        if isinstance(data, dict):
            sections = tuple(str(key) for key in data if key != INCLUDE)
            self.sources[-1] = replace(self.sources[-1], sections=sections)
        if not isinstance(data, dict):
            what = "a project file" if root else "an included file"
            self._problem(
                positions.value(()), "", f"{what} must be a mapping of top-level sections, found {_kind(data)}"
            )
            return None
        log.debug("loaded %s", display)
        return _Loaded(relative, data, positions)

    def _stop(self, where: Location | None, message: str) -> None:
        if not self.stopped:
            self._problem(where, "", message)
        self.stopped = True

    def _merge(self, loaded: _Loaded, *, with_root: bool = False) -> None:
        taken: list[str] = []
        for key, value in loaded.data.items():
            if key == INCLUDE:
                continue
            where = loaded.positions.key((key,))
            if key in self.owners:
                first = self.owners[key]
                self._problem(where, key, f"'{key}' is already defined in {first}")
                continue
            self.owners[key] = where
            self.data[key] = value
            taken.append(key)
        self.positions._absorb(loaded.positions, taken, with_root=with_root)

    def _follow(self, loaded: _Loaded, chain: list[tuple[Path, str]]) -> None:
        entries = loaded.data.get(INCLUDE)
        if entries is None:
            return
        if not isinstance(entries, list):
            self._problem(
                loaded.positions.value((INCLUDE,)), INCLUDE, f"expected a list of file paths, found {_kind(entries)}"
            )
            return
        for i, entry in enumerate(entries):
            at = (INCLUDE, i)
            where = loaded.positions.value(at)
            if not isinstance(entry, str) or not entry.strip():
                found = "an empty string" if isinstance(entry, str) else _kind(entry)
                self._problem(where, format_path(at), f"expected a file path, found {found}")
                continue
            self._include(entry, where, format_path(at), chain)
            if self.stopped:
                return

    def _include(self, entry: str, where: Location | None, path: str, chain: list[tuple[Path, str]]) -> None:
        try:
            relative, resolved = _contained(self.root, entry, "include")
            open_files = [resolved_path for resolved_path, _ in chain]
            if resolved in open_files:
                cycle = [name for _, name in chain[open_files.index(resolved) :]]
                raise _Refused("include cycle: " + " -> ".join(cycle + cycle[:1]))
            if resolved in self.included_at:
                first = self.included_at[resolved]
                raise _Refused(f"'{entry}' is included twice (first at {first})")
            raw = _read(resolved, entry, _file_noun("include"))
        except _Refused as exc:
            self._problem(where, path, str(exc))
            return
        self.included_at[resolved] = where
        loaded = self._parse(relative, raw, where)
        if loaded is None:
            return
        self._merge(loaded)
        self._follow(loaded, chain + [(resolved, relative)])


def _root_file(project: Path) -> tuple[Path, str]:
    """The project's root file and the project directory as the user wrote it."""
    try:
        if project.is_dir():
            root_file = project / ROOT_FILE
            if not root_file.is_file():
                raise InputError([Problem(None, "", f"no {ROOT_FILE} in {project.as_posix()}")])
            return root_file, project.as_posix()
        if project.is_file():
            if project.suffix.lower() not in (".yaml", ".yml"):
                raise InputError([Problem(None, "", f"{project.as_posix()} is not a .yaml or .yml file")])
            return project, project.parent.as_posix()
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise InputError([Problem(None, "", f"cannot read {project.as_posix()}: {reason}")]) from None
    if project.exists():  # a device, a named pipe, a socket
        raise InputError([Problem(None, "", f"{project.as_posix()} is not a directory or a regular file")])
    raise InputError([Problem(None, "", f"no such file or directory: {project.as_posix()}")])


def load_source_tree(project: Path) -> SourceTree:
    """Load a project (a directory with trustdocs.yaml, or one .yaml file) and every file it includes.

    Raises InputError with every problem found across all the files.
    """
    project = Path(project)
    root_file, display_root = _root_file(project)
    loader = _ProjectLoader(root_file.parent.resolve(), display_root)
    loader.load_root(root_file.name)
    if loader.problems:
        raise InputError(loader.problems)
    return SourceTree(loader.root, loader.data, loader.positions, tuple(loader.sources), display_root)
