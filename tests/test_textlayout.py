"""Text is laid out the same at every video size (a 256- or 480-px render rewrapped captions)."""

from __future__ import annotations

import tempfile
import textwrap

from manim import Text, tempconfig

from mfml_anim import lessons
from mfml_anim.visual import textlayout
from mfml_anim.visual.layout import CAPTION, CAPTION_CHARS_PER_LINE


def test_a_caption_has_one_shape_at_every_frame_size() -> None:
    textlayout.install()
    board = lessons.get("gradient-descent").storyboard()
    longest = max((s.narration for s in board.steps), key=len)
    text = "\n".join(textwrap.wrap(longest, CAPTION_CHARS_PER_LINE))
    shapes = set()
    for w, h in ((256, 144), (480, 270), (854, 480), (1920, 1080)):
        # a private text dir each time: Manim's own SVG cache would hide a difference
        with tempconfig({"pixel_width": w, "pixel_height": h, "text_dir": tempfile.mkdtemp()}):
            t = Text(text, font_size=28, line_spacing=0.8)
            shapes.add((round(t.width, 6), round(t.height, 6)))
    assert len(shapes) == 1, shapes
    ((width, height),) = shapes
    assert width <= CAPTION.width  # two lines, as wrapped, not three
    assert height < 1.0
