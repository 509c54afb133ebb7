"""Architecture diagrams: a plain description of nodes, clusters and edges first, then SVG and PNG drawn by `diagrams`.

`describe_system` and `describe_boundary` turn the model into a `DiagramSpec` (what is drawn, nothing about
how; parallel flows are one arrow); `render_spec` draws one spec with the `diagrams` package and Graphviz and
returns the bytes of a self-contained SVG (icons embedded as data: URIs, no comments, no file paths) and of a
PNG at `PNG_DPI`. The graph is laid out once (top to bottom if left to right fits no page), edge labels that
land on a boundary line, a node or another label are moved along their arrow (`diagram_labels`), and both
files are drawn from those positions. Every label is FONT_SIZE; `print_page` picks the page a document prints
a diagram on so that it is at least MIN_PRINTED_SIZE. Everything is sorted by id, so the same architecture
always gives byte-identical files.

The set (`describe_all`) starts with the overview (`describe_overview`: the boundaries, with the components
in each counted), then the whole-system diagram (none past `SYSTEM_DIAGRAM_LIMIT` components), then the
boundary diagrams. Documents embed `describe_embedded`: the same, less the diagrams of more than
`LARGE_SYSTEM_NODES` nodes, and less those no page prints legibly. `diagram_svg` draws only the SVG a document needs.
"""

from __future__ import annotations

import contextvars
import functools
import html
import logging
import re
import subprocess
import textwrap
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path

from diagrams import Cluster, Diagram, Edge, Node, setdiagram
from graphviz import Digraph, nohtml

from trustdocs.errors import BuildError
from trustdocs.model.architecture import Architecture, Component, DataFlow, TrustBoundary
from trustdocs.render.cache import DIAGRAM_SUFFIX, RenderCache, value_key
from trustdocs.render.diagram_files import png_with_dpi, self_contained_svg, svg_size_points
from trustdocs.render.diagram_labels import Geometry, place_labels
from trustdocs.render.icons import KIND_FALLBACK, KIND_LABELS, icon_class, icon_for, icon_path, kind_icon
from trustdocs.write.atomic import atomic_write_bytes

log = logging.getLogger(__name__)

SYSTEM = "system"
"""The name of the whole-system diagram; boundary diagrams are named `boundary-<id>`."""
OVERVIEW = "overview"
"""The name of the overview a document shows instead of the whole-system diagram of a large system."""
LARGE_SYSTEM_NODES = 60
"""Past this many components a diagram is unreadable on a page, and dot takes seconds to lay it out: documents
show the overview and the diagrams that fit, and the whole-system diagram is delivered as files only."""
EMBEDDED_DIAGRAM_NODES = 36
"""A diagram of more nodes than this does not print legibly even on A3 (the 60-component models' run to 2,000
points and more across), so a document does not draw it only to leave it out."""
SYSTEM_DIAGRAM_LIMIT = 150
"""A system of more components than this gets no whole-system diagram file, only its overview."""
BOUNDARY_DIAGRAM_NODES = 30
"""A boundary diagram that would draw more components than this draws the neighbours that sit in other
boundaries as one node per boundary."""
SAME_PICTURE = 0.9
"""A boundary diagram showing at least this share of the whole-system diagram's components is not drawn."""
MIN_BOUNDARY_MEMBERS = 2
"""A boundary holding fewer components than this (nested ones included) has no diagram of its own: the
whole-system diagram shows all there is to it."""

PNG_DPI = 150
PNG_PIXEL_LIMIT = 10_000_000
"""Largest PNG drawn, in pixels: room for an A2 sheet (594 × 420 mm, 8.7 million pixels) at PNG_DPI. A larger
diagram is drawn at the resolution that fits (the SVG keeps full detail): Graphviz took over 2 s to draw and
compress each 36-million-pixel PNG of a 200-component model, and Cairo holds the whole image in memory."""
FONT = "DejaVu Sans"
INK = "#2D3436"
MUTED = "#7B8794"
UNENCRYPTED_COLOUR = "#C62828"
ENCRYPTED_COLOUR = "#455A64"
BOUNDARY_COLOUR = "#455A64"
UNENCRYPTED = "unencrypted"
"""The last line of the label of an arrow whose flows are all unencrypted."""
# Pale fills by nesting depth, so a nested boundary stands out from its parent.
BOUNDARY_FILLS = ("#EEF5FB", "#E3EEF8", "#D6E6F4", "#C9DEF0")
CONTEXT_FILL = "#F7F7F7"

FONT_SIZE = 14
"""Every label of a diagram is drawn at this size, in points: one size, so the smallest text printed is this
times the scale the diagram is drawn at on its page."""
MIN_PRINTED_SIZE = 7
"""No diagram text is printed smaller than this, in points: a diagram is put on a page where it needs to be
scaled by no less than MIN_PRINTED_SIZE / FONT_SIZE (see `print_page`)."""

ICON_SIZE = 32
"""Icon edge in points."""
EMBEDDED_ICON_PIXELS = 3 * ICON_SIZE
"""Icons embedded in the SVG keep 3 pixels per point: sharp when the PDF is printed at 216 dpi."""
NODE_LABEL_WIDTH = 18
EDGE_LABEL_WIDTH = 18
CLUSTER_LABEL_WIDTH = 30

GRAPH_ATTRS = {
    "fontname": FONT,
    "fontsize": str(FONT_SIZE),
    "fontcolor": INK,
    "pad": "0.2",
    "nodesep": "0.15",
    "ranksep": "0.2",
    "splines": "spline",
    "newrank": "true",
    "labelloc": "b",
    "labeljust": "r",
}
LARGE_DIAGRAM_NODES = 40
DENSE_EDGES_LIMIT = 600
"""A diagram of more edges than this is laid out by `osage` rather than `dot` (see `layout_program`)."""
LARGE_GRAPH_ATTRS = {"nslimit": "2", "nslimit1": "2", "mclimit": "0.5", "searchsize": "10"}
NODE_ATTRS = {"fontname": FONT, "fontsize": str(FONT_SIZE), "fontcolor": INK, "width": "1.3", "height": "1.3"}
EDGE_ATTRS = {"fontname": FONT, "fontsize": str(FONT_SIZE), "arrowsize": "0.7", "penwidth": "1.2"}


@dataclass(frozen=True)
class DiagramNode:
    """A component as drawn: its icon and the boundaries around it, outermost first."""

    id: str
    label: str
    kind: str
    icon: str
    cluster: tuple[str, ...]
    neighbour: bool = False
    """Drawn for context: outside the boundary the diagram is about, but exchanging data with it."""


@dataclass(frozen=True)
class DiagramCluster:
    """A trust boundary as drawn, with the nodes directly inside it and its nested boundaries."""

    id: str
    label: str
    trust_level: int
    members: tuple[str, ...]
    clusters: tuple[DiagramCluster, ...] = ()
    context: bool = False
    """Outside the boundary the diagram is about; drawn only to place its neighbours."""

    def walk(self) -> Iterator[DiagramCluster]:
        """This cluster and every cluster nested in it, depth first."""
        yield self
        for child in self.clusters:
            yield from child.walk()


@dataclass(frozen=True)
class DiagramEdge:
    """One arrow: the data flows between two drawn nodes, in one direction.

    `label` is its text, a line per flow: the protocol and port (flows alike are listed once, counted), then
    a last line `unencrypted` when none is encrypted; in an arrow that also carries encrypted flows, an
    unencrypted flow's own line says so. `encrypted` is whether every flow is. An arrow of one flow has the
    flow's id; of several, `source>destination`.
    """

    id: str
    source: str
    destination: str
    label: str
    encrypted: bool
    flows: tuple[str, ...]
    """The ids of the data flows drawn as this arrow, sorted."""


@dataclass(frozen=True)
class DiagramSpec:
    """What one diagram shows, independent of Graphviz."""

    name: str
    title: str
    nodes: tuple[DiagramNode, ...]
    clusters: tuple[DiagramCluster, ...]
    edges: tuple[DiagramEdge, ...]
    overview: bool = False
    """Each node stands for the components directly inside one boundary, each edge for the flows between two."""
    hosting: tuple[str, ...] = ()
    """Where the processes and data stores the diagram is about run (their `hosting`, each once, in id order);
    for a document's caption."""

    def all_clusters(self) -> Iterator[DiagramCluster]:
        """Every cluster, nested ones included, depth first."""
        for cluster in self.clusters:
            yield from cluster.walk()


@dataclass(frozen=True)
class PrintPage:
    """A page a document prints a diagram on: its CSS page name and the box the diagram may fill."""

    name: str
    width_mm: float
    height_mm: float

    def scale(self, width_pt: float, height_pt: float) -> float:
        """How much a diagram of this natural size is scaled to fit the box; never enlarged."""
        return min(self.width_mm / (width_pt * MM_PER_POINT), self.height_mm / (height_pt * MM_PER_POINT), 1.0)


MM_PER_POINT = 25.4 / 72
PRINT_PAGES = (
    PrintPage("landscape", 261.0, 134.0),
    PrintPage("portrait", 174.0, 221.0),
    PrintPage("a3-landscape", 384.0, 222.0),
    PrintPage("a3-portrait", 261.0, 344.0),
)
"""The pages a diagram may be printed on, smallest first: A4 landscape and portrait, then A3, less the margins
(18 mm at the sides, 24 mm at the top and 22 mm at the bottom), the heading and a caption of up to three
lines."""


def print_page(width_pt: float, height_pt: float, *, reserved_mm: float = 0.0) -> PrintPage | None:
    """The smallest page of PRINT_PAGES on which a diagram of this size prints its text at MIN_PRINTED_SIZE or
    more, with `reserved_mm` of its height taken by something else (e.g. a heading); None when even the largest
    would print it smaller (a document then leaves it to the files)."""
    pages = (replace(page, height_mm=page.height_mm - reserved_mm) for page in PRINT_PAGES)
    return next((page for page in pages if page.scale(width_pt, height_pt) * FONT_SIZE >= MIN_PRINTED_SIZE), None)


@dataclass(frozen=True)
class RenderedDiagram:
    """One diagram's files in memory; `files()` names them as the build writes them."""

    name: str
    title: str
    svg: bytes
    png: bytes
    spec: DiagramSpec

    def files(self) -> dict[str, bytes]:
        return {f"{self.name}.svg": self.svg, f"{self.name}.png": self.png}


# --- Description ----------------------------------------------------------------------------------------------


class _Layout:
    """Where every component sits: the path of boundary ids from the outermost to its innermost boundary."""

    def __init__(self, arch: Architecture):
        self.components = {c.id: c for c in arch.components}
        self.boundaries: dict[str, TrustBoundary] = {}
        self.boundary_paths: dict[str, tuple[str, ...]] = {}
        self.paths: dict[str, tuple[str, ...]] = {}
        self._walk(arch.trust_boundaries, ())

    def _walk(self, boundaries: Iterable[TrustBoundary], parent: tuple[str, ...]) -> None:
        for boundary in boundaries:
            path = (*parent, boundary.id)
            self.boundaries[boundary.id] = boundary
            self.boundary_paths[boundary.id] = path
            for member in boundary.members:
                # A component listed twice is a validation error; the first boundary wins here.
                self.paths.setdefault(member, path)
            self._walk(boundary.boundaries, path)

    def path(self, component_id: str) -> tuple[str, ...]:
        return self.paths.get(component_id, ())

    def inside(self, component_id: str, boundary_id: str) -> bool:
        return boundary_id in self.path(component_id)


def describe_system(arch: Architecture) -> DiagramSpec:
    """The whole system: every component, every trust boundary and every data flow."""
    layout = _Layout(arch)
    shown = set(layout.components)
    return _describe(arch, layout, SYSTEM, "Data-flow diagram of the whole system", shown, focus=None)


def describe_boundary(arch: Architecture, boundary_id: str) -> DiagramSpec:
    """One trust boundary with its nested boundaries, and the components outside it that exchange data with it."""
    layout = _Layout(arch)
    if boundary_id not in layout.boundaries:
        known = ", ".join(sorted(layout.boundaries)) or "none"
        raise ValueError(f"no trust boundary '{boundary_id}' (known: {known})")
    inside, neighbours = _shown(arch, layout, boundary_id)
    boundary = layout.boundaries[boundary_id]
    title = f"Trust boundary: {boundary.name}"
    grouped: dict[str, str] = {}
    if len(inside) + len(neighbours) > BOUNDARY_DIAGRAM_NODES:
        # Too many to draw one by one: the neighbours in other boundaries are drawn one node per boundary, and
        # so are the components of a nested boundary that has a diagram of its own.
        grouped = {cid: layout.path(cid)[-1] for cid in neighbours if layout.path(cid)}
        for cid in inside:
            nested = layout.path(cid)[layout.path(cid).index(boundary_id) + 1 :]
            own = next((bid for bid in nested if _has_own_diagram(arch, layout, bid)), None)
            if own is not None:
                grouped[cid] = own
    return _describe(
        arch, layout, f"boundary-{boundary_id}", title, inside | neighbours, focus=boundary_id, grouped=grouped
    )


def _shown(arch: Architecture, layout: _Layout, boundary_id: str) -> tuple[set[str], set[str]]:
    """The components inside a boundary, and those outside it that exchange data with them."""
    inside = {cid for cid in layout.components if layout.inside(cid, boundary_id)}
    known_components = set(layout.components)
    neighbours: set[str] = set()
    for flow in arch.data_flows:
        ends = {flow.source, flow.destination}
        if ends & inside and ends <= known_components:
            neighbours |= ends - inside
    return inside, neighbours


def _has_own_diagram(arch: Architecture, layout: _Layout, boundary_id: str) -> bool:
    """Whether `describe_all` draws the boundary: enough components, and not nearly the whole system."""
    inside, neighbours = _shown(arch, layout, boundary_id)
    return len(inside) >= MIN_BOUNDARY_MEMBERS and len(inside | neighbours) < SAME_PICTURE * len(layout.components)


def describe_all(arch: Architecture) -> tuple[DiagramSpec, ...]:
    """The overview (`describe_overview`, the system at a glance), the whole-system diagram, then one per trust
    boundary, at every nesting level, depth first in the order of the model.

    A boundary of fewer than MIN_BOUNDARY_MEMBERS components gets no diagram, and neither does one whose
    diagram would show nearly the whole system (SAME_PICTURE): the boundaries nested in either still do. A
    system of more than SYSTEM_DIAGRAM_LIMIT components gets no whole-system diagram: Graphviz needs about a
    minute for 400 components and grows with the cube of the count, and a picture of hundreds of components
    is legible only boundary by boundary.
    """
    system = (describe_system(arch),) if draws_whole_system(arch) else ()
    layout = _Layout(arch)

    def boundary_specs(boundaries: Iterable[TrustBoundary]) -> Iterator[DiagramSpec]:
        for boundary in boundaries:
            if _has_own_diagram(arch, layout, boundary.id):
                yield describe_boundary(arch, boundary.id)
            yield from boundary_specs(boundary.boundaries)

    return (describe_overview(arch), *system, *boundary_specs(arch.trust_boundaries))


def draws_whole_system(arch: Architecture) -> bool:
    """Whether the system is small enough for a whole-system diagram file (see `describe_all`)."""
    return len(arch.components) <= SYSTEM_DIAGRAM_LIMIT


def describe_overview(arch: Architecture) -> DiagramSpec:
    """Every trust boundary, with one node counting the components directly inside it (and one for those
    outside every boundary), and one arrow per pair of such groups counting the flows between them.

    An arrow carrying an unencrypted flow is drawn red and says how many are; flows inside one group are not
    drawn.
    """
    layout = _Layout(arch)
    groups: dict[str, list[Component]] = {}
    for component in sorted(layout.components.values(), key=lambda c: c.id):
        path = layout.path(component.id)
        groups.setdefault(path[-1] if path else "", []).append(component)
    nodes = tuple(
        sorted(
            (_group_node(boundary_id, members, layout) for boundary_id, members in groups.items()),
            key=lambda node: node.id,
        )
    )
    group_of = {
        component.id: _group_id(boundary_id) for boundary_id, members in groups.items() for component in members
    }
    grouped: dict[tuple[str, str], list[DataFlow]] = {}
    for flow in sorted(arch.data_flows, key=lambda f: f.id):
        source, destination = group_of.get(flow.source), group_of.get(flow.destination)
        if source is None or destination is None or source == destination:
            continue
        grouped.setdefault((source, destination), []).append(flow)
    edges = tuple(_counted_edge(source, destination, flows) for (source, destination), flows in sorted(grouped.items()))
    clusters = _clusters(arch.trust_boundaries, nodes, set(layout.boundaries), None, inside_focus=True)
    return DiagramSpec(
        name=OVERVIEW, title="Overview of the whole system", nodes=nodes, clusters=clusters, edges=edges, overview=True
    )


def _counted_edge(source: str, destination: str, flows: list[DataFlow]) -> DiagramEdge:
    """One arrow counting the flows between two groups, and how many of them are unencrypted."""
    unencrypted = sum(1 for flow in flows if not flow.encrypted)
    label = _counted(len(flows), "flow", "flows")
    if unencrypted == len(flows):
        label += f"\n{UNENCRYPTED}"
    elif unencrypted:
        label += f"\n{unencrypted} {UNENCRYPTED}"
    return DiagramEdge(
        id=f"{source}>{destination}",
        source=source,
        destination=destination,
        label=label,
        encrypted=not unencrypted,
        flows=tuple(flow.id for flow in flows),
    )


def describe_embedded(arch: Architecture) -> tuple[DiagramSpec, ...]:
    """The diagrams a document shows: those of `describe_all` of at most EMBEDDED_DIAGRAM_NODES nodes (the
    overview always); a document still leaves out those no page prints legibly (`print_page`)."""
    overview, *others = describe_all(arch)
    return (overview, *(spec for spec in others if len(spec.nodes) <= EMBEDDED_DIAGRAM_NODES))


_GROUP_NOUNS = {
    "external_entity": ("external entity", "external entities"),
    "process": ("process", "processes"),
    "data_store": ("data store", "data stores"),
}


def _group_id(boundary_id: str) -> str:
    return f"group-{boundary_id}" if boundary_id else "group-outside"


def _group_node(boundary_id: str, members: list[Component], layout: _Layout) -> DiagramNode:
    kinds: list[str] = [c.kind for c in members]
    # The icon of the most common kind; on a tie the first in the order external, process, store.
    kind = max(KIND_FALLBACK, key=lambda k: (kinds.count(k), -list(KIND_FALLBACK).index(k)))
    one, many = _GROUP_NOUNS[kind] if len(set(kinds)) == 1 else ("component", "components")
    # A group of one is the component itself, named and drawn with its own icon.
    return DiagramNode(
        id=_group_id(boundary_id),
        label=members[0].name if len(members) == 1 else _counted(len(members), one, many),
        kind=kind,
        icon=icon_for(members[0]) if len(members) == 1 else kind_icon(kind),
        cluster=layout.boundary_paths[boundary_id] if boundary_id else (),
    )


def _counted(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _describe(
    arch: Architecture,
    layout: _Layout,
    name: str,
    title: str,
    shown: set[str],
    focus: str | None,
    grouped: dict[str, str] | None = None,
) -> DiagramSpec:
    """`grouped` maps the shown components drawn as one node per boundary to that boundary's id."""
    grouped = grouped or {}

    def in_focus(component_id: str) -> bool:
        return focus is None or layout.inside(component_id, focus)

    members: dict[str, list[Component]] = {}
    for cid in sorted(grouped):
        members.setdefault(grouped[cid], []).append(layout.components[cid])
    groups = [
        replace(_group_node(boundary_id, components, layout), neighbour=not in_focus(components[0].id))
        for boundary_id, components in members.items()
    ]
    nodes = tuple(
        sorted(
            [
                *(
                    _node(layout.components[cid], layout.path(cid), neighbour=not in_focus(cid))
                    for cid in shown
                    if cid not in grouped
                ),
                *groups,
            ],
            key=lambda node: node.id,
        )
    )
    # Every boundary on the path of a shown node is drawn; inside the focus, empty nested boundaries too.
    drawn = {bid for node in nodes for bid in node.cluster}
    if focus is not None:
        drawn |= {bid for bid, path in layout.boundary_paths.items() if focus in path}
    else:
        drawn |= set(layout.boundaries)
    clusters = _clusters(arch.trust_boundaries, nodes, drawn, focus, inside_focus=focus is None)
    flows = [
        flow
        for flow in arch.data_flows
        if flow.source in shown and flow.destination in shown and (in_focus(flow.source) or in_focus(flow.destination))
    ]
    edges = _edges(flows, lambda cid: _group_id(grouped[cid]) if cid in grouped else cid)
    hosting = tuple(
        dict.fromkeys(
            layout.components[cid].hosting
            for cid in sorted(shown)
            if in_focus(cid) and layout.components[cid].kind != "external_entity" and layout.components[cid].hosting
        )
    )
    return DiagramSpec(
        name=name,
        title=title,
        nodes=nodes,
        clusters=clusters,
        edges=edges,
        hosting=hosting if focus is not None else (),
    )


def _clusters(
    boundaries: Iterable[TrustBoundary],
    nodes: tuple[DiagramNode, ...],
    drawn: set[str],
    focus: str | None,
    *,
    inside_focus: bool,
) -> tuple[DiagramCluster, ...]:
    result = []
    for boundary in sorted(boundaries, key=lambda b: b.id):
        if boundary.id not in drawn:
            continue
        within = inside_focus or boundary.id == focus
        members = tuple(n.id for n in nodes if n.cluster and n.cluster[-1] == boundary.id)
        children = _clusters(boundary.boundaries, nodes, drawn, focus, inside_focus=within)
        result.append(
            DiagramCluster(
                id=boundary.id,
                label=boundary.name,
                trust_level=boundary.trust_level,
                members=members,
                clusters=children,
                context=not within,
            )
        )
    return tuple(result)


def _node(component: Component, path: tuple[str, ...], *, neighbour: bool) -> DiagramNode:
    return DiagramNode(
        id=component.id,
        label=component.name,
        kind=component.kind,
        icon=icon_for(component),
        cluster=path,
        neighbour=neighbour,
    )


def _edges(flows: Iterable[DataFlow], node_of: Callable[[str], str]) -> tuple[DiagramEdge, ...]:
    """One arrow per source and destination node: parallel flows share an arrow whose label lists them."""
    arrows: dict[tuple[str, str], list[DataFlow]] = {}
    for flow in sorted(flows, key=lambda f: f.id):
        ends = (node_of(flow.source), node_of(flow.destination))
        if ends[0] != ends[1]:  # a flow inside one group is not drawn
            arrows.setdefault(ends, []).append(flow)
    edges = []
    for (source, destination), carried in arrows.items():
        encrypted = all(flow.encrypted for flow in carried)
        mixed = not encrypted and any(flow.encrypted for flow in carried)
        lines: dict[str, int] = {}
        for flow in carried:
            line = _flow_label(flow) + (" (unencrypted)" if mixed and not flow.encrypted else "")
            lines[line] = lines.get(line, 0) + 1
        text = [line if count == 1 else f"{line} ×{count}" for line, count in lines.items()]
        label = "\n".join([*text, *([] if encrypted or mixed else [UNENCRYPTED])])
        edge_id = carried[0].id if len(carried) == 1 else f"{source}>{destination}"
        edges.append(
            DiagramEdge(
                id=edge_id,
                source=source,
                destination=destination,
                label=label,
                encrypted=encrypted,
                flows=tuple(flow.id for flow in carried),
            )
        )
    return tuple(sorted(edges, key=lambda edge: edge.id))


def _flow_label(flow: DataFlow) -> str:
    label = flow.protocol if flow.port is None else f"{flow.protocol} :{flow.port}"
    if flow.local:  # stays on one host: not a network hop, and not drawn as unencrypted
        label += " (local)"
    return label


# --- Rendering ------------------------------------------------------------------------------------------------


def render_diagrams(arch: Architecture, out_dir: Path | None = None) -> list[RenderedDiagram]:
    """Render every diagram of `describe_all`; with `out_dir`, also write them there once all have rendered."""
    rendered = list(_render_all(arch))
    if not draws_whole_system(arch):
        log.warning(
            "the system has %d components, more than the %d a whole-system diagram draws: "
            "diagrams/%s.svg shows its trust boundaries with their components counted instead, and the "
            "boundary diagrams show the components",
            len(arch.components),
            SYSTEM_DIAGRAM_LIMIT,
            OVERVIEW,
        )
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        for diagram in rendered:
            for filename, data in diagram.files().items():
                atomic_write_bytes(out_dir / filename, data)
    return rendered


@functools.lru_cache(maxsize=2)
def _render_all(arch: Architecture) -> tuple[RenderedDiagram, ...]:
    # A build draws the diagrams once for diagrams/ and the security document embeds the same ones: the
    # architecture is immutable, so the second request reuses the first drawing.
    return tuple(render_spec(spec) for spec in describe_all(arch))


_KEPT: contextvars.ContextVar[RenderCache | None] = contextvars.ContextVar("trustdocs_drawings_kept", default=None)


@contextmanager
def drawings_kept_in(cache: RenderCache | None) -> Iterator[None]:
    """Within this block, diagrams drawn before are read from `cache` (and new drawings kept there)."""
    token = _KEPT.set(cache)
    try:
        yield
    finally:
        _KEPT.reset(token)


@functools.cache
def _graphviz_version() -> str:
    try:
        return subprocess.run(["dot", "-V"], capture_output=True, check=False, timeout=30).stderr.decode().strip()
    except (OSError, subprocess.SubprocessError):
        return "absent"


def _drawing_key(spec: DiagramSpec) -> str:
    # The icons are files of the diagrams package: its version stands for their bytes.
    return value_key(spec, graphviz=_graphviz_version(), diagrams=version("diagrams"), dpi=str(PNG_DPI))


def render_spec(spec: DiagramSpec) -> RenderedDiagram:
    """Draw one diagram and return a self-contained SVG and a PNG at PNG_DPI."""
    cache = _KEPT.get()
    kept = cache.read(_drawing_key(spec), DIAGRAM_SUFFIX) if cache is not None else None
    if kept is not None and len(kept[0]) == 3:
        layout, svg, png = kept[0]
        _DRAWN.put(spec, (layout, svg))
        return RenderedDiagram(name=spec.name, title=spec.title, svg=svg, png=png, spec=spec)
    layout, svg = _layout_and_svg(spec)
    # Kept for diagram_svg: a document embedding this diagram need not lay it out again.
    _DRAWN.put(spec, (layout, svg))
    dpi = _png_dpi(spec, svg_size_points(svg))
    png = png_with_dpi(_graphviz(["neato", "-n2", "-Tpng", f"-Gdpi={dpi}"], layout, spec), dpi)
    if cache is not None:
        cache.write(_drawing_key(spec), [layout, svg, png], suffix=DIAGRAM_SUFFIX)
    return RenderedDiagram(name=spec.name, title=spec.title, svg=svg, png=png, spec=spec)


def diagram_svg(spec: DiagramSpec) -> bytes:
    """Only the self-contained SVG of `render_spec` (the same bytes), for a document to embed; no PNG."""
    drawn = _DRAWN.get(spec)
    if drawn is None:
        return render_spec(spec).svg if _KEPT.get() is not None else _svg_only(spec)
    return drawn[1]


def _svg_only(spec: DiagramSpec) -> bytes:
    drawn = _layout_and_svg(spec)
    _DRAWN.put(spec, drawn)
    return drawn[1]


class _DrawnCache:
    """The layouts and SVGs drawn lately, for `diagram_svg` to reuse.

    `render_spec` itself always draws anew: reusing a layout would hide a missing Graphviz until the PNG.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: dict[DiagramSpec, tuple[bytes, bytes]] = {}
        self._lock = threading.Lock()

    def get(self, spec: DiagramSpec) -> tuple[bytes, bytes] | None:
        with self._lock:
            return self._items.get(spec)

    def put(self, spec: DiagramSpec, drawn: tuple[bytes, bytes]) -> None:
        with self._lock:
            self._items[spec] = drawn
            while len(self._items) > self._size:
                del self._items[next(iter(self._items))]


_DRAWN = _DrawnCache(32)
"""Room for every diagram a document embeds from one set: a 200-component model has 21."""


def _layout_and_svg(spec: DiagramSpec) -> tuple[bytes, bytes]:
    """The Graphviz layout of `spec` (dot's output, with positions) and the self-contained SVG drawn from it."""
    log.debug("rendering diagram %s (%d nodes, %d edges)", spec.name, len(spec.nodes), len(spec.edges))
    layout, icons = _laid_out(spec, "LR")
    if print_page(*_layout_size(layout)) is None and layout_program(spec) == "dot" and _could_fit(layout):
        # Too wide or too tall for any page left to right: top to bottom may fit one.
        across, _ = _laid_out(spec, "TB")
        if print_page(*_layout_size(across)) is not None:
            log.debug("diagram %s: drawn top to bottom to print legibly", spec.name)
            layout = across
    # Drawn once as it stands (neato -n2 fixes the drawing's bounding box), so that the geometry read from
    # it and the positions written back share one frame.
    layout = _graphviz(["neato", "-n2", "-Tdot"], layout, spec)
    layout = place_labels(layout, geometry(layout, spec))
    svg = self_contained_svg(_graphviz(["neato", "-n2", "-Tsvg"], layout, spec), icons.values(), EMBEDDED_ICON_PIXELS)
    return layout, svg


def geometry(layout: bytes, spec: DiagramSpec) -> Geometry:
    """Where the labels, nodes and boundaries of a laid-out diagram sit, as it is drawn."""
    return Geometry.of(_graphviz(["neato", "-n2", "-Tjson"], layout, spec))


def _laid_out(spec: DiagramSpec, direction: str) -> tuple[bytes, dict[str, Path]]:
    """The Graphviz layout of `spec` (dot's output, with positions) with its ranks running `direction`."""
    # diagrams keeps the diagram and cluster being built in context variables; a fresh context keeps this
    # build from seeing (or leaking) another thread's.
    dot, icons = contextvars.copy_context().run(_draw, spec, False, direction)
    # Lay the graph out once, then draw both formats from the fixed positions (neato -n2): the layout is
    # the expensive part, and both files then show exactly the same picture.
    try:
        return _graphviz([layout_program(spec), "-Tdot"], dot.source.encode("utf-8"), spec), icons
    except BuildError as error:
        if "trouble in init_rank" not in error.message:
            raise
    # dot's ranking can fail on edges that do not constrain it inside nested clusters: rank them all.
    log.debug("diagram %s: dot could not rank it; drawing it again with every edge ranked", spec.name)
    dot, icons = contextvars.copy_context().run(_draw, spec, True, direction)
    return _graphviz([layout_program(spec), "-Tdot"], dot.source.encode("utf-8"), spec), icons


_BOUNDING_BOX = re.compile(rb'\bbb="0,0,([0-9.]+),([0-9.]+)"')


def _could_fit(layout: bytes) -> bool:
    """Whether the diagram, at the smallest scale that prints it legibly, covers no more than the largest page:
    laid out the other way round it keeps about the same area, so a larger one fits no page either way."""
    width, height = _layout_size(layout)
    scale = MIN_PRINTED_SIZE / FONT_SIZE * MM_PER_POINT
    return width * height * scale**2 <= max(page.width_mm * page.height_mm for page in PRINT_PAGES)


def _layout_size(layout: bytes) -> tuple[float, float]:
    """Width and height of a laid-out graph in points, from its bounding box (the SVG adds the pad)."""
    found = _BOUNDING_BOX.search(layout)
    if found is None:
        raise BuildError("Graphviz produced a layout without a bounding box")
    pad = 2 * float(GRAPH_ATTRS["pad"]) * 72
    return float(found[1]) + pad, float(found[2]) + pad


def layout_program(spec: DiagramSpec) -> str:
    """The Graphviz program that places the nodes: `dot`, ranking them along the flows, unless there are
    more than DENSE_EDGES_LIMIT edges.

    Every edge spanning k ranks adds k hidden nodes to dot's crossing minimisation: an overview of 100
    boundaries joined by 1,600 edges took 150 s and came out as one column 494 inches long. `osage` packs the
    clusters into a grid in a second and draws the edges straight.
    """
    return "osage" if len(spec.edges) > DENSE_EDGES_LIMIT else "dot"


def _png_dpi(spec: DiagramSpec, size: tuple[float, float]) -> int:
    """PNG_DPI, unless the PNG would exceed PNG_PIXEL_LIMIT: then the highest resolution that stays within it."""
    width_in, height_in = size[0] / 72, size[1] / 72
    if width_in * height_in * PNG_DPI**2 <= PNG_PIXEL_LIMIT:
        return PNG_DPI
    # A note, not a warning: nothing in the inputs is wrong, and the SVG has every detail.
    dpi = max(int((PNG_PIXEL_LIMIT / (width_in * height_in)) ** 0.5), 1)
    log.info(
        "diagram '%s' is %.0f x %.0f in; its PNG is drawn at %d dpi instead of %d to stay under %s "
        "pixels (the SVG has full detail)",
        spec.name,
        width_in,
        height_in,
        dpi,
        PNG_DPI,
        f"{PNG_PIXEL_LIMIT:,}",
    )
    return dpi


def _graphviz(command: list[str], source: bytes, spec: DiagramSpec) -> bytes:
    """Run a Graphviz program on `source` (an argument list, never a shell) and return what it prints."""
    try:
        done = subprocess.run(command, input=source, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise BuildError(
            f"cannot draw diagrams: Graphviz is not installed (the '{command[0]}' program was not found)"
        ) from exc
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = " ".join(lines[:1]) + (" (…)" if len(lines) > 1 else "")
        raise BuildError(f"cannot draw diagram '{spec.name}': Graphviz failed: {detail}")
    return done.stdout


def _draw(spec: DiagramSpec, rank_every_edge: bool = False, direction: str = "LR") -> tuple[Digraph, dict[str, Path]]:
    """Build the Graphviz graph with `diagrams` objects; returns it and the icon files it refers to.

    `rank_every_edge` drops the hint that lets reads from a data store leave the ranks alone; `direction` is
    the way ranks run, LR (left to right) or TB (top to bottom).
    """
    diagram = Diagram(
        name="",
        filename=spec.name,
        direction=direction,
        outformat="svg",
        show=False,
        graph_attr=GRAPH_ATTRS,
        node_attr=NODE_ATTRS,
        edge_attr=EDGE_ATTRS,
    )
    setdiagram(diagram)
    large = len(spec.nodes) > LARGE_DIAGRAM_NODES
    if large:
        # Past a few dozen nodes dot's network simplex dominates (half a minute at 200 components) and
        # non-constraint edges can make its ranking fail outright; bounded iterations keep it to seconds.
        diagram.dot.graph_attr.update(LARGE_GRAPH_ATTRS)
    icons: dict[str, Path] = {}
    nodes: dict[str, Node] = {}
    by_id = {node.id: node for node in spec.nodes}

    def add_node(node: DiagramNode) -> None:
        nodes[node.id] = _icon_node(node)
        icons[node.icon] = icon_path(node.icon)

    def add_cluster(cluster: DiagramCluster, depth: int) -> None:
        # In a left-to-right layout a cluster label's width pushes whole columns apart: keep it narrow.
        lines = [*_wrap(cluster.label, CLUSTER_LABEL_WIDTH), f"trust level {cluster.trust_level}"]
        # "\l" ends a left-justified line; "\n" would centre every line under the first.
        label = "".join(_escape(line) + "\\l" for line in lines)
        with Cluster(nohtml(label), graph_attr=_cluster_attrs(cluster, depth)) as drawn:
            # diagrams names a cluster after its label; two boundaries may share a name, ids may not.
            drawn.dot.name = f"cluster_{cluster.id}"
            for member in cluster.members:
                add_node(by_id[member])
            for child in cluster.clusters:
                add_cluster(child, depth + 1)

    for cluster in spec.clusters:
        add_cluster(cluster, 0)
    for node in spec.nodes:
        if not node.cluster:
            add_node(node)
    for edge in spec.edges:
        drawn_edge = _flow_edge(edge)
        if by_id[edge.source].kind == "data_store" and not (large or spec.overview or rank_every_edge):
            # Reading from a store does not move the reader a column further right: without this, every
            # consumer of a queue and whatever it writes to would each add a column to the page.
            drawn_edge._attrs["constraint"] = "false"
        nodes[edge.source].connect(nodes[edge.destination], drawn_edge)
    for key in KIND_FALLBACK.values():
        icons[key] = icon_path(key)
    diagram.dot.graph_attr["label"] = _legend(spec)
    return diagram.dot, icons


def _icon_node(node: DiagramNode) -> Node:
    # The icon and the label go into one HTML table, so Graphviz sizes the node to fit both and no label
    # runs into its icon or a neighbour (diagrams' own fixed-size nodes let long names overflow).
    colour = MUTED if node.neighbour else INK
    text = "<BR/>".join(html.escape(_escape(line)) for line in _wrap(node.label, NODE_LABEL_WIDTH))
    label = (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
        f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{ICON_SIZE}" HEIGHT="{ICON_SIZE}">'
        f'<IMG SRC="{html.escape(str(icon_path(node.icon)))}" SCALE="TRUE"/></TD></TR>'
        f'<TR><TD><FONT COLOR="{colour}">{text}</FONT></TD></TR></TABLE>>'
    )
    attrs = {"shape": "plaintext", "image": "", "fixedsize": "false", "width": "0", "height": "0", "margin": "0"}
    return icon_class(node.icon)(label, nodeid=node.id, **attrs)


def _flow_edge(edge: DiagramEdge) -> Edge:
    lines = [wrapped for line in edge.label.split("\n") for wrapped in _wrap(line, EDGE_LABEL_WIDTH)]
    # diagrams' Edge sets its own font on every edge, overriding the graph's edge defaults: restate ours.
    attrs = {"fontname": FONT, "fontsize": str(FONT_SIZE), "fontcolor": INK, "color": ENCRYPTED_COLOUR}
    if not edge.encrypted:
        attrs.update(color=UNENCRYPTED_COLOUR, fontcolor=UNENCRYPTED_COLOUR, style="dashed", penwidth="1.6")
    return Edge(label=nohtml(_escape("\n".join(lines))), forward=True, **attrs)


def _cluster_attrs(cluster: DiagramCluster, depth: int) -> dict[str, str]:
    if cluster.context:
        return {
            "style": "dotted,rounded,filled",
            "pencolor": MUTED,
            "bgcolor": CONTEXT_FILL,
            "fontcolor": MUTED,
            "fontname": FONT,
            "fontsize": str(FONT_SIZE),
            "labeljust": "l",
            "labelloc": "t",
            "margin": "8",
        }
    return {
        "style": "dashed,rounded,filled",
        "pencolor": BOUNDARY_COLOUR,
        "penwidth": "1.4",
        "bgcolor": BOUNDARY_FILLS[min(depth, len(BOUNDARY_FILLS) - 1)],
        "fontcolor": INK,
        "fontname": FONT,
        "fontsize": str(FONT_SIZE),
        "labeljust": "l",
        "labelloc": "t",
        "margin": "10",
    }


def _legend(spec: DiagramSpec) -> str:
    """The graph label: an HTML table explaining line styles, boundaries and the generic icons."""
    entries = [
        (
            f'<FONT COLOR="{ENCRYPTED_COLOUR}">──────▶</FONT>',
            "encrypted data flows (counted)" if spec.overview else "encrypted data flow (protocol :port)",
        ),
        (
            f'<FONT COLOR="{UNENCRYPTED_COLOUR}">- - - - ▶</FONT>',
            f'<FONT COLOR="{UNENCRYPTED_COLOUR}">unencrypted data flow</FONT>',
        ),
        (_swatch("dashed", BOUNDARY_COLOUR, BOUNDARY_FILLS[0]), "trust boundary"),
    ]
    if any(cluster.context for cluster in spec.all_clusters()):
        entries.append((_swatch("dotted", MUTED, CONTEXT_FILL), "another boundary, for context"))
    icons = [
        (f'<IMG SRC="{html.escape(str(icon_path(key)))}" SCALE="TRUE"/>', f"{KIND_LABELS[kind]} (generic)")
        for kind, key in KIND_FALLBACK.items()
    ]
    # Rows of LEGEND_COLUMNS entries: the legend sits under the diagram, and a long single row would make a
    # small diagram as wide as the legend, and print it smaller.
    cells = [_legend_cell(sample, text) for sample, text in entries]
    cells += [_legend_cell(sample, text, icon=True) for sample, text in icons]
    cells.append(f'<TD></TD><TD ALIGN="LEFT"><FONT COLOR="{MUTED}">other icons: the technology</FONT></TD><TD></TD>')
    rows = [cells[start : start + LEGEND_COLUMNS] for start in range(0, len(cells), LEGEND_COLUMNS)]
    body = "".join(
        f'<TR><TD ALIGN="LEFT">{"<B>Legend</B>" if index == 0 else ""}</TD>{"".join(row)}</TR>'
        for index, row in enumerate(rows)
    )
    return (
        '<<TABLE BORDER="1" COLOR="#B0BEC5" CELLBORDER="0" CELLSPACING="1" CELLPADDING="2" BGCOLOR="white">'
        f"{body}</TABLE>>"
    )


LEGEND_COLUMNS = 2


def _legend_cell(sample: str, text: str, *, icon: bool = False) -> str:
    size = ' FIXEDSIZE="TRUE" WIDTH="22" HEIGHT="22"' if icon else ""
    return f'<TD{size}>{sample}</TD><TD ALIGN="LEFT">{text}</TD><TD WIDTH="14"></TD>'


def _swatch(style: str, colour: str, fill: str) -> str:
    return (
        f'<TABLE BORDER="1" STYLE="{style},rounded" COLOR="{colour}" BGCOLOR="{fill}" CELLPADDING="0">'
        '<TR><TD WIDTH="44" HEIGHT="12"> </TD></TR></TABLE>'
    )


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [""]


def _escape(label: str) -> str:
    # Graphviz reads backslash sequences (\n, \l, \N) in labels; a backslash in the input is just a character.
    return label.replace("\\", "\\\\")
