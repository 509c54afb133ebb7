"""The whole validated project, and the customer whose negotiated terms may overlay it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from trustdocs.model.architecture import Architecture
from trustdocs.model.base import Location, loc_field
from trustdocs.model.document import Address, Contact, DocumentControl, Signatory
from trustdocs.model.escrow import Escrow
from trustdocs.model.legal import Cap, Indemnification, Insurance
from trustdocs.model.questionnaire import Questionnaire
from trustdocs.model.security import SecurityProgramme
from trustdocs.model.sla import CreditTier, Incident, Sla, Support
from trustdocs.model.threats import ThreatModel


@dataclass(frozen=True)
class ServiceCommitment:
    service: str
    commitment_percent: Decimal
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class DataResidency:
    """Where a customer's data is stored at rest (backups included) and where it is processed."""

    stored_in: tuple[str, ...]
    processed_in: tuple[str, ...] = ()
    loc: Location | None = loc_field()

    @property
    def processing_places(self) -> tuple[str, ...]:
        """Where the data is processed: `processed_in`, or where it is stored when that is not given."""
        return self.processed_in or self.stored_in


@dataclass(frozen=True)
class SupportHours:
    """When support is staffed for a customer: 'business' (then `business_hours`), '24x5' or '24x7'."""

    hours: Literal["business", "24x5", "24x7"]
    time_zone: str
    business_hours: str = ""
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class MaintenanceWindow:
    """The weekly window for a customer's scheduled maintenance: from `start` on `day`, `duration_hours` long."""

    day: Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    start: str
    duration_hours: Decimal
    time_zone: str
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class NegotiatedTerms:
    """Terms a customer negotiated; each one present replaces the project's default wherever it appears."""

    support_plan: str | None = None
    annual_fee: Decimal | None = None
    commitments: tuple[ServiceCommitment, ...] = ()
    credit_tiers: tuple[CreditTier, ...] = ()
    credit_cap_percent: Decimal | None = None
    general_cap: Cap | None = None
    super_cap: Cap | None = None
    notification_hours: int | None = None
    claim_deadline_days: int | None = None
    baa_reference: str | None = None
    data_residency: DataResidency | None = None
    support_hours: SupportHours | None = None
    maintenance_window: MaintenanceWindow | None = None


@dataclass(frozen=True)
class AmendedClauses:
    """The clauses of the Agreement that one addendum (by document name) amends."""

    document: str
    clauses: tuple[str, ...]


@dataclass(frozen=True)
class Agreement:
    """The agreement between the vendor and a customer that the addenda form part of."""

    title: str
    reference: str = ""
    date: dt.date | None = None
    amends: tuple[AmendedClauses, ...] = ()

    def clauses_amended_by(self, document: str) -> tuple[str, ...]:
        return next((a.clauses for a in self.amends if a.document == document), ())


@dataclass(frozen=True)
class LastReceived:
    """The version of the documents a customer last received and the git revision of the project holding it."""

    version: str
    revision: str
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Customer:
    legal_name: str
    short_name: str
    terms: NegotiatedTerms = NegotiatedTerms()
    address: Address | None = None
    contact: Contact | None = None
    agreement_reference: str = ""
    """Deprecated: `agreement.reference`."""
    agreement: Agreement | None = None
    effective_date: dt.date | None = None
    signatory: Signatory | None = None
    last_received: LastReceived | None = None
    loc: Location | None = loc_field()

    @property
    def terms_effective(self) -> dt.date | None:
        """The date the customer's terms take effect: as given, or the agreement's date."""
        return self.effective_date or (self.agreement.date if self.agreement else None)

    @property
    def slug(self) -> str:
        import re

        return re.sub(r"[^a-z0-9]+", "-", self.short_name.lower()).strip("-")


@dataclass(frozen=True)
class SourceFile:
    """An input file of the project, with its path relative to the project root and its SHA-256."""

    path: str
    sha256: str
    sections: tuple[str, ...] = ()
    """The project's top-level sections this file defines or feeds (e.g. "sla"); what a document draws on."""


@dataclass(frozen=True)
class Project:
    root: Path
    document: DocumentControl
    architecture: Architecture
    security: SecurityProgramme
    threat_model: ThreatModel
    sla: Sla | None = None
    support: Support | None = None
    incidents: tuple[Incident, ...] = ()
    insurance: Insurance | None = None
    indemnification: Indemnification | None = None
    escrow: Escrow | None = None
    questionnaire: Questionnaire | None = None
    """The project's own answer library for security questionnaires."""
    customer: Customer | None = None
    sources: tuple[SourceFile, ...] = ()
    customer_file: Path | None = None
    """The customer file of a customer build, whose terms are overlaid on the model."""
