"""render/speedups.py: the same points as Manim's own code, and copies without the parsed SVG."""

from __future__ import annotations

import numpy as np
import pytest

manim = pytest.importorskip("manim")

from manim import MathTex, Text  # noqa: E402
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath  # noqa: E402

from mfml_anim.render import speedups  # noqa: E402


def _points(m: object) -> list[np.ndarray]:
    return [f.points for f in m.get_family()]  # type: ignore[attr-defined]  # a Manim/rich object typed loosely


def test_glyphs_drop_their_parsed_path_and_keep_every_point(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    monkeypatch.setitem(manim.config, "text_dir", str(tmp_path))
    speedups.install()
    speedups.install()  # idempotent: wrapping twice would still work, but once is the contract
    lean = Text("Caption: the rate of change\nof u·v", font_size=24)
    glyphs = [f for f in lean.get_family() if isinstance(f, VMobjectFromSVGPath)]
    assert glyphs and all(g.path_obj is None for g in glyphs)
    copied = lean.copy()
    with monkeypatch.context() as m:
        m.setattr(VMobjectFromSVGPath, "generate_points", speedups.ORIGINAL["generate_points"])
        full = Text("Caption: the rate of change\nof u·v", font_size=24)
    assert any(f.path_obj is not None for f in full.get_family() if isinstance(f, VMobjectFromSVGPath))
    for a, b, c in zip(_points(lean), _points(full), _points(copied), strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)


@pytest.mark.render
def test_tex_glyphs_too(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setitem(manim.config, "tex_dir", str(tmp_path))
    speedups.install()
    tex = MathTex(r"\frac{d}{dx}(uv) = u'v + uv'")
    glyphs = [f for f in tex.get_family() if isinstance(f, VMobjectFromSVGPath)]
    assert glyphs and all(g.path_obj is None for g in glyphs) and all(len(g.points) for g in glyphs)
