"""Scene for ``differentiate-wrt-anything`` (module 2).

Route one on the graph screens of :class:`GraphScene`; route two on the dependency tree: each
path t → xᵢ → f carries its rate and its partial, which pair into one product beside the path::

manim -ql scenes/differentiate_wrt_anything.py DifferentiateWrtAnything
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sympy as sp
from manim import (
    RIGHT,
    UP,
    Brace,
    Circle,
    Create,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Mobject,
    ReplacementTransform,
    SurroundingRectangle,
    Transform,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    linear,
)

from mfml_anim.lessons.differentiate_wrt_anything import LESSON, Cancel, Pairing, Paths, TangentCheck, Tree
from mfml_anim.math.numeric import lambdify1
from mfml_anim.storyboard import Formula, Step
from mfml_anim.visual import layout
from mfml_anim.visual.fields import matrix_mobject
from mfml_anim.visual.graphs import rise_run
from mfml_anim.visual.layout import Box
from mfml_anim.visual.sequences import GraphScene, panel, plot_of, tangent_marks

C = layout.CONTENT
TOP_BAND = Box(C.left, C.right, 0.95, C.top)
LOWER = Box(C.left, C.right, C.bottom, 0.8)
TREE_WIDTH = 3.9  # the tree's columns: root, variables, leaves
SLOT_SPLIT = 2.05  # x where the upper-link slot ends and the lower-link slot begins
NODE_RADIUS = 0.3


class TreeDiagram(VGroup):
    """The dependency tree of a :class:`Tree`: root f, one branch per variable, a leaf per branch;
    ``rows[i]`` is the height of path i, ``upper[i]``/``lower[i]`` its two links."""

    def __init__(self, scene: GraphScene, tree: Tree) -> None:
        super().__init__()
        t = scene.theme
        n = len(tree.variables)
        self.rows = [LOWER.top - (i + 0.5) * LOWER.height / n for i in range(n)]
        cols = [C.left + 0.4, C.left + 0.4 + TREE_WIDTH / 2, C.left + TREE_WIDTH]
        self.slot_left = cols[2] + NODE_RADIUS + 0.3

        def node(name: str, x: float, y: float) -> VGroup:
            ring = Circle(radius=NODE_RADIUS, color=t.axes, stroke_width=2).move_to((x, y, 0))
            return VGroup(ring, MathTex(name, font_size=t.formula_size, color=t.text).move_to(ring))

        self.root = node("f", cols[0], float(np.mean(self.rows)))
        self.middle = [node(v, cols[1], y) for v, y in zip(tree.variables, self.rows, strict=True)]
        self.leaves = [node(tree.parameter, cols[2], y) for y in self.rows]

        def link(a: VGroup, b: VGroup) -> Line:
            return Line(a.get_center(), b.get_center(), buff=NODE_RADIUS, color=t.axes, stroke_width=3)

        self.upper = [link(self.root, m) for m in self.middle]
        self.lower = [link(m, leaf) for m, leaf in zip(self.middle, self.leaves, strict=True)]
        self.add(*self.upper, *self.lower, self.root, *self.middle, *self.leaves)

    def path(self, i: int) -> list[np.ndarray]:
        """The points of path i from its leaf up to the root (the way a nudge in t travels)."""
        return [self.leaves[i].get_center(), self.middle[i].get_center(), self.root.get_center()]


class DifferentiateWrtAnything(GraphScene):
    lesson = LESSON

    # ------------------------------------------------------------------ the tree and its rows

    def _tree(self, tree: Tree) -> TreeDiagram:
        """The tree on screen (drawn root first if it is not there); other content leaves, except the
        formulas beside its paths, which the screen may keep."""
        current: TreeDiagram | None = getattr(self, "tree", None)
        if current is None or self.tree_of != tree or not any(m is current for m in self.content):
            self.clear_content()
            self.tree, self.tree_of = TreeDiagram(self, tree), tree
            self.beside: dict[tuple[str, int], tuple[Formula, Mobject]] = {}
            d = self.tree
            self.play(FadeIn(d.root), run_time=0.4)
            self.play(*[Create(e) for e in d.upper], *[FadeIn(m) for m in d.middle], run_time=0.8)
            self.play(*[Create(e) for e in d.lower], *[FadeIn(m) for m in d.leaves], run_time=0.8)
            self.keep(d)
        return self.tree

    def _slot(self, where: str) -> tuple[float, float]:
        left = self.tree.slot_left
        return (left, SLOT_SPLIT) if where == "upper" else (SLOT_SPLIT + 0.3, C.right)

    def _row_formula(self, f: Formula, i: int, span: tuple[float, float], colour: str | None) -> Mobject:
        """Formula ``f`` on the row of path i, left-aligned in the x-span, fitted to the row height."""
        m = self.formula_block(f, span[1] - span[0], colour=colour)
        self.fit(m, Box(span[0], span[1], 0, 0.95 * LOWER.height / len(self.tree.rows)))
        m.move_to((span[0] + m.width / 2, self.tree.rows[i], 0))
        return m

    def _links(self, links: Sequence[Line], colour: str) -> list:
        return [e.animate.set_color(colour).set_stroke(width=5) for e in links]

    def _beside(self, where: str, formulas: Sequence[Formula], colour: str) -> list[Mobject]:
        """Write ``formulas`` in the ``where`` slot of their paths (one already there stays; an old
        one in the slot turns into the new one), and colour those links."""
        d, span = self.tree, self._slot(where)
        links = d.upper if where == "upper" else d.lower
        anims, mobs = [], []
        for i, f in enumerate(formulas):
            old = self.beside.get((where, i))
            if old is not None and old[0] == f:
                mobs.append(old[1])
                continue
            m = self._row_formula(f, i, span, colour)
            anims.append(ReplacementTransform(old[1], m) if old is not None else Write(m))
            if old is not None:
                self.content.remove(old[1])
            self.beside[(where, i)] = (f, m)
            mobs.append(m)
        if anims:
            self.play(*anims, *self._links(links, colour), run_time=1.2)
        self.keep(*mobs)
        return mobs

    def draw_paths(self, step: Step, screen: Paths) -> None:
        self._tree(screen.tree)
        kept = [m for f, m in self.beside.values()]
        self.clear_content(keep=[self.tree, *kept])
        self.show_formulas(screen.top, TOP_BAND, colours=[self.theme.text])
        self._beside("upper", screen.upper, self.theme.derivative)
        self._beside("lower", screen.lower, self.theme.secondary)

    # ------------------------------------------------------------------ row times column

    def draw_pairing(self, step: Step, screen: Pairing) -> None:
        t = self.theme
        d = self._tree(screen.tree)
        self.clear_content(keep=[d, *[m for f, m in self.beside.values()]])
        row = matrix_mobject(t, sp.Matrix(screen.row), colour=t.derivative)
        col = matrix_mobject(t, sp.Matrix(screen.column), colour=t.secondary)
        top = VGroup(
            MathTex(r"\frac{df}{dt}", font_size=t.formula_size, color=t.text),
            MathTex("=", font_size=t.formula_size, color=t.text),
            row,
            col,
        ).arrange(RIGHT, buff=0.25)
        self.fit(top, TOP_BAND).move_to(TOP_BAND.center)
        self.play(FadeIn(top), run_time=0.8)
        self.keep(top)
        boxes: VGroup | None = None
        span = (d.slot_left, C.right)
        for i, product in enumerate(screen.products):
            new = VGroup(
                *[
                    SurroundingRectangle(m, color=t.highlight, buff=0.08, stroke_width=3)
                    for m in (row.get_entries()[i], col.get_entries()[i])
                ]
            )
            if boxes is None:
                self.play(Create(new), run_time=0.5)
                boxes = new
            else:
                self.play(Transform(boxes, new), run_time=0.5)
            self._travel(i)
            pieces = [self.beside.pop((w, i))[1] for w in ("upper", "lower") if (w, i) in self.beside]
            m = self._row_formula(product, i, span, None)
            self.play(ReplacementTransform(VGroup(*pieces), m), run_time=1.0)
            for p in pieces:
                self.content.remove(p)
            self.beside[("product", i)] = (product, m)
            self.keep(m)
        if boxes is not None:
            self.play(FadeOut(boxes), run_time=0.3)

    def _travel(self, i: int) -> None:
        """Path i lights up from its leaf to the root: a nudge in t reaching f through xᵢ."""
        t, d = self.theme, self.tree
        a, b, c = d.path(i)
        first = Line(a, b, color=t.highlight, stroke_width=7)
        second = Line(b, c, color=t.highlight, stroke_width=7)
        self.play(Create(first), run_time=0.45, rate_func=linear)
        self.play(Create(second), run_time=0.45, rate_func=linear)
        self.play(FadeOut(first), FadeOut(second), run_time=0.3)

    # ------------------------------------------------------------------ the sum

    def draw_cancel(self, step: Step, screen: Cancel) -> None:
        t = self.theme
        d = self._tree(screen.tree)
        products = [self.beside.pop(("product", i), None) for i in range(len(screen.terms))]
        self.clear_content(keep=[d, *[p[1] for p in products if p is not None]])
        span = (d.slot_left, C.right)
        anims, rows = [], []
        for i, (term, old) in enumerate(zip(screen.terms, products, strict=True)):
            m = self._row_formula(term, i, span, None)
            anims.append(ReplacementTransform(old[1], m) if old is not None else Write(m))
            if old is not None:
                self.content.remove(old[1])
            rows.append(m)
        self.play(*anims, run_time=1.0)
        self.keep(*rows)
        for i, term in enumerate(screen.terms):
            self.beside[("product", i)] = (term, rows[i])
        if screen.cancelling:
            boxes = VGroup(
                *[SurroundingRectangle(rows[i], color=t.highlight, buff=0.1) for i in screen.cancelling]
            )
            self.play(Create(boxes), *[rows[i].animate.set_color(t.highlight) for i in screen.cancelling])
            strikes = VGroup(
                *[
                    Line(rows[i].get_left(), rows[i].get_right(), color=t.highlight, stroke_width=4)
                    for i in screen.cancelling
                ]
            )
            self.play(Create(strikes), *[rows[i].animate.set_opacity(0.4) for i in screen.cancelling])
            brace = Brace(boxes, direction=RIGHT, color=t.highlight)
            zero = MathTex("0", font_size=t.formula_size, color=t.highlight).next_to(brace, RIGHT, buff=0.15)
            self.play(FadeIn(brace), FadeIn(zero), run_time=0.5)
            self.keep(boxes, strikes, brace, zero)
        self.show_formulas([screen.total], TOP_BAND, colours=[t.derivative])

    # ------------------------------------------------------------------ the slope of f(t)

    def draw_tangent_check(self, step: Step, screen: TangentCheck) -> None:
        t = self.theme
        self.clear_content()
        plot = plot_of(self, screen.plot)
        lo, hi = plot.x_range
        at = screen.tangent.at
        start = lo + 0.15 * (hi - lo) if at - lo > (hi - lo) / 3 else hi - 0.15 * (hi - lo)
        slope_of = lambdify1(screen.derivative, screen.plot.var)
        tracker = ValueTracker(start)

        def moving() -> Mobject:
            v = tracker.get_value()
            return VGroup(plot.tangent(v, float(slope_of(np.array(v))), half_width=1.0), plot.point(v))

        slide = always_redraw(moving)
        self.add(slide)
        self.play(tracker.animate.set_value(at), run_time=2.5)
        slide.clear_updaters()
        self.remove(slide)
        dot, line = tangent_marks(plot, step, screen.tangent)
        self.add(line, dot)
        slope = step.value(screen.tangent.slope)
        y0 = plot.y(at)
        run = (at, at + 1) if at + 1 <= hi else (at - 1, at)
        ys = (y0, y0 + slope.value) if run[0] == at else (y0 - slope.value, y0)
        tri = rise_run(plot.axes, run[0], ys[0], run[1], ys[1], t)
        one = MathTex("1", font_size=t.label_size, color=t.muted)
        one.next_to(plot.axes.c2p((run[0] + run[1]) / 2, ys[0]), -UP * np.sign(slope.value or 1), buff=0.15)
        rise = MathTex(slope.shown(), font_size=t.label_size, color=t.derivative)
        rise.next_to(plot.axes.c2p(run[1], (ys[0] + ys[1]) / 2), RIGHT, buff=0.15)
        self.play(Create(tri), FadeIn(one), FadeIn(rise), run_time=0.8)
        self.keep(line, dot, tri, one, rise)
        self.show_formulas(step.formulas, panel(self), colours=[t.derivative, t.derivative])

    SCREENS = {
        Paths: draw_paths,
        Pairing: draw_pairing,
        Cancel: draw_cancel,
        TangentCheck: draw_tangent_check,
    }
