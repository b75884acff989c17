"""The options several commands share, declared once, and how a command line picks its lessons.

Long forms only where Manim's users type a short one with another meaning: ``render`` gives ``-s``
(last frame) and ``-p`` (preview) their Manim meaning. Each option type is an ``Annotated`` alias, so
a command names it once in its signature (``quality: Quality = "l"``); typer copies the option
for each command that uses it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from mfml_anim.errors import UserError

if TYPE_CHECKING:
    from typer._click import Context  # typer's own click: the type TyperCommand.parse_args takes

    from mfml_anim.lessons import Lesson
    from mfml_anim.params import LessonParams

Names = Annotated[list[str] | None, typer.Argument(help="Lesson slugs.", show_default=False)]
Set = Annotated[
    list[str] | None,
    typer.Option("--set", help="Parameter value, key=value (repeatable).", metavar="KEY=VALUE"),
]
Params = Annotated[
    Path | None, typer.Option("--params", help="TOML file of parameter values.", metavar="FILE")
]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
Quality = Annotated[
    str, typer.Option("-q", "--quality", help="l=480p15, m=720p30, h=1080p60, k=2160p60 (-ql works too).")
]
Size = Annotated[
    str | None,
    typer.Option(
        "--size", "-r", "--resolution", help="Frame size WIDTHxHEIGHT (or W,H), overrides the quality's."
    ),
]
Fps = Annotated[
    int | None,
    typer.Option(
        "--fps", "--frame_rate", help="Frame rate, overrides the quality's (GIF: 10 at -q l/m, at most 50)."
    ),
]
Force = Annotated[bool, typer.Option("--force", help="Render even if an up-to-date output exists.")]
Theme = Annotated[
    str | None, typer.Option("--theme", help="dark (default) or light (slides, print).", show_default=False)
]
Jobs = Annotated[int, typer.Option("--jobs", "-j", min=1, max=32, help="Lessons rendered in parallel.")]
Voice = Annotated[
    str | None,
    typer.Option(
        "--voice",
        metavar="[ENGINE[:VOICE]]",
        help="Spoken narration: espeak (espeak-ng), piper (pip install '.[voice]') or auto (also a bare "
        "--voice); each step lasts as long as its speech.",
        show_default=False,
    ),
]
MEDIA = Path("media/lessons")  # where videos and decks go unless --out says otherwise


def out_option(help: str) -> Any:
    """``--out``/``-o``: every command has one, each says what goes there."""
    return typer.Option("--out", "-o", help=help)


# Commands whose options take no value in their bare form: the value they mean then.
BARE_VALUES = {"--voice": "auto"}


def bare_values(args: list[str]) -> list[str]:
    """``--voice`` with no value (last, or followed by another option) becomes ``--voice=auto``, so
    it never swallows the next argument (``--voice --out X`` used to render lesson 'X')."""
    out: list[str] = []
    for i, a in enumerate(args):
        if a == "--":
            return out + args[i:]
        nxt = args[i + 1] if i + 1 < len(args) else None
        bare = a in BARE_VALUES and (nxt is None or nxt.startswith("-"))
        out.append(f"{a}={BARE_VALUES[a]}" if bare else a)
    return out


class BareValueCommand(TyperCommand):
    """A command whose :data:`BARE_VALUES` options may be given without a value."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, bare_values(args))


def parse_size(size: str | None) -> tuple[int, int] | None:
    """``640x360`` (or Manim's ``640,360``) -> (640, 360)."""
    if size is None:
        return None
    try:
        w, h = (int(v) for v in re.split(r"[x,]", size.lower().strip()))
    except ValueError:
        raise UserError(f"--size: expected WIDTHxHEIGHT such as 640x360, got '{size[:30]}'") from None
    return (w, h)


def voice_spec(text: str | None) -> str:
    """``--voice`` checked (engine known and installed: else one line, exit 2) as ``engine:voice``."""
    if text is None:
        return ""
    from mfml_anim import voice

    spec = voice.parse_spec(text)
    voice.check(spec)
    return str(spec)


def targets(names: list[str] | None, all_: bool, light: bool = False) -> list[Any]:
    """The lessons named (or all). ``light``: catalog entries (:class:`mfml_anim.render.job.Listed`),
    enough to render with default parameters and much faster to get than the lessons themselves."""
    from mfml_anim import lessons

    if all_ and names:
        raise UserError("give lesson names or --all, not both")
    if not all_ and not names:
        raise UserError("name at least one lesson or pass --all (see 'mfml list')")
    if light:
        from mfml_anim.catalog import listed

        return listed(None if all_ else names)
    return lessons.all_lessons() if all_ else [lessons.get(n) for n in names or []]


def params_for(lesson: Lesson, sets: list[str] | None, params_file: Path | None) -> LessonParams:
    """The lesson's parameters from ``--params`` and ``--set``
    (:func:`mfml_anim.render.batch.lesson_params`)."""
    from mfml_anim.render.batch import lesson_params

    return lesson_params(lesson, sets or [], params_file)


def one_lesson_for_params(targets: list[Any], has_params: bool, how: str) -> None:
    """--set/--params name one lesson's parameters: refused for several lessons (``how``: what to
    do instead, "render lessons one at a time")."""
    if has_params and len(targets) > 1:
        raise UserError(f"--set/--params apply to one lesson; {how} to set parameters")


def ready_to_render(out: Path, *, farm: bool = False) -> None:
    """Before the first render: this machine can render (unless a farm does), ``out`` is writable,
    and SIGTERM is an interruption like Ctrl-C."""
    from mfml_anim import doctor
    from mfml_anim.render.runner import check_out_dir, install_sigterm_handler

    bad = [] if farm else [c for c in doctor.quick_checks() if not c.ok]
    if bad:
        c = bad[0]
        raise UserError(f"cannot render: {c.detail}; fix with: {c.fix} (run 'mfml doctor' for all checks)")
    check_out_dir(out)
    install_sigterm_handler()
