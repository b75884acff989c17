"""Domain checks of the Module 2 lessons (issue 9.2): every parameter a user can set is checked
against what the lesson evaluates or draws, and refused with one line and exit 2 before anything is
built; unusual but valid values still audit clean. Through the CLI (script and audit validate the
parameters exactly as render does; one render refusal checks that nothing is written)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp
from typer.testing import CliRunner

from mfml_anim.cli import app
from mfml_anim.math.domain import grid_problem, kink_problem, partials_problem
from mfml_anim.math.parse import symbol

runner = CliRunner()


def _one_line_exit_2(args: list[str]) -> str:
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    err = r.stderr.strip()
    assert err and "\n" not in err and "Traceback" not in r.output, err
    return err


# (lesson, --set values, the parameter named, a word of the reason)
REFUSED = [
    ("variables-constants-context", ["m=sqrt(-r)*h"], "m", "not defined"),
    ("variables-constants-context", ["m=log(-h)*r"], "m", "not defined"),
    ("differentiate-wrt-anything", ["f=log(x)"], "f", "t = 0.5"),  # x = t - 1 < 0 on the window
    ("differentiate-wrt-anything", ["z=log(t-1)"], "z", "window"),
    ("differentiate-wrt-anything", ["x=sqrt(t-1)"], "x", "window"),
    ("differentiate-wrt-anything", ["y=1/(t-2)"], "y", "window"),  # a pole inside the drawn t-range
    ("differentiate-wrt-anything", ["at=5"], "at", "range"),  # the tangent's t outside the drawn window
    ("differentiate-wrt-anything", ["f=abs(x-1)", "x=t", "at=1"], "at", "no derivative"),  # a corner
    ("jacobians", ["f=abs(x)+y", "point=0,0,0"], "point", "does not exist"),  # a corner
    ("jacobians", ["f=log(x*y)", "point=1,-1,0"], "point", "not defined"),
    ("jacobians", ["point=1,1,1", "other=0,0,0", "f=sqrt(x)*y+z"], "other", "not defined"),
    ("jacobians", ["point=50,0,0"], "point", "[-10, 10]"),
    ("jacobian-applied", ["f=log(x)"], "f", "map"),
    ("jacobian-applied", ["f=1/(x**2+y**2)"], "f", "map"),  # a pole at the middle of the map
    ("jacobian-applied", ["points=0,0", "f=abs(x)+y"], "points", "does not exist"),
    ("jacobian-applied", ["points=3,0"], "points", "outside the map"),
    ("jacobian-applied", ["u=sqrt(x)"], "u", "does not exist"),
    ("jacobian-applied", ["v=log(y)"], "v", "not defined"),
    ("sandpit", ["start=4,0"], "start", "sandpit"),
    ("sandpit", ["probes=1"], "probes", "range"),
    ("sandpit", ["seed=-1"], "seed", "range"),
    ("sandpit", ["start=nan,0"], "start", "finite"),
    ("sandpit-2", ["start=0,-3.5"], "start", "sandpit"),
    ("sandpit-2", ["probes=0"], "probes", "range"),
    ("hessian", ["g=x**2+y**2+sqrt(x)"], "g", "stationary"),  # Jacobian never zero where real
    ("hessian", ["g=(x-1)**2+abs(y)**3"], "g", "kink"),  # crashed the stationary-point solver
    ("hessian", ["g=(x-1)**2+y**2+abs(x-1)*x**2"], "g", "kink"),
]


@pytest.mark.parametrize("slug,values,param,why", REFUSED, ids=[f"{s}:{v[-1]}" for s, v, _, _ in REFUSED])
def test_refused_one_line_exit_2(slug: str, values: list[str], param: str, why: str) -> None:
    sets = [a for v in values for a in ("--set", v)]
    err = _one_line_exit_2(["script", slug, *sets])
    assert f"--set {param}:" in err and why in err, err
    assert _one_line_exit_2(["audit", slug, *sets]) == err  # audit refuses the same way, no crash


def test_render_refuses_before_anything_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    err = _one_line_exit_2(
        ["render", "jacobians", "--set", "f=abs(x)+y", "--set", "point=0,0,0", "--out", str(out)]
    )
    assert "--set point:" in err
    assert not out.exists() or not any(out.iterdir())


# unusual values that are fine: they must pass the checks and audit clean
ACCEPTED = [
    ("variables-constants-context", ["m=r*h/(r-1)"]),  # singular at r = 1 only: other cans are fine
    ("variables-constants-context", ["m=rho*t*(2*pi*r**2+2*pi*r*h)**(1/2)"]),
    ("differentiate-wrt-anything", ["f=log(x)", "x=t**2"]),
    ("differentiate-wrt-anything", ["z=1/(t+1)", "f=x*y/z"]),
    ("jacobians", ["f=sqrt(x)*y", "point=4,1,0"]),
    ("jacobians", ["f=exp(-x**2)*sin(y)*z", "point=-9.5,3,1", "other=0.5,-0.5,2"]),
    ("jacobian-applied", ["f=abs(x)*y+x", "points=0,0;1,-1"]),  # |x|y has both partials at 0
    ("jacobian-applied", ["f=sin(x)*cos(y)", "points=-2.5,2.5", "u=exp(x)", "v=x*y+y"]),
    ("sandpit", ["start=3,-3", "probes=2", "seed=9999"]),
    ("hessian", ["g=(x-1)**2+(y+2)**2", "f=sin(x*y*z)"]),
    ("hessian", ["g=x**4-2*x**2+y**2"]),
]


@pytest.mark.parametrize("slug,values", ACCEPTED, ids=[f"{s}:{v[0]}" for s, v in ACCEPTED])
def test_unusual_valid_values_audit_clean(slug: str, values: list[str]) -> None:
    r = runner.invoke(app, ["audit", slug, *[a for v in values for a in ("--set", v)]])
    assert r.exit_code == 0, r.output
    assert "ok" in r.output


def test_partials_problem_names_the_failing_derivative() -> None:
    x, y = symbol("x"), symbol("y")
    assert partials_problem(x**2 * y, {x: 1.0, y: 2.0}) is None
    assert "∂f/∂y" in (partials_problem(x * sp.Abs(y), {x: 1.0, y: 0.0}) or "")
    second = partials_problem(x**2 + y * sp.sqrt(x) ** 3, {x: 0.0, y: 1.0}, order=2)
    assert second is not None and "∂x" in second  # f and ∂f/∂x fine at 0, ∂²f/∂x² = 3y/(4√x) is not


def test_grid_and_kink_problems() -> None:
    x, y = symbol("x"), symbol("y")
    assert grid_problem(sp.exp(-(x**2 + y**2)), [x, y], (-2.5, 2.5)) is None
    assert "(x, y) = (0, 0)" in (grid_problem(1 / (x**2 + y**2), [x, y], (-2.5, 2.5)) or "")
    assert grid_problem(sp.sqrt(x + 3), [x, y], (-2.5, 2.5)) is None
    assert kink_problem(x**3 * y + x + 2 * y, [x, y]) is None
    assert "first" in (kink_problem(sp.Abs(x) ** 2 * sp.sign(x) + y, [x, y]) or "first")
