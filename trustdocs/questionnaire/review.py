"""The vendor's side of a filled questionnaire: the review file (one row per question) and the summary.

Everything the customer must not see is here and only here: the outcome of each question, why it needs a
person, the bank question it matched and how sure the match was, and the YAML behind each citation. The
summary counts answered, flagged and unanswered questions, in all and by domain (the standard's own
domains for CAIQ, SIG and HECVAT).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from trustdocs.questionnaire.formulas import csv_field, set_text
from trustdocs.questionnaire.outcome import Counts, FilledQuestion, FillResult
from trustdocs.questionnaire.workbook import HEADER_FILL, REVIEW_FILL, WRAP, save_reproducibly
from trustdocs.terminal import printable

REVIEW_COLUMNS: tuple[tuple[str, float], ...] = (
    ("sheet", 16),
    ("row", 6),
    ("question id", 12),
    ("question", 60),
    ("outcome", 12),
    ("answer", 10),
    ("detail", 60),
    ("review reasons", 50),
    ("notes", 40),
    ("matched", 10),
    ("confidence", 11),
    ("domain", 20),
    ("citations", 50),
    ("cells written", 30),
)
REVIEW_SHEET = "Review"
REVIEW_SUFFIXES = (".xlsx", ".csv")


def review_path(output: Path) -> Path:
    """Where the review file goes by default: FILLED.review.xlsx next to FILLED.xlsx (or .xlsm, .csv)."""
    return output.with_name(f"{output.stem}.review.xlsx")


def review_rows(result: FillResult) -> list[tuple[str | int | float, ...]]:
    return [_row(q) for q in result.questions]


def _row(question: FilledQuestion) -> tuple[str | int | float, ...]:
    response = question.response
    return (
        question.sheet,
        question.row,
        question.question_id,
        question.text,
        question.outcome,
        question.answer,
        question.response.detail,
        "; ".join(question.reasons),
        "; ".join(question.notes),
        response.question_id or "",
        round(response.confidence, 2),
        question.domain,
        "; ".join(str(c) for c in response.citations),
        ", ".join(cell for cell, _ in question.written),
    )


def review_xlsx(result: FillResult, moment: dt.datetime) -> bytes:
    """The review file as a workbook: bold frozen header, an autofilter, flagged and unanswered rows shaded."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = REVIEW_SHEET
    for column, (title, width) in enumerate(REVIEW_COLUMNS, start=1):
        header = set_text(sheet.cell(1, column), title)
        header.font = Font(bold=True)
        header.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, (question, values) in enumerate(zip(result.questions, review_rows(result), strict=True), start=2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(number, column)
            if isinstance(value, str):
                set_text(cell, value or None)  # their question text stays text, even if it starts with "="
            else:
                cell.value = value
            cell.alignment = WRAP
            if question.outcome != "answered":
                cell.fill = REVIEW_FILL
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(REVIEW_COLUMNS))}{len(result.questions) + 1}"
    workbook.properties.title = "Questionnaire review (vendor only)"
    return save_reproducibly(workbook, moment, creator="trustdocs")


def review_csv(result: FillResult) -> bytes:
    """The review file as CSV: UTF-8 with a byte-order mark, CRLF, formula-like texts quoted."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([title for title, _ in REVIEW_COLUMNS])
    writer.writerows([csv_field(value) for value in row] for row in review_rows(result))
    return buffer.getvalue().encode("utf-8-sig")


def summary_lines(result: FillResult) -> list[str]:
    """What `answer` prints: what was recognised, the counts, then the counts by domain."""
    counts = result.counts
    sheets = ", ".join(printable(sheet) for sheet in result.sheets)  # their names, maybe holding controls
    kind = result.standard.label if result.standard is not None else "Customer questionnaire"
    lines = [f"{kind}: {counts.total} question(s) on {len(result.sheets)} sheet(s) ({sheets}): {counts}."]
    names = result.standard.standard.domains if result.standard is not None else {}
    for domain, domain_counts in result.by_domain():
        label = f"{domain} ({names[domain]})" if domain in names else domain
        lines.append(
            f"  {printable(label) or 'Unmatched'}: {domain_counts.answered} answered, "
            f"{domain_counts.flagged} flagged, {domain_counts.unanswered} unanswered"
        )
    return lines


def summary_json(result: FillResult) -> bytes:
    """The summary as JSON, for a dashboard or a CI check: the same figures `answer` prints."""
    recognised = result.standard
    document = {
        "standard": recognised.standard.key if recognised else None,
        "label": recognised.label if recognised else "Customer questionnaire",
        "edition": recognised.edition if recognised else None,
        "version": recognised.version if recognised else None,
        "sheets": list(result.sheets),
        "totals": _counts(result.counts),
        "domains": [{"domain": domain, **_counts(counts)} for domain, counts in result.by_domain()],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _counts(counts: Counts) -> dict[str, int]:
    return {
        "questions": counts.total,
        "answered": counts.answered,
        "flagged": counts.flagged,
        "unanswered": counts.unanswered,
    }
