"""The logo is checked from its header before anything decodes it: pixel bombs, SVG `<use>` bombs, entities."""

from __future__ import annotations

import base64
import io
import struct
import zlib

import pytest
from PIL import Image

from tests.conftest import MINIMAL
from trustdocs.cli import main
from trustdocs.load.images import IMAGE_PIXEL_LIMIT, ImageRefused, check_image

SVG_OPEN = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares its size and holds no pixels: what the header check reads, and all it needs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IEND", b"")
    )


def _encoded(width: int, height: int, kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, kind)
    return out.getvalue()


def _use_bomb(levels: int, fan_out: int) -> bytes:
    groups = b"".join(
        b'<g id="g%d">' % (level + 1) + b'<use xlink:href="#g%d"/>' % level * fan_out + b"</g>"
        for level in range(levels)
    )
    return SVG_OPEN + b'><g id="g0"><rect width="1" height="1"/></g>' + groups + b"</svg>"


def _logo_project(tmp_path, name: str, data: bytes):
    root = tmp_path / "proj"
    root.mkdir()
    (root / name).write_bytes(data)
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "  product: Tiny Notes\n", f"  product: Tiny Notes\n  branding:\n    logo: {name}\n"
    )
    (root / "trustdocs.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "huge.png",
            _png_header_only(12_000, 12_000),
            "'huge.png' is 12,000 × 12,000 pixels, more than the limit of 10,000,000 pixels; scale it down",
        ),
        (
            "tall.png",
            _png_header_only(1, 4_000_000_000),
            "'tall.png' is 1 × 4,000,000,000 pixels, more than the limit of 10,000,000 pixels; scale it down",
        ),
        ("truncated.png", b"\x89PNG\r\n\x1a\n\x00\x00", "'truncated.png' is not a valid PNG image: no IHDR header"),
        (
            "huge.jpg",
            _encoded(3200, 3200, "JPEG"),
            "'huge.jpg' is 3,200 × 3,200 pixels, more than the limit of 10,000,000 pixels; scale it down",
        ),
        ("broken.jpg", b"\xff\xd8\xff\xda\x00\x08junk", "'broken.jpg' is not a valid JPEG image: no frame header"),
        (
            "huge.svg",
            SVG_OPEN + b' width="120000" height="120000"/>',
            "'huge.svg' is 120,000 × 120,000 pixels, more than the limit of 10,000,000 pixels; scale it down",
        ),
        (
            "wide.svg",
            SVG_OPEN + b' width="1e12mm"/>',
            "'wide.svg' declares a width of 3,779,527,559,055 pixels, more than the limit of 10,000,000 pixels",
        ),
        (
            "bomb.svg",
            _use_bomb(10, 10),
            "'bomb.svg' draws more than 50,000 elements (the limit) once its <use> references are expanded",
        ),
        (
            "loop.svg",
            SVG_OPEN + b'><g id="a"><use href="#a"/></g></svg>',
            "'loop.svg': a <use> element refers to itself or to an element containing it",
        ),
        (
            "laughs.svg",
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]>' + SVG_OPEN + b">&a;</svg>",
            "'laughs.svg': an SVG image may not have a DOCTYPE or entity declarations",
        ),
        (
            "outside.svg",
            SVG_OPEN + b'><image href="file:///etc/passwd"/></svg>',
            "'outside.svg' refers to 'file:///etc/passwd'; an SVG image may only embed images as data: URIs",
        ),
        (
            "nested.svg",
            SVG_OPEN
            + b'><image href="data:image/png;base64,'
            + base64.b64encode(_png_header_only(12_000, 12_000))
            + b'"/></svg>',
            "'nested.svg (embedded image)' is 12,000 × 12,000 pixels, more than the limit of 10,000,000 pixels; "
            "scale it down",
        ),
        (
            "broken.svg",
            SVG_OPEN + b"><g></svg>",
            "'broken.svg' is not a valid SVG image: mismatched tag at line 1, column 89",
        ),
        ("notes.txt", b"just some text", "'notes.txt' is not a PNG, JPEG or SVG image"),
        ("anim.gif", _encoded(10, 10, "GIF"), "'anim.gif' is not a PNG, JPEG or SVG image"),
    ],
)
def test_a_logo_past_the_limits_is_a_located_error(runner, tmp_path, name, data, message):
    project = _logo_project(tmp_path, name, data)
    result = runner.invoke(main, ["validate", str(project)])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        f"{project}/trustdocs.yaml:5:11: document.branding.logo: {message}",
        "trustdocs: 1 error",
    ]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("logo.png", _encoded(3000, 3000, "PNG")),
        ("logo.jpg", _encoded(600, 200, "JPEG")),
        (
            "logo.svg",
            SVG_OPEN + b' width="70mm" height="14mm" viewBox="0 0 700 140">'
            b'<defs><g id="dot"><circle r="2"/></g></defs>' + b'<use href="#dot"/>' * 200 + b"</svg>",
        ),
        ("percent.svg", SVG_OPEN + b' width="100%" height="100%"><rect width="1" height="1"/></svg>'),
    ],
)
def test_a_reasonable_logo_is_accepted(runner, tmp_path, name, data):
    project = _logo_project(tmp_path, name, data)
    result = runner.invoke(main, ["validate", str(project)])
    assert result.exit_code == 0, result.output


def test_the_pixel_limit_is_inclusive():
    side = int(IMAGE_PIXEL_LIMIT**0.5)
    check_image(_png_header_only(side, side), "square.png")
    with pytest.raises(ImageRefused):
        check_image(_png_header_only(IMAGE_PIXEL_LIMIT + 1, 1), "line.png")


def test_a_deeply_nested_svg_is_refused_without_a_traceback():
    deep = SVG_OPEN + b">" + b"<g>" * 100_000 + b"</g>" * 100_000 + b"</svg>"
    with pytest.raises(ImageRefused, match="nests its elements too deeply"):
        check_image(deep, "deep.svg")
