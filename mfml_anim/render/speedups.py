"""Patches to Manim that make a render cheaper without changing a pixel (installed by the worker).

Found with the benchmark's cProfile of a worker (bench/run.py, issue 14 item 4b), which put
``Mobject.copy`` (deep copies made by FadeIn/FadeOut/Transform when an animation begins) above
frame drawing — cProfile inflates such call-heavy code; unprofiled, the fix saved about 6 % of a
small render's CPU, byte-identical output. Each glyph of a ``Text``/``MathTex`` is a ``VMobjectFromSVGPath``
that keeps the parsed ``svgelements`` path it was built from — hundreds of small Python objects per
glyph — and every copy deep-copies them: a two-line caption took 1.6 s to copy, 0.3 s without them.
Manim reads that path only once, in ``generate_points`` while the glyph is constructed (the Cairo
renderer never regenerates an SVG path's points), so it is dropped right after.
"""

from __future__ import annotations

from typing import Any

ORIGINAL: dict[str, Any] = {}  # Manim's own methods, for the tests' before/after comparison


def install() -> None:
    """Apply the patches once per process (idempotent)."""
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    if getattr(VMobjectFromSVGPath, "_mfml_drops_path", False):
        return
    build = ORIGINAL.setdefault("generate_points", VMobjectFromSVGPath.generate_points)

    def generate_points(self: Any) -> Any:
        out = build(self)
        self.path_obj = None  # points are built; the parsed path only made every copy slow
        return out

    VMobjectFromSVGPath.generate_points = generate_points  # type: ignore[method-assign]  # a deliberate patch of Manim (see the module docstring)
    VMobjectFromSVGPath._mfml_drops_path = True  # type: ignore[attr-defined]  # a deliberate patch of Manim (see the module docstring)
