"""Safe parsing of user formulas, numbers, tuples and lists.

User text reaches sympy only through :func:`parse_expression`, which first tokenises the text with
Python's own tokenizer and refuses anything outside a whitelist (names, numbers and a handful of
operators), then parses with ``parse_expr`` under a minimal namespace and ``evaluate=False``, and
finally vets the unevaluated tree for numbers and powers too large to evaluate before evaluating
it. Never ``eval``/``exec``/bare ``sympify`` of text. Every refusal is one :class:`UserError` line
naming the parameter.
"""

from __future__ import annotations

import io
import math
import token
import tokenize
from collections.abc import Callable, Collection, Sequence
from functools import cache
from typing import TypeVar

import sympy as sp
from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

from mfml_anim.errors import ParamError, UserError

MAX_LENGTH = 300
MAX_DEPTH = 20
MAX_INTEGER = 10**9
MAX_EXPONENT = 100
MAX_ITEMS = 50
MAX_VALUE = 1e100
MAX_OPS = 300

FUNCTIONS: dict[str, sp.Basic] = {
    "exp": sp.exp,
    "log": sp.log,
    "ln": sp.log,
    "sqrt": sp.sqrt,
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "tanh": sp.tanh,
    "asin": sp.asin,
    "acos": sp.acos,
    "atan": sp.atan,
    "Abs": sp.Abs,
    "abs": sp.Abs,
}
CONSTANTS: dict[str, sp.Basic] = {"pi": sp.pi, "E": sp.E, "e": sp.E}
OPERATORS = {"+", "-", "*", "/", "**", "^", "(", ")", ","}

T = TypeVar("T")


@cache
def symbol(name: str) -> sp.Symbol:
    """The one real symbol of this name that every module uses, so parsed formulas and lesson code agree."""
    return sp.Symbol(name, real=True)


def _fail(param: str, why: str) -> ParamError:
    return ParamError(param, why)


def _allowed_text(variables: Sequence[str], functions: Collection[str]) -> str:
    return (
        f"variables {', '.join(variables) or 'none'}; functions {', '.join(sorted(functions))}; "
        "constants pi, e"
    )


_SKIPPED = (token.NEWLINE, token.NL, token.ENDMARKER, token.INDENT, token.DEDENT)


def _significant_tokens(text: str, param: str) -> list[tokenize.TokenInfo]:
    """Python's tokens of ``text`` without layout tokens; a text Python cannot tokenise is refused."""
    try:
        toks = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError) as exc:
        msg = (
            "unbalanced brackets"
            if "EOF" in str(exc) or "bracket" in str(exc).lower()
            else str(exc).split("(")[0].strip()
        )
        raise _fail(param, f"not a valid formula: {msg}") from None
    return [
        t
        for t in toks
        if t.type not in _SKIPPED and not (t.type == token.ERRORTOKEN and not t.string.strip())
    ]


def _check_number(t: tokenize.TokenInfo, param: str) -> None:
    if any(c in t.string.lower() for c in "jx_") or t.string.lower().startswith(("0b", "0o")):
        raise _fail(param, f"'{t.string[:20]}' is not a plain number")


def _check_name(
    name: str, nxt: str, param: str, variables: Sequence[str], functions: Collection[str]
) -> None:
    """A function must be called, a variable or constant must not be, nothing else is a name."""
    if name in functions:
        if nxt != "(":
            raise _fail(param, f"function '{name}' must be followed by '('")
    elif name in variables or name in CONSTANTS:
        if nxt == "(":
            raise _fail(param, f"'{name}' is not a function")
    else:
        raise _fail(param, f"unknown name '{name[:30]}' (allowed: {_allowed_text(variables, functions)})")


def _check_operator(op: str, depth: int, param: str) -> int:
    """Whitelisted operators only; returns the bracket depth after ``op``."""
    if op not in OPERATORS:
        what = "attribute access" if op == "." else f"'{op}'"
        raise _fail(param, f"{what} is not allowed (use numbers, names and + - * / ** ( ) ,)")
    depth += {"(": 1, ")": -1}.get(op, 0)
    if depth > MAX_DEPTH:
        raise _fail(param, f"brackets nested deeper than {MAX_DEPTH}")
    if depth < 0:
        raise _fail(param, "not a valid formula: unbalanced brackets")
    if op == "," and depth == 0:
        raise _fail(param, "',' outside a function call")
    return depth


def _check_tokens(text: str, param: str, variables: Sequence[str], functions: Collection[str]) -> None:
    """Refuse, before sympy sees the text, every token outside the whitelist: plain numbers, known
    names used as what they are, and arithmetic operators in balanced, shallow brackets."""
    significant = _significant_tokens(text, param)
    if not significant:
        raise _fail(param, "empty formula")
    depth = 0
    for i, t in enumerate(significant):
        if t.type == token.NUMBER:
            _check_number(t, param)
        elif t.type == token.NAME:
            nxt = significant[i + 1].string if i + 1 < len(significant) else ""
            _check_name(t.string, nxt, param, variables, functions)
        elif t.type == token.OP:
            depth = _check_operator(t.string, depth, param)
        else:
            raise _fail(param, f"'{t.string[:20]}' is not allowed in a formula")
    if depth != 0:
        raise _fail(param, "not a valid formula: unbalanced brackets")


def _vet(expr: sp.Basic, param: str) -> None:
    """Refuse numbers and constant powers too large to evaluate, checking children first, so a
    huge tower like 9**9**9**9 is caught at its innermost exponent before anything is computed."""
    for arg in expr.args:
        _vet(arg, param)
    if isinstance(expr, sp.Integer) and abs(int(expr)) > MAX_INTEGER:
        raise _fail(param, f"number too large (at most {MAX_INTEGER})")
    if isinstance(expr, sp.Float) and not math.isfinite(float(expr)):
        raise _fail(param, "number is not finite")
    if isinstance(expr, sp.Pow) and not expr.exp.free_symbols:
        try:
            e = float(sp.N(expr.exp, 15))
        except (TypeError, ValueError):
            raise _fail(param, "exponent is not a real number") from None
        if not math.isfinite(e) or abs(e) > MAX_EXPONENT:
            raise _fail(param, f"exponent too large (at most {MAX_EXPONENT})")
        if not expr.base.free_symbols:
            # A tower of allowed exponents can still be astronomically large, e.g. ((9**99)**99)**99:
            # mpmath evaluates its size without computing its digits. The modulus is taken of the
            # number, not as sympy's Abs(expr): Abs of a complex constant such as log(acos(e))**3
            # sends sympy into minutes of symbolic simplification.
            size = abs(sp.N(expr, 15))
            if not size.is_finite or size > sp.Float(MAX_VALUE):
                raise _fail(param, f"number too large (at most {MAX_VALUE:g})")


def _plain_text(text: object, param: str) -> str:
    """The stripped text of a formula, refused when it is not short, printable ASCII."""
    if not isinstance(text, str):
        raise _fail(param, "expected a formula as text")
    if len(text) > MAX_LENGTH:
        raise _fail(param, f"formula too long ({len(text)} characters, at most {MAX_LENGTH})")
    if any((not c.isprintable()) or ord(c) > 127 for c in text):
        raise _fail(param, "only plain ASCII characters are allowed in a formula")
    stripped = text.strip()
    if not stripped:
        raise _fail(param, "empty formula")
    return stripped


def _parsed(text: str, param: str, variables: Sequence[str], funcs: dict[str, sp.Basic]) -> sp.Expr:
    """``parse_expr`` under a minimal namespace, unevaluated (so :func:`_vet` sees every literal)."""
    local = {**{v: symbol(v) for v in variables}, **funcs, **CONSTANTS}
    global_dict = {
        "Integer": sp.Integer,
        "Float": sp.Float,
        "Rational": sp.Rational,
        "Symbol": sp.Symbol,
        "Add": sp.Add,
        "Mul": sp.Mul,
        "Pow": sp.Pow,
    }
    try:
        raw = parse_expr(
            text,
            local_dict=local,
            global_dict=global_dict,
            transformations=(*standard_transformations, convert_xor),
            evaluate=False,
        )
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is the user's formula being invalid
        raise _fail(param, f"not a valid formula ({type(exc).__name__})") from None
    if not isinstance(raw, sp.Expr):
        raise _fail(param, "not a formula (a single expression is expected)")
    return raw


def _evaluated(raw: sp.Expr, param: str, variables: Sequence[str]) -> sp.Expr:
    """The vetted tree evaluated, then refused if evaluation made it too large, too complex,
    undefined or brought in a name that is not a variable."""
    try:
        out = raw.doit()
    except Exception as exc:  # noqa: BLE001
        raise _fail(param, f"cannot evaluate ({type(exc).__name__})") from None
    if not isinstance(out, sp.Expr):
        raise _fail(param, "not a formula")
    for node in sp.preorder_traversal(out):
        if isinstance(node, sp.Pow) and node.exp.is_number and abs(float(sp.N(node.exp, 15))) > MAX_EXPONENT:
            raise _fail(param, f"exponent too large (at most {MAX_EXPONENT})")
    if sp.count_ops(out) > MAX_OPS:
        raise _fail(param, f"formula too complex (at most {MAX_OPS} operations)")
    extra = {s.name for s in out.free_symbols} - set(variables)
    if extra:
        raise _fail(param, f"unknown name '{sorted(extra)[0]}'")
    if out.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise _fail(param, "the formula is undefined (division by zero?)")
    return out


def parse_expression(
    text: str, *, param: str, variables: Sequence[str], functions: Collection[str] | None = None
) -> sp.Expr:
    """A sympy expression from user text, or one-line :class:`UserError`; see the module docstring."""
    funcs = FUNCTIONS if functions is None else {k: FUNCTIONS[k] for k in functions if k in FUNCTIONS}
    stripped = _plain_text(text, param)
    for v in variables:
        if not v.isidentifier() or v in funcs or v in CONSTANTS:
            raise ValueError(f"bad variable name {v!r}")  # programming error, not user input
    _check_tokens(stripped, param, variables, funcs)
    raw = _parsed(stripped, param, variables, funcs)
    _vet(raw, param)
    return _evaluated(raw, param, variables)


def parse_number(
    text: str | float | int,
    *,
    param: str,
    lo: float | None = None,
    hi: float | None = None,
    integer: bool = False,
) -> float | int:
    """A finite number (plain, scientific, or a constant formula like ``pi/4``) within [lo, hi]."""
    if isinstance(text, bool):
        raise _fail(param, "expected a number")
    if isinstance(text, int | float):
        value = float(text)
    else:
        t = text.strip()
        try:
            value = (
                float(t)
                if t and t.lower() not in ("nan", "inf", "-inf", "+inf", "infinity", "-infinity")
                else math.nan
            )
        except ValueError:
            value = float(sp.N(parse_expression(t, param=param, variables=()), 30)) if t else math.nan
    if not math.isfinite(value):
        raise _fail(param, f"expected a finite number, got '{str(text)[:30]}'")
    if integer:
        if value != int(value):
            raise _fail(param, f"expected a whole number, got '{str(text)[:30]}'")
        value = int(value)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise _fail(
            param,
            f"{value:g} is out of range [{lo:g}, {hi:g}]"
            if lo is not None and hi is not None
            else f"{value:g} is out of range",
        )
    return value


def parse_tuple(text: str, *, param: str, length: int | None = None) -> tuple[float, ...]:
    """``"a,b"`` -> (a, b); each item a number as in :func:`parse_number`."""
    if not isinstance(text, str):
        raise _fail(param, "expected numbers separated by ','")
    items = [s for s in text.split(",")]
    if len(items) > MAX_ITEMS:
        raise _fail(param, f"too many numbers (at most {MAX_ITEMS})")
    if length is not None and len(items) != length:
        raise _fail(param, f"expected {length} numbers separated by ',', got {len(items)}")
    return tuple(float(parse_number(s, param=param)) for s in items)


def parse_list(text: str, *, param: str, item: Callable[[str], T]) -> tuple[T, ...]:
    """``"a;b;c"`` -> (item(a), item(b), item(c)); empty items are ignored."""
    if not isinstance(text, str):
        raise _fail(param, "expected items separated by ';'")
    parts = [s for s in text.split(";") if s.strip()]
    if len(parts) > MAX_ITEMS:
        raise _fail(param, f"too many items (at most {MAX_ITEMS})")
    return tuple(item(s) for s in parts)
