"""What every contract addendum shares: parties, signature block, cap wording, figures written the contract way."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from trustdocs.analyse.durations import format_commitment, format_percent
from trustdocs.analyse.liability import format_money
from trustdocs.model.legal import Cap
from trustdocs.model.audience import for_audience, readers_of
from trustdocs.model.project import Project

log = logging.getLogger(__name__)

CUSTOMER_PLACEHOLDER = "Customer"
"""The customer's name in the signature block of an addendum built without a customer."""


def readable_project(project: Project) -> Project:
    """The project as the document's readers may see it: internal items (and, for public documents, NDA
    items) removed, as the project's classification says."""
    return for_audience(project, readers_of(project))


# -- figures ----------------------------------------------------------------------------------

def percent_text(value: Decimal | int) -> str:
    """A percentage as written in the contract, with a space before the sign: "99.95 %", "10 %"."""
    return f"{format_commitment(Decimal(value))} %"


def threshold_text(value: Decimal | int) -> str:
    """An availability threshold with at least one decimal, as SLAs print them: "99.0 %", "99.95 %"."""
    text = format_commitment(Decimal(value))
    return f"{text if '.' in text else text + '.0'} %"


def measured_text(value: Fraction | Decimal, places: int = 3) -> str:
    """A measured availability cut (never rounded up) to `places` decimals: "99.731 %"."""
    return f"{format_percent(value, places)} %"


def count_text(value: int) -> str:
    """A whole number with thousands separators: "44,640"."""
    return f"{value:,}"


_SIZE_UNITS = (("GB", 10**9), ("MB", 10**6), ("kB", 10**3))


def size_text(size: int) -> str:
    """A size in bytes in decimal units, one decimal: "412.8 MB"; below 1 kB in bytes."""
    for unit, scale in _SIZE_UNITS:
        if size >= scale:
            return f"{Decimal(size) / scale:.1f} {unit}"
    return f"{size} bytes"


def plural(count: int | Decimal, singular: str, many: str | None = None) -> str:
    """"1 day", "30 days"."""
    word = singular if count == 1 else (many or singular + "s")
    return f"{count} {word}"


# -- liability caps ---------------------------------------------------------------------------

def fees_multiple_text(cap: Cap) -> str:
    """"5 ×": a cap's multiple of fees."""
    return f"{format_commitment(Decimal(cap.fees_multiple or 0))} ×"


def cap_basis(cap: Cap, currency: str) -> str:
    """How a cap is stated: "1 × the fees paid in the 12 months before the claim", a fixed amount, or both."""
    fees = (f"{fees_multiple_text(cap)} the fees paid in the {plural(cap.lookback_months, 'month')} before the claim"
            if cap.fees_multiple is not None else "")
    fixed = format_money(Decimal(cap.fixed_amount), currency) if cap.fixed_amount is not None else ""
    if fees and fixed:
        return f"the {'greater' if cap.greater_of else 'lesser'} of {fees} and {fixed}"
    return fees or fixed


# -- parties and signatures -------------------------------------------------------------------

@dataclass(frozen=True)
class Party:
    """One party to an addendum, as the parties clause and the signature block name it."""

    role: str
    """"Provider", "Customer"."""
    legal_name: str
    address: tuple[str, ...] = ()
    details: str = ""
    named: bool = True
    """False for the blank customer of a build without one."""


@dataclass(frozen=True)
class Parties:
    provider: Party
    customer: Party
    agreement: str
    """How the addendum names the agreement it belongs to."""

    @property
    def signatories(self) -> tuple[Party, Party]:
        return (self.provider, self.customer)


def parties_of(project: Project) -> Parties:
    """The provider (the vendor) and the customer, or a blank customer when the build names none."""
    vendor = project.document.vendor
    provider = Party("Provider", vendor.legal_name, vendor.address.lines, vendor.registration or "")
    customer = project.customer
    if customer is None:
        return Parties(provider, Party("Customer", CUSTOMER_PLACEHOLDER, named=False),
                       f"the agreement under which the Customer subscribes to {project.document.product}")
    address = customer.address.lines if customer.address else ()
    agreement = (f"the agreement between the parties ({customer.agreement_reference})"
                 if customer.agreement_reference else
                 f"the agreement under which the Customer subscribes to {project.document.product}")
    return Parties(provider, Party("Customer", customer.legal_name, address), agreement)
