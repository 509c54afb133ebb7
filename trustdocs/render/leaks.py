"""What must never appear in a customer's document: the vendor's own check results and internal identifiers."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["CHECK_RESULT_PATTERNS", "leaked"]

CHECK_RESULT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("finding code", re.compile(r"\b(?:COV|TD|HYG)-[A-Z0-9]")),
    ("overdue badge", re.compile(r"\breview\s+overdue\b", re.IGNORECASE)),
    ("relative age", re.compile(r"\b\d+\s+days?(?:\(s\))?\s+ago\b", re.IGNORECASE)),
    ("pass/fail result", re.compile(r"\bNOT\s+MET\b")),
    ("coverage gap", re.compile(r"\bcoverage\s+gaps?\b", re.IGNORECASE)),
    ("tool name", re.compile(r"\btrustdocs\b", re.IGNORECASE)),
)
"""Each pattern with what it catches; text extracted from a PDF is matched as it is (and with wraps undone)."""


def leaked(text: str, internal_ids: Iterable[str] = ()) -> list[str]:
    """Every leak in `text`: 'what: match'. `internal_ids` are element ids that may not appear verbatim."""
    joined = re.sub(r"-\s*\n\s*", "-", text)  # an identifier wrapped at its hyphen
    found = [f"{what}: {m[0]}" for what, pattern in CHECK_RESULT_PATTERNS for m in pattern.finditer(joined)]
    for element_id in internal_ids:
        if re.search(rf"(?<![\w./-]){re.escape(element_id)}(?![\w/-])", joined):
            found.append(f"internal id: {element_id}")
    return found
