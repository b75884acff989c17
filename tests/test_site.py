"""The course site and narration, on one narrated two-lesson site rendered once (smallest frame).

The site's renders carry an espeak-ng voice, so the same files check the voice (the audio track
against the video, the steps against their speech, the captions against both) and the site
(opened in headless Chromium from file:// with the network cut: video, captions, formulas, no
failed request, keyboard, 200 % zoom).
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from typer.testing import CliRunner

from mfml_anim import lessons, voice
from mfml_anim.cli import app
from mfml_anim.slides import read_cues
from tests.browser import open_page

pytestmark = pytest.mark.render
LESSONS = ("jacobians", "product-rule")
FRAME = ["--size", "256x144", "--fps", "5"]
SILENCE = 0.01  # RMS (full scale 1.0) below which a 50 ms window counts as silent


@dataclass(frozen=True)
class Lesson:
    slug: str
    dir: Path
    entry: dict[str, Any]

    @property
    def video(self) -> Path:
        return self.dir / f"{self.entry['name']}.{self.entry['format']}"

    def cues(self) -> list[Any]:
        return read_cues((self.dir / f"{self.entry['name']}.vtt").read_text())

    def speech(self) -> list[voice.Speech]:
        board = lessons.get(self.slug).storyboard()
        return voice.speak_steps([s.narration for s in board.steps], voice.parse_spec(self.entry["voice"]))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per test run: under pytest-xdist the workers share one folder of this run (the
    parent of their own temp dirs) and a lock; a worker that comes second finds the renders up to
    date in the render cache and only rewrites the pages."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = shared / "narrated-site"
    with open(shared / "narrated-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        r = CliRunner().invoke(app, ["site", *LESSONS, "--out", str(out), *FRAME, "--voice", "espeak"])
    assert r.exit_code == 0, r.output
    assert Path(r.stdout.strip().splitlines()[-1]) == (out / "index.html").resolve()
    return out


def lesson(site: Path, slug: str) -> Lesson:
    outputs = json.loads((site / "media" / slug / "manifest.json").read_text())["outputs"]
    (entry,) = outputs.values()
    return Lesson(slug, site / "media" / slug, entry)


def audio_of(path: Path) -> tuple[np.ndarray, int, float]:
    """The decoded sound track (mono float samples), its rate, and the video stream's length."""
    with av.open(str(path)) as box:
        vs = box.streams.video[0]
        video_s = float(vs.duration * vs.time_base)
        chunks, rate = [], 0
        for frame in box.decode(audio=0):
            arr = frame.to_ndarray()  # planar: (channels, n); packed: (1, n * channels)
            chunks.append(arr if frame.format.is_planar else arr.reshape(-1, len(frame.layout.channels)).T)
            rate = frame.sample_rate
    samples = np.concatenate([c.astype(np.float64) for c in chunks], axis=1).mean(axis=0)
    return samples, rate, video_s


def rms(samples: np.ndarray, rate: int, a: float, b: float) -> np.ndarray:
    """RMS of each 50 ms window of [a, b) seconds."""
    win = int(rate * 0.05)
    part = samples[int(a * rate) : int(b * rate)]
    part = part[: len(part) // win * win].reshape(-1, win)
    return np.sqrt((part**2).mean(axis=1))


@pytest.mark.parametrize("slug", LESSONS)
def test_sound_track_spans_the_video(site: Path, slug: str) -> None:
    les = lesson(site, slug)
    assert les.entry["voice"] == "espeak:en-us" and "espeak" in les.entry["name"]
    samples, rate, video_s = audio_of(les.video)
    audio_s = len(samples) / rate
    assert abs(audio_s - video_s) < 0.25, (audio_s, video_s)
    assert abs(video_s - les.entry["duration"]) < 0.25
    assert (rms(samples, rate, 0, audio_s) > SILENCE).mean() > 0.3  # mostly speech, not a silent track


@pytest.mark.parametrize("slug", LESSONS)
def test_every_step_lasts_as_long_as_its_speech(site: Path, slug: str) -> None:
    les = lesson(site, slug)
    sections, speech = les.entry["sections"], les.speech()
    assert [s["step"] for s in sections] == [s.id for s in lessons.get(slug).storyboard().steps]
    for sec, said, cue in zip(sections, speech, les.cues(), strict=True):
        assert cue.end - cue.start >= said.seconds, (sec["step"], cue, said)
        # The clip of the first step also holds the title card, of the last the closing fade.
        assert sec["duration"] >= said.seconds


@pytest.mark.parametrize("slug", LESSONS)
def test_captions_are_timed_to_the_speech(site: Path, slug: str) -> None:
    """One cue per step with its narration; in the decoded track each cue's speech starts with
    the cue and has ended before the cue does (so no caption is gone while its words are said)."""
    les = lesson(site, slug)
    steps, cues, speech = lessons.get(slug).storyboard().steps, les.cues(), les.speech()
    assert [c.text for c in cues] == [s.narration for s in steps]
    assert all(a.end <= b.start + 0.01 for a, b in zip(cues, cues[1:], strict=False))
    assert cues[-1].end <= les.entry["duration"] + 0.01
    samples, rate, _ = audio_of(les.video)
    for cue, said in zip(cues, speech, strict=True):
        voiced = np.flatnonzero(rms(samples, rate, cue.start, cue.end) > SILENCE) * 0.05
        assert voiced.size, f"no speech during the cue at {cue.start}"
        assert voiced[0] < 0.35, f"speech starts {voiced[0]:.2f} s after its caption ({cue.text[:30]})"
        assert voiced[-1] <= said.seconds + 0.1, f"speech still going at {cue.start + voiced[-1]:.2f}"


def test_index_lists_the_lessons_by_module_offline(site: Path, tmp_path: Path) -> None:
    with open_page((site / "index.html").as_uri(), width=1280, height=900) as page:
        page.settle(0.5)
        found = page.evaluate("""JSON.stringify({
            modules: Array.from(document.querySelectorAll('main h2')).map(h => h.textContent),
            links: Array.from(document.querySelectorAll('.card h3 a')).map(a => a.getAttribute('href')),
            posters: Array.from(document.querySelectorAll('.card img'))
                .map(i => i.complete && i.naturalWidth)})""")
        page.screenshot(tmp_path / "index.png")
        assert page.failed_requests == [] and page.console_errors == []
    got = json.loads(found)
    assert got["links"] == ["product-rule.html", "jacobians.html"]  # course order: module 1 first
    assert got["modules"] == ["Module 1: What is calculus?", "Module 2: Multivariate calculus"]
    assert got["posters"] == [256, 256]
    assert all((site / link).is_file() for link in got["links"])


def test_lesson_page_plays_with_captions_offline(site: Path) -> None:
    les = lesson(site, "jacobians")
    board = lessons.get("jacobians").storyboard()
    with open_page((site / "jacobians.html").as_uri()) as page:
        page.evaluate(
            "new Promise(r => { const v = document.querySelector('video');"
            " v.readyState >= 1 ? r() : v.addEventListener('loadedmetadata', r); })"
        )
        page.settle(0.5)
        got = json.loads(
            page.evaluate("""JSON.stringify({
            videos: document.querySelectorAll('video').length,
            tracks: Array.from(document.querySelectorAll('video track'))
                .map(t => [t.kind, t.src.slice(0, 14)]),
            cues: document.querySelector('video').textTracks[0].cues.length,
            duration: document.querySelector('video').duration,
            steps: document.querySelectorAll('.transcript li[data-start]').length,
            katex: document.querySelectorAll('.formula .katex').length,
            errors: document.querySelectorAll('.katex-error').length,
            deck: document.querySelector('a[href$="-slides.html"]').getAttribute('href'),
            regen: document.querySelector('pre code').textContent})""")
        )
        assert page.failed_requests == [] and page.console_errors == []
        page.press("Tab")  # the first stop is the skip link, which leads to the lesson
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert got["videos"] == 1 and got["tracks"] == [["captions", "data:text/vtt;"]]
    assert got["cues"] == got["steps"] == len(board.steps)
    assert abs(got["duration"] - les.entry["duration"]) < 0.3
    assert got["katex"] == sum(len(s.formulas) for s in board.steps) and got["errors"] == 0
    assert (site / got["deck"]).is_file()
    assert got["regen"].startswith("mfml render jacobians") and "--voice espeak:en-us" in got["regen"]


def test_regenerate_command_names_this_very_render(site: Path) -> None:
    """Run with the site's media folder, the page's command finds its video up to date."""
    cmd = lesson_command(site, "product-rule")
    video = lesson(site, "product-rule").video
    before = video.stat().st_mtime_ns
    r = CliRunner().invoke(app, [*cmd[1:], "--out", str(site / "media")])
    assert r.exit_code == 0, r.output
    assert Path(r.stdout.strip().splitlines()[-1]) == video.resolve()
    assert video.stat().st_mtime_ns == before, "the page's command rendered something else"


def lesson_command(site: Path, slug: str) -> list[str]:
    text = (site / f"{slug}.html").read_text()
    return text.split("<pre><code>")[1].split("</code></pre>")[0].split()


def test_readable_at_200_percent_zoom(site: Path) -> None:
    """A 1280 px window at 200 % lays out like a 640 px one: nothing wider than the window."""
    for page_name in ("index.html", "jacobians.html"):
        with open_page((site / page_name).as_uri(), width=640, height=720) as page:
            page.settle(0.3)
            wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            small = page.evaluate(
                "Math.min(...Array.from(document.querySelectorAll('p, li, td'))"
                ".map(e => parseFloat(getComputedStyle(e).fontSize)))"
            )
        assert wide <= 0, f"{page_name}: {wide} px wider than the window"
        assert small >= 15


def test_formulas_show_no_vertical_scroll_bar(site: Path) -> None:
    """A display formula may scroll sideways on a narrow window, never up and down: KaTeX's glyphs
    overhang their box by a pixel, and ``overflow-x: auto`` alone makes ``overflow-y`` auto too, so
    every formula had a vertical scroll bar (issue 25 part 4)."""
    with open_page((site / "jacobians.html").as_uri(), width=1280, height=720) as page:
        page.settle(0.3)
        found = page.evaluate(
            "JSON.stringify(Array.from(document.querySelectorAll('.formula')).map(e => ["
            "e.scrollHeight - e.clientHeight, getComputedStyle(e).overflowY]))"
        )
    rows = json.loads(found)
    assert rows, "no .formula on the page"
    scrolling = [r for r in rows if r[0] > 0 and r[1] in ("auto", "scroll")]
    assert not scrolling, f"{len(scrolling)} of {len(rows)} formulas scroll vertically: {scrolling[:3]}"


def test_building_more_lessons_keeps_the_earlier_ones(site: Path) -> None:
    r = CliRunner().invoke(app, ["site", "jacobians", "--out", str(site), *FRAME, "--voice", "espeak"])
    assert r.exit_code == 0, r.output
    assert "rendered in" not in r.stderr  # up to date: nothing rendered again
    index = (site / "index.html").read_text()
    assert 'href="product-rule.html"' in index and 'href="jacobians.html"' in index


def test_site_rejects_bad_input_in_one_line(tmp_path: Path) -> None:
    for args, message in (
        (["nope"], "unknown lesson"),
        (["-q", "k"], "not a site quality"),
        (["--voice", "klingon"], "not a voice engine"),
    ):
        r = CliRunner().invoke(app, ["site", *args, "--out", str(tmp_path / "s")])
        assert r.exit_code == 2 and message in r.stderr, r.output


def test_step_clips_carry_their_part_of_the_narration(site: Path) -> None:
    """Manim's section clips are silent; a narrated render gives each its slice of the track."""
    les = lesson(site, "jacobians")
    whole, rate, _ = audio_of(les.video)
    for sec in les.entry["sections"]:
        part, part_rate, video_s = audio_of(les.dir / sec["file"])
        assert part_rate == rate and abs(len(part) / rate - sec["duration"]) < 0.05, sec["file"]
        assert abs(video_s - sec["duration"]) < 0.25
        a = int(sec["start"] * rate)
        loud, expected = (
            rms(part, rate, 0, sec["duration"]),
            rms(whole[a : a + len(part)], rate, 0, sec["duration"]),
        )
        n = min(len(loud), len(expected))
        assert (loud[:n] > SILENCE).mean() > 0.3
        assert np.mean((loud[:n] > SILENCE) == (expected[:n] > SILENCE)) > 0.9  # the same words, in place
