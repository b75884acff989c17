"""Every lesson's storyboard passes the audit: for its defaults, its listed examples, and for
seeded random values of its numeric parameters."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest

from mfml_anim import lessons
from mfml_anim.audit import audit
from mfml_anim.errors import UserError
from mfml_anim.params import spec_of

SLUGS = lessons.available()


@pytest.mark.parametrize("slug", SLUGS)
def test_defaults_pass_audit(slug: str) -> None:
    les = lessons.get(slug)
    board = les.storyboard()
    assert audit(board) == []
    json.dumps(board.to_json())  # serialisable
    assert 30 <= board.min_duration + 3 <= 130, board.min_duration
    assert all(s.narration for s in board.steps)


@pytest.mark.parametrize("slug", SLUGS)
def test_examples_pass_audit(slug: str) -> None:
    les = lessons.get(slug)
    assert les.examples, f"{slug} lists no example parameter sets"
    for ex in les.examples:
        assert audit(les.storyboard(les.make_params(ex))) == [], ex


def _random_formula(rng: random.Random, variables: tuple[str, ...], kinds: tuple[str, ...]) -> str:
    """A small random formula in the given variables: sums of products of powers and functions."""
    terms = []
    for _ in range(rng.randint(1, 3)):
        v = rng.choice(variables)
        kind = rng.choice(kinds)
        c = rng.choice([1, 2, 3, -1, -2])
        if kind == "poly":
            other = rng.choice(variables)
            terms.append(f"{c}*{v}**{rng.randint(1, 3)}*{other}**{rng.randint(0, 2)}")
        elif kind == "exp":
            terms.append(f"{c}*exp({v}/{rng.randint(2, 4)})")
        else:
            terms.append(f"{c}*sin({v})")
    return "+".join(terms)


@pytest.mark.parametrize("slug", SLUGS)
def test_random_formula_params_pass_audit(slug: str) -> None:
    """Random formulas for every formula parameter (lessons may refuse some; the rest must audit)."""
    les = lessons.get(slug)
    fields = [f for f in dataclasses.fields(les.params) if spec_of(f).variables]
    if not fields:
        pytest.skip("no formula parameters")
    rng = random.Random(f"formula-{slug}")
    checked = 0
    # mixed formulas first; power sums only for lessons that are about the power rule
    for kinds in [("poly", "poly", "exp", "sin")] * 8 + [("poly",)] * 4:
        if checked >= 4:
            break
        values = {}
        for f in fields:
            vs = spec_of(f).variables
            text = _random_formula(rng, vs, kinds)
            values[f.name] = (
                text if "formulas" not in spec_of(f).kind else f"{text};{_random_formula(rng, vs, kinds)}"
            )
        try:
            params = les.make_params(values)
            board = les.storyboard(params)
        except UserError:
            continue
        assert audit(board) == [], values
        checked += 1
    assert checked >= 1, "every random formula was refused"


@pytest.mark.parametrize("slug", SLUGS)
def test_random_numeric_params_pass_audit(slug: str) -> None:
    les = lessons.get(slug)
    rng = random.Random(slug)
    numeric = [
        f for f in dataclasses.fields(les.params) if spec_of(f).lo is not None and spec_of(f).hi is not None
    ]
    if not numeric:
        pytest.skip("no bounded numeric parameters")
    checked = 0
    for _ in range(4):
        values = {}
        for f in numeric:
            s = spec_of(f)
            v = rng.uniform(s.lo, s.hi)  # type: ignore[arg-type]  # numeric specs have lo/hi set (the test picks them)
            values[f.name] = str(round(v)) if "integer" in s.kind else f"{v:.3f}"
        try:
            params = les.make_params(values)
        except UserError:
            continue  # a lesson may refuse a point where its maths is undefined; that is tested elsewhere
        assert audit(les.storyboard(params)) == [], values
        checked += 1
    assert checked >= 2


@pytest.mark.parametrize("slug", SLUGS)
def test_narration_fits_two_caption_lines(slug: str) -> None:
    import textwrap

    from mfml_anim.visual.layout import CAPTION_CHARS_PER_LINE

    for step in lessons.get(slug).storyboard().steps:
        lines = textwrap.wrap(step.narration, CAPTION_CHARS_PER_LINE)
        assert len(lines) <= 2, f"{step.id}: {step.narration!r}"
