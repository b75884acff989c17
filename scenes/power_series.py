"""Scene for ``power-series`` (module 4). Render the default lesson with plain Manim:

manim -ql scenes/power_series.py PowerSeries
"""

from __future__ import annotations

from mfml_anim.lessons.power_series import LESSON
from scenes._taylor_1d import SeriesScene


class PowerSeries(SeriesScene):
    """f solid, the partial sums dashed, bending order by order (SeriesScene draws every screen)."""

    lesson = LESSON
