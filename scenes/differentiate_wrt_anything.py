"""Scene for ``differentiate-wrt-anything`` (module 2).

The graph screens of :class:`GraphScene` draw every step::

manim -ql scenes/differentiate_wrt_anything.py DifferentiateWrtAnything
"""

from __future__ import annotations

from mfml_anim.lessons.differentiate_wrt_anything import LESSON
from mfml_anim.visual.sequences import GraphScene


class DifferentiateWrtAnything(GraphScene):
    lesson = LESSON
