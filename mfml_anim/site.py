"""The course web site: ``mfml site --out DIR``, static pages that work offline from ``file://``.

::

    DIR/index.html              the course by module, one card (poster, title, summary) per lesson
    DIR/<lesson>.html           the video with its captions, the narration as a transcript with the
                                step's formulas typeset, the parameters, the deck, "regenerate with"
    DIR/media/<lesson>/...      the renders (through the render cache: an up-to-date one is kept),
                                their step clips, stills and the HTML slide deck (mfml_anim.slides)
    DIR/assets/                 KaTeX (vendored, assets/web/katex), the site's CSS/JS, the theme colours
    DIR/site.json               the lessons built so far: building a few lessons later adds them

Choices, and why:
* One render per lesson serves the page, the poster and the deck: ``--sections`` (the deck's clips)
  and ``--stills`` (the poster: the still of the lesson's middle step, a screen with content, where
  the video's first frame is only the title) and no burned-in captions: the page's ``<track>`` shows
  them (on by default), so they can be turned off, resized by the player, and are never doubled.
* The ``<track>`` carries its WebVTT inline as a ``data:`` URL: Chromium refuses a ``.vtt`` file next
  to a page opened from ``file://`` (each file URL is its own origin); the files are linked too.
* Formulas are the storyboard's own LaTeX, typeset by KaTeX in the page (every formula of every
  lesson typesets in KaTeX 0.19.1); without script they read as LaTeX source.
* Colours are the render theme's (:mod:`mfml_anim.visual.theme`), written into ``theme.css``.
"""

from __future__ import annotations

import base64
import html
import json
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mfml_anim.errors import UserError

ROOT = Path(__file__).resolve().parents[1]
# The course's six modules (Mathematics for Machine Learning: Multivariate Calculus).
MODULE_TITLES = {
    1: "What is calculus?",
    2: "Multivariate calculus",
    3: "Multivariate chain rule and its applications",
    4: "Taylor series and linearisation",
    5: "Intro to optimisation",
    6: "Regression",
}
SITE_THEME = "dark"  # the videos' theme: the page around them matches
VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "mov": "video/quicktime"}
Progress = Callable[[str], None]


def web_assets() -> Path:
    """``assets/web`` of a clone, or where a wheel installs it (``share/mfml-anim/web``)."""
    for base in (ROOT / "assets" / "web", Path(sys.prefix) / "share" / "mfml-anim" / "web"):
        if (base / "katex" / "katex.min.js").is_file():
            return base
    raise UserError("site: the web assets (KaTeX, site.css) are missing; reinstall mfml-anim from a clone")


@dataclass(frozen=True)
class Built:
    """One lesson as the site shows it: paths relative to the site root."""

    slug: str
    title: str
    module: int
    summary: str
    video: str
    poster: str
    deck: str
    entry: dict[str, Any]

    @property
    def sentence(self) -> str:
        """The lesson's one-line summary as a sentence (``mfml list`` prints it lower-case after a dash)."""
        return self.summary[:1].upper() + self.summary[1:]

    def card(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "module": self.module,
            "summary": self.sentence,
            "poster": self.poster,
            "duration": self.entry.get("duration", 0.0),
        }


def render_lesson(
    slug: str, out: Path, settings: dict[str, Any], *, force: bool, progress: Progress
) -> Built:
    """Render ``slug`` (defaults) into ``out/media`` unless up to date, write its deck; what the page
    needs."""
    from mfml_anim import lessons
    from mfml_anim.render.job import job_for
    from mfml_anim.render.runner import render
    from mfml_anim.slides import write_deck

    les = lessons.get(slug)
    job = job_for(
        les,
        out_dir=str(out / "media"),
        captions=False,
        sections=True,
        stills=True,
        **settings,
    )
    progress(f"{slug}: rendering what is missing ({job.video_name})")
    result = render(job, force=force, progress=lambda msg: progress(f"{slug}: step {msg}"))
    deck = write_deck(job.lesson_dir, result.manifest, les.title, "html")
    stills = result.manifest.get("stills") or []
    poster = f"media/{slug}/{busiest(job.lesson_dir, stills)}" if stills else ""
    return Built(
        slug,
        les.title,
        les.module,
        les.summary,
        f"media/{slug}/{job.video_name}",
        poster,
        f"media/{slug}/{deck.name}",
        result.manifest,
    )


def busiest(lesson_dir: Path, stills: list[str]) -> str:
    """The still with the most colour drawn on it (on a 160x90 thumbnail): the theme writes text and
    formulas in neutral colours and graphs, diagrams and highlights in the palette's, so this picks a
    screen that shows the lesson's picture over one of formulas alone; ties go to the earlier step."""
    import numpy as np
    from PIL import Image

    def ink(name: str) -> float:
        with Image.open(lesson_dir / name) as im:
            a = np.asarray(im.convert("RGB").resize((160, 90), Image.Resampling.BOX), dtype=np.int16)
        return float(((a.max(axis=2) - a.min(axis=2)) > 40).mean())

    scores = [ink(name) for name in stills]
    return stills[scores.index(max(scores))]


# ------------------------------------------------------------------------------------------ pages


def _head(title: str) -> str:
    return (
        f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        '<link rel="stylesheet" href="assets/katex/katex.min.css">\n'
        '<link rel="stylesheet" href="assets/theme.css">\n<link rel="stylesheet" href="assets/site.css">\n'
        '<script defer src="assets/katex/katex.min.js"></script>\n<script defer '
        'src="assets/site.js"></script>\n'
        "</head>\n<body>\n"
    )


FOOT = (
    "<footer><p>Rendered with mfml-anim and Manim Community Edition; formulas typeset by KaTeX. "
    "Works offline: open index.html from disk.</p></footer>\n</body>\n</html>\n"
)


def _clock(t: float) -> str:
    s = int(t)
    return f"{s // 60}:{s % 60:02d}"


def _track(lesson_dir: Path, entry: dict[str, Any]) -> str:
    name = f"{entry['name']}.vtt"
    if name not in entry.get("files", []):
        return ""
    data = base64.b64encode((lesson_dir / name).read_bytes()).decode()
    return (
        f'<track kind="captions" srclang="en" label="English (narration)" default '
        f'src="data:text/vtt;base64,{data}">'
    )


def _transcript(board: Any, cues: list[Any]) -> str:
    """One item per step: the time it starts (a button that seeks), the narration, its formulas."""
    items = []
    for i, step in enumerate(board.steps):
        cue = cues[i] if i < len(cues) else None
        seek = (
            f'<button type="button" class="seek" aria-label="Play from {_clock(cue.start)}">'
            f"{_clock(cue.start)}</button>"
            if cue
            else '<span class="muted">–</span>'
        )
        times = f' data-start="{cue.start:.3f}" data-end="{cue.end:.3f}"' if cue else ""
        maths = "".join(
            f'<div class="formula" data-tex="{html.escape(f.latex)}">\\[{html.escape(f.latex)}\\]</div>'
            for f in step.formulas
        )
        items.append(
            f'<li id="step-{html.escape(step.id)}"{times}>{seek}'
            f"<p>{html.escape(step.narration)}</p>{maths}</li>"
        )
    return '<ol class="transcript">\n' + "\n".join(items) + "\n</ol>"


def _params_table(slug: str) -> str:
    from mfml_anim import lessons

    rows = lessons.get(slug).params.describe()
    if not rows:
        return "<p>This lesson has no parameters.</p>"
    body = "".join(
        f"<tr><td><code>{html.escape(r['name'])}</code></td><td><code>{html.escape(str(r['default']))}"
        f"</code></td><td>{html.escape(r['type'])}</td><td>{html.escape(r['help'])}</td></tr>\n"
        for r in rows
    )
    return (
        '<table>\n<thead><tr><th scope="col">Parameter</th><th scope="col">Value here</th>'
        '<th scope="col">Type</th><th '
        f'scope="col">Meaning</th></tr></thead>\n<tbody>\n{body}</tbody>\n</table>'
    )


def regenerate_command(b: Built) -> str:
    """The command that renders exactly this page's video (the frame options only when not -q's own)."""
    from mfml_anim.render.job import default_frame

    e = b.entry
    args = ["mfml", "render", b.slug, "-q", e["quality"], "--no-captions"]
    if (e["width"], e["height"], e["fps"]) != default_frame(e["format"], e["quality"]):
        args += ["--size", f"{e['width']}x{e['height']}", "--fps", str(e["fps"])]
    if e.get("voice"):
        args += ["--voice", e["voice"]]
    return " ".join(args)


def _nav(prev: Built | None, nxt: Built | None) -> str:
    links = ['<a href="index.html">All lessons</a>']
    if prev:
        links.append(f'<a href="{prev.slug}.html" rel="prev">← {html.escape(prev.title)}</a>')
    if nxt:
        links.append(f'<a href="{nxt.slug}.html" rel="next">{html.escape(nxt.title)} →</a>')
    return '<header><nav aria-label="Course">' + "".join(links) + "</nav></header>\n"


def lesson_page(b: Built, site: Path, prev: Built | None, nxt: Built | None) -> str:
    from mfml_anim import lessons
    from mfml_anim.render.describe import human_size
    from mfml_anim.slides import lesson_cues

    lesson_dir = site / "media" / b.slug
    board = lessons.get(b.slug).storyboard()
    e = b.entry
    poster = f' poster="{html.escape(b.poster)}"' if b.poster else ""
    video = (
        f'<div class="player"><video id="lesson-video" controls preload="metadata"{poster} '
        f'width="{e["width"]}" height="{e["height"]}" aria-describedby="transcript-h">'
        f'<source src="{html.escape(b.video)}" type="{VIDEO_TYPES[e["format"]]}">{_track(lesson_dir, e)}'
        f'<a href="{html.escape(b.video)}">Download the video</a></video></div>\n'
    )
    stem = f"media/{b.slug}/{e['name']}"
    voiced = f", narrated ({html.escape(e['voice'].split(':')[0])})" if e.get("voice") else ""
    links = (
        f'<ul class="downloads"><li><a href="{html.escape(b.deck)}">Slides (one step per slide, ← →)</a></li>'
        f'<li><a href="{html.escape(b.video)}">Video ({e["format"]}, {_clock(e["duration"])}{voiced}, '
        f'{human_size(e.get("bytes", 0))})</a></li><li><a href="{html.escape(stem)}.vtt">Captions '
        "(.vtt)</a></li>"
        f'<li><a href="{html.escape(stem)}.srt">Captions (.srt)</a></li></ul>\n'
    )
    return (
        _head(f"{b.title} — Multivariate Calculus")
        + '<a class="skip" href="#main">Skip to the lesson</a>\n'
        + _nav(prev, nxt)
        + f'<main id="main">\n<h1>{html.escape(b.title)}</h1>\n'
        f'<p class="meta">Module {b.module}: {html.escape(MODULE_TITLES.get(b.module, ""))} · '
        f"{html.escape(b.sentence)}</p>\n{video}{links}"
        f'<section aria-labelledby="transcript-h"><h2 id="transcript-h">Transcript</h2>\n'
        f"{_transcript(board, lesson_cues(lesson_dir, e))}\n</section>\n"
        '<section aria-labelledby="params-h"><h2 '
        f'id="params-h">Parameters</h2>\n{_params_table(b.slug)}\n</section>\n'
        f'<section aria-labelledby="regen-h"><h2 id="regen-h">Regenerate with</h2>\n'
        f"<pre><code>{html.escape(regenerate_command(b))}</code></pre>\n"
        f"<p>Change the example with <code>--set NAME=VALUE</code> (see <code>mfml show {b.slug}</code>); "
        f"<code>mfml script {b.slug}</code> prints the storyboard.</p>\n</section>\n</main>\n" + FOOT
    )


def index_page(cards: list[dict[str, Any]]) -> str:
    sections = []
    for module, title in MODULE_TITLES.items():
        mine = [c for c in cards if c["module"] == module]
        if not mine:
            continue
        items = "".join(
            f'<li class="card">{_poster(c)}<div class="body"><h3><a '
            f'href="{c["slug"]}.html">{html.escape(c["title"])}</a></h3>'
            f'<p>{html.escape(c["summary"])}</p><p class="muted">{_clock(c["duration"])}</p></div></li>\n'
            for c in mine
        )
        sections.append(
            f'<section aria-labelledby="m{module}"><h2 id="m{module}">Module {module}: '
            f'{html.escape(title)}</h2>\n<ul class="cards">\n{items}</ul>\n</section>\n'
        )
    return (
        _head("Mathematics for Machine Learning: Multivariate Calculus — animated lessons")
        + '<a class="skip" href="#main">Skip to the lessons</a>\n<main id="main">\n'
        "<h1>Multivariate Calculus, animated</h1>\n"
        f'<p class="meta">{len(cards)} lesson{"" if len(cards) == 1 else "s"} of <em>Mathematics for '
        "Machine Learning: Multivariate Calculus</em>, "
        "each with captions, a transcript, its formulas and slides.</p>\n"
        + "".join(sections)
        + "</main>\n"
        + FOOT
    )


def _poster(card: dict[str, Any]) -> str:
    if not card.get("poster"):
        return ""
    # Decorative next to the linked title (the alt would repeat it); the link itself is the title's.
    return f'<img src="{html.escape(card["poster"])}" alt="" loading="lazy" width="16" height="9">'


# ------------------------------------------------------------------------------------------ writing


def theme_css() -> str:
    from mfml_anim.visual.theme import THEMES

    t = THEMES[SITE_THEME]
    roles = {
        "background": t.background,
        "text": t.text,
        "muted": t.muted,
        "panel": t.panel,
        "link": t.function,
        "focus": t.highlight,
        "rule": t.axes,
    }
    return ":root {\n  color-scheme: dark;\n" + "".join(f"  --{k}: {v};\n" for k, v in roles.items()) + "}\n"


def _write(path: Path, text: str) -> None:
    """Write by rename, so a reader (or an interrupted build) never sees half a page."""
    tmp = path.with_name(f".{path.name}.partial-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def copy_assets(out: Path) -> None:
    src = web_assets()
    dest = out / "assets"
    shutil.copytree(src / "katex", dest / "katex", dirs_exist_ok=True)
    for name in ("site.css", "site.js"):
        shutil.copyfile(src / "site" / name, dest / name)
    _write(dest / "theme.css", theme_css())


def read_cards(out: Path) -> dict[str, dict[str, Any]]:
    """Cards of lessons built earlier into ``out`` whose page is still there."""
    try:
        cards = json.loads((out / "site.json").read_text())["lessons"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {c["slug"]: c for c in cards if isinstance(c, dict) and (out / f"{c.get('slug')}.html").is_file()}


def build_site(
    out: Path,
    slugs: list[str],
    settings: dict[str, Any],
    *,
    force: bool = False,
    progress: Progress | None = None,
    jobs: int = 1,
) -> Path:
    """Render (what is missing, ``jobs`` lessons at a time) and write the site for ``slugs`` (course
    order) into ``out``; earlier lessons in ``out`` stay on the index. Returns the index page."""
    from concurrent.futures import ThreadPoolExecutor

    say = progress or (lambda _m: None)
    (out / "assets").mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:  # each render is a process of its own
        built = list(pool.map(lambda s: render_lesson(s, out, settings, force=force, progress=say), slugs))
    copy_assets(out)
    for i, b in enumerate(built):
        _write(
            out / f"{b.slug}.html",
            lesson_page(b, out, built[i - 1] if i else None, built[i + 1] if i + 1 < len(built) else None),
        )
    cards = read_cards(out)
    cards.update({b.slug: b.card() for b in built})
    from mfml_anim import lessons

    order = {les.slug: i for i, les in enumerate(lessons.all_lessons())}
    ordered = sorted(cards.values(), key=lambda c: order.get(c["slug"], len(order)))
    _write(out / "site.json", json.dumps({"lessons": ordered}, indent=2) + "\n")
    _write(out / "index.html", index_page(ordered))
    return out / "index.html"
