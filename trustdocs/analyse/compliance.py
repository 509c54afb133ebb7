"""Certifications against the control-framework mapping: a certification claimed with no control mapped to it."""

from __future__ import annotations

import re

from trustdocs.analyse.findings import Finding, RuleInfo, finding_id
from trustdocs.model.security import Certification, SecurityProgramme

FRAMEWORKS: dict[str, str] = {
    "soc2": "SOC 2 trust services criteria",
    "iso27001": "ISO/IEC 27001:2022 Annex A",
    "csa_ccm": "CSA Cloud Controls Matrix v4",
}
"""The frameworks a control may map to (security.controls[].frameworks), by key, with their names."""
_CERTIFIES: dict[str, re.Pattern[str]] = {
    "soc2": re.compile(r"\bSOC\s*2\b", re.IGNORECASE),
    "iso27001": re.compile(r"\b27001\b"),
    "csa_ccm": re.compile(r"\bCSA\s+STAR\b|\bCloud Controls Matrix\b|\bCAIQ\b", re.IGNORECASE),
}

CERTIFICATION_UNMAPPED = RuleInfo(
    id="HYG-CERT-UNMAPPED",
    title="Certification claimed with no control mapped to its framework",
    severity="medium",
    category="hygiene",
    explanation="A certification or attestation is evidence that controls meet a framework's criteria. If no "
    "control maps to that framework (security.controls[].frameworks), the document cannot show "
    "which controls the certification covers. Map the controls in its scope to the criteria.",
)


def certified_frameworks(certification: Certification) -> tuple[str, ...]:
    """The control frameworks a certification or report attests to, read from its name."""
    return tuple(key for key, pattern in _CERTIFIES.items() if pattern.search(certification.name))


def certification_findings(security: SecurityProgramme) -> list[Finding]:
    """One finding per certification whose framework no control maps to."""
    mapped = {key for control in security.controls for key in FRAMEWORKS if control.frameworks.refs(key)}
    findings = []
    for certification in security.certifications:
        for key in certified_frameworks(certification):
            if key in mapped:
                continue
            findings.append(
                Finding(
                    id=finding_id(CERTIFICATION_UNMAPPED.id, certification.id),
                    rule_id=CERTIFICATION_UNMAPPED.id,
                    severity=CERTIFICATION_UNMAPPED.severity,
                    title=CERTIFICATION_UNMAPPED.title,
                    message=f"certification '{certification.id}' ({certification.name}) is claimed, but no control "
                    f"maps to the {FRAMEWORKS[key]} (add frameworks.{key} to the controls it covers)",
                    element=certification.id,
                    location=certification.loc,
                    category="hygiene",
                )
            )
    return findings
