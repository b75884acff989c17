"""Slide decks from a lesson's per-step clips: an offline HTML deck and a PowerPoint file.

A deck is built from an output's manifest entry rendered with ``--sections`` (one clip per
storyboard step, see :mod:`mfml_anim.render.worker`): one slide per step, the step's narration as
speaker notes. Both files go next to the video in ``OUT/<lesson>/``:

* ``<stem>-slides.html``: a small player of our own, one self-contained file (CSS and script
  inline, no CDN, no framework) that plays the clips in ``<stem>-sections/`` by relative links, so
  the folder works from ``file://`` and can be zipped or copied to a USB stick. → / PageDown / Space
  go to the next step and play it, ← / PageUp back, Home / End, N shows the notes, F full screen.
  Captions are ``<track>`` elements with the cues inlined as ``data:`` URLs, because Chromium
  refuses a ``<track src="x.vtt">`` next to a page opened from ``file://`` ("file: URLs are treated
  as unique security origins").
* ``<stem>-slides.pptx``: python-pptx, each clip embedded with its first frame as poster.

Why not manim-slides or reveal.js: manim-slides 5.7 does not run with manim 0.22 (three
incompatibilities, issue 12), and a deck that only shows one video per slide needs none of
reveal.js's 5 MB; a hundred lines of our own script step through the clips, are tested in
headless Chromium and have no licence or vendoring to keep up to date.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mfml_anim.errors import UserError

FORMATS = ("html", "pptx")
VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "mov": "video/quicktime"}


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def read_cues(text: str) -> list[Cue]:
    """The cues of an SRT or WebVTT file (times ``hh:mm:ss,mmm`` or ``.mmm``)."""
    stamp = r"(\d+):(\d\d):(\d\d)[,.](\d{3})"
    cues = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = block.strip().splitlines()
        for i, line in enumerate(lines):
            m = re.match(rf"\s*{stamp}\s*-->\s*{stamp}", line)
            if m:
                g = [int(v) for v in m.groups()]
                start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
                end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
                cues.append(Cue(start, end, "\n".join(lines[i + 1 :])))
                break
    return cues


def _stamp(t: float) -> str:
    ms = round(t * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def clip_vtt(cues: list[Cue], start: float, duration: float) -> str:
    """WebVTT for the clip ``[start, start + duration)`` of the whole video: the cues that overlap
    it, cut to it and shifted to the clip's own clock."""
    out = ["WEBVTT", ""]
    for c in cues:
        a, b = max(c.start, start) - start, min(c.end, start + duration) - start
        if b - a > 0.01:
            out += [f"{_stamp(a)} --> {_stamp(b)}", c.text, ""]
    return "\n".join(out)


def sections_of(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-step clips of a manifest entry; an output rendered without ``--sections`` has none."""
    sections = entry.get("sections") or []
    if not sections:
        raise UserError(f"{entry.get('name', '?')}: rendered without --sections, so there are no step clips")
    return sections


def lesson_cues(lesson_dir: Path, entry: dict[str, Any]) -> list[Cue]:
    """The whole video's caption cues (its .vtt or .srt), or none when it has no caption file."""
    for ext in ("vtt", "srt"):
        name = f"{entry['name']}.{ext}"
        if name in entry.get("files", []) and (lesson_dir / name).is_file():
            return read_cues((lesson_dir / name).read_text())
    return []


# ---------------------------------------------------------------------------------------- HTML

STYLE = """
:root { color-scheme: @scheme; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: @background; color: @text;
  font: 1rem/1.4 system-ui, sans-serif; }
body { display: flex; flex-direction: column; }
main { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.slide { flex: 1; min-height: 0; display: flex; flex-direction: column; align-items: center; gap: .5rem;
  padding: .5rem; }
.slide[hidden] { display: none; }
.slide video { flex: 1; min-height: 0; width: 100%; object-fit: contain; background: @background; }
.notes { display: none; width: min(60rem, 100%); background: @panel; padding: .5rem 1rem;
  border-radius: .4rem; }
.notes h2 { font-size: 1rem; margin: 0 0 .3rem; color: @muted; }
.notes p { margin: 0; font-size: 1.15rem; }
body.show-notes .notes { display: block; }
nav { display: flex; gap: .75rem; align-items: center; justify-content: center; padding: .4rem;
  color: @muted; }
button { font: inherit; color: @text; background: @panel; border: 1px solid @muted; border-radius: .3rem;
  padding: .2rem .8rem; cursor: pointer; }
button:focus-visible { outline: 3px solid @highlight; outline-offset: 2px; }
.help { font-size: .85rem; }
"""

SCRIPT = """
(function () {
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var count = document.getElementById("count");
  var cur = -1;
  function video(i) { return slides[i].querySelector("video"); }
  function show(i, play) {
    i = Math.max(0, Math.min(slides.length - 1, i));
    if (i === cur) { return; }
    if (cur >= 0) { video(cur).pause(); slides[cur].hidden = true; slides[cur].classList.remove("current"); }
    cur = i;
    slides[i].hidden = false;
    slides[i].classList.add("current");
    var v = video(i);
    v.currentTime = 0;
    if (play) { var p = v.play(); if (p && p.catch) { p.catch(function () {}); } }
    count.textContent = (i + 1) + " / " + slides.length;
    document.body.setAttribute("data-slide", String(i + 1));
    history.replaceState(null, "", "#" + (i + 1));
  }
  function toggle(v) { if (v.paused) { v.play(); } else { v.pause(); } }
  function notes() {
    var on = document.body.classList.toggle("show-notes");
    document.getElementById("notes").setAttribute("aria-pressed", String(on));
  }
  var keys = {
    ArrowRight: function () { show(cur + 1, true); }, PageDown: function () { show(cur + 1, true); },
    " ": function () { show(cur + 1, true); }, ArrowLeft: function () { show(cur - 1, true); },
    PageUp: function () { show(cur - 1, true); }, Home: function () { show(0, true); },
    End: function () { show(slides.length - 1, true); }, n: notes, N: notes,
    k: function () { toggle(video(cur)); }, K: function () { toggle(video(cur)); },
    f: function () { if (document.fullscreenElement) { document.exitFullscreen(); }
                     else { document.documentElement.requestFullscreen(); } }
  };
  keys.F = keys.f;
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || !keys[e.key]) { return; }
    e.preventDefault();
    keys[e.key]();
  });
  document.getElementById("prev").onclick = function () { show(cur - 1, true); };
  document.getElementById("next").onclick = function () { show(cur + 1, true); };
  document.getElementById("notes").onclick = notes;
  slides.forEach(function (s) { s.querySelector("video").onclick = function (e) { toggle(e.target); }; });
  show((parseInt(location.hash.slice(1), 10) || 1) - 1, false);
})();
"""


def _style(theme: str) -> str:
    from mfml_anim.visual.theme import THEMES

    t = THEMES[theme]
    css = STYLE.replace("@scheme", "dark" if theme == "dark" else "light")
    for role in ("background", "text", "muted", "panel", "highlight"):
        css = css.replace(f"@{role}", getattr(t, role))
    return css


def _slide_html(i: int, n: int, sec: dict[str, Any], entry: dict[str, Any], vtt: str) -> str:
    step, fmt = html.escape(sec["step"]), entry["format"]
    track = ""
    if vtt.count("-->"):
        data = base64.b64encode(vtt.encode()).decode()
        # Shown by default only when the frame has no burned-in captions (else the words are doubled).
        default = "" if entry.get("captions", True) else " default"
        track = (
            f'<track kind="captions" srclang="en" label="Narration"{default} '
            f'src="data:text/vtt;base64,{data}">'
        )
    return (
        f'<section class="slide" id="step-{i}" data-step="{step}" aria-label="Step {i} of {n}: {step}" '
        "hidden>\n"
        f'  <video preload="auto" playsinline aria-describedby="notes-{i}">'
        f'<source src="{html.escape(sec["file"])}" type="{VIDEO_TYPES[fmt]}">{track}</video>\n'
        f'  <aside class="notes" id="notes-{i}"><h2>Step {i} of {n} · {step}</h2>'
        f"<p>{html.escape(sec['narration'])}</p></aside>\n</section>"
    )


def html_deck(title: str, entry: dict[str, Any], cues: list[Cue]) -> str:
    """The deck page for manifest entry ``entry`` (its section links are relative to the lesson dir)."""
    sections = sections_of(entry)
    n = len(sections)
    slides = "\n".join(
        _slide_html(i, n, s, entry, clip_vtt(cues, s["start"], s["duration"]))
        for i, s in enumerate(sections, 1)
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} — slides</title>
<style>{_style(entry.get("theme", "dark"))}</style>
</head>
<body>
<main aria-live="polite">
{slides}
</main>
<nav aria-label="Slides">
<button id="prev" type="button" aria-label="Previous step">&larr;</button>
<span id="count" aria-live="polite">1 / {n}</span>
<button id="next" type="button" aria-label="Next step">&rarr;</button>
<button id="notes" type="button" aria-pressed="false">Notes</button>
<span class="help">&larr; &rarr; step · N notes · K play/pause · F full screen</span>
</nav>
<script>{SCRIPT}</script>
</body>
</html>
"""


# ---------------------------------------------------------------------------------------- PPTX


def first_frame_png(path: Path) -> io.BytesIO:
    """The first frame of a clip as PNG bytes: the poster PowerPoint shows before it plays."""
    import av

    with av.open(str(path)) as box:
        frame = next(box.decode(video=0))
        buf = io.BytesIO()
        frame.to_image().save(buf, format="PNG")
    buf.seek(0)
    return buf


def pptx_deck(title: str, lesson_dir: Path, entry: dict[str, Any], dest: Path) -> Path:
    """A 16:9 PowerPoint file: per step a slide with its title, the clip embedded (first frame as
    poster) and the narration as the slide's notes."""
    from pptx import Presentation
    from pptx.util import Emu, Pt

    sections = sections_of(entry)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in
    blank = prs.slide_layouts[6]
    margin = Emu(304800)  # 1/3 inch
    head = Emu(685800)
    for i, sec in enumerate(sections, 1):
        slide = prs.slides.add_slide(blank)
        box = slide.shapes.add_textbox(margin, Emu(152400), prs.slide_width - 2 * margin, head)
        box.text_frame.text = f"{title} — step {i} of {len(sections)}"
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
        room_w = prs.slide_width - 2 * margin
        room_h = prs.slide_height - head - 2 * margin  # type: ignore[operator]  # pptx: Optional, set on a deck
        scale = min(room_w / entry["width"], room_h / entry["height"])
        w, h = int(entry["width"] * scale), int(entry["height"] * scale)
        clip = lesson_dir / sec["file"]
        slide.shapes.add_movie(
            str(clip),
            (prs.slide_width - w) // 2,
            head + margin,
            w,
            h,
            poster_frame_image=first_frame_png(clip),
            mime_type=VIDEO_TYPES[entry["format"]],
        )
        slide.notes_slide.notes_text_frame.text = sec["narration"]
    prs.save(str(dest))
    return dest


# ---------------------------------------------------------------------------------------- decks


def deck_path(lesson_dir: Path, entry: dict[str, Any], to: str) -> Path:
    return lesson_dir / f"{entry['name']}-slides.{to}"


def write_deck(lesson_dir: Path, entry: dict[str, Any], title: str, to: str = "html") -> Path:
    """Write the ``to`` deck (html or pptx) of the output ``entry`` (its manifest entry, rendered with
    sections) into ``lesson_dir``, next to the clips; returns the deck's path."""
    if to not in FORMATS:
        raise UserError(f"--to: '{to}' is not a deck format (allowed: {', '.join(FORMATS)})")
    dest = deck_path(lesson_dir, entry, to)
    tmp = dest.with_name(f".{dest.name}.partial")
    if to == "html":
        tmp.write_text(html_deck(title, entry, lesson_cues(lesson_dir, entry)), encoding="utf-8")
    else:
        pptx_deck(title, lesson_dir, entry, tmp)
    tmp.replace(dest)  # a deck is never seen half-written
    return dest


def build_decks(
    slug: str,
    out: Path,
    formats: tuple[str, ...] = ("html",),
    *,
    params: dict[str, Any] | None = None,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    **settings: Any,
) -> list[Path]:
    """Render lesson ``slug`` with sections into ``out/<slug>/`` unless an up-to-date render is there
    (the render cache decides), then write its decks. ``settings`` are RenderJob fields (quality,
    size, fps, theme, captions). For the course site: ``build_decks(slug, out)[0]`` is the HTML deck."""
    from mfml_anim import lessons
    from mfml_anim.render.job import job_for
    from mfml_anim.render.runner import render

    les = lessons.get(slug)
    job = job_for(
        les,
        params,
        out_dir=str(out),
        sections=True,
        **settings,
    )
    result = render(job, force=force, progress=progress)
    return [write_deck(job.lesson_dir, result.manifest, les.title, to) for to in formats]
