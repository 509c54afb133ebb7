"""Tests for trustdocs.validate.schema_check: JSON Schema errors as located, fixed-pattern messages."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from trustdocs.load import parse_yaml
from trustdocs.validate.schema_check import schema_problems

DATE = {
    "type": "string",
    "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
    "x-expected": "a date (YYYY-MM-DD)",
}

COMPONENT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "kind"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "kind": {"enum": ["external_entity", "process", "data_store"]},
        "technology": {"type": "string"},
        "port": {"type": "integer", "minimum": 1, "maximum": 65535},
    },
}

TARGET = {
    "anyOf": [
        {"type": "string", "pattern": "^[0-9]+(m|h)$", "x-expected": "a target such as '30m' or '4h'"},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["hours"],
            "properties": {"hours": {"type": "number", "exclusiveMinimum": 0}},
        },
    ]
}

CONTROL = {
    "oneOf": [
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["kind", "standard"],
            "properties": {"kind": {"const": "certification"}, "standard": {"type": "string"}},
        },
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["kind", "tool"],
            "properties": {"kind": {"const": "scan"}, "tool": {"type": "string"}, "weekly": {"type": "boolean"}},
        },
    ]
}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["owner"],
    "properties": {
        "owner": {"type": "string", "minLength": 1},
        "uptime": {"type": "number", "minimum": 90, "maximum": 100},
        "effective": DATE,
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "fee": {"type": "number", "multipleOf": 0.01},
        "tags": {"type": "array", "minItems": 1, "maxItems": 3, "uniqueItems": True, "items": {"type": "string"}},
        "public": {"type": "boolean"},
        "version": {"const": 2},
        "code": {"type": "string", "maxLength": 4},
        "target": TARGET,
        "controls": {"type": "array", "items": CONTROL},
        "components": {"type": "array", "items": COMPONENT},
        "labels": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z]+$", "x-expected": "lower-case letters"},
            "additionalProperties": {"type": "string"},
        },
        "contact": {
            "type": "object",
            "properties": {"email": {"type": "string"}, "phone": {"type": "string"}},
            "dependentRequired": {"phone": ["email"]},
        },
        "retired": False,
        "notes": {"not": {"type": "null"}},
        "limits": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": False,
            "properties": {k: {"type": "integer"} for k in "abcdefghi"},
        },
    },
}

VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def problems(text: str, *, data_key: str | None = None) -> list[str]:
    data, positions = parse_yaml(text.encode(), "t.yaml")
    if data_key is None:
        return [str(p) for p in schema_problems(VALIDATOR, data, positions)]
    return [str(p) for p in schema_problems(VALIDATOR, data[data_key], positions, prefix=(data_key,))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # unknown keys: at the key, with a suggestion, the allowed keys, or nothing when there are many
        (
            "owner: x\ncomponents:\n  - id: web\n    kind: process\n    techology: nginx\n",
            ["t.yaml:5:5: components[0]: unknown key 'techology'; did you mean 'technology'?"],
        ),
        (
            "owner: x\ncomponents:\n  - id: web\n    kind: process\n    size: 3\n",
            ["t.yaml:5:5: components[0]: unknown key 'size'; expected one of: id, kind, technology, port"],
        ),
        (
            "owner: x\nzzz: 1\n",
            [
                "t.yaml:2:1: unknown key 'zzz'; expected one of: owner, uptime, effective, currency, "
                "fee, tags, public, version, code, target, controls, components and 5 more"
            ],
        ),
        ("owner: x\nlimit: {a: 1}\n", ["t.yaml:2:1: unknown key 'limit'; did you mean 'limits'?"]),
        (
            "owner: x\nlimits: {a: 1, z: 2, y: 3}\n",
            [
                "t.yaml:2:16: limits: unknown key 'z'; expected one of: a, b, c, d, e, f, g, h, i",
                "t.yaml:2:22: limits: unknown key 'y'; expected one of: a, b, c, d, e, f, g, h, i",
            ],
        ),
        # required keys: at the mapping, one problem each
        ("uptime: 99.9\n", ["t.yaml:1:1: missing required key 'owner'"]),
        (
            "owner: x\ncomponents:\n  - technology: go\n",
            [
                "t.yaml:3:5: components[0]: missing required key 'id'",
                "t.yaml:3:5: components[0]: missing required key 'kind'",
            ],
        ),
        # enum
        (
            "owner: x\ncomponents:\n  - {id: a, kind: proces}\n",
            [
                "t.yaml:3:19: components[0].kind: expected one of: external_entity, process, data_store; found 'proces'; "
                "did you mean 'process'?"
            ],
        ),
        (
            "owner: x\ncomponents:\n  - {id: a, kind: 7}\n",
            ["t.yaml:3:19: components[0].kind: expected one of: external_entity, process, data_store; found 7"],
        ),
        # type
        ("owner: x\nuptime: ninety\n", ["t.yaml:2:9: uptime: expected a number, found a string ('ninety')"]),
        ("owner: [a]\n", ["t.yaml:1:8: owner: expected a string, found a list"]),
        ("owner: {a: 1}\n", ["t.yaml:1:8: owner: expected a string, found a mapping"]),
        ("owner: true\n", ["t.yaml:1:8: owner: expected a string, found true"]),
        ("owner:\n", ["t.yaml:1:7: owner: expected a string, found null"]),
        ("owner: 5\n", ["t.yaml:1:8: owner: expected a string, found a number (5)"]),
        ("owner: x\npublic: yes\n", ["t.yaml:2:9: public: expected a boolean (true or false), found a string ('yes')"]),
        (
            "owner: x\ncomponents:\n  - {id: a, kind: process, port: 80.5}\n",
            ["t.yaml:3:34: components[0].port: expected an integer, found a number (80.5)"],
        ),
        ("owner: x\ncomponents: {}\n", ["t.yaml:2:13: components: expected a list, found a mapping"]),
        ("- owner\n", ["t.yaml:1:1: expected a mapping, found a list"]),
        # bounds
        ("owner: x\nuptime: 80\n", ["t.yaml:2:9: uptime: expected a number of at least 90, found 80"]),
        (
            "owner: x\ncomponents:\n  - {id: a, kind: process, port: 70000}\n",
            ["t.yaml:3:34: components[0].port: expected a number of at most 65535, found 70000"],
        ),
        (
            "owner: x\ncomponents:\n  - {id: a, kind: process, port: 0}\n",
            ["t.yaml:3:34: components[0].port: expected a number of at least 1, found 0"],
        ),
        ("owner: x\nfee: 10.001\n", ["t.yaml:2:6: fee: expected a multiple of 0.01, found 10.001"]),
        # patterns and lengths
        (
            "owner: x\neffective: 2026-13-01\n",
            ["t.yaml:2:12: effective: expected a date (YYYY-MM-DD), found '2026-13-01'"],
        ),
        ("owner: x\ncurrency: usd\n", ["t.yaml:2:11: currency: expected a string matching ^[A-Z]{3}$, found 'usd'"]),
        ("owner: ''\n", ["t.yaml:1:8: owner: must not be empty"]),
        ("owner: x\ncode: ABCDEF\n", ["t.yaml:2:7: code: expected at most 4 characters, found 6"]),
        # lists
        ("owner: x\ntags: []\n", ["t.yaml:2:7: tags: expected at least 1 item(s), found 0"]),
        ("owner: x\ntags: [a, b, c, d]\n", ["t.yaml:2:7: tags: expected at most 3 item(s), found 4"]),
        ("owner: x\ntags: [a, b, a]\n", ["t.yaml:2:14: tags[2]: items must be unique; 'a' repeats item [0]"]),
        # const, not, false schema, dependentRequired, minProperties
        ("owner: x\nversion: 3\n", ["t.yaml:2:10: version: expected 2, found 3"]),
        ("owner: x\nnotes:\n", ["t.yaml:2:7: notes: null is not allowed here"]),
        # jsonschema does not record which key a `false` schema rejected, so the mapping is blamed
        ("owner: x\nretired: true\n", ["t.yaml:1:1: has a key or item that is not allowed here"]),
        (
            "owner: x\ncontact: {phone: '1'}\n",
            ["t.yaml:2:10: contact: missing required key 'email' (required when 'phone' is given)"],
        ),
        ("owner: x\nlimits: {}\n", ["t.yaml:2:9: limits: must not be empty"]),
        # propertyNames: at the key
        (
            "owner: x\nlabels:\n  Team: a\n",
            ["t.yaml:3:3: labels: invalid key 'Team': expected lower-case letters, found 'Team'"],
        ),
    ],
)
def test_messages(text, expected):
    assert problems(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the branch whose type matches is reported, with all its errors
        ("owner: x\ntarget: 4x\n", ["t.yaml:2:9: target: expected a target such as '30m' or '4h', found '4x'"]),
        (
            "owner: x\ntarget: {hours: 0, minutes: 5}\n",
            [
                "t.yaml:2:17: target.hours: expected a number greater than 0, found 0",
                "t.yaml:2:20: target: unknown key 'minutes'; expected one of: hours",
            ],
        ),
        # no branch has the right type: the types are listed
        ("owner: x\ntarget: 5\n", ["t.yaml:2:9: target: expected a string or a mapping, found a number (5)"]),
        # a discriminating `kind` picks the branch
        (
            "owner: x\ncontrols:\n  - kind: scan\n    tool: zap\n    weekly: yes\n",
            ["t.yaml:5:13: controls[0].weekly: expected a boolean (true or false), found a string ('yes')"],
        ),
        (
            "owner: x\ncontrols:\n  - kind: scna\n    tool: zap\n",
            ["t.yaml:3:11: controls[0].kind: expected one of: certification, scan; found 'scna'; did you mean 'scan'?"],
        ),
        (
            "owner: x\ncontrols:\n  - kind: certification\n",
            ["t.yaml:3:5: controls[0]: missing required key 'standard'"],
        ),
        # without the discriminating key, the first alternative that fails as deep as any other is reported
        ("owner: x\ncontrols:\n  - standard: ISO 27001\n", ["t.yaml:3:5: controls[0]: missing required key 'kind'"]),
        # when no alternative has the type of the value, the expected types are listed
        (
            "owner: x\ncontrols:\n  - ISO 27001\n",
            ["t.yaml:3:5: controls[0]: expected a mapping, found a string ('ISO 27001')"],
        ),
    ],
)
def test_any_of_and_one_of(text, expected):
    assert problems(text) == expected


def test_problems_are_sorted_by_position_and_each_reported_once():
    text = "zzz: 1\nuptime: 101\ncomponents:\n  - {id: '', kind: x, techology: go}\n"
    assert problems(text) == [
        # Same place: in the order the schema's keywords are checked.
        "t.yaml:1:1: unknown key 'zzz'; expected one of: owner, uptime, effective, currency, fee, tags, public, "
        "version, code, target, controls, components and 5 more",
        "t.yaml:1:1: missing required key 'owner'",
        "t.yaml:2:9: uptime: expected a number of at most 100, found 101",
        "t.yaml:4:10: components[0].id: must not be empty",
        "t.yaml:4:20: components[0].kind: expected one of: external_entity, process, data_store; found 'x'",
        "t.yaml:4:23: components[0]: unknown key 'techology'; did you mean 'technology'?",
    ]


def test_prefix_locates_a_subtree():
    text = "customer:\n  owner: 5\n  uptime: 99\n"
    assert problems(text, data_key="customer") == ["t.yaml:2:10: customer.owner: expected a string, found a number (5)"]


def test_valid_data_has_no_problems():
    assert problems("owner: x\ntarget: {hours: 4}\ncontrols: [{kind: scan, tool: zap}]\n") == []


def test_problems_from_several_files_sort_by_file():
    from trustdocs.load import Positions
    from trustdocs.model.base import Location

    positions = Positions({("owner",): Location("b.yaml", 1, 8), ("uptime",): Location("a.yaml", 9, 9)})
    found = schema_problems(VALIDATOR, {"owner": 1, "uptime": "x"}, positions)
    assert [str(p) for p in found] == [
        "a.yaml:9:9: uptime: expected a number, found a string ('x')",
        "b.yaml:1:8: owner: expected a string, found a number (1)",
    ]
