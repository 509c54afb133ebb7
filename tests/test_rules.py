"""The shipped rules: each one fires on a model built to trigger it and stays silent on its near twin;
answered rules are not findings; malformed rule files are refused with a precise message."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import yaml
from threat_factory import architecture, asset, at, boundary, check, component, flow, index, threat, threat_model

from trustdocs.analyse.rules import RuleFileError, evaluate_rules, load_rules, parse_rule_file
from trustdocs.analyse.rules.engine import check_unique
from trustdocs.model.architecture import Architecture
from trustdocs.model.threats import Exemption

RULES = {rule.info.id: rule for rule in load_rules()}


def stack(
    *,
    classification: str = "internal",
    user: dict[str, Any] | None = None,
    api: dict[str, Any] | None = None,
    db: dict[str, Any] | None = None,
    user_api: dict[str, Any] | None = None,
    api_db: dict[str, Any] | None = None,
    extra: list[Any] = (),
    vpc: tuple[str, ...] = ("api",),
    subnet: tuple[str, ...] = ("db",),
) -> Architecture:
    """user (outside) -> api (vpc, 1) -> db (data subnet, 2): a safe baseline each case changes one thing of."""
    components = [
        component("user", "external_entity", **(user or {})),
        component("api", **{"audit_logging": True, **(api or {})}),
        component("db", "data_store", **{"stores": ("records",), "encrypted_at_rest": True, **(db or {})}),
    ]
    flows = [
        flow("f-user-api", "user", "api", **(user_api or {})),
        flow("f-api-db", "api", "db", **{"authentication": "iam", **(api_db or {})}),
    ]
    for item in extra:
        (flows if hasattr(item, "source") else components).append(item)
    boundaries = [boundary("vpc", 1, vpc, boundary("data-subnet", 2, subnet))] if vpc or subnet else []
    assets = [asset("records", classification), asset("secrets", "restricted")]
    return architecture(components, flows, boundaries, assets)


def matches(rule_id: str, arch: Architecture) -> list[tuple[str, str]]:
    findings, answered = evaluate_rules(index(arch), [], [RULES[rule_id]])
    assert answered == []
    return [(f.id, f.message) for f in findings]


def test_the_baseline_triggers_no_rule() -> None:
    findings, answered = evaluate_rules(index(stack()), [])
    assert (findings, answered) == ([], [])


CASES = [
    (
        "TD-FLOW-001",
        stack(user_api={"encryption": "none"}),
        "f-user-api",
        "data flow 'f-user-api' (user → api) crosses from outside every boundary to 'Vpc' without encryption",
        stack(
            extra=[component("worker"), flow("f-api-worker", "api", "worker", encryption="none")], vpc=("api", "worker")
        ),
    ),
    (
        "TD-FLOW-002",
        stack(user_api={"authentication": "none"}),
        "f-user-api",
        "data flow 'f-user-api' enters 'Vpc' from outside every boundary without authentication, so 'api' cannot "
        "tell who is calling",
        stack(extra=[flow("f-api-user", "api", "user", authentication="none")]),
    ),
    (
        "TD-FLOW-003",
        stack(
            extra=[component("partner", "external_entity"), flow("f-api-partner", "api", "partner", data=("secrets",))]
        ),
        "f-api-partner",
        "data flow 'f-api-partner' sends restricted data to 'partner' (Partner), which is outside every trust boundary",
        stack(
            classification="confidential",
            extra=[component("partner", "external_entity"), flow("f-api-partner", "api", "partner")],
        ),
    ),
    (
        "TD-FLOW-004",
        stack(extra=[flow("f-user-db", "user", "db")]),
        "f-user-db",
        "data flow 'f-user-db' connects external entity and data store directly (user → db); no process checks access",
        stack(),
    ),
    (
        "TD-FLOW-004",
        stack(extra=[flow("f-db-user", "db", "user")]),
        "f-db-user",
        "data flow 'f-db-user' connects external entity and data store directly (db → user); no process checks access",
        stack(),
    ),
    (
        "TD-FLOW-005",
        stack(
            classification="confidential",
            vpc=("api", "worker"),
            extra=[component("worker"), flow("f-api-worker", "api", "worker", encryption="none")],
        ),
        "f-api-worker",
        "data flow 'f-api-worker' (api → worker) carries confidential data without encryption",
        stack(
            classification="confidential",
            vpc=("api", "worker"),
            extra=[component("worker"), flow("f-api-worker", "api", "worker")],
        ),
    ),
    (
        "TD-FLOW-006",
        stack(api_db={"authentication": "none"}),
        "f-api-db",
        "data flow 'f-api-db' writes to data store 'db' (Db) without authentication",
        stack(api_db={"authentication": "password"}),
    ),
    (
        "TD-FLOW-007",
        stack(user_api={"tls_version": "1.1"}),
        "f-user-api",
        "data flow 'f-user-api' (user → api) states TLS version 1.1; versions before 1.2 are deprecated",
        stack(user_api={"tls_version": "1.2"}),
    ),
    (
        "TD-FLOW-008",
        stack(api_db={"authentication": "password"}),
        "f-api-db",
        "data flow 'f-api-db' authenticates to 'db' in 'Data Subnet' with a shared secret (password)",
        stack(vpc=("api", "db"), subnet=(), api_db={"authentication": "password"}),
    ),
    (
        "TD-FLOW-009",
        stack(extra=[flow("f-user-db", "user", "db")]),
        "f-user-db",
        "data flow 'f-user-db' (user → db) enters several trust boundaries at once, from outside every boundary "
        "into 'Data Subnet'",
        stack(),
    ),
    (
        "TD-FLOW-010",
        stack(user_api={"data": ()}),
        "f-user-api",
        "data flow 'f-user-api' (user → api) lists no data assets, so no rule can check what it carries",
        stack(),
    ),
    (
        "TD-FLOW-011",
        stack(api={"audit_logging": None}),
        "f-user-api",
        "'user' (User) sends requests over 'f-user-api' to process 'api', which is not recorded as keeping an audit log",
        stack(api={"audit_logging": True}),
    ),
    (
        "TD-STORE-001",
        stack(classification="confidential", db={"encrypted_at_rest": False}),
        "db",
        "data store 'db' (Db) holds confidential data and is not encrypted at rest",
        stack(classification="internal", db={"encrypted_at_rest": False}),
    ),
    (
        "TD-STORE-002",
        stack(classification="restricted", db={"encrypted_at_rest": None}),
        "db",
        "data store 'db' (Db) holds restricted data but does not state whether it is encrypted at rest",
        stack(classification="restricted", db={"encrypted_at_rest": True}),
    ),
    (
        "TD-STORE-003",
        stack(db={"internet_facing": True}),
        "db",
        "data store 'db' (Db) is reachable from the internet",
        stack(),
    ),
    (
        "TD-STORE-004",
        stack(classification="confidential", subnet=()),
        "db",
        "data store 'db' (Db) holds confidential data and is outside every trust boundary",
        stack(classification="internal", subnet=()),
    ),
    (
        "TD-STORE-005",
        stack(db={"stores": ()}),
        "db",
        "data store 'db' (Db) lists no data assets in 'stores', so no rule can check what it holds",
        stack(),
    ),
    (
        "TD-PROC-001",
        stack(classification="restricted", api={"audit_logging": False}),
        "api",
        "process 'api' (Api) handles restricted data; audit logging: no",
        stack(classification="confidential", api={"audit_logging": False}),
    ),
    (
        "TD-PROC-002",
        stack(api={"internet_facing": True, "audit_logging": None}),
        "api",
        "internet-facing process 'api' (Api) has audit logging: not stated",
        stack(api={"internet_facing": False, "audit_logging": None}),
    ),
    (
        "TD-PROC-003",
        stack(api={"internet_facing": True}, user_api={"authentication": "none"}),
        "api",
        "internet-facing process 'api' (Api) receives data flows without authentication",
        stack(api={"internet_facing": True}),
    ),
    (
        "TD-PROC-004",
        stack(classification="confidential", vpc=(), subnet=("db",)),
        "api",
        "process 'api' (Api) handles confidential data and is outside every trust boundary",
        stack(classification="confidential"),
    ),
    (
        "TD-ENTITY-001",
        stack(vpc=("api", "user")),
        "user",
        "external entity 'user' (User) is a member of 'Vpc'",
        stack(),
    ),
    (
        "TD-FLOW-012",
        stack(api_db={"encryption": "local"}),
        "f-api-db",
        "data flow 'f-api-db' (api → db) is marked local but crosses from 'Vpc' to 'Data Subnet'",
        stack(api_db={"encryption": "local"}, vpc=("api", "db"), subnet=()),
    ),
]


def test_every_rule_has_a_case() -> None:
    assert sorted({case[0] for case in CASES}) == sorted(RULES)


@pytest.mark.parametrize("rule_id,triggering,element,message,silent", CASES, ids=[c[0] for c in CASES])
def test_rule(rule_id: str, triggering: Architecture, element: str, message: str, silent: Architecture) -> None:
    assert matches(rule_id, triggering) == [(f"{rule_id}:{element}", message)]
    assert matches(rule_id, silent) == []


def test_the_catalogue() -> None:
    assert len(RULES) >= 15
    for rule in RULES.values():
        assert rule.info.cwe and rule.info.cwe.startswith("CWE-")
        assert rule.info.stride in "STRIDE" and rule.info.explanation and rule.info.title
    assert [r.info.id for r in load_rules()] == sorted(RULES)


def test_a_rule_finding_carries_the_element_location() -> None:
    arch = stack(user_api={"encryption": "none", "loc": at(12)})
    (finding,), _ = evaluate_rules(index(arch), [], [RULES["TD-FLOW-001"]])
    assert (finding.location, finding.severity, finding.stride, finding.category) == (at(12), "high", "I", "rule")
    assert finding.title == "Unencrypted data flow crosses a trust boundary"


@pytest.mark.parametrize(
    "rule_id,arch,threat_on,letter,answered",
    [
        ("TD-FLOW-001", stack(user_api={"encryption": "none"}), "f-user-api", "I", True),
        ("TD-FLOW-001", stack(user_api={"encryption": "none"}), "f-user-api", "T", False),
        ("TD-FLOW-001", stack(user_api={"encryption": "none"}), "api", "I", False),
        ("TD-FLOW-002", stack(user_api={"authentication": "none"}), "api", "S", True),
        ("TD-FLOW-002", stack(user_api={"authentication": "none"}), "user", "S", False),
        ("TD-FLOW-011", stack(api={"audit_logging": None}), "user", "R", True),
        ("TD-STORE-003", stack(db={"internet_facing": True}), "db", "I", True),
        ("TD-STORE-003", stack(db={"internet_facing": True}), "f-api-db", "I", False),
    ],
)
def test_a_threat_answers_a_rule(rule_id: str, arch: Architecture, threat_on: str, letter: str, answered: bool) -> None:
    findings, answers = evaluate_rules(index(arch), [threat("T-9", letter, threat_on)], [RULES[rule_id]])
    assert (len(findings), len(answers)) == ((0, 1) if answered else (1, 0))
    if answered:
        assert answers[0].threat_ids == ("T-9",)


def test_answered_rules_are_listed_apart_in_the_report() -> None:
    report = check(stack(db={"internet_facing": True}), threat_model([threat("T-1", "I", "db")]))
    assert [(a.finding.id, a.threat_ids) for a in report.answered] == [("TD-STORE-003:db", ("T-1",))]
    assert "TD-STORE-003:db" not in {f.id for f in report.findings}


def test_rule_findings_can_be_exempted_by_id_or_by_element_and_letter() -> None:
    arch = stack(db={"internet_facing": True}, user_api={"encryption": "none"})
    model = threat_model(
        exemptions=[
            Exemption("Public dataset.", finding="TD-STORE-003:db"),
            Exemption("Static assets only.", element="f-user-api", stride=("I",)),
        ]
    )
    report = check(arch, model)
    exempted = {f.id: f.justification for f in report.exempted if f.category == "rule"}
    assert exempted == {"TD-STORE-003:db": "Public dataset.", "TD-FLOW-001:f-user-api": "Static assets only."}


# Malformed rule files --------------------------------------------------------------------------------

GOOD = {
    "id": "TD-TEST-001",
    "title": "A title",
    "element": "data_flow",
    "stride": "I",
    "cwe": "CWE-319",
    "severity": "high",
    "explanation": "Why.",
    "message": "flow '{flow}'",
    "match": "flow.encrypted",
}
BUG = " (a bug in trustdocs' rule files)"


def rule_text(**changes: Any) -> str:
    rule = {**GOOD, **changes}
    return yaml.safe_dump({"rules": [{k: v for k, v in rule.items() if v is not ...}]}, sort_keys=False)


def test_a_good_rule_parses() -> None:
    (rule,) = parse_rule_file(rule_text(), "good.yaml")
    assert (rule.info.id, rule.element, rule.answered_by) == ("TD-TEST-001", "data_flow", ("flow",))


@pytest.mark.parametrize(
    "text,message",
    [
        ("[]", "bad.yaml: expected a mapping with one key 'rules' holding a list"),
        (
            rule_text(severity=..., severty="high"),
            "bad.yaml: rules[0] (TD-TEST-001): unknown key(s) severty; missing severity",
        ),
        (rule_text(id="FLOW-1"), "bad.yaml: rules[0] (FLOW-1): id: expected TD-<AREA>-<NNN>, found 'FLOW-1'"),
        (
            rule_text(element="boundary"),
            "bad.yaml: rules[0] (TD-TEST-001): element: expected one of data_flow, external_entity, process, "
            "data_store, component, found 'boundary'",
        ),
        (
            rule_text(stride="X"),
            "bad.yaml: rules[0] (TD-TEST-001): stride: expected one of S, T, R, I, D, E, found 'X'",
        ),
        (rule_text(cwe="319"), "bad.yaml: rules[0] (TD-TEST-001): cwe: expected CWE-<number>, found '319'"),
        (
            rule_text(severity="severe"),
            "bad.yaml: rules[0] (TD-TEST-001): severity: expected low, medium, high or critical, found 'severe'",
        ),
        (
            rule_text(answered_by=["component"]),
            "bad.yaml: rules[0] (TD-TEST-001): answered_by: expected a list of flow, source, destination, "
            "found ['component']",
        ),
        (
            rule_text(message="flow '{flow_id}'"),
            "bad.yaml: rules[0] (TD-TEST-001): message: unknown placeholder '{flow_id}' (known: authentication, "
            "classification, destination, destination_name, destination_zone, encryption, flow, protocol, source, "
            "source_name, source_zone, tls_version)",
        ),
        (rule_text(title=""), "bad.yaml: rules[0] (TD-TEST-001): title: expected non-empty text"),
        (
            rule_text(match={"all": [{"fact": "flow.crosses_boundary", "is": True}, {"not": "flow.encrypt"}]}),
            "bad.yaml: rules[0] (TD-TEST-001): match.all[1].not: unknown fact 'flow.encrypt' for this element type; "
            "did you mean 'flow.encrypted'?",
        ),
        (
            rule_text(match="__import__('os').system('true')"),
            "bad.yaml: rules[0] (TD-TEST-001): match: unknown fact '__import__('os').system('true')' for this "
            "element type",
        ),
        (
            rule_text(element="process", match="flow.encrypted", message="x"),
            "bad.yaml: rules[0] (TD-TEST-001): match: unknown fact 'flow.encrypted' for this element type",
        ),
        (
            rule_text(match="flow.encryption"),
            "bad.yaml: rules[0] (TD-TEST-001): match: fact 'flow.encryption' is enum, not true/false: write a test (is, in)",
        ),
        (
            rule_text(match={"fact": "flow.encrypted", "at_least": 1}),
            "bad.yaml: rules[0] (TD-TEST-001): match: a test of bool fact 'flow.encrypted' takes exactly one of is; "
            "found at_least",
        ),
        (
            rule_text(match={"fact": "flow.carries_classification", "at_least": "secret"}),
            "bad.yaml: rules[0] (TD-TEST-001): match.at_least: 'secret' is not a valid value of ordered fact "
            "'flow.carries_classification' (one of none, public, internal, confidential, restricted)",
        ),
        (
            rule_text(match={"fact": "flow.boundaries_entered", "in": []}),
            "bad.yaml: rules[0] (TD-TEST-001): match.in: expected a non-empty list",
        ),
        (
            rule_text(match={"either": ["flow.encrypted"]}),
            "bad.yaml: rules[0] (TD-TEST-001): match: unknown condition 'either' (expected all, any, not or fact)",
        ),
        (
            rule_text(match={"any": []}),
            "bad.yaml: rules[0] (TD-TEST-001): match.any: expected a non-empty list of conditions",
        ),
        (
            rule_text(match={"all": ["flow.encrypted"], "any": ["flow.encrypted"]}),
            "bad.yaml: rules[0] (TD-TEST-001): match: expected one of all, any, not; found all, any",
        ),
    ],
)
def test_malformed_rules_are_refused(text: str, message: str) -> None:
    with pytest.raises(RuleFileError) as error:
        parse_rule_file(text, "bad.yaml")
    assert error.value.message == message + BUG


def test_duplicate_rule_ids_are_refused() -> None:
    (first,) = parse_rule_file(rule_text(), "a.yaml")
    second = replace(first, source="b.yaml")
    with pytest.raises(RuleFileError) as error:
        check_unique([first, second])
    assert error.value.message == "b.yaml: rule id TD-TEST-001 is already defined in a.yaml" + BUG


def customer_network(arch: Architecture, *members: str) -> Architecture:
    """`arch` with a customer-operated boundary around `members` (taken out of the vendor's boundaries)."""

    def without(b):
        return replace(
            b,
            members=tuple(m for m in b.members if m not in members),
            boundaries=tuple(without(n) for n in b.boundaries),
        )

    ours = tuple(without(b) for b in arch.trust_boundaries)
    theirs = replace(boundary("customer-network", 1, members), operated_by="customer")
    return replace(arch, trust_boundaries=(*ours, theirs))


def test_a_local_flow_is_not_an_unencrypted_one() -> None:
    local = stack(classification="confidential", api_db={"encryption": "local"}, vpc=("api", "db"), subnet=())
    assert matches("TD-FLOW-001", local) == [] and matches("TD-FLOW-005", local) == []
    assert (
        matches(
            "TD-FLOW-005",
            stack(classification="confidential", api_db={"encryption": "none"}, vpc=("api", "db"), subnet=()),
        )
        != []
    )


@pytest.mark.parametrize(
    ("rule_id", "flagged", "member"),
    [
        ("TD-ENTITY-001", stack(vpc=("api", "user")), "user"),
        ("TD-PROC-001", stack(classification="restricted", api={"audit_logging": False}), "api"),
        ("TD-PROC-002", stack(api={"internet_facing": True, "audit_logging": None}), "api"),
        ("TD-STORE-001", stack(classification="confidential", db={"encrypted_at_rest": False}), "db"),
    ],
)
def test_the_customers_own_zone_is_not_held_to_the_vendors_controls(
    rule_id: str, flagged: Architecture, member: str
) -> None:
    assert matches(rule_id, flagged) != []
    assert matches(rule_id, customer_network(flagged, member)) == []
