"""Pictures of a two-variable Taylor approximation: a surface with the 0th/1st/2nd-order patch about
a point in the oblique view, and an approximation-error map with a log colour scale.

* :class:`ObliqueView` maps (x, y, z) to the screen at the tilt of
  :func:`mfml_anim.visual.fields.surface_view`, with *one* scale for a surface and every patch laid
  on it (``surface_view`` fits each surface to its box on its own, so two of them would not line
  up). Heights outside the function's range on the window are clipped to a band around it, so an
  approximation that runs away far from the point stays in the frame.
* :func:`oblique_surface` draws a height field as an ordinary Manim Surface in a 2-D scene (fast, no
  ThreeDScene), its faces painted back to front; two surfaces of the same grid pair face by face,
  so a ``Transform`` tilts a flat patch into the tangent plane and bends that into the quadratic.
* :class:`ErrorMap` is |f − P_k| on an equal-scale map: one image, a log colour scale shared by all
  orders (so a shrinking error reads as the map darkening), a colour bar whose decades are written
  beside it, and the contour |f − P_k| = ε that encloses where the approximation is good.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    Group,
    ImageMobject,
    Line,
    MathTex,
    Mobject,
    Polygon,
    VGroup,
)
from manim import Surface as ManimSurface

from mfml_anim.lessons._taylor_2d import SurfaceData, SurfaceShown
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.contours import MapFrame, contour_curve
from mfml_anim.visual.fields import _tilt_matrix, colormap
from mfml_anim.visual.graphs import thin_out
from mfml_anim.visual.layout import Box
from mfml_anim.visual.player import LessonScene
from mfml_anim.visual.theme import Theme

Field = Callable[[np.ndarray, np.ndarray], np.ndarray]
Window = tuple[float, float]

Z_SHARE = 0.55  # the height range of f is drawn this share of the longer side of the floor
CLIP_SHARE = 0.35  # a patch may leave f's height range by this share of it before it is clipped
SURFACE_BOX = layout.LEFT
FORMULA_BOX = layout.RIGHT


def _values(fn: Field, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.asarray(fn(xs, ys), dtype=float) * np.ones_like(np.asarray(xs, dtype=float))


class ObliqueView:
    """Screen points of (x, y, z) over the window ``x_range`` × ``y_range`` seen obliquely, fitted to
    ``box``; ``z_range`` (f's range on the window) is drawn :data:`Z_SHARE` of the floor's size tall."""

    def __init__(self, box: Box, x_range: Window, y_range: Window, z_range: Window) -> None:
        self.x_range, self.y_range = x_range, y_range
        zlo, zhi = z_range
        if not zhi - zlo > 1e-12 * max(1.0, abs(zlo)):
            zlo, zhi = zlo - 0.5, zhi + 0.5  # a flat function: give it a unit band
        self.z_range = (zlo, zhi)
        self.tilt = _tilt_matrix()
        self.centre = np.array([(x_range[0] + x_range[1]) / 2, (y_range[0] + y_range[1]) / 2])
        self.span = max(x_range[1] - x_range[0], y_range[1] - y_range[0])
        self.z_unit = Z_SHARE * self.span / (zhi - zlo)
        self.unit = 1.0
        self.offset = np.zeros(2)
        lo, hi = self.clip_band
        corners = np.array([self._raw(x, y, z) for x in x_range for y in y_range for z in (lo, hi)])
        size = corners.max(axis=0) - corners.min(axis=0)
        self.unit = min((box.width - 0.2) / size[0], (box.height - 0.2) / size[1])
        mid = (corners.max(axis=0) + corners.min(axis=0)) / 2 * self.unit
        self.offset = np.array(box.center[:2]) - mid[:2]

    @property
    def clip_band(self) -> Window:
        """Heights drawn: f's range on the window plus a margin (a runaway patch is cut off there)."""
        lo, hi = self.z_range
        pad = CLIP_SHARE * (hi - lo)
        return lo - pad, hi + pad

    def _raw(self, x: float, y: float, z: float) -> np.ndarray:
        p = np.array([x - self.centre[0], y - self.centre[1], (z - self.z_range[0]) * self.z_unit])
        return self.tilt @ p

    def c2p(self, x: float, y: float, z: float) -> np.ndarray:
        """The screen point of (x, y, z), z clipped to :attr:`clip_band`."""
        lo, hi = self.clip_band
        r = self._raw(x, y, float(np.clip(z, lo, hi))) * self.unit
        return np.array([r[0] + self.offset[0], r[1] + self.offset[1], 0.0])

    def depth(self, x: float, y: float) -> float:
        """How near the floor point (x, y) is to the viewer (larger = nearer): the painting order."""
        return float(self._raw(x, y, self.z_range[0])[2])

    def floor(self, theme: Theme) -> VGroup:
        """The window's outline at the lowest height, with x and y written at the ends of its near
        edges, and a vertical edge at the back corner for z."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        z = self.z_range[0]
        outline = Polygon(
            *[self.c2p(x, y, z) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))],
            stroke_color=theme.axes,
            stroke_width=2,
            fill_opacity=0,
        )
        xl = MathTex("x", font_size=theme.label_size, color=theme.muted)
        xl.next_to(self.c2p(x1, y0, z), RIGHT + DOWN, buff=0.1)
        yl = MathTex("y", font_size=theme.label_size, color=theme.muted)
        yl.next_to(self.c2p(x1, y1, z), RIGHT, buff=0.15)
        back = min(((x, y) for x in (x0, x1) for y in (y0, y1)), key=lambda c: self.depth(*c))
        z_axis = Line(self.c2p(*back, z), self.c2p(*back, self.z_range[1]), color=theme.axes, stroke_width=2)
        zl = MathTex("z", font_size=theme.label_size, color=theme.muted).next_to(
            z_axis.get_end(), UP, buff=0.1
        )
        return VGroup(outline, z_axis, xl, yl, zl)

    def marker(self, theme: Theme, x: float, y: float, z: float, colour: str | None = None) -> VGroup:
        """A dot at (x, y, z) with a dashed line down to the floor: where on the surface a point is."""
        top = self.c2p(x, y, z)
        drop = DashedLine(
            self.c2p(x, y, self.z_range[0]),
            top,
            color=colour or theme.role("expansion_point"),
            stroke_width=3,
            dash_length=0.08,
        )
        outline = Dot(top, radius=0.11, color=theme.background)
        return VGroup(drop, outline, Dot(top, radius=0.08, color=colour or theme.role("expansion_point")))


def oblique_surface(
    view: ObliqueView,
    fn: Field,
    x_range: Window,
    y_range: Window,
    *,
    colours: tuple[str, str],
    stroke: str,
    opacity: float = 0.85,
    stroke_width: float = 0.6,
    resolution: int = 18,
    hide_outside: bool = False,
) -> ManimSurface:
    """z = fn(x, y) over the given ranges in ``view``; faces sorted back to front (a 2-D scene draws
    in list order, so without this a near face could be hidden by one behind it). Surfaces of the
    same resolution are sorted alike (by the floor point of each face), so they transform face by face.
    ``hide_outside``: faces whose height leaves the view's band are made invisible (an approximation
    that runs away far from its point leaves the picture instead of piling up at the edge)."""
    lo = view.clip_band[0]

    def point(u: float, v: float) -> np.ndarray:
        z = float(_values(fn, np.array(u), np.array(v)))
        return view.c2p(u, v, z if np.isfinite(z) else lo)

    surf = ManimSurface(
        point,
        u_range=list(x_range),
        v_range=list(y_range),
        resolution=(resolution, resolution),
        fill_opacity=opacity,
        checkerboard_colors=list(colours),
        stroke_color=stroke,
        stroke_width=stroke_width,
    )
    du = (x_range[1] - x_range[0]) / resolution
    dv = (y_range[1] - y_range[0]) / resolution

    def depth(face: object) -> float:
        i, j = face.u_index, face.v_index  # type: ignore[attr-defined]  # Manim's Surface faces carry u_index/v_index (set in Surface._setup_in_uv_space)
        return view.depth(x_range[0] + (i + 0.5) * du, y_range[0] + (j + 0.5) * dv)

    surf.submobjects.sort(key=depth)
    if hide_outside:
        for face in surf.submobjects:
            u = x_range[0] + (face.u_index + 0.5) * du  # type: ignore[attr-defined]  # Manim's Surface faces carry u_index/v_index (set in Surface._setup_in_uv_space)
            v = y_range[0] + (face.v_index + 0.5) * dv  # type: ignore[attr-defined]  # Manim's Surface faces carry u_index/v_index (set in Surface._setup_in_uv_space)
            z = float(_values(fn, np.array(u), np.array(v)))
            if not (np.isfinite(z) and view.clip_band[0] <= z <= view.clip_band[1]):
                face.set_fill(opacity=0).set_stroke(opacity=0)
    return surf


def patch_window(
    centre: tuple[float, float], reach: float, x_range: Window, y_range: Window
) -> tuple[Window, Window]:
    """The square of half-width ``reach`` about ``centre``, cut to the window."""
    cx, cy = centre
    return (
        (max(x_range[0], cx - reach), min(x_range[1], cx + reach)),
        (max(y_range[0], cy - reach), min(y_range[1], cy + reach)),
    )


# --------------------------------------------------------------------------- the error map

ERROR_FLOOR = 1e-12


def _decades(lo: float, hi: float) -> list[int]:
    first, last = int(np.ceil(lo - 1e-9)), int(np.floor(hi + 1e-9))
    ds = list(range(first, last + 1))
    step = max(1, int(np.ceil(len(ds) / 5)))
    return ds[::-1][::step][::-1]


def _decade_text(d: int) -> str:
    return f"{10.0**d:.{max(0, -d)}f}" if d < 0 else str(10**d)


class ErrorMap(Group):
    """|f − P_k| over the window as one image on a :class:`MapFrame`, log colour scale ``scale``
    (log10 of the error at the bar's bottom and top) shared by every order, a colour bar whose
    decades are written beside it (so colour is read by number), and the contour |f − P_k| = ε
    (``tolerance``) drawn in the colour of the "limit" role (not the expansion point's yellow, and
    off the viridis scale) with a tick at ε on the bar, named ``eps_label``. Where f is not a real
    number the map shows the panel colour."""

    def __init__(
        self,
        theme: Theme,
        box: Box,
        error: Field,
        x_range: Window,
        y_range: Window,
        *,
        scale: tuple[float, float],
        tolerance: float,
        eps_label: str,
        resolution: int = 160,
    ) -> None:
        super().__init__()
        self.frame = MapFrame(theme, box, x_range, y_range)
        xs = np.linspace(*x_range, resolution)
        ys = np.linspace(*y_range, resolution)
        X, Y = np.meshgrid(xs, ys[::-1])  # image rows run top to bottom
        E = _values(error, X, Y)
        lo, hi = scale
        L = np.log10(np.maximum(E, ERROR_FLOOR))
        img = colormap(np.where(np.isfinite(L), L, lo), theme.heat, lo, hi)
        img[~np.isfinite(E)] = colormap(np.zeros((1, 1)), (theme.panel, theme.panel), 0, 1)[0, 0]
        self.image = ImageMobject(img, scale_to_resolution=resolution)
        self.image.stretch_to_fit_width(self.frame.side).stretch_to_fit_height(self.frame.side)
        self.image.move_to(self.frame.border)
        self.contour = contour_curve(
            theme,
            self.frame,
            error,
            tolerance,
            x_range,
            y_range,
            colour=theme.role("limit"),
            stroke_width=4,
            resolution=120,
        )
        self.legend = self._legend(theme, scale, tolerance, eps_label)
        self.add(self.image, self.frame, self.contour, self.legend)

    def _legend(self, theme: Theme, scale: tuple[float, float], tolerance: float, eps_label: str) -> Group:
        lo, hi = scale
        height = self.frame.side * 0.85
        values = np.linspace(hi, lo, 96)[:, None] * np.ones((1, 4))
        bar = ImageMobject(colormap(values, theme.heat, lo, hi), scale_to_resolution=96)
        bar.stretch_to_fit_height(height).stretch_to_fit_width(0.28)
        bar.next_to(self.frame.border, RIGHT, buff=0.55).align_to(self.frame.border, DOWN)
        bottom, top = bar.get_bottom()[1], bar.get_top()[1]

        def y_of(v: float) -> float:
            return bottom + (v - lo) / (hi - lo) * (top - bottom)

        marks = VGroup()
        for d in _decades(lo, hi):
            y = y_of(d)
            tick = Line(
                [bar.get_right()[0], y, 0],
                [bar.get_right()[0] + 0.12, y, 0],
                color=theme.axes,
                stroke_width=2,
            )
            num = MathTex(_decade_text(d), font_size=theme.min_size, color=theme.muted)
            num.next_to(tick, RIGHT, buff=0.08)
            marks.add(VGroup(tick, num))
        ye = y_of(float(np.log10(tolerance)))
        eps_tick = Line(
            [bar.get_left()[0] - 0.15, ye, 0],
            [bar.get_right()[0], ye, 0],
            color=theme.role("limit"),
            stroke_width=4,
        )
        eps = MathTex(eps_label, font_size=theme.label_size, color=theme.role("limit")).next_to(
            eps_tick, LEFT, buff=0.08
        )
        clear = [m for m in marks if abs(m[1].get_center()[1] - ye) > 0.3]
        # decades crowding each other at the floor size: every other one is written, none shrunk
        keep = VGroup(*[clear[i] for i in thin_out([m[1] for m in clear], horizontal=False)])
        return Group(bar, keep, VGroup(eps_tick, eps))

    def c2p(self, x: float, y: float) -> np.ndarray:
        return self.frame.c2p(x, y)


def point_mark(theme: Theme, at: np.ndarray) -> VGroup:
    """The expansion point on a map: a dot with a dark ring, readable on any colour."""
    return VGroup(Dot(at, radius=0.12, color=theme.background), Dot(at, radius=0.08, color=theme.text))


# --------------------------------------------------------------------------- the shared opening screen


class TaylorSurfaceScene(LessonScene):
    """Base of the two-variable Taylor scenes: draws :class:`SurfaceShown` (the surface with p on
    it) and keeps that picture for the steps that draw on it (:meth:`surface`)."""

    surface_of: SurfaceData | None = None

    def surface(self, data: SurfaceData, *, keep: Sequence[Mobject] = ()) -> ObliqueView:
        """The surface of ``data`` on screen (drawn if it is not there), everything else but ``keep``
        cleared; returns its view so patches and marks line up with it."""
        if self.surface_of != data:
            self.clear_content()
            t = self.theme
            fn = lambdify_n(data.f, data.variables)
            gx, gy = np.meshgrid(np.linspace(*data.x_window, 61), np.linspace(*data.y_window, 61))
            zs = _values(fn, gx, gy)
            self.view = ObliqueView(
                SURFACE_BOX, data.x_window, data.y_window, (float(np.nanmin(zs)), float(np.nanmax(zs)))
            )
            self.floor_mob = self.view.floor(t)
            self.surface_mob = oblique_surface(
                self.view,
                fn,
                data.x_window,
                data.y_window,
                colours=(t.function, t.secondary),
                stroke=t.background,
                hide_outside=True,
            )
            self.point_mob = self.view.marker(t, *data.point, data.height)
            self.play(Create(self.floor_mob), run_time=0.6)
            self.play(Create(self.surface_mob), run_time=1.8)
            self.play(FadeIn(self.point_mob, shift=0.3 * UP), run_time=0.6)
            self.surface_of = data
            self.keep(self.floor_mob, self.surface_mob, self.point_mob)
        self.clear_content(keep=[self.floor_mob, self.surface_mob, self.point_mob, *keep])
        return self.view

    def draw_surface_shown(self, step: Step, screen: SurfaceShown) -> None:
        self.surface(screen.surface)
        self.show_formulas(step.formulas, FORMULA_BOX, colours=[self.theme.function])

    SCREENS = {SurfaceShown: draw_surface_shown}


__all__ = ["ErrorMap", "ObliqueView", "TaylorSurfaceScene", "oblique_surface", "patch_window", "point_mark"]
