"""Trust boundary membership from a diagram's geometry: which boundary shapes hold which elements."""

from __future__ import annotations

from dataclasses import dataclass

Point = tuple[float, float]


@dataclass(frozen=True)
class Region:
    """A closed boundary shape on a diagram: a rectangle (a Threat Dragon boundary box) or a polygon (a
    closed boundary curve)."""

    key: str
    corners: tuple[Point, ...]

    @property
    def area(self) -> float:
        # The shoelace formula; the corners of a box are in order around it.
        total = 0.0
        for (x1, y1), (x2, y2) in zip(self.corners, self.corners[1:] + self.corners[:1], strict=True):
            total += x1 * y2 - x2 * y1
        return abs(total) / 2

    def contains(self, point: Point) -> bool:
        """True if `point` is inside the region or on its edge (ray casting)."""
        x, y = point
        inside = False
        for (x1, y1), (x2, y2) in zip(self.corners, self.corners[1:] + self.corners[:1], strict=True):
            if _on_segment(point, (x1, y1), (x2, y2)):
                return True
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        return inside

    def holds(self, other: Region) -> bool:
        """True if `other` lies inside this region and is smaller."""
        return other.area < self.area and all(self.contains(corner) for corner in other.corners)


def box(key: str, x: float, y: float, width: float, height: float) -> Region:
    return Region(key, ((x, y), (x + width, y), (x + width, y + height), (x, y + height)))


def _on_segment(p: Point, a: Point, b: Point) -> bool:
    cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
    if abs(cross) > 1e-9:
        return False
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def innermost(regions: list[Region], point: Point) -> Region | None:
    """The smallest region holding `point` (the first in order among equal areas), or None."""
    holding = [r for r in regions if r.contains(point)]
    return min(holding, key=lambda r: r.area) if holding else None


def parent_of(regions: list[Region], region: Region) -> Region | None:
    """The smallest other region that holds `region`, or None for an outermost one."""
    holding = [r for r in regions if r is not region and r.holds(region)]
    return min(holding, key=lambda r: r.area) if holding else None


FAR = 1_000_000.0
"""How far an open boundary curve is extended past its ends: beyond any diagram Threat Dragon draws."""


def open_curve_sides(key: str, points: list[Point]) -> tuple[Region, Region]:
    """The two sides of an open curve, as polygons: the curve with its end segments extended far away, closed
    by a far box on one side of the line between its far ends, then on the other side."""

    def extended(a: Point, b: Point) -> Point:  # from b, away from a
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = (dx * dx + dy * dy) ** 0.5 or 1.0
        return (b[0] + dx / length * FAR, b[1] + dy / length * FAR)

    start, end = extended(points[1], points[0]), extended(points[-2], points[-1])
    curve = (start, *points, end)
    cx, cy = end[0] - start[0], end[1] - start[1]
    length = (cx * cx + cy * cy) ** 0.5 or 1.0
    normal = (-cy / length * FAR * 10, cx / length * FAR * 10)

    def side(sign: float) -> Region:
        return Region(
            key,
            (
                *curve,
                (end[0] + sign * normal[0], end[1] + sign * normal[1]),
                (start[0] + sign * normal[0], start[1] + sign * normal[1]),
            ),
        )

    return side(1.0), side(-1.0)
