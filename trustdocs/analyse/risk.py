"""Risk scoring: likelihood × impact on the project's risk matrix gives each threat's inherent and residual severity.

A level's rank is its 1-based position in the matrix's scale (least likely / least severe first); the score
is likelihood rank × impact rank, and the severity is that of the first band whose `max_score` is at least
the score. Without a `risk_matrix` in the input the model uses DEFAULT_RISK_MATRIX: five likelihood levels
(rare, unlikely, possible, likely, almost_certain), five impact levels (negligible, minor, moderate, major,
severe), and bands low ≤ 4, medium ≤ 9, high ≤ 16, critical ≤ 25.

A threat without a stated residual rating keeps its inherent rating as residual (`residual_assessed` is
False): risk not reassessed after mitigation is not assumed to have gone down. The *current* severity, used
by the hygiene checks, is the inherent one while a threat is open or in progress and the residual one once it
is mitigated, accepted or transferred; a not-applicable threat has none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trustdocs.model.threats import DEFAULT_RISK_MATRIX, RiskMatrix, Severity, Threat

__all__ = [
    "DEFAULT_RISK_MATRIX",
    "HeatCell",
    "HeatMap",
    "RiskScore",
    "ThreatRisk",
    "assess_threat",
    "assess_threats",
    "band_for",
    "heat_map",
    "rate",
    "severity",
]

UNMITIGATED_STATUSES = frozenset({"open", "in_progress"})


@dataclass(frozen=True)
class RiskScore:
    likelihood: str
    impact: str
    likelihood_rank: int
    impact_rank: int
    score: int
    severity: Severity


@dataclass(frozen=True)
class ThreatRisk:
    threat_id: str
    inherent: RiskScore
    residual: RiskScore
    residual_assessed: bool
    """False when the threat states no residual rating and `residual` repeats the inherent one."""
    status: str

    @property
    def current(self) -> RiskScore | None:
        """Inherent while open or in progress, residual once handled; None for a not-applicable threat."""
        if self.status == "not_applicable":
            return None
        return self.inherent if self.status in UNMITIGATED_STATUSES else self.residual


def band_for(matrix: RiskMatrix, score: int) -> Severity:
    """The severity of the first band whose max_score is at least `score` (the last band beyond them all)."""
    for band in matrix.bands:
        if score <= band.max_score:
            return band.severity
    return matrix.bands[-1].severity


def _rank(scale: tuple[str, ...], level: str, what: str) -> int:
    try:
        return scale.index(level) + 1
    except ValueError:
        raise ValueError(f"unknown {what} level '{level}' (levels: {', '.join(scale)})") from None


def rate(matrix: RiskMatrix, likelihood: str, impact: str) -> RiskScore:
    """Score a likelihood and impact on `matrix`; raises ValueError naming an unknown level."""
    l_rank = _rank(matrix.likelihood, likelihood, "likelihood")
    i_rank = _rank(matrix.impact, impact, "impact")
    score = l_rank * i_rank
    return RiskScore(likelihood, impact, l_rank, i_rank, score, band_for(matrix, score))


def severity(matrix: RiskMatrix, likelihood: str, impact: str) -> Severity:
    """The severity of a likelihood and impact on `matrix`."""
    return rate(matrix, likelihood, impact).severity


def assess_threat(threat: Threat, matrix: RiskMatrix = DEFAULT_RISK_MATRIX) -> ThreatRisk:
    inherent = rate(matrix, threat.likelihood, threat.impact)
    if threat.residual is None:
        return ThreatRisk(threat.id, inherent, inherent, False, threat.status)
    residual = rate(matrix, threat.residual.likelihood, threat.residual.impact)
    return ThreatRisk(threat.id, inherent, residual, True, threat.status)


def assess_threats(threats: Iterable[Threat], matrix: RiskMatrix = DEFAULT_RISK_MATRIX) -> tuple[ThreatRisk, ...]:
    """Risk of every threat in input order; threats whose levels are not on the matrix are left out."""
    found = []
    for threat in threats:
        try:
            found.append(assess_threat(threat, matrix))
        except ValueError:  # validation reports unknown levels; analysis of an unvalidated model skips them
            continue
    return tuple(found)


@dataclass(frozen=True)
class HeatCell:
    likelihood: str
    impact: str
    score: int
    severity: Severity
    threat_ids: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.threat_ids)


@dataclass(frozen=True)
class HeatMap:
    """Threat counts per (likelihood, impact) cell; `rows` run from the most likely level down."""

    likelihood: tuple[str, ...]
    impact: tuple[str, ...]
    rows: tuple[tuple[HeatCell, ...], ...]
    residual: bool

    def cell(self, likelihood: str, impact: str) -> HeatCell:
        row = len(self.likelihood) - 1 - self.likelihood.index(likelihood)
        return self.rows[row][self.impact.index(impact)]

    def count(self, likelihood: str, impact: str) -> int:
        return self.cell(likelihood, impact).count

    @property
    def total(self) -> int:
        return sum(cell.count for row in self.rows for cell in row)


def heat_map(threats: Iterable[Threat], matrix: RiskMatrix = DEFAULT_RISK_MATRIX, *, residual: bool = False) -> HeatMap:
    """Place every threat (not-applicable ones left out) on the matrix by its inherent or residual rating."""
    placed: dict[tuple[str, str], list[str]] = {}
    for risk in assess_threats(threats, matrix):
        if risk.status == "not_applicable":
            continue
        score = risk.residual if residual else risk.inherent
        placed.setdefault((score.likelihood, score.impact), []).append(risk.threat_id)
    rows = []
    for l_rank, likelihood in reversed(list(enumerate(matrix.likelihood, start=1))):
        row = []
        for i_rank, impact in enumerate(matrix.impact, start=1):
            ids = tuple(placed.get((likelihood, impact), ()))
            row.append(HeatCell(likelihood, impact, l_rank * i_rank, band_for(matrix, l_rank * i_rank), ids))
        rows.append(tuple(row))
    return HeatMap(matrix.likelihood, matrix.impact, tuple(rows), residual)
