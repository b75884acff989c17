"""Hash every decoded frame of each lesson's smoke render, to prove a refactor leaves frames alone.

Usage: ``python scripts/frame_hashes.py OUT.json [LESSON ...]`` renders each lesson (default: all) at
the smoke size the tests use (256x144, 5 fps, defaults, dark theme) into a scratch folder and writes
``{lesson: sha256 of its decoded RGB frames}``. ``python scripts/frame_hashes.py --compare A.json B.json``
prints the lessons whose frames differ and exits 1 if any do. Decoded pixels, not file bytes, are
hashed, so a container timestamp or encoder note cannot hide or fake a difference.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SMOKE = ["-q", "l", "--size", "256x144", "--fps", "5"]


def frame_hash(video: Path) -> str:
    """sha256 over every decoded frame's RGB bytes, in order."""
    import av

    h = hashlib.sha256()
    with av.open(str(video)) as box:
        for frame in box.decode(video=0):
            h.update(frame.to_ndarray(format="rgb24").tobytes())
    return h.hexdigest()


def render(lesson: str, out: Path) -> Path:
    """Render ``lesson`` small with ``mfml render`` in a subprocess; the video path is its last line."""
    r = subprocess.run(
        [sys.executable, "-m", "mfml_anim", "render", lesson, *SMOKE, "--force", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if r.returncode != 0:
        raise SystemExit(f"{lesson}: render failed\n{r.stderr[-2000:]}")
    return Path(r.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    if argv[:1] == ["--compare"]:
        a, b = (json.loads(Path(p).read_text()) for p in argv[1:3])
        differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        for k in differ:
            print(f"differs: {k}")
        print(
            f"{len(a.keys() & b.keys()) - len([k for k in differ if k in a and k in b])} lessons identical, "
            f"{len(differ)} differ"
        )
        return 1 if differ else 0
    target = Path(argv[0])
    if argv[1:]:
        slugs = argv[1:]
    else:
        from mfml_anim import lessons

        slugs = list(lessons.available())
    hashes: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for slug in slugs:
            hashes[slug] = frame_hash(render(slug, Path(tmp)))
            print(f"{slug}: {hashes[slug][:12]}", flush=True)
    target.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
