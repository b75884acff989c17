"""Layout lint: every lesson is clean for its defaults and its examples, and the checks can fail."""

from __future__ import annotations

import pytest
from manim import Square, Text

from mfml_anim import lessons
from mfml_anim.lint import frame_problems, lint_lesson

SLUGS = lessons.available()


@pytest.mark.sweep  # make test runs these checks inside each lesson's smoke render (test_render.py)
@pytest.mark.parametrize("slug", SLUGS)
def test_defaults_lint_clean(slug: str) -> None:
    assert lint_lesson(lessons.get(slug)) == []


@pytest.mark.sweep  # 29 more dry runs (about 40 s each on this 2-core machine): make check-all
@pytest.mark.parametrize("slug", SLUGS)
def test_first_example_lint_clean(slug: str) -> None:
    les = lessons.get(slug)
    assert lint_lesson(les, les.make_params(les.examples[0])) == []


EXAMPLES = [(slug, i) for slug in SLUGS for i in range(1, len(lessons.get(slug).examples))]


@pytest.mark.sweep
@pytest.mark.parametrize("slug,index", EXAMPLES, ids=[f"{s}-{i}" for s, i in EXAMPLES])
def test_every_other_example_lint_clean(slug: str, index: int) -> None:
    """The rest of the examples: layout, TeX provenance and true axes (``make check-all``)."""
    les = lessons.get(slug)
    assert lint_lesson(les, les.make_params(les.examples[index])) == []


class FakeScene:
    def __init__(self, *mobs: object) -> None:
        self.mobjects = list(mobs)


def test_lint_catches_overlap_offframe_and_small_text() -> None:
    a = Text("hello", font_size=36)
    b = Text("world", font_size=36).move_to(a)  # on top of a
    off = Text("off", font_size=36).move_to([7.5, 0, 0])
    tiny = Text("tiny", font_size=12).move_to([0, 2, 0])
    square = Square(side_length=1).move_to([0, 3.9, 0])
    problems = " | ".join(frame_problems(FakeScene(a, b, off, tiny, square), "s", 24))
    assert "overlaps" in problems
    assert "'off' leaves the safe frame" in problems
    assert "too small" in problems
    assert "Square leaves the safe frame" in problems


def test_lint_passes_clean_frame() -> None:
    a = Text("left", font_size=36).move_to([-3, 0, 0])
    b = Text("right", font_size=36).move_to([3, 0, 0])
    assert frame_problems(FakeScene(a, b), "s", 24) == []


def test_step_checker_reports_frame_and_stray_tex_once() -> None:
    """The checker a smoke render runs (MFML_LINT=1): the frame's problems after each step, and a TeX
    string not from the storyboard reported once, not again after the next step."""
    from types import SimpleNamespace

    from mfml_anim.lint import StepChecker

    board = lessons.get("chain-rule").storyboard()
    typeset = [board.steps[1].formulas[0].latex, r"\alpha + 1"]
    scene = FakeScene(Text("a", font_size=36), Text("a", font_size=36))  # two texts on top of each other
    scene.theme = SimpleNamespace(min_size=24)
    scene.board = board  # the checker reads the scene's own storyboard
    check = StepChecker(typeset)
    check(scene, board.steps[0])
    typeset.append(r"\alpha + 1")
    check(scene, board.steps[1])
    problems = check.finish()
    assert sum("overlaps" in p for p in problems) == 2
    assert [p for p in problems if "TeX" in p] == [
        f"step '{board.steps[0].id}': TeX '\\alpha + 1' typeset by the scene is not from the storyboard"
    ]
    assert typeset == []


ISSUE_CASES = [
    ("chain-rule", {"outer": "1/(1+exp(-p))", "inner": "m**2"}),
    ("definition-of-derivative", {"f": "x**3-x", "x0": "0.5"}),
]


@pytest.mark.parametrize("slug,values", ISSUE_CASES, ids=[c[0] for c in ISSUE_CASES])
def test_issue_windows_lint_clean(slug: str, values: dict[str, str]) -> None:
    """The two windows issue 9 found lying (ticks at 0.441, ...; a range blown up by a far point):
    layout, provenance and tick labels equal to their positions."""
    les = lessons.get(slug)
    assert lint_lesson(les, les.make_params(values)) == []
