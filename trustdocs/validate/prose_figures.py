"""Figures written in free text ("within 48 hours") checked against the structured figure they talk about.

Each topic has narrow patterns that tie a number to what it measures (customer notification, RTO, log
retention…), so a number that merely sits near a keyword is not read as a claim; a figure achieved in a
test ("RTO achieved: 2 h 40 min") is not a commitment and is skipped. A figure that equals any of the
topic's structured figures (after the customer's negotiated terms) is consistent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from trustdocs.errors import Problem
from trustdocs.load.positions import DataPath
from trustdocs.model.project import Project
from trustdocs.model.sla import ResponseTarget
from trustdocs.validate.statements import ProjectStatements

__all__ = ["prose_figure_warnings"]

_NUMBER = r"(?P<n>\d+(?:\.\d+)?)"
_HOURS_UNIT = r"\s*(?P<u>hours?|hrs?|h|days?|minutes?|mins?)\b"
_DAYS_UNIT = r"\s*(?P<u>days?|months?|years?)\b"
_TO_HOURS = {
    "h": Decimal(1),
    "hr": Decimal(1),
    "hrs": Decimal(1),
    "hour": Decimal(1),
    "hours": Decimal(1),
    "day": Decimal(24),
    "days": Decimal(24),
    "minute": Decimal(1) / 60,
    "minutes": Decimal(1) / 60,
    "min": Decimal(1) / 60,
    "mins": Decimal(1) / 60,
}
_TO_DAYS = {
    "day": Decimal(1),
    "days": Decimal(1),
    "month": Decimal(30),
    "months": Decimal(30),
    "year": Decimal(365),
    "years": Decimal(365),
}
_NOT_A_COMMITMENT = re.compile(r"\b(?:achieved|measured|actual|rehearsed|last test|took)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """A structured figure a text may restate: its value in the topic's unit and where it is written."""

    value: Decimal
    text: str
    path: DataPath
    customer: bool = False


@dataclass(frozen=True)
class Topic:
    name: str
    """What the figure measures, as the message says it."""
    patterns: tuple[re.Pattern[str], ...]
    units: dict[str, Decimal]
    figures: Callable[[Project], list[Figure]]


def _patterns(*texts: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(t, re.IGNORECASE) for t in texts)


def _trim(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _hours(value: Decimal | float | int, path: DataPath, customer: bool = False) -> Figure:
    value = Decimal(str(value))
    unit = "hour" if value == 1 else "hours"
    return Figure(value, f"{_trim(value)} {unit}", path, customer)


def _days(value: int, path: DataPath, what: str = "days", customer: bool = False) -> Figure:
    return Figure(Decimal(value), f"{value} {what if value != 1 else what[:-1]}", path, customer)


def _notification(project: Project) -> list[Figure]:
    terms = project.customer.terms if project.customer else None
    if terms is not None and terms.notification_hours is not None:
        figures = [_hours(terms.notification_hours, ("customer", "terms", "notification_hours"), True)]
    else:
        figures = [
            _hours(
                project.security.incident_response.notification_hours,
                ("security", "incident_response", "notification_hours"),
            )
        ]
        if project.indemnification is not None:
            figures.append(
                _hours(
                    project.indemnification.data_breach_indemnity.notice_hours,
                    ("indemnification", "data_breach_indemnity", "notice_hours"),
                )
            )
    return figures


def _rca(project: Project) -> list[Figure]:
    incident = project.security.incident_response
    figures = []
    if incident.rca_business_days is not None:
        figures.append(
            _days(incident.rca_business_days, ("security", "incident_response", "rca_business_days"), "business days")
        )
    if project.support is not None:
        figures += [
            _days(days, ("support", "targets", i, "root_cause_report"), "business days")
            for i, t in enumerate(project.support.targets)
            if (days := _report_business_days(t)) is not None
        ]
    return figures


def _report_business_days(target: ResponseTarget) -> int | None:
    """The root-cause report target in whole business days ("5bd"), or None when it is given otherwise."""
    report = target.root_cause_report
    match = re.fullmatch(r"(\d+)bd", report.text) if report is not None else None
    return int(match[1]) if match else None


def _continuity(field: str) -> Callable[[Project], list[Figure]]:
    def figures(project: Project) -> list[Figure]:
        return [_hours(getattr(project.security.continuity, field), ("security", "continuity", field))]

    return figures


def _log_retention(project: Project) -> list[Figure]:
    days = project.security.logging.retention_days
    return [_days(days, ("security", "logging", "retention_days"))] if days else []


def _backup_retention(project: Project) -> list[Figure]:
    backups = project.security.continuity.backups
    return [_days(backups.retention_days, ("security", "continuity", "backups", "retention_days"))] if backups else []


def _remediation(severity: str) -> Callable[[Project], list[Figure]]:
    def figures(project: Project) -> list[Figure]:
        days = getattr(project.security.vulnerability_management.remediation, f"{severity}_days")
        return [
            Figure(
                Decimal(days) * 24,
                f"{days} day" if days == 1 else f"{days} days",
                ("security", "vulnerability_management", "remediation", f"{severity}_days"),
            )
        ]

    return figures


def _availability(project: Project) -> list[Figure]:
    if project.sla is None:
        return []
    commitments = project.customer.terms.commitments if project.customer else []
    negotiated = {c.service for c in commitments}
    figures = []
    for i, service in enumerate(project.sla.services):
        if service.id in negotiated:
            j = next(k for k, c in enumerate(commitments) if c.service == service.id)
            path: DataPath = ("customer", "terms", "commitments", j, "commitment_percent")
        else:
            path = ("sla", "services", i, "commitment_percent")
        figures.append(
            Figure(service.commitment_percent, f"{_trim(service.commitment_percent)} %", path, service.id in negotiated)
        )
    return figures


def _claim_window(project: Project) -> list[Figure]:
    if project.sla is None:
        return []
    customer = project.customer is not None and project.customer.terms.claim_deadline_days is not None
    path: DataPath = ("customer", "terms", "claim_deadline_days") if customer else ("sla", "claims", "deadline_days")
    return [_days(project.sla.claims.deadline_days, path, customer=customer)]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "customer notification of a security incident",
        _patterns(
            rf"\bnotif\w*[^.;]{{0,60}}?\bwithin\s+{_NUMBER}{_HOURS_UNIT}",
            rf"\bwithin\s+{_NUMBER}{_HOURS_UNIT}\s+of\s+(?:confirming|becoming aware of|discovering)\s+"
            rf"(?:a|the|any)\s+(?:security\s+)?(?:incident|breach)",
        ),
        _TO_HOURS,
        _notification,
    ),
    Topic(
        "root-cause report",
        _patterns(rf"\b(?:root[- ]cause|RCA)\b[^.;]{{0,50}}?\bwithin\s+{_NUMBER}\s*(?P<u>business days?)"),
        {"business day": Decimal(1), "business days": Decimal(1)},
        _rca,
    ),
    Topic(
        "recovery time objective",
        _patterns(
            rf"\b(?:RTO|recovery time objective)\b(?:\s*\(RTO\))?\s*(?:of|is|:|=|within)?\s*"
            rf"(?:up to\s+|at most\s+)?{_NUMBER}{_HOURS_UNIT}"
        ),
        _TO_HOURS,
        _continuity("rto_hours"),
    ),
    Topic(
        "recovery point objective",
        _patterns(
            rf"\b(?:RPO|recovery point objective)\b(?:\s*\(RPO\))?\s*(?:of|is|:|=|within)?\s*"
            rf"(?:up to\s+|at most\s+)?{_NUMBER}{_HOURS_UNIT}"
        ),
        _TO_HOURS,
        _continuity("rpo_hours"),
    ),
    Topic(
        "log retention",
        _patterns(
            rf"\b(?:security |audit |SIEM )?logs?\s+(?:are\s+|is\s+)?(?:retained|kept)\s+(?:for\s+)?"
            rf"{_NUMBER}{_DAYS_UNIT}"
        ),
        _TO_DAYS,
        _log_retention,
    ),
    Topic(
        "backup retention",
        _patterns(rf"\bbackups?\s+(?:are\s+|is\s+)?(?:retained|kept)\s+(?:for\s+)?{_NUMBER}{_DAYS_UNIT}"),
        _TO_DAYS,
        _backup_retention,
    ),
    *(
        Topic(
            f"remediation of {severity} vulnerabilities",
            _patterns(
                rf"\b{severity}(?:[- ]severity)?\s+vulnerabilit\w*[^.;]{{0,40}}?\bwithin\s+{_NUMBER}"
                rf"{_HOURS_UNIT}"
            ),
            _TO_HOURS,
            _remediation(severity),
        )
        for severity in ("critical", "high", "medium", "low")
    ),
    Topic(
        "availability commitment",
        _patterns(
            rf"\b(?:uptime|availability)\s+(?:commitment|target|guarantee)\s+(?:of\s+)?{_NUMBER}\s*(?P<u>%)",
            rf"\b(?:commit\w*|guarantee\w*)\s+(?:to\s+)?{_NUMBER}\s*(?P<u>%)",
            rf"{_NUMBER}\s*(?P<u>%)\s+(?:monthly\s+|quarterly\s+)?(?:uptime|availability)\b",
        ),
        {"%": Decimal(1)},
        _availability,
    ),
    Topic(
        "service-credit claim window",
        _patterns(rf"\bclaims?\b[^.;]{{0,40}}?\bwithin\s+{_NUMBER}\s*(?P<u>(?:calendar\s+)?days?)\s+(?:after|of)\b"),
        {"day": Decimal(1), "days": Decimal(1), "calendar day": Decimal(1), "calendar days": Decimal(1)},
        _claim_window,
    ),
)


def prose_figure_warnings(project: Project, statements: ProjectStatements) -> list[Problem]:
    """A figure in free text that differs from every structured figure of its topic."""
    figures = {topic.name: topic.figures(project) for topic in TOPICS}
    problems: list[Problem] = []
    seen: list[tuple[DataPath, str, int, int]] = []
    for path, text in statements.free_text():
        if path and path[0] == "customer":
            continue
        for topic in TOPICS:
            expected = figures[topic.name]
            if not expected:
                continue
            for pattern in topic.patterns:
                for match in pattern.finditer(text):
                    if _NOT_A_COMMITMENT.search(_clause(text, match.start())):
                        continue
                    value = Decimal(match["n"]) * topic.units[match["u"].lower()]
                    # Two patterns of a topic may read the same claim: it is reported once.
                    span = (path, topic.name, match.start(), match.end())
                    if any(value == f.value for f in expected) or any(
                        s[:2] == span[:2] and s[2] < span[3] and span[2] < s[3] for s in seen
                    ):
                        continue
                    seen.append(span)
                    cited = "; ".join(f"{f.text} at {statements.where(f.path, customer=f.customer)}" for f in expected)
                    problems.append(
                        statements.warning(
                            path, f"the text says '{match[0].strip()}' for the {topic.name}, but the figure is {cited}"
                        )
                    )
    return problems


def _clause(text: str, at: int) -> str:
    start = max(text.rfind(sep, 0, at) for sep in ".;(") + 1
    return text[start:at]
