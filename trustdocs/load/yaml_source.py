"""Reads one YAML file safely: size and encoding checks, YAML 1.2-like scalars, bounded construction.

PyYAML only parses (into events, which carry line and column); the Python data is built by
`trustdocs.load.construct`, never by a PyYAML constructor, so no tag can create an object and every key
and value keeps its position.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from trustdocs.errors import InputError, Problem
from trustdocs.interpreter import collector_paused
from trustdocs.load.construct import Fatal, TreeBuilder
from trustdocs.load.limits import MAX_DEPTH, MAX_FILE_BYTES, describe_size
from trustdocs.load.positions import Positions
from trustdocs.model.base import Location

log = logging.getLogger(__name__)

BOM = b"\xef\xbb\xbf"


# libyaml's parser (when PyYAML was built with it) is several times faster than the pure-Python one.
_BASE: type = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


class TrustdocsYamlLoader(_BASE):  # type: ignore[misc]
    """A SafeLoader used only for its parser's events; it never constructs anything.

    Scalars are resolved by `construct.resolve_plain` (YAML 1.2 core schema: no timestamps, only
    true/false as booleans), so none of PyYAML's YAML 1.1 implicit resolvers apply.
    """

    yaml_implicit_resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}


_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _refuse_special(mode: int, path: Path) -> None:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _SPECIAL_FILES if test(mode)), "a special file")
        raise OSError(errno.EINVAL, f"not a regular file ({kind})", str(path))


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of `path`, reading at most `limit` + 1 so that a huge file is never loaded whole.

    Only a regular file is read: a named pipe or a device would block or never end. It is checked before
    opening, and again on what was opened (without waiting for a writer), in case the path changed between.
    """
    _refuse_special(os.stat(path).st_mode, path)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as f:
        _refuse_special(os.fstat(fd).st_mode, path)
        return f.read(limit + 1)


def too_large(display: str, size: int, limit: int = MAX_FILE_BYTES) -> Problem:
    if size == limit + 1:  # read_limited stopped there: the file may be far larger ("5.0 MiB" would mislead)
        return Problem(Location(display, 1, 1), "", f"file is larger than the limit of {describe_size(limit)}")
    return Problem(
        Location(display, 1, 1), "", f"file is {describe_size(size)}, larger than the limit of {describe_size(limit)}"
    )


def decode_text(raw: bytes, display: str) -> str:
    """Decode UTF-8 (an optional BOM is dropped); raise InputError naming where the bad byte is."""
    body = raw[len(BOM) :] if raw.startswith(BOM) else raw
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(raw) - len(body))
        before = body[: exc.start].decode("utf-8")
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        byte = raw[offset]
        raise InputError(
            [
                Problem(
                    Location(display, line, col),
                    "",
                    f"file is not valid UTF-8: byte 0x{byte:02x} at offset {offset} "
                    "cannot be decoded; save the file as UTF-8",
                )
            ]
        ) from None


def _text_location(text: str, index: int, display: str) -> Location:
    before = text[:index]
    return Location(display, before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1)


def _check_printable(text: str, display: str) -> None:
    # YAML forbids most control characters; checked here so both parsers report them the same way.
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad:
        loc = _text_location(text, bad.start(), display)
        raise InputError([Problem(loc, "", f"control character U+{ord(bad.group()):04X} is not allowed in YAML text")])


def _yaml_error_problem(exc: yaml.YAMLError, display: str) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        loc = Location(display, mark.line + 1, mark.column + 1)
        message = exc.problem or "invalid YAML"
        if "maximum nesting depth" in message:  # libyaml's own limit (1000), met before ours in flow style
            return Problem(loc, "", f"nesting is deeper than {MAX_DEPTH} levels")
        if exc.context:
            where = f" at line {exc.context_mark.line + 1}" if exc.context_mark is not None else ""
            message = f"{message} ({exc.context}{where})"
        return Problem(loc, "", f"YAML syntax error: {message}")
    return Problem(Location(display, 1, 1), "", f"YAML syntax error: {exc}")


def parse_yaml(raw: bytes, display: str) -> tuple[Any, Positions]:
    """Parse the bytes of one YAML file into plain data and positions; raise InputError on any problem."""
    if len(raw) > MAX_FILE_BYTES:
        raise InputError([too_large(display, len(raw))])
    text = decode_text(raw, display)
    _check_printable(text, display)
    loader = TrustdocsYamlLoader(text)
    builder = TreeBuilder(loader, display)
    found, data = False, None
    try:
        with collector_paused():  # the builder only allocates, and keeps, what it allocates
            found, data = builder.build()
    except Fatal as exc:
        builder.problems.append(exc.problem)
    except yaml.YAMLError as exc:
        builder.problems.append(_yaml_error_problem(exc, display))
    except RecursionError:  # depth is bounded well below the interpreter's limit: a last line of defence
        builder.problems.append(Problem(Location(display, 1, 1), "", f"nesting is deeper than {MAX_DEPTH} levels"))
    finally:
        loader.dispose()
    if builder.problems:
        raise InputError(builder.problems)
    if not found or data is None:
        raise InputError([Problem(Location(display, 1, 1), "", "file is empty")])
    return data, builder.positions


def load_yaml(path: Path, display: str) -> tuple[Any, Positions]:
    """Load one YAML file, naming it `display` in messages; raise InputError listing its problems."""
    try:
        raw = read_limited(path)
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise InputError([Problem(None, "", f"cannot read {display}: {reason}")]) from None
    log.debug("loading %s (%d bytes)", display, len(raw))
    return parse_yaml(raw, display)
