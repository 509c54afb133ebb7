"""STRIDE-per-element coverage: applicable letters, covered, exempt (two ways), gaps and their findings."""

from __future__ import annotations

import pytest
from threat_factory import architecture, at, check, component, flow, index, threat, threat_model, web_stack

from trustdocs.analyse.coverage import STRIDE_PER_ELEMENT, coverage_matrix, gap_findings
from trustdocs.analyse.findings import Finding
from trustdocs.model.threats import Exemption


def states(report_or_matrix, element: str) -> str:
    """The row as six characters: C covered, G gap, X exempt, . not applicable."""
    matrix = getattr(report_or_matrix, "coverage", report_or_matrix)
    symbol = {"covered": "C", "gap": "G", "exempt": "X", "not_applicable": "."}
    return "".join(symbol[c.state] for c in matrix.row(element).cells)


def test_applicable_categories() -> None:
    assert STRIDE_PER_ELEMENT == {
        "external_entity": "SR",
        "process": "STRIDE",
        "data_store": "TRID",
        "data_flow": "TID",
    }


@pytest.mark.parametrize(
    "element,expected",
    [
        ("user", "G.G..."),
        ("api", "GGGGGG"),
        ("db", ".GGGG."),
        ("f-user-api", ".G.GG."),
    ],
)
def test_without_threats_every_applicable_category_is_a_gap(element: str, expected: str) -> None:
    assert states(coverage_matrix(index(web_stack()), []), element) == expected


def test_a_threat_covers_each_target_for_each_letter_whatever_its_status() -> None:
    threats = [
        threat("T-1", "SE", "api", "user", status="not_applicable"),
        threat("T-2", "TI", "f-user-api"),
        threat("T-3", "T", "api", status="mitigated", mitigations=("M-1",)),
    ]
    matrix = coverage_matrix(index(web_stack()), threats)
    assert states(matrix, "api") == "CCGGGC"
    assert states(matrix, "user") == "C.G..."
    assert states(matrix, "f-user-api") == ".C.CG."
    assert matrix.row("api").cell("S").threat_ids == ("T-1",)
    assert matrix.row("api").cell("T").threat_ids == ("T-3",)


def test_a_letter_that_does_not_apply_stays_not_applicable() -> None:
    matrix = coverage_matrix(index(web_stack()), [threat("T-1", "SE", "db")])
    assert states(matrix, "db") == ".GGGG."


def test_threats_on_trust_boundaries_do_not_cover_members() -> None:
    matrix = coverage_matrix(index(web_stack()), [threat("T-1", "STRIDE", "vpc")])
    assert states(matrix, "api") == "GGGGGG"


def test_rows_are_components_then_flows_in_input_order() -> None:
    matrix = coverage_matrix(index(web_stack()), [])
    assert [(r.element_id, r.kind, r.name) for r in matrix.rows] == [
        ("user", "external_entity", "User"),
        ("api", "process", "Api"),
        ("db", "data_store", "Db"),
        ("f-user-api", "data_flow", "User → Api"),
        ("f-api-db", "data_flow", "Api → Db"),
    ]


def test_gap_findings() -> None:
    arch = architecture([component("user", "external_entity", loc=at(3))])
    matrix = coverage_matrix(index(arch), [threat("T-1", "S", "user")])
    assert gap_findings(matrix) == [
        Finding(
            id="COV-R:user",
            rule_id="COV-R",
            severity="medium",
            title="No threat covers Repudiation for an element",
            message="no threat covers Repudiation (R) for external entity 'user' (User)",
            element="user",
            location=at(3),
            category="coverage",
            stride="R",
        )
    ]


def test_exemption_by_element_and_letter() -> None:
    model = threat_model(exemptions=[Exemption("Managed by AWS.", element="api", stride=("E", "D"))])
    report = check(web_stack(), model)
    assert states(report, "api") == "GGGGXX"
    assert report.coverage.row("api").cell("E").justification == "Managed by AWS."
    exempted = {f.id: f.justification for f in report.findings if f.exempted}
    assert exempted == {"COV-D:api": "Managed by AWS.", "COV-E:api": "Managed by AWS."}


def test_exemption_by_finding_id() -> None:
    model = threat_model(exemptions=[Exemption("Customer-operated.", finding="COV-R:user")])
    report = check(web_stack(), model)
    assert states(report, "user") == "G.X..."
    assert [f.id for f in report.exempted] == ["COV-R:user"]


def test_exemption_of_a_whole_element() -> None:
    report = check(web_stack(), threat_model(exemptions=[Exemption("Out of scope.", element="user")]))
    assert states(report, "user") == "X.X..."


def test_exempted_gaps_do_not_count_as_active_findings() -> None:
    plain = check(web_stack())
    exempt = check(web_stack(), threat_model(exemptions=[Exemption("Out of scope.", element="user")]))
    assert plain.counts()["medium"] - exempt.counts()["medium"] == 2
    assert len(exempt.exempted) == 2


def test_an_exemption_for_a_covered_category_is_reported_as_unused() -> None:
    model = threat_model(
        [threat("T-1", "S", "user")],
        exemptions=[Exemption("Old.", element="user", stride=("S",), loc=at(40, "threats.yaml"))],
    )
    report = check(web_stack(), model)
    unused = [f for f in report.findings if f.rule_id == "HYG-EXEMPTION-UNUSED"]
    assert [(f.id, f.severity, f.message, f.location) for f in unused] == [
        (
            "HYG-EXEMPTION-UNUSED:user/S",
            "low",
            "the exemption for 'user' (S) matches no coverage gap or rule finding",
            at(40, "threats.yaml"),
        )
    ]


def test_matrix_totals() -> None:
    report = check(
        web_stack(),
        threat_model([threat("T-1", "STRIDE", "api")], exemptions=[Exemption("Out of scope.", element="user")]),
    )
    coverage = report.coverage
    assert (coverage.applicable, coverage.covered, coverage.exempt, coverage.gaps) == (18, 6, 2, 10)
    assert round(coverage.percent_addressed, 1) == 44.4


def test_a_flow_with_both_ends_unknown_still_gets_a_row() -> None:
    arch = architecture([component("api")], [flow("f-x", "ghost", "api")])
    assert states(coverage_matrix(index(arch), []), "f-x") == ".G.GG."
