"""Lesson ``newton-raphson``: tangent lines stepping to a root, and a start that cycles.

Course example: f(x) = x³ − 2x + 2 from x₀ = −2 gives −2 → −1.8 → −1.76995 → −1.76929 → …; from
x₀ = 0 the iterates cycle 0 → 1 → 0 for ever. The update is written as it is applied,
xᵢ₊₁ = xᵢ − f(xᵢ)/f′(xᵢ): the course's slide had f(xᵢ₊₁) on the left, which is not the rule.
Every iterate comes from :func:`mfml_anim.math.optimise.newton_raphson` and is re-derived by the
audit with sympy at 30 digits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons.screens import Plot
from mfml_anim.math.optimise import NewtonRun, Outcome, newton_raphson
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, expr, integer, number
from mfml_anim.screen import Data, Screen, ValueKey
from mfml_anim.storyboard import Formula, Step, Value, define, fmt_number

MAX_STEPS = 8  # updates drawn at most: beyond a handful the tangents are indistinguishable
RUN_STEPS = 60  # updates the maths may take to decide how a run ends
FAR = 15.0  # iterates beyond |x| = FAR are not drawn (a run that runs away)
DIGITS = 6  # the course quotes iterates to 6 significant digits
ZOOM = 0.3  # an update shorter than this share of the graph's width is drawn in a window around it
REACH = 1.5e-3  # a zoom reaches at least this far from 0 on each axis: its tick numbers stay plain
# decimals (graphs.label_exponent factors out 10^k below 10^-3, a label the storyboard does not have)


@dataclass(frozen=True)
class Iterate(Data):
    """One guess xᵢ on the graph: its position, f there and the tangent's slope (audited values),
    and its name as typeset (``x_{1}``)."""

    x: ValueKey
    fx: ValueKey
    slope: ValueKey
    name: str


@dataclass(frozen=True)
class TangentWalk(Screen):
    """Newton–Raphson on the graph: at each iterate but the last, its tangent is drawn and a point
    slides down it to where it meets the x-axis, the next iterate, then climbs to the curve.

    ``rule`` stays at the top right, ``readouts`` (one per update) replace each other beneath it;
    ``fresh`` clears the walks drawn before (a new start); ``loops`` replays the walk that many
    more times (a cycle that repeats for ever). ``zooms`` (one per update, or empty) names the
    window an update is drawn in: a step too short to see on ``plot`` gets a graph of its own
    around xᵢ and xᵢ₊₁ (None: drawn on ``plot``); ``zoom_out`` returns to ``plot`` at the end, so
    the last picture shows where the guesses ended up on the whole graph."""

    plot: Plot
    iterates: tuple[Iterate, ...]
    rule: Formula
    readouts: tuple[Formula, ...]
    fresh: bool = True
    loops: int = 0
    zooms: tuple[Plot | None, ...] = ()
    zoom_out: bool = False


@dataclass(frozen=True)
class NewtonParams(LessonParams):
    f: str = expr("x**3-2*x+2", "the function whose root is sought")
    x0: float = number(-2.0, "the first guess", -10, 10)
    steps: int = integer(4, "updates drawn from x0", 1, MAX_STEPS)
    second_start: float = number(0.0, "a second first guess (the course's cycles 0 → 1 → 0)", -10, 10)

    def check(self) -> None:
        f, x = self.expr("f"), symbol("x")
        for name in ("x0", "second_start"):
            _require_start(f, x, getattr(self, name), name)
        run = newton_raphson(f, x, self.x0, max_steps=RUN_STEPS)
        if run.outcome is not Outcome.CONVERGED:
            raise ParamError(
                "x0",
                f"Newton–Raphson from x0 = {fmt_number(self.x0)} does not find a root "
                f"({run.outcome}); try another first guess",
            )
        second = newton_raphson(f, x, self.second_start, max_steps=RUN_STEPS)
        shown = _shown(second, self.steps)
        if second.outcome in (Outcome.UNDEFINED, Outcome.ZERO_DERIVATIVE) and len(shown) == len(
            second.iterates
        ):
            why = "f is not real" if second.outcome is Outcome.UNDEFINED else "f' = 0"
            raise ParamError(
                "second_start",
                f"from {fmt_number(self.second_start)} an iterate reaches a point "
                f"where {why}; try another start",
            )


def _require_start(f: sp.Expr, x: sp.Symbol, at: float, param: str) -> None:
    """A start must have a real f, a real non-zero f′, and not be a root already."""
    xv = sp.Float(at, 30)
    fv, dv = sp.N(f.subs(x, xv), 30), sp.N(sp.diff(f, x).subs(x, xv), 30)
    for what, v in (("f", fv), ("f'", dv)):
        if not (v.is_real and v.is_finite):
            raise ParamError(param, f"{what} is not real at x = {fmt_number(at)}")
    if dv == 0:
        raise ParamError(param, f"f'({fmt_number(at)}) = 0, so the tangent is flat and never meets the axis")
    if fv == 0:
        raise ParamError(param, f"f({fmt_number(at)}) = 0 already: there is nothing to iterate")


def _shown(run: NewtonRun, steps: int) -> list[float]:
    """The iterates drawn: the start and up to ``steps`` updates, stopping before one runs off
    (|x| > FAR) or once the guesses stop moving at the shown precision."""
    xs: list[float] = []
    for k, it in enumerate(run.iterates):
        if k > steps or abs(it.x) > FAR or not np.isfinite(it.fx):
            break
        if xs and fmt_number(it.x, DIGITS) == fmt_number(xs[-1], DIGITS):
            break
        xs.append(it.x)
    return xs


def _replay(f: sp.Expr, x: sp.Symbol, start: float, k: int) -> float:
    """The k-th iterate again, by sympy at 30 digits from the derived update (independent of numpy)."""
    step = x - f / sp.diff(f, x)
    v = sp.Float(start, 30)
    for _ in range(k):
        v = sp.N(step.subs(x, v), 30)
    return float(v)


def _number(v: float) -> sp.Number:
    """A start as typed: an integer stays an integer, a decimal prints as its shortest decimal."""
    return sp.Integer(int(v)) if float(v).is_integer() else sp.Float(v)


def _name(k: int) -> str:
    return f"x_{{{k}}}"


@dataclass(frozen=True)
class Walk:
    """The drawn part of a run: positions, iterates for the screen, audited values, one readout per update."""

    xs: list[float]
    iterates: tuple[Iterate, ...]
    values: dict[str, Value]
    readouts: tuple[Formula, ...]

    def values_of(self, its: tuple[Iterate, ...]) -> dict[str, Value]:
        keys = [k for it in its for k in (it.x, it.fx, it.slope)]
        return {k: self.values[k] for k in keys}


def _walk(f: sp.Expr, x: sp.Symbol, run: NewtonRun, steps: int, tag: str) -> Walk:
    """Iterates, their audited values and one readout formula per update, for the drawn part of a run."""
    d = sp.diff(f, x)
    xs = _shown(run, steps)
    its, values, readouts = [], {}, []
    for k, xk in enumerate(xs):
        it = run.iterates[k]
        keys = (f"{tag}x_{k}", f"{tag}f_x_{k}", f"{tag}slope_{k}")
        values[keys[0]] = Value(xk, check=lambda k=k: _replay(f, x, run.iterates[0].x, k), digits=DIGITS)
        values[keys[1]] = Value(it.fx, source=f.subs(x, sp.Float(xk, 30)))
        values[keys[2]] = Value(it.dfx, source=d.subs(x, sp.Float(xk, 30)))
        its.append(Iterate(ValueKey(keys[0]), ValueKey(keys[1]), ValueKey(keys[2]), _name(k)))
        if k:
            prev = run.iterates[k - 1]
            update = sp.Add(
                sp.Float(prev.x, 30), -sp.Float(prev.fx, 30) / sp.Float(prev.dfx, 30), evaluate=False
            )
            notation = rf"{_name(k - 1)} - \frac{{f({_name(k - 1)})}}{{f'({_name(k - 1)})}}"
            readouts.append(define(_name(k), update, labels=(notation,), approx=DIGITS))
    return Walk(xs, tuple(its), values, tuple(readouts))


def _window(xs: list[float]) -> tuple[float, float]:
    lo, hi = min(xs), max(xs)
    pad = max(0.5, 0.3 * (hi - lo))
    return (lo - pad, hi + pad)


def _zoom(plot: Plot, x0: float, fx0: float, x1: float, fx1: float) -> Plot | None:
    """The window one update x0 → x1 is drawn in: ``plot`` itself when the step is long enough to
    see there, else a graph around (x0, f(x0)), (x1, 0) and (x1, f(x1)) (where the guess climbs
    back to the curve), so the tangent and its landing read however close to the root they are."""
    width = plot.window[1] - plot.window[0]
    if abs(x1 - x0) >= ZOOM * width:
        return None
    lo, hi = min(x0, x1), max(x0, x1)
    pad = 0.4 * (hi - lo)
    bottom, top = min(0.0, fx0, fx1), max(0.0, fx0, fx1)
    ypad = 0.2 * (top - bottom)
    return Plot(
        plot.expr,
        plot.var,
        _reaching(lo - pad, hi + pad),
        y_label=plot.y_label,
        y_window=_reaching(bottom - ypad, top + ypad),
    )


def _reaching(lo: float, hi: float) -> tuple[float, float]:
    """``[lo, hi]``, or a window about its middle reaching REACH from 0 if it lies closer than that
    (steps landing on a root at 0, values of f within 10⁻³ of it)."""
    if max(abs(lo), abs(hi)) >= REACH:
        return (lo, hi)
    mid = (lo + hi) / 2
    half = max((hi - lo) / 2, REACH + abs(mid))
    return (mid - half, mid + half)


def _zooms(plot: Plot, run: NewtonRun, xs: list[float], first: int, last: int) -> tuple[Plot | None, ...]:
    """One window per update from iterate ``first`` to ``last`` of the drawn ones (see :func:`_zoom`)."""
    its = run.iterates
    return tuple(_zoom(plot, xs[k], its[k].fx, xs[k + 1], its[k + 1].fx) for k in range(first, last))


def _second_narration(run: NewtonRun, xs: list[float]) -> str:
    start = fmt_number(xs[0], DIGITS)
    if run.outcome is Outcome.CYCLE and len(xs) == len(run.iterates):
        loop = " → ".join(fmt_number(v, DIGITS) for v in xs)
        return (
            f"Start at {start} instead: the tangents bounce {loop}, and round again for ever. "
            "Newton–Raphson never reaches the root from here."
        )
    if run.outcome is Outcome.CONVERGED and len(xs) == len(run.iterates):
        return (
            f"Start at {start} instead: these tangents lead to the root at "
            f"{fmt_number(run.iterates[-1].x, DIGITS)}."
        )
    if run.outcome is Outcome.CONVERGED:
        return (
            f"Start at {start} instead: the tangents head for the root at "
            f"{fmt_number(run.iterates[-1].x, DIGITS)}."
        )
    return (
        f"Start at {start} instead: the tangents throw the guesses further and further away; no root is "
        "found."
    )


def build(params: NewtonParams) -> tuple[Step, ...]:
    x = symbol("x")
    f = params.expr("f")
    first = newton_raphson(f, x, params.x0, max_steps=RUN_STEPS)
    second = newton_raphson(f, x, params.second_start, max_steps=RUN_STEPS)
    one = _walk(f, x, first, params.steps, "")
    two = _walk(f, x, second, params.steps, "second_")
    root = first.iterates[-1].x
    plot = Plot(f, x, _window([*one.xs, root]), y_label="f(x)", mark=params.x0)
    plot2 = Plot(f, x, _window([*two.xs, root]), y_label="f(x)")
    upd = first.update
    rule = define(upd.x_next, upd.general.rhs)
    path = " → ".join(fmt_number(v, DIGITS) for v in one.xs)
    start_def = define(_name(0), _number(params.x0))
    second_def = define(_name(0), _number(params.second_start))
    cycles = second.outcome is Outcome.CYCLE and len(two.xs) == len(second.iterates)
    later = one.iterates[1:] if len(one.iterates) > 2 else one.iterates[-1:]
    return (
        Step(
            "function",
            (
                "Newton–Raphson looks for where f(x) = 0. Take a first guess, x₀ = "
                f"{fmt_number(params.x0, DIGITS)}."
            ),
            (define(sp.Function("f")(x), f), start_def),
            screen=plot,
        ),
        Step(
            "tangent",
            "Follow the tangent at x₀ down to the x-axis: where it lands is the next guess, "
            "x₁ = x₀ − f(x₀)/f′(x₀). On the left is x₁, not f(x₁).",
            (rule, one.readouts[0]),
            one.values_of(one.iterates[:2]),
            screen=TangentWalk(
                plot, one.iterates[:2], rule, one.readouts[:1], zooms=_zooms(plot, first, one.xs, 0, 1)
            ),
        ),
        Step(
            "iterate",
            (
                f"Repeat from each new guess: {path}. The tangents close in on the root, "
                f"{fmt_number(root, DIGITS)}."
            )
            if len(one.iterates) > 2
            else (
                "One step was enough here: the next guesses agree to the digits shown. The root is "
                f"{fmt_number(root, DIGITS)}."
            ),
            (rule, *one.readouts[1:]),
            one.values,
            screen=TangentWalk(
                plot,
                later,
                rule,
                one.readouts[1:],
                fresh=False,
                zooms=_zooms(plot, first, one.xs, len(one.xs) - len(later), len(one.xs) - 1),
                zoom_out=True,
            ),
        ),
        Step(
            "second-start",
            _second_narration(second, two.xs),
            (second_def, *two.readouts),
            two.values,
            screen=TangentWalk(
                plot2,
                two.iterates,
                second_def,
                two.readouts,
                fresh=True,
                loops=2 if cycles else 0,
                zooms=() if cycles else _zooms(plot2, second, two.xs, 0, len(two.xs) - 1),
                zoom_out=True,
            ),
        ),
    )


LESSON = Lesson(
    slug="newton-raphson",
    module=5,
    title="The Newton–Raphson method",
    summary=(
        "tangents slide down to the axis, each landing the next guess xᵢ₊₁ = xᵢ − f(xᵢ)/f′(xᵢ); a "
        "start that cycles"
    ),
    params=NewtonParams,
    build=build,
    scene="scenes.newton_raphson:NewtonRaphson",
    examples=(
        {"f": "cos(x)-x", "x0": "0.5", "second_start": "3"},
        {"f": "x**2-2", "x0": "3", "steps": "3", "second_start": "-0.4"},
        {"f": "atan(x)", "x0": "0.5", "steps": "6", "second_start": "2"},
    ),
)
