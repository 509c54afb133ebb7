"""The format reference (docs/format.md): every section and field, written out from the JSON Schemas."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from trustdocs.validate.editor_schemas import EDITOR_SCHEMAS, SCHEMA_LINE
from trustdocs.validate.schemas import load_schema, ref_target, subschemas

COMMON = "common"
ROOT = "project"
OTHER_FILES: tuple[tuple[str, str], ...] = (
    ("customer", "Customer file"),
    ("deposit_log", "Escrow deposit log"),
)
"""The schemas of files that are not sections of the project, with their headings."""

SCHEMA_FILES: dict[str, str] = {
    "project": "trustdocs.yaml",
    "part": "legal/sla.yaml",
    "customer": "customers/globex.yaml",
    "deposit-log": "legal/escrow-deposits.yaml",
}
"""A file of each kind in the sample, to show the schema line relative to it."""

_PAREN_EXAMPLE = re.compile(r"\s*\(e\.g\.,?\s+(?P<example>[^()]+)\)")
_TAIL_EXAMPLE = re.compile(r"(,?\s*\be\.g\.,?|(?<=\.)\s*Examples?:)\s+(?P<example>.+?)\.?$")


@dataclass(frozen=True)
class Field:
    """One row of a reference table: a property of an object, as a reader needs it."""

    name: str
    required: bool
    type: str
    allowed: str
    default: str
    description: str
    example: str
    wants_example: bool
    """False for a mapping or a list of mappings, whose example is the table of its own fields."""


def format_reference() -> str:
    """The whole of docs/format.md, from the schemas trustdocs ships (deterministic: same schemas, same text)."""
    writer = _Writer()
    return writer.document()


def fields_without_example() -> list[str]:
    """Every field (as schema:Type.field) whose row would show no example: a value without an enumeration,
    a boolean, an `examples` entry or an "e.g." at the end of its description (mappings are exempt)."""
    missing = []
    for name in (ROOT, *(schema for _, schema in sections()), *(n for n, _ in OTHER_FILES)):
        schema = load_schema(name)
        objects = [("", schema)] + [(d, v) for d, v in schema.get("$defs", {}).items() if _is_object(v)]
        for def_name, node in objects:
            for f in _fields(name, node):
                if not f.example and f.wants_example:
                    missing.append(f"{name}:{def_name}.{f.name}" if def_name else f"{name}:{f.name}")
    return missing


def sections() -> list[tuple[str, str]]:
    """The project's top-level sections as (key, schema name), in the order the project schema lists them."""
    found = []
    for key, node in load_schema(ROOT)["properties"].items():
        if isinstance(node.get("$ref"), str):
            target, pointer = ref_target(node["$ref"], ROOT)
            if pointer in ("", "/"):
                found.append((key, target))
    return found


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def document(self) -> str:
        root = load_schema(ROOT)
        self.lines += [
            "# The trustdocs input format",
            "",
            "<!-- Generated from the JSON Schemas in schemas/ by `make docs` (scripts/format_reference.py). "
            "Do not edit by hand. -->",
            "",
            "A project is a folder with a root file, `trustdocs.yaml`, holding the top-level sections below; "
            "it may move any of them into other files it lists under `include`. Customer files and the escrow "
            'deposit log are separate files. Every key is exact: an unknown key is an error, with a "did you '
            'mean" when a known key is close. A field marked *required* must be given; any other may be left '
            "out, and then takes the default shown.",
            "",
            "## Contents",
            "",
            "- [Files and editor schemas](#files-and-editor-schemas)",
            "- [The root file](#the-root-file)",
            *[
                f"- [`{section}`](#{section}): {_first_sentence(_description(root['properties'][section]))}"
                for section, _ in sections()
            ],
            *[f"- [{heading}](#{_slug(heading)})" for _, heading in OTHER_FILES],
            "- [Value types](#value-types)",
            "",
        ]
        self._files()
        self._root(root)
        for section, schema in sections():
            self._schema(
                schema,
                f"`{section}`",
                _description(root["properties"][section]),
                required=section in root.get("required", []),
            )
        for name, heading in OTHER_FILES:
            self._schema(name, heading, load_schema(name).get("description", ""), required=None)
        self._value_types()
        return "\n".join(self.lines).rstrip("\n") + "\n"

    # --- sections of the document ---------------------------------------------------------------------

    def _files(self) -> None:
        self.lines += [
            "## Files and editor schemas",
            "",
            "`trustdocs schema --dir .` writes one self-contained JSON Schema per kind of file into the project "
            "folder. The first line of each YAML file names its schema, relative to that file, for "
            "yaml-language-server (VS Code's YAML extension and others):",
            "",
            "| File | Schema | First line (in the sample) |",
            "|---|---|---|",
        ]
        for entry in EDITOR_SCHEMAS:
            example = SCHEMA_FILES[entry.kind]
            prefix = "../" * example.count("/") or "./"
            self.lines.append(
                f"| {_cell(entry.describes)} | `{entry.file_name}` | "
                f"`{example}`: `{SCHEMA_LINE}{prefix}{entry.file_name}` |"
            )
        self.lines.append("")

    def _root(self, root: dict[str, Any]) -> None:
        self.lines += ["## The root file", "", _cell(root.get("description", "")), ""]
        self._table(self.fields(ROOT, root), ROOT)

    def _schema(self, name: str, heading: str, description: str, *, required: bool | None) -> None:
        schema = load_schema(name)
        self.lines += [f"## {heading}", ""]
        if required is not None:
            kind = "A required" if required else "An optional"
            self.lines += [f"{kind} top-level section. {_cell(schema.get('description') or description)}", ""]
        else:
            self.lines += [_cell(description), ""]
        if schema.get("type") == "object":
            self._table(self.fields(name, schema), name)
        else:
            self.lines += [f"A {_type(schema, name)}.", ""]
        example = _starter_example(name)
        if example is not None:
            where, text = example
            self.lines += [
                f"Example, from the starter project `trustdocs init` writes (`{where}`):",
                "",
                "```yaml",
                text,
                "```",
                "",
            ]
        for def_name in _defs_in_order(name):
            definition = schema["$defs"][def_name]
            if not _is_object(definition):
                continue
            self.lines += [f"### {_def_heading(name, def_name)}", "", _cell(definition.get("description", "")), ""]
            if definition.get("x-expected") and "anyOf" in definition:
                self.lines += [f"Give {definition['x-expected']}.", ""]
            self._table(self.fields(name, definition), name)

    def _value_types(self) -> None:
        common = load_schema(COMMON)
        self.lines += [
            "## Value types",
            "",
            _cell(common.get("description", "")),
            "",
            "| Type | Written as | Allowed values | Example |",
            "|---|---|---|---|",
        ]
        for def_name, definition in common["$defs"].items():
            description, example = _split_example(definition)
            self.lines.append(
                f'| <a id="type-{def_name}"></a>`{def_name}` | {_cell(description)} | '
                f"{_cell(_allowed(definition, COMMON))} | {example} |"
            )
        self.lines.append("")

    def _table(self, fields: list[Field], within: str) -> None:
        if not fields:
            self.lines += ["No fields.", ""]
            return
        self.lines += [
            "| Field | Type | Allowed values | Default | Description | Example |",
            "|---|---|---|---|---|---|",
        ]
        for f in fields:
            name = f"`{f.name}` *(required)*" if f.required else f"`{f.name}`"
            self.lines.append(
                f"| {name} | {f.type} | {_cell(f.allowed)} | {_code(f.default)} | "
                f"{_cell(f.description)} | {f.example} |"
            )
        self.lines.append("")

    # --- one object's rows ------------------------------------------------------------------------------

    def fields(self, name: str, schema: dict[str, Any]) -> list[Field]:
        return _fields(name, schema)


def _fields(name: str, schema: dict[str, Any], prefix: str = "") -> list[Field]:
    """The rows of an object's properties; a mapping written in place (not a named type) adds its own fields
    as `parent.field` rows, and a list of such mappings as `parent[].field`."""
    required = set(schema.get("required", []))
    rows = []
    for prop, node in (schema.get("properties") or {}).items():
        wants = needs_example(node, name)
        if wants:
            description, example = _split_example(node)
            example = example or _target_example(node, name)
        else:
            description, example = " ".join(_description(node).split()), ""
        rows.append(
            Field(
                name=prefix + prop,
                required=prop in required,
                type=_type(node, name),
                allowed=_allowed(node, name),
                default=_literal(node["default"]) if "default" in node else "",
                description=description,
                example=example,
                wants_example=wants,
            )
        )
        items = node.get("items")
        if _is_object(node):
            rows += _fields(name, node, f"{prefix}{prop}.")
        elif node.get("type") == "array" and isinstance(items, dict) and _is_object(items):
            rows += _fields(name, items, f"{prefix}{prop}[].")
    return rows


# --- types, allowed values and examples ---------------------------------------------------------------------


def _type(node: dict[str, Any], within: str) -> str:
    """How a reader writes the value, linking to the table of an object type or a value type."""
    if "$ref" in node:
        target, pointer = ref_target(node["$ref"], within)
        resolved = _resolve(target, pointer)
        def_name = pointer.rsplit("/", 1)[-1]
        if target == COMMON and pointer.startswith("/$defs/"):
            return f"[{def_name}](#type-{def_name})"
        if _is_object(resolved) and pointer.startswith("/$defs/"):
            return f"[{def_name}](#{_slug(_def_heading(target, def_name))})"
        if _is_object(resolved):
            return f"[`{target}`](#{target})"
        return _type(resolved, target)
    if "enum" in node:
        return "text" if all(isinstance(v, str) for v in node["enum"]) else "value"
    if "const" in node:
        return "constant"
    kind = node.get("type")
    if kind == "array":
        items = node.get("items")
        inner = _type(items, within) if isinstance(items, dict) else "values"
        return f"list of {inner}"
    if kind == "object":
        return "mapping"
    names: dict[str, str] = {
        "string": "text",
        "number": "number",
        "integer": "whole number",
        "boolean": "true or false",
    }
    if isinstance(kind, str) and kind in names:
        return names[kind]
    if isinstance(kind, list):
        return " or ".join((names[k] if k in names else k) for k in kind)
    if "anyOf" in node or "oneOf" in node:
        return " or ".join(_type(option, within) for option in node.get("anyOf", node.get("oneOf", [])))
    return "any value"


def _allowed(node: dict[str, Any], within: str, *, wording: bool = True) -> str:
    """The values accepted beyond the type: an enumeration, a range, a list's length, a pattern's wording
    (left to the value types table for a value type's pattern)."""
    parts: list[str] = []
    if "$ref" in node:
        target, pointer = ref_target(node["$ref"], within)
        resolved = _resolve(target, pointer)
        if not _is_object(resolved):
            inner = _allowed(resolved, target, wording=wording and target != COMMON)
            if inner:
                parts.append(inner)
    if "enum" in node:
        parts.append("one of " + ", ".join(_literal(v) for v in node["enum"]))
    if "const" in node:
        parts.append("exactly " + _literal(node["const"]))
    low, high = node.get("minimum"), node.get("maximum")
    if low is not None and high is not None:
        parts.append(f"from {_number(low)} to {_number(high)}")
    elif low is not None:
        parts.append(f"at least {_number(low)}")
    elif high is not None:
        parts.append(f"at most {_number(high)}")
    if node.get("exclusiveMinimum") is not None:
        parts.append(f"more than {_number(node['exclusiveMinimum'])}")
    if node.get("exclusiveMaximum") is not None:
        parts.append(f"less than {_number(node['exclusiveMaximum'])}")
    if node.get("minLength"):
        parts.append("not empty" if node["minLength"] == 1 else f"at least {node['minLength']} characters")
    if node.get("minItems"):
        parts.append("at least one item" if node["minItems"] == 1 else f"at least {node['minItems']} items")
    if node.get("maxItems") is not None:
        parts.append(f"at most {node['maxItems']} items")
    if node.get("uniqueItems"):
        parts.append("each listed once")
    items = node.get("items")
    if node.get("type") == "array" and isinstance(items, dict):
        inner = _allowed(items, within, wording=wording)
        if inner:
            parts.append(f"each: {inner}")
    if wording and node.get("x-expected") and "pattern" in node:
        parts.append(re.sub(r"^(a|an) ", "", node["x-expected"]))
    return "; ".join(parts)


def _split_example(node: dict[str, Any]) -> tuple[str, str]:
    """The description and the field's example: its `examples` (as code), else the "e.g." its description ends
    with, moved out of the description (as text). An "e.g." in the middle of the text stays where it is."""
    description = " ".join(_description(node).split())
    if node.get("examples"):
        example = node["examples"][0]
        return description, _cell(example) if isinstance(example, str) else _code(_literal(example))
    if node.get("type") == "boolean":
        return description, ""
    paren = _PAREN_EXAMPLE.search(description)
    if paren is not None:
        rest = description[: paren.start()] + description[paren.end() :]
        return re.sub(r"\s+([.,;:])", r"\1", rest).strip(), _cell(paren.group("example"))
    tail = _TAIL_EXAMPLE.search(description)
    if tail is None or ". " in tail.group("example"):
        return description, ""
    example, _, after = tail.group("example").partition("; ")
    rest = description[: tail.start()].rstrip().rstrip(".")
    return (f"{rest}; {after}." if after else f"{rest}."), _cell(example)


def _target_example(node: dict[str, Any], within: str) -> str:
    """A field without its own example shows the one of its value type (a date, an enumeration's first value)."""
    if "enum" in node:
        return _code(_literal(node["enum"][0]))
    if node.get("type") == "boolean":
        return _code(_literal(not node.get("default", False)))
    if "$ref" in node:
        target, pointer = ref_target(node["$ref"], within)
        resolved = _resolve(target, pointer)
        if not _is_object(resolved):
            return _split_example(resolved)[1] or _target_example(resolved, target)
    items = node.get("items")
    if node.get("type") == "array" and isinstance(items, dict) and not _is_object_ref(items, within):
        return _split_example(items)[1] or _target_example(items, within)
    return ""


def needs_example(node: dict[str, Any], within: str) -> bool:
    """Whether a field's row should show an example: everything but a mapping or a list of mappings, whose
    example is the table of its own fields."""
    if "$ref" in node:
        target, pointer = ref_target(node["$ref"], within)
        resolved = _resolve(target, pointer)
        return _is_object(resolved) is False and needs_example(resolved, target)
    if node.get("type") == "object":
        return False
    items = node.get("items")
    return not (node.get("type") == "array" and isinstance(items, dict) and _is_object_ref(items, within))


def _is_object_ref(node: dict[str, Any], within: str) -> bool:
    if "$ref" not in node:
        return _is_object(node)
    target, pointer = ref_target(node["$ref"], within)
    return _is_object(_resolve(target, pointer))


def _starter_example(name: str) -> tuple[str, str] | None:
    """The starter's text of the section (or the customer file) `name`: its file and the YAML, without the
    file's opening comments."""
    from trustdocs.starter import starter_files

    key = {"deposit_log": "deposits"}.get(name, name)
    for relative, data in starter_files():
        if not relative.endswith(".yaml"):
            continue
        lines = data.decode("utf-8").splitlines()
        starts = [i for i, line in enumerate(lines) if line == f"{key}:" or line.startswith(f"{key}: ")]
        if not starts:
            continue
        end = next((i for i in range(starts[0] + 1, len(lines)) if lines[i][:1] not in ("", " ")), len(lines))
        body = lines[starts[0] : end]
        while body and (not body[-1].strip() or body[-1].lstrip().startswith("#") and body[-1][:1] == "#"):
            body.pop()
        if len(body) > 1 or name == "deposit_log":
            return relative, "\n".join(body)
    return None


# --- small helpers ------------------------------------------------------------------------------------------


def _resolve(name: str, pointer: str) -> dict[str, Any]:
    node: Any = load_schema(name)
    for part in [p for p in pointer.split("/") if p]:
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node  # type: ignore[no-any-return]


def _is_object(node: dict[str, Any]) -> bool:
    return node.get("type") == "object" and "properties" in node


def _defs_in_order(name: str) -> list[str]:
    """The schema's object types in the order a reader meets them: breadth first from the root."""
    schema = load_schema(name)
    defs = schema.get("$defs", {})
    order: list[str] = []
    pending: list[Any] = [schema]
    while pending:
        node = pending.pop(0)
        for ref in _local_refs(node, name):
            if ref in defs and ref not in order:
                order.append(ref)
                pending.append(defs[ref])
    return order + [d for d in defs if d not in order]


def _local_refs(schema: Any, name: str) -> list[str]:
    """The names of the schema's own `$defs` that `schema` refers to, in the order they appear."""
    found: list[str] = []
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        target, pointer = ref_target(schema["$ref"], name)
        if target == name and pointer.startswith("/$defs/"):
            found.append(pointer.split("/")[2])
    for key, inner in schema.items() if isinstance(schema, dict) else ():
        if key == "$defs":
            continue
        for sub in subschemas({key: inner}):
            found += _local_refs(sub, name)
    return found


def _def_heading(name: str, def_name: str) -> str:
    return f"{def_name} ({name})"


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    return re.sub(r"[^a-z0-9 _-]", "", heading.lower()).replace(" ", "-")


def _description(node: dict[str, Any]) -> str:
    return str(node.get("description", ""))


def _first_sentence(text: str) -> str:
    return text.split(". ")[0].rstrip(".") + "."


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return value if value else '""'
    return json.dumps(value, ensure_ascii=False)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _code(text: str) -> str:
    if not text:
        return ""
    text = " ".join(text.split()).replace("|", "\\|")
    return f"``{text}``" if "`" in text else f"`{text}`"
