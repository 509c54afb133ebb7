"""The document registry and the page furniture every document shares; one template + context + line each."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import functools
import html as html_lib
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from weasyprint.urls import path2url

from trustdocs.errors import BuildError
from trustdocs.model.audience import CLASSIFICATION_AUDIENCE
from trustdocs.model.base import Audience
from trustdocs.model.document import Approval, Contact, DocumentControl, Revision
from trustdocs.render.associated_files import associated_files
from trustdocs.render.env import make_environment
from trustdocs.render.fetcher import RestrictedFetcher, resolve_project_path
from trustdocs.render.parts import render_in_parts, split_document, worth_splitting
from trustdocs.render.pdf import PdfAttachment, PdfMetadata, render_pdf

if TYPE_CHECKING:
    from trustdocs.model.project import Customer, Project
    from trustdocs.render.cache import RenderCache

log = logging.getLogger(__name__)

STATUS_LABELS = {"draft": "Draft", "in_review": "In review", "approved": "Approved"}
CLASSIFICATION_LABELS = {
    "public": "Public",
    "confidential": "Confidential",
    "nda": "Confidential – NDA",
    "internal": "Internal – not for customers",
}
_COLOUR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
TOC_MARKER = "<!-- trustdocs:toc -->"


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, clamped to the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Furniture:
    """What the cover, document-control page, running header and footer of any document show."""

    title: str
    product: str
    vendor_name: str
    vendor_address: tuple[str, ...]
    vendor_website: str | None
    version: str
    status: str
    classification: str
    effective_date: dt.date
    review_cycle_months: int
    scope: str
    security_contact: Contact
    owners: tuple[Contact, ...]
    approvers: tuple[Approval, ...]
    revisions: tuple[Revision, ...]
    """Newest first."""
    accent_color: str
    logo_url: str | None
    customer_name: str | None
    audience: Audience
    subject: str = ""
    keywords: tuple[str, ...] = ()

    @property
    def is_draft(self) -> bool:
        return self.status != "approved"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def classification_label(self) -> str:
        return CLASSIFICATION_LABELS.get(self.classification, self.classification)

    @property
    def next_review(self) -> dt.date:
        return add_months(self.effective_date, self.review_cycle_months)

    @property
    def pdf_metadata(self) -> PdfMetadata:
        return PdfMetadata(
            title=f"{self.product} {self.title}",
            author=self.vendor_name,
            subject=self.subject or f"{self.title} for {self.product}, version {self.version}",
            keywords=self.keywords or (self.product, self.title, self.classification_label),
            date=self.effective_date,
        )


def logo_url(logo: str | None, project_root: Path) -> str | None:
    """The URL of the branding logo, after checking it names a file inside the project (nothing is read)."""
    if not logo:
        return None
    try:
        url: str = path2url(str(resolve_project_path(logo, project_root)))
        return url
    except BuildError as error:
        raise BuildError(f"document.branding.logo: {error.message}") from error


def build_furniture(
    control: DocumentControl,
    *,
    title: str,
    project_root: Path,
    customer: Customer | None = None,
    audience: Audience | None = None,
    subject: str = "",
    keywords: tuple[str, ...] = (),
) -> Furniture:
    """The furniture of one document from the project's document control and optional customer."""
    accent = control.branding.accent_color
    if not _COLOUR_RE.match(accent):
        # The colour is written into the stylesheet, so anything but a hex colour is refused.
        raise BuildError(f"document.branding.accent_color: expected a hex colour such as '#1f4e79', found '{accent}'")
    return Furniture(
        title=title,
        product=control.product,
        vendor_name=control.vendor.legal_name,
        vendor_address=control.vendor.address.lines,
        vendor_website=control.vendor.website,
        version=control.version,
        status=control.status,
        classification=control.classification,
        effective_date=control.effective_date,
        review_cycle_months=control.review_cycle_months,
        scope=control.scope,
        security_contact=control.security_contact,
        owners=control.owners,
        approvers=control.approvers,
        revisions=tuple(sorted(control.revisions, key=lambda r: r.date, reverse=True)),
        accent_color=accent,
        logo_url=logo_url(control.branding.logo, project_root),
        customer_name=customer.legal_name if customer else None,
        audience=audience or CLASSIFICATION_AUDIENCE.get(control.classification, "nda"),
        subject=subject,
        keywords=keywords,
    )


# -- table of contents ------------------------------------------------------------------------


@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    title_html: str
    number: str = ""
    """The clause number printed before the heading ("7", "7.2"); empty for an unnumbered heading."""
    listed: bool = True
    """False for a `no-toc` heading, which is numbered but left out of the contents."""


_HEADING_RE = re.compile(r"<h([12])((?:\s[^>]*)?)>(.*?)</h\1>", re.DOTALL)
_ID_RE = re.compile(r"""\sid="([^"]+)\"""")
_CLASS_RE = re.compile(r"""\sclass="([^"]*)\"""")
_TAG_RE = re.compile(r"<[^>]+>")
_XREF_RE = re.compile(r'<a class="xref" href="#([^"]+)" data-form="([A-Za-z]+)"></a>')
UNNUMBERED = "unnumbered"
"""The class of a heading inside <main> that has no number (an instrument's preamble); style.css agrees."""
XREF_FORMS = {"clause": "clause {}", "Clause": "Clause {}", "number": "{}"}
"""How a cross-reference prints its target's number: "clause 7.2", "Clause 7.2" or "7.2"."""


def add_table_of_contents(html: str) -> tuple[str, tuple[TocEntry, ...]]:
    """Number every h1/h2 inside <main> (`number_headings`) and put their list where the template left
    TOC_MARKER. Page numbers are filled in by CSS (`target-counter`), so they are the real ones."""
    start = html.find("<main")
    if start < 0:
        return html, ()
    body, entries = number_headings(html[start:])
    items = "\n".join(
        f'<li class="toc-level-{e.level}{" unnumbered" if not e.number else ""}">'
        f'<a href="#{html_lib.escape(e.anchor)}"><span class="toc-title">{e.title_html}</span></a></li>'
        for e in entries
        if e.listed
    )
    toc = f'<ol class="toc-list">\n{items}\n</ol>' if entries else ""
    return html[:start].replace(TOC_MARKER, toc, 1) + body, tuple(e for e in entries if e.listed)


_HREF_RE = re.compile(r'href="#([^"]+)"')


def number_headings(body: str, id_prefix: str = "") -> tuple[str, tuple[TocEntry, ...]]:
    """Number the h1/h2 headings of a document body, give each an id, and resolve the cross-references
    to them.

    The numbers are the ones style.css prints before each heading (h1 "7", h2 "7.2"; a heading with
    class `unnumbered` is skipped by both), worked out here from the same order so that a
    cross-reference (`xref()` in a template) says the number printed at its target. A cross-reference
    to an id no numbered heading has is a template bug and fails the build. With `id_prefix` (a
    document inside the packet), every heading id and every link to one starts with it, so that two
    documents' clauses never share an anchor.

    Text from the inputs is escaped before it gets here, so only the templates' own tags match.
    """
    entries: list[TocEntry] = []
    numbers: dict[str, str] = {}
    renamed: dict[str, str] = {}
    counter = 0
    chapter = section = 0

    def number(match: re.Match[str]) -> str:
        nonlocal counter, chapter, section
        level, attrs, inner = int(match[1]), match[2], match[3]
        classes = (_CLASS_RE.search(attrs) or ("", ""))[1].split()
        if UNNUMBERED in classes:
            label = ""
        elif level == 1:
            chapter, section = chapter + 1, 0
            label = str(chapter)
        else:
            section += 1
            label = f"{chapter}.{section}"
        found = _ID_RE.search(attrs)
        if found:
            anchor = id_prefix + found[1]
            renamed[found[1]] = anchor
            attrs = attrs.replace(found[0], f' id="{anchor}"', 1)
        else:
            counter += 1
            anchor = f"{id_prefix}section-{counter}"
            attrs = f' id="{anchor}"{attrs}'
        entries.append(TocEntry(level, anchor, _TAG_RE.sub("", inner).strip(), label, "no-toc" not in classes))
        numbers[anchor] = label
        return f"<h{level}{attrs}>{inner}</h{level}>"

    body = _HEADING_RE.sub(number, body)
    if id_prefix:
        body = _HREF_RE.sub(lambda m: f'href="#{renamed.get(m[1], m[1])}"', body)
    body = _XREF_RE.sub(lambda match: _cross_reference(match, numbers, id_prefix), body)
    return body, tuple(entries)


def _cross_reference(match: re.Match[str], numbers: dict[str, str], id_prefix: str) -> str:
    anchor, form = match[1], match[2]
    label = numbers.get(anchor)
    if not label:
        known = ", ".join(sorted(a[len(id_prefix) :] for a, n in numbers.items() if n)) or "none"
        anchor = anchor[len(id_prefix) :] if anchor.startswith(id_prefix) else anchor
        raise BuildError(f"cross-reference to '{anchor}', which is not a numbered clause; numbered: {known}")
    return f'<a class="xref" href="#{anchor}">{XREF_FORMS[form].format(label)}</a>'


# -- rendering --------------------------------------------------------------------------------


@functools.cache
def _environment() -> jinja2.Environment:
    return make_environment()


def render_html(template: str, *, furniture: Furniture, context: object) -> str:
    """The complete HTML of a document: `template` (which extends base.html) with its TOC filled in."""
    try:
        page = _environment().get_template(template).render(furniture=furniture, doc=context)
    except jinja2.UndefinedError as error:
        # A template asked for something its context does not have: a trustdocs bug, not bad input.
        raise BuildError(f"template {template}: {error.message}") from error
    html, _ = add_table_of_contents(page)
    return html


@dataclass(frozen=True)
class PdfJob:
    """HTML to render to PDF and what the restricted fetcher may read for it; picklable, for a worker process."""

    html: str
    project_root: Path
    extra_roots: tuple[Path, ...]
    metadata: PdfMetadata
    attachments: tuple[PdfAttachment, ...] = ()
    """The document's associated files (render/associated_files.py)."""

    def fetcher(self) -> RestrictedFetcher:
        """A fetcher that may read what this job may (a render cache re-checks resources with it)."""
        return RestrictedFetcher(self.project_root, extra_roots=self.extra_roots)

    def render(self, cache: RenderCache | None = None, *, fetcher: RestrictedFetcher | None = None) -> bytes:
        """The PDF bytes; with `cache`, taken from it when an entry for this job is still valid."""
        if cache is not None:
            return cache.render(self)
        fetcher = fetcher if fetcher is not None else self.fetcher()
        return render_pdf(
            self.html,
            base_dir=self.project_root,
            fetcher=fetcher,
            metadata=self.metadata,
            attachments=self.attachments,
        )

    def render_html(self, html: str, cache: RenderCache | None = None) -> bytes:
        """Other HTML rendered like this job's (the same fetcher roots and metadata)."""
        return dataclasses.replace(self, html=html).render(cache)


def render_pdf_document(
    template: str,
    *,
    furniture: Furniture,
    context: object,
    project_root: Path,
    extra_roots: Iterable[Path] = (),
    attachments: Iterable[PdfAttachment] = (),
) -> bytes:
    """Render one document template to PDF bytes under the restricted fetcher, with `attachments` embedded."""
    html = render_html(template, furniture=furniture, context=context)
    return PdfJob(html, project_root, tuple(extra_roots), furniture.pdf_metadata, tuple(attachments)).render()


# -- the registry -----------------------------------------------------------------------------


def _always(project: Project) -> bool:
    return True


@dataclass(frozen=True)
class DocumentSpec:
    """One kind of document: its template, title, how to build its context, and when it applies."""

    name: str
    filename: str
    template: str
    title: str
    build_context: Callable[[Project], object]
    requires: Callable[[Project], bool] = _always
    subject: str = ""
    keywords: tuple[str, ...] = ()
    audience: Audience | None = None
    """Who the document is for; None means as the project's classification says."""
    extra_roots: Callable[[Project], Sequence[Path]] = field(default=lambda project: ())
    """Folders outside the project the document may read from, e.g. an icon set."""
    in_parts: bool = False
    """Laid out in parts that a build spreads over its worker processes when long enough (render/parts.py)."""
    word: bool = False
    """Also written as a .docx for legal's redlines by `build --docx` (render/docx.py): the addenda."""
    sections: tuple[str, ...] = ()
    """The project sections the document draws on besides `document`; their YAML files are attached to it."""

    @property
    def docx_filename(self) -> str:
        return self.filename.removesuffix(".pdf") + ".docx"

    def furniture(self, project: Project) -> Furniture:
        return build_furniture(
            project.document,
            title=self.title,
            project_root=project.root,
            customer=project.customer,
            audience=self.audience,
            subject=self.subject,
            keywords=self.keywords,
        )

    def render_html(self, project: Project) -> str:
        return self.pdf_job(project).html

    def pdf_job(self, project: Project) -> PdfJob:
        """The whole HTML of this document for `project`, ready to render."""
        furniture = self.furniture(project)
        html = render_html(self.template, furniture=furniture, context=self.build_context(project))
        attachments = associated_files(
            project, document=self.filename, sections=("document", *self.sections), audience=furniture.audience
        )
        return PdfJob(html, project.root, tuple(self.extra_roots(project)), furniture.pdf_metadata, attachments)

    def render(self, project: Project, cache: RenderCache | None = None) -> bytes:
        """The PDF bytes of this document for `project`; `cache` holds jobs rendered before (render/cache.py)."""
        job = self.pdf_job(project)
        if self.in_parts and worth_splitting(job.html):
            split = split_document(job.html)
            if cache is not None:
                return cache.render_joined(job, lambda render: render_in_parts(split, render))
            return render_in_parts(split, job.render_html)
        return job.render(cache)


DOCUMENTS: list[DocumentSpec] = []
"""Every document trustdocs can build, in build order."""


def register(spec: DocumentSpec) -> DocumentSpec:
    """Add a document to DOCUMENTS; names and file names must be unique."""
    for existing in DOCUMENTS:
        if existing.name == spec.name or existing.filename == spec.filename:
            raise ValueError(f"document {spec.name!r} ({spec.filename}) is already registered")
    DOCUMENTS.append(spec)
    return spec


def documents_for(project: Project) -> list[DocumentSpec]:
    """The registered documents the project has the inputs for."""
    return [spec for spec in DOCUMENTS if spec.requires(project)]


# The registry: one line per document, e.g.
# register(DocumentSpec("security", "security-document.pdf", "security_document.html",
#                       "Product Security Document", security_context))

# Imported here, after the registry exists: context builders never import this module back.
from trustdocs.render.security_document import security_context  # noqa: E402

register(
    DocumentSpec(
        "security",
        "security-document.pdf",
        "security-document.html",
        "Product Security Document",
        security_context,
        keywords=("security", "threat model", "STRIDE", "architecture"),
        in_parts=True,
        sections=("architecture", "security", "threat_model"),
    )
)
from trustdocs.render import addenda  # noqa: E402, F401  registers the SLA, insurance, indemnification and escrow addenda
