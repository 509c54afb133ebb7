"""The threat-model chapters of the security document: register by element, STRIDE summary, coverage, findings."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from trustdocs.analyse.architecture import ArchitectureIndex
from trustdocs.analyse.coverage import STRIDE, STRIDE_PER_ELEMENT, CoverageMatrix
from trustdocs.analyse.findings import Finding
from trustdocs.analyse.risk import ThreatRisk
from trustdocs.model.threats import STRIDE_NAMES, Exemption, Mitigation, Threat
from trustdocs.render.env import format_date
from trustdocs.render.security_programme import humanise

__all__ = [
    "CoverageView",
    "FindingRow",
    "StrideSummary",
    "ThreatGroup",
    "ThreatRow",
    "coverage_view",
    "finding_rows",
    "stride_summary",
    "threat_groups",
]

KIND_LABELS = {
    "external_entity": "External entity",
    "process": "Process",
    "data_store": "Data store",
    "data_flow": "Data flow",
    "trust_boundary": "Trust boundary",
}
KIND_ORDER = ("external_entity", "process", "data_store", "data_flow", "trust_boundary")
STATUS_LABELS = {
    "open": "Open",
    "in_progress": "In progress",
    "mitigated": "Mitigated",
    "accepted": "Accepted",
    "transferred": "Transferred",
    "not_applicable": "Not applicable",
}
MITIGATION_STATUS_NOTES = {"implemented": "", "partial": "partly implemented", "planned": "planned"}
CELL_TEXT = {"covered": "✓", "gap": "Gap", "exempt": "Exempt", "not_applicable": "–"}
MAX_OTHER_TARGETS = 4
"""How many further elements a register row names before it says 'and N more'."""


def natural_key(text: str) -> tuple[object, ...]:
    """Sort key that puts TM-9 before TM-10."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", text) if p)


# -- the register ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MitigationRef:
    title: str
    note: str
    """'planned' or 'partly implemented'; empty for an implemented mitigation."""


@dataclass(frozen=True)
class ThreatRow:
    id: str
    stride: str
    """The STRIDE letters, e.g. 'S T'."""
    title: str
    description: str
    likelihood: str
    impact: str
    severity: str
    """The inherent severity (low, medium, high, critical) from the risk matrix."""
    residual_severity: str
    residual_assessed: bool
    mitigations: tuple[MitigationRef, ...]
    status: str
    status_label: str
    owner: str
    also_targets: tuple[str, ...]
    """Names of the other elements the threat targets, at most MAX_OTHER_TARGETS of them."""
    more_targets: int
    """How many further targets are not named in `also_targets`."""
    plan: str = ""
    """What happens next: the planned remediation date of an open threat, the party a transferred one went to."""


def threat_plan(threat: Threat) -> str:
    """The customer-facing next step of a threat: never a check result, only a dated commitment or a fact."""
    if threat.status in ("open", "in_progress"):
        if threat.remediation_date is None:
            return "Remediation date not yet set"
        return f"Remediation planned by {format_date(threat.remediation_date)}"
    if threat.status == "transferred" and threat.transferred_to:
        return f"Transferred to {threat.transferred_to}"
    return ""


@dataclass(frozen=True)
class ThreatGroup:
    """The threats whose first target is one element, most severe first."""

    element_id: str
    element_name: str
    kind: str
    threats: tuple[ThreatRow, ...]


def _element_order(index: ArchitectureIndex) -> dict[str, int]:
    ids = [*index.components, *index.flows, *index.boundaries]
    return {element_id: position for position, element_id in enumerate(ids)}


def threat_groups(
    threats: Iterable[Threat], mitigations: Iterable[Mitigation], risks: dict[str, ThreatRisk], index: ArchitectureIndex
) -> tuple[ThreatGroup, ...]:
    """Every threat once, under its first target; groups in architecture order (components, flows, boundaries).

    Within a group threats run by ID. A threat whose levels are not on the risk matrix (validation
    prevents that) is left out, since it has no severity to print.
    """
    titles = {m.id: m for m in mitigations}
    order = _element_order(index)
    grouped: dict[str, list[ThreatRow]] = {}
    for threat in threats:
        risk = risks.get(threat.id)
        if risk is None or not threat.targets:
            continue
        first, others = threat.targets[0], threat.targets[1:]
        refs = tuple(
            MitigationRef(titles[m].title, MITIGATION_STATUS_NOTES.get(titles[m].status, ""))
            if m in titles
            else MitigationRef(m, "")
            for m in threat.mitigations
        )
        grouped.setdefault(first, []).append(
            ThreatRow(
                id=threat.id,
                stride=" ".join(threat.stride),
                title=threat.title,
                description=threat.description.strip(),
                likelihood=humanise(threat.likelihood),
                impact=humanise(threat.impact),
                severity=risk.inherent.severity,
                residual_severity=risk.residual.severity,
                residual_assessed=risk.residual_assessed,
                mitigations=refs,
                status=threat.status,
                status_label=STATUS_LABELS[threat.status],
                owner=threat.owner or "—",
                also_targets=tuple(index.name(t) for t in others[:MAX_OTHER_TARGETS]),
                more_targets=max(0, len(others) - MAX_OTHER_TARGETS),
                plan=threat_plan(threat),
            )
        )
    groups = [
        ThreatGroup(
            element_id,
            index.name(element_id),
            KIND_LABELS.get(index.kind(element_id) or "", "Element"),
            tuple(sorted(rows, key=lambda r: natural_key(r.id))),
        )
        for element_id, rows in grouped.items()
    ]
    return tuple(sorted(groups, key=lambda g: (order.get(g.element_id, len(order)), g.element_id)))


# -- STRIDE × element kind ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StrideSummaryRow:
    letter: str
    name: str
    counts: tuple[int, ...]
    """Threats of this category targeting at least one element of each kind in `StrideSummary.kinds`."""
    total: int
    """Threats of this category (a threat on elements of two kinds counts once here)."""


@dataclass(frozen=True)
class StrideSummary:
    kinds: tuple[str, ...]
    """Kind labels of the columns: every element kind that some threat targets."""
    rows: tuple[StrideSummaryRow, ...]
    column_totals: tuple[int, ...]
    """Threats targeting at least one element of each kind."""
    total: int


def stride_summary(threats: Iterable[Threat], index: ArchitectureIndex) -> StrideSummary:
    """How many threats of each STRIDE category target each kind of element.

    A threat counts once in a cell however many elements of that kind it targets, and once in each
    category it lists; the totals count distinct threats.
    """
    per_cell: dict[tuple[str, str], set[str]] = {}
    per_letter: dict[str, set[str]] = {}
    per_kind: dict[str, set[str]] = {}
    counted: set[str] = set()
    for threat in threats:
        if threat.status == "not_applicable":
            continue
        kinds = {index.kind(t) for t in threat.targets} - {None}
        for letter in threat.stride:
            per_letter.setdefault(letter, set()).add(threat.id)
            for kind in kinds:
                per_cell.setdefault((letter, str(kind)), set()).add(threat.id)
        for kind in kinds:
            per_kind.setdefault(str(kind), set()).add(threat.id)
        counted.add(threat.id)
    columns = tuple(k for k in KIND_ORDER if k in per_kind or k in STRIDE_PER_ELEMENT)
    rows = tuple(
        StrideSummaryRow(
            letter,
            STRIDE_NAMES[letter],
            tuple(len(per_cell.get((letter, k), ())) for k in columns),
            len(per_letter.get(letter, ())),
        )
        for letter in STRIDE
    )
    return StrideSummary(
        tuple(KIND_LABELS[k] for k in columns), rows, tuple(len(per_kind.get(k, ())) for k in columns), len(counted)
    )


# -- coverage ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageCellView:
    letter: str
    state: str
    text: str
    title: str
    """Covering threat IDs, or the exemption's justification."""


@dataclass(frozen=True)
class CoverageRowView:
    element_id: str
    name: str
    kind: str
    cells: tuple[CoverageCellView, ...]


@dataclass(frozen=True)
class ExemptionRow:
    element: str
    categories: str
    justification: str


@dataclass(frozen=True)
class CoverageView:
    rows: tuple[CoverageRowView, ...]
    applicable: int
    covered: int
    exempt: int
    gaps: int
    percent: float
    exemptions: tuple[ExemptionRow, ...]

    @property
    def percent_text(self) -> str:
        # Truncated, so that 99.96 % with a gap left never prints as 100 %.
        return f"{int(self.percent * 10) / 10:.1f}%"


def coverage_view(matrix: CoverageMatrix, exemptions: Iterable[Exemption], index: ArchitectureIndex) -> CoverageView:
    """The coverage matrix as printed, and the exemptions with the element names they concern."""
    rows = tuple(
        CoverageRowView(
            row.element_id,
            row.name,
            KIND_LABELS[row.kind],
            tuple(
                CoverageCellView(
                    c.letter,
                    c.state,
                    CELL_TEXT[c.state],
                    ", ".join(c.threat_ids) if c.state == "covered" else c.justification,
                )
                for c in row.cells
            ),
        )
        for row in matrix.rows
    )
    exempt_rows = tuple(
        ExemptionRow(
            index.name(e.element) if e.element else (e.finding or "—"),
            ", ".join(f"{letter} ({STRIDE_NAMES[letter]})" for letter in e.stride) or "All",
            " ".join(e.justification.split()),
        )
        for e in exemptions
    )
    return CoverageView(
        rows, matrix.applicable, matrix.covered, matrix.exempt, matrix.gaps, matrix.percent_addressed, exempt_rows
    )


# -- findings ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingRow:
    id: str
    severity: str
    title: str
    message: str
    element: str
    """The element's name; a threat's ID and title for hygiene findings about a threat."""


def finding_rows(
    findings: Iterable[Finding], index: ArchitectureIndex, threat_titles: dict[str, str]
) -> tuple[FindingRow, ...]:
    """Active findings in report order (most severe first, then by ID)."""
    rows = []
    for finding in findings:
        if finding.element in threat_titles:
            element = f"{finding.element}: {threat_titles[finding.element]}"
        else:
            element = index.name(finding.element)
        message = finding.message[:1].upper() + finding.message[1:]
        rows.append(FindingRow(finding.id, finding.severity, finding.title, message, element))
    return tuple(rows)
