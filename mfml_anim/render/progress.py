"""What ``mfml render`` says while it works: a live table on a terminal, plain lines in a log.

A render of many lessons (``--all``, ``--jobs N``, a farm) runs for minutes; a lecturer watching a
terminal wants to see every lesson at once — which are waiting, which step each is drawing, which
are done or came from the cache, how long each took — while a CI log wants one line per event that
reads the same after the fact (the lines ``mfml render`` has always printed).

:class:`Board` is the model: one :class:`Row` per output, moved through :class:`State` by the
render loop (thread-safe: ``--jobs`` renders in threads). Two reporters show it:

* :class:`PlainReporter` prints the classic lines to stderr as events happen;
* :class:`LiveReporter` redraws a rich table (rich comes with Manim) about four times a second and
  prints a summary table at the end: render time and video length per lesson.

:func:`reporter` picks the live one only when stderr is a terminal.
"""

from __future__ import annotations

import enum
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any


class State(enum.Enum):
    QUEUED = "queued"
    RENDERING = "rendering"
    ENCODING = "encoding"  # after the last step: closing fade, joining the movie, commit
    DONE = "done"
    CACHED = "cached"
    FAILED = "failed"


FINAL = (State.DONE, State.CACHED, State.FAILED)


@dataclass
class Row:
    """One output being produced. ``step`` is the worker's last report (``3/7 compose``)."""

    lesson: str
    state: State = State.QUEUED
    step: str = ""
    started: float | None = None
    ended: float | None = None
    render_seconds: float | None = None
    video_seconds: float | None = None
    detail: str = ""

    def elapsed(self, now: float) -> float | None:
        if self.started is None:
            return None
        return (self.ended if self.ended is not None else now) - self.started


class Board:
    """The state of every lesson in one ``mfml render``; the reporters only read it."""

    def __init__(self, lessons: list[str], clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.rows = {slug: Row(slug) for slug in lessons}
        self.started = clock()
        self.lock = threading.Lock()

    def rendering(self, lesson: str, detail: str = "") -> None:
        with self.lock:
            row = self.rows[lesson]
            row.state, row.started, row.detail = State.RENDERING, self.clock(), detail

    def step(self, lesson: str, msg: str) -> None:
        """A worker's ``i/n step-id``; after step n of n only the closing and encoding are left."""
        with self.lock:
            row = self.rows[lesson]
            row.step = msg
            i, _, n = msg.split(" ", 1)[0].partition("/")
            row.state = State.ENCODING if i.isdigit() and i == n else State.RENDERING

    def finished(
        self,
        lesson: str,
        state: State,
        manifest: dict[str, Any] | None = None,
        seconds: float | None = None,
        detail: str = "",
    ) -> None:
        with self.lock:
            row = self.rows[lesson]
            now = self.clock()
            row.started = now if row.started is None else row.started
            row.state, row.ended, row.detail = state, now, detail or row.detail
            row.render_seconds = seconds
            if manifest:
                row.video_seconds = manifest.get("duration")

    def counts(self) -> dict[State, int]:
        with self.lock:
            out = dict.fromkeys(State, 0)
            for row in self.rows.values():
                out[row.state] += 1
            return out

    def snapshot(self) -> list[Row]:
        with self.lock:
            return [Row(**vars(r)) for r in self.rows.values()]


class _Reporter:
    """The events the render loop reports: each moves the board and is told by :meth:`say`."""

    board: Board

    def say(self, line: str) -> None:
        raise NotImplementedError

    def start(self, lesson: str, line: str) -> None:
        self.board.rendering(lesson)
        self.say(line)

    def cached(self, lesson: str, line: str, manifest: dict[str, Any] | None = None) -> None:
        self.board.finished(lesson, State.CACHED, manifest)
        self.say(line)

    def done(self, lesson: str, line: str, manifest: dict[str, Any], seconds: float) -> None:
        self.board.finished(lesson, State.DONE, manifest, seconds)
        self.say(line)

    def failed(self, lesson: str, line: str) -> None:
        self.board.finished(lesson, State.FAILED, detail=line.splitlines()[0][:80])
        self.say(line)

    def open(self) -> None:
        """Start showing (idempotent); :meth:`close` is also run at exit, so an interrupted render
        still restores the terminal and prints its summary."""

    def close(self) -> None:
        """Stop showing and print the summary (idempotent)."""


class PlainReporter(_Reporter):
    """Today's lines on stderr, one per event; a one-line tally at the end of a multi-lesson run."""

    def __init__(self, board: Board, err: IO[str]) -> None:
        self.board, self.err = board, err
        self.closed = False

    def say(self, line: str) -> None:
        print(line, file=self.err, flush=True)

    def progress(self, lesson: str) -> Callable[[str], None]:
        def report(msg: str) -> None:
            self.board.step(lesson, msg)
            self.say(f"  {lesson}: step {msg}")

        return report

    def close(self) -> None:
        if not self.closed and len(self.board.rows) > 1:
            self.say(tally(self.board))
        self.closed = True


def tally(board: Board) -> str:
    c = board.counts()
    parts = [f"{c[s]} {s.value}" for s in (State.DONE, State.CACHED, State.FAILED) if c[s]]
    left = len(board.rows) - sum(c[s] for s in FINAL)
    parts += [f"{left} not finished"] if left else []
    return f"{len(board.rows)} lessons: {', '.join(parts)} in {board.clock() - board.started:.1f} s"


STYLE = {
    State.QUEUED: "dim",
    State.RENDERING: "cyan",
    State.ENCODING: "magenta",
    State.DONE: "green",
    State.CACHED: "blue",
    State.FAILED: "bold red",
}


def _secs(v: float | None) -> str:
    return "" if v is None else f"{v:.1f} s"


def live_table(board: Board) -> Any:
    """The table shown while rendering: lesson, state (with the current step), elapsed time."""
    from rich.table import Table

    now = board.clock()
    t = Table(title=tally(board), title_justify="left", expand=False)
    t.add_column("lesson")
    t.add_column("state")
    t.add_column("step")
    t.add_column("elapsed", justify="right")
    for r in board.snapshot():
        t.add_row(
            r.lesson,
            f"[{STYLE[r.state]}]{r.state.value}[/]",
            r.step if r.state in (State.RENDERING, State.ENCODING) else r.detail,
            _secs(r.elapsed(now)),
        )
    return t


def summary_table(board: Board) -> Any:
    """The table printed at the end: how each lesson ended, render time and video length."""
    from rich.table import Table

    t = Table(title=tally(board), title_justify="left")
    for col, just in (
        ("lesson", "left"),
        ("result", "left"),
        ("render", "right"),
        ("video", "right"),
        ("render / video", "right"),
    ):
        t.add_column(col, justify=just)  # type: ignore[arg-type]  # rich's justify takes these literal strings
    for r in board.snapshot():
        ratio = f"{r.render_seconds / r.video_seconds:.2f}" if r.render_seconds and r.video_seconds else ""
        t.add_row(
            r.lesson,
            f"[{STYLE[r.state]}]{r.state.value}[/]",
            _secs(r.render_seconds),
            _secs(r.video_seconds),
            ratio,
        )
    return t


class LiveReporter(_Reporter):
    """A rich table redrawn in place on the terminal. Events are in the table; only errors and
    warnings are also printed (above it), and a summary table is printed when it closes."""

    def __init__(self, board: Board, console: Any, stdout_tty: bool = False) -> None:
        self.board, self.console, self.stdout_tty = board, console, stdout_tty
        self.live: Any = None
        self.closed = False

    def say(self, line: str) -> None:
        if line.startswith(("error:", "warning:")):
            self.console.print(line, markup=False, highlight=False)

    def progress(self, lesson: str) -> Callable[[str], None]:
        return lambda msg: self.board.step(lesson, msg)

    def open(self) -> None:
        if self.live is not None or self.closed:
            return
        import atexit

        from rich.live import Live

        # Paths printed on stdout go above the table when stdout is the same terminal; to a pipe
        # they go untouched (redirecting them would send them to stderr).
        self.live = Live(
            console=self.console,
            get_renderable=lambda: live_table(self.board),
            refresh_per_second=4,
            transient=True,
            redirect_stdout=self.stdout_tty,
            redirect_stderr=False,
        )
        self.live.start()
        atexit.register(self.close)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.live is not None:
            self.live.stop()
        self.console.print(summary_table(self.board))


def reporter(
    lessons: list[str], err: IO[str] | None = None, live: bool | None = None
) -> PlainReporter | LiveReporter:
    """Live table when ``err`` (default stderr) is a terminal and more than one lesson is rendered,
    else plain lines. ``live`` forces either."""
    err = err if err is not None else sys.stderr
    board = Board(lessons)
    if live is None:
        live = len(lessons) > 1 and err.isatty()
    if not live:
        return PlainReporter(board, err)
    from rich.console import Console

    return LiveReporter(board, Console(file=err), stdout_tty=sys.stdout.isatty())
