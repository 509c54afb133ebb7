"""`trustdocs packet`: the Globex packet as a reader sees it: outline, contents, footers, attachments, bytes."""

from __future__ import annotations

import csv
import importlib.resources
import io
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import tinycss2
from click.testing import CliRunner
from pdfa_check import check_pdfa
from pypdf import PdfReader

from tests.conftest import GLOBEX, SAMPLE, SharedOutput
from trustdocs.cli import main
from trustdocs.errors import BuildError
from trustdocs.model.project import Customer
from trustdocs.packet import build_packet, render_packet_outputs
from trustdocs.project import load_project
from trustdocs.render.documents import documents_for
from trustdocs.render.packet import PacketSection, number_sections, packet_filename, render_part
from trustdocs.write.manifest import sha256_hex

CUSTOMER = "Globex Corporation"
DOCUMENT_TITLES = [
    "Product Security Document",
    "Service Level Agreement Addendum",
    "Service Performance Report",
    "Insurance Summary",
    "Indemnification and Liability Addendum",
    "Source Code Escrow Procedure",
    "Architecture diagrams",
]
DIAGRAM_SECTIONS = [
    "1. Overview of the whole system",
    "2. Data-flow diagram of the whole system",
    "3. Trust boundary: Application subnet (Amazon EKS)",
    "4. Trust boundary: Data subnet",
]
_TOC_LINE = re.compile(r"^(?:(\d+)\u2002)?(.+?) \.{3,} (\d+)$")


@dataclass(frozen=True)
class Bookmark:
    level: int
    title: str
    page: int
    """1-based."""


@dataclass(frozen=True)
class Built:
    out: Path
    stdout: str
    pdf: Path
    reader: PdfReader
    texts: list[str]
    outline: list[Bookmark]


def _outline(reader: PdfReader) -> list[Bookmark]:
    found: list[Bookmark] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append(Bookmark(level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


@pytest.fixture(scope="module")
def built(shared_output: Callable[..., SharedOutput]) -> Built:
    """Globex's packet, made once per run (tests/test_figures.py reads it too); only read here."""
    packet = shared_output("globex-packet", "packet", str(SAMPLE), "--customer", str(GLOBEX))
    pdf = packet.out / "packet-globex.pdf"
    reader = PdfReader(pdf)
    return Built(
        packet.out, packet.stdout, pdf, reader, [page.extract_text() for page in reader.pages], _outline(reader)
    )


def test_writes_the_packet_and_the_questionnaire(built: Built) -> None:
    assert sorted(p.name for p in built.out.iterdir()) == [
        "packet-globex.pdf",
        "questionnaire.csv",
        "questionnaire.xlsx",
    ]
    lines = built.stdout.splitlines()
    assert [re.sub(r" \([\d,]+ bytes\)$", "", line) for line in lines] == [
        f"wrote {built.out / name}" for name in ("packet-globex.pdf", "questionnaire.csv", "questionnaire.xlsx")
    ]
    for line, name in zip(lines, ("packet-globex.pdf", "questionnaire.csv", "questionnaire.xlsx"), strict=True):
        assert line.endswith(f"({(built.out / name).stat().st_size:,} bytes)")


def test_qpdf_finds_no_errors(built: Built) -> None:
    qpdf = shutil.which("qpdf")
    assert qpdf, "qpdf is needed for this test (installed by `make`)"
    check = subprocess.run([qpdf, "--check", str(built.pdf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors found" in check.stdout


def test_the_cover_says_who_it_is_for(built: Built) -> None:
    cover = " ".join(built.texts[0].split())
    assert f"Prepared for {CUSTOMER}: confidential, under NDA" in cover
    assert "Customer Trust Packet" in cover
    assert "Attached to this PDF as files: questionnaire.xlsx" in cover
    assert built.reader.metadata.title == "Acme Ledger Customer Trust Packet"


def test_the_customer_is_named_on_every_page(built: Built) -> None:
    missing = [number for number, text in enumerate(built.texts, start=1) if CUSTOMER not in text]
    assert missing == []
    # Every page but the full-bleed cover carries the stamp in its footer.
    unstamped = [
        number for number, text in enumerate(built.texts[1:], start=2) if f"Prepared for {CUSTOMER}" not in text
    ]
    assert unstamped == []


def test_page_numbers_run_over_the_whole_packet(built: Built) -> None:
    total = len(built.texts)
    assert total > 40
    wrong = [number for number, text in enumerate(built.texts[1:], start=2) if f"Page {number} of {total}" not in text]
    assert wrong == []
    assert "Page 1 of" not in built.texts[0]


def test_outline_has_every_document_at_level_1(built: Built) -> None:
    top = [b.title for b in built.outline if b.level == 1]
    assert top == ["Contents", *DOCUMENT_TITLES]
    pages = [b.page for b in built.outline if b.level == 1]
    assert pages == sorted(pages)


def test_outline_nests_sections_under_their_document(built: Built) -> None:
    sections: dict[str, list[Bookmark]] = {}
    current = ""
    for bookmark in built.outline:
        if bookmark.level == 1:
            current = bookmark.title
            sections[current] = []
        elif bookmark.level == 2:
            sections[current].append(bookmark)
    starts = {b.title: b.page for b in built.outline if b.level == 1}
    for title in DOCUMENT_TITLES:
        # An instrument's preamble ("Parties") and its schedules ("Schedule 1 …") have no number; every
        # numbered section counts from 1.
        numbered = [b for b in sections[title] if b.title[0].isdigit()]
        assert all(
            b.title == "Parties" or b.title.startswith("Schedule ") for b in sections[title] if b not in numbered
        ), title
        numbers = [int(b.title.split(".", 1)[0]) for b in numbered]
        assert numbers == list(range(1, len(numbers) + 1)), title
        assert len(numbers) >= 3, title
        assert all(b.page >= starts[title] for b in sections[title]), title
    assert [b.title for b in sections["Architecture diagrams"]] == DIAGRAM_SECTIONS
    # Subsections are one level further down.
    assert any(b.level == 3 and b.title.startswith("1.1 ") for b in built.outline)


def test_contents_lists_documents_and_sections_with_their_pages(built: Built) -> None:
    start = built.outline[0].page
    end = next(b.page for b in built.outline if b.title == DOCUMENT_TITLES[0])
    lines = [line for text in built.texts[start - 1 : end - 1] for line in text.splitlines()]
    entries = [match.groups() for match in map(_TOC_LINE.match, lines) if match]
    expected = []
    for bookmark in built.outline:
        if bookmark.level == 1 and bookmark.title != "Contents":
            expected.append((None, bookmark.title, str(bookmark.page)))
        elif bookmark.level == 2:
            number, _, title = (
                bookmark.title.rpartition(". ") if bookmark.title[0].isdigit() else ("", "", bookmark.title)
            )
            expected.append((number or None, title, str(bookmark.page)))
    assert entries == expected


def test_each_document_starts_on_its_first_page_with_its_heading(built: Built) -> None:
    for number, title in enumerate(DOCUMENT_TITLES, start=1):
        page = next(b.page for b in built.outline if b.title == title)
        text = built.texts[page - 1]
        assert f"PART {number} OF {len(DOCUMENT_TITLES)}" in text
        assert title in text


def test_diagrams_are_vector_pages_of_the_size_they_need(built: Built) -> None:
    diagram_pages = [b.page for b in built.outline if b.title in DIAGRAM_SECTIONS]
    assert diagram_pages == list(range(diagram_pages[0], diagram_pages[0] + 4))
    assert diagram_pages[-1] == len(built.texts)
    sizes = [
        tuple(round(float(v)) for v in built.reader.pages[page - 1].mediabox.upper_right) for page in diagram_pages
    ]
    # A4 landscape for the overview, A3 landscape for the whole system and the application subnet, A4 portrait
    # for the data subnet: each the smallest page that prints its 14 pt labels at 7 pt or more.
    assert sizes == [(842, 595), (1191, 842), (1191, 842), (595, 842)]
    for page in diagram_pages[1:]:
        # Text drawn by the SVG is still text: the diagram is vector, not a picture of it.
        assert "Ledger API" in built.texts[page - 1]
    assert "23 components, 27 data flows, 4 trust boundaries." in built.texts[diagram_pages[1] - 1]


def test_questionnaire_and_manifest_are_attached(built: Built) -> None:
    attachments = built.reader.attachments
    # Sorted by name, as the PDF's name tree of embedded files must be.
    assert list(attachments) == ["manifest.json", "questionnaire.xlsx"]
    xlsx = attachments["questionnaire.xlsx"][0]
    assert xlsx == (built.out / "questionnaire.xlsx").read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert sheet.max_row > 100
    manifest = json.loads(attachments["manifest.json"][0])
    assert [(o["path"], o["sha256"]) for o in manifest["outputs"]] == [
        (name, sha256_hex((built.out / name).read_bytes())) for name in ("questionnaire.csv", "questionnaire.xlsx")
    ]
    assert "trustdocs.yaml" in [f["path"] for f in manifest["inputs"]["files"]]
    rows = list(csv.reader(io.StringIO((built.out / "questionnaire.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) > 100


def test_the_packet_is_pdfa_with_its_attachments_as_associated_files(built: Built) -> None:
    files = check_pdfa(built.pdf)
    assert [(f.name, f.relationship, f.mime_type) for f in files] == [
        ("manifest.json", "/Data", "/application/json"),
        ("questionnaire.xlsx", "/Supplement", "/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]


def test_the_same_inputs_give_the_same_bytes(built: Built, tmp_path: Path) -> None:
    project = load_project(SAMPLE, GLOBEX).project
    again = {path: data for path, data in render_packet_outputs(project, tmp_path)}
    assert sorted(again) == ["packet-globex.pdf", "questionnaire.csv", "questionnaire.xlsx"]
    for path, data in again.items():
        assert data == (built.out / path).read_bytes(), path


def test_without_customer_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["packet", str(SAMPLE), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "Error: Missing option '--customer'." in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_project_without_customer_is_refused(tmp_path: Path) -> None:
    project = load_project(SAMPLE).project
    with pytest.raises(BuildError) as error:
        build_packet(project, tmp_path / "out")
    assert error.value.message == "a packet is prepared for one customer: give the customer file with --customer"
    assert not (tmp_path / "out").exists()


def _declarations(sheet: str) -> dict[str, dict[str, str]]:
    """Selector -> property -> value, for the plain rules of a packaged stylesheet."""
    text = importlib.resources.files("trustdocs.templates").joinpath(*sheet.split("/")).read_text(encoding="utf-8")
    found: dict[str, dict[str, str]] = {}
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        declarations = {
            d.name: tinycss2.serialize(d.value).strip()
            for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True)
            if d.type == "declaration"
        }
        for selector in tinycss2.serialize(rule.prelude).split(","):
            found.setdefault(" ".join(selector.split()), {}).update(declarations)
    return found


def test_documents_do_not_restyle_each_other_in_the_packet() -> None:
    """The packet loads every document's stylesheet into one HTML document, so a selector two of them style
    differently would change one document's layout inside the packet only."""
    project = load_project(SAMPLE, GLOBEX).project
    sheets = sorted(
        {
            href
            for spec in documents_for(project)
            for href in re.findall(r'href="trustdocs:([^"]+)"', str(render_part(spec, project)[0]))
        }
    )
    assert {"addenda/addenda.css", "security/security-document.css"} <= set(sheets)
    styled = {sheet: _declarations(sheet) for sheet in sheets}
    clashes = []
    for index, first in enumerate(sheets):
        for second in sheets[index + 1 :]:
            for selector in sorted(set(styled[first]) & set(styled[second])):
                a, b = styled[first][selector], styled[second][selector]
                clashes += [
                    f"{selector} {{ {name} }}: {first} vs {second}"
                    for name in sorted(set(a) & set(b))
                    if a[name] != b[name]
                ]
    assert clashes == []


def test_sections_get_ids_unique_in_the_packet() -> None:
    body = (
        '<h1 class="unnumbered">Parties</h1><h1>Scope</h1><p>x <a href="#kept">see</a></p>'
        '<h1 class="no-toc">Annex</h1><h2>Detail</h2>'
        '<h1 id="kept" class="new-page">Terms &amp; <em>conditions</em></h1><h1>Last</h1>'
    )
    numbered, sections = number_sections(body, "sla")
    assert numbered == (
        '<h1 id="sla-section-1" class="unnumbered">Parties</h1><h1 id="sla-section-2">Scope</h1>'
        '<p>x <a href="#sla-kept">see</a></p><h1 id="sla-section-3" class="no-toc">Annex</h1>'
        '<h2 id="sla-section-4">Detail</h2>'
        '<h1 id="sla-kept" class="new-page">Terms &amp; <em>conditions</em></h1>'
        '<h1 id="sla-section-5">Last</h1>'
    )
    assert sections == (
        PacketSection("sla-section-1", "Parties", ""),
        PacketSection("sla-section-2", "Scope", "1"),
        PacketSection("sla-kept", "Terms &amp; conditions", "3"),
        PacketSection("sla-section-5", "Last", "4"),
    )


@pytest.mark.parametrize(
    ("short_name", "filename"),
    [
        ("Globex", "packet-globex.pdf"),
        ("Initech, Inc.", "packet-initech-inc.pdf"),
    ],
)
def test_packet_file_is_named_after_the_customer(short_name: str, filename: str) -> None:
    assert packet_filename(Customer(legal_name="X", short_name=short_name)) == filename


def test_every_packet_diagram_prints_its_text_at_seven_points_or_more(built: Built) -> None:
    from test_diagram_print import DIAGRAM_FONT, diagram_pages, printed_words, seven_point_height

    # The security document's diagrams, then the packet's own diagram part.
    pages = diagram_pages(printed_words(built.pdf.read_bytes()))
    assert len(pages) == 2 * len(DIAGRAM_SECTIONS)
    assert min(word.height for page in pages for word in page.words) >= seven_point_height(DIAGRAM_FONT) - 0.01
