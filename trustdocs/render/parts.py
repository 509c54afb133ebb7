"""A long document laid out in parts, each on its own (in worker processes when there are any), then joined.

WeasyPrint lays out a document in one pass on one core: the security document of a 200-component model
(142 pages) takes half a minute. Its template already starts a new page at every `<h1 class="new-page">`, so
the document is cut there: each part lays out exactly as it would inside the whole, and the parts can be
laid out at the same time. pypdf joins them:

- the front matter (cover, document control, contents) is rendered last, once the page of every section is
  known, with those page numbers written into its contents;
- section numbers run on (each part's <main> resets the h1 counter to the sections before it) and the first
  element of each part carries the running strings of the header and footer, as attributes;
- the parts leave the footer's page box empty; "Page X of Y" comes from one more render that holds nothing but
  that box, one page per page of the whole, drawn over each page as a form XObject;
- each part's outline and named destinations are kept; links to an anchor in another part (the contents'
  links, for one) go out as `trustdocs-anchor:NAME` and are pointed at the named destination once joined.

The joined document shows page for page what a single pass would; tests/test_parts.py compares the two.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import jinja2
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from trustdocs.errors import BuildError
from trustdocs.render.env import make_environment

PARTS_MIN_WORK = 15_000
"""A document whose body has fewer tags than this (see `layout_work`; about 6 s of layout, a 40-component
model's security document) is rendered in one pass: each part costs a WeasyPrint pass of its own (stylesheets,
fonts), and so do the front matter and the page numbers, which a short document would not win back."""
PART_MIN_WORK = 1_000
"""A chapter shorter than this (the executive summary, say) is laid out with the next, not in a pass of its own."""
ANCHOR_SCHEME = "trustdocs-anchor:"
"""Links to an anchor another part holds; joined, they become links to its named destination."""
PARTS_STYLESHEET = '<link rel="stylesheet" href="trustdocs:parts.css">'
PAGE_NUMBERS_TEMPLATE = "page-numbers.html"
_PAGE_NUMBER_FORM = NameObject("/TrustdocsPageNumber")

_PART_START = re.compile(r'<h1\b[^>]*\bclass="(?:[^"]*\s)?new-page[\s"]')
_H1 = re.compile(r"<h1\b")
_ID = re.compile(r'\sid="([^"]+)"')
_INTERNAL_LINK = re.compile(r'<a href="#([^"]+)"')
_RUNNING_STRINGS = re.compile(r'<div class="running-strings">.*?</div>', re.DOTALL)
_RUNNING_STRING = re.compile(r'<span class="running-([a-z]+)">([^<"]*)</span>')
_START_TAG = re.compile(r"<[a-z][a-z0-9]*\b")
_COVER = '<section class="cover"'


@dataclass(frozen=True)
class DocumentParts:
    """A document's HTML cut into the front matter and the parts of its body, each a whole HTML document."""

    front: str
    """Cover, document control and contents; its contents links still say `#anchor`, without page numbers."""
    bodies: tuple[str, ...]


def worth_splitting(html: str) -> bool:
    """Whether the body of a document built on base.html is long enough to be laid out in parts."""
    return layout_work(html[html.find("<main>") :]) >= PARTS_MIN_WORK


def split_document(html: str) -> DocumentParts:
    """Cut the HTML of a document built on base.html before `<h1 class="new-page">`s of its body.

    A chapter goes into the part before it while that part holds fewer than PART_MIN_WORK tags.
    """
    cover, main_start, main_end = html.find(_COVER), html.find("<main>"), html.rfind("</main>")
    strings = _RUNNING_STRINGS.search(html)
    if min(cover, main_start, main_end) < 0 or strings is None:
        raise BuildError("the document's HTML lacks the cover, <main> or running strings of base.html")
    # Taken from the template's escaped text, so the values are safe inside a double-quoted attribute.
    running = "".join(f' data-running-{name}="{value.strip()}"' for name, value in _RUNNING_STRING.findall(strings[0]))
    head = _with_parts_stylesheet(html[:cover])
    front = _with_parts_stylesheet(html[:main_start]) + html[main_end + len("</main>") :]
    body = html[main_start + len("<main>") : main_end]
    starts = sorted({0, *(m.start() for m in _PART_START.finditer(body))})
    sections: list[str] = []
    for a, b in zip(starts, [*starts[1:], len(body)], strict=False):
        if sections and layout_work(sections[-1]) < PART_MIN_WORK:
            sections[-1] += body[a:b]
        elif body[a:b].strip():
            sections.append(body[a:b])
    anchors = [set(_ID.findall(section)) for section in sections]
    bodies = []
    numbered = 0
    for section, own in zip(sections, anchors, strict=False):

        def relink(m: re.Match[str], own: set[str] = own) -> str:
            return m[0] if m[1] in own else f'<a href="{ANCHOR_SCHEME}{m[1]}"'

        section = _INTERNAL_LINK.sub(relink, section)
        # The running strings ride on the part's first element as attributes (parts.css sets them from
        # there): an element of their own would change the layout around it.
        first = _START_TAG.search(section)
        if first is None:
            raise BuildError("a part of the document has no element to carry the running strings")
        section = section[: first.end()] + running + section[first.end() :]
        bodies.append(f'{head}<main style="counter-reset: h1 {numbered}">{section}</main></body></html>')
        numbered += len(_H1.findall(section))
    return DocumentParts(front=front, bodies=tuple(bodies))


def _with_parts_stylesheet(html: str) -> str:
    end = html.find("</head>")
    if end < 0:
        raise BuildError("the document's HTML has no </head>")
    return html[:end] + PARTS_STYLESHEET + html[end:]


def front_with_pages(front: str, pages: dict[str, int]) -> str:
    """The front matter with the page of each contents entry written in, its links pointing into the parts."""

    def number(match: re.Match[str]) -> str:
        anchor = match[1]
        if anchor not in pages:
            raise BuildError(f"the contents link to '#{anchor}', which no part of the document holds")
        return f'<a href="{ANCHOR_SCHEME}{anchor}" data-page="{pages[anchor]}"'

    return _INTERNAL_LINK.sub(number, front)


def layout_work(html: str) -> int:
    """A measure of how long `html` takes to lay out, to hand out the longest first: its number of tags.

    Its length in bytes would not do: a diagram is a long data: URI that lays out in no time.
    """
    return html.count("<")


def front_draft(parts: DocumentParts) -> str:
    """The front matter with three-digit stand-ins for its page numbers: rendered while the parts are laid out,
    it tells how many pages the front matter takes, and their sizes (see `join_parts`)."""
    return front_with_pages(parts.front, {anchor: 100 for anchor in _INTERNAL_LINK.findall(parts.front)})


@dataclass(frozen=True)
class _Part:
    data: bytes
    reader: PdfReader
    anchors: dict[str, int]
    """Named destination → index of its page in the part."""

    @property
    def pages(self) -> int:
        return len(self.reader.pages)


def _read(data: bytes) -> _Part:
    reader = PdfReader(io.BytesIO(data))
    anchors = {
        name: page
        for name, dest in reader.named_destinations.items()
        if (page := reader.get_destination_page_number(dest)) is not None
    }
    return _Part(data, reader, anchors)


Render = Callable[[str], bytes]
RenderSoon = Callable[[str], Callable[[], bytes]]
"""Starts rendering HTML (in another process, say) and returns what waits for the PDF bytes."""


def render_in_parts(parts: DocumentParts, render: Render) -> bytes:
    """The whole document, its parts laid out one after the other by `render` (HTML to PDF bytes)."""
    return join_parts(parts, [render(body) for body in parts.bodies], render)


def join_parts(
    parts: DocumentParts,
    bodies: Sequence[bytes],
    render: Render,
    *,
    draft: bytes | None = None,
    render_soon: RenderSoon | None = None,
) -> bytes:
    """The whole document from its rendered body parts; `render` turns HTML into PDF bytes.

    `draft` is the rendered `front_draft`: with the pages it takes, the page numbers can be rendered (by
    `render_soon`, elsewhere) at the same time as the front matter. Without it, or when the front matter comes
    out longer or shorter than its draft, it costs one more render of each, never a wrong number.
    """
    body_parts = [_read(data) for data in bodies]
    guess = _read(draft) if draft is not None else None
    while True:
        front_sizes = _sizes(guess) if guess is not None else []
        pages = _anchor_pages(body_parts, first_page=len(front_sizes) + 1)
        numbers_html = page_numbers_html(front_sizes + [size for part in body_parts for size in _sizes(part)])
        numbers_soon = render_soon(numbers_html) if render_soon is not None and guess is not None else None
        front = _read(render(front_with_pages(parts.front, pages)))
        if guess is not None and _sizes(front) == front_sizes:
            break
        guess = front
    numbers = PdfReader(io.BytesIO(numbers_soon() if numbers_soon is not None else render(numbers_html)))
    if len(numbers.pages) != len(front_sizes) + sum(part.pages for part in body_parts):
        raise BuildError(f"the page numbers came out on {len(numbers.pages)} pages")

    writer = PdfWriter()
    for part in (front, *body_parts):
        writer.append(part.reader)
    _stamp_page_numbers(writer, numbers)
    _point_links_at_destinations(writer)
    writer.add_metadata(front.reader.metadata or {})
    if "/Lang" in front.reader.root_object:
        writer.root_object[NameObject("/Lang")] = TextStringObject(front.reader.root_object["/Lang"])
    _keep_pdfa(writer, front.reader)
    # A file identifier that is a hash of the content, like WeasyPrint's: the same parts, the same bytes.
    digest = hashlib.md5(usedforsecurity=False)
    for part in (front, *body_parts):
        digest.update(part.data)
    identifier = ByteStringObject(digest.digest())
    writer._ID = ArrayObject([identifier, identifier])  # pypdf has no public way to set a chosen identifier
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDFA_CATALOG_ENTRIES = ("/Metadata", "/OutputIntents", "/AF")
"""What makes the front matter's PDF a PDF/A-3 with associated files; the joined document keeps them."""


def _keep_pdfa(writer: PdfWriter, front: PdfReader) -> None:
    """Carry the XMP metadata, output intents, associated files and embedded files of `front` over.

    `PdfWriter.append` copies pages only; every part is rendered with the same metadata and attachments, so
    the front matter's are the document's. Cloning through one writer maps each object once, so the /AF
    array and the embedded-files name tree keep pointing at the same file specifications.
    """
    catalog = front.root_object
    writer.pdf_header = front.pdf_header
    for key in PDFA_CATALOG_ENTRIES:
        if key in catalog:
            writer.root_object[NameObject(key)] = catalog.raw_get(key).clone(writer)
    names = catalog.get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        tree = DictionaryObject(writer.root_object.get("/Names", DictionaryObject()).get_object())
        tree[NameObject("/EmbeddedFiles")] = names.get_object().raw_get("/EmbeddedFiles").clone(writer)
        writer.root_object[NameObject("/Names")] = writer._add_object(tree)


def _sizes(part: _Part) -> list[tuple[float, float]]:
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in part.reader.pages]


def _anchor_pages(parts: Sequence[_Part], *, first_page: int) -> dict[str, int]:
    pages: dict[str, int] = {}
    for part in parts:
        pages.update({name: first_page + index for name, index in part.anchors.items()})
        first_page += part.pages
    return pages


@functools.cache
def _environment() -> jinja2.Environment:
    return make_environment()


def page_numbers_html(sizes: Sequence[tuple[float, float]]) -> str:
    """One blank page per page of the whole document, sized like it, showing only "Page X of Y"."""
    distinct = sorted(set(sizes))
    return (
        _environment()
        .get_template(PAGE_NUMBERS_TEMPLATE)
        .render(sizes=distinct, pages=[distinct.index(size) for size in sizes])
    )


def _stamp_page_numbers(writer: PdfWriter, numbers: PdfReader) -> None:
    """Draw each page of `numbers` over the same page of `writer`, as a form XObject: nothing is parsed."""
    begin = writer._add_object(DecodedStreamObject.initialize_from_dictionary({"__streamdata__": b"q\n"}))
    end = writer._add_object(
        DecodedStreamObject.initialize_from_dictionary(
            {"__streamdata__": b"Q\nq " + _PAGE_NUMBER_FORM.encode() + b" Do Q\n"}
        )
    )
    for page, overlay in zip(writer.pages[1:], numbers.pages[1:], strict=False):  # the cover shows no page number
        drawing = overlay.get_contents()
        if drawing is None:
            continue
        form = DecodedStreamObject()
        form.set_data(drawing.get_data())
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(FloatObject(v) for v in overlay.mediabox),
                NameObject("/Resources"): overlay["/Resources"].clone(writer),
            }
        )
        resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        xobjects[_PAGE_NUMBER_FORM] = writer._add_object(form)
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        reference = page.raw_get("/Contents")  # WeasyPrint writes a content stream for every page
        contents = reference.get_object()
        streams = list(contents) if isinstance(contents, ArrayObject) else [reference]
        page[NameObject("/Contents")] = ArrayObject([begin, *streams, end])


def _point_links_at_destinations(writer: PdfWriter) -> None:
    names = set(writer.named_destinations)
    for page in writer.pages:
        for annotation in page.get("/Annots", ArrayObject()):
            annotation = annotation.get_object()
            action = annotation.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if not (isinstance(uri, str) and uri.startswith(ANCHOR_SCHEME)):
                continue
            name = uri[len(ANCHOR_SCHEME) :]
            if name not in names:
                raise BuildError(f"a link points to '#{name}', which no part of the document holds")
            del annotation["/A"]
            annotation[NameObject("/Dest")] = TextStringObject(name)
