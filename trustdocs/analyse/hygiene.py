"""Threat-register hygiene: overdue risk reviews, unowned open risks, dangling and unused references.

These checks read the model only, and tolerate references validation would reject (a target or mitigation
that does not exist is itself one of the findings). Severities: an overdue review or a missing owner takes
the threat's current risk severity (see risk.py); the reference checks have fixed severities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from trustdocs.analyse.architecture import ArchitectureIndex
from trustdocs.analyse.findings import ExemptionUse, Finding, RuleInfo, finding_id
from trustdocs.analyse.risk import ThreatRisk
from trustdocs.model.base import Location
from trustdocs.model.threats import SEVERITY_RANK, Severity, ThreatModel


def _rule(id: str, title: str, severity: Severity, explanation: str) -> RuleInfo:
    return RuleInfo(id=id, title=title, severity=severity, explanation=explanation, category="hygiene")


REVIEW_OVERDUE = _rule(
    "HYG-REVIEW-OVERDUE",
    "Accepted or transferred risk past its review-by date",
    "medium",
    "An accepted or transferred risk is a decision with an expiry date. Once `review_by` has passed, review "
    "the decision: confirm it with a new date, or change the threat's status. The finding takes the "
    "threat's residual severity.",
)
OWNER_MISSING = _rule(
    "HYG-OWNER-MISSING",
    "Open high or critical risk without an owner",
    "high",
    "A high or critical risk that is still open needs someone accountable for it. Set the threat's `owner`. "
    "The finding takes the threat's inherent severity.",
)
MITIGATION_UNUSED = _rule(
    "HYG-MITIGATION-UNUSED",
    "Mitigation that no threat references",
    "low",
    "A mitigation that no threat lists either answers a threat that is missing from the register or is left "
    "over from one that was removed. Reference it from the threats it addresses, or remove it.",
)
TARGET_UNKNOWN = _rule(
    "HYG-TARGET-UNKNOWN",
    "Threat targets an element that does not exist",
    "medium",
    "Every target of a threat must be a component, data flow or trust boundary of the architecture. A target "
    "that no longer exists usually means the architecture changed and the threat was not updated.",
)
MITIGATION_UNKNOWN = _rule(
    "HYG-MITIGATION-UNKNOWN",
    "Threat lists a mitigation that is not defined",
    "medium",
    "Every mitigation a threat lists must be defined under threat_model.mitigations.",
)
MITIGATION_PLANNED = _rule(
    "HYG-MITIGATION-PLANNED",
    "Threat marked mitigated relies only on planned mitigations",
    "medium",
    "A threat is mitigated when its mitigations are in place. If every mitigation it lists is still planned, "
    "set the threat's status to 'in_progress' until one is implemented.",
)
EXEMPTION_UNUSED = _rule(
    "HYG-EXEMPTION-UNUSED",
    "Exemption that matches no finding",
    "low",
    "An exemption that suppresses nothing is stale: the gap was covered by a threat, the finding was fixed, "
    "or the finding id was mistyped. Remove it, or correct the id.",
)

HYGIENE_RULES: tuple[RuleInfo, ...] = (
    EXEMPTION_UNUSED,
    MITIGATION_PLANNED,
    MITIGATION_UNKNOWN,
    MITIGATION_UNUSED,
    OWNER_MISSING,
    REVIEW_OVERDUE,
    TARGET_UNKNOWN,
)


def _finding(
    rule: RuleInfo, element: str, message: str, location: Location | None, severity: Severity | None = None
) -> Finding:
    return Finding(
        id=finding_id(rule.id, element),
        rule_id=rule.id,
        severity=severity or rule.severity,
        title=rule.title,
        message=message,
        element=element,
        location=location,
        category="hygiene",
    )


def _quoted(ids: Iterable[str]) -> str:
    return ", ".join(f"'{i}'" for i in ids)


def hygiene_findings(
    model: ThreatModel, index: ArchitectureIndex, risks: Iterable[ThreatRisk], today: dt.date
) -> list[Finding]:
    """Every register-hygiene finding except unused exemptions (see `unused_exemption_findings`)."""
    risk_of = {r.threat_id: r for r in risks}
    mitigations = {m.id: m for m in model.mitigations}
    referenced: set[str] = set()
    findings: list[Finding] = []
    for threat in model.threats:
        referenced.update(threat.mitigations)
        risk = risk_of.get(threat.id)
        current = risk.current if risk is not None else None
        if threat.status in ("accepted", "transferred") and threat.review_by is not None and threat.review_by < today:
            findings.append(
                _finding(
                    REVIEW_OVERDUE,
                    threat.id,
                    f"the {threat.status} risk '{threat.id}' ({threat.title}) was due for review on "
                    f"{threat.review_by.isoformat()}, {(today - threat.review_by).days} day(s) ago",
                    threat.loc,
                    current.severity if current else None,
                )
            )
        if (
            threat.status in ("open", "in_progress")
            and current is not None
            and SEVERITY_RANK[current.severity] >= SEVERITY_RANK["high"]
            and not (threat.owner or "").strip()
        ):
            findings.append(
                _finding(
                    OWNER_MISSING,
                    threat.id,
                    f"the {current.severity} risk '{threat.id}' ({threat.title}) is {threat.status.replace('_', ' ')} "
                    "and has no owner",
                    threat.loc,
                    current.severity,
                )
            )
        unknown_targets = [t for t in dict.fromkeys(threat.targets) if index.element(t) is None]
        if unknown_targets:
            findings.append(
                _finding(
                    TARGET_UNKNOWN,
                    threat.id,
                    f"threat '{threat.id}' targets {_quoted(unknown_targets)}, which "
                    f"{'is not an element' if len(unknown_targets) == 1 else 'are not elements'} of the architecture",
                    threat.loc,
                )
            )
        unknown_mitigations = [m for m in dict.fromkeys(threat.mitigations) if m not in mitigations]
        if unknown_mitigations:
            findings.append(
                _finding(
                    MITIGATION_UNKNOWN,
                    threat.id,
                    f"threat '{threat.id}' lists mitigation(s) {_quoted(unknown_mitigations)}, which "
                    "threat_model.mitigations does not define",
                    threat.loc,
                )
            )
        known = [mitigations[m] for m in threat.mitigations if m in mitigations]
        if threat.status == "mitigated" and known and all(m.status == "planned" for m in known):
            findings.append(
                _finding(
                    MITIGATION_PLANNED,
                    threat.id,
                    f"threat '{threat.id}' is marked mitigated, but its mitigation(s) {_quoted(m.id for m in known)} "
                    "are only planned",
                    threat.loc,
                )
            )
    for mitigation in model.mitigations:
        if mitigation.id not in referenced:
            findings.append(
                _finding(
                    MITIGATION_UNUSED,
                    mitigation.id,
                    f"mitigation '{mitigation.id}' ({mitigation.title}) is not referenced by any threat",
                    mitigation.loc,
                )
            )
    return findings


def exemption_label(use: ExemptionUse) -> str:
    """How an exemption is named in ids and messages: its finding id, or 'element' / 'element/S,T'."""
    exemption = use.exemption
    if exemption.finding is not None:
        return exemption.finding
    letters = ",".join(exemption.stride)
    return f"{exemption.element}/{letters}" if letters else str(exemption.element)


def unused_exemption_findings(uses: Iterable[ExemptionUse]) -> list[Finding]:
    findings = []
    for use in uses:
        if use.finding_ids:
            continue
        exemption = use.exemption
        if exemption.finding is not None:
            what = f"the exemption for finding '{exemption.finding}' matches no finding"
        else:
            letters = f" ({', '.join(exemption.stride)})" if exemption.stride else ""
            what = f"the exemption for '{exemption.element}'{letters} matches no coverage gap or rule finding"
        findings.append(_finding(EXEMPTION_UNUSED, exemption_label(use), what, exemption.loc))
    return findings
