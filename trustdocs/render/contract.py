"""What every contract addendum shares: parties, signature block, cap wording, figures written the contract way."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from trustdocs.analyse.durations import format_commitment, format_percent
from trustdocs.analyse.liability import format_money
from trustdocs.model.audience import for_audience, readers_of
from trustdocs.model.document import Signatory
from trustdocs.model.legal import Cap
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
    """ "1 day", "30 days"."""
    word = singular if count == 1 else (many or singular + "s")
    return f"{count} {word}"


# -- liability caps ---------------------------------------------------------------------------


def fees_multiple_text(cap: Cap) -> str:
    """ "5 ×": a cap's multiple of fees."""
    return f"{format_commitment(Decimal(cap.fees_multiple or 0))} ×"


def cap_basis(cap: Cap, currency: str) -> str:
    """How a cap is stated: "1 × the Fees paid or payable in the 12 months before the event giving rise to the
    liability", a fixed amount, or both ("Fees" is a defined term of every addendum that states a cap)."""
    fees = (
        f"{fees_multiple_text(cap)} the Fees paid or payable in the {plural(cap.lookback_months, 'month')} "
        "before the event giving rise to the liability"
        if cap.fees_multiple is not None
        else ""
    )
    fixed = format_money(Decimal(cap.fixed_amount), currency) if cap.fixed_amount is not None else ""
    if fees and fixed:
        return f"the {'greater' if cap.greater_of else 'lesser'} of {fees} and {fixed}"
    return fees or fixed


# -- parties, the agreement, precedence and signatures ---------------------------------------

PROVIDER = "Provider"
"""The one name every addendum gives the vendor after the preamble (never its trading name)."""
CUSTOMER = "Customer"

PRECEDENCE: tuple[str, ...] = ("indemnification-addendum", "sla-addendum", "insurance-summary", "escrow-procedure")
"""The order in which the addenda prevail over one another, each only on its own subject matter; every
addendum prints the same order-of-precedence clause from this one list."""


@dataclass(frozen=True)
class Party:
    """One party to an addendum, as the preamble and the signature block name it."""

    role: str
    """"Provider", "Customer": the defined name used for the party throughout."""
    legal_name: str
    address: tuple[str, ...] = ()
    details: str = ""
    named: bool = True
    """False for the blank customer of a build without one."""
    signatory: Signatory | None = None
    """Who signs for the party; None leaves name and title to be filled in by hand."""


@dataclass(frozen=True)
class AgreementReference:
    """How an addendum identifies the agreement it forms part of."""

    title: str
    """"Master Subscription Agreement"."""
    reference: str = ""
    date: dt.date | None = None
    amended_clauses: tuple[str, ...] = ()
    """The Agreement's clauses this addendum amends, as the input names them: "8 (Service Levels)"."""
    named: bool = True
    """False when the build names no customer, so no agreement either."""


@dataclass(frozen=True)
class Parties:
    provider: Party
    customer: Party
    agreement: AgreementReference
    effective_date: dt.date | None = None
    """The date the customer's terms take effect (None: the document's effective date)."""
    precedence: tuple[str, ...] = ()
    """Titles of the instruments in order of precedence, the Agreement last."""

    @property
    def signatories(self) -> tuple[Party, Party]:
        return (self.provider, self.customer)


DEFAULT_AGREEMENT_TITLE = "Master Subscription Agreement"


def parties_of(project: Project, document: str = "") -> Parties:
    """The provider (the vendor), the customer (blank when the build names none), the agreement that
    `document` (a registered document name) forms part of and the clauses of it that it amends."""
    from trustdocs.render.documents import DOCUMENTS  # the registry imports this module's users

    vendor = project.document.vendor
    provider = Party(
        PROVIDER, vendor.legal_name, vendor.address.lines, vendor.registration or "", signatory=vendor.signatory
    )
    present = {spec.name: spec.title for spec in DOCUMENTS if spec.requires(project)}
    precedence = tuple(present[name] for name in PRECEDENCE if name in present) + ("the Agreement",)
    customer = project.customer
    if customer is None:
        return Parties(
            provider,
            Party(CUSTOMER, CUSTOMER_PLACEHOLDER, named=False),
            AgreementReference(DEFAULT_AGREEMENT_TITLE, named=False),
            precedence=precedence,
        )
    address = customer.address.lines if customer.address else ()
    agreement = customer.agreement
    if agreement is None:
        reference = AgreementReference(DEFAULT_AGREEMENT_TITLE, customer.agreement_reference)
    else:
        reference = AgreementReference(
            agreement.title,
            agreement.reference or customer.agreement_reference,
            agreement.date,
            agreement.clauses_amended_by(document),
        )
    return Parties(
        provider,
        Party(CUSTOMER, customer.legal_name, address, signatory=customer.signatory),
        reference,
        customer.terms_effective,
        precedence,
    )
