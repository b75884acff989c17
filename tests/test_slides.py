"""Per-step clips (``render --sections``) and the slide decks made from them (``mfml slides``).

One small render of one lesson is shared by every render test in this module (``deck`` fixture):
``mfml slides`` renders it with sections and writes both decks, the tests then check the clips
against the storyboard and the video, the captions against the storyboard, the HTML deck in headless
Chromium with the network cut, and the PPTX with python-pptx.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import av
import pytest
from typer.testing import CliRunner

from mfml_anim import lessons
from mfml_anim.cli import app
from mfml_anim.errors import UserError
from mfml_anim.render.job import RenderJob, job_for
from mfml_anim.render.runner import output_key, up_to_date
from mfml_anim.slides import clip_vtt, read_cues, write_deck
from tests.browser import open_page
from tests.render_utils import SMOKE, decode_frames

LESSON = "jacobians"  # five steps, one of the shortest lessons to render


@dataclass(frozen=True)
class Deck:
    lesson_dir: Path
    entry: dict[str, Any]
    html: Path
    pptx: Path
    steps: tuple[Any, ...]


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Deck:
    out = tmp_path_factory.mktemp("slides")
    size, fps = SMOKE[SMOKE.index("--size") + 1], SMOKE[SMOKE.index("--fps") + 1]
    r = CliRunner().invoke(app, ["slides", LESSON, "--out", str(out), "--size", size, "--fps", fps])
    assert r.exit_code == 0, r.output
    html_path, pptx_path = (Path(p) for p in r.stdout.strip().splitlines()[-2:])
    lesson_dir = out / LESSON
    outputs = json.loads((lesson_dir / "manifest.json").read_text())["outputs"]
    (entry,) = outputs.values()
    return Deck(lesson_dir, entry, html_path, pptx_path, lessons.get(LESSON).storyboard().steps)


def _duration(path: Path) -> float:
    with av.open(str(path)) as box:
        return float(box.duration / av.time_base)


@pytest.mark.render
def test_one_clip_per_step_adding_up_to_the_video(deck: Deck) -> None:
    sections = deck.entry["sections"]
    assert [s["step"] for s in sections] == [s.id for s in deck.steps]
    assert [s["narration"] for s in sections] == [s.narration for s in deck.steps]
    frame = 1 / deck.entry["fps"]
    start = 0.0
    for i, sec in enumerate(sections, 1):
        clip = deck.lesson_dir / sec["file"]
        assert re.fullmatch(rf"{deck.entry['name']}-sections/{i:02d}-[\w-]+\.mp4", sec["file"]), sec["file"]
        assert sec["file"] in deck.entry["files"]
        assert sec["start"] == pytest.approx(start, abs=1e-6)
        assert _duration(clip) == pytest.approx(sec["duration"], abs=frame)
        start += sec["duration"]
    video = deck.lesson_dir / f"{deck.entry['name']}.mp4"
    decoded = sum(_duration(deck.lesson_dir / s["file"]) for s in sections)
    assert decoded == pytest.approx(_duration(video), abs=frame)
    assert start == pytest.approx(deck.entry["duration"], abs=frame)


@pytest.mark.render
def test_every_clip_opens_on_a_picture(deck: Deck) -> None:
    """A clip's first frame is its poster in players and PowerPoint: the title card for the first,
    the previous step's last screen for the others; never the empty background."""
    for sec in deck.entry["sections"]:
        first = decode_frames(deck.lesson_dir / sec["file"])[0]
        assert first.std() > 8, f"{sec['file']} starts on a blank frame"


@pytest.mark.render
def test_caption_cues_follow_the_storyboard(deck: Deck) -> None:
    cues = read_cues((deck.lesson_dir / f"{deck.entry['name']}.srt").read_text())
    assert [c.text for c in cues] == [s.narration for s in deck.steps]
    frame = 1 / deck.entry["fps"]
    for cue, sec, step in zip(cues, deck.entry["sections"], deck.steps, strict=True):
        end = sec["start"] + sec["duration"]
        # each step's words are on screen inside its own clip, for at least the step's reading time
        assert sec["start"] - frame <= cue.start < cue.end <= end + frame
        assert cue.end - cue.start >= step.min_duration - frame
    assert cues[-1].end <= deck.entry["duration"] + frame


@pytest.mark.render
def test_html_deck_steps_through_offline(deck: Deck, tmp_path: Path) -> None:
    text = deck.html.read_text()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text), (
        "the deck links off the machine"
    )
    n = len(deck.steps)
    with open_page(deck.html.as_uri()) as page:
        page.settle(1.0)
        assert page.evaluate("document.querySelectorAll('.slide video').length") == n
        assert page.evaluate("document.querySelectorAll('video track').length") == n
        assert page.evaluate("document.body.dataset.slide") == "1"
        page.press("ArrowRight")
        # The frame has burned-in captions, so the track is off by default: load its cues unseen.
        page.evaluate("document.querySelector('.slide:not([hidden]) video').textTracks[0].mode = 'hidden'")
        page.settle(1.0)
        state = page.evaluate("""(() => { const v = document.querySelector('.slide:not([hidden]) video');
            return {slide: document.body.dataset.slide, ready: v.readyState, width: v.videoWidth,
                    error: v.error && v.error.code, cues: v.textTracks[0].cues.length}; })()""")
        shot = page.screenshot(tmp_path / "slide2.png")
        page.press("ArrowLeft")
        back = page.evaluate("document.body.dataset.slide")
        page.settle(0.3)
    assert state == {"slide": "2", "ready": 4, "width": deck.entry["width"], "error": None, "cues": 1}, state
    assert back == "1"
    assert page.failed_requests == [] and page.console_errors == [], (
        page.failed_requests,
        page.console_errors,
    )
    assert shot.stat().st_size > 1000


@pytest.mark.render
def test_pptx_has_a_movie_and_the_narration_per_step(deck: Deck) -> None:
    from pptx import Presentation

    prs = Presentation(str(deck.pptx))
    assert len(prs.slides) == len(deck.steps)
    for slide, step in zip(prs.slides, deck.steps, strict=True):
        movies = [s for s in slide.shapes if s.shape_type is not None and s.shape_type.name == "MEDIA"]
        assert len(movies) == 1
        assert slide.notes_slide.notes_text_frame.text == step.narration
    media = {p.partname for p in prs.part.package.iter_parts() if str(p.partname).startswith("/ppt/media/")}
    assert sum(1 for m in media if str(m).endswith(".mp4")) == len(deck.steps)


@pytest.mark.render
def test_a_second_deck_reuses_the_render(deck: Deck) -> None:
    video = deck.lesson_dir / f"{deck.entry['name']}.mp4"
    before = video.stat().st_mtime_ns
    deck.html.unlink()
    size, fps = SMOKE[SMOKE.index("--size") + 1], SMOKE[SMOKE.index("--fps") + 1]
    r = CliRunner().invoke(
        app,
        [
            "slides",
            LESSON,
            "--to",
            "html",
            "--out",
            str(deck.lesson_dir.parent),
            "--size",
            size,
            "--fps",
            fps,
        ],
    )
    assert r.exit_code == 0, r.output
    assert r.stdout.strip().splitlines() == [str(deck.html.resolve())]
    assert deck.html.is_file() and video.stat().st_mtime_ns == before  # written again, nothing rendered


@pytest.mark.render
def test_a_render_without_sections_does_not_satisfy_one_with(deck: Deck, tmp_path: Path) -> None:
    job = job_for(
        lessons.get(LESSON),
        out_dir=str(deck.lesson_dir.parent),
        sections=True,
        size=(deck.entry["width"], deck.entry["height"]),
        fps=deck.entry["fps"],
    )
    key = output_key(job)
    assert up_to_date(job, key) == deck.entry
    assert up_to_date(replace(job, sections=False), key) == deck.entry  # the clips are extra files
    bare = {**deck.entry, "sections": []}
    (tmp_path / LESSON).mkdir()
    (tmp_path / LESSON / "manifest.json").write_text(
        json.dumps({"lesson": LESSON, "outputs": {job.video_name: bare}})
    )
    elsewhere = replace(job, out_dir=str(tmp_path))
    assert up_to_date(replace(elsewhere, sections=False), key) is None  # its files are not there
    for f in bare["files"]:
        (tmp_path / LESSON / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / LESSON / f).write_bytes(b"")
    assert up_to_date(replace(elsewhere, sections=False), key) == bare
    assert up_to_date(elsewhere, key) is None


# --------------------------------------------------------------------------- without rendering


def test_clip_captions_are_cut_to_the_clip() -> None:
    cues = read_cues("1\n00:00:02,600 --> 00:00:12,000\nfirst\n\n2\n00:00:12,000 --> 00:00:16,400\nsecond\n")
    assert [(c.start, c.end, c.text) for c in cues] == [(2.6, 12.0, "first"), (12.0, 16.4, "second")]
    vtt = clip_vtt(cues, 12.0, 4.4)
    assert vtt.startswith("WEBVTT") and "00:00:00.000 --> 00:00:04.400\nsecond" in vtt and "first" not in vtt


def test_sections_need_a_video_format() -> None:
    for fmt in ("gif", "png"):
        with pytest.raises(UserError, match="--sections"):
            RenderJob(lesson=LESSON, params={}, fmt=fmt, sections=True)


def test_a_deck_needs_step_clips(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="without --sections"):
        write_deck(tmp_path, {"name": "x", "format": "mp4", "sections": []}, "X", "html")
    with pytest.raises(UserError, match="--to"):
        write_deck(tmp_path, {"name": "x", "format": "mp4", "sections": [{}]}, "X", "pdf")


def test_slides_cli_rejects_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    bad_to = runner.invoke(app, ["slides", LESSON, "--to", "pdf", "--out", str(tmp_path)])
    assert bad_to.exit_code == 2 and "--to" in bad_to.output
    unknown = runner.invoke(app, ["slides", "no-such-lesson", "--out", str(tmp_path)])
    assert unknown.exit_code == 2
    assert not any(tmp_path.iterdir())


def test_a_new_render_removes_clips_of_steps_that_are_gone(tmp_path: Path) -> None:
    """Renaming a step renames its clip: the old clip must not linger next to the new set."""
    from mfml_anim.render.runner import commit

    job = RenderJob(lesson=LESSON, params={}, out_dir=str(tmp_path / "out"), sections=True)

    def render_with(steps: list[str]) -> set[str]:
        src = tmp_path / "src"
        src.mkdir(exist_ok=True)
        files = {job.video_name: src / "v.mp4"}
        for i, step in enumerate(steps, 1):
            files[f"{job.sections_dir}/{i:02d}-{step}.mp4"] = src / f"{step}.mp4"
        for path in files.values():
            path.write_bytes(b"x")
        entry = {"files": sorted(files), "sections": [{"file": f} for f in files if "/" in f]}
        commit(job, files, entry)
        return {p.name for p in (job.lesson_dir / job.sections_dir).iterdir()}

    assert render_with(["a", "b"]) == {"01-a.mp4", "02-b.mp4"}
    assert render_with(["a", "c"]) == {"01-a.mp4", "02-c.mp4"}
