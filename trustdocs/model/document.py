"""Document control: who publishes the documents, their version, status and history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from trustdocs.model.addresses import locality_line
from trustdocs.model.base import Location, loc_field

Status = Literal["draft", "in_review", "approved"]
Classification = Literal["public", "confidential", "nda"]


@dataclass(frozen=True)
class Address:
    street: str
    city: str
    postal_code: str
    country: str
    region: str | None = None

    @property
    def lines(self) -> tuple[str, ...]:
        """Street, locality and country, the locality written as the country writes it."""
        return (self.street, locality_line(self.city, self.postal_code, self.country, self.region), self.country)


@dataclass(frozen=True)
class Signatory:
    """Who signs an instrument for a party; the signature block prints the name and title to sign under."""

    name: str
    title: str


@dataclass(frozen=True)
class Vendor:
    legal_name: str
    address: Address
    website: str | None = None
    registration: str | None = None
    signatory: Signatory | None = None


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    role: str | None = None
    phone: str | None = None
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Approval:
    name: str
    role: str
    date: dt.date
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Revision:
    version: str
    date: dt.date
    author: str
    summary: str
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Branding:
    logo: str | None = None
    accent_color: str = "#1f4e79"


@dataclass(frozen=True)
class DocumentControl:
    product: str
    vendor: Vendor
    security_contact: Contact
    version: str
    status: Status
    effective_date: dt.date
    classification: Classification
    owners: tuple[Contact, ...]
    approvers: tuple[Approval, ...] = ()
    revisions: tuple[Revision, ...] = ()
    review_cycle_months: int = 12
    scope: str = ""
    product_description: str = ""
    branding: Branding = Branding()
    loc: Location | None = loc_field()

    @property
    def is_draft(self) -> bool:
        return self.status != "approved"
