"""(x, y[, sigma]) data for the regression lessons: the bundled data sets and the user's CSV files.

A user's file (``--set data=path.csv``) is refused with one :class:`UserError` line naming the
file, the line and data row, and what is wrong, e.g.
``--set data: my.csv: line 5 (row 4): column y: 'abc' is not a number``. Cells are read with
``float()`` only (never evaluated); the file size is capped before anything is read, binary and
non-UTF-8 files are refused, and so are missing or unknown columns, empty cells, NaN, infinity,
numbers too large to square, zero or negative sigma, too few rows (or too few distinct x).

Bundled data sets live in ``assets/data/`` of the repository (their sources in its README.md).
:func:`bundled_dataset` finds them from a clone or an editable install (next to the package)
and from a wheel install, which puts them in ``<prefix>/share/mfml-anim/data`` (pyproject's
``data-files``).
"""

from __future__ import annotations

import csv
import io
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mfml_anim.errors import ParamError, UserError

MAX_BYTES = 1_000_000
MAX_ROWS = 10_000
MIN_ROWS = 2
MAX_ABS = 1e12  # |value| cap: χ² squares the values, and nothing measured here is larger
COLUMNS = ("x", "y", "sigma")
BUNDLED: tuple[str, ...] = ("heights", "line")
_HEADER_HELP = "the header must be 'x,y' or 'x,y,sigma'"
_NAME_LIKE = re.compile(r"[a-z_][a-z0-9_ ]{0,15}")


@dataclass(frozen=True)
class XYData:
    """Data points; ``sigma`` is all ones (and ``sigma_given`` False) when the file had no sigma column."""

    x: np.ndarray
    y: np.ndarray
    sigma: np.ndarray
    sigma_given: bool = False
    source: str = ""

    def __len__(self) -> int:
        return len(self.x)


# --------------------------------------------------------------------------- bundled data sets


def _data_dirs() -> list[Path]:
    here = Path(__file__).resolve()
    return [here.parents[2] / "assets" / "data", Path(sys.prefix) / "share" / "mfml-anim" / "data"]


def bundled_dataset(name: str) -> Path:
    """Path of a bundled data set (``"heights"`` or ``"heights.csv"``); see the module docstring.

    Raises :class:`UserError` for a name that is not bundled, listing the ones that are.
    """
    stem = name[:-4] if name.endswith(".csv") else name
    if stem not in BUNDLED:
        raise ParamError(
            "data",
            f"unknown data set '{name[:40]}' (bundled: {', '.join(BUNDLED)}; or give a path to a .csv file)",
        )
    for d in _data_dirs():
        p = d / f"{stem}.csv"
        if p.is_file():
            return p
    raise FileNotFoundError(f"bundled data set {stem}.csv not found in " + ", ".join(map(str, _data_dirs())))


def load_data(
    value: str | Path, *, param: str = "data", min_rows: int = MIN_ROWS, min_distinct_x: int = 2
) -> XYData:
    """A bundled data set by name (``heights``, ``line``) or else a CSV file by path."""
    text = str(value)
    if text in BUNDLED or (text.endswith(".csv") and text[:-4] in BUNDLED and not Path(text).exists()):
        return load_xy_csv(
            bundled_dataset(text), param=param, min_rows=min_rows, min_distinct_x=min_distinct_x
        )
    return load_xy_csv(value, param=param, min_rows=min_rows, min_distinct_x=min_distinct_x)


# --------------------------------------------------------------------------- CSV


def _number(cell: str, where: str, column: str) -> float:
    text = cell.strip()
    if not text:
        raise UserError(f"{where}: missing value in column {column}")
    try:
        v = float(text)
    except ValueError:
        raise UserError(f"{where}: column {column}: '{text[:20]}' is not a number") from None
    if not math.isfinite(v):
        raise UserError(f"{where}: column {column}: '{text[:20]}' is not a finite number")
    if abs(v) > MAX_ABS:
        raise UserError(f"{where}: column {column}: {text[:20]} is too large (at most {MAX_ABS:g} in size)")
    return v


def _column_name(name: str, position: int) -> str:
    """How an error names a header cell: a short identifier is quoted (it is a column name the user
    wrote), anything else by its position only, so a file that is not a CSV of ours (``--set
    data=/etc/passwd``) never has its content printed back."""
    if _NAME_LIKE.fullmatch(name):
        return f"'{name}'"
    return f"{position} (not a column name)"


def _columns(first: list[str], label: str) -> list[str]:
    header = [c.strip().lower() for c in first]
    for position, name in enumerate(header, start=1):
        if name not in COLUMNS:
            shown = _column_name(name, position)
            raise UserError(
                f"{label}: line 1: unexpected column {shown} ({_HEADER_HELP}, {len(header)} found)"
            )
    for name in COLUMNS:
        if header.count(name) > 1:
            raise UserError(f"{label}: line 1: column '{name}' appears twice ({_HEADER_HELP})")
    for name in ("x", "y"):
        if name not in header:
            raise UserError(f"{label}: line 1: missing column '{name}' ({_HEADER_HELP}, {len(header)} found)")
    return header


def _read_text(p: Path, label: str) -> str:
    """The file's text: a regular, small, UTF-8 file that is not binary (read at most once, bounded)."""
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise UserError(f"{label}: cannot read ({exc.strerror})") from None
    if not p.is_file():
        raise UserError(f"{label}: not a file")
    if size > MAX_BYTES:
        raise UserError(f"{label}: file too large ({size} bytes, at most {MAX_BYTES})")
    try:
        with p.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UserError(f"{label}: cannot read ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise UserError(f"{label}: file too large (more than {MAX_BYTES} bytes)")
    if b"\x00" in raw or any(b < 32 and b not in (9, 10, 13) for b in raw[:4096]):
        raise UserError(f"{label}: binary data, expected a CSV text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{label}: not UTF-8 text") from None


def _records(text: str, label: str) -> list[tuple[int, list[str]]]:
    """Non-blank CSV records with the physical line each ends on (where an editor points)."""
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        rows = [(reader.line_num, r) for r in reader if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise UserError(f"{label}: not valid CSV ({exc})") from None
    if not rows:
        raise UserError(f"{label}: empty file")
    return rows


def _values(header: list[str], body: list[tuple[int, list[str]]], label: str) -> dict[str, list[float]]:
    """The numbers of each column, every cell checked (count, number, positive sigma) with its line."""
    cols: dict[str, list[float]] = {name: [] for name in header}
    for k, (line, row) in enumerate(body, start=1):
        where = f"{label}: line {line} (row {k})"
        if len(row) != len(header):
            raise UserError(f"{where}: expected {len(header)} values, got {len(row)}")
        for name, cell in zip(header, row, strict=True):
            cols[name].append(_number(cell, where, name))
        if "sigma" in cols and cols["sigma"][-1] <= 0:
            raise UserError(f"{where}: sigma must be positive, got {row[header.index('sigma')].strip()[:20]}")
    return cols


def load_xy_csv(
    path: str | Path, *, param: str = "data", min_rows: int = MIN_ROWS, min_distinct_x: int = 2
) -> XYData:
    """Read a CSV file with header ``x,y`` or ``x,y,sigma`` (any order, any case).

    ``min_rows`` data rows and ``min_distinct_x`` different x values are required (a line needs
    2, a Gaussian 3). Every refusal is one :class:`UserError` line; see the module docstring.
    """
    p = Path(path)
    label = f"--set {param}: {p.name or p}"
    rows = _records(_read_text(p, label), label)
    header = _columns(rows[0][1], label)
    body = rows[1:]
    if len(body) < min_rows:
        raise UserError(f"{label}: needs at least {min_rows} data rows, found {len(body)}")
    if len(body) > MAX_ROWS:
        raise UserError(f"{label}: too many rows ({len(body)}, at most {MAX_ROWS})")
    cols = _values(header, body, label)
    x = np.array(cols["x"])
    if len(np.unique(x)) < min_distinct_x:
        raise UserError(
            f"{label}: needs at least {min_distinct_x} different x values, found {len(np.unique(x))}"
        )
    given = "sigma" in cols
    sigma = np.array(cols["sigma"]) if given else np.ones(len(body))
    return XYData(x, np.array(cols["y"]), sigma, given, str(p))
