"""The insurance summary's context: the coverage table, endorsements, certificate, notice and tail cover, and
whether the cyber limit funds the data-breach super-cap."""
from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from decimal import Decimal

from trustdocs.analyse.liability import format_money, insurance_covers_super_cap
from trustdocs.model.legal import POLICY_TYPE_NAMES, Indemnification, Insurance, Policy
from trustdocs.model.project import Project
from trustdocs.render.contract import Parties, cap_basis, parties_of, plural, readable_project
from trustdocs.render.env import MONTHS

log = logging.getLogger(__name__)

BASIS_NAMES = {"claims_made": "Claims-made", "occurrence": "Occurrence", "statutory": "Statutory"}
FINANCIAL_STRENGTH = ("A++", "A+", "A", "A-", "B++", "B+", "B", "B-", "C++", "C+", "C", "C-", "D", "E", "F", "S")
"""A.M. Best financial strength ratings, strongest first."""
SIZE_CLASSES = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")
"""A.M. Best financial size classes, smallest first."""
_RATING = re.compile(r"^(\S+) (\S+)$")
STATUTORY = "Statutory"
NONE = "—"


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
    return (FINANCIAL_STRENGTH.index(strength) <= FINANCIAL_STRENGTH.index(min_strength)
            and SIZE_CLASSES.index(size) >= SIZE_CLASSES.index(min_size))


def short_date(day: dt.date) -> str:
    """"1 Jul 2026": the coverage table's narrow period column."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


@dataclass(frozen=True)
class PolicyLine:
    type: str
    policy_number: str
    carrier: str
    rating: str
    rating_meets: bool | None
    per_claim: str
    aggregate: str
    retention: str
    basis: str
    period_start: str
    period_end: str
    notes: str
    additional_insured: bool
    waiver_of_subrogation: bool
    primary_non_contributory: bool


@dataclass(frozen=True)
class CoverageVerdict:
    """MET / NOT MET with both figures, as liability.insurance_covers_super_cap decides it."""

    met: bool
    word: str
    super_cap: str
    """The super-cap in currency."""
    basis: str
    """How the super-cap is worked out, e.g. "5 × the fees paid in the 12 months before the claim"."""
    annual_fee: str
    cyber_limit: str
    policy: str
    explanation: str


@dataclass(frozen=True)
class InsuranceSummary:
    parties: Parties
    product: str
    currency: str
    minimum_rating: str
    policies: tuple[PolicyLine, ...]
    ratings_below_minimum: tuple[str, ...]
    """Types of the policies whose insurer is rated below the minimum."""
    certificate_form: str
    broker: str
    broker_contact: str
    certificate_delivery: str
    cancellation_notice: str
    tail_cover: str
    claims_made: tuple[str, ...]
    """Types of the claims-made policies the tail cover applies to."""
    verdict: CoverageVerdict | None


def _money(value: Decimal | None, currency: str, basis: str) -> str:
    if value is None:
        return STATUTORY if basis == "statutory" else NONE
    return format_money(value, currency)


def policy_line(policy: Policy, currency: str, minimum: str) -> PolicyLine:
    """One row of the coverage table, figures in `currency`."""
    return PolicyLine(
        type=POLICY_TYPE_NAMES.get(policy.type, policy.type),
        policy_number=policy.policy_number or "",
        carrier=policy.carrier,
        rating=policy.am_best_rating,
        rating_meets=rating_meets(policy.am_best_rating, minimum),
        per_claim=_money(policy.per_claim_limit, currency, policy.basis),
        aggregate=_money(policy.aggregate_limit, currency, policy.basis),
        retention=format_money(policy.retention, currency) if policy.retention else "None",
        basis=BASIS_NAMES.get(policy.basis, policy.basis),
        period_start=short_date(policy.period_start),
        period_end=short_date(policy.period_end),
        notes=policy.notes,
        additional_insured=policy.additional_insured,
        waiver_of_subrogation=policy.waiver_of_subrogation,
        primary_non_contributory=policy.primary_non_contributory,
    )


def coverage_verdict(insurance: Insurance, legal: Indemnification) -> CoverageVerdict | None:
    """Whether the cyber limit covers the data-breach super-cap; None when there is no super-cap."""
    check = insurance_covers_super_cap(insurance, legal)
    if check is None or legal.liability.super_cap is None:
        return None
    return CoverageVerdict(
        met=check.met,
        word="MET" if check.met else "NOT MET",
        super_cap=format_money(check.required, check.currency),
        basis=cap_basis(legal.liability.super_cap, legal.currency),
        annual_fee=format_money(legal.annual_fee, legal.currency),
        cyber_limit=format_money(check.limit, check.currency) if check.limit is not None else "no cyber policy",
        policy=POLICY_TYPE_NAMES["cyber"] if check.policy else "",
        explanation=check.explanation[:1].upper() + check.explanation[1:] + ".",
    )


def insurance_summary(project: Project) -> InsuranceSummary:
    """The insurance summary's context."""
    readable = readable_project(project)
    insurance = readable.insurance
    if insurance is None:
        raise ValueError("the project has no 'insurance' section")
    lines = tuple(policy_line(p, insurance.currency, insurance.minimum_rating) for p in insurance.policies)
    # Judged on the policies this document lists, so that the verdict never rests on a policy the reader
    # cannot see.
    legal = readable.indemnification
    verdict = coverage_verdict(insurance, legal) if legal is not None else None
    return InsuranceSummary(
        parties=parties_of(readable, "insurance-summary"),
        product=readable.document.product,
        currency=insurance.currency,
        minimum_rating=insurance.minimum_rating,
        policies=lines,
        ratings_below_minimum=tuple(line.type for line in lines if line.rating_meets is False),
        certificate_form=insurance.certificate.form,
        broker=insurance.certificate.broker,
        broker_contact=insurance.certificate.broker_contact,
        certificate_delivery=insurance.certificate.delivery,
        cancellation_notice=plural(insurance.cancellation_notice_days, "day"),
        tail_cover=plural(insurance.tail_cover_months, "month") if insurance.tail_cover_months else "",
        claims_made=tuple(line.type for line in lines if line.basis == BASIS_NAMES["claims_made"]),
        verdict=verdict,
    )
