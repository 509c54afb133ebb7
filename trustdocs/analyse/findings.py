"""Findings: what the threat-model check reports, with stable identifiers, severities and source locations.

A finding's id is its rule id and the id of the element concerned (`TD-FLOW-001:f-api-db`, `COV-I:db-main`,
`HYG-OWNER-MISSING:T-7`), so an exemption written against it survives edits anywhere else in the model.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from trustdocs.model.base import Location
from trustdocs.model.threats import SEVERITY_RANK, STRIDE_NAMES, Exemption, Severity

FailLevel = Literal["critical", "high", "medium", "low", "never"]
FAIL_LEVELS: tuple[str, ...] = ("critical", "high", "medium", "low", "never")
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low")
"""Severities from the most to the least severe, the order reports list them in."""

Category = Literal["coverage", "rule", "hygiene"]


@dataclass(frozen=True)
class RuleInfo:
    """What a rule checks, shown next to its findings and listed in SARIF's tool.driver.rules."""

    id: str
    title: str
    severity: Severity
    """The default severity; a coverage or hygiene finding may carry another (e.g. its threat's risk)."""
    explanation: str
    category: Category
    stride: str | None = None
    cwe: str | None = None
    """E.g. 'CWE-319'."""

    @property
    def stride_name(self) -> str | None:
        return STRIDE_NAMES.get(self.stride) if self.stride else None


@dataclass(frozen=True)
class Finding:
    id: str
    """Stable: '<rule id>:<element id>'."""
    rule_id: str
    severity: Severity
    title: str
    """The rule's title."""
    message: str
    """What is wrong with this element, in one sentence."""
    element: str
    """The component, flow, threat, mitigation or finding the rule concerns."""
    location: Location | None
    category: Category
    stride: str | None = None
    exempted: bool = False
    justification: str = ""
    """Why the finding is accepted, from the exemption that matched it."""

    @property
    def active(self) -> bool:
        """True when the finding counts towards --fail-on (it is not exempted)."""
        return not self.exempted


def finding_id(rule_id: str, element_id: str) -> str:
    return f"{rule_id}:{element_id}"


def sort_key(finding: Finding) -> tuple[int, str, int, int, str]:
    """Most severe first, then by place in the input (unlocated last), then by id: every format's order."""
    where = finding.location
    place = (where.file, where.line, where.col) if where is not None else ("\uffff", 0, 0)
    return (-SEVERITY_RANK[finding.severity], *place, finding.id)


def at_or_above(severity: str, level: str) -> bool:
    """True when `severity` is at or above the --fail-on `level` ('never' matches nothing)."""
    return level != "never" and SEVERITY_RANK[severity] >= SEVERITY_RANK[level]


@dataclass(frozen=True)
class ExemptionUse:
    """An exemption and the ids of the findings it suppressed (empty: it matched nothing)."""

    exemption: Exemption
    finding_ids: tuple[str, ...]


def exemption_matches(exemption: Exemption, finding: Finding) -> bool:
    """By finding id; or by element with the finding's STRIDE letter (no letters: every letter)."""
    if exemption.finding is not None:
        return exemption.finding == finding.id
    if exemption.element is None or exemption.element != finding.element or finding.category == "hygiene":
        return False
    return not exemption.stride or (finding.stride is not None and finding.stride in exemption.stride)


def apply_exemptions(
    findings: list[Finding], exemptions: tuple[Exemption, ...]
) -> tuple[list[Finding], tuple[ExemptionUse, ...]]:
    """Mark every finding an exemption matches as exempted, with the first matching justification."""
    by_id: dict[str, list[Exemption]] = {}
    by_element: dict[str, list[Exemption]] = {}
    for exemption in exemptions:
        if exemption.finding is not None:
            by_id.setdefault(exemption.finding, []).append(exemption)
        elif exemption.element is not None:
            by_element.setdefault(exemption.element, []).append(exemption)
    used: dict[int, list[str]] = {id(e): [] for e in exemptions}
    result = []
    for finding in findings:
        candidates = by_id.get(finding.id, []) + by_element.get(finding.element, [])
        matching = [e for e in candidates if exemption_matches(e, finding)]
        for exemption in matching:
            used[id(exemption)].append(finding.id)
        if matching:
            finding = replace(finding, exempted=True, justification=matching[0].justification.strip())
        result.append(finding)
    return result, tuple(ExemptionUse(e, tuple(used[id(e)])) for e in exemptions)
