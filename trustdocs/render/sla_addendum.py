"""The SLA addendum's context: definitions, commitments, allowances, the credit schedule and worked example.

Every figure is computed here from the model with trustdocs.analyse; the template only lays the strings out.
The addendum is a signed instrument, so it holds terms only: the measured history is in the Service
Performance Report (render/service_performance.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from markupsafe import Markup, escape

from trustdocs.analyse.availability import (
    PeriodLength,
    downtime_allowance,
    example_downtime,
    period_credits,
    period_fee,
    period_lengths,
)
from trustdocs.analyse.durations import format_duration
from trustdocs.analyse.liability import format_money
from trustdocs.model.project import Project
from trustdocs.model.sla import Credits, CreditTier, Service, Sla, Support
from trustdocs.render.contract import (
    Parties,
    count_text,
    measured_text,
    parties_of,
    percent_text,
    plural,
    readable_project,
    threshold_text,
)
from trustdocs.render.env import MONTHS, xref
from trustdocs.render.markdown import render_markdown
from trustdocs.render.support_terms import SupportTerms, support_terms

log = logging.getLogger(__name__)

NONE = "—"
PERIODS_PER_YEAR = {"month": 12, "quarter": 4}
PERIOD_TERMS = {"month": "Monthly Uptime Percentage", "quarter": "Quarterly Uptime Percentage"}
ALLOWANCE_YEARS = 4
"""Years of period lengths the allowance table looks at from the Addendum Effective Date: a leap year and
three common years, so every day count and every daylight-saving change a period has is there."""


@dataclass(frozen=True)
class DefinitionLine:
    term: str
    meaning: Markup
    """"means …" or "has the meaning given in clause 3.2", as HTML."""


@dataclass(frozen=True)
class ServiceLine:
    name: str
    description: str
    commitment: str
    fee_share: str
    """"50 %" of the Fees, or empty when credits are on the total Fees."""


@dataclass(frozen=True)
class AllowanceLine:
    length: str
    """"744 hours (31 days)"."""
    periods: str
    """Which calendar periods have that length: "January, May, July, August, December"."""
    seconds: int
    allowances: tuple[str, ...]
    """Allowed Downtime per commitment column."""


@dataclass(frozen=True)
class CreditRange:
    availability: str
    """"99.0 % ≤ Monthly Uptime Percentage < 99.9 %"."""
    credit: str
    capped: bool
    """The tier's credit is above the per-Service cap, so the cap is what is due."""


@dataclass(frozen=True)
class CreditSchedule:
    commitment: str
    services: str
    ranges: tuple[CreditRange, ...]


@dataclass(frozen=True)
class ExampleLine:
    service: str
    commitment: str
    downtime: str
    uptime: str
    credit_percent: str
    fee: str
    """The fees the credit is computed on; empty without a fee."""
    credit: str


@dataclass(frozen=True)
class WorkedExample:
    period: str
    """"a Measurement Period of 744 hours (31 days, 2,678,400 seconds), such as January"."""
    period_seconds: str
    fee_working: str
    """"$600,000 ÷ 12 = $50,000"; empty without a fee."""
    lines: tuple[ExampleLine, ...]
    subtotal: str
    aggregate_cap: str
    """"100 % × $50,000 = $50,000"."""
    total: str


@dataclass(frozen=True)
class SlaAddendum:
    parties: Parties
    product: str
    period: str
    """"month" or "quarter"."""
    uptime_term: str
    """"Monthly Uptime Percentage"."""
    time_zone: str
    definitions: tuple[DefinitionLine, ...]
    services: tuple[ServiceLine, ...]
    downtime_definition: str
    minimum_downtime: str
    allowance_commitments: tuple[str, ...]
    allowances: tuple[AllowanceLine, ...]
    exclusions: tuple[str, ...]
    maintenance_notice: str
    maintenance_cap: str
    maintenance_window: str
    emergency_maintenance: str
    credits_on_service_fees: bool
    schedules: tuple[CreditSchedule, ...]
    credit_cap: str
    aggregate_cap: str
    example: WorkedExample
    future_invoices_only: bool
    requires_good_standing: bool
    claim_deadline: str
    claim_channel: str
    claim_evidence: str
    chronic_threshold: str
    chronic_periods: str
    chronic_remedy: str
    sole_remedy: str
    notice_of_changes: str
    status_page: str | None
    support: SupportTerms | None


def _names(services: Sequence[Service]) -> str:
    return ", ".join(s.name for s in services)


def _schedule_groups(sla: Sla) -> list[tuple[Decimal, Credits, list[Service]]]:
    """Services that share a commitment and a tier table, in the SLA's order."""
    groups: dict[tuple[Decimal, tuple[CreditTier, ...]], list[Service]] = {}
    for service in sla.services:
        credits = sla.credits_for(service)
        key = (
            Decimal(service.commitment_percent).normalize(),
            tuple(CreditTier(t.availability_at_least, t.credit_percent) for t in credits.tiers),
        )
        groups.setdefault(key, []).append(service)
    return [(commitment, sla.credits_for(members[0]), members) for (commitment, _), members in groups.items()]


def credit_ranges(commitment: Decimal, credits: Credits, term: str = "availability") -> tuple[CreditRange, ...]:
    """The credit schedule below `commitment` as ranges of `term`; tiers it cannot reach are left out.

    The ranges follow analyse.availability.credit_tier: a tier covers its threshold up to (not including) the
    next higher reachable threshold, or the commitment; the credit shown is capped at credits.cap_percent.
    """
    return tuple(line for _, line in _tier_ranges(commitment, credits, term))


def _tier_ranges(
    commitment: Decimal, credits: Credits, term: str = "availability"
) -> list[tuple[CreditTier | None, CreditRange]]:
    ranges: list[tuple[CreditTier | None, CreditRange]] = []
    upper = Decimal(commitment)
    for tier in sorted(credits.tiers, key=lambda t: t.availability_at_least, reverse=True):
        lower = Decimal(tier.availability_at_least)
        if lower >= upper:
            continue
        credit = min(Decimal(tier.credit_percent), Decimal(credits.cap_percent))
        text = (
            f"{threshold_text(lower)} ≤ {term} < {threshold_text(upper)}"
            if lower > 0
            else f"{term} < {threshold_text(upper)}"
        )
        ranges.append((tier, CreditRange(text, percent_text(credit), credit < Decimal(tier.credit_percent))))
        upper = lower
    if upper > 0:
        ranges.append((None, CreditRange(f"{term} < {threshold_text(upper)}", percent_text(0), False)))
    return ranges


# -- the allowance table ------------------------------------------------------------------------------


def allowance_years(effective: dt.date) -> range:
    """The years whose period lengths the allowance table shows."""
    return range(effective.year, effective.year + ALLOWANCE_YEARS)


def _period_names(length: PeriodLength, lengths: Sequence[PeriodLength]) -> str:
    """ "January, May, July, August, December"; "February in a leap year"; "Q1 in a common year"."""

    def name(period_start: dt.date) -> str:
        if length.kind == "month":
            return MONTHS[period_start.month - 1]
        return f"Q{(period_start.month - 1) // 3 + 1}"

    names: list[str] = []
    for period in length.periods:
        label = name(period.start.date())
        elsewhere = any(
            name(p.start.date()) == label for other in lengths if other is not length for p in other.periods
        )
        if elsewhere and all(p.days == period.days for p in length.periods if name(p.start.date()) == label):
            leap = period.start.year % 4 == 0 and (period.start.year % 100 != 0 or period.start.year % 400 == 0)
            if any(
                o.days != length.days
                for o in lengths
                if o is not length
                for p in o.periods
                if name(p.start.date()) == label
            ):
                label = f"{label} in a {'leap' if leap else 'common'} year"
        if label not in names:
            names.append(label)
    text = ", ".join(names)
    change = length.daylight_saving_change
    if change < 0:
        text += " (the clocks go forward)"
    elif change > 0:
        text += " (the clocks go back)"
    return text


def length_text(seconds: int, days: int) -> str:
    """ "743 hours (31 days)": a period's real length."""
    hours = Fraction(seconds, 3_600)
    whole = f"{hours.numerator // hours.denominator:,}" if hours.denominator == 1 else format_duration(seconds)
    return f"{whole} hours ({plural(days, 'day')})" if hours.denominator == 1 else f"{whole} ({plural(days, 'day')})"


def allowance_lines(sla: Sla, effective: dt.date) -> tuple[tuple[str, ...], tuple[AllowanceLine, ...]]:
    """The allowed Downtime per commitment for every length a Measurement Period has in the SLA's zone."""
    commitments = sorted({Decimal(s.commitment_percent).normalize() for s in sla.services})
    lengths = period_lengths(sla.measurement_period, sla.time_zone, allowance_years(effective))
    lines = tuple(
        AllowanceLine(
            length_text(length.seconds, length.days),
            _period_names(length, lengths),
            length.seconds,
            tuple(format_duration(downtime_allowance(c, length.seconds)) for c in commitments),
        )
        for length in lengths
    )
    return tuple(percent_text(c) for c in commitments), lines


# -- the worked example -------------------------------------------------------------------------------


def _example_length(sla: Sla, effective: dt.date) -> PeriodLength:
    """The period length the worked example uses: the longest without a daylight-saving change."""
    lengths = period_lengths(sla.measurement_period, sla.time_zone, allowance_years(effective))
    plain = [length for length in lengths if length.daylight_saving_change == 0] or list(lengths)
    return max(plain, key=lambda length: length.seconds)


def worked_example(
    sla: Sla, effective: dt.date, annual_fee: Decimal | None, currency: str, uptime_term: str
) -> WorkedExample:
    """Every Service misses its commitment in one Measurement Period: each one's Service Credit on the fees it
    is computed on, their total and the aggregate cap, by the rule analyse.availability.period_credits
    applies."""
    length = _example_length(sla, effective)
    seconds = length.seconds
    downtime = {
        s.id: example_downtime(Decimal(s.commitment_percent), sla.credits_for(s), seconds // 60) for s in sla.services
    }
    uptime = {sid: Fraction(seconds - minutes * 60, seconds) * 100 for sid, minutes in downtime.items()}
    fee = period_fee(annual_fee, sla.measurement_period) if annual_fee is not None else Decimal(100)
    credits = period_credits(sla, uptime, fee)
    money = annual_fee is not None

    def amount(value: Decimal) -> str:
        return format_money(value, currency) if money else ""

    lines = tuple(
        ExampleLine(
            s.name,
            percent_text(s.commitment_percent),
            f"{count_text(downtime[s.id])} minutes",
            measured_text(uptime[s.id]),
            percent_text(c.credit_percent),
            amount(c.fee),
            amount(c.amount),
        )
        for s, c in zip(sla.services, credits.credits, strict=False)
    )
    sample = length.periods[0].start
    such_as = MONTHS[sample.month - 1] if sla.measurement_period == "month" else f"Q{(sample.month - 1) // 3 + 1}"
    unit = "Measurement Period"
    return WorkedExample(
        period=f"a {unit} of {length_text(seconds, length.days)}, such as {such_as}",
        period_seconds=f"{count_text(seconds)} seconds",
        fee_working=(
            f"{format_money(annual_fee, currency)} ÷ {PERIODS_PER_YEAR[sla.measurement_period]} = "
            f"{format_money(fee, currency)}"
        )
        if annual_fee is not None
        else "",
        lines=lines,
        subtotal=amount(credits.subtotal),
        aggregate_cap=(
            f"{percent_text(sla.aggregate_cap_percent)} × {format_money(fee, currency)} = "
            f"{format_money(credits.aggregate_cap, currency)}"
        )
        if money
        else "",
        total=amount(credits.total),
    )


# -- definitions --------------------------------------------------------------------------------------


def _means(text: str) -> Markup:
    return Markup("means ") + escape(text)


def definitions(
    sla: Sla, support: Support | None, support_view: SupportTerms | None, uptime_term: str
) -> tuple[DefinitionLine, ...]:
    """Clause 1's terms, alphabetical; a term the SLA defines itself replaces the standard wording."""
    unit = sla.measurement_period
    terms: dict[str, Markup] = {
        "Agreement": Markup("has the meaning given in the description of the parties at the start of this Addendum"),
        "Customer": Markup("means the party so named at the start of this Addendum"),
        "Downtime": Markup("has the meaning given in ") + xref("downtime"),
        "Fees": Markup(
            "means the subscription fees payable by the Customer under the Agreement for the Services; "
            f"the Fees for a Measurement Period are the annual Fees divided by "
            f"{PERIODS_PER_YEAR[unit]}"
        ),
        "Measurement Period": _means(
            f"a calendar {unit} in the {sla.time_zone} time zone, from local midnight "
            f"at its start to local midnight at its end"
        ),
        uptime_term: Markup("means, for a Service and a Measurement Period, the percentage calculated under ")
        + xref("uptime"),
        "Provider": Markup("means the party so named at the start of this Addendum"),
        "Scheduled Maintenance": Markup("means maintenance of a Service announced as ")
        + xref("scheduled-maintenance")
        + Markup(" requires"),
        "Service": Markup("means each service listed in ") + xref("services"),
        "Service Credit": Markup("means a credit against future Fees calculated under ") + xref("credit-entitlement"),
    }
    if sla.maintenance.emergency:
        terms["Emergency Maintenance"] = Markup(
            "means maintenance the Provider carries out with less notice than Scheduled Maintenance requires, "
            "on the terms of "
        ) + xref("emergency-maintenance")
    if sla.chronic_failure is not None:
        terms["Chronic Failure"] = Markup("has the meaning given in ") + xref("chronic-failure")
    if support_view is not None:
        terms["Business Day"] = _means(support_view.business_days)
        if support_view.business_hours:
            terms["Business Hours"] = _means(f"the hours {support_view.business_hours}, on Business Days only")
        terms["Severity"] = (
            Markup("means the level of a support request, as ") + xref("severity") + Markup(" defines the levels")
        )
    if support is not None and any("Security Incident" in s.definition for s in support.severities):
        terms["Security Incident"] = Markup(
            "means a breach of the Provider’s security that leads to the accidental or unlawful destruction, "
            "loss, alteration or unauthorised disclosure of, or access to, the Customer’s data"
        )
    for own in sla.definitions:
        terms[own.term] = render_markdown(own.definition)
    return tuple(DefinitionLine(term, terms[term]) for term in sorted(terms, key=str.lower))


def sla_addendum(project: Project) -> SlaAddendum:
    """The SLA addendum's context."""
    if project.sla is None:
        raise ValueError("the project has no 'sla' section")
    readable = readable_project(project)
    sla = readable.sla
    assert sla is not None
    legal = readable.indemnification
    annual_fee = legal.annual_fee if legal is not None else None
    currency = legal.currency if legal is not None else "USD"
    parties = parties_of(readable, "sla-addendum")
    effective = parties.effective_date or readable.document.effective_date
    uptime_term = PERIOD_TERMS[sla.measurement_period]
    commitments, allowances = allowance_lines(sla, effective)
    chronic = sla.chronic_failure
    support_view = support_terms(readable.support) if readable.support is not None else None
    on_service_fees = sla.credits.basis == "service_fees"
    return SlaAddendum(
        parties=parties,
        product=readable.document.product,
        period=sla.measurement_period,
        uptime_term=uptime_term,
        time_zone=sla.time_zone,
        definitions=definitions(sla, readable.support, support_view, uptime_term),
        services=tuple(
            ServiceLine(
                s.name,
                s.description,
                percent_text(s.commitment_percent),
                percent_text(s.fee_share_percent) if on_service_fees and s.fee_share_percent is not None else "",
            )
            for s in sla.services
        ),
        downtime_definition=sla.downtime_definition,
        minimum_downtime=plural(sla.minimum_downtime_minutes, "minute"),
        allowance_commitments=commitments,
        allowances=allowances,
        exclusions=sla.exclusions,
        maintenance_notice=plural(sla.maintenance.notice_hours, "hour"),
        maintenance_cap=plural(sla.maintenance.yearly_cap_hours, "hour"),
        maintenance_window=sla.maintenance.window,
        emergency_maintenance=sla.maintenance.emergency,
        credits_on_service_fees=on_service_fees,
        schedules=tuple(
            CreditSchedule(percent_text(c), _names(members), credit_ranges(c, credits, uptime_term))
            for c, credits, members in _schedule_groups(sla)
        ),
        credit_cap=percent_text(sla.credits.cap_percent),
        aggregate_cap=percent_text(sla.aggregate_cap_percent),
        example=worked_example(sla, effective, annual_fee, currency, uptime_term),
        future_invoices_only=sla.credits.future_invoices_only,
        requires_good_standing=sla.credits.requires_good_standing,
        claim_deadline=plural(sla.claims.deadline_days, "day"),
        claim_channel=sla.claims.channel,
        claim_evidence=sla.claims.evidence,
        chronic_threshold=threshold_text(chronic.threshold_percent) if chronic else "",
        chronic_periods=plural(chronic.consecutive_periods, "consecutive Measurement Period") if chronic else "",
        chronic_remedy=chronic.remedy if chronic else "",
        sole_remedy=sla.sole_remedy,
        notice_of_changes=plural(sla.notice_of_changes_days, "day") if sla.notice_of_changes_days else "",
        status_page=sla.status_page,
        support=support_view,
    )
