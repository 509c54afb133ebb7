"""Audience filtering: internal items never reach an output, and a public build leaves out NDA items too."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, Literal

from trustdocs.model.architecture import Architecture, TrustBoundary
from trustdocs.model.project import Project

OutputAudience = Literal["nda", "public"]
CLASSIFICATION_AUDIENCE: dict[str, OutputAudience] = {"public": "public", "confidential": "nda", "nda": "nda"}
"""Who reads a document of each classification."""
_ALLOWED: dict[str, frozenset[str]] = {"nda": frozenset({"public", "nda"}), "public": frozenset({"public"})}


def for_audience(project: Project, audience: OutputAudience = "nda") -> Project:
    """The project as `audience` may read it.

    Every item (in any list of the model) marked with an audience outside what `audience` allows is removed;
    then references to removed components are dropped, so no flow, boundary or threat mentions them.
    """
    allowed = _ALLOWED[audience]
    filtered: Project = _filter(project, allowed)
    arch = _prune_architecture(filtered.architecture)
    elements = (
        {c.id for c in arch.components} | {f.id for f in arch.data_flows} | {b.id for b in _walk(arch.trust_boundaries)}
    )
    threats = []
    for threat in filtered.threat_model.threats:
        targets = tuple(t for t in threat.targets if t in elements)
        if targets:
            threats.append(replace(threat, targets=targets))
    model = replace(filtered.threat_model, threats=tuple(threats))
    # Every incident counts towards measured availability whoever reads the document (a figure must not
    # change with the audience); documents that list incidents leave out the ones the reader may not see.
    return replace(filtered, architecture=arch, threat_model=model, incidents=project.incidents)


def readers_of(project: Project) -> OutputAudience:
    """Who reads the project's documents, as its classification says."""
    return CLASSIFICATION_AUDIENCE.get(project.document.classification, "nda")


def may_read(audience: OutputAudience, item_audience: str) -> bool:
    """Whether readers of an `audience` document may see an item marked `item_audience`."""
    return item_audience in _ALLOWED[audience]


def _filter(value: Any, allowed: frozenset[str]) -> Any:
    if isinstance(value, tuple):
        return tuple(
            _filter(v, allowed) for v in value if getattr(v, "audience", None) is None or v.audience in allowed
        )
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            current = getattr(value, f.name)
            if isinstance(current, tuple) or dataclasses.is_dataclass(current):
                new = _filter(current, allowed)
                if new is not current and new != current:
                    changes[f.name] = new
        return replace(value, **changes) if changes else value
    return value


def _walk(boundaries: tuple[TrustBoundary, ...]) -> Iterator[TrustBoundary]:
    for b in boundaries:
        yield b
        yield from _walk(b.boundaries)


def _prune_architecture(arch: Architecture) -> Architecture:
    ids = {c.id for c in arch.components}
    flows = tuple(f for f in arch.data_flows if f.source in ids and f.destination in ids)
    assets = {a.id for a in arch.data_assets}

    def prune(b: TrustBoundary) -> TrustBoundary:
        return replace(
            b, members=tuple(m for m in b.members if m in ids), boundaries=tuple(prune(n) for n in b.boundaries)
        )

    flows = tuple(replace(f, data=tuple(d for d in f.data if d in assets)) for f in flows)
    components = tuple(replace(c, stores=tuple(s for s in c.stores if s in assets)) for c in arch.components)
    return replace(
        arch, components=components, data_flows=flows, trust_boundaries=tuple(prune(b) for b in arch.trust_boundaries)
    )
