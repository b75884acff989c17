"""GIF encoding with one global palette and exact timing (no Manim import; used by the worker).

Why not Manim's/ffmpeg's GIF: a 37-s lesson came out at 74 MB (a palette per frame, full frames) and
played too slowly, because GIF delays are whole centiseconds and 1/15 s was rounded up to 7 cs on
every frame. Here:

* frames are collected as they are rendered, runs of identical frames merged (a lesson is mostly
  still: captions being read, waits), and kept zlib-compressed in memory;
* one palette is built from frames sampled over the whole lesson, and every frame is mapped to it
  without dithering (flat colours stay flat, so Pillow's frame differencing stores only the
  rectangle that changed);
* each frame's delay is the difference of its rounded start and end times, so rounding never
  accumulates: the delays add up to the lesson's length (to 1 cs) at any frame rate.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

# Browsers play a delay of 0 or 1 cs as 10 cs, so a GIF above 50 fps would play slowly.
MAX_GIF_FPS = 50
PALETTE_SAMPLES = 24


def delays_cs(counts: Sequence[int], fps: float) -> list[int]:
    """Delay in centiseconds of each run of ``counts[i]`` identical frames at ``fps``.

    Run ``i`` starts at frame ``sum(counts[:i])``; its delay is ``round(end*100/fps) -
    round(start*100/fps)``, so the delays sum to the rounded total length whatever ``fps`` is
    (15 fps gives 7, 7, 6, 7, 7, 6, ... instead of 7 cs for every frame)."""
    out: list[int] = []
    start = 0
    for c in counts:
        end = start + c
        out.append(round(end * 100 / fps) - round(start * 100 / fps))
        start = end
    return out


@dataclass
class GifCollector:
    """Receives RGB(A) frames as Manim renders them; :meth:`write` encodes the GIF at the end."""

    fps: float
    _frames: list[bytes] = field(default_factory=list)  # zlib-compressed RGB bytes
    _counts: list[int] = field(default_factory=list)
    _last: np.ndarray | None = None
    _shape: tuple[int, int] | None = None

    def add(self, frame: np.ndarray, repeat: int = 1) -> None:
        """Append ``repeat`` copies of ``frame`` (H x W x 3 or 4, uint8); alpha is dropped."""
        if repeat <= 0:
            return
        rgb = np.ascontiguousarray(frame[..., :3])
        if self._last is not None and np.array_equal(rgb, self._last):
            self._counts[-1] += repeat
            return
        self._shape = (rgb.shape[0], rgb.shape[1])
        self._frames.append(zlib.compress(rgb.tobytes(), 1))
        self._counts.append(repeat)
        self._last = rgb

    @property
    def frame_count(self) -> int:
        """Frames rendered (the video's frame count at ``fps``), not distinct GIF frames."""
        return sum(self._counts)

    def _image(self, i: int):  # noqa: ANN202 - PIL.Image.Image, imported lazily
        from PIL import Image

        assert self._shape is not None
        h, w = self._shape
        arr = np.frombuffer(zlib.decompress(self._frames[i]), dtype=np.uint8).reshape(h, w, 3)
        return Image.fromarray(arr, "RGB")

    def palette(self):  # noqa: ANN201 - PIL.Image.Image in mode P
        """One palette for the whole GIF, from frames sampled evenly over its length (weighted by
        how long each is shown, so a screen held for seconds counts more than a passing one)."""
        from PIL import Image

        n = len(self._frames)
        total = self.frame_count
        picks = sorted(
            {
                min(n - 1, self._index_at(round(k * (total - 1) / max(1, PALETTE_SAMPLES - 1))))
                for k in range(PALETTE_SAMPLES)
            }
        )
        tiles = [self._image(i) for i in picks]
        w, h = tiles[0].size
        mosaic = Image.new("RGB", (w, h * len(tiles)))
        for k, t in enumerate(tiles):
            mosaic.paste(t, (0, k * h))
        return mosaic.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)

    def _index_at(self, frame_no: int) -> int:
        """The stored (distinct) frame shown at rendered frame number ``frame_no``."""
        acc = 0
        for i, c in enumerate(self._counts):
            acc += c
            if frame_no < acc:
                return i
        return len(self._counts) - 1

    def write(self, path: Path) -> dict[str, float | int]:
        """Encode to ``path``; returns its length (s) and its number of stored frames."""
        from PIL import Image

        if not self._frames:
            raise ValueError("no frames to write")
        pal = self.palette()
        delays = delays_cs(self._counts, self.fps)
        # A run whose start and end round to the same centisecond is never on screen; dropping it
        # loses no time, since the delays are differences of rounded times.
        keep = [i for i, d in enumerate(delays) if d > 0]
        frames = (self._image(i).quantize(palette=pal, dither=Image.Dither.NONE) for i in keep[1:])
        first = self._image(keep[0]).quantize(palette=pal, dither=Image.Dither.NONE)
        first.save(
            path,
            save_all=True,
            append_images=frames,
            duration=[10 * delays[i] for i in keep],
            loop=0,
            optimize=False,
            disposal=1,
        )
        return {"gif_seconds": sum(delays) / 100, "gif_frames": len(keep)}
