"""Builds plain Python data from composed YAML nodes, recording the position of every value and key.

Only strings, numbers, true/false, null, lists and mappings with string keys come out. Aliases are
expanded, but every constructed value is counted so that an alias bomb stops at a fixed limit long
before it costs noticeable time or memory. Merge keys (`<<: *defaults`) are supported with the usual
YAML 1.1 meaning: keys written in the mapping win over merged ones, earlier merge sources over later ones.
"""
from __future__ import annotations

import re
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from trustdocs.errors import Problem
from trustdocs.load.limits import MAX_DEPTH, MAX_NODES
from trustdocs.load.positions import DataPath, Positions, format_path
from trustdocs.model.base import Location

TAG = "tag:yaml.org,2002:"
STR, NULL, BOOL, INT, FLOAT = TAG + "str", TAG + "null", TAG + "bool", TAG + "int", TAG + "float"
SEQ, MAP, MERGE = TAG + "seq", TAG + "map", TAG + "merge"

_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = re.compile(r"(?i:true|false)")


class Fatal(Exception):
    """Stops building a file: continuing could not produce anything useful (a limit, a recursive alias)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


_KINDS = {NULL: "null", BOOL: "a boolean (true or false)", INT: "an integer", FLOAT: "a number"}


def _unsupported(tag: str) -> str:
    shown = "!!" + tag.removeprefix(TAG) if tag.startswith(TAG) else tag
    return f"unsupported tag '{shown}'; only text, numbers, true/false, null, lists and mappings are allowed"


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class TreeBuilder:
    """Turns one file's root node into data; problems accumulate in `problems`, positions in `positions`."""

    def __init__(self, display: str):
        self.display = display
        self.problems: list[Problem] = []
        self._values: dict[DataPath, Location] = {}
        self._keys: dict[DataPath, Location] = {}
        self._count = 0
        self._seen: set[int] = set()
        self._active: set[int] = set()
        self._expanded = False
        self._locs: dict[int, Location] = {}

    @property
    def positions(self) -> Positions:
        return Positions(self._values, self._keys)

    def build(self, root: Node) -> Any:
        try:
            return self._value(root, (), 0)
        except Fatal as exc:
            self.problems.append(exc.problem)
        except RecursionError:
            self.problems.append(Problem(self._loc(root), "", f"nesting is deeper than {MAX_DEPTH} levels"))
        return None

    def _loc(self, node: Node) -> Location:
        # Cached per node: an anchored node expanded by many aliases shares one Location.
        loc = self._locs.get(id(node))
        if loc is None:
            mark = node.start_mark
            loc = self._locs[id(node)] = Location(self.display, mark.line + 1, mark.column + 1)
        return loc

    def _report(self, node: Node, path: DataPath, message: str) -> None:
        self.problems.append(Problem(self._loc(node), format_path(path), message))

    def _enter(self, node: Node, path: DataPath, depth: int) -> None:
        """Count one constructed node and check the limits before building it."""
        self._count += 1
        if id(node) in self._seen:
            self._expanded = True
        else:
            self._seen.add(id(node))
        if self._count > MAX_NODES:
            after = " after alias expansion" if self._expanded else ""
            raise Fatal(Problem(self._loc(node), format_path(path), f"too many nodes{after} (limit {MAX_NODES})"))
        if depth > MAX_DEPTH:
            raise Fatal(Problem(self._loc(node), format_path(path), f"nesting is deeper than {MAX_DEPTH} levels"))

    def _value(self, node: Node, path: DataPath, depth: int) -> Any:
        self._enter(node, path, depth)
        self._values[path] = self._loc(node)
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if id(node) in self._active:
            raise Fatal(Problem(self._loc(node), format_path(path),
                                "recursive alias: this value contains itself"))
        self._active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                if node.tag != SEQ:
                    self._report(node, path, _unsupported(node.tag))
                    return None
                return [self._value(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
            if node.tag != MAP:
                self._report(node, path, _unsupported(node.tag))
                return None
            return self._mapping(node, path, depth)
        finally:
            self._active.discard(id(node))

    def _scalar(self, node: ScalarNode, path: DataPath) -> Any:
        text: str = node.value
        tag = node.tag
        if tag == STR:
            return text
        if tag == NULL and _NULL.fullmatch(text):
            return None
        if tag == BOOL and _BOOL.fullmatch(text):
            return text.lower() == "true"
        try:
            if tag == INT:
                if _INT.fullmatch(text):
                    return int(text)
                if re.fullmatch(r"0o[0-7]+", text):
                    return int(text[2:], 8)
                if re.fullmatch(r"0x[0-9a-fA-F]+", text):
                    return int(text[2:], 16)
            if tag == FLOAT and _FLOAT.fullmatch(text):
                return float(text)
        except ValueError:  # e.g. more digits than Python converts
            self._report(node, path, f"number '{_short(text)}' is too long")
            return None
        if tag in _KINDS:
            self._report(node, path, f"'{_short(text)}' is not {_KINDS[tag]}")
        else:
            self._report(node, path, _unsupported(tag))
        return None

    def _key(self, node: Node, path: DataPath) -> str | None:
        """The text of a mapping key, or None (with a problem reported) when it is not a string."""
        if isinstance(node, ScalarNode) and node.tag == STR:
            return node.value
        if isinstance(node, ScalarNode):
            shown = "an empty key" if node.value == "" else f"{_short(node.value)}"
            hint = "" if node.value == "" else f"; write it in quotes: '{_short(node.value)}'"
            self._report(node, path, f"mapping keys must be strings, found {shown}{hint}")
        else:
            kind = "a list" if isinstance(node, SequenceNode) else "a mapping"
            self._report(node, path, f"mapping keys must be strings, found {kind}")
        return None

    def _mapping(self, node: MappingNode, path: DataPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == MERGE:
                merges.append(value_node)
                continue
            key = self._key(key_node, path)
            if key is None:
                continue
            if key in first_line:
                self._report(key_node, path + (key,),
                             f"duplicate key '{_short(key)}' (first defined at line {first_line[key]})")
                continue
            first_line[key] = key_node.start_mark.line + 1
            self._keys[path + (key,)] = self._loc(key_node)
            result[key] = self._value(value_node, path + (key,), depth + 1)
        for source in merges:
            self._merge(source, result, path, depth)
        return result

    def _merge(self, source: Node, result: dict[str, Any], path: DataPath, depth: int) -> None:
        """Add the entries of a `<<` source (a mapping or a list of mappings) not already in `result`."""
        sources = source.value if isinstance(source, SequenceNode) else [source]
        if isinstance(source, SequenceNode):
            self._enter(source, path, depth + 1)
        for item in sources:
            if not isinstance(item, MappingNode) or item.tag != MAP:
                self._report(item, path, "a merge key '<<' takes a mapping or a list of mappings")
                continue
            if id(item) in self._active:
                raise Fatal(Problem(self._loc(item), format_path(path),
                                    "recursive alias: this value contains itself"))
            self._enter(item, path, depth + 1)
            self._active.add(id(item))
            try:
                nested: list[Node] = []
                for key_node, value_node in item.value:
                    if isinstance(key_node, ScalarNode) and key_node.tag == MERGE:
                        nested.append(value_node)
                        continue
                    key = self._key(key_node, path)
                    if key is None or key in result:
                        continue
                    self._keys[path + (key,)] = self._loc(key_node)
                    result[key] = self._value(value_node, path + (key,), depth + 1)
                for inner in nested:  # a source's own keys win over what it merges in turn
                    self._merge(inner, result, path, depth)
            finally:
                self._active.discard(id(item))
