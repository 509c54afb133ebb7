"""Support targets such as "30m", "4h", "2bh" or "1bd": their length in minutes and their wording."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

TARGET_PATTERN = r"^(\d+(\.\d+)?(m|h|d|bh|bd)|best effort|n/a)$"
"""The form the schema allows for a target."""

BUSINESS_DAY_HOURS = 8
"""A business day ("bd") counts as 8 business hours.

Plans state their own business hours (often 9 or 10 a day), but contracts read "1 business day" as a
working day of the customer's ordinary length; 8 hours is the common reading and makes "1bd" strictly
longer than any "Nbh" target below 8, which keeps the severity matrix ordered.
"""

_TARGET = re.compile(TARGET_PATTERN)
_UNIT_MINUTES: dict[str, int] = {"m": 1, "h": 60, "d": 1_440, "bh": 60, "bd": 60 * BUSINESS_DAY_HOURS}
_UNIT_NAMES: dict[str, tuple[str, str]] = {
    "m": ("minute", "minutes"),
    "h": ("hour", "hours"),
    "d": ("day", "days"),
    "bh": ("business hour", "business hours"),
    "bd": ("business day", "business days"),
}
_WORDS = {"best effort": "Best effort", "n/a": "Not applicable"}


def _parse(text: str) -> tuple[Decimal, str] | None:
    match = _TARGET.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(
            f"expected a support target such as '30m', '4h', '2bh', '1bd' or 'best effort', found '{text}'"
        )
    if match.group(3) is None:
        return None
    number = match.group(1)[: -len(match.group(3))]
    return Decimal(number), match.group(3)


def target_minutes(text: str) -> int | None:
    """Minutes a target allows: wall-clock minutes for m/h/d, minutes of business time for bh/bd.

    "best effort" and "n/a" have no length (None). A fraction of a minute rounds to the nearest minute,
    half up ("0.01h" is 1 minute).
    """
    parsed = _parse(text)
    if parsed is None:
        return None
    number, unit = parsed
    return int((number * _UNIT_MINUTES[unit]).to_integral_value(rounding=ROUND_HALF_UP))


def is_business_time(text: str) -> bool:
    """Whether the target's clock runs only in business hours ("2bh", "1bd")."""
    parsed = _parse(text)
    return parsed is not None and parsed[1] in ("bh", "bd")


def describe_target(text: str) -> str:
    """The target in words: "30 minutes", "4 business hours", "1 business day", "Best effort"."""
    parsed = _parse(text)
    if parsed is None:
        return _WORDS[text.strip()]
    number, unit = parsed
    singular, plural = _UNIT_NAMES[unit]
    shown = number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    return f"{shown} {singular if shown == 1 else plural}"
