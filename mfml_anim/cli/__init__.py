"""The ``mfml`` command line: the typer app and one module per command group.

* :mod:`.app` — the app, ``--version`` and the rule that a user mistake is one line on stderr and
  exit code 2 (:func:`~mfml_anim.cli.app.user_errors`);
* :mod:`.options` — the options several commands share (``-q``, ``--size``, ``--fps``, ``--force``,
  ``--voice``, ``--out``, ``--theme``, ``--set``, ``--params``...), declared once, and how a command
  line picks its lessons;
* :mod:`.lessons` — ``list``, ``show``, ``script``, ``audit``, ``lint``: storyboards only, never
  Manim, so they answer in well under a second (``list`` and ``show`` are answered before typer
  is even imported, by :func:`mfml_anim.catalog.fast_main`);
* :mod:`.render`, :mod:`.slides`, :mod:`.site`, :mod:`.doctor` — one command each.

What a command *does* lives below the command line, where it is tested without typer: the batch of
renders and its interrupt rules in :mod:`mfml_anim.render.batch`, the decks in
:mod:`mfml_anim.slides`, the site in :mod:`mfml_anim.site`.
"""

from __future__ import annotations

from mfml_anim.cli.app import app

# Each module registers its commands; `mfml --help` lists them in this order.
# isort: off
from mfml_anim.cli import lessons  # noqa: F401
from mfml_anim.cli import render  # noqa: F401
from mfml_anim.cli import slides  # noqa: F401
from mfml_anim.cli import site  # noqa: F401
from mfml_anim.cli import doctor  # noqa: F401
# isort: on

__all__ = ["app"]
