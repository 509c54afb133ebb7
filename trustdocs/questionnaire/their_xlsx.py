"""Opening a customer's .xlsx: its zip package checked part by part before openpyxl parses any of it.

An .xlsx is a zip of XML parts, so a hostile one can be a zip bomb (a megabyte inflating to gigabytes),
declare a DTD whose entities expand without end or read local files (billion laughs, XXE), or hold a sheet of
a million rows. Each part is inflated here in chunks, counting what it really holds against what it declares
and against the limits, and its XML is searched for a document type declaration, which no spreadsheet needs.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook

from trustdocs.errors import InputError, Problem, TrustdocsError
from trustdocs.questionnaire.limits import (
    MAX_CELLS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_INFLATED_BYTES, MAX_PARTS, MAX_PROBLEMS, MAX_ROWS,
)
from trustdocs.terminal import printable

_CHUNK = 1024 * 1024
_OVERLAP = 64
"""Bytes of one chunk kept in front of the next, so a tag cut between two chunks is still seen."""


def _in_any_encoding(*markers: str) -> re.Pattern[bytes]:
    # The XML parts of an .xlsx are UTF-8 or UTF-16 (ECMA-376 Part 2); look for each in all three.
    forms = {m.encode(e) for m in markers for e in ("utf-8", "utf-16-le", "utf-16-be")}
    return re.compile(b"|".join(re.escape(f) for f in sorted(forms)))


_DTD = _in_any_encoding("<!DOCTYPE", "<!ENTITY")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?row[\s/>]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?c[\s/>]")
_XML_PART = re.compile(r"\.(?:xml|rels|vml)$", re.IGNORECASE)
_SHEET_PART = re.compile(r"^xl/(?:worksheets|chartsheets|dialogsheets)/[^/]+\.xml$", re.IGNORECASE)


def open_their_workbook(path: Path) -> Workbook:
    """Their workbook, loaded by openpyxl only once its package has passed `check_package`."""
    check_package(path)
    try:
        workbook = load_workbook(path)
    except Exception as error:  # openpyxl meets hostile XML with errors of every type; none may escape
        raise TrustdocsError(f"{path}: could not read the workbook ({type(error).__name__}: {error})") from None
    problems = [Problem(None, "", f"{path}: sheet '{printable(sheet.title)}': {message}")
                for sheet in workbook.worksheets for message in _sheet_size_problems(sheet.max_row, sheet.max_column)]
    if problems:
        raise InputError(problems)
    return workbook


def _sheet_size_problems(rows: int, columns: int) -> list[str]:
    messages = []
    if rows > MAX_ROWS:
        messages.append(f"{rows:,} rows; a questionnaire sheet may have at most {MAX_ROWS:,}")
    if columns > MAX_COLUMNS:
        messages.append(f"{columns:,} columns; a questionnaire sheet may have at most {MAX_COLUMNS:,}")
    return messages


@dataclass
class _Tally:
    inflated: int = 0
    cells: int = 0
    problems: list[Problem] = field(default_factory=list)


def check_package(path: Path) -> None:
    """Raise InputError (or TrustdocsError when it is no zip at all) unless the .xlsx at `path` is safe to parse."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TrustdocsError(f"{path}: the file is {size:,} bytes; a questionnaire may be at most "
                             f"{MAX_FILE_BYTES:,} bytes")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise TrustdocsError(f"{path}: could not read the workbook ({error})") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise TrustdocsError(f"{path}: the package has {len(parts):,} parts; a workbook may have at "
                                 f"most {MAX_PARTS:,}")
        declared = sum(p.file_size for p in parts)
        if declared > MAX_INFLATED_BYTES:
            raise TrustdocsError(f"{path}: the package declares {declared:,} bytes once inflated; a "
                                 f"questionnaire may inflate to at most {MAX_INFLATED_BYTES:,}")
        tally = _Tally()
        for part in parts:
            if not part.is_dir():
                _check_part(path, archive, part, tally)
    if tally.cells > MAX_CELLS:
        tally.problems.append(Problem(None, "", f"{path}: {tally.cells:,} cells; a questionnaire may have at "
                                                f"most {MAX_CELLS:,}"))
    if tally.problems:
        problems = tally.problems
        if len(problems) > MAX_PROBLEMS:
            problems = [*problems[:MAX_PROBLEMS],
                        Problem(None, "", f"{len(problems) - MAX_PROBLEMS:,} more problem(s) not listed")]
        raise InputError(problems)


def _check_part(path: Path, archive: zipfile.ZipFile, part: zipfile.ZipInfo, tally: _Tally) -> None:
    """Inflate one part in chunks, stopping as soon as it holds more than it declares or than the limit."""
    where = f"{path}: {part.filename}"
    is_xml = bool(_XML_PART.search(part.filename))
    is_sheet = bool(_SHEET_PART.match(part.filename))
    size = rows = cells = 0
    dtd = False
    tail = b""
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                tally.inflated += len(chunk)
                if size > part.file_size or tally.inflated > MAX_INFLATED_BYTES:
                    what = ("more than it declares" if size > part.file_size
                            else f"past the limit of {MAX_INFLATED_BYTES:,} bytes for the whole workbook")
                    tally.problems.append(Problem(None, "", f"{where}: inflates to {what}; refused as a zip bomb"))
                    raise _Stop
                if is_xml:
                    window = tail + chunk
                    dtd = dtd or _DTD.search(window) is not None
                    if is_sheet:
                        rows += _count_new(_ROW, window, len(tail))
                        cells += _count_new(_CELL, window, len(tail))
                    tail = window[-_OVERLAP:]
    except _Stop:
        raise InputError(tally.problems) from None
    except Exception as error:  # BadZipFile for a bad CRC, zlib.error for damaged deflate data, and others
        tally.problems.append(Problem(None, "", f"{where}: damaged ({error})"))
        return
    if dtd:
        tally.problems.append(Problem(None, "", f"{where}: declares a DTD or entities (<!DOCTYPE, <!ENTITY); "
                                                "a workbook needs none, and they can expand without end or "
                                                "read local files, so the file is refused"))
    if rows > MAX_ROWS:
        tally.problems.append(Problem(None, "", f"{where}: {rows:,} rows; a questionnaire sheet may have at "
                                                f"most {MAX_ROWS:,}"))
    tally.cells += cells


class _Stop(Exception):
    """The inflation limit was passed: stop reading the package at once."""


def _count_new(pattern: re.Pattern[bytes], window: bytes, seen: int) -> int:
    """Matches in `window` that end past its first `seen` bytes (those were counted with the last chunk)."""
    return sum(1 for match in pattern.finditer(window) if match.end() > seen)
