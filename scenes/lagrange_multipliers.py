"""Scene for ``lagrange-multipliers`` (module 5)::

manim -ql scenes/lagrange_multipliers.py LagrangeMultipliers
"""

from __future__ import annotations

from mfml_anim.lessons.lagrange_multipliers import LESSON
from scenes._lagrange import ConstraintScene


class LagrangeMultipliers(ConstraintScene):
    """Contours rising to touch the constraint; ∇f and ∇g lining up there (all screens: ConstraintScene)."""

    lesson = LESSON
