"""The insurance summary's context: the policies the Provider undertakes to maintain, their limits, sublimits,
retroactive dates and endorsements, the certificate, notice of cancellation and tail cover."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from trustdocs.analyse.liability import format_money
from trustdocs.model.legal import POLICY_TYPE_NAMES, Policy
from trustdocs.model.project import Project
from trustdocs.render.contract import Parties, parties_of, plural, readable_project
from trustdocs.render.env import MONTHS

log = logging.getLogger(__name__)

BASIS_NAMES = {"claims_made": "Claims-made", "occurrence": "Occurrence", "statutory": "Statutory"}
STATUTORY = "Statutory"
NONE = "—"


def short_date(day: dt.date) -> str:
    """ "1 Jul 2026": the policy table's narrow period column."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


@dataclass(frozen=True)
class PolicyLine:
    type: str
    policy_number: str
    carrier: str
    rating: str
    per_claim: str
    aggregate: str
    retention: str
    basis: str
    retroactive_date: str
    """"1 Jul 2019" for a claims-made policy that has one; empty otherwise."""
    period_start: str
    period_end: str
    notes: str
    additional_insured: str
    """"Yes" / "No", as the endorsements table prints it."""
    waiver_of_subrogation: str
    primary_non_contributory: str


@dataclass(frozen=True)
class SublimitLine:
    policy: str
    name: str
    amount: str


@dataclass(frozen=True)
class InsuranceSummary:
    parties: Parties
    currency: str
    minimum_rating: str
    policies: tuple[PolicyLine, ...]
    sublimits: tuple[SublimitLine, ...]
    endorsed: bool
    """Whether any policy carries an endorsement in the Customer's favour."""
    certificate_form: str
    broker: str
    broker_contact: str
    certificate_delivery: str
    cancellation_notice: str
    """"30 days"; empty for notice without a minimum period."""
    tail_cover: str
    claims_made: tuple[str, ...]
    """Types of the claims-made policies the retroactive dates and the tail cover apply to."""
    retroactive_dates: bool
    """Whether any claims-made policy states a retroactive date."""


def _money(value: Decimal | None, currency: str, basis: str) -> str:
    if value is None:
        return STATUTORY if basis == "statutory" else NONE
    return format_money(value, currency)


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def policy_line(policy: Policy, currency: str) -> PolicyLine:
    """One row of the policy table, figures in `currency`."""
    retroactive = policy.retroactive_date if policy.basis == "claims_made" else None
    return PolicyLine(
        type=POLICY_TYPE_NAMES.get(policy.type, policy.type),
        policy_number=policy.policy_number or "",
        carrier=policy.carrier,
        rating=policy.am_best_rating,
        per_claim=_money(policy.per_claim_limit, currency, policy.basis),
        aggregate=_money(policy.aggregate_limit, currency, policy.basis),
        retention=format_money(policy.retention, currency) if policy.retention else "None",
        basis=BASIS_NAMES.get(policy.basis, policy.basis),
        retroactive_date=short_date(retroactive) if retroactive else "",
        period_start=short_date(policy.period_start),
        period_end=short_date(policy.period_end),
        notes=policy.notes,
        additional_insured=_yes_no(policy.additional_insured),
        waiver_of_subrogation=_yes_no(policy.waiver_of_subrogation),
        primary_non_contributory=_yes_no(policy.primary_non_contributory),
    )


def insurance_summary(project: Project) -> InsuranceSummary:
    """The insurance summary's context."""
    readable = readable_project(project)
    insurance = readable.insurance
    if insurance is None:
        raise ValueError("the project has no 'insurance' section")
    currency = insurance.currency
    lines = tuple(policy_line(p, currency) for p in insurance.policies)
    return InsuranceSummary(
        parties=parties_of(readable, "insurance-summary"),
        currency=currency,
        minimum_rating=insurance.minimum_rating,
        policies=lines,
        sublimits=tuple(
            SublimitLine(POLICY_TYPE_NAMES.get(p.type, p.type), s.name, format_money(s.amount, currency))
            for p in insurance.policies
            for s in p.sublimits
        ),
        endorsed=any(
            p.additional_insured or p.waiver_of_subrogation or p.primary_non_contributory for p in insurance.policies
        ),
        certificate_form=insurance.certificate.form,
        broker=insurance.certificate.broker,
        broker_contact=insurance.certificate.broker_contact,
        certificate_delivery=insurance.certificate.delivery,
        cancellation_notice=plural(insurance.cancellation_notice_days, "day")
        if insurance.cancellation_notice_days
        else "",
        tail_cover=plural(insurance.tail_cover_months, "month") if insurance.tail_cover_months else "",
        claims_made=tuple(line.type for line in lines if line.basis == BASIS_NAMES["claims_made"]),
        retroactive_dates=any(line.retroactive_date for line in lines),
    )
