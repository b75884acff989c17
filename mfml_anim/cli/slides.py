"""``mfml slides``: a deck per lesson from its step clips (:mod:`mfml_anim.slides`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from mfml_anim.cli.app import app, user_errors
from mfml_anim.cli.options import (
    MEDIA,
    Force,
    Fps,
    Names,
    Params,
    Quality,
    Set,
    Size,
    Theme,
    one_lesson_for_params,
    out_option,
    params_for,
    parse_size,
    ready_to_render,
    targets,
)
from mfml_anim.errors import UserError


def _steps_of(slug: str) -> Callable[[str], None]:
    """Progress of one lesson's render, said on stderr as ``  slug: step 3/7 ...``."""
    return lambda msg: typer.echo(f"  {slug}: step {msg}", err=True)


HELP = (
    "Slide decks: one slide per storyboard step (its clip), the narration as speaker notes.\n\n"
    "Renders what is missing (through the render cache, with --sections) and writes "
    "OUT/<lesson>/<name>-slides.html (works offline from file://) and/or <name>-slides.pptx."
)


@app.command(help=HELP)
@user_errors
def slides(
    names: Names = None,
    all_: Annotated[bool, typer.Option("--all", "-a", help="A deck for every lesson.")] = False,
    out: Annotated[
        Path, out_option("Output directory; decks go to OUT/<lesson>/ next to the video.")
    ] = MEDIA,
    to: Annotated[
        list[str] | None,
        typer.Option(
            "--to", help="html (offline, arrow keys) or pptx; repeatable; default both.", show_default=False
        ),
    ] = None,
    quality: Quality = "l",
    set_: Set = None,
    params: Params = None,
    theme: Theme = None,
    size: Size = None,
    fps: Fps = None,
    force: Force = False,
) -> None:
    """``mfml slides`` (its help is :data:`HELP`)."""
    from mfml_anim.render.runner import RenderFailed
    from mfml_anim.slides import FORMATS, build_decks

    chosen = targets(names, all_)
    one_lesson_for_params(chosen, bool(set_ or params), "make decks one lesson at a time")
    formats = tuple(dict.fromkeys(to or FORMATS))
    if bad := [f for f in formats if f not in FORMATS]:
        raise UserError(f"--to: '{bad[0]}' is not a deck format (allowed: {', '.join(FORMATS)})")
    ready_to_render(out)
    for les in chosen:
        p = params_for(les, set_, params).to_json() if (set_ or params) else None
        typer.echo(f"{les.slug}: rendering what is missing, then the deck", err=True)
        try:
            decks = build_decks(
                les.slug,
                out,
                formats,
                params=p,
                force=force,
                quality=quality,
                theme=theme or "dark",
                size=parse_size(size),
                fps=fps,
                progress=_steps_of(les.slug),
            )
        except RenderFailed as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        for d in decks:
            typer.echo(str(d.resolve()))
