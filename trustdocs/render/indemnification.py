"""The indemnification addendum's context: the indemnities, the procedure and the limitation of liability, each
cap stated once with its amount worked out in money for the Customer's Fees."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from trustdocs.analyse.liability import cap_amount, fees_for, format_money
from trustdocs.model.legal import Cap, Indemnification
from trustdocs.model.project import Project
from trustdocs.render.contract import Parties, cap_basis, fees_multiple_text, parties_of, plural, readable_project

log = logging.getLogger(__name__)


def cap_working(cap: Cap, annual_fee: Decimal, currency: str) -> str:
    """How the amount follows from the Fees: "being 5 × the Fees of $600,000 for 12 months"; with a fixed
    amount as well, "being the greater of 3 × the Fees of $240,000 for 12 months ($720,000) and $1,000,000";
    empty for a fixed amount alone, which needs no working."""
    if cap.fees_multiple is None:
        return ""
    fees = fees_for(annual_fee, cap.lookback_months)
    multiple = (
        f"{fees_multiple_text(cap)} the Fees of {format_money(fees, currency)} "
        f"for {plural(cap.lookback_months, 'month')}"
    )
    if cap.fixed_amount is None:
        return f"being {multiple}"
    fees_part = format_money(cap_amount(Cap(cap.fees_multiple, cap.lookback_months), annual_fee), currency)
    return (
        f"being the {'greater' if cap.greater_of else 'lesser'} of {multiple} ({fees_part}) and "
        f"{format_money(Decimal(cap.fixed_amount), currency)}"
    )


@dataclass(frozen=True)
class CapLine:
    """A cap as its clause states it: the basis, then the amount at the Customer's Fees and its working."""

    term: str
    """The defined term: "General Cap", "Super-Cap"."""
    basis: str
    amount: str
    working: str
    covers: tuple[str, ...]

    @property
    def in_money(self) -> str:
        """ "$3,000,000, being 5 × the Fees of $600,000 for 12 months"; empty when the basis is the amount."""
        return f"{self.amount}, {self.working}" if self.working else ""


def cap_line(term: str, cap: Cap, annual_fee: Decimal, currency: str) -> CapLine:
    """A cap with its basis and its amount at `annual_fee`."""
    return CapLine(
        term,
        cap_basis(cap, currency),
        format_money(cap_amount(cap, annual_fee), currency),
        cap_working(cap, annual_fee, currency),
        cap.covers,
    )


@dataclass(frozen=True)
class IndemnificationAddendum:
    parties: Parties
    ip_scope: str
    ip_exclusions: tuple[str, ...]
    ip_remedies: tuple[str, ...]
    breach_description: str
    breach_costs: tuple[str, ...]
    breach_notice: str
    """"48 hours"."""
    credit_monitoring: str
    """"24 months"; empty when the input gives no period."""
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
    sla_title: str
    """The title of the SLA addendum Service Credits are defined in; empty without an SLA."""
    governing_law: str


def indemnification_addendum(project: Project) -> IndemnificationAddendum:
    """The indemnification addendum's context."""
    from trustdocs.render.addenda import SLA_ADDENDUM  # the registry imports this module

    readable = readable_project(project)
    legal: Indemnification | None = readable.indemnification
    if legal is None:
        raise ValueError("the project has no 'indemnification' section")
    liability = legal.liability
    fee, currency = legal.annual_fee, legal.currency
    breach = legal.data_breach_indemnity
    return IndemnificationAddendum(
        parties=parties_of(readable, "indemnification-addendum"),
        ip_scope=legal.ip_indemnity.scope,
        ip_exclusions=legal.ip_indemnity.exclusions,
        ip_remedies=legal.ip_indemnity.remedies,
        breach_description=breach.description,
        breach_costs=breach.covered_costs,
        breach_notice=plural(breach.notice_hours, "hour"),
        credit_monitoring=plural(breach.credit_monitoring_months, "month") if breach.credit_monitoring_months else "",
        customer_scope=legal.customer_indemnity.scope,
        customer_exclusions=legal.customer_indemnity.exclusions,
        notice=legal.procedure.notice,
        control_of_defence=legal.procedure.control_of_defence,
        cooperation=legal.procedure.cooperation,
        settlement=legal.procedure.settlement,
        participation=legal.procedure.participation,
        general_cap=cap_line("General Cap", liability.general_cap, fee, currency),
        super_cap=cap_line("Super-Cap", liability.super_cap, fee, currency) if liability.super_cap else None,
        uncapped=liability.uncapped,
        excluded_damages=liability.excluded_damages,
        credits_count_against_cap=liability.credits_count_against_cap,
        sla_title=SLA_ADDENDUM.title if SLA_ADDENDUM.requires(readable) else "",
        governing_law=legal.governing_law,
    )
