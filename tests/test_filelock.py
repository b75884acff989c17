"""The one file lock (render/filelock.py) that serialises renders of a lesson and TeX compilations."""

from __future__ import annotations

import threading
from pathlib import Path

from mfml_anim.render.filelock import file_lock


def test_a_second_holder_waits_until_the_first_releases(tmp_path: Path) -> None:
    lock = tmp_path / "new" / "dir" / "x.lock"  # the folder is created on first use
    entered = threading.Event()

    def second() -> None:
        with file_lock(lock):
            entered.set()

    with file_lock(lock):
        t = threading.Thread(target=second)
        t.start()
        assert not entered.wait(0.3), "the lock let a second holder in while held"
    assert entered.wait(5), "the lock was not released at the end of the block"
    t.join()


def test_the_lock_is_released_when_the_block_raises(tmp_path: Path) -> None:
    lock = tmp_path / "x.lock"
    try:
        with file_lock(lock):
            raise KeyError("boom")
    except KeyError:
        pass
    done = threading.Event()

    def again() -> None:
        with file_lock(lock):
            done.set()

    threading.Thread(target=again).start()
    assert done.wait(5), "a block that raised kept the lock"
