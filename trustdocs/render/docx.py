"""An addendum as a Word document for legal's redlines: the same HTML the PDF is laid out from, written
with python-docx as real Word headings, numbered clauses, definitions, lists and tables.

Only the templates' own small vocabulary of tags occurs in a document body (text from the inputs is
escaped before it gets here), so a plain HTML parser is enough. What the PDF draws with CSS alone (clause
numbers, list markers) is written out as text, so both documents read the same; running headers,
footers, the contents and the watermark belong to the PDF's pages and are left out.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from trustdocs.render.documents import Furniture, number_headings
from trustdocs.write.packages import repack

BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "table",
    "tr",
    "td",
    "th",
    "dl",
    "dt",
    "dd",
    "div",
    "section",
    "figure",
    "figcaption",
    "thead",
    "tbody",
    "blockquote",
    "nav",
    "main",
}
VOID = {"br", "img", "col", "meta", "link", "hr", "input"}
SKIPPED_CLASSES = {"running-strings", "watermark", "toc", "cover", "document-control"}
"""Page furniture: it belongs to the PDF's pages, not to the text legal edits."""
LIST_MARKERS = {"lettered": "lower-alpha", "parties-list": "lower-roman"}
"""The list-style-type of an <ol> by class, as templates/addenda/addenda.css sets it (decimal otherwise)."""
ACCENT = RGBColor(0x0B, 0x5C, 0xAD)

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)  # A4, as the PDF
SIDE_MARGIN = Mm(20)
TEXT_WIDTH = PAGE_WIDTH - 2 * SIDE_MARGIN


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else ("\n" if c.tag == "br" else c.text()) for c in self.children)

    def find(self, tag: str) -> Node | None:
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    return child
                found = child.find(tag)
                if found is not None:
                    return found
        return None

    def elements(self, *tags: str) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                if child.tag in tags:
                    yield child
                else:
                    yield from child.elements(*tags)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _marker(style: str, index: int) -> str:
    if style == "lower-alpha":
        return f"{'abcdefghijklmnopqrstuvwxyz'[(index - 1) % 26]}."
    if style == "lower-roman":
        return f"{_roman(index).lower()}."
    return f"{index}."


def _roman(number: int) -> str:
    values = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in values:
        while number >= value:
            out, number = out + letters, number - value
    return out


_SPACE_RE = re.compile(r"\s+")


class _Writer:
    """Walks a document body and writes it into a python-docx Document."""

    def __init__(self, document: docx.document.Document, numbers: dict[str, str]) -> None:
        self.document = document
        self.numbers = numbers

    def block(self, node: Node) -> None:
        if node.classes & SKIPPED_CLASSES or node.tag in ("style", "script", "svg", "colgroup"):
            return
        tag = node.tag
        if tag in ("h1", "h2", "h3", "h4"):
            level = int(tag[1])
            number = self.numbers.get(node.attrs.get("id", ""), "")
            heading = self.document.add_heading(level=min(level, 3))
            if number:
                heading.add_run(f"{number}\u2002")
            self.inline(heading, node)
        elif tag == "p":
            paragraph = self.document.add_paragraph()
            if "signature-role" in node.classes or "signatures-title" in node.classes:
                paragraph.style = self.document.styles["Heading 3"] if "signatures-title" in node.classes else None
            self.inline(paragraph, node)
        elif tag in ("ul", "ol"):
            style = LIST_MARKERS.get(next(iter(node.classes & LIST_MARKERS.keys()), ""), "decimal")
            items = [child for child in node.children if isinstance(child, Node) and child.tag == "li"]
            for index, item in enumerate(items, start=1):
                self.list_item(item, tag, style, index)
        elif tag == "table":
            self.table(node)
        elif tag == "dl":
            for child in node.children:
                if isinstance(child, Node) and child.tag == "dt":
                    self.inline(self.document.add_paragraph(), child, bold=True)
                elif isinstance(child, Node) and child.tag == "dd":
                    self.container(child, indent=True)
        elif "signature-line" in node.classes:
            self.signature_line(node)
        else:
            self.container(node)

    def container(self, node: Node, *, indent: bool = False) -> None:
        """A block holding blocks or loose inline text (a <div>, a <dd>, a <li>)."""
        inline: list[Node | str] = []

        def flush() -> None:
            if any(c.strip() if isinstance(c, str) else True for c in inline):
                paragraph = self.document.add_paragraph()
                if indent:
                    paragraph.paragraph_format.left_indent = Pt(18)
                self.inline(paragraph, Node("span", children=list(inline)))
            inline.clear()

        for child in node.children:
            if isinstance(child, Node) and (child.tag in BLOCKS or child.classes & {"signature-line"}):
                flush()
                before = len(self.document.paragraphs)
                self.block(child)
                if indent:
                    for paragraph in self.document.paragraphs[before:]:
                        paragraph.paragraph_format.left_indent = Pt(18)
            else:
                inline.append(child)
        flush()

    def list_item(self, item: Node, tag: str, style: str, index: int) -> None:
        before = len(self.document.paragraphs)
        self.container(item)
        new = self.document.paragraphs[before:]
        if not new:
            return
        first = new[0]
        marker = "•" if tag == "ul" else _marker(style, index)
        first.runs[0].text = f"{marker}\t{first.runs[0].text}" if first.runs else f"{marker}\t"
        for paragraph in new:
            paragraph.paragraph_format.left_indent = Pt(18)
        first.paragraph_format.first_line_indent = Pt(-14)

    def signature_line(self, node: Node) -> None:
        label = next((c for c in node.children if isinstance(c, str) and c.strip()), "").strip()
        value = next((c.text().strip() for c in node.children if isinstance(c, Node)), "")
        paragraph = self.document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value if value else "_" * 30)

    def table(self, node: Node) -> None:
        rows = list(node.elements("tr"))
        if not rows:
            return
        width = max(sum(int(cell.attrs.get("colspan", "1") or 1) for cell in row.elements("td", "th")) for row in rows)
        table = self.document.add_table(rows=0, cols=width)
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for row in rows:
            cells = table.add_row().cells
            column = 0
            for cell in row.elements("td", "th"):
                span = int(cell.attrs.get("colspan", "1") or 1)
                target = cells[column]
                if span > 1:
                    target = target.merge(cells[min(column + span, width) - 1])
                paragraph = target.paragraphs[0]
                self.inline(paragraph, cell, bold=cell.tag == "th")
                column += span
        shares = _column_shares(node, width)
        if shares:
            usable = TEXT_WIDTH
            table.autofit = False
            for column, share in zip(table.columns, shares, strict=False):
                column.width = int(usable * share)
            for row in table.rows:
                for cell, share in zip(row.cells, shares, strict=False):
                    cell.width = int(usable * share)

    def inline(self, paragraph: Paragraph, node: Node, *, bold: bool = False, italic: bool = False) -> None:
        for child in node.children:
            if isinstance(child, str):
                text = _SPACE_RE.sub(" ", child)
                if not paragraph.runs:
                    text = text.lstrip()
                if text:
                    run = paragraph.add_run(text)
                    run.bold, run.italic = bold or None, italic or None
            elif child.tag == "br":
                paragraph.add_run().add_break()
            elif child.tag in ("strong", "b"):
                self.inline(paragraph, child, bold=True, italic=italic)
            elif child.tag in ("em", "i"):
                self.inline(paragraph, child, bold=bold, italic=True)
            elif child.tag in BLOCKS:
                self.inline(paragraph, child, bold=bold, italic=italic)
                paragraph.add_run().add_break()
            elif child.tag not in ("svg", "style", "img"):
                self.inline(paragraph, child, bold=bold, italic=italic)
        if paragraph.runs:
            paragraph.runs[-1].text = paragraph.runs[-1].text.rstrip()


_WIDTH_RE = re.compile(r"width:\s*([\d.]+)%")


def _column_shares(table: Node, columns: int) -> list[float]:
    """The share of the width each column gets, from the table's <colgroup> (as the PDF lays it out)."""
    widths = [float(m[1]) for col in table.elements("col") if (m := _WIDTH_RE.search(col.attrs.get("style", "")))]
    if len(widths) != columns or not sum(widths):
        return []
    return [w / sum(widths) for w in widths]


def render_docx(html: str, furniture: Furniture) -> bytes:
    """The Word document of one addendum's HTML (the same HTML its PDF is laid out from)."""
    body_start = html.find("<main")
    body_html = html[body_start : html.rfind("</main>") + len("</main>")] if body_start >= 0 else html
    # The HTML already went through number_headings, so each heading has an id; number again (without
    # cross-references left to resolve) to learn each heading's printed number.
    _, entries = number_headings(body_html)
    numbers = {entry.anchor: entry.number for entry in entries}
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = SIDE_MARGIN
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10.5)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        styles[name].font.color.rgb = ACCENT
    core = document.core_properties
    core.title = f"{furniture.product} {furniture.title}"
    core.author = furniture.vendor_name
    core.subject = furniture.pdf_metadata.subject
    core.keywords = ", ".join(furniture.pdf_metadata.keywords)
    stamp = dt.datetime.combine(furniture.effective_date, dt.time(), dt.UTC)
    core.created = core.modified = stamp
    core.last_modified_by = furniture.vendor_name
    core.revision = 1
    title = document.add_heading(furniture.title, level=0)
    title.style.font.color.rgb = ACCENT
    facts = [furniture.product, f"Version {furniture.version}", furniture.classification_label]
    if furniture.customer_name:
        facts.append(f"Prepared for {furniture.customer_name}")
    document.add_paragraph(" · ".join(facts))
    main = parse_html(body_html).find("main")
    writer = _Writer(document, numbers)
    if main is not None:
        writer.container(main)
    out = io.BytesIO()
    document.save(out)
    return repack(out.getvalue())


def docx_text(data: bytes) -> str:
    """The text of a .docx as a reader sees it: paragraphs and table cells in document order."""
    document = docx.Document(io.BytesIO(data))
    parts: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            parts.append(Paragraph(child, document).text)
        elif child.tag.endswith("}tbl"):
            table = docx.table.Table(child, document)
            for row in table.rows:
                seen: list[object] = []
                for cell in row.cells:
                    if cell._tc in seen:
                        continue
                    seen.append(cell._tc)
                    parts.append(cell.text)
    return "\n".join(parts)
