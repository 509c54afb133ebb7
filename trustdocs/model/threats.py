"""The threat model: threats, mitigations, scales, the risk matrix and coverage exemptions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from trustdocs.model.base import Audience, Location, loc_field

Stride = Literal["S", "T", "R", "I", "D", "E"]
STRIDE_NAMES: dict[str, str] = {
    "S": "Spoofing",
    "T": "Tampering",
    "R": "Repudiation",
    "I": "Information disclosure",
    "D": "Denial of service",
    "E": "Elevation of privilege",
}
ThreatStatus = Literal["open", "in_progress", "mitigated", "accepted", "transferred", "not_applicable"]
Severity = Literal["low", "medium", "high", "critical"]
SEVERITY_RANK: dict[str, int] = {"low": 1, "medium": 2, "high": 3, "critical": 4}


@dataclass(frozen=True)
class RiskBand:
    """Scores (likelihood rank × impact rank, both 1-based) up to max_score have this severity."""

    severity: Severity
    max_score: int


@dataclass(frozen=True)
class RiskMatrix:
    likelihood: tuple[str, ...]
    """Likelihood levels, least likely first."""
    impact: tuple[str, ...]
    """Impact levels, least severe first."""
    bands: tuple[RiskBand, ...]
    """Severity bands by ascending max_score; the last covers the largest score."""
    loc: Location | None = loc_field()


DEFAULT_RISK_MATRIX = RiskMatrix(
    likelihood=("rare", "unlikely", "possible", "likely", "almost_certain"),
    impact=("negligible", "minor", "moderate", "major", "severe"),
    bands=(
        RiskBand("low", 4),
        RiskBand("medium", 9),
        RiskBand("high", 16),
        RiskBand("critical", 25),
    ),
)


@dataclass(frozen=True)
class Rating:
    likelihood: str
    impact: str


@dataclass(frozen=True)
class Mitigation:
    id: str
    title: str
    description: str = ""
    controls: tuple[str, ...] = ()
    """Control ids from security.controls."""
    status: Literal["implemented", "partial", "planned"] = "implemented"
    audience: Audience = "public"
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Threat:
    id: str
    title: str
    stride: tuple[Stride, ...]
    targets: tuple[str, ...]
    """Element ids: components, data flows or trust boundaries."""
    description: str
    likelihood: str
    impact: str
    status: ThreatStatus
    mitigations: tuple[str, ...] = ()
    owner: str | None = None
    justification: str = ""
    review_by: dt.date | None = None
    remediation_date: dt.date | None = None
    """Open or in-progress threats: when the planned remediation is due."""
    transferred_to: str | None = None
    """Transferred threats: the party that carries the risk."""
    ticket: str | None = None
    cwe: tuple[str, ...] = ()
    capec: tuple[str, ...] = ()
    residual: Rating | None = None
    audience: Audience = "public"
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Exemption:
    """A coverage gap or rule finding accepted on purpose: by element and STRIDE letter, or by finding id."""

    justification: str
    element: str | None = None
    stride: tuple[Stride, ...] = ()
    finding: str | None = None
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class ThreatModel:
    threats: tuple[Threat, ...]
    mitigations: tuple[Mitigation, ...] = ()
    risk_matrix: RiskMatrix = DEFAULT_RISK_MATRIX
    methodology: str = ""
    exemptions: tuple[Exemption, ...] = ()
    loc: Location | None = loc_field()
