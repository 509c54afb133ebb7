"""The support part of the SLA addendum: the Customer's plan only (its channels and hours, the severities, its
targets, escalation, and the training and roadmap commitments it includes). Other plans are not terms of a
signed instrument, so they are left out."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from trustdocs.analyse.support import describe_target
from trustdocs.model.sla import ResponseTarget, Severity, Support, SupportPlan, Target

log = logging.getLogger(__name__)

HOURS_NAMES = {"business": "Business Hours", "24x5": "24×5", "24x7": "24×7"}
TRAINING_KINDS = {
    "documentation": "Documentation",
    "videos": "Videos",
    "tutorials": "Tutorials",
    "webinars": "Webinars",
    "in_person": "In-person training",
    "certification": "Certification",
}
NOT_STATED = "—"


@dataclass(frozen=True)
class ChannelLine:
    name: str
    description: str


@dataclass(frozen=True)
class SeverityLine:
    label: str
    """"Sev1 – Critical"."""
    definition: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class TargetLine:
    severity: str
    first_response: str
    update_cadence: str
    workaround: str
    resolution: str
    root_cause_report: str


@dataclass(frozen=True)
class EscalationLine:
    level: int
    role: str
    contact: str
    after: str


@dataclass(frozen=True)
class OfferingLine:
    name: str
    kind: str
    """The kind of training, or the frequency of a roadmap commitment."""
    description: str


@dataclass(frozen=True)
class SupportTerms:
    plan: str
    """Name of the plan this addendum provides: the Customer's."""
    plan_hours: str
    """"24×7 (Europe/London)", "Business Hours (Europe/London)"."""
    business_days: str
    """Which days are Business Days: "a day from Monday to Friday other than a public holiday in England"."""
    business_hours: str
    """The business hours as the plans state them, "Monday–Friday 08:00–18:00 (Europe/London)"; empty if none."""
    named_contact: str
    channels: tuple[ChannelLine, ...]
    severities: tuple[SeverityLine, ...]
    targets: tuple[TargetLine, ...]
    clock_rules: str
    escalation: tuple[EscalationLine, ...]
    training: tuple[OfferingLine, ...]
    roadmap: tuple[OfferingLine, ...]


def severity_label(severity: Severity) -> str:
    """ "Sev1 – Critical"; just the name when the id says the same."""
    short = severity.id[:1].upper() + severity.id[1:]
    return severity.name if severity.id.lower() == severity.name.lower() else f"{short} – {severity.name}"


def plan_hours(plan: SupportPlan) -> str:
    """When the plan's clock runs, with its time zone."""
    hours = HOURS_NAMES.get(plan.hours, plan.hours)
    return f"{hours} ({plan.time_zone})"


def covered_plan(support: Support) -> SupportPlan:
    """The plan the addendum provides: the default plan (a customer's negotiated plan replaces it), else the
    first plan."""
    for plan in support.plans:
        if plan.id == support.default_plan:
            return plan
    if support.default_plan is not None:
        log.warning("support plan '%s' is not among the plans; using '%s'", support.default_plan, support.plans[0].id)
    return support.plans[0]


def business_hours(support: Support) -> str:
    """The business hours the plans state (the first business-hours plan's), with their time zone."""
    plan = next((p for p in support.plans if p.hours == "business" and p.business_hours), None)
    return f"{plan.business_hours} ({plan.time_zone})" if plan is not None else ""


def _target(target: Target | None) -> str:
    return describe_target(target.text) if target is not None else NOT_STATED


def _target_line(severity: Severity, target: ResponseTarget) -> TargetLine:
    return TargetLine(
        severity=severity_label(severity),
        first_response=_target(target.first_response),
        update_cadence=_target(target.update_cadence),
        workaround=_target(target.workaround),
        resolution=_target(target.resolution),
        root_cause_report=_target(target.root_cause_report),
    )


def plan_targets(support: Support, plan: SupportPlan) -> tuple[TargetLine, ...]:
    """The plan's targets, one line per severity in the order the severities are defined."""
    return tuple(
        _target_line(s, t)
        for s in support.severities
        for t in support.targets
        if t.plan == plan.id and t.severity == s.id
    )


def support_terms(support: Support) -> SupportTerms:
    """The support terms of the covered plan: what the Customer's plan includes and nothing else."""
    plan = covered_plan(support)
    targets = plan_targets(support, plan)
    return SupportTerms(
        plan=plan.name,
        plan_hours=plan_hours(plan),
        business_days=support.business_days or "a day from Monday to Friday",
        business_hours=business_hours(support),
        named_contact=plan.named_contact,
        channels=tuple(ChannelLine(c.name, c.description) for c in support.channels if c.id in plan.channels),
        severities=tuple(SeverityLine(severity_label(s), s.definition, s.examples) for s in support.severities),
        targets=targets,
        clock_rules=support.clock_rules,
        escalation=tuple(
            EscalationLine(e.level, e.role, e.contact, e.after)
            for e in sorted(support.escalation, key=lambda e: e.level)
        ),
        training=tuple(
            OfferingLine(t.name, TRAINING_KINDS.get(t.kind, t.kind), t.description)
            for t in support.training
            if not t.plans or plan.id in t.plans
        ),
        roadmap=tuple(
            OfferingLine(r.name, r.frequency, r.description)
            for r in support.roadmap
            if not r.plans or plan.id in r.plans
        ),
    )
