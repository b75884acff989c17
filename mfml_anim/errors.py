"""User-facing errors.

Anything the user can get wrong (a lesson name, a ``--set`` value, a CSV file) raises
:class:`UserError`. The CLI turns it into one line on stderr and exit code 2, never a traceback,
so every validation path only has to describe the problem, not decide how to report it.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input. ``str(err)`` is the single line shown to the user."""

    exit_code = 2
