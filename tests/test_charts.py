"""Charts as inline SVG: the heat map's cells and counts, the history's bars, determinism."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from trustdocs.model.threats import DEFAULT_RISK_MATRIX
from trustdocs.render.charts import (
    SEVERITY_COLOURS,
    HeatPanel,
    ScoreBand,
    bar_chart_svg,
    heat_map_svg,
    humanise,
)

SVG = "{http://www.w3.org/2000/svg}"
MATRIX = DEFAULT_RISK_MATRIX


def severity(likelihood: str, impact: str) -> str:
    score = (MATRIX.likelihood.index(likelihood) + 1) * (MATRIX.impact.index(impact) + 1)
    return next(band.severity for band in MATRIX.bands if score <= band.max_score)


COUNTS = {
    ("likely", "major"): 3,
    ("rare", "negligible"): 1,
    ("possible", "moderate"): 7,
    ("almost_certain", "severe"): 2,
}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(element: ET.Element, css_class: str) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text") if t.get("class") == css_class]


BANDS = (ScoreBand("low", 1, 4), ScoreBand("medium", 5, 9), ScoreBand("high", 10, 16), ScoreBand("critical", 17, 25))
RESIDUAL = {("rare", "negligible"): 9, ("unlikely", "minor"): 4}


def heat(**options) -> ET.Element:
    panels = (HeatPanel("Inherent risk", COUNTS), HeatPanel("Residual risk", RESIDUAL))
    return parse(heat_map_svg(MATRIX.likelihood, MATRIX.impact, panels, severity, bands=BANDS, **options))


def cells(root: ET.Element, panel: str) -> dict[tuple[str, str], ET.Element]:
    return {
        (g.get("data-likelihood"), g.get("data-impact")): g
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "cell" and g.get("data-panel") == panel
    }


def test_heat_map_has_a_cell_per_pair_in_each_panel_with_its_count_and_level() -> None:
    root = heat()
    inherent, residual = cells(root, "Inherent risk"), cells(root, "Residual risk")
    assert len(inherent) == len(residual) == 25
    for (likelihood, impact), count in COUNTS.items():
        cell = inherent[(likelihood, impact)]
        assert cell.get("data-count") == str(count)
        assert [t.text for t in cell.iter(f"{SVG}text")] == [str(count), humanise(severity(likelihood, impact))]
    # Not colour alone: an empty cell still names its severity; it shows no count.
    assert [t.text for t in inherent[("unlikely", "minor")].iter(f"{SVG}text")] == ["Low"]
    assert [t.text for t in residual[("unlikely", "minor")].iter(f"{SVG}text")] == ["4", "Low"]
    assert [t.text for t in inherent[("almost_certain", "major")].iter(f"{SVG}text")] == ["Critical"]
    assert sorted(int(t) for t in texts(root, "count")) == [1, 2, 3, 4, 7, 9]


def test_heat_map_panels_sit_side_by_side_sharing_the_likelihood_axis() -> None:
    root = heat()
    inherent, residual = cells(root, "Inherent risk"), cells(root, "Residual risk")
    for pair in inherent:
        a, b = inherent[pair].find(f"{SVG}rect"), residual[pair].find(f"{SVG}rect")
        assert a.get("y") == b.get("y") and float(a.get("x")) < float(b.get("x"))
    assert texts(root, "panel-title") == ["Inherent risk", "Residual risk"]
    assert texts(root, "likelihood-label") == ["Rare", "Unlikely", "Possible", "Likely", "Almost", "certain"]


def test_heat_map_colours_cells_by_severity() -> None:
    root = heat()
    for cell in (g for g in root.iter(f"{SVG}g") if g.get("class") == "cell"):
        expected = severity(cell.get("data-likelihood"), cell.get("data-impact"))
        assert cell.get("data-severity") == expected
        assert cell.find(f"{SVG}rect").get("fill") == SEVERITY_COLOURS[expected]


def test_heat_map_axes_ranks_and_score_scale() -> None:
    root = heat()
    assert texts(root, "impact-label") == ["Negligible", "Minor", "Moderate", "Major", "Severe"] * 2
    assert texts(root, "rank") == ["1", "2", "3", "4", "5"] + ["1", "2", "3", "4", "5"] * 2
    assert texts(root, "axis-title") == ["Impact", "Impact", "Likelihood"]
    assert texts(root, "scale-title") == ["Score: likelihood rank × impact rank"]
    assert texts(root, "legend") == ["Low 1–4", "Medium 5–9", "High 10–16", "Critical 17–25"]
    # Each band's width is proportional to the scores it covers: 4, 5, 7 and 9 of 25.
    widths = [float(g.find(f"{SVG}rect").get("width")) for g in root.iter(f"{SVG}g") if g.get("class") == "band"]
    assert [round(w / widths[0] * 4, 2) for w in widths] == [4, 5, 7, 9]
    assert root.get("aria-label") == (
        "Risk heat map: 13 threats by likelihood and impact, inherent risk and residual risk"
    )


def test_heat_map_text_is_drawn_at_seven_points_or_more_at_its_natural_size() -> None:
    root = heat()
    assert root.get("width").endswith("pt") and root.get("height").endswith("pt")
    width = float(root.get("width").removesuffix("pt"))
    assert root.get("viewBox") == f"0 0 {root.get('width').removesuffix('pt')} {root.get('height').removesuffix('pt')}"
    # It fits the 174 mm (493 pt) text width of an A4 page, so it is never scaled down.
    assert width <= 493
    assert min(float(t.get("font-size")) for t in root.iter(f"{SVG}text")) >= 7


def test_heat_map_likelihood_runs_bottom_to_top() -> None:
    rows = {pair[0]: float(g.find(f"{SVG}rect").get("y")) for pair, g in cells(heat(), "Inherent risk").items()}
    assert rows["rare"] > rows["unlikely"] > rows["possible"] > rows["likely"] > rows["almost_certain"]


def test_labels_are_escaped() -> None:
    svg = heat_map_svg(
        ["<low>"], ["a & b"], (HeatPanel("<p>", {("<low>", "a & b"): 1}),), lambda li, im: "low", label=str
    )
    root = parse(svg)
    assert texts(root, "likelihood-label") == ["<low>"]
    assert texts(root, "impact-label") == ["a & b"]
    assert texts(root, "panel-title") == ["<p>"]


def test_charts_are_self_contained_and_deterministic() -> None:
    panels = (HeatPanel("Inherent risk", COUNTS),)
    first = heat_map_svg(MATRIX.likelihood, MATRIX.impact, panels, severity, bands=BANDS)
    again = (HeatPanel("Inherent risk", dict(reversed(COUNTS.items()))),)
    assert first == heat_map_svg(MATRIX.likelihood, MATRIX.impact, again, severity, bands=BANDS)
    rows = [("Jan", Decimal("99.97"), Decimal("99.9"))]
    assert bar_chart_svg(rows) == bar_chart_svg(list(rows))
    for svg in (first, bar_chart_svg(rows)):
        assert "href" not in svg and "url(" not in svg and "<image" not in svg


HISTORY = [
    ("Jan", Decimal("99.97"), Decimal("99.9")),
    ("Feb", Decimal("99.85"), Decimal("99.9")),
    ("Mar", Decimal("100"), Decimal("99.9")),
    ("Apr", Decimal("99.90"), Decimal("99.95")),
]


def test_bar_chart_has_a_bar_per_row_coloured_by_result() -> None:
    root = parse(bar_chart_svg(HISTORY, colour="#111111", missed_colour="#ee0000"))
    bars = [g for g in root.iter(f"{SVG}g") if g.get("class") == "bar"]
    assert [(g.get("data-label"), g.get("data-value"), g.get("data-met")) for g in bars] == [
        ("Jan", "99.97", "true"),
        ("Feb", "99.85", "false"),
        ("Mar", "100", "true"),
        ("Apr", "99.90", "false"),
    ]
    assert [g.find(f"{SVG}rect").get("fill") for g in bars] == ["#111111", "#ee0000", "#111111", "#ee0000"]
    assert texts(root, "value") == ["99.97", "99.85", "100.00", "99.90"]
    assert texts(root, "label") == ["Jan", "Feb", "Mar", "Apr"]
    assert root.get("aria-label") == "4 periods, 2 below the commitment"


def test_bar_chart_draws_the_commitment_as_a_step_line() -> None:
    root = parse(bar_chart_svg(HISTORY))
    line = next(e for e in root.iter(f"{SVG}polyline") if e.get("class") == "commitment")
    points = [tuple(float(v) for v in p.split(",")) for p in line.get("points").split()]
    assert len(points) == 8
    ys = [y for _, y in points]
    assert ys[0] == ys[1] == ys[4] == ys[5] and ys[6] == ys[7] and ys[6] < ys[0]  # 99.95 sits above 99.9


def test_bar_heights_follow_the_values() -> None:
    root = parse(bar_chart_svg(HISTORY, minimum=99, maximum=100))
    heights = [float(g.find(f"{SVG}rect").get("height")) for g in root.iter(f"{SVG}g") if g.get("class") == "bar"]
    assert heights[2] == 170.0  # 100% fills the plot
    assert heights[1] < heights[3] < heights[0] < heights[2]
    assert texts(root, "tick") == ["99 %", "99.2 %", "99.4 %", "99.6 %", "99.8 %", "100 %"]


def test_humanise() -> None:
    assert humanise("almost_certain") == "Almost certain"
    assert humanise(3) == "3"
