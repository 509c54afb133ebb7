"""Insurance, indemnification and limitation of liability."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from trustdocs.model.base import Audience, Location, loc_field

PolicyType = Literal[
    "cyber",
    "technology_eo",
    "general_liability",
    "umbrella",
    "workers_compensation",
    "employers_liability",
    "crime",
    "directors_officers",
]
POLICY_TYPE_NAMES: dict[str, str] = {
    "cyber": "Cyber (network security & privacy)",
    "technology_eo": "Technology E&O / professional liability",
    "general_liability": "Commercial general liability",
    "umbrella": "Umbrella / excess liability",
    "workers_compensation": "Workers' compensation",
    "employers_liability": "Employer's liability",
    "crime": "Crime / fidelity",
    "directors_officers": "Directors & officers",
}


@dataclass(frozen=True)
class Sublimit:
    """A limit within a policy's limit for one kind of loss (regulatory fines, extortion, PCI); part of that
    limit, not in addition to it."""

    name: str
    amount: Decimal


@dataclass(frozen=True)
class Policy:
    id: str
    type: PolicyType
    carrier: str
    am_best_rating: str
    """E.g. 'A+ XV': financial strength letter then size class."""
    basis: Literal["claims_made", "occurrence", "statutory"]
    period_start: dt.date
    period_end: dt.date
    retroactive_date: dt.date | None = None
    """Claims-made cover: acts before this date are not covered, whenever the claim is made."""
    per_claim_limit: Decimal | None = None
    """Per claim or per occurrence; None for statutory cover."""
    aggregate_limit: Decimal | None = None
    retention: Decimal = Decimal(0)
    sublimits: tuple[Sublimit, ...] = ()
    additional_insured: bool = False
    waiver_of_subrogation: bool = False
    primary_non_contributory: bool = False
    policy_number: str | None = None
    notes: str = ""
    audience: Audience = "public"
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Certificate:
    form: str
    broker: str
    broker_contact: str = ""
    delivery: str = ""


@dataclass(frozen=True)
class Insurance:
    currency: str
    policies: tuple[Policy, ...]
    certificate: Certificate
    cancellation_notice_days: int
    tail_cover_months: int = 0
    minimum_rating: str = "A- VII"
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class IpIndemnity:
    scope: str
    exclusions: tuple[str, ...]
    remedies: tuple[str, ...]


@dataclass(frozen=True)
class BreachIndemnity:
    covered_costs: tuple[str, ...]
    notice_hours: int
    credit_monitoring_months: int | None = None
    description: str = ""


@dataclass(frozen=True)
class CustomerIndemnity:
    scope: str
    exclusions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Procedure:
    notice: str
    control_of_defence: str
    cooperation: str
    settlement: str
    participation: str = ""


@dataclass(frozen=True)
class Cap:
    """A liability cap: a multiple of the fees paid over a lookback, or a fixed amount, whichever is stated."""

    fees_multiple: Decimal | None = None
    lookback_months: int = 12
    fixed_amount: Decimal | None = None
    greater_of: bool = True
    """With both a multiple and a fixed amount: the greater (True) or the lesser of the two."""
    covers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Liability:
    general_cap: Cap
    super_cap: Cap | None = None
    uncapped: tuple[str, ...] = ()
    excluded_damages: tuple[str, ...] = ()
    credits_count_against_cap: bool = True


@dataclass(frozen=True)
class Indemnification:
    currency: str
    annual_fee: Decimal
    """The annual subscription fee the caps are worked out for (a customer file may override it)."""
    ip_indemnity: IpIndemnity
    data_breach_indemnity: BreachIndemnity
    customer_indemnity: CustomerIndemnity
    procedure: Procedure
    liability: Liability
    governing_law: str = ""
    loc: Location | None = loc_field()
