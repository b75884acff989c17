"""Pictures of functions of two variables: heat maps with a legend, gradient arrows, matrices
with a highlighted entry, and an oblique surface view that needs no 3-D camera.

Heat maps are images (one ImageMobject, not thousands of squares), so they cost almost nothing to
render; the surface view rotates an ordinary Surface in a 2-D scene, which keeps 3-D cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp
from manim import (
    DOWN,
    RIGHT,
    UP,
    Arrow,
    Axes,
    Group,
    ImageMobject,
    MathTex,
    Matrix,
    Rectangle,
    SurroundingRectangle,
    VGroup,
)
from manim import Surface as ManimSurface

from mfml_anim.storyboard import fmt_number, tex
from mfml_anim.visual.graphs import thin_axis_numbers
from mfml_anim.visual.layout import Box
from mfml_anim.visual.theme import Theme

Field = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _rgb(hex_colour: str) -> np.ndarray:
    h = hex_colour.lstrip("#")
    return np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)], dtype=float)


def colormap(values: np.ndarray, stops: Sequence[str], lo: float, hi: float) -> np.ndarray:
    """uint8 RGBA image of ``values`` through the theme's sequential colour stops."""
    t = np.clip((values - lo) / max(hi - lo, 1e-12), 0, 1) * (len(stops) - 1)
    i = np.minimum(t.astype(int), len(stops) - 2)
    f = (t - i)[..., None]
    rgb = np.array([_rgb(s) for s in stops])
    out = (rgb[i] * (1 - f) + rgb[i + 1] * f).astype(np.uint8)
    alpha = np.full(out.shape[:-1] + (1,), 255, dtype=np.uint8)
    return np.ascontiguousarray(np.concatenate([out, alpha], axis=-1))


def _legend_number(v: float, span: float) -> str:
    """Legend ends to 3 significant digits of the range (so 3.7e-06 on a 0..1 map reads 0)."""
    step = 10 ** (np.floor(np.log10(max(span, 1e-12))) - 2)
    return fmt_number(round(v / step) * step + 0.0, 3)


class HeatMap(Group):
    """A heat map of f(x, y) on axes filling ``box`` (square cells), with a colour bar legend.

    ``self.axes`` maps data to screen; the legend names the value range so colour is never the
    only carrier of meaning.
    """

    def __init__(
        self,
        theme: Theme,
        box: Box,
        fn: Field,
        x_range: tuple[float, float],
        y_range: tuple[float, float],
        *,
        label: str = "f",
        resolution: int = 160,
        hidden: bool = False,
    ) -> None:
        super().__init__()
        side = min(box.width - 1.6, box.height - 0.5)
        self.axes = Axes(
            x_range=[*x_range, 1],
            y_range=[*y_range, 1],
            x_length=side,
            y_length=side,
            tips=False,
            axis_config={
                "color": theme.axes,
                "stroke_width": 2,
                "include_numbers": True,
                "font_size": theme.min_size,
                "decimal_number_config": {"num_decimal_places": 0, "color": theme.muted},
            },
        )
        thin_axis_numbers(self.axes.x_axis, horizontal=True)  # every other number when they crowd
        thin_axis_numbers(self.axes.y_axis, horizontal=False)
        self.axes.move_to((box.left + 0.1 + side / 2 + 0.25, (box.bottom + box.top) / 2, 0))
        xs = np.linspace(*x_range, resolution)
        ys = np.linspace(*y_range, resolution)
        X, Y = np.meshgrid(xs, ys[::-1])  # image rows run top to bottom
        Z = np.asarray(fn(X, Y), dtype=float)
        self.lo, self.hi = float(np.nanmin(Z)), float(np.nanmax(Z))
        img = colormap(Z, theme.heat, self.lo, self.hi)
        self.image = ImageMobject(img, scale_to_resolution=resolution)
        self.image.stretch_to_fit_width(side).stretch_to_fit_height(side)
        self.image.move_to(self.axes.c2p((x_range[0] + x_range[1]) / 2, (y_range[0] + y_range[1]) / 2))
        self.cover = Rectangle(
            width=side, height=side, fill_color=theme.panel, fill_opacity=1, stroke_width=0
        )
        self.cover.move_to(self.image)
        bar_values = np.linspace(self.hi, self.lo, 64)[:, None] * np.ones((1, 4))
        self.bar = ImageMobject(colormap(bar_values, theme.heat, self.lo, self.hi), scale_to_resolution=64)
        self.bar.stretch_to_fit_height(side * 0.7).stretch_to_fit_width(0.25)
        self.bar.next_to(self.axes, RIGHT, buff=0.35)
        hi_lab = MathTex(
            _legend_number(self.hi, self.hi - self.lo), font_size=theme.min_size, color=theme.muted
        ).next_to(self.bar, UP, buff=0.1)
        lo_lab = MathTex(
            _legend_number(self.lo, self.hi - self.lo), font_size=theme.min_size, color=theme.muted
        ).next_to(self.bar, DOWN, buff=0.1)
        name = MathTex(label, font_size=theme.label_size, color=theme.text).next_to(hi_lab, UP, buff=0.1)
        self.legend = Group(self.bar, VGroup(hi_lab, lo_lab, name))
        self.add(self.cover if hidden else self.image, self.axes, self.legend)


def gradient_arrow(
    theme: Theme, axes: Axes, x: float, y: float, vx: float, vy: float, *, colour: str | None = None
) -> VGroup:
    """An arrow from (x, y) by (vx, vy) in data units, with a dark outline so it reads on any colour."""
    start, end = axes.c2p(x, y), axes.c2p(x + vx, y + vy)
    if np.linalg.norm(end - start) < 1e-3:
        end = start + np.array([1e-3, 0, 0])
    outline = Arrow(
        start, end, buff=0, color=theme.background, stroke_width=10, max_tip_length_to_length_ratio=0.35
    )
    arrow = Arrow(
        start,
        end,
        buff=0,
        color=colour or theme.derivative,
        stroke_width=5,
        max_tip_length_to_length_ratio=0.35,
    )
    return VGroup(outline, arrow)


MATRIX_COLUMN_STEP = 1.6  # Manim's h_buff: distance between column centres for narrow entries
MATRIX_COLUMN_GAP = 0.6  # blank space kept between the widest entries of neighbouring columns


def matrix_mobject(
    theme: Theme, m: sp.Matrix, *, colour: str | None = None, size: int | None = None
) -> Matrix:
    """A typeset matrix whose entries come from a sympy Matrix (so they are derived, not typed)."""
    rows = [[tex(m[i, j]) for j in range(m.cols)] for i in range(m.rows)]

    def build(h_buff: float) -> Matrix:
        return Matrix(
            rows,
            element_to_mobject=lambda s: MathTex(
                s, font_size=size or theme.formula_size, color=colour or theme.text
            ),
            h_buff=h_buff,
            v_buff=1.0,
            bracket_config={"color": theme.text},
        )

    mob = build(MATRIX_COLUMN_STEP)
    # Manim puts column centres a fixed step apart, so wide entries (sin(y) beside z e^{-x^2})
    # run into each other: widen the step to the widest entry plus a gap (TeX is cached, so the
    # second build only re-parses the SVGs).
    widest = max(e.width for e in mob.get_entries())
    if widest + MATRIX_COLUMN_GAP > MATRIX_COLUMN_STEP:
        mob = build(widest + MATRIX_COLUMN_GAP)
    return mob


def highlight_entry(theme: Theme, matrix: Matrix, i: int, j: int) -> SurroundingRectangle:
    """A box around entry (i, j): the entry being explained."""
    return SurroundingRectangle(matrix.get_rows()[i][j], color=theme.highlight, buff=0.1, stroke_width=3)


def surface_view(
    theme: Theme,
    fn: Field,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    box: Box,
    *,
    resolution: int = 16,
    z_scale: float = 1.0,
) -> ManimSurface:
    """An oblique view of z = f(x, y) drawn in an ordinary 2-D scene: the surface is tilted rather
    than the camera moved, so it renders as fast as any other shape."""

    def point(u: float, v: float) -> np.ndarray:
        return np.array([u, v, float(fn(np.array(u), np.array(v))) * z_scale])

    surf = ManimSurface(
        point,
        u_range=list(x_range),
        v_range=list(y_range),
        resolution=(resolution, resolution),
        fill_opacity=0.85,
        checkerboard_colors=[theme.function, theme.secondary],
        stroke_color=theme.background,
        stroke_width=0.5,
    )
    # azimuth first (about the surface's own vertical axis), then tilt it towards the viewer
    surf.rotate(-35 * np.pi / 180, axis=np.array([0.0, 0.0, 1.0]), about_point=np.zeros(3))
    surf.rotate(-70 * np.pi / 180, axis=RIGHT, about_point=np.zeros(3))
    surf.scale_to_fit_width(min(box.width, box.height * 1.3) * 0.9)
    if surf.height > box.height * 0.9:
        surf.scale_to_fit_height(box.height * 0.9)
    surf.move_to(box.center)
    return surf


def _tilt_matrix() -> np.ndarray:
    """The rotation used by :func:`surface_view`: 35° about the vertical, then 70° towards the viewer."""

    def rot(axis: np.ndarray, angle: float) -> np.ndarray:
        axis = axis / np.linalg.norm(axis)
        k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
        return np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * k @ k

    return rot(np.array([1.0, 0, 0]), -70 * np.pi / 180) @ rot(np.array([0, 0, 1.0]), -35 * np.pi / 180)


class ObliqueAxes(VGroup):
    """x, y, z axes seen at the same tilt as :func:`surface_view`; ``c2p(x, y, z)`` gives screen points."""

    def __init__(self, theme: Theme, box: Box, extent: float) -> None:
        super().__init__()
        self.tilt = _tilt_matrix()
        self.unit = 1.0
        self.origin = np.zeros(3)
        ends = [np.array(e) * extent for e in ((1, 0, 0), (0, 1, 0), (0, 0, 1))]
        projected = [self.tilt @ e for e in ends]
        span = max(max(abs(p[0]), abs(p[1])) for p in projected)
        self.unit = (min(box.width, box.height) / 2 - 0.6) / span
        self.origin = np.array([*box.center[:2], 0.0])
        for e, name in zip(ends, "xyz", strict=True):
            a = Arrow(
                self.c2p(*(-e * 0.4)),
                self.c2p(*e),
                buff=0,
                color=theme.axes,
                stroke_width=3,
                max_tip_length_to_length_ratio=0.08,
            )
            lab = MathTex(name, font_size=theme.label_size, color=theme.muted).next_to(
                a.get_end(), UP + RIGHT, buff=0.08
            )
            self.add(a, lab)

    def c2p(self, x: float, y: float, z: float) -> np.ndarray:
        p = self.tilt @ np.array([x, y, z], dtype=float) * self.unit
        return self.origin + np.array([p[0], p[1], 0.0])
