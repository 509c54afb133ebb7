"""Facts about the architecture graph: where each component sits, which flows cross boundaries, where data lives.

`ArchitectureIndex.from_architecture(arch)` walks the model once (O(components + flows + boundaries + assets))
and answers every later question by dictionary lookup. Trust levels: a component's effective level is the
`trust_level` of its innermost boundary; a component outside every boundary has level
`OUTSIDE_TRUST_LEVEL` (0) and ranks below every boundary whatever that boundary's level, so a flow from
outside into any boundary always goes into a more trusted zone.

The index tolerates dangling references (a flow naming a missing component, a boundary member that does not
exist): the hygiene checks run on models that validation may not have seen, so nothing here raises for them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from trustdocs.model.architecture import (
    CLASSIFICATION_RANK,
    Architecture,
    Component,
    DataAsset,
    DataFlow,
    TrustBoundary,
)

ElementKind = Literal["external_entity", "process", "data_store", "data_flow", "trust_boundary"]
Element = Component | DataFlow | TrustBoundary

OUTSIDE_TRUST_LEVEL = 0
"""The effective trust level reported for a component outside every boundary."""

NO_DATA = "none"
"""The classification reported for a flow or component that carries or holds no declared data asset."""

CLASSIFICATION_ORDER: tuple[str, ...] = ("none", "public", "internal", "confidential", "restricted")
"""Classifications from least to most sensitive, with 'none' (no declared data) below all of them."""


def classification_rank(classification: str) -> int:
    """Position of `classification` in CLASSIFICATION_ORDER; 'none' is 0."""
    return CLASSIFICATION_RANK[classification] + 1 if classification in CLASSIFICATION_RANK else 0


@dataclass(frozen=True)
class BoundaryCrossing:
    """The boundaries a flow leaves and enters, innermost first; empty when both ends share one zone."""

    exits: tuple[TrustBoundary, ...]
    entries: tuple[TrustBoundary, ...]


class ArchitectureIndex:
    """Lookups over one architecture, computed once; the public API other stages use for graph facts."""

    def __init__(self, architecture: Architecture):
        self.architecture = architecture
        self.components: dict[str, Component] = {}
        self.flows: dict[str, DataFlow] = {}
        self.boundaries: dict[str, TrustBoundary] = {}
        self.assets: dict[str, DataAsset] = {a.id: a for a in architecture.data_assets}
        self._parent: dict[str, TrustBoundary | None] = {}
        self._innermost: dict[str, TrustBoundary] = {}
        self._chains: dict[str, tuple[TrustBoundary, ...]] = {}
        self._stores: dict[str, list[Component]] = defaultdict(list)
        self._carriers: dict[str, list[DataFlow]] = defaultdict(list)
        self._outbound: dict[str, list[DataFlow]] = defaultdict(list)
        self._inbound: dict[str, list[DataFlow]] = defaultdict(list)
        for component in architecture.components:
            self.components.setdefault(component.id, component)
            for asset in component.stores:
                self._stores[asset].append(component)
        for flow in architecture.data_flows:
            self.flows.setdefault(flow.id, flow)
            self._outbound[flow.source].append(flow)
            self._inbound[flow.destination].append(flow)
            for asset in dict.fromkeys(flow.data):
                self._carriers[asset].append(flow)
        self._walk(architecture.trust_boundaries, None, ())

    @classmethod
    def from_architecture(cls, architecture: Architecture) -> ArchitectureIndex:
        return cls(architecture)

    def _walk(
        self, boundaries: tuple[TrustBoundary, ...], parent: TrustBoundary | None, chain: tuple[TrustBoundary, ...]
    ) -> None:
        for boundary in boundaries:
            if boundary.id in self.boundaries:  # a duplicate id (validation reports it): keep the first
                continue
            self.boundaries[boundary.id] = boundary
            self._parent[boundary.id] = parent
            inner = (boundary,) + chain
            self._chains[boundary.id] = inner
            for member in boundary.members:
                self._innermost.setdefault(member, boundary)
            self._walk(boundary.boundaries, boundary, inner)

    # Elements -------------------------------------------------------------------------------------------

    def element(self, element_id: str) -> Element | None:
        """The component, data flow or trust boundary with this id, or None."""
        return self.components.get(element_id) or self.flows.get(element_id) or self.boundaries.get(element_id)

    def kind(self, element_id: str) -> ElementKind | None:
        """'external_entity', 'process', 'data_store', 'data_flow', 'trust_boundary', or None if unknown."""
        if element_id in self.components:
            return self.components[element_id].kind
        if element_id in self.flows:
            return "data_flow"
        if element_id in self.boundaries:
            return "trust_boundary"
        return None

    def name(self, element_id: str) -> str:
        """The display name of an element (a flow is named by its ends), or the id itself when unknown."""
        element = self.element(element_id)
        if isinstance(element, DataFlow):
            return f"{self.name(element.source)} → {self.name(element.destination)}"
        return element.name if element is not None else element_id

    # Boundaries -----------------------------------------------------------------------------------------

    def boundary_of(self, component_id: str) -> TrustBoundary | None:
        """The innermost boundary that lists the component as a member; None when outside every boundary."""
        return self._innermost.get(component_id)

    def enclosing_boundaries(self, component_id: str) -> tuple[TrustBoundary, ...]:
        """Every boundary around the component, innermost first; empty when outside every boundary."""
        innermost = self._innermost.get(component_id)
        return self._chains[innermost.id] if innermost is not None else ()

    def parent_boundary(self, boundary_id: str) -> TrustBoundary | None:
        return self._parent.get(boundary_id)

    def customer_operated(self, component_id: str) -> bool:
        """True when a boundary around the component is operated by the customer (its controls are theirs)."""
        return any(b.operated_by == "customer" for b in self.enclosing_boundaries(component_id))

    def is_outside(self, component_id: str) -> bool:
        """True when the component belongs to no trust boundary."""
        return component_id not in self._innermost

    def trust_level(self, component_id: str) -> int:
        """The trust level of the component's innermost boundary; OUTSIDE_TRUST_LEVEL when outside every one."""
        boundary = self._innermost.get(component_id)
        return boundary.trust_level if boundary is not None else OUTSIDE_TRUST_LEVEL

    def crosses_boundary(self, flow: DataFlow) -> bool:
        """True when the flow's source and destination have different innermost boundaries."""
        return self._innermost.get(flow.source) is not self._innermost.get(flow.destination)

    def into_more_trusted(self, flow: DataFlow) -> bool:
        """True when the flow enters a zone trusted more than the one it leaves (outside ranks below all)."""
        if not self.crosses_boundary(flow) or self.is_outside(flow.destination):
            return False
        if self.is_outside(flow.source):
            return True
        return self.trust_level(flow.destination) > self.trust_level(flow.source)

    def crossing(self, flow: DataFlow) -> BoundaryCrossing:
        """The boundaries the flow leaves and enters (those around one end but not the other)."""
        source = self.enclosing_boundaries(flow.source)
        destination = self.enclosing_boundaries(flow.destination)
        source_ids = {b.id for b in source}
        destination_ids = {b.id for b in destination}
        return BoundaryCrossing(
            exits=tuple(b for b in source if b.id not in destination_ids),
            entries=tuple(b for b in destination if b.id not in source_ids),
        )

    def members(self, boundary_id: str, *, nested: bool = True) -> tuple[Component, ...]:
        """Components inside the boundary: direct members, and with `nested` those of boundaries within it."""
        boundary = self.boundaries.get(boundary_id)
        if boundary is None:
            return ()
        found = [self.components[m] for m in boundary.members if m in self.components]
        if nested:
            for inner in boundary.boundaries:
                found.extend(self.members(inner.id))
        return tuple(found)

    # Data -----------------------------------------------------------------------------------------------

    def stores_of(self, asset_id: str) -> tuple[Component, ...]:
        """The components whose `stores` include the asset, in model order."""
        return tuple(self._stores.get(asset_id, ()))

    def flows_carrying(self, asset_id: str) -> tuple[DataFlow, ...]:
        """The data flows whose `data` include the asset, in model order."""
        return tuple(self._carriers.get(asset_id, ()))

    def flows_from(self, component_id: str) -> tuple[DataFlow, ...]:
        return tuple(self._outbound.get(component_id, ()))

    def flows_to(self, component_id: str) -> tuple[DataFlow, ...]:
        return tuple(self._inbound.get(component_id, ()))

    def highest_classification(self, asset_ids: tuple[str, ...]) -> str:
        """The most sensitive classification among the assets (unknown ids ignored), or 'none'."""
        best = NO_DATA
        for asset_id in asset_ids:
            asset = self.assets.get(asset_id)
            if asset is not None and classification_rank(asset.classification) > classification_rank(best):
                best = asset.classification
        return best

    def carries_classification(self, flow: DataFlow) -> str:
        """The most sensitive classification of the data the flow carries, or 'none'."""
        return self.highest_classification(flow.data)

    def holds_classification(self, component_id: str) -> str:
        """The most sensitive classification of the data the component stores at rest, or 'none'."""
        component = self.components.get(component_id)
        return self.highest_classification(component.stores) if component is not None else NO_DATA

    def handled_assets(self, component_id: str) -> tuple[str, ...]:
        """Asset ids the component stores, receives or sends, once each: stored, then inbound, then outbound."""
        component = self.components.get(component_id)
        found: dict[str, None] = dict.fromkeys(component.stores if component is not None else ())
        for flow in self._inbound.get(component_id, ()):
            found.update(dict.fromkeys(flow.data))
        for flow in self._outbound.get(component_id, ()):
            found.update(dict.fromkeys(flow.data))
        return tuple(found)

    def handles_classification(self, component_id: str) -> str:
        """The most sensitive classification of any data the component stores, sends or receives."""
        return self.highest_classification(self.handled_assets(component_id))

    def has_personal_data(self, asset_ids: tuple[str, ...]) -> bool:
        return any(self.assets[a].personal_data for a in asset_ids if a in self.assets)
