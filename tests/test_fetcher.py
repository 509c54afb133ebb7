"""The restricted fetcher: only package assets, data: URIs and project files; never the network."""

from __future__ import annotations

import base64
import datetime as dt
import socket
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from trustdocs.errors import BuildError
from trustdocs.render import pdf as pdf_module
from trustdocs.render.fetcher import (
    Refusal,
    RestrictedFetcher,
    asset_url,
    check_html_references,
    html_references,
    resolve_project_path,
)
from trustdocs.render.pdf import PdfMetadata, base_url_for, render_pdf

METADATA = PdfMetadata("Title", "Vendor", "Subject", ("a", "b"), dt.date(2026, 1, 1))


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Record any attempt to resolve a name or open a connection; there must be none."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network use in a test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield attempts
    assert attempts == []


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "img").mkdir(parents=True)
    (root / "img" / "pic.png").write_bytes(png_bytes())
    (tmp_path / "outside.png").write_bytes(png_bytes())
    return root


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\x00\x00\x00"))
        + chunk(b"IEND", b"")
    )


# -- deciding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://x/logo.png", "network access is not allowed"),
        ("https://cdn.example/style.css", "network access is not allowed"),
        ("HTTPS://CDN.EXAMPLE/STYLE.CSS", "network access is not allowed"),
        ("ftp://files.example/a.png", "network access is not allowed"),
        ("file:///etc/passwd", "outside the project"),
        ("file://fileserver/share/logo.png", "network access is not allowed"),
        ("trustdocs:../pyproject.toml", "not a trustdocs asset"),
        ("trustdocs:missing.css", "no such trustdocs asset"),
        ("javascript:alert(1)", "URL scheme 'javascript:' is not allowed"),
        ("img/pic.png", "not an absolute URL"),
    ],
)
def test_refused_urls(project: Path, url: str, reason: str) -> None:
    assert RestrictedFetcher(project).check(url) == Refusal(url, reason)


def test_allowed_urls(project: Path) -> None:
    fetcher = RestrictedFetcher(project)
    base = base_url_for(project)
    assert fetcher.check(base + "img/pic.png") is None
    assert fetcher.check(asset_url("style.css")) is None
    assert fetcher.check("data:text/plain,hello") is None


def test_outside_files_and_missing_files(project: Path) -> None:
    fetcher = RestrictedFetcher(project)
    base = base_url_for(project)
    assert fetcher.check(base + "../outside.png") == Refusal(base + "../outside.png", "outside the project")
    assert fetcher.check(base + "img/none.png") == Refusal(base + "img/none.png", "no such file")


def test_symlink_out_of_the_project_is_refused(project: Path) -> None:
    (project / "img" / "link.png").symlink_to(project.parent / "outside.png")
    url = base_url_for(project) + "img/link.png"
    assert RestrictedFetcher(project).check(url) == Refusal(url, "outside the project")


def test_extra_roots_are_allowed(project: Path) -> None:
    url = base_url_for(project.parent) + "outside.png"
    assert RestrictedFetcher(project, extra_roots=[project.parent]).check(url) is None


# -- serving --------------------------------------------------------------------------------------


def test_serves_project_files_assets_and_data(project: Path) -> None:
    fetcher = RestrictedFetcher(project)
    picture = base_url_for(project) + "img/pic.png"
    response = fetcher.fetch(picture)
    assert (response.read(), response.content_type) == (png_bytes(), "image/png")
    css = fetcher.fetch(asset_url("style.css"))
    assert css.content_type == "text/css" and css.read().startswith(b"/* The one stylesheet")
    encoded = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    assert fetcher.fetch(encoded).read() == png_bytes()
    assert fetcher.fetch("data:text/plain,a%20b").read() == b"a b"
    assert fetcher.loaded == [picture, asset_url("style.css"), encoded, "data:text/plain,a%20b"]
    assert fetcher.refusals == []


def test_refusal_is_raised_and_recorded(project: Path, file_opens: list[str]) -> None:
    fetcher = RestrictedFetcher(project)
    with pytest.raises(ValueError, match="refused to load 'file:///etc/passwd': outside the project"):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("http://x/logo.png")
    assert fetcher.refusals == [
        Refusal("file:///etc/passwd", "outside the project"),
        Refusal("http://x/logo.png", "network access is not allowed"),
    ]
    assert fetcher.loaded == []
    assert "/etc/passwd" not in file_opens
    with pytest.raises(BuildError) as caught:
        fetcher.raise_refusals()
    assert caught.value.message == (
        "refused to load 'file:///etc/passwd': outside the project\n"
        "refused to load 'http://x/logo.png': network access is not allowed"
    )


# -- references written in the inputs ----------------------------------------------------------------


def test_resolve_project_path(project: Path) -> None:
    assert resolve_project_path("img/pic.png", project) == (project / "img" / "pic.png").resolve()
    assert resolve_project_path(str(project / "img" / "pic.png"), project) == (project / "img" / "pic.png").resolve()
    with pytest.raises(BuildError) as caught:
        resolve_project_path("../outside.png", project)
    assert caught.value.message == "refused to load '../outside.png': outside the project"
    with pytest.raises(BuildError) as caught:
        resolve_project_path("data:image/png;base64,AAAA", project)
    assert caught.value.message == "refused to load 'data:image/png;base64,AAAA': URL scheme 'data:' is not allowed"


# -- checking HTML before rendering -------------------------------------------------------------------


def test_html_references_lists_what_would_be_fetched() -> None:
    html = """<link rel="stylesheet" href="trustdocs:style.css"><img src="a.png"><a href="https://x.example">x</a>
    <svg><image href="/abs/icon.png"/><use xlink:href="sprite.svg#i"/><a href="#top">top</a></svg>
    <p style="background: url('bg.png')">x</p><style>@import "more.css"; .x { background: url(b.png) }</style>
    <object data="o.svg"></object><img src="#frag">"""
    assert html_references(html) == [
        "trustdocs:style.css",
        "a.png",
        "/abs/icon.png",
        "sprite.svg#i",
        "bg.png",
        "more.css",
        "b.png",
        "o.svg",
    ]


def test_check_html_references_names_every_refusal(project: Path) -> None:
    html = '<img src="http://x/logo.png"><img src="../../etc/passwd"><img src="img/pic.png"><a href="http://ok">'
    with pytest.raises(BuildError) as caught:
        check_html_references(html, base_url_for(project), RestrictedFetcher(project))
    assert caught.value.message == (
        "refused to load 'http://x/logo.png': network access is not allowed\n"
        "refused to load '../../etc/passwd': outside the project"
    )


# -- during rendering ---------------------------------------------------------------------------------


def test_render_reads_allowed_resources(project: Path) -> None:
    fetcher = RestrictedFetcher(project)
    data = render_pdf('<img src="img/pic.png"><p>Hello</p>', base_dir=project, fetcher=fetcher, metadata=METADATA)
    assert data.startswith(b"%PDF-")
    assert fetcher.loaded == [base_url_for(project) + "img/pic.png"]


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ('<img src="http://x/logo.png">', "refused to load 'http://x/logo.png': network access is not allowed"),
        ('<img src="file:///etc/passwd">', "refused to load 'file:///etc/passwd': outside the project"),
        ('<img src="../../../../../../etc/passwd">', "refused to load 'file:///etc/passwd': outside the project"),
        (
            '<link rel="stylesheet" href="https://cdn.example/x.css"><p>x</p>',
            "refused to load 'https://cdn.example/x.css': network access is not allowed",
        ),
        (
            '<p style="background: url(file:///etc/passwd)">x</p>',
            "refused to load 'file:///etc/passwd': outside the project",
        ),
        (
            '<svg width="10" height="10"><image href="/etc/passwd" width="10" height="10"/></svg>',
            "refused to load 'file:///etc/passwd': outside the project",
        ),
    ],
)
def test_refusals_while_rendering_fail_the_build(
    project: Path, monkeypatch: pytest.MonkeyPatch, file_opens: list[str], html: str, message: str
) -> None:
    # Skip the pre-check to prove the fetcher holds on its own, including inside SVG (drawn late).
    monkeypatch.setattr(pdf_module, "check_html_references", lambda *args: None)
    fetcher = RestrictedFetcher(project)
    with pytest.raises(BuildError) as caught:
        render_pdf(html, base_dir=project, fetcher=fetcher, metadata=METADATA)
    assert caught.value.message == message
    assert fetcher.loaded == []
    assert "/etc/passwd" not in file_opens


def test_pre_check_stops_before_rendering(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("WeasyPrint was called")

    monkeypatch.setattr(pdf_module.weasyprint, "HTML", fail)
    with pytest.raises(BuildError) as caught:
        render_pdf(
            '<img src="http://x/logo.png">', base_dir=project, fetcher=RestrictedFetcher(project), metadata=METADATA
        )
    assert caught.value.message == "refused to load 'http://x/logo.png': network access is not allowed"
