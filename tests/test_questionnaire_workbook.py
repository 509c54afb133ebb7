"""questionnaire.xlsx and questionnaire.csv: formatting for people, exact content, identical bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from trustdocs.model.project import Project
from trustdocs.project import load_project
from trustdocs.questionnaire.library import AnsweredQuestion, answer_library
from trustdocs.questionnaire.workbook import COLUMNS, library_csv, library_rows, library_xlsx

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"


@pytest.fixture(scope="module")
def minimal() -> Project:
    return load_project(MINIMAL, today=dt.date(2026, 3, 1)).project


@pytest.fixture(scope="module")
def answers(minimal: Project) -> tuple[AnsweredQuestion, ...]:
    return answer_library(minimal)


@pytest.fixture(scope="module")
def sheet(minimal: Project, answers: tuple[AnsweredQuestion, ...]):
    data = library_xlsx(answers, minimal.document.effective_date, title="Tiny Notes security questionnaire")
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_header_is_bold_shaded_and_frozen_with_an_autofilter(sheet, answers) -> None:
    assert sheet.title == "Answers"
    assert [c.value for c in sheet[1]] == ["id", "domain", "question", "answer", "detail", "evidence"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:F{len(answers) + 1}"


def test_column_widths_and_wrapped_text(sheet) -> None:
    assert {k: sheet.column_dimensions[k].width for k in "ABCDEF"} == {
        "A": 10,
        "B": 24,
        "C": 60,
        "D": 10,
        "E": 80,
        "F": 48,
    }
    assert all(cell.alignment.wrap_text for row in sheet.iter_rows(min_row=2) for cell in row)


def test_rows_hold_the_answers_and_review_rows_are_shaded(sheet, answers) -> None:
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    assert len(rows) == len(answers)
    encrypted = [c.value for c in rows["CRY-01"]]
    assert encrypted == [
        "CRY-01",
        "Cryptography",
        "Is customer data encrypted at rest?",
        "Yes",
        "Every data store holding confidential or restricted data (1) is encrypted at rest: AES-256-GCM, "
        "keys managed with AWS KMS.",
        "Product Security Document — Data protection",
    ]
    assert rows["CRY-01"][3].fill.fill_type is None
    review = rows["PRV-07"]
    assert review[3].value is None
    assert {c.fill.start_color.rgb for c in review} == {"FFFFF2CC"}


def test_workbook_is_dated_by_the_documents_not_the_clock(minimal, answers) -> None:
    data = library_xlsx(answers, minimal.document.effective_date)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {info.date_time for info in archive.infolist()} == {(2026, 1, 15, 0, 0, 0)}
    core = ElementTree.fromstring(archive.read("docProps/core.xml"))
    terms = "{http://purl.org/dc/terms/}"
    assert [core.findtext(f"{terms}{name}") for name in ("created", "modified")] == ["2026-01-15T00:00:00Z"] * 2


def test_two_writes_are_byte_identical(minimal, answers) -> None:
    first = library_xlsx(answers, minimal.document.effective_date)
    time.sleep(1.1)  # openpyxl would stamp a new second into the file if the save time leaked through
    assert library_xlsx(answer_library(minimal), minimal.document.effective_date) == first
    assert library_csv(answers) == library_csv(answer_library(minimal))


def test_csv_has_the_same_columns_and_rows(answers) -> None:
    data = library_csv(answers)
    assert data.startswith(b"\xef\xbb\xbfid,domain,question,answer,detail,evidence\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(COLUMNS)
    assert rows[1:] == [list(r) for r in library_rows(answers)]
    assert rows[1] == [
        "GOV-01",
        "Governance and policy",
        "Is a named executive accountable for information security?",
        "Yes",
        "Ada Lovelace, CISO, is accountable for information security.",
        "Product Security Document — Security organisation and governance",
    ]
    review = next(r for r in rows if r[0] == "PRV-07")
    assert review[3] == ""
