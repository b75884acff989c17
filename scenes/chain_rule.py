"""Scene for ``chain-rule`` (module 1). Render the default lesson with plain Manim:

manim -ql scenes/chain_rule.py ChainRule
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Create,
    DashedLine,
    FadeIn,
    FadeTransform,
    GrowFromPoint,
    Indicate,
    Line,
    MathTex,
    Mobject,
    ReplacementTransform,
    VGroup,
    Write,
)

from mfml_anim.lessons.chain_rule import LESSON, Chain, Link, LinkGraph, Multiply, Nudge, Tidy
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.diagrams import ChainDiagram
from mfml_anim.visual.graphs import FunctionPlot
from mfml_anim.visual.layout import Box
from mfml_anim.visual.sequences import GraphScene

DIAGRAM = Box(layout.SAFE.left, layout.SAFE.right, 1.0, layout.SAFE.top)
FORMULAS = Box(layout.SAFE.left, layout.SAFE.right, layout.CONTENT.bottom, 0.8)
# the nudge screens: formulas on top, the links' graphs side by side below
NUDGE_FORMULAS = Box(layout.SAFE.left, layout.SAFE.right, 1.55, layout.CONTENT.top)
GRAPHS = (
    Box(layout.SAFE.left, -0.25, layout.CONTENT.bottom, 1.45),
    Box(0.25, layout.SAFE.right, layout.CONTENT.bottom, 1.45),
)
NUDGE_WIDTH = 8  # stroke of the nudge segments


class ChainRule(GraphScene):
    """The chain diagram link by link, then the composed function's graph (GraphScene's Plot/Beside)."""

    lesson = LESSON

    def link_colours(self) -> list[str]:
        """Link i's colour: the inner function's, then the outer function's (as in the formulas)."""
        return [self.theme.secondary, self.theme.function]

    def draw_chain(self, step: Step, screen: Chain) -> None:
        self.clear_content()
        self.chain = ChainDiagram(list(screen.names), list(screen.links), self.link_colours(), self.theme)
        self.fit(self.chain, DIAGRAM).move_to(DIAGRAM.center)
        self.play(FadeIn(self.chain.nodes), *[Create(a) for a in self.chain.arrows], run_time=1.2)
        self.play(Write(self.chain.labels), run_time=0.8)
        self.keep(self.chain)
        self.formulas = self.show_formulas(step.formulas, FORMULAS, colours=self.link_colours()[::-1])

    def draw_link(self, step: Step, screen: Link) -> None:
        colour = self.link_colours()[screen.index]
        self.clear_content(keep=[self.chain])
        self.play(Indicate(self.chain.arrows[screen.index], color=self.theme.highlight), run_time=0.8)
        lab = self.chain.below_label(screen.index, screen.label, colour, self.theme)
        self.play(Write(lab), run_time=0.6)
        self.chain.add(lab)
        self.show_formulas(step.formulas, FORMULAS, colours=[colour])

    def draw_multiply(self, step: Step, screen: Multiply) -> None:
        if not any(m is self.chain for m in self.content):  # back from the nudge graphs
            self.clear_content()
            self.play(FadeIn(self.chain), run_time=0.6)
            self.keep(self.chain)
        self.clear_content(keep=[self.chain])
        self.play(Indicate(self.chain.arrows, color=self.theme.highlight), run_time=0.8)
        self.formulas = self.show_formulas(step.formulas, FORMULAS)

    def draw_tidy(self, step: Step, screen: Tidy) -> None:
        new = VGroup(
            *[self.formula_block(f, FORMULAS.width, colour=self.theme.derivative) for f in step.formulas]
        )
        self.fit(new.arrange(DOWN, buff=0.45), FORMULAS).move_to(FORMULAS.center)
        self.play(FadeTransform(self.formulas, new), run_time=1.2)
        self.content.remove(self.formulas)
        self.formulas = new
        self.keep(new)

    def _link_graph(self, link: LinkGraph, box: Box, colour: str) -> FunctionPlot:
        plot = FunctionPlot(
            self.theme,
            box,
            link.plot.expr,
            link.plot.var,
            link.plot.window,
            colour=colour,
            y_label=link.plot.y_label,
            x_label=str(link.plot.var),
        )
        self.play(Create(plot.frame), run_time=0.8)
        dot = plot.point(link.at)
        self.play(Create(plot.curve), FadeIn(dot), run_time=1.0)
        plot.add(dot)
        return plot

    def _segment(self, start: np.ndarray, end: np.ndarray) -> Line:
        if np.linalg.norm(end - start) < 0.04:  # a nudge of (nearly) nothing still shows as a mark
            end = start + 0.04 * UP
        return Line(start, end, color=self.theme.role("nudge"), stroke_width=NUDGE_WIDTH)

    def _nudge(self, step: Step, link: LinkGraph, plot: FunctionPlot, carried: Mobject | None) -> Mobject:
        """The input nudge on the x-axis (carried over from the last link's output axis, or grown
        there), moved up to the point; the tangent's rise over it; the rise sent to the y-axis.
        Returns the output-axis segment (what the next link receives)."""
        t, ax = self.theme, plot.axes
        d_in, d_out = step.value(link.d_in).value, step.value(link.d_out).value
        x0, y0 = link.at, plot.y(link.at)
        x_lo, y_lo = ax.x_range[0], ax.y_range[0]
        on_x = self._segment(ax.c2p(x0, y_lo), ax.c2p(x0 + d_in, y_lo))
        lab_in = MathTex(link.in_label, font_size=t.label_size, color=t.derivative).next_to(
            on_x, UP, buff=0.12
        )
        if carried is None:
            self.play(GrowFromPoint(on_x, on_x.get_start()), FadeIn(lab_in), run_time=1.0)
        else:
            self.play(ReplacementTransform(carried, on_x), FadeIn(lab_in), run_time=1.4)
        slope = d_out / d_in
        tangent = plot.tangent(x0, slope, half_width=1.5 * abs(d_in) + 0.2)
        run = self._segment(ax.c2p(x0, y0), ax.c2p(x0 + d_in, y0))
        self.play(Create(tangent), ReplacementTransform(on_x.copy(), run), run_time=1.0)
        rise = self._segment(ax.c2p(x0 + d_in, y0), ax.c2p(x0 + d_in, y0 + d_out))
        self.play(GrowFromPoint(rise, rise.get_start()), run_time=1.0)
        on_y = self._segment(ax.c2p(x_lo, y0), ax.c2p(x_lo, y0 + d_out))
        guide = DashedLine(ax.c2p(x_lo, y0), ax.c2p(x0, y0), color=t.muted, stroke_width=2)
        lab_out = MathTex(link.out_label, font_size=t.label_size, color=t.derivative).next_to(
            on_y, RIGHT, buff=0.12
        )
        self.play(Create(guide), ReplacementTransform(rise.copy(), on_y), FadeIn(lab_out), run_time=1.2)
        self.keep(on_x, lab_in, tangent, run, rise, guide, on_y, lab_out)
        return on_y

    def draw_nudge(self, step: Step, screen: Nudge) -> None:
        """Each link's graph in its own half; a graph already on screen stays with its nudge, and
        the newest link receives the nudge from the previous link's output axis."""
        drawn: list[Mobject] = getattr(self, "nudge_drawn", [])
        done = getattr(self, "nudge_links", 0)  # links whose graphs are already on screen
        self.clear_content(keep=drawn)
        colours = self.link_colours()
        carried = getattr(self, "nudge_out", None)
        for i, link in enumerate(screen.links[done:], start=done):
            plot = self._link_graph(link, GRAPHS[i], colours[i])
            self.keep(plot)
            out = self._nudge(step, link, plot, carried.copy() if carried is not None else None)
            carried = out
        self.nudge_drawn, self.nudge_out, self.nudge_links = list(self.content), carried, len(screen.links)
        self.show_formulas(step.formulas, NUDGE_FORMULAS, colours=[None, self.theme.derivative])

    SCREENS = {
        Chain: draw_chain,
        Link: draw_link,
        Multiply: draw_multiply,
        Tidy: draw_tidy,
        Nudge: draw_nudge,
    }
