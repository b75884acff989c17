"""How an output is described to a lecturer: ``37.2 s of gif, 480x270 @ 10 fps, 2.1 MB``.

Shared by ``mfml render``'s lines and the course site's download links; here, below both, so the
site (a library) never imports the command line for a formatter.
"""

from __future__ import annotations

from typing import Any


def human_size(n: int) -> str:
    """Bytes as a lecturer reads them: 940 KB, 3.2 MB."""
    if n < 1000 * 1000:
        return f"{max(1, round(n / 1000))} KB"
    return f"{n / 1e6:.1f} MB"


def describe_output(m: dict[str, Any]) -> str:
    """``37.2 s of gif, 480x270 @ 10 fps, 2.1 MB`` or ``last frame png, 854x480, 61 KB`` (+ stills)."""
    what = (
        f"last frame png, {m['width']}x{m['height']}"
        if m["format"] == "png"
        else f"{m['duration']:.1f} s of {m['format']}, {m['width']}x{m['height']} @ {m['fps']} fps"
    )
    text = f"{what}, {human_size(m.get('bytes', 0))}"
    if m.get("stills"):
        text += f", {len(m['stills'])} stills in {m['stills'][0].split('/')[0]}/"
    if m.get("sections"):
        text += f", {len(m['sections'])} step clips in {m['sections'][0]['file'].split('/')[0]}/"
    return text
