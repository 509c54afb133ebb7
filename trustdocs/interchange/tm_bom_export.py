"""trustdocs to TM-BOM (the OWASP Threat Model Library schema 1.0.2): schema fields, and an extension for the rest."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from typing import Any

from trustdocs.interchange.tm_bom import (
    EXTENSION,
    IMPACTS,
    LIKELIHOODS,
    OUTSIDE,
    PERSONA,
    SCHEMA_URI,
)
from trustdocs.model.architecture import TrustBoundary
from trustdocs.model.project import Project
from trustdocs.model.threats import STRIDE_NAMES

_MITIGATION_STATUS = {"implemented": "active", "partial": "under_review", "planned": "scheduled"}


def symbolic_names(ids: list[str]) -> dict[str, str]:
    """trustdocs ids to TM-BOM symbolic names (lower-case letters, digits and '-'), collision-free in order."""
    bases = [re.sub(r"-+", "-", re.sub(r"[^0-9a-z-]", "-", i.lower())).strip("-") or "id" for i in ids]
    taken: set[str] = {OUTSIDE, PERSONA}
    wanted = set(bases)
    names: dict[str, str] = {}
    for original, base in zip(ids, bases, strict=True):
        candidate, n = base, 1
        while candidate in taken or (n > 1 and candidate in wanted):
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        names[original] = candidate
    return names


def _input_form(item: Any, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """A model object as trustdocs input: fields that differ from their default, without `loc` and `drop`."""
    found: dict[str, Any] = {}
    for f in dataclasses.fields(item):
        if f.name == "loc" or f.name in drop:
            continue
        value = getattr(item, f.name)
        default = (
            f.default
            if f.default is not dataclasses.MISSING
            else (f.default_factory() if f.default_factory is not dataclasses.MISSING else dataclasses.MISSING)
        )
        if value == default:
            continue
        found[f.name] = _plain(value)
    return found


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _input_form(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _flatten(boundaries: tuple[TrustBoundary, ...], parent: str | None) -> list[tuple[TrustBoundary, str | None]]:
    found: list[tuple[TrustBoundary, str | None]] = []
    for boundary in boundaries:
        found.append((boundary, parent))
        found += _flatten(boundary.boundaries, boundary.id)
    return found


def _scaled(level: str, scale: tuple[str, ...], target: tuple[str, ...]) -> str:
    rank = scale.index(level) + 1
    return target[max(1, round(rank * len(target) / len(scale))) - 1]


def export_tm_bom(project: Project) -> bytes:
    """The project's architecture and threat model as TM-BOM JSON bytes (sorted keys, so the bytes are
    deterministic)."""
    from trustdocs.analyse.risk import rate

    arch, model = project.architecture, project.threat_model
    zones = _flatten(arch.trust_boundaries, None)
    ids = (
        [c.id for c in arch.components]
        + [b.id for b, _ in zones]
        + [f.id for f in arch.data_flows]
        + [a.id for a in arch.data_assets]
        + [t.id for t in model.threats]
        + [m.id for m in model.mitigations]
    )
    sym = symbolic_names(ids)
    zone_of = {member: boundary.id for boundary, _ in zones for member in boundary.members}
    kinds = {c.id: c.kind for c in arch.components}
    ext: dict[str, Any] = {
        "ids": [[sym[i], i] for i in ids],
        "components": {},
        "trust_zones": {},
        "data_flows": {},
        "data_sets": {},
        "threats": {},
        "controls": {},
    }

    def zone(element: str) -> str:
        return sym[zone_of[element]] if element in zone_of else OUTSIDE

    def ref(element: str) -> dict[str, str]:
        kind = {"external_entity": "actor", "process": "component", "data_store": "data-store"}[kinds[element]]
        return {"type": kind, "object": sym[element]}

    actors, components, stores = [], [], []
    for c in arch.components:
        base = {"symbolic_name": sym[c.id], "title": c.name, "description": c.description}
        ext["components"][sym[c.id]] = _input_form(c, ("id", "name", "description"))
        if c.kind == "external_entity":
            actors.append({**base, "type": "third_party", "trust_zone": zone(c.id)})
        elif c.kind == "process":
            components.append({**base, "trust_zone": zone(c.id)})
        else:
            stores.append(
                {**base, "type": _store_type(c.technology), "product": c.technology, "trust_zone": zone(c.id)}
            )
    trust_zones = [
        {
            "symbolic_name": OUTSIDE,
            "title": "Outside every trust boundary",
            "description": "Elements that no trust boundary of the model holds.",
        }
    ]
    boundaries = []
    for boundary, parent in zones:
        trust_zones.append(
            {"symbolic_name": sym[boundary.id], "title": boundary.name, "description": boundary.description}
        )
        boundaries.append({"trust_zone_a": sym[parent] if parent else OUTSIDE, "trust_zone_b": sym[boundary.id]})
        ext["trust_zones"][sym[boundary.id]] = {
            "trust_level": boundary.trust_level,
            "parent": parent,
            "members": list(boundary.members),
        }
    assets = {a.id: a for a in arch.data_assets}
    data_sets = []
    for a in arch.data_assets:
        placements = [
            {"data_store": sym[c.id], **({"encrypted": c.encrypted_at_rest} if c.encrypted_at_rest is not None else {})}
            for c in arch.components
            if a.id in c.stores
        ]
        data_sets.append(
            {
                "symbolic_name": sym[a.id],
                "title": a.name,
                "description": a.description,
                "placements": placements,
                "data_sensitivity": ["pii"] if a.personal_data else [],
            }
        )
        ext["data_sets"][sym[a.id]] = _input_form(a, ("id", "name", "description"))
    flows = []
    for f in arch.data_flows:
        carried = [assets[d] for d in f.data if d in assets]
        flows.append(
            {
                "symbolic_name": sym[f.id],
                "title": f"{f.source} to {f.destination}",
                "description": f.description,
                "source": ref(f.source),
                "destination": ref(f.destination),
                "has_sensitive_data": any(
                    a.classification in ("confidential", "restricted") or a.personal_data for a in carried
                ),
                "encrypted": f.encryption != "none",
            }
        )
        ext["data_flows"][sym[f.id]] = _input_form(f, ("id", "description"))
    threats, risks = [], []
    matrix = model.risk_matrix
    for t in model.threats:
        threats.append(
            {
                "symbolic_name": sym[t.id],
                "title": t.title,
                "description": t.description,
                "components_affected": [sym[target] for target in t.targets if target in sym],
                "threat_persona": PERSONA,
                "event": ", ".join(STRIDE_NAMES[letter] for letter in t.stride),
                "sources": ["adversary"],
                "attack_mechanisms": [{"capec_id": int(c.split("-")[1])} for c in t.capec],
                "weaknesses": [{"cwe_id": int(c.split("-")[1])} for c in t.cwe],
            }
        )
        score = rate(matrix, t.likelihood, t.impact)
        risks.append(
            {
                "symbolic_name": f"risk-{sym[t.id]}",
                "title": t.title,
                "description": t.description,
                "threats": [sym[t.id]],
                "likelihood": _scaled(t.likelihood, matrix.likelihood, LIKELIHOODS),
                "impact": _scaled(t.impact, matrix.impact, IMPACTS),
                "impact_description": "",
                "score": min(25, score.score),
                "level": score.severity,
            }
        )
        ext["threats"][sym[t.id]] = _input_form(t, ("id", "title", "description"))
    controls = []
    for m in model.mitigations:
        addressed = [t for t in model.threats if m.id in t.mitigations]
        priority = "none"
        for t in addressed:
            level = rate(matrix, t.likelihood, t.impact).severity
            if _PRIORITY.index(level) > _PRIORITY.index(priority):
                priority = level
        controls.append(
            {
                "symbolic_name": sym[m.id],
                "title": m.title,
                "description": m.description,
                "threats": [sym[t.id] for t in addressed],
                "status": _MITIGATION_STATUS[m.status],
                "priority": priority,
            }
        )
        ext["controls"][sym[m.id]] = _input_form(m, ("id", "title", "description"))
    ext["exemptions"] = [_input_form(e) for e in model.exemptions]
    ext["methodology"] = model.methodology
    ext["tenancy"] = arch.tenancy
    used = {control for m in model.mitigations for control in m.controls}
    ext["security_controls"] = [_input_form(c) for c in project.security.controls if c.id in used]
    ext["risk_matrix"] = _input_form(matrix)
    document = {
        "$schema": SCHEMA_URI,
        "version": project.document.version if re.fullmatch(r"\d+(\.\d+)*", project.document.version) else "1",
        "scope": {
            "title": project.document.product,
            "description": arch.overview or project.document.product,
            "business_criticality": "high",
            "data_sensitivity": ["pii"] if any(a.personal_data for a in arch.data_assets) else [],
            "exposure": "external" if any(c.internet_facing for c in arch.components) else "internal",
            "tier": "business_critical",
        },
        "description": arch.overview,
        "trust_zones": trust_zones,
        "trust_boundaries": boundaries,
        "actors": actors,
        "components": components,
        "data_stores": stores,
        "data_sets": data_sets,
        "data_flows": flows,
        "threat_personas": [
            {
                "symbolic_name": PERSONA,
                "title": "Unspecified attacker",
                "description": "trustdocs does not model threat personas; every threat names this one.",
                "is_person": True,
                "skill_level": "engineer",
                "access_level": "anonymous",
                "malicious_intent": True,
                "applicability_to_org": "moderate",
            }
        ],
        "threats": threats,
        "controls": controls,
        "risks": risks,
        "extensions": {EXTENSION: ext},
    }
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


_PRIORITY = ("none", "low", "medium", "high", "critical")


def _store_type(technology: str) -> str:
    text = technology.lower()
    for words, kind in (
        (("postgres", "mysql", "sql", "aurora", "oracle", "maria"), "sql"),
        (("redis", "memcache", "dynamo", "valkey", "key"), "key_value"),
        (("s3", "blob", "object", "bucket", "gcs"), "object"),
        (("neo4j", "graph"), "graph"),
        (("timescale", "influx", "prometheus"), "time_series"),
    ):
        if any(word in text for word in words):
            return kind
    return "document"


__all__ = ["export_tm_bom", "symbolic_names"]
