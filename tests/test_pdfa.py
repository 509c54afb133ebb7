"""PDF/A-3b: every document of a build carries the YAML it was built from and a manifest of it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GLOBEX, SAMPLE
from pdfa_check import AssociatedFile, check_pdfa

from trustdocs import __version__
from trustdocs.cli import main
from trustdocs.project import load_project
from trustdocs.render.associated_files import customer_file_name, readable_by

MANIFEST = "trustdocs-sources.json"
CUSTOMER = "customers/globex.yaml"
SOURCES = {
    # The security document's programme and threat files hold internal items, so only their hashes go in.
    "security-document.pdf": ["architecture.yaml", CUSTOMER, "trustdocs.yaml"],
    "sla-addendum.pdf": [CUSTOMER, "legal/sla.yaml", "legal/support.yaml", "trustdocs.yaml"],
    "service-performance-report.pdf": [CUSTOMER, "legal/incidents.yaml", "legal/sla.yaml", "trustdocs.yaml"],
    "insurance-summary.pdf": [CUSTOMER, "legal/insurance.yaml", "trustdocs.yaml"],
    "indemnification-addendum.pdf": [CUSTOMER, "legal/indemnification.yaml", "trustdocs.yaml"],
    "escrow-procedure.pdf": [CUSTOMER, "legal/escrow-deposits.yaml", "legal/escrow.yaml", "trustdocs.yaml"],
}
LISTED_ONLY = {"security-document.pdf": ["security/programme.yaml", "security/threats.yaml"]}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, warm_cache) -> Path:
    # From a warm render cache (the documents other modules read): test_a_rebuild_is_byte_identical builds
    # again from an empty one and compares every PDF with these.
    out = tmp_path_factory.mktemp("pdfa")
    cache = str(warm_cache(tmp_path_factory.mktemp("pdfa-cache") / "cache", GLOBEX))
    result = CliRunner().invoke(
        main, ["build", str(SAMPLE), "--customer", str(GLOBEX), "-o", str(out), "--cache-dir", cache, "-q"]
    )
    assert result.exit_code == 0, result.output
    return out


def _by_name(files: list[AssociatedFile]) -> dict[str, AssociatedFile]:
    return {f.name: f for f in files}


def test_every_pdf_of_a_build_is_pdfa_with_its_sources(built: Path) -> None:
    assert sorted(p.name for p in built.glob("*.pdf")) == sorted(SOURCES)
    for filename, sources in SOURCES.items():
        files = _by_name(check_pdfa(built / filename))
        assert sorted(files) == sorted([*sources, MANIFEST]), filename
        for name in sources:
            assert files[name].relationship == "/Source" and files[name].mime_type == "/application/yaml"
            assert files[name].data == (SAMPLE / name).read_bytes(), f"{filename}: {name}"
        manifest = files[MANIFEST]
        assert (manifest.relationship, manifest.mime_type) == ("/Data", "/application/json")
        listed = json.loads(manifest.data)
        assert listed["document"] == filename and listed["trustdocs_version"] == __version__
        expected = sorted([*sources, *LISTED_ONLY.get(filename, [])])
        assert [f["path"] for f in listed["files"]] == expected
        for entry in listed["files"]:
            data = (SAMPLE / entry["path"]).read_bytes()
            assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["size"] == len(data)
            assert entry["embedded"] is (entry["path"] in sources)


def test_internal_items_keep_a_file_out_of_a_customer_document() -> None:
    text = b"security:\n  controls:\n    - id: a\n    - id: b\n      audience: internal\n"
    assert not readable_by(text, "nda")
    assert readable_by(text, "internal")
    assert readable_by(b"security:\n  controls:\n    - id: a\n      audience: nda\n", "nda")
    assert not readable_by(b"security:\n  controls:\n    - id: a\n      audience: nda\n", "public")


def test_a_rebuild_is_byte_identical(built: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "--customer", str(GLOBEX), "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    for filename in SOURCES:
        assert (tmp_path / filename).read_bytes() == (built / filename).read_bytes(), filename


def test_the_internal_review_is_pdfa_and_embeds_every_yaml_file(shared_output) -> None:
    # The build tests/test_customer_document_leaks.py reads too, made once per run.
    internal = shared_output("sample-internal", "build", str(SAMPLE), "--audience", "internal", "-q")
    files = _by_name(check_pdfa(internal.out / "internal-review.pdf"))
    yaml_files = sorted(
        p.relative_to(SAMPLE).as_posix() for p in SAMPLE.rglob("*.yaml") if p.parent.name != "customers"
    )
    assert sorted(files) == sorted([*yaml_files, MANIFEST])
    assert files["security/threats.yaml"].data == (SAMPLE / "security/threats.yaml").read_bytes()
    assert all(entry["embedded"] for entry in json.loads(files[MANIFEST].data)["files"])


def test_a_customer_file_outside_the_project_is_named_under_customer(tmp_path: Path) -> None:
    outside = tmp_path / "globex-terms.yaml"
    outside.write_bytes(GLOBEX.read_bytes())
    project = load_project(SAMPLE, outside).project
    assert customer_file_name(project) == "customer/globex-terms.yaml"
    assert customer_file_name(load_project(SAMPLE, GLOBEX).project) == "customers/globex.yaml"
    assert customer_file_name(load_project(SAMPLE).project) is None
