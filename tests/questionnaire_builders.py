"""Standard-shaped questionnaires built at test time: the published structure, our own made-up wording.

The CAIQ workbook has the layout of CSA's CAIQ v4 (an introduction sheet, the CAIQ sheet with its title
row and header row, the question ID and question columns, the three CSP answer columns and the CSC column,
list validations, formulas and defined names); the SIG Lite and HECVAT workbooks have their header titles
and question-ID patterns. None of the question wording is the standards' own.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

OWNERSHIP_VALUES = (
    "CSP-owned",
    "CSC-owned",
    "Third-party outsourced",
    "Shared CSP and CSC",
    "Shared CSP and 3rd-party",
)
HEADER_FILL = PatternFill("solid", start_color="FF1F3864", end_color="FF1F3864")
WHITE_BOLD = Font(bold=True, color="FFFFFFFF")

# (ID in v4.0.x, ID in v4.1, our own wording). The sample project answers the first ones; the last is
# one no model holds.
CAIQ_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("CEK-03.1", "CEK-03.1", "Is customer data encrypted at rest?"),
    ("IAM-14.1", "IAM-15.1", "Is multi-factor authentication enforced for all users?"),
    ("IAM-16.1", "IAM-17.1", "Does the service support single sign-on with the customer's identity provider?"),
    ("BCR-08.1", "BCR-09.1", "Is customer data backed up?"),
    ("SEF-02.1", "SEF-02.1", "Is there a documented security incident response plan?"),
    ("TVM-06.1", "TVM-07.1", "Are independent penetration tests performed on the service?"),
    ("HRS-01.1", "HRS-01.1", "Are background checks performed on new employees?"),
    ("GRC-05.1", "GRC-06.1", "What was the company's annual revenue last year?"),
)

SIG_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("A.1", "Risk Management", "Is customer data encrypted at rest?"),
    ("H.1", "Access Control", "Is multi-factor authentication enforced for all users?"),
    ("H.2", "Access Control", "Do you support SAML single sign-on?"),
    ("J.1", "Incident Management", "Is there a formal incident response plan?"),
    ("K.1", "Business Resilience", "What is your recovery time objective?"),
    ("P.1", "Privacy", "How many employees does the company have?"),
)

HECVAT_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("DATA-01", "Is customer data encrypted at rest?"),
    ("HLAP-01", "Do you support SAML single sign-on?"),
    ("APPL-01", "Are independent penetration tests performed on the application?"),
    ("GNRL-01", "How many students use your product today?"),
)


@dataclass(frozen=True)
class Built:
    path: Path
    answer_columns: dict[str, tuple[str, ...]]
    """Sheet title to the letters of the columns the filler may write."""
    first_row: dict[str, int]
    """Sheet title to the first row that holds a question."""


def caiq_workbook(path: Path, version: str = "4.0.3") -> Built:
    """A CAIQ-v4-shaped workbook: Introduction, the CAIQ sheet, a Lists sheet behind the ownership list."""
    renumbered = version.startswith("4.1")
    title = f"CONSENSUS ASSESSMENTS INITIATIVE QUESTIONNAIRE v{version}"
    sheet_name = f"CAIQv{version}"
    workbook = openpyxl.Workbook()
    intro = workbook.active
    intro.title = "Introduction"
    intro["A1"] = title
    intro["A1"].font = Font(size=16, bold=True)
    intro["A3"] = "This tab explains how to complete the questionnaire."  # our wording, not CSA's
    intro["A5"] = "Questions"
    intro["B5"] = f"=COUNTA('{sheet_name}'!A3:A200)"
    intro["A6"] = "Answered"
    intro["B6"] = f"=COUNTA('{sheet_name}'!C3:C200)"

    sheet = workbook.create_sheet(sheet_name)
    sheet["A1"] = title
    sheet.merge_cells("A1:I1")
    headers = [
        "Question ID",
        "Question",
        "CSP CAIQ Answer",
        "SSRM Control Ownership",
        "CSP Implementation Description\n(Optional/Recommended)",
        "CSC Responsibilities\n(Optional/Recommended)",
        "CCM Control ID",
        "CCM Control Title",
        "CCM Domain Title",
    ]
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(2, column, text)
        cell.font = WHITE_BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True)
    for row, (old_id, new_id, question) in enumerate(CAIQ_QUESTIONS, start=3):
        question_id = new_id if renumbered else old_id
        control = question_id.split(".")[0]
        sheet.cell(row, 1, question_id)
        sheet.cell(row, 2, question)
        sheet.cell(row, 6, "The customer configures this for its own users.")
        sheet.cell(row, 7, control)
        sheet.cell(row, 8, f"Made-up control title {control}")
        sheet.cell(row, 9, f'="Domain "&LEFT(G{row},3)')
    last = 2 + len(CAIQ_QUESTIONS)
    sheet.column_dimensions["B"].width = 70

    lists = workbook.create_sheet("Lists")
    for row, value in enumerate(OWNERSHIP_VALUES, start=1):
        lists.cell(row, 1, value)
    lists.sheet_state = "hidden"
    workbook.defined_names["OwnershipList"] = DefinedName("OwnershipList", attr_text="Lists!$A$1:$A$5")
    workbook.defined_names["CAIQAnswers"] = DefinedName("CAIQAnswers", attr_text=f"'{sheet_name}'!$C$3:$C${last}")

    answers = DataValidation(type="list", formula1='"Yes,No,NA"', allow_blank=True)
    answers.add(f"C3:C{last}")
    ownership = DataValidation(type="list", formula1="OwnershipList", allow_blank=True)
    ownership.add(f"D3:D{last}")
    sheet.add_data_validation(answers)
    sheet.add_data_validation(ownership)
    workbook.save(path)
    return Built(path, {sheet_name: ("C", "D", "E")}, {sheet_name: 3})


def sig_lite_workbook(path: Path, *, edition: str = "Lite", year: str = "2024") -> Built:
    """A SIG-shaped workbook: Business Information, then the questions sheet under a title and a header row."""
    workbook = openpyxl.Workbook()
    business = workbook.active
    business.title = "Business Information"
    business["A1"] = f"SIG {edition} {year}"
    business["A3"] = "Company name"
    business["A4"] = "Date completed"
    sheet = workbook.create_sheet(f"SIG {edition}")
    sheet["A1"] = f"Standardized Information Gathering questionnaire: {edition} {year}"
    sheet["A2"] = "Answer every question in the Response column."
    headers = ["Ques Num", "Question/Request", "Response", "Additional Information", "Risk Domain", "Scoring"]
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(4, column, text)
        cell.font = Font(bold=True)
    for row, (number, domain, question) in enumerate(SIG_QUESTIONS, start=5):
        sheet.cell(row, 1, number)
        sheet.cell(row, 2, question)
        sheet.cell(row, 5, domain)
        sheet.cell(row, 6, f'=IF(C{row}="Yes",1,0)')
    last = 4 + len(SIG_QUESTIONS)
    sheet.cell(last + 1, 5, "Score")
    sheet.cell(last + 1, 6, f"=SUM(F5:F{last})")
    responses = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
    responses.add(f"C5:C{last}")
    sheet.add_data_validation(responses)
    workbook.defined_names["SIGResponses"] = DefinedName("SIGResponses", attr_text=f"'SIG {edition}'!$C$5:$C${last}")
    workbook.save(path)
    return Built(path, {f"SIG {edition}": ("C", "D")}, {f"SIG {edition}": 5})


def hecvat_workbook(path: Path, *, edition: str = "Full", version: str = "2.11") -> Built:
    """A HECVAT-shaped workbook: one questions sheet for Lite and Full, two (Product, Infrastructure) for 3.x."""
    workbook = openpyxl.Workbook()
    start = workbook.active
    start.title = "START HERE"
    start["A1"] = f"HECVAT - {edition} v{version}" if edition else f"HECVAT {version}"
    if edition:
        parts = {f"HECVAT - {edition}": HECVAT_QUESTIONS}
    else:
        parts = {"Product": HECVAT_QUESTIONS[:2], "Infrastructure": HECVAT_QUESTIONS[2:]}
    for name, questions in parts.items():
        sheet = workbook.create_sheet(name)
        for column, text in enumerate(["ID", "Question", "Vendor Answers", "Additional Info", "Guidance"], start=1):
            sheet.cell(3, column, text).font = Font(bold=True)
        for row, (number, question) in enumerate(questions, start=4):
            sheet.cell(row, 1, number)
            sheet.cell(row, 2, question)
            sheet.cell(row, 5, "Made-up guidance.")
        last = 3 + len(questions)
        answers = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
        answers.add(f"C4:C{last}")
        sheet.add_data_validation(answers)
        sheet.row_dimensions[last + 1].hidden = True  # a hidden helper row, as standards have
    workbook.save(path)
    return Built(path, {name: ("C", "D") for name in parts}, {name: 4 for name in parts})


VBA_STAND_IN = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8
"""Bytes standing in for a VBA project: a compound-file signature then filler. Not real VBA (none can be made
here without Excel); what matters is that the part, its relationship and content type come back unchanged."""


def with_macros(workbook: Path, path: Path) -> Path:
    """`workbook` as an .xlsm: the vbaProject.bin part, its relationship and the macro-enabled content type."""
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                text = data.decode("utf-8")
                text = text.replace(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
                text = re.sub(
                    r"(<Types[^>]*>)",
                    r'\1<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
                    text,
                    count=1,
                )
                data = text.encode("utf-8")
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/office/2006/relationships/'
                    b'vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            target.writestr(item, data)
        target.writestr("xl/vbaProject.bin", VBA_STAND_IN)
    return path
