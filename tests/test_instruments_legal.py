"""The indemnification addendum, the insurance summary and the escrow procedure as counsel reads them, built
for the sample and for Globex: every cross-reference lands on the clause it names, the vendor is "the
Provider" after the preamble, and nothing of the vendor's own checks reaches the page."""

from __future__ import annotations

import html
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from trustdocs.project import load_project
from trustdocs.render.addenda import ESCROW_PROCEDURE, INDEMNIFICATION_ADDENDUM, INSURANCE_SUMMARY

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs" / "acme"
GLOBEX = SAMPLE / "customers" / "globex.yaml"
SPECS = (INDEMNIFICATION_ADDENDUM, INSURANCE_SUMMARY, ESCROW_PROCEDURE)
BUILDS = [(build, spec.name) for build in ("sample", "globex") for spec in SPECS]


@dataclass(frozen=True)
class Built:
    html: str
    pdf: bytes
    reader: PdfReader
    pages: tuple[str, ...]
    """Each page's text, whitespace collapsed."""

    @property
    def text(self) -> str:
        return " ".join(self.pages)


@pytest.fixture(scope="module")
def projects():
    return {"sample": load_project(SAMPLE).project, "globex": load_project(SAMPLE, customer=GLOBEX).project}


@pytest.fixture(scope="module")
def built(projects, shared_render_cache) -> dict[tuple[str, str], Built]:
    out = {}
    for build, project in projects.items():
        for spec in SPECS:
            data = spec.render(project, shared_render_cache)  # only read: laid out once per run
            reader = PdfReader(io.BytesIO(data))
            pages = tuple(" ".join((p.extract_text() or "").split()) for p in reader.pages)
            out[build, spec.name] = Built(spec.render_html(project), data, reader, pages)
    return out


# -- what the vendor checks never reaches a customer document -------------------------------------

LEAKS = {
    "a verdict": re.compile(r"\b(?:NOT )?MET\b|\bverdict\b", re.IGNORECASE),
    "a finding code": re.compile(r"\b(?:COV|TD|HYG)-\d"),
    "an incident id": re.compile(r"\bINC-\d{4}"),
    "a review status": re.compile(r"overdue", re.IGNORECASE),
    "an age": re.compile(r"\b\d+ (?:day|week|month|year)s? ago\b", re.IGNORECASE),
    "the tool's name": re.compile(r"trustdocs", re.IGNORECASE),
    "a check result": re.compile(r"\b(?:Passed|Failed|Not verified|Below|This procedure)\b|☐"),
    "the agent's report ids": re.compile(r"HES-VR-"),
}


@pytest.mark.parametrize(("build", "name"), BUILDS)
def test_no_check_result_reaches_the_document(built, projects, build, name):
    text = built[build, name].text
    found = {what: pattern.findall(text) for what, pattern in LEAKS.items() if pattern.search(text)}
    assert found == {}
    # Internal ids of the inputs (policy and deposit-item ids) stay internal.
    project = projects[build]
    ids = [p.id for p in project.insurance.policies] + [i.id for i in project.escrow.contents]
    assert [i for i in ids if "-" in i and i in text] == []


def _operative_text(document_html: str) -> str:
    """The clauses from the definitions on, without the signature block: where only "the Provider" may
    name the vendor."""
    body = document_html[document_html.index('id="definitions"') :]
    body = re.sub(r'<div class="signature-block">.*?</div>\s*</div>\s*</div>', "", body, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize(("build", "name"), BUILDS)
def test_the_vendor_is_the_provider_after_the_preamble(built, projects, build, name):
    document = built[build, name]
    vendor = projects[build].document.vendor
    operative = _operative_text(document.html)
    assert "the Provider" in operative
    for vendor_name in {vendor.legal_name, "Acme"}:
        assert vendor_name not in operative
    # The preamble and the signature block do name it.
    assert document.html.count(vendor.legal_name) >= 2


# -- cross-references -------------------------------------------------------------------------------

_NUMBER = r"\d+(?:\.\d+)?"
_CITATION = re.compile(rf"\b[Cc]lauses? ({_NUMBER}(?:(?:, | and | or | to ){_NUMBER})*)")


def _headings(reader: PdfReader) -> dict[str, int]:
    """Clause number → page index, from the outline ("6.2 Super-Cap")."""
    numbers: dict[str, int] = {}

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            match = re.match(rf"({_NUMBER})\.? ", item.title)
            if match:
                numbers[match[1].rstrip(".")] = reader.get_destination_page_number(item)

    walk(reader.outline)
    return numbers


@pytest.mark.parametrize(("build", "name"), BUILDS)
def test_every_clause_cited_exists(built, build, name):
    document = built[build, name]
    headings = _headings(document.reader)
    # The preamble cites the Agreement's own clauses ("clause 14 (Insurance) of the Agreement").
    body = document.text[document.text.index("In this Addendum the following terms have these meanings") :]
    cited = [n for match in _CITATION.finditer(body) for n in re.findall(_NUMBER, match[1])]
    assert len(cited) >= 5
    assert sorted(set(cited) - set(headings)) == []


def _words(pdf: bytes, page: int) -> list[tuple[float, float, float, float, str]]:
    """The words of a page with their boxes (PDF points, origin at the top left), from `pdftotext -bbox`."""
    result = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page + 1), "-l", str(page + 1), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return [
        (float(x0), float(y0), float(x1), float(y1), html.unescape(word))
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            result.stdout.decode(),
        )
    ]


@pytest.mark.parametrize(("build", "name"), BUILDS)
def test_every_cross_reference_links_to_the_heading_it_names(built, build, name):
    document = built[build, name]
    reader = document.reader
    headings = _headings(reader)
    destinations = {
        key: (reader.get_destination_page_number(dest), float(dest.top))
        for key, dest in reader.named_destinations.items()
    }
    outline_at: dict[tuple[int, float], str] = {}

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                outline_at[reader.get_destination_page_number(item), round(float(item.top), 1)] = item.title

    walk(reader.outline)
    checked = 0
    body_start = next(
        i
        for i, page in enumerate(document.pages)
        if "Definitions and interpretation 1.1" in page and "......" not in page
    )
    for index in range(body_start, len(reader.pages)):
        page = reader.pages[index]
        height = float(page.mediabox.height)
        words = None
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Subtype") != "/Link" or "/Dest" not in link:
                continue
            x0, y0, x1, y1 = (float(v) for v in link["/Rect"])
            top, bottom = height - max(y0, y1), height - min(y0, y1)
            words = words if words is not None else _words(document.pdf, index)
            # The words the link's box overlaps (a word may carry the punctuation that follows the link).
            label = " ".join(
                w
                for wx0, wy0, wx1, wy1, w in words
                if wx0 < max(x0, x1) - 1 and wx1 > min(x0, x1) + 1 and wy0 < bottom and wy1 > top and wy1 - wy0 < 20
            )  # not the letters of the large DRAFT watermark
            if label.startswith("Schedule") or label in ("clause", "Clause"):
                continue  # a schedule, or the first line of a reference whose number is on the next line
            number = re.fullmatch(rf"(?:[Cc]lauses? )?({_NUMBER})[.,:;)]*", label)
            assert number is not None, label
            target_page, target_top = destinations[str(link["/Dest"])]
            title = outline_at.get((target_page, round(target_top, 1)), "")
            assert title.split(" ")[0].rstrip(".") == number[1], (label, title)
            assert headings[number[1]] == target_page
            checked += 1
    assert checked >= 5
