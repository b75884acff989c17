"""Scene for ``multivariate-chain-rule`` (module 3). Render the default lesson with plain Manim:

manim -ql scenes/multivariate_chain_rule.py MultivariateChainRule
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Arrow,
    Create,
    Dot,
    FadeIn,
    GrowArrow,
    Line,
    MathTex,
    Text,
    Transform,
    VGroup,
)

from mfml_anim.lessons.multivariate_chain_rule import LESSON, NudgeLines
from mfml_anim.math.windows import nice_step
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.layout import Box
from mfml_anim.visual.network import number_tex
from mfml_anim.visual.sequences import GraphScene
from mfml_anim.visual.theme import Theme
from scenes._chain_links import ChainFactorsScene

LINES = Box(layout.LEFT.left, layout.LEFT.right + 0.2, layout.CONTENT.bottom, layout.CONTENT.top)
NAME_COLUMN = 1.45  # room at the left of the lines for the variable's name and the link's factor
FORMULAS = Box(layout.RIGHT.left + 0.4, layout.RIGHT.right, layout.CONTENT.bottom, layout.CONTENT.top)


def decimals(step: float) -> int:
    """Decimal places a tick label needs for ticks ``step`` apart."""
    for places in range(6):
        if abs(round(step, places) - step) < 1e-9:
            return places
    return 6


class ValueLine(VGroup):
    """A number line showing ``centre ± reach`` at ``unit`` screen units per unit, centred on
    ``origin``: ticks and labels at the multiples of ``tick`` inside it (a window that does not start
    on a round number, so every line can be centred on its own value and share one scale)."""

    def __init__(
        self, theme: Theme, centre: float, reach: float, tick: float, unit: float, origin: np.ndarray
    ) -> None:
        super().__init__()
        self.centre, self.unit, self.origin = centre, unit, origin
        self.add(Line(self.n2p(centre - reach), self.n2p(centre + reach), color=theme.axes, stroke_width=2))
        places = decimals(tick)
        for k in range(
            math.ceil((centre - reach) / tick - 1e-9), math.floor((centre + reach) / tick + 1e-9) + 1
        ):
            v = k * tick
            mark = Line(self.n2p(v) + 0.08 * UP, self.n2p(v) + 0.08 * DOWN, color=theme.axes, stroke_width=2)
            text = f"{v:.{places}f}" if abs(v) > 1e-12 else "0"
            label = MathTex(text, font_size=theme.min_size, color=theme.muted).next_to(mark, DOWN, buff=0.1)
            self.add(mark, label)

    def n2p(self, v: float) -> np.ndarray:
        return self.origin + (v - self.centre) * self.unit * RIGHT


class MultivariateChainRule(ChainFactorsScene, GraphScene):
    """The chain and its links (ChainFactorsScene), a nudge travelling down four number lines drawn to
    one scale, the product of the links, and the graph of f(t) with its tangent (GraphScene's Plot)."""

    lesson = LESSON

    def draw_nudge_lines(self, step: Step, screen: NudgeLines) -> None:
        self.clear_content()
        t = self.theme
        centres = [step.value(k).value for k in screen.centres]
        nudges = [step.value(k).value for k in screen.nudges]
        reach = 1.15 * max(abs(n) for n in nudges)  # every line shows its value ± reach
        tick = nice_step(2 * reach, 4, nearest=True)  # the round step nearest a quarter of the line
        x_left = LINES.left + NAME_COLUMN
        x_mid = (x_left + LINES.right) / 2
        unit = (LINES.right - x_left) / 2 / reach  # one scale for every line
        rows = len(centres)
        gap = (LINES.height - 0.3) / rows
        ys = [LINES.top - 0.8 - k * gap for k in range(rows)]
        lines, dots, names = VGroup(), VGroup(), VGroup()
        for name, v, y in zip(screen.names, centres, ys, strict=True):
            line = ValueLine(t, v, reach, tick, unit, np.array([x_mid, y, 0.0]))
            lines.add(line)
            dots.add(Dot(line.n2p(v), color=t.highlight, radius=0.08))
            names.add(
                Text(name, font_size=t.body_size, color=t.text, slant="ITALIC").move_to(
                    np.array([LINES.left + 0.3, y, 0.0])
                )
            )
        self.play(Create(lines), FadeIn(names), run_time=1.0)
        self.play(FadeIn(dots), run_time=0.4)
        self.keep(lines, dots, names)

        def nudge_arrow(k: int) -> VGroup:
            line, v, dv = lines[k], centres[k], nudges[k]
            lift = 0.28 * UP
            start, end = line.n2p(v) + lift, line.n2p(v + dv) + lift
            if np.linalg.norm(end - start) < 0.06:  # a nudge of (nearly) nothing: a dot, not an arrow
                mark = Dot(start, color=t.role("nudge"), radius=0.06)
            else:
                mark = Arrow(
                    start,
                    end,
                    buff=0,
                    color=t.role("nudge"),
                    stroke_width=6,
                    max_tip_length_to_length_ratio=0.45,
                    max_stroke_width_to_length_ratio=12,
                )
            label = number_tex(
                t, step.value(screen.nudges[k]).shown(), colour=t.role("nudge"), size=t.min_size
            )
            label.next_to(mark, UP, buff=0.08)
            return VGroup(mark, label)

        first = nudge_arrow(0)
        grow = GrowArrow(first[0]) if isinstance(first[0], Arrow) else FadeIn(first[0])
        self.play(grow, FadeIn(first[1]), run_time=0.8)
        self.keep(first)
        previous = first
        for k, key in enumerate(screen.factors):
            times = VGroup(
                Text("×", font_size=t.min_text_size, color=t.text),
                number_tex(t, step.value(key).shown(), colour=t.highlight, size=t.min_size),
            )
            times.arrange(RIGHT, buff=0.08).move_to(
                np.array([LINES.left + NAME_COLUMN / 2, (ys[k] + ys[k + 1]) / 2, 0.0])
            )
            if times.width > NAME_COLUMN - 0.05:
                times.scale_to_fit_width(NAME_COLUMN - 0.05)
            times.shift(
                max(0.0, LINES.left - times.get_left()[0]) * RIGHT
            )  # a wide factor starts at the edge
            self.play(FadeIn(times, shift=0.2 * DOWN), run_time=0.4)
            nxt = nudge_arrow(k + 1)
            moving = previous.copy()
            self.play(Transform(moving, nxt), run_time=1.1)  # the nudge drops a line and is multiplied
            self.remove(moving)
            self.add(nxt)
            self.keep(times, nxt)
            previous = nxt
        self.show_formulas(step.formulas, FORMULAS, colours=[t.derivative])

    SCREENS = {NudgeLines: draw_nudge_lines}
