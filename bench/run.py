"""Render benchmarks. Run with ``make bench``; never part of the test suite.

Reports ratios measured in one run on this machine, so they compare like with like:
* real-time factor per lesson (render seconds / video seconds) at -q l;
* TeX cache: cold (empty cache dir) vs warm render time of the same lesson;
* parallelism: ``--jobs 2`` vs ``--jobs 1`` wall time for a set of lessons.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def render(lessons: list[str], out: Path, cache: Path, *extra: str) -> float:
    env = {**os.environ, "MFML_CACHE_DIR": str(cache)}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mfml_anim.cli", "render", *lessons, "-q", "l", "--out", str(out),
                    "--force", *extra], check=True, env=env, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lessons", default="chain-rule,product-rule,definition-of-derivative,time-saving-rules")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args()
    lessons = args.lessons.split(",")
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        cold_cache, warm_cache = tmpd / "cold", Path.home() / ".cache" / "mfml-anim"
        cold = render([lessons[0]], tmpd / "a", cold_cache)
        warm = render([lessons[0]], tmpd / "b", cold_cache)  # same cache, now filled
        results["tex_cache_cold_over_warm"] = round(cold / warm, 2)
        rtf = {}
        for les in lessons:
            secs = render([les], tmpd / "c", warm_cache)
            dur = json.loads((tmpd / "c" / les / "manifest.json").read_text())["outputs"][f"{les}.mp4"]["duration"]
            rtf[les] = round(secs / dur, 3)
        results["render_seconds_per_video_second"] = rtf
        one = render(lessons, tmpd / "d", warm_cache, "--jobs", "1")
        two = render(lessons, tmpd / "e", warm_cache, "--jobs", "2")
        results["jobs1_over_jobs2"] = round(one / two, 2)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"TeX cache: a cold render takes {results['tex_cache_cold_over_warm']}x a warm one")
        for k, v in rtf.items():
            print(f"{k}: {v} s of rendering per second of video (-q l)")
        print(f"--jobs 2 is {results['jobs1_over_jobs2']}x faster than --jobs 1 for {len(lessons)} lessons")


if __name__ == "__main__":
    main()
