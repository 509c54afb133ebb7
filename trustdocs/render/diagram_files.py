"""Diagram files made self-contained and deterministic: icons embedded in the SVG, the PNG's resolution stated."""

from __future__ import annotations

import base64
import html
import io
import re
import struct
import zlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from PIL import Image

from trustdocs.errors import BuildError

_COMMENT = re.compile(rb"<!--.*?-->\s*", re.DOTALL)
_HREF = re.compile(rb'xlink:href="([^"]*)"')
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def self_contained_svg(svg: bytes, icons: Iterable[Path], icon_pixels: int) -> bytes:
    """Embed every icon as a data: URI and drop Graphviz's comments (its version and the graph's name).

    Graphviz refers to images by the absolute path it was given, which neither the build's restricted
    fetcher nor a reader of the SVG elsewhere can follow. Any reference to a file not in `icons` is an error.
    """
    allowed = {str(path): path for path in icons}
    embedded: dict[str, bytes] = {}

    def embed(match: re.Match[bytes]) -> bytes:
        href = html.unescape(match.group(1).decode("utf-8"))
        if href.startswith("data:"):
            return match.group(0)
        if href not in allowed:
            raise BuildError(f"diagram refers to a file that is not a trustdocs icon: {href}")
        if href not in embedded:
            encoded = base64.b64encode(_embedded_icon(allowed[href], icon_pixels))
            embedded[href] = b'xlink:href="data:image/png;base64,' + encoded + b'"'
        return embedded[href]

    return _HREF.sub(embed, _COMMENT.sub(b"", svg))


@cache
def _embedded_icon(path: Path, pixels: int) -> bytes:
    """The icon scaled down to at most `pixels` square: the originals are up to ten times the bytes needed."""
    with Image.open(path) as image:
        icon = image.convert("RGBA")
    icon.thumbnail((pixels, pixels), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    icon.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


_SVG_SIZE = re.compile(rb'<svg[^>]*?width="([0-9.]+)pt"[^>]*?height="([0-9.]+)pt"', re.DOTALL)


def svg_size_points(svg: bytes) -> tuple[float, float]:
    """Width and height of a Graphviz SVG, in points."""
    match = _SVG_SIZE.search(svg)
    if match is None:
        raise BuildError("Graphviz produced an SVG without a size")
    return float(match.group(1)), float(match.group(2))


def png_with_dpi(png: bytes, dpi: int) -> bytes:
    """The PNG with exactly one pHYs chunk saying `dpi`, so viewers and PDF tools size it right."""
    if not png.startswith(_PNG_SIGNATURE):
        raise BuildError("Graphviz did not produce a PNG")
    chunks = []
    offset = len(_PNG_SIGNATURE)
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        end = offset + 12 + length
        chunks.append(png[offset:end])
        offset = end
    per_metre = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    phys = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    kept = [chunk for chunk in chunks if chunk[4:8] != b"pHYs"]
    # IHDR is always first and pHYs must precede the image data.
    return _PNG_SIGNATURE + kept[0] + phys + b"".join(kept[1:])


def png_dpi(png: bytes) -> tuple[float, float] | None:
    """The resolution a PNG's pHYs chunk states, in dots per inch; None when it states none."""
    offset = len(_PNG_SIGNATURE)
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        if png[offset + 4 : offset + 8] == b"pHYs":
            x, y, unit = struct.unpack(">IIB", png[offset + 8 : offset + 17])
            return (x * 0.0254, y * 0.0254) if unit == 1 else None
        offset += 12 + length
    return None
