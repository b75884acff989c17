"""The ``mfml`` command line.

``list``, ``show``, ``script`` and ``audit`` work on storyboards only and never import Manim, so
they answer in well under a second. Every user mistake ends in one line on stderr and exit code 2.
"""

from __future__ import annotations

import functools
import json
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

    return wrapper  # type: ignore[return-value]


SetOpt = Annotated[list[str] | None, typer.Option("--set", "-s", help="Parameter value, key=value (repeatable).", metavar="KEY=VALUE")]
ParamsOpt = Annotated[Path | None, typer.Option("--params", "-p", help="TOML file of parameter values.", metavar="FILE")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]


def _params(lesson: lessons.Lesson, sets: list[str] | None, params_file: Path | None):  # noqa: ANN202
    from mfml_anim.params import load_params_file, parse_set_options

    values: dict[str, Any] = {}
    if params_file is not None:
        values.update(load_params_file(params_file))
    values.update(parse_set_options(sets or []))
    return lesson.make_params(values)


def _targets(names: list[str] | None, all_: bool) -> list[lessons.Lesson]:
    if all_ and names:
        raise UserError("give lesson names or --all, not both")
    if all_:
        return lessons.all_lessons()
    if not names:
        raise UserError("name at least one lesson or pass --all (see 'mfml list')")
    return [lessons.get(n) for n in names]


@app.command("list")
@user_errors
def list_(json_: JsonOpt = False) -> None:
    """List all lessons: slug, module, title and what each shows."""
    rows = [{"slug": x.slug, "module": x.module, "title": x.title, "summary": x.summary} for x in lessons.all_lessons()]
    if json_:
        typer.echo(json.dumps(rows, indent=2))
        return
    width = max(len(r["slug"]) for r in rows)
    for r in rows:
        typer.echo(f"{r['slug']:<{width}}  M{r['module']}  {r['title']} — {r['summary']}")


@app.command()
@user_errors
def show(lesson: Annotated[str, typer.Argument(help="Lesson slug (see 'mfml list').")], json_: JsonOpt = False) -> None:
    """Show a lesson's parameters: name, type, default and meaning."""
    les = lessons.get(lesson)
    rows = les.params.describe()
    defaults = les.default_params().to_json()
    for r in rows:
        r["default"] = defaults[r["name"]]
    if json_:
        typer.echo(json.dumps({"lesson": les.slug, "title": les.title, "module": les.module, "params": rows}, indent=2))
        return
    typer.echo(f"{les.slug} (module {les.module}): {les.title}\n{les.summary}\n")
    for r in rows:
        typer.echo(f"  {r['name']} = {r['default']!s}\n      {r['type']}: {r['help']}")
    typer.echo(f"\nExample: mfml render {les.slug} --set {rows[0]['name']}=..." if rows else "")


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
    from mfml_anim.lint import lint_lesson

    failed = 0
    for les in _targets(names, all_):
        t0 = time.perf_counter()
        problems = lint_lesson(les, _params(les, set_, params))
        dt = time.perf_counter() - t0
        if problems:
            failed += 1
            typer.echo(f"FAIL {les.slug}: {len(problems)} layout problem(s) ({dt:.1f} s)")
            for p in problems:
                typer.echo(f"  - {p}")
        else:
            typer.echo(f"ok   {les.slug} ({dt:.1f} s)")
    if failed:
        raise typer.Exit(1)


def _parse_size(size: str | None) -> tuple[int, int] | None:
    if size is None:
        return None
    try:
        w, h = (int(v) for v in size.lower().split("x"))
    except ValueError:
        raise UserError(f"--size: expected WIDTHxHEIGHT such as 640x360, got '{size[:30]}'") from None
    return (w, h)


@app.command()
@user_errors
def render(
    names: Annotated[list[str] | None, typer.Argument(help="Lesson slugs.", show_default=False)] = None,
    all_: Annotated[bool, typer.Option("--all", help="Render every lesson.")] = False,
    quality: Annotated[str, typer.Option("-q", "--quality", help="l=480p15, m=720p30, h=1080p60, k=2160p60.")] = "l",
    fmt: Annotated[str, typer.Option("--format", "-f", help="mp4, webm, gif, png (last frame) or mov.")] = "mp4",
    set_: SetOpt = None,
    params: ParamsOpt = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory; files go to OUT/<lesson>/.")] = Path("media/lessons"),
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=32, help="Lessons rendered in parallel.")] = 1,
    captions: Annotated[bool, typer.Option("--captions/--no-captions", help="Burn narration captions into the frame (.srt/.vtt are always written).")] = True,
    transparent: Annotated[bool, typer.Option("--transparent", help="Transparent background (mov, webm or png).")] = False,
    theme: Annotated[str, typer.Option("--theme", help="dark (default) or light (slides, print).")] = "dark",
    size: Annotated[str | None, typer.Option("--size", help="Frame size WIDTHxHEIGHT, overrides the quality's.")] = None,
    fps: Annotated[int | None, typer.Option("--fps", help="Frame rate, overrides the quality's.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Render even if an up-to-date video exists.")] = False,
) -> None:
    """Render lessons to video in OUT/<lesson>/ with captions and manifest.json."""
    from mfml_anim import doctor
    from mfml_anim.lessons import LESSON_MODULES
    from mfml_anim.render.job import RenderJob, source_files
    from mfml_anim.render.runner import RenderFailed, check_out_dir, install_sigterm_handler
    from mfml_anim.render.runner import render as run

    targets = _targets(names, all_)
    if set_ or params:
        if len(targets) > 1:
            raise UserError("--set/--params apply to one lesson; render lessons one at a time to set parameters")
    frame = _parse_size(size)
    jobs_list = []
    for les in targets:
        p = _params(les, set_, params) if (set_ or params) else les.default_params()
        jobs_list.append(RenderJob(
            lesson=les.slug, params=p.to_json(), quality=quality, fmt=fmt, out_dir=str(out), captions=captions,
            transparent=transparent, theme=theme, size=frame, fps=fps, scene=les.scene,
            sources=source_files(LESSON_MODULES[les.slug], les.scene_file),
        ))
    bad = [c for c in doctor.quick_checks() if not c.ok]
    if bad:
        c = bad[0]
        raise UserError(f"cannot render: {c.detail}; fix with: {c.fix} (run 'mfml doctor' for all checks)")
    check_out_dir(out)
    install_sigterm_handler()
    failures = 0

    def progress_for(slug: str) -> Callable[[str], None]:
        return lambda msg: typer.echo(f"  {slug}: step {msg}", err=True)

    def one(job: RenderJob) -> None:
        nonlocal failures
        typer.echo(f"{job.lesson}: rendering ({job.frame[0]}x{job.frame[1]} @ {job.frame[2]} fps, {job.fmt})", err=True)
        try:
            r = run(job, force=force, progress=progress_for(job.lesson))
        except RenderFailed as exc:
            failures += 1
            typer.echo(f"error: {exc}", err=True)
            return
        if r.skipped:
            typer.echo(f"{job.lesson}: up to date (use --force to render again)", err=True)
        else:
            typer.echo(f"{job.lesson}: {r.manifest['duration']:.1f} s of video in {r.seconds:.1f} s", err=True)
        typer.echo(str(r.video.resolve()))

    if jobs == 1 or len(jobs_list) == 1:
        for j in jobs_list:
            one(j)
    else:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for fut in as_completed([pool.submit(one, j) for j in jobs_list]):
                fut.result()
    if failures:
        raise typer.Exit(1)


@app.command("doctor")
@user_errors
def doctor_(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory whose disk space to check.")] = Path("media/lessons"),
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


def main() -> None:  # pragma: no cover - thin wrapper for `python -m mfml_anim`
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
