"""Interrupt semantics of a commit (README, "Interrupting a render").

A signal that arrives while a render's files are being switched into place is held back until the
switch is complete and then consumed: the output is whole, so the render counts as done (exit 0 with
a note) and nothing further is started. Before this, the deferred signal was delivered right after
the commit and the command exited non-zero with the new output in place.
"""

from __future__ import annotations

import signal
import threading

from mfml_anim.render.runner import install_sigterm_handler, signals_blocked, take_deferred_interrupt


def _to_this_thread(sig: signal.Signals) -> None:
    """Signal the calling thread only: under pytest-xdist the worker has other threads that do not
    block the signal, and a process-wide kill would be delivered there (the CLI is single-threaded)."""
    signal.pthread_kill(threading.get_ident(), sig)


def test_sigint_during_the_commit_is_held_and_reported_not_raised() -> None:
    take_deferred_interrupt()
    with signals_blocked():
        _to_this_thread(signal.SIGINT)
        done = True  # the renames would run here, uninterrupted
    assert done
    assert take_deferred_interrupt() is True
    assert take_deferred_interrupt() is False  # reported once


def test_sigterm_during_the_commit_is_held_too() -> None:
    install_sigterm_handler()
    try:
        with signals_blocked():
            _to_this_thread(signal.SIGTERM)
        assert take_deferred_interrupt() is True
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def test_no_signal_no_report() -> None:
    take_deferred_interrupt()
    with signals_blocked():
        pass
    assert take_deferred_interrupt() is False
