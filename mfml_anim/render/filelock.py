"""The one file lock of the project: an exclusive ``flock`` on a lock file, used to serialise two
renders of the same lesson into the same folder (:func:`mfml_anim.render.runner.lesson_lock`) and two
compilations of the same TeX formula (:mod:`mfml_anim.render.texlock`).

``flock`` rather than a lock file that exists or not: the kernel drops the lock when the holder's
file descriptor closes, so a render killed with ``kill -9`` never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created, with its folder, if missing) for the block;
    waits while another process (or another open of the file) holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
