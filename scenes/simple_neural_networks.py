"""Scene for ``simple-neural-networks`` (module 3). Render the default lesson with plain Manim:

manim -ql scenes/simple_neural_networks.py SimpleNeuralNetworks
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DecimalNumber,
    Dot,
    FadeIn,
    GrowFromEdge,
    Line,
    NumberLine,
    Square,
    Text,
    Triangle,
    ValueTracker,
    VGroup,
    VMobject,
    always_redraw,
)

from mfml_anim.lessons.simple_neural_networks import LESSON, CostView, Training
from mfml_anim.storyboard import Step, fmt_number
from mfml_anim.visual import layout
from mfml_anim.visual.graphs import themed_axes
from mfml_anim.visual.layout import Box
from mfml_anim.visual.network import NetworkDiagram, number_tex
from mfml_anim.visual.theme import Theme
from scenes._chain_links import ChainFactorsScene

NEURON_BOX = Box(layout.HALF_LEFT.left, layout.HALF_LEFT.right - 0.6, 0.4, layout.CONTENT.top)
NEURON_FORMULAS = Box(layout.HALF_LEFT.left, layout.HALF_LEFT.right, layout.CONTENT.bottom, 0.2)
OUTPUT_BOX = Box(
    layout.HALF_RIGHT.left + 0.4, layout.HALF_RIGHT.right - 0.2, layout.CONTENT.bottom, layout.CONTENT.top
)
COST_BOX = Box(layout.HALF_LEFT.left, layout.HALF_LEFT.right, layout.CONTENT.bottom, layout.CONTENT.top)
TRAIN_RIGHT = Box(
    layout.HALF_RIGHT.left + 0.15, layout.HALF_RIGHT.right, layout.CONTENT.bottom, layout.CONTENT.top
)


def output_line(theme: Theme, span: tuple[float, float], length: float) -> NumberLine:
    """A number line over the activation's range with a margin, ticks every 0.5."""
    lo, hi = span
    return NumberLine(
        x_range=[lo - 0.25, hi + 0.25, 0.25],
        length=length,
        color=theme.axes,
        include_numbers=True,
        font_size=theme.min_size,
        numbers_to_include=list(np.arange(lo, hi + 1e-9, 0.5)),
        numbers_to_exclude=[
            v
            for v in np.arange(lo - 0.25, hi + 0.26, 0.25)
            if abs(v * 2 - round(v * 2)) > 1e-9 or v < lo - 1e-9 or v > hi + 1e-9
        ],
        decimal_number_config={"num_decimal_places": 1, "color": theme.muted},
    )


def target_mark(theme: Theme, line: NumberLine, y: float) -> VGroup:
    """A triangle under the line pointing up at the target."""
    tri = Triangle(color=theme.secondary, fill_opacity=1, stroke_width=0).scale(0.12)
    tri.next_to(line.n2p(y), UP, buff=0.05)
    return VGroup(tri)


class SimpleNeuralNetworks(ChainFactorsScene):
    """A neuron with its output against the target and the square of the gap (the cost), the chain
    b → z → a → C with its factors multiplied (ChainFactorsScene), then a training run replayed."""

    lesson = LESSON

    def draw_cost_view(self, step: Step, screen: CostView) -> None:
        self.clear_content()
        t = self.theme
        n = screen.neuron
        diagram = NetworkDiagram(
            t,
            ((n.w,),),
            [fmt_number(n.x)],
            [""],
            NEURON_BOX,
            column_labels=("x", "a"),
            scale=max(abs(n.w), 1e-9),
        )
        w_label = number_tex(t, fmt_number(n.w), size=t.label_size).next_to(diagram.edges[0][0], UP, buff=0.3)
        self.play(FadeIn(diagram), FadeIn(w_label), run_time=0.8)
        self.keep(diagram, w_label)
        self.play(*diagram.flow(0, t.highlight), run_time=1.0)
        node = diagram.outputs[0]
        a = step.value(screen.a).value
        a_text = diagram.set_node(node, step.value(screen.a).shown())
        self.play(FadeIn(a_text), run_time=0.5)
        self.keep(a_text)

        # the output against the target on the activation's range; the square on the gap is C
        # a shorter line than the column: the square on the largest gap must still fit above it
        lo, hi = screen.output_range
        room = OUTPUT_BOX.height - 2.2  # above the line, under the cost's label
        line = output_line(t, screen.output_range, min(OUTPUT_BOX.width, room * (hi - lo + 0.5) / (hi - lo)))
        line.move_to(np.array([OUTPUT_BOX.center[0], OUTPUT_BOX.bottom + 1.0, 0.0]))
        target = target_mark(t, line, screen.y)
        below = line.get_bottom()[1] - 0.3  # names under the tick numbers, clear of the square above
        y_name = number_tex(t, "y", colour=t.secondary).move_to(np.array([line.n2p(screen.y)[0], below, 0.0]))
        dot = Dot(line.n2p(a), color=t.derivative, radius=0.1)
        a_name = number_tex(t, "a", colour=t.derivative).move_to(np.array([line.n2p(a)[0], below, 0.0]))
        if abs(a_name.get_x() - y_name.get_x()) < 0.4:  # output on the target: names side by side
            a_name.shift(0.25 * LEFT)
            y_name.shift(0.25 * RIGHT)
        self.play(Create(line), FadeIn(target), FadeIn(y_name), run_time=0.8)
        self.play(FadeIn(dot, scale=2), FadeIn(a_name), run_time=0.5)
        gap = Line(line.n2p(a), line.n2p(screen.y), color=t.negative, stroke_width=8)
        self.play(Create(gap), run_time=0.8)
        side = abs(line.n2p(screen.y)[0] - line.n2p(a)[0])
        square = Square(side_length=max(side, 0.01), color=t.negative, fill_opacity=0.25, stroke_width=3)
        square.move_to(gap.get_center() + (side / 2 + 0.05) * UP)
        c_text = VGroup(
            number_tex(t, "C", colour=t.text),
            number_tex(t, step.value(screen.cost).shown(), colour=t.text, size=t.label_size),
        )
        c_text.arrange(DOWN, buff=0.15).move_to(square)
        if side < c_text.height + 0.2:
            c_text.next_to(square, UP, buff=0.15)
        self.play(GrowFromEdge(square, DOWN), run_time=1.0)
        self.play(FadeIn(c_text), run_time=0.4)
        self.keep(line, target, y_name, dot, a_name, gap, square, c_text)
        self.show_formulas(step.formulas, NEURON_FORMULAS)

    def draw_training(self, step: Step, screen: Training) -> None:
        self.clear_content()
        t = self.theme
        n = len(screen.costs) - 1
        frame = themed_axes(t, COST_BOX, (0, n), (0, max(screen.costs) * 1.05), x_label="k", y_label="C")
        axes = frame[0]
        self.play(Create(frame), run_time=0.8)
        self.keep(frame)
        k = ValueTracker(0)

        def at(values: tuple[float, ...]) -> float:
            """A recorded sequence read at the (fractional) step k: linear between steps."""
            s = min(k.get_value(), n)
            i = min(int(s), n - 1)
            return values[i] + (values[i + 1] - values[i]) * (s - i)

        def cost_curve() -> VMobject:
            s = k.get_value()
            idx = int(min(s, n))
            pts = [axes.c2p(i, screen.costs[i]) for i in range(idx + 1)] + [axes.c2p(s, at(screen.costs))]
            return VMobject(color=t.function, stroke_width=4).set_points_as_corners(pts)

        curve = always_redraw(cost_curve)
        head = always_redraw(
            lambda: Dot(axes.c2p(k.get_value(), at(screen.costs)), color=t.highlight, radius=0.08)
        )

        # one output line per training input, its target marked, the output a dot that moves
        rows = VGroup()
        movers = []
        width = TRAIN_RIGHT.width - 1.6
        for i, (x, y) in enumerate(zip(screen.inputs, screen.targets, strict=True)):
            line = output_line(t, screen.output_range, width)
            name = Text(f"x = {fmt_number(x)}", font_size=t.label_size, color=t.text)
            row = VGroup(name, line).arrange(RIGHT, buff=0.3)
            rows.add(row)
            seq = tuple(o[i] for o in screen.outputs)
            mover = always_redraw(lambda line=line, seq=seq, i=i: self.output_marker(line, at(seq), i))
            movers.append((row, line, y, mover))
        rows.arrange(DOWN, buff=0.9, aligned_edge=RIGHT)
        rows.move_to(np.array([TRAIN_RIGHT.center[0], TRAIN_RIGHT.top - 2.7, 0.0]))
        targets = VGroup(*[target_mark(t, line, y) for _, line, y, _ in movers])
        names = VGroup(
            *[Text(f"{label} =", font_size=t.label_size, color=t.text) for label in ("w", "b", "C")]
        )
        names.arrange(RIGHT, buff=1.55).move_to(
            np.array([TRAIN_RIGHT.center[0] - 0.75, TRAIN_RIGHT.top - 0.3, 0.0])
        )
        readouts = VGroup(names)
        for name, seq in zip(names, (screen.ws, screen.bs, screen.costs), strict=True):
            readouts.add(
                always_redraw(
                    lambda name=name, seq=seq: DecimalNumber(
                        at(seq), num_decimal_places=3, font_size=t.body_size, color=t.text
                    ).next_to(name, RIGHT, buff=0.15)
                )
            )
        self.play(FadeIn(rows), FadeIn(targets), FadeIn(readouts), run_time=0.8)
        self.add(curve, head, *[m for *_, m in movers])
        self.play(k.animate.set_value(n), run_time=6.0, rate_func=lambda s: s)
        self.remove(k)
        frozen = [curve, head, *[m for *_, m in movers], *readouts[1:]]
        for m in frozen:
            m.clear_updaters()
        self.keep(curve, head, rows, targets, readouts, *[m for *_, m in movers])
        formulas = Box(TRAIN_RIGHT.left, TRAIN_RIGHT.right, TRAIN_RIGHT.bottom, rows.get_bottom()[1] - 0.5)
        self.show_formulas(step.formulas, formulas)

    def output_marker(self, line: NumberLine, value: float, i: int) -> VMobject:
        """Input i's output on its line: a dot for the first input, a square for the second (shape as
        well as position tells them apart)."""
        t = self.theme
        mark: VMobject = (
            Dot(radius=0.11, color=t.derivative)
            if i % 2 == 0
            else Square(side_length=0.2, color=t.derivative, fill_opacity=1, stroke_width=0)
        )
        return mark.move_to(line.n2p(value))

    SCREENS = {CostView: draw_cost_view, Training: draw_training}
