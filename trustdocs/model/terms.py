"""A customer's negotiated terms overlaid on the project, so every document prints the negotiated figures."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from trustdocs.errors import Problem
from trustdocs.load import Positions, format_path
from trustdocs.model.base import Location
from trustdocs.model.project import Customer, Project
from trustdocs.validate.semantic import Checker, check_project, entries_at


def apply_customer(project: Project, customer: Customer) -> Project:
    """The project as this customer's contract states it: each negotiated term replaces the default."""
    terms = customer.terms
    project = replace(project, customer=customer)
    if project.sla is not None:
        sla = project.sla
        commitments = {c.service: c.commitment_percent for c in terms.commitments}
        services = tuple(
            replace(s, commitment_percent=commitments.get(s.id, s.commitment_percent)) for s in sla.services
        )
        credits = sla.credits
        if terms.credit_tiers:
            # The negotiated tiers replace every tier table, a service's own included.
            credits = replace(credits, tiers=terms.credit_tiers)
            services = tuple(replace(s, credit_tiers=()) for s in services)
        if terms.credit_cap_percent is not None:
            credits = replace(credits, cap_percent=terms.credit_cap_percent)
        claims = sla.claims
        if terms.claim_deadline_days is not None:
            claims = replace(claims, deadline_days=terms.claim_deadline_days)
        project = replace(project, sla=replace(sla, services=services, credits=credits, claims=claims, standard=sla))
    if project.support is not None and terms.support_plan is not None:
        project = replace(project, support=replace(project.support, default_plan=terms.support_plan))
    if project.support is not None and terms.support_hours is not None:
        # The customer's support hours replace those of the plan the customer has.
        support, hours = project.support, terms.support_hours
        chosen = support.default_plan or support.plans[0].id
        plans = tuple(
            replace(p, hours=hours.hours, time_zone=hours.time_zone, business_hours=hours.business_hours)
            if p.id == chosen
            else p
            for p in support.plans
        )
        project = replace(project, support=replace(support, plans=plans))
    if project.sla is not None and terms.maintenance_window is not None:
        window = terms.maintenance_window
        text = (
            f"Every {window.day} from {window.start} ({window.time_zone}), for at most "
            f"{window.duration_hours.normalize():f} hours"
        )
        sla = project.sla
        project = replace(project, sla=replace(sla, maintenance=replace(sla.maintenance, window=text)))
    if project.indemnification is not None:
        legal = project.indemnification
        liability = legal.liability
        if terms.general_cap is not None:
            liability = replace(liability, general_cap=terms.general_cap)
        if terms.super_cap is not None:
            liability = replace(liability, super_cap=terms.super_cap)
        fee = terms.annual_fee if terms.annual_fee is not None else legal.annual_fee
        project = replace(project, indemnification=replace(legal, liability=liability, annual_fee=fee))
    if terms.notification_hours is not None:
        security = project.security
        response = replace(security.incident_response, notification_hours=terms.notification_hours)
        project = replace(project, security=replace(security, incident_response=response))
        if project.indemnification is not None:
            breach = replace(project.indemnification.data_breach_indemnity, notice_hours=terms.notification_hours)
            project = replace(project, indemnification=replace(project.indemnification, data_breach_indemnity=breach))
    return project


Path = tuple[str | int, ...]

TERMS: tuple[str, ...] = ("customer", "terms")

_OVERLAID: tuple[tuple[str, Path], ...] = (
    ("credit_tiers", ("sla", "credits", "tiers")),
    ("credit_cap_percent", ("sla", "credits", "cap_percent")),
    ("claim_deadline_days", ("sla", "claims", "deadline_days")),
    ("support_plan", ("support", "default_plan")),
    ("annual_fee", ("indemnification", "annual_fee")),
    ("general_cap", ("indemnification", "liability", "general_cap")),
    ("super_cap", ("indemnification", "liability", "super_cap")),
    ("notification_hours", ("security", "incident_response", "notification_hours")),
    ("notification_hours", ("indemnification", "data_breach_indemnity", "notice_hours")),
)
"""Each negotiated term and the place in the project's data it replaces (as apply_customer does in the model)."""


class OverlayPositions(Positions):
    """The project's positions, except that a value the customer's terms replaced points into the customer file."""

    __slots__ = ("_base", "_customer", "_moved")

    def __init__(self, base: Positions, customer: Positions, moved: list[tuple[Path, Path]]):
        super().__init__()
        self._base, self._customer, self._moved = base, customer, moved

    def customer_path(self, path: Path) -> Path | None:
        """Where in the customer file the value at project `path` comes from, if it does."""
        for project_path, customer_path in self._moved:
            if path[: len(project_path)] == project_path:
                return customer_path + path[len(project_path) :]
        return None

    def value(self, path: Iterable[str | int]) -> Location | None:
        p = tuple(path)
        moved = self.customer_path(p)
        return self._customer.value(moved) if moved is not None else self._base.value(p)

    def key(self, path: Iterable[str | int]) -> Location | None:
        p = tuple(path)
        moved = self.customer_path(p)
        return self._customer.key(moved) if moved is not None else self._base.key(p)


def overlay_data(project: dict[str, Any], terms: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[Path, Path]]]:
    """The project's plain data with the negotiated terms in place, and which project paths they replaced.

    Only the sections the project has are changed, as in apply_customer; the project's data is not modified.
    """
    data = dict(project)
    moved: list[tuple[Path, Path]] = []
    services = entries_at(project, "sla", "services")
    for path, commitment in entries_at({"customer": {"terms": terms}}, *TERMS, "commitments"):
        target = next((p for p, s in services if s.get("id") == commitment.get("service")), None)
        if target is not None and "commitment_percent" in commitment:
            data = _replaced(data, target + ("commitment_percent",), commitment["commitment_percent"])
            moved.append((target + ("commitment_percent",), path + ("commitment_percent",)))
    for term, target in _OVERLAID:
        given = terms.get(term)
        if given is None or given == [] or not isinstance(_get(project, target[:-1]), dict):
            continue
        data = _replaced(data, target, given)
        moved.append((target, TERMS + (term,)))
    return data, moved


def _get(data: Any, path: Path) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _replaced(data: Any, path: Path, value: Any) -> Any:
    """A copy of `data` with the value at `path` replaced, copying only the mappings and lists on the way."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _replaced(data.get(head), rest, value)}
    copied = list(data)
    copied[head] = _replaced(copied[head], rest, value)  # type: ignore[index]
    return copied


def customer_problems(
    data: Any,
    positions: Positions,
    project: dict[str, Any],
    project_positions: Positions,
    base: Iterable[Problem],
    *,
    today: dt.date,
) -> list[Problem]:
    """Every rule the project's terms obey, checked again with the customer's terms in place.

    A problem with a negotiated value is located in the customer file and named by its path there; one that
    only the negotiated terms cause in a project value (a commitment now at or below the customer's first credit
    tier) stays at the project's value and says so.
    """
    terms = data.get("customer", {}).get("terms", {}) if isinstance(data, dict) else {}
    if not isinstance(terms, dict):
        return []
    checker = Checker(positions)
    plans = {p["id"]: 1 for _, p in entries_at(project, "support", "plans") if isinstance(p.get("id"), str)}
    services = {s["id"]: 1 for _, s in entries_at(project, "sla", "services") if isinstance(s.get("id"), str)}
    if "support_plan" in terms:
        checker.reference(TERMS + ("support_plan",), terms["support_plan"], plans, "plan")
    commitments = entries_at({"customer": {"terms": terms}}, *TERMS, "commitments")
    checker.unique(commitments, "commitment for service", key="service")
    for path, commitment in commitments:
        checker.reference(path + ("service",), commitment.get("service"), services, "service")
    _check_new_terms(checker, terms)
    for term in dict.fromkeys(term for term, _ in _OVERLAID):
        targets = [target for name, target in _OVERLAID if name == term]
        if terms.get(term) not in (None, []) and not any(isinstance(project.get(str(t[0])), dict) for t in targets):
            checker.report(
                TERMS + (term,),
                f"the project has no '{targets[0][0]}' section, so there is no "
                f"{format_path(targets[0])} for this term to replace",
            )

    overlaid, moved = overlay_data(project, terms)
    if not moved:
        return checker.problems
    overlay_positions = OverlayPositions(project_positions, positions, moved)
    known = set(base)
    names = [(format_path(project_path), format_path(customer_path)) for project_path, customer_path in moved]
    for problem in check_project(overlaid, overlay_positions, today=today):
        if problem in known:
            continue
        renamed = _renamed(problem.path, names)
        if renamed is not None:
            checker.problems.append(replace(problem, path=renamed))
        elif problem.severity == "error":
            root = positions.value(())
            where = root.file if root else "the customer file"
            checker.problems.append(replace(problem, message=f"{problem.message} (under the terms in {where})"))
    return list(dict.fromkeys(checker.problems))


def _renamed(path: str, names: list[tuple[str, str]]) -> str | None:
    for project_name, customer_name in names:
        if path == project_name or path.startswith((project_name + ".", project_name + "[")):
            return customer_name + path[len(project_name) :]
    return None


def _check_new_terms(checker: Checker, terms: dict[str, Any]) -> None:
    hours = terms.get("support_hours")
    if isinstance(hours, dict) and hours.get("hours") == "business" and not hours.get("business_hours"):
        checker.report(
            TERMS + ("support_hours",),
            "support hours of 'business' need 'business_hours' (e.g. 'Monday-Friday 08:00-18:00')",
        )
    if isinstance(hours, dict) and hours.get("hours") != "business" and hours.get("business_hours"):
        checker.report(
            TERMS + ("support_hours", "business_hours"),
            f"business_hours is set but hours is '{hours.get('hours')}'; give it only for 'business'",
        )
    span = hours.get("business_hours") if isinstance(hours, dict) else None
    times = re.search(r" (\d\d:\d\d)[-–](\d\d:\d\d)$", span) if isinstance(span, str) else None
    if times:
        opens, closes = times.groups()
        if closes <= opens:
            checker.report(
                TERMS + ("support_hours", "business_hours"), f"support closes ({closes}) before it opens ({opens})"
            )
    residency = terms.get("data_residency")
    if isinstance(residency, dict) and isinstance(residency.get("processed_in"), list):
        processed = [p for p in residency["processed_in"] if isinstance(p, str)]
        for i, place in enumerate(residency.get("stored_in") or []):
            if isinstance(place, str) and place not in processed:
                checker.report(
                    TERMS + ("data_residency", "stored_in", i),
                    f"the data is stored in '{place}', so it is processed there too; add it to "
                    f"processed_in (now: {', '.join(processed)})",
                )
