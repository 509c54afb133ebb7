"""The security programme: organisation, controls and the commitments customers rely on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, cast

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
class FrameworkMapping:
    """Criteria of the control frameworks a control meets, validated by pattern."""

    soc2: tuple[str, ...] = ()
    """SOC 2 trust services criteria, e.g. CC6.1."""
    iso27001: tuple[str, ...] = ()
    """ISO/IEC 27001:2022 Annex A controls, e.g. A.5.15."""
    csa_ccm: tuple[str, ...] = ()
    """CSA Cloud Controls Matrix v4 control IDs, e.g. IAM-02."""

    def refs(self, framework: str) -> tuple[str, ...]:
        return cast(tuple[str, ...], getattr(self, framework))


@dataclass(frozen=True)
class Control:
    """A named control that mitigations reference (e.g. 'Central SSO with enforced MFA')."""

    id: str
    name: str
    description: str = ""
    framework_refs: tuple[str, ...] = ()
    frameworks: FrameworkMapping = FrameworkMapping()
    audience: Audience = "public"
    loc: Location | None = loc_field()

    @property
    def all_framework_refs(self) -> tuple[str, ...]:
        """Every framework reference, structured ones named like free ones ('SOC 2 CC6.1', 'ISO 27001 A.5.15')."""
        return (
            *(f"SOC 2 {r}" for r in self.frameworks.soc2),
            *(f"ISO 27001 {r}" for r in self.frameworks.iso27001),
            *(f"CSA CCM {r}" for r in self.frameworks.csa_ccm),
            *self.framework_refs,
        )


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
class OpenFindings:
    critical: int = 0
    high: int = 0
    medium: int = 0
    low: int = 0
    informational: int = 0


@dataclass(frozen=True)
class PenTestFindings:
    """Findings of the last penetration test by severity, and those still open."""

    critical: int = 0
    high: int = 0
    medium: int = 0
    low: int = 0
    informational: int = 0
    open: OpenFindings = OpenFindings()


@dataclass(frozen=True)
class PenTest:
    frequency_months: int
    provider: str
    """The tester."""
    last_test: dt.date | None = None
    summary_available_under_nda: bool = True
    scope: str = ""
    findings: PenTestFindings | None = None
    remediation_status: str = ""
    retest_date: dt.date | None = None


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
    transfer_mechanism: TransferMechanism | None = None
    hipaa_baa: bool | None = None
    """Whether a HIPAA business associate agreement is signed; None when it handles no PHI."""
    audience: Audience = "public"
    loc: Location | None = loc_field()


TransferMechanism = Literal["none_needed", "adequacy", "eu_scc", "uk_idta", "dpf", "bcr"]


@dataclass(frozen=True)
class SubprocessorChanges:
    """Notice of a new subprocessor and the customer's right to object."""

    notice_days: int
    objection_right: bool
    channel: str = ""
    description: str = ""


@dataclass(frozen=True)
class ResidencyRegion:
    """Where one hosting region keeps and processes customer data."""

    region: str
    stored_in: tuple[str, ...]
    processed_in: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class Hosting:
    provider: str
    regions: tuple[str, ...]
    tenancy: str = ""
    data_residency: str = ""
    residency: tuple[ResidencyRegion, ...] = ()


@dataclass(frozen=True)
class RetentionRule:
    data: str
    """A data asset id."""
    period: str
    deletion: str = ""
    loc: Location | None = loc_field()


PrivacyRegimeName = Literal["gdpr", "uk_gdpr", "ccpa_cpra", "hipaa", "lgpd", "pipeda", "swiss_fadp", "apps"]


@dataclass(frozen=True)
class PrivacyRegime:
    """The vendor's role under one privacy law, and how transfers out of its area are made lawful."""

    regime: PrivacyRegimeName
    role: str
    transfer_mechanisms: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Privacy:
    dpa_available: bool = True
    gdpr_role: str = ""
    international_transfers: str = ""
    description: str = ""
    regimes: tuple[PrivacyRegime, ...] = ()
    hipaa_baa_offered: bool | None = None
    """Whether customers can sign a HIPAA business associate agreement; None when HIPAA does not apply."""


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
    subprocessor_changes: SubprocessorChanges | None = None
    retention: tuple[RetentionRule, ...] = ()
    controls: tuple[Control, ...] = ()
    privacy: Privacy = Privacy()
    personnel: Personnel = Personnel()
    shared_responsibilities: tuple[SharedResponsibility, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    executive_summary: str = ""
    loc: Location | None = loc_field()
