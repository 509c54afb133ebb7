"""Liability caps worked out in currency, whether the cyber insurance funds the super-cap, insurer ratings, and
money wording."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from trustdocs.model.legal import Cap, Indemnification, Insurance

logger = logging.getLogger(__name__)

_SYMBOLS: dict[str, str] = {"USD": "$", "EUR": "€"}
"""Currencies printed with a symbol; any other is printed with its ISO code ("GBP 1,000")."""
_CENT = Decimal("0.01")


def fees_for(annual_fee: Decimal, months: int) -> Decimal:
    """The fees paid over `months` at `annual_fee` a year (annual fee × months ÷ 12), to the cent."""
    return (Decimal(annual_fee) * months / 12).quantize(_CENT, rounding=ROUND_HALF_UP)


def cap_amount(cap: Cap, annual_fee: Decimal) -> Decimal:
    """The cap in currency, to the cent.

    A multiple of fees is `fees_multiple` × the fees of the `lookback_months` before the claim (taken as
    annual fee × lookback ÷ 12); with a fixed amount as well, the cap is the greater of the two, or the
    lesser when `greater_of` is false. $12,000 a month with a 12-month lookback: 1× is $144,000.
    """
    candidates = []
    if cap.fees_multiple is not None:
        candidates.append(Decimal(cap.fees_multiple) * Decimal(annual_fee) * cap.lookback_months / 12)
    if cap.fixed_amount is not None:
        candidates.append(Decimal(cap.fixed_amount))
    if not candidates:
        raise ValueError("a cap needs 'fees_multiple' or 'fixed_amount'")
    chosen = max(candidates) if cap.greater_of else min(candidates)
    return chosen.quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CoverageCheck:
    """Whether the cyber policy's per-claim limit covers the data-breach super-cap."""

    met: bool
    required: Decimal
    """The super-cap in currency."""
    limit: Decimal | None
    """The largest per-claim limit among the cyber policies; None without one."""
    policy: str | None
    """Id of the cyber policy that limit belongs to."""
    currency: str
    explanation: str


def insurance_covers_super_cap(insurance: Insurance, indemnification: Indemnification) -> CoverageCheck | None:
    """Compare the largest cyber per-claim limit with the super-cap; None when there is no super-cap.

    Separate cyber policies are not added together: without a stated excess layering, one claim is paid
    by one policy. No cyber policy, or policies in another currency than the fees, is "not met".
    """
    liability = indemnification.liability
    if liability.super_cap is None:
        return None
    currency = indemnification.currency
    required = cap_amount(liability.super_cap, indemnification.annual_fee)
    super_cap = f"the data-breach super-cap of {format_money(required, currency)}"
    if insurance.currency != currency:
        return CoverageCheck(
            False,
            required,
            None,
            None,
            currency,
            f"the insurance limits are in {insurance.currency} but {super_cap} is in "
            f"{currency}, so they cannot be compared",
        )
    cyber = [p for p in insurance.policies if p.type == "cyber" and p.per_claim_limit is not None]
    if not cyber:
        return CoverageCheck(False, required, None, None, currency, f"no cyber policy covers {super_cap}")
    best = max(cyber, key=lambda p: p.per_claim_limit or Decimal(0))
    limit = Decimal(best.per_claim_limit or 0)
    stated = f"the cyber policy '{best.id}' limit of {format_money(limit, currency)} per claim"
    if limit >= required:
        return CoverageCheck(True, required, limit, best.id, currency, f"{stated} covers {super_cap}")
    return CoverageCheck(False, required, limit, best.id, currency, f"{stated} is below {super_cap}")


def format_money(amount: Decimal, currency: str) -> str:
    """ "$144,000", "€1,250.50", "GBP 1,000": whole amounts without cents, others to the cent."""
    value = Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    value = abs(value)
    number = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    code = currency.upper()
    symbol = _SYMBOLS.get(code)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{code} {number}"


FINANCIAL_STRENGTH = ("A++", "A+", "A", "A-", "B++", "B+", "B", "B-", "C++", "C+", "C", "C-", "D", "E", "F", "S")
"""A.M. Best financial strength ratings, strongest first."""
SIZE_CLASSES = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")
"""A.M. Best financial size classes, smallest first."""
_RATING = re.compile(r"^(\S+) (\S+)$")


def rating_meets(rating: str, minimum: str) -> bool | None:
    """Whether an A.M. Best rating is at least `minimum` in both strength and size; None if either is unreadable.

    "A XIII" meets "A- VII"; "A- VI" does not (too small); "B++ XV" does not (too weak).
    """
    parsed = [_RATING.match(r.strip()) for r in (rating, minimum)]
    if not all(parsed):
        return None
    (strength, size), (min_strength, min_size) = (m.groups() for m in parsed)  # type: ignore[union-attr]
    if {strength, min_strength} - set(FINANCIAL_STRENGTH) or {size, min_size} - set(SIZE_CLASSES):
        return None
    return FINANCIAL_STRENGTH.index(strength) <= FINANCIAL_STRENGTH.index(min_strength) and SIZE_CLASSES.index(
        size
    ) >= SIZE_CLASSES.index(min_size)
