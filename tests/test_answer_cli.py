"""`trustdocs answer`: filling a customer's own questionnaire, keeping their workbook as it was.

Standard questionnaires (CAIQ, SIG, HECVAT) are in test_standard_questionnaires.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.styles import Font, PatternFill

from trustdocs.cli import main

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"
SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs" / "acme"
ADDED = ["Answer", "Detail"]
NAVY = "FF1F4E79"


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(main, ["answer", *map(str, args)], prog_name="trustdocs")


def their_workbook(path: Path) -> Path:
    """A customer questionnaire: a cover sheet, then a title block above a styled header row."""
    workbook = openpyxl.Workbook()
    cover = workbook.active
    cover.title = "Cover"
    cover["A1"] = "Initech vendor security assessment"
    cover["A1"].font = Font(size=16, bold=True)
    sheet = workbook.create_sheet("Security")
    sheet["A1"] = "Vendor Security Questionnaire v3"
    sheet.append([])
    sheet.append(["#", "Area", "Question", "Vendor response"])
    for cell in sheet[3]:
        cell.font = Font(bold=True, color="FFFFFFFF")
        cell.fill = PatternFill("solid", start_color=NAVY, end_color=NAVY)
    questions = [
        "Is customer data encrypted at rest?",
        "Do you support SAML SSO?",
        "What is your company's annual revenue?",
        "Access control",
        "Do you have a SOC 2 Type II report?",
    ]
    for number, question in enumerate(questions, start=1):
        sheet.append([number, "Security", question, None])
    sheet.column_dimensions["C"].width = 55
    workbook.save(path)
    return path


def test_fills_the_sheet_with_questions_and_keeps_the_rest(tmp_path: Path) -> None:
    theirs = their_workbook(tmp_path / "theirs.xlsx")
    out = tmp_path / "filled.xlsx"
    result = run(MINIMAL, theirs, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Customer questionnaire: 4 question(s) on 1 sheet(s) (Security): 2 answered, 0 flagged for review, "
        "2 unanswered.\n"
        "  Cryptography: 1 answered, 0 flagged, 0 unanswered\n"
        "  Access control: 1 answered, 0 flagged, 0 unanswered\n"
        "  Unmatched: 0 answered, 0 flagged, 1 unanswered\n"
        "  Compliance and certifications: 0 answered, 0 flagged, 1 unanswered\n"
        f"Wrote {tmp_path / 'filled.review.xlsx'} (vendor only: review flags and reasons)\n"
        f"Wrote {out}\n"
    )
    assert result.stderr == ""
    filled = openpyxl.load_workbook(out)
    assert filled.sheetnames == ["Cover", "Security"]
    assert filled["Cover"]["A1"].value == "Initech vendor security assessment"
    assert filled["Cover"]["A1"].font.sz == 16
    sheet = filled["Security"]
    assert sheet["A1"].value == "Vendor Security Questionnaire v3"
    assert [c.value for c in sheet[3]] == ["#", "Area", "Question", "Vendor response", *ADDED]
    # The added headers take the style of their own header row.
    assert {c.fill.start_color.rgb for c in sheet[3]} == {NAVY}
    assert all(c.font.b for c in sheet[3])
    assert sheet.column_dimensions["C"].width == 55
    assert sheet.column_dimensions["F"].width == 60


def test_answers_and_details_go_to_their_file_and_nothing_for_the_reviewer(tmp_path: Path) -> None:
    out = tmp_path / "filled.xlsx"
    run(MINIMAL, their_workbook(tmp_path / "theirs.xlsx"), "-o", out)
    rows = {r[2]: r[4:] for r in openpyxl.load_workbook(out)["Security"].iter_rows(min_row=4, values_only=True)}
    assert rows["Is customer data encrypted at rest?"] == (
        "Yes",
        "Every data store holding confidential or restricted data (1) is encrypted at rest: AES-256-GCM, "
        "keys managed with AWS KMS. Source: Product Security Document, section 5.2 Encryption at rest and key "
        "management.",
    )
    assert rows["Do you support SAML SSO?"][0] == "No"
    # Matched, but the model has no certifications: nothing in their file; the reason is in the review file.
    assert rows["Do you have a SOC 2 Type II report?"] == (None, None)
    assert rows["What is your company's annual revenue?"] == (None, None)
    # A section title in the question column is not a question.
    assert rows["Access control"] == (None, None)
    # No flag, shade or score of ours in their workbook.
    sheet = openpyxl.load_workbook(out)["Security"]
    assert {c.fill.fill_type for row in sheet.iter_rows(min_row=4, min_col=5) for c in row} == {None}


def test_the_review_file_holds_outcomes_reasons_matches_and_confidence(tmp_path: Path) -> None:
    run(MINIMAL, their_workbook(tmp_path / "theirs.xlsx"), "-o", tmp_path / "filled.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "filled.review.xlsx")["Review"]
    header = [c.value for c in sheet[1]]
    assert header == [
        "sheet",
        "row",
        "question id",
        "question",
        "outcome",
        "answer",
        "detail",
        "review reasons",
        "notes",
        "matched",
        "confidence",
        "domain",
        "citations",
        "cells written",
    ]
    rows = {r[3]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == [
        "Is customer data encrypted at rest?",
        "Do you support SAML SSO?",
        "What is your company's annual revenue?",
        "Do you have a SOC 2 Type II report?",
    ]
    encrypted = rows["Is customer data encrypted at rest?"]
    assert (encrypted["outcome"], encrypted["matched"], encrypted["confidence"]) == ("answered", "CRY-01", 1)
    assert encrypted["cells written"] == "E4, F4"
    soc2 = rows["Do you have a SOC 2 Type II report?"]
    assert (soc2["outcome"], soc2["answer"], soc2["matched"]) == ("unanswered", None, "CMP-01")
    # A flagged answer's detail stays empty; why it was not answered is a review reason.
    assert soc2["detail"] is None
    assert soc2["review reasons"] == "the model does not answer it: The model does not record this certification."
    assert soc2["citations"] == "Product Security Document, section 12 Compliance and certifications (minimal.yaml:85)"
    revenue = rows["What is your company's annual revenue?"]
    assert revenue["outcome"] == "unanswered" and revenue["confidence"] < 0.35
    assert revenue["review reasons"].endswith("is below the threshold")
    # Rows a person must look at are shaded there, not in their file.
    shaded = {r[3].value for r in sheet.iter_rows(min_row=2) if r[0].fill.fill_type == "solid"}
    assert shaded == {"What is your company's annual revenue?", "Do you have a SOC 2 Type II report?"}


def test_a_high_threshold_sends_everything_to_review(tmp_path: Path) -> None:
    out = tmp_path / "filled.xlsx"
    result = run(MINIMAL, their_workbook(tmp_path / "theirs.xlsx"), "-o", out, "--threshold", "1")
    assert result.stdout.splitlines()[0] == (
        "Customer questionnaire: 4 question(s) on 1 sheet(s) (Security): 1 answered, 0 flagged for review, "
        "3 unanswered."
    )
    # Only the exact wording of a bank question reaches confidence 1.


def test_csv_input_becomes_a_workbook_with_their_columns_first(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.csv"
    theirs.write_text(
        "Ref,Requirement question,Owner\nQ1,Is 2FA enforced for all users?,IT\nQ2,What is your RTO?,Ops\n",
        encoding="utf-8",
    )
    out = tmp_path / "filled.xlsx"
    result = run(MINIMAL, theirs, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Customer questionnaire: 2 question(s) on 1 sheet(s) (Questionnaire): 2 answered, 0 flagged for review, "
        "0 unanswered.\n"
    )
    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet[1]] == ["Ref", "Requirement question", "Owner", *ADDED]
    assert [c.value for c in sheet[2]][:5] == [
        "Q1",
        "Is 2FA enforced for all users?",
        "IT",
        "Yes",
        "MFA is available and can be enforced for every user of the "
        "product. Source: Product Security Document, section 6.1 Customer identity and access.",
    ]
    assert sheet[3][3].value == "Yes"
    assert sheet[3][4].value.startswith("Recovery time objective (RTO): 8 hours.")
    assert sheet.freeze_panes == "A2"


def test_csv_input_gives_identical_bytes_and_reads_windows_1252(tmp_path: Path, caplog) -> None:
    theirs = tmp_path / "theirs.csv"
    theirs.write_bytes("Question,Notes\nIs data encrypted at rest?,caf\xe9\n".encode("cp1252"))
    first = run(MINIMAL, theirs, "-o", tmp_path / "one.xlsx")
    run(MINIMAL, theirs, "-o", tmp_path / "two.xlsx")
    assert first.exit_code == 0
    assert [r.getMessage() for r in caplog.records] == [f"{theirs} is not UTF-8; read it as Windows-1252"] * 2
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()
    assert openpyxl.load_workbook(tmp_path / "one.xlsx").active["B2"].value == "caf\xe9"


def test_without_a_header_the_column_of_questions_is_found(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["A.1", "Do you encrypt data at rest?"], ["A.2", "Is there a formal incident response plan?"]):
        sheet.append(row)
    workbook.save(tmp_path / "bare.xlsx")
    out = tmp_path / "filled.xlsx"
    assert run(MINIMAL, tmp_path / "bare.xlsx", "-o", out).exit_code == 0
    values = [[c.value for c in row] for row in openpyxl.load_workbook(out).active.iter_rows()]
    assert [v[:3] for v in values] == [
        ["A.1", "Do you encrypt data at rest?", "Yes"],
        ["A.2", "Is there a formal incident response plan?", None],
    ]


def test_answer_columns_go_after_merged_cells(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Question", "Response", None, None])
    sheet.append(["Do you encrypt data at rest?", "See notes", None, None])
    sheet.merge_cells("B2:D2")
    workbook.save(tmp_path / "merged.xlsx")
    out = tmp_path / "filled.xlsx"
    assert run(MINIMAL, tmp_path / "merged.xlsx", "-o", out).exit_code == 0
    filled = openpyxl.load_workbook(out).active
    assert [c.value for c in filled[1]] == ["Question", "Response", None, None, *ADDED]
    assert filled["E2"].value == "Yes"
    assert [str(r) for r in filled.merged_cells.ranges] == ["B2:D2"]


def test_the_project_defaults_to_the_current_directory(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "trustdocs.yaml").write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    theirs = their_workbook(tmp_path / "theirs.xlsx")
    monkeypatch.chdir(tmp_path)
    result = run(theirs, "-o", "filled.xlsx")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("Wrote filled.xlsx\n")


def test_two_runs_give_identical_bytes(tmp_path: Path) -> None:
    theirs = their_workbook(tmp_path / "theirs.xlsx")
    run(MINIMAL, theirs, "-o", tmp_path / "one.xlsx")
    run(MINIMAL, theirs, "-o", tmp_path / "two.xlsx")
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()


def test_a_file_without_questions_is_an_error(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Name", "Amount"])
    workbook.active.append(["Widgets", 3])
    workbook.save(tmp_path / "sums.xlsx")
    result = run(MINIMAL, tmp_path / "sums.xlsx", "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'sums.xlsx'}: no question column found (looked for a header "
        f"containing 'question', then for a column of questions ending in '?')\n"
    )
    assert not (tmp_path / "out.xlsx").exists()


def test_other_file_types_and_broken_workbooks_are_errors(tmp_path: Path) -> None:
    (tmp_path / "theirs.docx").write_text("not a spreadsheet", encoding="utf-8")
    result = run(MINIMAL, tmp_path / "theirs.docx", "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'theirs.docx'}: expected an .xlsx, .xlsm or .csv file, found '.docx'\n"
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    broken = run(MINIMAL, tmp_path / "broken.xlsx", "-o", tmp_path / "out.xlsx")
    assert broken.exit_code == 1
    assert broken.stderr.startswith(f"Error: {tmp_path / 'broken.xlsx'}: could not read the workbook (")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{m}", "{t}", "{t}", "-o", "{o}"], "Error: expected [PROJECT] THEIR_FILE, got more than two paths"),
        (
            ["{m}", "{t}", "-o", "{dir}/out.ods"],
            "Error: Invalid value for '-o' / '--output': '{dir}/out.ods' must end in .xlsx or .csv",
        ),
        (
            ["{m}", "{t}", "-o", "{t}"],
            "Error: Invalid value for '-o' / '--output': must not be THEIR_FILE itself; "
            "their original is left untouched",
        ),
        (["{m}", "{t}"], "Error: Missing option '-o' / '--output'."),
        (
            ["{m}", "{t}", "-o", "{o}", "--threshold", "1.5"],
            "Error: Invalid value for '--threshold': 1.5 is not in the range 0<=x<=1.",
        ),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    theirs = their_workbook(tmp_path / "theirs.xlsx")
    values = {"m": MINIMAL, "t": theirs, "o": tmp_path / "out.xlsx", "dir": tmp_path}
    result = run(*[a.format(**values) for a in args])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message.format(**values)


def test_answer_has_help() -> None:
    result = CliRunner().invoke(main, ["answer", "--help"])
    assert result.exit_code == 0
    assert "Usage: main answer [OPTIONS] [PROJECT] THEIR_FILE" in result.output


@pytest.mark.parametrize(("audience", "counted"), [(None, "(5)"), ("nda", "(5)"), ("public", "(4)")])
def test_the_audience_decides_what_answers_may_draw_on(tmp_path: Path, audience: str | None, counted: str) -> None:
    # The sample's 2026 penetration-test letter is NDA-only: a public answer leaves it out of the count.
    theirs = tmp_path / "theirs.csv"
    theirs.write_text("Question\nPlease list all security certifications and audit reports.\n", encoding="utf-8")
    out = tmp_path / "filled.xlsx"
    result = run(SAMPLE, theirs, "-o", out, *(["--audience", audience] if audience else []))
    assert result.exit_code == 0, result.output
    row = next(openpyxl.load_workbook(out).active.iter_rows(min_row=2, values_only=True))
    assert row[:2] == ("Please list all security certifications and audit reports.", "Yes")
    assert row[2].startswith(f"Every certification and report {counted} covers a period")
