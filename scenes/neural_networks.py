"""Scene for ``neural-networks`` (module 3). Render the default lesson with plain Manim:

manim -ql scenes/neural_networks.py NeuralNetworks
"""

from __future__ import annotations

import numpy as np
from manim import (
    UP,
    Create,
    DashedLine,
    DecimalNumber,
    Dot,
    FadeIn,
    Indicate,
    LaggedStart,
    Transform,
    ValueTracker,
    VGroup,
    always_redraw,
)

from mfml_anim.lessons.neural_networks import LESSON, Activate, Flow, LayerView, Net, NeuronView, WeightSweep
from mfml_anim.math.numeric import lambdify1
from mfml_anim.numberformat import FIXED_2
from mfml_anim.storyboard import Step, fmt_number
from mfml_anim.visual import layout
from mfml_anim.visual.graphs import FunctionPlot
from mfml_anim.visual.layout import Box
from mfml_anim.visual.network import NetworkDiagram, number_tex
from mfml_anim.visual.player import LessonScene

NEURON_BOX = Box(layout.HALF_LEFT.left, layout.HALF_LEFT.right, 0.2, layout.CONTENT.top)
NEURON_FORMULAS = Box(layout.HALF_LEFT.left, layout.HALF_LEFT.right, layout.CONTENT.bottom, 0.0)
CURVE_BOX = Box(
    layout.HALF_RIGHT.left + 0.3, layout.HALF_RIGHT.right, layout.CONTENT.bottom + 0.2, layout.CONTENT.top
)
LAYER_BOX = Box(
    layout.HALF_LEFT.left, layout.HALF_LEFT.right - 0.3, layout.CONTENT.bottom, layout.CONTENT.top
)
LAYER_FORMULAS = Box(
    layout.HALF_RIGHT.left - 0.1, layout.HALF_RIGHT.right, layout.CONTENT.bottom, layout.CONTENT.top
)


WEIGHTS = FIXED_2  # the one way this lesson writes a weight: -2.00 turning to 3.00, never -2, 1.67, 3.00


class NeuralNetworks(LessonScene):
    """A neuron beside its activation curve (a weight turns, the output slides along the curve), then
    a layer diagram beside its matrix form, inputs flowing along the edges into each neuron."""

    lesson = LESSON

    # ------------------------------------------------------------------ the network on screen

    def network(self, net: Net, box: Box, outputs: list[str]) -> NetworkDiagram:
        """The diagram of ``net``: kept if it is on screen, otherwise drawn (edges first, then nodes)."""
        current = getattr(self, "net_mob", None)
        if current is not None and self.net_key == net and any(m is current for m in self.content):
            return current
        self.clear_content()
        diagram = NetworkDiagram(
            self.theme,
            net.weights,
            [fmt_number(v) for v in net.inputs],
            outputs,
            box,
            column_labels=net.columns,
            scale=net.scale,
        )
        self.play(
            LaggedStart(*[Create(e) for row in diagram.edges for e in row], lag_ratio=0.15), run_time=1.2
        )
        self.play(
            FadeIn(diagram.inputs),
            FadeIn(diagram.outputs),
            FadeIn(diagram.labels),
            FadeIn(diagram.legend),
            run_time=0.7,
        )
        self.keep(diagram)
        self.net_mob, self.net_key = diagram, net
        return diagram

    def set_output(self, diagram: NetworkDiagram, i: int, text: str) -> None:
        """Neuron i's text becomes ``text`` (the old number turns into the new one)."""
        node = diagram.outputs[i]
        self.play(Transform(node[1], diagram.set_node(node, text)), run_time=0.7)

    # ------------------------------------------------------------------ one neuron

    def curve_plot(self, screen: NeuronView) -> FunctionPlot:
        return FunctionPlot(
            self.theme,
            CURVE_BOX,
            screen.curve.expr,
            screen.curve.var,
            screen.curve.window,
            y_label=screen.curve.y_label,
            x_label="z",
            y_range=self.y_range(screen),
        )

    def y_range(self, screen: NeuronView) -> tuple[float, float]:
        """The activation's range with a margin: (−1.2, 1.2) for tanh, (−0.2, 1.2) for σ."""
        fn = lambdify1(screen.curve.expr, screen.curve.var)
        lo = float(np.min(fn(np.linspace(*screen.curve.window, 50))))
        return (-1.2 if lo < -0.5 else -0.2, 1.2)

    def curve_marks(self, plot: FunctionPlot, z: float) -> VGroup:
        """The dot at (z, σ(z)) and a dashed drop to the z-axis."""
        top = plot.axes.c2p(z, plot.y(z))
        foot = plot.axes.c2p(z, plot.axes.y_range[0])
        return VGroup(
            DashedLine(foot, top, color=self.theme.muted, stroke_width=2, dash_length=0.08),
            Dot(top, color=self.theme.role("focus"), radius=0.09),
        )

    def draw_neuron_view(self, step: Step, screen: NeuronView) -> None:
        self.clear_content()
        diagram = self.network(screen.net, NEURON_BOX, [""])
        plot = self.curve_plot(screen)
        self.play(Create(plot.frame), run_time=0.8)
        self.play(Create(plot.curve), run_time=0.8)
        self.keep(plot)
        w_label = number_tex(self.theme, WEIGHTS.text(screen.net.weights[0][0]), size=self.theme.label_size)
        w_label.next_to(diagram.edges[0][0].get_center(), UP, buff=0.35)
        self.play(FadeIn(w_label), run_time=0.4)
        self.keep(w_label)
        self.play(*diagram.flow(0, self.theme.role("focus")), run_time=1.0)
        self.set_output(diagram, 0, step.value(screen.a).shown())
        marks = self.curve_marks(plot, step.value(screen.z).value)
        self.play(FadeIn(marks), run_time=0.5)
        self.keep(marks)
        self.neuron_plot, self.neuron_marks = plot, marks
        self.show_formulas(step.formulas, NEURON_FORMULAS, colours=[None, self.theme.role("neuron")])

    def draw_weight_sweep(self, step: Step, screen: WeightSweep) -> None:
        start = screen.start
        diagram = self.net_mob
        plot, marks = self.neuron_plot, self.neuron_marks
        self.clear_content(keep=[diagram, plot, marks])
        t = self.theme
        x0, w0, b = start.net.inputs[0], start.net.weights[0][0], start.bias
        w = ValueTracker(w0)

        def z() -> float:
            return w.get_value() * x0 + b

        # the edge is rebuilt for the current weight on every frame, in place (under the nodes)
        edge = always_redraw(lambda: diagram.edge(0, 0, w.get_value()))
        diagram.edges[0].remove(diagram.edges[0][0])
        diagram.edges[0].add(edge)
        w_label = always_redraw(
            lambda: DecimalNumber(
                w.get_value(), **WEIGHTS.decimal_config(), font_size=t.label_size, color=t.text
            ).next_to(edge.get_center(), UP, buff=0.35)
        )
        node = diagram.outputs[0]
        out = always_redraw(
            lambda: DecimalNumber(
                float(plot.y(z())), num_decimal_places=4, font_size=t.min_size, color=t.text
            ).move_to(node[0].get_center())
        )
        node.remove(node[1])
        node.add(out)
        self.remove(marks)
        moving = always_redraw(lambda: self.curve_marks(plot, z()))
        self.add(w_label, moving)
        self.play(w.animate.set_value(screen.w_to), run_time=3.0)
        self.remove(w)
        # freeze the final state as plain mobjects
        for m in (edge, w_label, out, moving):
            m.clear_updaters()
        self.keep(w_label, moving)
        self.content.remove(marks)
        self.show_formulas(step.formulas, NEURON_FORMULAS, colours=[t.role("neuron")])

    # ------------------------------------------------------------------ the layer

    def draw_layer_view(self, step: Step, screen: LayerView) -> None:
        self.network(screen.net, LAYER_BOX, [""] * len(screen.net.weights))
        self.clear_content(keep=[self.net_mob])
        self.show_formulas(step.formulas, LAYER_FORMULAS)

    def draw_flow(self, step: Step, screen: Flow) -> None:
        diagram = self.network(screen.net, LAYER_BOX, [""] * len(screen.net.weights))
        self.clear_content(keep=[diagram])
        others = [e for i, row in enumerate(diagram.edges) if i != screen.neuron for e in row]
        self.play(
            *[e.animate.set_stroke(opacity=0.2) for e in others],
            Indicate(diagram.edges[screen.neuron], color=self.theme.role("focus"), scale_factor=1.0),
            run_time=0.7,
        )
        self.play(*diagram.flow(screen.neuron, self.theme.role("focus")), run_time=1.4)
        self.set_output(diagram, screen.neuron, step.value(screen.z).shown())
        if others:  # a one-neuron layer has no other edges to bring back
            self.play(*[e.animate.set_stroke(opacity=1.0) for e in others], run_time=0.4)
        self.show_formulas(step.formulas, LAYER_FORMULAS, colours=[self.theme.role("neuron")])

    def draw_activate(self, step: Step, screen: Activate) -> None:
        diagram = self.network(screen.net, LAYER_BOX, [step.value(k).shown() for k in screen.z])
        self.clear_content(keep=[diagram])
        self.play(Indicate(diagram.outputs, color=self.theme.role("focus")), run_time=0.7)
        new = [
            diagram.set_node(node, step.value(k).shown())
            for node, k in zip(diagram.outputs, screen.a, strict=True)
        ]
        self.play(
            *[Transform(node[1], n) for node, n in zip(diagram.outputs, new, strict=True)], run_time=1.0
        )
        self.show_formulas(step.formulas, LAYER_FORMULAS, colours=[self.theme.role("neuron")])

    SCREENS = {
        NeuronView: draw_neuron_view,
        WeightSweep: draw_weight_sweep,
        LayerView: draw_layer_view,
        Flow: draw_flow,
        Activate: draw_activate,
    }
