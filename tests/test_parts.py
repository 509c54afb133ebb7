"""A document laid out in parts and joined reads exactly like the same document laid out in one pass."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pdfa_check import check_pdfa
from pypdf import PdfReader

from trustdocs.errors import BuildError
from trustdocs.model.project import Project
from trustdocs.project import load_project
from trustdocs.render import parts
from trustdocs.render.cache import RenderCache
from trustdocs.render.documents import DOCUMENTS, DocumentSpec, PdfJob
from trustdocs.render.parts import ANCHOR_SCHEME, front_with_pages, split_document, worth_splitting

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs" / "acme"


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(SAMPLE, today=dt.date(2026, 11, 1)).project


@pytest.fixture(scope="module")
def spec() -> DocumentSpec:
    return next(spec for spec in DOCUMENTS if spec.name == "security")


@pytest.fixture(scope="module")
def job(spec: DocumentSpec, project: Project) -> PdfJob:
    return spec.pdf_job(project)


@pytest.fixture(scope="module", autouse=True)
def every_section_a_part() -> Iterator[None]:
    """The sample is too short to be split (PARTS_MIN_WORK): here it is, one part per new-page chapter."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parts, "PARTS_MIN_WORK", 0)
        patch.setattr(parts, "PART_MIN_WORK", 0)
        yield


@pytest.fixture(scope="module")
def joined_pdf(spec: DocumentSpec, project: Project) -> bytes:
    """The security document laid out in parts and joined, without a cache (made once: the tests only read it)."""
    return spec.render(project)


@pytest.fixture(scope="module")
def joined(joined_pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(joined_pdf))


@pytest.fixture(scope="module")
def single(job: PdfJob, shared_render_cache: RenderCache) -> PdfReader:
    """The same HTML laid out in one WeasyPrint pass, as every other document is: the document
    tests/test_security_document.py reads, so taken from the run's shared render cache."""
    return PdfReader(io.BytesIO(job.render(shared_render_cache)))


def _page_words(reader: PdfReader) -> list[list[str]]:
    # Sorted: the page number drawn over a joined page comes last in its content, not where the footer was.
    return [sorted(page.extract_text().split()) for page in reader.pages]


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page number) of every outline entry, in order."""
    entries: list[tuple[int, str, int]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                entries.append((depth, item.title, reader.get_destination_page_number(item) + 1))  # type: ignore

    walk(reader.outline, 0)
    return entries


def test_only_a_long_document_is_split_and_short_chapters_share_a_part(
    job: PdfJob, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parts, "PARTS_MIN_WORK", 20_000)
    monkeypatch.setattr(parts, "PART_MIN_WORK", 2_000)
    assert not worth_splitting(job.html)  # the sample's body: about 6,500 tags
    # Tags from each new-page chapter on: 170, 2,780, 3,550. A part takes the next chapter while it holds
    # fewer than 2,000: 170 takes the architecture; then the threat model starts the second part.
    firsts = [re.search(r"<h1[^>]*>([^<]*)</h1>", body)[1] for body in split_document(job.html).bodies]
    assert firsts == ["Executive summary", "Threat model"]
    monkeypatch.setattr(parts, "PARTS_MIN_WORK", 6_000)
    assert worth_splitting(job.html)


def test_the_security_document_is_cut_where_its_chapters_start_a_page(job: PdfJob) -> None:
    split = split_document(job.html)
    firsts = [re.search(r"<h1[^>]*>([^<]*)</h1>", body)[1] for body in split.bodies]
    assert firsts == ["Executive summary", "Architecture", "Threat model"]
    # Section numbers run on: each part's <main> starts from the chapters before it.
    assert [re.search(r'<main style="counter-reset: h1 (\d+)">', body)[1] for body in split.bodies] == ["0", "2", "15"]
    assert "<main" not in split.front and "<h1 id=" not in split.front  # the cover, control and contents only


def test_each_part_carries_the_running_strings_on_its_first_element(job: PdfJob) -> None:
    for body in split_document(job.html).bodies:
        first = re.search(r"<main[^>]*>\s*(<[^>]*>)", body)[1]
        assert 'data-running-title="Acme Ledger · Product Security Document"' in first
        assert 'data-running-version="' in first and 'data-running-classification="' in first


def test_the_contents_gets_literal_page_numbers_and_links_into_other_parts() -> None:
    front = '<ol class="toc-list"><li><a href="#section-1">One</a></li><li><a href="#section-2">Two</a></li></ol>'
    assert front_with_pages(front, {"section-1": 5, "section-2": 9}) == (
        f'<ol class="toc-list"><li><a href="{ANCHOR_SCHEME}section-1" data-page="5">One</a></li>'
        f'<li><a href="{ANCHOR_SCHEME}section-2" data-page="9">Two</a></li></ol>'
    )
    with pytest.raises(BuildError) as error:
        front_with_pages(front, {"section-1": 5})
    assert error.value.message == "the contents link to '#section-2', which no part of the document holds"


def test_joined_pages_read_like_one_pass(joined: PdfReader, single: PdfReader) -> None:
    assert len(joined.pages) == len(single.pages)
    # To a thousandth of a point: pypdf writes an A3 page's 1190.551181 pt as 1190.55118.
    assert [tuple(round(float(v), 3) for v in p.mediabox) for p in joined.pages] == [
        tuple(round(float(v), 3) for v in p.mediabox) for p in single.pages
    ]
    # Every word of every page, the contents' page numbers and the "Page X of Y" footers included.
    assert _page_words(joined) == _page_words(single)


def test_joined_outline_is_the_one_pass_outline(joined: PdfReader, single: PdfReader) -> None:
    outline = _outline(joined)
    assert outline == _outline(single)
    assert (0, "16. Threat model", 26) in outline


def test_contents_links_lead_to_their_sections(joined: PdfReader) -> None:
    destinations = joined.named_destinations
    names: dict[str, None] = {}  # in order; WeasyPrint puts a link on each box of an entry
    for page in joined.pages[2:4]:  # the contents
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            assert "/A" not in annotation  # no trustdocs-anchor: URI is left for a viewer to open
            names[annotation["/Dest"]] = None
    followed = [joined.get_destination_page_number(destinations[name]) + 1 for name in names]
    # The contents lists the chapters and sections the outline lists after its first two entries, in order.
    outline = _outline(joined)
    assert [title for _, title, _ in outline[:2]] == ["Document control", "Contents"]
    assert followed == [page for _, _, page in outline[2:]]
    assert len(followed) == 57  # 21 chapters and 36 sections


def test_a_joined_document_stays_pdfa_with_its_associated_files(
    joined_pdf: bytes, single: PdfReader, tmp_path: Path
) -> None:
    joined = tmp_path / "joined.pdf"
    joined.write_bytes(joined_pdf)
    one_pass = tmp_path / "single.pdf"
    single.stream.seek(0)
    one_pass.write_bytes(single.stream.read())
    files = check_pdfa(joined)
    assert [(f.name, f.relationship, f.data) for f in files] == [
        (f.name, f.relationship, f.data) for f in check_pdfa(one_pass)
    ]
    assert [f.name for f in files] == ["architecture.yaml", "trustdocs-sources.json", "trustdocs.yaml"]
    assert PdfReader(joined).xmp_metadata is not None


def test_every_page_after_the_cover_is_numbered_once(joined: PdfReader) -> None:
    total = len(joined.pages)
    for number, page in enumerate(joined.pages, start=1):
        text = page.extract_text()
        assert text.count(" of " + str(total)) == (0 if number == 1 else 1)
        if number > 1:
            assert f"Page {number} of {total}" in text


SAME_BYTES_SCRIPT = """
import datetime as dt, sys
from pathlib import Path
from trustdocs import render
from trustdocs.build import render_outputs
from trustdocs.project import load_project
from trustdocs.render import parts
from trustdocs.render.cache import RenderCache

if __name__ == "__main__":
    parts.PARTS_MIN_WORK = parts.PART_MIN_WORK = 0
    project = load_project(Path(sys.argv[1]), today=dt.date(2026, 11, 1)).project
    alone = dict(render_outputs(project, Path(sys.argv[2]), parallel=False))
    shared = dict(render_outputs(project, Path(sys.argv[2]), parallel=True))
    assert alone.keys() == shared.keys(), (sorted(alone), sorted(shared))
    print(" ".join(name for name in alone if alone[name] != shared[name]) or "same")
"""


def test_a_build_in_one_process_with_workers_and_from_the_cache_give_the_same_bytes(tmp_path: Path) -> None:
    # In a fresh interpreter: the fonts and caches earlier tests loaded into this one are not a build's.
    script = tmp_path / "same_bytes.py"
    script.write_text(SAME_BYTES_SCRIPT, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script), str(SAMPLE), str(tmp_path / "out")], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "same"


def test_a_document_in_parts_has_the_same_bytes_from_the_render_cache(
    spec: DocumentSpec, project: Project, joined_pdf: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trustdocs.render import documents

    uncached = joined_pdf
    cache = RenderCache(tmp_path / "cache")
    assert spec.render(project, cache) == uncached  # every part laid out, then cached
    laid_out: list[str] = []
    real = documents.render_pdf
    monkeypatch.setattr(documents, "render_pdf", lambda html, **kw: laid_out.append(html) or real(html, **kw))
    assert spec.render(project, cache) == uncached  # the joined document taken from the cache
    assert laid_out == []
