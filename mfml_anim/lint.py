"""``mfml lint``: build a lesson's frames step by step without encoding video and check the layout.

Runs the real scene with Manim's ``dry_run`` and ``skip_animations`` (every animation jumps to its
end state, nothing is encoded), and after each step inspects the text on screen:

* every text, formula and graphic inside the safe frame (the frame inset by 0.4 units);
* no two texts overlapping (beyond a hair of anti-aliasing);
* no text smaller than the theme's minimum readable size (24) at 480p;
* every axis tick label shows the number at its position (:func:`~mfml_anim.visual.graphs.tick_label_errors`);
* every TeX string the scene typesets comes from the storyboard's formulas or is a notation label
  (:func:`collecting_tex` records them, :func:`mfml_anim.audit.tex_provenance` judges them).
"""

from __future__ import annotations

import importlib
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mfml_anim.audit import storyboard_tex, tex_provenance
from mfml_anim.lessons import Lesson
from mfml_anim.params import LessonParams
from mfml_anim.render import speedups, texlock
from mfml_anim.render.job import cache_dir
from mfml_anim.storyboard import Storyboard
from mfml_anim.visual.layout import SAFE, Box

OVERLAP_TOLERANCE = 0.01  # square units; glyph boxes of neighbours may touch
SIZE_TOLERANCE = 0.5


@dataclass(frozen=True)
class TextBox:
    label: str
    box: Box
    font_size: float | None


def _text_boxes(scene: object) -> list[TextBox]:
    from manim import DecimalNumber, MarkupText, MathTex, SingleStringMathTex, Tex, Text

    text_types = (Text, MarkupText, MathTex, Tex, SingleStringMathTex, DecimalNumber)
    found: list[TextBox] = []
    seen: set[int] = set()
    for top in scene.mobjects:  # type: ignore[attr-defined]
        for m in top.get_family():
            if id(m) in seen or not isinstance(m, text_types):
                continue
            seen.update(id(sub) for sub in m.get_family())
            if not any(
                f.get_fill_opacity() > 0 or f.get_stroke_opacity() > 0 for f in m.family_members_with_points()
            ):
                continue
            if len(m.get_all_points()) == 0:
                continue
            box = Box(m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1])
            label = getattr(m, "tex_string", None) or getattr(m, "text", None) or type(m).__name__
            size = getattr(m, "font_size", None)
            found.append(TextBox(str(label)[:50], box, float(size) if size is not None else None))
    return found


def _graphic_problems(scene: object, step_id: str) -> list[str]:
    """Any drawn mobject (curve, arrow, diagram) reaching outside the safe frame."""
    out = []
    for m in scene.mobjects:  # type: ignore[attr-defined]
        if len(m.get_all_points()) == 0:
            continue
        box = Box(m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1])
        if not SAFE.contains(box, tol=0.05):
            out.append(
                f"step '{step_id}': a {type(m).__name__} leaves the safe frame "
                f"(x {box.left:.2f}..{box.right:.2f}, y {box.bottom:.2f}..{box.top:.2f})"
            )
    return out


def frame_problems(scene: object, step_id: str, min_size: float) -> list[str]:
    boxes = _text_boxes(scene)
    out = _graphic_problems(scene, step_id)
    for b in boxes:
        if not SAFE.contains(b.box):
            out.append(
                f"step '{step_id}': '{b.label}' leaves the safe frame "
                f"(x {b.box.left:.2f}..{b.box.right:.2f}, y {b.box.bottom:.2f}..{b.box.top:.2f})"
            )
        if b.font_size is not None and b.font_size < min_size - SIZE_TOLERANCE:
            out.append(
                f"step '{step_id}': '{b.label}' is too small (font size {b.font_size:.0f} < {min_size})"
            )
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i], boxes[j]
            if a.box.overlap(b.box) > OVERLAP_TOLERANCE:
                out.append(f"step '{step_id}': '{a.label}' overlaps '{b.label}'")
    out.extend(f"step '{step_id}': {e}" for e in _axis_problems(scene))
    return out


def _axis_problems(scene: object) -> list[str]:
    """Tick labels whose number is not where they sit (issue 9: axes must not lie), for every Axes
    on screen; measured in the same dry run as the layout checks, so it costs nothing extra."""
    from manim import Axes

    from mfml_anim.visual.graphs import tick_label_errors

    seen: set[int] = set()
    out: list[str] = []
    for top in scene.mobjects:  # type: ignore[attr-defined]
        for m in top.get_family():
            if isinstance(m, Axes) and id(m) not in seen:
                seen.add(id(m))
                out.extend(tick_label_errors(m))
    return out


@contextmanager
def collecting_tex() -> Iterator[list[str]]:
    """Record every TeX string typeset while active (``MathTex``, ``Tex``, ``SingleStringMathTex``).

    Wraps the constructors, so it sees what a scene really compiles, however the scene got it. Only
    the outermost construction is recorded (a ``MathTex`` as the strings it was given, joined as
    Manim joins them, not the inner ``SingleStringMathTex`` it builds on). Digits typeset inside a
    ``DecimalNumber`` (axis ticks, live readouts) are numbers, not formulas, and the brackets Manim
    typesets around a ``Matrix`` are decoration; neither is recorded (a matrix's entries are).
    """
    from manim import DecimalNumber, MathTex, Matrix, SingleStringMathTex

    typeset: list[str] = []
    depth = [0]

    def wrap(
        cls: type, record: Callable[[tuple, dict], str] | None, method: str = "__init__"
    ) -> Callable[..., None]:
        original = cls.__dict__[method]

        def wrapped(self: object, *args: object, **kwargs: object) -> object:
            if depth[0] == 0 and record is not None:
                typeset.append(record(args, kwargs))
            depth[0] += 1
            try:
                return original(self, *args, **kwargs)
            finally:
                depth[0] -= 1

        setattr(cls, method, wrapped)
        return original

    patched = {
        (MathTex, "__init__"): wrap(MathTex, lambda a, k: str(k.get("arg_separator", " ")).join(map(str, a))),
        (SingleStringMathTex, "__init__"): wrap(
            SingleStringMathTex, lambda a, k: str(a[0] if a else k.get("tex_string", ""))
        ),
        (DecimalNumber, "__init__"): wrap(DecimalNumber, None),
        (Matrix, "_add_brackets"): wrap(Matrix, None, "_add_brackets"),
    }
    try:
        yield typeset
    finally:
        for (cls, method), original in patched.items():
            setattr(cls, method, original)


def scene_tex(scene_cls: type) -> list[str]:
    """Every TeX string ``scene_cls`` typesets when rendered as ``mfml lint`` renders (dry run)."""
    from manim import tempconfig

    cache = cache_dir()
    texlock.install(cache / "tex")
    with (
        tempfile.TemporaryDirectory(prefix="mfml-lint-") as tmp,
        tempconfig(dry_run_config(tmp)),
        collecting_tex() as typeset,
    ):
        scene_cls().render()
    return typeset


class StepChecker:
    """The checks of ``mfml lint`` after each storyboard step: layout of the frame, true axes, and the
    provenance of the TeX typeset since the previous step (each offending string reported once).

    One object serves the dry run of ``mfml lint`` and a real render (``MFML_LINT=1`` in the render
    worker), so the smoke renders of the tests check the layout without running each scene twice.
    ``typeset`` is the list :func:`collecting_tex` fills. The storyboard is the scene's own
    (``scene.board``, taken at the first step: building it again cost sympy time in every smoke
    render), and its allowed TeX is computed once (recomputing it after every step was half of a
    lint's time).
    """

    def __init__(self, typeset: list[str]) -> None:
        self.typeset = typeset
        self.board: Storyboard | None = None
        self.allowed: set[str] = set()
        self.reported: set[str] = set()
        self.problems: list[str] = []

    def _new_tex(self) -> list[str]:
        if self.board is None:
            raise RuntimeError(
                "StepChecker.finish before any step was checked: no storyboard to check TeX against"
            )
        new = [
            p
            for p in tex_provenance(self.board, self.typeset, allowed=self.allowed)
            if p not in self.reported
        ]
        self.reported.update(new)
        self.typeset.clear()
        return new

    def __call__(self, scene: object, step: object) -> None:
        if self.board is None:
            self.board = scene.board  # type: ignore[attr-defined]
            self.allowed = storyboard_tex(self.board)
        self.problems.extend(frame_problems(scene, step.id, scene.theme.min_size))  # type: ignore[attr-defined]
        self.problems.extend(f"step '{step.id}': {p}" for p in self._new_tex())  # type: ignore[attr-defined]

    def finish(self) -> list[str]:
        """All problems, including TeX typeset after the last step."""
        self.problems.extend(f"after the last step: {p}" for p in self._new_tex())
        return self.problems


def dry_run_config(tmp: str) -> dict[str, object]:
    """Manim's config for a lint pass: every animation jumps to its end, nothing is encoded."""
    cache = cache_dir()
    return {
        "media_dir": tmp,
        "dry_run": True,
        "skip_animations": True,
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "ERROR",
        "tex_dir": str(cache / "tex"),
        "text_dir": str(Path(tmp) / "text"),  # private: see render/worker.py
        "quality": "low_quality",
    }


def lint_lesson(lesson: Lesson, params: LessonParams | None = None) -> list[str]:
    """All layout problems of a lesson, step by step (empty list: clean)."""
    from manim import tempconfig

    mod_name, cls_name = lesson.scene.split(":")
    scene_cls = getattr(importlib.import_module(mod_name), cls_name)
    cache = cache_dir()
    texlock.install(cache / "tex")
    speedups.install()  # the same pixel-neutral patches as a render (copies of glyphs were most of a lint)
    with (
        tempfile.TemporaryDirectory(prefix="mfml-lint-") as tmp,
        tempconfig(dry_run_config(tmp)),
        collecting_tex() as typeset,
    ):
        scene = scene_cls()
        scene.params = params or lesson.default_params()
        scene.step_hook = checker = StepChecker(typeset)
        scene.render()
        return checker.finish()
