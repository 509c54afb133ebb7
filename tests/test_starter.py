"""`trustdocs init`: a commented starter with every section, split across files, that validates and builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from pypdf import PdfReader

from trustdocs.build import build_project
from trustdocs.cli import main
from trustdocs.load.yaml_source import parse_yaml
from trustdocs.project import load_project
from trustdocs.starter import starter_files
from trustdocs.summary import summarise
from trustdocs.validate import schemas
from trustdocs.validate.editor_schemas import EDITOR_SCHEMAS, SCHEMA_LINE, editor_schema, editor_schema_text

YAML_FILES = [
    "architecture.yaml",
    "customers/example-customer.yaml",
    "legal/escrow-deposits.yaml",
    "legal/escrow.yaml",
    "legal/incidents.yaml",
    "legal/indemnification.yaml",
    "legal/insurance.yaml",
    "legal/sla.yaml",
    "legal/support.yaml",
    "security/programme.yaml",
    "security/threats.yaml",
    "trustdocs.yaml",
]
SCHEMA_FILES = sorted(entry.file_name for entry in EDITOR_SCHEMAS)


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    target = tmp_path_factory.mktemp("init") / "new" / "project"
    result = CliRunner().invoke(main, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Created a starter project in {target} (16 files). Next: trustdocs validate {target}\n"
    return target


def test_init_writes_the_split_project_and_its_editor_schemas(starter):
    written = sorted(p.relative_to(starter).as_posix() for p in starter.rglob("*") if p.is_file())
    assert written == sorted(YAML_FILES + SCHEMA_FILES)
    assert [name for name, _ in starter_files()] == sorted(YAML_FILES + SCHEMA_FILES)
    for entry in EDITOR_SCHEMAS:
        assert (starter / entry.file_name).read_text(encoding="utf-8") == editor_schema_text(entry.kind)


def test_the_root_includes_every_section_file(starter):
    data, _ = parse_yaml((starter / "trustdocs.yaml").read_bytes(), "trustdocs.yaml")
    assert data["include"] == [
        "architecture.yaml",
        "security/programme.yaml",
        "security/threats.yaml",
        "legal/sla.yaml",
        "legal/support.yaml",
        "legal/incidents.yaml",
        "legal/insurance.yaml",
        "legal/indemnification.yaml",
        "legal/escrow.yaml",
    ]


@pytest.mark.parametrize("relative", YAML_FILES)
def test_each_file_is_commented_and_valid_against_the_schema_its_first_line_names(starter, relative):
    path = starter / relative
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith(SCHEMA_LINE)
    schema_file = (path.parent / lines[0][len(SCHEMA_LINE) :]).resolve()
    assert schema_file.is_file() and schema_file.parent == starter.resolve()
    kind = {entry.file_name: entry.kind for entry in EDITOR_SCHEMAS}[schema_file.name]
    comments = [line for line in lines[1:] if line.lstrip().startswith("#") or " # " in line]
    assert len(comments) >= 2, f"{relative} should explain what it holds"
    data, _ = parse_yaml(path.read_bytes(), relative)
    validator = Draft202012Validator(editor_schema(kind), format_checker=schemas.format_checker())
    assert [e.message for e in validator.iter_errors(data)] == []


def test_the_starter_validates_strictly_with_every_section(starter):
    result = load_project(starter, strict=True)
    assert result.warnings == ()
    project = result.project
    for section in (
        "document",
        "architecture",
        "security",
        "threat_model",
        "sla",
        "support",
        "insurance",
        "indemnification",
        "escrow",
    ):
        assert getattr(project, section) is not None, section
    assert len(project.incidents) == 1
    assert project.escrow is not None and project.escrow.deposits == ()
    assert summarise(project) == (
        "3 components, 1 trust boundary, 2 data flows, 3 threats, 2 services, 1 incident, 3 insurance policies"
    )


def test_the_starter_customer_file_applies(starter):
    result = load_project(starter, starter / "customers" / "example-customer.yaml", strict=True)
    assert result.warnings == ()
    assert result.project.customer is not None
    assert result.project.customer.legal_name == "Example Customer Inc."


def test_the_starter_builds_documents_that_name_its_product(starter, tmp_path):
    outputs = build_project(load_project(starter, strict=True).project, tmp_path / "out")
    pdfs = sorted(o.path for o in outputs if str(o.path).endswith(".pdf"))
    assert [str(p) for p in pdfs] == [
        "escrow-procedure.pdf",
        "indemnification-addendum.pdf",
        "insurance-summary.pdf",
        "security-document.pdf",
        "service-performance-report.pdf",
        "sla-addendum.pdf",
    ]
    for pdf in pdfs:
        text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "out" / pdf).pages)
        assert "Example Product" in text and "Example Ltd" in text, pdf
        assert "trustdocs" not in text.lower(), pdf


def test_a_missing_deposit_log_says_how_to_create_it(runner, tmp_path):
    target = tmp_path / "p"
    assert runner.invoke(main, ["init", str(target)]).exit_code == 0
    (target / "legal" / "escrow-deposits.yaml").unlink()
    result = runner.invoke(main, ["validate", str(target)])
    assert result.exit_code == 1
    line = next(
        i
        for i, text in enumerate((target / "legal" / "escrow.yaml").read_text().splitlines(), 1)
        if text.startswith("  deposit_log:")
    )
    assert result.stderr.splitlines() == [
        f"{target}/legal/escrow.yaml:{line}:16: escrow.deposit_log: deposit log 'legal/escrow-deposits.yaml' not "
        "found; create it holding the line 'deposits: []' (trustdocs escrow deposit --project then appends each "
        "deposit to it), or remove escrow.deposit_log",
        "trustdocs: 1 error",
    ]


def test_init_refuses_a_directory_that_is_not_empty(runner, tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = runner.invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path} is not empty; init writes a new project into an empty or new "
        "directory (use --force to write the starter's files into it anyway)\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_force_writes_the_starter_and_keeps_other_files(runner, tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    (tmp_path / "trustdocs.yaml").write_text("old: true\n", encoding="utf-8")
    result = runner.invoke(main, ["init", str(tmp_path), "--force"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert (tmp_path / "trustdocs.yaml").read_text(encoding="utf-8").startswith(SCHEMA_LINE)
    assert runner.invoke(main, ["validate", str(tmp_path), "--strict"]).exit_code == 0


def test_init_into_an_empty_directory_needs_no_force(runner, tmp_path):
    assert runner.invoke(main, ["init", str(tmp_path)]).exit_code == 0


def test_init_help_explains_the_files_and_force(runner):
    result = runner.invoke(main, ["init", "--help"])
    text = " ".join(result.output.split())
    assert "every section, split across files" in text
    assert "must be empty: init refuses (exit 1) to write into a folder that holds anything, unless --force" in text
    assert "--force replaces only the files the starter writes and leaves every other file alone" in text


def test_init_where_a_folder_cannot_be_made_is_an_error_not_a_traceback(runner, tmp_path):
    (tmp_path / "file").write_text("x\n", encoding="utf-8")
    result = runner.invoke(main, ["init", str(tmp_path / "file" / "project")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: could not write {tmp_path}/file/project/architecture.yaml: Not a directory\n"
    assert runner.invoke(main, ["init", str(tmp_path / "file")]).exit_code == 2
