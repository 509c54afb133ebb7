"""What an import produces: trustdocs sections ready to write, and the notes on what could not be mapped."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from trustdocs.errors import InputError, Problem
from trustdocs.interchange.source import located

ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
TO_COMPLETE = "TO COMPLETE"
"""The placeholder written where trustdocs needs a value the source model does not hold."""


SEVERITY_RATING: dict[str, tuple[str, str]] = {
    "low": ("unlikely", "minor"),
    "medium": ("possible", "moderate"),
    "high": ("likely", "major"),
    "critical": ("almost_certain", "severe"),
}
"""A source severity as likelihood and impact on the default 5 x 5 matrix, chosen so that the score falls in
the same band: 2 x 2 = 4 low, 3 x 3 = 9 medium, 4 x 4 = 16 high, 5 x 5 = 25 critical."""
UNRATED = SEVERITY_RATING["medium"]


@dataclass(frozen=True)
class Note:
    """Something in the source trustdocs could not map, or a value trustdocs needed and had to fill in."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer}: {self.message}"


@dataclass(frozen=True)
class Imported:
    """The `architecture` and `threat_model` sections as trustdocs input, the source's title and the notes."""

    title: str
    architecture: dict[str, Any]
    threat_model: dict[str, Any]
    notes: tuple[Note, ...]
    source_format: str
    security_controls: tuple[dict[str, Any], ...] = ()
    """Controls (security.controls) the mitigations refer to, when the source carries them."""


def sanitise_id(raw: str) -> str:
    """`raw` turned into a trustdocs id: other characters become '-', and an id not starting with a letter
    gets the prefix 'id-'."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", raw.strip()).strip("-") or "id"
    return cleaned if cleaned[0].isalpha() else f"id-{cleaned}"


class IdAllocator:
    """Stable, collision-free trustdocs ids for source ids, shared by every element kind.

    The first element whose sanitised id is X gets X; a later one gets X-2, X-3, ... (the smallest not taken
    and not the sanitised id of any other element), so the mapping depends only on the source's order.
    """

    def __init__(self, raw_ids: Iterable[str]):
        self._wanted = {sanitise_id(raw) for raw in raw_ids}
        self._taken: set[str] = set()
        self._next: dict[str, int] = {}  # the suffix to try next for a base, so many duplicates stay linear

    def allocate(self, raw: str) -> str:
        base = sanitise_id(raw)
        candidate = base
        if candidate in self._taken:
            n = self._next.get(base, 2)
            candidate = f"{base}-{n}"
            while candidate in self._taken or candidate in self._wanted:
                n += 1
                candidate = f"{base}-{n}"
            self._next[base] = n + 1
        self._taken.add(candidate)
        return candidate

    def reserve(self, raw: str) -> None:
        self._wanted.add(sanitise_id(raw))


@dataclass
class Reader:
    """Typed access to the source's values that records a problem, with its JSON pointer, for each bad one."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def fail(self, where: str, message: str) -> None:
        self.problems.append(located(self.file, where, message))

    def mapping(self, value: Any, where: str, key: str, *, required: bool = True) -> dict[str, Any]:
        found = value.get(key) if isinstance(value, dict) else None
        if found is None and not required:
            return {}
        if not isinstance(found, dict):
            self._wrong(where, key, found, "an object")
            return {}
        return found

    def array(self, value: Any, where: str, key: str, *, required: bool = True) -> list[Any]:
        found = value.get(key) if isinstance(value, dict) else None
        if found is None and not required:
            return []
        if not isinstance(found, list):
            self._wrong(where, key, found, "an array")
            return []
        return found

    def text(self, value: Any, where: str, key: str, *, required: bool = False) -> str:
        found = value.get(key) if isinstance(value, dict) else None
        if found is None and not required:
            return ""
        if not isinstance(found, str):
            self._wrong(where, key, found, "a string")
            return ""
        return found

    def flag(self, value: Any, where: str, key: str) -> bool | None:
        found = value.get(key) if isinstance(value, dict) else None
        if found is None:
            return None
        if not isinstance(found, bool):
            self._wrong(where, key, found, "true or false")
            return None
        return found

    def number(self, value: Any, where: str, key: str) -> float | None:
        found = value.get(key) if isinstance(value, dict) else None
        if isinstance(found, bool) or not isinstance(found, int | float):
            self._wrong(where, key, found, "a number")
            return None
        return float(found)

    def _wrong(self, where: str, key: str, found: Any, expected: str) -> None:
        if found is None:
            self.fail(where, f"missing '{key}' ({expected})")
        else:
            self.fail(f"{where}/{key}", f"expected {expected}, found {_json_type(found)}")

    def raise_problems(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "null"


def exemption_for_out_of_scope(element: str, kind: str, reason: str) -> dict[str, Any]:
    """An element the source marks out of scope: every STRIDE letter that applies to it, exempted."""
    from trustdocs.validate.semantic import APPLICABLE_STRIDE

    return {
        "element": element,
        "stride": list(APPLICABLE_STRIDE[kind]),
        "justification": f"Out of scope: {reason}" if reason.strip() else "Out of scope (no reason given).",
    }


def sorted_notes(notes: Iterable[Note]) -> tuple[Note, ...]:
    """Notes in the order of their place in the source (array indexes compared as numbers)."""

    def key(note: Note) -> tuple[tuple[int, int | str], ...]:
        return tuple((0, int(part)) if part.isdigit() else (1, part) for part in note.pointer.split("/"))

    return tuple(sorted(notes, key=key))
