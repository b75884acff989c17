"""``list``, ``show``, ``script``, ``audit``, ``lint``: the commands that read lessons without rendering.

They work on storyboards only and never import Manim (``lint`` builds the scene's mobjects without
encoding video), so they answer in well under a second.
"""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer

from mfml_anim.cli.app import app, exit_with, user_errors
from mfml_anim.cli.options import Json, Names, Params, Set, params_for, targets


@app.command("list")
@user_errors
def list_(json_: Json = False) -> None:
    """List all lessons: slug, module, title and what each shows."""
    from mfml_anim.catalog import list_text

    typer.echo(list_text(json_))


@app.command()
@user_errors
def show(
    lesson: Annotated[str, typer.Argument(help="Lesson slug (see 'mfml list').")], json_: Json = False
) -> None:
    """Show a lesson's parameters: name, type, default and meaning."""
    from mfml_anim.catalog import show_text

    typer.echo(show_text(lesson, json_))


@app.command()
@user_errors
def script(
    lesson: Annotated[str, typer.Argument(help="Lesson slug.")],
    set_: Set = None,
    params: Params = None,
    json_: Json = False,
) -> None:
    """Print the storyboard: steps, narration, formulas and values."""
    from mfml_anim import lessons

    les = lessons.get(lesson)
    board = les.storyboard(params_for(les, set_, params))
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
    names: Names = None,
    all_: Annotated[bool, typer.Option("--all", help="Audit every lesson.")] = False,
    set_: Set = None,
    params: Params = None,
) -> None:
    """Re-derive every formula and value of every step with sympy; exit 1 on any failure."""
    from mfml_anim.audit import audit as run_audit

    failed = 0
    for les in targets(names, all_):
        board = les.storyboard(params_for(les, set_, params))
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
    exit_with(1 if failed else 0)


@app.command()
@user_errors
def lint(
    names: Names = None,
    all_: Annotated[bool, typer.Option("--all", help="Lint every lesson.")] = False,
    set_: Set = None,
    params: Params = None,
) -> None:
    """Check layout without encoding video: text inside the safe frame, no overlapping text, readable
    sizes; and how much of the frame each step's subject fills."""
    from mfml_anim.lint import coverage_summary, lint_report

    failed = 0
    for les in targets(names, all_):
        t0 = time.perf_counter()
        report = lint_report(les, params_for(les, set_, params))
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
        typer.echo(f"     {report.pacing}")
    exit_with(1 if failed else 0)
