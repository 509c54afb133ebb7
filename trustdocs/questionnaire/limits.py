"""How much of a customer's questionnaire file is read: limits that keep a hostile file from exhausting memory."""

from __future__ import annotations

MAX_FILE_BYTES = 64 * 1024 * 1024
"""The largest questionnaire file read, as stored on disk (a real one is well under a megabyte)."""

MAX_INFLATED_BYTES = 256 * 1024 * 1024
"""The most an .xlsx may inflate to, all its parts together: a zip bomb stops here, not in memory."""

MAX_PARTS = 10_000
"""The most parts (zip members) an .xlsx may have."""

MAX_ROWS = 20_000
"""Rows per sheet; the largest standard questionnaires (SIG Core, CAIQ) have a few thousand."""

MAX_COLUMNS = 1_000
"""Columns per sheet (Excel allows 16,384; five answer columns are added after the last)."""

MAX_CELLS = 1_000_000
"""Cells of an .xlsx, all sheets together, counting cells that only carry a style."""

MAX_CELL_CHARS = 32_767
"""Excel's own limit on the text of one cell."""

MAX_PROBLEMS = 20
"""Problems listed one by one before the rest are counted in a last line."""
