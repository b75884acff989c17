"""Lesson ``constrained-optimisation``: a pair (f, g) sympy cannot solve exactly; ∇f = λ∇g, g = 0
solved numerically (Newton's method from a grid of starts), every solution marked and classified.

Course example: f = exp(−(2x² + y² − xy)/2) on the ellipse x² + 3(y + 1)² = 1: four solutions,
the largest f ≈ 0.924 at (−0.096, −0.425).
"""

from __future__ import annotations

from dataclasses import dataclass

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._lagrange import (
    Candidates,
    Locus,
    Problem,
    Sweep,
    Verdicts,
    bordered_det,
    check_pair,
    constraint_map,
    f_at,
    gradient,
    letter,
    parallel_formula,
    point_values,
    problem_formulas,
    solve,
    spot,
    spots_of,
    sweep_start,
)
from mfml_anim.params import LessonParams, expr
from mfml_anim.screen import ValueKey
from mfml_anim.storyboard import Step, Value, define


@dataclass(frozen=True)
class ConstrainedParams(LessonParams):
    f: str = expr(
        "exp(-(2*x**2+y**2-x*y)/2)", "the function whose stationary points on g = 0 are found", ("x", "y")
    )
    g: str = expr("x**2+3*(y+1)**2-1", "the constraint curve g = 0", ("x", "y"))

    def check(self) -> None:
        check_pair(self.expr("f"), self.expr("g"))


def build(params: ConstrainedParams) -> tuple[Step, ...]:
    f, g = params.expr("f"), params.expr("g")
    sol = solve(f, g)
    cmap = constraint_map(sol)
    pts = sol.points
    n = len(pts)
    values: dict[str, Value] = {}
    for k, p in enumerate(pts, start=1):
        values.update(point_values(sol, k, p))
    dets = [bordered_det(sol, k, p) for k, p in enumerate(pts, start=1)]
    det_values = {f"p{k}_det": v for k, (_, v) in enumerate(dets, start=1)}
    tops = [k for k, p in enumerate(pts, start=1) if p.kind == "maximum"] or [1]
    top = pts[tops[0] - 1]
    _, det = parallel_formula(f, g)
    how = (
        "sympy solves this exactly"
        if sol.method == "symbolic"
        else "Newton's method finds them from a grid of starts"
    )
    count = f"{n} solution{'s' if n > 1 else ''}"
    shown = [f_at(sol, p) for p in pts]
    classify = (dets[0][0], dets[-1][0]) if n > 1 else (dets[0][0],)
    return (
        Step(
            "problem",
            "Where is f stationary along the curve g = 0? Here the contours of f are ellipses "
            "around its peak, and g = 0 is drawn over them.",
            problem_formulas(f, g),
            screen=Problem(cmap),
        ),
        Step(
            "system",
            f"f is stationary on the curve where ∇f = λ∇g: where the dashed curve meets "
            f"g = 0. {how[0].upper() + how[1:]}.",
            (define(r"\nabla f", gradient(f)), define(r"\nabla g", gradient(g))),
            screen=Locus(cmap, det, ()),
        ),
        Step(
            "solutions",
            f"It finds {count}. Each is a point of the curve where ∇f and ∇g are parallel; "
            "f is read off at each.",
            tuple(shown),
            values,
            screen=Candidates(
                cmap, spots_of(pts), tuple(ValueKey(f"p{k}_f") for k in range(1, n + 1)), tuple(shown)
            ),
        ),
        Step(
            "classify",
            "The sign of the bordered Hessian's determinant says which way f curves along "
            "the curve: positive, a local maximum; negative, a local minimum.",
            classify,
            {**values, **det_values},
            screen=Verdicts(cmap, spots_of(pts, with_verdict=True), ()),
        ),
        Step(
            "best",
            f"The largest value, f = {values[f'p{tops[0]}_f'].shown()} at {letter(tops[0])}: "
            "the highest contour that still touches the curve.",
            (shown[tops[0] - 1],),
            values,
            screen=Sweep(
                cmap, sweep_start(sol, top), ValueKey(f"p{tops[0]}_f"), tuple(spot(k) for k in tops)
            ),
        ),
    )


LESSON = Lesson(
    slug="constrained-optimisation",
    module=5,
    title="Constrained optimisation",
    summary="∇f = λ∇g, g = 0 solved numerically; every stationary point on the curve marked and classified",
    params=ConstrainedParams,
    build=build,
    scene="scenes.constrained_optimisation:ConstrainedOptimisation",
    examples=(
        {"f": "x**2*y", "g": "x**2+y**2-1"},
        {"f": "exp(-(x**2+y**2))*(x+y)", "g": "(x-1)**2+y**2-1"},
        {"f": "x*y", "g": "x**2/4+y**2-1"},
    ),
)
