"""Threat Dragon and TM-BOM import, TM-BOM export: the YAML written, the not-mapped lines, errors, round trip."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import SAMPLE
from trustdocs.cli import main
from trustdocs.interchange import export_tm_bom, import_threat_dragon
from trustdocs.interchange.model import IdAllocator, Note, sanitise_id
from trustdocs.interchange.tm_bom_export import symbolic_names
from trustdocs.project import load_project

DATA = Path(__file__).parent / "data" / "interchange"
DRAGON = DATA / "webshop-threat-dragon.json"
TM_BOM = DATA / "payments-tm-bom.json"
CELLS = "tests/data/interchange/webshop-threat-dragon.json#/detail/diagrams/0/cells"


def _section(directory: Path, file: str, key: str) -> Any:
    return yaml.safe_load((directory / file).read_text(encoding="utf-8"))[key]


def _import(runner, kind: str, source: Path, out: Path, *extra: str):
    return runner.invoke(
        main,
        [
            "import",
            kind,
            str(source.relative_to(Path.cwd()) if source.is_relative_to(Path.cwd()) else source),
            "-o",
            str(out),
            *extra,
        ],
    )


@pytest.fixture
def in_repo(monkeypatch):
    monkeypatch.chdir(Path(__file__).parent.parent)


def test_threat_dragon_components_boundaries_and_flows(runner, tmp_path, in_repo):
    result = _import(runner, "threat-dragon", DRAGON, tmp_path / "shop")
    assert result.exit_code == 0, result.output
    arch = _section(tmp_path / "shop", "architecture.yaml", "architecture")
    assert [(c["id"], c["kind"], c["name"]) for c in arch["components"]] == [
        ("id-0a9e5b7c-customer", "external_entity", "Customer"),
        ("web-app", "process", "Web shop"),
        ("order-service", "process", "Order service"),
        ("orders-db", "data_store", "Orders database"),
        ("audit-log", "data_store", "Audit log"),
    ]
    assert arch["components"][3]["encrypted_at_rest"] is True
    assert arch["components"][1]["technology"] == "TO COMPLETE"
    # Membership from geometry: the innermost box holding each element's centre; nesting from box inside box.
    # The open curve at x = 250..260 holds the side without the external entity: everything right of it.
    assert arch["trust_boundaries"] == [
        {
            "id": "curve-internet-edge",
            "name": "Internet edge",
            "trust_level": 1,
            "boundaries": [
                {
                    "id": "id-3f6c9a10-2b7e-4c1d-9e55-0a1b2c3d4e01",
                    "name": "AWS account (production)",
                    "trust_level": 2,
                    "members": ["web-app"],
                    "boundaries": [
                        {
                            "id": "private-subnet",
                            "name": "Private subnet",
                            "trust_level": 3,
                            "members": ["order-service", "orders-db", "audit-log"],
                        }
                    ],
                }
            ],
        }
    ]
    assert [
        (f["id"], f["source"], f["destination"], f["protocol"], f["encryption"], f["authentication"])
        for f in arch["data_flows"]
    ] == [
        ("f-customer-web", "id-0a9e5b7c-customer", "web-app", "HTTPS", "tls", "none"),
        ("f-web-orders", "web-app", "order-service", "gRPC", "tls", "none"),
        ("f-orders-db", "order-service", "orders-db", "TO COMPLETE", "none", "none"),
    ]


def test_threat_dragon_threats_stride_status_rating_mitigations(runner, tmp_path, in_repo):
    assert _import(runner, "threat-dragon", DRAGON, tmp_path / "shop").exit_code == 0
    model = _section(tmp_path / "shop", "security/threats.yaml", "threat_model")
    assert [
        (t["id"], t["stride"], t["targets"], t["status"], t["likelihood"], t["impact"], t.get("mitigations"))
        for t in model["threats"]
    ] == [
        ("TD-1", ["S"], ["id-0a9e5b7c-customer"], "open", "likely", "major", ["M-TD-1"]),
        ("TD-2", ["D"], ["web-app"], "mitigated", "possible", "moderate", ["M-TD-2"]),
        ("TD-3", ["R"], ["order-service"], "not_applicable", "unlikely", "minor", None),
        ("TD-4", ["E"], ["order-service"], "open", "possible", "moderate", None),
        ("TD-5", ["I"], ["orders-db"], "open", "likely", "major", None),
        ("TD-7", ["T"], ["f-web-orders"], "mitigated", "possible", "moderate", ["M-TD-7"]),
    ]
    assert model["mitigations"] == [
        {"id": "M-TD-1", "title": "Enforce MFA for accounts with saved cards.", "status": "planned"},
        {"id": "M-TD-2", "title": "TO COMPLETE", "status": "implemented"},
        {
            "id": "M-TD-7",
            "title": "mTLS between the web shop and the order service.",
            "status": "implemented",
            "description": "mTLS between the web shop and the order service.\nCertificates rotate daily.",
        },
    ]
    assert model["exemptions"] == [
        {
            "element": "audit-log",
            "stride": ["T", "R", "I", "D"],
            "justification": "Out of scope: Operated by the platform team; modelled in the platform threat model.",
        }
    ]


def test_threat_dragon_not_mapped_lines_and_message(runner, tmp_path, in_repo):
    result = _import(runner, "threat-dragon", DRAGON, tmp_path / "shop")
    lines = result.output.splitlines()
    assert lines[:-2] == [
        "not mapped: tests/data/interchange/webshop-threat-dragon.json#/detail/contributors: 1 contributor(s) not "
        "imported",
        f"not mapped: {CELLS}/0: a text block has no trustdocs counterpart; not imported",
        f"not mapped: {CELLS}/4/data/isWebApplication: isWebApplication = true has no trustdocs field; not imported",
        f"not mapped: {CELLS}/4/data/threats/0/mitigation: marked Mitigated with no mitigation; mitigation M-TD-2 "
        "written as 'TO COMPLETE'",
        f"not mapped: {CELLS}/5/data/threats/1/score: score '8.1' has no trustdocs field (the rating comes from "
        "severity); not imported",
        f"not mapped: {CELLS}/5/data/threats/1/severity: severity 'TBD' is not Low, Medium, High or Critical; rated "
        "possible x moderate (medium)",
        f"not mapped: {CELLS}/6/data/storesCredentials: storesCredentials = true has no trustdocs field; not imported",
        f"not mapped: {CELLS}/6/data/threats/1/type: threat type 'Linkability' (LINDDUN model) has no STRIDE "
        "category; threat not imported",
        f"not mapped: {CELLS}/7/data/isALog: isALog = true has no trustdocs field; not imported",
        f"not mapped: {CELLS}/8/data: Threat Dragon records no authentication for a flow; written as 'none'",
        f"not mapped: {CELLS}/9/data: Threat Dragon records no authentication for a flow; written as 'none'",
        f"not mapped: {CELLS}/10/data: Threat Dragon records no authentication for a flow; written as 'none'",
        f"not mapped: {CELLS}/10/data/protocol: no protocol; written as 'TO COMPLETE'",
        f"not mapped: {CELLS}/11: a data flow not attached to an actor, process or store at both ends; not imported",
        f"not mapped: {CELLS}/12: an open trust boundary curve: imported as holding its side without external "
        "entities (check its members)",
        "not mapped: tests/data/interchange/webshop-threat-dragon.json#/detail/diagrams/0/title: the diagram's "
        "title is not imported (trustdocs draws its own diagrams from the architecture)",
        "not mapped: tests/data/interchange/webshop-threat-dragon.json#/summary/owner: owner = 'Shop platform team' "
        "is not imported; name the owners in document.owners",
    ]
    out = tmp_path / "shop"
    assert lines[-2] == (
        f"Imported 5 components, 3 trust boundaries, 3 data flows and 6 threats into {out} "
        "(17 not mapped, listed above)."
    )
    assert lines[-1].startswith(f"Complete the skeleton: document control in {out / 'trustdocs.yaml'}")


def test_imported_projects_validate(runner, tmp_path, in_repo):
    for kind, source in (("threat-dragon", DRAGON), ("tm-bom", TM_BOM)):
        out = tmp_path / kind
        assert _import(runner, kind, source, out).exit_code == 0
        result = runner.invoke(main, ["validate", str(out)])
        assert result.exit_code == 0, result.output
        assert "valid:" in result.output
        root = (out / "trustdocs.yaml").read_text(encoding="utf-8")
        assert "SKELETON TO COMPLETE: Document control was not in the imported" in root
        assert yaml.safe_load(root)["document"]["status"] == "draft"


def test_closed_boundary_curve_holds_what_it_encloses(tmp_path):
    model = json.loads(DRAGON.read_text(encoding="utf-8"))
    curve = model["detail"]["diagrams"][0]["cells"][12]
    # A closed loop around the customer (60..220 x 260..340): its centre is inside.
    curve["source"], curve["target"] = {"x": 40, "y": 240}, {"x": 40, "y": 242}
    curve["vertices"] = [{"x": 240, "y": 240}, {"x": 240, "y": 360}, {"x": 40, "y": 360}]
    source = tmp_path / "closed.json"
    source.write_text(json.dumps(model), encoding="utf-8")
    imported = import_threat_dragon(source)
    boundaries = imported.architecture["trust_boundaries"]
    assert [(b["id"], b.get("members")) for b in boundaries] == [
        ("id-3f6c9a10-2b7e-4c1d-9e55-0a1b2c3d4e01", ["web-app"]),
        ("curve-internet-edge", ["id-0a9e5b7c-customer"]),
    ]


def test_open_curve_with_external_entities_on_both_sides_is_listed(tmp_path):
    model = json.loads(DRAGON.read_text(encoding="utf-8"))
    cells = model["detail"]["diagrams"][0]["cells"]
    cells[5]["data"]["type"], cells[5]["shape"] = "tm.Actor", "actor"  # the order service, right of the curve
    source = tmp_path / "both.json"
    source.write_text(json.dumps(model), encoding="utf-8")
    imported = import_threat_dragon(source)
    assert [b["id"] for b in imported.architecture["trust_boundaries"]] == ["id-3f6c9a10-2b7e-4c1d-9e55-0a1b2c3d4e01"]
    assert (
        Note(
            "/detail/diagrams/0/cells/12",
            "an open trust boundary curve with external entities on both sides: "
            "cannot tell which side it holds; not imported (draw it as a boundary box)",
        )
        in imported.notes
    )


def test_refuses_a_non_empty_directory_unless_forced(runner, tmp_path, in_repo):
    out = tmp_path / "shop"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = _import(runner, "threat-dragon", DRAGON, out)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {out} is not empty; import writes a new project into an empty or new "
        "directory (use --force to replace its trustdocs.yaml, architecture.yaml and "
        "security/ files)\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    assert _import(runner, "threat-dragon", DRAGON, out, "--force").exit_code == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "architecture.yaml").is_file()


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"version": "2.2.0",\n  "summary": }', "bad.json:2:14: not valid JSON: expecting value"),
        ("[1, 2]", "bad.json: expected a Threat Dragon v2 model (a JSON object with version, summary and detail)"),
        (
            '{"summary": {"title": "x"}, "detail": {"diagrams": []}}',
            "bad.json: missing 'version': not a Threat Dragon v2 model (a v1 model has none; open and save it in Threat "
            "Dragon 2 first)",
        ),
        (
            '{"version": "1.6.1", "summary": {"title": "x"}, "detail": {"diagrams": []}}',
            "bad.json#/version: Threat Dragon version '1.6.1' is not supported; expected 2.x",
        ),
        (
            '{"version": "2.2.0", "summary": {}, "detail": {"diagrams": {}}}',
            "bad.json#/summary: missing 'title' (a string)\nbad.json#/detail/diagrams: expected an array, found an object",
        ),
        (
            '{"version": "2.2.0", "summary": {"title": "x"}, "detail": {"diagrams": [{"diagramJson": {}}]}}',
            "bad.json#/detail/diagrams/0: a Threat Dragon v1 diagram (diagramJson); open and save it in Threat Dragon 2 "
            "first",
        ),
        (
            '{"version": "2.2.0", "summary": {"title": "x"}, "detail": {"diagrams": [{"cells": [{"id": "a", "data": {}}, '
            '{"shape": "actor", "data": {}}]}]}}',
            "bad.json#/detail/diagrams/0/cells/0: missing 'data/type' and 'shape': cannot tell what the cell is\n"
            "bad.json#/detail/diagrams/0/cells/1: missing 'id' (a string)",
        ),
        (
            '{"version": "2.2.0", "summary": {"title": "x"}, "detail": {"diagrams": []}}',
            "bad.json#/detail/diagrams: the model has no actor, process or store; trustdocs needs at least one",
        ),
        ('{"version": "2.2.0", "version": "2.1.0"}', "bad.json: duplicate key 'version' in a JSON object"),
        ('{"version": NaN}', "bad.json: not valid JSON: NaN is not a JSON number"),
        ("[" * 65 + "]" * 65, "bad.json:1:65: nested more than 64 levels deep"),
        (b"\xff\xfe{}", "bad.json: not UTF-8 text (byte 0)"),
    ],
)
def test_bad_threat_dragon_files(runner, tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    source = Path("bad.json")
    source.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    result = runner.invoke(main, ["import", "threat-dragon", "bad.json", "-o", "out"])
    assert result.exit_code == 1
    errors = message.count("\n") + 1
    assert result.output == f"{message}\ntrustdocs: {errors} error{'s' if errors > 1 else ''}\n"
    assert not Path("out").exists()


def test_oversized_file_is_refused_before_parsing(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("trustdocs.interchange.source.MAX_BYTES", 10)
    Path("big.json").write_text('{"version": "2.2.0"}', encoding="utf-8")
    result = runner.invoke(main, ["import", "threat-dragon", "big.json", "-o", "out"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "big.json: the file is 20 bytes; the limit is 10 bytes"


def test_ids_are_sanitised_stable_and_collision_free():
    assert sanitise_id("0a9e5b7c-customer") == "id-0a9e5b7c-customer"
    assert sanitise_id("Web App (v2)") == "Web-App-v2"
    assert sanitise_id("  ") == "id"
    raw = ["api gateway", "api-gateway", "api-gateway-2", "api/gateway"]
    ids = IdAllocator(raw)
    # The second 'api-gateway' skips -2, which a later element is called.
    assert [ids.allocate(r) for r in raw] == ["api-gateway", "api-gateway-3", "api-gateway-2", "api-gateway-4"]
    assert symbolic_names(["TM-001", "tm-001", "api_key", "TM-001.b"]) == {
        "TM-001": "tm-001",
        "tm-001": "tm-001-2",
        "api_key": "api-key",
        "TM-001.b": "tm-001-b",
    }


def test_tm_bom_import_from_another_tool(runner, tmp_path, in_repo):
    result = _import(runner, "tm-bom", TM_BOM, tmp_path / "pay")
    assert result.exit_code == 0, result.output
    shown = "not mapped: tests/data/interchange/payments-tm-bom.json#"
    assert result.output.splitlines()[:-2] == [
        f"{shown}/actors/0/type: type = 'system' has no trustdocs field; not imported",
        f"{shown}/controls/0/priority: priority 'high' has no trustdocs field; not imported",
        f"{shown}/data_flows/0: TM-BOM gives a data flow no protocol or authentication; written as 'TO COMPLETE' "
        "and 'none'",
        f"{shown}/data_flows/0/has_sensitive_data: has_sensitive_data = true names no data set; list the data "
        "assets it carries in 'data'",
        f"{shown}/data_sets/0/data_sensitivity: no trustdocs classification; written as restricted from ['pci']",
        f"{shown}/data_stores/0/type: type = 'key_value' has no trustdocs field; not imported",
        f"{shown}/risks/0/impact_description: impact_description has no trustdocs field; not imported",
        f"{shown}/scope: business_criticality, data_sensitivity, exposure, tier have no trustdocs field; not imported",
        f"{shown}/threat_personas: 1 threat personas have no trustdocs field; not imported",
        f"{shown}/threats/0: TM-BOM has no STRIDE field; STRIDE S, I read from its words (check it)",
        f"{shown}/threats/0: TM-BOM has no threat status; written as mitigated from its controls",
        f"{shown}/threats/0/event: event has no trustdocs field; not imported",
        f"{shown}/threats/0/sources: sources has no trustdocs field; not imported",
        f"{shown}/threats/0/threat_persona: threat_persona has no trustdocs field; not imported",
        f"{shown}/threats/1: no STRIDE category (none is named in its title, event or description); threat not "
        "imported",
        f"{shown}/trust_boundaries/0: authentication_methods between two trust zones have no trustdocs field; not "
        "imported",
        f"{shown}/trust_zones/0: TM-BOM gives a trust zone no trust level; written as 1",
        f"{shown}/trust_zones/1: TM-BOM gives a trust zone no trust level; written as 1",
    ]
    arch = _section(tmp_path / "pay", "architecture.yaml", "architecture")
    assert [(c["id"], c["kind"], c["technology"]) for c in arch["components"]] == [
        ("merchant", "external_entity", "TO COMPLETE"),
        ("payments-api", "process", "TO COMPLETE"),
        ("token-vault", "data_store", "HashiCorp Vault"),
    ]
    # The data set's placement: what the store holds, and encrypted at rest.
    assert (arch["components"][2]["stores"], arch["components"][2]["encrypted_at_rest"]) == (["card-data"], True)
    assert arch["data_assets"] == [
        {"id": "card-data", "name": "Cardholder data", "classification": "restricted", "description": "PAN and expiry."}
    ]
    assert [(b["id"], b["members"]) for b in arch["trust_boundaries"]] == [
        ("internet", ["merchant"]),
        ("payments-vpc", ["payments-api", "token-vault"]),
    ]
    threats = _section(tmp_path / "pay", "security/threats.yaml", "threat_model")["threats"]
    assert threats == [
        {
            "id": "api-key-spoofing",
            "title": "Spoofing a merchant with a leaked API key",
            "stride": ["S", "I"],
            "targets": ["payments-api"],
            "description": "A leaked key lets anyone charge cards.",
            "likelihood": "likely",
            "impact": "major",
            "status": "mitigated",
            "mitigations": ["key-rotation"],
            "cwe": ["CWE-798"],
        }
    ]


def test_tm_bom_round_trip_of_the_sample(runner, tmp_path):
    bom = tmp_path / "acme.tm-bom.json"
    result = runner.invoke(main, ["export", "tm-bom", str(SAMPLE), "-o", str(bom)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {bom}\n"
    result = runner.invoke(main, ["import", "tm-bom", str(bom), "-o", str(tmp_path / "back")])
    assert result.exit_code == 0, result.output
    assert "(0 not mapped, listed above)" in result.output
    before = load_project(SAMPLE).project
    after = load_project(tmp_path / "back").project
    assert after.architecture.components == before.architecture.components
    assert after.architecture.trust_boundaries == before.architecture.trust_boundaries
    assert after.architecture.data_flows == before.architecture.data_flows
    assert after.architecture.data_assets == before.architecture.data_assets
    assert after.threat_model.threats == before.threat_model.threats
    assert after.threat_model.mitigations == before.threat_model.mitigations
    assert after.threat_model.exemptions == before.threat_model.exemptions
    # And everything else of the two sections: overview, tenancy, methodology, the risk matrix.
    assert after.architecture == before.architecture
    assert after.threat_model == before.threat_model
    assert len(after.threat_model.threats) == 57
    used = {control for m in before.threat_model.mitigations for control in m.controls}
    assert after.security.controls == tuple(c for c in before.security.controls if c.id in used)


def test_tm_bom_export_uses_the_schema_fields(tmp_path):
    project = load_project(SAMPLE).project
    data = export_tm_bom(project)
    assert data == export_tm_bom(project)
    bom = json.loads(data)
    assert bom["$schema"] == (
        "https://github.com/OWASP/www-project-threat-model-library/blob/v1.0.2/threat-model.schema.json"
    )
    assert {
        "version",
        "scope",
        "trust_zones",
        "trust_boundaries",
        "actors",
        "components",
        "data_stores",
        "data_sets",
        "data_flows",
    } <= set(bom)
    assert len(bom["actors"]) + len(bom["components"]) + len(bom["data_stores"]) == 23
    assert {"trust_zone_a": "aws-vpc", "trust_zone_b": "app-subnet"} in bom["trust_boundaries"]
    threat = next(t for t in bom["threats"] if t["symbolic_name"] == "tm-001")
    risk = next(r for r in bom["risks"] if r["threats"] == ["tm-001"])
    sample = next(t for t in project.threat_model.threats if t.id == "TM-001")
    assert threat["title"] == sample.title
    assert (risk["likelihood"], risk["impact"]) == (
        sample.likelihood.replace("almost_certain", "certain"),
        sample.impact,
    )
    names = [n for t in bom["threats"] + bom["controls"] + bom["components"] for n in [t["symbolic_name"]]]
    assert all(n == n.lower() and " " not in n for n in names)


def _large_model(components: int, threats: int) -> dict[str, Any]:
    kinds = [("actor", "tm.Actor"), ("process", "tm.Process"), ("store", "tm.Store")]
    cells: list[dict[str, Any]] = []
    for b in range(10):
        cells.append(
            {
                "id": f"box-{b}",
                "shape": "trust-boundary-box",
                "zIndex": 0,
                "position": {"x": b * 1000, "y": 0},
                "size": {"width": 900, "height": 3000},
                "data": {
                    "type": "tm.BoundaryBox",
                    "name": f"Zone {b}",
                    "isTrustBoundary": True,
                    "hasOpenThreats": False,
                },
            }
        )
    letters = [
        "Spoofing",
        "Tampering",
        "Repudiation",
        "Information disclosure",
        "Denial of service",
        "Elevation of privilege",
    ]
    number = 0
    for i in range(components):
        shape, kind = kinds[i % 3]
        own = []
        for _ in range(threats // components + (1 if i < threats % components else 0)):
            number += 1
            own.append(
                {
                    "id": f"t-{number}",
                    "number": number,
                    "title": f"Threat {number}",
                    "type": letters[number % 6],
                    "status": ["Open", "Mitigated", "NA"][number % 3],
                    "severity": ["Low", "Medium", "High"][number % 3],
                    "description": "Generated.",
                    "mitigation": "Generated control." if number % 3 == 1 else "",
                    "modelType": "STRIDE",
                }
            )
        cells.append(
            {
                "id": f"el-{i}",
                "shape": shape,
                "zIndex": 1,
                "position": {"x": (i % 10) * 1000 + 100, "y": (i // 10) * 90},
                "size": {"width": 100, "height": 60},
                "data": {"type": kind, "name": f"Element {i}", "hasOpenThreats": True, "threats": own},
            }
        )
    for i in range(components - 1):
        cells.append(
            {
                "id": f"flow-{i}",
                "shape": "flow",
                "zIndex": 2,
                "source": {"cell": f"el-{i}"},
                "target": {"cell": f"el-{i + 1}"},
                "data": {
                    "type": "tm.Flow",
                    "name": "",
                    "protocol": "HTTPS",
                    "isEncrypted": True,
                    "hasOpenThreats": False,
                },
            }
        )
    return {
        "version": "2.2.0",
        "summary": {"title": "Large"},
        "detail": {
            "contributors": [],
            "diagrams": [
                {"id": 0, "title": "All", "diagramType": "STRIDE", "thumbnail": "", "version": "2.2.0", "cells": cells}
            ],
            "diagramTop": 1,
            "reviewer": "",
            "threatTop": number,
        },
    }


def test_large_threat_dragon_model_stays_fast(runner, tmp_path):
    source = tmp_path / "large.json"
    source.write_text(json.dumps(_large_model(300, 1000)), encoding="utf-8")
    started = time.perf_counter()
    result = runner.invoke(main, ["import", "threat-dragon", str(source), "-o", str(tmp_path / "large")])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert "Imported 300 components, 10 trust boundaries, 299 data flows and 1000 threats" in result.output
    assert elapsed < 10, f"import took {elapsed:.2f} s"
    print(f"import of 300 elements and 1,000 threats: {elapsed:.2f} s ({source.stat().st_size} bytes)")
    assert load_project(tmp_path / "large").project.threat_model.threats[999].id == "TD-1000"


def test_every_interchange_command_has_help_and_a_readme_row(runner):
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for command in (["import", "threat-dragon"], ["import", "tm-bom"], ["export", "tm-bom"]):
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0
        assert "Usage:" in result.output
        assert f"`trustdocs {' '.join(command)} " in readme


def test_too_many_boundaries_is_refused(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("trustdocs.interchange.threat_dragon.MAX_BOUNDARIES", 5)
    Path("many.json").write_text(json.dumps(_large_model(12, 0)), encoding="utf-8")
    result = runner.invoke(main, ["import", "threat-dragon", "many.json", "-o", "out"])
    assert result.exit_code == 1
    assert result.output == (
        "many.json#/detail/diagrams/0: the diagram has 10 trust boundaries; the limit is 5\ntrustdocs: 1 error\n"
    )


def test_many_duplicate_ids_stay_linear():
    ids = IdAllocator(["x"] * 20_000)
    started = time.perf_counter()
    allocated = [ids.allocate("x") for _ in range(20_000)]
    assert time.perf_counter() - started < 1
    assert allocated[:3] == ["x", "x-2", "x-3"] and len(set(allocated)) == 20_000


def test_tm_bom_names_are_per_section_and_dangling_flows_are_listed(tmp_path):
    from trustdocs.interchange import import_tm_bom

    bom = json.loads(TM_BOM.read_text(encoding="utf-8"))
    bom["trust_zones"][1]["symbolic_name"] = "payments-api"  # a zone named like a component
    bom["components"][0]["trust_zone"] = "payments-api"
    bom["data_stores"][0]["trust_zone"] = "payments-api"
    bom["data_flows"].append(
        {**bom["data_flows"][0], "symbolic_name": "ghost-flow", "source": {"type": "actor", "object": "nobody"}}
    )
    source = tmp_path / "bom.json"
    source.write_text(json.dumps(bom), encoding="utf-8")
    imported = import_tm_bom(source)
    arch = imported.architecture
    assert [c["id"] for c in arch["components"]] == ["merchant", "payments-api", "token-vault"]
    assert [(b["id"], b["members"]) for b in arch["trust_boundaries"]] == [
        ("internet", ["merchant"]),
        ("payments-api-2", ["payments-api", "token-vault"]),
    ]
    assert [f["id"] for f in arch["data_flows"]] == ["merchant-to-api"]
    assert (
        '/data_flows/1/source: refers to {"type": "actor", "object": "nobody"}, which the TM-BOM does '
        "not define; data flow not imported" in [str(n) for n in imported.notes]
    )
    assert imported.threat_model["threats"][0]["targets"] == ["payments-api"]


def test_tm_bom_threat_without_components_targets_its_controls_zones_or_named_elements(tmp_path):
    from trustdocs.interchange import import_tm_bom

    bom = json.loads(TM_BOM.read_text(encoding="utf-8"))
    del bom["threats"][0]["components_affected"]
    bom["controls"][0]["trust_boundary"] = {"trust_zone_a": "internet", "trust_zone_b": "payments-vpc"}
    bom["threats"].append(
        {
            "symbolic_name": "vault-leak",
            "title": "Token vault snapshot leaked",
            "description": "",
            "threat_persona": "fraudster",
            "event": "",
            "sources": ["adversary"],
        }
    )
    source = tmp_path / "bom.json"
    source.write_text(json.dumps(bom), encoding="utf-8")
    imported = import_tm_bom(source)
    assert [(t["id"], t["stride"], t["targets"]) for t in imported.threat_model["threats"]] == [
        ("api-key-spoofing", ["S", "I"], ["internet", "payments-vpc"]),
        ("vault-leak", ["I"], ["token-vault"]),
    ]
    notes = [str(n) for n in imported.notes]
    assert (
        "/threats/0/components_affected: no component affected; targets internet, payments-vpc, the trust "
        "zones its controls protect"
    ) in notes
    assert (
        "/threats/2/components_affected: no component affected; targets token-vault read from its words (check them)"
    ) in notes


@pytest.mark.parametrize(
    "text, message",
    [
        (
            '{"$schema": "https://example.com/otm.json", "version": "1", "scope": {}, "trust_zones": [], '
            '"trust_boundaries": [], "actors": [], "components": [], "data_stores": [], "data_sets": [], "data_flows": []}',
            "bad.json#/$schema: schema 'https://example.com/otm.json' is not supported; expected "
            "https://github.com/OWASP/www-project-threat-model-library/blob/v1.0.2/threat-model.schema.json (or another "
            "1.x release)",
        ),
        (
            '{"version": "1", "scope": {}}',
            "\n".join(
                f"bad.json: missing '{key}'"
                for key in (
                    "trust_zones",
                    "trust_boundaries",
                    "actors",
                    "components",
                    "data_stores",
                    "data_sets",
                    "data_flows",
                )
            ),
        ),
        (
            '{"version": "1", "scope": {}, "trust_zones": [], "trust_boundaries": [], "actors": [{"title": "x"}], '
            '"components": {}, "data_stores": [], "data_sets": [], "data_flows": []}',
            "bad.json#/actors/0: missing 'symbolic_name' (a string)\n"
            "bad.json#/components: expected an array, found an object",
        ),
        (
            '{"version": "1", "scope": {}, "trust_zones": [], "trust_boundaries": [], "actors": [], '
            '"components": [], "data_stores": [], "data_sets": [], "data_flows": []}',
            "bad.json: the TM-BOM has no actor, component or data store; trustdocs needs at least one",
        ),
    ],
)
def test_bad_tm_bom_files(runner, tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    Path("bad.json").write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["import", "tm-bom", "bad.json", "-o", "out"])
    assert result.exit_code == 1
    errors = message.count("\n") + 1
    assert result.output == f"{message}\ntrustdocs: {errors} error{'s' if errors > 1 else ''}\n"
    assert not Path("out").exists()


def test_usage_errors_exit_2(runner, tmp_path):
    assert runner.invoke(main, ["import", "threat-dragon", str(DRAGON)]).exit_code == 2
    assert runner.invoke(main, ["import", "tm-bom", str(tmp_path / "missing.json"), "-o", "x"]).exit_code == 2
    assert runner.invoke(main, ["export", "tm-bom", str(SAMPLE)]).exit_code == 2


def test_tm_bom_round_trip_of_an_imported_threat_dragon_model(runner, tmp_path, in_repo):
    assert _import(runner, "threat-dragon", DRAGON, tmp_path / "shop").exit_code == 0
    bom = tmp_path / "shop.tm-bom.json"
    assert runner.invoke(main, ["export", "tm-bom", str(tmp_path / "shop"), "-o", str(bom)]).exit_code == 0
    result = runner.invoke(main, ["import", "tm-bom", str(bom), "-o", str(tmp_path / "back")])
    assert result.exit_code == 0, result.output
    before, after = load_project(tmp_path / "shop").project, load_project(tmp_path / "back").project
    assert after.architecture == before.architecture
    assert after.threat_model == before.threat_model


def test_the_interchange_package_goes_into_the_wheel():
    import tomllib

    config = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert "trustdocs.interchange" in config["tool"]["setuptools"]["packages"]
