"""The storyboard player: a Manim Scene base class that every lesson scene extends.

A lesson scene only draws what is particular to it: it maps the screen types its lesson's steps
name to drawing methods in one class-level table, ``SCREENS = {Plot: draw_plot, ...}``. This base
class dispatches ``type(step.screen)`` through the tables of the whole class hierarchy (it provides
the plain :class:`~mfml_anim.lessons.screens.Formulas` screen itself); a screen type the scene cannot
draw is a :class:`~mfml_anim.screen.ContractError`, never a silent default. It also does
everything shared: theme, title card, captions (burned in and as subtitles), formula placement,
pacing (a step lasts at least as long as its narration takes to read; the last step's result is
held still before the closing fade), a log of every animation and wait with a fingerprint of each
step's final screen (:mod:`mfml_anim.visual.timeline`: ``mfml lint`` checks the pacing from it),
and a hook that ``mfml lint`` uses to inspect the frame after every step without encoding video.
"""

from __future__ import annotations

import hashlib
import math
import os
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    FadeOut,
    Group,
    ImageMobject,
    MathTex,
    Mobject,
    RoundedRectangle,
    Scene,
    Text,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    Wait,
    Write,
    config,
    linear,
)

from mfml_anim.lessons.screens import Formulas
from mfml_anim.params import LessonParams
from mfml_anim.screen import ContractError, Screen
from mfml_anim.storyboard import Formula, Step, Storyboard
from mfml_anim.visual import layout, textlayout
from mfml_anim.visual.layout import Box
from mfml_anim.visual.theme import Theme, current
from mfml_anim.visual.timeline import Segment, SegmentKind, StepRecord, conclusion_hold, last_motion_end
from mfml_anim.voice import Speech

if TYPE_CHECKING:
    from mfml_anim.lessons import Lesson

StepHook = Callable[["LessonScene", Step], None]
SPEECH_PAUSE = 0.3  # seconds of silence after a step's speech before the next step (and voice) starts
Handler = Callable[[Any, Step, Any], None]  # (scene, step, screen) -> draws the step
# Caption change: the old words fade out over the first half, the new fade in over the second,
# starting from a quarter of their opacity, on a panel that stays. Never two texts in one frame,
# and never an empty panel either, at any frame rate: the last frame of the first half still shows
# the old words (their opacity reaches 0 only at the half, which the frame after draws with the new
# words already at a quarter).
CAPTION_SWAP = 0.4
CAPTION_SWAP_FLOOR = 0.25


class LessonScene(Scene):
    """Base for every lesson scene. Subclasses set ``lesson`` (the Lesson object, imported from the
    lesson's module) and ``SCREENS`` (screen type -> drawing method ``(self, step, screen)``)."""

    lesson: ClassVar[Lesson]
    SCREENS: ClassVar[Mapping[type[Screen], Handler]]
    # Set by the renderer / lint before ``render()``; defaults make plain ``manim`` work.
    params: LessonParams | None = None
    show_captions: bool = True
    step_hook: StepHook | None = None
    # Spoken narration (``--voice``): one Speech per storyboard step, made by mfml_anim.voice before
    # the render. Each step's voice starts with the step and the step lasts at least as long.
    speech: Sequence[Speech] | None = None
    # The closing fade-out of everything; a still of the last frame (``--format png``) turns it off
    # so its last frame shows the lesson's final screen, not the empty background.
    final_fade: bool = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("random_seed", 0)  # deterministic frames
        textlayout.install()  # text wraps the same at every video size (a GIF's captions were shrunk)
        super().__init__(*args, **kwargs)
        if os.environ.get("MFML_NO_CAPTIONS") == "1":
            self.show_captions = False

    # ------------------------------------------------------------------ main loop

    def construct(self) -> None:
        self.theme: Theme = current()
        self.camera.background_color = self.theme.background
        lesson = self.lesson
        self.board: Storyboard = lesson.storyboard(self.params or lesson.default_params())
        self.caption_mob: Mobject | None = None
        self.timeline: list[Segment] = []
        self.step_records: list[StepRecord] = []
        self.step_index = -1  # the title card
        self.still_kind: SegmentKind = "scene-wait"
        self.setup_lesson()
        self.title_card()
        last = len(self.board.steps) - 1
        for index, step in enumerate(self.board.steps):
            self.step_index = index
            start = self.renderer.time
            floor = self.speak(index, step)
            self.set_caption(step)
            self.draw(step)
            elapsed = self.renderer.time - start
            if elapsed < floor:
                self.player_wait(floor - elapsed, "reading-pad")
            if index == last:
                self.hold_conclusion(step)
            self.step_records.append(StepRecord(step.id, start, self.renderer.time, self.screen_print()))
            if self.step_hook is not None:
                self.step_hook(self, step)
            duration = self.renderer.time - start
            self.add_subcaption(step.narration, duration=duration, offset=-duration)
        self.step_index = len(self.board.steps)  # the closing fade
        if self.final_fade:
            self.play(*[FadeOut(m) for m in self.mobjects], run_time=0.6)
        self.pad_sound()

    # ------------------------------------------------------------------ pacing

    def play(self, *args: Any, **kwargs: Any) -> None:
        """Manim's ``play`` (``wait`` goes through it too), logged as a :class:`Segment` of scene
        time: moving unless it was a single wait with nothing updating on screen."""
        start = self.renderer.time
        super().play(*args, **kwargs)
        anims = self.animations or []
        still = len(anims) == 1 and isinstance(anims[0], Wait) and bool(anims[0].is_static_wait)
        if hasattr(self, "timeline"):
            kind: SegmentKind = self.still_kind if still else "animation"
            self.timeline.append(Segment(start, self.renderer.time, not still, self.step_index, kind))

    def player_wait(self, seconds: float, kind: SegmentKind) -> None:
        """A wait the player adds (not the scene): logged as ``kind``."""
        self.still_kind = kind
        try:
            self.wait(seconds)
        finally:
            self.still_kind = "scene-wait"

    def hold_conclusion(self, step: Step) -> None:
        """Keep the last step's result still until it has been on screen, fully drawn, for
        :func:`~mfml_anim.visual.timeline.conclusion_hold` seconds (only the rest is waited: a step
        whose floor already held it long enough gets nothing added)."""
        held = self.renderer.time - last_motion_end(self.timeline, self.step_index + 1)
        needed = conclusion_hold(len(step.formulas))
        if held < needed - 1e-6:
            # whole frames, rounded up: Manim plays a wait as whole frames, rounding down
            fps = config.frame_rate
            self.player_wait(math.ceil((needed - held) * fps - 1e-6) / fps, "conclusion-hold")

    def screen_print(self) -> str:
        """A fingerprint of what is on screen now, caption excluded (see
        :mod:`mfml_anim.visual.timeline` for what counts as the same screen)."""
        caption = {id(m) for m in self.caption_mob.get_family()} if self.caption_mob is not None else set()
        pieces: list[bytes] = []
        for top in self.mobjects:
            for m in top.get_family():
                if id(m) in caption:
                    continue
                piece = _piece_print(m)
                if piece is not None:
                    pieces.append(piece)
        cam = self.camera
        angles = [f(cam) for f in (_phi, _theta, _gamma, _zoom)]
        h = hashlib.sha1(repr(angles).encode())
        for p in sorted(pieces):
            h.update(p)
        return h.hexdigest()

    def speak(self, index: int, step: Step) -> float:
        """Start step ``index``'s speech (if narrated) now; return how long the step must last: its
        reading time, or its speech and a short pause when that is longer (never cut off)."""
        if not self.speech:
            return step.min_duration
        if len(self.speech) != len(self.board.steps):
            raise ContractError(f"{len(self.speech)} speech files for {len(self.board.steps)} steps")
        said = self.speech[index]
        self.add_sound(said.path)
        return max(step.min_duration, said.seconds + SPEECH_PAUSE)

    def pad_sound(self) -> None:
        """Extend the sound track with silence to the end of the video: Manim's track stops where the
        last sound does, and players show a track shorter than the picture as a truncated one."""
        fw = self.renderer.file_writer
        if self.speech and getattr(fw, "includes_sound", False) and not self.renderer.skip_animations:
            fw.add_audio_segment(fw.audio_segment[:0], time=self.renderer.time)

    def setup_lesson(self) -> None:
        """Hook for scenes to prepare shared objects (axes, numeric functions) once."""

    @classmethod
    def screen_table(cls) -> dict[type[Screen], Handler]:
        """Every ``SCREENS`` table of the class hierarchy merged, the most derived class winning."""
        table: dict[type[Screen], Handler] = {}
        for klass in reversed(cls.__mro__):
            table.update(klass.__dict__.get("SCREENS", {}))
        return table

    @classmethod
    def handler(cls, slug: str, step: Step) -> Handler:
        """The drawing method for ``step``'s screen type (exact type, no fallback)."""
        found = cls.screen_table().get(type(step.screen))
        if found is None:
            raise ContractError(
                f"lesson '{slug}', step '{step.id}': scene {cls.__name__} cannot draw "
                f"screen {type(step.screen).__name__}"
            )
        return found

    def draw(self, step: Step) -> None:
        self.handler(self.lesson.slug, step)(self, step, step.screen)

    def draw_formulas(self, step: Step, screen: Formulas) -> None:
        """The algebra screen: everything else leaves, the formulas get the whole width, centred."""
        self.clear_content()
        if step.formulas:
            self.show_formulas(step.formulas, layout.CONTENT)

    SCREENS = {Formulas: draw_formulas}

    # ------------------------------------------------------------------ text pieces

    def title_card(self) -> None:
        t = self.theme
        title = Text(self.board.title, font_size=t.title_size, color=t.text)
        if title.width > layout.SAFE.width:
            title.scale_to_fit_width(layout.SAFE.width)
        sub = Text(f"Module {self.board.module}", font_size=t.body_size, color=t.muted)
        group = VGroup(title, sub).arrange(DOWN, buff=0.4)
        # On screen from the very first frame: a video's first frame is its poster in players and
        # slide tools, so it must be the title, not a blank fading in.
        self.add(group)
        self.wait(2.0)
        self.play(FadeOut(group, shift=0.2 * UP), run_time=0.5)

    def set_caption(self, step: Step) -> None:
        """Replace the burned-in caption with this step's narration (wrapped, on a panel)."""
        if not self.show_captions:
            return
        t = self.theme
        lines = textwrap.wrap(step.narration, layout.CAPTION_CHARS_PER_LINE)
        text = Text("\n".join(lines), font_size=t.caption_size, color=t.text, line_spacing=0.8)
        box = layout.CAPTION
        if text.width > box.width - 0.3:
            text.scale_to_fit_width(box.width - 0.3)
        if text.height > box.height - 0.15:
            text.scale_to_fit_height(box.height - 0.15)
        panel = RoundedRectangle(
            width=box.width,
            height=box.height,
            corner_radius=0.12,
            fill_color=t.panel,
            fill_opacity=1,
            stroke_width=0,
        )
        panel.move_to(box.center)
        text.move_to(panel)
        cap = VGroup(panel, text)
        if self.caption_mob is None:
            self.play(FadeIn(cap), run_time=CAPTION_SWAP)
        else:
            old_panel, old_text = self.caption_mob
            assert isinstance(old_text, VMobject)  # the caption is VGroup(panel, Text), made below
            self.remove(self.caption_mob)
            self.add(old_panel)
            self.play(_swap_text(old_text, text), run_time=CAPTION_SWAP)
            self.remove(old_panel, old_text, text)
            self.add(cap)
        self.caption_mob = cap

    def tex(self, f: Formula | str, *, size: int | None = None, colour: str | None = None) -> MathTex:
        """A MathTex of a storyboard formula, one submobject per part so parts can be coloured."""
        t = self.theme
        parts: Sequence[str] = [f] if isinstance(f, str) else f.pieces
        m = MathTex(*parts, font_size=size or t.formula_size, color=colour or t.text)
        return m

    def formula_block(self, f: Formula | str, width: float, *, colour: str | None = None) -> VGroup:
        """A formula that fits ``width``: on one line if it can, otherwise broken before each
        '=' (or '≈') into lines aligned on that sign, as one would write it by hand."""
        one = self.tex(f, colour=colour)
        if one.width <= width or isinstance(f, str):
            return VGroup(one)
        pieces = f.pieces
        lines: list[list[str]] = [[pieces[0]]]
        for sep, part in zip(pieces[1::2], pieces[2::2], strict=True):
            if len(lines) == 1 and len(lines[0]) == 1:
                lines[0] += [sep, part]  # keep "lhs = first" together
            else:
                lines.append([sep, part])
        t = self.theme
        mobs = [MathTex(*ln, font_size=t.formula_size, color=colour or t.text) for ln in lines]
        block = VGroup(*mobs).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        # continuation lines start with their sign, placed under the first line's '='
        eq_x = mobs[0][1].get_left()[0]
        for m in mobs[1:]:
            m.shift((eq_x - m[0].get_left()[0]) * RIGHT)
        return block

    def fit(self, m: Mobject, box: Box) -> Mobject:
        """Scale ``m`` down (never up, never below the minimum readable size) to fit ``box``."""
        if m.width > box.width:
            m.scale_to_fit_width(box.width)
        if m.height > box.height:
            m.scale_to_fit_height(box.height)
        return m

    def show_formulas(
        self,
        formulas: Sequence[Formula | str],
        box: Box,
        *,
        colours: Sequence[str | None] = (),
        run_time: float = 1.2,
    ) -> VGroup:
        """Write up to two formula lines centred in ``box``; returns the group (kept on screen)."""
        mobs = [
            self.formula_block(f, box.width, colour=(colours[i] if i < len(colours) else None))
            for i, f in enumerate(formulas)
        ]
        group = VGroup(*mobs).arrange(DOWN, buff=0.45)
        self.fit(group, box)
        group.move_to(box.center)
        self.play(*[Write(m) for m in mobs], run_time=run_time)
        self.content.add(group)
        return group

    # ------------------------------------------------------------------ content bookkeeping

    @property
    def content(self) -> Group:
        """Everything the current step put on screen (cleared by :meth:`clear_content`). A Group,
        not a VGroup, so images (heat maps) can be content too."""
        if not hasattr(self, "_content"):
            self._content = Group()
        return self._content

    def keep(self, *mobs: Mobject) -> None:
        """Register mobjects (already added) as current content."""
        self.content.add(*mobs)

    def clear_content(self, *, keep: Sequence[Mobject] = (), run_time: float = 0.5) -> None:
        """Fade out everything but the caption and ``keep``: one idea per screen."""
        kept = {id(f) for k in keep for f in k.get_family()}
        gone = [m for m in self.content if id(m) not in kept]
        if gone:
            self.play(*[FadeOut(m) for m in gone], run_time=run_time)
        self._content = Group(*[m for m in self.content if id(m) in kept])


def _swap_text(old: VMobject, new: VMobject) -> UpdateFromAlphaFunc:
    """One caption's words out, then the next one's in (see :data:`CAPTION_SWAP`)."""
    old_opacity = old.get_fill_opacity()
    new_opacity = new.get_fill_opacity()

    def step(group: Mobject, alpha: float) -> None:
        if alpha < 0.5:
            old.set_fill(opacity=old_opacity * (1 - 2 * alpha))
            new.set_fill(opacity=0)
        else:
            old.set_fill(opacity=0)
            rise = CAPTION_SWAP_FLOOR + (1 - CAPTION_SWAP_FLOOR) * (2 * alpha - 1)
            new.set_fill(opacity=new_opacity * rise)

    return UpdateFromAlphaFunc(VGroup(old, new), step, rate_func=linear)


def _piece_print(m: Mobject) -> bytes | None:
    """One visible mobject with points as bytes (rounded points, colours, opacities, widths); None
    for an invisible one or a container without points of its own."""
    if isinstance(m, ImageMobject):
        return b"img" + m.get_all_points().round(2).tobytes() + hashlib.sha1(m.pixel_array.tobytes()).digest()
    points = getattr(m, "points", None)
    if not isinstance(m, VMobject) or not isinstance(points, np.ndarray) or len(points) == 0:
        return None  # (visual/regression.py's data group keeps its data points under that name)
    fill, stroke = m.get_fill_opacity(), m.get_stroke_opacity()
    width = m.get_stroke_width() if stroke > 0 else 0
    if fill <= 0.01 and (stroke <= 0.01 or width <= 0):
        return None
    style = f"{m.get_fill_color()}|{fill:.2f}|{m.get_stroke_color()}|{stroke:.2f}|{width:.1f}"
    return hashlib.sha1(points.round(2).tobytes() + style.encode()).digest()


def _phi(cam: Any) -> float | None:
    return float(cam.get_phi()) if hasattr(cam, "get_phi") else None


def _theta(cam: Any) -> float | None:
    return float(cam.get_theta()) if hasattr(cam, "get_theta") else None


def _gamma(cam: Any) -> float | None:
    return float(cam.get_gamma()) if hasattr(cam, "get_gamma") else None


def _zoom(cam: Any) -> float | None:
    return float(cam.get_zoom()) if hasattr(cam, "get_zoom") else None
