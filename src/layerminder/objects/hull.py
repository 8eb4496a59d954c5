"""The convex hull of points in a plane: a design's footprint on the floor, a part's outline
in a drawing."""

from __future__ import annotations

import numpy as np


def convex_hull(points: np.ndarray, *, decimals: int) -> list[tuple[float, float]]:
    """Counter-clockwise hull (Andrew's monotone chain) of 2D points, rounded to `decimals`
    first so that points a rounding apart count once; fewer than three points come back as
    they are."""
    pts = sorted({(round(float(x), decimals), round(float(y), decimals)) for x, y in points})
    if len(pts) < 3:
        return pts

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]
