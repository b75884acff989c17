"""Helpers for smoke renders: render a lesson small and fast, then inspect the file with PyAV."""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
from typer.testing import CliRunner

from mfml_anim.cli import app

SMOKE = ["-q", "l", "--size", "256x144", "--fps", "5"]


def smoke_render(lesson: str, out: Path, *extra: str) -> Path:
    """Render small; returns the output file (its path is the last line ``render`` prints on stdout)."""
    r = CliRunner().invoke(app, ["render", lesson, *SMOKE, "--out", str(out), *extra])
    assert r.exit_code == 0, r.output
    path = Path(r.stdout.strip().splitlines()[-1])
    assert path.parent == (out / lesson).resolve() and path.is_file(), r.output
    return path


def manifest_entry(path: Path) -> dict:
    """The manifest entry describing output file ``path`` (manifest.json holds one per output)."""
    return json.loads((path.parent / "manifest.json").read_text())["outputs"][path.name]


def decode_frames(path: Path, every: int = 1) -> list[np.ndarray]:
    frames = []
    with av.open(str(path)) as box:
        for i, frame in enumerate(box.decode(video=0)):
            if i % every == 0:
                frames.append(frame.to_ndarray(format="rgb24"))
    return frames


def check_video(
    path: Path, *, width: int = 256, height: int = 144, min_s: float = 20, max_s: float = 130
) -> dict:
    """Duration, frame size and content: most frames must show something besides background."""
    manifest = manifest_entry(path)
    assert manifest["width"] == width and manifest["height"] == height
    assert min_s <= manifest["duration"] <= max_s, manifest["duration"]
    frames = decode_frames(path, every=5)
    assert frames and frames[0].shape == (height, width, 3)
    busy = [f for f in frames if f.std() > 8]
    assert len(busy) >= 0.7 * len(frames), (
        f"{len(frames) - len(busy)} of {len(frames)} sampled frames are blank"
    )
    return manifest
