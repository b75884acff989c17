"""Scene for ``power-series-derivation`` (module 4). Render the default lesson with plain Manim:

manim -ql scenes/power_series_derivation.py PowerSeriesDerivation
"""

from __future__ import annotations

from mfml_anim.lessons.power_series_derivation import LESSON
from scenes._taylor_1d import SeriesScene


class PowerSeriesDerivation(SeriesScene):
    """Each derivative condition bends the dashed polynomial onto f at the point (SeriesScene)."""

    lesson = LESSON
