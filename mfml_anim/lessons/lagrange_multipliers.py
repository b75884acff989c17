"""Lesson ``lagrange-multipliers``: the largest f on a curve g = 0 is where a contour of f just
touches the curve, so there ∇f and ∇g are parallel: ∇f = λ∇g.

Course example: f = x²y on the unit circle g = x² + y² − 1 = 0; the maximum 2/(3√3) = 2√3/9 ≈ 0.3849
lies where x² = 2y² (and y > 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._lagrange import (
    Locus,
    Problem,
    Scale,
    Slide,
    Sweep,
    Verdicts,
    X,
    Y,
    check_pair,
    constraint_map,
    coordinates,
    f_at,
    grad_values,
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
from mfml_anim.storyboard import Step, Value, claim, define

F_LABEL, G_LABEL, SCALED_LABEL = r"\nabla f", r"\nabla g", r"\lambda \nabla g"


@dataclass(frozen=True)
class LagrangeParams(LessonParams):
    f: str = expr("x**2*y", "the function to make as large as possible", ("x", "y"))
    g: str = expr("x**2+y**2-1", "the constraint: only points with g = 0 count", ("x", "y"))

    def check(self) -> None:
        check_pair(self.expr("f"), self.expr("g"))


def build(params: LagrangeParams) -> tuple[Step, ...]:
    f, g = params.expr("f"), params.expr("g")
    sol = solve(f, g)
    cmap = constraint_map(sol)
    pts = sol.points
    # the touching point shown with arrows: the largest f, rightmost of any that tie
    tops = [p for p in pts if p.kind == "maximum"] or [pts[0]]
    top = max(tops, key=lambda p: (p.x, p.y))
    k_top = pts.index(top) + 1
    values: dict[str, Value] = {}
    for k, p in enumerate(pts, start=1):
        values.update(point_values(sol, k, p))
    touching = tuple(spot(pts.index(p) + 1) for p in tops)
    top_f = f_at(sol, top)
    cx, cy, cl = coordinates(sol, top)
    grads = grad_values(sol, k_top, top)
    at = sp.Subs(gradient(f), (X, Y), (cx, cy))
    scaled = sp.Mul(cl, sp.Subs(gradient(g), (X, Y), (cx, cy)), evaluate=False)
    relation = claim(at, scaled, labels=(F_LABEL, SCALED_LABEL), approx=4)
    par, det = parallel_formula(f, g)
    n = len(pts)
    biggest = "maximum" if n > 1 else "only stationary value"
    return (
        Step(
            "problem",
            "Find the largest value of f, but only on the curve where g = 0: the contours of f "
            "are drawn, and the curve over them.",
            problem_formulas(f, g),
            screen=Problem(cmap),
        ),
        Step(
            "sweep",
            f"Raise the contour level until the contour of f only just touches the curve. "
            f"Its level, {values[f'p{k_top}_f'].shown()}, is the {biggest} of f on g = 0.",
            (top_f,),
            {**values},
            screen=Sweep(cmap, sweep_start(sol, top), ValueKey(f"p{k_top}_f"), touching),
        ),
        Step(
            "slide",
            "Slide along the curve. Where a contour crosses it, ∇f and ∇g point different ways; "
            "where a contour touches it, they line up.",
            (define(F_LABEL, gradient(f)), define(G_LABEL, gradient(g))),
            {f"p{k_top}_x": values[f"p{k_top}_x"], f"p{k_top}_y": values[f"p{k_top}_y"]},
            screen=Slide(cmap, spot(k_top), gradient(f), gradient(g), F_LABEL, G_LABEL),
        ),
        Step(
            "lambda",
            f"Parallel means one is a multiple of the other: ∇f = λ∇g, here with "
            f"λ = {values[f'p{k_top}_lambda'].shown()}.",
            (relation, define(sol.lam, cl, approx=4)),
            {
                **grads,
                f"p{k_top}_x": values[f"p{k_top}_x"],
                f"p{k_top}_y": values[f"p{k_top}_y"],
                f"p{k_top}_lambda": values[f"p{k_top}_lambda"],
            },
            screen=Scale(
                cmap,
                spot(k_top),
                (ValueKey("grad_f_x"), ValueKey("grad_f_y")),
                (ValueKey("grad_g_x"), ValueKey("grad_g_y")),
                ValueKey(f"p{k_top}_lambda"),
                F_LABEL,
                G_LABEL,
                SCALED_LABEL,
            ),
        ),
        Step(
            "parallel",
            f"∇f and ∇g are parallel where this determinant is zero: the dashed curve. "
            f"It crosses g = 0 at {n} point{'s' if n > 1 else ''}, every candidate.",
            (par,),
            {**values},
            screen=Locus(cmap, det, spots_of(pts)),
        ),
        Step(
            "answer",
            (
                f"Compare f at the candidates: the largest, {values[f'p{k_top}_f'].shown()}, "
                f"is at {letter(k_top)}; the smallest at {letter(n)}."
            )
            if n > 1
            else f"The only candidate is {letter(k_top)}, with f = {values[f'p{k_top}_f'].shown()}.",
            (top_f, f_at(sol, pts[-1])) if n > 1 else (top_f,),
            {**values},
            screen=Verdicts(cmap, spots_of(pts, with_verdict=True), touching),
        ),
    )


LESSON = Lesson(
    slug="lagrange-multipliers",
    module=5,
    title="Lagrange multipliers",
    summary="contours of f rising until one touches the constraint; there ∇f = λ∇g",
    params=LagrangeParams,
    build=build,
    scene="scenes.lagrange_multipliers:LagrangeMultipliers",
    examples=(
        {"f": "x+y", "g": "x**2+y**2-1"},
        {"f": "x*y", "g": "x**2/4+y**2-1"},
        {"f": "x**2+2*y", "g": "x+y-1"},
    ),
)
