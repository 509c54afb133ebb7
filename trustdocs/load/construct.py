"""Builds plain Python data straight from YAML parser events, recording the position of every value and key.

Only strings, numbers, true/false, null, lists and mappings with string keys come out; no tag can create
an object. Building from events, rather than composing PyYAML nodes first, loads a large project about
three times faster.

Aliases are expanded by copying what their anchor produced, and every produced value is counted, so an
alias bomb stops at a fixed limit long before it costs noticeable time or memory. Merge keys
(`<<: *defaults`) are supported with their usual meaning: keys written in the mapping win over merged
ones, earlier merge sources over later ones.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from trustdocs.errors import Problem
from trustdocs.load.limits import MAX_DEPTH, MAX_NODES
from trustdocs.load.positions import DataPath, Positions, format_path
from trustdocs.model.base import Location

TAG = "tag:yaml.org,2002:"
STR, NULL, BOOL, INT, FLOAT = TAG + "str", TAG + "null", TAG + "bool", TAG + "int", TAG + "float"
SEQ, MAP, MERGE = TAG + "seq", TAG + "map", TAG + "merge"

_NUMBERS: tuple[tuple[re.Pattern[str], Callable[[str], int]], ...] = (
    (re.compile(r"[-+]?[0-9]+"), lambda text: int(text)),
    (re.compile(r"0o[0-7]+"), lambda text: int(text[2:], 8)),
    (re.compile(r"0x[0-9a-fA-F]+"), lambda text: int(text[2:], 16)),
)
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = re.compile(r"(?i:true|false)")
_KINDS = {NULL: "null", BOOL: "a boolean (true or false)", INT: "an integer", FLOAT: "a number"}
_SCRATCH: Any = object()
"""A path element no YAML key can equal, under which an inline merge source is built before merging."""


class Fatal(Exception):
    """Stops building a file: continuing could not produce anything useful (a limit, a recursive alias)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class _Anchor:
    """What an anchored value produced, so that each alias can copy it.

    Its positions are the entries `start` to `end` of the builder's recording, with paths starting with
    the anchor's own path (`base` elements long); anchors share that one recording rather than each
    holding a copy, so nested anchors cost no more memory than one.
    """

    line: int
    start: int
    base: int
    level: int
    """The depth of the anchored value itself."""
    outer_deepest: int
    """The deepest depth reached before the anchor opened; restored when it closes."""
    value: Any = None
    end: int = 0
    depth: int = 0
    """How many levels the value reaches below the anchor itself."""
    open: bool = True


def resolve_plain(text: str) -> str:
    """The tag of a plain (unquoted) scalar under the YAML 1.2 core schema, plus the `<<` merge key.

    Only `true`/`false` (any case) are booleans, so yes/no/on/off stay text; there are no timestamps, so
    dates stay strings for the schema to check; no sexagesimal, `0b` or `1_000` numbers; no `.inf`/`.nan`.
    """
    if text in _NULLS:
        return NULL
    first = text[0]
    if first in "tTfF":
        return BOOL if _BOOL.fullmatch(text) else STR
    if first in "-+.0123456789":
        if _INT.fullmatch(text):
            return INT
        return FLOAT if _FLOAT.fullmatch(text) else STR
    return MERGE if text == "<<" else STR


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _unsupported(tag: str) -> str:
    shown = "!!" + tag.removeprefix(TAG) if tag.startswith(TAG) else tag
    return f"unsupported tag '{shown}'; only text, numbers, true/false, null, lists and mappings are allowed"


class TreeBuilder:
    """Consumes the events of one YAML stream from `source` (a PyYAML loader) and builds its data.

    Problems that still let the rest of the file be read accumulate in `problems`; `build` raises
    `Fatal` for those that do not, and lets `yaml.YAMLError` from the parser through.
    """

    def __init__(self, source: Any, display: str):
        self._source = source
        self.display = display
        self.problems: list[Problem] = []
        self._values: dict[DataPath, Location] = {}
        self._keys: dict[DataPath, Location] = {}
        self._anchors: dict[str, _Anchor] = {}
        self._count = 0
        self._expanded = False
        self._recording = 0
        self._order: list[tuple[DataPath, Location, bool]] = []
        self._deepest = 0

    @property
    def positions(self) -> Positions:
        return Positions.adopt(self._values, self._keys)

    # --- the stream ---------------------------------------------------------------------------------

    def build(self) -> tuple[bool, Any]:
        """Read the single document of the stream: (False, None) for an empty stream, else (True, data)."""
        self._expect(StreamStartEvent)
        if isinstance(self._source.peek_event(), StreamEndEvent):
            return False, None
        self._expect(DocumentStartEvent)
        data = self._node((), 0)
        self._expect(DocumentEndEvent)
        extra = self._source.get_event()
        if not isinstance(extra, StreamEndEvent):
            raise Fatal(
                Problem(
                    self._loc(extra), "", "expected a single YAML document but found another one (a line with '---')"
                )
            )
        return True, data

    def _expect(self, kind: type[Event]) -> Event:
        event = self._source.get_event()
        assert isinstance(event, kind), event  # the parser guarantees the order of stream events
        return event

    def _loc(self, event: Event) -> Location:
        mark = event.start_mark
        assert mark is not None  # the parser marks every event it emits
        return Location(self.display, mark.line + 1, mark.column + 1)

    def _report(self, where: Location, path: DataPath, message: str) -> None:
        self.problems.append(Problem(where, format_path(path), message))

    def _set_value(self, path: DataPath, loc: Location) -> None:
        self._values[path] = loc
        if self._recording:
            self._order.append((path, loc, False))

    def _set_key(self, path: DataPath, loc: Location) -> None:
        self._keys[path] = loc
        if self._recording:
            self._order.append((path, loc, True))

    def _counted(self, where: Location, path: DataPath, n: int = 1) -> None:
        self._count += n
        if self._count > MAX_NODES:
            after = " after alias expansion" if self._expanded else ""
            raise Fatal(Problem(where, format_path(path), f"too many nodes{after} (limit {MAX_NODES})"))

    # --- nodes --------------------------------------------------------------------------------------

    def _node(self, path: DataPath, depth: int) -> Any:
        event = self._source.get_event()
        loc = self._loc(event)
        if isinstance(event, AliasEvent):
            return self._alias(event, loc, path, depth)
        self._counted(loc, path)
        self._reach(depth, loc)
        anchor = self._open_anchor(event, loc, path, depth)
        self._set_value(path, loc)
        if isinstance(event, ScalarEvent):
            value = self._scalar(event, loc, path)
        elif isinstance(event, SequenceStartEvent):
            value = self._sequence(event, loc, path, depth)
        else:
            value = self._mapping(event, loc, path, depth)
        if anchor is not None:
            self._close_anchor(anchor, value)
        return value

    def _reach(self, depth: int, where: Location) -> None:
        """Note that a value at `depth` was produced, refusing it beyond the nesting limit."""
        if depth >= MAX_DEPTH:  # the root is level 1; the path would be as long as the nesting, so none
            raise Fatal(Problem(where, "", f"nesting is deeper than {MAX_DEPTH} levels"))
        if depth > self._deepest:
            self._deepest = depth

    def _open_anchor(self, event: Event, loc: Location, path: DataPath, depth: int) -> _Anchor | None:
        name = getattr(event, "anchor", None)
        if name is None:
            return None
        earlier = self._anchors.get(name)
        if earlier is not None:
            self._report(loc, path, f"duplicate anchor '{_short(name)}' (first defined at line {earlier.line})")
        anchor = self._anchors[name] = self._start_recording(loc, path, depth)
        return anchor

    def _start_recording(self, loc: Location, path: DataPath, depth: int) -> _Anchor:
        anchor = _Anchor(loc.line, len(self._order), len(path), depth, self._deepest)
        self._deepest = depth
        self._recording += 1
        return anchor

    def _close_anchor(self, anchor: _Anchor, value: Any) -> None:
        anchor.end = len(self._order)
        anchor.depth = self._deepest - anchor.level
        self._deepest = max(self._deepest, anchor.outer_deepest)
        anchor.value = value
        anchor.open = False
        self._recording -= 1

    def _entries(self, anchor: _Anchor) -> Iterator[tuple[DataPath, Location, bool]]:
        """The anchor's positions, with paths relative to the anchor itself."""
        n = anchor.base
        for p, loc, is_key in itertools.islice(self._order, anchor.start, anchor.end):
            rel = p[n:]
            if _SCRATCH not in rel:  # left by an inline merge source built inside the anchor
                yield rel, loc, is_key

    def _alias(self, event: AliasEvent, loc: Location, path: DataPath, depth: int) -> Any:
        assert event.anchor is not None  # the parser names every alias
        anchor = self._anchors.get(event.anchor)
        if anchor is None:
            self._set_value(path, loc)
            self._report(loc, path, f"undefined alias '{_short(event.anchor)}'")
            return None
        if anchor.open:
            raise Fatal(Problem(loc, format_path(path), "recursive alias: this value contains itself"))
        self._reach(depth + anchor.depth, loc)
        self._expanded = True
        for rel, where, is_key in self._entries(anchor):
            (self._set_key if is_key else self._set_value)(path + rel, where)
        return self._copy(anchor.value, loc, path)

    def _copy(self, value: Any, where: Location, path: DataPath) -> Any:
        """A fresh copy of an anchor's value, counting every value it holds against the limit."""
        self._counted(where, path)
        if isinstance(value, list):
            return [self._copy(item, where, path) for item in value]
        if isinstance(value, dict):
            return {k: self._copy(v, where, path) for k, v in value.items()}
        return value

    def _skip(self) -> None:
        """Consume one whole node (its events) without building it."""
        if isinstance(self._source.get_event(), CollectionStartEvent):
            self._skip_contents()

    def _skip_contents(self) -> None:
        """Consume the rest of a collection whose start event was just read."""
        level = 1
        while level:
            event = self._source.get_event()
            if isinstance(event, CollectionStartEvent):
                level += 1
            elif isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                level -= 1

    def _tag(self, event: ScalarEvent) -> str:
        if event.tag is None or event.tag == "!":
            return resolve_plain(event.value) if event.implicit[0] else STR
        return str(event.tag)

    def _scalar(self, event: ScalarEvent, loc: Location, path: DataPath) -> Any:
        text: str = event.value
        tag = self._tag(event)
        if tag == STR:
            return text
        if tag == NULL and text in _NULLS:
            return None
        if tag == BOOL and _BOOL.fullmatch(text):
            return text.lower() == "true"
        try:
            if tag == INT:
                for pattern, convert in _NUMBERS:
                    if pattern.fullmatch(text):
                        return convert(text)
            if tag == FLOAT and _FLOAT.fullmatch(text):
                return float(text)
        except ValueError:  # more digits than Python converts
            self._report(loc, path, f"number '{_short(text)}' is too long")
            return None
        if tag in _KINDS:
            self._report(loc, path, f"'{_short(text)}' is not {_KINDS[tag]}")
        else:
            self._report(loc, path, _unsupported(tag))
        return None

    def _collection_tag_ok(self, event: CollectionStartEvent, loc: Location, path: DataPath, tag: str) -> bool:
        if event.tag in (None, "!", tag):
            return True
        self._report(loc, path, _unsupported(str(event.tag)))
        self._skip_contents()
        return False

    def _sequence(self, event: SequenceStartEvent, loc: Location, path: DataPath, depth: int) -> list[Any] | None:
        if not self._collection_tag_ok(event, loc, path, SEQ):
            return None
        items: list[Any] = []
        while not isinstance(self._source.peek_event(), SequenceEndEvent):
            items.append(self._node(path + (len(items),), depth + 1))
        self._source.get_event()
        return items

    # --- mappings -----------------------------------------------------------------------------------

    def _mapping(self, event: MappingStartEvent, loc: Location, path: DataPath, depth: int) -> dict[str, Any] | None:
        if not self._collection_tag_ok(event, loc, path, MAP):
            return None
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        merges: list[tuple[_Anchor, Location]] = []
        while not isinstance(self._source.peek_event(), MappingEndEvent):
            key_event = self._source.get_event()
            key_loc = self._loc(key_event)
            key_tag = self._tag(key_event) if isinstance(key_event, ScalarEvent) else None
            if key_tag == MERGE:
                merges += [(source, key_loc) for source in self._merge_sources(key_loc, path, depth)]
                continue
            key = self._key(key_event, key_tag, key_loc, path)
            if key is None:
                self._skip()
                continue
            if key in first_line:
                self._report(
                    key_loc, path + (key,), f"duplicate key '{_short(key)}' (first defined at line {first_line[key]})"
                )
                self._skip()
                continue
            first_line[key] = key_loc.line
            self._set_key(path + (key,), key_loc)
            result[key] = self._node(path + (key,), depth + 1)
        self._source.get_event()
        for source, key_loc in merges:
            self._merge(source, key_loc, result, path, depth)
        return result

    def _key(self, event: Event, tag: str | None, loc: Location, path: DataPath) -> str | None:
        """The text of a mapping key, or None (with a problem reported) when it is not a string."""
        if isinstance(event, AliasEvent):
            assert event.anchor is not None  # the parser names every alias
            anchor = self._anchors.get(event.anchor)
            if anchor is not None and not anchor.open and isinstance(anchor.value, str):
                return anchor.value
            self._report(loc, path, "mapping keys must be strings; an alias used as a key must name a string")
            return None
        if isinstance(event, ScalarEvent):
            if tag == STR:
                return str(event.value)
            text = event.value
            found = "an empty key" if text == "" else _short(text)
            hint = "" if text == "" else f"; write it in quotes: '{_short(text)}'"
            self._report(loc, path, f"mapping keys must be strings, found {found}{hint}")
            return None
        kind = "a list" if isinstance(event, SequenceStartEvent) else "a mapping"
        self._report(loc, path, f"mapping keys must be strings, found {kind}")
        self._skip_contents()
        return None

    def _merge_sources(self, key_loc: Location, path: DataPath, depth: int) -> list[_Anchor]:
        """Read the value of a `<<` key: an alias, an inline mapping, or a list of those."""
        event = self._source.peek_event()
        if isinstance(event, SequenceStartEvent) and event.tag in (None, "!", SEQ):
            self._source.get_event()
            sources: list[_Anchor] = []
            while not isinstance(self._source.peek_event(), SequenceEndEvent):
                sources += self._merge_source(key_loc, path, depth)
            self._source.get_event()
            return sources
        return self._merge_source(key_loc, path, depth)

    def _merge_source(self, key_loc: Location, path: DataPath, depth: int) -> list[_Anchor]:
        event = self._source.peek_event()
        if isinstance(event, AliasEvent):
            self._source.get_event()
            assert event.anchor is not None  # the parser names every alias
            anchor = self._anchors.get(event.anchor)
            if anchor is None:
                self._report(self._loc(event), path, f"undefined alias '{_short(event.anchor)}'")
                return []
            if anchor.open:
                raise Fatal(Problem(self._loc(event), format_path(path), "recursive alias: this value contains itself"))
            self._expanded = True
            return [anchor]
        if isinstance(event, MappingStartEvent):
            # Built under a scratch path like an anchor, so that its keys can be merged like an alias's.
            scratch = path + (_SCRATCH,)
            inline = self._start_recording(key_loc, scratch, depth)
            self._close_anchor(inline, self._node(scratch, depth))
            for rel, _, is_key in self._entries(inline):
                (self._keys if is_key else self._values).pop(scratch + rel, None)
            return [inline]
        self._report(self._loc(event), path, "a merge key '<<' takes a mapping or a list of mappings")
        self._skip()
        return []

    def _merge(self, source: _Anchor, key_loc: Location, result: dict[str, Any], path: DataPath, depth: int) -> None:
        if not isinstance(source.value, dict):
            self._report(key_loc, path, "a merge key '<<' takes a mapping or a list of mappings")
            return
        self._reach(depth + source.depth, key_loc)
        taken = [key for key in source.value if key not in result]
        # Finding the positions of the taken keys means reading all of the source's: charge for that, so
        # that merging a large anchor many times is bounded like expanding it.
        self._counted(key_loc, path, source.end - source.start)
        wanted = set(taken)
        for rel, where, is_key in self._entries(source):
            if rel and rel[0] in wanted:
                (self._set_key if is_key else self._set_value)(path + rel, where)
        for key in taken:
            result[key] = self._copy(source.value[key], key_loc, path + (key,))
