"""A batch of renders as ``mfml render`` runs it: parameters merged, each lesson decided, said and
committed, interruptions honoured. No typer here, so the rules are tested without a command line.

The rules (README, "Interrupting a render"):

* an output found up to date is said so before anything is started ("rendering" is never followed
  by "up to date"); the runner checks again under its lock;
* a Ctrl-C or SIGTERM before a lesson's output is committed propagates (the command exits 130 and
  the previous output is untouched); one after the commit, or held back during it, leaves a whole
  output that counts as rendered, and nothing further is started: exit 0 if nothing is missing,
  else 130 with how many lessons were not rendered;
* a render that fails is reported and counted (exit 1), the other lessons still render.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mfml_anim.errors import ParamError, UserError
from mfml_anim.render.describe import describe_output
from mfml_anim.render.job import RenderJob

if TYPE_CHECKING:
    from mfml_anim.lessons import Lesson
    from mfml_anim.params import LessonParams
    from mfml_anim.render.farm import Farm
    from mfml_anim.render.progress import LiveReporter, PlainReporter
    from mfml_anim.render.runner import RenderResult

Progress = Callable[[str], None]
RenderOne = Callable[..., "RenderResult"]  # runner.render or a farm's: (job, *, force, progress)


def lesson_params(lesson: Lesson, sets: Sequence[str], params_file: Path | None) -> LessonParams:
    """``lesson``'s parameters from a TOML file overridden by ``--set`` values. A wrong value that
    came from the file is said of the file (``my.toml: 'at': not a number``); one from ``--set``
    (which wins over the file) keeps its ``--set at: ...`` form."""
    from mfml_anim.params import load_params_file, parse_set_options

    from_file: dict[str, Any] = {}
    if params_file is not None:
        if params_file.is_dir():
            raise UserError(f"--params {params_file}: is a directory, not a TOML file")
        from_file = load_params_file(params_file)
    from_set = parse_set_options(list(sets))
    try:
        return lesson.make_params({**from_file, **from_set})
    except ParamError as exc:
        if params_file is not None and exc.param in from_file and exc.param not in from_set:
            raise exc.blamed_on(str(params_file)) from None
        raise


@dataclass
class Batch:
    """One ``mfml render`` command's lessons. :meth:`run` renders them; what happened is left in
    the fields (and said through ``reporter``, ``say`` for stdout and ``warn`` for stderr)."""

    jobs: Sequence[RenderJob]
    render: RenderOne
    reporter: PlainReporter | LiveReporter
    say: Progress
    warn: Progress
    force: bool = False
    produced: list[Path] = field(default_factory=list)  # outputs in place, in the order they were
    failures: int = 0
    interrupted: list[str] = field(default_factory=list)  # lessons complete when a signal arrived
    complete: set[str] = field(default_factory=set)  # committed by this batch

    def one(self, job: RenderJob) -> None:
        """Decide, render (unless up to date) and say one lesson's output."""
        from mfml_anim.render.runner import RenderFailed, output_key, take_deferred_interrupt, up_to_date

        rep = self.reporter
        # Decided per output file before anything is said, so "rendering" is never followed by
        # "up to date"; the runner checks again under the lock (another process may finish first).
        if not self.force and (m := up_to_date(job, output_key(job))):
            rep.cached(
                job.lesson, f"{job.lesson}: up to date, {describe_output(m)} (use --force to render again)", m
            )
        else:
            w, h, f = job.frame
            rep.start(job.lesson, f"{job.lesson}: rendering {job.video_name} ({w}x{h} @ {f} fps)")
            try:
                r = self.render(job, force=self.force, progress=rep.progress(job.lesson))
            except RenderFailed as exc:
                self.failures += 1
                rep.failed(job.lesson, f"error: {exc}")
                return
            self.complete.add(job.lesson)  # committed: an interruption from here on leaves a whole output
            self._said(job, r)
        path = (job.lesson_dir / job.video_name).resolve()
        self.say(str(path))
        self.produced.append(path)
        if take_deferred_interrupt():
            # Ctrl-C/SIGTERM arrived while this output was being committed: it is complete, so it
            # counts as rendered; nothing further is started.
            self.interrupted.append(job.lesson)

    def _said(self, job: RenderJob, r: RenderResult) -> None:
        if r.skipped:
            text = f"{job.lesson}: up to date (another render just made it), {describe_output(r.manifest)}"
            self.reporter.cached(job.lesson, text, r.manifest)
        else:
            text = f"{job.lesson}: {describe_output(r.manifest)}, rendered in {r.seconds:.1f} s"
            self.reporter.done(job.lesson, text, r.manifest, r.seconds)

    def in_turn(self) -> None:
        """One lesson after another, stopping at an interruption (the rules in the module doc)."""
        for job in self.jobs:
            if self.interrupted:
                break
            try:
                self.one(job)
            except KeyboardInterrupt:
                if job.lesson not in self.complete:
                    raise  # before the commit: exit 130, the previous output untouched
                self.interrupted.append(job.lesson)  # after it: the output is whole and counts

    @property
    def missing(self) -> int:
        """Lessons left without an output by an interruption (committed here or up to date count)."""
        whole = self.complete | {p.parent.name for p in self.produced}
        return sum(j.lesson not in whole for j in self.jobs)

    def run(self, *, parallel: int = 1, farm: Farm | None = None) -> int:
        """Render every job (on ``farm``, or ``parallel`` at a time); the command's exit code."""
        self.reporter.open()
        if farm is not None:
            farm.run_all(self.one, list(self.jobs))
        elif parallel == 1 or len(self.jobs) == 1:
            self.in_turn()
            if self.interrupted:
                left = self.missing
                self.warn(
                    f"interrupted after {self.interrupted[0]}'s output was complete"
                    + (f"; {left} lesson(s) not rendered" if left else "; nothing is missing")
                )
                if left:
                    return 130
        else:
            with ThreadPoolExecutor(max_workers=parallel) as pool:
                for fut in as_completed([pool.submit(self.one, j) for j in self.jobs]):
                    fut.result()
        self.reporter.close()
        return 1 if self.failures else 0


def output_format(last_frame: bool, fmt: str | None) -> str:
    """The format to render: ``-s`` is Manim's last frame as PNG, which no other format can be."""
    if last_frame and fmt not in (None, "png"):
        raise UserError(f"-s saves the last frame as PNG; it cannot be combined with --format {fmt}")
    return "png" if last_frame else (fmt or "mp4")


def transparent_warning(settings: Mapping[str, Any], theme_given: bool) -> str | None:
    """Said once per command, after the options are known to be valid: a transparent video's text
    is only readable on a background like the theme's own."""
    if settings.get("transparent") and not theme_given:
        return (
            "warning: --transparent keeps the dark theme's light text, meant for dark slides; "
            "for a light slide add --theme light"
        )
    return None
