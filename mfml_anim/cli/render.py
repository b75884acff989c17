"""``mfml render``: flags in, render jobs out; the batch itself is :class:`mfml_anim.render.batch.Batch`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from mfml_anim.cli.app import app, exit_with, user_errors
from mfml_anim.cli.options import (
    MEDIA,
    BareValueCommand,
    Force,
    Fps,
    Jobs,
    Names,
    Params,
    Quality,
    Set,
    Size,
    Theme,
    Voice,
    one_lesson_for_params,
    out_option,
    params_for,
    parse_size,
    ready_to_render,
    targets,
    voice_spec,
)


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


HELP = (
    "Render lessons to OUT/<lesson>/<name>.<format>, each output listed in OUT/<lesson>/manifest.json."
    "\n\n<name> is the lesson slug for default parameters, dark theme, -q l and captions; other settings "
    "add tags (-p<hash>, -light, -qm, -640x360-10fps, -nocaptions, -transparent), so renders that differ "
    "never overwrite each other. Manim's habits work: -pql, -s (last frame), -p (preview)."
)


@app.command(cls=BareValueCommand, help=HELP)
@user_errors
def render(
    ctx: typer.Context,
    names: Names = None,
    all_: Annotated[bool, typer.Option("--all", "-a", help="Render every lesson.")] = False,
    quality: Quality = "l",
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
    set_: Set = None,
    params: Params = None,
    out: Annotated[Path, out_option("Output directory; files go to OUT/<lesson>/.")] = MEDIA,
    name: Annotated[
        str,
        typer.Option(
            "--name",
            help="File stem instead of the automatic one (lesson slug + tags for non-default settings).",
            show_default=False,
        ),
    ] = "",
    jobs: Jobs = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="tcp://HOST:PORT",
            help=(
                "Render on a Dask cluster (its scheduler's address); files come back here. "
                "Needs pip install '.[farm]'."
            ),
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
    theme: Theme = None,
    size: Size = None,
    fps: Fps = None,
    force: Force = False,
    voice: Voice = None,
) -> None:
    """``mfml render`` (its help is :data:`HELP`): the flags become settings, the settings one job per
    lesson (:func:`~mfml_anim.render.job.job_for`), the jobs a :class:`~mfml_anim.render.batch.Batch`."""
    from mfml_anim.render import batch, runner
    from mfml_anim.render.job import job_for
    from mfml_anim.render.progress import reporter

    has_params = bool(set_ or params)
    # With default parameters the lessons come from the catalog (no sympy: a no-op --all answers in
    # about a second); --set/--params need the lesson itself to validate them.
    chosen = targets(names, all_, light=not has_params)
    one_lesson_for_params(chosen, has_params, "render lessons one at a time")
    settings = {
        "quality": quality,
        "fmt": batch.output_format(last_frame, fmt),
        "out_dir": str(out),
        "captions": captions,
        "transparent": transparent,
        "theme": theme or "dark",
        "size": parse_size(size),
        "fps": fps,
        "stills": stills,
        "sections": sections,
        "name": name,
    }
    values = [params_for(les, set_, params).to_json() if has_params else None for les in chosen]
    settings["voice"] = voice_spec(voice)
    jobs_list = [job_for(les, v, **settings) for les, v in zip(chosen, values, strict=True)]
    if warning := batch.transparent_warning(settings, theme_given=theme is not None):
        typer.echo(warning, err=True)
    farm = None
    if (
        scheduler
    ):  # a Dask cluster renders instead of local processes (render/farm.py); workers check themselves
        from mfml_anim.render.farm import connect

        source = ctx.get_parameter_source("jobs")
        farm = connect(scheduler, jobs_given=source is not None and source.name == "COMMANDLINE")
    ready_to_render(out, farm=farm is not None)
    run = batch.Batch(
        jobs_list,
        render=farm.render if farm else runner.render,
        reporter=reporter([j.lesson for j in jobs_list]),  # live table on a terminal, else plain lines
        say=typer.echo,
        warn=lambda line: typer.echo(line, err=True),
        force=force,
    )
    code = run.run(parallel=jobs, farm=farm)
    if preview_ and code != 130:
        for path in run.produced:
            preview(path)
    exit_with(code)
