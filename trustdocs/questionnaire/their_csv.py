"""Reading a customer's CSV questionnaire: its encoding and separator found, every cell checked before use.

Excel saves "CSV UTF-8" (with a byte-order mark), plain "CSV" in the Windows code page, and "Unicode Text":
tab-separated UTF-16LE with a byte-order mark. All three are read. A cell a spreadsheet cannot hold (a
control character, more than 32,767 characters) and a file past the limits are located errors.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from trustdocs.errors import InputError, Problem, TrustdocsError
from trustdocs.model.base import Location
from trustdocs.questionnaire.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_PROBLEMS, MAX_ROWS

logger = logging.getLogger(__name__)

SEPARATORS = (",", "\t", ";")
"""Comma, tab (Excel's "Unicode Text") and semicolon (Excel where the decimal mark is a comma)."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NOT_IN_A_CELL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""What a spreadsheet cell cannot hold: C0 controls but tab, LF and CR; XML's non-characters; lone surrogates."""


def read_their_csv(path: Path) -> list[list[str]]:
    """The rows of the CSV at `path`; InputError listing every cell that cannot go into a workbook."""
    raw = read_capped(path)
    if raw.startswith(b"PK\x03\x04"):
        raise TrustdocsError(
            f"{path}: this is a zip file, such as an .xlsx workbook, not CSV text; give it its own extension"
        )
    text = _decode(path, raw)
    text, separator = _separator(text)
    problems: list[Problem] = []
    rows: list[list[str]] = []
    with _field_limit(MAX_FILE_BYTES):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        try:
            for number, row in enumerate(reader, start=1):
                if number > MAX_ROWS:
                    problems.append(
                        _at(
                            path,
                            number,
                            1,
                            f"more than {MAX_ROWS:,} rows; a questionnaire may have at most {MAX_ROWS:,}",
                        )
                    )
                    break
                problems += _row_problems(path, number, row)
                rows.append(row[:MAX_COLUMNS])
        except csv.Error as error:
            problems.append(_at(path, reader.line_num, 1, f"not readable as CSV ({error})"))
    if problems:
        raise InputError(_capped(problems))
    return rows


def _separator(text: str) -> tuple[str, str]:
    """The text without Excel's `sep=;` line, if it has one, and the separator it names or its lines show.

    Without that line, the first line holding any separator decides (a title line above the header holds
    none), by the separator it holds most of; ties go to the comma.
    """
    first, _, rest = text.partition("\n")
    hint = re.fullmatch(r"sep=([,;\t|])\r?", first)
    if hint:
        return rest, hint.group(1)
    for line in text.split("\n", 50)[:50]:
        if any(separator in line for separator in SEPARATORS):
            return text, max(SEPARATORS, key=line.count)
    return text, SEPARATORS[0]


def read_capped(path: Path) -> bytes:
    """The bytes of the regular file at `path`, refused past MAX_FILE_BYTES however its size is reported."""
    if not path.is_file():
        raise TrustdocsError(f"{path}: not a regular file")
    with path.open("rb") as stream:
        raw = stream.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise TrustdocsError(
            f"{path}: the file is larger than {MAX_FILE_BYTES:,} bytes, the most a questionnaire may be"
        )
    return raw


def _decode(path: Path, raw: bytes) -> str:
    marked = next((name for bom, name in _BOMS if raw.startswith(bom)), None)
    encoding = marked or _utf16_without_bom(raw)
    try:
        return raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as error:
        if encoding is not None and encoding != "utf-8-sig":
            before = raw[: error.start].decode(encoding, errors="replace")
            line = before.count("\n") + 1
            column = len(before) - (before.rfind("\n") + 1) + 1
            why = "though the file starts with its byte-order mark" if marked else "as its NUL bytes suggest"
            name = encoding.upper().removesuffix("-LE").removesuffix("-BE")
            raise InputError([_at(path, line, column, f"not valid {name} text, {why}")]) from None
    # Excel on Windows saves "CSV" in the Windows code page unless asked for UTF-8.
    logger.warning("%s is not UTF-8; read it as Windows-1252", path)
    return raw.decode("cp1252", errors="replace")


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 saved without its byte-order mark: text in Latin script has a NUL in every other byte."""
    sample = raw[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > len(sample) // 4 and even == 0:
        return "utf-16-le"
    if even > len(sample) // 4 and odd == 0:
        return "utf-16-be"
    return None


def _row_problems(path: Path, number: int, row: list[str]) -> list[Problem]:
    problems = []
    if len(row) > MAX_COLUMNS:
        problems.append(
            _at(
                path, number, MAX_COLUMNS + 1, f"{len(row):,} columns; a questionnaire may have at most {MAX_COLUMNS:,}"
            )
        )
    for column, value in enumerate(row[:MAX_COLUMNS], start=1):
        if len(value) > MAX_CELL_CHARS:
            problems.append(
                _at(
                    path,
                    number,
                    column,
                    f"the cell holds {len(value):,} characters; a spreadsheet cell holds at most {MAX_CELL_CHARS:,}",
                )
            )
        bad = _NOT_IN_A_CELL.search(value)
        if bad:
            problems.append(
                _at(
                    path,
                    number,
                    column,
                    f"the cell holds the control character "
                    f"U+{ord(bad.group()):04X}, which a spreadsheet cell "
                    f"cannot hold (is this a text file?)",
                )
            )
    return problems


def _at(path: Path, row: int, column: int, message: str) -> Problem:
    return Problem(Location(str(path), row, column), "", message)


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], Problem(None, "", f"{rest:,} more problem(s) like these not listed")]


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """Let the csv module read long fields, so that their length is reported here, with its place."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)
