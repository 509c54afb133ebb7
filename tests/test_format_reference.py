"""docs/format.md: generated from the JSON Schemas, complete, and failing this test when the two drift."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest

from tests.conftest import REPO
from trustdocs.validate import format_reference as reference
from trustdocs.validate.schemas import SECTIONS, load_schema

DOC = REPO / "docs" / "format.md"
DOCUMENTED = ("project", *SECTIONS, "customer", "deposit_log")


def _rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| `")]


def test_the_committed_reference_is_what_the_schemas_give():
    # On failure: run `make docs` (python scripts/format_reference.py) and commit docs/format.md.
    assert DOC.read_text(encoding="utf-8") == reference.format_reference()


def test_the_reference_is_deterministic():
    assert reference.format_reference() == reference.format_reference()


def test_every_field_of_every_schema_has_a_row():
    text = DOC.read_text(encoding="utf-8")
    for name in DOCUMENTED:
        schema = load_schema(name)
        objects = [schema] + [d for d in schema.get("$defs", {}).values() if "properties" in d]
        for node in objects:
            for prop in node.get("properties", {}):
                assert f"| `{prop}`" in text, f"{name}: no row for {prop}"
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert [h for h in headings if h.startswith("## `")] == [f"## `{s}`" for s in SECTIONS]


def test_every_section_and_file_shows_the_starter_as_an_example():
    text = DOC.read_text(encoding="utf-8")
    shown = re.findall(
        r"Example, from the starter project `trustdocs init` writes \(`([^`]+)`\):\n\n```yaml\n(\w+):", text
    )
    assert shown == [
        ("trustdocs.yaml", "document"),
        ("architecture.yaml", "architecture"),
        ("security/programme.yaml", "security"),
        ("security/threats.yaml", "threat_model"),
        ("legal/sla.yaml", "sla"),
        ("legal/support.yaml", "support"),
        ("legal/incidents.yaml", "incidents"),
        ("legal/insurance.yaml", "insurance"),
        ("legal/indemnification.yaml", "indemnification"),
        ("legal/escrow.yaml", "escrow"),
        ("customers/example-customer.yaml", "customer"),
        ("legal/escrow-deposits.yaml", "deposits"),
    ]


def test_every_value_field_has_an_example():
    # On failure: add "examples": [...] (or end the description with "e.g. ...") in the schema.
    assert reference.fields_without_example() == []


def test_a_row_shows_type_allowed_values_default_description_and_example():
    rows = _rows(DOC.read_text(encoding="utf-8"))
    assert (
        "| `status` *(required)* | text | one of draft, in_review, approved |  | Where the documents are in "
        "review: 'draft', 'in_review' or 'approved'. Anything but approved prints a DRAFT watermark. | `draft` |"
    ) in rows
    assert (
        "| `review_cycle_months` | whole number | from 1 to 60 | `12` | How often the documents are reviewed, "
        "in months (1-60). | 12 for a yearly review |"
    ) in rows
    assert (
        "| `fixed_amount` | [money](#type-money) | at least 0 |  | A fixed cap in the section's currency, "
        "as a plain number. | 1000000 |"
    ) in rows
    assert (
        "| `components` *(required)* | list of [Component](#component-architecture) | at least one item |  | "
        in "\n".join(rows)
    )


def test_links_point_at_headings_and_value_types_that_exist():
    text = DOC.read_text(encoding="utf-8")
    anchors = {
        re.sub(r"[^a-z0-9 _-]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        for line in text.splitlines()
        if line.startswith("#")
    }
    anchors |= set(re.findall(r'<a id="([^"]+)"></a>', text))
    links = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert links and links - anchors == set()


def test_a_new_field_in_a_schema_shows_up_in_the_reference(monkeypatch):
    original = reference.load_schema

    def with_new_field(name: str) -> dict[str, Any]:
        schema = original(name)
        if name == "sla":
            schema["properties"]["status_page"] = {
                "description": "Where outages are posted, e.g. https://status.example.com.",
                "type": "string",
            }
        return schema

    monkeypatch.setattr(reference, "load_schema", with_new_field)
    text = reference.format_reference()
    assert "| `status_page` | text |  |  | Where outages are posted. | https://status.example.com |" in _rows(text)
    assert text != DOC.read_text(encoding="utf-8")


def test_the_script_checks_and_writes(tmp_path):
    out = tmp_path / "format.md"
    script = str(REPO / "scripts" / "format_reference.py")
    stale = subprocess.run([sys.executable, script, "--check", "-o", str(out)], capture_output=True, text=True)
    assert stale.returncode == 1
    assert stale.stderr == f"{out} is out of date with schemas/: run `make docs`\n"
    written = subprocess.run([sys.executable, script, "-o", str(out)], capture_output=True, text=True)
    assert written.returncode == 0 and written.stdout == f"wrote {out}\n"
    assert out.read_text(encoding="utf-8") == reference.format_reference()
    current = subprocess.run([sys.executable, script, "--check", "-o", str(out)], capture_output=True, text=True)
    assert current.returncode == 0


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("Unique severity id, e.g. sev1.", ("Unique severity id.", "sev1")),
        (
            "Ids of mitigations, e.g. [M-MFA]; a mitigated threat needs one.",
            ("Ids of mitigations; a mitigated threat needs one.", "[M-MFA]"),
        ),
        ('Postal code as text (e.g. "02139"), quoted.', ("Postal code as text, quoted.", '"02139"')),
        (
            "Registry, e.g. Registered in England no. 01234567.",
            ("Registry, e.g. Registered in England no. 01234567.", ""),
        ),
        ("An id. Example: api-gateway.", ("An id.", "api-gateway")),
    ],
)
def test_the_example_is_moved_out_of_a_description_only_when_it_ends_it(description, expected):
    assert reference._split_example({"description": description, "type": "string"}) == expected


def test_readme_links_the_reference_and_make_docs_regenerates_it():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "**[docs/format.md](docs/format.md)** is the format reference" in readme
    assert "make docs        # python scripts/format_reference.py; --check only reports whether it is current" in readme
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "docs: setup  ## Regenerate docs/format.md" in makefile
    assert "\t$(BIN)/python scripts/format_reference.py\n" in makefile


def test_a_mapping_written_in_place_lists_its_own_fields(monkeypatch):
    original = reference.load_schema

    def with_inline_object(name: str) -> dict[str, Any]:
        schema = original(name)
        if name == "sla":
            schema["properties"]["reporting"] = {
                "description": "How availability is reported.",
                "type": "object",
                "required": ["day"],
                "properties": {
                    "day": {"description": "Day of the month, e.g. 5.", "type": "integer", "minimum": 1},
                    "contacts": {
                        "description": "Who gets it.",
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"email": {"$ref": "common.json#/$defs/email", "description": "Address."}},
                        },
                    },
                },
            }
        return schema

    monkeypatch.setattr(reference, "load_schema", with_inline_object)
    rows = _rows(reference.format_reference())
    assert "| `reporting` | mapping |  |  | How availability is reported. |  |" in rows
    assert "| `reporting.day` *(required)* | whole number | at least 1 |  | Day of the month. | 5 |" in rows
    assert "| `reporting.contacts` | list of mapping |  |  | Who gets it. |  |" in rows
    assert "| `reporting.contacts[].email` | [email](#type-email) |  |  | Address. | security@example.com |" in rows


def test_the_sections_are_those_the_project_schema_lists(monkeypatch):
    assert [key for key, _ in reference.sections()] == list(SECTIONS)
    original = reference.load_schema

    def without_escrow(name: str) -> dict[str, Any]:
        schema = original(name)
        if name == "project":
            del schema["properties"]["escrow"]
        return schema

    monkeypatch.setattr(reference, "load_schema", without_escrow)
    text = reference.format_reference()
    assert "## `escrow`" not in text and "## `indemnification`" in text
