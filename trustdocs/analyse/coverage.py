"""STRIDE-per-element coverage: for every component and data flow, which applicable categories a threat covers.

Applicable categories: external entity S, R; process S, T, R, I, D, E; data store T, R, I, D; data flow T, I, D
(trust boundaries are not elements of their own). A category is covered by any threat, whatever its status,
whose `targets` include the element and whose `stride` includes the letter; otherwise it is a gap, reported as
finding `COV-<letter>:<element id>` (severity medium), unless an exemption accepts it, in which case the
matrix shows it as exempt with the exemption's justification.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from trustdocs.analyse.architecture import ArchitectureIndex
from trustdocs.analyse.findings import Finding, RuleInfo, finding_id
from trustdocs.model.base import Location
from trustdocs.model.threats import STRIDE_NAMES, Threat

STRIDE = "STRIDE"
STRIDE_PER_ELEMENT: dict[str, str] = {
    "external_entity": "SR",
    "process": "STRIDE",
    "data_store": "TRID",
    "data_flow": "TID",
}
KIND_NAMES: dict[str, str] = {
    "external_entity": "external entity",
    "process": "process",
    "data_store": "data store",
    "data_flow": "data flow",
}
CellState = Literal["covered", "gap", "exempt", "not_applicable"]

COVERAGE_RULES: dict[str, RuleInfo] = {
    letter: RuleInfo(
        id=f"COV-{letter}",
        title=f"No threat covers {name} for an element",
        severity="medium",
        explanation=(
            f"STRIDE per element: {name} applies to "
            + ", ".join(KIND_NAMES[k] + "s" for k, letters in STRIDE_PER_ELEMENT.items() if letter in letters)
            + f". Register a threat that targets the element with STRIDE category {letter}, or add an "
            "exemption with a justification when the category is deliberately out of scope."
        ),
        category="coverage",
        stride=letter,
    )
    for letter, name in STRIDE_NAMES.items()
}


@dataclass(frozen=True)
class CoverageCell:
    letter: str
    state: CellState
    threat_ids: tuple[str, ...] = ()
    """The threats covering the category, in input order."""
    justification: str = ""
    """For an exempt cell, why the gap is accepted."""


@dataclass(frozen=True)
class CoverageRow:
    element_id: str
    name: str
    kind: str
    """'external_entity', 'process', 'data_store' or 'data_flow'."""
    cells: tuple[CoverageCell, ...]
    """One per STRIDE letter, in the order S, T, R, I, D, E."""
    location: Location | None = None

    def cell(self, letter: str) -> CoverageCell:
        return self.cells[STRIDE.index(letter)]

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]


@dataclass(frozen=True)
class CoverageMatrix:
    """Elements × STRIDE: components first, then data flows, each in input order."""

    rows: tuple[CoverageRow, ...]

    def _count(self, state: CellState) -> int:
        return sum(1 for row in self.rows for cell in row.cells if cell.state == state)

    @property
    def applicable(self) -> int:
        return sum(1 for row in self.rows for cell in row.cells if cell.state != "not_applicable")

    @property
    def covered(self) -> int:
        return self._count("covered")

    @property
    def exempt(self) -> int:
        return self._count("exempt")

    @property
    def gaps(self) -> int:
        return self._count("gap")

    @property
    def percent_addressed(self) -> float:
        """Share of applicable cells covered or exempt, 0-100 (100 when nothing applies)."""
        return 100.0 * (self.covered + self.exempt) / self.applicable if self.applicable else 100.0

    def row(self, element_id: str) -> CoverageRow:
        for row in self.rows:
            if row.element_id == element_id:
                return row
        raise KeyError(element_id)

    def with_exemptions(self, exempted: Mapping[str, str]) -> CoverageMatrix:
        """Mark gaps whose finding id (`COV-<letter>:<element>`) is in `exempted` as exempt, with the justification."""
        rows = []
        for row in self.rows:
            cells = tuple(
                replace(cell, state="exempt", justification=exempted[gap_id])
                if cell.state == "gap" and (gap_id := finding_id(f"COV-{cell.letter}", row.element_id)) in exempted
                else cell
                for cell in row.cells
            )
            rows.append(replace(row, cells=cells))
        return CoverageMatrix(tuple(rows))


def coverage_matrix(index: ArchitectureIndex, threats: Iterable[Threat]) -> CoverageMatrix:
    """Coverage before exemptions: every applicable cell is covered or a gap."""
    covering: dict[tuple[str, str], list[str]] = {}
    for threat in threats:
        for target in dict.fromkeys(threat.targets):
            for threatened in dict.fromkeys(threat.stride):
                covering.setdefault((target, threatened), []).append(threat.id)
    elements: list[tuple[str, str, str, Location | None]] = [
        (c.id, c.name, c.kind, c.loc) for c in index.components.values()
    ]
    elements += [(f.id, index.name(f.id), "data_flow", f.loc) for f in index.flows.values()]
    rows = []
    for element_id, name, kind, location in elements:
        applicable = STRIDE_PER_ELEMENT.get(kind, "")
        cells = []
        for letter in STRIDE:
            if letter not in applicable:
                cells.append(CoverageCell(letter, "not_applicable"))
            elif threat_ids := covering.get((element_id, letter)):
                cells.append(CoverageCell(letter, "covered", tuple(threat_ids)))
            else:
                cells.append(CoverageCell(letter, "gap"))
        rows.append(CoverageRow(element_id, name, kind, tuple(cells), location))
    return CoverageMatrix(tuple(rows))


def gap_findings(matrix: CoverageMatrix) -> list[Finding]:
    """One finding per gap, `COV-<letter>:<element id>`, located at the element."""
    findings = []
    for row in matrix.rows:
        for cell in row.cells:
            if cell.state != "gap":
                continue
            rule = COVERAGE_RULES[cell.letter]
            message = (
                f"no threat covers {STRIDE_NAMES[cell.letter]} ({cell.letter}) for {row.kind_name} "
                f"'{row.element_id}' ({row.name})"
            )
            findings.append(
                Finding(
                    id=finding_id(rule.id, row.element_id),
                    rule_id=rule.id,
                    severity=rule.severity,
                    title=rule.title,
                    message=message,
                    element=row.element_id,
                    location=row.location,
                    category="coverage",
                    stride=cell.letter,
                )
            )
    return findings
