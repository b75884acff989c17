"""A limit worked on screen: the difference quotient plotted against Δx as Δx shrinks.

Shared by the Module 1 lessons that take a limit (the power rule's expansion, 1/x, eˣ, sin x): a
cursor slides Δx towards 0 from each end of the span, the quotient's terms are traced behind it as
stacked bands (the ones still carrying a Δx pinch to nothing) or as one curve, and an open dot at
Δx = 0 marks the limit, which the quotient itself never reaches (0/0 there).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    LEFT,
    UP,
    Circle,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Mobject,
    Polygon,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    smooth,
)

from mfml_anim.lessons._common import QuotientLimit
from mfml_anim.math.calculus import H
from mfml_anim.math.numeric import lambdify1
from mfml_anim.math.windows import Y_TICKS, axis_window
from mfml_anim.storyboard import Formula, Step, signed_sum, tex
from mfml_anim.visual import layout
from mfml_anim.visual.graphs import clipped_graph, dot_at, themed_axes
from mfml_anim.visual.layout import Box
from mfml_anim.visual.player import LessonScene
from mfml_anim.visual.theme import Theme

CLOSEST = 0.02  # the cursor stops this fraction of the span short of Δx = 0 (0/0 there)


def band_colours(theme: Theme, n: int) -> list[str]:
    """The surviving term in the derivative's colour (it *is* the derivative), the vanishing ones in
    the other series colours."""
    rest = [theme.secondary, theme.tertiary, theme.highlight, theme.negative]
    return [theme.derivative, *rest[: n - 1]]


def coloured_block(scene: LessonScene, f: Formula, width: float, colours: dict[str, str]) -> VGroup:
    """``scene.formula_block`` with the given TeX substrings (the terms of a sum) in their colours:
    on one line if it fits ``width``, else broken before the first '='."""
    t = scene.theme
    isolate = list(colours) if colours and signed_sum(list(colours)) in f.latex else []

    def line(pieces: Sequence[str]) -> MathTex:
        m = MathTex(*pieces, font_size=t.formula_size, color=t.text, substrings_to_isolate=isolate)
        for s in isolate:
            m.set_color_by_tex(s, colours[s])
        return m

    one = line(f.pieces)
    if one.width <= width or len(f.pieces) < 3:
        return VGroup(one)
    first, rest = line(f.pieces[:1]), line(f.pieces[1:])
    return VGroup(first, rest).arrange(np.array([0.0, -1.0, 0.0]), buff=0.3, aligned_edge=LEFT)


def replace_content(scene: LessonScene, *animations: object, run_time: float = 1.4) -> None:
    """Fade the step before's content out *while* ``animations`` bring the new one in (no frame
    with an empty screen between two steps); the old content is forgotten."""
    gone = list(scene.content)
    scene.play(*[FadeOut(m) for m in gone], *animations, run_time=run_time)  # type: ignore[arg-type]
    scene.content.remove(*gone)


def _samples(lo: float, hi: float, n: int = 160) -> np.ndarray:
    hs = np.linspace(lo, hi, n)
    return hs[np.abs(hs) > 1e-9 * max(1.0, hi - lo)]


def quotient_limit(
    scene: LessonScene,
    step: Step,
    screen: QuotientLimit,
    plot_box: Box = layout.LEFT,
    text_box: Box = layout.RIGHT,
) -> None:
    """Draw a :class:`~mfml_anim.lessons._common.QuotientLimit` screen: the axes over Δx, the
    formulas beside them, then Δx shrinking towards 0 from each end while the quotient is traced;
    the open dot, the dashed limit line and the limit's value land last and stay."""
    t = scene.theme
    limit = step.value(screen.limit)
    fns = [lambdify1(e, H) for e in screen.terms]
    colours = band_colours(t, len(fns)) if len(fns) > 1 else [t.derivative]
    lo, hi = screen.span

    def stack(hs: np.ndarray) -> np.ndarray:
        return np.cumsum([fn(hs) for fn in fns], axis=0)

    heights = stack(_samples(lo, hi, 400))
    finite = heights[np.isfinite(heights)]
    ys = [0.0, limit.value, *finite] if len(fns) > 1 else [limit.value, *finite]
    span_y = max(ys) - min(ys) or 1.0
    yw = axis_window(min(ys) - 0.1 * span_y, max(ys) + 0.12 * span_y, target=Y_TICKS)
    frame = themed_axes(t, plot_box, (lo, hi), yw, x_label=tex(H), y_label="")
    axes = frame[0]
    named = dict(zip(screen.terms_tex, colours, strict=False))
    blocks = [coloured_block(scene, f, text_box.width, named) for f in step.formulas]
    text = VGroup(*blocks).arrange(np.array([0.0, -1.0, 0.0]), buff=0.45)
    scene.fit(text, text_box).move_to(text_box.center)
    # axes and formulas come in together: no frame with only an empty grid
    replace_content(scene, Create(frame), *[Write(b) for b in blocks])
    scene.keep(frame, text)

    starts = [e for e in (hi, lo) if abs(e) > 1e-9]
    trackers = [ValueTracker(e) for e in starts]

    def traced(tr: ValueTracker, end: float) -> Mobject:
        a, b = sorted((tr.get_value(), end))
        if b - a < 1e-6:
            return VGroup()
        hs = _samples(a, b, 120)
        if len(fns) == 1:
            return clipped_graph(axes, fns[0], (a, b), colour=t.derivative, samples=120)
        tops = stack(hs)
        bands = VGroup()
        below = np.zeros_like(hs)
        for top, c in zip(tops, colours, strict=True):
            pts = [axes.c2p(h, y) for h, y in zip(hs, top, strict=True)]
            pts += [axes.c2p(h, y) for h, y in zip(hs[::-1], below[::-1], strict=True)]
            bands.add(Polygon(*pts, stroke_width=1.5, stroke_color=c, fill_color=c, fill_opacity=0.45))
            below = top
        return bands

    def cursor(tr: ValueTracker) -> Mobject:
        h = tr.get_value()
        tops = stack(np.array([h]))[:, 0]
        if not np.all(np.isfinite(tops)):
            return VGroup()
        parts = VGroup()
        base = 0.0 if len(fns) > 1 else float(np.clip(0.0, yw.lo, yw.hi))
        for top, c in zip(tops, colours, strict=True):
            parts.add(Line(axes.c2p(h, base), axes.c2p(h, top), color=c, stroke_width=6))
            base = top
        parts.add(dot_at(axes, h, float(tops[-1]), t.highlight))
        return parts

    moving = [always_redraw(lambda tr=tr, e=e: traced(tr, e)) for tr, e in zip(trackers, starts, strict=True)]
    moving += [always_redraw(lambda tr=tr: cursor(tr)) for tr in trackers]
    scene.add(*moving)
    scene.wait(0.6)
    ends = [np.sign(e) * CLOSEST * (hi - lo) for e in starts]
    scene.play(
        *[tr.animate.set_value(end) for tr, end in zip(trackers, ends, strict=True)],
        run_time=4.5,
        rate_func=smooth,
    )
    for m in moving:
        m.clear_updaters()
    scene.keep(*moving)
    line = DashedLine(
        axes.c2p(lo, limit.value), axes.c2p(hi, limit.value), color=t.derivative, stroke_width=3
    )
    hole = Circle(radius=0.1, color=t.derivative, stroke_width=4).set_fill(t.background, opacity=1)
    hole.move_to(axes.c2p(0.0, limit.value))
    value = MathTex(limit.shown(), font_size=t.label_size, color=t.derivative)
    value.next_to(axes.c2p(hi, limit.value), UP, buff=0.12).align_to(axes.c2p(hi, 0), np.array([1.0, 0, 0]))
    scene.play(Create(line), FadeIn(hole, scale=1.5), FadeIn(value), run_time=1.0)
    scene.keep(line, hole, value)
    # the plot may stay while the next step rewrites the formulas beside it
    scene.limit_plot = [frame, *moving, line, hole, value]  # type: ignore[attr-defined]
