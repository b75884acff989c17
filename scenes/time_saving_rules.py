"""Scene for ``time-saving-rules`` (module 1).

The graph screens of :class:`GraphScene` draw every step::

    manim -ql scenes/time_saving_rules.py TimeSavingRules
"""

from __future__ import annotations

from mfml_anim.lessons.time_saving_rules import LESSON
from scenes._derivatives import Module1Scene


class TimeSavingRules(Module1Scene):
    lesson = LESSON
