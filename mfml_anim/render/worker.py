"""Render one job in this process: ``python -m mfml_anim.render.worker JOB.json WORKDIR``.

Runs in a fresh process because Manim's ``config`` is global. Everything is written under WORKDIR
(outside the user's output directory); the parent moves the finished files into place. Progress
is printed as ``@progress i/n step-id`` lines on stdout, the result as one ``@result {json}`` line.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path


def main(job_path: str, workdir: str) -> int:
    from mfml_anim.render.job import QUALITIES, RenderJob, cache_dir

    job = RenderJob.from_json(Path(job_path).read_text())
    os.environ["MFML_THEME"] = job.theme
    import manim  # noqa: F401 - heavy import after the job is known to be valid
    from manim import tempconfig

    from mfml_anim import lessons
    from mfml_anim.render import texlock

    lesson = lessons.get(job.lesson)
    params = lesson.make_params(job.params)
    mod_name, cls_name = lesson.scene.split(":")
    scene_cls = getattr(importlib.import_module(mod_name), cls_name)
    w, h, fps = job.frame
    cache = cache_dir()
    opts = {
        "media_dir": workdir,
        "quality": QUALITIES[job.quality][0],
        "pixel_width": w,
        "pixel_height": h,
        "frame_rate": fps,
        "format": "mp4" if job.fmt == "png" else job.fmt,
        "output_file": job.lesson,
        "tex_dir": str(cache / "tex"),
        "text_dir": str(cache / "text"),
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "ERROR",
        "transparent": job.transparent,
        "write_to_movie": job.fmt != "png",
        "save_last_frame": job.fmt == "png",
    }
    texlock.install(cache / "tex")
    with tempconfig(opts):
        scene = scene_cls()
        scene.params = params
        scene.show_captions = job.captions
        scene.step_hook = lambda sc, step: print(
            f"@progress {sc.board.steps.index(step) + 1}/{len(sc.board.steps)} {step.id}", flush=True)
        scene.render()
        fw = scene.renderer.file_writer
        if job.fmt == "png":
            produced = Path(fw.image_file_path)
        else:
            produced = Path(fw.movie_file_path)
        srt = produced.with_suffix(".srt")
        result = {"video": str(produced), "srt": str(srt) if srt.exists() else None,
                  "duration": float(scene.renderer.time)}
    print("@result " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
