"""Derivers for the service commitments: the SLA, support and source code escrow."""

from __future__ import annotations

from decimal import Decimal

from trustdocs.analyse.availability import project_history
from trustdocs.analyse.durations import format_commitment, format_percent
from trustdocs.analyse.support import describe_target, target_minutes
from trustdocs.model.escrow import VERIFICATION_ORDER
from trustdocs.model.project import Project
from trustdocs.model.sla import SupportPlan
from trustdocs.questionnaire.derive import (
    Answer,
    as_list,
    deriver,
    join,
    no,
    plain,
    plural,
    review,
    sentence,
    yes,
)

_NO_SLA = "The model has no SLA (sla)."
_NO_SUPPORT = "The model has no support policy (support)."
_NO_ESCROW = "The model has no escrow arrangement (escrow)."


# SLA ----------------------------------------------------------------------------------------------------


def _commitments(project: Project) -> str:
    assert project.sla is not None
    return join(f"{s.name} {format_commitment(s.commitment_percent)} %" for s in project.sla.services)


def _period(project: Project) -> str:
    assert project.sla is not None
    return {"month": "calendar month", "quarter": "calendar quarter"}[project.sla.measurement_period]


@deriver("sla_commitment")
def sla_commitment(project: Project) -> Answer:
    if project.sla is None:
        return review(_NO_SLA)
    return yes(f"Availability commitments per {_period(project)}: {_commitments(project)}.")


@deriver("sla_at_least")
def sla_at_least(project: Project, percent: str) -> Answer:
    if project.sla is None:
        return review(_NO_SLA)
    below = [s for s in project.sla.services if s.commitment_percent < Decimal(percent)]
    words = f"Commitments: {_commitments(project)}."
    if below:
        return no(f"Below {percent} %: {join(s.name for s in below)}. {words}")
    return yes(words)


@deriver("sla_credits")
def sla_credits(project: Project) -> Answer:
    if project.sla is None:
        return review(_NO_SLA)
    credits = project.sla.credits
    if not credits.tiers:
        return no("The SLA gives no service credits.")
    tiers = join(
        f"{format_commitment(t.credit_percent)} % from {format_commitment(t.availability_at_least)} %"
        if t.availability_at_least > 0
        else f"{format_commitment(t.credit_percent)} % below that"
        for t in credits.tiers
    )
    return yes(
        f"Credits of the period's fees when a commitment is missed: {tiers}; "
        f"capped at {format_commitment(credits.cap_percent)} % of the period's fees."
    )


@deriver("status_page")
def status_page(project: Project) -> Answer:
    if project.sla is None:
        return review(_NO_SLA)
    if not project.sla.status_page:
        return review("The model names no status page (sla.status_page).")
    return yes(f"Current status and past incidents: {project.sla.status_page}.")


@deriver("maintenance_notice")
def maintenance_notice(project: Project) -> Answer:
    if project.sla is None:
        return review(_NO_SLA)
    m = project.sla.maintenance
    window = f" in the window {m.window}" if m.window else ""
    return yes(
        f"Scheduled maintenance is announced at least {m.notice_hours} hours ahead{window}, "
        f"at most {m.yearly_cap_hours} hours a year."
    )


@deriver("availability_history")
def availability_history(project: Project) -> Answer:
    if project.sla is None:
        return review(_NO_SLA)
    rows = project_history(project)
    if not rows:
        return review("The model records no incidents, so there is no measured history to quote.")
    months = sorted({r.period.label for r in rows})
    worst = min(rows, key=lambda r: r.availability)
    met = sum(1 for r in rows if r.met)
    page = f" Live status: {project.sla.status_page}." if project.sla.status_page else ""
    return yes(
        f"Measured from {months[0]} to {months[-1]}: commitments met in {met} of "
        f"{plural(len(rows), 'service-period')}; lowest {format_percent(worst.availability)} % "
        f"({worst.service_name}, {worst.period.label}).{page}"
    )


@deriver("chronic_failure")
def chronic_failure(project: Project) -> Answer:
    if project.sla is None:
        return review(_NO_SLA)
    chronic = project.sla.chronic_failure
    if chronic is None:
        return no("The SLA has no chronic-failure termination right.")
    return yes(
        f"Below {format_commitment(chronic.threshold_percent)} % in "
        f"{chronic.consecutive_periods} consecutive periods: {plain(chronic.remedy, 240)}"
    )


@deriver("credit_claims")
def credit_claims(project: Project) -> Answer:
    if project.sla is None:
        return review(_NO_SLA)
    claims = project.sla.claims
    return yes(sentence(f"Claims within {plural(claims.deadline_days, 'day')}: {plain(claims.channel, 200)}"))


@deriver("sla_exclusions")
def sla_exclusions(project: Project) -> Answer:
    if project.sla is None:
        return review(_NO_SLA)
    exclusions = project.sla.exclusions
    if not exclusions:
        return no("The SLA lists no exclusions.")
    return yes(f"{plural(len(exclusions), 'exclusion')} listed, e.g. {plain(exclusions[0], 160)}")


# Support ------------------------------------------------------------------------------------------------


def _plans(project: Project) -> tuple[list[SupportPlan], str]:
    """The plans that apply, and how to speak of them: the customer's own plan when a customer is set."""
    assert project.support is not None
    plans = list(project.support.plans)
    customer = project.customer
    if customer is not None and customer.terms.support_plan:
        own = [p for p in plans if p.id == customer.terms.support_plan]
        if own:
            return own, f"{customer.legal_name}'s {own[0].name} plan"
    return plans, ""


def _hours_words(plan: SupportPlan) -> str:
    return {
        "24x7": "24×7",
        "24x5": "24×5",
        "business": f"business hours ({plan.business_hours or 'see plan'}, {plan.time_zone})",
    }[plan.hours]


@deriver("support_24x7")
def support_24x7(project: Project) -> Answer:
    if project.support is None:
        return review(_NO_SUPPORT)
    plans, whose = _plans(project)
    round_clock = [p for p in plans if p.hours == "24x7"]
    if whose:
        plan = plans[0]
        return (yes if round_clock else no)(f"{whose} covers {_hours_words(plan)}.")
    if not round_clock:
        return no(f"No plan is 24×7: {join(f'{p.name} {_hours_words(p)}' for p in plans)}.")
    others = [f"{p.name} {_hours_words(p)}" for p in plans if p.hours != "24x7"]
    rest = f"; {join(others)}" if others else ""
    return yes(f"24×7 on the {join(p.name for p in round_clock)} plan{rest}.")


@deriver("support_channel")
def support_channel(project: Project, match: str | list[str]) -> Answer:
    if project.support is None:
        return review(_NO_SUPPORT)
    wanted = as_list(match)
    channels = [c for c in project.support.channels if any(w.lower() in f"{c.id} {c.name}".lower() for w in wanted)]
    if not channels:
        return no(f"Channels offered: {join(c.name for c in project.support.channels)}.")
    ids = {c.id for c in channels}
    plans, whose = _plans(project)
    with_it = [p.name for p in plans if ids & set(p.channels)]
    if not with_it:
        return no(f"{channels[0].name} is not part of {whose or 'any plan'}.")
    description = f": {plain(channels[0].description, 160)}" if channels[0].description else ""
    return yes(sentence(f"{channels[0].name} on {join(with_it)}{description}"))


def _sev1(project: Project) -> str | None:
    assert project.support is not None
    return project.support.severities[0].id if project.support.severities else None


@deriver("response_targets")
def response_targets(project: Project) -> Answer:
    if project.support is None:
        return review(_NO_SUPPORT)
    if not project.support.targets:
        return review("The model states no response targets (support.targets).")
    plans, whose = _plans(project)
    top = _sev1(project)
    firsts = [
        f"{p.name} {describe_target(t.first_response.text)}"
        for p in plans
        for t in project.support.targets
        if t.plan == p.id and t.severity == top
    ]
    severities = join(s.name for s in project.support.severities)
    return yes(
        f"Targets for first response, updates, workaround and resolution per severity ({severities}); "
        f"first response at the highest severity: {join(firsts)}."
    )


@deriver("first_response_within")
def first_response_within(project: Project, minutes: int) -> Answer:
    if project.support is None:
        return review(_NO_SUPPORT)
    plans, whose = _plans(project)
    top = _sev1(project)
    found = [(p, t) for p in plans for t in project.support.targets if t.plan == p.id and t.severity == top]
    if not found:
        return review("The model states no first-response target for the highest severity.")
    quick = [p.name for p, t in found if _within(t.first_response.text, minutes)]
    listed = join(f"{p.name} {describe_target(t.first_response.text)}" for p, t in found)
    if not quick:
        return no(f"First response at the highest severity: {listed}.")
    if whose or len(quick) == len(found):
        return yes(f"First response at the highest severity: {listed}.")
    return yes(
        f"On the {join(quick)} {'plan' if len(quick) == 1 else 'plans'}; first response at the "
        f"highest severity: {listed}."
    )


def _within(target: str, minutes: int) -> bool:
    """Whether a target is at most `minutes` long; "best effort" never is, business time counts as written."""
    length = target_minutes(target)
    return length is not None and length <= minutes


@deriver("named_contact")
def named_contact(project: Project) -> Answer:
    if project.support is None:
        return review(_NO_SUPPORT)
    plans, whose = _plans(project)
    named = [p for p in plans if p.named_contact]
    if not named:
        return no(f"{whose} has no named contact." if whose else "No plan includes a named contact.")
    return yes("; ".join(f"{p.name}: {p.named_contact}" for p in named) + ".")


@deriver("escalation")
def escalation(project: Project) -> Answer:
    if project.support is None:
        return review(_NO_SUPPORT)
    levels = project.support.escalation
    if not levels:
        return review("The model has no escalation path (support.escalation).")
    return yes("Escalation: " + " → ".join(level.role for level in levels) + ".")


@deriver("training")
def training(project: Project) -> Answer:
    if project.support is None or not project.support.training:
        return review("The model lists no training offerings (support.training).")
    offerings = (
        f"{t.name} ({plans})" if (plans := _on_plans(project, t.plans)) else t.name for t in project.support.training
    )
    return yes(sentence(join(offerings)))


@deriver("roadmap")
def roadmap(project: Project) -> Answer:
    if project.support is None or not project.support.roadmap:
        return review("The model lists no roadmap commitments (support.roadmap).")
    commitments = (
        f"{r.name} ({', '.join(w for w in (r.frequency.lower(), _on_plans(project, r.plans)) if w)})"
        for r in project.support.roadmap
    )
    return yes(f"{join(commitments)}.")


def _on_plans(project: Project, plans: tuple[str, ...]) -> str:
    """ "Premium and Enterprise plans": the plans an offering comes with; empty when it comes with every plan."""
    assert project.support is not None
    names = [p.name for p in project.support.plans if p.id in plans]
    if not plans or len(names) == len(project.support.plans):
        return ""
    return f"{join(names)} plan{'s' if len(names) > 1 else ''}"


@deriver("outage_rca")
def outage_rca(project: Project) -> Answer:
    if project.support is None:
        return review(_NO_SUPPORT)
    top = _sev1(project)
    plans, whose = _plans(project)
    reports = [
        f"{p.name} {describe_target(t.root_cause_report.text)}"
        for p in plans
        for t in project.support.targets
        if t.plan == p.id and t.severity == top and t.root_cause_report is not None
    ]
    if not reports:
        return review("The model states no root-cause report target for the highest severity.")
    return yes(f"A root-cause report after a highest-severity incident: {join(reports)}.")


# Escrow -------------------------------------------------------------------------------------------------

_LEVEL_WORDS = {
    "integrity": "integrity check",
    "inventory": "inventory and analysis",
    "build": "build test",
    "binary_comparison": "binary comparison with production",
    "full_usability": "full usability test",
    "saas_redeployment": "SaaS redeployment test",
}
_AGREEMENTS = {
    "three_party": "a three-party agreement",
    "master_depositor": "a depositor's master agreement",
    "master_beneficiary": "a beneficiary's master agreement",
    "two_party": "a two-party agreement",
}


@deriver("escrow_agreement")
def escrow_agreement(project: Project) -> Answer:
    escrow = project.escrow
    if escrow is None:
        return review(_NO_ESCROW)
    reference = f", reference {escrow.agreement_reference}" if escrow.agreement_reference else ""
    return yes(sentence(f"With {escrow.agent.name} under {_AGREEMENTS[escrow.agreement_type]}{reference}"))


@deriver("escrow_verification")
def escrow_verification(project: Project) -> Answer:
    escrow = project.escrow
    if escrow is None:
        return review(_NO_ESCROW)
    v = escrow.verification
    return yes(f"{_LEVEL_WORDS[v.level].capitalize()} by {escrow.agent.name}, {v.frequency.lower()}.")


@deriver("escrow_verification_at_least")
def escrow_verification_at_least(project: Project, level: str) -> Answer:
    escrow = project.escrow
    if escrow is None:
        return review(_NO_ESCROW)
    v = escrow.verification
    words = f"The agreed level is {_LEVEL_WORDS[v.level]} ({v.frequency.lower()})."
    extra = f" {plain(v.description, 240)}" if v.description else ""
    met = VERIFICATION_ORDER.index(v.level) >= VERIFICATION_ORDER.index(level)
    return (yes if met else no)(words + extra)


@deriver("escrow_frequency")
def escrow_frequency(project: Project) -> Answer:
    if project.escrow is None:
        return review(_NO_ESCROW)
    return yes(sentence(f"Deposits: {plain(project.escrow.frequency, 200)}"))


@deriver("escrow_release_conditions")
def escrow_release_conditions(project: Project) -> Answer:
    escrow = project.escrow
    if escrow is None:
        return review(_NO_ESCROW)
    conditions = [c.name + (f" ({c.days} days)" if c.days else "") for c in escrow.release_conditions]
    return yes(
        f"Release conditions: {join(conditions)}; objections within {escrow.release_process.objection_days} days."
    )


@deriver("escrow_contents")
def escrow_contents(project: Project) -> Answer:
    escrow = project.escrow
    if escrow is None:
        return review(_NO_ESCROW)
    # Each item with what it holds: "Infrastructure as code" is answered by naming Terraform and Helm.
    required = [
        f"{i.name} ({' '.join(i.description.split()).rstrip('.')})" if i.description else i.name
        for i in escrow.contents
        if i.required
    ]
    return yes(f"{plural(len(required), 'required item')}: {'; '.join(required)}.")


@deriver("escrow_last_deposit")
def escrow_last_deposit(project: Project) -> Answer:
    escrow = project.escrow
    if escrow is None:
        return review(_NO_ESCROW)
    if not escrow.deposits:
        return review("The deposit log records no deposit yet.")
    last = max(escrow.deposits, key=lambda d: d.date)
    when = last.date.date().isoformat()
    if last.verification == "passed":
        return yes(f"The last deposit ({when}) passed verification.")
    if last.verification == "failed":
        return no(f"The last deposit ({when}) failed verification: {plain(last.note, 200)}")
    return no(f"The last deposit ({when}) has not been verified yet.")
