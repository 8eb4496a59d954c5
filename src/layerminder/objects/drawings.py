"""Dimensioned orthographic drawings of a design model, in millimetres: front, side and top,
with the overall sizes and the seat height. SVG for the studio and the PDF, DXF (ezdxf, with
real DIMENSION entities) for CAD."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape

import numpy as np
from ezdxf import units
from ezdxf.filemanagement import new as new_dxf

from layerminder.objects.hull import convex_hull
from layerminder.objects.model import DesignModel

View = Literal["front", "side", "top"]
VIEWS: tuple[View, ...] = ("front", "side", "top")
# Page axes per view (world x, y, z; cm): front looks from +z, side from -x (the front to the
# right), top from above with the front at the bottom of the page.
_AXES: dict[View, tuple[int, int, int]] = {"front": (0, 1, 1), "side": (2, 1, 1), "top": (0, 2, -1)}
GAP_MM = 250.0  # between views, room for the dimension lines


@dataclass(frozen=True)
class Outline:
    points: np.ndarray  # (k, 2) mm, drawing axes: x right, y up


@dataclass(frozen=True)
class Dimension:
    start: tuple[float, float]
    end: tuple[float, float]
    base: tuple[float, float]  # a point the dimension line passes through
    vertical: bool
    label: str  # what it measures: width, depth, height, seat height

    @property
    def measurement_mm(self) -> float:
        axis = 1 if self.vertical else 0
        return abs(self.end[axis] - self.start[axis])


@dataclass(frozen=True)
class Sheet:
    outlines: dict[View, list[Outline]]
    dimensions: dict[View, list[Dimension]]
    offsets: dict[View, float]  # where each view starts along the sheet, mm
    width_mm: float
    height_mm: float


def _hull(points: np.ndarray) -> np.ndarray:
    """Convex hull of 2D points, counter-clockwise."""
    return np.array(convex_hull(points, decimals=2), dtype=float)


def project(model: DesignModel, view: View) -> list[np.ndarray]:
    """Each part's outline in `view`, in mm on the drawing's axes (y up). A part is convex, so
    its outline is the hull of its projected points."""
    u, v, sign = _AXES[view]
    outlines = []
    for part in model.parts:
        points = np.array([*part.bottom, *part.top], dtype=float) * 10.0
        flat = np.stack([points[:, u], sign * points[:, v]], axis=1)
        outlines.append(_hull(flat))
    return outlines


def build_sheet(model: DesignModel) -> Sheet:
    outlines: dict[View, list[Outline]] = {}
    dimensions: dict[View, list[Dimension]] = {}
    offsets: dict[View, float] = {}
    cursor, tallest = 0.0, 0.0
    for view in VIEWS:
        shapes = project(model, view)
        every = np.concatenate(shapes)
        lo, hi = every.min(axis=0), every.max(axis=0)
        # Each view sits on the sheet's base line, left to right with a gap.
        shift = np.array([cursor - lo[0], -lo[1]])
        outlines[view] = [Outline(shape + shift) for shape in shapes]
        x0, y0 = lo + shift
        x1, y1 = hi + shift
        below, left = y0 - 80.0, x0 - 80.0
        horizontal = "depth" if view == "side" else "width"
        found = [Dimension((x0, y0), (x1, y0), (x0, below), False, horizontal)]
        if view == "top":
            found.append(Dimension((x0, y0), (x0, y1), (left, y0), True, "depth"))
        else:
            found.append(Dimension((x0, y0), (x0, y1), (left, y0), True, "height"))
        if view == "side" and model.seat_height_cm is not None:
            seat = model.seat_height_cm * 10.0
            found.append(Dimension((x1, y0), (x1, y0 + seat), (x1 + 80.0, y0), True, "seat height"))
        dimensions[view] = found
        offsets[view] = cursor
        cursor = x1 + GAP_MM
        tallest = max(tallest, y1 - y0)
    return Sheet(outlines, dimensions, offsets, cursor - GAP_MM, tallest)


def drawing_dxf(model: DesignModel) -> bytes:
    """The sheet as DXF R2010 in millimetres: outlines, linear dimensions and view titles."""
    sheet = build_sheet(model)
    doc = new_dxf("R2010", setup=True)
    doc.units = units.MM
    doc.header["$MEASUREMENT"] = 1  # metric
    doc.layers.add("OUTLINE", color=7)
    doc.layers.add("DIMENSIONS", color=1)
    doc.layers.add("TEXT", color=3)
    msp = doc.modelspace()
    for view in VIEWS:
        for outline in sheet.outlines[view]:
            points = [tuple(p) for p in outline.points.tolist()]
            msp.add_lwpolyline(points, close=True, dxfattribs={"layer": "OUTLINE"})
        for dim in sheet.dimensions[view]:
            msp.add_linear_dim(
                base=dim.base,
                p1=dim.start,
                p2=dim.end,
                angle=90 if dim.vertical else 0,
                dimstyle="EZDXF",
                override={"dimtxt": 25, "dimasz": 15, "dimdec": 0},
                dxfattribs={"layer": "DIMENSIONS"},
            ).render()
        title = f"{view.upper()}{' (PROXY)' if model.proxy else ''}"
        msp.add_text(
            title, height=30, dxfattribs={"layer": "TEXT", "insert": (sheet.offsets[view], -200)}
        )
    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue().encode("utf-8")


def _svg_dimension(dim: Dimension, flip: float) -> str:
    """A dimension line with ticks and its value in mm, in the SVG's y-down coordinates."""
    (sx, sy), (ex, ey), (bx, by) = dim.start, dim.end, dim.base
    if dim.vertical:
        a, b = (bx, flip - sy), (bx, flip - ey)
        ext = [((sx, flip - sy), a), ((ex, flip - ey), b)]
        tx, ty, rotate = (
            bx - 12,
            flip - (sy + ey) / 2,
            f' transform="rotate(-90 {bx - 12:.1f} {flip - (sy + ey) / 2:.1f})"',
        )
    else:
        a, b = (sx, flip - by), (ex, flip - by)
        ext = [((sx, flip - sy), a), ((ex, flip - ey), b)]
        tx, ty, rotate = (sx + ex) / 2, flip - by - 12, ""
    parts = [
        f'<line class="ext" x1="{p[0]:.1f}" y1="{p[1]:.1f}" x2="{q[0]:.1f}" y2="{q[1]:.1f}"/>'
        for p, q in ext
    ]
    parts.append(
        f'<line class="dim" x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}"/>'
    )
    for x, y in (a, b):
        parts.append(f'<circle class="tick" cx="{x:.1f}" cy="{y:.1f}" r="5"/>')
    value = f"{dim.measurement_mm:.0f}"
    parts.append(
        f'<text class="value" x="{tx:.1f}" y="{ty:.1f}" text-anchor="middle"{rotate}>'
        f"{escape(value)}</text>"
    )
    return f'<g data-dimension="{escape(dim.label)}" data-mm="{value}">{"".join(parts)}</g>'


def drawing_svg(model: DesignModel, title: str = "") -> bytes:
    """The sheet as one SVG whose user unit is the millimetre (its width and height say mm)."""
    sheet = build_sheet(model)
    margin = 180.0
    width = sheet.width_mm + 2 * margin
    height = sheet.height_mm + 2 * margin + 60
    flip = sheet.height_mm + margin  # y up in the drawing, y down in SVG
    body: list[str] = []
    for view in VIEWS:
        group = []
        for outline in sheet.outlines[view]:
            points = " ".join(
                f"{x + margin:.1f},{flip - y:.1f}" for x, y in outline.points.tolist()
            )
            group.append(f'<polygon class="part" points="{points}"/>')
        dims = [
            _svg_dimension(
                Dimension(
                    (d.start[0] + margin, d.start[1]),
                    (d.end[0] + margin, d.end[1]),
                    (d.base[0] + margin, d.base[1]),
                    d.vertical,
                    d.label,
                ),
                flip,
            )
            for d in sheet.dimensions[view]
        ]
        x, y = sheet.offsets[view] + margin, flip + 150
        label = f'<text class="title" x="{x:.1f}" y="{y:.1f}">{view.upper()}</text>'
        body.append(f'<g data-view="{view}">{"".join(group)}{"".join(dims)}{label}</g>')
    caption = escape(
        " · ".join(part for part in (title, "PROXY" if model.proxy else "", "mm") if part)
    )
    style = (
        ".part{fill:#f3f1ec;stroke:#222;stroke-width:3}"
        ".ext{stroke:#888;stroke-width:1.5}.dim{stroke:#b3261e;stroke-width:2}"
        ".tick{fill:#b3261e}.value{font:28px sans-serif;fill:#b3261e}"
        ".title{font:bold 32px sans-serif;fill:#222}.caption{font:28px sans-serif;fill:#555}"
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}mm" height="{height:.0f}mm" '
        f'viewBox="0 0 {width:.1f} {height:.1f}"><style>{style}</style>'
        f'<rect width="100%" height="100%" fill="#fff"/>{"".join(body)}'
        f'<text class="caption" x="{margin:.1f}" y="{height - 30:.1f}">{caption}</text></svg>'
    )
    return svg.encode("utf-8")
