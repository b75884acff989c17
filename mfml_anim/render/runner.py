"""Run render jobs: cache check, per-lesson lock, worker process, atomic commit, manifest.

Guarantees (tested in tests/test_render_reliability.py):
* nothing half-written under the output directory: the worker writes to a private work dir in
  the cache; files enter ``OUT/<lesson>/`` by ``os.replace`` while SIGINT/SIGTERM are blocked, so
  an interruption leaves either the old set of files or the new one, never a mix;
* two renders of the same lesson into the same directory serialise on a lock file kept in the
  cache (not in the output directory); the second finds the fresh result and does not redo it;
* an unchanged job (same key) is not rendered again unless ``force``.

Outputs coexist: each render's files are named by its stem (:func:`mfml_anim.render.job.output_name`:
the lesson slug for the defaults, tags for parameters, theme, frame, captions, transparency), and
``OUT/<lesson>/manifest.json`` holds one entry per output file::

    {"lesson": "chain-rule", "outputs": {"chain-rule.mp4": {params, theme, quality, key, files, ...},
                                         "chain-rule-light.mp4": {...}}}

so a render replaces only its own files and its own entry, and "up to date" is decided per output.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mfml_anim import __version__
from mfml_anim.errors import UserError
from mfml_anim.paths import cache_dir
from mfml_anim.render.filelock import file_lock
from mfml_anim.render.job import RenderJob

Progress = Callable[[str], None]
# What the manifest says of each per-step clip besides its file: the step, where the clip starts in
# the whole video and how long it is (seconds, from the scene's clock), and the narration.
SECTION_FIELDS = ("step", "start", "duration", "narration")


class RenderFailed(Exception):
    """The worker process failed; the message carries the tail of its log."""


@dataclass(frozen=True)
class RenderResult:
    job: RenderJob
    video: Path
    manifest: dict[str, Any]
    skipped: bool
    seconds: float


def manifest_path(job: RenderJob) -> Path:
    return job.lesson_dir / "manifest.json"


def read_manifest(lesson_dir: Path) -> dict[str, Any]:
    """``manifest.json`` of a lesson dir: ``{"lesson", "outputs": {file name: entry}}``. A missing,
    unreadable or old-style (one output, no ``outputs``) manifest reads as no outputs."""
    try:
        m = json.loads((lesson_dir / "manifest.json").read_text())
    except (OSError, ValueError):
        return {"outputs": {}}
    if not isinstance(m, dict) or not isinstance(m.get("outputs"), dict):
        return {"outputs": {}}
    return m


def output_key(job: RenderJob) -> str:
    """The cache key of a job's output. Stills and sections are extra files, not different pixels
    (the sections are cut from the same partial movies Manim joins into the video): a render with
    ``--stills``/``--sections`` also satisfies one without, and one without never satisfies a job
    that asks for them (see :func:`up_to_date`)."""
    return replace(job, stills=False, sections=False).key()


def up_to_date(job: RenderJob, key: str) -> dict[str, Any] | None:
    """The manifest entry of this job's output file if it matches ``key``, has stills when the job
    asks for them, and all its files are present."""
    m = read_manifest(job.lesson_dir).get("outputs", {}).get(job.video_name)
    if not isinstance(m, dict) or m.get("key") != key:
        return None
    if (job.stills and not m.get("stills")) or (job.sections and not m.get("sections")):
        return None
    if not all((job.lesson_dir / f).exists() for f in m.get("files", [])):
        return None
    return m


def lesson_lock(job: RenderJob) -> contextlib.AbstractContextManager[None]:
    """An exclusive lock per output directory + lesson, held in the cache dir."""
    ident = hashlib.sha256(str(job.lesson_dir.resolve()).encode()).hexdigest()[:24]
    return file_lock(cache_dir() / "locks" / f"{ident}.lock")


@contextlib.contextmanager
def signals_blocked() -> Iterator[None]:
    """Defer SIGINT/SIGTERM during a few renames so the output set is replaced all at once.

    A signal that arrived meanwhile is consumed here, not delivered: the output it would have
    interrupted is already complete. It is remembered instead (:func:`take_deferred_interrupt`) so
    the caller stops before starting more work and reports the render as done.
    """
    sigs = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    try:
        yield
    finally:
        while pending := (signal.sigpending() & sigs):
            for sig in pending:
                signal.sigtimedwait([sig], 0)
                _deferred.append(int(sig))
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


_deferred: list[int] = []


def take_deferred_interrupt() -> bool:
    """True (once) when SIGINT/SIGTERM arrived during a commit and was held back by it."""
    hit = bool(_deferred)
    _deferred.clear()
    return hit


def _stage(src: Path, dest_dir: Path, name: str) -> Path:
    """Copy ``src`` next to its destination (``name`` may be in a sub-folder, e.g. stills) under a
    hidden temporary name, on the same filesystem so the final rename is atomic."""
    final = dest_dir / name
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.parent / f".{final.name}.partial-{os.getpid()}"
    shutil.copyfile(src, tmp)
    return tmp


def commit(job: RenderJob, files: dict[str, Path], manifest: dict[str, Any]) -> None:
    """Move rendered files into ``OUT/<lesson>/`` and record ``manifest`` as this output's entry in
    ``manifest.json`` (other outputs' entries are kept; entries whose files are gone are dropped).
    The manifest goes last, so it only ever describes files that are complete. Called under the
    lesson lock, which makes the read-modify-write of ``manifest.json`` safe. Old stills of this
    output that the new render did not make (a step renamed) are removed after the switch."""
    dest = job.lesson_dir
    dest.mkdir(parents=True, exist_ok=True)
    index = read_manifest(dest)
    outputs = {
        k: v
        for k, v in index["outputs"].items()
        if isinstance(v, dict) and all((dest / f).exists() for f in v.get("files", []))
    }
    outputs[job.video_name] = manifest
    index = {"lesson": job.lesson, "outputs": dict(sorted(outputs.items()))}
    staged: list[tuple[Path, Path]] = []
    try:
        for name, src in files.items():
            staged.append((_stage(src, dest, name), dest / name))
        mtmp = dest / f".manifest.json.partial-{os.getpid()}"
        mtmp.write_text(json.dumps(index, indent=2, sort_keys=True) + "\n")
        staged.append((mtmp, dest / "manifest.json"))
        with signals_blocked():
            for tmp, final in staged:
                os.replace(tmp, final)
            staged = []
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
    keep = {dest / f for f in files}
    for folder, pattern, made in (
        (job.stills_dir, "*.png", manifest.get("stills")),
        (job.sections_dir, f"*.{job.fmt}", manifest.get("sections")),
    ):
        if made and (dest / folder).is_dir():
            for old in (dest / folder).glob(pattern):
                if old not in keep:
                    with contextlib.suppress(OSError):
                        old.unlink()


def srt_to_vtt(srt: str) -> str:
    """WebVTT from SRT: header, and '.' instead of ',' in timestamps."""
    lines = ["WEBVTT", ""]
    for line in srt.splitlines():
        if "-->" in line:
            line = line.replace(",", ".")
        lines.append(line)
    return "\n".join(lines) + "\n"


def probe(path: Path) -> dict[str, Any]:
    """Duration, frame size and frame count of a video (PyAV), a GIF (its delays, read back with
    Pillow: what a browser plays) or a still; ``bytes`` is the file size."""
    size = path.stat().st_size
    if path.suffix in (".png", ".gif"):
        from PIL import Image

        with Image.open(path) as im:
            frames = getattr(im, "n_frames", 1)
            ms = 0
            if path.suffix == ".gif":
                for i in range(frames):
                    im.seek(i)
                    ms += im.info.get("duration", 0)
            return {
                "width": im.width,
                "height": im.height,
                "duration": round(ms / 1000, 3),
                "frames": frames,
                "bytes": size,
            }
    import av

    with av.open(str(path)) as box:
        st = box.streams.video[0]
        if box.duration:
            dur = float(box.duration / av.time_base)
        else:
            dur = float(st.duration * st.time_base)  # type: ignore[operator]  # av: Optional, set on video
        return {
            "width": st.codec_context.width,
            "height": st.codec_context.height,
            "duration": round(dur, 3),
            "frames": st.frames or None,
            "codec": st.codec_context.name,
            "bytes": size,
        }


def output_files(job: RenderJob, res: dict[str, Any], work: Path) -> tuple[dict[str, Path], dict[str, Any]]:
    """The files of a finished worker run under their names in the lesson dir, and the output's
    manifest entry (without key and timing): what the file is (params, theme, quality, format,
    frame) and what it holds (duration, frames, bytes, stills)."""
    video = Path(res["video"])
    files: dict[str, Path] = {job.video_name: video}
    if res.get("srt") and job.fmt not in ("png", "gif"):
        srt = Path(res["srt"])
        vtt = work / f"{job.stem}.vtt"
        vtt.write_text(srt_to_vtt(srt.read_text()))
        files[f"{job.stem}.srt"] = srt
        files[f"{job.stem}.vtt"] = vtt
    stills = [f"{job.stills_dir}/{name}" for name, _ in res.get("stills", [])]
    files.update({rel: Path(src) for rel, (_, src) in zip(stills, res.get("stills", []), strict=True)})
    sections = [
        {"file": f"{job.sections_dir}/{s['name']}", **{k: s[k] for k in SECTION_FIELDS}}
        for s in res.get("sections", [])
    ]
    files.update(
        {sec["file"]: Path(s["path"]) for sec, s in zip(sections, res.get("sections", []), strict=True)}
    )
    entry = {
        "lesson": job.lesson,
        "name": job.stem,
        "params": job.params,
        "quality": job.quality,
        "format": job.fmt,
        "theme": job.theme,
        "captions": job.captions,
        "transparent": job.transparent,
        "voice": job.voice or None,
        "fps": job.frame[2],
        "versions": versions(),
        "files": sorted(files),
        "stills": stills,
        "sections": sections,
        **probe(video),
    }
    if "lint" in res:  # MFML_LINT=1: mfml lint's problems found during this render
        entry["lint"] = res["lint"]
    if job.fmt == "gif":
        entry["scene_seconds"] = round(float(res.get("duration", 0.0)), 3)
    return files, entry


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"mfml_anim": __version__, "python": platform.python_version()}
    for pkg in ("manim", "sympy", "numpy", "av"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "missing"
    return out


def _terminate(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_worker(job: RenderJob, work: Path, progress: Progress) -> dict[str, Any]:
    """Run the worker process, relaying its progress; returns its result record."""
    job_file = work / "job.json"
    job_file.write_text(job.to_json())
    log = work / "worker.log"
    env = {**os.environ, "MFML_THEME": job.theme, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "mfml_anim.render.worker", str(job_file), str(work / "media")]
    result: dict[str, Any] | None = None
    with open(log, "w") as err:
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env=env,
            cwd=str(Path(__file__).resolve().parents[2]),
        )
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("@progress "):
                    progress(line[len("@progress ") :].strip())
                elif line.startswith("@result "):
                    result = json.loads(line[len("@result ") :])
            proc.wait()
        finally:
            _terminate(proc)
    if proc.returncode != 0 or result is None:
        tail = log.read_text(errors="replace").strip().splitlines()[-12:]
        raise RenderFailed(f"{job.lesson}: render failed (exit {proc.returncode})\n" + "\n".join(tail))
    return result


def render(job: RenderJob, *, force: bool = False, progress: Progress | None = None) -> RenderResult:
    """Render one job unless it is up to date; see the module docstring for the guarantees."""
    say = progress or (lambda _m: None)
    key = output_key(job)
    if not force and (m := up_to_date(job, key)):
        return RenderResult(job, job.lesson_dir / job.video_name, m, True, 0.0)
    with lesson_lock(job):
        # Somebody else may have rendered the same thing while we waited for the lock.
        if not force and (m := up_to_date(job, key)):
            return RenderResult(job, job.lesson_dir / job.video_name, m, True, 0.0)
        with rendered(job, key, say) as (files, manifest):
            commit(job, files, manifest)
            return RenderResult(
                job, job.lesson_dir / job.video_name, manifest, False, manifest["render_seconds"]
            )


@contextlib.contextmanager
def rendered(job: RenderJob, key: str, say: Progress) -> Iterator[tuple[dict[str, Path], dict[str, Any]]]:
    """Render ``job`` in a private work dir in the cache: yields its files (by name in the lesson
    dir) and its manifest entry (with ``key`` and the render time), then removes the work dir.
    Shared by the local path (which commits the files) and a farm worker (which sends them back)."""
    t0 = time.perf_counter()
    work_root = cache_dir() / "work"
    work_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{job.lesson}-", dir=work_root))
    try:
        res = run_worker(job, work, say)
        files, manifest = output_files(job, res, work)
        manifest.update(key=key, render_seconds=round(time.perf_counter() - t0, 2))
        yield files, manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _raise_on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def install_sigterm_handler() -> None:
    """Treat SIGTERM like Ctrl-C so ``finally`` blocks clean up the work dir and the worker."""
    signal.signal(signal.SIGTERM, _raise_on_sigterm)


def check_out_dir(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out {out}: cannot create ({exc.strerror})") from None
    if not os.access(out, os.W_OK):
        raise UserError(f"--out {out}: not writable")
