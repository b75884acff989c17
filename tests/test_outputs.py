"""Outputs a lecturer uses (issue 9): stills with content, per-step stills, GIFs with exact timing and a
sane size, outputs of different settings side by side, Manim's flags.

The fast tests drive the CLI with a stand-in for the render runner (they check what the CLI asks
for and says); the ``render`` tests make a few small real renders into one directory and read the
files back (Pillow, PyAV).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from mfml_anim import lessons
from mfml_anim.cli import app
from mfml_anim.render import runner as runner_mod
from mfml_anim.render.gif import GifCollector, delays_cs
from mfml_anim.render.job import GIF_FRAMES, QUALITIES, RenderJob, output_name
from tests.render_utils import SMOKE, decode_frames

cli = CliRunner()


def busy_fraction(img: np.ndarray) -> float:
    """Share of pixels that are not the most common colour (the background): 0 for a blank frame."""
    flat = img.reshape(-1, img.shape[-1])
    _, counts = np.unique(flat, axis=0, return_counts=True)
    return 1 - counts.max() / len(flat)


# ---------------------------------------------------------------------------------- GIF timing


@pytest.mark.parametrize("fps", [5, 10, 15, 24, 30, 50])
def test_gif_delays_add_up_at_any_frame_rate(fps: int) -> None:
    counts = [1] * 37 + [fps * 3] + [1, 2, 5] * 11
    d = delays_cs(counts, fps)
    assert sum(d) == round(sum(counts) * 100 / fps)  # the whole length, to the centisecond
    for c, x in zip(counts, d, strict=True):
        assert abs(x - c * 100 / fps) < 1  # every run within 1 cs of its true length
    if 100 % fps == 0:
        assert all(x == c * 100 // fps for c, x in zip(counts, d, strict=True))


def test_gif_collector_merges_repeats_and_writes_exact_delays(tmp_path: Path) -> None:
    fps = 15
    g = GifCollector(fps=fps)
    frame = np.zeros((72, 128, 4), np.uint8)
    frame[..., 3] = 255
    frame[..., :3] = (17, 20, 26)
    shown = 0
    for i in range(40):
        f = frame.copy()
        f[20:40, 2 + 3 * i : 12 + 3 * i, :3] = (230, 159, 0)
        g.add(f, 1)
        g.add(f, 4 if i % 8 == 0 else 0)  # a wait: the same frame again
        shown += 1 + (4 if i % 8 == 0 else 0)
    assert g.frame_count == shown
    out = tmp_path / "x.gif"
    info = g.write(out)
    with Image.open(out) as im:
        ms = []
        for k in range(im.n_frames):
            im.seek(k)
            ms.append(im.info["duration"])
        n = im.n_frames
    assert n == 40  # repeats merged into one frame each
    assert sum(ms) / 1000 == pytest.approx(shown / fps, abs=0.01) == info["gif_seconds"]
    assert set(ms) <= {60, 70, 330, 340}  # 1/15 s is 6 or 7 cs, never always 7 (the old 70 ms bug)


# ---------------------------------------------------------------------------------- file names


def test_output_names_differ_for_every_setting_and_default_is_plain() -> None:
    les = lessons.get("chain-rule")
    defaults = les.default_params().to_json()
    base = RenderJob(lesson=les.slug, params=defaults)
    variants = {
        "default": base,
        "params": replace(base, params={**defaults, "at": 0.5}),
        "theme": replace(base, theme="light"),
        "quality": replace(base, quality="m"),
        "size": replace(base, size=(256, 144)),
        "fps": replace(base, fps=5),
        "captions": replace(base, captions=False),
        "transparent": replace(base, fmt="mov", transparent=True),
    }
    names = {k: output_name(j, defaults) for k, j in variants.items()}
    assert names["default"] == "chain-rule"
    assert len(set(names.values())) == len(names), names
    assert names["theme"] == "chain-rule-light" and names["quality"] == "chain-rule-qm"
    # the format is the extension; a GIF at its own default frame keeps the plain name
    assert output_name(replace(base, fmt="gif"), defaults) == "chain-rule"
    assert replace(base, fmt="gif").frame == GIF_FRAMES["l"] and base.frame == QUALITIES["l"][1:]


# ---------------------------------------------------------------------------------- CLI, no render


@pytest.fixture
def fake_runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[RenderJob]:
    """Replace the runner: record the jobs, write a placeholder file, answer like the real one."""
    seen: list[RenderJob] = []

    def fake(job: RenderJob, *, force: bool = False, progress=None) -> runner_mod.RenderResult:  # noqa: ANN001
        seen.append(job)
        path = job.lesson_dir / job.video_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 1500)
        w, h, fps = job.frame
        m = {
            "format": job.fmt,
            "width": w,
            "height": h,
            "fps": fps,
            "duration": 3.0,
            "bytes": 1500,
            "stills": [],
        }
        return runner_mod.RenderResult(job, path, m, False, 0.1)

    monkeypatch.setattr(runner_mod, "render", fake)
    monkeypatch.setattr("mfml_anim.cli.render.find_viewer", lambda: None)  # never start a viewer in tests
    return seen


def test_manim_flags(fake_runner: list[RenderJob], tmp_path: Path) -> None:
    out = ["--out", str(tmp_path)]
    r = cli.invoke(app, ["render", "chain-rule", "-pql", "-s", *out])
    assert r.exit_code == 0, r.output
    job = fake_runner[-1]
    assert (job.quality, job.fmt) == ("l", "png") and job.video_name == "chain-rule.png"
    assert "preview:" in r.stderr and str((tmp_path / "chain-rule" / "chain-rule.png").resolve()) in r.stdout
    assert "2 KB" in r.stderr  # the size (1500 bytes) is in the output line
    r = cli.invoke(
        app,
        [
            "render",
            "chain-rule",
            "-qm",
            "-r",
            "640,360",
            "--frame_rate",
            "12",
            "-t",
            "--format",
            "webm",
            *out,
        ],
    )
    assert r.exit_code == 0, r.output
    job = fake_runner[-1]
    assert (job.quality, job.frame, job.transparent) == ("m", (640, 360, 12), True)
    assert job.video_name == "chain-rule-640x360-12fps-transparent.webm"
    r = cli.invoke(app, ["render", "chain-rule", "-s", "--format", "mp4", *out])
    assert "-s" in r.stderr and r.exit_code == 2


def test_version() -> None:
    from mfml_anim import __version__

    r = cli.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout.strip() == f"mfml-anim {__version__}"


def test_transparent_dark_warns_once_light_does_not(fake_runner: list[RenderJob], tmp_path: Path) -> None:
    args = ["render", "chain-rule", "product-rule", "--transparent", "-s", "--out", str(tmp_path)]
    r = cli.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert r.stderr.count("warning:") == 1 and "--theme light" in r.stderr
    r = cli.invoke(app, [*args, "--theme", "light"])
    assert r.exit_code == 0 and "warning" not in r.stderr
    assert (
        fake_runner[-1].theme == "light"
        and fake_runner[-1].video_name == "product-rule-light-transparent.png"
    )


def test_params_file_errors_name_the_file(tmp_path: Path) -> None:
    f = tmp_path / "my.toml"
    f.write_text('at = "abc"\n')
    r = cli.invoke(app, ["script", "chain-rule", "--params", str(f)])
    assert r.exit_code == 2 and r.stderr.startswith(f"error: {f}: 'at': ") and "--set" not in r.stderr
    f.write_text("nope = 1\n")
    r = cli.invoke(app, ["render", "chain-rule", "--params", str(f), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and f"{f}: unknown parameter 'nope'" in r.stderr
    # a --set value overriding the file is blamed on --set, and a good --set fixes a bad file value
    f.write_text('at = "abc"\n')
    assert cli.invoke(app, ["script", "chain-rule", "--params", str(f), "--set", "at=0.5"]).exit_code == 0
    r = cli.invoke(app, ["script", "chain-rule", "--params", str(f), "--set", "at=xyz"])
    assert r.exit_code == 2 and "--set at" in r.stderr


def test_params_directory_one_line(tmp_path: Path) -> None:
    r = cli.invoke(app, ["script", "chain-rule", "--params", str(tmp_path)])
    assert r.exit_code == 2 and r.stderr.strip().count("\n") == 0 and "directory" in r.stderr
    assert "Traceback" not in r.output


# ---------------------------------------------------------------------------------- real renders


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Four small renders of chain-rule into one directory: video, GIF, last frame with stills, last
    frame in the light theme with another parameter (that each setting alone changes the file name
    is tested above without rendering)."""
    out = tmp_path_factory.mktemp("outputs")
    runs = {
        "mp4": [*SMOKE],
        "gif": [*SMOKE, "--format", "gif", "--stills"],  # stills taken while animating, too
        "png": ["-ql", "-s", "--size", "256x144", "--stills"],
        "light": ["-ql", "-s", "--size", "256x144", "--theme", "light", "--set", "at=0.5"],
    }
    paths: dict[str, object] = {"out": out}
    for k, extra in runs.items():
        r = cli.invoke(app, ["render", "chain-rule", *extra, "--out", str(out)])
        assert r.exit_code == 0, r.output
        paths[k] = Path(r.stdout.strip().splitlines()[-1])
        paths[k + "-stderr"] = r.stderr
        if k == "gif":
            # the same output asked for again at once (sources edited meanwhile would re-render)
            paths["gif-again-stderr"] = cli.invoke(
                app, ["render", "chain-rule", *extra, "--out", str(out)]
            ).stderr
    return paths


def entry(p: Path) -> dict:
    return json.loads((p.parent / "manifest.json").read_text())["outputs"][p.name]


@pytest.mark.render
def test_last_frame_and_stills_have_content(rendered: dict) -> None:
    png: Path = rendered["png"]
    assert png.suffix == ".png"
    img = np.asarray(Image.open(png).convert("RGB"))
    assert img.shape == (144, 256, 3)
    assert busy_fraction(img) > 0.03, "the last frame is blank (taken after the fade-out?)"
    m = entry(png)
    steps = lessons.get("chain-rule").storyboard().steps
    assert len(m["stills"]) == len(steps)
    for rel, step in zip(m["stills"], steps, strict=True):
        still = png.parent / rel
        assert still.name.endswith(f"-{step.id}.png") and rel in m["files"]
        assert busy_fraction(np.asarray(Image.open(still).convert("RGB"))) > 0.03, rel
    assert f"{len(steps)} stills" in rendered["png-stderr"]
    # the same steps' stills taken during a real (animated) render are the same pictures
    gif_stills = entry(rendered["gif"])["stills"]
    assert [Path(s).name for s in gif_stills] == [Path(s).name for s in m["stills"]]
    for a, b in zip(gif_stills, m["stills"], strict=True):
        x = np.asarray(Image.open(png.parent / a).convert("RGB"), dtype=float)
        y = np.asarray(Image.open(png.parent / b).convert("RGB"), dtype=float)
        assert np.abs(x - y).mean() < 2, (a, b)


@pytest.mark.render
def test_gif_timing_and_size(rendered: dict) -> None:
    gif: Path = rendered["gif"]
    mp4: Path = rendered["mp4"]
    video_seconds = entry(mp4)["duration"]
    with Image.open(gif) as im:
        assert im.size == (256, 144)
        ms = []
        for k in range(im.n_frames):
            im.seek(k)
            ms.append(im.info["duration"])
    assert abs(sum(ms) / 1000 - video_seconds) <= 1 / 5 + 1e-6  # within one frame at 5 fps
    assert all(d % 200 == 0 for d in ms)  # 5 fps: whole frames of 20 cs
    size = gif.stat().st_size
    # per pixel per frame: the old per-frame-palette GIF took 0.33 bytes (74 MB for 37 s at 854x480,
    # 15 fps); this one takes about 0.02 at this tiny size and 0.008 at its default 480x270, 10 fps
    assert entry(gif)["bytes"] == size and size < 0.05 * 256 * 144 * 5 * video_seconds
    assert f"{round(size / 1000)} KB" in rendered["gif-stderr"]
    # content: most GIF frames show something (decoded back with PyAV, as a player would)
    frames = decode_frames(gif, every=3)
    assert sum(busy_fraction(f) > 0.03 for f in frames) >= 0.7 * len(frames)


@pytest.mark.render
def test_outputs_of_different_settings_coexist(rendered: dict) -> None:
    out: Path = rendered["out"]
    index = json.loads((out / "chain-rule" / "manifest.json").read_text())
    outputs = index["outputs"]
    names = {k: rendered[k].name for k in ("mp4", "gif", "png", "light")}
    assert len(set(names.values())) == 4 and set(names.values()) <= set(outputs)
    for k, name in names.items():
        m = outputs[name]
        assert all((out / "chain-rule" / f).is_file() for f in m["files"]), k
        assert m["theme"] == ("light" if k == "light" else "dark")
        assert m["params"]["at"] == (0.5 if k == "light" else 1.0)
        assert m["format"] == {"mp4": "mp4", "gif": "gif"}.get(k, "png")
    dark = np.asarray(Image.open(rendered["png"]).convert("L"), dtype=float)
    light = np.asarray(Image.open(rendered["light"]).convert("L"), dtype=float)
    assert np.median(light) > 128 > np.median(dark)  # the light render did not overwrite the dark one
    # asked again: the GIF is up to date on its own (the mp4 next to it is another output), never
    # announced as "rendering" first
    again = rendered["gif-again-stderr"]
    assert "up to date" in again and "rendering" not in again
