"""Turns JSON Schema validation errors into located problems with fixed, readable messages.

Each error becomes one `Problem` at the most precise position the YAML gave us: unknown keys point at the
key, everything else at the value. For `anyOf`/`oneOf` the most relevant branch is reported (the one
whose type matches), not every branch's complaint.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections.abc import Sequence
from typing import Any

from jsonschema.exceptions import ValidationError, relevance
from jsonschema.protocols import Validator

from trustdocs.errors import Problem
from trustdocs.load.limits import FIRST_YEAR, LAST_YEAR
from trustdocs.load.positions import DataPath, Positions, format_path
from trustdocs.validate.choices import available_time_zones, did_you_mean, listed

log = logging.getLogger(__name__)

TYPE_NAMES: dict[str, str] = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "a boolean (true or false)",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}

FORMAT_NAMES: dict[str, str] = {
    "date": "a date (YYYY-MM-DD)",
    "date-time": "a date and time with an offset (e.g. 2026-03-14T02:10:00Z)",
    "email": "an email address",
    "uri": "a URL",
}

# When several value errors hit the same value, the first of these kinds is the one worth reading.
_VALUE_PRIORITY = ["type", "const", "enum", "pattern", "format", "minLength", "maxLength"]


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def plain(value: Any) -> str:
    """A value as a YAML author would write it: true, null, 5, process."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and not math.isfinite(value):
        return "a number too large to represent"
    return _short(str(value))


def shown(value: Any) -> str:
    """A found value in a message: strings quoted, other scalars plain, collections by kind."""
    if isinstance(value, str):
        return f"'{_short(value)}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return plain(value)


def kind_of(value: Any) -> str:
    """What kind of value this is, for `found ...`: "a string ('x')", "a list", "true", "a number (5)"."""
    if isinstance(value, str):
        return f"a string ('{_short(value)}')"
    if isinstance(value, bool) or value is None:
        return plain(value)
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    return shown(value)


def _type_names(types: Any) -> str:
    names = [TYPE_NAMES.get(t, t) for t in ([types] if isinstance(types, str) else types)]
    return " or ".join(names)


class _Reporter:
    """Builds the problems for one validation run, collecting them by value path to drop noise."""

    def __init__(self, positions: Positions, prefix: DataPath):
        self.positions = positions
        self.prefix = prefix
        self.problems: list[Problem] = []
        self._value_problems: dict[DataPath, tuple[int, int]] = {}

    def _full(self, error: ValidationError) -> DataPath:
        return self.prefix + tuple(error.absolute_path)

    def at_value(self, path: DataPath, message: str, *, rank: int | None = None) -> None:
        problem = Problem(self.positions.value(path), format_path(path), message)
        if rank is None:
            self.problems.append(problem)
            return
        earlier = self._value_problems.get(path)
        if earlier is None:
            self._value_problems[path] = (rank, len(self.problems))
            self.problems.append(problem)
        elif rank < earlier[0]:
            self._value_problems[path] = (rank, earlier[1])
            self.problems[earlier[1]] = problem

    def at_key(self, mapping: DataPath, key: str, message: str) -> None:
        self.problems.append(Problem(self.positions.key(mapping + (key,)), format_path(mapping), message))

    def report(self, error: ValidationError) -> None:
        if error.validator in ("anyOf", "oneOf") and error.context:
            chosen = _choose_branch(error)
            if chosen is not None:
                for e in chosen:
                    self.report(e)
                return
            key = _discriminator([b for b in _branches(error) if not any(_wrong_type(e) for e in b)])
            if key is not None and isinstance(error.instance, dict):
                allowed: list[Any] = []
                for e in error.context:
                    if _wrong_discriminator(e) and e.relative_path[0] == key:
                        allowed += e.validator_value if e.validator == "enum" else [e.validator_value]
                path = self._full(error) + (key,)
                self.at_value(path, _enum_message(list(dict.fromkeys(allowed)), error.instance[key]), rank=0)
                return
        self._report_one(error)

    def _report_one(self, error: ValidationError) -> None:
        path = self._full(error)
        validator = str(error.validator)
        key = _property_name_error(error)
        if key is not None:
            self.at_key(path, key, f"invalid key '{_short(key)}': {_value_message(error)}")
        elif validator in ("additionalProperties", "unevaluatedProperties"):
            self._unknown_keys(error, path)
        elif validator == "required":
            for name in error.validator_value:
                if isinstance(error.instance, dict) and name not in error.instance:
                    self.at_value(path, f"missing required key '{name}'")
        elif validator == "dependentRequired":
            self._dependent_required(error, path)
        elif error.validator is None and path and isinstance(path[-1], str):  # a `false` property schema
            self.at_key(path[:-1], path[-1], f"key '{_short(path[-1])}' is not allowed here")
        elif validator == "uniqueItems":
            self._unique_items(error, path)
        else:
            rank = _VALUE_PRIORITY.index(validator) if validator in _VALUE_PRIORITY else len(_VALUE_PRIORITY)
            self.at_value(path, _value_message(error), rank=rank)

    def _unknown_keys(self, error: ValidationError, path: DataPath) -> None:
        instance = error.instance if isinstance(error.instance, dict) else {}
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = list(schema.get("properties", {}))
        patterns = list(schema.get("patternProperties", {}))
        if error.validator == "additionalProperties":
            unknown = [k for k in instance if k not in allowed and not any(re.search(p, k) for p in patterns)]
        else:  # unevaluatedProperties: jsonschema names them in its message
            unknown = [k for k in instance if re.search(rf"'{re.escape(k)}'", error.message)]
        for key in unknown:
            hint = did_you_mean(key, allowed)
            if not hint and allowed:
                hint = f"; expected one of: {listed(allowed)}"
            self.at_key(path, key, f"unknown key '{_short(key)}'{hint}")

    def _dependent_required(self, error: ValidationError, path: DataPath) -> None:
        instance = error.instance if isinstance(error.instance, dict) else {}
        for prop, needed in (error.validator_value or {}).items():
            if prop in instance:
                for name in needed:
                    if name not in instance:
                        self.at_value(path, f"missing required key '{name}' (required when '{prop}' is given)")

    def _unique_items(self, error: ValidationError, path: DataPath) -> None:
        items = error.instance if isinstance(error.instance, list) else []
        for j, item in enumerate(items):
            first = next((i for i in range(j) if _same(items[i], item)), None)
            if first is not None:
                what = f"item [{j}]" if isinstance(item, (list, dict)) else shown(item)
                self.at_value(path + (j,), f"items must be unique; {what} repeats item [{first}]")
                return
        self.at_value(path, "items must be unique")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):  # in JSON, unlike Python, true is not 1
        return type(a) is type(b) and a == b
    return bool(a == b)


def _branches(error: ValidationError) -> list[list[ValidationError]]:
    """The errors of each alternative of an anyOf/oneOf, in schema order."""
    grouped: dict[Any, list[ValidationError]] = {}
    for e in error.context or []:
        grouped.setdefault(e.relative_schema_path[0] if e.relative_schema_path else None, []).append(e)
    return list(grouped.values())


def _signature(errors: list[ValidationError]) -> list[tuple[Any, ...]]:
    return [(e.validator, tuple(e.relative_path), e.message) for e in errors]


def _choose_branch(error: ValidationError) -> list[ValidationError] | None:
    """The errors of the alternative the author most likely meant, or None when none stands out.

    An alternative of the wrong type, or whose discriminating key (`kind: {const: ...}`) has another
    value, is not what was meant; of the rest, the one with the deepest error is (jsonschema's
    relevance), and alternatives that fail the same way count as one.
    """
    branches = _branches(error)
    typed = [b for b in branches if not any(_wrong_type(e) for e in b)]
    fitting = [b for b in typed if not any(_wrong_discriminator(e) for e in b)]
    candidates = fitting or ([] if _discriminator(typed) else typed)
    if not candidates:
        return None
    if all(_signature(b) == _signature(candidates[0]) for b in candidates):
        return candidates[0]
    deepest = min((e for b in candidates for e in b), key=relevance)
    return next(b for b in candidates if deepest in b)


def _discriminator(branches: list[list[ValidationError]]) -> str | None:
    """The key every alternative rejected by its value (e.g. `kind`), if there is one such key."""
    keys: set[Any] = set()
    for b in branches:
        wrong = [e.relative_path[0] for e in b if _wrong_discriminator(e)]
        if not wrong:
            return None
        keys.update(wrong)
    return keys.pop() if len(keys) == 1 and branches else None


def _wrong_type(error: ValidationError) -> bool:
    return not error.relative_path and error.validator == "type"


def _wrong_discriminator(error: ValidationError) -> bool:
    return len(error.relative_path) == 1 and error.validator in ("const", "enum")


def _property_name_error(error: ValidationError) -> str | None:
    """The key, when the error is about a key's name (propertyNames) rather than its value."""
    schema_path = list(error.relative_schema_path)
    for i, part in enumerate(schema_path):
        if part == "propertyNames" and (i == 0 or schema_path[i - 1] not in ("properties", "$defs")):
            return error.instance if isinstance(error.instance, str) else None
    return None


def _branches_message(error: ValidationError) -> str:
    """The message for an anyOf/oneOf where no branch fits better than the others."""
    if not error.context:
        return "matches more than one of the allowed forms; it must match exactly one"
    here = [e for e in error.context if not e.relative_path]
    if here and all(e.validator == "type" for e in here):
        types: list[str] = []
        for e in here:
            for t in [e.validator_value] if isinstance(e.validator_value, str) else e.validator_value:
                if t not in types:
                    types.append(t)
        return f"expected {_type_names(types)}, found {kind_of(error.instance)}"
    if here and all(e.validator in ("enum", "const") for e in here):
        allowed: list[Any] = []
        for e in here:
            allowed += e.validator_value if e.validator == "enum" else [e.validator_value]
        return _enum_message(allowed, error.instance)
    reasons = list(dict.fromkeys(_value_message(e) for e in here or error.context))
    return "does not match any of the allowed forms: " + "; or ".join(reasons)


def _enum_message(allowed: Sequence[Any], found: Any) -> str:
    choices = listed(plain(v) for v in allowed)
    return f"expected one of: {choices}; found {shown(found)}{did_you_mean(found, allowed)}"


def _bound(error: ValidationError, words: str) -> str:
    return f"expected a number {words} {plain(error.validator_value)}, found {plain(error.instance)}"


def _value_message(error: ValidationError) -> str:
    """The message for one error: on its own for values, and inside anyOf/oneOf summaries for keys."""
    v, found, limit = error.validator, error.instance, error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}
    if v == "type":
        return f"expected {_type_names(limit)}, found {kind_of(found)}"
    if v == "required" and isinstance(found, dict):
        return ", ".join(f"missing required key '{k}'" for k in limit if k not in found)
    if v == "additionalProperties" and isinstance(found, dict):
        allowed, patterns = schema.get("properties", {}), list(schema.get("patternProperties", {}))
        unknown = [k for k in found if k not in allowed and not any(re.search(p, k) for p in patterns)]
        return ", ".join(f"unknown key '{_short(k)}'" for k in unknown)
    if v == "enum":
        return _enum_message(limit, found)
    if v == "const":
        return f"expected {plain(limit)}, found {shown(found)}{did_you_mean(found, [limit])}"
    if v in ("anyOf", "oneOf"):
        return _branches_message(error)
    if v == "minimum":
        return _bound(error, "of at least")
    if v == "maximum":
        return _bound(error, "of at most")
    if v == "exclusiveMinimum":
        return _bound(error, "greater than")
    if v == "exclusiveMaximum":
        return _bound(error, "less than")
    if v == "multipleOf":
        return f"expected a multiple of {plain(limit)}, found {plain(found)}"
    if v == "pattern" and schema.get("format") == "date-time" and _is_naive_datetime(found):
        local = dt.datetime.fromisoformat(found).isoformat()
        return (
            f"the time {shown(found)} needs a UTC offset: write {local}Z for UTC, or the offset in force "
            f"then, e.g. {local}+01:00"
        )
    if v == "pattern":
        expected = schema.get("x-expected") or f"a string matching {limit}"
        return f"expected {expected}, found {shown(found)}"
    if v == "format" and limit in ("date", "date-time") and _year(found) is not None:
        return (
            f"expected a {'date' if limit == 'date' else 'time'} in the years {FIRST_YEAR} to {LAST_YEAR}, "
            f"found {shown(found)}"
        )
    if v == "format" and limit == "time-zone":
        expected = schema.get("x-expected") or "an IANA time zone name"
        return f"expected {expected}, found {shown(found)}{did_you_mean(found, available_time_zones())}"
    if v == "format":
        expected = schema.get("x-expected") or FORMAT_NAMES.get(limit, f"a valid {limit}")
        return f"expected {expected}, found {shown(found)}"
    if v == "minLength":
        if limit == 1:
            return "must not be empty"
        return f"expected at least {limit} characters, found {len(found)}"
    if v == "maxLength":
        return f"expected at most {limit} characters, found {len(found)}"
    if v == "minItems":
        return f"expected at least {limit} item(s), found {len(found)}"
    if v == "maxItems":
        return f"expected at most {limit} item(s), found {len(found)}"
    if v == "minProperties":
        return "must not be empty" if limit == 1 else f"expected at least {limit} keys, found {len(found)}"
    if v == "maxProperties":
        return f"expected at most {limit} keys, found {len(found)}"
    if v == "not":
        return f"{shown(found)} is not allowed here"
    if v is None:  # a `false` schema; jsonschema does not record which key or item it was applied to
        return "has a key or item that is not allowed here"
    if v == "contains":
        return "no item matches what this list must contain"
    log.debug("no fixed message for JSON Schema keyword %r: %s", v, error.message)
    return str(error.message)


def _year(value: Any) -> int | None:
    """The year of a date or time written on the calendar but outside FIRST_YEAR..LAST_YEAR, else None."""
    if not isinstance(value, str) or not re.match(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        year = dt.date.fromisoformat(value[:10]).year
    except ValueError:
        return None
    return None if FIRST_YEAR <= year <= LAST_YEAR else year


def _is_naive_datetime(value: Any) -> bool:
    """Whether `value` is a date and time written without a UTC offset, such as 2026-06-09T07:42:00."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?", value):
        return False
    try:
        return dt.datetime.fromisoformat(value).tzinfo is None
    except ValueError:
        return False


def _sort_key(problem: Problem) -> tuple[int, str, int, int]:
    loc = problem.location
    if loc is None:
        return (1, "", 0, 0)
    return (0, loc.file, loc.line, loc.col)


def schema_problems(validator: Validator, data: Any, positions: Positions, *, prefix: DataPath = ()) -> list[Problem]:
    """Validate `data` and return one located problem per schema error, sorted by file, line and column.

    `prefix` is where `data` sits in the tree `positions` describes (e.g. ("customer",)).
    """
    reporter = _Reporter(positions, tuple(prefix))
    for error in validator.iter_errors(data):
        reporter.report(error)
    unique = list(dict.fromkeys(reporter.problems))
    return sorted(unique, key=_sort_key)
