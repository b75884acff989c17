"""``mfml site``: the course web site, offline from file:// (:mod:`mfml_anim.site`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mfml_anim.cli.app import app, user_errors
from mfml_anim.cli.options import (
    BareValueCommand,
    Force,
    Fps,
    Jobs,
    Quality,
    Size,
    Voice,
    out_option,
    parse_size,
    ready_to_render,
    targets,
    voice_spec,
)
from mfml_anim.errors import UserError

SITE_QUALITIES = ("l", "m", "h")  # a 4K video is no page's business


HELP = (
    "The course web site, offline from file://: an index by module, a page per lesson (video with "
    "captions, transcript, formulas, parameters, slides, the command that regenerates it). Renders what "
    "is missing through the render cache."
)


@app.command(cls=BareValueCommand, help=HELP)
@user_errors
def site(
    names: Annotated[
        list[str] | None, typer.Argument(help="Lesson slugs (default: the whole course).", show_default=False)
    ] = None,
    out: Annotated[
        Path, out_option("Site directory: index.html, a page per lesson, media/, assets/.")
    ] = Path("site"),
    quality: Quality = "l",
    size: Size = None,
    fps: Fps = None,
    voice: Voice = None,
    jobs: Jobs = 1,
    force: Force = False,
) -> None:
    """``mfml site`` (its help is :data:`HELP`)."""
    from mfml_anim.render.runner import RenderFailed
    from mfml_anim.site import build_site

    slugs = [les.slug for les in targets(names, not names)]
    if quality not in SITE_QUALITIES:
        raise UserError(f"-q: '{quality}' is not a site quality (allowed: {', '.join(SITE_QUALITIES)})")
    settings = {"quality": quality, "size": parse_size(size), "fps": fps, "voice": voice_spec(voice)}
    ready_to_render(out)
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
