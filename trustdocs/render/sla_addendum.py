"""The SLA addendum's context: commitments, allowances, the credit schedule and worked example, the history.

Every figure is computed here from the model with trustdocs.analyse; the template only lays the strings out.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from trustdocs.analyse.availability import (
    AVAILABILITY_FORMULA, HistoryRow, allowance_table, chronic_failure, credit_tier, project_history,
    time_zone, worked_example,
)
from trustdocs.analyse.durations import format_duration, format_percent
from trustdocs.analyse.liability import fees_for, format_money
from trustdocs.model.audience import may_read, readers_of
from trustdocs.model.project import Project
from trustdocs.model.sla import CreditTier, Credits, Incident, Service, Sla
from trustdocs.render.charts import bar_chart_svg
from trustdocs.render.contract import (
    Parties, count_text, measured_text, parties_of, percent_text, plural, readable_project, threshold_text,
)
from trustdocs.render.env import MONTHS, format_date
from trustdocs.render.support_terms import SupportTerms, support_terms

log = logging.getLogger(__name__)

NONE = "—"
PERIODS_PER_YEAR = {"month": 12, "quarter": 4}
PERIOD_NOTES = {
    28: "February in a common year", 29: "February in a leap year", 30: "April, June, September, November",
    31: "January, March, May, July, August, October, December", 90: "Q1 in a common year",
    91: "Q1 in a leap year, Q2", 92: "Q3, Q4", 365: "A common year", 366: "A leap year",
}


@dataclass(frozen=True)
class ServiceLine:
    name: str
    description: str
    commitment: str


@dataclass(frozen=True)
class AllowanceLine:
    period: str
    note: str
    length: str
    """The period length in seconds, e.g. "2,592,000 s"."""
    allowances: tuple[str, ...]
    """Allowed downtime per commitment column."""


@dataclass(frozen=True)
class CreditRange:
    availability: str
    """"99.0 % ≤ availability < 99.9 %"."""
    credit: str
    capped: bool
    """The tier's credit is above the cap, so the cap is what is paid."""


@dataclass(frozen=True)
class CreditSchedule:
    commitment: str
    services: str
    ranges: tuple[CreditRange, ...]


@dataclass(frozen=True)
class ExampleStep:
    label: str
    working: str
    result: str


@dataclass(frozen=True)
class WorkedExampleView:
    commitment: str
    services: str
    steps: tuple[ExampleStep, ...]


@dataclass(frozen=True)
class HistoryLine:
    period: str
    service: str
    commitment: str
    availability: str
    downtime: str
    excluded: str
    allowed: str
    met: bool
    credit: str


@dataclass(frozen=True)
class IncidentLine:
    id: str
    start: str
    duration: str
    services: str
    summary: str
    excluded: str
    """Why it is excluded, or empty when it counts."""


@dataclass(frozen=True)
class ServiceChart:
    service: str
    commitment: str
    svg: Markup


@dataclass(frozen=True)
class History:
    first: str
    last: str
    lines: tuple[HistoryLine, ...]
    charts: tuple[ServiceChart, ...]
    incidents: tuple[IncidentLine, ...]
    periods_met: int
    periods_total: int
    chronic: tuple[str, ...]
    """One sentence per chronic-failure run found in the history."""

    @property
    def by_period(self) -> tuple[tuple[HistoryLine, ...], ...]:
        """The lines of each period together (they are printed as one unbreakable group)."""
        groups: list[list[HistoryLine]] = []
        for line in self.lines:
            if groups and groups[-1][0].period == line.period:
                groups[-1].append(line)
            else:
                groups.append([line])
        return tuple(tuple(g) for g in groups)


@dataclass(frozen=True)
class SlaAddendum:
    parties: Parties
    product: str
    effective_date: str
    services: tuple[ServiceLine, ...]
    period: str
    """"month" or "quarter"."""
    time_zone: str
    formula: str
    downtime_definition: str
    minimum_downtime: str
    definitions: tuple[tuple[str, str], ...]
    allowance_commitments: tuple[str, ...]
    allowances: tuple[AllowanceLine, ...]
    exclusions: tuple[str, ...]
    maintenance_notice: str
    maintenance_cap: str
    maintenance_window: str
    emergency_maintenance: str
    schedules: tuple[CreditSchedule, ...]
    examples: tuple[WorkedExampleView, ...]
    example_period: str
    """"31-day month" or "92-day quarter"."""
    example_fee: str
    """How the period's fee is derived, e.g. "the annual fee of $240,000 ÷ 12 = $20,000"; empty without a fee."""
    credit_cap: str
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
    history: History | None


def _group_by_commitment(services: Sequence[Service]) -> list[tuple[Decimal, list[Service]]]:
    groups: dict[Decimal, list[Service]] = {}
    for service in services:
        groups.setdefault(Decimal(service.commitment_percent).normalize(), []).append(service)
    return list(groups.items())


def _names(services: Sequence[Service]) -> str:
    return ", ".join(s.name for s in services)


def credit_ranges(commitment: Decimal, credits: Credits) -> tuple[CreditRange, ...]:
    """The credit schedule below `commitment` as availability ranges; tiers it cannot reach are left out.

    The ranges follow analyse.availability.credit_tier: a tier covers its threshold up to (not including) the
    next higher reachable threshold, or the commitment; the credit shown is capped at credits.cap_percent.
    """
    return tuple(line for _, line in _tier_ranges(commitment, credits))


def _tier_ranges(commitment: Decimal, credits: Credits) -> list[tuple[CreditTier | None, CreditRange]]:
    ranges: list[tuple[CreditTier | None, CreditRange]] = []
    upper = Decimal(commitment)
    for tier in sorted(credits.tiers, key=lambda t: t.availability_at_least, reverse=True):
        lower = Decimal(tier.availability_at_least)
        if lower >= upper:
            continue
        credit = min(Decimal(tier.credit_percent), Decimal(credits.cap_percent))
        text = (f"{threshold_text(lower)} ≤ availability < {threshold_text(upper)}" if lower > 0
                else f"availability < {threshold_text(upper)}")
        ranges.append((tier, CreditRange(text, percent_text(credit), credit < Decimal(tier.credit_percent))))
        upper = lower
    if upper > 0:
        ranges.append((None, CreditRange(f"availability < {threshold_text(upper)}", percent_text(0), False)))
    return ranges


def _example(commitment: Decimal, services: Sequence[Service], sla: Sla,
             annual_fee: Decimal | None, currency: str) -> WorkedExampleView:
    unit = sla.measurement_period
    example = worked_example(commitment, sla.credits, annual_fee=annual_fee, period=unit)
    minutes, down = example.period_minutes, example.downtime_minutes
    tier = credit_tier(example.availability, commitment, sla.credits)
    tier_range = next((line.availability for t, line in _tier_ranges(commitment, sla.credits) if t == tier), NONE)
    total = count_text(minutes)
    steps = [
        ExampleStep(f"Length of the {unit}", f"{example.period_days} days × 1,440 minutes", f"{total} minutes"),
        ExampleStep("Allowed downtime", f"{total} minutes × (100 % − {percent_text(commitment)})",
                    format_duration(example.allowed_downtime_seconds)),
        ExampleStep("Downtime in the example", f"Counted Downtime of the Service in the {unit}",
                    f"{count_text(down)} minutes ({format_duration(example.downtime_seconds)})"),
        ExampleStep("Availability", f"({total} − {count_text(down)}) ÷ {total} × 100 %",
                    measured_text(example.availability)),
        ExampleStep("Credit tier", tier_range, percent_text(example.credit_percent)),
    ]
    if annual_fee is not None and example.period_fee is not None and example.credit_amount is not None:
        fee = format_money(example.period_fee, currency)
        steps.append(ExampleStep(f"Fee for the {unit}",
                                 f"{format_money(annual_fee, currency)} annual fee ÷ {PERIODS_PER_YEAR[unit]}", fee))
        steps.append(ExampleStep("Service Credit", f"{percent_text(example.credit_percent)} × {fee}",
                                 format_money(example.credit_amount, currency)))
    return WorkedExampleView(percent_text(commitment), _names(services), tuple(steps))


def _fee_text(sla: Sla, annual_fee: Decimal | None, currency: str) -> str:
    """How the worked example's fee for one period follows from the annual fee."""
    if annual_fee is None:
        return ""
    periods = PERIODS_PER_YEAR[sla.measurement_period]
    # The same split as analyse.availability.worked_example: an equal share, to the cent.
    fee = fees_for(annual_fee, 12 // periods)
    return (f"the annual fee of {format_money(annual_fee, currency)} ÷ {periods} = "
            f"{format_money(fee, currency)}")


def _allowances(services: Sequence[Service]) -> tuple[tuple[str, ...], tuple[AllowanceLine, ...]]:
    table = allowance_table(s.commitment_percent for s in services)
    commitments = tuple(percent_text(row.commitment_percent) for row in table)
    if not table:
        return commitments, ()
    lines = []
    for allowance in table[0].allowances:
        lines.append(AllowanceLine(
            period=allowance.period, note=PERIOD_NOTES.get(allowance.days, ""),
            length=f"{count_text(allowance.period_seconds)} s",
            allowances=tuple(row.for_days(allowance.days).text for row in table)))
    return commitments, tuple(lines)


def period_name(row: HistoryRow) -> str:
    """"April 2026" for a month, the label ("2026-Q2") for a quarter."""
    if row.period.kind == "month":
        return f"{MONTHS[row.period.start.month - 1]} {row.period.start.year}"
    return row.period.label


def history_line(row: HistoryRow) -> HistoryLine:
    """One row of the historical-availability table, worded as printed."""
    return HistoryLine(
        period=period_name(row), service=row.service_name, commitment=percent_text(row.commitment_percent),
        availability=measured_text(row.availability),
        downtime=format_duration(row.downtime_seconds) if row.downtime_seconds else NONE,
        excluded=format_duration(row.excluded_seconds) if row.excluded_seconds else NONE,
        allowed=format_duration(row.allowed_downtime_seconds), met=row.met,
        credit=percent_text(row.credit_percent) if row.credit_percent else NONE,
    )


def _incident_line(incident: Incident, sla: Sla) -> IncidentLine:
    zone = time_zone(sla.time_zone)
    start = incident.start.astimezone(zone)
    names = {s.id: s.name for s in sla.services}
    return IncidentLine(
        id=incident.id, start=f"{format_date(start.date())}, {start:%H:%M} {start.tzname()}",
        duration=format_duration(_seconds(incident)),
        services=", ".join(names.get(s, s) for s in incident.services),
        summary=incident.summary,
        excluded=incident.exclusion_reason or ("Excluded" if incident.excluded else ""),
    )


def _seconds(incident: Incident) -> Decimal:
    span = incident.end - incident.start
    return Decimal(span.days * 86_400 + span.seconds) + Decimal(span.microseconds).scaleb(-6)


def _history(project: Project, visible: Sequence[Incident]) -> History | None:
    sla = project.sla
    assert sla is not None
    rows = project_history(project)
    if not rows:
        return None
    charts = []
    for service in sla.services:
        own = [r for r in rows if r.service == service.id]
        svg = bar_chart_svg([(r.period.label, r.availability_percent, r.commitment_percent) for r in own],
                            value_format=lambda v: format_percent(v, 2))
        charts.append(ServiceChart(service.name, percent_text(service.commitment_percent), svg))
    chronic = tuple(
        f"{next(s.name for s in sla.services if s.id == b.service)} was below "
        f"{threshold_text(sla.chronic_failure.threshold_percent)} in {', '.join(b.periods)}."
        for b in chronic_failure(rows, sla.chronic_failure)) if sla.chronic_failure else ()
    first, last = rows[0], rows[-1]
    return History(
        first=period_name(first), last=period_name(last), lines=tuple(history_line(r) for r in rows),
        charts=tuple(charts),
        incidents=tuple(_incident_line(i, sla) for i in sorted(visible, key=lambda i: i.start)),
        periods_met=sum(1 for r in rows if r.met), periods_total=len(rows), chronic=chronic)


def sla_addendum(project: Project) -> SlaAddendum:
    """The SLA addendum's context. The history is measured on the whole incident log (as `trustdocs sla
    report` measures it); only the incident list is limited to what the document's readers may see."""
    if project.sla is None:
        raise ValueError("the project has no 'sla' section")
    readable = readable_project(project)
    sla = readable.sla
    assert sla is not None
    legal = readable.indemnification
    annual_fee = legal.annual_fee if legal is not None else None
    currency = legal.currency if legal is not None else "USD"
    groups = _group_by_commitment(sla.services)
    commitments, allowances = _allowances(sla.services)
    chronic = sla.chronic_failure
    return SlaAddendum(
        parties=parties_of(readable, "sla-addendum"),
        product=readable.document.product,
        effective_date=format_date(readable.document.effective_date),
        services=tuple(ServiceLine(s.name, s.description, percent_text(s.commitment_percent))
                       for s in sla.services),
        period=sla.measurement_period,
        time_zone=sla.time_zone,
        formula=AVAILABILITY_FORMULA,
        downtime_definition=sla.downtime_definition,
        minimum_downtime=plural(sla.minimum_downtime_minutes, "minute"),
        definitions=tuple((d.term, d.definition) for d in sla.definitions),
        allowance_commitments=commitments,
        allowances=allowances,
        exclusions=sla.exclusions,
        maintenance_notice=plural(sla.maintenance.notice_hours, "hour"),
        maintenance_cap=plural(sla.maintenance.yearly_cap_hours, "hour"),
        maintenance_window=sla.maintenance.window,
        emergency_maintenance=sla.maintenance.emergency,
        schedules=tuple(CreditSchedule(percent_text(c), _names(s), credit_ranges(c, sla.credits))
                        for c, s in groups),
        examples=tuple(_example(c, s, sla, annual_fee, currency) for c, s in groups),
        example_period=f"{31 if sla.measurement_period == 'month' else 92}-day {sla.measurement_period}",
        example_fee=_fee_text(sla, annual_fee, currency),
        credit_cap=percent_text(sla.credits.cap_percent),
        future_invoices_only=sla.credits.future_invoices_only,
        requires_good_standing=sla.credits.requires_good_standing,
        claim_deadline=plural(sla.claims.deadline_days, "day"),
        claim_channel=sla.claims.channel,
        claim_evidence=sla.claims.evidence,
        chronic_threshold=threshold_text(chronic.threshold_percent) if chronic else "",
        chronic_periods=plural(chronic.consecutive_periods, f"consecutive {sla.measurement_period}") if chronic
        else "",
        chronic_remedy=chronic.remedy if chronic else "",
        sole_remedy=sla.sole_remedy,
        notice_of_changes=plural(sla.notice_of_changes_days, "day") if sla.notice_of_changes_days else "",
        status_page=sla.status_page,
        support=support_terms(readable.support) if readable.support is not None else None,
        history=_history(project, tuple(i for i in project.incidents if may_read(readers_of(project), i.audience))),
    )
