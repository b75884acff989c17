"""Screen regions and the screen-grammar numbers shared by the scenes and ``mfml lint``.

Manim's default frame is 14.22 x 8 units. Everything must sit inside the frame inset by
``SAFE_MARGIN``; the caption owns the bottom band, so graphics and formulas share the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

FRAME_WIDTH = 128 / 9  # 14.222..., Manim's default
FRAME_HEIGHT = 8.0
SAFE_MARGIN = 0.4


@dataclass(frozen=True)
class Box:
    left: float
    right: float
    bottom: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def center(self) -> tuple[float, float, float]:
        return ((self.left + self.right) / 2, (self.bottom + self.top) / 2, 0.0)

    def contains(self, other: Box, tol: float = 1e-3) -> bool:
        return (
            other.left >= self.left - tol
            and other.right <= self.right + tol
            and other.bottom >= self.bottom - tol
            and other.top <= self.top + tol
        )

    def overlap(self, other: Box) -> float:
        """Area shared by two boxes (0 when apart or merely touching)."""
        w = min(self.right, other.right) - max(self.left, other.left)
        h = min(self.top, other.top) - max(self.bottom, other.bottom)
        return max(0.0, w) * max(0.0, h)


SAFE = Box(
    -FRAME_WIDTH / 2 + SAFE_MARGIN,
    FRAME_WIDTH / 2 - SAFE_MARGIN,
    -FRAME_HEIGHT / 2 + SAFE_MARGIN,
    FRAME_HEIGHT / 2 - SAFE_MARGIN,
)
CAPTION = Box(SAFE.left, SAFE.right, SAFE.bottom, -2.55)
CONTENT = Box(SAFE.left, SAFE.right, -2.45, SAFE.top)
# Two-column layout used by most lessons: a graph on the left, formulas on the right.
LEFT = Box(SAFE.left, -0.3, CONTENT.bottom, CONTENT.top)
RIGHT = Box(0.0, SAFE.right, CONTENT.bottom, CONTENT.top)
# Formulas above a full-width diagram.
TOP = Box(SAFE.left, SAFE.right, 1.3, CONTENT.top)
BELOW_TOP = Box(SAFE.left, SAFE.right, CONTENT.bottom, 1.2)

CAPTION_CHARS_PER_LINE = 72
