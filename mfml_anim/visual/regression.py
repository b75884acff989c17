"""Regression pictures: data points with error bars (or histogram bars), residual segments, a model
curve that moves through a sequence of parameters, the χ² bowl of a straight line in an oblique
view, and a χ² contour map over two parameters with a descent path on it.

Shared by ``simple-linear-regression`` and ``non-linear-regression``; colours: data in the text
colour, the model in the function colour, residuals in the "negative" colour (each also named in
a legend or a formula beside it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp
from manim import (
    RIGHT,
    UP,
    Axes,
    Dot,
    Line,
    MathTex,
    Rectangle,
    Text,
    VGroup,
    VMobject,
)
from manim import Surface as ManimSurface

from mfml_anim.lessons._regression import Points
from mfml_anim.math.contours import contour_polylines
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.visual.fields import _tilt_matrix
from mfml_anim.visual.graphs import clipped_graph, themed_axes
from mfml_anim.visual.layout import Box
from mfml_anim.visual.theme import Theme

Model = Callable[[np.ndarray], np.ndarray]


class DataPlot(VGroup):
    """Axes over the data's window and the data: dots with error bars (±σᵢ) when the data give σᵢ,
    histogram bars when ``bar_width`` > 0, else plain dots. ``self.axes`` maps data to the screen."""

    def __init__(
        self,
        theme: Theme,
        box: Box,
        points: Points,
        x_range: tuple[float, float],
        y_range: tuple[float, float],
        *,
        bar_width: float = 0.0,
        x_label: str = "x",
        y_label: str = "y",
    ) -> None:
        super().__init__()
        self.theme, self.data = theme, points  # not self.points: that is Manim's point array
        self.frame = themed_axes(theme, box, x_range, y_range, x_label=x_label, y_label=y_label)
        self.axes: Axes = self.frame[0]
        self.x_window = self.axes.x_window.as_tuple()
        self.marks = VGroup()
        for x, y, s in zip(points.x, points.y, points.sigma, strict=True):
            if bar_width > 0:
                lo, hi = (
                    self.axes.c2p(x - bar_width / 2, min(0.0, y)),
                    self.axes.c2p(x + bar_width / 2, max(0.0, y)),
                )
                bar = Rectangle(
                    width=hi[0] - lo[0],
                    height=max(hi[1] - lo[1], 1e-3),
                    fill_color=theme.muted,
                    fill_opacity=0.45,
                    stroke_color=theme.text,
                    stroke_width=1.5,
                )
                bar.move_to((lo + hi) / 2)
                self.marks.add(bar)
                continue
            mark = VGroup()
            if points.error_bars:
                a, b = self.axes.c2p(x, y - s), self.axes.c2p(x, y + s)
                mark.add(
                    Line(a, b, color=theme.muted, stroke_width=2.5),
                    Line(a + 0.07 * RIGHT, a - 0.07 * RIGHT, color=theme.muted, stroke_width=2.5),
                    Line(b + 0.07 * RIGHT, b - 0.07 * RIGHT, color=theme.muted, stroke_width=2.5),
                )
            mark.add(Dot(self.axes.c2p(x, y), radius=0.07, color=theme.text))
            self.marks.add(mark)
        self.add(self.frame, self.marks)

    def curve(self, fn: Model, colour: str | None = None, width: float = 5) -> VGroup:
        """The graph of ``fn`` across the window, clipped to it."""
        return clipped_graph(
            self.axes, fn, self.x_window, colour=colour or self.theme.function, stroke_width=width
        )

    def residuals(self, fn: Model) -> VGroup:
        """A segment from every data point to the model at its x: the residual yᵢ − y(xᵢ)."""
        out = VGroup()
        y_lo, y_hi = self.axes.y_range[0], self.axes.y_range[1]
        xs = np.array(self.data.x)
        model = np.asarray(fn(xs), dtype=float) * np.ones_like(xs)
        for x, y, m in zip(xs, self.data.y, model, strict=True):
            top = float(np.clip(m, y_lo, y_hi))
            if abs(top - y) < 1e-12:
                continue
            out.add(
                Line(
                    self.axes.c2p(x, y), self.axes.c2p(x, top), color=self.theme.role("error"), stroke_width=4
                )
            )
        return out


def legend(theme: Theme, rows: Sequence[tuple[VMobject, str, str]]) -> VGroup:
    """Sample strokes with their names, one row each, left aligned."""
    out = VGroup()
    for sample, text, colour in rows:
        out.add(
            VGroup(sample, Text(text, font_size=theme.caption_size, color=colour)).arrange(RIGHT, buff=0.2)
        )
    return out.arrange(np.array([0.0, -1.0, 0.0]), aligned_edge=np.array([-1.0, 0.0, 0.0]), buff=0.12)


def sample_line(colour: str, width: float = 5, length: float = 0.6) -> Line:
    return Line(np.zeros(3), np.array([length, 0.0, 0.0]), color=colour, stroke_width=width)


class BowlView(VGroup):
    """z = χ²(m, c) over a window, seen obliquely (the surface is tilted, not the camera), with axis
    lines named; ``point(m, c, chi2)`` is where a value sits on it, so a dot can run down the bowl."""

    def __init__(
        self,
        theme: Theme,
        box: Box,
        chi2: sp.Expr,
        variables: tuple[sp.Symbol, sp.Symbol],
        m_range: tuple[float, float],
        c_range: tuple[float, float],
        labels: tuple[str, str, str],
        resolution: int = 18,
    ) -> None:
        super().__init__()
        self.fn = lambdify_n(chi2, variables)
        self.m_range, self.c_range = m_range, c_range
        mm, cc = np.meshgrid(np.linspace(*m_range, 41), np.linspace(*c_range, 41))
        self.z_max = float(np.nanmax(self.fn(mm, cc))) or 1.0
        self.tilt = _tilt_matrix()
        self.unit, self.origin = 1.0, np.zeros(3)
        corners = [self._raw(u, v, w) for u in (-1, 1) for v in (-1, 1) for w in (0, 1.1)]
        lo, hi = np.min(corners, axis=0), np.max(corners, axis=0)
        self.unit = min(box.width * 0.82 / (hi[0] - lo[0]), box.height * 0.8 / (hi[1] - lo[1]))
        centre = (lo + hi) / 2 * self.unit
        self.origin = np.array([box.center[0] - centre[0], box.center[1] - centre[1] - 0.1, 0.0])
        surf = ManimSurface(
            lambda u, v: self._screen(u, v, self._height(u, v)),
            u_range=[-1, 1],
            v_range=[-1, 1],
            resolution=(resolution, resolution),
            fill_opacity=0.75,
            checkerboard_colors=[theme.function, theme.secondary],
            stroke_color=theme.background,
            stroke_width=0.5,
        )
        self.surface = surf
        axes = VGroup()
        names = VGroup()
        ends = ((1.25, -1, 0), (-1, 1.25, 0), (-1, -1, 1.25))
        for end, name in zip(ends, labels, strict=True):
            a, b = self._screen(-1, -1, 0), self._screen(*end)
            axes.add(Line(a, b, color=theme.axes, stroke_width=3))
            names.add(
                MathTex(name, font_size=theme.label_size, color=theme.muted).next_to(
                    b, UP * 0.5 + RIGHT * 0.5, buff=0.08
                )
            )
        self.axis_lines, self.names = axes, names
        self.add(axes, surf, names)

    def _raw(self, u: float, v: float, w: float) -> np.ndarray:
        return self.tilt @ np.array([u, v, w], dtype=float)

    def _screen(self, u: float, v: float, w: float) -> np.ndarray:
        p = self._raw(u, v, w) * self.unit
        return self.origin + np.array([p[0], p[1], 0.0])

    def _uv(self, m: float, c: float) -> tuple[float, float]:
        (m0, m1), (c0, c1) = self.m_range, self.c_range
        return 2 * (m - m0) / (m1 - m0) - 1, 2 * (c - c0) / (c1 - c0) - 1

    def _height(self, u: float, v: float) -> float:
        (m0, m1), (c0, c1) = self.m_range, self.c_range
        m, c = m0 + (u + 1) / 2 * (m1 - m0), c0 + (v + 1) / 2 * (c1 - c0)
        return float(self.fn(np.array(m), np.array(c))) / self.z_max

    def point(self, m: float, c: float, chi2: float) -> np.ndarray:
        """The screen point of (m, c) at height χ² on the bowl."""
        u, v = self._uv(m, c)
        return self._screen(u, v, chi2 / self.z_max)


class ChiMapView(VGroup):
    """Contour lines of χ²(a, b) on themed axes (log-spaced levels: χ² spans orders of magnitude
    between the start and the fit), ``self.axes`` mapping (a, b) to the screen."""

    def __init__(
        self,
        theme: Theme,
        box: Box,
        chi2: sp.Expr,
        variables: tuple[sp.Symbol, sp.Symbol],
        a_range: tuple[float, float],
        b_range: tuple[float, float],
        labels: tuple[str, str],
        levels: int = 9,
        resolution: int = 90,
    ) -> None:
        super().__init__()
        self.frame = themed_axes(theme, box, a_range, b_range, x_label=labels[0], y_label=labels[1])
        self.axes: Axes = self.frame[0]
        self.window = (self.axes.x_window.as_tuple(), self.axes.y_window.as_tuple())
        fn = lambdify_n(chi2, variables)
        # contours over the requested ranges only (the snapped axes may reach where χ² is spiky, σ → 0)
        xs, ys = np.linspace(*a_range, resolution), np.linspace(*b_range, resolution)
        gx, gy = np.meshgrid(xs, ys)
        z = np.array(fn(gx, gy), dtype=float)
        z[~np.isfinite(z)] = np.nan
        lo, hi = float(np.nanmin(z)), float(np.nanmax(z))
        lo = max(lo, hi * 1e-6, 1e-300)
        self.lines = VGroup()
        for level in np.geomspace(lo * 1.3, hi * 0.9, levels):
            for poly in contour_polylines(xs, ys, z, float(level)):
                m = VMobject(stroke_color=theme.function, stroke_width=2, stroke_opacity=0.8)
                m.set_points_as_corners([self.axes.c2p(float(a), float(b)) for a, b in poly])
                self.lines.add(m)
        self.add(self.frame, self.lines)
