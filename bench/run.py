"""Render benchmarks (issue 14, item 4). Run with ``make bench`` or ``python bench/run.py``; never
part of the test suite.

Everything is measured in one run on one machine and reported as ratios, so a loaded or slow
machine shifts the absolute numbers but not much the comparisons:

* (a) ``mfml render L -q Q --force`` vs plain ``manim -qQ scenes/L.py Scene`` (same scene, default
  parameters, same TeX cache, Manim's own caching off) — the CLI's overhead;
* (b) the encoder's floor: the video's frame count at its size and rate encoded with PyAV's libx264
  exactly as Manim 0.22 does it (``VideoFrame.from_ndarray(rgba)``, yuv420p, crf 23) from frames
  already in memory (decoded from the rendered video); render time / floor per lesson, and a
  cProfile of one worker saying where the rest goes (start-up, TeX, frame drawing, waiting on the
  encoder, other scene Python);
* (c) start-up of ``mfml list`` / ``mfml show`` / a typer command vs ``python -c pass``, and the
  no-op re-render (every output up to date) of the lessons rendered here, plus the per-lesson cost
  of the up-to-date decision for the whole course (measured in-process), giving the course no-op;
* (d) wall, CPU and peak memory of every render (``os.wait4`` on the CLI process: its rusage
  includes the worker it waited for; ``ru_maxrss`` is the largest process of the tree);
* (e) ``--jobs 1`` vs ``--jobs 2`` on the same lessons, and the wall time projected from measured
  per-lesson CPU times to 4/16/64 workers with longest-first scheduling.

Writes ``bench/results.json`` and ``bench/RESULTS.md`` (``--out`` to change the folder).
``--quick`` is the subset run on the shared 2-core development machine.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's package, also when run from a snapshot of it
PY = sys.executable
QUICK_LESSONS = "product-rule,time-saving-rules"
QUICK_HIGH = "product-rule"
FLOOR_SAMPLE = 600  # frames encoded for the floor; longer videos are extrapolated per frame
FLOOR_MEMORY = 400 * 2**20  # bytes of distinct decoded frames kept in memory for it (cycled)


# ---------------------------------------------------------------- machine and process measurement


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM, load and the versions that decide render speed."""
    import av

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kib = int(
        next(
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    )
    pkgs = {p: version(p) for p in ("mfml-anim", "manim", "av", "numpy", "sympy", "pycairo", "ManimPango")}
    libav = av.library_versions.get("libavcodec", ())
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "ram_gib": round(mem_kib / 2**20, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "libavcodec": ".".join(map(str, libav)),
        "packages": pkgs,
        "load_at_start": os.getloadavg(),
    }


def run_rusage(cmd: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> dict[str, Any]:
    """Run ``cmd``: wall time, CPU time (user + sys of it and of the children it waited for, e.g. the
    render worker) and peak RSS of the largest process of that tree (MiB). stdout/stderr go to files
    (no pipe to drain), so the child is reaped by ``os.wait4`` and its rusage is exactly its own."""
    with tempfile.TemporaryFile("w+") as fo, tempfile.TemporaryFile("w+") as fe:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=fo, stderr=fe, text=True
        )
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        fo.seek(0)
        fe.seek(0)
        out, err = fo.read(), fe.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(ru.ru_utime + ru.ru_stime, 3),
        "peak_rss_mib": round(ru.ru_maxrss / 1024, 1),
        "stdout": out,
        "stderr": err,
    }


# ---------------------------------------------------------------- (c) start-up


def startup(repeats: int, cache: Path) -> dict[str, Any]:
    """Median wall time of ``python -c pass`` and of the quick commands; a warm-up run first (it
    builds the catalog when the sources changed)."""
    env = {"MFML_CACHE_DIR": str(cache)}
    cmds = {
        "python -c pass": [PY, "-c", "pass"],
        "mfml list": [PY, "-m", "mfml_anim", "list"],
        "mfml show chain-rule": [PY, "-m", "mfml_anim", "show", "chain-rule"],
        "mfml script chain-rule (typer, sympy, lessons)": [PY, "-m", "mfml_anim", "script", "chain-rule"],
    }
    out: dict[str, Any] = {}
    cpu: dict[str, Any] = {}
    for name, cmd in cmds.items():
        run_rusage(cmd, env)
        runs = [run_rusage(cmd, env) for _ in range(repeats)]
        out[name] = round(statistics.median(r["wall_s"] for r in runs), 3)
        cpu[name] = round(statistics.median(r["cpu_s"] for r in runs), 3)
    base = out["python -c pass"]
    return {
        "median_wall_s": out,
        "median_cpu_s": cpu,
        "over_python_s": {k: round(v - base, 3) for k, v in out.items()},
        "cpu_over_python_s": {k: round(v - cpu["python -c pass"], 3) for k, v in cpu.items()},
    }


# ---------------------------------------------------------------- (a, d) renders


def mfml_render(lessons: list[str], quality: str, out: Path, cache: Path, *extra: str) -> dict[str, Any]:
    cmd = [PY, "-m", "mfml_anim", "render", *lessons, "-q", quality, "--out", str(out), *extra]
    return run_rusage(cmd, {"MFML_CACHE_DIR": str(cache)})


def manifest_entry(out: Path, slug: str, quality: str) -> dict[str, Any]:
    m = json.loads((out / slug / "manifest.json").read_text())["outputs"]
    return next(v for v in m.values() if v["quality"] == quality and v["format"] == "mp4")


def plain_manim(slug: str, quality: str, work: Path, cache: Path) -> dict[str, Any]:
    """Plain Manim on the lesson's scene file with its default parameters: the scene reads the theme
    from ``MFML_THEME`` (dark by default) and shows captions unless ``MFML_NO_CAPTIONS=1``, like
    ``mfml render``'s defaults. A manim.cfg points Manim at the same TeX cache and turns its partial
    movie caching off (the worker does both)."""
    from mfml_anim.catalog import listed

    les = listed([slug])[0]  # the catalog, not the lessons: sympy in this process would raise the
    work.mkdir(parents=True, exist_ok=True)  # peak RSS that every later child inherits
    cfg = work / "manim.cfg"
    cfg.write_text(
        f"[CLI]\ntex_dir = {cache / 'tex'}\nmedia_dir = {work / 'media'}\ndisable_caching = True\n"
        "progress_bar = none\nverbosity = ERROR\n"
    )
    scene_class = les.scene.split(":")[1]
    cmd = [
        PY,
        "-m",
        "manim",
        "render",
        f"-q{quality}",
        "--config_file",
        str(cfg),
        les.scene_file,
        scene_class,
    ]
    res = run_rusage(cmd, {"MFML_CACHE_DIR": str(cache), "MFML_THEME": "dark"})
    res["command"] = (
        f"MFML_THEME=dark manim render -q{quality} --config_file manim.cfg {les.scene_file} {scene_class}"
    )
    return res


# ---------------------------------------------------------------- (b) encoder floor


def encoder_floor(
    video: Path, frames: int, sample: int = FLOOR_SAMPLE, memory: int = FLOOR_MEMORY
) -> dict[str, Any]:
    """Seconds to encode ``frames`` frames of ``video``'s size and rate with libx264 the way Manim
    0.22's VideoSegmentEncoder does (``VideoFrame.from_ndarray(rgba)``, yuv420p, crf 23), from RGBA
    frames already in memory: the video's own first frames, decoded beforehand and cycled (at most
    ``memory`` bytes of them: 600 frames of 1080p would be 5 GB). Above ``sample`` frames the cost
    per frame of ``sample`` frames is extrapolated. Also the RGBA -> yuv420p conversion alone.
    Run in a subprocess (:func:`encoder_floor_isolated`) so its memory does not count in the peak
    RSS of the renders measured afterwards (a child inherits its parent's high-water mark)."""
    import av
    import numpy as np

    with av.open(str(video)) as box:
        st = box.streams.video[0]
        rate = Fraction(st.average_rate) if st.average_rate else Fraction(st.codec_context.framerate)
        keep = max(1, min(sample, memory // (st.codec_context.width * st.codec_context.height * 4)))
        imgs = [
            np.ascontiguousarray(f.to_ndarray(format="rgba"))
            for _, f in zip(range(keep), box.decode(st), strict=False)
        ]
    h, w = imgs[0].shape[:2]
    n = min(frames, sample)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        c0 = time.process_time()
        with av.open(str(Path(tmp) / "floor.mp4"), mode="w", format="mp4") as box:
            stream = box.add_stream("libx264", rate=rate, options={"crf": "23"})
            stream.pix_fmt, stream.width, stream.height = "yuv420p", w, h
            tb = Fraction(rate.denominator, rate.numerator)
            for i in range(n):
                frame = av.VideoFrame.from_ndarray(imgs[i % len(imgs)], format="rgba")
                frame.pts, frame.time_base = i, tb
                for packet in stream.encode(frame):
                    box.mux(packet)
            for packet in stream.encode():
                box.mux(packet)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    k = min(len(imgs), 100)
    for i in range(k):
        av.VideoFrame.from_ndarray(imgs[i], format="rgba").reformat(format="yuv420p")
    conv = (time.perf_counter() - t0) / k
    return {
        "frames": frames,
        "encoded_frames": n,
        "distinct_frames_in_memory": len(imgs),
        "size": f"{w}x{h}",
        "fps": float(rate),
        "floor_s": round(secs * frames / n, 2),
        "floor_cpu_s": round(cpu * frames / n, 2),
        "ms_per_frame": round(1000 * secs / n, 2),
        "rgba_to_yuv_ms_per_frame": round(1000 * conv, 2),
    }


def encoder_floor_isolated(video: Path, frames: int) -> dict[str, Any]:
    code = (
        f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import run; "
        f"print(json.dumps(run.encoder_floor(__import__('pathlib').Path({str(video)!r}), {frames})))"
    )
    return json.loads(run_rusage([PY, "-c", code])["stdout"])


# ---------------------------------------------------------------- (b) where the rest goes

PROFILE_PARTS = {  # (file suffix, function): what the time under it is
    "tex": ("manim/utils/tex_file_writing.py", "tex_to_svg_file"),
    "frame_drawing": ("manim/camera/camera.py", "capture_mobjects"),
    "writing_frames": ("manim/scene/scene_file_writer.py", "write_frame"),
    "movie_finish": ("manim/scene/scene_file_writer.py", "finish"),
    "scene_render": ("manim/scene/scene.py", "render"),
}


def profile_worker(slug: str, quality: str, cache: Path, work: Path) -> dict[str, Any]:
    """cProfile of one worker process (the main thread: Manim encodes in a thread of its own, whose
    time shows here as waiting in ``write_frame`` when the encoder is behind)."""
    import pstats

    from mfml_anim.catalog import listed
    from mfml_anim.render.job import job_for

    job = job_for(listed([slug])[0], quality=quality, out_dir=str(work / "out"))
    work.mkdir(parents=True, exist_ok=True)
    (work / "job.json").write_text(job.to_json())
    prof = work / "worker.prof"
    env = {"MFML_CACHE_DIR": str(cache), "MFML_THEME": job.theme, "PYTHONUNBUFFERED": "1"}
    res = run_rusage(
        [
            PY,
            "-m",
            "cProfile",
            "-o",
            str(prof),
            "-m",
            "mfml_anim.render.worker",
            str(work / "job.json"),
            str(work / "media"),
        ],
        env,
    )
    stats = pstats.Stats(str(prof)).stats  # type: ignore[attr-defined]  # pstats.Stats.stats is real but not in the stubs
    total = max(v[3] for v in stats.values())
    parts = {
        name: round(sum(v[3] for (f, _, fn), v in stats.items() if f.endswith(suffix) and fn == func), 2)
        for name, (suffix, func) in PROFILE_PARTS.items()
    }
    render = parts.pop("scene_render")
    parts["start_up_and_imports"] = round(total - render, 2)
    parts["other_scene_python"] = round(
        render - parts["tex"] - parts["frame_drawing"] - parts["writing_frames"] - parts["movie_finish"], 2
    )
    top = sorted(((v[2], f"{Path(f).name}:{fn}") for (f, _, fn), v in stats.items()), reverse=True)[:12]
    return {
        "lesson": slug,
        "quality": quality,
        "profiled_wall_s": res["wall_s"],
        "profiled_cpu_s": res["cpu_s"],
        "main_thread_s": round(total, 2),
        "parts_s": parts,
        "top_self_time": [{"function": name, "self_s": round(t, 2)} for t, name in top],
    }


# ---------------------------------------------------------------- (c) no-op re-render

UP_TO_DATE_CODE = """
import json, sys, time
t0 = time.perf_counter()
from mfml_anim.render.job import job_for
from mfml_anim.render.runner import output_key, up_to_date
if LIGHT:
    from mfml_anim.catalog import listed
    ts = listed()
else:
    from mfml_anim.lessons import all_lessons
    ts = all_lessons()
t1 = time.perf_counter()
per = {}
for les in ts:
    a = time.perf_counter()
    job = job_for(les, quality=QUALITY, out_dir="/nonexistent")
    up_to_date(job, output_key(job))
    per[les.slug] = round(time.perf_counter() - a, 3)
print(json.dumps({"lessons_s": round(t1 - t0, 3), "per_lesson_s": per,
                  "sympy_imported": "sympy" in sys.modules}))
"""


def up_to_date_costs(quality: str, cache: Path) -> dict[str, Any]:
    """In-process: the time to decide "up to date?" for every lesson of the course as ``mfml render``
    does (lessons from the catalog, default parameters), and as it did before (from the registry,
    parameters validated): getting the lessons (fixed) + per lesson (job, sources, key, manifest
    read). A warm-up run first (it rebuilds the catalog if the sources changed)."""
    out: dict[str, Any] = {}
    for name, light in (("catalog", True), ("registry", False)):
        code = UP_TO_DATE_CODE.replace("LIGHT", str(light)).replace("QUALITY", repr(quality))
        env = {"MFML_CACHE_DIR": str(cache)}
        run_rusage([PY, "-c", code], env)
        data = json.loads(run_rusage([PY, "-c", code], env)["stdout"])
        data["course_total_s"] = round(data["lessons_s"] + sum(data["per_lesson_s"].values()), 2)
        out[name] = data
    return out


# ---------------------------------------------------------------- (e) scaling


def longest_first(cpu: dict[str, float], workers: int) -> float:
    """Makespan of longest-processing-time-first scheduling: each lesson, longest first, goes to
    the worker that is free soonest. Bounded below by the longest lesson."""
    free = [0.0] * workers
    for t in sorted(cpu.values(), reverse=True):
        heapq.heappush(free, heapq.heappop(free) + t)
    return max(free)


# ---------------------------------------------------------------- the run


def run(args: argparse.Namespace) -> dict[str, Any]:
    lessons_l = [s for s in args.lessons.split(",") if s]
    high = [s for s in args.high.split(",") if s]
    res: dict[str, Any] = {
        "machine": machine(),
        "args": vars(args),
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }
    cache = Path(args.cache)
    with tempfile.TemporaryDirectory(prefix="mfml-bench-") as tmp:
        tmpd = Path(tmp)
        res["startup"] = startup(args.repeats, cache)
        print("start-up:", res["startup"]["over_python_s"], file=sys.stderr)
        renders: dict[str, Any] = {}
        for q, slugs in ((args.quality, lessons_l), ("h", high)):
            for slug in slugs:
                renders[f"{slug}@{q}"] = one_lesson(
                    slug, q, tmpd, cache, plain=q == args.quality and (slug in lessons_l[: args.plain])
                )
                print(
                    slug,
                    q,
                    {k: v for k, v in renders[f"{slug}@{q}"].items() if k != "floor"},
                    file=sys.stderr,
                )
        res["renders"] = renders
        res["profile"] = profile_worker(lessons_l[0], args.quality, cache, tmpd / "prof")
        print("profile:", res["profile"]["parts_s"], file=sys.stderr)
        noop = mfml_render(lessons_l + high, args.quality, tmpd / "r", cache)
        res["noop"] = {
            "lessons": lessons_l,
            "quality": args.quality,
            "wall_s": noop["wall_s"],
            "cpu_s": noop["cpu_s"],
            "course_up_to_date_check": up_to_date_costs(args.quality, cache),
        }
        res["scaling"] = scaling(lessons_l, args, tmpd, cache, renders)
    res["finished"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    res["machine"]["load_at_end"] = os.getloadavg()
    return res


def one_lesson(slug: str, q: str, tmpd: Path, cache: Path, plain: bool) -> dict[str, Any]:
    out = tmpd / "r"
    r = mfml_render([slug], q, out, cache, "--force")
    m = manifest_entry(out, slug, q)
    frames = m.get("frames") or round(m["duration"] * m["fps"])
    fl = encoder_floor_isolated(out / slug / next(f for f in m["files"] if f.endswith(".mp4")), frames)
    row = {
        "quality": q,
        "wall_s": r["wall_s"],
        "cpu_s": r["cpu_s"],
        "peak_rss_mib": r["peak_rss_mib"],
        "render_seconds_in_manifest": m.get("render_seconds"),
        "video_s": m["duration"],
        "frames": frames,
        "size": f"{m['width']}x{m['height']}@{m['fps']}",
        "floor": fl,
        "render_over_floor": round(r["wall_s"] / fl["floor_s"], 2),
        "cpu_over_floor": round(r["cpu_s"] / fl["floor_s"], 2),
        "render_s_per_video_s": round(r["wall_s"] / m["duration"], 3),
    }
    if plain:
        p = plain_manim(slug, q, tmpd / f"plain-{slug}-{q}", cache)
        row["plain_manim"] = {
            "wall_s": p["wall_s"],
            "cpu_s": p["cpu_s"],
            "peak_rss_mib": p["peak_rss_mib"],
            "command": p["command"],
        }
        row["mfml_over_plain_wall"] = round(r["wall_s"] / p["wall_s"], 3)
        row["mfml_over_plain_cpu"] = round(r["cpu_s"] / p["cpu_s"], 3)
    return row


def scaling(
    lessons_l: list[str], args: argparse.Namespace, tmpd: Path, cache: Path, renders: dict[str, Any]
) -> dict[str, Any]:
    out: dict[str, Any] = {"lessons": lessons_l, "quality": args.quality}
    if len(lessons_l) > 1:
        j1 = mfml_render(lessons_l, args.quality, tmpd / "j1", cache, "--force", "--jobs", "1")
        j2 = mfml_render(lessons_l, args.quality, tmpd / "j2", cache, "--force", "--jobs", "2")
        out.update(
            jobs1_wall_s=j1["wall_s"],
            jobs2_wall_s=j2["wall_s"],
            jobs1_cpu_s=j1["cpu_s"],
            jobs2_cpu_s=j2["cpu_s"],
            jobs1_over_jobs2=round(j1["wall_s"] / j2["wall_s"], 2),
        )
    cpu = {k: v["cpu_s"] for k, v in renders.items() if v["quality"] == args.quality}
    out["per_lesson_cpu_s"] = cpu
    out["projected_wall_s"] = {str(w): round(longest_first(cpu, w), 1) for w in (1, 2, 4, 16, 64)}
    out["longest_lesson_s"] = max(cpu.values())
    return out


# ---------------------------------------------------------------- the report


def markdown(res: dict[str, Any]) -> str:
    m = res["machine"]
    L = [
        f"# Render benchmarks ({res['started']} → {res['finished']})",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), {m['ram_gib']} GiB RAM, "
        f"{m['os']}; "
        f"Python {m['python']}, "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items())
        + f", libavcodec {m['libavcodec']}.",
        f"Load average at start {tuple(round(x, 2) for x in m['load_at_start'])}, at end "
        f"{tuple(round(x, 2) for x in m['load_at_end'])} (1/5/15 min).",
        "",
        f"Command: `python bench/run.py {' '.join(res['argv'])}`",
        "",
    ]
    s = res["startup"]
    if "c_remeasured" in res:
        L += [
            f"(c) re-measured at {res['c_remeasured']['at']} (load "
            f"{tuple(round(x, 2) for x in res['c_remeasured']['load'])}) "
            "with `--redo-c`; the rest is from the run above.",
            "",
        ]
    L += [
        "## (c) start-up (median of the runs)",
        "",
        "| command | wall s | over `python -c pass` s | CPU s | CPU over `python -c pass` s |",
        "|---|---:|---:|---:|---:|",
    ]
    L += [
        f"| `{k}` | {v:.3f} | {s['over_python_s'][k]:.3f} | "
        f"{s.get('median_cpu_s', {}).get(k, float('nan')):.3f} | "
        f"{s.get('cpu_over_python_s', {}).get(k, float('nan')):.3f} |"
        for k, v in s["median_wall_s"].items()
    ]
    L += [
        "",
        "## (a, b, d) renders",
        "",
        "| lesson | q | frames | video s | wall s | CPU s | peak MiB | floor wall s | floor CPU s | wall / "
        "floor wall | CPU / floor CPU "
        "| mfml / plain manim: wall, CPU |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for k, r in res["renders"].items():
        plain = (
            f"{r['mfml_over_plain_wall']:.3f}, {r['mfml_over_plain_cpu']:.3f} (plain: "
            f"{r['plain_manim']['wall_s']:.1f} s, "
            f"{r['plain_manim']['cpu_s']:.1f} s CPU, {r['plain_manim']['peak_rss_mib']:.0f} MiB)"
            if "plain_manim" in r
            else ""
        )
        fl = r["floor"]
        L.append(
            f"| {k.split('@')[0]} | {r['quality']} ({r['size']}) | {r['frames']} | {r['video_s']:.1f} | "
            f"{r['wall_s']:.1f} | "
            f"{r['cpu_s']:.1f} | {r['peak_rss_mib']:.0f} | {fl['floor_s']:.1f} | {fl['floor_cpu_s']:.1f} | "
            f"{r['render_over_floor']:.2f} | "
            f"**{r['cpu_s'] / fl['floor_cpu_s']:.2f}** | {plain} |"
        )
    L += [
        "",
        "Floor per frame (ms) and RGBA→yuv420p conversion alone (ms): "
        + "; ".join(
            f"{k}: {r['floor']['ms_per_frame']} / {r['floor']['rgba_to_yuv_ms_per_frame']}"
            for k, r in res["renders"].items()
        ),
    ]
    plain_cmds = {r["plain_manim"]["command"] for r in res["renders"].values() if "plain_manim" in r}
    L += [f"Plain Manim was run as `{c}`." for c in plain_cmds]
    p = res["profile"]
    L += [
        "",
        f"## (b) where a render's time goes: cProfile of the worker, {p['lesson']} -q {p['quality']}",
        "",
        f"Profiled run: {p['profiled_wall_s']:.1f} s wall, {p['profiled_cpu_s']:.1f} s CPU; main thread "
        f"{p['main_thread_s']:.1f} s "
        "(cProfile slows Python code, so shares matter, not seconds).",
        "",
        "| part | s | share |",
        "|---|---:|---:|",
    ]
    L += [f"| {k} | {v:.2f} | {v / p['main_thread_s']:.0%} |" for k, v in p["parts_s"].items()]
    L += [
        "",
        "Top self time: " + ", ".join(f"{t['function']} {t['self_s']} s" for t in p["top_self_time"][:8]),
    ]
    n = res["noop"]
    L += [
        "",
        "## (c) no-op re-render",
        "",
        f"`mfml render {' '.join(n['lessons'])} -q {n['quality']}` with every output up to date: "
        f"{n['wall_s']:.2f} s wall, "
        f"{n['cpu_s']:.2f} s CPU (interpreter, CLI, {len(n['lessons'])} checks).",
    ]
    for name, c in n["course_up_to_date_check"].items():
        slow = sorted(c["per_lesson_s"].items(), key=lambda kv: -kv[1])[:4]
        L.append(
            f"* whole course, lessons from the {name}: getting the lessons {c['lessons_s']:.2f} s + "
            f"{sum(c['per_lesson_s'].values()):.2f} s of checks over {len(c['per_lesson_s'])} lessons = "
            f"**{c['course_total_s']:.2f} s** in-process (sympy imported: {c['sympy_imported']}); slowest "
            + ", ".join(f"{k} {v:.2f} s" for k, v in slow)
            + "."
        )
    c = n["course_up_to_date_check"]["catalog"]
    rest = sum(v for k, v in c["per_lesson_s"].items() if k not in n["lessons"])
    L.append(
        f"\nProjected no-op `mfml render --all -q {n['quality']}` (the measured no-op above plus the other "
        f"lessons' checks): **{n['wall_s'] + rest:.2f} s**. Rendering the whole course to measure it "
        "directly "
        "was out of this run's CPU budget."
    )
    sc = res["scaling"]
    L += ["", "## (e) scaling", ""]
    if "jobs1_wall_s" in sc:
        L.append(
            f"{', '.join(sc['lessons'])} at -q {sc['quality']}: `--jobs 1` {sc['jobs1_wall_s']:.1f} s, "
            "`--jobs 2` "
            f"{sc['jobs2_wall_s']:.1f} s wall: {sc['jobs1_over_jobs2']:.2f}× (CPU {sc['jobs1_cpu_s']:.1f} "
            f"/ {sc['jobs2_cpu_s']:.1f} s)."
        )
    L += [
        "",
        "Projected wall time from the measured per-lesson CPU times, longest lesson first "
        f"(the longest lesson, {sc['longest_lesson_s']:.1f} s, bounds it):",
        "",
        "| workers | " + " | ".join(sc["projected_wall_s"]) + " |",
        "|---|" + "---:|" * len(sc["projected_wall_s"]),
        "| wall s | " + " | ".join(f"{v:.1f}" for v in sc["projected_wall_s"].values()) + " |",
    ]
    return "\n".join(L) + "\n"


def redo_c(args: argparse.Namespace) -> None:
    """(c) again after a fix, into the last full run's results; the report says when."""
    out = Path(args.out)
    res = json.loads((out / "results.json").read_text())
    res["startup"] = startup(args.repeats, Path(args.cache))
    res["noop"]["course_up_to_date_check"] = up_to_date_costs(res["noop"]["quality"], Path(args.cache))
    res["c_remeasured"] = {
        "at": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "load": os.getloadavg(),
    }
    (out / "results.json").write_text(json.dumps(res, indent=2) + "\n")
    (out / "RESULTS.md").write_text(markdown(res))
    print(markdown(res))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--lessons",
        default="chain-rule,product-rule,definition-of-derivative,time-saving-rules",
        help="lessons rendered at --quality (comma-separated)",
    )
    ap.add_argument("--quality", default="l", help="quality of those renders (l, m, h, k)")
    ap.add_argument("--high", default="chain-rule", help="lessons also rendered at -q h ('' for none)")
    ap.add_argument("--plain", type=int, default=2, help="how many of --lessons also run through plain manim")
    ap.add_argument("--repeats", type=int, default=5, help="start-up runs per command (median)")
    ap.add_argument(
        "--quick",
        action="store_true",
        help=(
            f"the subset for a shared machine: --lessons {QUICK_LESSONS} --high {QUICK_HIGH} --plain 1 "
            "--repeats 5"
        ),
    )
    ap.add_argument(
        "--cache",
        default=os.environ.get("MFML_CACHE_DIR") or str(Path.home() / ".cache" / "mfml-anim"),
        help="MFML_CACHE_DIR for every run (a warm TeX cache: TeX is compared, not measured cold)",
    )
    ap.add_argument("--out", default=str(ROOT / "bench"), help="where results.json and RESULTS.md go")
    ap.add_argument(
        "--redo-c",
        action="store_true",
        help="re-measure only (c) (start-up, the course's up-to-date check) into an existing results.json",
    )
    args = ap.parse_args()
    if args.redo_c:
        redo_c(args)
        return
    if args.quick:
        args.lessons, args.high, args.plain = QUICK_LESSONS, QUICK_HIGH, 1
    res = run(args)
    res["argv"] = sys.argv[1:]
    out = Path(args.out)
    (out / "results.json").write_text(json.dumps(res, indent=2) + "\n")
    md = markdown(res)
    (out / "RESULTS.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
