"""The product security document of the sample, read the way a customer reads it: PDF text and outline."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from trustdocs.model.audience import for_audience
from trustdocs.model.project import Project
from trustdocs.project import load_project
from trustdocs.render.cache import RenderCache
from trustdocs.render.documents import DOCUMENTS, build_furniture, render_html
from trustdocs.render.security_document import (
    RenderedFigure,
    SecurityDocument,
    figure_from_svg,
    security_context,
)
from trustdocs.render.security_programme import hours_text

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs" / "acme"
TEMPLATE = "security-document.html"
TITLE = "Product Security Document"

CHAPTERS = [
    "Executive summary",
    "Security organisation and governance",
    "Architecture",
    "Data classification and inventory",
    "Data protection",
    "Identity and access management",
    "Application security and development lifecycle",
    "Infrastructure and vulnerability management",
    "Logging, monitoring and detection",
    "Incident response",
    "Business continuity and disaster recovery",
    "Compliance and certifications",
    "Subprocessors",
    "Privacy",
    "Personnel and physical security",
    "Threat model",
    "Shared responsibilities",
    "Glossary",
    "Contacts",
    "Trust boundary diagrams",
]
THREAT_MODEL_SECTIONS = [
    "16.1 Methodology",
    "16.2 Threat register",
    "16.3 Risk heat map",
    "16.4 STRIDE by element kind",
    "16.5 Accepted and transferred risks",
    "16.6 Residual risk",
]

# Counted by hand from security/threats.yaml: inherent likelihood × impact of every threat except the
# not-applicable TM-044 and the internal TM-054.
INHERENT_HEAT_MAP = {
    ("likely", "minor"): 1,  # TM-038
    ("likely", "moderate"): 5,  # TM-016, TM-018, TM-019, TM-022, TM-029
    ("likely", "major"): 2,  # TM-001, TM-014
    ("possible", "minor"): 4,  # TM-028, TM-035, TM-040, TM-048
    ("possible", "moderate"): 2,  # TM-033, TM-045
    ("possible", "major"): 7,  # TM-002, TM-003, TM-007, TM-011, TM-012, TM-015, TM-021
    ("possible", "severe"): 6,  # TM-004, TM-005, TM-010, TM-034, TM-037, TM-055
    ("unlikely", "minor"): 2,  # TM-020, TM-039
    ("unlikely", "moderate"): 4,  # TM-026, TM-030, TM-032, TM-049
    ("unlikely", "major"): 12,  # TM-013, TM-017, TM-025, TM-041, TM-042, TM-043, TM-047, TM-050-053, TM-057
    ("unlikely", "severe"): 9,  # TM-006, TM-008, TM-009, TM-023, TM-024, TM-027, TM-031, TM-036, TM-056
    ("rare", "severe"): 1,  # TM-046
}


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(SAMPLE, today=dt.date(2026, 11, 1)).project


@pytest.fixture(scope="module")
def doc(project: Project) -> SecurityDocument:
    return security_context(project)


@pytest.fixture(scope="module")
def pdf(project: Project, shared_render_cache: RenderCache) -> bytes:
    """The document as a build makes it: laid out in parts and joined (tests/test_parts.py); only read here,
    so laid out once per run."""
    return next(spec for spec in DOCUMENTS if spec.name == "security").render(project, shared_render_cache)


@pytest.fixture(scope="module")
def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


@pytest.fixture(scope="module")
def pages(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


@pytest.fixture(scope="module")
def text(pages: list[str]) -> str:
    return "\n".join(pages)


def outline_titles(reader: PdfReader) -> list[object]:
    def titles(items: list[object]) -> list[object]:
        return [titles(item) if isinstance(item, list) else item.title for item in items]  # type: ignore[attr-defined]

    return titles(reader.outline)


# -- what a reader sees ------------------------------------------------------------------------------------


def test_every_threat_the_customer_may_read_appears(project: Project, text: str) -> None:
    visible = [t.id for t in for_audience(project, "nda").threat_model.threats]
    assert len(visible) == 56
    missing = [threat_id for threat_id in visible if threat_id not in text]
    assert missing == []
    # Internal items never reach a customer document.
    assert "TM-054" not in text
    assert "Arctic Wolf Networks" not in text  # the internal subprocessor entry


def test_chapter_titles_are_in_the_text_and_the_outline(reader: PdfReader, text: str) -> None:
    flat = re.sub(r"\s+", " ", text)
    for number, title in enumerate(CHAPTERS, start=1):
        assert re.search(rf"\b{number}\s{re.escape(title)}\b", flat), title
    top = [t for t in outline_titles(reader) if isinstance(t, str)]
    assert top == ["Document control", "Contents"] + [f"{n}. {t}" for n, t in enumerate(CHAPTERS, start=1)]


def test_outline_lists_every_subsection(reader: PdfReader) -> None:
    outline = outline_titles(reader)
    children = {outline[i - 1]: outline[i] for i in range(1, len(outline)) if isinstance(outline[i], list)}
    assert children["16. Threat model"] == THREAT_MODEL_SECTIONS
    assert children["3. Architecture"] == [
        "3.1 Overview",
        "3.2 Hosting and regions",
        "3.3 Tenancy and data segregation",
        "3.4 Overview diagram",
        "3.5 Data-flow diagram",
        "3.6 Components",
        "3.7 Trust boundaries",
        "3.8 Data flows",
    ]
    assert children["20. Trust boundary diagrams"] == [
        "20.1 Trust boundary: Application subnet (Amazon EKS)",
        "20.2 Trust boundary: Data subnet",
    ]
    assert children["12. Compliance and certifications"] == ["12.1 Control framework mapping"]
    assert children["13. Subprocessors"] == ["13.1 Changes to subprocessors"]


def test_every_page_after_the_cover_has_the_page_footer(pages: list[str]) -> None:
    total = len(pages)
    assert 30 <= total <= 45
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in page
    assert "Page 1 of" not in pages[0]  # the cover carries no running footer


def test_diagrams_sit_on_pages_of_the_size_they_need(reader: PdfReader, pages: list[str]) -> None:
    # A4 is 595 × 842 pt, A3 842 × 1191 pt; each diagram on the smallest page that prints its text at 7 pt.
    found = [
        (match[1], round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        for page, text in zip(reader.pages, pages, strict=False)
        if "Legend" in text
        and (match := re.search(r"\d+\.\d+\s+(Overview diagram|Data-flow diagram|Trust boundary: [^\n]+)\n", text))
    ]
    assert found == [
        ("Overview diagram", 842, 595),
        ("Data-flow diagram", 1191, 842),
        ("Trust boundary: Application subnet (Amazon EKS)", 1191, 842),
        ("Trust boundary: Data subnet", 595, 842),
    ]


# -- computed values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flow_id", "crosses", "crossing"),
    [
        # finance-user is outside every boundary, alb inside aws-vpc.
        ("user-to-alb", True, "enters AWS VPC (production, eu-west-1)"),
        # api in app-subnet, ledger-db in data-subnet: sibling boundaries inside aws-vpc.
        ("api-to-db", True, "leaves Application subnet (Amazon EKS); enters Data subnet"),
        # backoffice in corp-network, api in app-subnet nested in aws-vpc.
        (
            "backoffice-to-api",
            True,
            "leaves Acme corporate network; enters AWS VPC (production, eu-west-1), Application subnet (Amazon EKS)",
        ),
        # Both ends in app-subnet.
        ("ingress-to-web", False, ""),
        ("reporting-to-recon", False, ""),
    ],
)
def test_crosses_boundary_is_computed(
    doc: SecurityDocument, text: str, flow_id: str, crosses: bool, crossing: str
) -> None:
    row = doc.flow(flow_id)
    assert (row.crosses_boundary, row.crossing) == (crosses, crossing)
    # The row as printed (element ids are not: the customer reads names): from its ends to the next row's.
    flat = re.sub(r"\s+", " ", text)
    ends = f"{row.source} → {row.destination}"
    start = flat.index(ends, flat.index("Crosses boundary"))  # in the flow table, not the threat register
    segment = flat[start : flat.index("→", start + len(ends))]  # up to the next row's arrow
    if crosses:
        assert re.search(r"\bYes (leaves|enters)", segment)
    else:
        assert re.search(r"(?<![A-Za-z])No\b", segment) and "Yes" not in segment


def test_flow_summary_counts(doc: SecurityDocument, text: str) -> None:
    assert (len(doc.flows), doc.crossing_count, doc.unencrypted_count) == (27, 23, 1)
    assert "27 data flows; 23 cross a trust boundary and 1 is not encrypted" in re.sub(r"\s+", " ", text)


def test_heat_map_counts_match_a_hand_count(doc: SecurityDocument, pages: list[str]) -> None:
    heat = doc.heat_map
    counted = {(cell.likelihood, cell.impact): cell.count for row in heat.rows for cell in row if cell.count}
    assert counted == INHERENT_HEAT_MAP
    assert heat.total == 55
    # The chart draws the same counts in its inherent panel, beside the residual one.
    root = ElementTree.fromstring(str(doc.heat_map_svg))
    drawn = {
        (g.get("data-likelihood"), g.get("data-impact")): int(g.get("data-count"))
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if g.get("class") == "cell" and g.get("data-panel") == "Inherent risk" and g.get("data-count") != "0"
    }
    assert drawn == INHERENT_HEAT_MAP
    assert any("Inherent and residual risk: 55 threats by likelihood and impact." in page for page in pages)


def test_residual_risk_counts(doc: SecurityDocument) -> None:
    assert [(r.severity, r.inherent, r.residual) for r in doc.residual] == [
        ("critical", 0, 0),
        ("high", 29, 3),
        ("medium", 24, 15),
        ("low", 2, 37),
    ]
    # Threats without a residual rating: TM-010, TM-011, TM-019, TM-020, TM-030, TM-035, TM-036, TM-038, TM-039.
    assert doc.residual_unassessed == 9


def test_stride_summary_counts_threats_per_element_kind(doc: SecurityDocument) -> None:
    summary = doc.stride_summary
    assert summary.kinds == ("External entity", "Process", "Data store", "Data flow")
    rows = {row.letter: (row.counts, row.total) for row in summary.rows}
    # Elevation of privilege: TM-004, TM-034, TM-042, TM-055, TM-056, TM-057, all on processes only.
    assert rows["E"] == ((0, 6, 0, 0), 6)
    assert summary.total == 55


def test_register_lists_each_threat_once_under_its_first_target(doc: SecurityDocument) -> None:
    listed = [row.id for group in doc.threat_groups for row in group.threats]
    assert len(listed) == len(set(listed)) == 56
    groups = {group.element_name: group for group in doc.threat_groups}
    assert [t.id for t in groups["Customer finance user"].threats] == ["TM-001", "TM-012", "TM-044"]
    tm052 = doc.threat("TM-052")
    assert tm052 in groups["Public load balancer → Ingress controller"].threats
    assert (len(tm052.also_targets), tm052.more_targets) == (4, 12)
    assert (tm052.severity, tm052.residual_severity, tm052.status_label) == ("medium", "low", "Mitigated")
    assert [m.title for m in tm052.mitigations] == [
        "Mesh mutual TLS and workload identity",
        "TLS on every external connection",
    ]


def test_risk_decisions_show_owner_justification_and_who_carries_a_transferred_risk(
    doc: SecurityDocument, text: str
) -> None:
    decisions = [(r.id, r.status, r.owner, r.review_by, r.transferred_to) for r in doc.risk_decisions]
    assert decisions == [
        ("TM-020", "Accepted", "Insights team", dt.date(2027, 3, 31), ""),
        ("TM-035", "Accepted", "Platform Engineering", dt.date(2027, 5, 31), ""),
        ("TM-038", "Accepted", "Site Reliability Engineering", dt.date(2027, 4, 30), ""),
        ("TM-039", "Accepted", "Customer Support Engineering", dt.date(2027, 2, 28), ""),
        (
            "TM-014",
            "Transferred",
            "Site Reliability Engineering",
            dt.date(2027, 3, 31),
            "Amazon Web Services (AWS Shield Advanced with DDoS cost protection)",
        ),
        (
            "TM-036",
            "Transferred",
            "Payments team",
            dt.date(2027, 9, 30),
            "Stripe Payments Europe, Ltd. (PCI DSS Level 1 service provider)",
        ),
    ]
    flat = re.sub(r"\s+", " ", text)
    assert "to Stripe Payments Europe, Ltd. (PCI DSS Level 1 service provider)" in flat


def test_open_threats_carry_their_planned_remediation_date(doc: SecurityDocument, text: str) -> None:
    plans = {
        row.id: row.plan
        for group in doc.threat_groups
        for row in group.threats
        if row.status in ("open", "in_progress")
    }
    assert len(plans) == 9
    assert plans["TM-002"] == "Remediation planned by 15 December 2026"
    assert all(plan.startswith("Remediation planned by ") for plan in plans.values())
    flat = re.sub(r"\s+", " ", text)
    assert flat.count("Remediation planned by") == 9
    assert "Remediation planned by 15 December 2026" in flat


def test_data_inventory_is_derived_from_the_architecture(doc: SecurityDocument) -> None:
    assets = {a.id: a for a in doc.assets}
    assert assets["invoices"].stored_in == ("Ledger database", "Search index", "Document store")
    assert assets["bank-credentials"].carried_by == (
        "Bank-feed connector → Banks and open-banking aggregators",
        "Bank-feed connector → Secrets vault",
    )
    assert assets["static-assets"].stored_in == ()


def test_key_facts_are_computed(doc: SecurityDocument) -> None:
    facts = {f.label: f.value for f in doc.key_facts}
    assert facts["Recovery objectives"] == "RTO 4 h, RPO 15 min"
    assert facts["Security incident notification"] == "Within 48 hours of confirmation"
    assert facts["Threat model"] == (
        "56 threats registered, 9 open or in progress, each with a planned remediation date"
    )


# -- smaller pieces ----------------------------------------------------------------------------------------


def test_customer_notification_follows_negotiated_terms(project: Project) -> None:
    security = replace(
        project.security, incident_response=replace(project.security.incident_response, notification_hours=24)
    )
    doc = security_context(replace(project, security=security), diagrams=())
    facts = {f.label: f.value for f in doc.key_facts}
    assert facts["Security incident notification"] == "Within 24 hours of confirmation"
    assert doc.system_diagram is None and doc.boundary_diagrams == ()


def test_free_text_is_shown_literally(project: Project) -> None:
    summary = 'Hello <img src="file:///etc/passwd"> and {{ 7*7 }}.'
    hostile = replace(project, security=replace(project.security, executive_summary=summary))
    furniture = build_furniture(project.document, title=TITLE, project_root=project.root)
    html = render_html(TEMPLATE, furniture=furniture, context=security_context(hostile, diagrams=()))
    assert "<p>Hello &lt;img src=&quot;file:///etc/passwd&quot;&gt; and {{ 7*7 }}.</p>" in html


def test_public_audience_drops_nda_items(project: Project) -> None:
    doc = security_context(project, audience="public", diagrams=())
    assert "Annual penetration test 2026 (letter of attestation)" not in [c.name for c in doc.certifications]
    nda = security_context(project, diagrams=())
    assert "Annual penetration test 2026 (letter of attestation)" in [c.name for c in nda.certifications]


@pytest.mark.parametrize(("hours", "text"), [(4, "4 h"), (0.25, "15 min"), (1.5, "1 h 30 min"), (48, "2 d")])
def test_hours_text(hours: float, text: str) -> None:
    assert hours_text(hours) == text


def test_figures_fit_their_box_without_growing() -> None:
    wide = figure_from_svg("system", "System", b'<svg width="2386pt" height="1337pt" viewBox="0 0 1 1"></svg>')
    assert (round(wide.width), round(wide.height)) == (3181, 1783)
    assert wide.fit(261, 134) == ("239.1", "134.0")
    small = RenderedFigure("x", "X", "data:image/svg+xml;base64,", width=96, height=48)
    assert small.fit(261, 134) == ("25.4", "12.7")


def test_the_document_is_registered(project: Project) -> None:
    from trustdocs.render.documents import documents_for

    spec = next(s for s in documents_for(project) if s.name == "security")
    assert (spec.filename, spec.template, spec.title) == ("security-document.pdf", TEMPLATE, TITLE)
    assert spec.build_context is security_context


def test_a_minimal_project_renders_with_empty_sections() -> None:
    minimal = load_project(Path(__file__).parent / "data" / "minimal.yaml").project
    doc = security_context(minimal, diagrams=())
    furniture = build_furniture(minimal.document, title=TITLE, project_root=minimal.root)
    html = render_html(TEMPLATE, furniture=furniture, context=doc)
    assert "No certifications are listed." in html
    assert "No subprocessors process customer data." in html
    assert "Data-flow diagram" not in html


@pytest.mark.parametrize(
    ("limit", "says"),
    [
        (250, "too large for a page; it is delivered as a separate vector file (system.svg)."),
        (20, "too large for a page; the trust boundary diagrams, delivered as separate files, show every component."),
    ],
)
def test_the_overview_caption_names_the_file_that_holds_every_component(
    project: Project, monkeypatch: pytest.MonkeyPatch, limit: int, says: str
) -> None:
    from trustdocs.render import diagrams

    monkeypatch.setattr(diagrams, "SYSTEM_DIAGRAM_LIMIT", limit)
    overview = figure_from_svg("overview", "Overview", b'<svg width="200pt" height="100pt"></svg>')
    doc = security_context(project, diagrams=(overview,))
    furniture = build_furniture(project.document, title=TITLE, project_root=project.root)
    html = " ".join(render_html(TEMPLATE, furniture=furniture, context=doc).split())
    assert f"With 23 components the full data-flow diagram is {says}" in html
    assert ("system.svg" in html) == (limit == 250)


@pytest.mark.parametrize(
    "printed",
    [
        # Control framework mapping (12.1): a control with its SOC 2, ISO/IEC 27001 Annex A and CSA CCM ids
        # (the description wraps at its hyphen).
        "Enforced multi-factor authentication MFA for every customer user without SSO, and phishing- resistant FIDO2 "
        "keys for every Acme staff account. CC6.1 A.5.17, A.8.5 IAM-14",
        # The last penetration test (7.3): findings reported and still open, by severity.
        "Severity Findings reported Open at 1 November 2026 critical 0 0 high 1 0 medium 4 1 low 6 2 informational 9 0",
        "Fixes verified by retest 9 October 2026",
        # Subprocessors with their transfer mechanism, and the change-notice commitment (13.1).
        "EU region (Germany), with processing in the United States under the EU SCCs User accounts and profiles "
        "EU Standard Contractual Clauses",
        "Notice of a new subprocessor At least 30 days before it processes customer data",
        "Right to object Yes",
        # Residency per region (5.5) and privacy roles per law (14.1).
        "EU Ireland, Germany EU, United Kingdom, United States",
        "CCPA / CPRA (California) Service provider",
        "HIPAA business associate agreement Not offered",
    ],
)
def test_the_new_security_chapters_print_their_figures(text: str, printed: str) -> None:
    assert printed in re.sub(r"\s+", " ", text)
