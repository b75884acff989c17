"""Pango text laid out the same at every video size.

Manim's ``Text`` asks Pango to lay its string out on a canvas as wide as the *video* in pixels
(``config.pixel_width``), so a line that fits at 854 px wraps at 480 or 256 px: the same caption
became three lines in a GIF or a test render and was shrunk to fit its panel (about 20 pt instead of
28), and the lint of a 854-px dry run never saw it. Manim also caches the SVG under a hash that
leaves the canvas out. Here the canvas is fixed, so what a frame shows depends on the lesson, not on
the output size. (``MarkupText`` already uses a fixed canvas.)
"""

from __future__ import annotations

from typing import Any

# Wide enough that no single line of a lesson wraps (the -q h frame); Pango's height is irrelevant
# for layout but must hold every line.
CANVAS = (1920, 1080)


def install() -> None:
    """Replace ``Text._text2svg`` once per process with the fixed-canvas version (idempotent)."""
    import manimpango
    from manim import Text, config
    from manim.mobject.text.text_mobject import START_X, START_Y, TEXT2SVG_ADJUSTMENT_FACTOR

    if getattr(Text, "_mfml_fixed_canvas", False):
        return

    def _text2svg(self: Any, color: Any) -> str:
        size = self._font_size / TEXT2SVG_ADJUSTMENT_FACTOR
        line_spacing = self.line_spacing / TEXT2SVG_ADJUSTMENT_FACTOR
        dir_name = config.get_dir("text_dir")
        dir_name.mkdir(parents=True, exist_ok=True)
        file_name = dir_name / f"{self._text2hash(color)}-{CANVAS[0]}x{CANVAS[1]}.svg"
        if file_name.exists():
            return str(file_name.resolve())
        return manimpango.text2svg(
            self._text2settings(color),
            size,
            line_spacing,
            self.disable_ligatures,
            str(file_name.resolve()),
            START_X,
            START_Y,
            *CANVAS,
            self.text,
        )

    Text._text2svg = _text2svg  # type: ignore[method-assign]  # a deliberate patch of Manim (see the module docstring)
    Text._mfml_fixed_canvas = True  # type: ignore[attr-defined]  # a deliberate patch of Manim (see the module docstring)
