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
# The subject beside a formula panel. The subject (plot, map, diagram, surface, network) is what a
# viewer looks at, so it takes most of the content area: by default SUBJECT_SHARE of the width and
# the full content height; the panel on the right holds the step's formulas. A panel sized to what
# it holds (:func:`beside`) lets the subject grow further when the formulas are narrow.
GAP = 0.3  # between the subject and the panel
PANEL_PAD = 0.2  # each side of the widest formula in a panel
MIN_PANEL = 4.2  # narrowest panel: a formula line at formula size, with room for a short readout
MAX_PANEL = 0.5 * CONTENT.width  # the widest panel whose formulas keep their full size
WIDEST_PANEL = 0.64 * CONTENT.width  # a longer formula (an unbreakable fraction) may take this much
READABLE_SHRINK = 0.8  # ... written this much smaller: font 32 of 40, above the 13 px digit floor
SUBJECT_SHARE = 0.56


def beside(panel_width: float) -> tuple[Box, Box]:
    """(subject, panel) across the content area, the panel on the right ``panel_width`` wide (plus
    padding, at least MIN_PANEL) and the subject taking the rest of the width. Formulas wider than
    MAX_PANEL get a panel READABLE_SHRINK of their width, up to WIDEST_PANEL, never squeezed below
    the readable size for the sake of the subject."""
    w = panel_width + 2 * PANEL_PAD
    if w > MAX_PANEL:
        w = max(MAX_PANEL, min(WIDEST_PANEL, READABLE_SHRINK * w))
    w = max(w, MIN_PANEL)
    panel = Box(CONTENT.right - w, CONTENT.right, CONTENT.bottom, CONTENT.top)
    return Box(CONTENT.left, panel.left - GAP, CONTENT.bottom, CONTENT.top), panel


def panel_right_of(subject: Box) -> Box:
    """The formula panel beside a subject already drawn in ``subject``: the rest of the width."""
    return Box(
        min(subject.right + GAP, CONTENT.right - MIN_PANEL), CONTENT.right, CONTENT.bottom, CONTENT.top
    )


# The default split used by most lessons: the subject on the left, formulas on the right.
LEFT, RIGHT = beside(CONTENT.width * (1 - SUBJECT_SHARE) - GAP - 2 * PANEL_PAD)
# A subject drawn with equal scales on both axes (a contour or heat map, the product rule's
# rectangle): the content height sets its size, so a wider column would only leave a gap; its panel
# takes the rest of the width.
MAP = Box(CONTENT.left, CONTENT.left + 7.0, CONTENT.bottom, CONTENT.top)
MAP_PANEL = panel_right_of(MAP)
# Two subjects side by side (the data and the χ² map): half the width each.
HALF_LEFT = Box(CONTENT.left, -GAP / 2, CONTENT.bottom, CONTENT.top)
HALF_RIGHT = Box(GAP / 2, CONTENT.right, CONTENT.bottom, CONTENT.top)
# Formulas above a full-width diagram.
TOP = Box(SAFE.left, SAFE.right, 1.3, CONTENT.top)
BELOW_TOP = Box(SAFE.left, SAFE.right, CONTENT.bottom, 1.2)

CAPTION_CHARS_PER_LINE = 72
