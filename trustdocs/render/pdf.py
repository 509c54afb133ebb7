"""HTML to PDF with WeasyPrint: restricted fetching, fixed metadata and byte-identical output."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import weasyprint
from weasyprint.urls import FatalURLFetchingError, path2url

from trustdocs import __version__
from trustdocs.errors import BuildError
from trustdocs.interpreter import collector_paused, raise_if_stopped, records_to
from trustdocs.render.fetcher import RestrictedFetcher, check_html_references

log = logging.getLogger(__name__)

# WeasyPrint messages known to be harmless for our templates; everything else it logs at
# warning level or above is passed on as a trustdocs warning.
_HARMLESS = (
    # Debian's HarfBuzz lacks the subsetter; fontTools subsets the same glyphs, just more slowly.
    re.compile(r"^Using fontTools instead of HarfBuzz-Subset"),
)


LONG_WORD = 60
"""A run of more characters than this without a space gets a break opportunity every BREAK_EVERY characters.

Such a word is wider than a table column anyway. A shorter one (an e-mail address, a URL) is left whole: a
line breaks at the first opportunity that fills it, so it would be cut even where it fits the next line."""
BREAK_EVERY = 20
ZERO_WIDTH_SPACE = "\u200b"
_TAG_RE = re.compile(r"(<[^>]*>)")
_LONG_WORD_RE = re.compile(rf"(?:&#?\w+;|[^\s&<>\u200b]){{{LONG_WORD + 1},}}")
_CHARACTER_RE = re.compile(r"&#?\w+;|.", re.DOTALL)
_RAW_TEXT_TAGS = ("style", "script")


def _break_word(match: re.Match[str]) -> str:
    characters = _CHARACTER_RE.findall(match[0])
    return ZERO_WIDTH_SPACE.join(
        "".join(characters[i : i + BREAK_EVERY]) for i in range(0, len(characters), BREAK_EVERY)
    )


def breakable_long_words(html: str) -> str:
    """`html` with a break opportunity (a zero-width space) every BREAK_EVERY characters of a long word.

    A line breaks there only if the word does not fit, and text extracted from the PDF (pdftotext, pypdf)
    does not show it. CSS `overflow-wrap: anywhere` would do the same, but WeasyPrint works out the narrowest
    width of a table cell so styled one character at a time, each time over the rest of the text: a
    100,000-character word in a table took longer than 15 minutes. Tags, entities and style sheets are
    left as they are.
    """
    pieces = _TAG_RE.split(html)
    raw_text = False
    for index, piece in enumerate(pieces):
        if index % 2:  # a tag
            name = piece[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if len(piece) > 2 else ""
            if name in _RAW_TEXT_TAGS:
                raw_text = not piece.startswith("</")
        elif not raw_text and len(piece) > LONG_WORD:
            pieces[index] = _LONG_WORD_RE.sub(_break_word, piece)
    return "".join(pieces)


@dataclass(frozen=True)
class PdfMetadata:
    """What the PDF's document information says; `date` is the document's effective date."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    date: dt.date
    lang: str = "en"

    @property
    def w3c_date(self) -> str:
        return f"{self.date.isoformat()}T00:00:00Z"


PDF_VARIANT = "pdf/a-3b"
"""Every PDF trustdocs writes is PDF/A-3b: an archival PDF that may carry its sources as associated files."""


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF (shown in a viewer's attachments panel), dated like the document.

    It is also an associated file of the whole document (PDF/A-3 /AF): `relationship` says how it relates to
    the document ("Source" for an input it was built from, "Data" for data about it, "Supplement" for a
    companion file), and `mime_type` is written as its /Subtype. Both are given, never guessed, so that the
    bytes do not depend on the machine's MIME database.
    """

    name: str
    data: bytes
    description: str = ""
    relationship: str = "Unspecified"
    mime_type: str = "application/octet-stream"


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _source_date(day: dt.date) -> Iterator[None]:
    """Pin SOURCE_DATE_EPOCH while rendering.

    fontTools, which WeasyPrint uses to subset fonts, stamps each subset's `head` table with the
    current time unless this reproducible-builds variable is set; the document's own date is used.
    """
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    epoch = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()
    os.environ["SOURCE_DATE_EPOCH"] = str(int(epoch))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


@contextmanager
def _weasyprint_messages() -> Iterator[_Collector]:
    collector = _Collector()
    with records_to(logging.getLogger("weasyprint"), collector):
        yield collector


def _report(records: list[logging.LogRecord]) -> None:
    for record in records:
        message = record.getMessage()
        if any(p.search(message) for p in _HARMLESS):
            log.debug("weasyprint: %s", message)
        else:
            log.warning("weasyprint: %s", message)


def base_url_for(base_dir: Path) -> str:
    """The file URL that relative references in a document resolve against (with a trailing slash)."""
    url: str = path2url(str(base_dir.resolve()))
    return url if url.endswith("/") else url + "/"


def _weasyprint_attachment(attachment: PdfAttachment, day: dt.date) -> weasyprint.Attachment:
    # WeasyPrint stamps attachments with the current time unless told otherwise.
    stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    # A data: URL carries the MIME type (WeasyPrint reads it itself; nothing is fetched).
    url = f"data:{attachment.mime_type};base64,{base64.b64encode(attachment.data).decode('ascii')}"
    return weasyprint.Attachment(
        url=url,
        name=attachment.name,
        description=attachment.description or None,
        created=stamp,
        modified=stamp,
        relationship=attachment.relationship,
    )


def render_pdf(
    html: str,
    *,
    base_dir: Path,
    fetcher: RestrictedFetcher,
    metadata: PdfMetadata,
    attachments: Sequence[PdfAttachment] = (),
) -> bytes:
    """Render `html` to PDF bytes; the same arguments always give the same bytes.

    Every reference is checked before rendering and served by `fetcher` during it; a refused
    one raises BuildError naming it. Dates come from `metadata`, never from the clock, and the
    PDF identifier is a hash of the content. The PDF is PDF/A-3b (PDF_VARIANT); `attachments` are
    embedded as its associated files.
    """
    base_url = base_url_for(base_dir)
    check_html_references(html, base_url, fetcher)
    html = breakable_long_words(html)
    with _source_date(metadata.date), collector_paused(), _weasyprint_messages() as messages:
        try:
            document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render()
        except FatalURLFetchingError as error:
            fetcher.raise_refusals()
            raise BuildError(f"could not load a resource: {error}") from error
        fetcher.raise_refusals()
        info = document.metadata
        info.title = metadata.title
        info.authors = [metadata.author]
        info.description = metadata.subject
        info.keywords = list(metadata.keywords)
        info.generator = f"trustdocs {__version__}"
        info.created = info.modified = metadata.w3c_date
        info.lang = metadata.lang
        # The PDF's name tree of embedded files must be sorted by name; WeasyPrint keeps the order given.
        info.attachments = [_weasyprint_attachment(a, metadata.date) for a in sorted(attachments, key=lambda a: a.name)]
        try:
            data = document.write_pdf(pdf_identifier=True, pdf_variant=PDF_VARIANT)
        except FatalURLFetchingError as error:
            fetcher.raise_refusals()
            raise BuildError(f"could not load a resource: {error}") from error
        # Images inside SVG are fetched while drawing, and WeasyPrint swallows their errors (and Ctrl-C).
        raise_if_stopped()
        fetcher.raise_refusals()
    _report(messages.records)
    assert isinstance(data, bytes)
    return data
