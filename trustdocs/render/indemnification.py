"""The indemnification addendum's context: the indemnities, the procedure and the limitation of liability with
every cap worked out in currency for the annual fee."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from trustdocs.analyse.liability import cap_amount, fees_for, format_money
from trustdocs.model.legal import Cap, Indemnification
from trustdocs.model.project import Project
from trustdocs.render.contract import Parties, cap_basis, fees_multiple_text, parties_of, plural, readable_project
from trustdocs.render.insurance_summary import coverage_verdict

log = logging.getLogger(__name__)


def cap_working(cap: Cap, annual_fee: Decimal, currency: str) -> str:
    """The arithmetic behind the amount: "5 × $600,000 (fees for 12 months at $600,000 a year)"."""
    parts = []
    if cap.fees_multiple is not None:
        fees = fees_for(annual_fee, cap.lookback_months)
        parts.append(f"{fees_multiple_text(cap)} {format_money(fees, currency)} (fees for "
                     f"{plural(cap.lookback_months, 'month')} at {format_money(annual_fee, currency)} a year)")
    if cap.fixed_amount is not None:
        parts.append(f"fixed {format_money(Decimal(cap.fixed_amount), currency)}")
    if len(parts) == 2:
        return f"{'greater' if cap.greater_of else 'lesser'} of " + " and ".join(parts)
    return parts[0]


@dataclass(frozen=True)
class CapLine:
    name: str
    basis: str
    working: str
    amount: str
    statement: str
    """"1 × the fees paid in the 12 months before the claim: $240,000 at the annual fee of $240,000"."""
    covers: tuple[str, ...]


def cap_line(name: str, cap: Cap, annual_fee: Decimal, currency: str) -> CapLine:
    """A cap with its basis, its working and its amount at `annual_fee`."""
    basis = cap_basis(cap, currency)
    amount = format_money(cap_amount(cap, annual_fee), currency)
    statement = f"{basis[:1].upper()}{basis[1:]}: {amount} at the annual fee of {format_money(annual_fee, currency)}"
    return CapLine(name, basis, cap_working(cap, annual_fee, currency), amount, statement, cap.covers)


@dataclass(frozen=True)
class IndemnificationAddendum:
    parties: Parties
    product: str
    currency: str
    annual_fee: str
    ip_scope: str
    ip_exclusions: tuple[str, ...]
    ip_remedies: tuple[str, ...]
    breach_description: str
    breach_costs: tuple[str, ...]
    breach_notice: str
    credit_monitoring: str
    customer_scope: str
    customer_exclusions: tuple[str, ...]
    notice: str
    control_of_defence: str
    cooperation: str
    settlement: str
    participation: str
    general_cap: CapLine
    super_cap: CapLine | None
    uncapped: tuple[str, ...]
    excluded_damages: tuple[str, ...]
    credits_count_against_cap: bool
    governing_law: str
    insurance_backing: str
    """One sentence on whether the cyber insurance funds the super-cap; empty without insurance."""


def indemnification_addendum(project: Project) -> IndemnificationAddendum:
    """The indemnification addendum's context."""
    readable = readable_project(project)
    legal: Indemnification | None = readable.indemnification
    if legal is None:
        raise ValueError("the project has no 'indemnification' section")
    liability = legal.liability
    fee, currency = legal.annual_fee, legal.currency
    breach = legal.data_breach_indemnity
    backing = ""
    if readable.insurance is not None and liability.super_cap is not None:
        verdict = coverage_verdict(readable.insurance, legal)
        if verdict is not None:
            backing = f"{verdict.word}: {verdict.explanation}"
    return IndemnificationAddendum(
        parties=parties_of(readable, "indemnification-addendum"),
        product=readable.document.product,
        currency=currency,
        annual_fee=format_money(fee, currency),
        ip_scope=legal.ip_indemnity.scope,
        ip_exclusions=legal.ip_indemnity.exclusions,
        ip_remedies=legal.ip_indemnity.remedies,
        breach_description=breach.description,
        breach_costs=breach.covered_costs,
        breach_notice=plural(breach.notice_hours, "hour"),
        credit_monitoring=plural(breach.credit_monitoring_months, "month")
        if breach.credit_monitoring_months else "",
        customer_scope=legal.customer_indemnity.scope,
        customer_exclusions=legal.customer_indemnity.exclusions,
        notice=legal.procedure.notice,
        control_of_defence=legal.procedure.control_of_defence,
        cooperation=legal.procedure.cooperation,
        settlement=legal.procedure.settlement,
        participation=legal.procedure.participation,
        general_cap=cap_line("General cap", liability.general_cap, fee, currency),
        super_cap=cap_line("Super-cap", liability.super_cap, fee, currency) if liability.super_cap else None,
        uncapped=liability.uncapped,
        excluded_damages=liability.excluded_damages,
        credits_count_against_cap=liability.credits_count_against_cap,
        governing_law=legal.governing_law,
        insurance_backing=backing,
    )
