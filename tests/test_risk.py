"""Risk scoring: severities on the default and a custom matrix, residual fallback, current risk, heat map."""

from __future__ import annotations

import pytest
from threat_factory import threat

from trustdocs.analyse.risk import (
    DEFAULT_RISK_MATRIX,
    RiskScore,
    assess_threat,
    assess_threats,
    band_for,
    heat_map,
    rate,
    severity,
)
from trustdocs.model.threats import Rating, RiskBand, RiskMatrix

THREE_BY_THREE = RiskMatrix(
    likelihood=("low", "medium", "high"),
    impact=("minor", "serious", "grave"),
    bands=(RiskBand("low", 2), RiskBand("medium", 4), RiskBand("high", 6), RiskBand("critical", 9)),
)


@pytest.mark.parametrize(
    "likelihood,impact,score,expected",
    [
        ("rare", "negligible", 1, "low"),
        ("rare", "major", 4, "low"),
        ("unlikely", "moderate", 6, "medium"),
        ("unlikely", "major", 8, "medium"),
        ("possible", "moderate", 9, "medium"),
        ("possible", "major", 12, "high"),
        ("likely", "major", 16, "high"),
        ("possible", "severe", 15, "high"),
        ("likely", "severe", 20, "critical"),
        ("almost_certain", "severe", 25, "critical"),
    ],
)
def test_default_matrix(likelihood: str, impact: str, score: int, expected: str) -> None:
    assert severity(DEFAULT_RISK_MATRIX, likelihood, impact) == expected
    assert rate(DEFAULT_RISK_MATRIX, likelihood, impact).score == score


@pytest.mark.parametrize(
    "likelihood,impact,expected",
    [
        ("low", "minor", "low"),  # 1
        ("low", "serious", "low"),  # 2
        ("medium", "serious", "medium"),  # 4
        ("low", "grave", "medium"),  # 3
        ("high", "serious", "high"),  # 6
        ("high", "grave", "critical"),  # 9
    ],
)
def test_matrix_from_the_input(likelihood: str, impact: str, expected: str) -> None:
    assert severity(THREE_BY_THREE, likelihood, impact) == expected


def test_rate_gives_ranks_and_score() -> None:
    assert rate(THREE_BY_THREE, "medium", "grave") == RiskScore("medium", "grave", 2, 3, 6, "high")


def test_a_score_beyond_the_last_band_takes_the_last_severity() -> None:
    assert band_for(RiskMatrix(("a",), ("b",), (RiskBand("low", 1), RiskBand("high", 3))), 7) == "high"


@pytest.mark.parametrize(
    "likelihood,impact,message",
    [
        ("often", "minor", "unknown likelihood level 'often' (levels: low, medium, high)"),
        ("low", "huge", "unknown impact level 'huge' (levels: minor, serious, grave)"),
    ],
)
def test_unknown_level(likelihood: str, impact: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        rate(THREE_BY_THREE, likelihood, impact)
    assert str(error.value) == message


def test_residual_rating() -> None:
    risk = assess_threat(
        threat(
            "T-1", "S", "api", likelihood="likely", impact="major", status="mitigated", residual=Rating("rare", "major")
        )
    )
    assert (risk.inherent.severity, risk.residual.severity, risk.residual_assessed) == ("high", "low", True)
    assert risk.current == risk.residual


def test_residual_falls_back_to_inherent_when_not_stated() -> None:
    risk = assess_threat(threat("T-1", "S", "api", likelihood="likely", impact="severe", status="accepted"))
    assert risk.residual == risk.inherent
    assert risk.residual.severity == "critical"
    assert risk.residual_assessed is False


@pytest.mark.parametrize(
    "status,current",
    [
        ("open", "inherent"),
        ("in_progress", "inherent"),
        ("mitigated", "residual"),
        ("accepted", "residual"),
        ("transferred", "residual"),
        ("not_applicable", None),
    ],
)
def test_current_risk_follows_the_status(status: str, current: str | None) -> None:
    risk = assess_threat(
        threat("T-1", "S", "api", likelihood="likely", impact="major", status=status, residual=Rating("rare", "minor"))
    )
    assert risk.current == (getattr(risk, current) if current else None)


def test_assess_threats_skips_threats_whose_levels_are_not_on_the_matrix() -> None:
    risks = assess_threats([threat("T-1", "S", "a"), threat("T-2", "S", "a", likelihood="often")])
    assert [r.threat_id for r in risks] == ["T-1"]


def test_heat_map_counts_threats_per_cell() -> None:
    threats = [
        threat("T-1", "S", "a", likelihood="high", impact="grave"),
        threat("T-2", "T", "a", likelihood="high", impact="grave"),
        threat("T-3", "I", "a", likelihood="low", impact="minor", residual=Rating("low", "minor")),
        threat("T-4", "I", "a", likelihood="low", impact="minor", status="not_applicable"),
        threat("T-5", "D", "a", likelihood="medium", impact="serious", residual=Rating("low", "serious")),
    ]
    heat = heat_map(threats, THREE_BY_THREE)
    assert [[c.count for c in row] for row in heat.rows] == [[0, 0, 2], [0, 1, 0], [1, 0, 0]]
    assert heat.cell("high", "grave").threat_ids == ("T-1", "T-2")
    assert heat.cell("high", "grave").severity == "critical"
    assert heat.count("low", "minor") == 1
    assert heat.total == 4
    residual = heat_map(threats, THREE_BY_THREE, residual=True)
    assert residual.count("low", "serious") == 1
    assert residual.count("medium", "serious") == 0
