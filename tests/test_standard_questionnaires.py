"""Standard questionnaires (CAIQ, SIG, HECVAT) recognised by their structure and filled in place.

Each filled workbook is compared with the original cell by cell: every value, formula and style, every
validation list, merged block, defined name and sheet is as it was, and only the standard's answer
columns (or, in a customer's own questionnaire, the two added columns) were written, in values their
lists allow.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from tests.questionnaire_builders import (
    CAIQ_QUESTIONS,
    OWNERSHIP_VALUES,
    VBA_STAND_IN,
    Built,
    caiq_workbook,
    hecvat_workbook,
    sig_lite_workbook,
    with_macros,
)
from tests.test_answer_cli import their_workbook
from trustdocs.cli import main
from trustdocs.questionnaire.outcome import customer_detail
from trustdocs.questionnaire.respond import Citation, Response
from trustdocs.questionnaire.standard_fill import fill_standard
from trustdocs.questionnaire.standards import CAIQ, HECVAT, SIG, recognise, spelling

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs" / "acme"


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(main, ["answer", *map(str, args)], prog_name="trustdocs")


# Snapshots: everything of a workbook a filler must leave alone --------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    sheets: list[tuple[str, str]]
    names: dict[str, str]
    cells: dict[tuple[str, str], tuple[object, str, str]]
    """(sheet, cell) -> (value, data type, style description) for every cell holding a value or a style."""
    validations: dict[str, list[tuple[str, str, str | None]]]
    merged: dict[str, list[str]]
    widths: dict[tuple[str, str], float | None]
    rows: dict[tuple[str, int], tuple[float | None, bool]]
    """(sheet, row) -> (height, hidden): hiding or moving rows breaks a standard's macros."""
    panes: dict[str, str | None]


def _style(cell: Any) -> str:
    return repr((cell.font, cell.fill, cell.border, cell.alignment, cell.number_format, cell.protection))


def snapshot(path: Path) -> Snapshot:
    workbook = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
    cells = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None or cell.has_style:
                    cells[(sheet.title, cell.coordinate)] = (cell.value, cell.data_type, _style(cell))
    return Snapshot(
        sheets=[(s.title, s.sheet_state) for s in workbook.worksheets],
        names={name: d.attr_text for name, d in workbook.defined_names.items()},
        cells=cells,
        validations={
            s.title: sorted((str(v.sqref), v.type, v.formula1) for v in s.data_validations.dataValidation)
            for s in workbook.worksheets
        },
        merged={s.title: sorted(str(r) for r in s.merged_cells.ranges) for s in workbook.worksheets},
        widths={
            (s.title, letter): dimension.width
            for s in workbook.worksheets
            for letter, dimension in s.column_dimensions.items()
        },
        rows={
            (s.title, index): (dimension.height, bool(dimension.hidden))
            for s in workbook.worksheets
            for index, dimension in s.row_dimensions.items()
        },
        panes={s.title: s.freeze_panes for s in workbook.worksheets},
    )


def assert_only_answer_columns_written(original: Path, filled: Path, answer_columns: dict[str, tuple[str, ...]]):
    """Every original cell, style, list, name and sheet unchanged; what changed lies in the answer columns."""
    before, after = snapshot(original), snapshot(filled)
    assert after.sheets == before.sheets
    assert after.names == before.names
    assert after.validations == before.validations
    assert after.merged == before.merged
    for key, width in before.widths.items():
        assert after.widths.get(key) == width, key
    assert {k: v for k, v in after.rows.items() if v != (None, False)} == {
        k: v for k, v in before.rows.items() if v != (None, False)
    }
    assert after.panes == before.panes

    def writable(sheet: str, coordinate: str) -> bool:
        return coordinate.rstrip("0123456789") in answer_columns.get(sheet, ())

    for key, (value, data_type, style) in before.cells.items():
        if not writable(*key):
            assert after.cells.get(key) == (value, data_type, style), key
    changed = {key for key, now in after.cells.items() if before.cells.get(key, (None,))[0] != now[0]}
    assert changed, "nothing was written"
    assert all(writable(*key) for key in changed), sorted(k for k in changed if not writable(*k))
    return changed


def assert_written_values_are_in_their_lists(filled: Path, changed: set[tuple[str, str]]) -> None:
    workbook = openpyxl.load_workbook(filled, keep_vba=filled.suffix == ".xlsm")
    checked = 0
    for sheet_title, coordinate in changed:
        sheet = workbook[sheet_title]
        for validation in sheet.data_validations.dataValidation:
            if coordinate in validation.sqref:
                formula = validation.formula1
                if formula.startswith('"'):
                    allowed = formula.strip('"').split(",")
                else:
                    target = workbook.defined_names[formula].attr_text.split("!")
                    allowed = [c.value for row in workbook[target[0]][target[1].replace("$", "")] for c in row]
                assert sheet[coordinate].value in allowed, (coordinate, sheet[coordinate].value, allowed)
                checked += 1
    assert checked, "no written cell has a list"


# Recognition -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "label", "version_key", "sheets"),
    [
        (lambda p: caiq_workbook(p, "4.0.3"), "CSA CAIQ v4.0.3", "4.0.3", ["CAIQv4.0.3"]),
        (lambda p: caiq_workbook(p, "4.0.2"), "CSA CAIQ v4.0.2", "4.0.2", ["CAIQv4.0.2"]),
        (lambda p: caiq_workbook(p, "4.1"), "CSA CAIQ v4.1", "4.1", ["CAIQv4.1"]),
        (lambda p: sig_lite_workbook(p), "Shared Assessments SIG Lite 2024", "Lite 2024", ["SIG Lite"]),
        (
            lambda p: sig_lite_workbook(p, edition="Core", year="2023"),
            "Shared Assessments SIG Core 2023",
            "Core 2023",
            ["SIG Core"],
        ),
        (lambda p: hecvat_workbook(p), "HECVAT Full 2.11", "Full 2.11", ["HECVAT - Full"]),
        (
            lambda p: hecvat_workbook(p, edition="Lite", version="2.11"),
            "HECVAT Lite 2.11",
            "Lite 2.11",
            ["HECVAT - Lite"],
        ),
        (
            lambda p: hecvat_workbook(p, edition="", version="3.06"),
            "HECVAT 3.06",
            "3.06",
            ["Product", "Infrastructure"],
        ),
    ],
)
def test_each_standard_and_version_is_recognised_by_its_structure(
    tmp_path: Path, build: Any, label: str, version_key: str, sheets: list[str]
) -> None:
    built = build(tmp_path / "theirs.xlsx")
    recognised = recognise(openpyxl.load_workbook(built.path))
    assert recognised is not None
    assert (recognised.label, recognised.version_key) == (label, version_key)
    assert [s.title for s in recognised.sheets] == sheets


def test_caiq_layout_names_its_three_answer_columns(tmp_path: Path) -> None:
    recognised = recognise(openpyxl.load_workbook(caiq_workbook(tmp_path / "caiq.xlsx").path))
    assert recognised is not None and recognised.standard is CAIQ
    (layout,) = recognised.sheets
    assert (layout.header_row, layout.id_column, layout.question_column) == (2, 1, 2)
    assert dict(layout.columns) == {"answer": 3, "ownership": 4, "description": 5}


def test_a_caiq_that_shows_no_version_says_so(tmp_path: Path) -> None:
    built = caiq_workbook(tmp_path / "caiq.xlsx")
    workbook = openpyxl.load_workbook(built.path)
    workbook["Introduction"]["A1"] = "Questionnaire"
    sheet = workbook["CAIQv4.0.3"]
    sheet["A1"] = "Questionnaire"
    sheet.title = "Questions"
    recognised = recognise(workbook)
    assert recognised is not None
    assert (recognised.label, recognised.version_key) == ("CSA CAIQ (version not shown)", "")


def _customer_sheet(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        # Numbered like SIG, with a Response column, but no "Question/Request": a customer's own.
        (["#", "Question", "Response"], [["A.1", "Do you encrypt data at rest?", ""], ["A.2", "Is MFA on?", ""]]),
        # CAIQ-like IDs under a customer's own answer column.
        (["Question ID", "Question", "Answer"], [["IAM-01.1", "Is MFA on?", ""], ["IAM-02.1", "Is SSO on?", ""]]),
        # CAIQ's header, but no question IDs under it.
        (["Question ID", "Question", "CSP CAIQ Answer"], [["1", "Is MFA on?", ""], ["2", "Is SSO on?", ""]]),
        # HECVAT's answer column, with IDs of another shape.
        (["ID", "Question", "Vendor Answers"], [["Q-1", "Is MFA on?", ""], ["Q-2", "Is SSO on?", ""]]),
    ],
)
def test_a_customer_file_is_not_taken_for_a_standard(tmp_path: Path, header: list[str], rows: list[list[str]]) -> None:
    path = _customer_sheet(tmp_path / "theirs.xlsx", header, rows)
    assert recognise(openpyxl.load_workbook(path)) is None
    assert recognise(openpyxl.load_workbook(their_workbook(tmp_path / "own.xlsx"))) is None


def test_no_question_text_of_a_standard_ships_in_the_package() -> None:
    package = Path(__file__).resolve().parent.parent / "trustdocs"
    shipped = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*") if p.suffix in (".py", ".yaml"))
    # Two CAIQ v4.0.3 questions, as CSA words them: neither may be in the package.
    for published in (
        "Are audit and assurance policies, procedures, and standards established",
        "Are independent audit and assurance assessments conducted according to relevant standards",
    ):
        assert published not in shipped


# Filling in place ------------------------------------------------------------------------------------------


def _fill(tmp_path: Path, built: Built, suffix: str = ".xlsx") -> tuple[Path, Any]:
    out = tmp_path / f"filled{suffix}"
    result = run(SAMPLE, built.path, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # nothing of theirs lost, no formula calling out
    return out, result


@pytest.mark.parametrize(
    "build",
    [
        lambda p: caiq_workbook(p / "caiq.xlsx", "4.0.3"),
        lambda p: caiq_workbook(p / "caiq.xlsx", "4.1"),
        lambda p: sig_lite_workbook(p / "sig.xlsx"),
        lambda p: hecvat_workbook(p / "hecvat.xlsx"),
        lambda p: hecvat_workbook(p / "hecvat.xlsx", edition="", version="3.06"),
    ],
    ids=["caiq-4.0.3", "caiq-4.1", "sig-lite", "hecvat-full", "hecvat-3"],
)
def test_a_standard_is_filled_in_its_answer_columns_only(tmp_path: Path, build: Any) -> None:
    built = build(tmp_path)
    out, _ = _fill(tmp_path, built)
    changed = assert_only_answer_columns_written(built.path, out, built.answer_columns)
    assert_written_values_are_in_their_lists(out, changed)


def test_sig_lite_as_xlsm_keeps_its_macros(tmp_path: Path) -> None:
    built = sig_lite_workbook(tmp_path / "sig.xlsx")
    theirs = with_macros(built.path, tmp_path / "sig.xlsm")
    out, result = _fill(tmp_path, Built(theirs, built.answer_columns, built.first_row), ".xlsm")
    changed = assert_only_answer_columns_written(theirs, out, built.answer_columns)
    assert_written_values_are_in_their_lists(out, changed)
    with zipfile.ZipFile(out) as archive:
        assert archive.read("xl/vbaProject.bin") == VBA_STAND_IN
        assert b"application/vnd.ms-excel.sheet.macroEnabled.main+xml" in archive.read("[Content_Types].xml")
        assert b"relationships/vbaProject" in archive.read("xl/_rels/workbook.xml.rels")
    assert result.stdout.startswith("Shared Assessments SIG Lite 2024: 6 question(s) on 1 sheet(s) (SIG Lite): ")
    # The same inputs give the same bytes.
    again = tmp_path / "again.xlsm"
    assert run(SAMPLE, theirs, "-o", again).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


def test_the_customers_own_questionnaire_gets_only_the_two_added_columns(tmp_path: Path) -> None:
    theirs = their_workbook(tmp_path / "theirs.xlsx")
    out, _ = _fill(tmp_path, Built(theirs, {}, {}))
    assert_only_answer_columns_written(theirs, out, {"Security": ("E", "F")})


def test_caiq_answers_ownership_and_descriptions(tmp_path: Path) -> None:
    built = caiq_workbook(tmp_path / "caiq.xlsx")
    out, result = _fill(tmp_path, built)
    sheet = openpyxl.load_workbook(out)["CAIQv4.0.3"]
    rows = {r[0]: r[2:5] for r in sheet.iter_rows(min_row=3, max_col=5, values_only=True)}
    assert list(rows) == [old for old, _, _ in CAIQ_QUESTIONS]
    # The vendor's own controls are CSP-owned; what it offers the customer's users to configure is shared,
    # spelt as the column's validation list spells it.
    assert {question_id: row[:2] for question_id, row in rows.items()} == {
        "CEK-03.1": ("Yes", "CSP-owned"),
        "IAM-14.1": ("Yes", "Shared CSP and CSC"),
        "IAM-16.1": ("Yes", "Shared CSP and CSC"),
        "BCR-08.1": ("Yes", "CSP-owned"),
        "SEF-02.1": ("Yes", "CSP-owned"),
        "TVM-06.1": ("Yes", "CSP-owned"),
        "HRS-01.1": ("Yes", "CSP-owned"),
        "GRC-05.1": (None, None),
    }
    description = rows["CEK-03.1"][2]
    assert description.startswith("Every data store holding confidential or restricted data (7) is encrypted")
    assert description.endswith(
        " Source: Product Security Document, section 5.2 Encryption at rest and key management."
    )
    assert rows["GRC-05.1"] == (None, None, None)  # no model answers this: left for a person
    assert result.stdout.splitlines()[:3] == [
        "CSA CAIQ v4.0.3: 8 question(s) on 1 sheet(s) (CAIQv4.0.3): 7 answered, 0 flagged for review, 1 unanswered.",
        "  CEK (Cryptography, Encryption & Key Management): 1 answered, 0 flagged, 0 unanswered",
        "  IAM (Identity & Access Management): 2 answered, 0 flagged, 0 unanswered",
    ]
    assert "  GRC (Governance, Risk and Compliance): 0 answered, 0 flagged, 1 unanswered" in result.stdout


def test_nothing_for_the_reviewer_goes_into_their_file(tmp_path: Path) -> None:
    built = caiq_workbook(tmp_path / "caiq.xlsx")
    out, _ = _fill(tmp_path, built)
    review = openpyxl.load_workbook(tmp_path / "filled.review.xlsx")["Review"]
    matched = {r[9] for r in review.iter_rows(min_row=2, values_only=True) if r[9]}
    assert matched  # the review file names the bank questions matched...
    # (their own IDs may look like the bank's, "HRS-01.1" and "HRS-01": only what was written counts)
    changed = assert_only_answer_columns_written(built.path, out, built.answer_columns)
    sheet = openpyxl.load_workbook(out)["CAIQv4.0.3"]
    texts = [str(sheet[coordinate].value) for _, coordinate in changed]
    # ...their file does not, nor any reason, confidence or flag.
    for text in texts:
        assert not any(bank_id in text for bank_id in matched), text
        assert "review" not in text.lower() and "confidence" not in text.lower() and ".yaml" not in text


def test_the_review_file_and_json_summary_of_a_caiq(tmp_path: Path) -> None:
    built = caiq_workbook(tmp_path / "caiq.xlsx")
    out = tmp_path / "filled.xlsx"
    result = run(SAMPLE, built.path, "-o", out, "--review", tmp_path / "r.csv", "--summary", tmp_path / "s.json")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-3:] == [
        f"Wrote {tmp_path / 'r.csv'} (vendor only: review flags and reasons)",
        f"Wrote {tmp_path / 's.json'}",
        f"Wrote {out}",
    ]
    assert not (tmp_path / "filled.review.xlsx").exists()
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == (
        "sheet,row,question id,question,outcome,answer,detail,review reasons,notes,matched,confidence,domain,"
        "citations,cells written"
    )
    assert lines[1].startswith("CAIQv4.0.3,3,CEK-03.1,Is customer data encrypted at rest?,answered,Yes,")
    assert lines[1].endswith(
        ',CRY-01,1.0,CEK,"Product Security Document, section 5.2 Encryption at rest and key management '
        '(security/programme.yaml:68)","C3, D3, E3"'
    )
    assert "control ownership" not in lines[1]  # written: CSP-owned
    summary = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert summary["label"] == "CSA CAIQ v4.0.3"
    assert (summary["standard"], summary["version"], summary["edition"]) == ("caiq", "4.0.3", "")
    assert summary["totals"] == {"questions": 8, "answered": 7, "flagged": 0, "unanswered": 1}
    assert summary["domains"][0] == {"domain": "CEK", "questions": 1, "answered": 1, "flagged": 0, "unanswered": 0}
    assert [d["domain"] for d in summary["domains"]] == ["CEK", "IAM", "BCR", "SEF", "TVM", "HRS", "GRC"]


def test_an_answer_already_in_their_file_is_kept_and_a_different_one_flagged(tmp_path: Path) -> None:
    built = caiq_workbook(tmp_path / "caiq.xlsx")
    workbook = openpyxl.load_workbook(built.path)
    workbook["CAIQv4.0.3"]["C3"] = "No"  # the vendor's own answer to CEK-03.1
    workbook.save(built.path)
    out, result = _fill(tmp_path, built)
    assert openpyxl.load_workbook(out)["CAIQv4.0.3"]["C3"].value == "No"
    assert "7 answered" not in result.stdout and "1 flagged for review" in result.stdout.splitlines()[0]
    review = openpyxl.load_workbook(tmp_path / "filled.review.xlsx")["Review"]
    row = next(r for r in review.iter_rows(min_row=2, values_only=True) if r[2] == "CEK-03.1")
    assert (row[4], row[5]) == ("flagged", "No")
    assert row[7] == "answer kept as it was: 'No'; the model says 'Yes'"


# Values in the standard's spelling and in what the lists allow --------------------------------------------


def test_values_are_spelt_as_each_standard_and_list_spells_them() -> None:
    assert spelling(CAIQ.values["N/A"], ("Yes", "No", "NA")) == "NA"
    assert spelling(CAIQ.values["N/A"], None) == "NA"
    assert spelling(SIG.values["N/A"], ("Yes", "No", "N/A")) == "N/A"
    assert spelling(HECVAT.values["N/A"], None) == "N/A"
    assert spelling(CAIQ.ownership["Shared"], OWNERSHIP_VALUES) == "Shared CSP and CSC"
    assert spelling(CAIQ.ownership["Shared"], ("CSP-owned", "Shared (CSP and CSC)")) == "Shared (CSP and CSC)"
    assert spelling(CAIQ.values["N/A"], ("Yes", "No")) is None


class _Fixed:
    """A responder that gives every question the same response (the filler's side only is under test)."""

    def __init__(self, response: Response) -> None:
        self.response = response
        self.asked: list[tuple[str, dict[str, Any]]] = []

    def respond(self, text: str, **where: Any) -> Response:
        self.asked.append((text, where))
        return self.response


OWN_ENTRIES = """\
    - ids: ["CAIQ:TVM-06.1"]
      answer: "Yes"
      detail: An independent firm tests the service every year.
      owner: Priya Raman
      review_by: 2099-01-31
    - ids: [GRC-05.1]
      answer: "Yes"
      detail: Customers review their own users' access with the access report in the admin console.
      owner: Priya Raman
      review_by: 2099-01-31
      ownership: CSC-owned
"""


def test_caiq_ownership_from_the_library_or_left_blank_and_noted(tmp_path: Path) -> None:
    project = tmp_path / "acme"
    shutil.copytree(SAMPLE, project)
    answers = project / "questionnaire" / "answers.yaml"
    answers.write_text(answers.read_text(encoding="utf-8") + OWN_ENTRIES, encoding="utf-8")
    built = caiq_workbook(tmp_path / "caiq.xlsx")
    workbook = openpyxl.load_workbook(built.path)
    workbook["CAIQv4.0.3"]["B10"] = "Do customers review their own users' access to the service?"
    workbook.save(built.path)
    out = tmp_path / "filled.xlsx"
    result = run(project, built.path, "-o", out)
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["CAIQv4.0.3"]
    rows = {r[0]: r[2:4] for r in sheet.iter_rows(min_row=3, max_col=4, values_only=True)}
    # An entry found by a standard's id says nothing of ownership unless it is written: the column stays empty.
    assert rows["TVM-06.1"] == ("Yes", None)
    assert rows["GRC-05.1"] == ("Yes", "CSC-owned")
    assert rows["CEK-03.1"] == ("Yes", "CSP-owned")
    review = openpyxl.load_workbook(tmp_path / "filled.review.xlsx")["Review"]
    notes = {r[2]: r[8] for r in review.iter_rows(min_row=2, values_only=True)}
    assert notes["TVM-06.1"] == "control ownership left blank: the answer does not say who owns the control"
    assert notes["GRC-05.1"] is None and notes["CEK-03.1"] is None
    assert_only_answer_columns_written(built.path, out, built.answer_columns)


def test_na_and_shared_ownership_are_written_in_the_lists_spelling(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(caiq_workbook(tmp_path / "caiq.xlsx").path)
    recognised = recognise(workbook)
    assert recognised is not None
    citation = Citation("Product Security Document", "4.2 Encryption", "security/programme.yaml:12")
    responder = _Fixed(Response("N/A", "Not offered.", "Shared", (citation,), needs_review=False))
    filled = fill_standard(workbook, recognised, responder)  # type: ignore[arg-type]
    sheet = workbook["CAIQv4.0.3"]
    assert [sheet.cell(3, c).value for c in (3, 4, 5)] == [
        "NA",
        "Shared CSP and CSC",
        "Not offered. Source: Product Security Document, section 4.2 Encryption.",
    ]
    assert {q.outcome for q in filled} == {"answered"}
    assert responder.asked[0] == (
        CAIQ_QUESTIONS[0][2],
        {"standard": "caiq", "version": "4.0.3", "question_id": "CEK-03.1"},
    )


def test_a_value_the_list_refuses_is_not_written_and_is_flagged(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(caiq_workbook(tmp_path / "caiq.xlsx").path)
    sheet = workbook["CAIQv4.0.3"]
    sheet.data_validations.dataValidation[0].formula1 = '"Yes,No"'  # a customer's copy without NA
    recognised = recognise(workbook)
    assert recognised is not None
    filled = fill_standard(workbook, recognised, _Fixed(Response("N/A", "Not offered.", needs_review=False)))  # type: ignore[arg-type]
    assert sheet["C3"].value is None and sheet["E3"].value is None
    assert filled[0].outcome == "unanswered"
    assert filled[0].reasons == ("answer 'N/A' not written: the cell's validation list allows only Yes, No",)


def test_the_customer_reads_the_document_and_section_never_the_yaml() -> None:
    response = Response(
        "Yes",
        "Encrypted with AES-256.",
        citations=(
            Citation("Product Security Document", "4.2 Encryption", "security/programme.yaml:40"),
            Citation("Product Security Document", "4.2 Encryption", "security/programme.yaml:41"),
            Citation("Service Level Addendum", ""),
        ),
    )
    assert customer_detail(response) == (
        "Encrypted with AES-256. Source: Product Security Document, section 4.2 Encryption; Service Level Addendum."
    )


# Errors ----------------------------------------------------------------------------------------------------


def test_an_xlsm_must_be_written_as_xlsm(tmp_path: Path) -> None:
    built = sig_lite_workbook(tmp_path / "sig.xlsx")
    theirs = with_macros(built.path, tmp_path / "sig.xlsm")
    result = run(SAMPLE, theirs, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '-o' / '--output': '{tmp_path / 'out.xlsx'}' must end in .xlsm, as "
        "THEIR_FILE does: its macros are kept"
    )
    assert not (tmp_path / "out.xlsx").exists()


def test_a_standard_cannot_be_written_as_csv(tmp_path: Path) -> None:
    built = caiq_workbook(tmp_path / "caiq.xlsx")
    result = run(SAMPLE, built.path, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {built.path}: CSA CAIQ v4.0.3 is filled in place, in its own workbook; write .xlsx instead of .csv\n"
    )
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "out.review.xlsx").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--review", "{t}"], "Error: Invalid value for '--review': must differ from THEIR_FILE and from the output"),
        (["--review", "{d}/r.ods"], "Error: Invalid value for '--review': '{d}/r.ods' must end in .xlsx or .csv"),
        (
            ["--summary", "{d}/s.txt"],
            "Error: Invalid value for '--summary': '{d}/s.txt' must end in .json and differ from the other files",
        ),
    ],
)
def test_review_and_summary_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    built = caiq_workbook(tmp_path / "caiq.xlsx")
    values = {"t": built.path, "d": tmp_path}
    result = run(SAMPLE, built.path, "-o", tmp_path / "out.xlsx", *[a.format(**values) for a in args])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message.format(**values)


def test_answer_help_names_the_standards_and_the_review_file() -> None:
    result = CliRunner().invoke(main, ["answer", "--help"], terminal_width=200)
    assert result.exit_code == 0
    for text in ("CAIQ v4.0.x and v4.1", "SIG Lite and Core", "HECVAT", "--review", "--summary"):
        assert text in result.output


def test_every_built_question_row_is_answered_or_left_for_review(tmp_path: Path) -> None:
    built = sig_lite_workbook(tmp_path / "sig.xlsx")
    out, result = _fill(tmp_path, built)
    sheet = openpyxl.load_workbook(out)["SIG Lite"]
    answers = {sheet.cell(r, 1).value: sheet.cell(r, 3).value for r in range(5, 11)}
    assert answers == {"A.1": "Yes", "H.1": "Yes", "H.2": "Yes", "J.1": "Yes", "K.1": "Yes", "P.1": None}
    assert result.stdout.splitlines()[0] == (
        "Shared Assessments SIG Lite 2024: 6 question(s) on 1 sheet(s) (SIG Lite): 5 answered, "
        "0 flagged for review, 1 unanswered."
    )
    # Their score formula is still theirs.
    assert sheet["F11"].value == "=SUM(F5:F10)"
    assert get_column_letter(3) == "C"


def test_what_openpyxl_cannot_keep_is_a_warning(tmp_path: Path) -> None:
    built = caiq_workbook(tmp_path / "plain.xlsx")
    theirs = tmp_path / "caiq.xlsx"
    extension = (
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b'<x14:dataValidations count="0"/></ext></extLst></worksheet>'
    )
    with zipfile.ZipFile(built.path) as source, zipfile.ZipFile(theirs, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</worksheet>", extension)
            target.writestr(item, data)
    result = run(SAMPLE, theirs, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"{theirs}: warning: Data Validation extension is not supported and will be removed (so said openpyxl, "
        "reading it); the filled copy lacks it\n"
    )


def test_a_partial_answer_is_written_and_flagged_with_its_reason(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(sig_lite_workbook(tmp_path / "sig.xlsx").path)
    recognised = recognise(workbook)
    assert recognised is not None
    response = Response(
        "Yes",
        "Recovery time objective (RTO): 8 hours.",
        needs_review=True,
        review_reasons=("the recovery point objective (RPO) is not in the model",),
        question_id="BCR-01",
        confidence=0.9,
    )
    filled = fill_standard(workbook, recognised, _Fixed(response))  # type: ignore[arg-type]
    sheet = workbook["SIG Lite"]
    assert (sheet["C5"].value, sheet["D5"].value) == ("Yes", "Recovery time objective (RTO): 8 hours.")
    assert filled[0].outcome == "flagged"
    assert filled[0].reasons == ("the recovery point objective (RPO) is not in the model",)
    assert filled[0].written == (("C5", "Yes"), ("D5", "Recovery time objective (RTO): 8 hours."))
    assert [q.domain for q in filled] == ["A", "H", "H", "J", "K", "P"]


def test_na_goes_into_sig_as_n_slash_a_and_a_list_of_cells_on_the_same_sheet_is_read(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(sig_lite_workbook(tmp_path / "sig.xlsx").path)
    sheet = workbook["SIG Lite"]
    for row, value in enumerate(("Yes", "No", "N/A"), start=1):
        sheet.cell(row, 10, value)
    sheet.data_validations.dataValidation[0].formula1 = "$J$1:$J$3"
    recognised = recognise(workbook)
    assert recognised is not None
    fill_standard(workbook, recognised, _Fixed(Response("N/A", "Not offered.", needs_review=False)))  # type: ignore[arg-type]
    assert [sheet.cell(r, 3).value for r in range(5, 11)] == ["N/A"] * 6


def test_parts_of_theirs_that_openpyxl_drops_are_named_in_a_warning(tmp_path: Path) -> None:
    built = caiq_workbook(tmp_path / "plain.xlsx")
    theirs = tmp_path / "caiq.xlsx"
    with zipfile.ZipFile(built.path) as source, zipfile.ZipFile(theirs, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("customXml/item1.xml", "<note>kept by Excel, not by openpyxl</note>")
    result = run(SAMPLE, theirs, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"{theirs}: warning: the filled copy lacks 1 part(s) of theirs that openpyxl does not keep: "
        "customXml/item1.xml\n"
    )


def test_the_filled_copy_review_and_summary_are_written_together_or_not_at_all(tmp_path: Path) -> None:
    built = caiq_workbook(tmp_path / "caiq.xlsx")
    (tmp_path / "blocked").write_text("a file where the summary's folder would be", encoding="utf-8")
    out = tmp_path / "filled.xlsx"
    result = run(SAMPLE, built.path, "-o", out, "--summary", tmp_path / "blocked" / "s.json")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: could not write {tmp_path / 'blocked' / 's.json'}: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked", "caiq.xlsx"]
