"""Scene for ``differentiate-some-functions`` (module 1).

The graph screens of :class:`Module1Scene` draw every step::

manim -ql scenes/differentiate_some_functions.py DifferentiateSomeFunctions
"""

from __future__ import annotations

from mfml_anim.lessons.differentiate_some_functions import LESSON
from scenes._derivatives import Module1Scene


class DifferentiateSomeFunctions(Module1Scene):
    lesson = LESSON
