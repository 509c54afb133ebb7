"""Issue 14's security fields, from the input to the text of the security document and the check."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from trustdocs.analyse.threat_model import analyse_threat_model
from trustdocs.errors import InputError
from trustdocs.project import load_project
from trustdocs.render.documents import DOCUMENTS

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"
TODAY = dt.date(2026, 11, 1)
SECURITY = next(spec for spec in DOCUMENTS if spec.name == "security")


class _TextDates(yaml.SafeLoader):
    """Keeps dates and times as the text they were written as, so that dumping writes them back unchanged."""


_TextDates.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def minimal() -> dict[str, Any]:
    return yaml.load(MINIMAL.read_text(encoding="utf-8"), Loader=_TextDates)  # noqa: S506 (a SafeLoader)


def regulated(data: dict[str, Any]) -> dict[str, Any]:
    """The minimal project as a health-care vendor with an on-premises agent at the customer writes it."""
    arch, security = data["architecture"], data["security"]
    arch["components"] += [
        {
            "id": "agent",
            "name": "On-premises sync agent",
            "kind": "process",
            "technology": "Go",
            "hosting": "Customer data centre",
            "owner": "Customer IT",
        },
        {
            "id": "scanner",
            "name": "Attachment scanner",
            "kind": "process",
            "technology": "ClamAV sidecar",
            "hosting": "AWS ECS, same task as the API",
            "owner": "Platform team",
            "audit_logging": True,
        },
    ]
    arch["trust_boundaries"][0]["members"].append("scanner")
    arch["trust_boundaries"].append(
        {
            "id": "clinic-network",
            "name": "Clinic network",
            "trust_level": 1,
            "operated_by": "customer",
            "members": ["agent"],
        }
    )
    arch["data_assets"].append(
        {"id": "records", "name": "Patient records", "classification": "restricted", "personal_data": True, "phi": True}
    )
    arch["data_assets"].append(
        {"id": "cards", "name": "Card payments", "classification": "restricted", "cardholder_data": True}
    )
    arch["components"][2]["stores"] += ["records", "cards"]
    arch["data_flows"] += [
        {
            "id": "f-agent-api",
            "source": "agent",
            "destination": "api",
            "protocol": "HTTPS over IPsec",
            "authentication": "certificate",
            "encryption": "ipsec",
            "data": ["records"],
        },
        {
            "id": "f-api-scanner",
            "source": "api",
            "destination": "scanner",
            "protocol": "Unix socket",
            "authentication": "pre_shared_key",
            "encryption": "local",
            "data": ["records"],
        },
    ]
    security["subprocessors"] = [
        {
            "name": "Beacon Health Cloud, Inc.",
            "purpose": "Fax gateway",
            "location": "United States",
            "data": ["records"],
            "transfer_mechanism": "dpf",
            "hipaa_baa": True,
        }
    ]
    security["privacy"] = {
        "hipaa_baa_offered": True,
        "regimes": [
            {"regime": "hipaa", "role": "Business associate"},
            {"regime": "gdpr", "role": "Processor", "transfer_mechanisms": ["EU Standard Contractual Clauses"]},
        ],
    }
    security["hosting"]["residency"] = [
        {"region": "US", "stored_in": ["United States"], "processed_in": ["United States"]}
    ]
    threat = data["threat_model"]["threats"][0]
    threat.update(
        status="transferred",
        owner="CFO",
        justification="Covered by the cyber policy.",
        review_by="2027-06-30",
        transferred_to="Beazley (cyber insurance)",
    )
    return data


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("regulated")
    data = regulated(minimal())
    (root / "trustdocs.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def text(project_dir: Path) -> str:
    project = load_project(project_dir, today=TODAY).project
    reader = PdfReader(io.BytesIO(SECURITY.render(project)))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize(
    "printed",
    [
        "Clinic network Operated by the customer",
        "On-premises sync agent → Notes API",
        "X.509 certificate IPsec",
        "Pre-shared key Local (never leaves the host)",
        "Patient records",
        "PHI (HIPAA)",
        "Cardholder data (PCI DSS)",
        "Beacon Health Cloud, Inc. BAA signed",
        "EU–US Data Privacy Framework",
        "HIPAA business associate agreement Offered to customers",
        "HIPAA (United States) Business associate",
        "EU GDPR Processor EU Standard Contractual Clauses",
        "US United States United States",
        "to Beazley (cyber insurance)",
    ],
)
def test_the_document_prints_each_new_field(text: str, printed: str) -> None:
    assert printed in text


def test_the_check_treats_local_flows_and_the_customers_zone_correctly(project_dir: Path) -> None:
    project = load_project(project_dir, today=TODAY).project
    ids = {f.id for f in analyse_threat_model(project, TODAY).active}
    # The local flow stays in the VPC (no TD-FLOW-012) and is not unencrypted; the customer's agent is not
    # asked for the vendor's audit log (TD-PROC-001/002) nor flagged as an entity inside a boundary.
    rule_findings = {i for i in ids if i.startswith("TD-")}
    assert not {i for i in rule_findings if i.endswith((":f-api-scanner", ":agent"))}, rule_findings


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["security"]["controls"][0].update(frameworks={"soc2": ["CC6.1", "CC99"]}),
            "security.controls[0].frameworks.soc2[1]: expected a SOC 2 trust services criterion such as CC6.1, A1.2, "
            "C1.1, PI1.3 or P4.2, found 'CC99'",
        ),
        (
            lambda d: d["security"]["controls"][0].update(frameworks={"iso27001": ["A.5.38"]}),
            "security.controls[0].frameworks.iso27001[0]: expected an ISO/IEC 27001:2022 Annex A control such as "
            "A.5.15 or A.8.24 (A.5.1–A.5.37, A.6.1–A.6.8, A.7.1–A.7.14, A.8.1–A.8.34), found 'A.5.38'",
        ),
        (
            lambda d: d["security"]["controls"][0].update(frameworks={"csa_ccm": ["IAM-2"]}),
            "security.controls[0].frameworks.csa_ccm[0]: expected a CSA CCM v4 control ID such as IAM-02 (domain A&A, "
            "AIS, BCR, CCC, CEK, DCS, DSP, GRC, HRS, IAM, IPY, IVS, LOG, SEF, STA, TVM or UEM, then two digits), "
            "found 'IAM-2'",
        ),
        (
            lambda d: d["threat_model"]["threats"][0].update(
                status="transferred", owner="CFO", justification="x", review_by="2027-01-01"
            ),
            "threat_model.threats[0]: a threat with status 'transferred' needs 'transferred_to' (the party that "
            "carries the risk)",
        ),
    ],
)
def test_invalid_security_fields_are_reported_on_their_line(tmp_path: Path, change, message: str) -> None:
    data = minimal()
    change(data)
    (tmp_path / "trustdocs.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_project(tmp_path, today=TODAY)
    lines = [re.sub(r"^\S+:\d+:\d+: ", "", str(p)) for p in raised.value.problems]
    assert lines == [message]


def test_a_local_flow_is_drawn_as_local_not_unencrypted(project_dir: Path) -> None:
    from trustdocs.render.diagrams import describe_system

    project = load_project(project_dir, today=TODAY).project
    edge = next(e for e in describe_system(project.architecture).edges if e.id == "f-api-scanner")
    assert (edge.label, edge.encrypted) == ("Unix socket (local)", True)


def test_check_reports_a_certification_no_control_maps_to() -> None:
    from trustdocs.analyse.compliance import certification_findings

    root = Path(__file__).resolve().parent
    sample = load_project(root.parent / "sample_inputs" / "acme", today=TODAY).project
    planted = load_project(root / "data" / "planted", today=TODAY).project  # controls without `frameworks`
    assert certification_findings(sample.security) == []
    assert [(f.id, f.message) for f in certification_findings(planted.security)] == [
        (
            "HYG-CERT-UNMAPPED:soc2",
            "certification 'soc2' (SOC 2 Type II) is claimed, but no control maps to the "
            "SOC 2 trust services criteria (add frameworks.soc2 to the controls it covers)",
        ),
        (
            "HYG-CERT-UNMAPPED:iso27001",
            "certification 'iso27001' (ISO/IEC 27001:2022) is claimed, but no control "
            "maps to the ISO/IEC 27001:2022 Annex A (add frameworks.iso27001 to the "
            "controls it covers)",
        ),
    ]
