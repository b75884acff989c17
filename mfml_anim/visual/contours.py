"""Contour maps of f(x, y) and descent paths drawn on them, step by step.

Used by the optimisation lessons (gradient descent, the sandpit strategies, Lagrange multipliers):

* :class:`MapFrame` — a square window with *equal* scales on x and y (a gradient only looks
  perpendicular to its contour when a unit is the same length both ways), drawn as a frame with
  its tick numbers outside, so nothing inside the map crosses them;
* :class:`ContourMap` — a frame plus labelled contour lines of f; :func:`contour_curve` draws one
  level of any function (e.g. a constraint g = 0) on an existing frame;
* :class:`PathStyle` / :data:`PATH_STYLES` — how a path is told apart *without colour*: a dash
  pattern and a marker shape, plus a colour role of the theme;
* :func:`path_pieces` / :func:`grow_path` — a descent path as markers and segments, clipped to the
  window, and the animation that draws it one step at a time.

The curves themselves (marching squares) and the contour heights come from
:mod:`mfml_anim.math.contours` (pure numpy).

Anything with a ``c2p(x, y)`` method can carry a path (a :class:`MapFrame`, or the axes of a
:class:`~mfml_anim.visual.fields.HeatMap`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    Create,
    DashedVMobject,
    FadeIn,
    Line,
    MathTex,
    Rectangle,
    Square,
    Triangle,
    VGroup,
    VMobject,
)

from mfml_anim.math.contours import contour_polylines, nice_levels
from mfml_anim.math.windows import nice_step
from mfml_anim.storyboard import fmt_number
from mfml_anim.visual.graphs import crowded
from mfml_anim.visual.layout import Box
from mfml_anim.visual.theme import Theme

if TYPE_CHECKING:
    from manim import Scene

Field = Callable[[np.ndarray, np.ndarray], np.ndarray]
Window = tuple[float, float]


# a map's tick steps are 1, 2 or 5 x 10^k (no 2.5), about five to a side
MAP_MANTISSAS = (1.0, 2.0, 5.0, 10.0)


class HasC2P(Protocol):
    def c2p(self, *coords: float) -> np.ndarray: ...


# --------------------------------------------------------------------------- the frame


class MapFrame(VGroup):
    """A square plotting window with equal scales on both axes, framed, tick numbers outside.

    ``c2p(x, y)`` maps data to scene points; ``inside(x, y)`` says whether a point is in the window.
    The x and y windows must have the same span (equal scales: a lesson picks such a window).
    """

    def __init__(
        self,
        theme: Theme,
        box: Box,
        x_range: Window,
        y_range: Window,
        *,
        x_label: str = "x",
        y_label: str = "y",
    ) -> None:
        super().__init__()
        if abs((x_range[1] - x_range[0]) - (y_range[1] - y_range[0])) > 1e-9 * max(
            1.0, x_range[1] - x_range[0]
        ):
            raise ValueError("MapFrame needs equal spans on x and y (equal scales)")
        self.x_range, self.y_range = (
            (float(x_range[0]), float(x_range[1])),
            (float(y_range[0]), float(y_range[1])),
        )
        self.side = min(box.width - 1.4, box.height - 1.0)
        span = self.x_range[1] - self.x_range[0]
        self.unit = self.side / span
        # room on the left for the y numbers, below for the x numbers, right and above for the names
        spare = box.width - 1.4 - self.side
        self.origin = np.array([box.left + 0.95 + spare / 2, box.bottom + 0.55, 0.0])
        self.border = Rectangle(width=self.side, height=self.side, stroke_color=theme.axes, stroke_width=2)
        self.border.move_to(self.origin + np.array([self.side / 2, self.side / 2, 0]))
        # the finest round step whose numbers (at the floor size) keep apart on both axes
        for target in (5, 4, 3, 2):
            self.ticks, self.numbers, x_nums, y_nums = self._tick_marks(
                theme, nice_step(span, target, mantissas=MAP_MANTISSAS)
            )
            if not crowded(x_nums, horizontal=True) and not crowded(y_nums, horizontal=False):
                break
        xl = MathTex(x_label, font_size=theme.label_size, color=theme.muted)
        xl.next_to(self.border.get_corner(DOWN + RIGHT), RIGHT, buff=0.2)
        yl = MathTex(y_label, font_size=theme.label_size, color=theme.muted)
        yl.next_to(self.border.get_corner(UP + LEFT), UP, buff=0.2)
        self.labels = VGroup(xl, yl)
        self.add(self.border, self.ticks, self.numbers, self.labels)

    def _tick_marks(self, theme: Theme, step: float) -> tuple[VGroup, VGroup, list[MathTex], list[MathTex]]:
        """Ticks and numbers at every multiple of ``step`` on both axes, numbers outside the frame."""
        places = max(0, -int(np.floor(np.log10(step)))) if step < 1 else 0
        ticks, numbers = VGroup(), VGroup()
        per_axis: dict[str, list[MathTex]] = {"x": [], "y": []}
        for axis, (a, b) in (("x", self.x_range), ("y", self.y_range)):
            v = np.ceil(a / step - 1e-9) * step
            while v <= b + 1e-9:
                v_clean = round(float(v), places) + 0.0
                num = MathTex(f"{v_clean:.{places}f}", font_size=theme.min_size, color=theme.muted)
                if axis == "x":
                    p = self.c2p(v_clean, self.y_range[0])
                    ticks.add(Line(p, p + 0.1 * DOWN, color=theme.axes, stroke_width=2))
                    num.next_to(p, DOWN, buff=0.15)
                else:
                    p = self.c2p(self.x_range[0], v_clean)
                    ticks.add(Line(p, p + 0.1 * LEFT, color=theme.axes, stroke_width=2))
                    num.next_to(p, LEFT, buff=0.15)
                numbers.add(num)
                per_axis[axis].append(num)
                v += step
        return ticks, numbers, per_axis["x"], per_axis["y"]

    def c2p(self, *coords: float) -> np.ndarray:
        x, y = coords[0], coords[1]
        return self.origin + np.array(
            [(x - self.x_range[0]) * self.unit, (y - self.y_range[0]) * self.unit, 0.0]
        )

    def inside(self, x: float, y: float, tol: float = 1e-9) -> bool:
        return (
            self.x_range[0] - tol <= x <= self.x_range[1] + tol
            and self.y_range[0] - tol <= y <= self.y_range[1] + tol
        )


def _grid(fn: Field, x_range: Window, y_range: Window, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs, ys = np.linspace(*x_range, n), np.linspace(*y_range, n)
    X, Y = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        Z = np.asarray(fn(X, Y), dtype=float) * np.ones_like(X)
    Z[~np.isfinite(Z)] = np.nan
    return xs, ys, Z


def _polyline_mobject(frame: HasC2P, poly: np.ndarray, colour: str, width: float) -> VMobject:
    m = VMobject(stroke_color=colour, stroke_width=width)
    m.set_points_as_corners([frame.c2p(float(x), float(y)) for x, y in poly])
    return m


def contour_curve(
    theme: Theme,
    frame: HasC2P,
    fn: Field,
    level: float,
    x_range: Window,
    y_range: Window,
    *,
    colour: str,
    stroke_width: float = 3,
    resolution: int = 90,
    dashed: bool = False,
) -> VGroup:
    """The curve fn = ``level`` over the window on ``frame`` (e.g. a constraint g(x, y) = 0)."""
    xs, ys, Z = _grid(fn, x_range, y_range, resolution)
    out = VGroup()
    for poly in contour_polylines(xs, ys, Z, level):
        m = _polyline_mobject(frame, poly, colour, stroke_width)
        out.add(DashedVMobject(m, num_dashes=max(6, len(poly) // 3)) if dashed else m)
    return out


class ContourMap(VGroup):
    """A :class:`MapFrame` with the contour lines of ``fn`` and their heights written on them.

    ``levels`` are the heights (default :func:`nice_levels`); ``self.lines`` has one VGroup per level
    (in ``self.levels`` order) and ``self.level_labels`` the numbers placed on them, each on a small
    background patch, placed where they collide with no other label.
    """

    def __init__(
        self,
        theme: Theme,
        box: Box,
        fn: Field,
        x_range: Window,
        y_range: Window,
        *,
        levels: Sequence[float] | None = None,
        count: int = 7,
        resolution: int = 90,
        x_label: str = "x",
        y_label: str = "y",
        colour: str | None = None,
        avoid: Sequence[tuple[float, float]] = (),
    ) -> None:
        super().__init__()
        self.frame = MapFrame(theme, box, x_range, y_range, x_label=x_label, y_label=y_label)
        xs, ys, Z = _grid(fn, x_range, y_range, resolution)
        self.levels = tuple(levels) if levels is not None else nice_levels(Z, count)
        self.lines = VGroup()
        self.level_labels = VGroup()
        colour = colour or theme.function
        span = (max(self.levels) - min(self.levels)) if self.levels else 1.0
        placed: list[Box] = [_box_of(self.frame.c2p(*p), 0.5, 0.5) for p in avoid]
        for level in self.levels:
            polys = contour_polylines(xs, ys, Z, level)
            group = VGroup(*[_polyline_mobject(self.frame, p, colour, 2.5) for p in polys])
            self.lines.add(group)
            label = self._label(theme, polys, level, span, placed)
            if label is not None:
                self.level_labels.add(label)
        self.add(self.frame, self.lines, self.level_labels)

    def _label(
        self, theme: Theme, polys: list[np.ndarray], level: float, span: float, placed: list[Box]
    ) -> VGroup | None:
        if not polys:
            return None
        text = fmt_number(level, 3) if abs(level) >= 1e-9 * max(1.0, span) else "0"
        num = MathTex(text, font_size=theme.min_size, color=theme.text)
        w, h = num.width + 0.12, num.height + 0.1
        b = self.frame.border
        inner = Box(
            b.get_left()[0] + 0.1, b.get_right()[0] - 0.1, b.get_bottom()[1] + 0.1, b.get_top()[1] - 0.1
        )
        longest = sorted(polys, key=len, reverse=True)
        for poly in longest[:3]:
            for frac in (0.25, 0.75, 0.5, 0.1, 0.4, 0.6, 0.9):
                x, y = poly[int(frac * (len(poly) - 1))]
                centre = self.frame.c2p(float(x), float(y))
                box = _box_of(centre, w, h)
                if inner.contains(box) and all(box.overlap(b) == 0 for b in placed):
                    placed.append(_box_of(centre, w + 0.1, h + 0.1))
                    patch = Rectangle(
                        width=w, height=h, fill_color=theme.background, fill_opacity=0.85, stroke_width=0
                    ).move_to(centre)
                    return VGroup(patch, num.move_to(centre))
        return None

    def c2p(self, *coords: float) -> np.ndarray:
        return self.frame.c2p(*coords)

    def create(self, scene: Scene, run_time: float = 2.0) -> None:
        """Frame first, then the lines growing, then their heights."""
        scene.play(Create(self.frame), run_time=0.8)
        scene.play(Create(self.lines, lag_ratio=0.15), run_time=run_time)
        if len(self.level_labels):
            scene.play(FadeIn(self.level_labels), run_time=0.5)


def _box_of(centre: np.ndarray, w: float, h: float) -> Box:
    return Box(centre[0] - w / 2, centre[0] + w / 2, centre[1] - h / 2, centre[1] + h / 2)


# --------------------------------------------------------------------------- descent paths

Dash = Literal["solid", "dashed", "dotted", "dashdot"]
Marker = Literal["circle", "square", "triangle", "diamond"]


@dataclass(frozen=True)
class PathStyle:
    """How one path looks: ``colour`` is a theme role (``"highlight"``, ``"derivative"``...), and the
    dash pattern and marker shape tell paths apart without colour."""

    colour: str
    dash: Dash = "solid"
    marker: Marker = "circle"

    def colour_of(self, theme: Theme) -> str:
        return getattr(theme, self.colour)


PATH_STYLES: tuple[PathStyle, ...] = (
    PathStyle("highlight", "solid", "circle"),
    PathStyle("derivative", "dashed", "square"),
    PathStyle("secondary", "dotted", "triangle"),
    PathStyle("tertiary", "dashdot", "diamond"),
)


def _styled_segment(a: np.ndarray, b: np.ndarray, dash: Dash, colour: str, width: float) -> VMobject:
    length = float(np.linalg.norm(b - a))
    line = Line(a, b, color=colour, stroke_width=width)
    if dash == "solid" or length < 1e-3:
        return line
    if dash == "dashed":
        return DashedVMobject(line, num_dashes=max(1, round(length / 0.22)), dashed_ratio=0.6)
    if dash == "dotted":
        return DashedVMobject(line, num_dashes=max(1, round(length / 0.12)), dashed_ratio=0.3)
    # dash-dot: long dash, gap, short dot, gap
    n = max(1, round(length / 0.36))
    unit = (b - a) / n
    parts = VGroup()
    for k in range(n):
        s = a + k * unit
        parts.add(Line(s, s + 0.55 * unit, color=colour, stroke_width=width))
        parts.add(Line(s + 0.7 * unit, s + 0.82 * unit, color=colour, stroke_width=width))
    return parts


def marker(theme: Theme, style: PathStyle, at: np.ndarray, size: float = 0.13) -> VMobject:
    """A filled marker of the style's shape, outlined in the background colour to read on any map."""
    colour = style.colour_of(theme)
    kw = {"fill_color": colour, "fill_opacity": 1.0, "stroke_color": theme.background, "stroke_width": 2}
    if style.marker == "square":
        m: VMobject = Square(side_length=size * 1.7, **kw)
    elif style.marker == "triangle":
        m = Triangle(**kw).scale_to_fit_height(size * 1.9)
    elif style.marker == "diamond":
        m = Square(side_length=size * 1.5, **kw).rotate(np.pi / 4)
    else:
        m = Circle(radius=size, **kw)
    return m.move_to(at)


def clip_segment(window: tuple[Window, Window], p: np.ndarray, q: np.ndarray) -> np.ndarray | None:
    """The part of segment p→q inside the window (Liang–Barsky), None if it misses the window."""
    (x0, x1), (y0, y1) = window
    d = q - p
    t0, t1 = 0.0, 1.0
    for pk, qk in ((-d[0], p[0] - x0), (d[0], x1 - p[0]), (-d[1], p[1] - y0), (d[1], y1 - p[1])):
        if pk == 0:
            if qk < 0:
                return None
            continue
        r = qk / pk
        if pk < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
        if t0 > t1:
            return None
    return np.array([p + t0 * d, p + t1 * d])


@dataclass
class PathPieces:
    """A path cut into what is drawn per step: ``segments[k]`` leads from marker k to marker k + 1
    (None where it lies outside the window), ``markers[k]`` (None outside the window)."""

    segments: list[VMobject | None]
    markers: list[VMobject | None]

    def all(self) -> VGroup:
        return VGroup(*[m for m in (*self.segments, *self.markers) if m is not None])


def _normals(frame: HasC2P, pts: np.ndarray) -> np.ndarray:
    """The unit screen normal of each segment of ``pts`` (zero for a step of no length)."""
    screen = np.array([frame.c2p(float(x), float(y))[:2] for x, y in pts]).reshape(-1, 2)
    d = np.diff(screen, axis=0)
    length = np.linalg.norm(d, axis=1, keepdims=True)
    unit = np.divide(d, length, out=np.zeros_like(d), where=length > 1e-9)
    return np.column_stack([-unit[:, 1], unit[:, 0], np.zeros(len(unit))])


def path_pieces(
    theme: Theme,
    frame: HasC2P,
    points: Sequence[Sequence[float]],
    style: PathStyle,
    *,
    window: tuple[Window, Window],
    width: float = 5,
    lane: float = 0.0,
    marker_size: float = 0.13,
) -> PathPieces:
    """Markers at every iterate and styled segments between them, clipped to ``window``; each
    segment is laid over a wider background-coloured stroke so it reads on contour lines and maps.

    ``lane`` (screen units) runs each segment that far to its left, and each marker half-way between
    its two segments' lanes: paths that follow the same line (fixed steps and −γJ both trace the
    gradient flow; Newton and the hybrid share their first jumps; Newton bouncing back along its own
    track) are drawn side by side, as lanes, instead of on top of each other. Lanes want markers
    smaller than the default ``marker_size``, or neighbouring lanes' markers cover each other."""
    pts = np.asarray(points, float).reshape(-1, 2)
    colour = style.colour_of(theme)
    (x0, x1), (y0, y1) = window
    normals = _normals(frame, pts) * lane if lane and len(pts) > 1 else np.zeros((max(len(pts) - 1, 0), 3))
    padded = np.vstack([normals[:1], normals, normals[-1:]]) if len(normals) else np.zeros((2, 3))
    markers: list[VMobject | None] = []
    for k, (x, y) in enumerate(pts):
        inside = x0 <= x <= x1 and y0 <= y <= y1
        shift = (padded[k] + padded[k + 1]) / 2 if len(normals) else np.zeros(3)
        markers.append(
            marker(theme, style, frame.c2p(float(x), float(y)) + shift, marker_size) if inside else None
        )
    segments: list[VMobject | None] = []
    for k, (p, q) in enumerate(zip(pts[:-1], pts[1:], strict=True)):
        clipped = clip_segment(window, np.asarray(p, float), np.asarray(q, float))
        if clipped is None or float(np.linalg.norm(clipped[1] - clipped[0])) == 0.0:
            segments.append(None)
            continue
        a, b = frame.c2p(*clipped[0]) + normals[k], frame.c2p(*clipped[1]) + normals[k]
        under = Line(a, b, color=theme.background, stroke_width=width + 4, stroke_opacity=0.8)
        segments.append(VGroup(under, _styled_segment(a, b, style.dash, colour, width)))
    return PathPieces(segments, markers)


def grow_path(scene: Scene, pieces: PathPieces, *, step_time: float = 0.35, max_time: float = 8.0) -> VGroup:
    """Draw the path one step at a time: the first marker, then each segment followed by the marker
    it reaches. Long paths speed up so the whole path takes at most ``max_time`` seconds."""
    n = len(pieces.segments)
    per = min(step_time, max_time / max(n, 1))
    drawn = VGroup()
    if pieces.markers and pieces.markers[0] is not None:
        scene.play(FadeIn(pieces.markers[0], scale=2), run_time=0.4)
        drawn.add(pieces.markers[0])
    for seg, mark in zip(pieces.segments, pieces.markers[1:], strict=True):
        anims = []
        if seg is not None:
            anims.append(Create(seg))
            drawn.add(seg)
        if mark is not None:
            anims.append(FadeIn(mark))
            drawn.add(mark)
        if anims:
            scene.play(*anims, run_time=per)
    # markers on top of the segments drawn after them
    for m in pieces.markers:
        if m is not None:
            scene.bring_to_front(m)
    return drawn


def legend_line(theme: Theme, style: PathStyle, length: float = 0.9) -> VGroup:
    """A short sample of the style (segment with a marker at each end) for a legend."""
    a, b = np.array([-length / 2, 0, 0]), np.array([length / 2, 0, 0])
    return VGroup(
        _styled_segment(a, b, style.dash, style.colour_of(theme), 5),
        marker(theme, style, a, 0.1),
        marker(theme, style, b, 0.1),
    )


def ring(theme: Theme, frame: HasC2P, x: float, y: float, colour: str | None = None) -> VGroup:
    """A ring around a point: where a path ended up."""
    c = Circle(radius=0.22, stroke_color=colour or theme.text, stroke_width=4).move_to(frame.c2p(x, y))
    outline = Circle(radius=0.22, stroke_color=theme.background, stroke_width=8).move_to(c)
    return VGroup(outline, c)


__all__ = [
    "PATH_STYLES",
    "ContourMap",
    "MapFrame",
    "PathPieces",
    "PathStyle",
    "clip_segment",
    "contour_curve",
    "grow_path",
    "legend_line",
    "marker",
    "path_pieces",
    "ring",
]
