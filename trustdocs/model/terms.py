"""A customer's negotiated terms overlaid on the project, so every document prints the negotiated figures."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from trustdocs.errors import Problem
from trustdocs.load import Positions
from trustdocs.model.project import Customer, Project
from trustdocs.validate.semantic import Checker, entries_at


def apply_customer(project: Project, customer: Customer) -> Project:
    """The project as this customer's contract states it: each negotiated term replaces the default."""
    terms = customer.terms
    project = replace(project, customer=customer)
    if project.sla is not None:
        sla = project.sla
        commitments = {c.service: c.commitment_percent for c in terms.commitments}
        services = tuple(replace(s, commitment_percent=commitments.get(s.id, s.commitment_percent))
                         for s in sla.services)
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
        project = replace(project, sla=replace(sla, services=services, credits=credits, claims=claims,
                                                    standard=sla))
    if project.support is not None and terms.support_plan is not None:
        project = replace(project, support=replace(project.support, default_plan=terms.support_plan))
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
            project = replace(project, indemnification=replace(project.indemnification,
                                                                data_breach_indemnity=breach))
    return project


def customer_problems(data: Any, positions: Positions, project: dict[str, Any]) -> list[Problem]:
    """References from a customer file into the project: plans and services must exist."""
    checker = Checker(positions)
    terms = data.get("customer", {}).get("terms", {}) if isinstance(data, dict) else {}
    if not isinstance(terms, dict):
        return []
    plans = {p.get("id"): 1 for _, p in entries_at(project, "support", "plans")}
    services = {s.get("id"): 1 for _, s in entries_at(project, "sla", "services")}
    base = ("customer", "terms")
    if "support_plan" in terms:
        checker.reference(base + ("support_plan",), terms["support_plan"], plans, "plan")
    for path, commitment in entries_at({"customer": {"terms": terms}}, "customer", "terms", "commitments"):
        checker.reference(path + ("service",), commitment.get("service"), services, "service")
    return checker.problems
