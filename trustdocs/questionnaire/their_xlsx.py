"""Opening a customer's .xlsx: its zip package checked part by part before openpyxl parses any of it.

An .xlsx is a zip of XML parts, so a hostile one can be a zip bomb (a megabyte inflating to gigabytes),
declare a DTD whose entities expand without end or read local files (billion laughs, XXE), or hold more
rows, cells or merged cells than memory can (openpyxl makes an object for every cell of a merged range).
Each part is inflated here in chunks, counting what it really holds against what it declares and against
the limits, and fed to an XML parser that refuses any DTD and counts rows and cells as they stream past.
A part that is not XML (an image) stops the parser, not the size checks.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from openpyxl import Workbook, load_workbook
from openpyxl.utils.cell import column_index_from_string, range_boundaries

from trustdocs.errors import InputError, Problem, TrustdocsError
from trustdocs.questionnaire.limits import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_INFLATED_BYTES,
    MAX_PARTS,
    MAX_PROBLEMS,
    MAX_ROWS,
)
from trustdocs.terminal import printable

_CHUNK = 1024 * 1024
DTD_MESSAGE = (
    "declares a DTD or entities (<!DOCTYPE, <!ENTITY), which can expand without end or read local "
    "files; the file is refused"
)


def open_their_workbook(path: Path, *, keep_vba: bool = False) -> Workbook:
    """Their workbook, loaded by openpyxl only once its package has passed `check_package`."""
    return read_their_workbook(path, keep_vba=keep_vba)[0]


def read_their_workbook(path: Path, *, keep_vba: bool = False) -> tuple[Workbook, tuple[str, ...]]:
    """Their workbook, and what openpyxl said it could not keep (shapes, validation extensions...).

    With `keep_vba` (for an .xlsm) its VBA project is kept, never run, to be written back as it was.
    """
    check_package(path)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            workbook = load_workbook(path, keep_vba=keep_vba)
    except Exception as error:  # openpyxl meets hostile XML with errors of every type; none may escape
        reason = " ".join(str(error).split())  # openpyxl's messages run over several lines
        raise TrustdocsError(f"{path}: could not read the workbook ({type(error).__name__}: {reason})") from None
    problems = [
        Problem(None, "", f"{path}: sheet '{printable(sheet.title)}': {message}")
        for sheet in workbook.worksheets
        for message in _sheet_size_problems(sheet.max_row, sheet.max_column)
    ]
    if problems:
        raise InputError(problems)
    losses = tuple(dict.fromkeys(" ".join(str(w.message).split()) for w in caught))
    return workbook, losses


def _sheet_size_problems(rows: int, columns: int) -> list[str]:
    messages = []
    if rows > MAX_ROWS:
        messages.append(f"{rows:,} rows; a questionnaire sheet may have at most {MAX_ROWS:,}")
    if columns > MAX_COLUMNS:
        messages.append(f"{columns:,} columns; a questionnaire sheet may have at most {MAX_COLUMNS:,}")
    return messages


class _Refused(Exception):
    """A part passed a limit: `message` says which; reading stops there."""

    def __init__(self, message: str, *, fatal: bool = False):
        super().__init__(message)
        self.message = message
        self.fatal = fatal
        """The whole package is refused at once (inflation), not just this part."""


@dataclass
class _Tally:
    inflated: int = 0
    cells: int = 0
    """Cells of every part so far, counting each cell of a merged range: openpyxl makes an object for each."""
    problems: list[Problem] = field(default_factory=list)


class _Counter:
    """Parser target counting one part's rows and the package's cells as elements start; raises _Refused."""

    def __init__(self, tally: _Tally):
        self.tally = tally
        self.rows = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name = tag.rpartition("}")[2]
        if name == "row":
            self.rows += 1
            number = attrib.get("r", "")
            if self.rows > MAX_ROWS or (number.isdigit() and int(number) > MAX_ROWS):
                raise _Refused(f"more than {MAX_ROWS:,} rows; a questionnaire sheet may have at most {MAX_ROWS:,}")
        elif name == "c":
            self._add_cells(1)
            letters = attrib.get("r", "").rstrip("0123456789")
            if (
                letters.isalpha()
                and letters.isascii()
                and len(letters) <= 3
                and column_index_from_string(letters.upper()) > MAX_COLUMNS
            ):
                raise _Refused(
                    f"a cell in column {letters}, past column {MAX_COLUMNS:,}; a questionnaire sheet "
                    f"may have at most {MAX_COLUMNS:,} columns"
                )
        elif name == "mergeCell":
            try:
                first_column, first_row, last_column, last_row = range_boundaries(attrib.get("ref", ""))
            except (ValueError, TypeError):
                return  # openpyxl will say what is wrong with it
            if None not in (first_column, first_row, last_column, last_row):
                self._add_cells((last_column - first_column + 1) * (last_row - first_row + 1))

    def _add_cells(self, count: int) -> None:
        self.tally.cells += count
        if self.tally.cells > MAX_CELLS:
            raise _Refused(
                f"more than {MAX_CELLS:,} cells, counting each cell of a merged range; a "
                f"questionnaire may have at most {MAX_CELLS:,}"
            )

    def end(self, tag: str) -> None:
        pass

    def data(self, data: str) -> None:
        pass

    def close(self) -> None:
        pass


def check_package(path: Path) -> None:
    """Raise InputError (or TrustdocsError when it is no zip at all) unless the .xlsx at `path` is safe to parse."""
    if not path.is_file():
        raise TrustdocsError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TrustdocsError(
            f"{path}: the file is {size:,} bytes; a questionnaire may be at most {MAX_FILE_BYTES:,} bytes"
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise TrustdocsError(f"{path}: could not read the workbook ({error})") from None
    tally = _Tally()
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise TrustdocsError(
                f"{path}: the package has {len(parts):,} parts; a workbook may have at most {MAX_PARTS:,}"
            )
        declared = sum(p.file_size for p in parts)
        if declared > MAX_INFLATED_BYTES:
            raise TrustdocsError(
                f"{path}: the package declares {declared:,} bytes once inflated; a "
                f"questionnaire may inflate to at most {MAX_INFLATED_BYTES:,}"
            )
        for part in parts:
            if part.is_dir():
                continue
            where = f"{path}: {printable(part.filename)}"
            try:
                _check_part(archive, part, tally)
            except _Refused as refused:
                tally.problems.append(Problem(None, "", f"{where}: {refused.message}"))
                if refused.fatal or tally.cells > MAX_CELLS:
                    break
            except Exception as error:  # BadZipFile for a bad CRC, zlib.error for damaged deflate data, ...
                tally.problems.append(Problem(None, "", f"{where}: damaged ({error})"))
    if tally.problems:
        problems = tally.problems
        if len(problems) > MAX_PROBLEMS:
            problems = [
                *problems[:MAX_PROBLEMS],
                Problem(None, "", f"{len(problems) - MAX_PROBLEMS:,} more problem(s) not listed"),
            ]
        raise InputError(problems)


def _check_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, tally: _Tally) -> None:
    """Inflate one part in chunks, parsing it while it parses as XML, stopping at the first limit passed."""
    size = 0
    parser: DefusedXMLParser | None = DefusedXMLParser(
        target=_Counter(tally), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            tally.inflated += len(chunk)
            if size > part.file_size:
                raise _Refused("inflates to more than it declares; refused as a zip bomb", fatal=True)
            if tally.inflated > MAX_INFLATED_BYTES:
                raise _Refused(
                    f"inflates past the limit of {MAX_INFLATED_BYTES:,} bytes for the whole "
                    "workbook; refused as a zip bomb",
                    fatal=True,
                )
            if parser is not None:
                parser = _feed(parser, chunk)
    if parser is not None:
        _feed(parser, b"", close=True)


def _feed(parser: DefusedXMLParser, chunk: bytes, *, close: bool = False) -> DefusedXMLParser | None:
    """The parser, or None once the part has shown it is not well-formed XML (an image, say)."""
    try:
        if close:
            parser.close()
        else:
            parser.feed(chunk)
    except DefusedXmlException:
        raise _Refused(DTD_MESSAGE) from None
    except ParseError:
        return None  # openpyxl will fail on it too, at the same place, if it is a part it reads
    return parser


_REBUILT = re.compile(r"xl/calcChain\.xml|docProps/.*|xl/sharedStrings\.xml|.*\.rels|\[Content_Types\]\.xml")
"""Parts openpyxl writes anew from what it read (or Excel rebuilds on opening): never counted as lost."""


def parts_not_kept(path: Path, filled: bytes) -> tuple[str, ...]:
    """Parts of their package with no counterpart in `filled`: what openpyxl dropped without a word.

    openpyxl numbers the parts it writes afresh (sheet1.xml, drawing1.xml), so parts are compared by
    name with the numbers left out, kind by kind.
    """

    def kinds(names: list[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for name in names:
            if not name.endswith("/") and not _REBUILT.fullmatch(name):
                found.setdefault(re.sub(r"\d+", "#", name), []).append(name)
        return found

    with zipfile.ZipFile(path) as theirs, zipfile.ZipFile(io.BytesIO(filled)) as ours:
        before, after = kinds(theirs.namelist()), kinds(ours.namelist())
    return tuple(name for kind, names in before.items() for name in sorted(names)[len(after.get(kind, ())) :])
