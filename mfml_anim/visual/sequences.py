"""Animation sequences shared by several lesson scenes (a shape used twice becomes a helper)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import sympy as sp
from manim import (
    Create,
    FadeIn,
    FadeOut,
    Mobject,
    ReplacementTransform,
    Transform,
    VGroup,
)

from mfml_anim.lessons.screens import Beneath, Beside, MatrixView, Plot, Tangent
from mfml_anim.storyboard import Formula, Step
from mfml_anim.visual import layout
from mfml_anim.visual.fields import highlight_entry, matrix_mobject
from mfml_anim.visual.graphs import FunctionPlot
from mfml_anim.visual.layout import Box
from mfml_anim.visual.player import LessonScene


def upper_half(box: Box) -> Box:
    """The top half of a subject column (the graph of f when f' is drawn beneath it)."""
    return Box(box.left, box.right, 0.5, box.top)


def lower_half(box: Box) -> Box:
    """The bottom half of a subject column (the graph of f' beneath f)."""
    return Box(box.left, box.right, box.bottom, 0.3)


def formulas_width(scene: LessonScene, formulas: Sequence[Formula | str]) -> float:
    """How wide the step's formulas are when written as :meth:`LessonScene.show_formulas` writes
    them in the widest panel (each broken at its '=' signs if one line would not fit). Measured at
    the widest panel's own width: breaking earlier would stack more lines, and a stack of fractions
    taller than the panel is scaled down below the readable size (differentiation-examples' limit
    of sin)."""
    return max((scene.formula_block(f, layout.MAX_PANEL).width for f in formulas), default=0.0)


def _plots_in(data: object) -> list[Plot]:
    """Every :class:`Plot` a screen names, in any field (``Beside.plot``, ``Beneath.above``, ...)."""
    if isinstance(data, Plot):
        return [data]
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return [p for f in dataclasses.fields(data) for p in _plots_in(getattr(data, f.name))]
    if isinstance(data, tuple):
        return [p for v in data for p in _plots_in(v)]
    return []


def steps_on_graph(scene: LessonScene, step: Step, curve: object) -> list[Step]:
    """``step`` and the steps right after it whose screens show the same graph (the graph drawn
    now stays on screen for them, so its column must leave room for all their formulas)."""
    steps = list(getattr(getattr(scene, "board", None), "steps", ()))
    if not any(s is step for s in steps):
        return [step]
    run: list[Step] = []
    for s in steps[[i for i, s in enumerate(steps) if s is step][0] :]:
        if run and not any(p.curve == curve for p in _plots_in(s.screen)):
            break
        run.append(s)
    return run


def subject_box(scene: LessonScene, curve: object = None) -> Box:
    """The subject column for the step being drawn: the width its formulas leave beside them (a
    narrow formula, a wide plot), or the default :data:`~mfml_anim.visual.layout.LEFT` outside a
    step. With ``curve``, the formulas of the following steps that keep that graph count too: a
    kept graph never has to shrink, and their formulas are never squeezed below a readable size.
    Only the formulas' widths are read there, to lay the screen out; what is drawn stays the
    step's own."""
    step: Step | None = getattr(scene, "step_now", None)
    if step is None:
        return layout.LEFT
    steps = steps_on_graph(scene, step, curve) if curve is not None else [step]
    return layout.beside(max(formulas_width(scene, s.formulas) for s in steps))[0]


def panel(scene: LessonScene) -> Box:
    """The formula panel beside the subject on screen: the rest of the width right of it (the
    default :data:`~mfml_anim.visual.layout.RIGHT` when no subject column is on screen)."""
    box: Box | None = getattr(scene, "subject_at", None)
    return layout.RIGHT if box is None else layout.panel_right_of(box)


def draw_function(
    scene: LessonScene,
    f: sp.Expr,
    x: sp.Symbol,
    window: tuple[float, float],
    box: Box = layout.LEFT,
    y_label: str = "f(x)",
    y_window: tuple[float, float] | None = None,
) -> FunctionPlot:
    """Axes, then the curve of f, registered as content (``y_window``: the lesson's, else chosen
    from f over the whole x-window)."""
    plot = FunctionPlot(
        scene.theme, box, f, x, window, y_label=y_label, x_label=sp.latex(x), y_range=y_window
    )
    scene.play(Create(plot.frame), run_time=1.0)
    scene.play(Create(plot.curve), run_time=1.2)
    scene.keep(plot)
    return plot


def derivative_beneath(
    scene: LessonScene,
    plot: FunctionPlot,
    fprime: sp.Expr,
    decorate: Callable[[FunctionPlot], Sequence[Mobject]] = lambda p: (),
    old: Sequence[Mobject] = (),
    mark_at: float | None = None,
    labels: tuple[str, str] = ("f(x)", "f'(x)"),
    draw_curve: bool = True,
    below_y: tuple[float, float] | None = None,
) -> FunctionPlot:
    """Redraw the graph of f (and its ``decorate`` marks) in the top half of the left column and
    draw f' underneath on the same x-window, so a viewer can read gradient above against height
    below. The graph is rebuilt, not scaled, so its tick numbers keep a readable size.
    ``draw_curve=False`` draws only the lower axes (a tangent sweep then traces f' on them);
    ``below_y``: the lower graph's y-window, when the lesson chose one."""
    column: Box = getattr(scene, "subject_at", None) or layout.LEFT
    upper = FunctionPlot(
        scene.theme,
        upper_half(column),
        plot.expr,
        plot.var,
        plot.x_range,
        y_label=labels[0],
        x_label=sp.latex(plot.var),
    )
    new = VGroup(upper, *decorate(upper))
    scene.play(ReplacementTransform(VGroup(plot, *old), new), run_time=1.0)
    for m in (plot, *old):
        scene.content.remove(m)
    scene.keep(new)
    below = FunctionPlot(
        scene.theme,
        lower_half(column),
        fprime,
        plot.var,
        plot.x_range,
        colour=scene.theme.derivative,
        y_label=labels[1],
        x_label=sp.latex(plot.var),
        y_range=below_y,
    )
    scene.play(Create(below.frame), run_time=0.8)
    if not draw_curve:
        scene.keep(below.frame)
        return below
    scene.play(Create(below.curve), run_time=1.2)
    scene.keep(below)
    if mark_at is not None:
        marker = below.point(mark_at)
        scene.play(FadeIn(marker), run_time=0.4)
        scene.keep(marker)
    return below


def plot_of(scene: LessonScene, screen: Plot, box: Box | None = None) -> FunctionPlot:
    """The graph a :class:`Plot` screen names. Kept when the same curve is already on screen (faded
    back in if a formula screen had removed it); otherwise the old content leaves and it is drawn,
    in ``box`` or else in the :func:`subject_box` the step's formulas leave (the formulas then go in
    :func:`panel`). The scene remembers it as ``scene.plot`` so later screens on the same curve
    reuse it, and its column as ``scene.subject_at``."""
    current: FunctionPlot | None = getattr(scene, "plot", None)
    if current is not None and getattr(scene, "plot_curve", None) == screen.curve:
        if not any(m is current for m in scene.content):
            scene.clear_content()
            scene.play(FadeIn(current), run_time=0.6)
            scene.keep(current)
        return current
    scene.clear_content()
    box = box or subject_box(scene, screen.curve)
    scene.subject_at = box  # type: ignore[attr-defined]
    plot = draw_function(
        scene,
        screen.expr,
        screen.var,
        screen.window,
        box=box,
        y_label=screen.y_label,
        y_window=screen.y_window,
    )
    scene.plot, scene.plot_curve = plot, screen.curve  # type: ignore[attr-defined]  # GraphScene's plot state, set through a LessonScene handle
    return plot


def tangent_marks(plot: FunctionPlot, step: Step, tangent: Tangent) -> tuple[Mobject, Mobject]:
    """The dot and the tangent line a :class:`Tangent` names; the slope is the step's audited value."""
    slope = step.value(tangent.slope).value
    return plot.point(tangent.at), plot.tangent(tangent.at, slope, half_width=1.4)


def plot_with_marks(scene: LessonScene, step: Step, screen: Plot) -> FunctionPlot:
    """A :class:`Plot` screen's left column: the graph (kept if already there), and its dot or
    tangent, remembered as ``scene.plot_marks``. Formulas of the step before leave."""
    plot = plot_of(scene, screen)
    scene.clear_content(keep=[plot])
    marks: tuple[Mobject, ...] = ()
    if screen.tangent is not None:
        dot, line = tangent_marks(plot, step, screen.tangent)
        scene.play(FadeIn(dot, scale=2), Create(line), run_time=1.0)
        marks = (dot, line)
    elif screen.mark is not None:
        marks = (plot.point(screen.mark),)
        scene.play(FadeIn(marks[0], scale=2), run_time=0.5)
    scene.keep(*marks)
    scene.plot_marks = marks  # type: ignore[attr-defined]  # GraphScene's plot state, set through a LessonScene handle
    return plot


def beside_plot(scene: LessonScene, plot_screen: Plot, *, keep: Sequence[Mobject] = ()) -> FunctionPlot:
    """A :class:`Beside` screen's left column: the graph and its marks stay (plus ``keep``); only the
    right column is cleared for the step's formulas."""
    plot = plot_of(scene, plot_screen)
    scene.clear_content(keep=[plot, *getattr(scene, "plot_marks", ()), *keep])
    return plot


def matrix_walk(scene: LessonScene, step: Step, screen: MatrixView, colour: str | None = None) -> None:
    """Formulas on top, the matrix below, each highlight group boxed in turn (the box moves on)."""
    scene.clear_content()
    scene.show_formulas(step.formulas, layout.TOP)
    mat = matrix_mobject(scene.theme, sp.Matrix(screen.matrix), colour=colour)
    scene.fit(mat, layout.BELOW_TOP).move_to(layout.BELOW_TOP.center)
    scene.play(FadeIn(mat), run_time=0.6)
    scene.keep(mat)
    boxes: VGroup | None = None
    for group in screen.highlights:
        new = VGroup(*[highlight_entry(scene.theme, mat, i, j) for i, j in group])
        if boxes is None:
            scene.play(Create(new), run_time=0.5)
            boxes = new
        else:
            scene.play(Transform(boxes, new), run_time=0.7)
    if boxes is not None:
        scene.wait(0.4)
        scene.play(FadeOut(boxes), run_time=0.3)


def beneath(scene: LessonScene, step: Step, screen: Beneath) -> FunctionPlot:
    """A :class:`Beneath` screen: the graph (with its tangent, if it names one) moves to the top
    half and the derivative is drawn below it. The graph on screen is replaced, so a later
    :class:`Plot` draws afresh."""
    plot = beside_plot(scene, screen.above)
    tangent = screen.above.tangent

    def decorate(p: FunctionPlot) -> Sequence[Mobject]:
        return tangent_marks(p, step, tangent) if tangent is not None else ()

    marks = [m for m in getattr(scene, "plot_marks", ()) if any(m is c for c in scene.content)]
    below = derivative_beneath(
        scene,
        plot,
        screen.derivative,
        decorate=decorate,
        old=marks,
        labels=(screen.above.y_label, screen.label),
        mark_at=tangent.at if tangent is not None else None,
    )
    scene.plot = scene.plot_curve = None  # type: ignore[attr-defined]  # GraphScene's plot state, set through a LessonScene handle
    scene.plot_marks = ()  # type: ignore[attr-defined]  # GraphScene's plot state, set through a LessonScene handle
    return below


class GraphScene(LessonScene):
    """A lesson told on the graph of a function: :class:`Plot` (the graph, its point or tangent),
    :class:`Beside` (formulas beside the graph) and :class:`Beneath` (the derivative under it).
    Lesson scenes built on graphs extend it and add their own screens to ``SCREENS``.

    The graph takes the width its step's formulas leave (:func:`subject_box`); formulas beside it go
    in :func:`panel`, never in a fixed right column the graph may have grown into."""

    step_now: Step | None = None  # the step being drawn: its formulas size the panel

    def draw(self, step: Step) -> None:
        self.step_now = step
        super().draw(step)

    def draw_plot(self, step: Step, screen: Plot) -> None:
        plot_with_marks(self, step, screen)
        colour = self.theme.function if screen.tangent is None else self.theme.derivative
        self.show_formulas(step.formulas, panel(self), colours=[colour])

    def draw_beside(self, step: Step, screen: Beside) -> None:
        beside_plot(self, screen.plot)
        self.show_formulas(step.formulas, panel(self), colours=[None, self.theme.derivative])

    def draw_beneath(self, step: Step, screen: Beneath) -> None:
        beneath(self, step, screen)
        self.show_formulas(step.formulas, panel(self), colours=[self.theme.derivative])

    SCREENS = {Plot: draw_plot, Beside: draw_beside, Beneath: draw_beneath}
