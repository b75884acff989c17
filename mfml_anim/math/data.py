"""Loading (x, y[, sigma]) data from CSV for the regression lessons, refusing anything malformed.

Cells are read with ``float()`` only (never evaluated), the file size and row count are capped
before anything is parsed, and every problem is one :class:`UserError` line naming the file and
the line.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mfml_anim.errors import UserError

MAX_BYTES = 1_000_000
MAX_ROWS = 10_000
MIN_ROWS = 2


@dataclass(frozen=True)
class XYData:
    x: np.ndarray
    y: np.ndarray
    sigma: np.ndarray


def _number(cell: str, where: str) -> float:
    text = cell.strip()
    try:
        v = float(text)
    except ValueError:
        raise UserError(f"{where}: '{text[:20]}' is not a number") from None
    if not math.isfinite(v):
        raise UserError(f"{where}: '{text[:20]}' is not a finite number")
    return v


def load_xy_csv(path: str | Path, *, param: str = "data") -> XYData:
    p = Path(path)
    label = f"--set {param}: {p}"
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise UserError(f"{label}: cannot read ({exc.strerror})") from None
    if not p.is_file():
        raise UserError(f"{label}: not a file")
    if size > MAX_BYTES:
        raise UserError(f"{label}: file too large ({size} bytes, at most {MAX_BYTES})")
    raw = p.read_bytes()
    if b"\x00" in raw:
        raise UserError(f"{label}: binary data, expected a CSV text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{label}: not UTF-8 text") from None
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise UserError(f"{label}: not valid CSV ({exc})") from None
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise UserError(f"{label}: empty file")
    header = [c.strip().lower() for c in rows[0]]
    if header not in (["x", "y"], ["x", "y", "sigma"]):
        raise UserError(f"{label}: line 1: header must be 'x,y' or 'x,y,sigma', got '{','.join(rows[0])[:40]}'")
    body = rows[1:]
    if len(body) < MIN_ROWS:
        raise UserError(f"{label}: needs at least {MIN_ROWS} data rows, found {len(body)}")
    if len(body) > MAX_ROWS:
        raise UserError(f"{label}: too many rows ({len(body)}, at most {MAX_ROWS})")
    cols: list[list[float]] = [[] for _ in header]
    for i, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise UserError(f"{label}: line {i}: expected {len(header)} values, got {len(row)}")
        for j, cell in enumerate(row):
            cols[j].append(_number(cell, f"{label}: line {i}"))
    sigma = np.array(cols[2]) if len(cols) == 3 else np.ones(len(body))
    if np.any(sigma <= 0):
        line = int(np.argmax(sigma <= 0)) + 2
        raise UserError(f"{label}: line {line}: sigma must be positive")
    return XYData(np.array(cols[0]), np.array(cols[1]), sigma)
