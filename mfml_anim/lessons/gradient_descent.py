"""Lesson ``gradient-descent``: the gradient as the direction of steepest ascent on a contour map,
the descent s_{n+1} = s_n − γ∇f(s_n) growing step by step, and what a step size γ that is too small
or too large does.

Default: the elongated bowl f = x² + 5y² from s₀ = (−2.5, 1.2) with γ = 0.08 for 20 steps; the
valley is five times steeper across than along, so the gradient does not point at the minimum and a
γ above 2/λ_max (λ_max the largest curvature, the Hessian's largest eigenvalue at the minimum)
overshoots across the valley further each step. Every iterate of all three paths is in ``values``,
re-computed by the audit from the sympy gradient.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._jacobian import jacobian_at, jacobian_formula, partial_key, point_text
from mfml_anim.math.multivariate import hessian
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.math.optimise import (
    DescentPath,
    DescentStep,
    Outcome,
    StepRule,
    descent_path,
    gradient_descent,
    gradient_descent_path,
)
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, expr, integer, number, point
from mfml_anim.screen import Data, Screen, ValueKey
from mfml_anim.storyboard import Formula, Step, Value, claim, define, fmt_number

SMALL = 8.0  # the "too small" γ is the chosen one divided by this
LARGE = 1.05  # the "too large" γ is this times the stability limit 2/λ_max
MAX_STEPS = 60
NO_BOWL_SPAN = 5.0  # without a minimum the map is this wide around the start
NO_BOWL_LARGE = 4.0  # without a minimum there is no stability limit: the 'large' γ is this times γ
LARGE_STEPS = 12  # steps of the too-large-γ run: enough to see the zigzag grow
WINDOW_PAD = 0.2
Point = tuple[ValueKey, ValueKey]


@dataclass(frozen=True)
class ContourData(Data):
    """The function whose contour map is drawn, and the (square) window it is drawn on."""

    f: sp.Expr
    variables: tuple[sp.Symbol, sp.Symbol]
    x_window: tuple[float, float]
    y_window: tuple[float, float]


@dataclass(frozen=True)
class ContourView(Screen):
    """The contour map of f growing, its heights written on the lines."""

    map: ContourData


@dataclass(frozen=True)
class GradientAt(Screen):
    """A point on the map, the contour through it, and the gradient arrow growing out of it
    (drawn at a readable length: its direction is the point)."""

    map: ContourData
    at: Point
    gradient: Point
    height: ValueKey


@dataclass(frozen=True)
class FirstStep(Screen):
    """The arrow turns round to −γ∇f, shrinks to its true length, and the point slides along it to s₁."""

    map: ContourData
    at: Point
    gradient: Point
    gamma: ValueKey
    to: Point


@dataclass(frozen=True)
class PathRun(Data):
    """One descent drawn on the map: its iterates, its style (index into ``contours.PATH_STYLES``:
    dash and marker, so it is told apart without colour), its legend formula (γ = …) and where it
    ended (f(s_n) ≈ …)."""

    points: tuple[Point, ...]
    style: int
    label: Formula
    result: Formula


@dataclass(frozen=True)
class Descent(Screen):
    """``path`` grows step by step on the map; the paths in ``earlier`` stay drawn, with their legend;
    ``note`` is written above the path's result."""

    map: ContourData
    path: PathRun
    earlier: tuple[PathRun, ...] = ()
    note: Formula | None = None


@dataclass(frozen=True)
class GradientDescentParams(LessonParams):
    f: str = expr("x**2/4+y**2", "the function to minimise", ("x", "y"))
    start: tuple = point((-2.5, 1.2), "where the descent starts, s0", 2)
    gamma: float = number(0.4, "the step size γ", 0.001, 1)
    steps: int = integer(20, "the number of steps drawn", 1, MAX_STEPS)

    def check(self) -> None:
        plan(self)


@dataclass(frozen=True)
class Plan:
    """What the lesson needs before building steps: the minimum (None if the descent finds none),
    the three runs and their step sizes."""

    minimum: np.ndarray | None
    main: DescentPath
    small: DescentPath
    large: DescentPath
    gamma_small: float
    gamma_large: float


def _xy() -> tuple[sp.Symbol, sp.Symbol]:
    return symbol("x"), symbol("y")


def plan(params: GradientDescentParams) -> Plan:
    """Find the minimum the descent heads for and its largest curvature, run the three descents;
    refuse (one line) what the lesson cannot show: no real value at the start, no minimum found,
    a γ at or above the stability limit (the chosen path would not settle)."""
    x, y = _xy()
    f = params.expr("f")
    s0 = tuple(float(v) for v in params.start)
    v0 = sp.N(f.subs({x: s0[0], y: s0[1]}), 20)
    g0 = [sp.N(sp.diff(f, v).subs({x: s0[0], y: s0[1]}), 20) for v in (x, y)]
    if not all(e.is_real and e.is_finite for e in (v0, *g0)):
        raise ParamError("start", f"f or its gradient is not real at {point_text(s0)}")
    if all(abs(float(g)) < 1e-9 for g in g0):
        raise ParamError("start", f"the gradient is zero at {point_text(s0)}, so the descent cannot move")
    h = hessian(f, [x, y])
    hfn = [[lambdify_n(h[i, j], (x, y)) for j in range(2)] for i in range(2)]
    fn = lambdify_n(f, (x, y))
    gfn = [lambdify_n(sp.diff(f, v), (x, y)) for v in (x, y)]
    seek = descent_path(
        lambda q: float(fn(*q)),
        lambda q: np.array([float(g(*q)) for g in gfn]),
        lambda q: np.array([[float(e(*q)) for e in row] for row in hfn]),
        s0,
        rule=StepRule.HYBRID,
        gamma=min(params.gamma, 0.05),
        steps=3000,
        tol=1e-10,
        max_step=1.0,
    )
    end = np.array(seek.end.point)
    with np.errstate(all="ignore"):
        hm = np.array([[float(e(*end)) for e in row] for row in hfn])
    eig = np.linalg.eigvalsh(hm) if np.all(np.isfinite(hm)) else np.array([np.nan])
    minimum = end if seek.outcome is Outcome.CONVERGED and np.all(eig > 1e-9) else None
    x_sym = (x, y)
    if minimum is not None:
        limit = 2.0 / float(eig.max())
        if params.gamma >= 0.9 * limit:
            raise ParamError(
                "gamma",
                f"{params.gamma:g} is too large for this f: the steps overshoot and the path "
                f"does not settle (γ must stay below 2/λ_max = {fmt_number(limit)}; "
                f"try {fmt_number(limit / 3, 2)})",
            )
        if float(np.linalg.norm(minimum - np.array(s0))) < 1e-6:
            raise ParamError("start", f"{point_text(s0)} is already the minimum; start somewhere else")
        g_large = LARGE * limit
    else:
        g_large = NO_BOWL_LARGE * params.gamma
    main = _finite(gradient_descent_path(f, x_sym, s0, gamma=params.gamma, steps=params.steps))
    g_small = params.gamma / SMALL
    small = _finite(gradient_descent_path(f, x_sym, s0, gamma=g_small, steps=params.steps))
    large = _overshoot(f, s0, g_large, min(params.steps, LARGE_STEPS))
    if minimum is not None and main.outcome in (Outcome.DIVERGED, Outcome.UNDEFINED):
        raise ParamError(
            "gamma", f"with γ = {params.gamma:g} the descent from {point_text(s0)} does not settle"
        )
    if len(main.steps) < 2:
        raise ParamError("start", f"f is not real one step away from {point_text(s0)}")
    return Plan(minimum, main, small, large, g_small, g_large)


def _finite(path: DescentPath) -> DescentPath:
    """The run up to its last finite iterate (a run that blows up records where it broke)."""
    ok = []
    for st in path.steps:
        if not (np.isfinite(st.value) and np.all(np.isfinite(st.point)) and np.all(np.isfinite(st.gradient))):
            break
        ok.append(st)
    return replace(path, steps=tuple(ok))


def _overshoot(f: sp.Expr, start: tuple[float, float], gamma: float, steps: int) -> DescentPath:
    """The too-large-γ run, every step taken (no early stop when f starts rising: the point is to
    watch the zigzag grow until it leaves the map), recorded like any other descent."""
    x, y = _xy()
    fn = lambdify_n(f, (x, y))
    gs = [lambdify_n(sp.diff(f, v), (x, y)) for v in (x, y)]

    def grad(q: np.ndarray) -> np.ndarray:
        return np.array([float(g(*q)) for g in gs])

    pts = gradient_descent(grad, start, gamma, steps)
    rec = tuple(
        DescentStep(
            tuple(float(c) for c in p),
            float(fn(*p)),
            tuple(float(c) for c in grad(p)),
            "start" if k == 0 else "gradient",
        )
        for k, p in enumerate(pts)
    )
    finite = [r for r in rec if np.isfinite(r.value) and np.all(np.isfinite(r.gradient))]
    outcome = (
        Outcome.DIVERGED
        if len(finite) < len(rec) or finite[-1].value > finite[0].value
        else Outcome.MAX_STEPS
    )
    return DescentPath(StepRule.GRADIENT, float(gamma), tuple(finite), outcome)


def _replay(f: sp.Expr, start: tuple[float, float], gamma: float, k: int) -> np.ndarray:
    """The k-th iterate again, by the bare array helper on the sympy gradient (not the recorded run)."""
    x, y = _xy()
    gs = [sp.lambdify((x, y), sp.diff(f, v)) for v in (x, y)]
    pts = gradient_descent(lambda q: np.array([float(g(*q)) for g in gs]), start, gamma, k)
    return pts[min(k, len(pts) - 1)]


def _path_values(f: sp.Expr, path: DescentPath, tag: str) -> tuple[tuple[Point, ...], dict[str, Value]]:
    """Every iterate of ``path`` (x, y and f there) as audited values; the keys of the points."""
    x, y = _xy()
    start = path.steps[0].point
    values: dict[str, Value] = {}
    keys: list[Point] = []
    for k, s in enumerate(path.steps):
        kx, ky, kf = f"{tag}s_{k}_x", f"{tag}s_{k}_y", f"{tag}f_{k}"
        values[kx] = Value(s.point[0], check=lambda k=k: float(_replay(f, start, path.gamma, k)[0]))
        values[ky] = Value(s.point[1], check=lambda k=k: float(_replay(f, start, path.gamma, k)[1]))
        values[kf] = Value(s.value, source=f.subs({x: s.point[0], y: s.point[1]}))
        keys.append((ValueKey(kx), ValueKey(ky)))
    return tuple(keys), values


def _short(v: float) -> sp.Float:
    """γ as a short decimal (3 significant digits), as the legend prints it."""
    return sp.Float(fmt_number(v, 3))


def _end_formula(f: sp.Expr, path: DescentPath) -> Formula:
    x, y = _xy()
    n = len(path.steps) - 1
    return claim(sp.Subs(f, (x, y), path.end.point), labels=(f"f(s_{{{n}}})",), approx=4)


def _tick(span: float) -> float:
    raw = span / 5
    mag = 10 ** np.floor(np.log10(raw))
    return float(next(m * mag for m in (1, 2, 5, 10) if raw <= m * mag + 1e-12))


def square_window(
    points: np.ndarray, *, pad: float = WINDOW_PAD, min_span: float = 2.0
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Equal-span x and y windows around ``points`` (shape (k, 2)), ``pad`` of the span added on each
    side, ends on multiples of a round tick step: equal scales, so the gradient is seen at right
    angles to its contour."""
    p = np.asarray(points, float).reshape(-1, 2)
    lo, hi = p.min(axis=0), p.max(axis=0)
    span = max(float((hi - lo).max()) * (1 + 2 * pad), min_span)
    step = _tick(span)
    centre = (lo + hi) / 2
    starts = np.floor((centre - span / 2) / step) * step
    width = float(max(np.ceil((centre[k] + span / 2 - starts[k]) / step - 1e-9) * step for k in (0, 1)))
    return (float(starts[0]), float(starts[0]) + width), (float(starts[1]), float(starts[1]) + width)


def _largest_curvature(f: sp.Expr, at: np.ndarray) -> sp.Expr:
    """λ_max of the Hessian at ``at`` as an expression in its entries (the audit evaluates it):
    (a + c)/2 + sqrt(((a − c)/2)² + b²) for H = [[a, b], [b, c]]."""
    x, y = _xy()
    h = hessian(f, [x, y])
    pt = {x: sp.Float(at[0], 30), y: sp.Float(at[1], 30)}
    a, b, c = (sp.Subs(h[i, j], (x, y), (pt[x], pt[y])) for i, j in ((0, 0), (0, 1), (1, 1)))
    return (a + c) / 2 + sp.sqrt(((a - c) / 2) ** 2 + b**2)


def _rule() -> Formula:
    s_n, s_next = sp.Symbol("s_{n}"), sp.Symbol("s_{n+1}")
    grad = sp.Symbol(r"\nabla f(s_{n})")
    gamma = sp.Symbol(r"\gamma")
    return define(s_next, s_n - gamma * grad, labels=(r"s_{n} - \gamma \nabla f(s_{n})",))


def _large_narration(pl: Plan) -> str:
    g = fmt_number(pl.gamma_large, 3)
    if pl.minimum is None:
        higher = pl.large.end.value > pl.main.end.value
        return f"γ larger, {g}: longer steps. " + (
            "They overshoot and end higher than the first path."
            if higher
            else "With no valley floor to overshoot, they only run further."
        )
    if pl.large.outcome is Outcome.DIVERGED:
        return (
            f"γ too large, {g}, above 2/λ_max: every step overshoots across the valley, further each time, "
            "and the path climbs out."
        )
    return (
        f"γ too large, {g}, above 2/λ_max: every step overshoots across the valley; the path bounces "
        "instead of settling."
    )


def _descend_narration(pl: Plan) -> str:
    n = len(pl.main.steps) - 1
    f0, fn = pl.main.steps[0].value, pl.main.end.value
    went = "fallen" if fn < f0 else "gone"
    tail = "" if pl.minimum is not None else " f has no lowest point here: the path never settles."
    return (
        f"Repeat, always downhill: after {n} steps f has {went} from {fmt_number(f0, 3)} to "
        f"{fmt_number(fn, 3)}.{tail}"
    )


def build(params: GradientDescentParams) -> tuple[Step, ...]:
    x, y = _xy()
    f = params.expr("f")
    pl = plan(params)
    s0 = tuple(float(v) for v in params.start)
    main_keys, main_values = _path_values(f, pl.main, "")
    small_keys, small_values = _path_values(f, pl.small, "small_")
    large_keys, large_values = _path_values(f, pl.large, "large_")
    if pl.minimum is not None:
        xw, yw = square_window(np.vstack([pl.main.points, pl.small.points, pl.minimum[None, :]]))
    else:  # nothing to frame but the start: the paths may run off the map
        xw, yw = square_window(
            np.array(s0)[None, :]
            + np.array([[-NO_BOWL_SPAN, -NO_BOWL_SPAN], [NO_BOWL_SPAN, NO_BOWL_SPAN]]) / 2,
            pad=0,
        )
    cmap = ContourData(f, (x, y), xw, yw)
    grad_rule = jacobian_formula(f, [x, y], name=r"\nabla f")
    grad_at, grad_values = jacobian_at(f, [x, y], s0, name=r"\nabla f")
    grad_keys = (ValueKey(partial_key(x, s0)), ValueKey(partial_key(y, s0)))
    g = params.gamma
    gamma_values = {"gamma": Value(g, source=sp.Float(g))}
    s1 = pl.main.steps[1].point
    step1 = define("s_{1}", sp.ImmutableMatrix([s1]), labels=(r"s_{0} - \gamma \nabla f(s_{0})",), approx=4)
    main_label, small_label, large_label = (
        define(r"\gamma", _short(v)) for v in (g, pl.gamma_small, pl.gamma_large)
    )
    main_end, small_end, large_end = (_end_formula(f, p) for p in (pl.main, pl.small, pl.large))
    main_run = PathRun(main_keys, 0, main_label, main_end)
    small_run = PathRun(small_keys, 1, small_label, small_end)
    large_run = PathRun(large_keys, 2, large_label, large_end)
    limit = (
        claim(2 / _largest_curvature(f, pl.minimum), labels=(r"\frac{2}{\lambda_{max}}",), approx=3)
        if pl.minimum is not None
        else None
    )
    n = len(pl.main.steps) - 1
    first_two = {k: main_values[k] for pair in main_keys[:2] for k in pair}
    return (
        Step(
            "contours",
            "A contour map of f: each line joins the points where f has one value, written on the line.",
            (define(sp.Function("f")(x, y), f),),
            screen=ContourView(cmap),
        ),
        Step(
            "gradient",
            f"At s₀ = {point_text(s0)} the gradient ∇f points the way f climbs fastest: straight across the "
            "contours, at right angles to the one through s₀.",
            (grad_rule, grad_at),
            {**grad_values, **first_two, "f_0": main_values["f_0"]},
            screen=GradientAt(cmap, main_keys[0], grad_keys, ValueKey("f_0")),
        ),
        Step(
            "step",
            (
                "To go down, step the other way, by γ times the gradient: s₁ = s₀ − γ∇f(s₀), here with γ = "
                f"{fmt_number(g, 3)}."
            ),
            (_rule(), step1),
            {**grad_values, **first_two, **gamma_values},
            screen=FirstStep(cmap, main_keys[0], grad_keys, ValueKey("gamma"), main_keys[1]),
        ),
        Step(
            "descend",
            _descend_narration(pl),
            (main_label, main_end),
            main_values,
            screen=Descent(cmap, main_run),
        ),
        Step(
            "too-small",
            f"γ too small, {fmt_number(pl.gamma_small, 3)}: each step is tiny, and after {n} steps the "
            "path has only "
            "crept a little way down.",
            (small_label, small_end),
            {**main_values, **small_values},
            screen=Descent(cmap, small_run, (main_run,)),
        ),
        Step(
            "too-large",
            _large_narration(pl),
            (large_label, *([limit] if limit is not None else []), large_end),
            {**main_values, **small_values, **large_values},
            screen=Descent(cmap, large_run, (main_run, small_run), note=limit),
        ),
    )


LESSON = Lesson(
    slug="gradient-descent",
    module=5,
    title="Gradient descent",
    summary=(
        "the gradient points up the contour map; s_{n+1} = s_n − γ∇f(s_n) walks down it; γ too small, "
        "too large"
    ),
    params=GradientDescentParams,
    build=build,
    scene="scenes.gradient_descent:GradientDescent",
    examples=(
        {"f": "(x-1)**2+(y-x**2)**2", "start": "-1,2", "gamma": "0.05", "steps": "30"},
        {"f": "x**2+y**2-x*y", "start": "2,-1.5", "gamma": "0.3", "steps": "12"},
        {"f": "exp(x**2/4+y**2)", "start": "1.5,0.8", "gamma": "0.1", "steps": "25"},
    ),
)
