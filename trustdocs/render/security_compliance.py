"""Compliance chapters of the security document: framework mapping, penetration test, subprocessors, residency, privacy."""

from __future__ import annotations

from dataclasses import dataclass

from trustdocs.analyse.compliance import FRAMEWORKS
from trustdocs.model.security import (
    Control,
    PenTest,
    PrivacyRegime,
    ResidencyRegion,
    SecurityProgramme,
    Subprocessor,
)
from trustdocs.render.env import format_date
from trustdocs.render.security_programme import Fact

__all__ = [
    "MappingRow",
    "PenTestView",
    "RegimeRow",
    "ResidencyRow",
    "SubprocessorRow",
    "framework_mapping",
    "pen_test_view",
    "privacy_regimes",
    "residency_rows",
    "subprocessor_change_facts",
    "subprocessor_rows",
]

TRANSFER_LABELS = {
    "none_needed": "None needed (no transfer)",
    "adequacy": "Adequacy decision",
    "eu_scc": "EU Standard Contractual Clauses",
    "uk_idta": "UK International Data Transfer Addendum",
    "dpf": "EU–US Data Privacy Framework",
    "bcr": "Binding corporate rules",
}
REGIME_LABELS = {
    "gdpr": "EU GDPR",
    "uk_gdpr": "UK GDPR",
    "ccpa_cpra": "CCPA / CPRA (California)",
    "hipaa": "HIPAA (United States)",
    "lgpd": "LGPD (Brazil)",
    "pipeda": "PIPEDA (Canada)",
    "swiss_fadp": "Swiss FADP",
    "apps": "Australian Privacy Principles",
}
SEVERITIES = ("critical", "high", "medium", "low", "informational")


# -- framework mapping -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MappingRow:
    control: str
    description: str
    refs: tuple[str, ...]
    """The mapped criteria per framework, in FRAMEWORKS order, each as a comma-separated list ('—' if none)."""


def framework_mapping(controls: tuple[Control, ...]) -> tuple[tuple[str, ...], tuple[MappingRow, ...]]:
    """The mapping table: the framework columns some control maps to, and a row per mapped control."""
    used = tuple(key for key in FRAMEWORKS if any(c.frameworks.refs(key) for c in controls))
    rows = tuple(
        MappingRow(c.name, c.description, tuple(", ".join(c.frameworks.refs(key)) or "—" for key in used))
        for c in controls
        if any(c.frameworks.refs(key) for key in used)
    )
    return tuple(FRAMEWORKS[key] for key in used), rows


# -- penetration test --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PenTestView:
    facts: tuple[Fact, ...]
    findings: tuple[tuple[str, int, int], ...]
    """(severity, reported, open) per severity; empty when no counts are given."""
    remediation_status: str


def pen_test_view(pen: PenTest | None) -> PenTestView | None:
    """The last penetration test's scope, findings by severity, retest and remediation status."""
    if pen is None or (pen.findings is None and not pen.scope.strip()):
        return None
    # The tester and the date are in the penetration-testing facts just above; not repeated here.
    facts = []
    if pen.scope.strip():
        facts.append(Fact("Scope", " ".join(pen.scope.split())))
    if pen.retest_date:
        facts.append(Fact("Fixes verified by retest", format_date(pen.retest_date)))
    rows: tuple[tuple[str, int, int], ...] = ()
    if pen.findings is not None:
        rows = tuple((s, getattr(pen.findings, s), getattr(pen.findings.open, s)) for s in SEVERITIES)
    return PenTestView(tuple(facts), rows, pen.remediation_status.strip())


# -- subprocessors and residency ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SubprocessorRow:
    name: str
    purpose: str
    location: str
    data: tuple[str, ...]
    transfer: str
    """How an international transfer is made lawful; empty when not stated."""
    baa: str
    """'BAA signed' or 'No BAA'; empty when it handles no PHI."""


def subprocessor_rows(
    subprocessors: tuple[Subprocessor, ...], asset_names: dict[str, str]
) -> tuple[SubprocessorRow, ...]:
    return tuple(
        SubprocessorRow(
            s.name,
            s.purpose,
            s.location,
            tuple(asset_names.get(a, a) for a in s.data),
            TRANSFER_LABELS[s.transfer_mechanism] if s.transfer_mechanism else "",
            "" if s.hipaa_baa is None else ("BAA signed" if s.hipaa_baa else "No BAA"),
        )
        for s in subprocessors
    )


def subprocessor_change_facts(security: SecurityProgramme) -> tuple[Fact, ...]:
    changes = security.subprocessor_changes
    if changes is None:
        return ()
    days = f"{changes.notice_days} day" if changes.notice_days == 1 else f"{changes.notice_days} days"
    facts = [Fact("Notice of a new subprocessor", f"At least {days} before it processes customer data")]
    if changes.channel:
        facts.append(Fact("Notice given by", changes.channel))
    facts.append(Fact("Right to object", "Yes" if changes.objection_right else "No"))
    return tuple(facts)


@dataclass(frozen=True)
class ResidencyRow:
    region: str
    stored_in: str
    processed_in: str
    description: str


def residency_rows(regions: tuple[ResidencyRegion, ...]) -> tuple[ResidencyRow, ...]:
    return tuple(
        ResidencyRow(r.region, ", ".join(r.stored_in), ", ".join(r.processed_in), r.description.strip())
        for r in regions
    )


# -- privacy -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegimeRow:
    regime: str
    role: str
    transfers: str
    description: str


def privacy_regimes(regimes: tuple[PrivacyRegime, ...]) -> tuple[RegimeRow, ...]:
    return tuple(
        RegimeRow(REGIME_LABELS[r.regime], r.role, "; ".join(r.transfer_mechanisms) or "—", r.description.strip())
        for r in regimes
    )
