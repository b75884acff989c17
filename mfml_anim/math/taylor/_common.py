"""Names every part of the Taylor package shares: the order cap, the number type, the one-line
parameter error and how a point is written in messages."""

from __future__ import annotations

from typing import TypeAlias, TypeVar

import sympy as sp

from mfml_anim.errors import ParamError

T = TypeVar("T")

MAX_ORDER = 12

Number: TypeAlias = int | float | sp.Expr


def _fail(param: str, why: str) -> ParamError:
    return ParamError(param, why)


def point_text(a: sp.Expr) -> str:
    """How a point is written in messages: ``4``, ``0.5`` (not 1/2 when the user typed 0.5), ``pi/2``."""
    if a.is_Integer:
        return str(int(a)) if abs(a) < 10**7 else f"{float(a):g}"
    if a.is_Rational:
        f = float(a)
        return repr(f) if sp.Rational(repr(f)) == a else sp.sstr(a)
    return sp.sstr(a)
