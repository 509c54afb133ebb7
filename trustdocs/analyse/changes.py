"""What changed between two versions of a project: terms and figures compared on the models, not the text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal

from trustdocs.analyse.durations import format_commitment
from trustdocs.analyse.liability import cap_amount, format_money
from trustdocs.analyse.risk import severity
from trustdocs.analyse.support import describe_target
from trustdocs.model.base import Audience
from trustdocs.model.legal import POLICY_TYPE_NAMES, Cap
from trustdocs.model.project import Project
from trustdocs.render.contract import cap_basis, percent_text, plural, threshold_text
from trustdocs.render.support_terms import severity_label

ChangeKind = Literal["changed", "added", "removed"]

SECURITY = "security"
SLA = "sla-addendum"
INDEMNIFICATION = "indemnification-addendum"
INSURANCE = "insurance-summary"
ESCROW = "escrow-procedure"


@dataclass(frozen=True)
class Place:
    """Where a term is stated: a registered document and the heading of its clause.

    `heading` is the heading's id; the security document's headings carry no ids yet, so there it is the
    heading's title.
    """

    document: str
    heading: str
    enclosing: str = ""
    """The heading of the clause around it, used while `heading` is not in the document (a sub-clause not yet
    given an id): the change is then placed on the whole clause."""

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.heading, self.enclosing) if self.enclosing else (self.heading,)


@dataclass(frozen=True)
class Change:
    """One term whose value differs between the two versions."""

    kind: ChangeKind
    subject: str
    """What changed, in words: "Availability commitment: Ledger API"."""
    old: str | None
    new: str | None
    place: Place
    audience: Audience = "public"
    """"internal" when the item is the vendor's own: listed for review, never shown to a customer."""
    clause: str = ""
    """The clause number in the new version's document ("5.3"); empty when the heading was not found."""

    @property
    def customer_visible(self) -> bool:
        return self.audience != "internal"


# -- the table of diffable terms ---------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A single term: its label, how to read it from the model (None when absent), how to print it, where."""

    label: str
    read: Callable[[Project], Any]
    show: Callable[[Any], str]
    place: Place


def _days(value: int) -> str:
    return plural(value, "day")


def _hours(value: int | float | Decimal) -> str:
    return plural(format_commitment(Decimal(str(value))), "hour")  # type: ignore[arg-type]


def _months(value: int) -> str:
    return plural(value, "month")


def _attr(*names: str) -> Callable[[Project], Any]:
    """A reader following attributes from the project; None as soon as one is missing."""

    def read(project: Project) -> Any:
        value: Any = project
        for name in names:
            value = getattr(value, name, None)
            if value is None:
                return None
        return value

    return read


def _cap_in_money(which: str) -> Callable[[Project], Any]:
    def read(project: Project) -> Any:
        legal = project.indemnification
        cap = getattr(legal.liability, which) if legal else None
        return None if cap is None else (cap, legal.annual_fee, legal.currency)  # type: ignore[union-attr]

    return read


def cap_text(value: tuple[Cap, Decimal, str]) -> str:
    """ "5 × the fees paid in the 12 months before the claim: $3,000,000 at an annual fee of $600,000"."""
    cap, fee, currency = value
    return (
        f"{cap_basis(cap, currency)}: {format_money(cap_amount(cap, fee), currency)} "
        f"at an annual fee of {format_money(fee, currency)}"
    )


def _money(read: Callable[[Project], Any], currency_of: Callable[[Project], Any]) -> Callable[[Project], Any]:
    def reader(project: Project) -> Any:
        value = read(project)
        return None if value is None else format_money(value, currency_of(project))

    return reader


def _plan_name(p: Project) -> Any:
    if p.support is None or p.support.default_plan is None:
        return None
    return next((plan.name for plan in p.support.plans if plan.id == p.support.default_plan), p.support.default_plan)


TERMS: tuple[Term, ...] = (
    Term(
        "Measurement period",
        _attr("sla", "measurement_period"),
        str,
        Place(SLA, "measurement", "Measuring availability"),
    ),
    Term(
        "Minimum counted Downtime",
        _attr("sla", "minimum_downtime_minutes"),
        lambda v: plural(v, "minute"),
        Place(SLA, "counting", "Counting rules"),
    ),
    Term(
        "Scheduled Maintenance notice",
        _attr("sla", "maintenance", "notice_hours"),
        _hours,
        Place(SLA, "scheduled-maintenance", "Scheduled maintenance"),
    ),
    Term(
        "Scheduled Maintenance yearly cap",
        _attr("sla", "maintenance", "yearly_cap_hours"),
        _hours,
        Place(SLA, "scheduled-maintenance", "Scheduled maintenance"),
    ),
    Term(
        "Service Credit cap",
        _attr("sla", "credits", "cap_percent"),
        percent_text,
        Place(SLA, "credit-caps", "service-credits"),
    ),
    Term(
        "Service Credit claim deadline",
        _attr("sla", "claims", "deadline_days"),
        _days,
        Place(SLA, "claims", "service-credits"),
    ),
    Term(
        "Chronic failure threshold",
        _attr("sla", "chronic_failure", "threshold_percent"),
        threshold_text,
        Place(SLA, "chronic-failure", "Chronic failure"),
    ),
    Term(
        "Chronic failure consecutive periods",
        _attr("sla", "chronic_failure", "consecutive_periods"),
        str,
        Place(SLA, "chronic-failure", "Chronic failure"),
    ),
    Term("Support plan", _plan_name, str, Place(SLA, "support-plan", "Support plans and hours")),
    Term(
        "Security Incident notification",
        _attr("security", "incident_response", "notification_hours"),
        _hours,
        Place(SECURITY, "Incident response"),
    ),
    Term(
        "Security Incident notice under the data-breach indemnity",
        _attr("indemnification", "data_breach_indemnity", "notice_hours"),
        _hours,
        Place(INDEMNIFICATION, "breach-notice"),
    ),
    Term(
        "Recovery time objective (RTO)",
        _attr("security", "continuity", "rto_hours"),
        _hours,
        Place(SECURITY, "Recovery objectives"),
    ),
    Term(
        "Recovery point objective (RPO)",
        _attr("security", "continuity", "rpo_hours"),
        _hours,
        Place(SECURITY, "Recovery objectives"),
    ),
    Term(
        "Critical vulnerability remediation",
        _attr("security", "vulnerability_management", "remediation", "critical_days"),
        _days,
        Place(SECURITY, "Remediation targets"),
    ),
    Term(
        "High vulnerability remediation",
        _attr("security", "vulnerability_management", "remediation", "high_days"),
        _days,
        Place(SECURITY, "Remediation targets"),
    ),
    Term(
        "Annual fee the caps are worked out for",
        _money(_attr("indemnification", "annual_fee"), _attr("indemnification", "currency")),
        str,
        Place(INDEMNIFICATION, "caps-in-money"),
    ),
    Term("General Cap", _cap_in_money("general_cap"), cap_text, Place(INDEMNIFICATION, "general-cap")),
    Term("Super-Cap", _cap_in_money("super_cap"), cap_text, Place(INDEMNIFICATION, "super-cap")),
    Term(
        "Credit monitoring",
        _attr("indemnification", "data_breach_indemnity", "credit_monitoring_months"),
        _months,
        Place(INDEMNIFICATION, "breach-costs"),
    ),
    Term(
        "Service Credits count against the caps",
        _attr("indemnification", "liability", "credits_count_against_cap"),
        lambda v: "yes" if v else "no",
        Place(INDEMNIFICATION, "credits"),
    ),
    Term(
        "Notice of cancellation",
        _attr("insurance", "cancellation_notice_days"),
        _days,
        Place(INSURANCE, "cancellation"),
    ),
    Term("Tail cover", _attr("insurance", "tail_cover_months"), _months, Place(INSURANCE, "tail")),
    Term("Minimum insurer rating", _attr("insurance", "minimum_rating"), str, Place(INSURANCE, "insurers")),
    Term("Deposit frequency", _attr("escrow", "frequency"), str, Place(ESCROW, "frequency")),
    Term(
        "Verification level",
        _attr("escrow", "verification", "level"),
        lambda v: v.replace("_", " "),
        Place(ESCROW, "verification"),
    ),
    Term(
        "Objection period on release",
        _attr("escrow", "release_process", "objection_days"),
        _days,
        Place(ESCROW, "release-process"),
    ),
)
"""Every single term the diff compares, in the order the report lists them."""


def _term_changes(old: Project, new: Project) -> list[Change]:
    changes = []
    for term in TERMS:
        before, after = term.read(old), term.read(new)
        if before == after:
            continue
        old_text = None if before is None else term.show(before)
        new_text = None if after is None else term.show(after)
        if old_text == new_text:
            continue
        kind: ChangeKind = "added" if before is None else "removed" if after is None else "changed"
        changes.append(Change(kind, term.label, old_text, new_text, term.place))
    return changes


# -- keyed collections ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Collection:
    """A list of the model compared item by item by key; each field in `fields` is compared on both sides."""

    noun: str
    """"Service", "Subprocessor": how a change names the item."""
    items: Callable[[Project], Iterable[Any]]
    key: Callable[[Any], str]
    name: Callable[[Any], str]
    fields: tuple[tuple[str, Callable[[Any], str]], ...]
    """(label, how to print that field of an item)."""
    place: Place
    summary: Callable[[Any], str] | None = None
    """What an added or removed item prints as its value; default: its name."""


def _services(p: Project) -> Iterable[Any]:
    return p.sla.services if p.sla else ()


def _tiers(p: Project) -> Iterable[Any]:
    return p.sla.credits.tiers if p.sla else ()


def _targets(p: Project) -> Iterable[Any]:
    """Each target with the names the documents print for its plan and severity ("Standard", "Sev2 – High")."""
    if p.support is None:
        return ()
    plans = {plan.id: plan.name for plan in p.support.plans}
    severities = {s.id: severity_label(s) for s in p.support.severities}
    return tuple((t, plans.get(t.plan, t.plan), severities.get(t.severity, t.severity)) for t in p.support.targets)


def _target(text: Any) -> str:
    return "—" if text is None else describe_target(text.text)


def _threat_rating(threat: Any, matrix: Any) -> str:
    return (
        f"{threat.likelihood} likelihood, {threat.impact} impact ({severity(matrix, threat.likelihood, threat.impact)})"
    )


def _residual_rating(threat: Any, matrix: Any) -> str:
    residual = threat.residual
    if residual is None:
        return "not rated"
    return (
        f"{residual.likelihood} likelihood, {residual.impact} impact "
        f"({severity(matrix, residual.likelihood, residual.impact)})"
    )


def _threats(p: Project) -> Iterable[Any]:
    # The rating is read with the project's own matrix, so it is attached to each item here.
    return tuple((t, p.threat_model.risk_matrix) for t in p.threat_model.threats)


def _policies(p: Project) -> Iterable[Any]:
    return tuple((x, p.insurance.currency) for x in p.insurance.policies) if p.insurance else ()


def _limit(amount: Decimal | None, currency: str) -> str:
    return "statutory" if amount is None else format_money(amount, currency)


_STATUS_WORDS = {
    "open": "open",
    "in_progress": "in progress",
    "mitigated": "mitigated (closed)",
    "accepted": "accepted",
    "transferred": "transferred",
    "not_applicable": "not applicable (closed)",
}

COLLECTIONS: tuple[Collection, ...] = (
    Collection(
        "Availability commitment",
        _services,
        lambda s: s.id,
        lambda s: s.name,
        (("", lambda s: percent_text(s.commitment_percent)),),
        Place(SLA, "services"),
        summary=lambda s: percent_text(s.commitment_percent),
    ),
    Collection(
        "Service Credit tier",
        _tiers,
        lambda t: threshold_text(t.availability_at_least),
        lambda t: f"availability of at least {threshold_text(t.availability_at_least)}",
        (("credit", lambda t: percent_text(t.credit_percent)),),
        Place(SLA, "credit-entitlement", "service-credits"),
        summary=lambda t: f"{percent_text(t.credit_percent)} credit",
    ),
    Collection(
        "Support target",
        _targets,
        lambda t: f"{t[0].plan}/{t[0].severity}",
        lambda t: f"{t[1]} plan, {t[2]}",
        (
            ("first response", lambda t: _target(t[0].first_response)),
            ("update cadence", lambda t: _target(t[0].update_cadence)),
            ("workaround", lambda t: _target(t[0].workaround)),
            ("resolution", lambda t: _target(t[0].resolution)),
            ("root-cause report", lambda t: _target(t[0].root_cause_report)),
        ),
        Place(SLA, "targets", "Response and resolution targets"),
        summary=lambda t: f"first response {_target(t[0].first_response)}",
    ),
    Collection(
        "Subprocessor",
        lambda p: p.security.subprocessors,
        lambda s: s.name,
        lambda s: s.name,
        (("purpose", lambda s: s.purpose), ("location", lambda s: s.location)),
        Place(SECURITY, "Subprocessors"),
        summary=lambda s: f"{s.purpose}, {s.location}",
    ),
    Collection(
        "Certification",
        lambda p: p.security.certifications,
        lambda c: c.id,
        lambda c: c.name,
        (("auditor", lambda c: c.auditor), ("period", lambda c: f"{c.period_start} to {c.period_end}")),
        Place(SECURITY, "Compliance and certifications"),
        summary=lambda c: f"{c.auditor}, {c.period_start} to {c.period_end}",
    ),
    Collection(
        "Threat",
        _threats,
        lambda t: t[0].id,
        lambda t: f"{t[0].id} {t[0].title}",
        (
            ("status", lambda t: _STATUS_WORDS.get(t[0].status, t[0].status)),
            ("rating", lambda t: _threat_rating(*t)),
            ("residual rating", lambda t: _residual_rating(*t)),
        ),
        Place(SECURITY, "Threat register"),
        summary=lambda t: f"{_STATUS_WORDS.get(t[0].status, t[0].status)}, {_threat_rating(*t)}",
    ),
    Collection(
        "Insurance policy",
        _policies,
        lambda x: x[0].id,
        lambda x: POLICY_TYPE_NAMES.get(x[0].type, x[0].id),
        (
            ("carrier", lambda x: f"{x[0].carrier} ({x[0].am_best_rating})"),
            ("per-claim limit", lambda x: _limit(x[0].per_claim_limit, x[1])),
            ("aggregate limit", lambda x: _limit(x[0].aggregate_limit, x[1])),
        ),
        Place(INSURANCE, "limits"),
        summary=lambda x: f"{_limit(x[0].per_claim_limit, x[1])} per claim",
    ),
    Collection(
        "Release Condition",
        lambda p: p.escrow.release_conditions if p.escrow else (),
        lambda r: r.name,
        lambda r: r.name,
        (("", lambda r: r.description + (f" ({plural(r.days, 'day')})" if r.days is not None else "")),),
        Place(ESCROW, "release-conditions"),
        summary=lambda r: r.description,
    ),
)
"""Every list compared item by item (by id, name, threshold or plan and severity)."""


def _audience(item: Any) -> Audience:
    target = item[0] if isinstance(item, tuple) else item
    return getattr(target, "audience", "public")


def _collection_changes(collection: Collection, old: Project, new: Project) -> list[Change]:
    before = {collection.key(i): i for i in collection.items(old)}
    after = {collection.key(i): i for i in collection.items(new)}
    summary = collection.summary or collection.name
    changes = []
    for key in [*after, *(k for k in before if k not in after)]:
        if key not in before or key not in after:
            item = after.get(key) or before[key]
            kind: ChangeKind = "added" if key not in before else "removed"
            value = summary(item)
            changes.append(
                Change(
                    kind,
                    f"{collection.noun}: {collection.name(item)}",
                    None if kind == "added" else value,
                    value if kind == "added" else None,
                    collection.place,
                    _audience(item),
                )
            )
            continue
        old_item, new_item = before[key], after[key]
        audience = "internal" if "internal" in (_audience(old_item), _audience(new_item)) else _audience(new_item)
        for label, show in collection.fields:
            old_text, new_text = show(old_item), show(new_item)
            if old_text != new_text:
                subject = f"{collection.noun}: {collection.name(new_item)}" + (f", {label}" if label else "")
                changes.append(Change("changed", subject, old_text, new_text, collection.place, audience))
    return changes


# -- the whole diff --------------------------------------------------------------------------------


def project_changes(old: Project, new: Project) -> tuple[Change, ...]:
    """Every term, figure and listed item that differs from `old` to `new`, single terms first."""
    changes = _term_changes(old, new)
    for collection in COLLECTIONS:
        changes += _collection_changes(collection, old, new)
    return tuple(changes)


def with_clauses(changes: Iterable[Change], numbers: dict[tuple[str, str], str]) -> tuple[Change, ...]:
    """The changes with the clause number of each one's heading in the new version; `numbers` maps
    (document, heading id or title) to the number printed before that heading."""

    def clause(place: Place) -> str:
        return next((numbers[(place.document, key)] for key in place.keys if (place.document, key) in numbers), "")

    return tuple(replace(c, clause=clause(c.place)) for c in changes)


def customer_visible(changes: Iterable[Change]) -> tuple[Change, ...]:
    return tuple(c for c in changes if c.customer_visible)
