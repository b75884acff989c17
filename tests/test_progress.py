"""Progress of `mfml render`: the board's states, the plain lines (CI logs) and the rich tables.

No terminal and no render: the rich output is drawn into a forced-terminal Console on a StringIO,
and the CLI hook is exercised with the runner replaced by a fake that reports steps.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from mfml_anim.render import progress as P
from mfml_anim.render.progress import Board, LiveReporter, PlainReporter, State


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_board_moves_through_the_states() -> None:
    clock = Clock()
    b = Board(["a", "b", "c", "d"], clock=clock)
    assert {r.state for r in b.snapshot()} == {State.QUEUED}
    b.rendering("a")
    clock.t += 2
    b.step("a", "2/5 grow")
    assert (b.rows["a"].state, b.rows["a"].step) == (State.RENDERING, "2/5 grow")
    b.step("a", "5/5 check")
    assert b.rows["a"].state is State.ENCODING  # every step drawn: closing, encoding, commit left
    clock.t += 3
    b.finished("a", State.DONE, {"duration": 37.0}, 5.0)
    b.finished("b", State.CACHED, {"duration": 12.5})
    b.rendering("c")
    b.finished("c", State.FAILED, detail="error: c: render failed")
    a = b.rows["a"]
    assert (a.state, a.elapsed(clock()), a.render_seconds, a.video_seconds) == (State.DONE, 5.0, 5.0, 37.0)
    assert b.rows["b"].elapsed(clock()) == 0.0
    assert b.counts()[State.QUEUED] == 1
    assert P.tally(b) == "4 lessons: 1 done, 1 cached, 1 failed, 1 not finished in 5.0 s"


def test_plain_lines_as_before_and_a_tally() -> None:
    err = io.StringIO()
    rep = PlainReporter(Board(["a", "b"], clock=Clock()), err)
    rep.open()
    rep.start("a", "a: rendering a.mp4 (854x480 @ 15 fps)")
    rep.progress("a")("1/2 intro")
    rep.done("a", "a: 3.0 s of mp4, rendered in 1.0 s", {"duration": 3.0}, 1.0)
    rep.cached("b", "b: up to date, 2.0 s of mp4", {"duration": 2.0})
    rep.close()
    rep.close()
    assert err.getvalue().splitlines() == [
        "a: rendering a.mp4 (854x480 @ 15 fps)",
        "  a: step 1/2 intro",
        "a: 3.0 s of mp4, rendered in 1.0 s",
        "b: up to date, 2.0 s of mp4",
        "2 lessons: 1 done, 1 cached in 0.0 s",
    ]


def test_live_table_and_summary_on_a_forced_terminal() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    clock = Clock()
    rep = LiveReporter(Board(["chain-rule", "product-rule", "hessian"], clock=clock), console)
    rep.open()
    rep.start("chain-rule", "chain-rule: rendering")
    rep.progress("chain-rule")("3/7 compose")
    clock.t += 4
    live = _render(P.live_table(rep.board))
    assert "chain-rule" in live and "rendering" in live and "3/7 compose" in live and "4.0 s" in live
    assert "queued" in live
    rep.done("chain-rule", "chain-rule: done", {"duration": 64.4}, 20.0)
    rep.cached("product-rule", "product-rule: up to date", {"duration": 37.0})
    rep.failed("hessian", "error: hessian: render failed (exit 1)\nTraceback ...")
    rep.close()
    text = out.getvalue()
    assert "error: hessian: render failed (exit 1)" in text  # errors are printed above the table
    summary = text[text.rindex("3 lessons:") :]
    row = next(line for line in summary.splitlines() if "chain-rule" in line)
    assert "done" in row and "20.0 s" in row and "64.4 s" in row and "0.31" in row
    assert "cached" in next(line for line in summary.splitlines() if "product-rule" in line)
    assert "failed" in next(line for line in summary.splitlines() if "hessian" in line)


def _render(renderable: Any) -> str:
    c = Console(file=io.StringIO(), width=120, color_system=None)
    c.print(renderable)
    return c.file.getvalue()  # type: ignore[attr-defined]  # a Manim/rich object typed loosely


def test_reporter_is_plain_off_a_terminal_and_for_one_lesson() -> None:
    assert isinstance(P.reporter(["a", "b"], err=io.StringIO()), PlainReporter)

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert isinstance(P.reporter(["a"], err=Tty()), PlainReporter)
    assert isinstance(P.reporter(["a", "b"], err=Tty()), LiveReporter)


def test_cli_render_reports_through_the_board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hook in `mfml render`, with the runner faked: plain lines in order, a failure counted."""
    from mfml_anim import doctor
    from mfml_anim.cli import app
    from mfml_anim.render import runner

    def fake_render(job: Any, *, force: bool = False, progress: Any = None) -> runner.RenderResult:
        if job.lesson == "product-rule":
            raise runner.RenderFailed("product-rule: render failed (exit 1)")
        progress("1/2 first")
        progress("2/2 last")
        manifest = {"format": "mp4", "duration": 4.0, "width": 854, "height": 480, "fps": 15, "bytes": 5000}
        return runner.RenderResult(job, job.lesson_dir / job.video_name, manifest, False, 2.0)

    monkeypatch.setattr(runner, "render", fake_render)
    monkeypatch.setattr(doctor, "quick_checks", lambda: [])
    r = CliRunner().invoke(app, ["render", "chain-rule", "product-rule", "--out", str(tmp_path)])
    assert r.exit_code == 1, r.output
    lines = r.stderr.splitlines()
    assert lines[:4] == [
        "chain-rule: rendering chain-rule.mp4 (854x480 @ 15 fps)",
        "  chain-rule: step 1/2 first",
        "  chain-rule: step 2/2 last",
        "chain-rule: 4.0 s of mp4, 854x480 @ 15 fps, 5 KB, rendered in 2.0 s",
    ]
    assert "error: product-rule: render failed (exit 1)" in lines
    assert lines[-1].startswith("2 lessons: 1 done, 1 failed in ")
