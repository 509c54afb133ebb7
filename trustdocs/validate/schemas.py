"""The JSON Schemas of the input format: read from package data and resolved offline through one registry."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import logging
import re
from collections.abc import Callable
from importlib import resources
from typing import Any
from urllib.parse import urldefrag, urljoin

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from trustdocs.load.limits import FIRST_YEAR, LAST_YEAR
from trustdocs.validate.choices import available_time_zones

logger = logging.getLogger(__name__)

SCHEMA_PACKAGE = "trustdocs.schemas"
BASE_URI = "https://trustdocs.dev/schemas/"
"""Every schema's `$id` is BASE_URI + file name. The ids are names only: nothing is ever fetched from them."""

SECTIONS: tuple[str, ...] = (
    "document",
    "architecture",
    "security",
    "threat_model",
    "sla",
    "support",
    "incidents",
    "insurance",
    "indemnification",
    "escrow",
    "questionnaire",
)
"""The top-level sections of a project, each described by the schema file of the same name."""

_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def schema_id(name: str) -> str:
    """The `$id` of the schema file `name` (with or without `.json`)."""
    return f"{BASE_URI}{_stem(name)}.json"


def schema_names() -> tuple[str, ...]:
    """The names (without `.json`) of every schema shipped with trustdocs, sorted."""
    return _schema_names()


def load_schema(name: str) -> dict[str, Any]:
    """The schema file `name` ("architecture" or "architecture.json") as a fresh dict the caller may change."""
    return copy.deepcopy(_read(_stem(name)))


@functools.cache
def registry() -> Registry:
    """Every shipped schema under its `$id`; a reference to anything else fails instead of going to the network."""
    resources_ = [(schema_id(name), DRAFT202012.create_resource(_read(name))) for name in _schema_names()]
    return Registry().with_resources(resources_).crawl()


@functools.cache
def format_checker() -> FormatChecker:
    """Checks that dates and datetimes exist on the calendar (2026-02-30 does not) and fall in the years
    trustdocs computes with (FIRST_YEAR to LAST_YEAR), and that time zones are in the zoneinfo database.

    Only calendar validity is checked here: a value of the wrong shape is reported once, by the `pattern`
    next to the `format`, with its "x-expected" wording.
    """
    checker = FormatChecker(formats=())
    checker.checks("date", raises=ValueError)(_is_calendar_date)
    checker.checks("date-time", raises=ValueError)(_is_calendar_datetime)
    checker.checks("time-zone")(_is_time_zone)
    return checker


def project_validator() -> Draft202012Validator:
    """Validates a merged project (the root file with its includes merged in)."""
    return _validator("project")


def customer_validator() -> Draft202012Validator:
    """Validates a customer file (one key, `customer:`)."""
    return _validator("customer")


def deposit_log_validator() -> Draft202012Validator:
    """Validates an escrow deposit log (one key, `deposits:`)."""
    return _validator("deposit_log")


@functools.cache
def _fast_validator(name: str) -> Any:
    import jsonschema_rs

    shipped = [(schema_id(n), _read(n)) for n in _schema_names()]
    return jsonschema_rs.validator_for(
        _read(name),
        registry=jsonschema_rs.Registry(shipped),
        validate_formats=True,
        formats={
            "time-zone": _is_time_zone,
            "date": _passes(_is_calendar_date),
            "date-time": _passes(_is_calendar_datetime),
        },
    )


def is_valid_quickly(name: str, data: Any) -> bool:
    """Whether `data` is valid against schema `name`, checked by the compiled jsonschema-rs validator.

    Validation of a large project with the pure-Python validator takes seconds; this answers in
    milliseconds. Only a True answer is used (to skip the slow pass): when it says False, the Python
    validator runs and produces the located messages, so the two can never disagree in what is reported.
    """
    return bool(_fast_validator(_stem(name)).is_valid(data))


def bundled_project_schema() -> dict[str, Any]:
    """The project schema with every schema it uses inlined under `$defs`, for editors.

    yaml-language-server and similar tools get one self-contained file whose references are all local
    ("#/$defs/architecture/$defs/Component"), so they never try to fetch a trustdocs.dev address.
    """
    return bundled_schema("project")


def bundled_schema(name: str) -> dict[str, Any]:
    """The schema file `name` with every schema it refers to inlined under `$defs` and its references local."""
    return copy.deepcopy(_bundle(_stem(name)))


def ref_target(ref: str, within: str) -> tuple[str, str]:
    """The schema name and JSON pointer (e.g. ("common", "/$defs/date")) a `$ref` in schema `within` points to."""
    return _split_ref(ref, _stem(within))


def _stem(name: str) -> str:
    return name[: -len(".json")] if name.endswith(".json") else name


@functools.cache
def _schema_names() -> tuple[str, ...]:
    folder = resources.files(SCHEMA_PACKAGE)
    return tuple(sorted(_stem(entry.name) for entry in folder.iterdir() if entry.name.endswith(".json")))


@functools.cache
def _read(name: str) -> dict[str, Any]:
    if name not in _schema_names():
        raise ValueError(f"no schema named '{name}' (known: {', '.join(_schema_names())})")
    text = resources.files(SCHEMA_PACKAGE).joinpath(f"{name}.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    if schema.get("$id") != schema_id(name):
        raise ValueError(f"schema {name}.json has $id {schema.get('$id')!r}, expected {schema_id(name)!r}")
    return schema


@functools.cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(_read(name), registry=registry(), format_checker=format_checker())


def _is_time_zone(value: object) -> bool:
    return not isinstance(value, str) or value in available_time_zones()


def _is_calendar_date(value: object) -> bool:
    if isinstance(value, str) and _DATE_SHAPE.match(value):
        _in_years(dt.date.fromisoformat(value))
    return True


def _is_calendar_datetime(value: object) -> bool:
    if isinstance(value, str) and _DATETIME_SHAPE.match(value):
        _in_years(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
    return True


def _in_years(day: dt.date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"year {day.year} is outside {FIRST_YEAR}-{LAST_YEAR}")


def _passes(check: Callable[[object], bool]) -> Callable[[object], bool]:
    """A format check as jsonschema-rs calls it: True or False, never an exception."""

    def passes(value: object) -> bool:
        try:
            return check(value)
        except ValueError:
            return False

    return passes


# --- bundling -------------------------------------------------------------------------------------------------

_SUBSCHEMA = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "additionalItems",
        "contentSchema",
    }
)
"""Keywords whose value is one schema."""
_SUBSCHEMA_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
"""Keywords whose value is a list of schemas."""
_SUBSCHEMA_MAP = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
"""Keywords whose value maps names (of properties, of definitions) to schemas."""


def subschemas(schema: Any) -> list[Any]:
    """The schemas directly inside `schema`, found by keyword: a property named `examples` or `default` is a
    schema like any other, while the values of `default`, `enum`, `examples` or `x-expected` never are."""
    if not isinstance(schema, dict):
        return []
    found: list[Any] = []
    for key, value in schema.items():
        if key in _SUBSCHEMA:
            found.append(value)
        elif key in _SUBSCHEMA_LIST and isinstance(value, list):
            found += value
        elif key in _SUBSCHEMA_MAP and isinstance(value, dict):
            found += value.values()
    return found


@functools.cache
def _bundle(root_name: str) -> dict[str, Any]:
    names = _reachable(root_name)
    defs: dict[str, Any] = {}
    for name in sorted(names - {root_name}):
        inlined = _rewrite_refs(copy.deepcopy(_read(name)), name, root_name)
        inlined.pop("$schema", None)
        inlined.pop("$id", None)
        defs[name] = inlined
    root = _rewrite_refs(copy.deepcopy(_read(root_name)), root_name, root_name)
    root.pop("$id", None)
    own_defs = root.pop("$defs", None)
    if own_defs:
        # The root's own $defs would clash with the inlined schemas, so they move one level down.
        defs[root_name] = {"$defs": own_defs}
    bundle = {"$schema": root.pop("$schema"), **root}
    if defs:
        bundle["$defs"] = defs
    logger.debug("bundled %d schemas into the %s schema", len(defs), root_name)
    return bundle


def _reachable(start: str) -> set[str]:
    seen = {start}
    pending = [start]
    while pending:
        name = pending.pop()
        for ref in _refs(_read(name)):
            target, _ = _split_ref(ref, name)
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return seen


def _refs(schema: Any) -> list[str]:
    found = [schema["$ref"]] if isinstance(schema, dict) and isinstance(schema.get("$ref"), str) else []
    for inner in subschemas(schema):
        found += _refs(inner)
    return found


def _split_ref(ref: str, within: str) -> tuple[str, str]:
    """The schema name and JSON pointer a reference written in schema `within` points to."""
    url, pointer = urldefrag(urljoin(schema_id(within), ref))
    if not url.startswith(BASE_URI) or not url.endswith(".json") or _stem(url[len(BASE_URI) :]) not in _schema_names():
        raise ValueError(f"schema {within}.json refers to {ref!r}, which is not a trustdocs schema")
    return _stem(url[len(BASE_URI) :]), pointer


def _bundled_pointer(name: str, pointer: str, root_name: str) -> str:
    if name != root_name:
        return f"#/$defs/{name}{pointer}"
    if pointer.startswith("/$defs/"):
        return f"#/$defs/{root_name}{pointer}"
    return f"#{pointer}"


def _rewrite_refs(schema: Any, within: str, root_name: str) -> Any:
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        schema["$ref"] = _bundled_pointer(*_split_ref(schema["$ref"], within), root_name)
    for inner in subschemas(schema):
        _rewrite_refs(inner, within, root_name)
    return schema
