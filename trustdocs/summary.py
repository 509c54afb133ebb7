"""A one-line count of what a project holds, printed by `validate` and `build`."""

from __future__ import annotations

from trustdocs.model.architecture import TrustBoundary
from trustdocs.model.project import Project


def _count_boundaries(boundaries: tuple[TrustBoundary, ...]) -> int:
    return sum(1 + _count_boundaries(b.boundaries) for b in boundaries)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summarise(project: Project) -> str:
    arch = project.architecture
    parts = [
        _plural(len(arch.components), "component"),
        _plural(_count_boundaries(arch.trust_boundaries), "trust boundary").replace("boundarys", "boundaries"),
        _plural(len(arch.data_flows), "data flow"),
        _plural(len(project.threat_model.threats), "threat"),
    ]
    if project.sla is not None:
        parts.append(_plural(len(project.sla.services), "service"))
    if project.incidents:
        parts.append(_plural(len(project.incidents), "incident"))
    if project.insurance is not None:
        parts.append(_plural(len(project.insurance.policies), "insurance policy").replace("policys", "policies"))
    if project.customer is not None:
        parts.append(f"terms for {project.customer.legal_name}")
    return ", ".join(parts)
