"""Durations, seconds and percentages written the way the contract documents print them."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

_UNITS = (("d", 864_000), ("h", 36_000), ("min", 600))
"""Unit symbol and its length in tenths of a second."""


def format_duration(seconds: Decimal | int | Fraction) -> str:
    """Seconds as "3 d 15 h 36 min", "44 min 38.4 s" or "24.2 s".

    The total is rounded to a tenth of a second (half up) before it is split, so the parts always add up;
    zero parts are left out, a trailing ".0" is dropped and no time at all is "0 s".
    """
    tenths = _tenths(seconds)
    if tenths < 0:
        raise ValueError(f"a duration cannot be negative, found {seconds} s")
    parts: list[str] = []
    for symbol, size in _UNITS:
        count, tenths = divmod(tenths, size)
        if count:
            parts.append(f"{count} {symbol}")
    if tenths:
        whole, tenth = divmod(tenths, 10)
        parts.append(f"{whole} s" if tenth == 0 else f"{whole}.{tenth} s")
    return " ".join(parts) or "0 s"


def format_seconds(seconds: Decimal | int) -> str:
    """A number of seconds without a unit, as exact as it is and without trailing zeros: "2592", "2419.2"."""
    return str(trim(Decimal(seconds)))


def format_percent(value: Decimal | Fraction | int, places: int = 3) -> str:
    """A percentage truncated (never rounded up) to `places` decimals: "99.944".

    Truncation keeps the printed figure on the same side of a commitment as the exact value: 99.8999 %
    prints as "99.899", never as a "99.900" that would look like a met 99.9 % commitment.
    """
    return f"{truncate(value, places):.{places}f}"


def format_commitment(value: Decimal) -> str:
    """A commitment as written in the contract, without trailing zeros: "99.9", "99.95", "99"."""
    return str(trim(Decimal(value)))


def truncate(value: Decimal | Fraction | int, places: int) -> Decimal:
    """`value` cut (towards zero) to `places` decimals, as a Decimal with exactly that many places."""
    exact = Fraction(value)
    scaled = math.floor(abs(exact) * 10**places)
    result = Decimal(scaled).scaleb(-places)
    return -result if exact < 0 else result


def trim(value: Decimal) -> Decimal:
    """The same number without trailing zeros and without an exponent: 2592.000 -> 2592, 100.0 -> 100."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _tenths(seconds: Decimal | int | Fraction) -> int:
    if isinstance(seconds, Fraction):
        return math.floor(seconds * 10 + Fraction(1, 2))
    return int((Decimal(seconds) * 10).to_integral_value(rounding=ROUND_HALF_UP))
