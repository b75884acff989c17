"""User-facing errors.

Anything the user can get wrong (a lesson name, a ``--set`` value, a CSV file) raises
:class:`UserError`. The CLI turns it into one line on stderr and exit code 2, never a traceback,
so every validation path only has to describe the problem, not decide how to report it.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input. ``str(err)`` is the single line shown to the user."""

    exit_code = 2


class ParamError(UserError):
    """A lesson parameter's value is wrong: *which* parameter and *why*, kept apart.

    ``str(err)`` is the ``--set`` form, ``--set at: not a number``. A caller that knows the value
    came from somewhere else (a ``--params`` file) names that source instead with :meth:`blamed_on`,
    so nobody has to take the message apart to find the parameter again."""

    def __init__(self, param: str, reason: str) -> None:
        super().__init__(f"--set {param}: {reason}")
        self.param = param
        self.reason = reason

    def blamed_on(self, source: str) -> UserError:
        """The same problem, said of the value ``source`` gave: ``my.toml: 'at': not a number``."""
        return UserError(f"{source}: '{self.param}': {self.reason}")


class UnknownParam(ParamError):
    """A parameter name the lesson does not have (``unknown parameter 'nope' for chain-rule ...``)."""

    def __init__(self, param: str, lesson: str, allowed: str) -> None:
        super().__init__(param, f"not a parameter of {lesson} (allowed: {allowed})")
        self.args = (f"unknown parameter '{param}' for {lesson} (allowed: {allowed})",)

    def blamed_on(self, source: str) -> UserError:
        return UserError(f"{source}: {self}")
