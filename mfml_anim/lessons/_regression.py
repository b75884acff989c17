"""Storyboard pieces shared by the two regression lessons (Module 6): the ``data`` parameter (a
bundled data set or the user's CSV file), the data as screen data, and χ² as a sympy expression
of the model's parameters built from the data (so every χ² shown is audited against it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from mfml_anim.math.data import BUNDLED, XYData, load_data
from mfml_anim.params import Spec
from mfml_anim.screen import Data

DATA_KIND = f"data set: {', '.join(BUNDLED)} or a CSV path"


def data_field(default: str, help: str, *, min_rows: int, min_distinct_x: int) -> Any:
    """A ``data`` parameter: a bundled data set's name, or a path to a CSV file (header ``x,y`` or
    ``x,y,sigma``). The file is read and checked when the parameter is set, so a malformed file is
    one line and exit code 2 before anything is rendered; a path is stored absolute, so the
    parameters name the same file from any working directory."""

    def parse(text: str, name: str) -> str:
        t = text.strip()
        if t in BUNDLED:
            load_data(t, param=name, min_rows=min_rows, min_distinct_x=min_distinct_x)
            return t
        path = Path(t).expanduser()
        load_data(path, param=name, min_rows=min_rows, min_distinct_x=min_distinct_x)
        return str(path.resolve())

    return field(default=default, metadata={"spec": Spec(DATA_KIND, help, parse)})


@dataclass(frozen=True)
class Points(Data):
    """The data as drawn: x, y and the uncertainties σᵢ (error bars only when the data gave them)."""

    x: tuple[float, ...]
    y: tuple[float, ...]
    sigma: tuple[float, ...]
    error_bars: bool


def points_of(d: XYData, use_sigma: bool = True) -> Points:
    sig = d.sigma if use_sigma else np.ones(len(d))
    return Points(
        tuple(float(v) for v in d.x),
        tuple(float(v) for v in d.y),
        tuple(float(v) for v in sig),
        bool(d.sigma_given and use_sigma),
    )


def chi2_expression(model: sp.Expr, xvar: sp.Symbol, pts: Points) -> sp.Expr:
    """χ² = Σ (yᵢ − y(xᵢ))² / σᵢ² as a sympy expression in the model's parameters, the data put in
    as exact decimals (σᵢ squared: the course's formula sheet divided by σᵢ)."""
    terms = []
    for xi, yi, si in zip(pts.x, pts.y, pts.sigma, strict=True):
        fx = model.subs(xvar, sp.Float(xi, 17))
        terms.append((sp.Float(yi, 17) - fx) ** 2 / sp.Float(si, 17) ** 2)
    return sp.Add(*terms)


def spread(values: Sequence[float], pad: float = 0.08) -> tuple[float, float]:
    lo, hi = float(min(values)), float(max(values))
    span = hi - lo if hi > lo else max(1.0, abs(hi))
    return lo - pad * span, hi + pad * span
