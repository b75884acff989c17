"""Layout lint: every lesson is clean for its defaults and its examples, and the checks can fail."""

from __future__ import annotations

import pytest
from manim import Square, Text

from mfml_anim import lessons
from mfml_anim.lint import frame_problems, lint_lesson
from mfml_anim.visual.theme import DARK

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
    problems = " | ".join(frame_problems(FakeScene(a, b, off, tiny, square), "s", DARK.min_digit_px))
    assert "overlaps" in problems
    assert "'off' leaves the safe frame" in problems
    assert "too small" in problems
    assert "Square leaves the safe frame" in problems


def test_lint_passes_clean_frame() -> None:
    a = Text("left", font_size=36).move_to([-3, 0, 0])
    b = Text("right", font_size=36).move_to([3, 0, 0])
    assert frame_problems(FakeScene(a, b), "s", DARK.min_digit_px) == []


def _too_small(*mobs: object, scene: object | None = None) -> list[str]:
    target = scene if scene is not None else FakeScene(*mobs)
    return [p for p in frame_problems(target, "s", DARK.min_digit_px) if "too small" in p]


def test_floor_is_digit_height_at_480p_for_every_kind_of_text() -> None:
    """Issue 18: TeX digits at font size 24 (the old floor) are 10 px tall at 854x480 and must fail;
    at the theme's floor size they reach 13 px. Pango Text is larger at one size (16 px at 24), so its
    floor is its own; a DecimalNumber, a Tex and a label shrunk by a later scale are all measured."""
    from manim import DecimalNumber, MathTex, Tex

    assert _too_small(MathTex("0.25", font_size=24))
    assert _too_small(DecimalNumber(0.25, font_size=24))
    assert _too_small(Tex("level 3", font_size=24))
    assert _too_small(MathTex("0.25", font_size=DARK.min_size).scale(0.8))  # fitted into a box
    assert _too_small(Text("w > 0", font_size=16))
    assert not _too_small(MathTex("0.25", font_size=DARK.min_size))
    assert not _too_small(DecimalNumber(0.25, font_size=DARK.min_size))
    assert not _too_small(Text("w > 0", font_size=DARK.min_text_size))


def test_floor_sees_axis_numbers() -> None:
    """Tick numbers are DecimalNumbers inside an Axes: at the old size they fail, at the floor not."""
    from manim import Axes

    def axes(size: int) -> Axes:
        return Axes(
            x_range=[0, 4, 1], y_range=[0, 2, 1], x_length=6, y_length=3, axis_config={"font_size": size}
        )

    small = axes(24)
    small.add_coordinates()
    problems = _too_small(small)
    assert problems and all("DecimalNumber" in p for p in problems)
    ok = axes(DARK.min_size)
    ok.add_coordinates()
    assert not _too_small(ok)


def test_floor_measures_3d_labels_as_projected_and_fixed_in_frame_as_drawn() -> None:
    """In a 3-D scene a label is drawn through the camera: one at the floor size far behind the
    focus is projected smaller and fails; the same label fixed in frame is drawn as it is and passes."""
    from manim import DEGREES, MathTex, ThreeDScene, tempconfig

    with tempconfig({"dry_run": True, "quality": "low_quality"}):
        scene = ThreeDScene()
        scene.set_camera_orientation(phi=0 * DEGREES, theta=-90 * DEGREES, focal_distance=6)
        far = MathTex("2.5", font_size=DARK.min_size).move_to([2, 0, -6])
        fixed = MathTex("2.5", font_size=DARK.min_size).move_to([-2, 0, -6])
        scene.add(far, fixed)
        scene.add_fixed_in_frame_mobjects(fixed)
        problems = _too_small(scene=scene)
    assert len(problems) == 1 and "'2.5'" in problems[0]
    assert far.font_size == pytest.approx(DARK.min_size)  # its own size says nothing is wrong


def test_floor_reads_a_label_transformed_into_other_glyphs_at_its_size() -> None:
    """newton-raphson turns its label x_0 into x_1, x_2 (Transform keeps the first glyphs' reference
    height, so the size read back is 29.3 of 30): still at the floor; a label really at 28 is not."""
    from manim import MathTex, Transform

    label = MathTex("x_{0}", font_size=DARK.min_size)
    move = Transform(label, MathTex("x_{1}", font_size=DARK.min_size))
    move.begin()
    move.interpolate(1)
    move.finish()
    assert label.font_size < DARK.min_size - 0.5
    assert not _too_small(label)
    assert _too_small(MathTex("x_{1}", font_size=28))


def test_floor_follows_a_moving_camera() -> None:
    """A moving camera zoomed out (its frame twice as tall) draws a floor-size label at half height."""
    from manim import MathTex, MovingCameraScene, tempconfig

    with tempconfig({"dry_run": True, "quality": "low_quality"}):
        scene = MovingCameraScene()
        label = MathTex("2.5", font_size=DARK.min_size)
        scene.add(label)
        assert not _too_small(scene=scene)
        scene.camera.frame.scale(2)
        assert _too_small(scene=scene)


def test_step_checker_reports_frame_and_stray_tex_once() -> None:
    """The checker a smoke render runs (MFML_LINT=1): the frame's problems after each step, and a TeX
    string not from the storyboard reported once, not again after the next step."""
    from types import SimpleNamespace

    from mfml_anim.lint import StepChecker

    board = lessons.get("chain-rule").storyboard()
    typeset = [board.steps[1].formulas[0].latex, r"\alpha + 1"]
    scene = FakeScene(Text("a", font_size=36), Text("a", font_size=36))  # two texts on top of each other
    scene.theme = SimpleNamespace(min_digit_px=DARK.min_digit_px)
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
