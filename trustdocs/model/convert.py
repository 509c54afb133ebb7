"""Builds model dataclasses from schema-valid plain data, attaching the source location of each object."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

from trustdocs.model.base import Location

Path = tuple[str | int, ...]
Converter = Callable[[Any, "PositionLookup | None", Path], Any]


class PositionLookup(Protocol):
    def value(self, path: Path) -> Location | None: ...


def build(cls: type, data: Any, positions: PositionLookup | None = None, path: Path = ()) -> Any:
    """Convert `data` (already valid against the schema) into an instance of `cls`.

    Dataclass fields named `loc` receive the location of the mapping they were built from. A dataclass
    written as a scalar in YAML (a support Target such as "4h") is built from that one value.
    """
    return _converter(cls)(data, positions, path)


@functools.cache
def _converter(tp: Any) -> Converter:
    """One conversion function per type, worked out once: a project has thousands of objects of few types."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        convert_inner = _converter(inner)
        return lambda value, positions, path: None if value is None else convert_inner(value, positions, path)
    if origin is tuple:
        convert_item = _converter(typing.get_args(tp)[0])
        return lambda value, positions, path: tuple(
            convert_item(v, positions, path + (i,)) for i, v in enumerate(value)
        )
    if origin is typing.Literal:
        return lambda value, positions, path: value
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_converter(tp)
    scalar = _SCALARS.get(tp)
    if scalar is None:
        return lambda value, positions, path: value
    return lambda value, positions, path: scalar(value)


def _dataclass_converter(cls: type) -> Converter:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    has_loc = "loc" in names
    plan = [(name, _LazyConverter(hints[name])) for name in names if name != "loc"]

    def convert(value: Any, positions: PositionLookup | None, path: Path) -> Any:
        if not isinstance(value, dict):
            return cls(value)
        kwargs = {name: conv(value[name], positions, path + (name,)) for name, conv in plan if name in value}
        if has_loc:
            kwargs["loc"] = positions.value(path) if positions is not None else None
        return cls(**kwargs)

    return convert


class _LazyConverter:
    """Defers looking up a field's converter, so recursive types (nested trust boundaries) resolve."""

    __slots__ = ("tp", "fn")

    def __init__(self, tp: Any):
        self.tp = tp
        self.fn: Converter | None = None

    def __call__(self, value: Any, positions: PositionLookup | None, path: Path) -> Any:
        if self.fn is None:
            self.fn = _converter(self.tp)
        return self.fn(value, positions, path)


def _parse_datetime(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


_SCALARS: dict[Any, Callable[[Any], Any]] = {
    Decimal: lambda v: Decimal(str(v)),
    dt.date: dt.date.fromisoformat,
    dt.datetime: _parse_datetime,
    float: float,
    int: int,
    str: str,
    bool: bool,
}
