"""Smoke renders: real video at a small frame, checked with PyAV; cache and manifest behaviour."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mfml_anim import lessons
from mfml_anim.cli import app
from tests.render_utils import SMOKE, check_video, manifest_entry, smoke_render

pytestmark = pytest.mark.render


@pytest.mark.parametrize("slug", [s for s in lessons.available() if s != "chain-rule"])
def test_every_lesson_renders(slug: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each lesson at its defaults: 30-120 s of video, the right frame size, frames not blank, and
    ``mfml lint``'s checks (layout, true axes, TeX provenance) clean, run during this same render
    (``MFML_LINT=1``) so the suite runs each scene once (the dry-run lint of every lesson is in the sweep)."""
    monkeypatch.setenv("MFML_LINT", "1")
    m = check_video(smoke_render(slug, tmp_path))
    assert m["lesson"] == slug
    assert m["lint"] == [], "\n".join(m["lint"])


def test_chain_rule_renders_with_captions_and_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MFML_LINT", "1")
    video = smoke_render("chain-rule", tmp_path)
    m = check_video(video)
    assert m["lint"] == [], "\n".join(m["lint"])
    d = video.parent
    stem = "chain-rule-256x144-5fps"  # a frame other than -q l's own is in the name
    assert video.name == f"{stem}.mp4" and m["name"] == stem
    assert sorted(p.name for p in d.iterdir()) == sorted(
        [f"{stem}.mp4", f"{stem}.srt", f"{stem}.vtt", "manifest.json"]
    )
    assert m["lesson"] == "chain-rule" and m["params"]["at"] == 1.0 and m["quality"] == "l"
    assert set(m["versions"]) >= {"manim", "python", "mfml_anim"}
    srt = (d / f"{stem}.srt").read_text()
    assert "chain rule multiplies the links" in srt
    assert (d / f"{stem}.vtt").read_text().startswith("WEBVTT")
    # unchanged: not rendered again, and never announced as rendering first
    r = CliRunner().invoke(app, ["render", "chain-rule", *SMOKE, "--out", str(tmp_path)])
    assert r.exit_code == 0 and "up to date" in r.stderr and "rendering" not in r.stderr
    assert manifest_entry(video)["key"] == m["key"]
    assert list(json.loads((d / "manifest.json").read_text())["outputs"]) == [video.name]


def test_changed_param_renders_again(tmp_path: Path) -> None:
    video = smoke_render("chain-rule", tmp_path, "--set", "at=0.5", "--no-captions")
    m = check_video(video)
    assert m["params"]["at"] == 0.5 and m["captions"] is False


def test_plain_manim_runs_a_scene_file(tmp_path: Path) -> None:
    """Scene modules work with plain Manim too (default parameters), as DESIGN promises."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "manim",
            "render",
            "-ql",
            "--dry_run",
            "--media_dir",
            str(tmp_path),
            str(root / "scenes" / "product_rule.py"),
            "ProductRule",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert "Rendered ProductRule" in r.stdout + r.stderr
