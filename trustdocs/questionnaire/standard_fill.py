"""Filling a recognised standard questionnaire in place: its own answer columns only, in values its lists allow.

SIG's terms forbid changing its wording and its macros break when rows move, so nothing but the standard's
answer cells is written: no row, column, style of another cell, formula, validation list, defined name or
sheet is touched. A value goes in only if the cell's data validation list allows it (in the list's own
spelling); a cell that already holds a value is kept, and the difference, if any, goes to the reviewer.
"""

from __future__ import annotations

import re

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from trustdocs.questionnaire.formulas import set_text
from trustdocs.questionnaire.outcome import FilledQuestion, customer_detail
from trustdocs.questionnaire.respond import Responder, Response
from trustdocs.questionnaire.standards import Recognised, StandardSheet, question_ids, spelling
from trustdocs.terminal import printable

_REFERENCE = re.compile(
    r"(?:(?:'(?P<quoted>(?:[^']|'')+)'|(?P<sheet>[^'!]+))!)?(?P<range>\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)"
)


def fill_standard(workbook: Workbook, recognised: Recognised, responder: Responder) -> list[FilledQuestion]:
    """Answer every question of every sheet of the recognised standard, writing only its answer cells."""
    filled: list[FilledQuestion] = []
    for layout in recognised.sheets:
        sheet = workbook[layout.title]
        for row, question_id in question_ids(recognised.standard, sheet, layout):
            text = _question_text(sheet.cell(row, layout.question_column))
            if not text:
                continue
            response = responder.respond(
                text, standard=recognised.standard.key, version=recognised.version_key, question_id=question_id
            )
            filled.append(_fill_row(workbook, sheet, layout, recognised, row, question_id, text, response))
    return filled


def _question_text(cell: Cell | MergedCell) -> str:
    value = cell.value
    return value.strip() if isinstance(value, str) and cell.data_type != "f" else ""


def _fill_row(
    workbook: Workbook,
    sheet: Worksheet,
    layout: StandardSheet,
    recognised: Recognised,
    row: int,
    question_id: str,
    text: str,
    response: Response,
) -> FilledQuestion:
    standard = recognised.standard
    writer = _RowWriter(workbook, sheet, row)
    answer = ""
    column = layout.columns["answer"]
    if response.value is not None:
        allowed = allowed_values(workbook, sheet, sheet.cell(row, column))
        spelt = spelling(standard.values.get(response.value, ()), allowed)
        if spelt is None:
            writer.problems.append(_refused("answer", response.value, allowed))
        else:
            answer = writer.write(column, spelt, "answer")
    else:
        answer = writer.existing(column, "answer")
    if response.value is not None and answer:
        if (ownership_column := layout.columns.get("ownership")) is not None:
            if response.ownership is None:
                writer.notes.append("control ownership left blank: the answer does not say who owns the control")
            else:
                allowed = allowed_values(workbook, sheet, sheet.cell(row, ownership_column))
                spelt = spelling(standard.ownership.get(response.ownership, ()), allowed)
                if spelt is None:
                    writer.problems.append(_refused("control ownership", response.ownership, allowed))
                else:
                    writer.write(ownership_column, spelt, "control ownership")
        if (description_column := layout.columns.get("description")) is not None and (
            detail := customer_detail(response)
        ):
            writer.write(description_column, detail, "description")
    return FilledQuestion(
        sheet.title,
        row,
        text,
        response,
        answer=answer,
        question_id=question_id,
        domain=standard.domain_of(question_id),
        written=tuple(writer.written),
        problems=tuple(writer.problems),
        notes=tuple(writer.notes),
    )


def _refused(what: str, value: str, allowed: tuple[str, ...] | None) -> str:
    if allowed == ():
        return f"{what} {value!r} not written: the cell's validation list could not be read"
    listed = ", ".join(allowed or ())
    return f"{what} {value!r} not written: the cell's validation list allows only {listed}"


class _RowWriter:
    """Writes the answer cells of one row, keeping any value already there, and says what it did."""

    def __init__(self, workbook: Workbook, sheet: Worksheet, row: int) -> None:
        self.workbook = workbook
        self.sheet = sheet
        self.row = row
        self.written: list[tuple[str, str]] = []
        self.problems: list[str] = []
        self.notes: list[str] = []

    def existing(self, column: int, what: str) -> str:
        """What a cell already holds (kept: the vendor answered it by hand), noted for the reviewer."""
        value = self.sheet.cell(self.row, column).value
        if value is None or value == "":
            return ""
        self.notes.append(f"{what} kept as it was: {printable(str(value))!r}")
        return str(value)

    def write(self, column: int, value: str, what: str) -> str:
        """Write `value` unless the cell holds one already or its list refuses it; returns what the cell holds."""
        cell = self.sheet.cell(self.row, column)
        coordinate = f"{get_column_letter(column)}{self.row}"
        if isinstance(cell, MergedCell):
            self.problems.append(f"{what} not written: {coordinate} is inside a merged block of cells")
            return ""
        if cell.value is not None and cell.value != "":
            kept = str(cell.value)
            if kept.strip().lower() != value.strip().lower():
                self.problems.append(f"{what} kept as it was: {printable(kept)!r}; the model says {value!r}")
            return kept
        allowed = allowed_values(self.workbook, self.sheet, cell)
        if allowed is not None and value not in allowed:
            self.problems.append(_refused(what, value, allowed))
            return ""
        set_text(cell, value)
        self.written.append((coordinate, value))
        return value


def allowed_values(workbook: Workbook, sheet: Worksheet, cell: Cell) -> tuple[str, ...] | None:
    """The values the cell's list validation allows; None when it has none, () when its list cannot be read.

    A list is either literal (`"Yes,No,NA"`) or a reference to cells, on this sheet or another, directly
    or through a defined name; anything computed (INDIRECT, OFFSET) cannot be read without running it.
    """
    for validation in sheet.data_validations.dataValidation:
        if validation.type == "list" and cell.coordinate in validation.sqref:
            return _list_values(workbook, sheet, validation.formula1 or "")
    return None


def _list_values(workbook: Workbook, sheet: Worksheet, formula: str) -> tuple[str, ...]:
    formula = formula.strip().removeprefix("=")
    if formula.startswith('"') and formula.endswith('"') and len(formula) >= 2:
        return tuple(v.strip() for v in formula[1:-1].split(",") if v.strip())
    defined = workbook.defined_names.get(formula) or sheet.defined_names.get(formula)
    if defined is not None and defined.attr_text:
        formula = defined.attr_text.removeprefix("=")
    found = _REFERENCE.fullmatch(formula)
    if found is None:
        return ()
    name = found.group("quoted").replace("''", "'") if found.group("quoted") else found.group("sheet")
    if name is not None and name not in workbook.sheetnames:
        return ()
    target = workbook[name] if name is not None else sheet
    first_column, first_row, last_column, last_row = range_boundaries(found.group("range").replace("$", ""))
    cells = target.iter_rows(
        min_row=first_row, max_row=last_row, min_col=first_column, max_col=last_column, values_only=True
    )
    return tuple(str(value).strip() for row in cells for value in row if value is not None and str(value).strip())
