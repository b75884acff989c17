"""The typer app every command registers with, and how every command reports a user mistake."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from mfml_anim.errors import UserError

app = typer.Typer(
    name="mfml",
    help="Animated lessons for Mathematics for Machine Learning: Multivariate Calculus.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

F = TypeVar("F", bound=Callable[..., Any])


def _version(value: bool) -> None:
    if value:
        from mfml_anim import __version__

        typer.echo(f"mfml-anim {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Animated lessons for Mathematics for Machine Learning: Multivariate Calculus."""


def user_errors(fn: F) -> F:
    """Turn :class:`UserError` into one line on stderr and exit code 2 (no traceback), and an
    interruption into "interrupted" and exit code 130."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except UserError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]  # functools.wraps keeps the signature typer reads


def exit_with(code: int) -> None:
    """End the command with ``code`` unless it is 0 (typer's way of setting the exit status)."""
    if code:
        raise typer.Exit(code)
