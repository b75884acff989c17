"""``mfml lint``: build a lesson's frames step by step without encoding video and check the layout.

Runs the real scene with Manim's ``dry_run`` and ``skip_animations`` (every animation jumps to its
end state, nothing is encoded), and after each step inspects the text on screen:

* every text, formula and graphic inside the safe frame (the frame inset by 0.4 units);
* no two texts overlapping (beyond a hair of anti-aliasing);
* no text whose digits are shorter than the theme's floor (13 px at 854x480), every kind of text
  (Pango and TeX, axis numbers, labels in groups, fixed in frame or projected in 3-D) measured as drawn;
* every axis tick label shows the number at its position (:func:`~mfml_anim.visual.graphs.tick_label_errors`);
* every TeX string the scene typesets comes from the storyboard's formulas or is a notation label
  (:func:`collecting_tex` records them, :func:`mfml_anim.audit.tex_provenance` judges them).

and, once the scene has played, its pacing from the player's log
(:func:`mfml_anim.visual.timeline.pacing_problems`): the conclusion held still before the closing
fade, no stretch of more than 5 s with nothing moving, no two consecutive steps ending on the same
screen.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mfml_anim.audit import storyboard_tex, tex_provenance
from mfml_anim.lessons import Lesson
from mfml_anim.params import LessonParams
from mfml_anim.paths import cache_dir
from mfml_anim.render import speedups, texlock
from mfml_anim.storyboard import Storyboard
from mfml_anim.visual.layout import CONTENT, SAFE, Box
from mfml_anim.visual.timeline import pacing_problems, pacing_summary

ALGEBRA_SCREEN = "Formulas"  # the screen type of an algebra-only step (formulas fill the width)
# Frame coverage (issue 18 part 1; README, "Screen layout and mfml lint" says how they were chosen):
SUBJECT_MIN = 0.08  # share of the content area a step's subject must cover, or lint fails
CONTENT_MIN = 0.12  # share all content of a step with a subject must cover, or lint fails
SUBJECT_TARGET = 0.45  # what a subject beside a formula panel reaches; steps below are listed
OVERLAP_TOLERANCE = 0.01  # square units; glyph boxes of neighbours may touch


@dataclass(frozen=True)
class TextBox:
    label: str
    box: Box
    font_size: float | None
    kind: str = "Text"  # the Manim class, said in a report
    digit_px: float | None = None  # height of a digit of this text on screen at 854x480


FLOOR_PIXEL_HEIGHT = 480  # the readability floor is stated at 854x480, whatever size lint runs at
# pixels. A text's size is read from its height against the height it was typeset at, so a label
# Transformed into other glyphs keeps the first one's reference: "x_{0}" turned into "x_{1}" reads
# as font size 29.3 (digits 0.3 px short), into a lower subscript up to 0.5 px short. The floor is
# about 13 px; 24, the old floor, is 10.4 px and fails by far.
DIGIT_PX_TOLERANCE = 0.5

_DIGIT_HEIGHT: dict[str, float] = {}


def digit_height_per_size(engine: str) -> float:
    """Scene units of digit height per unit of font size for ``"tex"`` (MathTex, Tex, DecimalNumber)
    or ``"pango"`` (Text, MarkupText), measured once on a typeset "0". The two engines differ by about
    1.45 at one font size, so a font-size floor alone let 10-px TeX digits pass beside 16-px Text."""
    if engine not in _DIGIT_HEIGHT:
        from manim import MathTex, Text

        ref = MathTex("0", font_size=48) if engine == "tex" else Text("0", font_size=48)
        _DIGIT_HEIGHT[engine] = ref.height / 48
    return _DIGIT_HEIGHT[engine]


def _screen_points(scene: object, m: object) -> np.ndarray:
    """The points of ``m``'s family where the camera draws them: projected in a 3-D scene (a label
    fixed in frame is not; one with a fixed orientation only moves), unchanged in a 2-D one."""
    camera = getattr(scene, "camera", None)
    transform = getattr(camera, "transform_points_pre_display", None)
    parts = []
    for sub in m.family_members_with_points():  # type: ignore[attr-defined]  # a Manim Scene/Mobject, typed as object: lint imports no Manim at module level
        parts.append(transform(sub, sub.points) if transform is not None else sub.points)
    return np.vstack(parts) if parts else np.zeros((0, 3))


def _text_boxes(scene: object) -> list[TextBox]:
    """Every visible text on screen, of every kind: Pango ``Text``/``MarkupText`` and TeX ``MathTex``,
    ``Tex``, ``SingleStringMathTex`` and ``DecimalNumber`` (axis numbers, readouts), wherever it sits
    (inside axes, diagrams, groups, fixed in frame or projected in a 3-D scene), with its box and
    digit height as drawn."""
    from manim import DecimalNumber, MarkupText, MathTex, SingleStringMathTex, Tex, Text

    pango = (Text, MarkupText)
    text_types = (*pango, MathTex, Tex, SingleStringMathTex, DecimalNumber)
    px_per_unit = FLOOR_PIXEL_HEIGHT / _frame_height(scene)
    found: list[TextBox] = []
    seen: set[int] = set()
    for top in scene.mobjects:  # type: ignore[attr-defined]  # a Manim Scene/Mobject, typed as object: lint imports no Manim at module level
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
            pts = _screen_points(scene, m)
            lo, hi = pts.min(axis=0), pts.max(axis=0)
            box = Box(lo[0], hi[0], lo[1], hi[1])
            label = getattr(m, "tex_string", None) or getattr(m, "text", None) or type(m).__name__
            size = getattr(m, "font_size", None)
            digit_px = None
            if size is not None:
                # the projection's own scale: a label far back in a 3-D scene is drawn smaller
                raw_h = m.height
                scale = (hi[1] - lo[1]) / raw_h if raw_h > 1e-9 else 1.0
                engine = "pango" if isinstance(m, pango) else "tex"
                digit_px = float(size) * digit_height_per_size(engine) * px_per_unit * scale
            found.append(
                TextBox(
                    str(label)[:50],
                    box,
                    float(size) if size is not None else None,
                    type(m).__name__,
                    digit_px,
                )
            )
    return found


def _frame_height(scene: object) -> float:
    """Scene units the frame is tall: the camera's own (a moving camera zoomed in draws text
    larger), else Manim's configured frame."""
    from manim import config

    height = getattr(getattr(scene, "camera", None), "frame_height", None)
    return float(height) if isinstance(height, (int, float)) and height > 0 else float(config.frame_height)


def _graphic_problems(scene: object, step_id: str) -> list[str]:
    """Any drawn mobject (curve, arrow, diagram) reaching outside the safe frame."""
    out = []
    for m in scene.mobjects:  # type: ignore[attr-defined]  # a Manim Scene/Mobject, typed as object: lint imports no Manim at module level
        if len(m.get_all_points()) == 0:
            continue
        box = Box(m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1])
        if not SAFE.contains(box, tol=0.05):
            out.append(
                f"step '{step_id}': a {type(m).__name__} leaves the safe frame "
                f"(x {box.left:.2f}..{box.right:.2f}, y {box.bottom:.2f}..{box.top:.2f})"
            )
    return out


def frame_problems(scene: object, step_id: str, min_digit_px: float) -> list[str]:
    """Layout problems of the frame on screen now; ``min_digit_px`` is the theme's readability floor
    (digit height in pixels at 854x480)."""
    boxes = _text_boxes(scene)
    out = _graphic_problems(scene, step_id)
    for b in boxes:
        if not SAFE.contains(b.box):
            out.append(
                f"step '{step_id}': '{b.label}' leaves the safe frame "
                f"(x {b.box.left:.2f}..{b.box.right:.2f}, y {b.box.bottom:.2f}..{b.box.top:.2f})"
            )
        if b.digit_px is not None and b.digit_px < min_digit_px - DIGIT_PX_TOLERANCE:
            out.append(
                f"step '{step_id}': {b.kind} '{b.label}' is too small: digits {b.digit_px:.1f} px tall at "
                f"854x480 (floor {min_digit_px:g} px; font size {b.font_size:.0f})"
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
    for top in scene.mobjects:  # type: ignore[attr-defined]  # a Manim Scene/Mobject, typed as object: lint imports no Manim at module level
        for m in top.get_family():
            if isinstance(m, Axes) and id(m) not in seen:
                seen.add(id(m))
                out.extend(tick_label_errors(m))
    return out


# ---------------------------------------------------------------------------- frame coverage


@dataclass(frozen=True)
class StepCoverage:
    """How much of the content area (:data:`~mfml_anim.visual.layout.CONTENT`) a step's final frame
    uses. ``subject``: the union of the bounding boxes of the drawn things (plot, map, diagram,
    surface, network, with the text inside them); ``content``: the union of everything on screen
    but the caption. Both are shares of the content area (0..1). ``screen`` is the step's screen
    type, so algebra-only steps (``Formulas``) are judged on their own terms."""

    step: str
    screen: str
    subject: float
    content: float


def union_area(boxes: Sequence[Box], clip: Box) -> float:
    """Area of the union of ``boxes`` cut to ``clip``, exact (the plane cut at every box edge)."""
    cut = [
        Box(
            max(b.left, clip.left), min(b.right, clip.right), max(b.bottom, clip.bottom), min(b.top, clip.top)
        )
        for b in boxes
    ]
    cut = [b for b in cut if b.width > 0 and b.height > 0]
    if not cut:
        return 0.0
    xs = np.unique([v for b in cut for v in (b.left, b.right)])
    ys = np.unique([v for b in cut for v in (b.bottom, b.top)])
    covered = np.zeros((len(xs) - 1, len(ys) - 1), dtype=bool)
    for b in cut:
        i0, i1 = np.searchsorted(xs, [b.left, b.right])
        j0, j1 = np.searchsorted(ys, [b.bottom, b.top])
        covered[i0:i1, j0:j1] = True
    return float(np.diff(xs) @ covered @ np.diff(ys))


def _pointed(m: object) -> list[object]:
    """The members of ``m``'s family that have points. A drawing that keeps its own data under the
    name ``points`` (DataPlot's data set) is skipped: Manim's ``family_members_with_points`` and
    ``get_left`` raise on it."""
    return [
        f
        for f in m.get_family()  # type: ignore[attr-defined]  # a Manim Mobject, typed as object
        if isinstance(getattr(f, "points", None), np.ndarray) and len(f.points)
    ]


def _drawn(m: object) -> bool:
    """Whether any part of ``m`` is visible: a vector shape with some fill or stroke, or an image
    (a heat map). Other mobjects with points draw nothing (a ValueTracker keeps its value there)."""
    from manim import VMobject
    from manim.mobject.types.image_mobject import AbstractImageMobject

    for f in _pointed(m):
        if isinstance(f, AbstractImageMobject):
            return True
        if isinstance(f, VMobject) and (f.get_fill_opacity() > 0 or f.get_stroke_opacity() > 0):
            return True
    return False


def _points_box(points: np.ndarray) -> Box:
    lo, hi = points.min(axis=0), points.max(axis=0)
    return Box(float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))


def _bounds(m: object) -> Box:
    """Manim's own bounding box of ``m`` (anchors, as ``get_left``/``get_top`` measure it), or the
    box of its points where Manim cannot measure it (see :func:`_pointed`)."""
    try:
        return Box(m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1])  # type: ignore[attr-defined]
    except (TypeError, AttributeError):
        return _points_box(np.concatenate([f.points for f in _pointed(m)]))  # type: ignore[attr-defined]


def coverage_boxes(scene: object) -> tuple[list[Box], list[Box]]:
    """(subject boxes, text boxes) of what is on screen now, the caption left out (boxes may
    overlap: they are unioned).

    A drawing is one subject box with the text that belongs to it: any mobject that is not text
    and not a plain container (``VGroup``/``Group``), so a plot (axes, ticks, labels), a chain
    diagram (its nodes are formulas), a network or a map counts whole. A text (formula, readout,
    matrix) is one text box. A plain container is split into its parts, since scenes group
    unrelated things (a formula and its highlight, a row of readouts)."""
    from manim import DecimalNumber, Group, MarkupText, MathTex, SingleStringMathTex, Tex, Text, VGroup

    text_types = (Text, MarkupText, MathTex, Tex, SingleStringMathTex, DecimalNumber)
    subject: list[Box] = []
    text: list[Box] = []

    def only_text(m: object) -> bool:
        """Whether everything drawn in ``m`` is part of a text (a formula, a matrix of numbers)."""
        in_text = {id(f) for t in m.get_family() if isinstance(t, text_types) for f in t.get_family()}  # type: ignore[attr-defined]  # a Manim Scene/Mobject, typed as object: lint imports no Manim at module level
        return all(id(f) in in_text for f in _pointed(m) if _drawn(f))

    def walk(m: object) -> None:
        if not _drawn(m):
            return
        if only_text(m):
            text.append(_bounds(m))
        elif type(m) not in (VGroup, Group):
            subject.append(_bounds(m))
        else:
            own = getattr(m, "points", None)
            if isinstance(own, np.ndarray) and len(own):
                subject.append(_points_box(own))
            for sub in m.submobjects:  # type: ignore[attr-defined]  # a Manim Scene/Mobject, typed as object: lint imports no Manim at module level
                walk(sub)

    # What the step registered as its content (``scene.keep``) is measured as registered, a drawing
    # whole even when it was faded in piece by piece (then the scene holds only its parts); what is
    # on screen without being registered is measured as the scene holds it. Boxes are unioned, so a
    # part measured twice counts once.
    caption = getattr(scene, "caption_mob", None)
    tops = [top for top in scene.mobjects if top is not caption]  # type: ignore[attr-defined]  # a Manim Scene/Mobject, typed as object: lint imports no Manim at module level
    on_screen = {id(f) for top in tops for f in top.get_family()}
    kept = [m for m in getattr(scene, "content", ()) if any(id(f) in on_screen for f in _pointed(m))]
    for m in [*kept, *tops]:
        walk(m)
    return subject, text


def coverage_problems(coverage: Sequence[StepCoverage]) -> list[str]:
    """Steps whose final frame leaves the content area empty: a step with a subject whose subject
    covers less than :data:`SUBJECT_MIN` of it, or whose content covers less than
    :data:`CONTENT_MIN`. Algebra-only steps (``Formulas``: the formulas are the whole screen) are
    measured and printed but not judged here: their size is the formulas' own."""
    out = []
    for c in coverage:
        if c.screen == ALGEBRA_SCREEN or c.subject == 0.0:
            continue
        if c.subject < SUBJECT_MIN:
            out.append(
                f"step '{c.step}': the subject covers {c.subject:.0%} of the content area "
                f"(at least {SUBJECT_MIN:.0%}: draw it larger)"
            )
        if c.content < CONTENT_MIN:
            out.append(
                f"step '{c.step}': the content covers {c.content:.0%} of the content area "
                f"(at least {CONTENT_MIN:.0%}: the frame is mostly empty)"
            )
    return out


def coverage_summary(coverage: Sequence[StepCoverage]) -> str:
    """One line for ``mfml lint``: mean and smallest subject and content share over the steps with
    a subject, the steps whose subject is below :data:`SUBJECT_TARGET` (reported, not failed: the
    lessons' own reworks lift them), and the content share of the algebra-only steps."""
    shown = [c for c in coverage if c.screen != ALGEBRA_SCREEN and c.subject > 0.0]
    algebra = [c for c in coverage if c not in shown]
    parts = []
    if shown:
        low_s = min(shown, key=lambda c: c.subject)
        low_c = min(shown, key=lambda c: c.content)
        parts.append(
            f"subject {np.mean([c.subject for c in shown]):.0%} (min {low_s.subject:.0%} '{low_s.step}'), "
            f"content {np.mean([c.content for c in shown]):.0%} (min {low_c.content:.0%} '{low_c.step}') "
            f"over {len(shown)} step(s) with a subject"
        )
        below = [c.step for c in shown if c.subject < SUBJECT_TARGET]
        if below:
            parts.append(f"{len(below)} below the {SUBJECT_TARGET:.0%} target: {', '.join(below)}")
    if algebra:
        parts.append(
            f"algebra-only {len(algebra)} step(s), content {np.mean([c.content for c in algebra]):.0%}"
        )
    return "coverage: " + "; ".join(parts) if parts else "coverage: no steps"


def measure_coverage(scene: object, step: object) -> StepCoverage:
    """The share of the content area the subject and all content cover on the frame now."""
    subject, text = coverage_boxes(scene)
    area = CONTENT.width * CONTENT.height
    return StepCoverage(
        step=str(step.id),  # type: ignore[attr-defined]  # Step and LessonScene are typed as object here (no Manim at import)
        screen=type(getattr(step, "screen", None)).__name__,
        subject=union_area(subject, CONTENT) / area,
        content=union_area(subject + text, CONTENT) / area,
    )


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
        self.scene: object | None = None
        self.allowed: set[str] = set()
        self.reported: set[str] = set()
        self.problems: list[str] = []
        self.pacing: list[str] = []  # pacing problems: reported by mfml lint, fatal with MFML_STRICT_PACING=1
        self.coverage: list[StepCoverage] = []

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
            self.board = scene.board  # type: ignore[attr-defined]  # a LessonScene, typed as object: lint imports no Manim at module level
            self.scene = scene
            self.allowed = storyboard_tex(self.board)
        self.problems.extend(frame_problems(scene, step.id, scene.theme.min_digit_px))  # type: ignore[attr-defined]  # Step and LessonScene are typed as object here (no Manim at import)
        self.coverage.append(measure_coverage(scene, step))
        self.problems.extend(f"step '{step.id}': {p}" for p in self._new_tex())  # type: ignore[attr-defined]  # Step and LessonScene are typed as object here (no Manim at import)

    def finish(self) -> list[str]:
        """All problems, including TeX typeset after the last step, the frames left empty and the
        pacing of the whole lesson (known only once the scene has played to its end)."""
        self.problems.extend(f"after the last step: {p}" for p in self._new_tex())
        self.problems.extend(coverage_problems(self.coverage))
        # Dead stretches and short holds are reported, not yet fatal: 22 of 29 lessons still have a
        # still stretch over 5 s of reading-time padding (their reworks: issues 19/20). MFML_STRICT_PACING=1
        # makes it fail, as it will by default once those lessons move through their hold time.
        if self.board is not None and hasattr(self.scene, "timeline"):
            self.pacing = pacing_problems(
                self.scene.step_records,  # type: ignore[attr-defined]  # a LessonScene, typed as object
                self.scene.timeline,
                len(self.board.steps[-1].formulas),
            )
            strict = os.environ.get("MFML_STRICT_PACING") == "1"
            # two steps ending on the same screen fail always (no lesson does it today)
            self.problems.extend(p for p in self.pacing if strict or "ends on the same screen" in p)
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


@dataclass(frozen=True)
class LintReport:
    """What ``mfml lint`` found in one lesson: its problems and each step's frame coverage."""

    problems: list[str]
    coverage: list[StepCoverage]
    pacing: str = ""  # timeline.pacing_summary of the played scene


def lint_lesson(lesson: Lesson, params: LessonParams | None = None) -> list[str]:
    """All layout problems of a lesson, step by step (empty list: clean)."""
    return lint_report(lesson, params).problems


def lint_report(lesson: Lesson, params: LessonParams | None = None) -> LintReport:
    """The layout problems of a lesson, step by step, and the coverage of each step's frame."""
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
        return LintReport(
            checker.finish(), checker.coverage, pacing_summary(scene.step_records, scene.timeline)
        )
