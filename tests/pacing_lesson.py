"""A three-step lesson made only for the player's tests (captions, pacing): formula screens only,
so a dry run or a render of it takes seconds, not the minute of a course lesson."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons.screens import Formulas
from mfml_anim.params import LessonParams
from mfml_anim.storyboard import Step, claim, define
from mfml_anim.visual.player import LessonScene

X = sp.Symbol("x")


@dataclass(frozen=True)
class NoParams(LessonParams):
    """The test lesson has nothing to set."""


def build(params: NoParams) -> tuple[Step, ...]:
    f = X**3 - 2 * X
    return (
        Step(
            "function",
            "A cubic with a dip in the middle, written out in full for everyone.",
            (define("f(x)", f),),
            screen=Formulas(),
        ),
        Step("slope", "Its gradient.", (define("f'(x)", sp.diff(f, X)),), screen=Formulas()),
        Step("at-one", "At one it is one.", (claim(sp.diff(f, X).subs(X, 1)),), screen=Formulas()),
    )


def build_repeated(params: NoParams) -> tuple[Step, ...]:
    """The same screen twice in a row (the second step writes the first step's formula again)."""
    first, second, _ = build(params)
    return (first, second, Step("again", "Its gradient, once more.", second.formulas, screen=Formulas()))


LESSON = Lesson(
    slug="pacing-test",
    module=1,
    title="Pacing test",
    summary="three formula screens",
    params=NoParams,
    build=build,
    scene="tests.pacing_lesson:PacingScene",
)
REPEATED = Lesson(
    slug="pacing-test-repeated",
    module=1,
    title="Pacing test",
    summary="a screen shown twice",
    params=NoParams,
    build=build_repeated,
    scene="tests.pacing_lesson:RepeatedScene",
)


class PacingScene(LessonScene):
    lesson = LESSON


class RepeatedScene(LessonScene):
    lesson = REPEATED
