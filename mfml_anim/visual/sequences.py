"""Animation sequences shared by several lesson scenes (a shape used twice becomes a helper)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy as sp
from manim import Create, FadeIn, Mobject, ReplacementTransform, VGroup

from mfml_anim.visual import layout
from mfml_anim.visual.graphs import FunctionPlot
from mfml_anim.visual.layout import Box
from mfml_anim.visual.player import LessonScene

UPPER_LEFT = Box(layout.LEFT.left, layout.LEFT.right, 0.5, layout.LEFT.top)
LOWER_LEFT = Box(layout.LEFT.left, layout.LEFT.right, layout.LEFT.bottom, 0.3)


def draw_function(scene: LessonScene, f: sp.Expr, x: sp.Symbol, window: tuple[float, float],
                  box: Box = layout.LEFT, y_label: str = "f(x)") -> FunctionPlot:
    """Axes, then the curve of f, registered as content."""
    plot = FunctionPlot(scene.theme, box, f, x, window, y_label=y_label, x_label=sp.latex(x))
    scene.play(Create(plot.frame), run_time=1.0)
    scene.play(Create(plot.curve), run_time=1.2)
    scene.keep(plot)
    return plot


def derivative_beneath(scene: LessonScene, plot: FunctionPlot, fprime: sp.Expr,
                       decorate: Callable[[FunctionPlot], Sequence[Mobject]] = lambda p: (),
                       old: Sequence[Mobject] = (), mark_at: float | None = None,
                       labels: tuple[str, str] = ("f(x)", "f'(x)")) -> FunctionPlot:
    """Redraw the graph of f (and its ``decorate`` marks) in the top half of the left column and
    draw f' underneath on the same x-window, so a viewer can read gradient above against height
    below. The graph is rebuilt, not scaled, so its tick numbers keep a readable size."""
    upper = FunctionPlot(scene.theme, UPPER_LEFT, plot.expr, plot.var, plot.x_range, y_label=labels[0],
                         x_label=sp.latex(plot.var))
    new = VGroup(upper, *decorate(upper))
    scene.play(ReplacementTransform(VGroup(plot, *old), new), run_time=1.0)
    for m in (plot, *old):
        scene.content.remove(m)
    scene.keep(new)
    below = FunctionPlot(scene.theme, LOWER_LEFT, fprime, plot.var, plot.x_range, colour=scene.theme.derivative,
                         y_label=labels[1], x_label=sp.latex(plot.var))
    scene.play(Create(below.frame), run_time=0.8)
    scene.play(Create(below.curve), run_time=1.2)
    scene.keep(below)
    if mark_at is not None:
        marker = below.point(mark_at)
        scene.play(FadeIn(marker), run_time=0.4)
        scene.keep(marker)
    return below
