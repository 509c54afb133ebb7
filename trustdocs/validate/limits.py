"""Numbers too large to compute with: every number in a file is checked against the loader's limit."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from trustdocs.errors import Problem
from trustdocs.load.limits import MAX_NUMBER
from trustdocs.load.positions import DataPath, Positions, format_path


def number_problems(data: Any, positions: Positions, prefix: DataPath = ()) -> list[Problem]:
    """One problem per number beyond ±MAX_NUMBER or not finite (YAML reads 1e400 as infinity), at the value."""
    return [
        Problem(
            positions.value(path),
            format_path(path),
            f"expected a number of at most {MAX_NUMBER:,} (1e{len(str(MAX_NUMBER)) - 1}), found {_written(n)}",
        )
        for path, n in _numbers(data, tuple(prefix))
        if not _in_range(n)
    ]


def _in_range(number: int | float) -> bool:
    return math.isfinite(number) and abs(number) <= MAX_NUMBER


def _written(number: int | float) -> str:
    if isinstance(number, float) and math.isinf(number):
        return "a number too large to represent" if number > 0 else "a negative number too large to represent"
    if isinstance(number, float):
        return f"{number:g}"
    digits = len(str(abs(number)))
    return str(number) if digits <= 20 else f"a {digits}-digit number"


def _numbers(node: Any, path: DataPath) -> Iterator[tuple[DataPath, int | float]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _numbers(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _numbers(value, path + (i,))
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield path, node
