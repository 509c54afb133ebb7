"""Reading a foreign threat model file as hostile JSON: bounded size and depth, no duplicate keys, no NaN."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from trustdocs.errors import InputError, Problem
from trustdocs.model.base import Location

MAX_BYTES = 32 * 1024 * 1024
"""Larger files are refused before parsing (a 300-element, 1,000-threat Threat Dragon model is about 1 MB)."""
MAX_DEPTH = 64
"""Deeper nesting is refused; Threat Dragon and TM-BOM files nest about 10 levels."""


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) to the value at `parts`, e.g. /detail/diagrams/0/cells/12."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def object_at(container: dict[str, Any], key: str) -> dict[str, Any]:
    """`container[key]` when it is a JSON object, else an empty one (a foreign file may hold anything there)."""
    value = container.get(key)
    return value if isinstance(value, dict) else {}


def array_at(container: dict[str, Any], key: str) -> list[Any]:
    """`container[key]` when it is a JSON array, else an empty one."""
    value = container.get(key)
    return value if isinstance(value, list) else []


def text_at(container: dict[str, Any], key: str) -> str:
    """`container[key]` when it is a JSON string, else an empty one."""
    value = container.get(key)
    return value if isinstance(value, str) else ""


def located(file: str, where: str, message: str) -> Problem:
    """A problem at a JSON pointer of `file`, printed as `FILE#/json/pointer: message`."""
    return Problem(None, f"{file}#{where}" if where else file, message)


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key)
        found[key] = value
    return found


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def read_json(path: Path, shown: str) -> Any:
    """The parsed JSON of `path`; an unreadable, oversized, malformed or too deeply nested file is an
    `InputError` with one line saying where."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError([located(shown, "", f"the file is {size} bytes; the limit is {MAX_BYTES} bytes")])
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(
            [located(shown, "", f"cannot read the file: {(error.strerror or str(error)).lower()}")]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError([located(shown, "", f"not UTF-8 text (byte {error.start})")]) from None
    _check_depth(text, shown)
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise InputError(
            [Problem(Location(shown, error.lineno, error.colno), "", f"not valid JSON: {error.msg.lower()}")]
        ) from None
    except _DuplicateKey as error:
        raise InputError([located(shown, "", f"duplicate key {str(error)!r} in a JSON object")]) from None
    except ValueError as error:
        raise InputError([located(shown, "", f"not valid JSON: {error}")]) from None


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _check_depth(text: str, shown: str) -> None:
    # Counted on the text, before parsing, so that a hostile file cannot reach the parser's recursion limit.
    depth = 0
    for token in _TOKENS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                col = token.start() - (text.rfind("\n", 0, token.start()) + 1) + 1
                raise InputError([Problem(Location(shown, line, col), "", f"nested more than {MAX_DEPTH} levels deep")])
        elif char in "]}":
            depth -= 1
