"""The addenda as Word documents: real headings with the PDF's clause numbers, tables as Word tables,
the same text as the PDF, the same bytes every time."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import docx
import pytest
from pypdf import PdfReader

from tests.conftest import GLOBEX, SAMPLE
from trustdocs.project import load_project
from trustdocs.render.addenda import ADDENDA
from trustdocs.render.docx import docx_text, render_docx


@pytest.fixture(scope="module")
def globex():
    return load_project(SAMPLE, GLOBEX).project


@pytest.fixture(scope="module")
def rendered(globex, shared_render_cache):
    """name -> (docx bytes, the PDF's text from the first page of the body on, the document's furniture)."""
    out = {}
    for spec in ADDENDA:
        pdf = spec.render(globex, shared_render_cache)  # only read: laid out once per run
        reader = PdfReader(io.BytesIO(pdf))
        first = next(
            reader.get_destination_page_number(o)
            for o in reader.outline
            if not isinstance(o, list) and o.title not in ("Document control", "Contents")
        )
        text = subprocess.run(
            ["pdftotext", "-f", str(first + 1), "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        out[spec.name] = (render_docx(spec.render_html(globex), spec.furniture(globex)), text, spec.furniture(globex))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_same_addendum_gives_the_same_docx_bytes(globex, rendered) -> None:
    spec = ADDENDA[0]
    assert render_docx(spec.render_html(globex), spec.furniture(globex)) == rendered[spec.name][0]


def test_clauses_are_word_headings_with_the_pdf_numbers(rendered) -> None:
    document = docx.Document(io.BytesIO(rendered["sla-addendum"][0]))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Parties") in headings
    assert ("Heading 1", "1\u2002Definitions and interpretation") in headings
    assert ("Heading 2", "1.1\u2002Definitions") in headings
    numbered = [text.split("\u2002")[0] for _, text in headings if "\u2002" in text]
    assert numbered[:3] == ["1", "1.1", "1.2"]
    pdf_text = rendered["sla-addendum"][1]
    for _, text in headings:
        if "\u2002" in text:
            number, title = text.split("\u2002", 1)
            assert f"{number} {title}" in pdf_text.replace("\u2002", " "), text


def test_tables_are_word_tables(rendered) -> None:
    document = docx.Document(io.BytesIO(rendered["sla-addendum"][0]))
    assert len(document.tables) >= 3
    services = document.tables[0]
    assert [cell.text for cell in services.rows[0].cells] == ["Service", "Scope", "Commitment", "Share of the Fees"]
    assert [cell.text for cell in services.rows[1].cells][::2] == ["Ledger API", "99.95 %"]


def _words(text: str) -> set[str]:
    return {word.casefold() for word in re.findall(r"[^\W_]+", text)}


@pytest.mark.parametrize("name", [spec.name for spec in ADDENDA])
def test_the_docx_and_the_pdf_have_the_same_words_and_figures(rendered, name) -> None:
    data, pdf_text, furniture = rendered[name]
    text = docx_text(data)
    pdf_words, docx_words = _words(pdf_text), _words(text)
    # What the PDF's pages add: running header and footer, page numbers, the watermark's letters.
    pages = _words(
        " ".join(
            [
                furniture.product,
                furniture.title,
                furniture.classification_label,
                f"Version {furniture.version}",
                f"Prepared for {furniture.customer_name}",
                "Page of",
                "D R A F T",
            ]
        )
    )
    pages |= {str(n) for n in range(1, 200)}
    # A word the PDF hyphenates at a line end ("rate-limited" read back as "ratelimited") or a hash it
    # wraps over lines is still the same text.
    squashed_pdf, squashed_docx = (re.sub(r"[\s\-]", "", t).casefold() for t in (pdf_text, text))
    assert {w for w in docx_words - pdf_words if w not in squashed_pdf} == set()
    assert {w for w in pdf_words - docx_words - pages if w not in squashed_docx} == set()
    figures = set(re.findall(r"\d[\d,.]*\s?%|[$€£]\s?\d[\d,.]*", pdf_text))
    assert {f for f in figures if _squash(f) not in _squash(text)} == set()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_every_docx_to_pdf(rendered, tmp_path) -> None:
    for name, (data, _pdf_text, _) in rendered.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *sorted(str(p) for p in tmp_path.glob("*.docx")),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for name, (_, _pdf_text, _) in rendered.items():
        converted = subprocess.run(
            ["pdftotext", str(tmp_path / "pdf" / f"{name}.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Definitions" in converted or "Parties" in converted, name


def test_build_docx_writes_a_word_document_per_addendum_and_lists_it_in_the_manifest(tmp_path, warm_cache) -> None:
    from click.testing import CliRunner

    from trustdocs.cli import main

    # Only the Word documents and the manifest are read: the PDFs come from a warm cache.
    cache = str(warm_cache(tmp_path / "cache"))
    result = CliRunner().invoke(
        main, ["build", str(SAMPLE), "-o", str(tmp_path / "out"), "--docx", "--cache-dir", cache, "-q"]
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "out").glob("*.docx"))
    assert written == sorted(spec.docx_filename for spec in ADDENDA)
    manifest = (tmp_path / "out" / "manifest.json").read_text(encoding="utf-8")
    assert all(name in manifest for name in written)
    document = docx.Document(tmp_path / "out" / "sla-addendum.docx")
    assert document.paragraphs[0].text == "Service Level Agreement Addendum"
