"""Lesson parameters: one frozen dataclass per lesson, typed fields whose metadata says how to parse them.

The same dataclass feeds ``mfml show`` (names, types, defaults, help), ``--set key=value``,
``--params file.toml``, the render cache key and the manifest. Values are stored in a canonical,
hashable, printable form (formulas as their text, tuples of floats), and parsed/validated once
in ``__post_init__``, so a lesson never sees an invalid parameter.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import sympy as sp

from mfml_anim.errors import ParamError, UnknownParam, UserError
from mfml_anim.math import parse as P

T = TypeVar("T", bound="LessonParams")

MAX_PARAMS_FILE = 64 * 1024


@dataclass(frozen=True)
class Spec:
    """How a field is parsed and described. ``kind`` is shown by ``mfml show``."""

    kind: str
    help: str
    parse: Callable[[str, str], Any]
    variables: tuple[str, ...] = ()
    lo: float | None = None  # numeric bounds, used by the tests to draw random valid values
    hi: float | None = None


def spec_of(f: dataclasses.Field) -> Spec:
    return f.metadata["spec"]


def expr(default: str, help: str, variables: tuple[str, ...] = ("x",)) -> Any:
    """A formula in the given variables, parsed safely; stored as the user's text."""

    def parse(text: str, name: str) -> str:
        P.parse_expression(text, param=name, variables=variables)
        return text.strip()

    return field(
        default=default, metadata={"spec": Spec(f"formula in {', '.join(variables)}", help, parse, variables)}
    )


def exprs(default: str, help: str, variables: tuple[str, ...] = ("x",)) -> Any:
    """A ``;``-separated list of formulas."""

    def parse(text: str, name: str) -> str:
        items = P.parse_list(
            text, param=name, item=lambda s: P.parse_expression(s, param=name, variables=variables)
        )
        if not items:
            raise ParamError(name, "give at least one formula")
        return ";".join(i.strip() for i in text.split(";") if i.strip())

    return field(
        default=default,
        metadata={"spec": Spec(f"formulas in {', '.join(variables)}, ';'-separated", help, parse, variables)},
    )


def number(default: float, help: str, lo: float | None = None, hi: float | None = None) -> Any:
    def parse(text: str, name: str) -> float:
        return float(P.parse_number(text, param=name, lo=lo, hi=hi))

    rng = f" in [{lo}, {hi}]" if lo is not None and hi is not None else ""
    return field(default=default, metadata={"spec": Spec(f"number{rng}", help, parse, lo=lo, hi=hi)})


def integer(default: int, help: str, lo: int | None = None, hi: int | None = None) -> Any:
    def parse(text: str, name: str) -> int:
        return int(P.parse_number(text, param=name, lo=lo, hi=hi, integer=True))

    rng = f" in [{lo}, {hi}]" if lo is not None and hi is not None else ""
    return field(default=default, metadata={"spec": Spec(f"integer{rng}", help, parse, lo=lo, hi=hi)})


def choice(default: str, help: str, choices: tuple[str, ...]) -> Any:
    def parse(text: str, name: str) -> str:
        t = text.strip()
        if t not in choices:
            raise ParamError(name, f"'{t[:40]}' is not one of {', '.join(choices)}")
        return t

    return field(default=default, metadata={"spec": Spec(f"one of {', '.join(choices)}", help, parse)})


def point(default: tuple[float, ...], help: str, length: int) -> Any:
    def parse(text: str, name: str) -> tuple[float, ...]:
        return tuple(float(v) for v in P.parse_tuple(text, param=name, length=length))

    return field(
        default=default,
        metadata={"spec": Spec(f"{length} numbers 'a,b{',c' if length > 2 else ''}'", help, parse)},
    )


def points(default: tuple[tuple[float, ...], ...], help: str, length: int) -> Any:
    def parse(text: str, name: str) -> tuple[tuple[float, ...], ...]:
        items = P.parse_list(text, param=name, item=lambda s: P.parse_tuple(s, param=name, length=length))
        if not items:
            raise ParamError(name, "give at least one point")
        return tuple(tuple(float(v) for v in t) for t in items)

    return field(
        default=default, metadata={"spec": Spec(f"points 'a,b;c,d' ({length} numbers each)", help, parse)}
    )


def numbers(default: tuple[float, ...], help: str, *, most: int, bound: float) -> Any:
    """A vector of 1..``most`` numbers 'a,b,c', each in [-bound, bound] (its length is the lesson's
    to match against other fields, in ``check``). No ``lo``/``hi``: it is not one random number."""

    def parse(text: str, name: str) -> tuple[float, ...]:
        items = P.parse_tuple(text, param=name)
        if not 1 <= len(items) <= most:
            raise ParamError(name, f"expected 1 to {most} numbers separated by ',', got {len(items)}")
        for v in items:
            P.parse_number(v, param=name, lo=-bound, hi=bound)
        return tuple(float(v) for v in items)

    return field(default=default, metadata={"spec": Spec(f"up to {most} numbers 'a,b,c'", help, parse)})


def matrix(default: tuple[tuple[float, ...], ...], help: str, *, rows: int, cols: int, bound: float) -> Any:
    """A matrix as rows 'a,b,c;d,e,f': every row the same length (a ragged matrix is refused, naming
    the rows), at most ``rows`` x ``cols``, each entry in [-bound, bound]."""

    def parse(text: str, name: str) -> tuple[tuple[float, ...], ...]:
        got = P.parse_list(text, param=name, item=lambda s: P.parse_tuple(s, param=name))
        if not 1 <= len(got) <= rows:
            raise ParamError(name, f"expected 1 to {rows} rows separated by ';', got {len(got)}")
        lengths = [len(r) for r in got]
        if len(set(lengths)) > 1:
            bad = next(i for i, n in enumerate(lengths) if n != lengths[0])
            raise ParamError(
                name,
                f"every row needs the same number of entries "
                f"(row 1 has {lengths[0]}, row {bad + 1} has {lengths[bad]})",
            )
        if lengths[0] > cols:
            raise ParamError(name, f"at most {cols} entries per row, got {lengths[0]}")
        for v in (v for r in got for v in r):
            P.parse_number(v, param=name, lo=-bound, hi=bound)
        return tuple(tuple(float(v) for v in r) for r in got)

    return field(
        default=default, metadata={"spec": Spec(f"matrix 'a,b;c,d' (up to {rows}x{cols})", help, parse)}
    )


def _scalar_text(x: Any) -> str:
    """Text of one list item; the field's own parser decides whether it is acceptable."""
    if isinstance(x, bool) or not isinstance(x, int | float | str):
        raise UserError(f"unsupported list item of type {type(x).__name__}")
    return repr(float(x)) if isinstance(x, int | float) else x


def _to_text(v: Any) -> str:
    """Canonical text of a parameter value, used to re-validate defaults and values from TOML."""
    if isinstance(v, tuple | list):
        if v and isinstance(v[0], tuple | list):
            return ";".join(",".join(_scalar_text(x) for x in t) for t in v)
        return ",".join(_scalar_text(x) for x in v)
    if isinstance(v, bool):
        raise UserError("booleans are not accepted here")
    return str(v)


@dataclass(frozen=True)
class LessonParams:
    """Base class: validates every field through its spec, so an instance is always valid.

    A parameter class does not name its lesson: the :class:`~mfml_anim.lessons.Lesson` that owns it
    passes its slug when it builds parameters, so the slug is written once."""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            spec = spec_of(f)
            raw = getattr(self, f.name)
            value = spec.parse(_to_text(raw), f.name)
            object.__setattr__(self, f.name, value)
        self.check()

    def check(self) -> None:
        """Cross-field validation hook for lessons; raise UserError with one line."""

    # ---- construction from user input

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in dataclasses.fields(cls)]

    @classmethod
    def from_strings(cls: type[T], values: Mapping[str, Any], *, lesson: str = "this lesson") -> T:
        known = cls.field_names()
        for k in values:
            if k not in known:
                allowed = ", ".join(known) or "none"
                raise UnknownParam(k, lesson, allowed)
        return cls(**{k: v for k, v in values.items()})

    @classmethod
    def describe(cls) -> list[dict[str, str]]:
        """Rows for ``mfml show``."""
        rows = []
        for f in dataclasses.fields(cls):
            spec = spec_of(f)
            rows.append(
                {
                    "name": f.name,
                    "type": spec.kind,
                    "default": _to_text(f.default) if not isinstance(f.default, str) else f.default,
                    "help": spec.help,
                }
            )
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in self.to_dict().items():
            out[k] = (
                [list(t) for t in v]
                if isinstance(v, tuple) and v and isinstance(v[0], tuple)
                else (list(v) if isinstance(v, tuple) else v)
            )
        return out

    # ---- helpers for lessons

    def expr(self, name: str) -> sp.Expr:
        """The sympy expression of a formula field (already validated)."""
        f = next(f for f in dataclasses.fields(self) if f.name == name)
        return P.parse_expression(getattr(self, name), param=name, variables=spec_of(f).variables)

    def exprs(self, name: str) -> list[sp.Expr]:
        f = next(f for f in dataclasses.fields(self) if f.name == name)
        vs = spec_of(f).variables
        return [P.parse_expression(s, param=name, variables=vs) for s in getattr(self, name).split(";")]


def parse_set_options(items: list[str]) -> dict[str, str]:
    """``["f=x**2", "x0=1"]`` -> ``{"f": "x**2", "x0": "1"}``; one clear line on a malformed item."""
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise UserError(f"--set expects key=value, got '{item[:60]}'")
        k, v = item.split("=", 1)
        k = k.strip()
        if not k.isidentifier():
            raise UserError(f"--set: '{k[:40]}' is not a parameter name")
        out[k] = v
    return out


def load_params_file(path: Path) -> dict[str, Any]:
    """Read a ``--params`` TOML file: a flat table of parameter values (strings, numbers or arrays)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError(f"--params {path}: cannot read ({exc.strerror})") from None
    if size > MAX_PARAMS_FILE:
        raise UserError(f"--params {path}: file too large ({size} bytes, at most {MAX_PARAMS_FILE})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"--params {path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"--params {path}: not valid TOML ({exc})") from None
    out: dict[str, Any] = {}
    for k, v in data.items():
        if isinstance(v, dict):
            raise UserError(f"--params {path}: '{k}' is a table; use a flat list of key = value")
        if isinstance(v, bool) or not isinstance(v, str | int | float | list):
            raise UserError(f"--params {path}: '{k}' has an unsupported type {type(v).__name__}")
        out[k] = _to_text(v) if isinstance(v, list) else v
    return out
