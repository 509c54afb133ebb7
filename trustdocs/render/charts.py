"""Charts drawn as inline SVG: the risk heat map and the availability history; deterministic, self-contained."""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

log = logging.getLogger(__name__)

FONT = "Noto Sans, DejaVu Sans, sans-serif"
INK = "#1d2330"
MUTED = "#5b6475"
RULE = "#d5dae3"
SEVERITY_COLOURS: dict[str, str] = {
    "low": "#cfe8d5",
    "medium": "#fbe3a1",
    "high": "#f6b98a",
    "critical": "#e8837d",
}
UNKNOWN_COLOUR = "#e4e7ec"
MET_COLOUR = "#1f4e79"
MISSED_COLOUR = "#c0392b"

Number = Decimal | int | float


def humanise(level: object) -> str:
    """`almost_certain` -> `Almost certain`."""
    text = str(level).replace("_", " ")
    return text[:1].upper() + text[1:]


def _n(value: float) -> str:
    """A coordinate with fixed precision, so that equal inputs give byte-equal SVG."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text_width(text: str, size: float) -> float:
    # An estimate for layout only: Noto Sans averages a little over half an em per character.
    return len(text) * size * 0.56


def _svg(width: float, height: float, label: str, body: list[str], css_class: str, unit: str = "") -> Markup:
    """`unit` (e.g. "pt") fixes the printed size; without one the page's CSS sizes the chart."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'aria-label={quoteattr(label)} width="{_n(width)}{unit}" height="{_n(height)}{unit}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" font-family="{FONT}">'
    )
    return Markup("\n".join([head, *body, "</svg>"]))


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 9,
    anchor: str = "middle",
    fill: str = INK,
    weight: str = "normal",
    css_class: str = "",
    extra: str = "",
) -> str:
    cls = f' class="{css_class}"' if css_class else ""
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (
        f'<text{cls} x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" '
        f'fill="{fill}"{bold}{extra}>{escape(content)}</text>'
    )


@dataclass(frozen=True)
class HeatPanel:
    """One grid of a heat map: its title and how many threats fall in each (likelihood, impact) cell."""

    title: str
    counts: Mapping[tuple[Hashable, Hashable], int]


@dataclass(frozen=True)
class ScoreBand:
    """A severity and the scores it covers (likelihood rank × impact rank), for the score scale."""

    severity: str
    low: int
    high: int


HEAT_TEXT_SIZE = 7.5
"""Level names, axis ticks and the scale, in points: the SVG is drawn at its natural size (1 unit = 1 pt)."""
HEAT_COUNT_SIZE = 11.0
HEAT_TITLE_SIZE = 8.5
HEAT_MAP_MAX_WIDTH = 493.0
"""The text width of an A4 page (174 mm), in points."""
LEVEL_LABEL_WIDTH = 11
"""Characters a likelihood label takes per line before it wraps ("Almost certain" takes two)."""


def heat_map_svg(
    likelihood_levels: Sequence[Hashable],
    impact_levels: Sequence[Hashable],
    panels: Sequence[HeatPanel],
    severity_of: Callable[[Hashable, Hashable], str],
    *,
    bands: Sequence[ScoreBand] = (),
    label: Callable[[Hashable], str] = humanise,
    palette: Mapping[str, str] = SEVERITY_COLOURS,
) -> Markup:
    """Likelihood × impact grids side by side (e.g. inherent and residual risk), sharing the likelihood axis.

    Levels are given least first; likelihood runs bottom to top, impact left to right, each axis numbered
    with the level's rank. Every cell is coloured by its severity and names it in words (colour is never the
    only cue); a cell with threats shows their count. Under the grids, the score scale: each band of `bands`
    with the scores it covers. Drawn at its natural size, in points, so every text prints at least
    HEAT_TEXT_SIZE. Each cell is a `<g class="cell">` with data-panel, data-likelihood, data-impact,
    data-severity and data-count attributes.
    """
    size = HEAT_TEXT_SIZE
    row_labels = [label(level) for level in likelihood_levels]
    col_labels = [label(level) for level in impact_levels]
    row_lines = [textwrap.wrap(text, LEVEL_LABEL_WIDTH, break_long_words=False) or [""] for text in row_labels]
    cell_h = 30.0
    label_w = max((_text_width(line, size) for lines in row_lines for line in lines), default=0)
    rank_w = _text_width(str(len(likelihood_levels)), size) + 6
    left = 14 + label_w + 6 + rank_w
    top = HEAT_TITLE_SIZE + 8
    gap = 16.0
    # Wide enough for the longest impact level (the estimate errs wide), but never wider than fits the page:
    # a chart scaled down to fit would print its text smaller.
    fits = (HEAT_MAP_MAX_WIDTH - left - 4 - gap * (len(panels) - 1)) / max(len(panels) * len(col_labels), 1)
    cell_w = min(max(38.0, max((_text_width(t, size) for t in col_labels), default=0) + 4), fits)
    grid_w, grid_h = cell_w * len(col_labels), cell_h * len(row_labels)
    width = left + len(panels) * grid_w + (len(panels) - 1) * gap + 4
    axis_y = top + grid_h + 36
    scale_y = axis_y + 12
    height = scale_y + (size + 22 if bands else 0)
    body: list[str] = []
    for row, lines in enumerate(row_lines):
        y = top + grid_h - (row + 1) * cell_h
        first = y + cell_h / 2 - (len(lines) - 1) * (size + 1) / 2 + size / 3
        for index, line in enumerate(lines):
            body.append(
                _text(
                    left - rank_w - 6,
                    first + index * (size + 1),
                    line,
                    size=size,
                    anchor="end",
                    fill=MUTED,
                    css_class="likelihood-label",
                )
            )
        body.append(
            _text(
                left - 5,
                y + cell_h / 2 + size / 3,
                str(row + 1),
                size=size,
                anchor="end",
                weight="bold",
                css_class="rank",
            )
        )
    for index, panel in enumerate(panels):
        x0 = left + index * (grid_w + gap)
        body.append(
            _text(x0 + grid_w / 2, top - 6, panel.title, size=HEAT_TITLE_SIZE, weight="bold", css_class="panel-title")
        )
        for row, likelihood in enumerate(likelihood_levels):
            y = top + grid_h - (row + 1) * cell_h
            for col, impact in enumerate(impact_levels):
                x = x0 + col * cell_w
                severity = severity_of(likelihood, impact)
                count = panel.counts.get((likelihood, impact), 0)
                body.append(
                    f'<g class="cell" data-panel={quoteattr(panel.title)} '
                    f"data-likelihood={quoteattr(str(likelihood))} data-impact={quoteattr(str(impact))} "
                    f'data-severity={quoteattr(severity)} data-count="{count}">'
                )
                body.append(
                    f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(cell_w)}" height="{_n(cell_h)}" '
                    f'fill="{palette.get(severity, UNKNOWN_COLOUR)}" stroke="white" stroke-width="1.5"/>'
                )
                if count:
                    body.append(
                        _text(
                            x + cell_w / 2, y + 14, str(count), size=HEAT_COUNT_SIZE, weight="bold", css_class="count"
                        )
                    )
                body.append(
                    _text(
                        x + cell_w / 2,
                        y + cell_h - 5 if count else y + cell_h / 2 + size / 3,
                        humanise(severity),
                        size=size,
                        fill=INK if count else MUTED,
                        css_class="level",
                    )
                )
                body.append("</g>")
        for col, text in enumerate(col_labels):
            cx = x0 + col * cell_w + cell_w / 2
            body.append(_text(cx, top + grid_h + 11, text, size=size, fill=MUTED, css_class="impact-label"))
            body.append(_text(cx, top + grid_h + 21, str(col + 1), size=size, weight="bold", css_class="rank"))
        body.append(_text(x0 + grid_w / 2, axis_y - 2, "Impact", size=size, weight="bold", css_class="axis-title"))
    mid = top + grid_h / 2
    body.append(
        _text(
            8,
            mid,
            "Likelihood",
            size=size,
            weight="bold",
            css_class="axis-title",
            extra=f' transform="rotate(-90 8 {_n(mid)})"',
        )
    )
    if bands:
        body += _score_scale(bands, left, scale_y, width - 4 - left, size, palette)
    total = sum(panels[0].counts.get((li, im), 0) for li in likelihood_levels for im in impact_levels) if panels else 0
    titles = " and ".join(panel.title.lower() for panel in panels)
    return _svg(
        width, height, f"Risk heat map: {total} threats by likelihood and impact, {titles}", body, "heat-map", unit="pt"
    )


def _score_scale(
    bands: Sequence[ScoreBand], left: float, y: float, width: float, size: float, palette: Mapping[str, str]
) -> list[str]:
    """A bar from the lowest to the highest score, a segment per band naming it and its scores."""
    low, high = bands[0].low, bands[-1].high
    per_score = width / max(high - low + 1, 1)
    body = [
        _text(
            left,
            y,
            "Score: likelihood rank × impact rank",
            size=size,
            anchor="start",
            fill=MUTED,
            css_class="scale-title",
        )
    ]
    for band in bands:
        x = left + (band.low - low) * per_score
        w = (band.high - band.low + 1) * per_score
        body.append(
            f'<g class="band" data-severity={quoteattr(band.severity)} data-low="{band.low}" data-high="{band.high}">'
        )
        body.append(
            f'<rect x="{_n(x)}" y="{_n(y + 4)}" width="{_n(w)}" height="{_n(size + 7)}" '
            f'fill="{palette.get(band.severity, UNKNOWN_COLOUR)}" stroke="white" stroke-width="1.5"/>'
        )
        scores = str(band.low) if band.low == band.high else f"{band.low}–{band.high}"
        body.append(
            _text(x + w / 2, y + 4 + size + 2, f"{humanise(band.severity)} {scores}", size=size, css_class="legend")
        )
        body.append("</g>")
    return body


def _nice_floor(value: float, step: float) -> float:
    return int(value / step) * step if value >= 0 else -int(-value / step + 0.999999) * step


def bar_chart_svg(
    rows: Sequence[tuple[str, Number, Number]],
    *,
    maximum: Number = 100,
    minimum: Number | None = None,
    unit: str = "%",
    colour: str = MET_COLOUR,
    missed_colour: str = MISSED_COLOUR,
    value_format: Callable[[Decimal], str] = lambda v: f"{v:.2f}",
    threshold_name: str = "Commitment",
    met_name: str = "Met",
    missed_name: str = "Not met",
) -> Markup:
    """Bars of `(label, value, threshold)` rows, e.g. monthly availability against the SLA commitment.

    Bars below their row's threshold get `missed_colour`; the thresholds are drawn as a dashed step
    line. Each bar is a `<g class="bar">` with data-label, data-value, data-threshold and data-met.
    """
    # Drawn 640 wide into a 174 mm column (0.77 pt a unit): text of 9.5 units prints at 7.3 pt.
    width, plot_h, size = 640.0, 170.0, 9.5
    left, top = 48.0, 12.0
    values = [Decimal(str(v)) for _, v, _ in rows]
    thresholds = [Decimal(str(t)) for _, _, t in rows]
    high = float(maximum)
    if minimum is None:
        low_seen = float(min(values + thresholds)) if rows else high - 1
        span = max(high - low_seen, 0.1)
        step = 10 ** _magnitude(span)
        minimum = _nice_floor(low_seen - span * 0.5, step)
    low = float(minimum)
    scale = plot_h / (high - low) if high > low else 0.0

    def y_of(value: float) -> float:
        return top + plot_h - (min(max(value, low), high) - low) * scale

    body: list[str] = []
    for tick in _ticks(low, high):
        y = y_of(tick)
        body.append(
            f'<line class="grid" x1="{_n(left)}" y1="{_n(y)}" x2="{_n(width - 4)}" y2="{_n(y)}" '
            f'stroke="{RULE}" stroke-width="0.6"/>'
        )
        body.append(
            _text(
                left - 5, y + 3, f"{_trim(tick)} {unit}".rstrip(), size=size, anchor="end", fill=MUTED, css_class="tick"
            )
        )
    slot = (width - 4 - left) / max(len(rows), 1)
    bar_w = slot * 0.62
    step_points: list[str] = []
    for i, ((name, _, _), value, threshold) in enumerate(zip(rows, values, thresholds, strict=False)):
        x = left + i * slot + (slot - bar_w) / 2
        met = value >= threshold
        y = y_of(float(value))
        body.append(
            f'<g class="bar" data-label={quoteattr(name)} data-value="{value}" '
            f'data-threshold="{threshold}" data-met="{str(met).lower()}">'
        )
        body.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(bar_w)}" height="{_n(top + plot_h - y)}" '
            f'fill="{colour if met else missed_colour}"/>'
        )
        body.append(
            _text(
                x + bar_w / 2,
                y - 3,
                value_format(value),
                size=size * 0.9,
                fill=INK if met else missed_colour,
                css_class="value",
            )
        )
        body.append(_text(x + bar_w / 2, top + plot_h + 12, name, size=size, fill=MUTED, css_class="label"))
        body.append("</g>")
        ty = y_of(float(threshold))
        step_points += [f"{_n(left + i * slot)},{_n(ty)}", f"{_n(left + (i + 1) * slot)},{_n(ty)}"]
    if step_points:
        body.append(
            f'<polyline class="commitment" points="{" ".join(step_points)}" fill="none" '
            f'stroke="{INK}" stroke-width="1" stroke-dasharray="4 2"/>'
        )
    legend_y = top + plot_h + 32
    body.append(
        f'<line x1="{_n(left)}" y1="{_n(legend_y - 3)}" x2="{_n(left + 18)}" y2="{_n(legend_y - 3)}" '
        f'stroke="{INK}" stroke-width="1" stroke-dasharray="4 2"/>'
    )
    body.append(_text(left + 22, legend_y, threshold_name, size=size, anchor="start", fill=MUTED, css_class="legend"))
    lx = left + 22 + _text_width(threshold_name, size) + 14
    body.append(f'<rect x="{_n(lx)}" y="{_n(legend_y - 7)}" width="8" height="8" fill="{colour}"/>')
    body.append(_text(lx + 11, legend_y, met_name, size=size, anchor="start", fill=MUTED, css_class="legend"))
    lx += 11 + _text_width(met_name, size) + 14
    body.append(f'<rect x="{_n(lx)}" y="{_n(legend_y - 7)}" width="8" height="8" fill="{missed_colour}"/>')
    body.append(_text(lx + 11, legend_y, missed_name, size=size, anchor="start", fill=MUTED, css_class="legend"))
    missed = sum(1 for v, t in zip(values, thresholds, strict=False) if v < t)
    label = f"{len(rows)} periods, {missed} below the {threshold_name.lower()}"
    return _svg(width, legend_y + 6, label, body, "bar-chart")


def _ticks(low: float, high: float) -> list[float]:
    """Round values from `low` to `high`, at most five intervals apart, for the gridlines."""
    if high <= low:
        return [low]
    base = 10.0 ** (_magnitude(high - low) - 1)
    step = base * 100
    for factor in (1, 2, 2.5, 5, 10, 20, 25, 50):
        if (high - low) / (base * factor) <= 5 + 1e-9:
            step = base * factor
            break
    count = int((high - low) / step + 1e-9)
    return [round(low + k * step, 9) for k in range(count + 1)]


def _magnitude(span: float) -> int:
    exponent = 0
    while 10**exponent > span:
        exponent -= 1
    while 10 ** (exponent + 1) <= span:
        exponent += 1
    return exponent


def _trim(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")
