"""The rule engine: loads the declarative rule files shipped in this package, validates them, evaluates them.

A rule file holds `rules:`, a list of mappings:

    - id: TD-FLOW-001                 # TD-<AREA>-<NNN>, unique across all files
      title: Unencrypted data flow crosses a trust boundary
      element: data_flow              # data_flow | external_entity | process | data_store | component
      stride: I
      cwe: CWE-319
      severity: high                  # low | medium | high | critical
      answered_by: [flow]             # whose threats answer it (flow rules: flow, source, destination)
      explanation: Why it matters and what to do.
      message: "data flow '{flow}' ({source} → {destination}) ..."   # {placeholders} from facts.py
      match:                          # a condition:
        all:                          #   all: [conditions] | any: [conditions] | not: condition
          - flow.crosses_boundary     #   a bool or tristate fact's name: the fact is true
          - not: flow.encrypted
          - {fact: flow.carries_classification, at_least: confidential}   # is | in | at_least | at_most

Nothing in a rule is executed: conditions are parsed into a small tree over the fixed vocabulary of facts in
facts.py and every name, operator and value is checked when the files are loaded. A malformed rule is a bug
in trustdocs, reported by RuleFileError naming the file, the rule and the path to the fault.

A rule that matches an element gives a finding `<rule id>:<element id>`, unless a registered threat answers
it: a threat, of any status, whose `stride` includes the rule's letter and whose `targets` include one of
the `answered_by` elements. Answered matches are not findings; they are returned separately so reports can show which threat
answers which rule.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import yaml

from trustdocs.analyse.architecture import ArchitectureIndex
from trustdocs.analyse.findings import Finding, RuleInfo, finding_id
from trustdocs.analyse.rules.facts import (
    ANSWERING_ELEMENTS,
    PLACEHOLDERS,
    RULE_ELEMENTS,
    VOCABULARY,
    Fact,
    component_facts,
    component_placeholders,
    flow_facts,
    flow_placeholders,
)
from trustdocs.errors import TrustdocsError
from trustdocs.model.threats import SEVERITY_RANK, STRIDE_NAMES, Threat

RULE_KEYS = {"id", "title", "element", "stride", "cwe", "severity", "explanation", "message", "match", "answered_by"}
REQUIRED_KEYS = RULE_KEYS - {"answered_by"}
ID_PATTERN = re.compile(r"^TD-[A-Z]+-[0-9]{3}$")
CWE_PATTERN = re.compile(r"^CWE-[0-9]+$")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
OPERATORS: dict[str, tuple[str, ...]] = {
    "bool": ("is",),
    "tristate": ("is",),
    "enum": ("is", "in"),
    "ordered": ("is", "in", "at_least", "at_most"),
    "int": ("is", "in", "at_least", "at_most"),
    "text": ("is", "in"),
}


class RuleFileError(TrustdocsError):
    """A shipped rule file is malformed: a bug in trustdocs, not in the user's input."""


# Conditions ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Test:
    fact: Fact
    operator: str
    value: Any

    def holds(self, facts: dict[str, Any]) -> bool:
        actual = facts.get(self.fact.name)
        if self.fact.type == "text":
            actual = actual.casefold() if isinstance(actual, str) else actual
        if self.operator == "is":
            return bool(actual == self.value)
        if self.operator == "in":
            return actual in self.value
        if actual is None:
            return False
        if self.fact.type == "ordered":
            actual = self.fact.values.index(actual)
        return bool(actual >= self.value if self.operator == "at_least" else actual <= self.value)


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]

    def holds(self, facts: dict[str, Any]) -> bool:
        return all(c.holds(facts) for c in self.conditions)


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]

    def holds(self, facts: dict[str, Any]) -> bool:
        return any(c.holds(facts) for c in self.conditions)


@dataclass(frozen=True)
class Not:
    condition: Condition

    def holds(self, facts: dict[str, Any]) -> bool:
        return not self.condition.holds(facts)


Condition = Test | AllOf | AnyOf | Not


@dataclass(frozen=True)
class Rule:
    info: RuleInfo
    element: str
    answered_by: tuple[str, ...]
    message: str
    match: Condition
    source: str
    """The rule file it came from, for error messages."""


# Loading ------------------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, source: str, where: str, element: str):
        self.source, self.where, self.vocabulary = source, where, VOCABULARY[element]

    def fail(self, path: str, message: str) -> RuleFileError:
        at = f": {path}" if path else ""
        return RuleFileError(f"{self.source}: {self.where}{at}: {message} (a bug in trustdocs' rule files)")

    def fact(self, name: Any, path: str) -> Fact:
        if not isinstance(name, str):
            raise self.fail(path, f"expected a fact name, found {name!r}")
        if name not in self.vocabulary:
            close = difflib.get_close_matches(name, list(self.vocabulary), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise self.fail(path, f"unknown fact '{name}' for this element type{hint}")
        return self.vocabulary[name]

    def condition(self, node: Any, path: str) -> Condition:
        if isinstance(node, str):
            fact = self.fact(node, path)
            if fact.type not in ("bool", "tristate"):
                raise self.fail(
                    path,
                    f"fact '{node}' is {fact.type}, not true/false: write a test ({', '.join(OPERATORS[fact.type])})",
                )
            return Test(fact, "is", True)
        if not isinstance(node, dict) or not node:
            raise self.fail(path, f"expected a fact name or a mapping, found {node!r}")
        if "fact" in node:
            return self.test(node, path)
        if len(node) != 1:
            raise self.fail(path, f"expected one of all, any, not; found {', '.join(map(str, node))}")
        ((key, value),) = node.items()
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise self.fail(f"{path}.{key}", "expected a non-empty list of conditions")
            children = tuple(self.condition(v, f"{path}.{key}[{i}]") for i, v in enumerate(value))
            return AllOf(children) if key == "all" else AnyOf(children)
        if key == "not":
            return Not(self.condition(value, f"{path}.not"))
        raise self.fail(path, f"unknown condition '{key}' (expected all, any, not or fact)")

    def test(self, node: dict[str, Any], path: str) -> Test:
        fact = self.fact(node["fact"], f"{path}.fact")
        operators = [k for k in node if k != "fact"]
        if len(operators) != 1 or operators[0] not in OPERATORS[fact.type]:
            raise self.fail(
                path,
                f"a test of {fact.type} fact '{fact.name}' takes exactly one of "
                f"{', '.join(OPERATORS[fact.type])}; found {', '.join(operators) or 'none'}",
            )
        operator = operators[0]
        raw = node[operator]
        if operator == "in":
            if not isinstance(raw, list) or not raw:
                raise self.fail(f"{path}.in", "expected a non-empty list")
            return Test(fact, operator, tuple(self.value(fact, v, f"{path}.in") for v in raw))
        value = self.value(fact, raw, f"{path}.{operator}")
        if operator in ("at_least", "at_most") and fact.type == "ordered":
            value = fact.values.index(value)
        return Test(fact, operator, value)

    def value(self, fact: Fact, value: Any, path: str) -> Any:
        ok = {
            "bool": isinstance(value, bool),
            "tristate": value is None or isinstance(value, bool),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "text": isinstance(value, str) or value is None,
            "enum": value in fact.values,
            "ordered": value in fact.values,
        }[fact.type]
        if not ok:
            allowed = f" (one of {', '.join(fact.values)})" if fact.values else ""
            raise self.fail(path, f"{value!r} is not a valid value of {fact.type} fact '{fact.name}'{allowed}")
        return value.casefold() if fact.type == "text" and isinstance(value, str) else value


def _text(raw: dict[str, Any], key: str, fail: Any) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(key, "expected non-empty text")
    return " ".join(value.split())


def parse_rule(raw: Any, source: str, position: int) -> Rule:
    """Build one rule from its mapping in `source`; raises RuleFileError for any fault."""
    where = f"rules[{position}]"
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        where += f" ({raw['id']})"
    element = raw.get("element") if isinstance(raw, dict) else None
    parser = _Parser(source, where, element if element in RULE_ELEMENTS else "component")
    if not isinstance(raw, dict):
        raise parser.fail("", "expected a mapping")
    unknown = sorted(set(raw) - RULE_KEYS)
    missing = sorted(REQUIRED_KEYS - set(raw))
    if unknown or missing:
        faults = [f"unknown key(s) {', '.join(unknown)}"] if unknown else []
        faults += [f"missing {', '.join(missing)}"] if missing else []
        raise parser.fail("", "; ".join(faults))
    if element not in RULE_ELEMENTS:
        raise parser.fail("element", f"expected one of {', '.join(RULE_ELEMENTS)}, found {element!r}")
    checks = [
        ("id", ID_PATTERN.match(str(raw["id"])), "expected TD-<AREA>-<NNN>"),
        ("stride", raw["stride"] in STRIDE_NAMES, "expected one of S, T, R, I, D, E"),
        ("cwe", CWE_PATTERN.match(str(raw["cwe"])), "expected CWE-<number>"),
        ("severity", raw["severity"] in SEVERITY_RANK, "expected low, medium, high or critical"),
    ]
    for key, ok, expected in checks:
        if not ok:
            raise parser.fail(key, f"{expected}, found {raw[key]!r}")
    allowed = ANSWERING_ELEMENTS[element]
    answered_by = raw.get("answered_by", [allowed[0]])
    if not isinstance(answered_by, list) or not answered_by or any(a not in allowed for a in answered_by):
        raise parser.fail("answered_by", f"expected a list of {', '.join(allowed)}, found {answered_by!r}")
    message = _text(raw, "message", parser.fail)
    known = PLACEHOLDERS["data_flow" if element == "data_flow" else "component"]
    for name in PLACEHOLDER.findall(message):
        if name not in known:
            raise parser.fail("message", f"unknown placeholder '{{{name}}}' (known: {', '.join(sorted(known))})")
    info = RuleInfo(
        id=raw["id"],
        title=_text(raw, "title", parser.fail),
        severity=raw["severity"],
        explanation=_text(raw, "explanation", parser.fail),
        category="rule",
        stride=raw["stride"],
        cwe=raw["cwe"],
    )
    return Rule(
        info, element, tuple(dict.fromkeys(answered_by)), message, parser.condition(raw["match"], "match"), source
    )


def parse_rule_file(text: str, source: str) -> tuple[Rule, ...]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleFileError(f"{source}: not valid YAML: {exc} (a bug in trustdocs' rule files)") from None
    if not isinstance(data, dict) or set(data) != {"rules"} or not isinstance(data["rules"], list):
        raise RuleFileError(
            f"{source}: expected a mapping with one key 'rules' holding a list (a bug in trustdocs' rule files)"
        )
    return tuple(parse_rule(raw, source, i) for i, raw in enumerate(data["rules"]))


def check_unique(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.info.id in seen:
            raise RuleFileError(
                f"{rule.source}: rule id {rule.info.id} is already defined in "
                f"{seen[rule.info.id].source} (a bug in trustdocs' rule files)"
            )
        seen[rule.info.id] = rule
    return tuple(sorted(seen.values(), key=lambda r: r.info.id))


@functools.cache
def load_rules() -> tuple[Rule, ...]:
    """Every rule shipped in trustdocs/analyse/rules/*.yaml, validated, sorted by id."""
    package = files("trustdocs.analyse.rules")
    found: list[Rule] = []
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            found.extend(parse_rule_file(entry.read_text(encoding="utf-8"), f"trustdocs/analyse/rules/{entry.name}"))
    return check_unique(found)


# Evaluation ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnsweredFinding:
    """A rule match a registered threat answers: not a finding, but shown so a reviewer can see the link."""

    finding: Finding
    threat_ids: tuple[str, ...]


def _fill(template: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def evaluate_rules(
    index: ArchitectureIndex, threats: Iterable[Threat], rules: Iterable[Rule] | None = None
) -> tuple[list[Finding], list[AnsweredFinding]]:
    """Run `rules` (default: the shipped ones) over every component and flow of `index`."""
    rules = load_rules() if rules is None else tuple(rules)
    answering: dict[tuple[str, str], list[str]] = {}
    for threat in threats:
        for target in dict.fromkeys(threat.targets):
            for letter in dict.fromkeys(threat.stride):
                answering.setdefault((target, letter), []).append(threat.id)
    by_element: dict[str, list[Rule]] = {}
    for rule in rules:
        by_element.setdefault(rule.element, []).append(rule)
    findings: list[Finding] = []
    answered: list[AnsweredFinding] = []

    def record(rule: Rule, element_id: str, location: Any, ends: dict[str, str], placeholders: Any) -> None:
        threat_ids = tuple(
            dict.fromkeys(
                t for role in rule.answered_by for t in answering.get((ends[role], rule.info.stride or ""), ())
            )
        )
        finding = Finding(
            id=finding_id(rule.info.id, element_id),
            rule_id=rule.info.id,
            severity=rule.info.severity,
            title=rule.info.title,
            message=_fill(rule.message, placeholders()),
            element=element_id,
            location=location,
            category="rule",
            stride=rule.info.stride,
        )
        if threat_ids:
            answered.append(AnsweredFinding(finding, threat_ids))
        else:
            findings.append(finding)

    flow_rules = by_element.get("data_flow", [])
    if flow_rules:
        for flow in index.flows.values():
            facts = flow_facts(index, flow)
            ends = {"flow": flow.id, "source": flow.source, "destination": flow.destination}
            for rule in flow_rules:
                if rule.match.holds(facts):
                    record(rule, flow.id, flow.loc, ends, functools.partial(flow_placeholders, index, flow))
    for component in index.components.values():
        component_rules = by_element.get(component.kind, []) + by_element.get("component", [])
        if not component_rules:
            continue
        facts = component_facts(index, component)
        ends = {"component": component.id}
        for rule in component_rules:
            if rule.match.holds(facts):
                record(
                    rule, component.id, component.loc, ends, functools.partial(component_placeholders, index, component)
                )
    return findings, answered
