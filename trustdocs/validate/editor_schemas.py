"""The self-contained JSON Schemas for editors: one per kind of YAML file a project holds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from trustdocs.validate.schemas import bundled_schema

SCHEMA_LINE = "# yaml-language-server: $schema="
"""How a YAML file names its schema for yaml-language-server; the path after `=` is relative to the file."""


@dataclass(frozen=True)
class EditorSchema:
    """One kind of project YAML file and the schema file an editor checks it against."""

    kind: str
    file_name: str
    describes: str
    source: str
    """The shipped schema it is built from."""


EDITOR_SCHEMAS: tuple[EditorSchema, ...] = (
    EditorSchema("project", "trustdocs.schema.json", "the root file, trustdocs.yaml", "project"),
    EditorSchema(
        "part",
        "trustdocs-part.schema.json",
        "a file the root includes (architecture.yaml, legal/sla.yaml, ...)",
        "project",
    ),
    EditorSchema("customer", "trustdocs-customer.schema.json", "a customer file (customers/*.yaml)", "customer"),
    EditorSchema(
        "deposit-log", "trustdocs-deposit-log.schema.json", "the escrow deposit log (escrow.deposit_log)", "deposit_log"
    ),
)
"""Every kind, in the order `trustdocs schema --dir` lists them."""

KINDS: tuple[str, ...] = tuple(s.kind for s in EDITOR_SCHEMAS)


def editor_schema_for(kind: str) -> EditorSchema:
    """The kind named `kind`; ValueError names the known kinds."""
    for entry in EDITOR_SCHEMAS:
        if entry.kind == kind:
            return entry
    raise ValueError(f"no schema kind '{kind}' (known: {', '.join(KINDS)})")


def editor_schema(kind: str) -> dict[str, Any]:
    """The self-contained schema (draft 2020-12, every `$ref` local) for files of kind `kind`.

    The root file may split its sections over included files, so it must hold the required sections only
    when it includes nothing; an included file holds any of the top-level sections and requires none.
    """
    entry = editor_schema_for(kind)
    schema = bundled_schema(entry.source)
    if kind == "project":
        required = schema.pop("required", [])
        schema["description"] += (
            " When it includes no other file, it must hold the sections " + ", ".join(required) + "."
        )
        schema["if"] = {"not": {"required": ["include"]}}
        schema["then"] = {"required": required}
    elif kind == "part":
        schema.pop("required", None)
        schema["title"] = "trustdocs included file"
        schema["description"] = (
            "A YAML file listed in another file's 'include': any of the top-level sections "
            "of a project, each defined in one file only, and optionally 'include' itself."
        )
    return schema


def editor_schema_text(kind: str) -> str:
    """The schema of kind `kind` as the JSON text `trustdocs schema` writes: sorted keys, so it is stable."""
    return json.dumps(editor_schema(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
