"""Filling in a questionnaire: a recognised standard in place, or a customer's own with two answer columns added.

Their workbook is loaded and changed in place, so their sheets, layout, styles and other columns stay as
they were. A standard questionnaire (CAIQ, SIG, HECVAT: see standards.py) gets its own answer columns
filled and nothing else (standard_fill.py); `.xlsm` stays `.xlsm` with its macros. In a customer's own
questionnaire each sheet that has questions gets an "Answer" and a "Detail" column after its last used
column; a CSV becomes a new workbook with their columns first. What only the vendor should see (review
flags, reasons, confidence, matched questions) never goes into their file: it is in the result, for the
review file. Their files are treated as hostile: every cell that came from a CSV and every cell written
here is text, never a formula; their own formulas are kept but never read as questions, and those that
reach outside the workbook are warned about. Nothing is written here: the caller gets the bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from collections.abc import Iterator
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from trustdocs.errors import Problem, TrustdocsError
from trustdocs.questionnaire.formulas import csv_field, external_calls, set_text
from trustdocs.questionnaire.limits import MAX_CELL_CHARS, MAX_PROBLEMS
from trustdocs.questionnaire.outcome import FilledQuestion, FillResult, customer_detail
from trustdocs.questionnaire.respond import Responder
from trustdocs.questionnaire.standard_fill import fill_standard
from trustdocs.questionnaire.standards import recognise
from trustdocs.questionnaire.their_csv import read_their_csv
from trustdocs.questionnaire.their_xlsx import parts_not_kept, read_their_workbook
from trustdocs.questionnaire.workbook import CENTRED, HEADER_FILL, WRAP, save_reproducibly
from trustdocs.terminal import printable

logger = logging.getLogger(__name__)

ADDED_COLUMNS: tuple[tuple[str, float], ...] = (("Answer", 12), ("Detail", 60))
"""The columns a customer's own questionnaire gets: what the customer may read, nothing for the reviewer."""
HEADER_SCAN_ROWS = 30
"""How far down a sheet to look for the header row (customers often put a title block above it)."""
_HEADER_MAX_LENGTH = 60

OutputFormat = Literal["xlsx", "csv"]
MACRO_WORKBOOK = ".xlsm"
"""Read with its VBA project kept, and written back as .xlsm with it."""
REFUSED_WORKBOOKS = (".xltm", ".xlsb", ".xls", ".xlam")
"""Binary formats openpyxl cannot read, and macro templates and add-ins it cannot write back as they were."""


@dataclass(frozen=True)
class QuestionColumn:
    column: int
    """1-based."""
    header_row: int
    """1-based; 0 when the sheet has no header row above the questions."""


def fill_questionnaire(
    path: Path,
    responder: Responder,
    *,
    moment: dt.datetime,
    output: OutputFormat = "xlsx",
) -> FillResult:
    """Their questionnaire at `path` (.xlsx, .xlsm or .csv), answered by `responder`.

    A standard questionnaire is filled in its own answer columns; any other gets answer columns added to
    every sheet with questions. `moment` dates the workbook so the same inputs give the same bytes. With
    `output="csv"` the data is the filled sheet as CSV, which needs a customer's own questionnaire with
    exactly one sheet of questions.
    """
    workbook, ours, losses = _open(path)
    calling_out = [] if ours else _calling_out(workbook)
    recognised = None if ours else recognise(workbook)
    filled: list[FilledQuestion] = []
    sheets: list[str] = []
    if recognised is not None:
        logger.info("%s: recognised as %s", path, recognised.label)
        if output == "csv":
            raise TrustdocsError(
                f"{path}: {recognised.label} is filled in place, in its own workbook; write "
                f"{path.suffix.lower()} instead of .csv"
            )
        filled = fill_standard(workbook, recognised, responder)
        sheets = [layout.title for layout in recognised.sheets]
    else:
        for sheet in workbook.worksheets:
            found = find_question_column(sheet)
            if found is None:
                logger.info("sheet %r: no question column found; left as it was", sheet.title)
                continue
            sheets.append(sheet.title)
            filled += _fill_sheet(sheet, found, responder)
    if not sheets:
        raise TrustdocsError(
            f"{path}: no question column found (looked for a header containing 'question', "
            f"then for a column of questions ending in '?')"
        )
    if output == "csv":
        if len(sheets) > 1:
            names = ", ".join(printable(sheet) for sheet in sheets)
            raise TrustdocsError(
                f"{path}: {len(sheets)} sheets have questions ({names}) and a CSV file holds one; write .xlsx instead"
            )
        data = sheet_csv(workbook[sheets[0]])
    else:
        # A workbook made from their CSV is ours to date; theirs keeps the creation date its author gave it.
        data = save_reproducibly(workbook, moment, creator="trustdocs" if ours else None)
    lost = [f"{printable(loss)} (so said openpyxl, reading it); the filled copy lacks it" for loss in losses]
    if not ours and output != "csv" and (dropped := parts_not_kept(path, data)):
        listed = ", ".join(printable(name) for name in dropped[:MAX_PROBLEMS])
        more = f" and {len(dropped) - MAX_PROBLEMS:,} more" if len(dropped) > MAX_PROBLEMS else ""
        lost.append(
            f"the filled copy lacks {len(dropped)} part(s) of theirs that openpyxl does not keep: {listed}{more}"
        )
    warnings = (*(Problem(None, str(path), m, "warning") for m in lost), *_formula_warnings(path, calling_out))
    return FillResult(data, tuple(filled), tuple(sheets), recognised, warnings, len(calling_out))


def _open(path: Path) -> tuple[Workbook, bool, tuple[str, ...]]:
    """Their workbook, whether trustdocs made it (from a CSV) rather than loading theirs, and what was lost."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _workbook_from_csv(path), True, ()
    if suffix in REFUSED_WORKBOOKS:
        raise TrustdocsError(
            f"{path}: {suffix} workbooks are not read, since they are in a binary format or carry macros "
            f"that could not be kept; save it as .xlsx (Excel Workbook), .xlsm or .csv and answer that"
        )
    if suffix not in (".xlsx", MACRO_WORKBOOK):
        raise TrustdocsError(f"{path}: expected an .xlsx, .xlsm or .csv file, found '{path.suffix or 'no extension'}'")
    workbook, losses = read_their_workbook(path, keep_vba=suffix == MACRO_WORKBOOK)
    return workbook, False, losses


def _workbook_from_csv(path: Path) -> Workbook:
    """A workbook of their CSV's rows in which every cell is text: "=HYPERLINK(...)" stays those characters."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Questionnaire"
    for number, row in enumerate(read_their_csv(path), start=1):
        for column, value in enumerate(row, start=1):
            if value:
                set_text(sheet.cell(number, column), value)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
    sheet.freeze_panes = "A2"
    return workbook


def _text(cell: Cell) -> str:
    """The text of a cell that may hold a question: never a formula, and no longer than a cell may be."""
    value = cell.value
    if cell.data_type == "f" or not isinstance(value, str) or len(value) > MAX_CELL_CHARS:
        return ""
    return value.strip()


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
            text = _text(cell)
            # "Question", "Questions", "Question text", but not a title such as "Security Questionnaire".
            if (
                text
                and len(text) <= _HEADER_MAX_LENGTH
                and re.search(r"\bquestions?\b", text, re.IGNORECASE)
                and not text.endswith("?")
                and _questions_below(sheet, cell.row, cell.column)
            ):
                return QuestionColumn(cell.column, cell.row)
    best: tuple[int, float, int] | None = None
    first_rows: dict[int, int] = {}
    for column in sheet.iter_cols(min_row=1, max_row=sheet.max_row):
        texts = [(cell.row, _text(cell)) for cell in column if _text(cell).endswith("?")]
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
    return any(_is_question(_text(sheet.cell(r, column))) for r in range(row + 1, sheet.max_row + 1))


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


def _fill_sheet(sheet: Worksheet, found: QuestionColumn, responder: Responder) -> list[FilledQuestion]:
    first = _last_used_column(sheet) + 1
    if found.header_row:
        model = sheet.cell(found.header_row, found.column)
        for offset, (title, _) in enumerate(ADDED_COLUMNS):
            header = set_text(sheet.cell(found.header_row, first + offset), title)
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
        text = _text(sheet.cell(row, found.column))
        if not text or not _is_question(text):
            continue
        response = responder.respond(text)
        # Only a value goes in with its detail: a detail without one is a note for the reviewer.
        value = response.value or ""
        detail = customer_detail(response) if value else ""
        answer = set_text(sheet.cell(row, first), value or None)
        answer.alignment = CENTRED
        set_text(sheet.cell(row, first + 1), detail or None).alignment = WRAP
        written = tuple(
            (f"{get_column_letter(first + offset)}{row}", content)
            for offset, content in enumerate((value, detail))
            if content
        )
        # A match below the threshold says nothing about what the question is about.
        domain = responder.domain_name(response.domain) if response.confidence >= responder.threshold else "Unmatched"
        filled.append(FilledQuestion(sheet.title, row, text, response, answer=value, domain=domain, written=written))
    return filled


def sheet_csv(sheet: Worksheet) -> bytes:
    """The sheet as CSV the way library_csv writes it (UTF-8 with a BOM, CRLF), safe to open in a spreadsheet.

    Every text that a spreadsheet would run as a formula (their formulas included) gets a leading quote, as
    OWASP advises against CSV injection.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in sheet.iter_rows():
        writer.writerow([_csv_value(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(cell: Cell) -> str:
    value = cell.value
    if isinstance(value, ArrayFormula):
        value = value.text
    return csv_field(value)


def _calling_out(workbook: Workbook) -> list[tuple[str, tuple[str, ...]]]:
    """(place, what it calls) for each formula of theirs that reaches outside the workbook."""
    return [(place, calls) for place, formula in _formulas(workbook) if (calls := external_calls(formula))]


def _formula_warnings(path: Path, found: list[tuple[str, tuple[str, ...]]]) -> Iterator[Problem]:
    """One warning per formula of theirs that reaches outside the workbook, then a count of any past the cap."""
    for place, calls in found[:MAX_PROBLEMS]:
        yield Problem(
            None,
            f"{path}: {place}",
            f"the formula calls {', '.join(calls)}, which can reach outside "
            f"the workbook when it is opened; kept as it was, not answered",
            severity="warning",
        )
    if len(found) > MAX_PROBLEMS:
        yield Problem(
            None,
            str(path),
            f"{len(found) - MAX_PROBLEMS:,} more formula(s) that reach outside the workbook",
            severity="warning",
        )


def _formulas(workbook: Workbook) -> Iterator[tuple[str, str]]:
    """(place, formula) for every formula in their cells and defined names."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, ArrayFormula):
                    value = value.text
                if cell.data_type == "f" and isinstance(value, str):
                    yield f"{printable(sheet.title)}!{cell.coordinate}", value
    for name, defined in workbook.defined_names.items():
        if defined.attr_text:
            yield f"defined name {printable(name)}", defined.attr_text
    for sheet in workbook.worksheets:
        for name, defined in sheet.defined_names.items():
            if defined.attr_text:
                yield f"{printable(sheet.title)}: defined name {printable(name)}", defined.attr_text
