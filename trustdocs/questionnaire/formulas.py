"""Formulas in customer files: which ones call out, and writing text that no spreadsheet will run as a formula."""

from __future__ import annotations

import re

from openpyxl.cell.cell import Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV field as a formula (OWASP, "CSV Injection")."""

EXTERNAL_FUNCTIONS: tuple[str, ...] = (
    "WEBSERVICE",
    "HYPERLINK",
    "FILTERXML",
    "IMPORTXML",
    "IMPORTDATA",
    "IMPORTHTML",
    "IMPORTFEED",
    "IMPORTRANGE",
    "IMAGE",
    "RTD",
    "CALL",
    "REGISTER",
    "REGISTER.ID",
    "EXEC",
    "FOPEN",
    "FREAD",
    "FWRITE",
    "DDE",
    "DDEAUTO",
    "SHELL",
)
"""Functions that reach the network, other programs or files when the workbook is opened or clicked."""

_STRING_LITERALS = re.compile(r'"(?:[^"]|"")*"?|\'(?:[^\']|\'\')*\'?')
_FUNCTION_CALL = re.compile(r"(?<![\w.])(?:_xlfn\.|_xll\.|_xlws\.)?([A-Z][A-Z0-9.]*)\s*\(", re.IGNORECASE)
_EXTERNAL_BOOK = re.compile(r"\[[^\]]+\][^!]*!")
_EXTERNAL = frozenset(EXTERNAL_FUNCTIONS)


def external_calls(formula: str) -> tuple[str, ...]:
    """What in `formula` reaches outside the workbook: function names, "DDE" for `app|topic`, "another workbook".

    String literals and quoted sheet names are left out first, so a question that merely mentions
    HYPERLINK is not one. Names are upper case, each once, in the order they first appear.
    """
    bare = _STRING_LITERALS.sub('""', formula)
    found = [name.upper() for name in _FUNCTION_CALL.findall(bare) if name.upper() in _EXTERNAL]
    if "|" in bare:  # =cmd|'/c calc'!A0: dynamic data exchange starts a program
        found.append("DDE")
    if _EXTERNAL_BOOK.search(bare):
        found.append("another workbook")
    return tuple(dict.fromkeys(found))


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_field(value: object) -> str:
    """A cell's value as a CSV field: text that a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if looks_like_formula(value) else value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return]
    return str(value)


def set_text(cell: Cell, value: str | None) -> Cell:
    """Put `value` in `cell` as text, never as a formula or an error code, even when it starts with "="."""
    cell.value = value
    if value is not None:
        cell.data_type = "s"
        cell.quotePrefix = looks_like_formula(value)  # so Excel keeps it text when someone edits the cell
    return cell
