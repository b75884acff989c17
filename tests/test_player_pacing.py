"""The player's shared mechanisms of issue 18: captions swap without overprinting (item 3), the
conclusion is held before the closing fade (item 4), dead and repeated screens are found (item 5).

The frame test renders the three-step lesson of :mod:`tests.pacing_lesson` (seconds, not the
minute of a course lesson) and reads the decoded caption panel around each step change; the pacing
tests read the player's log from a dry run, so no video is needed. That every course lesson keeps
these rules is checked by ``mfml lint`` (``test_lint.py``) and during each smoke render
(``MFML_LINT=1`` in ``test_render.py``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import av
import numpy as np
import pytest
from scipy.ndimage import binary_dilation

from mfml_anim.lint import dry_run_config, lint_lesson
from mfml_anim.paths import cache_dir
from mfml_anim.render import texlock
from mfml_anim.visual import layout
from mfml_anim.visual.theme import current
from mfml_anim.visual.timeline import (
    CONCLUSION_HOLD,
    DEAD_SCREEN,
    Segment,
    StepRecord,
    conclusion_hold,
    pacing_problems,
    pacing_summary,
)
from tests.pacing_lesson import LESSON, REPEATED, PacingScene

WIDTH, HEIGHT, FPS = 854, 480, 15


@pytest.fixture(autouse=True, scope="module")
def _tex_cache() -> None:
    """TeX through the shared cache and its locks, as a render or ``mfml lint`` does."""
    texlock.install(cache_dir() / "tex")


# --------------------------------------------------------------------------- captions (item 3)


def _render(tmp: Path) -> tuple[Path, list[float]]:
    """The test lesson at 854x480, 15 fps; returns the video and the scene time of each step end."""
    from manim import tempconfig

    ends: list[float] = []
    opts = {
        **dry_run_config(str(tmp)),
        "dry_run": False,
        "skip_animations": False,
        "pixel_width": WIDTH,
        "pixel_height": HEIGHT,
        "frame_rate": FPS,
        "output_file": "pacing",
    }
    with tempconfig(opts):
        scene = PacingScene()
        scene.step_hook = lambda sc, step: ends.append(float(sc.renderer.time))
        scene.render()
        return Path(scene.renderer.file_writer.movie_file_path), ends


def _caption_pixels(frame: np.ndarray) -> np.ndarray:
    """The caption panel's box of a decoded frame (a margin inside the panel's edge)."""
    box = layout.CAPTION
    fw, fh = 14.0 + 2 / 9, 8.0  # Manim's frame at 16:9
    x0 = int((box.left + 0.15 + fw / 2) / fw * WIDTH)
    x1 = int((box.right - 0.15 + fw / 2) / fw * WIDTH)
    y0 = int((fh / 2 - box.top + 0.08) / fh * HEIGHT)
    y1 = int((fh / 2 - box.bottom - 0.08) / fh * HEIGHT)
    return frame[y0:y1, x0:x1].astype(int)


def _ink(region: np.ndarray, panel: np.ndarray) -> np.ndarray:
    """Pixels that differ from the panel colour: text, even a text at a quarter of its opacity."""
    return np.abs(region - panel).max(axis=2) > 24


def classify_caption_frames(frames: list[np.ndarray], panel_rgb: tuple[int, int, int]) -> list[str]:
    """For frames running from one steady caption to the next: per frame 'old', 'new', 'both'
    (two texts overprinted) or 'empty' (a panel with no words), from the ink each frame has where
    only the old words have ink and where only the new ones do; 'no panel' when the panel is gone."""
    panel = np.array(panel_rgb)
    regions = [_caption_pixels(f) for f in frames]
    old, new = _ink(regions[0], panel), _ink(regions[-1], panel)
    only_old = old & ~binary_dilation(new, iterations=2)
    only_new = new & ~binary_dilation(old, iterations=2)
    out = []
    for r in regions:
        if np.median(np.abs(r - panel).max(axis=2)) > 24:
            out.append("no panel")
            continue
        ink = _ink(r, panel)
        o, n = ink[only_old].mean(), ink[only_new].mean()
        out.append(
            {(True, True): "both", (True, False): "old", (False, True): "new"}.get(
                (o > 0.15, n > 0.15), "empty"
            )
        )
    return out


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


@pytest.fixture(scope="module")
def rendered() -> tuple[list[np.ndarray], list[float]]:
    with tempfile.TemporaryDirectory(prefix="mfml-pacing-") as tmp:
        video, ends = _render(Path(tmp))
        with av.open(str(video)) as box:
            frames = [f.to_ndarray(format="rgb24") for f in box.decode(video=0)]
    return frames, ends


def test_caption_change_never_shows_two_texts_or_an_empty_panel(
    rendered: tuple[list[np.ndarray], list[float]],
) -> None:
    """Issue 18 item 3: the old words and the new overlapped for ~0.3 s at every step change (a
    cross-fade); now every frame from the last steady old caption to the first steady new one
    shows exactly one of them on the panel."""
    frames, ends = rendered
    panel = _hex_rgb(current().panel)
    for change in ends[:-1]:  # the next step's caption swap starts where this step ended
        first = int(round((change - 0.2) * FPS))
        last = int(round((change + 0.4 + 0.3) * FPS))
        kinds = classify_caption_frames(frames[first : last + 1], panel)
        assert kinds[0] == "old" and kinds[-1] == "new", kinds
        assert "both" not in kinds and "empty" not in kinds and "no panel" not in kinds, kinds
        switch = kinds.index("new")
        assert set(kinds[:switch]) == {"old"} and set(kinds[switch:]) == {"new"}, kinds


def test_the_frame_classifier_sees_a_cross_fade(rendered: tuple[list[np.ndarray], list[float]]) -> None:
    """The old player's cross-fade (both texts at half opacity) and a blank panel are what the
    classifier reports as 'both' and 'empty': blended from the rendered steady captions."""
    frames, ends = rendered
    panel = _hex_rgb(current().panel)
    change = ends[0]
    before = frames[int(round((change - 0.2) * FPS))].astype(float)
    after = frames[int(round((change + 0.7) * FPS))].astype(float)
    panel_frame = np.broadcast_to(np.array(panel, float), before.shape)
    # the old player mid-way through FadeOut(old) + FadeIn(new): both texts at half opacity
    cross = panel_frame + 0.5 * (before - panel_frame) + 0.5 * (after - panel_frame)
    shown = [before, cross.clip(0, 255), panel_frame, after]
    kinds = classify_caption_frames([f.astype(np.uint8) for f in shown], panel)
    assert kinds == ["old", "both", "empty", "new"], kinds


# --------------------------------------------------------------------------- pacing (items 4, 5)


def _dry_run(lesson: object) -> object:
    """The scene of ``lesson`` played as ``mfml lint`` plays it; returns the scene."""
    from manim import tempconfig

    mod, cls = lesson.scene.split(":")  # type: ignore[attr-defined]
    import importlib

    scene_cls = getattr(importlib.import_module(mod), cls)
    with tempfile.TemporaryDirectory(prefix="mfml-pacing-") as tmp, tempconfig(dry_run_config(tmp)):
        scene = scene_cls()
        scene.render()
    return scene


def test_the_last_result_is_held_still_before_the_closing_fade() -> None:
    """Issue 18 item 4: the last animation ends, then at least 3 s (or 1.5 s per formula) of
    stillness, then the fade; measured on the player's log of a dry run."""
    scene = _dry_run(LESSON)
    timeline = scene.timeline  # type: ignore[attr-defined]
    n = len(scene.board.steps)  # type: ignore[attr-defined]
    fade = next(s for s in timeline if s.step == n)
    drawn = max(s.end for s in timeline if s.moving and s.step < n)
    assert conclusion_hold(1) == CONCLUSION_HOLD and fade.start - drawn >= CONCLUSION_HOLD - 1e-6
    assert any(s.kind == "conclusion-hold" for s in timeline), "the short last step needed a hold"
    assert pacing_problems(scene.step_records, timeline, 1) == []  # type: ignore[attr-defined]


def test_lint_reports_a_repeated_screen_and_passes_the_plain_lesson() -> None:
    assert lint_lesson(LESSON) == []
    problems = lint_lesson(REPEATED)
    assert len(problems) == 1 and problems[0].startswith(
        "step 'again': ends on the same screen as step 'slope'"
    ), problems


def _steps(*screens: str) -> list[StepRecord]:
    return [StepRecord(f"s{i}", 10.0 * i, 10.0 * (i + 1), sc) for i, sc in enumerate(screens)]


def test_pacing_rules_on_hand_made_timelines() -> None:
    steps = _steps("a", "b")
    good = [
        Segment(0, 4, True, 0),
        Segment(4, 8, False, 0, "reading-pad"),
        Segment(8, 10, True, 1),
        Segment(10, 13, False, 1, "conclusion-hold"),
        Segment(13, 13.6, True, 2),
    ]
    assert pacing_problems(steps, good, 1) == []
    assert pacing_summary(steps, good) == (
        "pacing 14 s, 49% moving; longest still 4.0 s ('s0'); conclusion held 3.0 s"
    )
    # a conclusion faded 1 s after it was drawn (constrained-optimisation's f(A) before issue 18)
    short = [*good[:3], Segment(10, 11, False, 1, "reading-pad"), Segment(11, 11.6, True, 2)]
    assert pacing_problems(steps, short, 1) == [
        "step 's1': the conclusion is held 1.0 s before the closing fade (at least 3.0 s)"
    ]
    # 6 s of a scene's own waits and the player's padding with nothing moving
    dead = [
        Segment(0, 2, True, 0),
        Segment(2, 5, False, 0, "scene-wait"),
        Segment(5, 8, False, 0, "reading-pad"),
        *good[2:],
    ]
    assert pacing_problems(steps, dead, 1) == [
        "step 's0': 6.0 s with nothing moving (2.0-8.0 s: scene-wait 3.0 s, reading-pad 3.0 s; at most 5 s)"
    ]
    # a last screen of 3 formulas is held 4.5 s; of 5, the dead-screen limit
    assert conclusion_hold(3) == 4.5 and conclusion_hold(5) == DEAD_SCREEN
    long_end = [*good[:3], Segment(10, 16, False, 1, "conclusion-hold"), Segment(16, 16.6, True, 2)]
    assert pacing_problems(steps, long_end, 5) == [
        "step 's1': 6.0 s with nothing moving (10.0-16.0 s: conclusion-hold 6.0 s; at most 5 s)"
    ]
    assert pacing_problems(_steps("a", "a"), good, 1) == [
        "step 's1': ends on the same screen as step 's0' (nothing new for 10.0 s)"
    ]
