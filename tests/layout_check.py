"""What a careful typesetter looks for on every page, found from the laid-out boxes of a rendered PDF.

WeasyPrint lays out the pages that become the PDF; walking those pages shows what a reader sees:
- a table row stranded alone at the top or bottom of a page, away from the rest of its table;
- a heading left at the foot of a page, separated from what it introduces (or followed only by the
  header row of a table whose body starts on the next page);
- a page more than half empty that is not followed by a page break the document asks for (a chapter
  that starts a page, a landscape diagram page, the cover) and is not the last page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import weasyprint
from weasyprint.formatting_structure import boxes

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
FORCED_BREAKS = {"page", "left", "right", "recto", "verso"}


@dataclass(frozen=True)
class LayoutProblem:
    page: int
    """1-based page number."""
    kind: str
    """"stranded row", "orphaned heading", "half-empty page"."""
    text: str

    def __str__(self) -> str:
        return f"page {self.page}: {self.kind}: {self.text}"


def _descendants(box: boxes.Box) -> Iterator[boxes.Box]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def _text(box: boxes.Box, limit: int = 70) -> str:
    words = " ".join(b.text for b in _descendants(box) if isinstance(b, boxes.TextBox)).split()
    text = " ".join(words)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _content(page_box: boxes.PageBox) -> list[boxes.Box]:
    """The page's body boxes (not its margin boxes: running header and footer)."""
    return [child for child in page_box.children if not isinstance(child, boxes.MarginBox)]


def _flow(page_box: boxes.PageBox) -> list[boxes.Box]:
    """The lines and table rows of the page, in document order: what a reader reads down the page."""
    found: list[boxes.Box] = []

    def walk(box: boxes.Box) -> None:
        if isinstance(box, (boxes.LineBox, boxes.TableRowBox, boxes.ReplacedBox)):
            found.append(box)
            return
        style = getattr(box, "style", None)
        if style is not None and style["position"] in ("absolute", "fixed"):
            return  # the watermark and other furniture placed over the page
        for child in getattr(box, "children", ()):
            walk(child)

    for child in _content(page_box):
        walk(child)
    return [box for box in found if not isinstance(box, boxes.LineBox) or _text(box)]


def _element_tag(box: boxes.Box) -> str:
    return getattr(box, "element_tag", "") or ""


def _heading_of(line: boxes.Box, page_box: boxes.PageBox) -> boxes.Box | None:
    """The heading block a line belongs to, if any."""
    for block in _descendants(page_box):
        if isinstance(block, boxes.BlockBox) and _element_tag(block) in HEADINGS and line in block.children:
            return block
    return None


def _row_is_header(row: boxes.TableRowBox, page_box: boxes.PageBox) -> bool:
    for group in _descendants(page_box):
        if isinstance(group, boxes.TableRowGroupBox) and row in group.children:
            return bool(group.is_header)
    return False


def layout_problems(document: weasyprint.Document, *, half_empty: float = 0.5) -> list[LayoutProblem]:
    """Every stranded table row, orphaned heading and unexplained half-empty page of `document`."""
    pages = [page._page_box for page in document.pages]
    problems: list[LayoutProblem] = []

    # Body rows of each table (by its element) per page.
    rows_by_table: dict[object, dict[int, list[boxes.TableRowBox]]] = defaultdict(lambda: defaultdict(list))
    for number, page_box in enumerate(pages, start=1):
        for box in _descendants(page_box):
            if isinstance(box, boxes.TableBox):
                for group in box.children:
                    if isinstance(group, boxes.TableRowGroupBox) and not group.is_header and not group.is_footer:
                        rows_by_table[box.element][number].extend(
                            row for row in group.children if isinstance(row, boxes.TableRowBox)
                        )
    for per_page in rows_by_table.values():
        total = sum(len(rows) for rows in per_page.values())
        if len(per_page) < 2 or total < 3:
            continue
        for number, rows in sorted(per_page.items()):
            if len(rows) == 1:
                problems.append(LayoutProblem(number, "stranded row", _text(rows[0])))

    for number, page_box in enumerate(pages, start=1):
        flow = _flow(page_box)
        if not flow:
            continue
        last = flow[-1]
        if number < len(pages):
            heading = _heading_of(last, page_box) if isinstance(last, boxes.LineBox) else None
            if heading is not None:
                problems.append(LayoutProblem(number, "orphaned heading", _text(heading)))
            elif isinstance(last, boxes.TableRowBox) and _row_is_header(last, page_box):
                problems.append(LayoutProblem(number, "orphaned heading", "table header " + _text(last)))
        if number < len(pages) and number > 1:
            top = page_box.content_box_y()
            height = page_box.height
            bottom = max(box.position_y + box.margin_height() for box in flow)
            if (
                (bottom - top) < half_empty * height
                and not _ends_with_forced_break(page_box)
                and not _starts_with_forced_break(pages[number])
            ):
                problems.append(
                    LayoutProblem(
                        number,
                        "half-empty page",
                        f"{(bottom - top) / height:.0%} used; next page: {_text(pages[number], 50)}",
                    )
                )
    return problems


def _ends_with_forced_break(page_box: boxes.PageBox) -> bool:
    """Whether a block on the page asks for a page break after it (the contents before the body)."""
    return any(
        isinstance(box, boxes.BlockLevelBox) and box.style["break_after"] in FORCED_BREAKS
        for box in _descendants(page_box)
    )


def _starts_with_forced_break(page_box: boxes.PageBox) -> bool:
    """Whether the page begins where the document forces a new page (or changes page size)."""
    first = next(iter(_flow(page_box)), None)
    if first is None:
        return True
    chain = []
    for box in _descendants(page_box):
        if box is first:
            break
        if isinstance(box, boxes.BlockLevelBox):
            chain.append(box)
    for box in chain:
        style = box.style
        if style["break_before"] in FORCED_BREAKS or style["page"] not in ("auto", "", None):
            return True
    return False
