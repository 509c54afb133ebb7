"""Edge labels of a laid-out diagram: where each sits, what it runs into, and moving it to a free place on its arrow.

dot places a label as a node of its own between two ranks, which can land it on a trust boundary's line, on a
node or on another label when several flows converge. `Geometry.of(layout)` reads the boxes of every label,
node, boundary and of the legend from the laid-out graph (Graphviz's own text widths, via `neato -n2 -Tjson`);
`clashes` lists what a label runs into; `place_labels` moves each clashing label to the first free spot along
its own arrow and writes the new position into the layout, which is then drawn as it stands (`neato -n2`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Box = tuple[float, float, float, float]
"""left, bottom, right, top in points, y up (Graphviz's coordinates)."""

CLEARANCE = 2.0
"""Points kept free around a label."""
ASCENT, DESCENT = 0.76, 0.24
"""Parts of the font size above and below the baseline."""


@dataclass(frozen=True)
class Label:
    """An edge label: its box, the arrow's points (sampled along its spline) and its position attribute."""

    edge: str
    box: Box
    path: tuple[tuple[float, float], ...]
    lp: str


@dataclass(frozen=True)
class Geometry:
    """Everything on a laid-out diagram that an edge label must keep clear of."""

    labels: tuple[Label, ...]
    nodes: dict[str, Box]
    clusters: dict[str, Box]
    fixed_text: tuple[Box, ...]
    """The boundaries' own labels and the legend."""
    bounds: Box

    @classmethod
    def of(cls, laid_out: bytes) -> Geometry:
        """The geometry of `laid_out`, Graphviz's JSON output of a laid-out graph."""
        graph = json.loads(laid_out)
        objects = graph.get("objects", [])
        names = {item["_gvid"]: item["name"] for item in objects}
        nodes, clusters, fixed = {}, {}, []
        for item in objects:
            if "bb" in item:
                clusters[item["name"]] = _bb(item["bb"])
                if (text := _text_box(item.get("_ldraw_"))) is not None:
                    fixed.append(text)
            elif "pos" in item and "width" in item:
                x, y = _point(item["pos"])
                half_w, half_h = float(item["width"]) * 36, float(item["height"]) * 36
                nodes[item["name"]] = (x - half_w, y - half_h, x + half_w, y + half_h)
        if "lp" in graph and "lwidth" in graph:
            x, y = _point(graph["lp"])
            half_w, half_h = float(graph["lwidth"]) * 36, float(graph["lheight"]) * 36
            fixed.append((x - half_w, y - half_h, x + half_w, y + half_h))
        labels = []
        for edge in graph.get("edges", []):
            box = _text_box(edge.get("_ldraw_"))
            if box is None or "lp" not in edge:
                continue
            name = f"{names[edge['tail']]}->{names[edge['head']]}"
            labels.append(Label(name, box, tuple(_spline_points(edge.get("pos", ""))), edge["lp"]))
        return cls(tuple(labels), nodes, clusters, tuple(fixed), _bb(graph["bb"]))

    def clashes(self, label: Box, others: Iterator[Box] | tuple[Box, ...] = ()) -> list[str]:
        """What a label with this box runs into: nodes, the lines of boundaries, fixed text, `others`."""
        found = [f"node {name}" for name, box in self.nodes.items() if _meet(label, box)]
        found += [
            f"boundary line {name}"
            for name, box in self.clusters.items()
            if _meet(label, box) and not _within(label, box)
        ]
        found += ["text" for box in self.fixed_text if _meet(label, box)]
        found += ["label" for box in others if _meet(label, box)]
        if not _within(label, self.bounds):
            found.append("edge of the drawing")
        return found

    def problems(self) -> list[str]:
        """Every clash of every label, each once: `edge: what it runs into`."""
        result = []
        for index, label in enumerate(self.labels):
            later = tuple(other.box for other in self.labels[index + 1 :])
            result += [f"{label.edge}: {what}" for what in self.clashes(label.box, later)]
        return result


def place_labels(layout: bytes, geometry: Geometry) -> bytes:
    """`layout` (dot's output) with every clashing label moved to the first free spot along its own arrow,
    nearest the arrow's middle first; a label with no free spot stays where dot put it."""
    placed: list[Box] = []
    moves: dict[str, str] = {}
    clashing = []
    positions = [label.lp for label in geometry.labels]
    for index, label in enumerate(geometry.labels):
        others = [other.box for other in geometry.labels[:index] + geometry.labels[index + 1 :]]
        # A label is found by its position in the layout: one sharing it with another cannot be told apart.
        if geometry.clashes(label.box, tuple(others)) and positions.count(label.lp) == 1:
            clashing.append(label)
        else:
            placed.append(label.box)
    for label in clashing:
        spot = _free_spot(label, geometry, placed)
        if spot is None:
            placed.append(label.box)
            continue
        placed.append(spot)
        # Graphviz draws the label at the same offset from lp wherever lp is.
        x, y = _point(label.lp)
        moves[label.lp] = f"{_n(x + spot[0] - label.box[0])},{_n(y + spot[1] - label.box[1])}"
    if not moves:
        return layout
    text = layout.decode("utf-8")

    def move(match: re.Match[str]) -> str:
        return f'lp="{moves.get(match[1], match[1])}"'

    return _LP.sub(move, text).encode("utf-8")


_LP = re.compile(r'\blp="([^"]*)"')


def _free_spot(label: Label, geometry: Geometry, placed: list[Box]) -> Box | None:
    width, height = label.box[2] - label.box[0], label.box[3] - label.box[1]
    for x, y in _by_distance_from_middle(label.path):
        for dx, dy in _offsets(width, height):
            left, bottom = x + dx - width / 2, y + dy - height / 2
            box = (left, bottom, left + width, bottom + height)
            if not geometry.clashes(_grown(box), tuple(placed)):
                return box
    return None


def _offsets(width: float, height: float) -> Iterator[tuple[float, float]]:
    """Where a label may sit relative to a point on its arrow: above, below, right, left of it."""
    gap = CLEARANCE + 1
    yield 0.0, height / 2 + gap
    yield 0.0, -height / 2 - gap
    yield width / 2 + gap, 0.0
    yield -width / 2 - gap, 0.0


def _by_distance_from_middle(points: tuple[tuple[float, float], ...]) -> list[tuple[float, float]]:
    middle = (len(points) - 1) / 2
    # Not the two ends: a label at a node's side reads as the node's.
    inner = list(enumerate(points))[2:-2] or list(enumerate(points))
    return [point for _, point in sorted(inner, key=lambda item: (abs(item[0] - middle), item[0]))]


def _spline_points(pos: str, samples: int = 6) -> Iterator[tuple[float, float]]:
    """Points along an edge's cubic B-spline (`pos` without its arrowhead end points), `samples` per segment."""
    control = [_point(token) for token in pos.replace("\\\n", "").split() if token[:2] not in ("e,", "s,")]
    for start in range(0, len(control) - 3, 3):
        p0, p1, p2, p3 = control[start : start + 4]
        for step in range(samples):
            t = step / samples
            yield _bezier(p0, p1, p2, p3, t)
    if control:
        yield control[-1]


def _bezier(
    p0: tuple[float, float], p1: tuple[float, float], p2: tuple[float, float], p3: tuple[float, float], t: float
) -> tuple[float, float]:
    u = 1 - t
    return (
        u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
        u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
    )


def _text_box(ops: list[dict[str, Any]] | None) -> Box | None:
    """The box around the text an `_ldraw_` list draws (every line of it), or None when it draws none."""
    boxes, size = [], 14.0
    for op in ops or []:
        if op.get("op") == "F":
            size = float(op["size"])
        elif op.get("op") == "T":
            x, y = op["pt"]
            width = float(op["width"])
            left = {"l": x, "r": x - width}.get(op["align"], x - width / 2)
            boxes.append((left, y - DESCENT * size, left + width, y + ASCENT * size))
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _grown(box: Box) -> Box:
    return (box[0] - CLEARANCE, box[1] - CLEARANCE, box[2] + CLEARANCE, box[3] + CLEARANCE)


def _meet(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _within(inner: Box, outer: Box) -> bool:
    return outer[0] <= inner[0] and inner[2] <= outer[2] and outer[1] <= inner[1] and inner[3] <= outer[3]


def _point(text: str) -> tuple[float, float]:
    x, y = text.split(",")[:2]
    return float(x), float(y)


def _bb(text: str) -> Box:
    left, bottom, right, top = (float(v) for v in text.split(","))
    return left, bottom, right, top


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
