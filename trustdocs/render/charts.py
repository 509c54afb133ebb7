"""Charts drawn as inline SVG: the risk heat map and the availability history; deterministic, self-contained."""
from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Mapping, Sequence
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


def _svg(width: float, height: float, label: str, body: list[str], css_class: str) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'aria-label={quoteattr(label)} width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" font-family="{FONT}">'
    )
    return Markup("\n".join([head, *body, "</svg>"]))


def _text(x: float, y: float, content: str, *, size: float = 9, anchor: str = "middle",
          fill: str = INK, weight: str = "normal", css_class: str = "", extra: str = "") -> str:
    cls = f' class="{css_class}"' if css_class else ""
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (
        f'<text{cls} x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" '
        f'fill="{fill}"{bold}{extra}>{escape(content)}</text>'
    )


def heat_map_svg(
    likelihood_levels: Sequence[Hashable],
    impact_levels: Sequence[Hashable],
    counts: Mapping[tuple[Hashable, Hashable], int],
    severity_of: Callable[[Hashable, Hashable], str],
    *,
    label: Callable[[Hashable], str] = humanise,
    palette: Mapping[str, str] = SEVERITY_COLOURS,
) -> Markup:
    """A likelihood × impact grid, each cell coloured by its severity and showing how many threats fall in it.

    Levels are given least first; likelihood runs bottom to top, impact left to right. Each cell is a
    `<g class="cell">` with data-likelihood, data-impact, data-severity and data-count attributes.
    """
    cell_w, cell_h, size = 92.0, 46.0, 10.0
    row_labels = [label(level) for level in likelihood_levels]
    col_labels = [label(level) for level in impact_levels]
    left = 34 + max((_text_width(t, size) for t in row_labels), default=0) + 8
    top = 8.0
    grid_w, grid_h = cell_w * len(col_labels), cell_h * len(row_labels)
    severities = [s for s in palette if any(severity_of(li, im) == s for li in likelihood_levels
                                            for im in impact_levels)]
    legend_y = top + grid_h + 48
    width = left + grid_w + 8
    height = legend_y + 14
    body: list[str] = []
    for row, likelihood in enumerate(likelihood_levels):
        y = top + grid_h - (row + 1) * cell_h
        body.append(_text(left - 8, y + cell_h / 2 + size / 3, row_labels[row], size=size, anchor="end",
                          fill=MUTED, css_class="likelihood-label"))
        for col, impact in enumerate(impact_levels):
            x = left + col * cell_w
            severity = severity_of(likelihood, impact)
            count = counts.get((likelihood, impact), 0)
            colour = palette.get(severity, UNKNOWN_COLOUR)
            body.append(
                f'<g class="cell" data-likelihood={quoteattr(str(likelihood))} '
                f'data-impact={quoteattr(str(impact))} data-severity={quoteattr(severity)} '
                f'data-count="{count}">'
            )
            body.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(cell_w)}" height="{_n(cell_h)}" '
                        f'fill="{colour}" stroke="white" stroke-width="2"/>')
            if count:
                # Empty cells stay blank so that the eye goes to where the threats are.
                body.append(_text(x + cell_w / 2, y + cell_h / 2 + 5, str(count), size=15, weight="bold",
                                  css_class="count"))
            body.append("</g>")
    for col, text in enumerate(col_labels):
        body.append(_text(left + col * cell_w + cell_w / 2, top + grid_h + 14, text, size=size, fill=MUTED,
                          css_class="impact-label"))
    body.append(_text(left + grid_w / 2, top + grid_h + 32, "Impact", size=size, weight="bold",
                      css_class="axis-title"))
    axis_y = top + grid_h / 2
    body.append(_text(12, axis_y, "Likelihood", size=size, weight="bold", css_class="axis-title",
                      extra=f' transform="rotate(-90 12 {_n(axis_y)})"'))
    x = left
    for severity in severities:
        body.append(f'<rect class="legend-swatch" x="{_n(x)}" y="{_n(legend_y - 8)}" width="10" height="10" '
                    f'fill="{palette[severity]}"/>')
        name = humanise(severity)
        body.append(_text(x + 14, legend_y + 1, name, size=8, anchor="start", fill=MUTED, css_class="legend"))
        x += 14 + _text_width(name, 8) + 16
    total = sum(counts.get((li, im), 0) for li in likelihood_levels for im in impact_levels)
    return _svg(width, height, f"Risk heat map: {total} threats by likelihood and impact", body, "heat-map")


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
    width, plot_h, size = 640.0, 170.0, 9.0
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
        body.append(f'<line class="grid" x1="{_n(left)}" y1="{_n(y)}" x2="{_n(width - 4)}" y2="{_n(y)}" '
                    f'stroke="{RULE}" stroke-width="0.6"/>')
        body.append(_text(left - 5, y + 3, f"{_trim(tick)}{unit}", size=8, anchor="end", fill=MUTED,
                          css_class="tick"))
    slot = (width - 4 - left) / max(len(rows), 1)
    bar_w = slot * 0.62
    step_points: list[str] = []
    for i, ((name, _, _), value, threshold) in enumerate(zip(rows, values, thresholds)):
        x = left + i * slot + (slot - bar_w) / 2
        met = value >= threshold
        y = y_of(float(value))
        body.append(f'<g class="bar" data-label={quoteattr(name)} data-value="{value}" '
                    f'data-threshold="{threshold}" data-met="{str(met).lower()}">')
        body.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(bar_w)}" height="{_n(top + plot_h - y)}" '
                    f'fill="{colour if met else missed_colour}"/>')
        body.append(_text(x + bar_w / 2, y - 3, value_format(value), size=7.5,
                          fill=INK if met else missed_colour, css_class="value"))
        body.append(_text(x + bar_w / 2, top + plot_h + 11, name, size=size * 0.85, fill=MUTED,
                          css_class="label"))
        body.append("</g>")
        ty = y_of(float(threshold))
        step_points += [f"{_n(left + i * slot)},{_n(ty)}", f"{_n(left + (i + 1) * slot)},{_n(ty)}"]
    if step_points:
        body.append(f'<polyline class="commitment" points="{" ".join(step_points)}" fill="none" '
                    f'stroke="{INK}" stroke-width="1" stroke-dasharray="4 2"/>')
    legend_y = top + plot_h + 30
    body.append(f'<line x1="{_n(left)}" y1="{_n(legend_y - 3)}" x2="{_n(left + 18)}" y2="{_n(legend_y - 3)}" '
                f'stroke="{INK}" stroke-width="1" stroke-dasharray="4 2"/>')
    body.append(_text(left + 22, legend_y, threshold_name, size=7.5, anchor="start", fill=MUTED,
                      css_class="legend"))
    lx = left + 22 + _text_width(threshold_name, 7.5) + 14
    body.append(f'<rect x="{_n(lx)}" y="{_n(legend_y - 7)}" width="8" height="8" fill="{colour}"/>')
    body.append(_text(lx + 11, legend_y, met_name, size=7.5, anchor="start", fill=MUTED, css_class="legend"))
    lx += 11 + _text_width(met_name, 7.5) + 14
    body.append(f'<rect x="{_n(lx)}" y="{_n(legend_y - 7)}" width="8" height="8" fill="{missed_colour}"/>')
    body.append(_text(lx + 11, legend_y, missed_name, size=7.5, anchor="start", fill=MUTED, css_class="legend"))
    missed = sum(1 for v, t in zip(values, thresholds) if v < t)
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
    while 10 ** exponent > span:
        exponent -= 1
    while 10 ** (exponent + 1) <= span:
        exponent += 1
    return exponent


def _trim(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")
