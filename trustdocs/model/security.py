"""The security programme: organisation, controls and the commitments customers rely on."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from trustdocs.model.base import Audience, Location, loc_field


@dataclass(frozen=True)
class Organisation:
    security_lead: str
    security_lead_title: str
    team_size: int
    description: str = ""
    policies: tuple[str, ...] = ()
    risk_management: str = ""
    isms_scope: str = ""
    principles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Control:
    """A named control that mitigations reference (e.g. 'Central SSO with enforced MFA')."""

    id: str
    name: str
    description: str = ""
    framework_refs: tuple[str, ...] = ()
    audience: Audience = "public"
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class TransitEncryption:
    minimum_tls: str
    protocols: tuple[str, ...] = ()
    hsts: bool = False
    internal_mtls: bool = False
    description: str = ""


@dataclass(frozen=True)
class RestEncryption:
    algorithm: str
    key_management: str
    key_rotation_days: int | None = None
    customer_managed_keys: bool = False
    description: str = ""


@dataclass(frozen=True)
class Encryption:
    in_transit: TransitEncryption
    at_rest: RestEncryption


@dataclass(frozen=True)
class CustomerIdentity:
    sso: tuple[str, ...] = ()
    mfa: bool = False
    scim: bool = False
    rbac: bool = False
    audit_log: bool = False
    description: str = ""


@dataclass(frozen=True)
class WorkforceIdentity:
    mfa: bool = False
    sso: bool = False
    just_in_time_access: bool = False
    access_review_months: int | None = None
    customer_data_access_logged: bool = False
    description: str = ""


@dataclass(frozen=True)
class IdentityAccess:
    customer: CustomerIdentity
    workforce: WorkforceIdentity


@dataclass(frozen=True)
class PenTest:
    frequency_months: int
    provider: str
    last_test: dt.date | None = None
    summary_available_under_nda: bool = True


@dataclass(frozen=True)
class BugBounty:
    platform: str
    url: str | None = None
    scope: str = ""


@dataclass(frozen=True)
class Sdlc:
    code_review: bool
    sast: str | None = None
    dast: str | None = None
    sca: str | None = None
    sbom: bool = False
    secrets_management: str = ""
    threat_modelling: str = ""
    pen_test: PenTest | None = None
    bug_bounty: BugBounty | None = None
    disclosure_policy_url: str | None = None
    description: str = ""


@dataclass(frozen=True)
class RemediationTargets:
    """Days allowed to remediate a vulnerability, by severity."""

    critical_days: int
    high_days: int
    medium_days: int
    low_days: int


@dataclass(frozen=True)
class VulnerabilityManagement:
    remediation: RemediationTargets
    scanning: str = ""
    patching: str = ""
    description: str = ""


@dataclass(frozen=True)
class Logging:
    siem: str | None = None
    monitoring_24x7: bool = False
    retention_days: int | None = None
    description: str = ""


@dataclass(frozen=True)
class IncidentResponse:
    notification_hours: int
    """Hours within which affected customers are notified of a confirmed security incident."""
    rca_business_days: int | None = None
    plan_tested_months: int | None = None
    description: str = ""


@dataclass(frozen=True)
class Backups:
    frequency: str
    retention_days: int
    encrypted: bool = True
    tested_months: int | None = None


@dataclass(frozen=True)
class ContinuityRecovery:
    rto_hours: float
    rpo_hours: float
    multi_zone: bool = False
    multi_region: bool = False
    dr_test_months: int | None = None
    backups: Backups | None = None
    description: str = ""


@dataclass(frozen=True)
class Certification:
    id: str
    name: str
    auditor: str
    period_start: dt.date
    period_end: dt.date
    scope: str = ""
    nda_only: bool = False
    audience: Audience = "public"
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Subprocessor:
    name: str
    purpose: str
    location: str
    data: tuple[str, ...] = ()
    """Data asset ids the subprocessor handles."""
    audience: Audience = "public"
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Hosting:
    provider: str
    regions: tuple[str, ...]
    tenancy: str = ""
    data_residency: str = ""


@dataclass(frozen=True)
class RetentionRule:
    data: str
    """A data asset id."""
    period: str
    deletion: str = ""
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Privacy:
    dpa_available: bool = True
    gdpr_role: str = ""
    international_transfers: str = ""
    description: str = ""


@dataclass(frozen=True)
class Personnel:
    background_checks: bool = False
    security_training_months: int | None = None
    confidentiality_agreements: bool = False
    physical_security: str = ""
    description: str = ""


@dataclass(frozen=True)
class SharedResponsibility:
    area: str
    vendor: str
    customer: str
    audience: Audience = "public"
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    definition: str


@dataclass(frozen=True)
class SecurityProgramme:
    organisation: Organisation
    encryption: Encryption
    identity: IdentityAccess
    sdlc: Sdlc
    vulnerability_management: VulnerabilityManagement
    logging: Logging
    incident_response: IncidentResponse
    continuity: ContinuityRecovery
    hosting: Hosting
    certifications: tuple[Certification, ...] = ()
    subprocessors: tuple[Subprocessor, ...] = ()
    retention: tuple[RetentionRule, ...] = ()
    controls: tuple[Control, ...] = ()
    privacy: Privacy = Privacy()
    personnel: Personnel = Personnel()
    shared_responsibilities: tuple[SharedResponsibility, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    executive_summary: str = ""
    loc: Location | None = loc_field()

