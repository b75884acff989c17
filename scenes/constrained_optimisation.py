"""Scene for ``constrained-optimisation`` (module 5)::

manim -ql scenes/constrained_optimisation.py ConstrainedOptimisation
"""

from __future__ import annotations

from mfml_anim.lessons.constrained_optimisation import LESSON
from scenes._lagrange import ConstraintScene


class ConstrainedOptimisation(ConstraintScene):
    """Every solution of ∇f = λ∇g on g = 0 marked and classified (all screens: ConstraintScene)."""

    lesson = LESSON
