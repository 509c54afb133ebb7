"""Every figure a customer reads, printed one way and traceable to the model: percentages, hours, money and
dates extracted from the text of every document and the packet of the sample and of the Globex build."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest
from pypdf import PdfReader

from tests.conftest import GLOBEX, SAMPLE, SharedOutput
from trustdocs.analyse.availability import project_history
from trustdocs.analyse.durations import format_percent
from trustdocs.model.project import Project
from trustdocs.project import load_project
from trustdocs.render.cache import RenderCache
from trustdocs.render.documents import documents_for
from trustdocs.render.sla_addendum import sla_addendum

# What a figure printed some other way looks like (one style: "99.95 %", "4 hours" or "4 h",
# "$1,000,000", "1 November 2026").
GLUED_PERCENT = re.compile(r"\d%")
GLUED_UNIT = re.compile(r"(?<![\w.])\d+(?:h|min|hrs?|bd|bh)\b")
UNGROUPED_MONEY = re.compile(r"[$€£]\s?\d{4,}")
ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")
PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?) %")


def _numbers(value: object, seen: set[Decimal]) -> None:
    """Every number the model holds, however deep."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, (int, Decimal)):
        seen.add(Decimal(value).normalize())
    elif isinstance(value, float):
        seen.add(Decimal(str(value)).normalize())
    elif isinstance(value, Fraction):
        seen.add(Decimal(value.numerator) / Decimal(value.denominator))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.name != "loc":
                _numbers(getattr(value, field.name), seen)
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            _numbers(item, seen)


def model_percentages(project: Project) -> set[Decimal]:
    """Percentages a document may print: every number of the model, and every availability measured from the
    incident log (cut to three decimals, as the documents print it)."""
    seen: set[Decimal] = {Decimal(0), Decimal(100)}
    _numbers(project, seen)
    if project.sla is not None:
        for row in project_history(project):
            seen.add(Decimal(format_percent(row.availability, 3)).normalize())
        # The worked example's uptimes, from the minutes of downtime it assumes for each Service.
        for line in sla_addendum(project).example.lines:
            seen.add(Decimal(line.uptime.removesuffix(" %")).normalize())
    return seen


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


TICK = re.compile(r'<text class="tick"[^>]*>([^<]*)</text>')


def axis_ticks(html: str) -> set[Decimal]:
    """The gridline values of a document's charts: an axis scale, not a figure of the model."""
    return {Decimal(m.removesuffix("%").strip()).normalize() for m in TICK.findall(html) if m.strip(" %")}


@pytest.fixture(scope="module", params=["sample", "globex"])
def built(
    request, shared_render_cache: RenderCache, shared_output: Callable[..., SharedOutput]
) -> tuple[Project, dict[str, str], set[Decimal]]:
    # Only the text is read: the documents come from the run's shared render cache, and Globex's packet is
    # the one tests/test_packet.py reads (which checks that render_packet_outputs gives its bytes).
    project = load_project(SAMPLE, GLOBEX if request.param == "globex" else None).project
    texts = {spec.filename: _text(spec.render(project, shared_render_cache)) for spec in documents_for(project)}
    ticks = set().union(*(axis_ticks(spec.render_html(project)) for spec in documents_for(project)))
    if request.param == "globex":
        packet = shared_output("globex-packet", "packet", str(SAMPLE), "--customer", str(GLOBEX))
        texts.update({path.name: _text(path.read_bytes()) for path in sorted(packet.out.glob("*.pdf"))})
    return project, texts, ticks


def test_every_figure_is_printed_the_one_way(built) -> None:
    _, texts, _ = built
    found = [
        f"{name}: {pattern.pattern}: {match!r}"
        for name, text in texts.items()
        for pattern in (GLUED_PERCENT, GLUED_UNIT, UNGROUPED_MONEY, ISO_DATE)
        for match in pattern.findall(text)
    ]
    assert found == []


def test_every_percentage_is_one_the_model_holds_or_computes(built) -> None:
    project, texts, ticks = built
    known = model_percentages(project) | ticks
    unknown = sorted(
        {
            f"{name}: {value} %"
            for name, text in texts.items()
            for value in PERCENT.findall(text)
            if Decimal(value).normalize() not in known
        }
    )
    assert unknown == []


def test_dates_are_written_as_day_month_year() -> None:
    from trustdocs.render.env import format_date

    assert format_date(dt.date(2026, 11, 1)) == "1 November 2026"
