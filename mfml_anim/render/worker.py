"""Render one job in this process: ``python -m mfml_anim.render.worker JOB.json WORKDIR``.

Runs in a fresh process because Manim's ``config`` is global. Everything is written under WORKDIR
(outside the user's output directory); the parent moves the finished files into place. Progress
is printed as ``@progress i/n step-id`` lines on stdout, the result as one ``@result {json}`` line.

Outputs that Manim does not make the way a lecturer needs them are made here:
* ``png``: the last frame *with content*. Manim's last frame comes after the lesson's closing
  fade-out (an empty background), so the scene is told to skip that fade (``final_fade``).
* stills: after each storyboard step (the player's ``step_hook``) the whole frame is redrawn and
  saved as ``stills/<nn>-<step-id>.png``, in every format (with ``png`` animations are skipped, so
  stills cost only their drawing).
* lint: with ``MFML_LINT=1`` in the environment, ``mfml lint``'s checks run after each step of this
  real render and their problems come back in the result (the manifest's ``lint``); the test suite's
  smoke renders use it so each scene runs once.
* ``gif``: frames are taken as Manim renders them (Manim writes no file) and encoded by
  :mod:`mfml_anim.render.gif` with one palette and exact delays.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mfml_anim.render.job import RenderJob


def _no_file_format() -> str:
    """Manim's format that renders every frame but writes no file (Manim >= 0.22); older Manim has
    none, so it writes an mp4 that is simply not used."""
    try:
        from manim._config.output import OutputFormat
    except ImportError:
        return "mp4"
    return OutputFormat.NONE.value


def grab(scene: Any) -> Any:
    """The whole current frame as an RGBA array, drawn afresh (not the cached static background, which
    during a wait holds only the still mobjects); the next frame Manim writes is redrawn anyway."""
    r = scene.renderer
    static, r.static_image = r.static_image, None
    try:
        r.update_frame(scene, ignore_skipping=True)
        return r.get_frame()
    finally:
        r.static_image = static


def still_name(index: int, step_id: str, ext: str = "png") -> str:
    """``03-compose.png``: numbered so a folder listing is in lesson order; the id made file-safe.
    Per-step clips are named the same way (``03-compose.mp4``)."""
    return f"{index:02d}-{re.sub(r'[^A-Za-z0-9_-]+', '-', step_id).strip('-') or 'step'}.{ext}"


def section_clips(fw: Any, steps: Any, starts: list[float], total: float, fmt: str) -> list[dict[str, Any]]:
    """One record per storyboard step for the clips Manim wrote with ``save_sections``: the section
    index (Manim's JSON, in play order) paired with the steps, and where each clip starts in the
    whole video. The first clip holds the title card too (its first frame is the lesson's poster);
    the last one holds the closing fade."""
    index = json.loads(Path(fw.output_plan.section_index).read_text())
    if len(index) != len(steps):
        raise RuntimeError(f"manim wrote {len(index)} sections for {len(steps)} steps (an empty step?)")
    ends = [*starts[1:], total]
    return [
        {
            "name": still_name(i, step.id, fmt),
            "path": str(Path(fw.sections_output_dir) / sec["video"]),
            "step": step.id,
            "start": round(start, 3),
            "duration": round(end - start, 3),
            "narration": step.narration,
        }
        for i, (step, sec, start, end) in enumerate(zip(steps, index, starts, ends, strict=True), 1)
    ]


def _manim_options(job: RenderJob, workdir: str, cache: Path) -> dict[str, Any]:
    """Manim's config for ``job``: frame, format and output names, the shared TeX cache, quiet."""
    from mfml_anim.render.job import QUALITIES

    w, h, fps = job.frame
    return {
        "media_dir": workdir,
        "quality": QUALITIES[job.quality][0],
        "pixel_width": w,
        "pixel_height": h,
        "frame_rate": fps,
        "format": {"png": "png", "gif": _no_file_format()}.get(job.fmt, job.fmt),
        "output_file": job.lesson,
        "tex_dir": str(cache / "tex"),
        # Pango text is cheap to redo and manimpango writes its SVG in place: a private dir means a
        # killed render can never leave a torn text SVG that another process trusts.
        "text_dir": str(Path(workdir) / "text"),
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "ERROR",
        "transparent": job.transparent,
        "write_to_movie": job.fmt not in ("png", "gif"),  # Manim < 0.22; newer ones use "format"
        "save_last_frame": job.fmt == "png",
        "save_sections": job.sections,
    }


def _capture_gif(scene: Any, fps: int) -> Any:
    """A GifCollector fed every frame the scene's renderer adds (Manim itself writes no GIF we use)."""
    from mfml_anim.render.gif import GifCollector

    gif = GifCollector(fps=fps)
    renderer = scene.renderer
    manim_add_frame = renderer.add_frame

    def add_frame(frame: Any, num_frames: int = 1) -> None:
        if not renderer.skip_animations:
            gif.add(frame, num_frames)
        manim_add_frame(frame, num_frames)

    renderer.add_frame = add_frame
    return gif


def _produced(job: RenderJob, workdir: str, fw: Any, gif: Any) -> tuple[Path, dict[str, Any]]:
    """The file the render made (the GIF written now from the collected frames) and the GIF's notes."""
    if gif is not None:
        produced = Path(workdir) / f"{job.lesson}.gif"
        return produced, gif.write(produced)
    if job.fmt == "png":
        return Path(fw.image_file_path), {}
    return Path(fw.movie_file_path), {}


def main(job_path: str, workdir: str) -> int:
    from mfml_anim.paths import cache_dir
    from mfml_anim.render.job import RenderJob

    job = RenderJob.from_json(Path(job_path).read_text())
    os.environ["MFML_THEME"] = job.theme
    import manim  # noqa: F401 - heavy import after the job is known to be valid
    from manim import tempconfig

    from mfml_anim import lessons
    from mfml_anim.render import speedups, texlock

    lesson = lessons.get(job.lesson)
    params = lesson.make_params(job.params)
    mod_name, cls_name = lesson.scene.split(":")
    scene_cls = getattr(importlib.import_module(mod_name), cls_name)
    fps = job.frame[2]
    cache = cache_dir()
    opts = _manim_options(job, workdir, cache)
    stills: list[list[str]] = []
    stills_dir = Path(workdir) / "stills"
    starts = [0.0]  # where each step's section begins; the first also holds the title card

    def on_step(sc: Any, step: Any) -> None:
        i = sc.board.steps.index(step) + 1
        if job.stills:
            from PIL import Image

            stills_dir.mkdir(parents=True, exist_ok=True)
            name = still_name(i, step.id)
            img = Image.fromarray(grab(sc), "RGBA")
            (img if job.transparent else img.convert("RGB")).save(stills_dir / name)
            stills.append([name, str(stills_dir / name)])
        if job.sections and i < len(sc.board.steps):
            # The next step starts a clip of its own; its first frame is this step's final state.
            starts.append(float(sc.renderer.time))
            sc.next_section(sc.board.steps[i].id)
        if checker is not None:
            checker(sc, step)
        print(f"@progress {i}/{len(sc.board.steps)} {step.id}", flush=True)

    texlock.install(cache / "tex")
    speedups.install()  # same pixels, far cheaper mobject copies (render/speedups.py)
    checker = None
    with contextlib.ExitStack() as stack, tempconfig(opts):
        if os.environ.get("MFML_LINT") == "1":  # mfml lint's checks during this render (result "lint")
            from mfml_anim.lint import StepChecker, collecting_tex

            checker = StepChecker(stack.enter_context(collecting_tex()))
        scene = scene_cls()
        scene.params = params
        scene.show_captions = job.captions
        scene.final_fade = job.fmt != "png"
        scene.step_hook = on_step
        if job.voice:  # every step spoken first (cached WAVs): the scene times its steps to the speech
            from mfml_anim import voice

            narrations = [s.narration for s in lesson.storyboard(params).steps]
            scene.speech = voice.speak_steps(narrations, voice.parse_spec(job.voice))
        gif = _capture_gif(scene, fps) if job.fmt == "gif" else None
        scene.render()
        fw = scene.renderer.file_writer
        produced, extra = _produced(job, workdir, fw, gif)
        srt = produced.with_suffix(".srt")
        result = {
            "video": str(produced),
            "srt": str(srt) if srt.exists() and gif is None else None,
            "duration": float(scene.renderer.time),
            "stills": stills,
            **extra,
        }
        if checker is not None:
            result["lint"] = checker.finish()
        if job.sections:
            result["sections"] = section_clips(fw, scene.board.steps, starts, result["duration"], job.fmt)
            if job.voice:  # Manim's section clips are silent: each gets its part of the narration
                voice.sound_clips(
                    produced, [(Path(c["path"]), c["start"], c["duration"]) for c in result["sections"]]
                )
    print("@result " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
