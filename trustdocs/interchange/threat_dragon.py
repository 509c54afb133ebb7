"""OWASP Threat Dragon v2 JSON to trustdocs: elements, boundary boxes and curves, flows and threats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trustdocs.interchange.geometry import Point, Region, box, innermost, open_curve_sides, parent_of
from trustdocs.interchange.model import (
    SEVERITY_RATING,
    TO_COMPLETE,
    UNRATED,
    IdAllocator,
    Imported,
    Note,
    Reader,
    exemption_for_out_of_scope,
    sorted_notes,
)
from trustdocs.interchange.source import object_at, pointer, read_json, text_at
from trustdocs.model.threats import STRIDE_NAMES

KINDS = {"tm.Actor": "external_entity", "tm.Process": "process", "tm.Store": "data_store"}
SHAPES = {
    "actor": "tm.Actor",
    "process": "tm.Process",
    "store": "tm.Store",
    "flow": "tm.Flow",
    "trust-boundary-box": "tm.BoundaryBox",
    "trust-boundary-curve": "tm.Boundary",
    "td-text-block": "tm.Text",
}
STRIDE_TYPES = {
    **{name.lower(): letter for letter, name in STRIDE_NAMES.items()},
    # The CIA model's categories have a STRIDE counterpart each.
    "confidentiality": "I",
    "integrity": "T",
    "availability": "D",
}
STATUSES = {
    "open": "open",
    "mitigated": "mitigated",
    "na": "not_applicable",
    "n/a": "not_applicable",
    "notapplicable": "not_applicable",
    "not applicable": "not_applicable",
}
MAX_CELLS = 50_000
"""More cells in one model are refused (a 300-element, 1,000-threat model has about 600)."""
MAX_BOUNDARIES = 1_000
"""More boundary boxes and curves in one diagram are refused: nesting compares every pair."""
CLOSED_CURVE_GAP = 10.0
"""A boundary curve whose two ends are this close (in diagram pixels) encloses a region."""

# Fields that are mapped, or that Threat Dragon computes from others (hasOpenThreats, threatFrequency).
_MAPPED_DATA = {
    "type",
    "name",
    "description",
    "outOfScope",
    "reasonOutOfScope",
    "threats",
    "hasOpenThreats",
    "isTrustBoundary",
    "threatFrequency",
    "isEncrypted",
    "protocol",
}
_MAPPED_THREAT = {
    "id",
    "threatId",
    "number",
    "title",
    "type",
    "status",
    "severity",
    "description",
    "mitigation",
    "modelType",
    "score",
    "new",
}


def import_threat_dragon(path: Path, shown: str | None = None) -> Imported:
    """Read a Threat Dragon v2 model; raises `InputError` for a file that is not one."""
    shown = shown or str(path)
    data = read_json(path, shown)
    reader = Reader(shown)
    if not isinstance(data, dict):
        reader.fail("", "expected a Threat Dragon v2 model (a JSON object with version, summary and detail)")
        reader.raise_problems()
    version = data.get("version")
    if version is None:
        reader.fail(
            "",
            "missing 'version': not a Threat Dragon v2 model (a v1 model has none; open and save it "
            "in Threat Dragon 2 first)",
        )
    elif not isinstance(version, str) or not version.startswith("2."):
        reader.fail("/version", f"Threat Dragon version {version!r} is not supported; expected 2.x")
    summary = reader.mapping(data, "", "summary")
    detail = reader.mapping(data, "", "detail")
    title = reader.text(summary, "/summary", "title", required=True)
    diagrams = reader.array(detail, "/detail", "diagrams")
    reader.raise_problems()
    return _Importer(reader, title).run(summary, detail, diagrams)


class _Importer:
    def __init__(self, reader: Reader, title: str):
        self.r = reader
        self.title = title
        self.notes: list[Note] = []
        self.components: list[dict[str, Any]] = []
        self.flows: list[dict[str, Any]] = []
        self.threats: list[dict[str, Any]] = []
        self.mitigations: list[dict[str, Any]] = []
        self.exemptions: list[dict[str, Any]] = []
        self.kind_of: dict[str, str] = {}  # trustdocs id -> component kind or data_flow
        self.id_of: dict[str, str] = {}  # Threat Dragon cell id -> trustdocs id

    def note(self, where: str, message: str) -> None:
        self.notes.append(Note(where, message))

    def run(self, summary: dict[str, Any], detail: dict[str, Any], diagrams: list[Any]) -> Imported:
        cells = self._cells(diagrams)
        self.r.raise_problems()
        ids = IdAllocator([c["id"] for _, _, c in cells] + [self._threat_raw_id(t) for t in _all_threats(cells)])
        for where, _, cell in cells:
            kind = self._cell_type(cell)
            if kind in KINDS:
                self._component(where, cell, KINDS[kind], ids)
        boundaries: list[dict[str, Any]] = []
        for diagram_cells in _by_diagram(cells).values():
            boundaries += self._boundaries(diagram_cells, ids)
        for where, _, cell in cells:
            if self._cell_type(cell) == "tm.Flow":
                self._flow(where, cell, ids)
            elif self._cell_type(cell) not in (*KINDS, "tm.BoundaryBox", "tm.Boundary"):
                label = (
                    "a text block"
                    if self._cell_type(cell) == "tm.Text"
                    else f"a cell of type {self._cell_type(cell)!r}"
                )
                self.note(where, f"{label} has no trustdocs counterpart; not imported")
        for where, _, cell in cells:
            element = self.id_of.get(cell["id"])
            if element is not None:
                self._threats(where, cell, element, ids)
        self.r.raise_problems()
        if not self.components:
            self.r.fail("/detail/diagrams", "the model has no actor, process or store; trustdocs needs at least one")
            self.r.raise_problems()
        self._summary_notes(summary, detail)
        architecture: dict[str, Any] = {"overview": summary.get("description") or "", "components": self.components}
        if boundaries:
            architecture["trust_boundaries"] = boundaries
        if self.flows:
            architecture["data_flows"] = self.flows
        threat_model: dict[str, Any] = {"threats": self.threats}
        if self.mitigations:
            threat_model["mitigations"] = self.mitigations
        if self.exemptions:
            threat_model["exemptions"] = self.exemptions
        return Imported(self.title, architecture, threat_model, sorted_notes(self.notes), "Threat Dragon")

    # --- cells ---------------------------------------------------------------------------------------------

    def _cells(self, diagrams: list[Any]) -> list[tuple[str, int, dict[str, Any]]]:
        found: list[tuple[str, int, dict[str, Any]]] = []
        seen: set[str] = set()
        for d, diagram in enumerate(diagrams):
            where = pointer("detail", "diagrams", d)
            if not isinstance(diagram, dict):
                self.r.fail(where, "expected a diagram object")
                continue
            if "diagramJson" in diagram and "cells" not in diagram:
                self.r.fail(
                    where, "a Threat Dragon v1 diagram (diagramJson); open and save it in Threat Dragon 2 first"
                )
                continue
            for key in ("title", "description"):
                if isinstance(diagram.get(key), str) and diagram[key].strip():
                    self.note(
                        f"{where}/{key}",
                        f"the diagram's {key} is not imported (trustdocs draws its own diagrams from the architecture)",
                    )
            for c, cell in enumerate(self.r.array(diagram, where, "cells")):
                at = f"{where}/cells/{c}"
                if not isinstance(cell, dict):
                    self.r.fail(at, "expected a cell object")
                    continue
                cell_id = cell.get("id")
                if not isinstance(cell_id, str) or not cell_id.strip():
                    self.r.fail(at, "missing 'id' (a string)")
                    continue
                if cell_id in seen:
                    self.r.fail(f"{at}/id", f"cell id {cell_id!r} is used by another cell")
                    continue
                seen.add(cell_id)
                if not isinstance(cell.get("data"), dict):
                    self.r.fail(at, "missing 'data' (an object)")
                    continue
                if self._cell_type(cell) is None:
                    self.r.fail(at, "missing 'data/type' and 'shape': cannot tell what the cell is")
                    continue
                found.append((at, d, cell))
        if len(found) > MAX_CELLS:
            self.r.fail("/detail/diagrams", f"the model has {len(found)} cells; the limit is {MAX_CELLS}")
        for d in {d for _, d, _ in found}:
            count = sum(
                1 for _, e, cell in found if e == d and self._cell_type(cell) in ("tm.BoundaryBox", "tm.Boundary")
            )
            if count > MAX_BOUNDARIES:
                self.r.fail(
                    pointer("detail", "diagrams", d),
                    f"the diagram has {count} trust boundaries; the limit is {MAX_BOUNDARIES}",
                )
        return found

    @staticmethod
    def _cell_type(cell: dict[str, Any]) -> str | None:
        kind = cell["data"].get("type")
        if isinstance(kind, str) and kind:
            return kind
        shape = cell.get("shape")
        return SHAPES.get(shape) if isinstance(shape, str) else None

    def _name(self, where: str, cell: dict[str, Any], fallback: str) -> str:
        name = cell["data"].get("name")
        if not isinstance(name, str) or not name.strip():
            attrs = cell.get("attrs")
            label = (
                attrs.get("text", {}).get("text")
                if isinstance(attrs, dict) and isinstance(attrs.get("text"), dict)
                else None
            )
            name = label if isinstance(label, str) else ""
        name = " ".join(name.split())
        if not name:
            self.note(f"{where}/data/name", f"no name; written as '{fallback}'")
            return fallback
        return name

    def _unmapped_fields(self, where: str, mapping: dict[str, Any], mapped: set[str], prefix: str) -> None:
        for key, value in mapping.items():
            if key in mapped or value in (None, False, "", [], {}):
                continue
            self.note(
                f"{where}/{prefix}{key}" if prefix else f"{where}/{key}",
                f"{key} = {_show(value)} has no trustdocs field; not imported",
            )

    def _component(self, where: str, cell: dict[str, Any], kind: str, ids: IdAllocator) -> None:
        data = cell["data"]
        element = ids.allocate(cell["id"])
        self.id_of[cell["id"]] = element
        self.kind_of[element] = kind
        component: dict[str, Any] = {
            "id": element,
            "name": self._name(where, cell, f"Unnamed {kind.replace('_', ' ')}"),
            "kind": kind,
            "technology": TO_COMPLETE,
            "hosting": TO_COMPLETE,
            "owner": TO_COMPLETE,
        }
        if isinstance(data.get("description"), str) and data["description"].strip():
            component["description"] = data["description"].strip()
        mapped = set(_MAPPED_DATA)
        if kind == "data_store" and isinstance(data.get("isEncrypted"), bool):
            component["encrypted_at_rest"] = data["isEncrypted"]
        elif data.get("isEncrypted"):
            mapped.discard("isEncrypted")
        self._unmapped_fields(where, data, mapped - {"protocol"}, "data/")
        self.components.append(component)
        self._out_of_scope(where, data, element, kind)

    def _out_of_scope(self, where: str, data: dict[str, Any], element: str, kind: str) -> None:
        if data.get("outOfScope") is True:
            reason = text_at(data, "reasonOutOfScope")
            self.exemptions.append(exemption_for_out_of_scope(element, kind, reason))

    def _flow(self, where: str, cell: dict[str, Any], ids: IdAllocator) -> None:
        data = cell["data"]
        ends = []
        for end in ("source", "target"):
            attached = cell.get(end)
            cell_id = attached.get("cell") if isinstance(attached, dict) else None
            element = self.id_of.get(cell_id) if isinstance(cell_id, str) else None
            ends.append(element)
        if None in ends:
            self.note(where, "a data flow not attached to an actor, process or store at both ends; not imported")
            return
        element = ids.allocate(cell["id"])
        self.id_of[cell["id"]] = element
        self.kind_of[element] = "data_flow"
        protocol = text_at(data, "protocol")
        if not protocol.strip():
            self.note(f"{where}/data/protocol", f"no protocol; written as '{TO_COMPLETE}'")
        encrypted = data.get("isEncrypted")
        self.note(f"{where}/data", "Threat Dragon records no authentication for a flow; written as 'none'")
        flow: dict[str, Any] = {
            "id": element,
            "source": ends[0],
            "destination": ends[1],
            "protocol": " ".join(protocol.split()) or TO_COMPLETE,
            "authentication": "none",
            "encryption": "tls" if encrypted is True else "none",
        }
        name = data.get("name")
        description = text_at(data, "description")
        label = " ".join(name.split()) if isinstance(name, str) else ""
        text = "\n\n".join(part for part in (label, description.strip()) if part)
        if text:
            flow["description"] = text
        self._unmapped_fields(where, data, _MAPPED_DATA, "data/")
        self.flows.append(flow)
        self._out_of_scope(where, data, element, "data_flow")

    # --- boundaries ----------------------------------------------------------------------------------------

    def _boundaries(self, cells: list[tuple[str, dict[str, Any]]], ids: IdAllocator) -> list[dict[str, Any]]:
        regions: list[Region] = []
        by_key: dict[str, tuple[str, dict[str, Any]]] = {}
        actors = [
            centre
            for _, cell in cells
            if (element := self.id_of.get(cell["id"])) is not None
            and self.kind_of[element] == "external_entity"
            and (centre := _centre(cell)) is not None
        ]
        for where, cell in cells:
            kind = self._cell_type(cell)
            region = None
            if kind == "tm.BoundaryBox":
                region = self._box(where, cell)
            elif kind == "tm.Boundary":
                region = self._curve(where, cell, actors)
            if region is not None:
                regions.append(region)
                by_key[region.key] = (where, cell)
        if not regions:
            return []
        members: dict[str, list[str]] = {r.key: [] for r in regions}
        for _, cell in cells:
            element = self.id_of.get(cell["id"])
            centre = _centre(cell)
            if element is None or self.kind_of[element] == "data_flow" or centre is None:
                continue
            holder = innermost(regions, centre)
            if holder is not None:
                members[holder.key].append(element)
        parents = {r.key: parent_of(regions, r) for r in regions}
        written: dict[str, dict[str, Any]] = {}
        for region in regions:
            where, cell = by_key[region.key]
            element = ids.allocate(cell["id"])
            self.id_of[cell["id"]] = element
            self.kind_of[element] = "trust_boundary"
            entry: dict[str, Any] = {
                "id": element,
                "name": self._name(where, cell, "Unnamed trust boundary"),
                "trust_level": _depth(region, parents),
            }
            description = cell["data"].get("description")
            if isinstance(description, str) and description.strip():
                entry["description"] = description.strip()
            if members[region.key]:
                entry["members"] = members[region.key]
            written[region.key] = entry
            self._unmapped_fields(where, cell["data"], _MAPPED_DATA, "data/")
        top: list[dict[str, Any]] = []
        for region in regions:
            parent = parents[region.key]
            if parent is None:
                top.append(written[region.key])
            else:
                written[parent.key].setdefault("boundaries", []).append(written[region.key])
        return top

    def _box(self, where: str, cell: dict[str, Any]) -> Region | None:
        position, size = cell.get("position"), cell.get("size")
        numbers = [
            self.r.number(position, f"{where}/position", "x"),
            self.r.number(position, f"{where}/position", "y"),
            self.r.number(size, f"{where}/size", "width"),
            self.r.number(size, f"{where}/size", "height"),
        ]
        if None in numbers:
            return None
        x, y, width, height = (float(n) for n in numbers if n is not None)
        return box(cell["id"], x, y, width, height)

    def _curve(self, where: str, cell: dict[str, Any], actors: list[Point]) -> Region | None:
        points: list[Point] = []
        for key in ("source", "vertices", "target"):
            values = cell.get(key)
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, dict) and all(
                    isinstance(value.get(a), int | float) and not isinstance(value.get(a), bool) for a in "xy"
                ):
                    points.append((float(value["x"]), float(value["y"])))
        if len(points) < 2:
            self.note(where, "a trust boundary curve without its points; not imported")
            return None
        gap = abs(points[0][0] - points[-1][0]) + abs(points[0][1] - points[-1][1])
        if len(points) >= 4 and gap <= CLOSED_CURVE_GAP:
            return Region(cell["id"], tuple(points[:-1]))
        # An open curve splits the diagram in two; the trusted side is the one without external entities.
        sides = open_curve_sides(cell["id"], points)
        outside = [any(side.contains(actor) for actor in actors) for side in sides]
        if outside.count(True) != 1:
            why = "external entities on both sides" if all(outside) else "no external entity on either side"
            self.note(
                where,
                f"an open trust boundary curve with {why}: cannot tell which side it holds; not "
                "imported (draw it as a boundary box)",
            )
            return None
        self.note(
            where,
            "an open trust boundary curve: imported as holding its side without external entities (check its members)",
        )
        return sides[outside.index(False)]

    # --- threats -------------------------------------------------------------------------------------------

    @staticmethod
    def _threat_raw_id(threat: dict[str, Any]) -> str:
        number = threat.get("number")
        if isinstance(number, int) and not isinstance(number, bool) and number > 0:
            return f"TD-{number}"
        for key in ("id", "threatId"):
            if text_at(threat, key).strip():
                return text_at(threat, key)
        return "TD-threat"

    def _threats(self, where: str, cell: dict[str, Any], element: str, ids: IdAllocator) -> None:
        threats = cell["data"].get("threats")
        if threats is None:
            return
        if not isinstance(threats, list):
            self.r.fail(f"{where}/data/threats", "expected an array")
            return
        for t, threat in enumerate(threats):
            at = f"{where}/data/threats/{t}"
            if not isinstance(threat, dict):
                self.r.fail(at, "expected a threat object")
                continue
            self._threat(at, threat, element, ids)

    def _threat(self, at: str, threat: dict[str, Any], element: str, ids: IdAllocator) -> None:
        category = threat.get("type")
        letter = STRIDE_TYPES.get(" ".join(category.lower().split())) if isinstance(category, str) else None
        if letter is None:
            model = threat.get("modelType") if isinstance(threat.get("modelType"), str) else "unknown"
            self.note(
                f"{at}/type",
                f"threat type {_show(category)} ({model} model) has no STRIDE category; threat not imported",
            )
            return
        threat_id = ids.allocate(self._threat_raw_id(threat))
        title = " ".join(threat["title"].split()) if isinstance(threat.get("title"), str) else ""
        if not title:
            title = f"Untitled threat {threat_id}"
            self.note(f"{at}/title", f"no title; written as '{title}'")
        raw_status = threat.get("status")
        status = STATUSES.get(raw_status.lower()) if isinstance(raw_status, str) else None
        if status is None:
            self.note(f"{at}/status", f"status {_show(raw_status)} is not one of Open, Mitigated, NA; written as open")
            status = "open"
        severity = threat.get("severity")
        rating = SEVERITY_RATING.get(severity.lower()) if isinstance(severity, str) else None
        if rating is None:
            rating = UNRATED
            self.note(
                f"{at}/severity",
                f"severity {_show(severity)} is not Low, Medium, High or Critical; rated "
                f"{rating[0]} x {rating[1]} (medium)",
            )
        description = text_at(threat, "description")
        entry: dict[str, Any] = {
            "id": threat_id,
            "title": title,
            "stride": [letter],
            "targets": [element],
            "description": description.strip(),
            "likelihood": rating[0],
            "impact": rating[1],
            "status": status,
        }
        mitigation = text_at(threat, "mitigation")
        if mitigation.strip() or status == "mitigated":
            mitigation_id = f"M-{threat_id}"
            lines = [line.strip() for line in mitigation.strip().splitlines() if line.strip()]
            if not lines:
                self.note(
                    f"{at}/mitigation",
                    f"marked Mitigated with no mitigation; mitigation {mitigation_id} written as '{TO_COMPLETE}'",
                )
            first = lines[0] if lines else TO_COMPLETE
            record: dict[str, Any] = {
                "id": mitigation_id,
                "title": first if len(first) <= 120 else first[:117] + "...",
                "status": "implemented" if status == "mitigated" else "planned",
            }
            if len(lines) > 1 or len(first) > 120:
                record["description"] = mitigation.strip()
            self.mitigations.append(record)
            entry["mitigations"] = [mitigation_id]
        score = threat.get("score")
        if score not in (None, ""):
            self.note(
                f"{at}/score",
                f"score {_show(score)} has no trustdocs field (the rating comes from severity); not imported",
            )
        self._unmapped_fields(at, threat, _MAPPED_THREAT, "")
        self.threats.append(entry)

    def _summary_notes(self, summary: dict[str, Any], detail: dict[str, Any]) -> None:
        for key in ("owner",):
            if summary.get(key):
                self.note(
                    f"/summary/{key}",
                    f"{key} = {_show(summary[key])} is not imported; name the owners in document.owners",
                )
        if detail.get("reviewer"):
            self.note(
                "/detail/reviewer",
                f"reviewer = {_show(detail['reviewer'])} is not imported; name approvers in document.approvers",
            )
        contributors = detail.get("contributors")
        if isinstance(contributors, list) and contributors:
            self.note("/detail/contributors", f"{len(contributors)} contributor(s) not imported")


def _all_threats(cells: list[tuple[str, int, dict[str, Any]]]) -> list[dict[str, Any]]:
    found = []
    for _, _, cell in cells:
        threats = cell["data"].get("threats")
        if isinstance(threats, list):
            found += [t for t in threats if isinstance(t, dict)]
    return found


def _by_diagram(cells: list[tuple[str, int, dict[str, Any]]]) -> dict[int, list[tuple[str, dict[str, Any]]]]:
    grouped: dict[int, list[tuple[str, dict[str, Any]]]] = {}
    for where, d, cell in cells:
        grouped.setdefault(d, []).append((where, cell))
    return grouped


def _centre(cell: dict[str, Any]) -> Point | None:
    position, size = object_at(cell, "position"), object_at(cell, "size")
    try:
        x, y = float(position["x"]), float(position["y"])
        width, height = float(size["width"]), float(size["height"])
    except (TypeError, KeyError, ValueError):
        return None
    return (x + width / 2, y + height / 2)


def _depth(region: Region, parents: dict[str, Region | None]) -> int:
    depth, current = 1, parents[region.key]
    while current is not None and depth <= len(parents):
        depth, current = depth + 1, parents[current.key]
    return depth


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
