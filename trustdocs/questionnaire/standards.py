"""Standard questionnaires recognised by their structure: CSA CAIQ v4, Shared Assessments SIG, HECVAT.

Each standard is described, not shipped: the titles of its header row, the pattern of its question IDs,
which columns take the answers, the values they allow and the names that tell its editions and versions
apart. No question text of any standard is in the package (SIG's is licensed; all of them change between
versions); recognition reads only the workbook's own structure. A workbook none of them describes is
filled as the customer's own questionnaire.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from trustdocs.model.questionnaire import Ownership
from trustdocs.questionnaire.derive import AnswerValue
from trustdocs.questionnaire.limits import MAX_CELL_CHARS

Role = Literal["answer", "ownership", "description"]
"""The columns a standard lets the vendor write: the answer, who owns the control, and the free text."""

HEADER_SCAN_ROWS = 30
"""How far down a sheet its header row may be (standards put a title block and instructions above it)."""
MIN_QUESTIONS = 2
"""Question IDs a sheet needs under its header to be taken for the standard."""
_VERSION_SCAN_ROWS = 6


@dataclass(frozen=True)
class AnswerColumn:
    role: Role
    titles: tuple[str, ...]
    """Header texts naming the column, compared as `header_key` gives them (case, spaces and "(...)" ignored)."""


@dataclass(frozen=True)
class Edition:
    """One edition of a standard (SIG Lite, HECVAT Full), told by its sheet names or title cells."""

    name: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Standard:
    key: str
    """What `Responder.respond` gets as `standard`: "caiq", "sig", "hecvat"."""
    name: str
    question_titles: tuple[str, ...]
    """Header of the question column."""
    question_id: re.Pattern[str]
    """A question ID, matched in full; its group "domain" is the standard's own domain code."""
    columns: tuple[AnswerColumn, ...]
    """The answer columns; the "answer" one must be in the header row for the sheet to be recognised."""
    values: Mapping[AnswerValue, tuple[str, ...]]
    """How an answer value is spelt in the standard, preferred spelling first (CAIQ says "NA", SIG "N/A")."""
    version: re.Pattern[str]
    """Finds the version in sheet names and title cells; group 1 is the version."""
    ownership: Mapping[Ownership, tuple[str, ...]] = field(default_factory=dict)
    editions: tuple[Edition, ...] = ()
    domains: Mapping[str, str] = field(default_factory=dict)
    """Domain code to the standard's domain title, where the standard publishes short titles."""

    def column(self, role: Role) -> AnswerColumn | None:
        return next((c for c in self.columns if c.role == role), None)

    def domain_of(self, question_id: str) -> str:
        """The standard's own domain code of `question_id` ("IAM" for "IAM-14.1"), or "" when it has none."""
        found = self.question_id.fullmatch(question_id)
        return found.group("domain") if found else ""


CAIQ = Standard(
    key="caiq",
    name="CSA CAIQ",
    question_titles=("question", "assessment question"),
    question_id=re.compile(r"(?P<domain>[A-Z][A-Z&]{1,3})-\d{2}\.\d{1,2}"),
    columns=(
        AnswerColumn("answer", ("csp caiq answer",)),
        AnswerColumn("ownership", ("ssrm control ownership",)),
        AnswerColumn("description", ("csp implementation description",)),
    ),
    values={"Yes": ("Yes",), "No": ("No",), "N/A": ("NA", "N/A")},
    ownership={
        "CSP-owned": ("CSP-owned", "CSP owned"),
        "CSC-owned": ("CSC-owned", "CSC owned"),
        "Shared": ("Shared CSP and CSC", "Shared (CSP and CSC)", "Shared"),
    },
    version=re.compile(r"(?:CAIQ|QUESTIONNAIRE)\s*v?\s*(4\.\d+(?:\.\d+)?)", re.IGNORECASE),
    domains={
        "A&A": "Audit & Assurance",
        "AIS": "Application & Interface Security",
        "BCR": "Business Continuity Management and Operational Resilience",
        "CCC": "Change Control and Configuration Management",
        "CEK": "Cryptography, Encryption & Key Management",
        "DCS": "Datacenter Security",
        "DSP": "Data Security and Privacy Lifecycle Management",
        "GRC": "Governance, Risk and Compliance",
        "HRS": "Human Resources",
        "IAM": "Identity & Access Management",
        "IPY": "Interoperability & Portability",
        "IVS": "Infrastructure & Virtualization Security",
        "LOG": "Logging and Monitoring",
        "SEF": "Security Incident Management, E-Discovery, & Cloud Forensics",
        "STA": "Supply Chain Management, Transparency, and Accountability",
        "TVM": "Threat & Vulnerability Management",
        "UEM": "Universal Endpoint Management",
    },
)

SIG = Standard(
    key="sig",
    name="Shared Assessments SIG",
    # Not a bare "Question": a customer's own sheet of "A.1"-numbered questions with a Response column is no SIG.
    question_titles=("question/request", "question / request"),
    question_id=re.compile(r"(?P<domain>[A-Z]{1,3})\.\d{1,3}(?:\.\d{1,3})*"),
    columns=(
        AnswerColumn("answer", ("response",)),
        AnswerColumn("description", ("additional information", "additional info", "comments")),
    ),
    values={"Yes": ("Yes",), "No": ("No",), "N/A": ("N/A", "NA")},
    version=re.compile(r"SIG\s*(?:Lite|Core)?\s*(20\d\d)", re.IGNORECASE),
    editions=(
        Edition("Lite", re.compile(r"\bLite\b", re.IGNORECASE)),
        Edition("Core", re.compile(r"\b(?:Core|Full)\b", re.IGNORECASE)),
    ),
)

HECVAT = Standard(
    key="hecvat",
    name="HECVAT",
    question_titles=("question", "questions"),
    question_id=re.compile(r"(?P<domain>[A-Z]{4})-\d{2,3}"),
    columns=(
        AnswerColumn("answer", ("vendor answers", "vendor answer")),
        AnswerColumn("description", ("additional info", "additional information")),
    ),
    values={"Yes": ("Yes",), "No": ("No",), "N/A": ("N/A", "NA")},
    version=re.compile(r"HECVAT\s*(?:-\s*)?(?:Lite|Full|On-Premise)?\s*(?:v|version)?\s*(\d\.\d{1,2})", re.IGNORECASE),
    editions=(
        Edition("Lite", re.compile(r"\bLite\b", re.IGNORECASE)),
        Edition("Full", re.compile(r"\bFull\b", re.IGNORECASE)),
        Edition("On-Premise", re.compile(r"\bOn-Premise\b", re.IGNORECASE)),
    ),
)

STANDARDS: tuple[Standard, ...] = (CAIQ, SIG, HECVAT)


@dataclass(frozen=True)
class StandardSheet:
    """Where one sheet of a recognised standard keeps its questions and answers (1-based rows and columns)."""

    title: str
    header_row: int
    id_column: int
    question_column: int
    columns: Mapping[Role, int]

    @property
    def answer_columns(self) -> tuple[int, ...]:
        return tuple(sorted(self.columns.values()))


@dataclass(frozen=True)
class Recognised:
    standard: Standard
    edition: str
    """"Lite", "Core", "Full"... or "" for a standard (or version) with one edition."""
    version: str
    """As the workbook shows it ("4.0.3", "4.1", "2024", "3.06"), or "" when it shows none."""
    sheets: tuple[StandardSheet, ...]

    @property
    def label(self) -> str:
        """ "CSA CAIQ v4.0.3", "Shared Assessments SIG Lite 2024", "HECVAT Full 2.11"."""
        version = f"v{self.version}" if self.version and self.standard is CAIQ else self.version
        words = [self.standard.name, self.edition, version or "(version not shown)"]
        return " ".join(w for w in words if w)

    @property
    def version_key(self) -> str:
        """The version `Responder.respond` gets: the edition and version together ("Lite 2024", "4.0.3")."""
        return " ".join(w for w in (self.edition, self.version) if w)


_LEADING_ID = re.compile(
    r"^\s*(?P<id>[A-Z][A-Z&]{1,3}-\d{2}(?:\.\d{1,2})?|[A-Z]{4}-\d{2,3}|[A-Z]{1,3}(?:\.\d{1,3})+|"
    r"[Qq]?\d{1,3}(?:\.\d{1,3})*)(?![\w-])\s*[:.)\]\u2013-]\s+(?=\S)"
)
"""A CAIQ id ("A&A-06", "IAM-14.1"), a HECVAT one ("APPL-01"), a SIG one ("A.1.2") or a number ("3.1",
"Q12"); not a name with a figure ("AES-256", "SHA-1", "TLS-1.2")."""


def split_leading_id(text: str) -> tuple[str, str]:
    """A question's own number written before it in the same cell ("AIS-04: Is ...?", "3.1) Do you ...?")
    and the question without it; ("", text) when it has none."""
    found = _LEADING_ID.match(text)
    if found is None:
        return "", text
    return found["id"], text[found.end() :]


def header_key(text: str) -> str:
    """A header cell as compared with a standard's titles: lower case, "(Optional/Recommended)" and spaces gone."""
    without = re.sub(r"\([^)]*\)", " ", text)
    return " ".join(without.lower().replace("\n", " ").split()).strip(" :*")


def _text(value: object) -> str:
    if not isinstance(value, str) or len(value) > MAX_CELL_CHARS or value.startswith("="):
        return ""
    return value.strip()


def recognise(workbook: Workbook) -> Recognised | None:
    """The standard whose structure the workbook has, with its edition, version and sheets; None for any other."""
    for standard in STANDARDS:
        sheets = tuple(found for sheet in workbook.worksheets if (found := recognise_sheet(standard, sheet)))
        if sheets:
            texts = list(_title_texts(workbook))
            return Recognised(standard, _edition(standard, texts), _version(standard, texts), sheets)
    return None


def recognise_sheet(standard: Standard, sheet: Worksheet) -> StandardSheet | None:
    """The sheet's layout if a header row has the standard's question and answer titles over its question IDs."""
    answer = standard.column("answer")
    if answer is None:
        return None
    for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, HEADER_SCAN_ROWS)):
        keys = {cell.column: header_key(_text(cell.value)) for cell in row if _text(cell.value)}
        columns: dict[Role, int] = {}
        for column in standard.columns:
            found = next((index for index, key in keys.items() if key in column.titles), None)
            if found is not None:
                columns[column.role] = found
        question = next((index for index, key in keys.items() if key in standard.question_titles), None)
        if "answer" not in columns or question is None:
            continue
        header_row = row[0].row
        id_column = _id_column(standard, sheet, header_row, exclude={question, *columns.values()})
        if id_column is not None:
            return StandardSheet(sheet.title, header_row, id_column, question, columns)
    return None


def _id_column(standard: Standard, sheet: Worksheet, header_row: int, exclude: set[int]) -> int | None:
    """The column under the header holding the most question IDs, if it holds at least MIN_QUESTIONS."""
    counts: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            if cell.column not in exclude and standard.question_id.fullmatch(_text(cell.value)):
                counts[cell.column] = counts.get(cell.column, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda column: (counts[column], -column))
    return best if counts[best] >= MIN_QUESTIONS else None


def question_ids(standard: Standard, sheet: Worksheet, layout: StandardSheet) -> Iterator[tuple[int, str]]:
    """(row, question ID) for every row under the header whose ID cell holds one of the standard's IDs."""
    for row in range(layout.header_row + 1, sheet.max_row + 1):
        text = _text(sheet.cell(row, layout.id_column).value)
        if standard.question_id.fullmatch(text):
            yield row, text


def _title_texts(workbook: Workbook) -> Iterator[str]:
    """Where a workbook shows its edition and version: sheet names, then the texts of each sheet's first rows."""
    yield from workbook.sheetnames
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, _VERSION_SCAN_ROWS)):
            for cell in row:
                if text := _text(cell.value):
                    yield text


def _version(standard: Standard, texts: list[str]) -> str:
    return next((found.group(1) for text in texts if (found := standard.version.search(text))), "")


def _edition(standard: Standard, texts: list[str]) -> str:
    names = [text for text in texts if re.search(rf"\b{re.escape(standard.key)}", text, re.IGNORECASE)] or texts
    for text in names:
        for edition in standard.editions:
            if edition.pattern.search(text):
                return edition.name
    return ""


def spelling(choices: tuple[str, ...], allowed: tuple[str, ...] | None) -> str | None:
    """The first of `choices` that `allowed` (a validation list) permits, in the list's own spelling.

    Without a list, the first choice: the standard's own spelling. Spellings compare by letters and digits
    only, so "Shared (CSP and CSC)" in the list matches the choice "Shared CSP and CSC".
    """
    if allowed is None:
        return choices[0] if choices else None
    by_key = {_spelling_key(value): value for value in allowed}
    return next((by_key[key] for choice in choices if (key := _spelling_key(choice)) in by_key), None)


def _spelling_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())
