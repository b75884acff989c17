"""Serialise TeX compilation between processes that share one TeX cache.

Manim checks ``<hash>.svg`` exists and otherwise compiles it; two renders (``--jobs 2``) typesetting
the same formula at once could read each other's half-written SVG. Holding a file lock around each
lookup-or-compile closes that window; cached formulas still return at once.
"""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import Any


def install(tex_dir: Path) -> None:
    from manim.mobject.text import tex_mobject

    original = tex_mobject.tex_to_svg_file
    if getattr(original, "_mfml_locked", False):
        return
    tex_dir.mkdir(parents=True, exist_ok=True)
    lock_path = tex_dir / ".compile.lock"

    def locked(*args: Any, **kwargs: Any) -> Path:
        with open(lock_path, "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                return original(*args, **kwargs)
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    locked._mfml_locked = True  # type: ignore[attr-defined]
    tex_mobject.tex_to_svg_file = locked
