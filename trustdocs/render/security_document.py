"""The product security document's context: every table, count and computed fact its template lays out.

`security_context(project)` filters the project for the document's audience, analyses it (boundary
crossings, where data lives, risk, STRIDE coverage) and returns a frozen `SecurityDocument`. The template
only lays these values out; nothing is sorted, grouped or counted there.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from trustdocs.analyse.architecture import ArchitectureIndex
from trustdocs.analyse.risk import HeatMap, ThreatRisk, heat_map, severity
from trustdocs.analyse.threat_model import analyse_threat_model
from trustdocs.model.architecture import TrustBoundary
from trustdocs.model.audience import OutputAudience, for_audience
from trustdocs.model.project import Project
from trustdocs.model.security import SecurityProgramme
from trustdocs.model.threats import SEVERITY_RANK, STRIDE_NAMES, RiskMatrix, Threat
from trustdocs.render.charts import HeatPanel, ScoreBand, heat_map_svg
from trustdocs.render.diagrams import (
    LARGE_SYSTEM_NODES,
    OVERVIEW,
    SYSTEM,
    PrintPage,
    describe_embedded,
    diagram_svg,
    draws_whole_system,
    print_page,
)
from trustdocs.render.security_compliance import (
    MappingRow,
    PenTestView,
    RegimeRow,
    ResidencyRow,
    SubprocessorRow,
    framework_mapping,
    pen_test_view,
    privacy_regimes,
    residency_rows,
    subprocessor_change_facts,
    subprocessor_rows,
)
from trustdocs.render.security_programme import Fact, contact_facts, humanise, key_facts, programme_facts
from trustdocs.render.security_threats import (
    KIND_LABELS,
    StrideSummary,
    ThreatGroup,
    ThreatRow,
    natural_key,
    stride_summary,
    threat_groups,
)

log = logging.getLogger(__name__)

__all__ = ["RenderedFigure", "SecurityDocument", "figure_from_svg", "security_context"]

AUTHENTICATION_LABELS = {
    "none": "None",
    "password": "Password",
    "api_key": "API key",
    "oauth2": "OAuth 2.0",
    "oidc": "OpenID Connect",
    "saml": "SAML 2.0",
    "mtls": "Mutual TLS",
    "iam": "Cloud IAM",
    "jwt": "Signed token (JWT)",
    "service_account": "Service account",
    "ssh_key": "SSH key",
    "hmac": "HMAC signature",
    "certificate": "X.509 certificate",
    "pre_shared_key": "Pre-shared key",
}
ENCRYPTION_LABELS = {
    "none": "None",
    "tls": "TLS",
    "mtls": "Mutual TLS",
    "ssh": "SSH",
    "ipsec": "IPsec",
    "application": "Application-layer",
    "local": "Local (never leaves the host)",
}
CLASSIFICATION_LABELS = {
    "public": "Public",
    "internal": "Internal",
    "confidential": "Confidential",
    "restricted": "Restricted",
}
# A document marked public goes to anyone; confidential and NDA documents to customers under NDA.
_DOCUMENT_AUDIENCE: dict[str, OutputAudience] = {"public": "public", "confidential": "nda", "nda": "nda"}
OUTSIDE = "Outside every trust boundary"
OPERATOR_LABELS = {"vendor": "", "customer": "Operated by the customer", "third_party": "Operated by a third party"}
STRIDE_PROPERTIES = {
    "S": "authentication",
    "T": "integrity",
    "R": "non-repudiation",
    "I": "confidentiality",
    "D": "availability",
    "E": "authorisation",
}


@dataclass(frozen=True)
class RenderedFigure:
    """A vector figure for the document: an SVG as a data: URI, with its natural size in CSS pixels."""

    name: str
    title: str
    data_uri: str
    width: float
    height: float
    page: PrintPage | None = None
    """For a diagram, the page it prints legibly on (see render.diagrams.print_page); None when none."""
    hosting: tuple[str, ...] = ()
    """For a boundary diagram, where its components run (render.diagrams.DiagramSpec.hosting)."""

    def fit(self, max_width_mm: float, max_height_mm: float) -> tuple[str, str]:
        """Width and height in millimetres (as text) that fit the box, keeping the aspect ratio.

        Sized here rather than by CSS so that a figure never ends up taller than the page and pushed
        away from its heading.
        """
        natural = 25.4 / 96  # millimetres per CSS pixel: never drawn larger than its natural size
        scale = min(max_width_mm / self.width, max_height_mm / self.height, natural)
        return f"{self.width * scale:.1f}", f"{self.height * scale:.1f}"


@dataclass(frozen=True)
class ComponentRow:
    id: str
    name: str
    kind: str
    technology: str
    hosting: str
    owner: str
    boundary: str
    """The boundaries around the component, outermost first, joined with ' › '; OUTSIDE when none."""


@dataclass(frozen=True)
class BoundaryRow:
    id: str
    name: str
    trust_level: int | None
    depth: int
    """0 for a top-level boundary, 1 for one nested in it, and so on."""
    parent: str | None
    members: tuple[str, ...]
    """Names of the components directly inside (not inside a nested boundary)."""
    description: str
    operated_by: str = ""
    """'Operated by the customer' or 'Operated by a third party'; empty for the vendor's own zones."""


@dataclass(frozen=True)
class FlowRow:
    id: str
    source: str
    destination: str
    protocol: str
    port: str
    authentication: str
    authorisation: str
    encryption: str
    """E.g. 'TLS 1.2', 'Mutual TLS 1.3', 'None'."""
    encrypted: bool
    crosses_boundary: bool
    crossing: str
    """Which boundaries the flow leaves and enters, e.g. 'enters Data subnet'; empty when it crosses none."""


@dataclass(frozen=True)
class AssetRow:
    id: str
    name: str
    classification: str
    classification_label: str
    description: str
    personal_data: bool
    phi: bool
    cardholder_data: bool
    stored_in: tuple[str, ...]
    """Names of the components whose `stores` list the asset (computed)."""
    carried_by: tuple[str, ...]
    """'Source → Destination' of every flow whose `data` lists the asset (computed)."""
    retention: str
    deletion: str


@dataclass(frozen=True)
class RemediationRow:
    severity: str
    days: int

    @property
    def text(self) -> str:
        return f"{self.days} day" if self.days == 1 else f"{self.days} days"


@dataclass(frozen=True)
class CertificationRow:
    name: str
    auditor: str
    period_start: dt.date
    period_end: dt.date
    scope: str
    availability: str


@dataclass(frozen=True)
class RiskDecisionRow:
    """An accepted or transferred risk, as the register of risk decisions prints it."""

    id: str
    title: str
    status: str
    owner: str
    justification: str
    review_by: dt.date | None
    transferred_to: str
    """The party a transferred risk is transferred to; empty for an accepted one."""
    severity: str
    residual_severity: str


@dataclass(frozen=True)
class ResidualRow:
    severity: str
    inherent: int
    residual: int


@dataclass(frozen=True)
class SecurityDocument:
    """Everything security-document.html shows, computed; `security` is passed on for its prose fields."""

    product: str
    security: SecurityProgramme
    effective_date: dt.date
    key_facts: tuple[Fact, ...]
    organisation_facts: tuple[Fact, ...]
    hosting_facts: tuple[Fact, ...]
    overview: str
    tenancy: str
    system_diagram: RenderedFigure | None
    """The whole-system diagram, or for a large system its overview (see `system_is_overview`)."""
    system_is_overview: bool
    overview_diagram: RenderedFigure | None
    """The overview shown before the whole-system diagram (None when the overview stands in for it)."""
    components: tuple[ComponentRow, ...]
    boundaries: tuple[BoundaryRow, ...]
    outside: tuple[str, ...]
    """Names of the components outside every boundary."""
    flows: tuple[FlowRow, ...]
    crossing_count: int
    unencrypted_count: int
    assets: tuple[AssetRow, ...]
    transit_facts: tuple[Fact, ...]
    rest_facts: tuple[Fact, ...]
    backup_facts: tuple[Fact, ...]
    customer_identity_facts: tuple[Fact, ...]
    workforce_facts: tuple[Fact, ...]
    sdlc_facts: tuple[Fact, ...]
    pen_test_facts: tuple[Fact, ...]
    disclosure_facts: tuple[Fact, ...]
    remediation: tuple[RemediationRow, ...]
    vulnerability_facts: tuple[Fact, ...]
    logging_facts: tuple[Fact, ...]
    incident_facts: tuple[Fact, ...]
    continuity_facts: tuple[Fact, ...]
    certifications: tuple[CertificationRow, ...]
    subprocessors: tuple[SubprocessorRow, ...]
    subprocessor_change_facts: tuple[Fact, ...]
    residency: tuple[ResidencyRow, ...]
    privacy_facts: tuple[Fact, ...]
    privacy_regimes: tuple[RegimeRow, ...]
    pen_test: PenTestView | None
    framework_columns: tuple[str, ...]
    """The framework names of the mapping table's columns."""
    framework_mapping: tuple[MappingRow, ...]
    personnel_facts: tuple[Fact, ...]
    methodology: str
    matrix_size: str
    """E.g. '5 × 5'."""
    risk_bands: tuple[Fact, ...]
    threat_count: int
    threat_groups: tuple[ThreatGroup, ...]
    heat_map: HeatMap
    heat_map_svg: Markup
    """The inherent and the residual heat map side by side, with the score scale."""
    residual_heat_map: HeatMap
    stride_summary: StrideSummary
    risk_decisions: tuple[RiskDecisionRow, ...]
    residual: tuple[ResidualRow, ...]
    residual_unassessed: int
    contact_facts: tuple[Fact, ...]
    stride_glossary: tuple[Fact, ...]
    boundary_diagrams: tuple[RenderedFigure, ...]
    large_diagram_limit: int
    """Diagrams of more components than this are delivered as files only (see render.diagrams)."""
    system_diagram_file: str | None
    """The file of the whole-system diagram, or None when the system is too large to draw one."""

    def threat(self, threat_id: str) -> ThreatRow:
        for group in self.threat_groups:
            for row in group.threats:
                if row.id == threat_id:
                    return row
        raise KeyError(threat_id)

    def flow(self, flow_id: str) -> FlowRow:
        return next(row for row in self.flows if row.id == flow_id)


# -- figures ----------------------------------------------------------------------------------------------

_SVG_SIZE = re.compile(rb'<svg[^>]*?\swidth="([\d.]+)(pt|px)?"[^>]*?\sheight="([\d.]+)(pt|px)?"', re.DOTALL)


def figure_from_svg(name: str, title: str, svg: bytes, hosting: tuple[str, ...] = ()) -> RenderedFigure:
    """A figure from SVG bytes (e.g. a rendered diagram); its size is read from the root element."""
    found = _SVG_SIZE.search(svg)
    width = height = 100.0
    if found:
        # Graphviz sizes in points; CSS pixels are 0.75 pt.
        width = float(found[1]) * (4 / 3 if found[2] == b"pt" else 1)
        height = float(found[3]) * (4 / 3 if found[4] == b"pt" else 1)
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    return RenderedFigure(
        name=name,
        title=title,
        data_uri=uri,
        width=width,
        height=height,
        page=print_page(width * 0.75, height * 0.75),
        hosting=hosting,
    )


def _render_diagrams(project: Project) -> tuple[RenderedFigure, ...]:
    # Only the SVGs are drawn: the build writes the diagram files, with their PNGs, on its own.
    return tuple(
        figure_from_svg(spec.name, spec.title, diagram_svg(spec), spec.hosting)
        for spec in describe_embedded(project.architecture)
    )


# -- architecture -----------------------------------------------------------------------------------------


def _boundary_rows(
    boundaries: tuple[TrustBoundary, ...], index: ArchitectureIndex, depth: int = 0, parent: str | None = None
) -> list[BoundaryRow]:
    rows = []
    for boundary in boundaries:
        members = tuple(index.components[m].name for m in boundary.members if m in index.components)
        rows.append(
            BoundaryRow(
                boundary.id,
                boundary.name,
                boundary.trust_level,
                depth,
                parent,
                members,
                boundary.description,
                OPERATOR_LABELS[boundary.operated_by],
            )
        )
        rows += _boundary_rows(boundary.boundaries, index, depth + 1, boundary.name)
    return rows


def _flow_rows(index: ArchitectureIndex) -> tuple[FlowRow, ...]:
    rows = []
    for flow in index.architecture.data_flows:
        crossing = index.crossing(flow)
        parts = []
        if crossing.exits:
            parts.append("leaves " + ", ".join(b.name for b in crossing.exits))
        if crossing.entries:
            # Entries outermost first, as one walks in: "enters AWS VPC, Application subnet".
            parts.append("enters " + ", ".join(b.name for b in reversed(crossing.entries)))
        encryption = ENCRYPTION_LABELS.get(flow.encryption, flow.encryption)
        if flow.encrypted and flow.tls_version and flow.encryption in ("tls", "mtls"):
            encryption = f"{encryption} {flow.tls_version}"
        rows.append(
            FlowRow(
                id=flow.id,
                source=index.name(flow.source),
                destination=index.name(flow.destination),
                protocol=flow.protocol,
                port=str(flow.port) if flow.port is not None else "—",
                authentication=AUTHENTICATION_LABELS.get(flow.authentication, flow.authentication),
                authorisation=flow.authorisation,
                encryption=encryption,
                encrypted=flow.encrypted,
                crosses_boundary=index.crosses_boundary(flow),
                crossing="; ".join(parts),
            )
        )
    return tuple(rows)


def _asset_rows(project: Project, index: ArchitectureIndex) -> tuple[AssetRow, ...]:
    rules = {rule.data: rule for rule in project.security.retention}
    rows = []
    for asset in project.architecture.data_assets:
        rule = rules.get(asset.id)
        rows.append(
            AssetRow(
                id=asset.id,
                name=asset.name,
                classification=asset.classification,
                classification_label=CLASSIFICATION_LABELS[asset.classification],
                description=asset.description,
                personal_data=asset.personal_data,
                phi=asset.phi,
                cardholder_data=asset.cardholder_data,
                stored_in=tuple(c.name for c in index.stores_of(asset.id)),
                carried_by=tuple(index.name(f.id) for f in index.flows_carrying(asset.id)),
                retention=asset.retention or (rule.period if rule else "—"),
                deletion=rule.deletion.strip() if rule and rule.deletion else "",
            )
        )
    return tuple(rows)


# -- risk ---------------------------------------------------------------------------------------------------


def _risk_decisions(threats: tuple[Threat, ...], risks: dict[str, ThreatRisk]) -> tuple[RiskDecisionRow, ...]:
    rows = []
    for threat in threats:
        if threat.status not in ("accepted", "transferred") or threat.id not in risks:
            continue
        risk = risks[threat.id]
        rows.append(
            RiskDecisionRow(
                id=threat.id,
                title=threat.title,
                status=humanise(threat.status),
                owner=threat.owner or "—",
                justification=threat.justification.strip(),
                review_by=threat.review_by,
                transferred_to=threat.transferred_to or "",
                severity=risk.inherent.severity,
                residual_severity=risk.residual.severity,
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.status, natural_key(r.id))))


def _residual(risks: dict[str, ThreatRisk]) -> tuple[tuple[ResidualRow, ...], int]:
    assessed = [r for r in risks.values() if r.status != "not_applicable"]
    rows = tuple(
        ResidualRow(
            severity,
            sum(1 for r in assessed if r.inherent.severity == severity),
            sum(1 for r in assessed if r.residual.severity == severity),
        )
        for severity in sorted(SEVERITY_RANK, key=SEVERITY_RANK.__getitem__, reverse=True)
    )
    return rows, sum(1 for r in assessed if not r.residual_assessed)


def _heat_map_svg(
    inherent: HeatMap, residual: HeatMap, matrix: RiskMatrix, severity_of: Callable[[object, object], str]
) -> Markup:
    panels = tuple(
        HeatPanel(title, {(cell.likelihood, cell.impact): cell.count for row in heat.rows for cell in row})
        for title, heat in (("Inherent risk", inherent), ("Residual risk", residual))
    )
    # Band by band from score 1; the last covers every score up to the largest on the matrix.
    top = len(matrix.likelihood) * len(matrix.impact)
    lows = (1, *(band.max_score + 1 for band in matrix.bands[:-1]))
    highs = (*(band.max_score for band in matrix.bands[:-1]), top)
    bands = tuple(
        ScoreBand(band.severity, low, min(high, top))
        for low, high, band in zip(lows, highs, matrix.bands, strict=False)
        if low <= top
    )
    return heat_map_svg(inherent.likelihood, inherent.impact, panels, severity_of, bands=bands)


# -- the document -----------------------------------------------------------------------------------------


def security_context(
    project: Project, *, audience: OutputAudience | None = None, diagrams: Sequence[RenderedFigure] | None = None
) -> SecurityDocument:
    """The security document's context for `project`, as `audience` may read it.

    `audience` defaults to what the document's classification implies (NDA for 'nda' and 'confidential').
    `diagrams` are the whole-system diagram (named 'system') and the per-boundary ones; they must have
    been drawn from the audience-filtered architecture. Without them they are drawn here. Review dates
    and the coverage check are judged as of the document's effective date, never the clock.
    """
    if audience is None:
        audience = _DOCUMENT_AUDIENCE.get(project.document.classification, "nda")
    project = for_audience(project, audience)
    today = project.document.effective_date
    index = ArchitectureIndex.from_architecture(project.architecture)
    model = project.threat_model
    threats = model.threats
    # Only risk scores are taken from the check: its findings, coverage gaps and overdue reviews are the
    # vendor's own results and belong in `check` and the internal review, never in a customer's document.
    report = analyse_threat_model(project, today)
    risks = {risk.threat_id: risk for risk in report.risks}
    figures = tuple(diagrams) if diagrams is not None else _render_diagrams(project)
    # A diagram that no page prints legibly is delivered as a file only.
    figures = tuple(figure for figure in figures if figure.page is not None)
    # The whole-system diagram when one prints legibly, and the overview before it; otherwise the overview alone.
    overview = next((f for f in figures if f.name == OVERVIEW), None)
    system = next((f for f in figures if f.name == SYSTEM), None) or overview
    facts = programme_facts(project.security)
    matrix = model.risk_matrix

    def severity_of(likelihood: object, impact: object) -> str:
        return severity(matrix, str(likelihood), str(impact))

    inherent_map = heat_map(threats, matrix)
    residual_map = heat_map(threats, matrix, residual=True)
    residual_rows, unassessed = _residual(risks)
    bands, low = [], 1
    for band in matrix.bands:
        bands.append(Fact(humanise(band.severity), f"score {low}–{band.max_score}"))
        low = band.max_score + 1
    components = tuple(
        ComponentRow(
            c.id,
            c.name,
            KIND_LABELS[c.kind],
            c.technology,
            c.hosting,
            c.owner,
            " › ".join(b.name for b in reversed(index.enclosing_boundaries(c.id))) or OUTSIDE,
        )
        for c in project.architecture.components
    )
    flows = _flow_rows(index)
    columns, mapping = framework_mapping(project.security.controls)
    log.debug(
        "security document: %d threats, %d components, %d flows, %d diagrams",
        len(threats),
        len(components),
        len(flows),
        len(figures),
    )
    return SecurityDocument(
        product=project.document.product,
        security=project.security,
        effective_date=today,
        key_facts=key_facts(project, threats),
        organisation_facts=facts["organisation"],
        hosting_facts=facts["hosting"],
        overview=project.architecture.overview,
        tenancy=project.architecture.tenancy,
        system_diagram=system,
        system_is_overview=system is not None and system.name == OVERVIEW,
        overview_diagram=overview if system is not None and system.name == SYSTEM else None,
        components=components,
        boundaries=tuple(_boundary_rows(project.architecture.trust_boundaries, index)),
        outside=tuple(c.name for c in project.architecture.components if index.is_outside(c.id)),
        flows=flows,
        crossing_count=sum(1 for f in flows if f.crosses_boundary),
        unencrypted_count=sum(1 for f in flows if not f.encrypted),
        assets=_asset_rows(project, index),
        transit_facts=facts["transit"],
        rest_facts=facts["rest"],
        backup_facts=facts["backup"],
        customer_identity_facts=facts["customer_identity"],
        workforce_facts=facts["workforce"],
        sdlc_facts=facts["sdlc"],
        pen_test_facts=facts["pen_test"],
        disclosure_facts=facts["disclosure"],
        remediation=tuple(
            RemediationRow(name, getattr(project.security.vulnerability_management.remediation, f"{name}_days"))
            for name in ("critical", "high", "medium", "low")
        ),
        vulnerability_facts=facts["vulnerability"],
        logging_facts=facts["logging"],
        incident_facts=facts["incident"],
        continuity_facts=facts["continuity"],
        certifications=tuple(
            CertificationRow(
                c.name,
                c.auditor,
                c.period_start,
                c.period_end,
                c.scope,
                "Report under NDA" if c.nda_only else "Publicly available",
            )
            for c in project.security.certifications
        ),
        subprocessors=subprocessor_rows(
            project.security.subprocessors, {a: asset.name for a, asset in index.assets.items()}
        ),
        subprocessor_change_facts=subprocessor_change_facts(project.security),
        residency=residency_rows(project.security.hosting.residency),
        privacy_facts=facts["privacy"],
        privacy_regimes=privacy_regimes(project.security.privacy.regimes),
        pen_test=pen_test_view(project.security.sdlc.pen_test),
        framework_columns=columns,
        framework_mapping=mapping,
        personnel_facts=facts["personnel"],
        methodology=model.methodology,
        matrix_size=f"{len(matrix.likelihood)} × {len(matrix.impact)}",
        risk_bands=tuple(bands),
        threat_count=len(threats),
        threat_groups=threat_groups(threats, model.mitigations, risks, index),
        heat_map=inherent_map,
        heat_map_svg=_heat_map_svg(inherent_map, residual_map, matrix, severity_of),
        residual_heat_map=residual_map,
        stride_summary=stride_summary(threats, index),
        risk_decisions=_risk_decisions(threats, risks),
        residual=residual_rows,
        residual_unassessed=unassessed,
        contact_facts=contact_facts(project),
        stride_glossary=tuple(
            Fact(f"{letter} ({name})", f"STRIDE threat category: a threat to {STRIDE_PROPERTIES[letter]}.")
            for letter, name in STRIDE_NAMES.items()
        ),
        boundary_diagrams=tuple(f for f in figures if f.name not in (SYSTEM, OVERVIEW)),
        large_diagram_limit=LARGE_SYSTEM_NODES,
        system_diagram_file=f"{SYSTEM}.svg" if draws_whole_system(project.architecture) else None,
    )
