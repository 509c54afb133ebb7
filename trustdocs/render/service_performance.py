"""The Service Performance Report's context: measured availability per Service and Measurement Period.

The report is informational, not part of the Agreement. For a customer build, periods that start before the
customer's terms take effect are measured under the standard terms and labelled so; periods from then on
under the negotiated terms. The period holding the "as of" day is in progress: its figures so far are shown,
never a verdict. The report states figures only (no met/not met).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from trustdocs.analyse.availability import (
    HistoryRow,
    Period,
    chronic_failure,
    period_containing,
    service_history,
    time_zone,
)
from trustdocs.analyse.durations import format_duration
from trustdocs.model.audience import may_read, readers_of
from trustdocs.model.project import Project
from trustdocs.model.sla import Incident, Sla
from trustdocs.render.charts import bar_chart_svg
from trustdocs.render.contract import measured_text, percent_text, readable_project, threshold_text
from trustdocs.render.env import MONTHS, format_date
from trustdocs.render.sla_addendum import PERIOD_TERMS

log = logging.getLogger(__name__)

NONE = "—"
STANDARD_TERMS = "Standard"
NEGOTIATED_TERMS = "Negotiated"
IN_PROGRESS = "In progress"


@dataclass(frozen=True)
class PerformanceLine:
    period: str
    service: str
    terms: str
    """"Standard" or "Negotiated": the terms the period is measured under."""
    commitment: str
    uptime: str
    """"99.871 %", or "In progress" for the period holding the as-of day."""
    downtime: str
    excluded: str
    allowed: str
    """The Downtime the commitment allows in the whole period (the SLA addendum's allowance table)."""
    credit: str
    """"Service Credit 10 %" figures as "10 %"; "—" when none is due or the period is in progress."""
    in_progress: bool


@dataclass(frozen=True)
class IncidentLine:
    start: str
    duration: str
    services: str
    summary: str
    excluded: bool
    reason: str
    """Why it is excluded, when the log says."""


@dataclass(frozen=True)
class ServiceChart:
    service: str
    svg: Markup


@dataclass(frozen=True)
class ServicePerformance:
    product: str
    customer: str | None
    period: str
    """"month" or "quarter"."""
    uptime_term: str
    time_zone: str
    first: str
    last: str
    as_of: str
    """"28 October 2026": the last day the figures cover."""
    terms_effective: str
    """The day the negotiated terms take effect ("1 October 2026"); empty for a build without a customer."""
    lines: tuple[PerformanceLine, ...]
    charts: tuple[ServiceChart, ...]
    incidents: tuple[IncidentLine, ...]
    chronic: tuple[str, ...]
    status_page: str | None

    @property
    def by_period(self) -> tuple[tuple[PerformanceLine, ...], ...]:
        """The lines of each period together (they are printed as one unbreakable group)."""
        groups: list[list[PerformanceLine]] = []
        for line in self.lines:
            if groups and groups[-1][0].period == line.period:
                groups[-1].append(line)
            else:
                groups.append([line])
        return tuple(tuple(g) for g in groups)


def period_name(period: Period, *, short: bool = False) -> str:
    """ "April 2026" for a month ("Apr 2026" under a chart's bar), "Q2 2026" for a quarter."""
    if period.kind == "month":
        month = MONTHS[period.start.month - 1]
        return f"{month[:3] if short else month} {period.start.year}"
    return f"Q{(period.start.month - 1) // 3 + 1} {period.start.year}"


def as_of_day(sla: Sla, incidents: Sequence[Incident]) -> dt.date | None:
    """The last day the figures cover: sla.history_as_of, else the local day the latest incident ended."""
    if sla.history_as_of is not None:
        return sla.history_as_of
    if not incidents:
        return None
    latest = max(i.end for i in incidents)
    return latest.astimezone(time_zone(sla.time_zone)).date()


def in_progress(period: Period, as_of: dt.date) -> bool:
    """Whether the as-of day falls inside the period before its last day (the rest is not measured yet)."""
    return period.start.date() <= as_of < period.end.date() - dt.timedelta(days=1)


def measured_rows(project: Project, as_of: dt.date) -> tuple[tuple[HistoryRow, str], ...]:
    """Each service's row per period up to the one holding `as_of`, with the terms it is measured under."""
    sla = project.sla
    assert sla is not None
    standard = sla.standard or sla
    effective = project.customer.terms_effective if project.customer is not None else None
    relevant = tuple(i for i in project.incidents if i.start.astimezone(time_zone(sla.time_zone)).date() <= as_of)
    last = period_containing(as_of, sla.measurement_period, sla.time_zone)
    negotiated = service_history(sla, relevant, last=last)
    if sla.standard is None or effective is None:
        return tuple((row, STANDARD_TERMS if project.customer is None else NEGOTIATED_TERMS) for row in negotiated)
    before = service_history(standard, relevant, last=last)
    return tuple(
        (old, STANDARD_TERMS) if old.period.start.date() < effective else (new, NEGOTIATED_TERMS)
        for old, new in zip(before, negotiated, strict=False)
    )


def performance_line(row: HistoryRow, terms: str, as_of: dt.date) -> PerformanceLine:
    """One row of the report, worded as printed."""
    running = in_progress(row.period, as_of)
    return PerformanceLine(
        period=period_name(row.period),
        service=row.service_name,
        terms=terms,
        commitment=percent_text(row.commitment_percent),
        uptime=IN_PROGRESS if running else measured_text(row.availability),
        downtime=format_duration(row.downtime_seconds) if row.downtime_seconds else NONE,
        excluded=format_duration(row.excluded_seconds) if row.excluded_seconds else NONE,
        allowed=format_duration(row.allowed_downtime_seconds),
        credit=percent_text(row.credit_percent) if row.credit_percent and not running else NONE,
        in_progress=running,
    )


def _incident_line(incident: Incident, sla: Sla) -> IncidentLine:
    zone = time_zone(sla.time_zone)
    start = incident.start.astimezone(zone)
    names = {s.id: s.name for s in sla.services}
    span = incident.end - incident.start
    return IncidentLine(
        start=f"{format_date(start.date())}, {start:%H:%M} {start.tzname()}",
        duration=format_duration(Decimal(span.days * 86_400 + span.seconds) + Decimal(span.microseconds).scaleb(-6)),
        services=", ".join(names.get(s, s) for s in incident.services),
        summary=incident.summary,
        excluded=incident.excluded,
        reason=incident.exclusion_reason if incident.excluded else "",
    )


def service_performance(project: Project) -> ServicePerformance:
    """The report's context. Figures are measured on the whole incident log (as `trustdocs sla report`
    measures it); only the incident list is limited to what the report's readers may see."""
    if project.sla is None:
        raise ValueError("the project has no 'sla' section")
    sla = project.sla
    as_of = as_of_day(sla, project.incidents)
    readers = readers_of(project)
    visible = tuple(i for i in project.incidents if may_read(readers, i.audience))
    rows = measured_rows(project, as_of) if as_of is not None else ()
    lines = tuple(performance_line(row, terms, as_of) for row, terms in rows) if as_of is not None else ()
    complete = [row for row, _ in rows if as_of is not None and not in_progress(row.period, as_of)]
    charts = tuple(
        ServiceChart(
            service.name,
            bar_chart_svg(
                [
                    (period_name(r.period, short=True), r.availability_percent, r.commitment_percent)
                    for r in complete
                    if r.service == service.id
                ],
                value_format=measured_text,
                met_name="At or above the commitment",
                missed_name="Below the commitment",
            ),
        )
        for service in sla.services
    )
    names = {s.id: s.name for s in sla.services}
    chronic = (
        tuple(
            f"The {PERIOD_TERMS[sla.measurement_period]} of {names[b.service]} was below "
            f"{threshold_text(sla.chronic_failure.threshold_percent)} in "
            f"{', '.join(period_name(r.period) for r in complete if r.service == b.service and r.period.label in b.periods)}."
            for b in chronic_failure(complete, sla.chronic_failure)
        )
        if sla.chronic_failure
        else ()
    )
    customer = project.customer
    effective = customer.terms_effective if customer is not None else None
    readable = readable_project(project)
    return ServicePerformance(
        product=project.document.product,
        customer=customer.legal_name if customer is not None else None,
        period=sla.measurement_period,
        uptime_term=PERIOD_TERMS[sla.measurement_period],
        time_zone=sla.time_zone,
        first=period_name(rows[0][0].period) if rows else "",
        last=period_name(rows[-1][0].period) if rows else "",
        as_of=format_date(as_of) if as_of is not None else "",
        terms_effective=format_date(effective) if effective is not None else "",
        lines=lines,
        charts=charts if complete else (),
        incidents=tuple(
            _incident_line(i, sla)
            for i in sorted(visible, key=lambda i: i.start)
            if as_of is None or i.start.astimezone(time_zone(sla.time_zone)).date() <= as_of
        ),
        chronic=chronic,
        status_page=readable.sla.status_page if readable.sla is not None else None,
    )
