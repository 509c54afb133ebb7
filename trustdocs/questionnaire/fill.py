"""Filling in a customer's own questionnaire: find their question column, match, add answer columns.

Their workbook is loaded and changed in place, so their sheets, layout, styles and other columns stay as
they were; each sheet that has questions gets five columns after its last used column. A CSV becomes a new
workbook with their columns first. Nothing is written here: the caller gets the bytes.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import zipfile
from collections.abc import Mapping
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from trustdocs.errors import TrustdocsError
from trustdocs.questionnaire.library import AnsweredQuestion
from trustdocs.questionnaire.matcher import Match, Matcher
from trustdocs.questionnaire.workbook import CENTRED, HEADER_FILL, REVIEW_FILL, WRAP, save_reproducibly

logger = logging.getLogger(__name__)

ADDED_COLUMNS: tuple[tuple[str, float], ...] = (
    ("trustdocs answer", 12), ("detail", 60), ("matched question", 50), ("confidence", 12), ("needs review", 13),
)
HEADER_SCAN_ROWS = 30
"""How far down a sheet to look for the header row (customers often put a title block above it)."""
_HEADER_MAX_LENGTH = 60


@dataclass(frozen=True)
class FilledQuestion:
    sheet: str
    row: int
    text: str
    match: Match
    answer: AnsweredQuestion | None
    """The library answer used; None when the match was below the threshold or there was none."""

    threshold: float

    @property
    def needs_review(self) -> bool:
        return self.answer is None or self.answer.needs_review

    @property
    def suggested(self) -> bool:
        """Whether the match is worth showing to the reviewer: at least half the threshold."""
        return self.match.question is not None and self.match.confidence >= self.threshold / 2


@dataclass(frozen=True)
class FillResult:
    data: bytes
    """The filled workbook as XLSX bytes."""
    questions: tuple[FilledQuestion, ...]
    sheets: tuple[str, ...]
    """Sheets that had questions and got the answer columns."""

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if not q.needs_review)

    @property
    def for_review(self) -> int:
        return sum(1 for q in self.questions if q.needs_review)


@dataclass(frozen=True)
class QuestionColumn:
    column: int
    """1-based."""
    header_row: int
    """1-based; 0 when the sheet has no header row above the questions."""


def fill_questionnaire(path: Path, answers: Mapping[str, AnsweredQuestion], matcher: Matcher, *,
                       threshold: float, moment: dt.datetime) -> FillResult:
    """Their questionnaire at `path` (.xlsx or .csv) with answer columns added to every sheet with questions.

    `answers` maps bank ids to the library's answers; a match below `threshold` is left unanswered and
    marked for review. `moment` dates the workbook so the same inputs give the same bytes.
    """
    workbook, ours = _open(path)
    filled: list[FilledQuestion] = []
    sheets: list[str] = []
    for sheet in workbook.worksheets:
        found = find_question_column(sheet)
        if found is None:
            logger.info("sheet %r: no question column found; left as it was", sheet.title)
            continue
        sheets.append(sheet.title)
        filled += _fill_sheet(sheet, found, answers, matcher, threshold)
    if not sheets:
        raise TrustdocsError(f"{path}: no question column found (looked for a header containing 'question', "
                             f"then for a column of questions ending in '?')")
    # A workbook made from their CSV is ours to date; theirs keeps the creation date its author gave it.
    data = save_reproducibly(workbook, moment, creator="trustdocs" if ours else None)
    return FillResult(data, tuple(filled), tuple(sheets))


def _open(path: Path) -> tuple[Workbook, bool]:
    """Their workbook, and whether trustdocs made it (from a CSV) rather than loading theirs."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _workbook_from_csv(path), True
    if suffix != ".xlsx":
        raise TrustdocsError(f"{path}: expected an .xlsx or .csv file, found '{path.suffix or 'no extension'}'")
    try:
        return load_workbook(path), False
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TrustdocsError(f"{path}: could not read the workbook ({error})") from error


def _workbook_from_csv(path: Path) -> Workbook:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the Windows code page unless asked for UTF-8.
        logger.warning("%s is not UTF-8; read it as Windows-1252", path)
        text = raw.decode("cp1252", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Questionnaire"
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
    sheet.freeze_panes = "A2"
    return workbook


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _is_question(text: str) -> bool:
    """A question or a statement to answer: ends in '?' or has at least three words (not a section title)."""
    return text.endswith("?") or len(text.split()) >= 3


def find_question_column(sheet: Worksheet) -> QuestionColumn | None:
    """The header cell that says "question" (the first, reading row by row), else the column of questions.

    The fallback picks the column with the most texts ending in "?", and between equals the one with the
    longer texts; a sheet needs at least two such texts to count as a questionnaire.
    """
    last_row = min(sheet.max_row, HEADER_SCAN_ROWS)
    for row in sheet.iter_rows(min_row=1, max_row=last_row):
        for cell in row:
            text = _text(cell.value)
            # "Question", "Questions", "Question text", but not a title such as "Security Questionnaire".
            if text and len(text) <= _HEADER_MAX_LENGTH and re.search(r"\bquestions?\b", text, re.IGNORECASE) \
                    and not text.endswith("?") and _questions_below(sheet, cell.row, cell.column):
                return QuestionColumn(cell.column, cell.row)
    best: tuple[int, float, int] | None = None
    first_rows: dict[int, int] = {}
    for column in sheet.iter_cols(min_row=1, max_row=sheet.max_row):
        texts = [(cell.row, _text(cell.value)) for cell in column if _text(cell.value).endswith("?")]
        if len(texts) < 2:
            continue
        index = column[0].column
        first_rows[index] = texts[0][0]
        key = (len(texts), sum(len(t) for _, t in texts) / len(texts), -index)
        if best is None or key > best:
            best = key
    if best is None:
        return None
    column = -best[2]
    return QuestionColumn(column, first_rows[column] - 1)


def _questions_below(sheet: Worksheet, row: int, column: int) -> bool:
    """Whether any cell under (row, column) holds a question: a header must head something."""
    return any(_is_question(_text(sheet.cell(r, column).value)) for r in range(row + 1, sheet.max_row + 1))


def _last_used_column(sheet: Worksheet) -> int:
    # max_column counts cells that only carry a style; answers go after the last cell with a value, and
    # after any merged block (whose cells cannot be written).
    last = max((block.max_col for block in sheet.merged_cells.ranges), default=0)
    for row in sheet.iter_rows():
        for cell in reversed(row):
            if cell.value is not None:
                last = max(last, cell.column)
                break
    return last


def _fill_sheet(sheet: Worksheet, found: QuestionColumn, answers: Mapping[str, AnsweredQuestion],
                matcher: Matcher, threshold: float) -> list[FilledQuestion]:
    first = _last_used_column(sheet) + 1
    if found.header_row:
        model = sheet.cell(found.header_row, found.column)
        for offset, (title, _) in enumerate(ADDED_COLUMNS):
            header = sheet.cell(found.header_row, first + offset, title)
            if model.has_style:
                header.font = copy(model.font)
                header.fill = copy(model.fill)
                header.border = copy(model.border)
                header.alignment = copy(model.alignment)
            else:
                header.font = Font(bold=True)
    for offset, (_, width) in enumerate(ADDED_COLUMNS):
        sheet.column_dimensions[get_column_letter(first + offset)].width = width
    filled = []
    for row in range(found.header_row + 1, sheet.max_row + 1):
        text = _text(sheet.cell(row, found.column).value)
        if not text or not _is_question(text):
            continue
        match = matcher.match(text)
        answered = answers.get(match.question.id) if match.question and match.confidence >= threshold else None
        item = FilledQuestion(sheet.title, row, text, match, answered, threshold)
        _write_row(sheet, row, first, item)
        filled.append(item)
    return filled


def _write_row(sheet: Worksheet, row: int, first: int, item: FilledQuestion) -> None:
    answer = item.answer
    value = answer.value if answer is not None else ""
    detail = ""
    if answer is not None:
        source = f" Source: {answer.answer.evidence}." if answer.answer.evidence else ""
        detail = f"{answer.answer.detail}{source}"
    matched = f"{item.match.question.id}: {item.match.question.question}" if item.suggested else ""
    cells = [
        sheet.cell(row, first, value or None),
        sheet.cell(row, first + 1, detail or None),
        sheet.cell(row, first + 2, matched or None),
        sheet.cell(row, first + 3, item.match.confidence),
        sheet.cell(row, first + 4, "yes" if item.needs_review else None),
    ]
    for cell in cells:
        cell.alignment = WRAP
    cells[0].alignment = CENTRED
    cells[3].number_format = "0.00"
    if item.needs_review:
        cells[0].fill = REVIEW_FILL
        cells[4].fill = REVIEW_FILL
