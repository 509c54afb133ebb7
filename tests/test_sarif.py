"""SARIF output: valid against the official 2.1.0 schema, located at the YAML line, stable, deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from threat_factory import architecture, at, boundary, check, component, flow, threat, threat_model

from trustdocs import __version__
from trustdocs.model.threats import Exemption, Mitigation
from trustdocs.write.sarif import artifact_uri, sarif_log, sarif_text

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
FILE = "acme/architecture.yaml"


def build_input():
    arch = architecture(
        [
            component("user", "external_entity", loc=at(4, FILE)),
            component("api", audit_logging=True, loc=at(10, FILE)),
            component(
                "db",
                "data_store",
                stores=("records",),
                encrypted_at_rest=True,
                internet_facing=True,
                loc=at(18, FILE, 9),
            ),
        ],
        [
            flow("f-user-api", "user", "api", encryption="none", loc=at(30, FILE)),
            flow("f-api-db", "api", "db", loc=at(38, FILE)),
        ],
        [boundary("vpc", 1, ("api", "db"))],
    )
    model = threat_model(
        [
            threat("T-1", "STRDE", "api", "user", "db", "f-user-api", "f-api-db", owner="Ada"),
            threat("T-2", "S", "nowhere", owner="Ada"),
            threat("T-3", "S", "user", likelihood="likely", impact="severe"),
        ],
        mitigations=[Mitigation("M-1", "Web application firewall")],
        exemptions=[Exemption("Public dataset.", finding="TD-STORE-003:db")],
    )
    return arch, model


@pytest.fixture
def report():
    return check(*build_input())


def test_validates_against_the_official_schema(report) -> None:
    log = json.loads(sarif_text(report))
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(log)] == []


def test_tool_and_rules(report) -> None:
    run = sarif_log(report)["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["informationUri"]) == (
        "trustdocs",
        __version__,
        "https://trustdocs.dev/",
    )
    rules = {r["id"]: r for r in driver["rules"]}
    assert [r["id"] for r in driver["rules"]] == sorted(rules)
    assert rules["TD-FLOW-001"] == {
        "id": "TD-FLOW-001",
        "name": "UnencryptedDataFlowCrossesATrustBoundary",
        "shortDescription": {"text": "Unencrypted data flow crosses a trust boundary"},
        "fullDescription": {"text": report.rule("TD-FLOW-001").explanation},
        "help": {
            "text": report.rule("TD-FLOW-001").explanation
            + "\n\nSTRIDE category: Information disclosure (I).\nWeakness: CWE-319."
        },
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": ["security", "threat-model/rule", "STRIDE/I", "CWE-319", "external/cwe/cwe-319"],
            "precision": "high",
            "problem.severity": "error",
            "security-severity": "8.0",
        },
    }
    assert rules["COV-R"]["properties"]["tags"] == ["security", "threat-model/coverage", "STRIDE/R"]
    assert rules["HYG-TARGET-UNKNOWN"]["defaultConfiguration"] == {"level": "warning"}
    assert rules["HYG-MITIGATION-UNUSED"]["defaultConfiguration"] == {"level": "note"}
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_a_result_points_at_the_yaml_line(report, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    results = {r["partialFingerprints"]["trustdocsFindingId/v1"]: r for r in sarif_log(report)["runs"][0]["results"]}
    assert results["TD-FLOW-001:f-user-api"] == {
        "ruleId": "TD-FLOW-001",
        "ruleIndex": results["TD-FLOW-001:f-user-api"]["ruleIndex"],
        "level": "error",
        "message": {
            "text": "data flow 'f-user-api' (user → api) crosses from outside every boundary to 'Vpc' "
            "without encryption"
        },
        "partialFingerprints": {"trustdocsFindingId/v1": "TD-FLOW-001:f-user-api"},
        "properties": {
            "findingId": "TD-FLOW-001:f-user-api",
            "severity": "high",
            "element": "f-user-api",
            "stride": "I",
        },
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "acme/architecture.yaml", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 30, "startColumn": 7},
                },
                "logicalLocations": [{"name": "f-user-api", "kind": "element"}],
            }
        ],
    }
    assert results["TD-STORE-003:db"]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 18,
        "startColumn": 9,
    }


def test_levels_follow_severity(report) -> None:
    levels = {(r["properties"]["severity"], r["level"]) for r in sarif_log(report)["runs"][0]["results"]}
    assert levels == {("critical", "error"), ("high", "error"), ("medium", "warning"), ("low", "note")}


def test_exempted_findings_carry_an_accepted_suppression(report) -> None:
    results = {r["properties"]["findingId"]: r for r in sarif_log(report)["runs"][0]["results"]}
    assert results["TD-STORE-003:db"]["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "Public dataset."}
    ]
    assert "suppressions" not in results["TD-FLOW-001:f-user-api"]


def test_a_finding_without_a_location_has_no_locations(report) -> None:
    results = {r["properties"]["findingId"]: r for r in sarif_log(report)["runs"][0]["results"]}
    assert "locations" not in results["HYG-TARGET-UNKNOWN:T-2"]


def test_two_runs_give_identical_bytes(report) -> None:
    first = sarif_text(report)
    assert first == sarif_text(check(*build_input()))
    assert first.endswith("}\n") and "time" not in first.lower().replace("timeouts", "")


def test_artifact_uris(monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    assert artifact_uri("acme/security/threats.yaml") == ("acme/security/threats.yaml", True)
    assert artifact_uri(str(tmp_path / "acme" / "trustdocs.yaml")) == ("acme/trustdocs.yaml", True)
    assert artifact_uri("./acme/../acme/trustdocs.yaml") == ("acme/trustdocs.yaml", True)
    outside = tmp_path.parent / "elsewhere" / "trustdocs.yaml"
    assert artifact_uri(str(outside)) == (outside.as_uri(), False)
    assert artifact_uri("acme/trustdocs.yaml", base=tmp_path / "acme") == ("trustdocs.yaml", True)
