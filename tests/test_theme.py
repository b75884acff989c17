"""Contrast is computed, not eyeballed: every text role >= 7:1, graphics >= 3:1, in both themes."""

import math
import re
from pathlib import Path

import pytest

from mfml_anim.visual.theme import (
    GRAPHIC_MIN_CONTRAST,
    ROLES,
    SHOWN_TOGETHER,
    TEXT_MIN_CONTRAST,
    THEMES,
    Theme,
    contrast_ratio,
    relative_luminance,
)

ROOT = Path(__file__).resolve().parents[1]


def test_wcag_reference_values() -> None:
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert relative_luminance("#000000") == pytest.approx(0.0)
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES.keys())
@pytest.mark.parametrize("role", Theme.TEXT_ROLES)
def test_text_roles_reach_7_to_1(theme: Theme, role: str) -> None:
    ratio = contrast_ratio(getattr(theme, role), theme.background)
    assert ratio >= TEXT_MIN_CONTRAST, f"{theme.name}.{role} is {ratio:.2f}:1"
    # the panel behind captions is a background too
    assert contrast_ratio(getattr(theme, role), theme.panel) >= TEXT_MIN_CONTRAST - 0.8


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES.keys())
@pytest.mark.parametrize("role", Theme.GRAPHIC_ROLES)
def test_graphic_roles_reach_3_to_1(theme: Theme, role: str) -> None:
    assert contrast_ratio(getattr(theme, role), theme.background) >= GRAPHIC_MIN_CONTRAST


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES.keys())
def test_series_colours_are_distinct(theme: Theme) -> None:
    assert len(set(theme.series)) == len(theme.series)


def test_no_colour_literal_outside_theme() -> None:
    pattern = re.compile(r"['\"]#[0-9a-fA-F]{6}['\"]")
    offenders = [
        str(p.relative_to(ROOT))
        for d in ("mfml_anim", "scenes")
        for p in (ROOT / d).rglob("*.py")
        if p.name != "theme.py" and pattern.search(p.read_text())
    ]
    assert offenders == []


def _lab(hex_colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour: the distance between two is roughly how different they look."""
    h = hex_colour.lstrip("#")
    rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    xyz = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _delta_e(a: str, b: str) -> float:
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b), strict=True)) ** 0.5


def test_every_role_is_a_theme_colour_with_a_meaning() -> None:
    for name, role in ROLES.items():
        assert role.slot in Theme.TEXT_ROLES, f"role {name} -> {role.slot} is not a text colour"
        assert role.meaning
    with pytest.raises(KeyError, match="roles:"):
        THEMES["dark"].role("gradiant")


def _look_different(a: str, b: str) -> bool:
    """Told apart at a glance: a different hue (35° or more in CIELAB), a different lightness (15 or
    more), or one of them grey. Dark vermillion and orange are 39 apart in ΔE but 31° in hue at one
    lightness: the review saw both as orange."""
    la, lb = _lab(a), _lab(b)
    chroma = [math.hypot(c[1], c[2]) for c in (la, lb)]
    if min(chroma) < 10:
        return abs(la[0] - lb[0]) >= 15 or max(chroma) >= 10
    hue = abs(math.degrees(math.atan2(la[2], la[1]) - math.atan2(lb[2], lb[1]))) % 360
    return min(hue, 360 - hue) >= 35 or abs(la[0] - lb[0]) >= 15


@pytest.mark.parametrize("where", SHOWN_TOGETHER)
def test_roles_on_one_screen_look_different(where: str) -> None:
    """Issue 18 part 7: orange was both the approximation and the 'no series' wall, yellow both the
    expansion point and the ε contour. Roles that meet on one screen look different in the default
    (dark) theme; in the light theme (darkened Okabe–Ito, where highlight and tertiary are both
    purples) they are at least distinct colours 20 apart in CIELAB."""
    names = SHOWN_TOGETHER[where]
    assert all(n in ROLES for n in names)
    dark, light = THEMES["dark"], THEMES["light"]
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert _look_different(dark.role(a), dark.role(b)), f"{where}: {a} and {b} look alike"
            assert _delta_e(light.role(a), light.role(b)) >= 20, f"{where}: {a} and {b} (light)"


def test_the_named_clashes_are_gone() -> None:
    t = THEMES["dark"]
    assert t.role("gradient") == t.derivative  # ∇f: orange in both Lagrange lessons
    assert t.role("limit") != t.role("expansion_point")  # ε contour vs the expansion point
    assert _look_different(t.role("limit"), t.role("approximation"))  # 'no series' vs P_k
    assert not _look_different(t.negative, t.derivative)  # the old 'no series' colour: the check bites
