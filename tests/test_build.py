"""`trustdocs build` end to end: outputs, manifest, determinism, atomic failure, refused references."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import MINIMAL, SAMPLE
from trustdocs import __version__
from trustdocs.cli import main
from trustdocs.render.cache import CACHE_DIRNAME


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    from click.testing import CliRunner

    runner = CliRunner()
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    # The first with its render cache (written to OUT/.trustdocs-cache), the second without one.
    for out, options in ((first, []), (second, ["--no-cache"])):
        result = runner.invoke(main, ["build", str(SAMPLE), "-o", str(out), *options])
        assert result.exit_code == 0, result.output
    return first, second


def _outputs(out: Path) -> list[Path]:
    """The files a build wrote into `out`, its render cache left out."""
    return sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file() and CACHE_DIRNAME not in p.parts)


def test_build_writes_the_documents_diagrams_and_manifest(two_builds):
    out, _ = two_builds
    names = [str(p) for p in _outputs(out)]
    for expected in (
        "security-document.pdf",
        "manifest.json",
        "diagrams/system.svg",
        "diagrams/system.png",
        "diagrams/boundary-app-subnet.svg",
        "diagrams/boundary-data-subnet.png",
    ):
        assert expected in names
    assert not [n for n in names if n.startswith(".") or "/." in n], "temporary files left behind"


def test_two_builds_are_byte_identical(two_builds):
    first, second = two_builds
    files = _outputs(first)
    assert files == _outputs(second)
    assert not (second / CACHE_DIRNAME).exists()
    assert [f for f in files if _sha(first / f) != _sha(second / f)] == []


def test_manifest_lists_every_output_and_input(two_builds):
    out, _ = two_builds
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["generator"] == {"name": "trustdocs", "version": __version__}
    listed = {entry["path"]: entry for entry in manifest["outputs"]}
    on_disk = {str(p) for p in _outputs(out)} - {"manifest.json"}
    assert set(listed) == on_disk
    for path, entry in listed.items():
        assert entry["sha256"] == _sha(out / path)
        assert entry["size"] == (out / path).stat().st_size
    inputs = {entry["path"]: entry["sha256"] for entry in manifest["inputs"]["files"]}
    assert inputs["trustdocs.yaml"] == _sha(SAMPLE / "trustdocs.yaml")
    assert inputs["security/threats.yaml"] == _sha(SAMPLE / "security" / "threats.yaml")
    assert "legal/escrow-deposits.yaml" in inputs


def test_every_pdf_passes_qpdf_check(two_builds):
    out, _ = two_builds
    for pdf in sorted(out.glob("*.pdf")):
        result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert result.returncode == 0, (pdf.name, result.stdout, result.stderr)
        assert "No syntax or stream encoding errors found" in result.stdout


def test_security_document_shows_every_threat_the_customer_may_read(two_builds):
    out, _ = two_builds
    text = "\n".join(page.extract_text() for page in PdfReader(out / "security-document.pdf").pages)
    import yaml

    threats = yaml.safe_load((SAMPLE / "security" / "threats.yaml").read_text(encoding="utf-8"))
    entries = threats["threat_model"]["threats"]
    shown = [t["id"] for t in entries if t.get("audience", "public") != "internal"]
    hidden = [t["id"] for t in entries if t.get("audience") == "internal"]
    assert [tid for tid in shown if tid not in text] == []
    assert hidden and [tid for tid in hidden if tid in text] == []


def _project_copy(tmp_path: Path, edit) -> Path:
    target = tmp_path / "proj"
    target.mkdir()
    text = MINIMAL.read_text(encoding="utf-8")
    (target / "trustdocs.yaml").write_text(edit(text), encoding="utf-8")
    return target


def test_a_failed_build_leaves_earlier_outputs_untouched(runner, tmp_path, monkeypatch):
    from trustdocs.errors import BuildError
    from trustdocs.render.documents import DocumentSpec

    project = _project_copy(tmp_path, lambda t: t)
    out = tmp_path / "out"
    assert runner.invoke(main, ["build", str(project), "-o", str(out)]).exit_code == 0
    before = {p: _sha(p) for p in out.rglob("*") if p.is_file()}
    (project / "trustdocs.yaml").write_text(
        (project / "trustdocs.yaml").read_text(encoding="utf-8").replace("Tiny Notes Ltd", "Tiny Notes plc"),
        encoding="utf-8",
    )

    def fail(spec, project):
        raise BuildError(f"{spec.filename}: rendering failed (simulated)")

    # The security document's HTML is built in this process (its parts go to the workers).
    monkeypatch.setattr(DocumentSpec, "pdf_job", fail)
    result = runner.invoke(main, ["build", str(project), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Error: security-document.pdf: rendering failed (simulated)"
    assert {p: _sha(p) for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        ("../../etc/passwd", "document.branding.logo: file '../../etc/passwd' is outside the project"),
        ("missing.png", "document.branding.logo: file 'missing.png' not found"),
        (
            "file:///etc/passwd",
            "document.branding.logo: expected a path relative to the project folder, using / "
            "(e.g. assets/logo.svg), found 'file:///etc/passwd'",
        ),
        (
            "https://cdn.example/logo.png",
            "document.branding.logo: expected a path relative to the project folder, "
            "using / (e.g. assets/logo.svg), found 'https://cdn.example/logo.png'",
        ),
    ],
)
def test_logo_references_outside_the_project_are_refused(runner, tmp_path, logo, message, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _project_copy(
        tmp_path,
        lambda t: t.replace("  product: Tiny Notes\n", f'  product: Tiny Notes\n  branding:\n    logo: "{logo}"\n'),
    )
    result = runner.invoke(main, ["build", "proj", "-o", "out"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"proj/trustdocs.yaml:5:11: {message}", "trustdocs: 1 error"]
    assert not (tmp_path / "out").exists()


def test_hostile_free_text_is_shown_literally(runner, tmp_path):
    hostile = '<img src="file:///etc/passwd"> and {{ 7*7 }} and <script>alert(1)</script>'
    project = _project_copy(
        tmp_path,
        lambda t: t.replace("      description: Attackers replay leaked passwords.", f"      description: '{hostile}'"),
    )
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(project), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out / "security-document.pdf").pages)
    assert '<img src="file:///etc/passwd">' in text
    assert "{{ 7*7 }}" in text
    assert "root:x:0:0" not in text


def test_quiet_build_prints_nothing(runner, tmp_path):
    project = _project_copy(tmp_path, lambda t: t)
    result = runner.invoke(main, ["build", str(project), "-o", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 0
    assert result.output == ""


def test_build_lists_what_it_wrote(runner, tmp_path):
    project = _project_copy(tmp_path, lambda t: t)
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(project), "-o", str(out)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert f"wrote {out / 'manifest.json'} ({(out / 'manifest.json').stat().st_size:,} bytes)" in lines
    shutil.rmtree(out)
