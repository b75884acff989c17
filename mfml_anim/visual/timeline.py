"""What the player records about a lesson's pacing, and the checks ``mfml lint`` runs on it.

The player (:class:`~mfml_anim.visual.player.LessonScene`) logs every ``play`` and ``wait`` as a
:class:`Segment` of scene time, moving or still, and fingerprints each step's final screen
(:class:`StepRecord`). Both exist in a dry run too (Manim still advances ``renderer.time`` when it
skips animations), so the checks here cost nothing beyond ``mfml lint``'s own pass and need no
video. Pure Python: the checks can be tested on hand-made timelines.

The rules (issue 18, items 4 and 5):

* **Conclusions land**: after the last animation of the last step the screen stays, untouched, for
  :func:`conclusion_hold` seconds before the closing fade: 3 s, or 1.5 s per formula of the step
  when that is longer (the time to read the result; the narration was read while the step was
  drawn), never more than the dead-screen limit.
* **No dead screens**: no stretch longer than :data:`DEAD_SCREEN` seconds with nothing moving.
* **No repeated screens**: two consecutive steps must not end on the same screen. "The same" is
  measured on the mobjects, not pixels: every visible piece with points (caption panel and text
  excluded: they change with every step by design) as its points rounded to 0.01 units (under a
  pixel at 854x480), fill and stroke colour, opacity and width, plus the 3-D camera angles. Equal
  sets of pieces mean a viewer sees nothing new; any moved point, recoloured curve or new label
  makes the screens differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

CONCLUSION_HOLD = 3.0  # s: the least time a lesson's result stays still before the closing fade
FORMULA_READING = 1.5  # s per formula on the last screen (the storyboard's MIN_FORMULA_STILL)
DEAD_SCREEN = 5.0  # s: a longer stretch with nothing moving is a dead screen
EPS = 1e-6

SegmentKind = Literal["animation", "scene-wait", "reading-pad", "conclusion-hold"]


@dataclass(frozen=True)
class Segment:
    """One ``play`` (an animation, or a wait) of the scene: ``step`` is the storyboard index,
    -1 for the title card and ``len(steps)`` for the closing fade. ``kind`` says who asked for a
    still: the scene (``scene-wait``), the player filling the step's reading time (``reading-pad``)
    or the player holding the conclusion (``conclusion-hold``)."""

    start: float
    end: float
    moving: bool
    step: int
    kind: SegmentKind = "animation"


@dataclass(frozen=True)
class StepRecord:
    """A storyboard step as played: when it ran, how its time split, and its final screen's
    fingerprint (see the module docstring)."""

    id: str
    start: float
    end: float
    screen: str

    def split(self, segments: Sequence[Segment], index: int) -> tuple[float, float]:
        """(seconds animated, seconds still) of step ``index``."""
        mine = [s for s in segments if s.step == index]
        moving = sum(s.end - s.start for s in mine if s.moving)
        return moving, sum(s.end - s.start for s in mine if not s.moving)


def conclusion_hold(n_formulas: int) -> float:
    """Seconds the last screen stays still before the closing fade: 3 s, or the time to read its
    formulas at 1.5 s each when that is longer, but at most :data:`DEAD_SCREEN` (a longer hold
    would itself be a dead screen)."""
    return min(DEAD_SCREEN, max(CONCLUSION_HOLD, FORMULA_READING * n_formulas))


def last_motion_end(segments: Sequence[Segment], before_step: int) -> float:
    """When the last moving segment of the steps before ``before_step`` ended (0 if none)."""
    ends = [s.end for s in segments if s.moving and s.step < before_step]
    return max(ends, default=0.0)


def still_stretches(segments: Sequence[Segment]) -> list[tuple[float, float, list[Segment]]]:
    """Runs of consecutive still segments, as (start, end, the segments)."""
    out: list[tuple[float, float, list[Segment]]] = []
    run: list[Segment] = []
    for s in segments:
        if s.end - s.start <= EPS:
            continue
        if not s.moving and (not run or abs(s.start - run[-1].end) <= EPS):
            run.append(s)
            continue
        if run:
            out.append((run[0].start, run[-1].end, run))
        run = [s] if not s.moving else []
    if run:
        out.append((run[0].start, run[-1].end, run))
    return out


def pacing_problems(
    steps: Sequence[StepRecord], segments: Sequence[Segment], n_last_formulas: int
) -> list[str]:
    """The pacing rules of the module docstring, one message per breach."""
    if not steps:
        return []
    out: list[str] = []
    n = len(steps)
    hold_needed = conclusion_hold(n_last_formulas)
    closing = [s for s in segments if s.step == n]
    fade_at = min((s.start for s in closing), default=steps[-1].end)
    held = fade_at - last_motion_end(segments, n)
    if held < hold_needed - 1e-3:
        out.append(
            f"step '{steps[-1].id}': the conclusion is held {held:.1f} s before the closing fade "
            f"(at least {hold_needed:.1f} s)"
        )
    for start, end, run in still_stretches(segments):
        length = end - start
        limit = DEAD_SCREEN
        if length <= limit + 1e-3:
            continue
        where = sorted({s.step for s in run})
        names = ", ".join(f"'{steps[i].id}'" if 0 <= i < n else "the title" for i in where)
        why = ", ".join(
            f"{k} {sum(s.end - s.start for s in run if s.kind == k):.1f} s"
            for k in ("scene-wait", "reading-pad", "conclusion-hold")
            if any(s.kind == k for s in run)
        )
        out.append(
            f"step {names}: {length:.1f} s with nothing moving ({start:.1f}-{end:.1f} s: {why}; "
            f"at most {limit:.0f} s)"
        )
    for i in range(1, n):
        if steps[i].screen == steps[i - 1].screen:
            out.append(
                f"step '{steps[i].id}': ends on the same screen as step '{steps[i - 1].id}' "
                f"(nothing new for {steps[i].end - steps[i].start:.1f} s)"
            )
    return out


def pacing_summary(steps: Sequence[StepRecord], segments: Sequence[Segment]) -> str:
    """One line for ``mfml lint``: the lesson's length, how much of it moves, its longest still
    stretch and how long the conclusion stands before the closing fade."""
    if not steps:
        return ""
    n = len(steps)
    total = max((s.end for s in segments), default=0.0)
    moving = sum(s.end - s.start for s in segments if s.moving)
    stretches = still_stretches(segments)
    longest = max(stretches, key=lambda r: r[1] - r[0], default=None)
    fade_at = min((s.start for s in segments if s.step == n), default=steps[-1].end)
    held = fade_at - last_motion_end(segments, n)
    where = ""
    if longest is not None:
        first = longest[2][0].step
        where = f" ('{steps[first].id}')" if 0 <= first < n else ""
    length = longest[1] - longest[0] if longest is not None else 0.0
    return (
        f"pacing {total:.0f} s, {moving / total if total else 0:.0%} moving; longest still {length:.1f} s"
        f"{where}; conclusion held {held:.1f} s"
    )


def pacing_table(steps: Sequence[StepRecord], segments: Sequence[Segment]) -> list[str]:
    """One line per step: its length, seconds animated and still, its longest still stretch."""
    lines = []
    stretches = still_stretches(segments)
    for i, st in enumerate(steps):
        moving, still = st.split(segments, i)
        longest = max(
            (
                min(e, st.end) - max(b, st.start)
                for b, e, _ in stretches
                if b < st.end - EPS and e > st.start + EPS
            ),
            default=0.0,
        )
        lines.append(
            f"{st.id}: {st.end - st.start:.1f} s, {moving:.1f} s moving, {still:.1f} s still "
            f"(longest {longest:.1f} s)"
        )
    return lines
