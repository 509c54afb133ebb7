"""Facts tables of the security document's programme chapters: values from the model written for a reader."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from trustdocs.analyse.durations import format_duration
from trustdocs.model.project import Project
from trustdocs.model.security import SecurityProgramme
from trustdocs.model.threats import Threat
from trustdocs.render.env import format_date

__all__ = ["Fact", "contact_facts", "hours_text", "humanise", "key_facts", "programme_facts"]


@dataclass(frozen=True)
class Fact:
    """One line of a facts table: a label and its value as plain text."""

    label: str
    value: str


def hours_text(hours: float | Decimal) -> str:
    """A number of hours as the documents print durations: 4 -> '4 h', 0.25 -> '15 min'."""
    return format_duration(Decimal(str(hours)) * 3600)


def _months(months: int | None, what: str = "Every") -> str:
    if months is None:
        return "—"
    return f"{what} {months} month" if months == 1 else f"{what} {months} months"


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else ("Yes" if value else "No")


def _text(value: str | None) -> str:
    return value.strip() if value and value.strip() else "—"


def _join(values: Sequence[str], empty: str = "—") -> str:
    return ", ".join(values) if values else empty


def humanise(level: str) -> str:
    text = level.replace("_", " ")
    return text[:1].upper() + text[1:]


def key_facts(project: Project, threats: tuple[Threat, ...]) -> tuple[Fact, ...]:
    """The executive summary's key facts, each computed from the model."""
    security = project.security
    hosting = security.hosting
    transit, rest = security.encryption.in_transit, security.encryption.at_rest
    continuity = security.continuity
    open_threats = sum(1 for t in threats if t.status in ("open", "in_progress"))
    facts = [
        Fact("Hosting", f"{hosting.provider}: {', '.join(hosting.regions)}"),
        Fact("Certifications and attestations", _join([c.name for c in security.certifications], "None")),
        Fact("Encryption", f"TLS {transit.minimum_tls} or newer in transit; {rest.algorithm} at rest"),
        Fact("Recovery objectives", f"RTO {hours_text(continuity.rto_hours)}, RPO {hours_text(continuity.rpo_hours)}"),
        Fact(
            "Security incident notification",
            f"Within {security.incident_response.notification_hours} hours of confirmation",
        ),
    ]
    if security.sdlc.pen_test is not None:
        pen = security.sdlc.pen_test
        last = f"; last completed {_date(pen.last_test)}" if pen.last_test else ""
        facts.append(Fact("Independent penetration test", f"{_months(pen.frequency_months)}{last}"))
    facts.append(
        Fact(
            "Threat model",
            f"{len(threats)} threats registered, {open_threats} open or in progress, "
            "each with a planned remediation date"
            if open_threats and all(t.remediation_date for t in threats if t.status in ("open", "in_progress"))
            else f"{len(threats)} threats registered, {open_threats} open or in progress",
        )
    )
    return tuple(facts)


def _date(day: dt.date | None) -> str:
    return format_date(day)


def programme_facts(security: SecurityProgramme) -> dict[str, tuple[Fact, ...]]:
    """The facts table of each chapter about the security programme, by chapter key."""
    org, enc, ident, sdlc = security.organisation, security.encryption, security.identity, security.sdlc
    vuln, logs, incident, cont = (
        security.vulnerability_management,
        security.logging,
        security.incident_response,
        security.continuity,
    )
    facts: dict[str, list[Fact]] = {
        "organisation": [
            Fact("Security lead", f"{org.security_lead}, {org.security_lead_title}"),
            Fact("Security team", f"{org.team_size} people"),
        ],
        "hosting": [
            Fact("Cloud provider", security.hosting.provider),
            Fact("Regions", _join(security.hosting.regions)),
            Fact("Tenancy", _text(security.hosting.tenancy)),
            Fact("Data residency", _text(security.hosting.data_residency)),
        ],
        "transit": [
            Fact("Minimum TLS version", f"TLS {enc.in_transit.minimum_tls}"),
            Fact("Protocols accepted", _join(enc.in_transit.protocols)),
            Fact("HSTS", _yes_no(enc.in_transit.hsts)),
            Fact("Mutual TLS between services", _yes_no(enc.in_transit.internal_mtls)),
        ],
        "rest": [
            Fact("Algorithm", enc.at_rest.algorithm),
            Fact("Key management", enc.at_rest.key_management),
            Fact(
                "Key rotation", f"Every {enc.at_rest.key_rotation_days} days" if enc.at_rest.key_rotation_days else "—"
            ),
            Fact("Customer-managed keys", _yes_no(enc.at_rest.customer_managed_keys)),
        ],
        "customer_identity": [
            Fact("Single sign-on", _join(ident.customer.sso, "No")),
            Fact("Multi-factor authentication", _yes_no(ident.customer.mfa)),
            Fact("SCIM provisioning", _yes_no(ident.customer.scim)),
            Fact("Role-based access control", _yes_no(ident.customer.rbac)),
            Fact("Audit log for customers", _yes_no(ident.customer.audit_log)),
        ],
        "workforce": [
            Fact("Multi-factor authentication", _yes_no(ident.workforce.mfa)),
            Fact("Single sign-on", _yes_no(ident.workforce.sso)),
            Fact("Just-in-time privileged access", _yes_no(ident.workforce.just_in_time_access)),
            Fact("Access reviews", _months(ident.workforce.access_review_months)),
            Fact("Access to customer data logged", _yes_no(ident.workforce.customer_data_access_logged)),
        ],
        "sdlc": [
            Fact("Code review", "Required for every change" if sdlc.code_review else "Not required"),
            Fact("Static analysis (SAST)", _text(sdlc.sast)),
            Fact("Dynamic analysis (DAST)", _text(sdlc.dast)),
            Fact("Dependency analysis (SCA)", _text(sdlc.sca)),
            Fact("Software bill of materials", _yes_no(sdlc.sbom)),
            Fact("Secrets management", _text(sdlc.secrets_management)),
            Fact("Threat modelling", _text(sdlc.threat_modelling)),
        ],
        "pen_test": [],
        "disclosure": [],
        "vulnerability": [
            Fact("Scanning", _text(vuln.scanning)),
            Fact("Patching", _text(vuln.patching)),
        ],
        "logging": [
            Fact("SIEM", _text(logs.siem)),
            Fact("24×7 monitoring", _yes_no(logs.monitoring_24x7)),
            Fact("Log retention", f"{logs.retention_days} days" if logs.retention_days else "—"),
        ],
        "incident": [
            Fact(
                "Customer notification",
                f"Within {incident.notification_hours} hours of confirming a "
                "security incident affecting the customer's data",
            ),
            Fact(
                "Root-cause analysis",
                f"Within {incident.rca_business_days} business days" if incident.rca_business_days else "—",
            ),
            Fact("Plan exercised", _months(incident.plan_tested_months)),
        ],
        "continuity": [
            Fact("Recovery time objective (RTO)", hours_text(cont.rto_hours)),
            Fact("Recovery point objective (RPO)", hours_text(cont.rpo_hours)),
            Fact("Multiple availability zones", _yes_no(cont.multi_zone)),
            Fact("Multiple regions", _yes_no(cont.multi_region)),
            Fact("Disaster-recovery tests", _months(cont.dr_test_months)),
        ],
        "backup": [],
        "privacy": [
            Fact("Data processing agreement", "Available" if security.privacy.dpa_available else "Not offered"),
            Fact("GDPR role", _text(security.privacy.gdpr_role)),
            Fact("International transfers", _text(security.privacy.international_transfers)),
        ],
        "personnel": [
            Fact("Background checks", _yes_no(security.personnel.background_checks)),
            Fact("Security awareness training", _months(security.personnel.security_training_months)),
            Fact("Confidentiality agreements", _yes_no(security.personnel.confidentiality_agreements)),
            Fact("Physical security", _text(security.personnel.physical_security)),
        ],
    }
    if security.privacy.hipaa_baa_offered is not None:
        facts["privacy"].append(
            Fact(
                "HIPAA business associate agreement",
                "Offered to customers" if security.privacy.hipaa_baa_offered else "Not offered",
            )
        )
    if org.isms_scope:
        facts["organisation"].append(Fact("ISMS scope", org.isms_scope.strip()))
    if sdlc.pen_test is not None:
        pen = sdlc.pen_test
        facts["pen_test"] = [
            Fact("Frequency", _months(pen.frequency_months)),
            Fact("Provider", pen.provider),
            Fact("Last test", _date(pen.last_test)),
            Fact("Summary report", "Available under NDA" if pen.summary_available_under_nda else "Not shared"),
        ]
    if sdlc.bug_bounty is not None:
        facts["disclosure"] += [
            Fact("Bug bounty", sdlc.bug_bounty.platform),
            Fact("Bug bounty scope", _text(sdlc.bug_bounty.scope)),
        ]
        if sdlc.bug_bounty.url:
            facts["disclosure"].append(Fact("Bug bounty programme", sdlc.bug_bounty.url))
    if sdlc.disclosure_policy_url:
        facts["disclosure"].append(Fact("Vulnerability disclosure policy", sdlc.disclosure_policy_url))
    if cont.backups is not None:
        backups = cont.backups
        tested = f"; restores tested every {backups.tested_months} months" if backups.tested_months else ""
        facts["continuity"].append(Fact("Backups", f"{backups.frequency}; kept {backups.retention_days} days{tested}"))
        facts["backup"] = [
            Fact("Frequency", backups.frequency),
            Fact("Retention", f"{backups.retention_days} days"),
            Fact("Encrypted", _yes_no(backups.encrypted)),
            Fact("Restore tests", _months(backups.tested_months)),
        ]
    return {key: tuple(value) for key, value in facts.items()}


def contact_facts(project: Project) -> tuple[Fact, ...]:
    """Who to contact about security, and how to report a vulnerability."""
    contact, sdlc = project.document.security_contact, project.security.sdlc
    facts = [Fact("Security contact", f"{contact.name} <{contact.email}>")]
    if contact.phone:
        facts.append(Fact("Telephone", contact.phone))
    if contact.role:
        facts.append(Fact("For", contact.role))
    if sdlc.disclosure_policy_url:
        facts.append(Fact("Vulnerability disclosure policy", sdlc.disclosure_policy_url))
    if sdlc.bug_bounty is not None:
        bounty = sdlc.bug_bounty
        facts.append(Fact("Bug bounty", bounty.platform + (f": {bounty.url}" if bounty.url else "")))
    if project.document.vendor.website:
        facts.append(Fact("Website", project.document.vendor.website))
    return tuple(facts)
