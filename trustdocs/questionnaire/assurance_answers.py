"""Derivers for development, vulnerabilities, logging, incidents, continuity, suppliers, privacy and audits."""

from __future__ import annotations

import datetime as dt

from trustdocs.analyse.risk import UNMITIGATED_STATUSES, assess_threats
from trustdocs.model.project import Project
from trustdocs.model.security import Certification
from trustdocs.questionnaire.derive import (
    Answer,
    as_list,
    contains_any,
    deriver,
    join,
    months_phrase,
    no,
    not_applicable,
    plain,
    plural,
    review,
    sentence,
    yes,
)
from trustdocs.questionnaire.security_answers import names

_SEVERE = ("high", "critical")


# Application security -----------------------------------------------------------------------------------


@deriver("sdlc_tool")
def sdlc_tool(project: Project, field: str, practice: str) -> Answer:
    """A testing tool of the SDLC (sast, dast, sca): Yes naming it, review when the model names none."""
    tool = getattr(project.security.sdlc, field)
    if not tool:
        return review(f"The model names no {practice} tool (security.sdlc.{field}).")
    return yes(sentence(f"{practice}: {plain(tool, 240)}"))


@deriver("threat_modelling")
def threat_modelling(project: Project) -> Answer:
    method = project.security.sdlc.threat_modelling or project.threat_model.methodology
    threats = project.threat_model.threats
    if not method and not threats:
        return review("The model describes no threat modelling.")
    register = (
        f" The current threat model holds {plural(len(threats), 'threat')} with owners, mitigations and status."
        if threats
        else ""
    )
    return yes(sentence(f"{plain(method, 240)}{register}".strip()))


@deriver("pen_test")
def pen_test(project: Project, months: int) -> Answer:
    test = project.security.sdlc.pen_test
    if test is None:
        return review("The model describes no penetration test (security.sdlc.pen_test).")
    last = f"; last test completed {test.last_test.isoformat()}" if test.last_test else ""
    words = f"Penetration tested {months_phrase(test.frequency_months)} by {test.provider}{last}."
    return yes(words) if test.frequency_months <= months else no(words)


@deriver("pen_test_summary")
def pen_test_summary(project: Project) -> Answer:
    test = project.security.sdlc.pen_test
    if test is None:
        return review("The model describes no penetration test (security.sdlc.pen_test).")
    if not test.summary_available_under_nda:
        return no("The penetration-test summary is not shared with customers.")
    when = f" ({test.last_test.isoformat()})" if test.last_test else ""
    return yes(f"A summary of the latest test by {test.provider}{when} is available under NDA.")


@deriver("bug_bounty")
def bug_bounty(project: Project) -> Answer:
    sdlc = project.security.sdlc
    if sdlc.bug_bounty is None:
        disclosure = (
            f" A vulnerability disclosure policy is published at {sdlc.disclosure_policy_url}."
            if sdlc.disclosure_policy_url
            else ""
        )
        return review(f"The model describes no bug bounty programme.{disclosure}")
    bounty = sdlc.bug_bounty
    scope = f"; scope: {plain(bounty.scope, 200)}" if bounty.scope else ""
    return yes(f"A bug bounty programme on {bounty.platform}{scope}.")


@deriver("secure_development")
def secure_development(project: Project) -> Answer:
    sdlc = project.security.sdlc
    found = [p for p in project.security.organisation.policies if contains_any(p, ("development", "sdlc"))]
    if not found and not sdlc.description:
        return review("The model has no secure development policy or SDLC description.")
    parts = ([f"Documented in the {join(found)}"] if found else []) + (
        [plain(sdlc.description, 300)] if sdlc.description else []
    )
    return yes(sentence(". ".join(p.rstrip(".") for p in parts)))


@deriver("threats_treated")
def threats_treated(project: Project) -> Answer:
    model = project.threat_model
    if not model.threats:
        return review("The threat model holds no threats.")
    risks = assess_threats(model.threats, model.risk_matrix)
    untreated = [r.threat_id for r in risks if r.status in UNMITIGATED_STATUSES and r.inherent.severity in _SEVERE]
    severe = [r for r in risks if r.inherent.severity in _SEVERE]
    if untreated:
        return no(f"High or critical threats still open or in progress: {names(untreated, 10)}.")
    if not severe:
        return yes(f"None of the {plural(len(risks), 'threat')} is rated high or critical.")
    return yes(
        f"Every high or critical threat ({len(severe)}) is mitigated, accepted with an owner, "
        f"transferred or not applicable."
    )


# Vulnerability management -------------------------------------------------------------------------------


def _targets_words(project: Project) -> str:
    r = project.security.vulnerability_management.remediation
    return (
        f"critical {plural(r.critical_days, 'day')}, high {plural(r.high_days, 'day')}, "
        f"medium {plural(r.medium_days, 'day')}, low {plural(r.low_days, 'day')}"
    )


@deriver("remediation_targets")
def remediation_targets(project: Project) -> Answer:
    return yes(f"Remediation deadlines by severity: {_targets_words(project)}.")


@deriver("remediation_within")
def remediation_within(project: Project, severity: str, days: int) -> Answer:
    allowed = getattr(project.security.vulnerability_management.remediation, f"{severity}_days")
    words = (
        f"{severity.capitalize()} vulnerabilities are remediated within {plural(allowed, 'day')} "
        f"({_targets_words(project)})."
    )
    return yes(words) if allowed <= days else no(words)


@deriver("disclosure_policy")
def disclosure_policy(project: Project) -> Answer:
    sdlc = project.security.sdlc
    parts = []
    if sdlc.disclosure_policy_url:
        parts.append(f"a vulnerability disclosure policy at {sdlc.disclosure_policy_url}")
    if sdlc.bug_bounty is not None:
        parts.append(f"a bug bounty programme on {sdlc.bug_bounty.platform}")
    if not parts:
        return review("The model has no disclosure policy or bug bounty (security.sdlc).")
    contact = project.document.security_contact.email
    return yes(f"Reports are welcome at {contact}; {join(parts)}.")


# Logging ------------------------------------------------------------------------------------------------


@deriver("siem")
def siem(project: Project) -> Answer:
    logging = project.security.logging
    if not logging.siem:
        return review("The model names no SIEM or central log platform (security.logging.siem).")
    retention = f"; logs kept {logging.retention_days} days" if logging.retention_days else ""
    return yes(f"Security logs are collected in {logging.siem}{retention}.")


@deriver("process_audit_logging")
def process_audit_logging(project: Project) -> Answer:
    processes = [c for c in project.architecture.components if c.kind == "process"]
    if not processes:
        return review("The model has no processes.")
    silent = [c.name for c in processes if c.audit_logging is False]
    unknown = [c.name for c in processes if c.audit_logging is None]
    if silent:
        return no(f"Processes without audit logging: {names(silent)}.")
    if unknown:
        return review(f"The model does not say whether {names(unknown)} write audit logs.")
    return yes(f"Every process ({len(processes)}) writes security-relevant actions to the audit log.")


# Incident response --------------------------------------------------------------------------------------


@deriver("incident_plan")
def incident_plan(project: Project) -> Answer:
    response = project.security.incident_response
    found = [p for p in project.security.organisation.policies if contains_any(p, ("incident",))]
    if not found and not response.description:
        return review("The model has no incident response plan or description.")
    parts = ([f"Documented in the {join(found)}"] if found else []) + (
        [plain(response.description, 300)] if response.description else []
    )
    return yes(sentence(". ".join(p.rstrip(".") for p in parts)))


@deriver("notification_within")
def notification_within(project: Project, hours: int) -> Answer:
    stated = project.security.incident_response.notification_hours
    who = (
        f" (as agreed with {project.customer.legal_name})"
        if project.customer is not None and project.customer.terms.notification_hours is not None
        else ""
    )
    words = f"Affected customers are notified within {stated} hours of a confirmed security incident{who}."
    return yes(words) if stated <= hours else no(words)


# Business continuity ------------------------------------------------------------------------------------


@deriver("continuity_plan")
def continuity_plan(project: Project) -> Answer:
    found = [p for p in project.security.organisation.policies if contains_any(p, ("continuity", "disaster"))]
    continuity = project.security.continuity
    if not found and not continuity.description:
        return review("The model has no continuity plan or description.")
    targets = f"RTO {_hours(continuity.rto_hours)}, RPO {_hours(continuity.rpo_hours)}"
    plan = f"Documented in the {join(found)}; " if found else ""
    return yes(f"{plan}{targets}.")


def _hours(hours: float) -> str:
    if hours < 1:
        return f"{round(hours * 60)} minutes"
    whole = int(hours) if float(hours).is_integer() else hours
    return f"{whole} hour" if whole == 1 else f"{whole} hours"


@deriver("rto")
def rto(project: Project) -> Answer:
    continuity = project.security.continuity
    return yes(f"Recovery time objective (RTO): {_hours(continuity.rto_hours)}.")


@deriver("rpo")
def rpo(project: Project) -> Answer:
    continuity = project.security.continuity
    return yes(f"Recovery point objective (RPO): {_hours(continuity.rpo_hours)}.")


@deriver("backups")
def backups(project: Project) -> Answer:
    backup = project.security.continuity.backups
    if backup is None:
        return review("The model does not describe backups (security.continuity.backups).")
    return yes(f"{plain(backup.frequency, 160).rstrip('.')}; kept for {plural(backup.retention_days, 'day')}.")


@deriver("backups_tested")
def backups_tested(project: Project) -> Answer:
    backup = project.security.continuity.backups
    if backup is None or backup.tested_months is None:
        return review(
            "The model does not say how often restores are tested (security.continuity.backups.tested_months)."
        )
    return yes(f"Restores from backup are tested {months_phrase(backup.tested_months)}.")


@deriver("backup_retention")
def backup_retention(project: Project, days: int) -> Answer:
    backup = project.security.continuity.backups
    if backup is None:
        return review("The model does not describe backups (security.continuity.backups).")
    words = f"Backups are kept for {backup.retention_days} days."
    return yes(words) if backup.retention_days >= days else no(words)


# Subprocessors ------------------------------------------------------------------------------------------


@deriver("subprocessor_list")
def subprocessor_list(project: Project) -> Answer:
    subs = project.security.subprocessors
    if not subs:
        return review("The model lists no subprocessors (security.subprocessors).")
    return yes(sentence(f"{plural(len(subs), 'subprocessor')}: {names([s.name for s in subs], 12)}"))


@deriver("subprocessor_locations")
def subprocessor_locations(project: Project) -> Answer:
    subs = project.security.subprocessors
    if not subs:
        return review("The model lists no subprocessors (security.subprocessors).")
    return yes(sentence("; ".join(f"{s.name}: {s.location}" for s in subs)))


@deriver("subprocessor_data")
def subprocessor_data(project: Project) -> Answer:
    subs = project.security.subprocessors
    if not subs:
        return review("The model lists no subprocessors (security.subprocessors).")
    assets = {a.id: a.name for a in project.architecture.data_assets}
    silent = [s.name for s in subs if not s.data]
    if silent:
        return review(f"The model does not say which data {names(silent)} handle(s).")
    return yes(sentence("; ".join(f"{s.name}: {join(assets.get(d, d) for d in s.data)}" for s in subs)))


@deriver("supplier_management")
def supplier_management(project: Project) -> Answer:
    policies = [p for p in project.security.organisation.policies if contains_any(p, ("supplier", "vendor"))]
    controls = [
        c for c in project.security.controls if contains_any(f"{c.name} {c.description}", ("supplier", "vendor"))
    ]
    if not policies and not controls:
        return review("The model has no supplier security policy or control.")
    parts = ([f"Documented in the {join(policies)}"] if policies else []) + [
        f"{c.name}: {plain(c.description, 200)}" for c in controls
    ]
    return yes(sentence(". ".join(p.rstrip(".") for p in parts)))


# Privacy ------------------------------------------------------------------------------------------------


@deriver("transfers")
def transfers(project: Project) -> Answer:
    assets = project.architecture.data_assets
    if assets and not any(a.personal_data for a in assets):
        return not_applicable("The service holds no personal data, so no transfer mechanism is needed.")
    stated = project.security.privacy.international_transfers
    if not stated:
        return review("The model does not describe international transfers (security.privacy).")
    return yes(plain(stated))


@deriver("personal_data_retention")
def personal_data_retention(project: Project) -> Answer:
    personal = [a for a in project.architecture.data_assets if a.personal_data]
    if not personal:
        if project.architecture.data_assets:
            return not_applicable("No data asset in the model is marked as personal data.")
        return review("The model declares no data assets (architecture.data_assets).")
    ruled = {r.data for r in project.security.retention}
    missing = [a.name for a in personal if a.id not in ruled]
    if missing:
        return no(f"No retention period is stated for: {names(missing)}.")
    return yes(f"Every kind of personal data ({len(personal)}) has a stated retention period and deletion rule.")


@deriver("gdpr")
def gdpr(project: Project) -> Answer:
    privacy = project.security.privacy
    if not privacy.gdpr_role:
        return review("The model does not state the GDPR role (security.privacy.gdpr_role).")
    dpa = " A data processing agreement is available." if privacy.dpa_available else ""
    return yes(f"{plain(privacy.gdpr_role, 300)}{dpa}")


# Compliance ---------------------------------------------------------------------------------------------


def _matching(project: Project, match: str | list[str]) -> list[Certification]:
    return [c for c in project.security.certifications if contains_any(c.name, as_list(match))]


def _certification_words(cert: Certification) -> str:
    scope = f"; scope: {plain(cert.scope, 160)}" if cert.scope else ""
    sharing = "available under NDA" if cert.nda_only else "available on request"
    return (
        f"{cert.name} by {cert.auditor}, period {cert.period_start.isoformat()} to "
        f"{cert.period_end.isoformat()}{scope} (report {sharing})"
    )


@deriver("certification")
def certification(project: Project, match: str | list[str], absent: str = "no") -> Answer:
    """Yes with the auditor and period; No (or review, with absent: review) when others are listed but not it."""
    found = _matching(project, match)
    if found:
        return yes("; ".join(_certification_words(c) for c in found) + ".")
    certs = project.security.certifications
    if not certs or absent == "review":
        listed = f" The model lists: {join(c.name for c in certs)}." if certs else ""
        return review(f"The model does not record this certification.{listed}")
    return no(f"Not held. Current certifications and reports: {join(c.name for c in certs)}.")


@deriver("certification_report")
def certification_report(project: Project, match: str | list[str]) -> Answer:
    found = _matching(project, match)
    if not found:
        if project.security.certifications:
            return not_applicable("The model lists no such report, so there is none to share.")
        return review("The model lists no certifications or audit reports.")
    cert = found[0]
    terms = "under NDA" if cert.nda_only else "on request"
    return yes(
        f"The {cert.name} report for {cert.period_start.isoformat()} to {cert.period_end.isoformat()} "
        f"({cert.auditor}) is shared {terms}."
    )


@deriver("certifications_current")
def certifications_current(project: Project) -> Answer:
    certs = project.security.certifications
    if not certs:
        return review("The model lists no certifications or audit reports.")
    # A report whose period ended more than a year before the documents' date is what customers call stale.
    cutoff = project.document.effective_date - dt.timedelta(days=365)
    stale = [f"{c.name} (ended {c.period_end.isoformat()})" for c in certs if c.period_end < cutoff]
    if stale:
        return no(f"Older than a year at {project.document.effective_date.isoformat()}: {join(stale)}.")
    return yes(
        f"Every certification and report ({len(certs)}) covers a period that ended within the year "
        f"before {project.document.effective_date.isoformat()} or is still running."
    )


@deriver("control_frameworks")
def control_frameworks(project: Project) -> Answer:
    refs = [r for c in project.security.controls for r in c.all_framework_refs]
    if not refs:
        return review("No control in the model references a framework.")
    frameworks = sorted({r.rsplit(" ", 1)[0] if " " in r else r for r in refs})
    mapped = sum(1 for c in project.security.controls if c.all_framework_refs)
    return yes(f"{plural(mapped, 'control')} mapped to {join(frameworks)}.")
