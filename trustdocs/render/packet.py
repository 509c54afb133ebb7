"""The customer packet as one PDF: a cover, a contents, every registered document and the architecture diagrams.

The packet is one HTML document rendered in one WeasyPrint pass, so that page numbers run on over the whole
packet, the contents shows real page numbers, the outline nests (document, section, subsection) and the
running footer stamps the customer's name on every page. Each document is rendered from its own template with
`packet-part.html` standing in for `base.html`: the same template, context and furniture as the stand-alone
PDF, without its cover, document control and contents.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from trustdocs.errors import BuildError
from trustdocs.model.audience import OutputAudience
from trustdocs.model.project import Customer, Project
from trustdocs.render.diagrams import RenderedDiagram, print_page
from trustdocs.render.documents import (
    CLASSIFICATION_LABELS,
    DocumentSpec,
    Furniture,
    build_furniture,
    documents_for,
    number_headings,
)
from trustdocs.render.env import make_environment
from trustdocs.render.fetcher import RestrictedFetcher
from trustdocs.render.pdf import PdfAttachment, render_pdf
from trustdocs.render.security_document import RenderedFigure, figure_from_svg

log = logging.getLogger(__name__)

PACKET_TEMPLATE = "packet.html"
PART_LAYOUT = "packet-part.html"
BODY_MARKER = "<!-- trustdocs:packet-body -->"
PACKET_TITLE = "Customer Trust Packet"
DIAGRAMS_TITLE = "Architecture diagrams"
MARKINGS: dict[OutputAudience, str] = {"nda": "confidential, under NDA", "public": "public"}

PART_HEAD_MM = 22.0
"""The packet's part heading takes this much of the first diagram page (see render.diagrams.print_page)."""


def packet_filename(customer: Customer) -> str:
    """`packet-globex.pdf`: the file name of the packet prepared for `customer`."""
    return f"packet-{customer.slug}.pdf"


@dataclass(frozen=True)
class PacketSection:
    """A line of the packet's contents under a document: a numbered section (an h1 of the document)."""

    anchor: str
    title_html: Markup
    number: str = ""
    """The number the document prints before the heading; empty for an unnumbered one (a preamble)."""


@dataclass(frozen=True)
class DiagramPage:
    """One architecture diagram on a landscape page of its own, drawn as vector SVG."""

    anchor: str
    figure: RenderedFigure
    width_mm: str
    height_mm: str
    caption: str
    page: str
    """The name of the page it is printed on, e.g. 'a3-landscape' (render.diagrams.PRINT_PAGES)."""


@dataclass(frozen=True)
class PacketPart:
    """One document of the packet: its heading, its furniture facts and its body (or diagram pages)."""

    name: str
    anchor: str
    title: str
    furniture: Furniture
    body: Markup
    sections: tuple[PacketSection, ...]
    diagrams: tuple[DiagramPage, ...] = ()


@dataclass(frozen=True)
class Packet:
    """Everything packet.html lays out; `head` holds the documents' own stylesheet links, each once."""

    customer_name: str
    marking: str
    parts: tuple[PacketPart, ...]
    head: tuple[Markup, ...]
    attachments: tuple[PdfAttachment, ...]


# -- documents as parts ---------------------------------------------------------------------------


class _PartLoader(jinja2.BaseLoader):
    """The package's templates, except that `base.html` is the packet's part layout."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self.inner = inner

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        return self.inner.get_source(environment, PART_LAYOUT if template == "base.html" else template)


@functools.cache
def _environments() -> tuple[jinja2.Environment, jinja2.Environment]:
    """The packet's own environment and the one documents are rendered in as parts."""
    packet = make_environment()
    parts = make_environment()
    assert parts.loader is not None
    parts.loader = _PartLoader(parts.loader)
    return packet, parts


_ID_RE = re.compile(r"""\sid="([^"]+)\"""")


def number_sections(body: str, prefix: str) -> tuple[str, tuple[PacketSection, ...]]:
    """Number a document body's clauses with ids unique in the packet (`number_headings`), and list its
    h1 headings (but `no-toc` ones) for the packet's contents."""
    numbered, entries = number_headings(body, f"{prefix}-")
    sections = tuple(
        PacketSection(e.anchor, Markup(e.title_html), e.number) for e in entries if e.level == 1 and e.listed
    )
    return numbered, sections


def render_part(spec: DocumentSpec, project: Project) -> tuple[Markup, Markup, Furniture]:
    """The head additions and the body of one document as the packet includes it, and its furniture."""
    furniture = spec.furniture(project)
    _, parts = _environments()
    try:
        page = parts.get_template(spec.template).render(furniture=furniture, doc=spec.build_context(project))
    except jinja2.UndefinedError as error:
        raise BuildError(f"template {spec.template}: {error.message}") from error
    head, marker, body = page.partition(BODY_MARKER)
    if not marker:
        raise BuildError(f"template {spec.template} does not extend base.html, so it cannot join the packet")
    return Markup(head.strip()), Markup(body.strip()), furniture


def document_part(spec: DocumentSpec, project: Project) -> tuple[PacketPart, Markup]:
    """One registered document as a part of the packet, with its head additions."""
    head, body, furniture = render_part(spec, project)
    numbered, sections = number_sections(body, spec.name)
    part = PacketPart(spec.name, f"document-{spec.name}", spec.title, furniture, Markup(numbered), sections)
    return part, head


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def diagram_caption(diagram: RenderedDiagram) -> str:
    """What a diagram shows, counted: `22 components (3 outside the boundary, for context), 26 data flows, ...`."""
    spec = diagram.spec
    if spec.overview:
        boundaries = sum(1 for _ in spec.all_clusters())
        return (
            f"{_count(boundaries, 'trust boundary', 'trust boundaries')}: each box counts the components "
            "directly inside it (or names the one), each arrow the data flows between two of them."
        )
    components = _count(len(spec.nodes), "component", "components")
    neighbours = sum(1 for node in spec.nodes if node.neighbour)
    if neighbours:
        components += f" ({neighbours} outside the boundary, for context)"
    boundaries = sum(1 for cluster in spec.all_clusters() if not cluster.context)
    hosting = f" Its components run on {'; '.join(spec.hosting)}." if spec.hosting else ""
    flows = sum(len(edge.flows) for edge in spec.edges)
    return (
        f"{components}, {_count(flows, 'data flow', 'data flows')}, "
        f"{_count(boundaries, 'trust boundary', 'trust boundaries')}.{hosting}"
    )


def diagrams_part(diagrams: Sequence[RenderedDiagram], furniture: Furniture) -> PacketPart:
    """The architecture diagrams, each on the page it needs to print its text legibly, as the packet's last part.

    A diagram too large for any page (see render.diagrams.print_page) is left to the diagram files.
    """
    pages: list[DiagramPage] = []
    for diagram in diagrams:
        figure = figure_from_svg(diagram.name, diagram.title, diagram.svg)
        page = print_page(figure.width * 0.75, figure.height * 0.75, reserved_mm=0.0 if pages else PART_HEAD_MM)
        if page is None:
            continue
        width, height = figure.fit(page.width_mm, page.height_mm)
        pages.append(
            DiagramPage(
                f"diagrams-section-{len(pages) + 1}", figure, width, height, diagram_caption(diagram), page.name
            )
        )
    sections = tuple(
        PacketSection(page.anchor, Markup.escape(page.figure.title), str(index))
        for index, page in enumerate(pages, start=1)
    )
    return PacketPart("diagrams", "document-diagrams", DIAGRAMS_TITLE, furniture, Markup(""), sections, tuple(pages))


# -- the packet -----------------------------------------------------------------------------------


def packet_furniture(project: Project, audience: OutputAudience) -> Furniture:
    """The packet's own cover and running strings: the project's document control, titled as the packet."""
    customer = _customer(project)
    return build_furniture(
        project.document,
        title=PACKET_TITLE,
        project_root=project.root,
        customer=customer,
        audience=audience,
        subject=f"{PACKET_TITLE} for {project.document.product}, prepared for {customer.legal_name}",
        keywords=(project.document.product, PACKET_TITLE, customer.legal_name, CLASSIFICATION_LABELS[audience]),
    )


def _customer(project: Project) -> Customer:
    if project.customer is None:
        raise BuildError("a packet is prepared for one customer: give the customer file with --customer")
    return project.customer


def _unique(items: Iterable[Markup]) -> tuple[Markup, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _check_ids(parts: Sequence[PacketPart]) -> None:
    """Warn about an id two documents share: a link to it would land in the first one."""
    owners: dict[str, str] = {}
    for part in parts:
        for anchor in dict.fromkeys(_ID_RE.findall(str(part.body))):
            if anchor in owners:
                log.warning(
                    "packet: id '%s' is used by both %s and %s; links to it go to the first",
                    anchor,
                    owners[anchor],
                    part.name,
                )
            owners.setdefault(anchor, part.name)


def assemble_packet(
    project: Project,
    diagrams: Sequence[RenderedDiagram],
    furniture: Furniture,
    *,
    audience: OutputAudience = "nda",
    attachments: Sequence[PdfAttachment] = (),
    progress: Callable[[str], None] = lambda step: None,
    changes: DocumentSpec | None = None,
) -> Packet:
    """The packet's content for `project`, which must already be filtered for `audience`; `changes` is the
    "Changes since version X" part (render/changes.py), after the documents, when the customer file says
    which version the customer last received."""
    customer = _customer(project)
    parts, heads = [], []
    for spec in documents_for(project):
        progress(f"Adding {spec.title} to the packet")
        log.info("packet: adding %s", spec.name)
        part, head = document_part(spec, project)
        parts.append(part)
        heads.append(head)
    if changes is not None:
        part, head = document_part(changes, project)
        parts.append(part)
        heads.append(head)
    if diagrams:
        parts.append(diagrams_part(diagrams, furniture))
    _check_ids(parts)
    return Packet(customer.legal_name, MARKINGS[audience], tuple(parts), _unique(heads), tuple(attachments))


def packet_html(packet: Packet, furniture: Furniture) -> str:
    """The packet's complete HTML."""
    env, _ = _environments()
    try:
        return env.get_template(PACKET_TEMPLATE).render(furniture=furniture, packet=packet)
    except jinja2.UndefinedError as error:
        raise BuildError(f"template {PACKET_TEMPLATE}: {error.message}") from error


def _extra_roots(project: Project) -> list[Path]:
    roots: list[Path] = []
    for spec in documents_for(project):
        roots.extend(root for root in spec.extra_roots(project) if root not in roots)
    return roots


def render_packet(
    project: Project,
    diagrams: Sequence[RenderedDiagram],
    *,
    audience: OutputAudience = "nda",
    attachments: Sequence[PdfAttachment] = (),
    progress: Callable[[str], None] = lambda step: None,
    changes: DocumentSpec | None = None,
) -> bytes:
    """The packet's PDF bytes: `project` must already be filtered for `audience` and name its customer.

    The same inputs always give the same bytes; `attachments` are embedded as files of the PDF.
    """
    furniture = packet_furniture(project, audience)
    packet = assemble_packet(
        project, diagrams, furniture, audience=audience, attachments=attachments, progress=progress, changes=changes
    )
    html = packet_html(packet, furniture)
    progress("Laying out the packet")
    fetcher = RestrictedFetcher(project.root, extra_roots=_extra_roots(project))
    return render_pdf(
        html, base_dir=project.root, fetcher=fetcher, metadata=furniture.pdf_metadata, attachments=attachments
    )
