"""Scene for ``differentiation-examples`` (module 1).

The graph screens of :class:`GraphScene` draw every step::

manim -ql scenes/differentiation_examples.py DifferentiationExamples
"""

from __future__ import annotations

from mfml_anim.lessons.differentiation_examples import LESSON
from mfml_anim.visual.sequences import GraphScene


class DifferentiationExamples(GraphScene):
    lesson = LESSON
