"""The answer library as questionnaire.xlsx and questionnaire.csv, and byte-for-byte reproducible XLSX saving."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from trustdocs.questionnaire.bank import QuestionBank, load_bank
from trustdocs.questionnaire.formulas import csv_field, set_text
from trustdocs.questionnaire.library import AnsweredQuestion
from trustdocs.write.packages import ZIP_EPOCH, repack

COLUMNS: tuple[str, ...] = ("id", "domain", "question", "answer", "detail", "evidence")
WIDTHS: dict[str, float] = {"id": 10, "domain": 24, "question": 60, "answer": 10, "detail": 80, "evidence": 48}
SHEET_TITLE = "Answers"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
REVIEW_FILL = PatternFill("solid", start_color="FFFFF2CC", end_color="FFFFF2CC")
"""Light yellow: a row or cell a person has to look at."""
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRED = Alignment(wrap_text=True, vertical="top", horizontal="center")


def library_rows(answers: Iterable[AnsweredQuestion], bank: QuestionBank | None = None) -> list[tuple[str, ...]]:
    """One row per answered question, in the columns of COLUMNS (the domain by its display name)."""
    bank = bank or load_bank()
    domains = dict(bank.domains)
    return [
        (
            a.question.id,
            domains.get(a.question.domain, a.question.domain),
            a.question.question,
            a.value,
            a.answer.detail,
            a.answer.evidence,
        )
        for a in answers
    ]


def library_csv(answers: Iterable[AnsweredQuestion], bank: QuestionBank | None = None) -> bytes:
    """questionnaire.csv: a header row, then one row per question; CRLF line ends as RFC 4180 says.

    UTF-8 with a byte-order mark: without it Excel, where most people open this file, reads it in the
    local code page and garbles every dash and accent. A text that Excel would run as a formula gets a
    leading quote.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([csv_field(value) for value in row] for row in library_rows(answers, bank))
    return buffer.getvalue().encode("utf-8-sig")


def library_xlsx(
    answers: Sequence[AnsweredQuestion],
    effective_date: dt.date | None = None,
    *,
    title: str = "",
    bank: QuestionBank | None = None,
) -> bytes:
    """questionnaire.xlsx: bold frozen header, wrapped text, set widths, an autofilter, review rows shaded.

    Pass `effective_date` (the documents' date, `project.document.effective_date`) to date the workbook;
    without it the workbook is dated 1980-01-01, the earliest date a zip entry can carry. Either way the
    same inputs give the same bytes.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    for number, row in enumerate([COLUMNS, *library_rows(answers, bank)], start=1):
        for column, value in enumerate(row, start=1):
            set_text(sheet.cell(number, column), value)  # text, even if it starts with "="
    style_table(sheet, len(answers))
    review_column = COLUMNS.index("answer")
    for offset, answered in enumerate(answers, start=2):
        if answered.needs_review:
            for cell in sheet[offset]:
                cell.fill = REVIEW_FILL
        sheet.cell(offset, review_column + 1).alignment = CENTRED
    workbook.properties.title = title or "Security questionnaire answers"
    moment = midnight(effective_date) if effective_date is not None else dt.datetime(*ZIP_EPOCH)
    return save_reproducibly(workbook, moment, creator="trustdocs")


def style_table(sheet: Worksheet, rows: int) -> None:
    """Header bold, shaded and frozen; every cell wrapped and top-aligned; widths; an autofilter over it all."""
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
    for row in sheet.iter_rows(min_row=2, max_row=rows + 1):
        for cell in row:
            cell.alignment = WRAP
    for index, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[name]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{rows + 1}"


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def save_reproducibly(workbook: Workbook, moment: dt.datetime, *, creator: str | None = None) -> bytes:
    """The workbook as XLSX bytes that depend only on its content and `moment`.

    openpyxl stamps the save time into docProps/core.xml and the zip entries; here the workbook properties
    are set to `moment` (created too, unless the workbook already has a creation date from its author) and
    the archive is re-packed with every entry dated `moment`, in the order openpyxl wrote them.
    """
    properties = workbook.properties
    properties.modified = moment
    if creator is not None:
        properties.creator = creator
        properties.created = moment
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    return repack(raw.getvalue(), moment.timetuple()[:6])
