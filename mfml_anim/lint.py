"""``mfml lint``: build a lesson's frames step by step without encoding video and check the layout.

Runs the real scene with Manim's ``dry_run`` and ``skip_animations`` (every animation jumps to its
end state, nothing is encoded), and after each step inspects the text on screen:

* every text, formula and graphic inside the safe frame (the frame inset by 0.4 units);
* no two texts overlapping (beyond a hair of anti-aliasing);
* no text smaller than the theme's minimum readable size (24) at 480p.
"""

from __future__ import annotations

import importlib
import tempfile
from dataclasses import dataclass

from mfml_anim.lessons import Lesson
from mfml_anim.params import LessonParams
from mfml_anim.render import texlock
from mfml_anim.render.job import cache_dir
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
            if not any(f.get_fill_opacity() > 0 or f.get_stroke_opacity() > 0 for f in m.family_members_with_points()):
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
            out.append(f"step '{step_id}': a {type(m).__name__} leaves the safe frame "
                       f"(x {box.left:.2f}..{box.right:.2f}, y {box.bottom:.2f}..{box.top:.2f})")
    return out


def frame_problems(scene: object, step_id: str, min_size: float) -> list[str]:
    boxes = _text_boxes(scene)
    out = _graphic_problems(scene, step_id)
    for b in boxes:
        if not SAFE.contains(b.box):
            out.append(f"step '{step_id}': '{b.label}' leaves the safe frame "
                       f"(x {b.box.left:.2f}..{b.box.right:.2f}, y {b.box.bottom:.2f}..{b.box.top:.2f})")
        if b.font_size is not None and b.font_size < min_size - SIZE_TOLERANCE:
            out.append(f"step '{step_id}': '{b.label}' is too small (font size {b.font_size:.0f} < {min_size})")
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i], boxes[j]
            if a.box.overlap(b.box) > OVERLAP_TOLERANCE:
                out.append(f"step '{step_id}': '{a.label}' overlaps '{b.label}'")
    return out


def lint_lesson(lesson: Lesson, params: LessonParams | None = None) -> list[str]:
    """All layout problems of a lesson, step by step (empty list: clean)."""
    from manim import tempconfig

    mod_name, cls_name = lesson.scene.split(":")
    scene_cls = getattr(importlib.import_module(mod_name), cls_name)
    cache = cache_dir()
    texlock.install(cache / "tex")
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="mfml-lint-") as tmp, tempconfig({
        "media_dir": tmp,
        "dry_run": True,
        "skip_animations": True,
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "ERROR",
        "tex_dir": str(cache / "tex"),
        "text_dir": str(cache / "text"),
        "quality": "low_quality",
    }):
        scene = scene_cls()
        scene.params = params or lesson.default_params()

        def hook(sc: object, step: object) -> None:
            problems.extend(frame_problems(sc, step.id, sc.theme.min_size))  # type: ignore[attr-defined]

        scene.step_hook = hook
        scene.render()
    return problems
