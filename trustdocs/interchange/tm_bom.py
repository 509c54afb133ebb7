"""TM-BOM (the OWASP Threat Model Library schema 1.0.2) to trustdocs: the import, and the names both ways share."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from trustdocs.interchange.model import (
    TO_COMPLETE,
    UNRATED,
    IdAllocator,
    Imported,
    Note,
    Reader,
    sorted_notes,
)
from trustdocs.interchange.source import array_at, object_at, pointer, read_json, text_at

SCHEMA_URI = "https://github.com/OWASP/www-project-threat-model-library/blob/v1.0.2/threat-model.schema.json"
ACCEPTED_SCHEMA = re.compile(
    r"https://github\.com/OWASP/www-project-threat-model-library/blob/v1\.\d+\.\d+/"
    r"threat-model\.schema\.json"
)
"""Releases 1.x of the schema are read (1.0.0 to 1.0.2 differ in details the import does not depend on)."""
EXTENSION = "trustdocs.dev/tm-bom/v1"
"""The extension (a TM-BOM `extensions` key) holding what the schema has no field for."""
OUTSIDE = "outside-every-trust-boundary"
"""The trust zone of elements outside every trustdocs boundary: TM-BOM gives every element a zone."""
PERSONA = "unspecified-attacker"
LIKELIHOODS = ("rare", "unlikely", "possible", "likely", "certain")
IMPACTS = ("negligible", "minor", "moderate", "major", "severe")
_TRUSTDOCS_LIKELIHOOD = dict(
    zip(LIKELIHOODS, ("rare", "unlikely", "possible", "likely", "almost_certain"), strict=True)
)
_STRIDE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (letter, re.compile(pattern))
    for letter, pattern in (
        ("S", r"\bspoof|\bimpersonat|\bforge[dr]?y?\b|\bforgery|credential stuffing|\bphishing"),
        ("T", r"\btamper|\bmodif(y|ies|ied|ication)|\balter(s|ed|ation)?\b|\binject|\bpoison|\bbackdoor|\bcorrupt"),
        ("R", r"\brepudiat|\bdeny having|\bdeni(es|ed) having"),
        (
            "I",
            r"\bdisclos|\bleak|\bexfiltrat|\bexpos(e|es|ed|ure)\b|\btheft\b|\bsteal|\bintercept|\beavesdrop"
            r"|man-in-the-middle|\bmitm\b|\bconfidentiality",
        ),
        ("D", r"denial of service|\bdos\b|\bddos\b|\bavailability\b|\bexhaust|\bflood|\boutage"),
        (
            "E",
            r"elevation of privilege|\bprivilege escalation|\bescalat|remote code execution|\brce\b"
            r"|lateral movement",
        ),
    )
)
"""Words that name a STRIDE category, for TM-BOM threats from other tools (TM-BOM has no STRIDE field)."""
_CONTROL_STATUS = {
    "active": "implemented",
    "assumed": "implemented",
    "approved": "planned",
    "scheduled": "planned",
    "suggested": "planned",
    "under_review": "partial",
}


# --- import ------------------------------------------------------------------------------------------------

_REF_SECTIONS = {
    "actor": "actors",
    "actors": "actors",
    "component": "components",
    "components": "components",
    "data-store": "data_stores",
    "data_store": "data_stores",
    "data-stores": "data_stores",
    "data_stores": "data_stores",
}
_REQUIRED = (
    "version",
    "scope",
    "trust_zones",
    "trust_boundaries",
    "actors",
    "components",
    "data_stores",
    "data_sets",
    "data_flows",
)


def import_tm_bom(path: Path, shown: str | None = None) -> Imported:
    """Read a TM-BOM; raises `InputError` for a file that is not one."""
    shown = shown or str(path)
    data = read_json(path, shown)
    r = Reader(shown)
    if not isinstance(data, dict):
        r.fail("", "expected a TM-BOM (a JSON object with version, scope, trust_zones, ...)")
        r.raise_problems()
    schema = data.get("$schema")
    if schema is not None and not (isinstance(schema, str) and ACCEPTED_SCHEMA.fullmatch(schema)):
        r.fail("/$schema", f"schema {schema!r} is not supported; expected {SCHEMA_URI} (or another 1.x release)")
    for key in _REQUIRED:
        if key not in data:
            r.fail("", f"missing '{key}'")
    r.raise_problems()
    return _TmBomImporter(r, data).run()


class _TmBomImporter:
    def __init__(self, reader: Reader, data: dict[str, Any]):
        self.r, self.data = reader, data
        extensions = object_at(data, "extensions")
        ext = extensions.get(EXTENSION)
        self.ext: dict[str, Any] = ext if isinstance(ext, dict) else {}
        self.ours = bool(self.ext)
        self.notes: list[Note] = []
        pairs = array_at(self.ext, "ids")
        # The export's symbolic names and the ids they stand for, in the project's order.
        self.original: dict[str, str] = {
            p[0]: p[1] for p in pairs if isinstance(p, list) and len(p) == 2 and all(isinstance(v, str) for v in p)
        }
        self.ids = IdAllocator([])
        self.id_of: dict[tuple[str, str], str] = {}  # (TM-BOM section, symbolic name) -> trustdocs id

    def note(self, where: str, message: str) -> None:
        self.notes.append(Note(where, message))

    def _record(self, section: str, name: str) -> dict[str, Any]:
        found = self.ext.get(section, {})
        record = found.get(name) if isinstance(found, dict) else None
        return dict(record) if isinstance(record, dict) else {}

    def _entries(self, key: str) -> list[tuple[str, dict[str, Any], str]]:
        found = []
        for i, entry in enumerate(self.r.array(self.data, "", key, required=False)):
            where = pointer(key, i)
            name = entry.get("symbolic_name") if isinstance(entry, dict) else None
            if not isinstance(name, str) or not name:
                self.r.fail(
                    where, "missing 'symbolic_name' (a string)" if isinstance(entry, dict) else "expected an object"
                )
                continue
            found.append((where, entry, name))
        return found

    def _id(self, section: str, name: str) -> str:
        # Symbolic names are unique within a section only: a trust zone and a component may share one.
        if (section, name) not in self.id_of:
            self.id_of[section, name] = self.ids.allocate(self.original.get(name, name))
        return self.id_of[section, name]

    def _element(self, name: Any, section: str | None = None) -> str | None:
        """The trustdocs id of an element by symbolic name, in `section` or else the first section holding it."""
        if not isinstance(name, str):
            return None
        for candidate in (
            (section,) if section else ("actors", "components", "data_stores", "data_flows", "trust_zones")
        ):
            if (candidate, name) in self.id_of:
                return self.id_of[candidate, name]
        return None

    def run(self) -> Imported:
        sections = {
            key: self._entries(key)
            for key in (
                "trust_zones",
                "actors",
                "components",
                "data_stores",
                "data_sets",
                "data_flows",
                "threats",
                "controls",
                "risks",
            )
        }
        self.r.raise_problems()
        self._sections = sections
        for key in (
            "actors",
            "components",
            "data_stores",
            "trust_zones",
            "data_flows",
            "data_sets",
            "threats",
            "controls",
        ):
            for _, _, name in sections[key]:
                if not (key == "trust_zones" and name == OUTSIDE and self.ours):
                    self.ids.reserve(self.original.get(name, name))
        components, zone_members = self._components(sections)
        boundaries = self._zones(sections["trust_zones"], zone_members)
        assets = self._assets(sections["data_sets"], components)
        flows = self._flows(sections["data_flows"])
        mitigations, by_threat = self._controls(sections["controls"])
        threats = self._threats(sections["threats"], sections["risks"], by_threat)
        self._unmapped_top()
        self.r.raise_problems()
        if not components:
            self.r.fail("", "the TM-BOM has no actor, component or data store; trustdocs needs at least one")
            self.r.raise_problems()
        architecture: dict[str, Any] = {}
        if isinstance(self.data.get("description"), str) and self.data["description"].strip():
            architecture["overview"] = self.data["description"]
        architecture["components"] = components
        if isinstance(self.ext.get("tenancy"), str) and self.ext["tenancy"]:
            architecture["tenancy"] = self.ext["tenancy"]
        if boundaries:
            architecture["trust_boundaries"] = boundaries
        if assets:
            architecture["data_assets"] = assets
        if flows:
            architecture["data_flows"] = flows
        threat_model: dict[str, Any] = {}
        if isinstance(self.ext.get("methodology"), str) and self.ext["methodology"]:
            threat_model["methodology"] = self.ext["methodology"]
        if isinstance(self.ext.get("risk_matrix"), dict) and self.ext["risk_matrix"]:
            threat_model["risk_matrix"] = self.ext["risk_matrix"]
        threat_model["threats"] = threats
        if mitigations:
            threat_model["mitigations"] = mitigations
        if isinstance(self.ext.get("exemptions"), list) and self.ext["exemptions"]:
            threat_model["exemptions"] = self.ext["exemptions"]
        scope = object_at(self.data, "scope")
        title = scope["title"] if isinstance(scope.get("title"), str) else ""
        controls = self.ext.get("security_controls")
        security_controls = tuple(c for c in controls if isinstance(c, dict)) if isinstance(controls, list) else ()
        return Imported(title, architecture, threat_model, sorted_notes(self.notes), "TM-BOM", security_controls)

    def _components(
        self, sections: dict[str, list[tuple[str, dict[str, Any], str]]]
    ) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
        written: list[dict[str, Any]] = []
        members: dict[str, list[str]] = {}
        for key, kind in (("actors", "external_entity"), ("components", "process"), ("data_stores", "data_store")):
            for where, entry, name in sections[key]:
                record = self._record("components", name)
                element = self._id(key, name)
                title = entry.get("title") if isinstance(entry.get("title"), str) and entry["title"].strip() else name
                component: dict[str, Any] = {"id": element, "name": title, "kind": record.pop("kind", kind)}
                if not self.ours:
                    product = text_at(entry, "product")
                    component.update(
                        {"technology": product or TO_COMPLETE, "hosting": TO_COMPLETE, "owner": TO_COMPLETE}
                    )
                    for extra in ("type", "permissions", "parent_component", "repo_link", "vendor"):
                        if entry.get(extra):
                            self.note(
                                f"{where}/{extra}", f"{extra} = {entry[extra]!r} has no trustdocs field; not imported"
                            )
                component.update(record)
                if isinstance(entry.get("description"), str) and entry["description"].strip():
                    component["description"] = entry["description"]
                zone = entry.get("trust_zone")
                if isinstance(zone, str):
                    members.setdefault(zone, []).append(element)
                written.append(component)
        order = {c["id"]: i for i, c in enumerate(written)}
        if self.ours:
            # Export writes actors, processes and stores in separate lists; their original order is kept in
            # the extension's id map, which lists components first, in order.
            rank = {original: i for i, original in enumerate(self.original.values())}
            written.sort(key=lambda c: rank.get(c["id"], len(rank) + order[c["id"]]))
        return written, members

    def _zones(
        self, zones: list[tuple[str, dict[str, Any], str]], members: dict[str, list[str]]
    ) -> list[dict[str, Any]]:
        written: dict[str, dict[str, Any]] = {}
        parents: dict[str, str | None] = {}
        for where, entry, name in zones:
            if name == OUTSIDE and self.ours:
                continue
            record = self._record("trust_zones", name)
            boundary: dict[str, Any] = {
                "id": self._id("trust_zones", name),
                "name": entry.get("title") if isinstance(entry.get("title"), str) and entry["title"].strip() else name,
            }
            level = record.get("trust_level")
            if not isinstance(level, int):
                level = 1
                self.note(where, "TM-BOM gives a trust zone no trust level; written as 1")
            boundary["trust_level"] = level
            chosen = record.get("members")
            found = members.get(name, [])
            if isinstance(chosen, list):
                found = [m for m in chosen if m in found] + [m for m in found if m not in chosen]
            if found:
                boundary["members"] = found
            if isinstance(entry.get("description"), str) and entry["description"].strip():
                boundary["description"] = entry["description"]
            written[boundary["id"]] = boundary
            parent = record.get("parent")
            parents[boundary["id"]] = parent if isinstance(parent, str) else None
        for i, pair in enumerate(self.data.get("trust_boundaries") or []):
            if not self.ours and isinstance(pair, dict) and len(pair) > 2:
                extras = sorted(k for k in pair if k not in ("trust_zone_a", "trust_zone_b"))
                self.note(
                    pointer("trust_boundaries", i),
                    f"{', '.join(extras)} between two trust zones have no trustdocs field; not imported",
                )
        top: list[dict[str, Any]] = []
        for element, boundary in written.items():
            parent = parents[element]
            if parent in written:
                written[parent].setdefault("boundaries", []).append(boundary)
            else:
                top.append(boundary)
        return top

    def _assets(
        self, data_sets: list[tuple[str, dict[str, Any], str]], components: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        written = []
        by_id = {c["id"]: c for c in components}
        for where, entry, name in data_sets:
            record = self._record("data_sets", name)
            asset: dict[str, Any] = {"id": self._id("data_sets", name), "name": entry.get("title") or name}
            if not self.ours:
                self._placements(where, entry, asset["id"], by_id)
            sensitivity = array_at(entry, "data_sensitivity")
            if "classification" not in record:
                restricted = {"cred", "pci", "phi", "fin"} & set(sensitivity)
                record["classification"] = "restricted" if restricted else "confidential" if sensitivity else "internal"
                self.note(
                    f"{where}/data_sensitivity",
                    f"no trustdocs classification; written as {record['classification']} from {sensitivity}",
                )
                if {"pii", "phi"} & set(sensitivity):
                    record["personal_data"] = True
            asset.update(record)
            if isinstance(entry.get("description"), str) and entry["description"].strip():
                asset["description"] = entry["description"]
            written.append(asset)
        return written

    def _placements(self, where: str, entry: dict[str, Any], asset: str, components: dict[str, dict[str, Any]]) -> None:
        # Where a data set is placed becomes what the data store stores; encryption at rest is per store in
        # trustdocs, so a store keeps 'encrypted' only while every placement on it agrees.
        for i, placement in enumerate(entry.get("placements") or []):
            at = f"{where}/placements/{i}"
            store = self._element(placement.get("data_store"), "data_stores") if isinstance(placement, dict) else None
            if store is None:
                self.note(at, "refers to a data store the TM-BOM does not define; placement not imported")
                continue
            component = components[store]
            component.setdefault("stores", []).append(asset)
            encrypted = placement.get("encrypted")
            if isinstance(encrypted, bool):
                if component.get("encrypted_at_rest", encrypted) != encrypted:
                    self.note(
                        f"{at}/encrypted",
                        f"{component['id']} holds data sets encrypted and not encrypted; "
                        "encrypted_at_rest written as false",
                    )
                    encrypted = False
                component["encrypted_at_rest"] = encrypted
        for key in ("access_control_methods", "record_count"):
            if entry.get(key):
                self.note(f"{where}/{key}", f"{key} has no trustdocs field; not imported")

    def _flows(self, flows: list[tuple[str, dict[str, Any], str]]) -> list[dict[str, Any]]:
        written = []
        for where, entry, name in flows:
            ends = []
            for end in ("source", "destination"):
                target = object_at(entry, end)
                section = _REF_SECTIONS.get(str(target.get("type", "")).removeprefix("#/$defs/"))
                element = self._element(target.get("object"), section)
                if element is None:
                    self.note(
                        f"{where}/{end}",
                        f"refers to {json.dumps(target)[:80]}, which the TM-BOM does not "
                        "define; data flow not imported",
                    )
                ends.append(element)
            if None in ends:
                continue
            record = self._record("data_flows", name)
            flow: dict[str, Any] = {"id": self._id("data_flows", name), "source": ends[0], "destination": ends[1]}
            if not self.ours:
                self.note(
                    where,
                    f"TM-BOM gives a data flow no protocol or authentication; written as '{TO_COMPLETE}' and 'none'",
                )
                if entry.get("has_sensitive_data"):
                    self.note(
                        f"{where}/has_sensitive_data",
                        "has_sensitive_data = true names no data set; list the data assets it carries in 'data'",
                    )
                flow.update(
                    {
                        "protocol": TO_COMPLETE,
                        "authentication": "none",
                        "encryption": "tls" if entry.get("encrypted") is True else "none",
                    }
                )
            flow.update(record)
            flow["source"], flow["destination"] = ends
            if isinstance(entry.get("description"), str) and entry["description"].strip():
                flow["description"] = entry["description"]
            written.append(flow)
        return written

    def _controls(
        self, controls: list[tuple[str, dict[str, Any], str]]
    ) -> tuple[list[dict[str, Any]], dict[str, list[tuple[str, str]]]]:
        written: list[dict[str, Any]] = []
        by_threat: dict[str, list[tuple[str, str]]] = {}
        for where, entry, name in controls:
            record = self._record("controls", name)
            status: Any = entry.get("status")
            if "status" not in record and status not in _CONTROL_STATUS:
                self.note(
                    f"{where}/status", f"a control with status {status!r} does not mitigate anything; not imported"
                )
                continue
            mitigation: dict[str, Any] = {"id": self._id("controls", name), "title": entry.get("title") or name}
            if "status" not in record and _CONTROL_STATUS[status] != "implemented":
                record["status"] = _CONTROL_STATUS[status]
            if not self.ours and entry.get("priority") not in (None, "none"):
                self.note(f"{where}/priority", f"priority {entry['priority']!r} has no trustdocs field; not imported")
            if not self.ours and entry.get("trust_boundary"):
                self.note(
                    f"{where}/trust_boundary",
                    "trust_boundary has no trustdocs field on a mitigation; its "
                    "threats without components target those zones",
                )
            mitigation.update(record)
            if isinstance(entry.get("description"), str) and entry["description"].strip():
                mitigation["description"] = entry["description"]
            for threat in entry.get("threats") or []:
                by_threat.setdefault(threat, []).append((mitigation["id"], mitigation.get("status", "implemented")))
            written.append(mitigation)
        return written, by_threat

    def _threats(
        self,
        threats: list[tuple[str, dict[str, Any], str]],
        risks: list[tuple[str, dict[str, Any], str]],
        by_threat: dict[str, list[tuple[str, str]]],
    ) -> list[dict[str, Any]]:
        rating: dict[str, tuple[str, str]] = {}
        for _, risk, _ in risks:
            for threat_name in risk.get("threats") or []:
                if risk.get("likelihood") in LIKELIHOODS and risk.get("impact") in IMPACTS:
                    rating.setdefault(threat_name, (_TRUSTDOCS_LIKELIHOOD[risk["likelihood"]], risk["impact"]))
        # Element titles (and symbolic names) as whole words, for threats that name no affected component.
        titles = []
        for section in ("actors", "components", "data_stores"):
            for _, element_entry, element_name in self._sections[section]:
                words = {element_name.replace("-", " ")}
                if isinstance(element_entry.get("title"), str) and len(element_entry["title"].strip()) >= 4:
                    words.add(element_entry["title"].strip().lower())
                pattern = "|".join(re.escape(w) for w in sorted(words))
                titles.append((re.compile(rf"\b(?:{pattern})\b"), self.id_of[section, element_name]))
        zones: dict[str, list[str]] = {}  # threat -> the trust zones its controls protect
        for _, control, _ in self._sections["controls"]:
            pair = object_at(control, "trust_boundary")
            found = [
                z for z in (self._element(pair.get(k), "trust_zones") for k in ("trust_zone_a", "trust_zone_b")) if z
            ]
            for threat_name in control.get("threats") or []:
                zones.setdefault(threat_name, []).extend(found)
        written = []
        for where, entry, name in threats:
            record = self._record("threats", name)
            targets = [t for t in (self._element(name) for name in entry.get("components_affected") or []) if t]
            text = " ".join(str(entry.get(k, "")) for k in ("title", "event", "description")).lower()
            if "stride" not in record:
                letters = [letter for letter, words in _STRIDE_WORDS if words.search(text)]
                if not letters:
                    self.note(
                        where,
                        "no STRIDE category (none is named in its title, event or description); threat not imported",
                    )
                    continue
                record["stride"] = letters
                self.note(
                    where, f"TM-BOM has no STRIDE field; STRIDE {', '.join(letters)} read from its words (check it)"
                )
            if not targets and "targets" not in record:
                targets = list(dict.fromkeys(zones.get(name, [])))
                if targets:
                    self.note(
                        f"{where}/components_affected",
                        f"no component affected; targets {', '.join(targets)}, the trust zones its controls protect",
                    )
                else:
                    targets = [element for words, element in titles if words.search(text)]
                if not targets:
                    self.note(
                        f"{where}/components_affected",
                        "no component affected (and none is named in its words); threat not imported",
                    )
                    continue
                elif not zones.get(name):
                    self.note(
                        f"{where}/components_affected",
                        f"no component affected; targets {', '.join(targets)} read from its words (check them)",
                    )
            threat: dict[str, Any] = {"id": self._id("threats", name), "title": entry.get("title") or name}
            if "likelihood" not in record:
                likelihood, impact = rating.get(name, UNRATED)
                if name not in rating:
                    self.note(where, f"no risk rates this threat; rated {likelihood} x {impact} (medium)")
                record.update({"likelihood": likelihood, "impact": impact})
            if "status" not in record:
                handled = by_threat.get(name, [])
                record["mitigations"] = [m for m, _ in handled]
                record["status"] = "mitigated" if any(s == "implemented" for _, s in handled) else "open"
                self.note(where, f"TM-BOM has no threat status; written as {record['status']} from its controls")
                for extra in ("threat_persona", "event", "sources"):
                    if entry.get(extra):
                        self.note(f"{where}/{extra}", f"{extra} has no trustdocs field; not imported")
            threat.update(record)
            threat.setdefault("targets", targets)
            threat["description"] = text_at(entry, "description")
            for key, field, prefix in (("attack_mechanisms", "capec_id", "CAPEC"), ("weaknesses", "cwe_id", "CWE")):
                refs = [
                    f"{prefix}-{m[field]}"
                    for m in entry.get(key) or []
                    if isinstance(m, dict) and isinstance(m.get(field), int)
                ]
                if refs:
                    threat[prefix.lower()] = list(dict.fromkeys(refs))
            order = ["id", "title", "stride", "targets", "description", "likelihood", "impact", "status"]
            written.append(
                {k: threat[k] for k in order if k in threat} | {k: v for k, v in threat.items() if k not in order}
            )
        return written

    def _unmapped_top(self) -> None:
        if self.ours:
            return
        for key in ("assumptions", "threat_personas", "diagrams"):
            values = self.data.get(key)
            if isinstance(values, list) and values:
                self.note(f"/{key}", f"{len(values)} {key.replace('_', ' ')} have no trustdocs field; not imported")
        scope = object_at(self.data, "scope")
        extras = [key for key in ("business_criticality", "data_sensitivity", "exposure", "tier") if scope.get(key)]
        if extras:
            self.note("/scope", f"{', '.join(extras)} have no trustdocs field; not imported")
        for i, risk in enumerate(self.data.get("risks") or []):
            if isinstance(risk, dict) and risk.get("impact_description"):
                self.note(
                    pointer("risks", i, "impact_description"), "impact_description has no trustdocs field; not imported"
                )
        for key in ("frozen", "released_at", "product_release_date", "release_docs_link", "reviewed_at", "repo_link"):
            if self.data.get(key):
                self.note(f"/{key}", f"{key} has no trustdocs field; not imported")


__all__ = ["import_tm_bom"]
