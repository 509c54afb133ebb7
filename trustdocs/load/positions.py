"""Where each value and key of a loaded YAML tree was written, looked up by its path."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from trustdocs.model.base import Location

DataPath = tuple[str | int, ...]
"""A path into the loaded data: mapping keys and list indexes, e.g. ("architecture", "data_flows", 3)."""


def format_path(path: Iterable[str | int]) -> str:
    """Render a path the way messages print it: ("a", "b", 3, "c") -> "a.b[3].c"; () -> ""."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out.append(f"[{part}]")
        else:
            out.append(f".{part}" if out else str(part))
    return "".join(out)


class Positions:
    """Maps paths to the Location of the value node and, for mapping entries, of the key node.

    Lookups never raise: a path without a recorded position falls back to its nearest ancestor that has
    one, so a message about a missing or synthesised value still points somewhere useful. Two flat dicts
    keyed by path tuples keep a lookup O(depth) and the whole map cheap for 100k nodes.
    """

    __slots__ = ("_values", "_keys")

    def __init__(
        self, values: Mapping[DataPath, Location] | None = None, keys: Mapping[DataPath, Location] | None = None
    ):
        self._values: dict[DataPath, Location] = dict(values or {})
        self._keys: dict[DataPath, Location] = dict(keys or {})

    @classmethod
    def adopt(cls, values: dict[DataPath, Location], keys: dict[DataPath, Location]) -> Positions:
        """Positions over these dicts without copying them; the caller must not change them afterwards."""
        positions = cls()
        positions._values, positions._keys = values, keys
        return positions

    def value(self, path: Iterable[str | int]) -> Location | None:
        """The location of the value at `path`, or of its nearest positioned ancestor."""
        p = tuple(path)
        while True:
            loc = self._values.get(p)
            if loc is not None or not p:
                return loc
            p = p[:-1]

    def key(self, path: Iterable[str | int]) -> Location | None:
        """The location of the key naming the entry at `path`; for a list item or the root, its value."""
        p = tuple(path)
        loc = self._keys.get(p)
        return loc if loc is not None else self.value(p)

    def has_value(self, path: Iterable[str | int]) -> bool:
        """Whether `path` itself (not an ancestor) has a recorded position."""
        return tuple(path) in self._values

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Positions({len(self._values)} values, {len(self._keys)} keys)"

    def _absorb(self, other: Positions, top_keys: Iterable[str], *, with_root: bool = False) -> None:
        """Copy `other`'s positions under the given top-level keys into these (used while loading only).

        Combining included files relies on each top-level key coming from exactly one file.
        """
        wanted = set(top_keys)
        self._values.update((p, loc) for p, loc in other._values.items() if p and p[0] in wanted)
        self._keys.update((p, loc) for p, loc in other._keys.items() if p and p[0] in wanted)
        if with_root and () in other._values:
            self._values[()] = other._values[()]
