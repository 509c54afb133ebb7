"""Where the packet states an answer: the document, its section number, and the YAML file and line.

Section numbers are never kept by hand: each document is rendered to HTML once and its headings are
numbered by `render.documents.number_headings`, the function that numbers them for the table of contents
and the cross-references (style.css prints the same numbers with counters in the same order). The YAML
line comes from the positions the loader records for every value (`load.load_source_tree`).
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from trustdocs.errors import TrustdocsError
from trustdocs.load import Positions, load_source_tree
from trustdocs.model.base import Location
from trustdocs.model.project import Project
from trustdocs.questionnaire.bank import Section
from trustdocs.render.documents import DOCUMENTS, number_headings

logger = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]+>")
_HEADING_ID = re.compile(r"<h[12][^>]*\bid=\"([^\"]+)\"[^>]*>")
"""The opening tag of a numbered heading (`number_headings` gives every one an id)."""
_MARKUP = re.compile(r"[*_`]+")


def _plain(text: str) -> str:
    """`text` as a reader compares it: entities decoded, Markdown emphasis and case dropped, spaces folded."""
    decoded = html_lib.unescape(text).replace("\u2019", "'").replace("\u00a0", " ")
    folded = " ".join(_MARKUP.sub("", decoded).lower().split())
    # An inline tag's edge leaves a space before punctuation ("<strong>SOC 2</strong>,").
    return _SPACE_PUNCTUATION.sub(r"\1", folded).replace("( ", "(")


_SPACE_PUNCTUATION = re.compile(r" ([,.;:)])")


@dataclass(frozen=True)
class Heading:
    """A numbered heading of one rendered document."""

    document: str
    """The document's title as printed, e.g. "Product Security Document"."""
    number: str
    """ "5.2"; empty when the heading is unnumbered or was not found."""
    title: str


class SectionIndex:
    """The number of every heading of the documents `project` renders, and the YAML position of its values."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._headings: dict[str, dict[str, Heading]] = {}
        self._texts: dict[str, tuple[tuple[Heading, str], ...]] = {}
        self._titles = {spec.name: spec.title for spec in DOCUMENTS}
        self._positions: Positions | None = None
        self._positions_read = False

    def heading(self, section: Section) -> Heading:
        """The heading `section` names, numbered as its document prints it (no number when not rendered)."""
        headings = self._document(section.document)
        found = headings.get(section.heading)
        title = self._titles.get(section.document, section.title.split(" — ")[0])
        if found is None or not section.heading:
            return Heading(title, "", section.title.split(" — ")[-1])
        return found

    def heading_saying(self, document: str, sentence: str) -> Heading | None:
        """The numbered heading of `document` under which the rendered text says `sentence` (compared
        without case, markup or line breaks); None when the document does not say it."""
        wanted = _plain(sentence)
        self._document(document)
        return next((heading for heading, text in self._texts.get(document, ()) if wanted in text), None)

    def source(self, path: str) -> str:
        """ "security/programme.yaml:72" for a dotted model path; empty when the project has no such value."""
        positions = self._source_positions()
        if positions is None or not path:
            return ""
        steps = tuple(path.split("."))
        location: Location | None = None
        # The nearest written ancestor: a value left at its default has no line of its own.
        while steps and location is None:
            location = positions.key(steps) if _has(positions, steps) else None
            steps = steps[:-1]
        return f"{self._relative(location.file)}:{location.line}" if location else ""

    def relative_source(self, source: str) -> str:
        """ "file:line" with the file named inside the project."""
        file, _, line = source.rpartition(":")
        return f"{self._relative(file)}:{line}" if file else source

    def _relative(self, file: str) -> str:
        """The file as named inside the project ("security/programme.yaml"), however the root was given."""
        root = Path(self._project.root)
        try:
            return (
                Path(file).resolve().relative_to(root.resolve() if root.is_dir() else root.resolve().parent).as_posix()
            )
        except (ValueError, OSError):
            return file

    def _document(self, name: str) -> dict[str, Heading]:
        if name not in self._headings:
            self._headings[name] = self._render(name)
        return self._headings[name]

    def _render(self, name: str) -> dict[str, Heading]:
        spec = next((s for s in DOCUMENTS if s.name == name), None)
        if spec is None or not spec.requires(self._project):
            return {}
        try:
            html = spec.render_html(self._project)
        except (TrustdocsError, ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as error:
            # A citation without a number beats no answer at all.
            logger.warning("%s: section numbers not available: %s", spec.title, error)
            return {}
        body, entries = number_headings(html[html.find("<main") :])
        found: dict[str, Heading] = {}
        for entry in entries:
            title = html_lib.unescape(_TAG.sub("", entry.title_html)).strip()
            heading = Heading(spec.title, entry.number, title)
            found.setdefault(entry.anchor, heading)
            found.setdefault(title, heading)
        # The text under each heading, up to the next one: what a reader of that section sees.
        pieces = _HEADING_ID.split(body)
        self._texts[name] = tuple(
            (found[anchor], _plain(_TAG.sub(" ", text)))
            for anchor, text in zip(pieces[1::2], pieces[2::2], strict=True)
            if anchor in found
        )
        return found

    def _source_positions(self) -> Positions | None:
        if not self._positions_read:
            self._positions_read = True
            try:
                self._positions = load_source_tree(self._root_file()).positions
            except (TrustdocsError, OSError) as error:
                logger.warning("YAML positions not available for citations: %s", error)
        return self._positions

    def _root_file(self) -> Path:
        """The file the project was loaded from: a single-file project's root is its folder, not a project."""
        root = Path(self._project.root)
        sources = self._project.sources
        # The loader lists the root file first.
        return root / sources[0].path if sources else root


def _has(positions: Positions, steps: tuple[str, ...]) -> bool:
    """Whether `steps` itself was written (not only an ancestor of it)."""
    return positions.value(steps) is not positions.value(steps[:-1]) or len(steps) == 1
