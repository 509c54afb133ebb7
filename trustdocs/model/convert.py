"""Builds model dataclasses from schema-valid plain data, attaching the source location of each object."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from decimal import Decimal
from typing import Any, Callable, Protocol

from trustdocs.model.base import Location

Path = tuple[str | int, ...]


class PositionLookup(Protocol):
    def value(self, path: Path) -> Location | None: ...


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _parse_datetime(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def build(cls: type, data: Any, positions: PositionLookup | None = None, path: Path = ()) -> Any:
    """Convert `data` (already valid against the schema) into an instance of `cls`.

    Dataclass fields named `loc` receive the location of the mapping they were built from.
    """
    return _convert(cls, data, positions, path)


def _convert(tp: Any, value: Any, positions: PositionLookup | None, path: Path) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _convert(options[0], value, positions, path)
    if origin is tuple:
        (item_type, _ellipsis) = typing.get_args(tp)
        return tuple(_convert(item_type, v, positions, path + (i,)) for i, v in enumerate(value))
    if origin is typing.Literal:
        return value
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):  # a value type written as a scalar, e.g. a support Target "4h"
            return tp(value)
        return _build_dataclass(tp, value, positions, path)
    return _SCALARS.get(tp, _identity)(value)


def _build_dataclass(cls: type, value: dict[str, Any], positions: PositionLookup | None, path: Path) -> Any:
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name == "loc":
            kwargs["loc"] = positions.value(path) if positions is not None else None
        elif f.name in value:
            kwargs[f.name] = _convert(hints[f.name], value[f.name], positions, path + (f.name,))
    return cls(**kwargs)


def _identity(value: Any) -> Any:
    return value


_SCALARS: dict[Any, Callable[[Any], Any]] = {
    Decimal: lambda v: Decimal(str(v)),
    dt.date: lambda v: dt.date.fromisoformat(v),
    dt.datetime: _parse_datetime,
    float: float,
    int: int,
    str: str,
    bool: bool,
}
