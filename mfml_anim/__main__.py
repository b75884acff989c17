"""Entry point of ``mfml`` and ``python -m mfml_anim``.

Why a module of its own: the CLI imports typer, sympy and the lesson registry before any command runs
(a second or more on a loaded machine). A Ctrl-C or SIGTERM in that window used to escape as an
uncaught ``KeyboardInterrupt`` (the process died by SIGINT, exit -2, with a traceback). Here the
handlers are installed first and the import is inside the same guard as the command, so an
interruption at any moment before an output is committed gives "interrupted" and exit 130.
"""

from __future__ import annotations

import signal
import sys
from typing import Any


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Run the CLI; interruptions before it takes over map to exit 130 like interruptions inside it."""
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        # `list` and `show` answer from the catalog without typer or sympy (~0.1 s instead of ~1.5 s)
        from mfml_anim.catalog import fast_main

        if (code := fast_main(sys.argv[1:])) is not None:
            sys.exit(code)
        from mfml_anim.cli import app

        app()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
