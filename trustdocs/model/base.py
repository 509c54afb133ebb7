"""Shared value types of the model: source locations, money, durations and the audience marking."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Audience = Literal["public", "nda", "internal"]
"""Who may read an item: everyone, customers under NDA, or the vendor only."""

AUDIENCE_ORDER: dict[str, int] = {"public": 0, "nda": 1, "internal": 2}


@dataclass(frozen=True, order=True)
class Location:
    """Where a value was written: file (as given relative to the project), 1-based line and column."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


def loc_field() -> Location | None:
    """A dataclass field holding the source location; excluded from equality and repr."""
    return field(default=None, compare=False, repr=False)
