"""The one place colours and type sizes live.

Viewers of the course complained about purple text on blue and light letters on light blue, so
every colour here is chosen by computed WCAG contrast against the background: text roles reach
7:1, graphics 3:1 (``tests/test_theme.py`` checks both). Hues come from the Okabe–Ito
colour-blind-safe palette (lightened or darkened per theme to reach the ratios), and each colour
has one meaning across the whole course, always doubled by a label or line style.

This module does not import Manim: colours are hex strings that Manim accepts directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

TEXT_MIN_CONTRAST = 7.0
GRAPHIC_MIN_CONTRAST = 3.0


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    # text roles (>= 7:1): also used for graphics of the same meaning
    text: str
    muted: str
    function: str  # the function being studied, f
    derivative: str  # its derivative, tangent lines, gradients
    highlight: str  # the term being explained right now
    secondary: str  # a second function (g, the inner function, the constraint)
    negative: str  # errors, residuals, "wrong" versions
    tertiary: str  # a third series (e.g. third Taylor order, third strategy)
    # graphics only (>= 3:1)
    axes: str
    # large areas (no contrast requirement, but must not hide graphics drawn on top)
    panel: str
    heat: tuple[str, ...]  # sequential, colour-blind safe (viridis stops), low -> high
    # type sizes (Manim font_size units). TeX (MathTex, Tex, DecimalNumber: every number on screen) and
    # Pango (Text) differ: at one font size Pango's digits are about 1.45 times as tall as TeX's.
    title_size: int = 48
    body_size: int = 36
    formula_size: int = 40
    label_size: int = 30
    caption_size: int = 28
    # The readability floor, in pixels of digit height at 854x480 (``mfml lint`` fails any text below
    # it). Measured by rendering "0123456789" at 854x480: TeX digits are 10 px tall at font size 24
    # (the old floor, smudges in a video), 13 px at 30; Pango Text digits are 16 px at 24.
    min_digit_px: float = 13.0
    min_size: int = 30  # TeX: the smallest size whose digits reach min_digit_px (tick labels, levels)
    min_text_size: int = 24  # Pango Text: the same floor (16 px digits; 21 would already do)

    TEXT_ROLES = ("text", "muted", "function", "derivative", "highlight", "secondary", "negative", "tertiary")
    GRAPHIC_ROLES = ("axes",)

    def colours(self) -> dict[str, str]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if isinstance(getattr(self, f.name), str) and f.name != "name"
        }

    def role(self, name: str) -> str:
        """The colour of a role of :data:`ROLES` (``KeyError`` names the roles for a typo)."""
        try:
            return str(getattr(self, ROLES[name].slot))
        except KeyError:
            raise KeyError(f"no colour role {name!r}; roles: {', '.join(ROLES)}") from None

    @property
    def series(self) -> tuple[str, ...]:
        """Distinct colours for a sequence of curves (e.g. Taylor orders), each also labelled."""
        return (self.function, self.derivative, self.secondary, self.tertiary, self.highlight, self.negative)


@dataclass(frozen=True)
class Role:
    """What a colour means on screen: ``slot`` is the :class:`Theme` colour it is drawn in."""

    slot: str
    meaning: str


# The course's visual language: lessons colour things by what they *are* (``theme.role("gradient")``),
# never by palette name, so ∇f is one colour in every lesson. Roles sharing a slot are one idea
# (derivatives and the polynomials built from them; the constraint and its gradient); roles that
# meet on one screen must differ (:data:`SHOWN_TOGETHER`, checked by ``tests/test_theme.py``).
ROLES: dict[str, Role] = {
    "function": Role("function", "the function studied, f: its curve, surface, contours"),
    "gradient": Role("derivative", "∇f, f′: derivatives, tangents, slopes, gradient arrows"),
    "approximation": Role("derivative", "a Taylor polynomial or patch P_k, built from f's derivatives"),
    "expansion_point": Role("highlight", "the point a series is expanded about (a, p)"),
    "focus": Role("highlight", "the point, term or value the step is about right now"),
    "nudge": Role(
        "derivative", "a small change Δx and the change f′·Δx it causes (the chain rule's segments)"
    ),
    "constraint": Role("secondary", "the constraint g = 0 and its gradient ∇g"),
    "converges": Role("secondary", "where a series converges"),
    "guide": Role("secondary", "a construction line beside an approximation: a tangent guide"),
    "limit": Role("tertiary", "where an approximation stops: the 'no series' wall, the ε contour"),
    "parallel": Role("tertiary", "where ∇f ∥ ∇g (the Lagrange condition's curve)"),
    "neuron": Role("tertiary", "a neuron's output node"),
    "input": Role("secondary", "an input node of a network"),
    "positive_weight": Role("function", "a weight w > 0 (solid edge)"),
    "negative_weight": Role("negative", "a weight w < 0 (dashed edge)"),
    "error": Role("negative", "errors, residuals, 'wrong' versions"),
    "reference": Role("muted", "axes' names, legends, quiet reference lines"),
}

# Roles that appear on one screen somewhere in the course (lesson: roles), so must not share a colour.
SHOWN_TOGETHER: dict[str, tuple[str, ...]] = {
    "lagrange-multipliers / constrained-optimisation": (
        "function",
        "gradient",
        "constraint",
        "parallel",
        "focus",
    ),
    "power-series-details": ("function", "approximation", "expansion_point", "converges", "limit"),
    "Module 4 series with a guide": ("function", "approximation", "expansion_point", "guide"),
    "multivariate-taylor": ("function", "approximation", "expansion_point", "limit"),
    "neural-networks": ("input", "neuron", "positive_weight", "negative_weight", "focus"),
    "Module 4 series": ("function", "approximation", "expansion_point", "converges"),
}


VIRIDIS = ("#440154", "#3B528B", "#21918C", "#5DC863", "#FDE725")

DARK = Theme(
    name="dark",
    background="#111418",
    text="#F2F2F2",
    muted="#B8BCC4",
    function="#56B4E9",  # Okabe–Ito sky blue
    derivative="#E69F00",  # Okabe–Ito orange
    highlight="#F0E442",  # Okabe–Ito yellow
    secondary="#3FD0A0",  # Okabe–Ito bluish green, lightened
    negative="#FF8A5C",  # Okabe–Ito vermillion, lightened
    tertiary="#E8A3CB",  # Okabe–Ito reddish purple, lightened
    axes="#8C95A3",
    panel="#1E2329",
    heat=VIRIDIS,
)

LIGHT = Theme(
    name="light",
    background="#FFFFFF",
    text="#1A1A1A",
    muted="#4A4A4A",
    function="#005B8F",  # Okabe–Ito blue, darkened
    derivative="#8F3600",  # Okabe–Ito vermillion/orange, darkened
    highlight="#7A3E6A",  # Okabe–Ito reddish purple, darkened
    secondary="#006045",  # Okabe–Ito bluish green, darkened
    negative="#A1002A",
    tertiary="#4B3F99",
    axes="#6B7380",
    panel="#EEF0F3",
    heat=VIRIDIS,
)

THEMES = {"dark": DARK, "light": LIGHT}


def current() -> Theme:
    """The theme for this process: ``MFML_THEME`` (set by the renderer), dark by default."""
    return THEMES.get(os.environ.get("MFML_THEME", "dark"), DARK)


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB hex colour."""
    h = hex_colour.lstrip("#")
    if len(h) != 6:
        raise ValueError(f"not a #RRGGBB colour: {hex_colour}")
    rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours, from 1 to 21."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
