"""The batch of renders behind ``mfml render`` (mfml_anim.render.batch), without typer: which
parameters a lesson gets and who is blamed for a bad one, and the interrupt/commit rules."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from mfml_anim import lessons
from mfml_anim.errors import ParamError, UnknownParam, UserError
from mfml_anim.render import batch as B
from mfml_anim.render import runner
from mfml_anim.render.job import RenderJob
from mfml_anim.render.progress import reporter

# ---------------------------------------------------------------------------------- parameters


def test_param_error_keeps_param_and_reason_apart() -> None:
    e = ParamError("at", "not a number")
    assert (str(e), e.param, e.reason) == ("--set at: not a number", "at", "not a number")
    assert str(e.blamed_on("my.toml")) == "my.toml: 'at': not a number"
    u = UnknownParam("nope", "chain-rule", "outer, inner, at")
    assert str(u) == "unknown parameter 'nope' for chain-rule (allowed: outer, inner, at)"
    assert str(u.blamed_on("my.toml")) == f"my.toml: {u}"


def test_a_bad_value_from_the_file_names_the_file(tmp_path: Path) -> None:
    les = lessons.get("chain-rule")
    f = tmp_path / "my.toml"
    f.write_text('at = "abc"\ninner = "sin(m)"\n')
    with pytest.raises(UserError) as err:
        B.lesson_params(les, [], f)
    assert str(err.value).startswith(f"{f}: 'at': ") and not isinstance(err.value, ParamError)
    assert B.lesson_params(les, ["at=0.5"], f).to_json()["at"] == 0.5  # --set wins over the file
    with pytest.raises(ParamError, match="^--set at: "):  # and is blamed itself
        B.lesson_params(les, ["at=xyz"], f)
    f.write_text("nope = 1\n")
    with pytest.raises(UserError, match=f"^{f}: unknown parameter 'nope' for chain-rule"):
        B.lesson_params(les, [], f)
    with pytest.raises(UnknownParam, match="^unknown parameter 'nope2'"):
        B.lesson_params(les, ["nope2=1"], None)


def test_a_lesson_check_on_a_file_value_names_the_file_too(tmp_path: Path) -> None:
    """Cross-field checks (Lesson.check) raise ParamError as well, so the file is blamed for them."""
    f = tmp_path / "p.toml"
    f.write_text('start = "9,9"\n')
    with pytest.raises(UserError, match=f"^{f}: 'start': must lie in the sandpit"):
        B.lesson_params(lessons.get("sandpit"), [], f)


def test_params_directory_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="is a directory"):
        B.lesson_params(lessons.get("chain-rule"), [], tmp_path)


def test_output_format_and_transparent_warning() -> None:
    assert B.output_format(False, None) == "mp4" and B.output_format(True, None) == "png"
    assert B.output_format(True, "png") == "png" and B.output_format(False, "gif") == "gif"
    with pytest.raises(UserError, match="-s saves the last frame"):
        B.output_format(True, "mp4")
    assert "--theme light" in (B.transparent_warning({"transparent": True}, theme_given=False) or "")
    assert B.transparent_warning({"transparent": True}, theme_given=True) is None
    assert B.transparent_warning({"transparent": False}, theme_given=False) is None


# ---------------------------------------------------------------------------------- the batch


class Fake:
    """A runner stand-in: renders by writing a file; ``interrupt``: raise KeyboardInterrupt at that
    lesson before its commit; ``fail``: RenderFailed; ``deferred``: a signal held back during
    that lesson's commit."""

    def __init__(self, *, interrupt: str = "", fail: str = "", deferred: str = "", cached: str = "") -> None:
        self.interrupt, self.fail, self.deferred, self.cached = interrupt, fail, deferred, cached
        self.started: list[str] = []
        self.pending = False

    def render(self, job: RenderJob, *, force: bool = False, progress: Any = None) -> runner.RenderResult:
        self.started.append(job.lesson)
        if job.lesson == self.interrupt:
            raise KeyboardInterrupt
        if job.lesson == self.fail:
            raise runner.RenderFailed(f"{job.lesson}: render failed (exit 1)")
        path = job.lesson_dir / job.video_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 2000)
        self.pending = job.lesson == self.deferred
        m = {"format": "mp4", "width": 64, "height": 36, "fps": 5, "duration": 2.0, "bytes": 2000}
        return runner.RenderResult(job, path, m, False, 0.5)

    def up_to_date(self, job: RenderJob, key: str) -> dict[str, Any] | None:
        if job.lesson != self.cached:
            return None
        return {"format": "mp4", "width": 64, "height": 36, "fps": 5, "duration": 2.0, "bytes": 2000}

    def take_deferred(self) -> bool:
        was, self.pending = self.pending, False
        return was


def make(
    fake: Fake, names: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **kw: Any
) -> tuple[B.Batch, io.StringIO]:
    """A batch over ``names`` with ``fake`` as the runner, and what it says on stderr."""
    monkeypatch.setattr(runner, "up_to_date", fake.up_to_date)
    monkeypatch.setattr(runner, "output_key", lambda job: "k")
    monkeypatch.setattr(runner, "take_deferred_interrupt", fake.take_deferred)
    jobs = [RenderJob(lesson=n, params={}, out_dir=str(tmp_path)) for n in names]
    err = io.StringIO()
    b = B.Batch(
        jobs,
        render=fake.render,
        reporter=reporter(names, err=err),
        say=kw.pop("say", lambda s: None),
        warn=lambda s: err.write(s + "\n"),
        **kw,
    )
    return b, err


def test_every_lesson_rendered_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = Fake(cached="b")
    said: list[str] = []
    b, err = make(fake, ["a", "b", "c"], tmp_path, monkeypatch, say=said.append)
    assert b.run() == 0
    assert fake.started == ["a", "c"]  # b was up to date: never started
    assert said == [str((tmp_path / n / f"{n}.mp4").resolve()) for n in "abc"] and b.produced == [
        Path(s) for s in said
    ]
    lines = err.getvalue().splitlines()
    assert lines[0] == "a: rendering a.mp4 (854x480 @ 15 fps)"
    assert lines[1] == "a: 2.0 s of mp4, 64x36 @ 5 fps, 2 KB, rendered in 0.5 s"
    assert lines[2].startswith("b: up to date, 2.0 s of mp4") and "rendering b" not in err.getvalue()


def test_a_failure_is_counted_and_the_rest_still_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = Fake(fail="a")
    b, err = make(fake, ["a", "b"], tmp_path, monkeypatch)
    assert b.run() == 1 and fake.started == ["a", "b"] and b.failures == 1
    assert "error: a: render failed (exit 1)" in err.getvalue()


def test_interrupt_before_the_commit_propagates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = Fake(interrupt="b")
    b, err = make(fake, ["a", "b", "c"], tmp_path, monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        b.run()
    assert fake.started == ["a", "b"] and [p.parent.name for p in b.produced] == ["a"]


def test_interrupt_after_the_commit_counts_the_output_and_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the committed lesson's line is printed: its output is whole; nothing else starts."""
    fake = Fake()

    def say(line: str) -> None:
        if line.endswith("/a.mp4"):
            raise KeyboardInterrupt

    b, err = make(fake, ["a", "b"], tmp_path, monkeypatch, say=say)
    assert b.run() == 130 and fake.started == ["a"] and b.missing == 1
    assert "interrupted after a's output was complete; 1 lesson(s) not rendered" in err.getvalue()
    b, err = make(Fake(), ["a"], tmp_path, monkeypatch, say=say)
    assert b.run() == 0  # the only lesson is whole: nothing is missing
    assert "interrupted after a's output was complete; nothing is missing" in err.getvalue()


def test_a_signal_held_during_the_commit_stops_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = Fake(deferred="a", cached="c")
    b, err = make(fake, ["a", "b", "c"], tmp_path, monkeypatch)
    assert b.run() == 130 and fake.started == ["a"] and b.interrupted == ["a"]
    assert b.missing == 2  # b and c not rendered (c is up to date, but was never looked at)
    assert "2 lesson(s) not rendered" in err.getvalue()


def test_parallel_renders_every_lesson(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = Fake(fail="b")
    b, err = make(fake, ["a", "b", "c"], tmp_path, monkeypatch)
    assert b.run(parallel=3) == 1 and sorted(fake.started) == ["a", "b", "c"] and len(b.produced) == 2
