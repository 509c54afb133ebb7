"""The document engine end to end: furniture, contents, outline, metadata, watermark, determinism."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import struct
import zlib
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest
import weasyprint
from pypdf import PdfReader
from weasyprint.formatting_structure.boxes import TextBox

from trustdocs.errors import BuildError
from trustdocs.model.document import (
    Address,
    Approval,
    Branding,
    Contact,
    DocumentControl,
    Revision,
    Vendor,
)
from trustdocs.model.project import Customer, Project
from trustdocs.render import documents
from trustdocs.render.documents import (
    TOC_MARKER,
    DocumentSpec,
    add_months,
    add_table_of_contents,
    build_furniture,
    documents_for,
    register,
    render_html,
    render_pdf_document,
)
from trustdocs.render.env import (
    format_date,
    format_duration,
    format_money,
    format_percent,
    format_yesno,
    make_environment,
    xref,
)
from trustdocs.render.fetcher import RestrictedFetcher
from trustdocs.render.pdf import base_url_for, breakable_long_words

TEMPLATE = "_engine_test.html"
NOTES = 'Free text with <img src="file:///etc/passwd"> and {{ 7*7 }}.\n\n- first\n- *second*'


@dataclass(frozen=True)
class Row:
    month: str
    availability: Decimal
    met: bool


@dataclass(frozen=True)
class Section:
    title: str
    body: str
    subsections: tuple[str, ...]
    filler: str
    new_page: bool = False


@dataclass(frozen=True)
class SampleContext:
    """The context of the engine's sample template."""

    notes: str
    commitment: Decimal
    fee: Decimal
    allowance_seconds: int
    sso: bool
    history: tuple[Row, ...]
    sections: tuple[Section, ...]
    chart: str = ""
    wide_rows: tuple[tuple[str, str, str, str], ...] = ()


FILLER = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 14


def sample_context(notes: str = NOTES) -> SampleContext:
    return SampleContext(
        notes=notes,
        commitment=Decimal("99.95"),
        fee=Decimal("144000"),
        allowance_seconds=1296,
        sso=True,
        history=tuple(
            Row(f"2026-{m:02d}", Decimal("99.80") if m % 4 == 0 else Decimal("99.97"), m % 4 != 0) for m in range(1, 13)
        ),
        sections=tuple(
            Section(f"Section {n}", FILLER, tuple(f"Part {n}.{k}" for k in (1, 2)), FILLER, new_page=n == 4)
            for n in range(2, 6)
        ),
    )


def control(status: str = "draft", **changes: object) -> DocumentControl:
    base = DocumentControl(
        product="Acme Cloud",
        vendor=Vendor("Acme Software Ltd.", Address("1 Market Street", "London", "EC1A 1AA", "United Kingdom")),
        security_contact=Contact("Sam Lee", "security@acme.example", "CISO"),
        version="2.1",
        status=status,  # type: ignore[arg-type]
        effective_date=dt.date(2026, 11, 1),
        classification="nda",
        owners=(Contact("Sam Lee", "sam@acme.example", "CISO"),),
        approvers=(Approval("Jo Park", "CTO", dt.date(2026, 10, 28)),),
        revisions=(
            Revision("2.0", dt.date(2026, 5, 1), "Sam Lee", "Annual review."),
            Revision("2.1", dt.date(2026, 10, 20), "Ana Ruiz", "Added the threat model."),
        ),
        scope="Covers the Acme Cloud production service.",
    )
    return replace(base, **changes)


def render(
    root: Path, ctl: DocumentControl, *, customer: Customer | None = None, context: SampleContext | None = None
) -> bytes:
    furniture = build_furniture(ctl, title="Product Security Document", project_root=root, customer=customer)
    return render_pdf_document(TEMPLATE, furniture=furniture, context=context or sample_context(), project_root=root)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def outline(pdf: bytes) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) for every bookmark, in order."""
    reader = PdfReader(io.BytesIO(pdf))
    found: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


def png_bytes() -> bytes:
    """A valid 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def project_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("project")


@pytest.fixture(scope="module")
def draft_pdf(project_root: Path) -> bytes:
    return render(project_root, control("draft"))


@pytest.fixture(scope="module")
def approved_pdf(project_root: Path) -> bytes:
    return render(project_root, control("approved"), customer=Customer("Globex Corporation", "Globex"))


# -- the cover and the furniture ----------------------------------------------------------------


def test_cover_shows_the_document_control_fields(draft_pdf: bytes) -> None:
    cover = page_texts(draft_pdf)[0]
    for expected in (
        "Acme Cloud",
        "Product Security Document",
        "2.1",
        "Draft",
        "1 November 2026",
        "Confidential – NDA",
        "Acme Software Ltd.",
        "1 Market Street · London EC1A 1AA · United Kingdom",
        "Covers the Acme Cloud production service.",
    ):
        assert expected in cover
    assert "Prepared for" not in cover
    assert "Page 1 of" not in cover  # the cover carries no footer


def test_every_later_page_has_header_and_footer(draft_pdf: bytes) -> None:
    pages = page_texts(draft_pdf)
    assert len(pages) == 8
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of 8" in text
        assert "Version 2.1" in text
        assert "Acme Cloud · Product Security Document" in text
        assert "CONFIDENTIAL – NDA" in text


def test_document_control_page(draft_pdf: bytes) -> None:
    text = page_texts(draft_pdf)[1]
    assert "Document control" in text
    assert "Review cycle Every 12 months; next review by 1 November 2027" in text
    assert "Sam Lee, CISO · security@acme.example" in text
    assert "Jo Park CTO 28 October 2026" in text
    # Newest revision first.
    assert text.index("2.1 20 October 2026 Ana Ruiz Added the threat model.") < text.index(
        "2.0 1 May 2026 Sam Lee Annual review."
    )


def test_draft_watermark_on_every_page_while_not_approved(draft_pdf: bytes, approved_pdf: bytes) -> None:
    assert all("DRAFT" in text for text in page_texts(draft_pdf))
    assert not any("DRAFT" in text for text in page_texts(approved_pdf))
    assert "Approved" in page_texts(approved_pdf)[0]


def test_in_review_is_still_a_draft(project_root: Path) -> None:
    html = render_html(
        TEMPLATE,
        furniture=build_furniture(control("in_review"), title="T", project_root=project_root),
        context=sample_context(),
    )
    assert '<div class="watermark">DRAFT</div>' in html


def test_customer_on_cover_and_in_every_footer(approved_pdf: bytes) -> None:
    pages = page_texts(approved_pdf)
    assert "Prepared for Globex Corporation" in pages[0]
    for text in pages[1:]:
        assert "Prepared for Globex Corporation" in text


# -- contents, numbering and outline ----------------------------------------------------------

TOC_LINE = re.compile(r"^(\d+(?:\.\d+)?)\u2002(.+?) \.+ ?(\d+)$", re.MULTILINE)


def test_contents_page_numbers_are_the_real_pages(draft_pdf: bytes) -> None:
    pages = page_texts(draft_pdf)
    toc = [(number, title, int(page)) for number, title, page in TOC_LINE.findall(pages[2])]
    assert [(n, t) for n, t, _ in toc] == [
        ("1", "Introduction"),
        ("1.1", "Facts"),
        ("1.2", "History"),
        ("2", "Section 2"),
        ("2.1", "Part 2.1"),
        ("2.2", "Part 2.2"),
        ("3", "Section 3"),
        ("3.1", "Part 3.1"),
        ("3.2", "Part 3.2"),
        ("4", "Section 4"),
        ("4.1", "Part 4.1"),
        ("4.2", "Part 4.2"),
        ("5", "Section 5"),
        ("5.1", "Part 5.1"),
        ("5.2", "Part 5.2"),
    ]
    for number, title, page in toc:
        # The numbered heading is on the page the contents promise, and on no earlier one.
        heading = f"{number}\u2002{title}\n"
        assert heading in pages[page - 1] + "\n", (number, title, page)
        assert not any(heading in text + "\n" for text in pages[3 : page - 1])
        # Never orphaned: something of the section follows the heading on its page.
        assert pages[page - 1].split(heading, 1)[1].startswith(("Lorem", "Free text", "Annual fee", "Month"))


def test_new_page_sections_start_a_page(draft_pdf: bytes) -> None:
    pages = page_texts(draft_pdf)
    section_4 = next(i for i, text in enumerate(pages) if i > 2 and "4\u2002Section 4" in text)
    assert pages[section_4].startswith("4\u2002Section 4\nLorem ipsum")
    assert "3.2\u2002Part 3.2" in pages[section_4 - 1]


def test_outline_lists_every_section_with_its_page(draft_pdf: bytes) -> None:
    entries = outline(draft_pdf)
    toc = {title: int(page) for _, title, page in TOC_LINE.findall(page_texts(draft_pdf)[2])}
    assert [(depth, title) for depth, title, _ in entries] == [
        (1, "Document control"),
        (1, "Contents"),
        (1, "1. Introduction"),
        (2, "1.1 Facts"),
        (2, "1.2 History"),
        (1, "2. Section 2"),
        (2, "2.1 Part 2.1"),
        (2, "2.2 Part 2.2"),
        (1, "3. Section 3"),
        (2, "3.1 Part 3.1"),
        (2, "3.2 Part 3.2"),
        (1, "4. Section 4"),
        (2, "4.1 Part 4.1"),
        (2, "4.2 Part 4.2"),
        (1, "5. Section 5"),
        (2, "5.1 Part 5.1"),
        (2, "5.2 Part 5.2"),
    ]
    assert entries[0][2] == 2 and entries[1][2] == 3
    for _, title, page in entries[2:]:
        assert toc[title.split(" ", 1)[1]] == page


def test_add_table_of_contents_numbers_only_main_headings() -> None:
    page = (
        f'<nav>{TOC_MARKER}</nav><h1>Cover</h1><main><h1>One &amp; two</h1><h2 id="kept">Sub <em>x</em></h2>'
        '<h3>Not listed</h3><h1 class="no-toc">Skipped</h1></main>'
    )
    html, entries = add_table_of_contents(page)
    assert [(e.level, e.anchor, e.title_html) for e in entries] == [
        (1, "section-1", "One &amp; two"),
        (2, "kept", "Sub x"),
    ]
    assert '<h1 id="section-1">One &amp; two</h1>' in html
    assert '<li class="toc-level-1"><a href="#section-1"><span class="toc-title">One &amp; two</span></a></li>' in html
    assert "<h1>Cover</h1>" in html and TOC_MARKER not in html


def test_clauses_are_numbered_as_printed_and_cross_references_say_that_number() -> None:
    page = (
        f'<nav>{TOC_MARKER}</nav><main><h1 class="unnumbered">Parties</h1>'
        f"<p>See {xref('cap')} and {xref('credits', 'Clause')}; {xref('cap', 'number')}.</p>"
        '<h1 id="defs">Definitions</h1><h2>Terms</h2><h1 id="credits">Credits</h1><h2>Schedule</h2>'
        '<h2 id="cap">Cap</h2></main>'
    )
    html, entries = add_table_of_contents(page)
    assert [(e.number, e.title_html) for e in entries] == [
        ("", "Parties"),
        ("1", "Definitions"),
        ("1.1", "Terms"),
        ("2", "Credits"),
        ("2.1", "Schedule"),
        ("2.2", "Cap"),
    ]
    assert (
        'See <a class="xref" href="#cap">clause 2.2</a> and <a class="xref" href="#credits">Clause 2</a>; '
        '<a class="xref" href="#cap">2.2</a>.'
    ) in html
    assert '<li class="toc-level-1 unnumbered"><a href="#section-1">' in html


def test_a_cross_reference_to_no_numbered_clause_fails_the_build() -> None:
    page = f'<main><h1 class="unnumbered" id="parties">Parties</h1><h1 id="defs">D</h1>{xref("parties")}</main>'
    with pytest.raises(BuildError) as caught:
        add_table_of_contents(page)
    assert caught.value.message == "cross-reference to 'parties', which is not a numbered clause; numbered: defs"


def test_wide_tables_wrap_inside_the_margins_and_repeat_their_header(project_root: Path) -> None:
    rows = tuple(
        (
            f"THR-{i:04d}",
            "https://tickets.example.com/browse/" + "X" * 60 + str(i),
            "A long description of the threat " * (1 + i % 4) + "Supercalifragilistic" * 6,
            "Platform team" if i % 5 else "platform-" + "y" * 80,
        )
        for i in range(40)
    )
    ctx = replace(sample_context(), wide_rows=rows, sections=())
    html = render_html(
        TEMPLATE, furniture=build_furniture(control("approved"), title="T", project_root=project_root), context=ctx
    )
    # render_pdf gives long words their break opportunities before layout, as here.
    document = weasyprint.HTML(
        string=breakable_long_words(html),
        base_url=base_url_for(project_root),
        url_fetcher=RestrictedFetcher(project_root),
    ).render()
    for page in document.pages:
        box = page._page_box
        right = box.content_box_x() + box.width
        overflowing = [
            (t.text, t.position_x + t.width - right)
            for t in box.descendants()
            if isinstance(t, TextBox) and t.position_x + t.width > right + 0.5
        ]
        assert overflowing == []
    pages = page_texts(document.write_pdf())
    spanned = [i + 1 for i, text in enumerate(pages) if "THR-" in text and i > 2]
    assert len(spanned) >= 3
    for number in spanned:
        assert "Identifier Reference Description Owner" in pages[number - 1]


# -- metadata and determinism -------------------------------------------------------------------


def test_pdf_metadata(draft_pdf: bytes) -> None:
    meta = PdfReader(io.BytesIO(draft_pdf)).metadata
    assert dict(meta) == {
        "/Title": "Acme Cloud Product Security Document",
        "/Author": "Acme Software Ltd.",
        "/Subject": "Product Security Document for Acme Cloud, version 2.1",
        "/Keywords": "Acme Cloud, Product Security Document, Confidential – NDA",
        "/Creator": "trustdocs 0.1.0",
        "/Producer": "WeasyPrint 70.0",
        "/CreationDate": "D:20261101000000Z",
        "/ModDate": "D:20261101000000Z",
    }


def test_same_input_gives_identical_bytes(project_root: Path, draft_pdf: bytes) -> None:
    again = render(project_root, control("draft"))
    assert again == draft_pdf
    assert b"/ID [" in draft_pdf  # a content hash, not a random identifier


def test_no_weasyprint_warnings(project_root: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        render(project_root, control("approved"))
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


# -- free text is data, never markup or template --------------------------------------------------


def test_raw_html_and_template_syntax_in_input_are_shown_literally(draft_pdf: bytes) -> None:
    intro = page_texts(draft_pdf)[3]
    assert 'Free text with <img src="file:///etc/passwd"> and {{ 7*7 }}.' in intro
    assert "49" not in intro


def test_input_text_is_never_compiled_as_a_template(project_root: Path) -> None:
    ctx = sample_context(notes="{{ 7*7 }} {% if true %}x{% endif %} <script>alert(1)</script>")
    html = render_html(
        TEMPLATE, furniture=build_furniture(control(), title="T", project_root=project_root), context=ctx
    )
    assert "<p>{{ 7*7 }} {% if true %}x{% endif %} &lt;script&gt;alert(1)&lt;/script&gt;</p>" in html


def test_furniture_text_is_escaped(project_root: Path) -> None:
    ctl = control(product="Acme <b>Cloud</b>")
    html = render_html(
        TEMPLATE, furniture=build_furniture(ctl, title="T", project_root=project_root), context=sample_context()
    )
    assert "Acme &lt;b&gt;Cloud&lt;/b&gt;" in html
    assert "<b>Cloud</b>" not in html


# -- branding -----------------------------------------------------------------------------------


def test_logo_inside_the_project_is_on_the_cover(tmp_path: Path, file_opens: list[str]) -> None:
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "logo.png").write_bytes(png_bytes())
    file_opens.clear()
    pdf = render(tmp_path, control("approved", branding=Branding(logo="brand/logo.png", accent_color="#0b6e4f")))
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1
    assert str(tmp_path / "brand" / "logo.png") in file_opens


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        (
            "http://x/logo.png",
            "document.branding.logo: refused to load 'http://x/logo.png': network access is not allowed",
        ),
        (
            "https://cdn.example/l.svg",
            "document.branding.logo: refused to load 'https://cdn.example/l.svg': network access is not allowed",
        ),
        ("../../etc/passwd", "document.branding.logo: refused to load '../../etc/passwd': outside the project"),
        ("/etc/passwd", "document.branding.logo: refused to load '/etc/passwd': outside the project"),
        (
            "file:///etc/passwd",
            "document.branding.logo: refused to load 'file:///etc/passwd': "
            "file: URLs are not allowed; give a path relative to the project",
        ),
        ("missing.png", "document.branding.logo: refused to load 'missing.png': no such file"),
    ],
)
def test_bad_logo_is_refused_before_anything_is_read(
    tmp_path: Path, logo: str, message: str, file_opens: list[str]
) -> None:
    with pytest.raises(BuildError) as caught:
        render(tmp_path, control(branding=Branding(logo=logo)))
    assert caught.value.message == message
    assert "/etc/passwd" not in file_opens


def test_logo_symlink_leaving_the_project_is_refused(tmp_path: Path, file_opens: list[str]) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(png_bytes())
    project = tmp_path / "project"
    project.mkdir()
    (project / "logo.png").symlink_to(secret)
    file_opens.clear()
    with pytest.raises(BuildError) as caught:
        render(project, control(branding=Branding(logo="logo.png")))
    assert caught.value.message == "document.branding.logo: refused to load 'logo.png': outside the project"
    assert str(secret) not in file_opens


def test_accent_colour_must_be_a_hex_colour(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        build_furniture(
            control(branding=Branding(accent_color="red; } body { display: none")), title="T", project_root=tmp_path
        )
    assert caught.value.message == (
        "document.branding.accent_color: expected a hex colour such as '#1f4e79', found 'red; } body { display: none'"
    )


def test_accent_colour_reaches_the_stylesheet(tmp_path: Path) -> None:
    furniture = build_furniture(control(branding=Branding(accent_color="#0b6e4f")), title="T", project_root=tmp_path)
    html = render_html(TEMPLATE, furniture=furniture, context=sample_context())
    assert "<style>:root { --accent: #0b6e4f; }</style>" in html


# -- the environment and its filters --------------------------------------------------------------


def test_environment_is_strict_and_autoescaping() -> None:
    env = make_environment()
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    assert sorted(env.filters).count("markdown") == 1
    assert "_engine_test.html" in env.loader.list_templates()  # type: ignore[union-attr]


def test_missing_context_attribute_is_a_build_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        render_html(TEMPLATE, furniture=build_furniture(control(), title="T", project_root=tmp_path), context=object())
    assert caught.value.message == "template _engine_test.html: 'object object' has no attribute 'notes'"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 11, 1), "1 November 2026"),
        (dt.date(2027, 2, 28), "28 February 2027"),
        (None, "—"),
    ],
)
def test_date_filter(value: dt.date | None, expected: str) -> None:
    assert format_date(value) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((Decimal("144000"),), "$144,000"),
        ((Decimal("1250.5"), "EUR"), "€1,250.50"),
        ((Decimal("250000"), "CHF"), "CHF 250,000"),
        ((None,), "—"),
    ],
)
def test_money_filter(args: tuple, expected: str) -> None:
    assert format_money(*args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((Decimal("99.90"),), "99.9 %"),
        ((Decimal("100"),), "100 %"),
        ((Decimal("99.8999"), 3), "99.899 %"),
        ((Decimal("99.8"), 2), "99.80 %"),
        ((None,), "—"),
    ],
)
def test_percent_filter(args: tuple, expected: str) -> None:
    assert format_percent(*args) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3 * 86400 + 15 * 3600 + 36 * 60, "3 d 15 h 36 min"),
        (Decimal("2419.2"), "40 min 19.2 s"),
        (dt.timedelta(minutes=4, seconds=1.92), "4 min 1.9 s"),
        (0, "0 s"),
        (None, "—"),
    ],
)
def test_duration_filter(value: object, expected: str) -> None:
    assert format_duration(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "expected"), [(True, "Yes"), (False, "No"), (None, "—")])
def test_yesno_filter(value: bool | None, expected: str) -> None:
    assert format_yesno(value) == expected


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 1), 12) == dt.date(2027, 11, 1)
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)


# -- the registry ---------------------------------------------------------------------------------


def partial_project(root: Path, customer: Customer | None = None) -> Project:
    """A Project with only what the furniture needs; the engine sample reads nothing else."""
    return Project(
        root=root,
        document=control("approved"),
        architecture=None,
        security=None,  # type: ignore[arg-type]
        threat_model=None,
        customer=customer,
    )  # type: ignore[arg-type]


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> list[DocumentSpec]:
    fresh: list[DocumentSpec] = []
    monkeypatch.setattr(documents, "DOCUMENTS", fresh)
    return fresh


def test_register_and_select_documents(registry: list[DocumentSpec], tmp_path: Path) -> None:
    sample = register(DocumentSpec("sample", "sample.pdf", TEMPLATE, "Engine Sample", lambda project: sample_context()))
    register(
        DocumentSpec(
            "for-customers",
            "customer.pdf",
            TEMPLATE,
            "Customer Only",
            lambda project: sample_context(),
            requires=lambda project: project.customer is not None,
        )
    )
    assert [s.name for s in documents_for(partial_project(tmp_path))] == ["sample"]
    globex = Customer("Globex Corporation", "Globex")
    assert [s.name for s in documents_for(partial_project(tmp_path, globex))] == ["sample", "for-customers"]
    with pytest.raises(ValueError, match="document 'sample' \\(sample.pdf\\) is already registered"):
        register(sample)


def test_spec_renders_a_pdf(registry: list[DocumentSpec], tmp_path: Path) -> None:
    spec = register(
        DocumentSpec(
            "sample",
            "sample.pdf",
            TEMPLATE,
            "Engine Sample",
            lambda project: sample_context(),
            keywords=("sample", "engine"),
        )
    )
    pdf = spec.render(partial_project(tmp_path, Customer("Globex Corporation", "Globex")))
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Acme Cloud Engine Sample"
    assert reader.metadata["/Keywords"] == "sample, engine"
    assert "Prepared for Globex Corporation" in reader.pages[0].extract_text()
