"""A render job and its cache key.

Manim's ``config`` is a process-wide singleton, so every job is rendered in a process of its own
(:mod:`mfml_anim.render.worker`). The job is plain JSON so it can cross that process boundary (or
a Dask cluster) unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mfml_anim.errors import UserError

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parent

QUALITIES: dict[str, tuple[str, int, int, int]] = {
    "l": ("low_quality", 854, 480, 15),
    "m": ("medium_quality", 1280, 720, 30),
    "h": ("high_quality", 1920, 1080, 60),
    "k": ("fourk_quality", 3840, 2160, 60),
}
FORMATS = ("mp4", "webm", "gif", "png", "mov")
THEMES = ("dark", "light")


def cache_dir() -> Path:
    """Where TeX output, locks and work dirs live (``MFML_CACHE_DIR``, default ~/.cache/mfml-anim)."""
    base = os.environ.get("MFML_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "mfml-anim")
    p = Path(base)
    p.mkdir(parents=True, exist_ok=True)
    return p


@dataclass(frozen=True)
class RenderJob:
    lesson: str
    params: dict[str, Any]
    quality: str = "l"
    fmt: str = "mp4"
    out_dir: str = "media/lessons"
    captions: bool = True
    transparent: bool = False
    theme: str = "dark"
    size: tuple[int, int] | None = None  # overrides the quality's frame size (e.g. small smoke renders)
    fps: int | None = None
    scene: str = ""  # "scenes.chain_rule:ChainRule"
    sources: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.quality not in QUALITIES:
            raise UserError(f"-q: '{self.quality}' is not a quality (allowed: {', '.join(QUALITIES)})")
        if self.fmt not in FORMATS:
            raise UserError(f"--format: '{self.fmt}' is not a format (allowed: {', '.join(FORMATS)})")
        if self.theme not in THEMES:
            raise UserError(f"--theme: '{self.theme}' is not a theme (allowed: {', '.join(THEMES)})")
        if self.transparent and self.fmt not in ("mov", "webm", "png"):
            raise UserError("--transparent needs --format mov, webm or png (mp4 and gif have no alpha)")
        if self.size is not None and not all(16 <= v <= 7680 and v % 2 == 0 for v in self.size):
            raise UserError("--size: width and height must be even numbers between 16 and 7680")
        if self.fps is not None and not 1 <= self.fps <= 120:
            raise UserError("--fps: must be between 1 and 120")

    @property
    def frame(self) -> tuple[int, int, int]:
        _, w, h, fps = QUALITIES[self.quality]
        if self.size is not None:
            w, h = self.size
        return w, h, self.fps or fps

    @property
    def lesson_dir(self) -> Path:
        return Path(self.out_dir) / self.lesson

    @property
    def video_name(self) -> str:
        return f"{self.lesson}.{self.fmt}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> RenderJob:
        d = json.loads(text)
        if d.get("size") is not None:
            d["size"] = tuple(d["size"])
        d["sources"] = tuple(d.get("sources", ()))
        return cls(**d)

    def key(self) -> str:
        """Hash of everything that changes the pixels: sources, params, quality, format, theme, flags."""
        h = hashlib.sha256()
        for rel in sorted(self.sources):
            p = ROOT / rel
            h.update(rel.encode())
            h.update(p.read_bytes() if p.exists() else b"<missing>")
        spec = {k: v for k, v in asdict(self).items() if k not in ("out_dir", "sources")}
        h.update(json.dumps(spec, sort_keys=True, default=str).encode())
        try:
            from importlib.metadata import version

            h.update(version("manim").encode())
        except Exception:  # noqa: BLE001 - the version only refines the key
            pass
        return h.hexdigest()[:32]


def source_files(lesson_module: str, scene_path: str) -> tuple[str, ...]:
    """Files whose content decides a lesson's frames (relative to the repo root)."""
    shared = [p for sub in ("math", "visual") for p in (PACKAGE / sub).glob("*.py")]
    shared += [PACKAGE / "storyboard.py", PACKAGE / "params.py", PACKAGE / "lessons" / "__init__.py",
               PACKAGE / "lessons" / f"{lesson_module}.py", ROOT / scene_path]
    helpers = PACKAGE / "lessons" / "_common.py"
    if helpers.exists():
        shared.append(helpers)
    return tuple(sorted(str(p.relative_to(ROOT)) for p in shared))
