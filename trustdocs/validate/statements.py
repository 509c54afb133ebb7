"""Where the project says what: free text by path, and the location of any statement, for two-sided warnings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from trustdocs.errors import Problem
from trustdocs.load import Positions
from trustdocs.load.positions import DataPath, format_path
from trustdocs.model.base import Location

_MARKUP = re.compile(r"[*_`]+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ProjectStatements:
    """The validated project data with its positions, and the customer file's positions when one is applied."""

    data: dict[str, Any]
    positions: Positions
    customer_positions: Positions | None = None

    def location(self, path: DataPath, *, customer: bool = False) -> Location | None:
        positions = self.customer_positions if customer and self.customer_positions else self.positions
        return positions.value(path)

    def where(self, path: DataPath, *, customer: bool = False) -> str:
        """'FILE:LINE:COL' of the statement at `path`, as a message cites the other side of a warning."""
        loc = self.location(path, customer=customer)
        return str(loc) if loc else format_path(path)

    def warning(self, path: DataPath, message: str, *, customer: bool = False) -> Problem:
        return Problem(self.location(path, customer=customer), format_path(path), message, "warning")

    def get(self, *path: str | int) -> Any:
        value: Any = self.data
        for part in path:
            if isinstance(part, int) and isinstance(value, list) and part < len(value):
                value = value[part]
            elif isinstance(part, str) and isinstance(value, dict):
                value = value.get(part)
            else:
                return None
        return value

    def free_text(self) -> Iterator[tuple[DataPath, str]]:
        """Every string of the project, with its path, as a reader would read it (Markdown marks removed)."""
        yield from _strings(self.data, ())


def _strings(value: Any, path: DataPath) -> Iterator[tuple[DataPath, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))
    elif isinstance(value, str) and " " in value.strip():
        yield path, _SPACE.sub(" ", _MARKUP.sub("", value)).strip()
