"""Screens: what a storyboard step asks the scene to draw, as typed, frozen data (no Manim).

Every :class:`~mfml_anim.storyboard.Step` names its screen (``screen=Plot(...)``). The scene maps
screen *types* to drawing methods in one table (``SCREENS = {Plot: draw_plot, ...}``), so the link
between a lesson and its scene is checked by types, not by step ids, positions or dict order:

* a screen carries everything its drawing needs (expressions, windows, points, a terrain), so a
  scene never re-derives what the lesson computed, and never reads ``step.formulas[0].parts[1]``;
* a number a screen *displays* is named by a :data:`ValueKey` and resolved with
  :meth:`Step.value <mfml_anim.storyboard.Step.value>`, so the audit re-checks it like every
  other value; a key that the step's ``values`` lack is refused when the step is built;
* every field is type-checked when the screen is built (:meth:`Data.__post_init__`), so a lesson
  that hands a screen the wrong kind of data fails in ``mfml script``, not half-way through a render.

Screens used by several lessons live here; a lesson's own screens live in its module. This module
never imports Manim: the CLI, the audit and the tests use it without a renderer.
"""

from __future__ import annotations

import dataclasses
import functools
import numbers
import types
from dataclasses import dataclass
from typing import Any, Literal, NewType, Union, get_args, get_origin, get_type_hints

import sympy as sp

ValueKey = NewType("ValueKey", str)
"""The name of a value in the step's ``values``: a number the screen shows (audited there)."""

Cell = tuple[int, int]
"""A matrix entry (row, column), counted from 0."""


class ContractError(Exception):
    """A lesson and its scene disagree: a screen nobody draws, a value key that does not exist,
    a screen field of the wrong type. A programming error, never the user's."""


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _matches(value: Any, hint: Any) -> bool:  # noqa: C901 - one branch per kind of annotation, flat
    """Whether ``value`` fits the annotation ``hint`` (the subset of typing the screens use)."""
    if hint is Any:
        return True
    if hint is ValueKey:
        return isinstance(value, str)
    if hint is float:
        return isinstance(value, numbers.Real) and not isinstance(value, bool)
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return any(_matches(value, h) for h in get_args(hint))
    if origin is Literal:
        return value in get_args(hint)
    if origin is tuple:
        args = get_args(hint)
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_matches(v, args[0]) for v in value)
        return len(args) == len(value) and all(_matches(v, h) for v, h in zip(value, args, strict=True))
    if hint is type(None):
        return value is None
    return isinstance(value, origin or hint)


def _keys_in(value: Any, hint: Any) -> tuple[str, ...]:
    """Every ValueKey inside a field value (through nested data and tuples)."""
    if hint is ValueKey:
        return (value,)
    if isinstance(value, Data):
        return value.value_keys()
    if get_origin(hint) in (Union, types.UnionType):
        fitting = [h for h in get_args(hint) if _matches(value, h)]
        return _keys_in(value, fitting[0]) if fitting else ()
    if isinstance(value, tuple):
        args = [a for a in get_args(hint) if a is not Ellipsis] or [Any]
        inner = args if len(args) == len(value) else [args[0]] * len(value)
        return tuple(k for v, h in zip(value, inner, strict=True) for k in _keys_in(v, h))
    return ()


@dataclass(frozen=True)
class Data:
    """Base of every screen and screen part: a frozen dataclass whose fields are type-checked."""

    def __post_init__(self) -> None:
        hints = _hints(type(self))
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not _matches(value, hints[f.name]):
                raise ContractError(
                    f"{type(self).__name__}.{f.name} expects {hints[f.name]}, "
                    f"got {type(value).__name__} {value!r:.60}"
                )

    def value_keys(self) -> tuple[str, ...]:
        """The step values this data displays, in field order."""
        hints = _hints(type(self))
        return tuple(
            k for f in dataclasses.fields(self) for k in _keys_in(getattr(self, f.name), hints[f.name])
        )


@dataclass(frozen=True)
class Screen(Data):
    """Base of all screens. A subclass is one kind of screen; its fields are what it draws."""


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
    "ContractError",
    "Data",
    "Formulas",
    "MatrixView",
    "Plot",
    "Screen",
    "Surface",
    "Tangent",
    "ValueKey",
]
