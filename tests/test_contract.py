"""The lesson ↔ scene contract, checked over every lesson with its defaults and every example.

* the registry is the one declaration: every lesson module is registered, and a module that does
  not import is an error naming it;
* every step's screen is a typed Screen whose type the scene's table can draw, with a handler whose
  annotated screen parameter is exactly that type, and whose value keys exist in the step;
* every drawing method in every table is used by at least one parameter set (no dead drawing code);
* a screen the scene cannot draw fails dispatch with the lesson, step and type named;
* scenes never read storyboard data by position or dict order, nor dispatch by strings.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import get_type_hints

import pytest
import sympy as sp

from mfml_anim import lessons
from mfml_anim.lessons import COURSE, Lesson, RegistryError
from mfml_anim.lessons.screens import Formulas, Plot, Tangent
from mfml_anim.screen import ContractError, Data, Screen
from mfml_anim.storyboard import Step, Storyboard, Value

ROOT = Path(__file__).resolve().parents[1]
LESSON_DIR = ROOT / "mfml_anim" / "lessons"
NOT_LESSONS = {"__init__.py", "screens.py"}

pytest.importorskip("manim")
from mfml_anim.visual.player import LessonScene  # noqa: E402 - after the skip

SLUGS = lessons.available()


def scene_class(lesson: Lesson) -> type[LessonScene]:
    mod, cls = lesson.scene.split(":")
    return getattr(importlib.import_module(mod), cls)


def boards(lesson: Lesson) -> list[tuple[str, Storyboard]]:
    """The storyboards of the defaults and of every example (built once per test session)."""
    return _boards(lesson.slug)


@functools.cache
def _boards(slug: str) -> list[tuple[str, Storyboard]]:
    lesson = lessons.get(slug)
    return [("defaults", lesson.storyboard())] + [
        (str(ex), lesson.storyboard(lesson.make_params(ex))) for ex in lesson.examples
    ]


# --------------------------------------------------------------------------- registry


def test_every_lesson_module_is_registered() -> None:
    files = {
        p.stem for p in LESSON_DIR.glob("*.py") if p.name not in NOT_LESSONS and not p.name.startswith("_")
    }
    assert files == set(COURSE), f"unregistered: {files - set(COURSE)}, missing: {set(COURSE) - files}"


def test_registry_lists_course_in_declared_order() -> None:
    assert [lessons.module_of(s) for s in SLUGS] == list(COURSE)
    assert len(set(SLUGS)) == len(SLUGS)


def test_a_lesson_module_that_does_not_import_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = types.ModuleType("mfml_anim.lessons.broken_lesson")
    monkeypatch.setattr(lessons, "COURSE", (*COURSE, "no_such_lesson_module"))
    monkeypatch.setitem(sys.modules, broken.__name__, broken)
    lessons._registry.cache_clear()
    try:
        with pytest.raises(RegistryError, match="mfml_anim.lessons.no_such_lesson_module"):
            lessons.available()
        monkeypatch.setattr(lessons, "COURSE", (*COURSE, "broken_lesson"))
        lessons._registry.cache_clear()
        with pytest.raises(RegistryError, match="broken_lesson defines no LESSON"):
            lessons.get("chain-rule")
    finally:
        monkeypatch.undo()
        lessons._registry.cache_clear()
    assert lessons.available() == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_one_identity(slug: str) -> None:
    """The scene points at the very Lesson object; the storyboard carries its slug, title, module;
    the slug is written once in the lesson's module and never in its scene."""
    lesson = lessons.get(slug)
    assert scene_class(lesson).lesson is lesson
    board = lesson.storyboard()
    assert (board.lesson, board.title, board.module) == (lesson.slug, lesson.title, lesson.module)
    module_src = (LESSON_DIR / f"{lessons.module_of(slug)}.py").read_text()
    assert "Storyboard(" not in module_src, "the builder returns steps; the Lesson adds its identity"
    assert module_src.count(f'"{lesson.title}"') == 1, "the title is written more than once"
    assert "ClassVar" not in module_src, "parameter classes do not repeat the slug"
    assert f'"{slug}"' not in (ROOT / lesson.scene_file).read_text()


# --------------------------------------------------------------------------- screens ↔ tables


def screen_parameter(handler: object) -> object:
    params = list(inspect.signature(handler).parameters)  # type: ignore[arg-type]  # a table value is a handler function
    assert params[:2] == ["self", "step"] and len(params) == 3, f"{handler}: expected (self, step, screen)"
    return get_type_hints(handler)[params[2]]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_step_screen_resolves_with_its_type(slug: str) -> None:
    lesson = lessons.get(slug)
    scene = scene_class(lesson)
    table = scene.screen_table()
    for name, board in boards(lesson):
        for step in board.steps:
            where = f"{slug} [{name}] step '{step.id}'"
            assert isinstance(step.screen, Screen), where
            kind = type(step.screen)
            assert kind in table, f"{where}: {scene.__name__} cannot draw {kind.__name__}"
            assert screen_parameter(table[kind]) is kind, f"{where}: handler annotated for another type"
            for key in step.screen.value_keys():
                assert key in step.values, f"{where}: screen shows '{key}', not in the step's values"


def test_every_drawing_method_is_used() -> None:
    """Over every parameter set of every lesson, each handler in each SCREENS table (of every class
    in the scenes' hierarchies) is the one some step is dispatched to."""
    used: set[object] = set()
    classes: set[type] = set()
    for slug in SLUGS:
        lesson = lessons.get(slug)
        scene = scene_class(lesson)
        classes.update(k for k in scene.__mro__ if "SCREENS" in k.__dict__)
        table = scene.screen_table()
        for _, board in boards(lesson):
            used.update(table[type(s.screen)] for s in board.steps)
    dead = [
        f"{k.__name__}.{h.__name__}" for k in classes for h in k.__dict__["SCREENS"].values() if h not in used
    ]
    assert not dead, f"drawing methods no parameter set reaches: {dead}"
    assert LessonScene in classes


def test_scene_methods_named_draw_are_in_the_table() -> None:
    for slug in SLUGS:
        scene = scene_class(lessons.get(slug))
        for klass in scene.__mro__:
            if "SCREENS" not in klass.__dict__:
                continue
            tabled = set(klass.__dict__["SCREENS"].values())
            loose = [
                n
                for n, f in vars(klass).items()
                if n.startswith("draw_") and inspect.isfunction(f) and f not in tabled
            ]
            assert not loose, f"{klass.__name__}: {loose} are not in SCREENS"


@dataclass(frozen=True)
class Stranger(Screen):
    """A screen no scene draws."""


def test_unknown_screen_fails_dispatch() -> None:
    lesson = lessons.get("chain-rule")
    step = Step("odd", "A step whose screen nobody draws.", screen=Stranger())
    with pytest.raises(ContractError, match=r"chain-rule.*'odd'.*Stranger"):
        scene_class(lesson).handler(lesson.slug, step)


def test_wrong_storyboard_fails_the_scene_before_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lesson whose builder hands the scene a screen it cannot draw fails on that step."""
    lesson = lessons.get("product-rule")
    broken = Lesson(**{**lesson.__dict__, "build": lambda p: (Step("odd", "words", screen=Stranger()),)})
    board = broken.storyboard()
    with pytest.raises(ContractError, match="Stranger"):
        scene_class(lesson).handler(broken.slug, board.steps[0])


def test_screens_are_type_checked_when_built() -> None:
    x = sp.Symbol("x")
    with pytest.raises(ContractError, match="Plot.window"):
        Plot(x**2, x, "wide")  # type: ignore[arg-type]  # a deliberately wrong type: the test checks it is refused
    with pytest.raises(ContractError, match="Tangent.slope"):
        Tangent(1.0, 3)  # type: ignore[arg-type]  # a deliberately wrong type: the test checks it is refused
    assert Plot(x**2, x, (0, 1)).value_keys() == ()


def test_a_screen_naming_a_missing_value_is_refused() -> None:
    x = sp.Symbol("x")
    with pytest.raises(ContractError, match="slope_at_1"):
        Step("s", "words", screen=Plot(x**2, x, (0.0, 2.0), tangent=Tangent(1.0, "slope_at_1")))
    ok = Step(
        "s",
        "words",
        values={"slope_at_1": Value(2.0, source=sp.Integer(2))},
        screen=Plot(x**2, x, (0.0, 2.0), tangent=Tangent(1.0, "slope_at_1")),
    )
    assert ok.value("slope_at_1").value == 2.0
    with pytest.raises(ContractError, match="no value 'other'"):
        ok.value("other")


def test_step_needs_a_screen() -> None:
    with pytest.raises(TypeError):
        Step("s", "words")  # type: ignore[call-arg]  # the screen is left out on purpose: it must be refused
    with pytest.raises(ContractError, match="must be a Screen"):
        Step("s", "words", screen="formulas")  # type: ignore[arg-type]  # a deliberately wrong type: the test checks it is refused
    assert isinstance(Step("s", "words", screen=Formulas()).screen, Data)


# --------------------------------------------------------------------------- static rules for scenes

FORBIDDEN = {
    "handler_for": re.compile(r"\bhandler_for\b"),
    "getattr(self, 'step_...')": re.compile(r"getattr\(\s*self\s*,\s*[\"']step_"),
    "def step_...": re.compile(r"def step_"),
    ".formulas[<digit>]": re.compile(r"\.formulas\[\s*-?\d"),
    ".parts[<digit>]": re.compile(r"\.parts\[\s*-?\d"),
    ".values.values()": re.compile(r"\.values\.values\(\)"),
    "iter(...values)": re.compile(r"iter\([^)]*\.values\b"),
    ".steps[<digit>]": re.compile(r"\.steps\[\s*-?\d"),
    "board.step(...)": re.compile(r"board\.step\("),
    "step.visual": re.compile(r"\bstep\.visual\b|\.visual\["),
    "lesson_slug": re.compile(r"\blesson_slug\b"),
}
SCENE_FILES = sorted((ROOT / "scenes").glob("*.py")) + [
    ROOT / "mfml_anim" / "visual" / "sequences.py",
    ROOT / "mfml_anim" / "visual" / "player.py",
]


@pytest.mark.parametrize("path", SCENE_FILES, ids=lambda p: p.name)
def test_scenes_read_storyboard_data_only_through_screens(path: Path) -> None:
    src = path.read_text()
    found = [name for name, rx in FORBIDDEN.items() if rx.search(src)]
    assert not found, f"{path.name}: {found}"
