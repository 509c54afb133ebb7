"""The support part of the SLA addendum: channels, plans and hours, severities, the target matrix, escalation,
training and roadmap visibility, with the customer's plan marked wherever plans differ."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from trustdocs.analyse.support import describe_target
from trustdocs.model.sla import ResponseTarget, Severity, Support, SupportPlan, Target

log = logging.getLogger(__name__)

HOURS_NAMES = {"business": "Business hours", "24x5": "24×5", "24x7": "24×7"}
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
    plans: str
    """Names of the plans that include the channel."""
    in_plan: bool


@dataclass(frozen=True)
class PlanLine:
    name: str
    hours: str
    """"Business hours: Monday–Friday 08:00–18:00 (Europe/London)", "24×7 (Europe/London)"."""
    channels: str
    named_contact: str
    description: str
    covered: bool


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
class PlanTargets:
    plan: str
    hours: str
    covered: bool
    rows: tuple[TargetLine, ...]


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
    plans: str
    included: bool
    """Whether the customer's plan includes it."""


@dataclass(frozen=True)
class SupportTerms:
    plan: str
    """Name of the plan this addendum provides."""
    plan_hours: str
    channels: tuple[ChannelLine, ...]
    plans: tuple[PlanLine, ...]
    severities: tuple[SeverityLine, ...]
    targets: tuple[PlanTargets, ...]
    """The covered plan first, then the others for reference."""
    clock_rules: str
    escalation: tuple[EscalationLine, ...]
    training: tuple[OfferingLine, ...]
    roadmap: tuple[OfferingLine, ...]

    @property
    def covered_targets(self) -> PlanTargets:
        return self.targets[0]

    @property
    def other_targets(self) -> tuple[PlanTargets, ...]:
        return self.targets[1:]


def severity_label(severity: Severity) -> str:
    """"Sev1 – Critical"; just the name when the id says the same."""
    short = severity.id[:1].upper() + severity.id[1:]
    return severity.name if severity.id.lower() == severity.name.lower() else f"{short} – {severity.name}"


def plan_hours(plan: SupportPlan) -> str:
    """When the plan's clock runs, with its time zone."""
    hours = HOURS_NAMES.get(plan.hours, plan.hours)
    if plan.hours == "business" and plan.business_hours:
        return f"{hours}: {plan.business_hours} ({plan.time_zone})"
    return f"{hours} ({plan.time_zone})"


def covered_plan(support: Support) -> SupportPlan:
    """The plan the addendum provides: the default plan (a customer's negotiated plan replaces it), else the
    first plan."""
    for plan in support.plans:
        if plan.id == support.default_plan:
            return plan
    if support.default_plan is not None:
        log.warning("support plan '%s' is not among the plans; using '%s'", support.default_plan,
                    support.plans[0].id)
    return support.plans[0]


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


def _plan_names(ids: tuple[str, ...], plans: tuple[SupportPlan, ...]) -> str:
    if not ids:
        return "All plans"
    names = {p.id: p.name for p in plans}
    return ", ".join(names.get(i, i) for i in ids)


def support_terms(support: Support) -> SupportTerms:
    """The support terms of `support`, with the covered plan first and marked."""
    plan = covered_plan(support)
    ordered = (plan, *(p for p in support.plans if p.id != plan.id))
    channel_names = {c.id: c.name for c in support.channels}
    severities = {s.id: s for s in support.severities}
    targets = []
    for current in ordered:
        rows = tuple(_target_line(severities[t.severity], t) for s in support.severities
                     for t in support.targets if t.plan == current.id and t.severity == s.id)
        targets.append(PlanTargets(current.name, plan_hours(current), current.id == plan.id, rows))
    channels = tuple(
        ChannelLine(c.name, c.description,
                    ", ".join(p.name for p in support.plans if c.id in p.channels) or NOT_STATED,
                    c.id in plan.channels)
        for c in support.channels)
    return SupportTerms(
        plan=plan.name,
        plan_hours=plan_hours(plan),
        channels=channels,
        plans=tuple(PlanLine(p.name, plan_hours(p), ", ".join(channel_names.get(c, c) for c in p.channels),
                             p.named_contact, p.description, p.id == plan.id) for p in ordered),
        severities=tuple(SeverityLine(severity_label(s), s.definition, s.examples) for s in support.severities),
        targets=tuple(targets),
        clock_rules=support.clock_rules,
        escalation=tuple(EscalationLine(e.level, e.role, e.contact, e.after)
                         for e in sorted(support.escalation, key=lambda e: e.level)),
        training=tuple(OfferingLine(t.name, TRAINING_KINDS.get(t.kind, t.kind), t.description,
                                    _plan_names(t.plans, support.plans), not t.plans or plan.id in t.plans)
                       for t in support.training),
        roadmap=tuple(OfferingLine(r.name, r.frequency, r.description, _plan_names(r.plans, support.plans),
                                   not r.plans or plan.id in r.plans)
                      for r in support.roadmap),
    )
