"""Names from outside shown on a terminal: control and format characters escaped so none can forge a line."""

from __future__ import annotations

import unicodedata

_NAMED = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Controls (CR, LF, ESC, C1), format characters (bidi overrides, zero widths), surrogates, line separators."""


def printable(text: str) -> str:
    """`text` with each character a terminal would act on, or not show, written as a Python escape.

    A member named "x\\nresult: passed" prints as `x\\nresult: passed` on one line; ESC is `\\x1b`, a right-to-
    left override `\\u202e`, and a byte that was not UTF-8 (kept as a surrogate by surrogateescape) `\\xff`.
    Backslashes are doubled, so the escaped form can be told from the same characters typed in a name.
    """
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(_escape(c) for c in text)


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    if unicodedata.category(char) not in _HIDDEN:
        return char
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape's stand-in for an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable_json(text: str) -> str:
    """JSON text (as json.dumps writes it) with the same characters escaped as JSON \\u escapes.

    json.dumps escapes C0 controls but writes DEL, C1 controls (CSI, U+009B, starts a terminal escape),
    bidi overrides and lone surrogates as they are; outside its strings it writes only ASCII, so each such
    character is inside a string, where its \\u escape means the same.
    """
    if text.isprintable():
        return text
    return "".join(_json_escape(c) for c in text)


def _json_escape(char: str) -> str:
    if char == "\n" or unicodedata.category(char) not in _HIDDEN:
        return char  # a newline outside strings is json.dumps's indentation; inside one it is already \n
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"
