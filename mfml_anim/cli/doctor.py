"""``mfml doctor``: everything rendering needs, each problem with its fix."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mfml_anim.cli.app import app, user_errors
from mfml_anim.cli.options import MEDIA, out_option


@app.command("doctor")
@user_errors
def doctor_(
    out: Annotated[Path, out_option("Output directory whose disk space to check.")] = MEDIA,
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
