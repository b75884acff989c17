"""Module 5 (Lagrange multipliers, constrained optimisation) and Module 6 (linear and non-linear
regression) lessons: the course's numbers in the default storyboards, the examples audited, one
refusal per kind of bad parameter, and the user's own CSV file end to end through the CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from mfml_anim import lessons
from mfml_anim.audit import audit
from mfml_anim.cli import app
from mfml_anim.errors import UserError
from mfml_anim.math.data import load_data
from mfml_anim.math.regression import fit_gaussian_reference

SLUGS = (
    "lagrange-multipliers",
    "constrained-optimisation",
    "simple-linear-regression",
    "non-linear-regression",
)
runner = CliRunner()


def values(slug: str, params: dict[str, str] | None = None) -> dict[str, float]:
    """Every value of the storyboard (later steps win on a repeated key, they are the same value)."""
    les = lessons.get(slug)
    board = les.storyboard(les.make_params(params or {}))
    out: dict[str, float] = {}
    for s in board.steps:
        out.update({k: v.value for k, v in s.values.items()})
    return out


def points(v: dict[str, float]) -> list[tuple[float, float, float, float]]:
    """(x, y, λ, f) of each solution p1, p2, ... in the values."""
    out = []
    k = 1
    while f"p{k}_x" in v:
        out.append((v[f"p{k}_x"], v[f"p{k}_y"], v[f"p{k}_lambda"], v[f"p{k}_f"]))
        k += 1
    return out


# --------------------------------------------------------------------------- course numbers


def test_lagrange_maximum_is_2_over_3_root_3_where_x2_is_2y2() -> None:
    pts = points(values("lagrange-multipliers"))
    top = max(p[3] for p in pts)
    assert top == pytest.approx(2 / (3 * math.sqrt(3)), rel=1e-12)
    assert round(top, 3) == 0.385
    maxima = [p for p in pts if p[3] == pytest.approx(top)]
    assert len(maxima) == 2
    for x, y, lam, _ in maxima:
        assert x * x == pytest.approx(2 * y * y) and y > 0
        # ∇f = λ∇g at the point: (2xy, x²) = λ(2x, 2y)
        assert (2 * x * y, x * x) == pytest.approx((lam * 2 * x, lam * 2 * y))


def test_constrained_optimisation_four_points_largest_at_course_point() -> None:
    pts = points(values("constrained-optimisation"))
    assert len(pts) == 4
    x, y, _, f = max(pts, key=lambda p: p[3])
    assert (round(x, 3), round(y, 3), round(f, 3)) == (-0.096, -0.425, 0.924)
    for x, y, _, _ in pts:  # every point lies on the ellipse
        assert x**2 + 3 * (y + 1) ** 2 - 1 == pytest.approx(0, abs=1e-10)


def test_linear_fit_matches_numpy_least_squares_and_chi2_uses_sigma_squared() -> None:
    v = values("simple-linear-regression")
    d = load_data("line")
    m, c = np.polyfit(d.x, d.y, 1, w=1 / d.sigma)
    assert (v["m"], v["c"]) == pytest.approx((m, c), rel=1e-10)
    best = float(np.sum((d.y - (m * d.x + c)) ** 2 / d.sigma**2))
    chi = [v[f"chi2_{k}"] for k in range(6)]
    assert chi[-1] == pytest.approx(best, rel=1e-10)
    wrong = float(np.sum((d.y - (m * d.x + c)) ** 2 / d.sigma))  # the formula sheet's σᵢ
    assert abs(chi[-1] - wrong) > 0.1
    assert all(a > b for a, b in zip(chi, chi[1:], strict=False)), chi  # χ² falls all the way


def test_linear_fit_unweighted_is_the_course_closed_form() -> None:
    v = values("simple-linear-regression", {"weights": "equal"})
    d = load_data("line")
    xbar, ybar = d.x.mean(), d.y.mean()
    m = float(np.sum((d.x - xbar) * d.y) / np.sum((d.x - xbar) ** 2))
    assert v["m"] == pytest.approx(m, rel=1e-12)
    assert v["c"] == pytest.approx(ybar - m * xbar, rel=1e-12)


def test_gaussian_fit_reaches_the_heights_optimum() -> None:
    v = values("non-linear-regression")
    d = load_data("heights")
    mu, sigma, chi2 = fit_gaussian_reference(d.x, d.y)
    assert (v["mu"], v["sigma"], v["chi2"]) == pytest.approx((mu, sigma, chi2), rel=1e-7)
    assert (round(v["mu"], 1), round(v["sigma"], 1)) == (178.5, 7.6)
    assert v["mu_0"] == 155 and v["sigma_0"] == 6
    path = []
    k = 0
    while f"chi2_{k}" in v:
        path.append(v[f"chi2_{k}"])
        k += 1
    assert len(path) > 10 and all(a >= b for a, b in zip(path, path[1:], strict=False))


@pytest.mark.parametrize("slug", SLUGS)
def test_examples_audit_clean(slug: str) -> None:
    les = lessons.get(slug)
    assert len(les.examples) >= 2
    for ex in les.examples:
        assert audit(les.storyboard(les.make_params(ex))) == [], ex


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("slug", "params", "match"),
    [
        ("lagrange-multipliers", {"g": "x**2+y**2+1"}, "does not pass through"),
        ("lagrange-multipliers", {"f": "x**2+y**2"}, "constant along g = 0"),
        ("constrained-optimisation", {"f": "2"}, "must depend on x or y"),
        ("constrained-optimisation", {"g": "x**2+y**2-100"}, "does not pass through"),
        ("non-linear-regression", {"mu0": "900"}, "far from the data"),
        ("non-linear-regression", {"sigma0": "0"}, "positive"),
        ("non-linear-regression", {"rate": "5"}, "rate"),
        ("simple-linear-regression", {"data": "no-such-file.csv"}, "data"),
        ("simple-linear-regression", {"weights": "some"}, "weights"),
    ],
)
def test_bad_parameters_are_refused(slug: str, params: dict[str, str], match: str) -> None:
    with pytest.raises(UserError, match=match):
        lessons.get(slug).make_params(params)


# --------------------------------------------------------------------------- the user's CSV, end to end


def _script(slug: str, *sets: str) -> dict:
    args = ["script", slug, "--json"]
    for s in sets:
        args += ["--set", s]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _all_values(board: dict) -> dict[str, float]:
    out: dict[str, float] = {}
    for s in board["steps"]:
        out.update(s["values"])
    return out


def test_own_csv_fits_a_line(tmp_path: Path) -> None:
    x = np.arange(0.0, 8.0)
    y = 3.0 - 0.5 * x + np.array([0.1, -0.2, 0.05, 0.0, 0.15, -0.1, 0.2, -0.05])
    p = tmp_path / "mine.csv"
    p.write_text("x,y\n" + "".join(f"{a},{b}\n" for a, b in zip(x, y, strict=True)))
    board = _script("simple-linear-regression", f"data={p}")
    v = _all_values(board)
    m, c = np.polyfit(x, y, 1)
    assert (v["m"], v["c"]) == pytest.approx((m, c), rel=1e-10)
    assert board["params"]["data"] == str(p.resolve())
    les = lessons.get("simple-linear-regression")
    assert audit(les.storyboard(les.make_params({"data": str(p)}))) == []


def test_own_csv_fits_a_gaussian(tmp_path: Path) -> None:
    x = np.linspace(0.0, 10.0, 21)
    y = np.exp(-((x - 5.5) ** 2) / (2 * 1.5**2)) / (1.5 * math.sqrt(2 * math.pi))
    p = tmp_path / "bell.csv"
    p.write_text(
        "x,y,sigma\n" + "".join(f"{float(a)!r},{float(b)!r},0.01\n" for a, b in zip(x, y, strict=True))
    )
    v = _all_values(_script("non-linear-regression", f"data={p}", "mu0=4", "sigma0=2"))
    assert (v["mu"], v["sigma"]) == pytest.approx((5.5, 1.5), rel=1e-6)
    assert v["chi2"] == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize("slug", ("simple-linear-regression", "non-linear-regression"))
@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("x,y\n1,2\n2,abc\n3,4\n", "line 3 .*'abc' is not a number"),
        ("x,sigma\n1,2\n2,3\n3,4\n", "missing column 'y'"),
        ("x,y,sigma\n1,2,0.1\n2,3,0\n3,4,0.2\n", "sigma must be positive"),
        ("x,y\n1,2\n", "at least"),
    ],
)
def test_malformed_csv_exits_2_with_one_line(tmp_path: Path, slug: str, text: str, match: str) -> None:
    import re

    p = tmp_path / "bad.csv"
    p.write_text(text)
    result = runner.invoke(app, ["script", slug, "--set", f"data={p}"])
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and re.search(match, lines[0]), result.output


# --------------------------------------------------------------------------- the render cache key


def _key(slug: str, data: str) -> str:
    from mfml_anim.render.job import RenderJob, source_files

    les = lessons.get(slug)
    params = les.make_params({"data": data})
    return RenderJob(
        lesson=slug,
        params=params.to_json(),
        scene=les.scene,
        sources=source_files(lessons.module_of(slug), les.scene_file),
    ).key()


def test_data_path_is_part_of_the_render_key(tmp_path: Path) -> None:
    text = "x,y\n1,2\n2,3.5\n3,4.1\n4,6\n"
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(text)
    b.write_text(text)
    assert _key("simple-linear-regression", str(a)) != _key("simple-linear-regression", str(b))
    assert _key("simple-linear-regression", str(a)) != _key("simple-linear-regression", "line")


def test_editing_the_data_file_changes_the_render_key(tmp_path: Path) -> None:
    p = tmp_path / "mine.csv"
    p.write_text("x,y\n1,2\n2,3.5\n3,4.1\n4,6\n")
    before = _key("simple-linear-regression", str(p))
    p.write_text("x,y\n1,2\n2,3.5\n3,4.1\n4,9\n")
    assert _key("simple-linear-regression", str(p)) != before
