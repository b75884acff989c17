"""Narration without rendering: engine specs, spoken text, the audio cache, the CLI's one-line
errors, and how the voice enters the render's cache key and file name. The voiced render itself
is checked in tests/test_site.py (the site's renders are narrated, so one render serves both)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mfml_anim import voice
from mfml_anim.cli import app
from mfml_anim.errors import UserError
from mfml_anim.render.job import RenderJob, output_name


def test_specs_name_an_engine_and_a_voice() -> None:
    assert voice.parse_spec("espeak") == voice.VoiceSpec("espeak", "en-us")
    assert voice.parse_spec("espeak-ng:en-gb").tag == "espeak-en-gb"
    assert voice.parse_spec("espeak").tag == "espeak"
    assert voice.parse_spec("auto").engine == ("piper" if voice.piper_installed() else "espeak")
    for bad in ("klingon", "espeak:../x", "piper:somebody", ""):
        with pytest.raises(UserError, match="--voice"):
            voice.parse_spec(bad)


def test_symbols_are_read_as_words() -> None:
    said = voice.spoken_text("At x₀ = −2, f'(x) ≈ 0.5 and ∂f/∂x → σ²")
    assert (
        said
        == "At x0 equals minus 2, f prime of x is about 0.5 and partial f over partial x to sigma squared"
    )


def test_synthesis_is_cached_and_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MFML_CACHE_DIR", str(tmp_path))
    spec = voice.parse_spec("espeak")
    first = voice.synthesise(spec, "The gradient points uphill.")
    data = Path(first.path).read_bytes()
    assert Path(first.path).parent == tmp_path / "voice" and 0.8 < first.seconds < 5
    real_run = subprocess.run

    def no_engine(*args: object, **kwargs: object) -> None:
        raise AssertionError("synthesised again although the audio is cached")

    monkeypatch.setattr(voice.subprocess, "run", no_engine)
    assert voice.synthesise(spec, "The gradient points uphill.") == first
    monkeypatch.setattr(voice.subprocess, "run", real_run)
    Path(first.path).unlink()
    again = voice.synthesise(spec, "The gradient points uphill.")
    assert Path(again.path).read_bytes() == data  # espeak-ng is deterministic: same text, same bytes
    other = voice.synthesise(spec, "The gradient points downhill.")
    assert other.path != first.path
    assert not list((tmp_path / "voice").glob(".*partial*"))


def test_voice_is_part_of_the_key_and_the_name() -> None:
    silent = RenderJob(lesson="jacobians", params={}, scene="scenes.jacobians:Jacobians")
    spoken = RenderJob(
        lesson="jacobians", params={}, scene="scenes.jacobians:Jacobians", voice="espeak:en-us"
    )
    british = RenderJob(
        lesson="jacobians", params={}, scene="scenes.jacobians:Jacobians", voice="espeak:en-gb"
    )
    assert len({silent.key(), spoken.key(), british.key()}) == 3
    assert output_name(spoken, {}) == "jacobians-espeak"
    assert output_name(british, {}) == "jacobians-espeak-en-gb"
    with pytest.raises(UserError, match="--voice needs a video format"):
        RenderJob(lesson="jacobians", params={}, fmt="gif", voice="espeak:en-us")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--voice", "klingon"], "is not a voice engine"),
        (["--voice", "espeak:xx-nowhere"], "espeak-ng has no voice"),
        (["--voice", "espeak", "-f", "png"], "needs a video format with sound"),
    ],
)
def test_cli_rejects_bad_voices_in_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["render", "jacobians", "--out", str(tmp_path), *args])
    assert r.exit_code == 2, r.output
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not any(tmp_path.iterdir())


def test_piper_missing_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voice, "piper_installed", lambda: False)
    voice.engine_version.cache_clear()
    try:
        r = CliRunner().invoke(app, ["render", "jacobians", "--out", str(tmp_path), "--voice", "piper"])
    finally:
        voice.engine_version.cache_clear()
    assert r.exit_code == 2 and "pip install '.[voice]'" in r.stderr, r.output
