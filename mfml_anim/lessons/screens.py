"""Screens: what a storyboard step asks the scene to draw, as typed, frozen data (no Manim).

Every :class:`~mfml_anim.storyboard.Step` names its screen (``screen=Plot(...)``). The scene maps
screen *types* to drawing methods in one table (``SCREENS = {Plot: draw_plot, ...}``), so the link
between a lesson and its scene is checked by types, not by step ids, positions or dict order:

* a screen carries everything its drawing needs (expressions, windows, points, a terrain), so a
  scene never re-derives what the lesson computed, and never reads ``step.formulas[0].parts[1]``;
* a number a screen *displays* is named by a :data:`~mfml_anim.screen.ValueKey`, and every field
  is type-checked when the screen is built: the rules of :mod:`mfml_anim.screen`, where the base
  types (``Screen``, ``Data``, ``ValueKey``, ``ContractError``) live, beside the storyboard.

Screens used by several lessons live here; a lesson's own screens live in its module. This module
never imports Manim: the CLI, the audit and the tests use it without a renderer.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from mfml_anim.screen import Data, Screen, ValueKey
from mfml_anim.storyboard import Fact, Step, close

Cell = tuple[int, int]
"""A matrix entry (row, column), counted from 0."""


# --------------------------------------------------------------------------- shared screens


@dataclass(frozen=True)
class Formulas(Screen):
    """The plain algebra screen: everything else leaves, the step's formulas take the whole width."""


@dataclass(frozen=True)
class Tangent(Data):
    """The tangent to a plotted curve at ``at``; its slope is the audited value named ``slope``."""

    at: float
    slope: ValueKey


@dataclass(frozen=True)
class Plot(Screen):
    """The graph of ``expr`` in ``var`` over ``window`` in the left column, formulas on the right.

    ``mark`` puts a dot on the curve; ``tangent`` draws the tangent there (and its dot).
    ``y_window``: the y-range the lesson chose around what the step is about (e.g.
    :func:`~mfml_anim.math.windows.readable_y_window`, so a tangent reads at its true angle); the
    curve is clipped at it. None: chosen from f over the whole x-window."""

    expr: sp.Expr
    var: sp.Symbol
    window: tuple[float, float]
    y_label: str = "f(x)"
    mark: float | None = None
    tangent: Tangent | None = None
    y_window: tuple[float, float] | None = None

    def facts(self, step: Step) -> list[Fact]:
        """For the audit: a tangent's slope (an audited value) is the derivative of the plotted
        function at its point, derived here by sympy from the plot's own expression."""
        t = self.tangent
        if t is None:
            return []
        slope = step.value(t.slope).value
        d = sp.diff(self.expr, self.var).subs(self.var, sp.Float(t.at, 30))
        return [
            Fact(
                f"tangent at {t.at:g}",
                f"its slope {slope:.6g} is the derivative of {sp.sstr(self.expr)} at {t.at:g}",
                lambda: close(d, slope),
            )
        ]

    @property
    def curve(self) -> tuple[sp.Expr, sp.Symbol, tuple[float, float], str, tuple[float, float] | None]:
        """What identifies the drawn graph (a scene keeps it when the next screen shows the same)."""
        return (self.expr, self.var, self.window, self.y_label, self.y_window)


@dataclass(frozen=True)
class Beside(Screen):
    """The step's formulas on the right, beside the graph of ``plot`` (kept from the step before with
    the marks it had there, or drawn if it is not on screen)."""

    plot: Plot


@dataclass(frozen=True)
class Beneath(Screen):
    """The graph ``above`` moves to the top half; the derivative ``derivative`` is drawn beneath it on
    the same window, so gradient above can be read against height below."""

    above: Plot
    derivative: sp.Expr
    label: str = "f'(x)"


@dataclass(frozen=True)
class MatrixView(Screen):
    """The step's formulas on top, ``matrix`` drawn below; each group of ``highlights`` is boxed in
    turn (one entry at a time, or a pair of mirrored entries)."""

    matrix: sp.MatrixBase
    highlights: tuple[tuple[Cell, ...], ...] = ()


@dataclass(frozen=True)
class Surface(Screen):
    """The surface z = ``expr``(x, y) over ``window``² in an oblique view, formulas beside it.
    ``kind`` is what the lesson says the surface shows ('minimum', 'maximum', 'saddle', ...)."""

    expr: sp.Expr
    variables: tuple[sp.Symbol, sp.Symbol]
    window: tuple[float, float]
    kind: str = ""


SHARED_SCREENS: tuple[type[Screen], ...] = (Formulas, Plot, Beside, Beneath, MatrixView, Surface)

__all__ = [
    "SHARED_SCREENS",
    "Beneath",
    "Beside",
    "Cell",
    "Formulas",
    "MatrixView",
    "Plot",
    "Surface",
    "Tangent",
]
