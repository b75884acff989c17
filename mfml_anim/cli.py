"""The ``mfml`` command line.

``list``, ``show``, ``script`` and ``audit`` work on storyboards only and never import Manim, so
they answer in well under a second. Every user mistake ends in one line on stderr and exit code 2.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from mfml_anim import lessons
from mfml_anim.errors import UserError

app = typer.Typer(
    name="mfml",
    help="Animated lessons for Mathematics for Machine Learning: Multivariate Calculus.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

F = TypeVar("F", bound=Callable[..., Any])


def _version(value: bool) -> None:
    if value:
        from mfml_anim import __version__

        typer.echo(f"mfml-anim {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Animated lessons for Mathematics for Machine Learning: Multivariate Calculus."""


def user_errors(fn: F) -> F:
    """Turn :class:`UserError` into one line on stderr and exit code 2 (no traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except UserError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]  # the wrapper keeps the command's signature for typer (functools.wraps)


# Long forms only: Manim's users type -s (last frame) and -p (preview), which `render` gives their
# Manim meaning.
SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", help="Parameter value, key=value (repeatable).", metavar="KEY=VALUE"),
]
ParamsOpt = Annotated[
    Path | None, typer.Option("--params", help="TOML file of parameter values.", metavar="FILE")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]


def _params(lesson: lessons.Lesson, sets: list[str] | None, params_file: Path | None):  # noqa: ANN202
    from mfml_anim.params import load_params_file, parse_set_options

    values: dict[str, Any] = {}
    from_file: dict[str, Any] = {}
    if params_file is not None:
        if params_file.is_dir():
            raise UserError(f"--params {params_file}: is a directory, not a TOML file")
        from_file = load_params_file(params_file)
        values.update(from_file)
    from_set = parse_set_options(sets or [])
    values.update(from_set)
    try:
        return lesson.make_params(values)
    except UserError as exc:
        raise _blame_file(exc, params_file, from_file, from_set) from None


def _blame_file(
    exc: UserError, path: Path | None, from_file: dict[str, Any], from_set: dict[str, str]
) -> UserError:
    """A parameter error about a value that came from the params file names the file, not --set:
    ``my.toml: 'at': not a number``. Errors about --set values (which override the file) are kept."""
    msg = str(exc)
    m = re.match(r"--set (\w+): (.*)", msg) or re.match(r"unknown parameter '(\w+)'()", msg)
    if path is None or m is None or m.group(1) not in from_file or m.group(1) in from_set:
        return exc
    return UserError(f"{path}: '{m.group(1)}': {m.group(2)}" if m.group(2) else f"{path}: {msg}")


def _targets(names: list[str] | None, all_: bool, light: bool = False) -> list[Any]:
    """The lessons named (or all). ``light``: catalog entries (mfml_anim.catalog.Listed), enough to
    render with default parameters and much faster to get than the lessons themselves."""
    if all_ and names:
        raise UserError("give lesson names or --all, not both")
    if not all_ and not names:
        raise UserError("name at least one lesson or pass --all (see 'mfml list')")
    if light:
        from mfml_anim.catalog import listed

        return listed(None if all_ else names)
    return lessons.all_lessons() if all_ else [lessons.get(n) for n in names or []]


@app.command("list")
@user_errors
def list_(json_: JsonOpt = False) -> None:
    """List all lessons: slug, module, title and what each shows."""
    from mfml_anim.catalog import list_text

    typer.echo(list_text(json_))


@app.command()
@user_errors
def show(
    lesson: Annotated[str, typer.Argument(help="Lesson slug (see 'mfml list').")], json_: JsonOpt = False
) -> None:
    """Show a lesson's parameters: name, type, default and meaning."""
    from mfml_anim.catalog import show_text

    typer.echo(show_text(lesson, json_))


@app.command()
@user_errors
def script(
    lesson: Annotated[str, typer.Argument(help="Lesson slug.")],
    set_: SetOpt = None,
    params: ParamsOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Print the storyboard: steps, narration, formulas and values."""
    les = lessons.get(lesson)
    board = les.storyboard(_params(les, set_, params))
    if json_:
        typer.echo(json.dumps(board.to_json(), indent=2, default=str))
        return
    typer.echo(f"{board.title} (module {board.module}) — params: {json.dumps(board.params, default=str)}")
    for i, s in enumerate(board.steps, 1):
        typer.echo(f"\n[{i}] {s.id}  (≥ {s.min_duration:.1f} s)\n    {s.narration}")
        for f in s.formulas:
            typer.echo(f"    $ {f.latex}")
        for k, v in s.values.items():
            typer.echo(f"    {k} = {v.value:.10g}")


@app.command()
@user_errors
def audit(
    names: Annotated[list[str] | None, typer.Argument(help="Lesson slugs.", show_default=False)] = None,
    all_: Annotated[bool, typer.Option("--all", help="Audit every lesson.")] = False,
    set_: SetOpt = None,
    params: ParamsOpt = None,
) -> None:
    """Re-derive every formula and value of every step with sympy; exit 1 on any failure."""
    from mfml_anim.audit import audit as run_audit

    failed = 0
    for les in _targets(names, all_):
        board = les.storyboard(_params(les, set_, params))
        issues = run_audit(board)
        n_f = sum(len(s.formulas) for s in board.steps)
        n_v = sum(len(s.values) for s in board.steps)
        if issues:
            failed += 1
            typer.echo(f"FAIL {les.slug}: {len(issues)} problem(s)")
            for i in issues:
                typer.echo(f"  - {i}")
        else:
            typer.echo(f"ok   {les.slug}: {len(board.steps)} steps, {n_f} formulas, {n_v} values verified")
    if failed:
        raise typer.Exit(1)


@app.command()
@user_errors
def lint(
    names: Annotated[list[str] | None, typer.Argument(help="Lesson slugs.", show_default=False)] = None,
    all_: Annotated[bool, typer.Option("--all", help="Lint every lesson.")] = False,
    set_: SetOpt = None,
    params: ParamsOpt = None,
) -> None:
    """Check layout without encoding video: text inside the safe frame, no overlapping text, readable sizes."""
    from mfml_anim.lint import coverage_summary, lint_report

    failed = 0
    for les in _targets(names, all_):
        t0 = time.perf_counter()
        report = lint_report(les, _params(les, set_, params))
        problems = report.problems
        dt = time.perf_counter() - t0
        if problems:
            failed += 1
            typer.echo(f"FAIL {les.slug}: {len(problems)} layout problem(s) ({dt:.1f} s)")
            for p in problems:
                typer.echo(f"  - {p}")
        else:
            typer.echo(f"ok   {les.slug} ({dt:.1f} s)")
        typer.echo(f"     {coverage_summary(report.coverage)}")
    if failed:
        raise typer.Exit(1)


def _parse_size(size: str | None) -> tuple[int, int] | None:
    """``640x360`` (or Manim's ``640,360``) -> (640, 360)."""
    if size is None:
        return None
    try:
        w, h = (int(v) for v in re.split(r"[x,]", size.lower().strip()))
    except ValueError:
        raise UserError(f"--size: expected WIDTHxHEIGHT such as 640x360, got '{size[:30]}'") from None
    return (w, h)


def _voice(text: str | None) -> str:
    """``--voice`` checked (engine known and installed: else one line, exit 2) as ``engine:voice``."""
    if text is None:
        return ""
    from mfml_anim import voice

    spec = voice.parse_spec(text)
    voice.check(spec)
    return str(spec)


def find_viewer() -> str | None:
    """The desktop's "open this file" command, if there is one."""
    return shutil.which("open" if sys.platform == "darwin" else "xdg-open")


def preview(path: Path) -> None:
    """Open ``path`` in the desktop's viewer (Manim's ``-p``); without one, say where it is. Never
    fails: a preview is a convenience, the render already succeeded."""
    opener = find_viewer()
    if opener is None:
        typer.echo(f"preview: no viewer found (xdg-open); the file is {path}", err=True)
        return
    try:
        subprocess.Popen(
            [opener, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        typer.echo(f"preview: could not start {opener} ({exc.strerror}); the file is {path}", err=True)


@app.command()
@user_errors
def render(
    ctx: typer.Context,
    names: Annotated[list[str] | None, typer.Argument(help="Lesson slugs.", show_default=False)] = None,
    all_: Annotated[bool, typer.Option("--all", "-a", help="Render every lesson.")] = False,
    quality: Annotated[
        str, typer.Option("-q", "--quality", help="l=480p15, m=720p30, h=1080p60, k=2160p60 (-ql works too).")
    ] = "l",
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="mp4 (default), webm, gif, png (last frame with content) or mov.",
            show_default=False,
        ),
    ] = None,
    last_frame: Annotated[
        bool,
        typer.Option(
            "-s", "--save_last_frame", help="Save the last frame as PNG (Manim's -s; = --format png)."
        ),
    ] = False,
    stills: Annotated[
        bool,
        typer.Option(
            "--stills", help="Also one PNG per storyboard step (its final state), in <name>-stills/."
        ),
    ] = False,
    sections: Annotated[
        bool,
        typer.Option(
            "--sections", help="Also one clip per storyboard step, in <name>-sections/ (mp4, webm, mov)."
        ),
    ] = False,
    preview_: Annotated[
        bool,
        typer.Option("-p", "--preview", help="Open the result when done (xdg-open), or print where it is."),
    ] = False,
    set_: SetOpt = None,
    params: ParamsOpt = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output directory; files go to OUT/<lesson>/.")
    ] = Path("media/lessons"),
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="File stem instead of the automatic one (lesson slug + tags for non-default settings).",
        ),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, max=32, help="Lessons rendered in parallel.")
    ] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="tcp://HOST:PORT",
            help="Render on a Dask cluster (its scheduler's address); files come back here. Needs pip install '.[farm]'.",
            show_default=False,
        ),
    ] = None,
    captions: Annotated[
        bool,
        typer.Option(
            "--captions/--no-captions",
            help="Burn narration captions into the frame (.srt/.vtt are written for mp4, webm, mov).",
        ),
    ] = True,
    transparent: Annotated[
        bool,
        typer.Option(
            "--transparent",
            "-t",
            help="Transparent background (mov, webm or png); pair with --theme light for light slides.",
        ),
    ] = False,
    theme: Annotated[
        str | None,
        typer.Option("--theme", help="dark (default) or light (slides, print).", show_default=False),
    ] = None,
    size: Annotated[
        str | None,
        typer.Option(
            "--size", "-r", "--resolution", help="Frame size WIDTHxHEIGHT (or W,H), overrides the quality's."
        ),
    ] = None,
    fps: Annotated[
        int | None,
        typer.Option(
            "--fps",
            "--frame_rate",
            help="Frame rate, overrides the quality's (GIF: 10 at -q l/m, at most 50).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Render even if an up-to-date output exists.")
    ] = False,
    voice: Annotated[
        str | None,
        typer.Option(
            "--voice",
            metavar="ENGINE[:VOICE]",
            help="Spoken narration: espeak (espeak-ng), piper (pip install '.[voice]') or auto; each step lasts as long as its speech.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Render lessons to OUT/<lesson>/<name>.<format>, each output listed in OUT/<lesson>/manifest.json.

    <name> is the lesson slug for default parameters, dark theme, -q l and captions; other settings add tags (-p<hash>, -light, -qm, -640x360-10fps, -nocaptions, -transparent), so renders that differ never overwrite each other. Manim's habits work: -pql, -s (last frame), -p (preview)."""
    from mfml_anim import doctor
    from mfml_anim.render.describe import describe_output
    from mfml_anim.render.job import RenderJob, job_for
    from mfml_anim.render.runner import (
        RenderFailed,
        check_out_dir,
        install_sigterm_handler,
        output_key,
        take_deferred_interrupt,
        up_to_date,
    )
    from mfml_anim.render.runner import render as run

    targets = _targets(names, all_, light=not (set_ or params))  # light: a no-op --all in ~1 s
    if set_ or params:
        if len(targets) > 1:
            raise UserError(
                "--set/--params apply to one lesson; render lessons one at a time to set parameters"
            )
    if last_frame and fmt not in (None, "png"):
        raise UserError(f"-s saves the last frame as PNG; it cannot be combined with --format {fmt}")
    fmt = "png" if last_frame else (fmt or "mp4")
    frame = _parse_size(size)
    settings = dict(
        quality=quality,
        fmt=fmt,
        out_dir=str(out),
        captions=captions,
        transparent=transparent,
        theme=theme or "dark",
        size=frame,
        fps=fps,
        stills=stills,
        sections=sections,
        voice=_voice(voice),
        name=name or "",
    )
    jobs_list = [
        job_for(les, _params(les, set_, params).to_json() if (set_ or params) else None, **settings)
        for les in targets
    ]
    if transparent and theme is None:
        # Once per command, after the options are known to be valid: a transparent video's text is
        # only readable on a background like the theme's own.
        typer.echo(
            "warning: --transparent keeps the dark theme's light text, meant for dark slides; "
            "for a light slide add --theme light",
            err=True,
        )
    farm = None
    if (
        scheduler
    ):  # a Dask cluster renders instead of local processes (render/farm.py); workers check themselves
        from mfml_anim.render.farm import connect

        farm = connect(scheduler, jobs_given=ctx.get_parameter_source("jobs").name == "COMMANDLINE")
        run = farm.render
    bad = [c for c in doctor.quick_checks() if not c.ok and farm is None]
    if bad:
        c = bad[0]
        raise UserError(f"cannot render: {c.detail}; fix with: {c.fix} (run 'mfml doctor' for all checks)")
    check_out_dir(out)
    install_sigterm_handler()
    failures = 0
    produced: list[Path] = []

    from mfml_anim.render.progress import reporter

    rep = reporter([j.lesson for j in jobs_list])  # live table on a terminal, else today's lines
    progress_for: Callable[[str], Callable[[str], None]] = rep.progress

    def one(job: RenderJob) -> None:
        nonlocal failures
        path = job.lesson_dir / job.video_name
        # Decided per output file before anything is said, so "rendering" is never followed by
        # "up to date"; the runner checks again under the lock (another process may finish first).
        if not force and (m := up_to_date(job, output_key(job))):
            rep.cached(
                job.lesson, f"{job.lesson}: up to date, {describe_output(m)} (use --force to render again)", m
            )
        else:
            w, h, f = job.frame
            rep.start(job.lesson, f"{job.lesson}: rendering {job.video_name} ({w}x{h} @ {f} fps)")
            try:
                r = run(job, force=force, progress=progress_for(job.lesson))
            except RenderFailed as exc:
                failures += 1
                rep.failed(job.lesson, f"error: {exc}")
                return
            complete.add(job.lesson)  # committed: an interruption from here on leaves a whole output
            if r.skipped:
                rep.cached(
                    job.lesson,
                    f"{job.lesson}: up to date (another render just made it), {describe_output(r.manifest)}",
                    r.manifest,
                )
            else:
                rep.done(
                    job.lesson,
                    f"{job.lesson}: {describe_output(r.manifest)}, rendered in {r.seconds:.1f} s",
                    r.manifest,
                    r.seconds,
                )
        typer.echo(str(path.resolve()))
        produced.append(path.resolve())
        if take_deferred_interrupt():
            # Ctrl-C/SIGTERM arrived while this output was being committed: it is complete, so
            # it counts as rendered; nothing further is started (see README, "Interrupting").
            interrupted.append(job.lesson)

    interrupted: list[str] = []
    complete: set[str] = set()
    rep.open()
    if farm is not None:
        farm.run_all(one, jobs_list)
    elif jobs == 1 or len(jobs_list) == 1:
        for j in jobs_list:
            if interrupted:
                break
            try:
                one(j)
            except KeyboardInterrupt:
                if j.lesson not in complete:
                    raise  # before the commit: exit 130, the previous output untouched
                interrupted.append(j.lesson)  # after it: the output is whole and counts
        if interrupted:
            whole = complete | {p.parent.name for p in produced}  # committed here, or up to date
            left = sum(j.lesson not in whole for j in jobs_list)
            typer.echo(
                f"interrupted after {interrupted[0]}'s output was complete"
                + (f"; {left} lesson(s) not rendered" if left else "; nothing is missing"),
                err=True,
            )
            if left:
                raise typer.Exit(130)
    else:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for fut in as_completed([pool.submit(one, j) for j in jobs_list]):
                fut.result()
    rep.close()
    if preview_:
        for path in produced:
            preview(path)
    if failures:
        raise typer.Exit(1)


@app.command()
@user_errors
def slides(
    names: Annotated[list[str] | None, typer.Argument(help="Lesson slugs.", show_default=False)] = None,
    all_: Annotated[bool, typer.Option("--all", "-a", help="A deck for every lesson.")] = False,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Output directory; decks go to OUT/<lesson>/ next to the video."),
    ] = Path("media/lessons"),
    to: Annotated[
        list[str] | None,
        typer.Option(
            "--to", help="html (offline, arrow keys) or pptx; repeatable; default both.", show_default=False
        ),
    ] = None,
    quality: Annotated[str, typer.Option("-q", "--quality", help="l=480p15, m=720p30, h=1080p60.")] = "l",
    set_: SetOpt = None,
    params: ParamsOpt = None,
    theme: Annotated[str, typer.Option("--theme", help="dark or light.")] = "dark",
    size: Annotated[
        str | None, typer.Option("--size", "-r", help="Frame size WIDTHxHEIGHT, overrides the quality's.")
    ] = None,
    fps: Annotated[int | None, typer.Option("--fps", help="Frame rate, overrides the quality's.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Render even if an up-to-date output exists.")
    ] = False,
) -> None:
    """Slide decks: one slide per storyboard step (its clip), the narration as speaker notes.

    Renders what is missing (through the render cache, with --sections) and writes OUT/<lesson>/<name>-slides.html (works offline from file://) and/or <name>-slides.pptx."""
    from mfml_anim.slides import FORMATS, build_decks

    targets = _targets(names, all_)
    if (set_ or params) and len(targets) > 1:
        raise UserError(
            "--set/--params apply to one lesson; make decks one lesson at a time to set parameters"
        )
    formats = tuple(dict.fromkeys(to or FORMATS))
    if bad := [f for f in formats if f not in FORMATS]:
        raise UserError(f"--to: '{bad[0]}' is not a deck format (allowed: {', '.join(FORMATS)})")
    from mfml_anim import doctor
    from mfml_anim.render.runner import RenderFailed, check_out_dir, install_sigterm_handler

    if bad_checks := [c for c in doctor.quick_checks() if not c.ok]:
        raise UserError(f"cannot render: {bad_checks[0].detail}; fix with: {bad_checks[0].fix}")
    check_out_dir(out)
    install_sigterm_handler()
    for les in targets:
        p = _params(les, set_, params).to_json() if (set_ or params) else None
        typer.echo(f"{les.slug}: rendering what is missing, then the deck", err=True)
        try:
            decks = build_decks(
                les.slug,
                out,
                formats,
                params=p,
                force=force,
                quality=quality,
                theme=theme,
                size=_parse_size(size),
                fps=fps,
                progress=lambda msg, s=les.slug: typer.echo(f"  {s}: step {msg}", err=True),
            )
        except RenderFailed as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        for d in decks:
            typer.echo(str(d.resolve()))


@app.command()
@user_errors
def site(
    names: Annotated[
        list[str] | None, typer.Argument(help="Lesson slugs (default: the whole course).", show_default=False)
    ] = None,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Site directory: index.html, a page per lesson, media/, assets/."),
    ] = Path("site"),
    quality: Annotated[str, typer.Option("-q", "--quality", help="l=480p15, m=720p30, h=1080p60.")] = "l",
    size: Annotated[
        str | None, typer.Option("--size", "-r", help="Frame size WIDTHxHEIGHT, overrides the quality's.")
    ] = None,
    fps: Annotated[int | None, typer.Option("--fps", help="Frame rate, overrides the quality's.")] = None,
    voice: Annotated[
        str | None,
        typer.Option(
            "--voice",
            metavar="ENGINE[:VOICE]",
            help="Narrated videos: espeak, piper or auto (see render --voice).",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, max=32, help="Lessons rendered in parallel.")
    ] = 1,
    force: Annotated[bool, typer.Option("--force", help="Render even if up-to-date outputs exist.")] = False,
) -> None:
    """The course web site, offline from file://: an index by module, a page per lesson (video with captions, transcript, formulas, parameters, slides, the command that regenerates it). Renders what is missing through the render cache."""
    from mfml_anim import doctor
    from mfml_anim.render.runner import RenderFailed, check_out_dir, install_sigterm_handler
    from mfml_anim.site import build_site

    slugs = [les.slug for les in (_targets(names, False) if names else lessons.all_lessons())]
    if quality not in ("l", "m", "h"):
        raise UserError(f"-q: '{quality}' is not a site quality (allowed: l, m, h)")
    settings = {"quality": quality, "size": _parse_size(size), "fps": fps, "voice": _voice(voice)}
    if bad := [c for c in doctor.quick_checks() if not c.ok]:
        raise UserError(f"cannot render: {bad[0].detail}; fix with: {bad[0].fix}")
    check_out_dir(out)
    install_sigterm_handler()
    try:
        index = build_site(
            out,
            slugs,
            settings,
            force=force,
            jobs=jobs,
            progress=lambda msg: typer.echo(f"  {msg}", err=True),
        )
    except RenderFailed as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(str(index.resolve()))


@app.command("doctor")
@user_errors
def doctor_(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output directory whose disk space to check.")
    ] = Path("media/lessons"),
) -> None:
    """Check LaTeX, dvisvgm, pango/cairo, fonts, PyAV and disk space; print the fix for each problem."""
    from mfml_anim import doctor

    bad = 0
    for c in doctor.all_checks(out):
        typer.echo(f"{'ok ' if c.ok else 'BAD'}  {c.name:<14} {c.detail}")
        if not c.ok:
            bad += 1
            typer.echo(f"     fix: {c.fix}")
    if bad:
        typer.echo(f"{bad} problem(s) found", err=True)
        raise typer.Exit(1)
    typer.echo("everything needed to render is in place")
