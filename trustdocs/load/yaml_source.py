"""Reads one YAML file safely: size and encoding checks, YAML 1.2-like scalars, bounded composition.

The file is only *composed* by PyYAML (into nodes, which keep their line and column); the Python data is
built by `trustdocs.load.construct`, never by a PyYAML constructor, so no tag can create an object and
every key and value keeps its position.
"""
from __future__ import annotations

import gc
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import Node

from trustdocs.errors import InputError, Problem
from trustdocs.load.construct import TreeBuilder
from trustdocs.load.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, describe_size
from trustdocs.load.positions import Positions
from trustdocs.model.base import Location

log = logging.getLogger(__name__)

BOM = b"\xef\xbb\xbf"


class LimitExceeded(yaml.MarkedYAMLError):
    """The document nests too deeply or has too many nodes; raised while composing, before any expansion."""


# libyaml's parser (when PyYAML was built with it) is about four times faster; either way the events are
# composed by PyYAML's Python Composer below, so the limits and the resolver are the same.
_BASES: tuple[type, ...] = (Composer, yaml.CSafeLoader) if yaml.__with_libyaml__ else (yaml.SafeLoader,)


class TrustdocsYamlLoader(*_BASES):  # type: ignore[misc]
    """A SafeLoader used only to compose nodes, with YAML 1.2 core scalars and composition limits.

    Only `true`/`false` (any case) are booleans, so `yes`, `no`, `on` and `off` stay text; there is no
    timestamp resolver, so dates stay strings for the schema to check; no sexagesimal or `0b` integers.
    """

    yaml_implicit_resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}

    def __init__(self, stream: str):
        _BASES[-1].__init__(self, stream)
        self.anchors: dict[str, Node] = {}
        self._depth = 0
        self._composed = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        # Aliases return an already composed node: they add no depth and no new node here; the tree
        # builder bounds what their expansion produces.
        if self.check_event(AliasEvent):
            return super().compose_node(parent, index)
        mark = self.peek_event().start_mark
        self._composed += 1
        if self._composed > MAX_NODES:
            raise LimitExceeded(problem=f"too many nodes (limit {MAX_NODES})", problem_mark=mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise LimitExceeded(problem=f"nesting is deeper than {MAX_DEPTH} levels", problem_mark=mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


TrustdocsYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
TrustdocsYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?i:true|false)$"), list("tTfF"))
TrustdocsYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
TrustdocsYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"))
TrustdocsYamlLoader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^<<$"), ["<"])


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while creating many small objects that are all kept.

    Composing and building allocate a few objects per node and free none; the collector's repeated full
    passes over them cost about 40% of the load time of a large file and collect nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of `path`, reading at most `limit` + 1 so that a huge file is never loaded whole."""
    with path.open("rb") as f:
        return f.read(limit + 1)


def too_large(display: str, size: int, limit: int = MAX_FILE_BYTES) -> Problem:
    return Problem(Location(display, 1, 1), "",
                   f"file is {describe_size(size)}, larger than the limit of {describe_size(limit)}")


def decode_text(raw: bytes, display: str) -> str:
    """Decode UTF-8 (an optional BOM is dropped); raise InputError naming where the bad byte is."""
    body = raw[len(BOM):] if raw.startswith(BOM) else raw
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(raw) - len(body))
        before = body[:exc.start].decode("utf-8")
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        byte = raw[offset]
        raise InputError([Problem(Location(display, line, col), "",
                                  f"file is not valid UTF-8: byte 0x{byte:02x} at offset {offset} "
                                  "cannot be decoded; save the file as UTF-8")]) from None


def _text_location(text: str, index: int, display: str) -> Location:
    before = text[:index]
    return Location(display, before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1)


def _check_printable(text: str, display: str) -> None:
    # YAML forbids most control characters; checked here so both parsers report them the same way.
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad:
        loc = _text_location(text, bad.start(), display)
        raise InputError([Problem(loc, "", f"control character U+{ord(bad.group()):04X} is not allowed "
                                           "in YAML text")])


def _yaml_error_problem(exc: yaml.YAMLError, display: str) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        loc = Location(display, mark.line + 1, mark.column + 1)
        message = exc.problem or "invalid YAML"
        if isinstance(exc, LimitExceeded):
            return Problem(loc, "", message)
        if "maximum nesting depth" in message:  # libyaml's own limit, met before ours in flow collections
            return Problem(loc, "", f"nesting is deeper than {MAX_DEPTH} levels")
        if exc.problem == "second occurrence" and exc.context and exc.context_mark is not None:
            anchor = exc.context.removeprefix("found ").removesuffix("; first occurrence")
            return Problem(loc, "", f"{anchor} (first defined at line {exc.context_mark.line + 1})")
        if exc.context and message.startswith("but "):  # "expected a single document ... but found ..."
            message = f"{exc.context} {message}"
        elif exc.context:
            where = f" at line {exc.context_mark.line + 1}" if exc.context_mark is not None else ""
            message = f"{message} ({exc.context}{where})"
        return Problem(loc, "", f"YAML syntax error: {message}")
    return Problem(Location(display, 1, 1), "", f"YAML syntax error: {exc}")


def compose_text(text: str, display: str) -> Node | None:
    """Compose the single YAML document in `text` into nodes (None for an empty or comment-only file)."""
    _check_printable(text, display)
    try:
        loader = TrustdocsYamlLoader(text)
        try:
            with _no_cyclic_gc():
                return loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise InputError([_yaml_error_problem(exc, display)]) from None
    except RecursionError:
        # Composition depth is bounded well below the interpreter's limit; this is a last line of defence.
        raise InputError([Problem(Location(display, 1, 1), "",
                                  f"nesting is deeper than {MAX_DEPTH} levels")]) from None


def parse_yaml(raw: bytes, display: str) -> tuple[Any, Positions]:
    """Parse the bytes of one YAML file into plain data and positions; raise InputError on any problem."""
    if len(raw) > MAX_FILE_BYTES:
        raise InputError([too_large(display, len(raw))])
    text = decode_text(raw, display)
    node = compose_text(text, display)
    if node is None:
        raise InputError([Problem(Location(display, 1, 1), "", "file is empty")])
    builder = TreeBuilder(display)
    with _no_cyclic_gc():
        data = builder.build(node)
    if builder.problems:
        raise InputError(builder.problems)
    if data is None:
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
