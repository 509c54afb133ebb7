"""The JSON Schemas: well-formed, documented, closed, in step with the model, and catching typical mistakes."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import re
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from trustdocs.analyse.support import TARGET_PATTERN
from trustdocs.model.base import Location
from trustdocs.model.escrow import Deposit, Escrow
from trustdocs.model.project import Customer, Project, SourceFile
from trustdocs.model.sla import Sla, Target
from trustdocs.validate import schemas
from trustdocs.validate.schemas import (
    bundled_project_schema,
    customer_validator,
    deposit_log_validator,
    load_schema,
    project_validator,
    registry,
)

TESTS = Path(__file__).parent
SAMPLE = TESTS.parent / "sample_inputs" / "acme"
ALL_SCHEMAS = (
    "architecture",
    "common",
    "customer",
    "deposit_log",
    "document",
    "escrow",
    "incidents",
    "indemnification",
    "insurance",
    "project",
    "questionnaire",
    "security",
    "sla",
    "support",
    "threat_model",
)
NOT_IN_SCHEMA: dict[type, set[str]] = {Escrow: {"deposits"}, Sla: {"standard"}}
"""Model fields filled from elsewhere: escrow deposits come from the deposit log file, an SLA's standard terms
from the project when a customer's terms replace them."""


class PlainDatesLoader(yaml.SafeLoader):
    """Reads dates as the strings the schema expects, as trustdocs' own loader does."""


PlainDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=PlainDatesLoader)


def dotted(path: typing.Iterable[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def problems(validator: Draft202012Validator, data: Any) -> list[tuple[str, str]]:
    """(dotted path, message) for every error; a pattern or format error reads "expected <x-expected>"."""
    found = []
    for error in validator.iter_errors(data):
        if error.validator in ("pattern", "format", "anyOf") and "x-expected" in error.schema:
            message = f"expected {error.schema['x-expected']}"
        else:
            message = error.message
        found.append((dotted(error.absolute_path), message))
    return sorted(found)


# --- the schema files themselves ---------------------------------------------------------------------------


def walk(node: Any, pointer: str = "") -> typing.Iterator[tuple[str, Any]]:
    """Every subschema with its JSON pointer (values of default/enum are data, not schemas)."""
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            if key not in ("default", "enum", "const", "examples", "required"):
                yield from walk(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from walk(item, f"{pointer}/{i}")


def test_every_schema_file_is_listed():
    assert schemas.schema_names() == ALL_SCHEMAS


@pytest.mark.parametrize("name", ALL_SCHEMAS)
def test_schema_is_valid_draft_2020_12(name: str):
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://trustdocs.dev/schemas/{name}.json"


def test_load_schema_accepts_the_file_name_and_returns_a_copy():
    first = load_schema("sla.json")
    first["title"] = "changed"
    assert load_schema("sla")["title"] == "sla"


def test_load_schema_rejects_an_unknown_name():
    with pytest.raises(ValueError, match="no schema named 'slas'"):
        load_schema("slas")


@pytest.mark.parametrize("name", ALL_SCHEMAS)
def test_every_property_has_a_description(name: str):
    missing = [
        f"{pointer}/{prop}"
        for pointer, node in walk(load_schema(name))
        for prop, sub in (node.get("properties") or {}).items()
        if not isinstance(sub, dict) or not sub.get("description", "").strip()
    ]
    assert missing == []


@pytest.mark.parametrize("name", ALL_SCHEMAS)
def test_every_object_is_closed(name: str):
    open_objects = [
        pointer
        for pointer, node in walk(load_schema(name))
        if (node.get("type") == "object" or "properties" in node) and node.get("additionalProperties") is not False
    ]
    assert open_objects == []


@pytest.mark.parametrize("name", ALL_SCHEMAS)
def test_every_pattern_says_what_it_expects(name: str):
    unexplained = [
        pointer
        for pointer, node in walk(load_schema(name))
        if ("pattern" in node or "format" in node) and not node.get("x-expected")
    ]
    assert unexplained == []


@pytest.mark.parametrize("name", ALL_SCHEMAS)
def test_every_pattern_compiles(name: str):
    for _, node in walk(load_schema(name)):
        if "pattern" in node:
            re.compile(node["pattern"])


def test_target_pattern_is_the_one_the_analysis_parses():
    assert load_schema("common")["$defs"]["target"]["pattern"] == TARGET_PATTERN


def test_registry_holds_every_schema_and_never_fetches():
    reg = registry()
    for name in ALL_SCHEMAS:
        assert reg.contents(f"https://trustdocs.dev/schemas/{name}.json")["$id"].endswith(f"/{name}.json")
    resolver = reg.resolver()
    with pytest.raises(Exception, match="example.org"):
        resolver.lookup("https://example.org/other.json")


# --- the schemas agree with the model ----------------------------------------------------------------------


def resolve(node: dict[str, Any], resolver: Any) -> tuple[dict[str, Any], Any]:
    """Follow `$ref`s; keywords written next to a `$ref` (description, minItems…) win over the target's."""
    merged = dict(node)
    while "$ref" in merged:
        ref = merged.pop("$ref")
        found = resolver.lookup(ref)
        resolver = found.resolver
        merged = {**found.contents, **merged}
    return merged, resolver


def to_json(value: Any) -> Any:
    """A model default as the schema writes it: {} for a dataclass made entirely of defaults."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, tuple):
        return [to_json(v) for v in value]
    if dataclasses.is_dataclass(value):
        try:
            if value == type(value)():
                return {}
        except TypeError:
            pass
        return {
            f.name: to_json(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "loc" and getattr(value, f.name) is not None
        }
    return value


def unwrap_optional(tp: Any) -> tuple[Any, bool]:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        assert len(options) == 1, f"unexpected union {tp}"
        return options[0], True
    return tp, False


def types_of(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type")
    if declared is None and "enum" in schema:
        return {"string"} if all(isinstance(v, str) for v in schema["enum"]) else {"?"}
    return {declared} if isinstance(declared, str) else set(declared or ())


class ModelSchemaWalk:
    """Walks a dataclass and its schema side by side, collecting every disagreement."""

    def __init__(self) -> None:
        self.mismatches: list[str] = []
        self.visited: set[type] = set()
        self._done: set[tuple[type, str]] = set()

    def dataclass(self, cls: type, schema: dict[str, Any], resolver: Any, where: str) -> None:
        schema, resolver = resolve(schema, resolver)
        key = (cls, json.dumps(schema, sort_keys=True))
        if key in self._done:  # a recursive type (TrustBoundary.boundaries) or one used in several places
            return
        self._done.add(key)
        self.visited.add(cls)
        hints = typing.get_type_hints(cls)
        fields = {
            f.name: f
            for f in dataclasses.fields(cls)
            if f.name != "loc" and f.name not in NOT_IN_SCHEMA.get(cls, set())
        }
        properties = schema.get("properties", {})
        if schema.get("type") != "object":
            self.mismatches.append(f"{where}: {cls.__name__} is not an object schema")
        if set(properties) != set(fields):
            self.mismatches.append(
                f"{where}: {cls.__name__} fields {sorted(fields)} != properties {sorted(properties)}"
            )
        required = {
            name
            for name, f in fields.items()
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        }
        if set(schema.get("required", ())) != required:
            self.mismatches.append(
                f"{where}: {cls.__name__} required {sorted(schema.get('required', ()))} "
                f"!= fields without defaults {sorted(required)}"
            )
        for name, f in fields.items():
            if name not in properties:
                continue
            sub = properties[name]
            self.default(f, sub, f"{where}.{name}")
            self.value(hints[name], sub, resolver, f"{where}.{name}", required=name in required)

    def default(self, f: dataclasses.Field[Any], schema: dict[str, Any], where: str) -> None:
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            if "default" in schema:
                self.mismatches.append(f"{where}: required in the model but has a schema default")
            return
        model_default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        if model_default is None:
            if "default" in schema:
                self.mismatches.append(f"{where}: the model's default is None (omit the key), schema has one")
        elif schema.get("default", "<none>") != to_json(model_default):
            self.mismatches.append(
                f"{where}: default {schema.get('default', '<none>')!r} != model default {to_json(model_default)!r}"
            )

    def value(self, tp: Any, schema: dict[str, Any], resolver: Any, where: str, required: bool = False) -> None:
        tp, optional = unwrap_optional(tp)
        resolved, inner = resolve(schema, resolver)
        kinds = types_of(resolved)
        if optional and required:
            # A field the model requires yet allows None (Deposit.commit) is written as null.
            if "null" not in kinds:
                self.mismatches.append(f"{where}: required and optional, so null must be allowed")
            kinds = kinds - {"null"}
        elif "null" in kinds:
            self.mismatches.append(f"{where}: allows null; an optional key is left out instead")
        origin = typing.get_origin(tp)
        if origin is tuple:
            self.expect(kinds, "array", where)
            self.value(typing.get_args(tp)[0], resolved.get("items", {}), inner, f"{where}[]")
        elif origin is typing.Literal:
            if resolved.get("enum") != list(typing.get_args(tp)):
                self.mismatches.append(f"{where}: enum {resolved.get('enum')} != {list(typing.get_args(tp))}")
        elif tp is Target:
            self.expect(kinds, "string", where)
            if resolved.get("pattern") != TARGET_PATTERN:
                self.mismatches.append(f"{where}: a support target needs the target pattern")
        elif dataclasses.is_dataclass(tp):
            self.dataclass(tp, resolved, inner, where)
        elif tp is dt.datetime:
            self.expect(kinds, "string", where)
            if resolved.get("format") != "date-time":
                self.mismatches.append(f"{where}: a datetime needs format date-time")
        elif tp is dt.date:
            self.expect(kinds, "string", where)
            if resolved.get("format") != "date":
                self.mismatches.append(f"{where}: a date needs format date")
        else:
            expected = {Decimal: "number", float: "number", int: "integer", bool: "boolean", str: "string"}
            if tp not in expected:
                self.mismatches.append(f"{where}: no schema type known for {tp}")
            else:
                self.expect(kinds, expected[tp], where)

    def expect(self, kinds: set[str], wanted: str, where: str) -> None:
        if kinds != {wanted}:
            self.mismatches.append(f"{where}: schema type {sorted(kinds)} but the model needs {wanted}")


def reachable_dataclasses(root: type) -> set[type]:
    found: set[type] = set()
    pending = [root]
    while pending:
        cls = pending.pop()
        if cls in found:
            continue
        found.add(cls)
        for hint in typing.get_type_hints(cls).values():
            stack = [hint]
            while stack:
                tp = stack.pop()
                stack.extend(a for a in typing.get_args(tp) if a is not Ellipsis)
                if dataclasses.is_dataclass(tp) and isinstance(tp, type):
                    pending.append(tp)
    return found


def test_project_schema_has_the_sections_of_the_model():
    schema = load_schema("project")
    sections = {f.name for f in dataclasses.fields(Project)} - {"root", "customer", "customer_file", "sources"}
    assert set(schema["properties"]) == sections | {"include"}
    assert set(schema["required"]) == {"document", "architecture", "security", "threat_model"}
    assert tuple(schemas.SECTIONS) == tuple(f.name for f in dataclasses.fields(Project) if f.name in sections)


def test_schemas_and_model_agree():
    walker = ModelSchemaWalk()
    resolver = registry().resolver("https://trustdocs.dev/schemas/project.json")
    project = load_schema("project")
    hints = typing.get_type_hints(Project)
    for section in schemas.SECTIONS:
        walker.value(hints[section], project["properties"][section], resolver, section)
    walker.dataclass(
        Customer, {"$ref": "https://trustdocs.dev/schemas/customer.json#/$defs/Customer"}, resolver, "customer"
    )
    walker.dataclass(
        Deposit, {"$ref": "https://trustdocs.dev/schemas/deposit_log.json#/$defs/Deposit"}, resolver, "deposits[]"
    )
    assert walker.mismatches == []
    expected = (reachable_dataclasses(Project) | reachable_dataclasses(Customer)) - {
        Project,
        SourceFile,
        Target,
        Location,
    }
    assert {c.__name__ for c in expected - walker.visited} == set()


def test_the_walk_notices_a_disagreement():
    walker = ModelSchemaWalk()
    schema = copy.deepcopy(load_schema("deposit_log")["$defs"]["Deposit"])
    del schema["properties"]["note"]
    schema["required"].append("dirty")
    schema["properties"]["files"]["type"] = "number"
    walker.dataclass(Deposit, schema, registry().resolver("https://trustdocs.dev/schemas/deposit_log.json"), "d")
    assert walker.mismatches == [
        "d: Deposit fields ['archive_sha256', 'bytes', 'commit', 'date', 'dirty', 'files', 'note', 'verification'] "
        "!= properties ['archive_sha256', 'bytes', 'commit', 'date', 'dirty', 'files', 'verification']",
        "d: Deposit required ['archive_sha256', 'bytes', 'commit', 'date', 'dirty', 'files', 'verification'] "
        "!= fields without defaults ['archive_sha256', 'bytes', 'commit', 'date', 'files', 'verification']",
        "d.files: schema type ['number'] but the model needs integer",
    ]


# --- validating documents ----------------------------------------------------------------------------------

TINY: dict[str, Any] = {
    "document": {
        "product": "Tiny Notes",
        "vendor": {
            "legal_name": "Tiny Notes Ltd",
            "address": {
                "street": "1 High Street",
                "city": "Bristol",
                "postal_code": "BS1 1AA",
                "country": "United Kingdom",
            },
        },
        "security_contact": {"name": "Security Team", "email": "security@tinynotes.example"},
        "version": "1.0",
        "status": "draft",
        "effective_date": "2026-01-15",
        "classification": "confidential",
        "owners": [{"name": "Ada Lovelace", "email": "ada@tinynotes.example"}],
    },
    "architecture": {
        "components": [
            {
                "id": "api",
                "name": "Notes API",
                "kind": "process",
                "technology": "Python",
                "hosting": "AWS",
                "owner": "Platform",
            },
            {
                "id": "db",
                "name": "Notes DB",
                "kind": "data_store",
                "technology": "PostgreSQL",
                "hosting": "AWS",
                "owner": "Platform",
            },
        ],
        "data_flows": [
            {
                "id": "f-api-db",
                "source": "api",
                "destination": "db",
                "protocol": "PostgreSQL",
                "port": 5432,
                "authentication": "password",
                "encryption": "tls",
                "tls_version": "1.2",
            }
        ],
    },
    "security": {
        "organisation": {"security_lead": "Ada Lovelace", "security_lead_title": "CISO", "team_size": 1},
        "encryption": {
            "in_transit": {"minimum_tls": "1.2"},
            "at_rest": {"algorithm": "AES-256-GCM", "key_management": "AWS KMS"},
        },
        "identity": {"customer": {}, "workforce": {}},
        "sdlc": {"code_review": True},
        "vulnerability_management": {
            "remediation": {"critical_days": 1, "high_days": 7, "medium_days": 30, "low_days": 90}
        },
        "logging": {},
        "incident_response": {"notification_hours": 72},
        "continuity": {"rto_hours": 8, "rpo_hours": 0.5},
        "hosting": {"provider": "AWS", "regions": ["eu-west-2"]},
    },
    "threat_model": {
        "threats": [
            {
                "id": "T-1",
                "title": "Credential stuffing",
                "stride": ["S"],
                "targets": ["api"],
                "description": "Leaked passwords are replayed.",
                "likelihood": "possible",
                "impact": "major",
                "status": "open",
            }
        ],
    },
}

OPTIONAL_SECTIONS: dict[str, Any] = {
    "sla": {
        "services": [{"id": "app", "name": "Tiny Notes", "commitment_percent": 99.9}],
        "measurement_period": "month",
        "time_zone": "UTC",
        "downtime_definition": "A minute in which more than 5 % of requests fail.",
        "minimum_downtime_minutes": 1,
        "credits": {
            "tiers": [
                {"availability_at_least": 99, "credit_percent": 10},
                {"availability_at_least": 0, "credit_percent": 25},
            ],
            "cap_percent": 25,
        },
        "maintenance": {"notice_hours": 72, "yearly_cap_hours": 12},
        "claims": {"deadline_days": 30, "channel": "support portal"},
    },
    "support": {
        "channels": [{"id": "portal", "name": "Support portal"}],
        "plans": [
            {
                "id": "standard",
                "name": "Standard",
                "hours": "business",
                "time_zone": "Europe/London",
                "channels": ["portal"],
                "business_hours": "Monday-Friday 09:00-17:30",
            }
        ],
        "severities": [{"id": "sev1", "name": "Critical", "definition": "Production is down."}],
        "targets": [
            {
                "plan": "standard",
                "severity": "sev1",
                "first_response": "1h",
                "update_cadence": "2h",
                "workaround": "4h",
                "resolution": "best effort",
                "root_cause_report": "5bd",
            }
        ],
    },
    "incidents": [
        {
            "id": "INC-1",
            "start": "2026-02-03T10:00:00Z",
            "end": "2026-02-03T11:00:00+01:00",
            "services": ["app"],
            "severity": "sev1",
            "summary": "Failover took an hour.",
        }
    ],
    "insurance": {
        "currency": "USD",
        "policies": [
            {
                "id": "cyber",
                "type": "cyber",
                "carrier": "Example Insurance Co.",
                "am_best_rating": "A+ XV",
                "basis": "claims_made",
                "period_start": "2026-01-01",
                "period_end": "2026-12-31",
                "per_claim_limit": 5000000,
                "aggregate_limit": 5000000,
                "retention": 25000,
            }
        ],
        "certificate": {"form": "ACORD 25", "broker": "Example Brokers"},
        "cancellation_notice_days": 30,
    },
    "indemnification": {
        "currency": "USD",
        "annual_fee": 144000,
        "ip_indemnity": {
            "scope": "Third-party IP claims.",
            "exclusions": ["Customer modifications"],
            "remedies": ["Modify the service"],
        },
        "data_breach_indemnity": {"covered_costs": ["Notification costs"], "notice_hours": 48},
        "customer_indemnity": {"scope": "Claims arising from customer data."},
        "procedure": {
            "notice": "Prompt written notice.",
            "control_of_defence": "Indemnifier controls.",
            "cooperation": "At the indemnifier's expense.",
            "settlement": "No admission of fault.",
        },
        "liability": {
            "general_cap": {"fees_multiple": 1},
            "super_cap": {"fees_multiple": 2, "fixed_amount": 1000000, "covers": ["Data breach"]},
        },
    },
    "escrow": {
        "agent": {"name": "Example Escrow", "role": "Escrow agent"},
        "agreement_type": "three_party",
        "depositor": {"name": "Tiny Notes Ltd", "role": "Depositor"},
        "beneficiaries": [{"name": "Globex", "role": "Beneficiary"}],
        "contents": [{"id": "build_instructions", "name": "Build instructions", "patterns": ["/README*"]}],
        "method": "SFTP upload",
        "frequency": "Every release",
        "encryption": "GPG",
        "verification": {"level": "build", "frequency": "Yearly"},
        "release_conditions": [{"name": "Insolvency", "description": "The depositor becomes insolvent."}],
        "release_process": {"notice": "Written notice.", "objection_days": 10, "dispute": "Arbitration."},
        "deposit_log": "escrow/deposits.yaml",
    },
}


def tiny(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(TINY), **copy.deepcopy(changes)}


def test_a_tiny_project_is_valid():
    assert problems(project_validator(), tiny()) == []


def test_a_project_with_every_section_is_valid():
    assert problems(project_validator(), tiny(include=["sla.yaml", "legal/insurance.yml"], **OPTIONAL_SECTIONS)) == []


def test_the_test_project_file_is_valid():
    assert problems(project_validator(), read_yaml(TESTS / "data" / "minimal.yaml")) == []


def with_value(path: str, value: Any) -> dict[str, Any]:
    """The full project with the value at dotted `path` replaced (or removed, for value=REMOVE)."""
    data = tiny(**OPTIONAL_SECTIONS)
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    node: Any = data
    for part in parents:
        node = node[part]
    if value is REMOVE:
        del node[last]
    else:
        node[last] = value
    return data


class _Removed:
    """The value of a mistake that removes the key (named in test IDs the same way in every process)."""

    def __repr__(self) -> str:
        return "<removed>"


REMOVE = _Removed()

MISTAKES = [
    (
        "architecture.components.0.tecnology",
        "Python",
        [("architecture.components[0]", "Additional properties are not allowed ('tecnology' was unexpected)")],
    ),
    ("slas", {}, [("", "Additional properties are not allowed ('slas' was unexpected)")]),
    ("threat_model", REMOVE, [("", "'threat_model' is a required property")]),
    ("document.owners", [], [("document.owners", "[] should be non-empty")]),
    ("document.status", "final", [("document.status", "'final' is not one of ['draft', 'in_review', 'approved']")]),
    ("document.effective_date", "15/01/2026", [("document.effective_date", "expected a date (YYYY-MM-DD)")]),
    ("document.effective_date", "2026-02-30", [("document.effective_date", "expected a date (YYYY-MM-DD)")]),
    (
        "incidents.0.start",
        "2026-02-03T10:00:00",
        [("incidents[0].start", "expected a date and time with an offset (e.g. 2026-03-14T02:10:00Z)")],
    ),
    (
        "incidents.0.end",
        "2026-02-31T10:00:00Z",
        [("incidents[0].end", "expected a date and time with an offset (e.g. 2026-03-14T02:10:00Z)")],
    ),
    (
        "architecture.data_flows.0.port",
        70000,
        [("architecture.data_flows[0].port", "70000 is greater than the maximum of 65535")],
    ),
    (
        "architecture.data_flows.0.port",
        "5432",
        [("architecture.data_flows[0].port", "'5432' is not of type 'integer'")],
    ),
    (
        "architecture.components.0.id",
        "notes api",
        [
            (
                "architecture.components[0].id",
                "expected an id: a letter, then letters, digits, '_', '.' or '-' (e.g. api-gateway)",
            )
        ],
    ),
    (
        "sla.services.0.commitment_percent",
        101,
        [("sla.services[0].commitment_percent", "101 is greater than the maximum of 100")],
    ),
    (
        "sla.services.0.commitment_percent",
        "99.9%",
        [("sla.services[0].commitment_percent", "'99.9%' is not of type 'number'")],
    ),
    (
        "security.encryption.in_transit.minimum_tls",
        1.2,
        [
            ("security.encryption.in_transit.minimum_tls", "1.2 is not of type 'string'"),
            ("security.encryption.in_transit.minimum_tls", "1.2 is not one of ['1.0', '1.1', '1.2', '1.3']"),
        ],
    ),
    ("threat_model.threats.0.owner", None, [("threat_model.threats[0].owner", "None is not of type 'string'")]),
    (
        "threat_model.threats.0.stride",
        ["S", "X"],
        [("threat_model.threats[0].stride[1]", "'X' is not one of ['S', 'T', 'R', 'I', 'D', 'E']")],
    ),
    (
        "threat_model.threats.0.stride",
        ["S", "S"],
        [("threat_model.threats[0].stride", "['S', 'S'] has non-unique elements")],
    ),
    (
        "support.targets.0.first_response",
        "4 hours",
        [
            (
                "support.targets[0].first_response",
                "expected a support target such as '30m', '4h', '2bh', '1bd' or 'best effort'",
            )
        ],
    ),
    (
        "insurance.currency",
        "usd",
        [("insurance.currency", "expected a three-letter currency code in capitals (e.g. USD)")],
    ),
    (
        "insurance.policies.0.am_best_rating",
        "A+",
        [
            (
                "insurance.policies[0].am_best_rating",
                'expected an A.M. Best rating: financial strength then size class (e.g. "A+ XV")',
            )
        ],
    ),
    (
        "indemnification.liability.general_cap",
        {"lookback_months": 12},
        [("indemnification.liability.general_cap", "expected a cap with 'fees_multiple', 'fixed_amount' or both")],
    ),
    (
        "include",
        ["/etc/secrets.yaml", "notes.txt"],
        [
            ("include[0]", "expected a relative path to a .yaml or .yml file (e.g. security/threats.yaml)"),
            ("include[1]", "expected a relative path to a .yaml or .yml file (e.g. security/threats.yaml)"),
        ],
    ),
    ("escrow.contents.0.patterns", [], [("escrow.contents[0].patterns", "[] should be non-empty")]),
    (
        "document.branding",
        {"accent_color": "blue"},
        [("document.branding.accent_color", 'expected a colour as #rrggbb (e.g. "#1f4e79")')],
    ),
    (
        "document.security_contact.email",
        "security at example.com",
        [("document.security_contact.email", "expected an email address (e.g. security@example.com)")],
    ),
]


@pytest.mark.parametrize(("path", "value", "expected"), MISTAKES, ids=[f"{m[0]}={m[1]!r}" for m in MISTAKES])
def test_typical_mistakes_are_reported(path: str, value: Any, expected: list[tuple[str, str]]):
    assert problems(project_validator(), with_value(path, value)) == expected


@pytest.mark.parametrize(("path", "value", "expected"), MISTAKES, ids=[f"{m[0]}={m[1]!r}" for m in MISTAKES])
def test_the_bundled_schema_reports_the_same_mistakes(path: str, value: Any, expected: list[tuple[str, str]]):
    bundled = Draft202012Validator(bundled_project_schema(), format_checker=schemas.format_checker())
    assert problems(bundled, with_value(path, value)) == expected


def test_the_bundled_schema_is_self_contained():
    bundle = bundled_project_schema()
    Draft202012Validator.check_schema(bundle)
    refs = [node["$ref"] for _, node in walk(bundle) if "$ref" in node]
    assert refs and [r for r in refs if not r.startswith("#/$defs/")] == []
    assert "$id" not in bundle and sorted(bundle["$defs"]) == [
        "architecture",
        "common",
        "document",
        "escrow",
        "incidents",
        "indemnification",
        "insurance",
        "questionnaire",
        "security",
        "sla",
        "support",
        "threat_model",
    ]
    assert bundle["properties"]["architecture"]["$ref"] == "#/$defs/architecture"
    component = bundle["$defs"]["architecture"]["properties"]["components"]["items"]
    assert component == {"$ref": "#/$defs/architecture/$defs/Component"}


def test_the_bundled_schema_validates_without_a_registry():
    bundled = Draft202012Validator(bundled_project_schema())
    assert list(bundled.iter_errors(tiny(**OPTIONAL_SECTIONS))) == []
    errors = [(dotted(e.absolute_path), e.message) for e in bundled.iter_errors(tiny(colour="blue"))]
    assert errors == [("", "Additional properties are not allowed ('colour' was unexpected)")]


def test_the_bundled_schema_is_a_copy():
    bundled_project_schema()["properties"].clear()
    assert "document" in bundled_project_schema()["properties"]


CUSTOMER: dict[str, Any] = {
    "customer": {
        "legal_name": "Globex Corporation",
        "short_name": "Globex",
        "agreement_reference": "MSA-2026-031",
        "address": {
            "street": "1 Main St",
            "city": "Springfield",
            "postal_code": "12345",
            "country": "USA",
            "region": "Oregon",
        },
        "contact": {"name": "Hank Scorpio", "email": "hank@globex.example", "role": "CEO"},
        "terms": {
            "support_plan": "standard",
            "annual_fee": 250000,
            "commitments": [{"service": "app", "commitment_percent": 99.95}],
            "credit_tiers": [
                {"availability_at_least": 99.5, "credit_percent": 10},
                {"availability_at_least": 0, "credit_percent": 30},
            ],
            "credit_cap_percent": 30,
            "general_cap": {"fees_multiple": 2},
            "super_cap": {"fixed_amount": 5000000, "covers": ["Data breach"]},
            "notification_hours": 24,
            "claim_deadline_days": 60,
        },
    },
}


def test_a_customer_file_is_valid():
    assert problems(customer_validator(), CUSTOMER) == []
    assert problems(customer_validator(), {"customer": {"legal_name": "Initech LLC", "short_name": "Initech"}}) == []


def test_customer_mistakes_are_reported():
    data = copy.deepcopy(CUSTOMER)
    data["customer"]["terms"]["annual_fees"] = 1
    data["customer"]["terms"]["super_cap"] = {"covers": ["Data breach"]}
    data["customer"]["short_name"] = "--"
    data["customer"]["terms"]["credit_tiers"][0]["credit_percent"] = -5
    assert problems(customer_validator(), data) == [
        ("customer.short_name", "expected a short name with at least one letter or digit (e.g. Globex)"),
        ("customer.terms", "Additional properties are not allowed ('annual_fees' was unexpected)"),
        ("customer.terms.credit_tiers[0].credit_percent", "-5 is less than the minimum of 0"),
        ("customer.terms.super_cap", "expected a cap with 'fees_multiple', 'fixed_amount' or both"),
    ]
    assert problems(customer_validator(), {"legal_name": "Globex"}) == [
        ("", "'customer' is a required property"),
        ("", "Additional properties are not allowed ('legal_name' was unexpected)"),
    ]


DEPOSIT = {
    "date": "2026-03-14T02:10:00Z",
    "commit": "0123456789abcdef0123456789abcdef01234567",
    "archive_sha256": "ab" * 32,
    "files": 12,
    "bytes": 3456,
    "verification": "passed",
}


def test_a_deposit_log_is_valid():
    entries = [DEPOSIT, {**DEPOSIT, "commit": None, "dirty": True, "note": "Hotfix 4.2.1"}]
    assert problems(deposit_log_validator(), {"deposits": entries}) == []
    assert problems(deposit_log_validator(), {"deposits": []}) == []


def test_deposit_log_mistakes_are_reported():
    entries = [
        {**DEPOSIT, "commit": "abc123", "archive_sha256": "AB" * 32, "verification": "ok"},
        {key: value for key, value in DEPOSIT.items() if key != "commit"},
    ]
    assert problems(deposit_log_validator(), {"deposits": entries}) == [
        ("deposits[0].archive_sha256", "expected a SHA-256 digest (64 lower-case hex digits)"),
        ("deposits[0].commit", "expected a full git commit id (40 lower-case hex digits) or null"),
        ("deposits[0].verification", "'ok' is not one of ['passed', 'failed', 'not_verified']"),
        ("deposits[1]", "'commit' is a required property"),
    ]


# --- the sample project ------------------------------------------------------------------------------------


def merged_project(root_file: Path) -> dict[str, Any]:
    """The root file with the top-level keys of its included files merged in (includes are relative to it)."""
    data = read_yaml(root_file) or {}
    for include in data.get("include", []):
        data.update(read_yaml(root_file.parent / include) or {})
    return data


SAMPLE_ROOT = next(
    (SAMPLE / name for name in ("trustdocs.yaml", "trustdocs.yml", "project.yaml") if (SAMPLE / name).is_file()), None
)


@pytest.mark.skipif(SAMPLE_ROOT is None, reason="sample_inputs/acme has no root project file yet")
def test_the_sample_project_is_valid():
    assert SAMPLE_ROOT is not None
    data = merged_project(SAMPLE_ROOT)
    assert problems(project_validator(), data) == []
    log = (data.get("escrow") or {}).get("deposit_log")
    if log and (SAMPLE / log).is_file():
        assert problems(deposit_log_validator(), read_yaml(SAMPLE / log)) == []


@pytest.mark.skipif(not list((SAMPLE / "customers").glob("*.y*ml")), reason="no sample customer files yet")
def test_the_sample_customers_are_valid():
    for path in sorted((SAMPLE / "customers").glob("*.y*ml")):
        assert (path.name, problems(customer_validator(), read_yaml(path))) == (path.name, [])
