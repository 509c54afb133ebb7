"""The fixed vocabulary of facts rule files may test, and how each is computed from the architecture.

A rule applies to one element type and may use the facts listed for it: flow rules `flow.*`, `source.*` and
`destination.*`; component rules `component.*`, plus `store.*` for data stores and `process.*` for processes.
Each fact has a type that decides which tests a rule may apply to it (see engine.py).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, Literal

from trustdocs.analyse.architecture import CLASSIFICATION_ORDER, ArchitectureIndex
from trustdocs.model.architecture import Authentication, Component, ComponentKind, DataFlow, Encryption

FactType = Literal["bool", "tristate", "enum", "ordered", "int", "text"]
"""bool: true/false; tristate: true/false/null (not stated); enum: one of `values`; ordered: one of `values`,
compared by position; int: a number; text: free text (compared case-insensitively)."""

RuleElement = Literal["data_flow", "external_entity", "process", "data_store", "component"]
RULE_ELEMENTS: tuple[str, ...] = typing.get_args(RuleElement)

_KINDS = typing.get_args(ComponentKind)


@dataclass(frozen=True)
class Fact:
    name: str
    type: FactType
    description: str
    values: tuple[str, ...] = ()
    """The allowed values of an enum or ordered fact, least first for ordered ones."""


def _facts(*facts: Fact) -> dict[str, Fact]:
    return {f.name: f for f in facts}


def _end_facts(end: str) -> tuple[Fact, ...]:
    return (
        Fact(f"{end}.kind", "enum", f"the {end} component's kind", _KINDS),
        Fact(f"{end}.internet_facing", "bool", f"the {end} is reachable from the internet"),
        Fact(f"{end}.outside_boundaries", "bool", f"the {end} belongs to no trust boundary"),
        Fact(f"{end}.trust_level", "int", f"the trust level of the {end}'s innermost boundary (0 outside)"),
        Fact(f"{end}.audit_logging", "tristate", f"the {end} writes an audit log (null: not stated)"),
        Fact(f"{end}.encrypted_at_rest", "tristate", f"the {end} encrypts data at rest (null: not stated)"),
        Fact(f"{end}.customer_operated", "bool", f"the {end} sits in a trust boundary the customer operates"),
    )


FLOW_FACTS = _facts(
    Fact("flow.encrypted", "bool", "the flow uses any encryption"),
    Fact("flow.encryption", "enum", "the flow's encryption", typing.get_args(Encryption)),
    Fact("flow.authentication", "enum", "how the flow is authenticated", typing.get_args(Authentication)),
    Fact("flow.authenticated", "bool", "the flow's authentication is not 'none'"),
    Fact("flow.crosses_boundary", "bool", "source and destination are in different innermost boundaries"),
    Fact("flow.into_more_trusted", "bool", "the destination's zone is trusted more than the source's"),
    Fact("flow.boundaries_entered", "int", "how many boundaries the flow enters"),
    Fact("flow.boundaries_exited", "int", "how many boundaries the flow leaves"),
    Fact("flow.carries_classification", "ordered", "the most sensitive data the flow carries", CLASSIFICATION_ORDER),
    Fact("flow.carries_personal_data", "bool", "the flow carries a personal-data asset"),
    Fact("flow.carries_data", "bool", "the flow declares at least one data asset"),
    Fact("flow.tls_version", "text", "the stated TLS version (null when not stated)"),
    Fact("flow.protocol", "text", "the flow's protocol"),
    Fact("flow.authorised", "bool", "the flow states an authorisation rule"),
    *_end_facts("source"),
    *_end_facts("destination"),
)

COMPONENT_FACTS = _facts(
    Fact("component.kind", "enum", "the component's kind", _KINDS),
    Fact("component.internet_facing", "bool", "the component is reachable from the internet"),
    Fact("component.outside_boundaries", "bool", "the component belongs to no trust boundary"),
    Fact("component.trust_level", "int", "the trust level of its innermost boundary (0 outside)"),
    Fact(
        "component.customer_operated",
        "bool",
        "it sits in a trust boundary the customer operates, so its controls are the customer's",
    ),
    Fact("component.has_flows", "bool", "some data flow starts or ends at the component"),
    Fact("component.inbound_unauthenticated", "bool", "some flow into the component has no authentication"),
    Fact("component.inbound_from_external_entity", "bool", "some flow into it comes from an external entity"),
)

STORE_FACTS = _facts(
    Fact("store.encrypted_at_rest", "tristate", "the store encrypts data at rest (null: not stated)"),
    Fact("store.holds_classification", "ordered", "the most sensitive data it stores", CLASSIFICATION_ORDER),
    Fact("store.holds_personal_data", "bool", "it stores a personal-data asset"),
    Fact("store.holds_data", "bool", "it declares at least one stored data asset"),
)

PROCESS_FACTS = _facts(
    Fact("process.audit_logging", "tristate", "the process writes an audit log (null: not stated)"),
    Fact(
        "process.handles_classification",
        "ordered",
        "the most sensitive data it sends or receives",
        CLASSIFICATION_ORDER,
    ),
    Fact("process.handles_personal_data", "bool", "it sends or receives a personal-data asset"),
)

VOCABULARY: dict[str, dict[str, Fact]] = {
    "data_flow": FLOW_FACTS,
    "component": COMPONENT_FACTS,
    "external_entity": COMPONENT_FACTS,
    "process": {**COMPONENT_FACTS, **PROCESS_FACTS},
    "data_store": {**COMPONENT_FACTS, **STORE_FACTS},
}
"""The facts a rule for each element type may use."""

ANSWERING_ELEMENTS: dict[str, tuple[str, ...]] = {
    "data_flow": ("flow", "source", "destination"),
    "component": ("component",),
    "external_entity": ("component",),
    "process": ("component",),
    "data_store": ("component",),
}
"""Which elements' threats a rule may name in `answered_by`."""


def _zone(index: ArchitectureIndex, component_id: str) -> str:
    boundary = index.boundary_of(component_id)
    return f"'{boundary.name}'" if boundary is not None else "outside every boundary"


def _end_values(index: ArchitectureIndex, end: str, component_id: str) -> dict[str, Any]:
    component = index.components.get(component_id)
    return {
        f"{end}.kind": component.kind if component else None,
        f"{end}.internet_facing": component.internet_facing if component else False,
        f"{end}.outside_boundaries": index.is_outside(component_id),
        f"{end}.trust_level": index.trust_level(component_id),
        f"{end}.audit_logging": component.audit_logging if component else None,
        f"{end}.encrypted_at_rest": component.encrypted_at_rest if component else None,
        f"{end}.customer_operated": index.customer_operated(component_id),
    }


def flow_facts(index: ArchitectureIndex, flow: DataFlow) -> dict[str, Any]:
    crossing = index.crossing(flow)
    return {
        "flow.encrypted": flow.encrypted,
        "flow.encryption": flow.encryption,
        "flow.authentication": flow.authentication,
        "flow.authenticated": flow.authentication != "none",
        "flow.crosses_boundary": index.crosses_boundary(flow),
        "flow.into_more_trusted": index.into_more_trusted(flow),
        "flow.boundaries_entered": len(crossing.entries),
        "flow.boundaries_exited": len(crossing.exits),
        "flow.carries_classification": index.carries_classification(flow),
        "flow.carries_personal_data": index.has_personal_data(flow.data),
        "flow.carries_data": bool(flow.data),
        "flow.tls_version": flow.tls_version,
        "flow.protocol": flow.protocol,
        "flow.authorised": bool(flow.authorisation.strip()),
        **_end_values(index, "source", flow.source),
        **_end_values(index, "destination", flow.destination),
    }


def flow_placeholders(index: ArchitectureIndex, flow: DataFlow) -> dict[str, str]:
    return {
        "flow": flow.id,
        "source": flow.source,
        "destination": flow.destination,
        "source_name": index.name(flow.source),
        "destination_name": index.name(flow.destination),
        "source_zone": _zone(index, flow.source),
        "destination_zone": _zone(index, flow.destination),
        "classification": index.carries_classification(flow),
        "authentication": flow.authentication,
        "encryption": flow.encryption,
        "tls_version": flow.tls_version or "not stated",
        "protocol": flow.protocol,
    }


def component_facts(index: ArchitectureIndex, component: Component) -> dict[str, Any]:
    inbound = index.flows_to(component.id)
    facts: dict[str, Any] = {
        "component.kind": component.kind,
        "component.internet_facing": component.internet_facing,
        "component.outside_boundaries": index.is_outside(component.id),
        "component.trust_level": index.trust_level(component.id),
        "component.customer_operated": index.customer_operated(component.id),
        "component.has_flows": bool(inbound or index.flows_from(component.id)),
        "component.inbound_unauthenticated": any(f.authentication == "none" for f in inbound),
        "component.inbound_from_external_entity": any(
            getattr(index.components.get(f.source), "kind", None) == "external_entity" for f in inbound
        ),
    }
    if component.kind == "data_store":
        facts.update(
            {
                "store.encrypted_at_rest": component.encrypted_at_rest,
                "store.holds_classification": index.holds_classification(component.id),
                "store.holds_personal_data": index.has_personal_data(component.stores),
                "store.holds_data": bool(component.stores),
            }
        )
    if component.kind == "process":
        handled = index.handled_assets(component.id)
        facts.update(
            {
                "process.audit_logging": component.audit_logging,
                "process.handles_classification": index.highest_classification(handled),
                "process.handles_personal_data": index.has_personal_data(handled),
            }
        )
    return facts


def component_placeholders(index: ArchitectureIndex, component: Component) -> dict[str, str]:
    return {
        "component": component.id,
        "name": component.name,
        "kind": component.kind.replace("_", " "),
        "zone": _zone(index, component.id),
        "holds": index.holds_classification(component.id),
        "handles": index.handles_classification(component.id),
        "audit_logging": _stated(component.audit_logging),
        "encrypted_at_rest": _stated(component.encrypted_at_rest),
    }


def _stated(value: bool | None) -> str:
    return "not stated" if value is None else ("yes" if value else "no")


PLACEHOLDERS: dict[str, frozenset[str]] = {
    "data_flow": frozenset(
        {
            "flow",
            "source",
            "destination",
            "source_name",
            "destination_name",
            "source_zone",
            "destination_zone",
            "classification",
            "authentication",
            "encryption",
            "tls_version",
            "protocol",
        }
    ),
    "component": frozenset(
        {
            "component",
            "name",
            "kind",
            "zone",
            "holds",
            "handles",
            "audit_logging",
            "encrypted_at_rest",
        }
    ),
}
"""The {placeholders} a rule's message may use, by element type (every component type shares one set)."""
