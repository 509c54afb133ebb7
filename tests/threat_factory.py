"""Small builders for architecture and threat-model objects, so each test states only what it is about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from trustdocs.analyse.architecture import ArchitectureIndex
from trustdocs.analyse.threat_model import CheckReport, analyse_model
from trustdocs.model.architecture import Architecture, Component, DataAsset, DataFlow, TrustBoundary
from trustdocs.model.base import Location
from trustdocs.model.threats import DEFAULT_RISK_MATRIX, Exemption, Mitigation, RiskMatrix, Threat, ThreatModel

TODAY = dt.date(2026, 3, 14)


def component(id: str, kind: str = "process", **fields: Any) -> Component:
    fields.setdefault("name", id.replace("-", " ").title())
    return Component(
        id=id,
        kind=kind,
        technology="Python",
        hosting="AWS",
        owner="Platform",  # type: ignore[arg-type]
        **fields,
    )


def flow(
    id: str,
    source: str,
    destination: str,
    *,
    authentication: str = "oidc",
    encryption: str = "tls",
    data: tuple[str, ...] = ("records",),
    **fields: Any,
) -> DataFlow:
    return DataFlow(
        id=id,
        source=source,
        destination=destination,
        protocol="HTTPS",  # type: ignore[arg-type]
        authentication=authentication,
        encryption=encryption,
        data=data,
        **fields,
    )


def boundary(id: str, level: int, members: tuple[str, ...] = (), *inner: TrustBoundary) -> TrustBoundary:
    return TrustBoundary(id=id, name=id.replace("-", " ").title(), trust_level=level, members=members, boundaries=inner)


def asset(id: str, classification: str = "internal", *, personal_data: bool = False) -> DataAsset:
    return DataAsset(
        id=id,
        name=id.title(),
        classification=classification,  # type: ignore[arg-type]
        personal_data=personal_data,
    )


def threat(
    id: str,
    stride: str,
    *targets: str,
    likelihood: str = "possible",
    impact: str = "moderate",
    status: str = "open",
    **fields: Any,
) -> Threat:
    return Threat(
        id=id,
        title=f"Threat {id}",
        stride=tuple(stride),
        targets=targets,  # type: ignore[arg-type]
        description="",
        likelihood=likelihood,
        impact=impact,
        status=status,  # type: ignore[arg-type]
        **fields,
    )


def architecture(
    components: Sequence[Component],
    flows: Sequence[DataFlow] = (),
    boundaries: Sequence[TrustBoundary] = (),
    assets: Sequence[DataAsset] | None = None,
) -> Architecture:
    if assets is None:
        assets = [asset("records")]
    return Architecture(
        components=tuple(components),
        data_flows=tuple(flows),
        trust_boundaries=tuple(boundaries),
        data_assets=tuple(assets),
    )


def threat_model(
    threats: Sequence[Threat] = (),
    mitigations: Sequence[Mitigation] = (),
    exemptions: Sequence[Exemption] = (),
    risk_matrix: RiskMatrix = DEFAULT_RISK_MATRIX,
) -> ThreatModel:
    return ThreatModel(
        threats=tuple(threats), mitigations=tuple(mitigations), exemptions=tuple(exemptions), risk_matrix=risk_matrix
    )


def index(arch: Architecture) -> ArchitectureIndex:
    return ArchitectureIndex.from_architecture(arch)


def check(arch: Architecture, model: ThreatModel | None = None, today: dt.date = TODAY) -> CheckReport:
    return analyse_model(arch, model or threat_model(), today=today)


def at(line: int, file: str = "architecture.yaml", col: int = 7) -> Location:
    return Location(file, line, col)


def web_stack() -> Architecture:
    """user (outside) -> api (vpc, level 1) -> db (data subnet inside vpc, level 2), all well protected."""
    return architecture(
        [
            component("user", "external_entity"),
            component("api", audit_logging=True),
            component("db", "data_store", stores=("records",), encrypted_at_rest=True),
        ],
        [flow("f-user-api", "user", "api"), flow("f-api-db", "api", "db", authentication="iam")],
        [boundary("vpc", 1, ("api",), boundary("data-subnet", 2, ("db",)))],
    )
