"""The threat-model check: coverage, rules and hygiene over one model, exemptions applied, in one report.

`analyse_threat_model(project, today)` is what `trustdocs check` and the security document's coverage
chapter call. Findings are sorted most severe first, then by id, so two runs on the same input give the same
report. Exempted findings stay in the report (marked, with the justification) but never fail the check; rule
matches that a registered threat answers are not findings and are listed apart in `answered`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from trustdocs.analyse.architecture import ArchitectureIndex
from trustdocs.analyse.compliance import CERTIFICATION_UNMAPPED, certification_findings
from trustdocs.analyse.coverage import COVERAGE_RULES, CoverageMatrix, coverage_matrix, gap_findings
from trustdocs.analyse.findings import (
    SEVERITIES,
    ExemptionUse,
    Finding,
    RuleInfo,
    apply_exemptions,
    at_or_above,
    sort_key,
)
from trustdocs.analyse.hygiene import HYGIENE_RULES, hygiene_findings, unused_exemption_findings
from trustdocs.analyse.risk import ThreatRisk, assess_threats
from trustdocs.analyse.rules import AnsweredFinding, Rule, evaluate_rules, load_rules
from trustdocs.model.architecture import Architecture
from trustdocs.model.project import Project
from trustdocs.model.security import SecurityProgramme
from trustdocs.model.threats import RiskMatrix, ThreatModel


@dataclass(frozen=True)
class CheckReport:
    findings: tuple[Finding, ...]
    """Every finding, exempted ones included, most severe first, then by id."""
    answered: tuple[AnsweredFinding, ...]
    """Rule matches answered by a registered threat, by finding id."""
    coverage: CoverageMatrix
    """STRIDE per element after exemptions."""
    risks: tuple[ThreatRisk, ...]
    """Inherent and residual risk of every threat, in input order."""
    risk_matrix: RiskMatrix
    rules: tuple[RuleInfo, ...]
    """Every rule that can report a finding (coverage, shipped rules, hygiene), by id."""
    exemptions: tuple[ExemptionUse, ...]
    """Each exemption of the input with the findings it suppressed."""
    today: dt.date

    @property
    def active(self) -> tuple[Finding, ...]:
        """The findings that are not exempted: what --fail-on looks at."""
        return tuple(f for f in self.findings if not f.exempted)

    @property
    def exempted(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.exempted)

    def counts(self) -> dict[str, int]:
        """Active findings by severity, most severe first; every severity present, zero or not."""
        counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        for finding in self.active:
            counts[finding.severity] += 1
        return counts

    def failing(self, level: str) -> tuple[Finding, ...]:
        """Active findings at or above `level` (critical, high, medium, low; 'never' gives none)."""
        return tuple(f for f in self.active if at_or_above(f.severity, level))

    def fails(self, level: str) -> bool:
        return bool(self.failing(level))

    def rule(self, rule_id: str) -> RuleInfo:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready description of the report (the `--format json` output)."""
        return {
            "date": self.today.isoformat(),
            "summary": {
                "findings": self.counts(),
                "exempted": len(self.exempted),
                "answered": len(self.answered),
                "coverage": {
                    "applicable": self.coverage.applicable,
                    "covered": self.coverage.covered,
                    "exempt": self.coverage.exempt,
                    "gaps": self.coverage.gaps,
                },
            },
            "findings": [_finding_data(f) for f in self.findings],
            "answered": [{**_finding_data(a.finding), "threats": list(a.threat_ids)} for a in self.answered],
            "coverage": [
                {
                    "element": row.element_id,
                    "name": row.name,
                    "kind": row.kind,
                    "cells": {c.letter: _cell_data(c) for c in row.cells if c.state != "not_applicable"},
                }
                for row in self.coverage.rows
            ],
            "risks": [
                {
                    "threat": r.threat_id,
                    "status": r.status,
                    "inherent": {
                        "likelihood": r.inherent.likelihood,
                        "impact": r.inherent.impact,
                        "score": r.inherent.score,
                        "severity": r.inherent.severity,
                    },
                    "residual": {
                        "likelihood": r.residual.likelihood,
                        "impact": r.residual.impact,
                        "score": r.residual.score,
                        "severity": r.residual.severity,
                        "assessed": r.residual_assessed,
                    },
                }
                for r in self.risks
            ],
        }


def _finding_data(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": finding.id,
        "rule": finding.rule_id,
        "severity": finding.severity,
        "title": finding.title,
        "message": finding.message,
        "element": finding.element,
        "category": finding.category,
        "stride": finding.stride,
        "exempted": finding.exempted,
        "location": (
            {"file": finding.location.file, "line": finding.location.line, "col": finding.location.col}
            if finding.location
            else None
        ),
    }
    if finding.exempted:
        data["justification"] = finding.justification
    return data


def _cell_data(cell: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"state": cell.state}
    if cell.threat_ids:
        data["threats"] = list(cell.threat_ids)
    if cell.justification:
        data["justification"] = cell.justification
    return data


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    seen: dict[str, Finding] = {}
    for finding in findings:
        seen.setdefault(finding.id, finding)
    return list(seen.values())


def analyse_model(
    architecture: Architecture,
    threat_model: ThreatModel,
    *,
    today: dt.date,
    rules: tuple[Rule, ...] | None = None,
    security: SecurityProgramme | None = None,
) -> CheckReport:
    """Check `threat_model` against `architecture`; `rules` defaults to the rules shipped with trustdocs.

    With `security`, certifications are checked against the controls' framework mapping too.
    """
    rules = load_rules() if rules is None else rules
    index = ArchitectureIndex.from_architecture(architecture)
    risks = assess_threats(threat_model.threats, threat_model.risk_matrix)
    raw_coverage = coverage_matrix(index, threat_model.threats)
    rule_findings, answered = evaluate_rules(index, threat_model.threats, rules)
    findings = _unique(
        gap_findings(raw_coverage)
        + rule_findings
        + hygiene_findings(threat_model, index, risks, today)
        + (certification_findings(security) if security is not None else [])
    )
    findings, uses = apply_exemptions(findings, threat_model.exemptions)
    # An unused exemption is found only now; it can itself be exempted by id, like any finding.
    stale, _ = apply_exemptions(_unique(unused_exemption_findings(uses)), threat_model.exemptions)
    findings = _unique(findings + stale)
    exempted = {f.id: f.justification for f in findings if f.exempted and f.category == "coverage"}
    catalogue = {
        r.id: r for r in [*COVERAGE_RULES.values(), *(r.info for r in rules), *HYGIENE_RULES, CERTIFICATION_UNMAPPED]
    }
    return CheckReport(
        findings=tuple(sorted(findings, key=sort_key)),
        answered=tuple(sorted(answered, key=lambda a: a.finding.id)),
        coverage=raw_coverage.with_exemptions(exempted),
        risks=risks,
        risk_matrix=threat_model.risk_matrix,
        rules=tuple(sorted(catalogue.values(), key=lambda r: r.id)),
        exemptions=uses,
        today=today,
    )


def analyse_threat_model(project: Project, today: dt.date) -> CheckReport:
    """Check the project's threat model against its architecture, as of `today`."""
    return analyse_model(project.architecture, project.threat_model, today=today, security=project.security)


__all__ = ["CheckReport", "analyse_model", "analyse_threat_model"]
