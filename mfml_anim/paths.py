"""Where the project and its caches are: the bottom layer, so every other layer may ask.

Why a module of its own: the cache directory is used by lint, the catalog, the voice engines, the
render runner, the farm and the worker. It used to live in ``render/job.py``, so ``voice.py`` (used
by the storyboard player, below rendering) had to import the render job to find its WAV cache, and
the registry closed a cycle through it.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # mfml_anim/
ROOT = PACKAGE.parent  # the checkout (or site-packages): scenes/ lives beside the package


def cache_dir() -> Path:
    """Where TeX output, locks and work dirs live (``MFML_CACHE_DIR``, default ~/.cache/mfml-anim)."""
    base = os.environ.get("MFML_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "mfml-anim")
    p = Path(base)
    p.mkdir(parents=True, exist_ok=True)
    return p
