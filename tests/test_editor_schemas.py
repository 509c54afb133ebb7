"""The editor schemas `trustdocs schema` writes: self-contained, valid draft 2020-12, one per kind of file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from tests.conftest import SAMPLE
from trustdocs.cli import main
from trustdocs.load.yaml_source import parse_yaml
from trustdocs.validate import schemas
from trustdocs.validate.editor_schemas import EDITOR_SCHEMAS, KINDS, SCHEMA_LINE, editor_schema, editor_schema_text

SAMPLE_FILES = sorted(p.relative_to(SAMPLE).as_posix() for p in SAMPLE.rglob("*.yaml"))
FILE_NAMES = {entry.file_name: entry.kind for entry in EDITOR_SCHEMAS}


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in _refs(item)]
    return []


def _validator(kind: str) -> Draft202012Validator:
    """A validator that knows nothing but the one schema: any reference outside it fails."""
    return Draft202012Validator(editor_schema(kind), format_checker=schemas.format_checker(), registry=Registry())


def _errors(kind: str, data: Any) -> list[tuple[str, str]]:
    found = _validator(kind).iter_errors(data)
    return sorted((".".join(str(p) for p in e.absolute_path), e.message) for e in found)


def _schema_line(path: Path) -> str:
    """The schema a YAML file names in its yaml-language-server line, relative to the file."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith(SCHEMA_LINE)]
    assert len(lines) == 1, f"{path} should name its schema once"
    return lines[0][len(SCHEMA_LINE) :]


@pytest.mark.parametrize("kind", KINDS)
def test_each_schema_is_valid_draft_2020_12(kind):
    Draft202012Validator.check_schema(editor_schema(kind))
    assert editor_schema(kind)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("kind", KINDS)
def test_every_reference_is_local_and_resolves(kind):
    schema = editor_schema(kind)
    refs = sorted(set(_refs(schema)))
    assert refs and all(ref.startswith("#/") for ref in refs), [r for r in refs if not r.startswith("#/")]
    resolver = Registry().with_resource("urn:editor", DRAFT202012.create_resource(schema)).resolver("urn:editor")
    for ref in refs:
        resolver.lookup(ref)  # raises Unresolvable for a pointer that goes nowhere


def test_a_property_named_examples_has_its_reference_rewritten_too():
    severity = editor_schema("part")["$defs"]["support"]["$defs"]["Severity"]["properties"]
    assert severity["examples"]["$ref"] == "#/$defs/common/$defs/names"


def test_the_kinds_and_their_file_names():
    assert [(e.kind, e.file_name) for e in EDITOR_SCHEMAS] == [
        ("project", "trustdocs.schema.json"),
        ("part", "trustdocs-part.schema.json"),
        ("customer", "trustdocs-customer.schema.json"),
        ("deposit-log", "trustdocs-deposit-log.schema.json"),
    ]
    assert sorted(editor_schema("customer")["$defs"]) == ["common", "customer", "document", "indemnification", "sla"]
    assert sorted(editor_schema("deposit-log")["$defs"]) == ["common", "deposit_log"]


@pytest.mark.parametrize("relative", SAMPLE_FILES)
def test_every_sample_file_is_valid_against_the_schema_its_line_names(relative):
    path = SAMPLE / relative
    line = _schema_line(path)
    target = (path.parent / line).resolve()
    assert target.parent == SAMPLE.resolve(), f"{relative}: the schema line should point into the project folder"
    kind = FILE_NAMES[target.name]
    expected = {
        "trustdocs.yaml": "project",
        "customers/globex.yaml": "customer",
        "legal/escrow-deposits.yaml": "deposit-log",
    }.get(relative, "part")
    assert kind == expected
    data, _ = parse_yaml(path.read_bytes(), relative)
    assert _errors(kind, data) == []


def test_the_sample_merged_is_valid_against_the_root_schema_without_includes():
    merged: dict[str, Any] = {}
    for relative in SAMPLE_FILES:
        if relative not in ("customers/globex.yaml", "legal/escrow-deposits.yaml"):
            data, _ = parse_yaml((SAMPLE / relative).read_bytes(), relative)
            merged.update({k: v for k, v in data.items() if k != "include"})
    assert _errors("project", merged) == []
    del merged["security"]
    assert _errors("project", merged) == [("", "'security' is a required property")]


def test_an_included_file_holds_any_sections_and_requires_none():
    assert ("sla.services", "[] should be non-empty") in _errors("part", {"sla": {"services": []}})
    assert _errors("part", {}) == []
    assert _errors("part", {"include": ["legal/more.yaml"], "incidents": []}) == []
    assert _errors("part", {"slas": {}}) == [("", "Additional properties are not allowed ('slas' was unexpected)")]


def test_the_root_file_requires_the_main_sections_only_when_it_includes_nothing():
    assert _errors("project", {"include": ["architecture.yaml"]}) == []
    assert _errors("project", {"incidents": []}) == [
        ("", f"'{name}' is a required property") for name in ("architecture", "document", "security", "threat_model")
    ]


def test_schema_dir_writes_every_kind(runner, tmp_path):
    result = runner.invoke(main, ["schema", "--dir", str(tmp_path / "editor")])
    assert result.exit_code == 0, result.output
    for entry in EDITOR_SCHEMAS:
        written = (tmp_path / "editor" / entry.file_name).read_text(encoding="utf-8")
        assert written == editor_schema_text(entry.kind)
        assert json.loads(written) == editor_schema(entry.kind)
    assert result.stderr.splitlines()[1] == (
        f"Wrote {tmp_path / 'editor' / 'trustdocs-part.schema.json'} "
        "for a file the root includes (architecture.yaml, legal/sla.yaml, ...)"
    )


def test_schema_kind_prints_one(runner, tmp_path):
    printed = runner.invoke(main, ["schema", "--kind", "customer"])
    assert printed.exit_code == 0
    assert printed.stdout == editor_schema_text("customer")
    assert json.loads(printed.stdout)["title"] == schemas.load_schema("customer")["title"]


def test_schema_dir_with_kind_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["schema", "--dir", str(tmp_path), "--kind", "part"])
    assert result.exit_code == 2
    assert "--dir writes every kind; give it without --output and --kind" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_readme_gives_each_kind_its_schema_line_and_lists_the_commands():
    readme = (SAMPLE.parent.parent / "README.md").read_text(encoding="utf-8")
    for entry in EDITOR_SCHEMAS:
        prefix = "./" if entry.kind == "project" else "../"
        assert f"`{SCHEMA_LINE}{prefix}{entry.file_name}`" in readme
    assert "| `trustdocs init DIR [--force]` |" in readme
    assert (
        "| `trustdocs schema [--kind project\\|part\\|customer\\|deposit-log] [-o FILE]`, "
        "`trustdocs schema --dir DIR` |"
    ) in readme


def _language_server() -> str | None:
    server = os.environ.get("TRUSTDOCS_YAML_LANGUAGE_SERVER")
    if server is None and shutil.which("yaml-language-server"):
        bin_path = Path(shutil.which("yaml-language-server") or "").resolve()
        server = str(bin_path.parent.parent / "out" / "server" / "src" / "server.js")
    return server if server and Path(server).is_file() and shutil.which("node") else None


@pytest.mark.skipif(
    _language_server() is None,
    reason="needs node and yaml-language-server (set TRUSTDOCS_YAML_LANGUAGE_SERVER to its server.js)",
)
def test_yaml_language_server_loads_the_schemas_and_reports_errors(runner, tmp_path):
    project = tmp_path / "acme"
    shutil.copytree(SAMPLE, project)
    assert runner.invoke(main, ["schema", "--dir", str(project)]).exit_code == 0
    sla = project / "legal" / "sla.yaml"
    sla.write_text(sla.read_text(encoding="utf-8").replace("\n  services:", "\n  servics:", 1), encoding="utf-8")
    starter = tmp_path / "starter"
    assert runner.invoke(main, ["init", str(starter)]).exit_code == 0
    files = [str(project / relative) for relative in SAMPLE_FILES] + sorted(str(p) for p in starter.rglob("*.yaml"))
    run = subprocess.run(
        ["node", str(Path(__file__).parent / "data" / "yls_diagnostics.js"), str(_language_server()), *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    diagnostics = [line[len(str(tmp_path)) + 1 :] for line in run.stdout.splitlines()]
    assert diagnostics == [
        'acme/legal/sla.yaml:7:1: Missing property "services".',
        "acme/legal/sla.yaml:8:3: Property servics is not allowed.",
    ]
