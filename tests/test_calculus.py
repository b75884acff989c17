"""Module 1 maths against sympy and the course's worked examples."""

from __future__ import annotations

import random

import pytest
import sympy as sp

from mfml_anim.math.calculus import (
    H,
    chain_rule,
    derivative_from_limit,
    numeric_derivative,
    power_rule_term,
    product_rule,
    secant_slope,
    sum_and_power_rule,
)
from mfml_anim.math.parse import parse_expression, symbol

x, m, p = symbol("x"), symbol("m"), symbol("p")


@pytest.mark.parametrize(
    "f,expected",
    [
        (3 * x**2, 6 * x),
        (1 / x, -1 / x**2),
        (sp.exp(x), sp.exp(x)),
        (sp.sin(x), sp.cos(x)),
        (sp.cos(x), -sp.sin(x)),
        (x**5 - 2 * x, 5 * x**4 - 2),
    ],
)
def test_limit_definition_matches_course_and_sympy(f: sp.Expr, expected: sp.Expr) -> None:
    d = derivative_from_limit(f, x)
    assert sp.simplify(d.derivative - expected) == 0
    assert sp.simplify(d.limit.doit() - expected) == 0
    assert sp.simplify(sp.limit(d.simplified, H, 0) - expected) == 0


def test_limit_for_random_polynomials() -> None:
    rng = random.Random(1)
    for _ in range(10):
        f = sum(rng.randint(-5, 5) * x**k for k in range(rng.randint(1, 5)))
        assert sp.simplify(derivative_from_limit(f, x).derivative - sp.diff(f, x)) == 0


def test_quotient_simplified_for_polynomials_cancels_dx() -> None:
    d = derivative_from_limit(3 * x**2, x)
    assert sp.simplify(d.simplified - (3 * H + 6 * x)) == 0


def test_secant_slopes_course_numbers() -> None:
    f = 3 * x**2
    assert [secant_slope(f, x, 1.0, h) for h in (1, 0.5, 0.1, 0.01)] == pytest.approx([9, 7.5, 6.3, 6.03])


def test_power_rule_term() -> None:
    shown, value = power_rule_term(-4 * x**2, x)
    assert sp.simplify(shown.doit() - value) == 0 and value == -8 * x
    assert power_rule_term(sp.sin(x), x) is None
    assert power_rule_term(sp.Integer(7), x) == (0, 0)


def test_sum_and_power_rule_steps_agree() -> None:
    f = x**3 - 4 * x**2 + 7 * x - 2
    d = sum_and_power_rule(f, x)
    assert d.result == 3 * x**2 - 8 * x + 7
    assert sp.simplify(d.split.doit() - d.result) == 0
    assert sp.simplify(d.applied.doit() - d.result) == 0


def test_product_rule_course_example() -> None:
    d = product_rule(x + 2, 3 * x - 3, x)
    assert d.result == 6 * x + 3
    assert sp.simplify(d.rule.doit() - d.result) == 0
    assert sp.simplify(d.applied.doit() - d.result) == 0


def test_chain_rule_course_example() -> None:
    outer = parse_expression("-p**2/3+p+1/5", param="outer", variables=("p",))
    inner = parse_expression("exp(m)-1", param="inner", variables=("m",))
    d = chain_rule(outer, inner, p, m)
    third = sp.Rational(1, 3) * sp.exp(m) * (5 - 2 * sp.exp(m))
    assert sp.simplify(d.result - third) == 0
    assert sp.simplify(d.direct - d.result) == 0
    assert float(d.result.subs(m, 1)) == pytest.approx(-0.3956, abs=5e-5)
    assert numeric_derivative(d.composed, m, 1.0) == pytest.approx(float(d.result.subs(m, 1)), rel=1e-6)


def test_parse_course_formulas() -> None:
    y, z, t, r, h, rho = (symbol(n) for n in ("y", "z", "t", "r", "h", "rho"))
    cases = {
        "exp(-(x**2+y**2))": (("x", "y"), sp.exp(-(x**2 + y**2))),
        "sin(x)*exp(y*z**2)": (("x", "y", "z"), sp.sin(x) * sp.exp(y * z**2)),
        "2*pi*r**2*t*rho+2*pi*r*h*t*rho": (
            ("r", "h", "t", "rho"),
            2 * sp.pi * r**2 * t * rho + 2 * sp.pi * r * h * t * rho,
        ),
        "x^3-2*x+2": (("x",), x**3 - 2 * x + 2),
        "1/t": (("t",), 1 / t),
    }
    for text, (variables, expected) in cases.items():
        assert parse_expression(text, param="f", variables=variables) == expected
