"""The limits the loader enforces so that no input file can exhaust time or memory."""

from __future__ import annotations

MIB = 1024 * 1024

MAX_FILE_BYTES = 5 * MIB
"""Largest single YAML file read."""

MAX_TOTAL_BYTES = 20 * MIB
"""Largest total size of all the files of one project (root, includes and files referenced by data)."""

MAX_FILES = 200
"""Most files one project may consist of, the root file included."""

MAX_NODES = 200_000
"""Most values (scalars, lists and mappings) one file may produce, counting every alias expansion."""

MAX_DEPTH = 64
"""Deepest nesting of lists and mappings in one file."""

MAX_NUMBER = 10**15
"""Largest number (in absolute value) a file may hold: a quadrillion, beyond any fee, limit or count, and small
enough that every figure computed from it stays exact and every period added to a date stays on the calendar."""

FIRST_YEAR, LAST_YEAR = 1900, 2999
"""The years a date may fall in; a date near 9999 overflows as soon as a review cycle or a period is added."""


def describe_size(size: int) -> str:
    """A byte count as people read it: '812 bytes', '48.0 KiB', '6.2 MiB'."""
    if size < 1024:
        return f"{size} bytes"
    if size < MIB:
        return f"{size / 1024:.1f} KiB"
    return f"{size / MIB:.1f} MiB"
