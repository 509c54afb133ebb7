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
