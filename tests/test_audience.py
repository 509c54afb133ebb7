"""Audience: an internal item reaches no output file of a build or a packet; a public packet leaves out NDA items.

A copy of the sample gets a marker string in every item marked `audience: internal`, and more internal items
(each with the marker) in many lists of the model: a component with a flow and a threat that only concern it,
a data asset, a control, a subprocessor, a certification, a shared responsibility, a mitigation and a threat,
an insurance policy, an incident, a training offering, a roadmap commitment and an escalation level. Every
output is then searched for the marker, case-insensitively so that ids made from it are caught too: PDF text,
outline, metadata and attachments; and the raw bytes of SVG, PNG, CSV and JSON files and of each file inside
an XLSX.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from tests.conftest import SAMPLE
from trustdocs.cli import main
from trustdocs.project import load_project

MARKER = "INTERNAL-MARKER-7f3a"
MARKER_ID = MARKER.lower()
NDA_ONLY = "letter of attestation"
"""From the name of the sample's `audience: nda` certification, and nowhere else in the sample."""
TEXT_FIELDS = (
    "name",
    "title",
    "description",
    "purpose",
    "summary",
    "notes",
    "scope",
    "justification",
    "location",
    "carrier",
    "role",
    "contact",
    "technology",
    "after",
    "customer",
    "vendor",
    "area",
)


class _Dumper(yaml.SafeDumper):
    """Writes datetimes back as ISO 8601 with their offset, as the input format wants them."""


_Dumper.add_representer(
    dt.datetime, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())
)


def _edit(path: Path, change: Callable[[Any], int]) -> int:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    count = change(data)
    if count:
        path.write_text(
            yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8"
        )
    return count


def _mark_internal(node: Any) -> int:
    """Append the marker to the text fields of every item marked internal; returns how many were marked."""
    count = 0
    if isinstance(node, dict):
        if node.get("audience") == "internal":
            for key in TEXT_FIELDS:
                if isinstance(node.get(key), str):
                    node[key] = f"{node[key]} {MARKER}"
            count += 1
        count += sum(_mark_internal(value) for value in node.values())
    elif isinstance(node, list):
        count += sum(_mark_internal(value) for value in node)
    return count


def _internal(**item: Any) -> dict[str, Any]:
    return {**item, "audience": "internal"}


def _add_architecture(data: dict[str, Any]) -> int:
    arch = data["architecture"]
    arch["components"].append(
        _internal(
            id=MARKER_ID,
            name="Shadow ledger",
            kind="process",
            technology="Go",
            hosting="Amazon EKS",
            owner="Ledger Core team",
            description="An experimental service.",
        )
    )
    arch["trust_boundaries"][0]["boundaries"][0]["members"].append(MARKER_ID)
    arch["data_assets"].append(
        _internal(
            id=f"{MARKER_ID}-data",
            name="Shadow data",
            classification="confidential",
            description="Test data.",
            retention="Until the experiment ends",
        )
    )
    # Not internal itself: it leads to an internal component, so it must go as well.
    arch["data_flows"].append(
        {
            "id": f"{MARKER_ID}-flow",
            "source": "api",
            "destination": MARKER_ID,
            "protocol": f"gRPC {MARKER}",
            "port": 9443,
            "authentication": "mtls",
            "encryption": "mtls",
            "authorisation": f"Service role {MARKER}",
            "data": ["invoices"],
            "description": f"Flow {MARKER}.",
        }
    )
    return 2


def _add_security(data: dict[str, Any]) -> int:
    security = data["security"]
    security["controls"].append(
        _internal(
            id="CTL-MARKER",
            name="Shadow control",
            description="A control being trialled.",
            framework_refs=[f"ISO {MARKER}"],
        )
    )
    security["subprocessors"].append(
        _internal(name="Marker Analytics", purpose="Product analytics", location="Iceland", data=["telemetry"])
    )
    security["certifications"].append(
        _internal(
            id="marker-cert",
            name="Draft certification",
            auditor="An auditor",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 6, 30),
            scope="Everything",
            nda_only=False,
        )
    )
    security["shared_responsibilities"].append(_internal(area="Shadow area", vendor="Acme", customer="Customer"))
    return 4


def _add_threats(data: dict[str, Any]) -> int:
    model = data["threat_model"]
    model["mitigations"].append(
        _internal(id="M-MARKER", title="Shadow mitigation", description="Planned.", status="planned")
    )
    model["threats"].append(
        _internal(
            id="TM-098",
            title="Shadow threat",
            stride=["S"],
            targets=["api"],
            description="A threat.",
            likelihood="possible",
            impact="major",
            status="open",
            mitigations=["M-MARKER"],
            owner=f"Owner {MARKER}",
            ticket="SEC-999",
        )
    )
    # Not internal itself: its only target is internal, so it must go as well.
    model["threats"].append(
        {
            "id": "TM-099",
            "title": f"Threat to the shadow ledger {MARKER}",
            "stride": ["T"],
            "targets": [MARKER_ID],
            "description": f"Threat {MARKER}.",
            "likelihood": "possible",
            "impact": "major",
            "status": "open",
            "mitigations": [],
            "owner": "Ledger Core team",
            "ticket": "SEC-998",
        }
    )
    return 2


def _add_insurance(data: dict[str, Any]) -> int:
    data["insurance"]["policies"].append(
        _internal(
            id="marker-policy",
            type="crime",
            carrier="Marker Mutual",
            am_best_rating="A XV",
            basis="claims_made",
            period_start=dt.date(2026, 7, 1),
            period_end=dt.date(2027, 7, 1),
            per_claim_limit=1000000,
            aggregate_limit=1000000,
            retention=10000,
            notes="A policy being quoted.",
        )
    )
    return 1


def _add_incident(data: dict[str, Any]) -> int:
    data["incidents"].append(
        _internal(
            id="INC-2026-099",
            start=dt.datetime(2026, 2, 3, 10, 0, tzinfo=dt.UTC),
            end=dt.datetime(2026, 2, 3, 11, 0, tzinfo=dt.UTC),
            services=["api"],
            severity="sev1",
            summary="An outage under investigation.",
        )
    )
    return 1


def _add_support(data: dict[str, Any]) -> int:
    support = data["support"]
    support["training"].append(_internal(kind="webinars", name="Shadow webinar", description="A pilot."))
    support["roadmap"].append(_internal(name="Shadow roadmap", frequency="Weekly", description="A pilot."))
    support["escalation"].append(
        _internal(level=4, role="Shadow escalation", contact="shadow@acmeledger.example", after="Never")
    )
    return 3


ADDED = {
    "architecture.yaml": _add_architecture,
    "security/programme.yaml": _add_security,
    "security/threats.yaml": _add_threats,
    "legal/insurance.yaml": _add_insurance,
    "legal/incidents.yaml": _add_incident,
    "legal/support.yaml": _add_support,
}


def marked_copy(target: Path) -> int:
    """Copy the sample to `target`, add the internal items and mark every internal item; returns their count."""
    shutil.copytree(SAMPLE, target)
    added = sum(_edit(target / name, add) for name, add in ADDED.items())
    marked = sum(_edit(path, _mark_internal) for path in sorted(target.rglob("*.yaml")))
    original = sum(
        len(re.findall(r"^\s*audience: internal\s*$", path.read_text(encoding="utf-8"), re.M))
        for path in SAMPLE.rglob("*.yaml")
    )
    assert original >= 2 and marked == original + added
    return marked


# -- searching the outputs ----------------------------------------------------------------------


def _pdf_texts(data: bytes) -> dict[str, bytes]:
    """What a reader of the PDF can find: page text, outline, metadata, and each attached file."""
    reader = PdfReader(io.BytesIO(data))
    parts = {f"page {n}": page.extract_text().encode() for n, page in enumerate(reader.pages, start=1)}

    def titles(items: list[Any]) -> list[str]:
        return [t for item in items for t in (titles(item) if isinstance(item, list) else [item.title])]

    parts["outline"] = "\n".join(titles(reader.outline)).encode()
    parts["metadata"] = repr(dict(reader.metadata or {})).encode()
    for name, contents in reader.attachments.items():
        for data_ in contents:
            parts.update({f"attachment {name}: {k}": v for k, v in _contents(name, data_).items()})
    return parts


_EXTRACTED: dict[tuple[str, bytes], dict[str, bytes]] = {}
"""(name, SHA-256 of the data) -> _contents: the tests search the same outputs for several needles, and
extracting the text of a PDF is most of a search."""


def _contents(name: str, data: bytes) -> dict[str, bytes]:
    """Every part of a file a reader can find something in (read only: it is kept for the next search)."""
    key = (name, hashlib.sha256(data).digest())
    if key not in _EXTRACTED:
        _EXTRACTED[key] = _extracted(name, data)
    return _EXTRACTED[key]


def _extracted(name: str, data: bytes) -> dict[str, bytes]:
    if name.endswith(".pdf"):
        return _pdf_texts(data)
    if name.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {member: archive.read(member) for member in archive.namelist()}
    return {"bytes": data}


def leaks(folder: Path, needle: str) -> list[str]:
    """Every file (and part of it) under `folder` where `needle` is found, ignoring case."""
    pattern = re.compile(re.escape(needle).encode(), re.IGNORECASE)
    # Text extracted from a PDF may break a line anywhere, even inside the needle: compare without whitespace too.
    compact = re.compile(re.escape("".join(needle.split())).encode(), re.IGNORECASE)
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        for part, data in _contents(path.name, path.read_bytes()).items():
            if pattern.search(data) or compact.search(re.sub(rb"\s+", b"", data)):
                found.append(f"{path.relative_to(folder)} ({part})")
    return found


def _text_of(folder: Path) -> str:
    return " ".join(
        " ".join(data.decode("utf-8", "replace").split())
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix in (".pdf", ".csv")
        for data in _contents(path.name, path.read_bytes()).values()
    )


# -- the runs -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("audience") / "acme"
    marked_copy(root)
    return root


def _run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def nda_outputs(marked: Path) -> Path:
    out = marked.parent / "out-nda"
    customer = str(marked / "customers" / "globex.yaml")
    _run("build", str(marked), "--customer", customer, "-o", str(out / "build"), "--quiet")
    _run("packet", str(marked), "--customer", customer, "-o", str(out / "packet"), "--quiet")
    return out


@pytest.fixture(scope="module")
def public_outputs(marked: Path) -> Path:
    out = marked.parent / "out-public"
    _run(
        "packet",
        str(marked),
        "--customer",
        str(marked / "customers" / "globex.yaml"),
        "-o",
        str(out),
        "--audience",
        "public",
        "--quiet",
    )
    return out


def test_the_marked_items_are_in_the_model(marked: Path) -> None:
    """Without this the search below would prove nothing."""
    project = load_project(marked).project
    assert MARKER_ID in [c.id for c in project.architecture.components]
    assert f"{MARKER_ID}-flow" in [f.id for f in project.architecture.data_flows]
    internal = [s.name for s in project.security.subprocessors if s.audience == "internal"]
    assert internal == [f"Arctic Wolf Networks, Inc. {MARKER}", f"Marker Analytics {MARKER}"]
    assert "TM-099" in [t.id for t in project.threat_model.threats]
    assert leaks(marked, MARKER) != []


def test_every_kind_of_output_is_searched(nda_outputs: Path) -> None:
    suffixes = {path.suffix for path in nda_outputs.rglob("*") if path.is_file()}
    assert suffixes >= {".pdf", ".svg", ".png", ".json", ".csv", ".xlsx"}
    assert (nda_outputs / "packet" / "packet-globex.pdf").is_file()
    assert len(list((nda_outputs / "build").glob("*.pdf"))) >= 5


def test_no_internal_item_reaches_any_output(nda_outputs: Path) -> None:
    assert leaks(nda_outputs, MARKER) == []


def test_no_internal_item_reaches_a_public_packet(public_outputs: Path) -> None:
    assert leaks(public_outputs, MARKER) == []


def test_a_public_packet_leaves_out_nda_items(nda_outputs: Path, public_outputs: Path) -> None:
    assert NDA_ONLY in _text_of(nda_outputs / "packet")
    assert NDA_ONLY not in _text_of(public_outputs)
    assert leaks(public_outputs, NDA_ONLY) == []
