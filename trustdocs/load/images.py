"""Checks an image the project supplies (the logo) from its header, before anything decodes it.

A 12,000 × 12,000 PNG of one colour is a few hundred kilobytes on disk and 576 MB once decoded; an SVG of
nested `<use>` elements that each repeat the one before is a few lines long and draws billions of shapes. The
size a raster image declares is read from its header, and an SVG is parsed (no DTD, so no entities) and its
`<use>` references expanded by counting, never by drawing.
"""

from __future__ import annotations

import base64
import re
import struct
import xml.etree.ElementTree as ET
from urllib.parse import unquote_to_bytes

IMAGE_PIXEL_LIMIT = 10_000_000
"""Most pixels a raster image (or an SVG's declared size, in CSS pixels) may have: the limit of the PNG
diagrams, an A2 sheet at 150 dpi. A logo printed 70 mm wide needs a small fraction of it."""
SVG_ELEMENT_LIMIT = 50_000
"""Most elements an SVG may draw once every `<use>` is expanded; a detailed logo has a few thousand."""
MAX_NESTED_IMAGES = 2
"""How deep an SVG may embed images (as data: URIs) that embed images."""

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8"
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
KINDS = "a PNG, JPEG or SVG image"

# CSS pixels per unit (https://www.w3.org/TR/css-values-3/#absolute-lengths).
_PX_PER_UNIT = {
    "": 1.0,
    "px": 1.0,
    "pt": 96 / 72,
    "pc": 16.0,
    "in": 96.0,
    "cm": 96 / 2.54,
    "mm": 96 / 25.4,
    "q": 96 / 101.6,
    "em": 16.0,
    "ex": 8.0,
}
_LENGTH_RE = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z%]*)\s*$")
# Start-of-frame markers carry a JPEG's size; C4 (Huffman tables), C8 and CC (arithmetic coding) do not.
_JPEG_FRAMES = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


class ImageRefused(Exception):
    """Why an image may not be used; its text is the message for the place that refers to it."""


def check_image(raw: bytes, name: str, *, depth: int = 0) -> None:
    """Raise ImageRefused if `raw` (the bytes of the file `name`) is not a PNG, JPEG or SVG within limits."""
    if raw.startswith(PNG_SIGNATURE):
        _check_pixels(name, *_png_size(raw, name))
    elif raw.startswith(JPEG_SIGNATURE):
        _check_pixels(name, *_jpeg_size(raw, name))
    elif _looks_like_svg(raw):
        _check_svg(raw, name, depth)
    else:
        raise ImageRefused(f"'{name}' is not {KINDS}")


def _check_pixels(name: str, width: int, height: int) -> None:
    if width * height > IMAGE_PIXEL_LIMIT:
        raise ImageRefused(
            f"'{name}' is {width:,} × {height:,} pixels, more than the limit of "
            f"{IMAGE_PIXEL_LIMIT:,} pixels; scale it down"
        )


def _png_size(raw: bytes, name: str) -> tuple[int, int]:
    # The first chunk is IHDR: length (4 bytes), type (4), width (4), height (4).
    if len(raw) < 24 or raw[12:16] != b"IHDR":
        raise ImageRefused(f"'{name}' is not a valid PNG image: no IHDR header")
    width, height = struct.unpack(">II", raw[16:24])
    return width, height


def _jpeg_size(raw: bytes, name: str) -> tuple[int, int]:
    at = 2
    while at + 4 <= len(raw):
        if raw[at] != 0xFF:
            break
        marker = raw[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", raw[at + 2 : at + 4])
        if marker in _JPEG_FRAMES:
            if at + 9 > len(raw):
                break
            height, width = struct.unpack(">HH", raw[at + 5 : at + 9])
            return width, height
        if marker == 0xDA or length < 2:  # image data starts before any frame header: not a valid JPEG
            break
        at += 2 + length
    raise ImageRefused(f"'{name}' is not a valid JPEG image: no frame header")


def _looks_like_svg(raw: bytes) -> bool:
    head = raw[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in raw[:65536].lower()


def _check_svg(raw: bytes, name: str, depth: int) -> None:
    if re.search(rb"<!(DOCTYPE|ENTITY)", raw, re.IGNORECASE):
        # Entities can multiply text a billion times; an SVG logo has no use for a DTD.
        raise ImageRefused(f"'{name}': an SVG image may not have a DOCTYPE or entity declarations")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as error:
        line, column = error.position  # expat counts columns from 0
        reason = str(error).split(":", 1)[0]
        raise ImageRefused(f"'{name}' is not a valid SVG image: {reason} at line {line}, column {column + 1}") from None
    if root.tag not in ("svg", f"{SVG_NAMESPACE}svg"):
        raise ImageRefused(f"'{name}' is not {KINDS}")
    width, height = _svg_length(root.get("width")), _svg_length(root.get("height"))
    if width is not None and height is not None:
        _check_pixels(name, round(width), round(height))
    for side, value in (("width", width), ("height", height)):
        if value is not None and value > IMAGE_PIXEL_LIMIT:
            raise ImageRefused(
                f"'{name}' declares a {side} of {value:,.0f} pixels, more than the limit of "
                f"{IMAGE_PIXEL_LIMIT:,} pixels"
            )
    _check_references(root, name, depth)
    drawn = _expanded_size(root, name)
    if drawn > SVG_ELEMENT_LIMIT:
        raise ImageRefused(
            f"'{name}' draws more than {SVG_ELEMENT_LIMIT:,} elements (the limit) once its "
            "<use> references are expanded"
        )


def _svg_length(value: str | None) -> float | None:
    """A length in CSS pixels; None when absent, a percentage or not a length (the renderer then scales it)."""
    match = _LENGTH_RE.match(value or "")
    if not match or match[2].lower() not in _PX_PER_UNIT:
        return None
    return abs(float(match[1])) * _PX_PER_UNIT[match[2].lower()]


def _href(element: ET.Element) -> str | None:
    return element.get("href", element.get(XLINK_HREF))


def _check_references(root: ET.Element, name: str, depth: int) -> None:
    """An SVG image may refer to its own elements (#id) and embed images as data: URIs, nothing else."""
    for element in root.iter():
        href = _href(element)
        if href is None or href.strip().startswith("#"):
            continue
        if not href.strip().lower().startswith("data:"):
            raise ImageRefused(f"'{name}' refers to '{href[:80]}'; an SVG image may only embed images as data: URIs")
        if depth >= MAX_NESTED_IMAGES:
            raise ImageRefused(f"'{name}' nests images more than {MAX_NESTED_IMAGES} deep")
        check_image(_data_uri_bytes(href.strip(), name), f"{name} (embedded image)", depth=depth + 1)


def _data_uri_bytes(uri: str, name: str) -> bytes:
    header, _, payload = uri[len("data:") :].partition(",")
    try:
        if "base64" in header.split(";")[1:]:
            return base64.b64decode(unquote_to_bytes(payload), validate=False)
        return unquote_to_bytes(payload)
    except ValueError:
        raise ImageRefused(f"'{name}' embeds an image whose data: URI cannot be decoded") from None


def _expanded_size(root: ET.Element, name: str) -> int:
    """How many elements drawing `root` visits, each `<use>` counted as the element it repeats."""
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    sizes: dict[int, int] = {}
    visiting: set[int] = set()

    def size(element: ET.Element) -> int:
        key = id(element)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise ImageRefused(f"'{name}': a <use> element refers to itself or to an element containing it")
        visiting.add(key)
        total = 1
        if element.tag in ("use", f"{SVG_NAMESPACE}use"):
            target = by_id.get((_href(element) or "").strip().lstrip("#"))
            if target is not None:
                total += size(target)
        for child in element:
            total += size(child)
            if total > SVG_ELEMENT_LIMIT:
                break  # past the limit: no need to count on (the counts only grow)
        visiting.discard(key)
        sizes[key] = total
        return total

    try:
        return size(root)
    except RecursionError:
        raise ImageRefused(f"'{name}' nests its elements too deeply") from None
