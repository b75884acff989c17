"""The screen contract's base types: :class:`Screen`, :class:`Data`, :data:`ValueKey`, :class:`ContractError`.

Every :class:`~mfml_anim.storyboard.Step` names its screen (``screen=Plot(...)``): typed, frozen data
that says what the scene draws. This module holds what the contract itself is made of, beside the
storyboard (which checks every step's screen and value keys when the step is built); the screens
themselves live above it, in :mod:`mfml_anim.lessons.screens` (shared) and the lesson modules. Why
apart from them: the storyboard may not import the lessons layer, and a screen type is a lesson's
business while the rules every screen obeys are not.

* a number a screen *displays* is named by a :data:`ValueKey` and resolved with
  :meth:`Step.value <mfml_anim.storyboard.Step.value>`, so the audit re-checks it like every
  other value; a key that the step's ``values`` lack is refused when the step is built;
* every field is type-checked when the screen is built (:meth:`Data.__post_init__`), so a lesson
  that hands a screen the wrong kind of data fails in ``mfml script``, not half-way through a render.

No Manim, no sympy: the CLI, the audit and the tests use it without a renderer.
"""

from __future__ import annotations

import dataclasses
import functools
import numbers
import types
from dataclasses import dataclass
from typing import Any, Literal, NewType, Union, get_args, get_origin, get_type_hints

ValueKey = NewType("ValueKey", str)
"""The name of a value in the step's ``values``: a number the screen shows (audited there)."""


class ContractError(Exception):
    """A lesson and its scene disagree: a screen nobody draws, a value key that does not exist,
    a screen field of the wrong type. A programming error, never the user's."""


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _matches(value: Any, hint: Any) -> bool:  # noqa: C901 - one branch per kind of annotation, flat
    """Whether ``value`` fits the annotation ``hint`` (the subset of typing the screens use)."""
    if hint is Any:
        return True
    if hint is ValueKey:
        return isinstance(value, str)
    if hint is float:
        return isinstance(value, numbers.Real) and not isinstance(value, bool)
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return any(_matches(value, h) for h in get_args(hint))
    if origin is Literal:
        return value in get_args(hint)
    if origin is tuple:
        args = get_args(hint)
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_matches(v, args[0]) for v in value)
        return len(args) == len(value) and all(_matches(v, h) for v, h in zip(value, args, strict=True))
    if hint is type(None):
        return value is None
    return isinstance(value, origin or hint)


def _keys_in(value: Any, hint: Any) -> tuple[str, ...]:
    """Every ValueKey inside a field value (through nested data and tuples)."""
    if hint is ValueKey:
        return (value,)
    if isinstance(value, Data):
        return value.value_keys()
    if get_origin(hint) in (Union, types.UnionType):
        fitting = [h for h in get_args(hint) if _matches(value, h)]
        return _keys_in(value, fitting[0]) if fitting else ()
    if isinstance(value, tuple):
        args = [a for a in get_args(hint) if a is not Ellipsis] or [Any]
        inner = args if len(args) == len(value) else [args[0]] * len(value)
        return tuple(k for v, h in zip(value, inner, strict=True) for k in _keys_in(v, h))
    return ()


@dataclass(frozen=True)
class Data:
    """Base of every screen and screen part: a frozen dataclass whose fields are type-checked."""

    def __post_init__(self) -> None:
        hints = _hints(type(self))  # type: ignore[arg-type]  # a class is hashable; mypy checks an instance's __hash__
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not _matches(value, hints[f.name]):
                raise ContractError(
                    f"{type(self).__name__}.{f.name} expects {hints[f.name]}, "
                    f"got {type(value).__name__} {value!r:.60}"
                )

    def value_keys(self) -> tuple[str, ...]:
        """The step values this data displays, in field order."""
        hints = _hints(type(self))  # type: ignore[arg-type]  # a class is hashable; mypy checks an instance's __hash__
        return tuple(
            k for f in dataclasses.fields(self) for k in _keys_in(getattr(self, f.name), hints[f.name])
        )


@dataclass(frozen=True)
class Screen(Data):
    """Base of all screens. A subclass is one kind of screen; its fields are what it draws."""


__all__ = ["ContractError", "Data", "Screen", "ValueKey"]
