"""Diagrams and the heat map as printed: the height of every word they draw, measured in the security document's
PDF with `pdftotext -bbox-layout`, against the height of 7 pt text in the same font measured the same way."""

from __future__ import annotations

import base64
import re
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import weasyprint

from trustdocs.project import load_project
from trustdocs.render.charts import FONT as CHART_FONT
from trustdocs.render.diagrams import FONT as DIAGRAM_FONT
from trustdocs.render.documents import documents_for

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs" / "acme"
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


@dataclass(frozen=True)
class Word:
    text: str
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


def printed_words(pdf: bytes) -> list[Page]:
    """Every page's size and words, as pdftotext lays them out (points, y down)."""
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return [
        Page(float(w), float(h), tuple(Word(m[5], float(m[2]), float(m[4])) for m in _WORD.finditer(body)))
        for w, h, body in _PAGE.findall(layout)
    ]


@cache
def seven_point_height(font: str) -> float:
    """How tall pdftotext measures a word printed at exactly 7 pt in `font`: drawn at 14 in an SVG shown at half
    its size, the way a document shows a diagram."""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="40pt" viewBox="0 0 200 40">'
        f'<text x="4" y="24" font-family="{font}" font-size="14">Calibration</text></svg>'
    )
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    html = f'<html><body><img src="{uri}" style="width: 100pt; height: 20pt"></body></html>'
    pdf = weasyprint.HTML(string=html).write_pdf()
    words = [word for page in printed_words(pdf) for word in page.words if word.text == "Calibration"]
    assert len(words) == 1
    return words[0].height


def security_document(root: Path) -> list[Page]:
    project = load_project(root).project
    spec = next(spec for spec in documents_for(project) if spec.name == "security")
    return printed_words(spec.render(project))


def diagram_pages(pages: list[Page]) -> list[Page]:
    """The pages showing a diagram: each diagram draws its legend."""
    return [page for page in pages if "Legend" in page.text and "encrypted data flow" in page.text]


@pytest.fixture(scope="module")
def sample_pages() -> list[Page]:
    return security_document(SAMPLE)


@pytest.fixture(scope="module")
def generated_pages(tmp_path_factory) -> list[Page]:
    from benchmarks.generate import generate_project

    root = generate_project(60, tmp_path_factory.mktemp("generated") / "p60")
    return security_document(root)


def test_seven_points_measure_as_expected():
    # DejaVu Sans spans 1.164 em from its ascender to its descender: 7 pt text measures 8.15 pt.
    assert seven_point_height(DIAGRAM_FONT) == pytest.approx(7 * 1.164, abs=0.05)


def test_every_sample_diagram_prints_its_text_at_seven_points_or_more(sample_pages):
    pages = diagram_pages(sample_pages)
    # The overview, the whole system, the application subnet and the data subnet.
    assert len(pages) == 4
    smallest = min(word.height for page in pages for word in page.words)
    assert smallest >= seven_point_height(DIAGRAM_FONT) - 0.01
    # Every page of the sample's diagrams is A4 or A3 (points, either orientation).
    assert {(round(page.width), round(page.height)) for page in pages} <= {
        (842, 595),
        (595, 842),
        (1191, 842),
        (842, 1191),
    }


def test_every_diagram_of_a_sixty_component_project_prints_its_text_at_seven_points_or_more(generated_pages):
    pages = diagram_pages(generated_pages)
    # The overview, and the diagrams that fit an A3 page legibly.
    assert len(pages) >= 2
    assert any("Data-flow diagram" in page.text for page in pages)
    smallest = min(word.height for page in pages for word in page.words)
    assert smallest >= seven_point_height(DIAGRAM_FONT) - 0.01


def test_the_heat_map_prints_its_text_at_seven_points_or_more(sample_pages):
    page = next(page for page in sample_pages if "Inherent and residual risk: 55 threats" in page.text)
    words = page.words
    caption = next(
        i for i in range(len(words) - 2) if [w.text for w in words[i : i + 3]] == ["Inherent", "and", "residual"]
    )
    title = next(i for i in range(len(words) - 1) if [w.text for w in words[i : i + 2]] == ["Inherent", "risk"])
    chart = [w for w in words if words[title].top - 0.5 <= w.top and w.bottom <= words[caption].top]
    # Both panels, every level on both axes and the scale are there.
    texts = {w.text for w in chart}
    assert {"Inherent", "Residual", "Negligible", "Severe", "Rare", "Almost", "certain", "Score:", "17–25"} <= texts
    assert min(w.height for w in chart) >= seven_point_height(CHART_FONT) - 0.01


def test_diagram_captions_give_the_regions_and_where_components_run(sample_pages):
    overview, system, app, data = diagram_pages(sample_pages)
    assert "The service at a glance, hosted on Amazon Web Services in eu-west-1 (Ireland);" in overview.text
    assert (
        "hosted on Amazon Web Services in eu-west-1 (Ireland); eu-central-1 (Frankfurt, disaster recovery)."
        in system.text
    )
    assert (
        "Its components run on AWS eu-west-1, separate logging account; AWS eu-west-1, data subnets; AWS "
        "eu-west-1, reached only through a VPC gateway endpoint; AWS eu-west-1 (replicated to eu-central-1)."
        in data.text
    )
