"""Shared fixtures. Render tests share one TeX cache (``MFML_CACHE_DIR``) across the session so
each formula is typeset once, but every render goes to its own temporary output directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Keep the user's TeX cache if they have one (fast), otherwise a session-wide one.
    os.environ.setdefault("MFML_CACHE_DIR", str(Path.home() / ".cache" / "mfml-anim"))
