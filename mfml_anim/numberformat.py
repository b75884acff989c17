"""One way of writing numbers per lesson (issue 18 part 7).

A lesson that writes one weight as "−2", then "1.67", then "3.00" (a bare integer, a rounded
readout, a fixed-decimals counter) makes the viewer wonder whether the three are different kinds of
thing. A lesson picks one :class:`NumberFormat` and writes every number of a kind through it: the
static labels (:meth:`NumberFormat.text`) and Manim's live ``DecimalNumber`` counters
(:meth:`NumberFormat.decimal_config`) then agree digit for digit.

Pure Python (no Manim), so the storyboard layer and the scenes can share it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MINUS = "-"  # TeX typesets "-" in math mode as a true minus sign


@dataclass(frozen=True)
class NumberFormat:
    """Fixed ``decimals`` places (a counter that moves keeps its width: ``-2.00``, ``1.67``,
    ``3.00``), or, with ``decimals=None``, ``significant`` digits with integers left bare (for
    values of very different sizes)."""

    decimals: int | None = 2
    significant: int = 4

    def __post_init__(self) -> None:
        if self.decimals is not None and not 0 <= self.decimals <= 10:
            raise ValueError(f"decimals must be 0..10, got {self.decimals}")
        if not 1 <= self.significant <= 15:
            raise ValueError(f"significant must be 1..15, got {self.significant}")

    def text(self, v: float) -> str:
        """``v`` as this lesson writes it (no "-0.00": a value that rounds to zero is "0.00")."""
        if not math.isfinite(v):
            return str(v)
        if self.decimals is not None:
            out = f"{v:.{self.decimals}f}"
            return out[1:] if out.startswith(MINUS) and float(out) == 0 else out
        if abs(v) < 1e-9:
            return "0"
        if abs(v - round(v)) < 1e-12 and abs(v) < 1e12:
            return str(int(round(v)))
        return f"{v:.{self.significant}g}"

    def decimal_config(self) -> dict[str, int]:
        """Keyword arguments for a Manim ``DecimalNumber`` that counts in this format (fixed
        decimals only: a counter with significant digits would change width as it moves)."""
        if self.decimals is None:
            raise ValueError("a DecimalNumber counter needs a fixed-decimals NumberFormat")
        return {"num_decimal_places": self.decimals}


FIXED_2 = NumberFormat(decimals=2)
SIGNIFICANT_4 = NumberFormat(decimals=None, significant=4)
