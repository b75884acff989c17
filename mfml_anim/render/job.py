"""A render job and its cache key.

Manim's ``config`` is a process-wide singleton, so every job is rendered in a process of its own
(:mod:`mfml_anim.render.worker`). The job is plain JSON so it can cross that process boundary (or
a Dask cluster) unchanged.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mfml_anim.errors import UserError
from mfml_anim.paths import PACKAGE, ROOT

if TYPE_CHECKING:
    from mfml_anim.lessons import Lesson


QUALITIES: dict[str, tuple[str, int, int, int]] = {
    "l": ("low_quality", 854, 480, 15),
    "m": ("medium_quality", 1280, 720, 30),
    "h": ("high_quality", 1920, 1080, 60),
    "k": ("fourk_quality", 3840, 2160, 60),
}
FORMATS = ("mp4", "webm", "gif", "png", "mov")
THEMES = ("dark", "light")
# A GIF is for a web page or a slide: by default smaller and slower than the video of the same
# quality (a GIF stores every pixel of every changed rectangle, with no motion compensation), at a
# frame rate whose frame time is a whole number of centiseconds (GIF delays are in 1/100 s).
GIF_FRAMES: dict[str, tuple[int, int, int]] = {
    "l": (480, 270, 10),
    "m": (640, 360, 10),
    "h": (854, 480, 20),
    "k": (1280, 720, 25),
}
GIF_MAX_FPS = 50  # browsers play delays under 2 cs as 10 cs
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True)
class RenderJob:
    lesson: str
    params: dict[str, Any]
    quality: str = "l"
    fmt: str = "mp4"
    out_dir: str = "media/lessons"
    captions: bool = True
    transparent: bool = False
    theme: str = "dark"
    size: tuple[int, int] | None = None  # overrides the quality's frame size (e.g. small smoke renders)
    fps: int | None = None
    scene: str = ""  # "scenes.chain_rule:ChainRule"
    sources: tuple[str, ...] = field(default=())
    stills: bool = False  # also one PNG per storyboard step (its final state)
    sections: bool = False  # also one clip per storyboard step (Manim's sections), in <stem>-sections/
    name: str = ""  # file stem in OUT/<lesson>/; "" = the lesson slug (see output_name)
    voice: str = ""  # spoken narration, "engine:voice" (mfml_anim.voice.parse_spec); "" = silent

    def __post_init__(self) -> None:
        if self.quality not in QUALITIES:
            raise UserError(f"-q: '{self.quality}' is not a quality (allowed: {', '.join(QUALITIES)})")
        if self.fmt not in FORMATS:
            raise UserError(f"--format: '{self.fmt}' is not a format (allowed: {', '.join(FORMATS)})")
        if self.theme not in THEMES:
            raise UserError(f"--theme: '{self.theme}' is not a theme (allowed: {', '.join(THEMES)})")
        self._check_output()

    def _check_output(self) -> None:
        """The options that must agree with the format and the frame (one refusal line each)."""
        if self.transparent and self.fmt not in ("mov", "webm", "png"):
            raise UserError("--transparent needs --format mov, webm or png (mp4 and gif have no alpha)")
        if self.size is not None and not all(16 <= v <= 7680 and v % 2 == 0 for v in self.size):
            raise UserError("--size: width and height must be even numbers between 16 and 7680")
        if self.fps is not None and not 1 <= self.fps <= 120:
            raise UserError("--fps: must be between 1 and 120")
        if self.fmt == "gif" and self.fps is not None and self.fps > GIF_MAX_FPS:
            raise UserError(
                f"--fps: a GIF plays at most {GIF_MAX_FPS} fps (its delays are in 1/100 s and "
                "browsers slow down shorter ones)"
            )
        if self.sections and self.fmt not in ("mp4", "webm", "mov"):
            raise UserError(f"--sections needs a video format (mp4, webm or mov), not {self.fmt}")
        if self.voice and self.fmt not in ("mp4", "webm", "mov"):
            raise UserError(f"--voice needs a video format with sound (mp4, webm or mov), not {self.fmt}")
        if self.name and not NAME_RE.fullmatch(self.name):
            raise UserError(
                f"--name: '{self.name[:40]}' is not a file stem (letters, digits, '.', '_', '-'; "
                "at most 100; no leading dot)"
            )

    @property
    def frame(self) -> tuple[int, int, int]:
        """Width, height and frame rate: the quality's (a GIF's own defaults for GIFs), overridden by
        ``size``/``fps``."""
        w, h, fps = default_frame(self.fmt, self.quality)
        if self.size is not None:
            w, h = self.size
        return w, h, self.fps or fps

    @property
    def stem(self) -> str:
        return self.name or self.lesson

    @property
    def stills_dir(self) -> str:
        """Folder (in the lesson dir) of the per-step stills; a GIF's frames are smaller than the
        video's of the same stem, so its stills get a folder of their own."""
        return f"{self.stem}-{'gif-' if self.fmt == 'gif' else ''}stills"

    @property
    def sections_dir(self) -> str:
        """Folder (in the lesson dir) of the per-step clips; the format is their extension, so an
        mp4 and a webm of the same stem share it without clashing."""
        return f"{self.stem}-sections"

    @property
    def lesson_dir(self) -> Path:
        return Path(self.out_dir) / self.lesson

    @property
    def video_name(self) -> str:
        return f"{self.stem}.{self.fmt}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> RenderJob:
        d = json.loads(text)
        if d.get("size") is not None:
            d["size"] = tuple(d["size"])
        d["sources"] = tuple(d.get("sources", ()))
        return cls(**d)

    def key(self) -> str:
        """Hash of everything that changes the pixels: sources, params, quality, format, theme, flags."""
        h = hashlib.sha256()
        for rel in sorted(self.sources):
            p = ROOT / rel
            h.update(rel.encode())
            h.update(read_source(p) if p.exists() else b"<missing>")
        spec = {k: v for k, v in asdict(self).items() if k not in ("out_dir", "sources")}
        h.update(json.dumps(spec, sort_keys=True, default=str).encode())
        for name, path in sorted(input_files(self.params).items()):
            h.update(f"input {name}".encode())
            h.update(path.read_bytes())
        try:
            from importlib.metadata import version

            h.update(version("manim").encode())
        except Exception:  # noqa: BLE001 - the version only refines the key
            pass
        if self.voice:  # another espeak-ng or Piper speaks differently, so it times the steps differently
            from mfml_anim.voice import engine_version

            h.update(engine_version(self.voice.split(":")[0]).encode())
        return h.hexdigest()[:32]


def input_files(params: dict[str, Any]) -> dict[str, Path]:
    """Data files a lesson reads (``--set data=path.csv`` or a bundled data set's name), by parameter:
    their *content* enters the cache key, so editing a CSV in place renders again."""
    from mfml_anim.math.data import BUNDLED, bundled_dataset

    found: dict[str, Path] = {}
    for name, value in params.items():
        if not isinstance(value, str) or "\n" in value or len(value) > 4096:
            continue
        path = Path(value)
        if path.suffix.lower() == ".csv" and path.is_file():
            found[name] = path
        elif value in BUNDLED:
            found[name] = bundled_dataset(value)
    return found


# Packages whose files are project sources (their edits must re-render); everything else imported
# (manim, sympy, numpy) is covered by its version or not at all.
PROJECT_PACKAGES = ("mfml_anim", "scenes")
# The process that renders a job imports the lesson and its scene through this module, so its own
# imports (job settings, theme selection, TeX setup) are part of every key.
WORKER_MODULE = "mfml_anim.render.worker"


def read_source(path: Path) -> bytes:
    """The bytes of a source file (one reader for the closure and the key, so tests can replace it)."""
    return path.read_bytes()


def module_file(name: str, root: Path | None = None) -> Path | None:
    """The file of project module ``name`` (a package's ``__init__.py``), None outside the project."""
    if name.split(".")[0] not in PROJECT_PACKAGES:
        return None
    base = (root or ROOT).joinpath(*name.split("."))
    for p in (base.with_suffix(".py"), base / "__init__.py"):
        if p.is_file():
            return p
    return None


def _prefixes(name: str) -> list[str]:
    """``a.b.c`` -> ``a``, ``a.b``, ``a.b.c``: importing a module runs every parent package first."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


@functools.lru_cache(maxsize=4096)  # keyed by the file's bytes: an edited file is parsed again
def imported_names(source: bytes, module: str, is_package: bool) -> frozenset[str]:
    """Every module name an ``import``/``from ... import`` in ``source`` may load, anywhere in the file
    (function-level imports too), relative imports resolved against ``module``. ``from pkg import x``
    yields both ``pkg`` and ``pkg.x`` since ``x`` may be a submodule."""
    package = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(up + ([node.module] if node.module else []))
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names if a.name != "*")
    return frozenset(p for n in names if n for p in _prefixes(n))


def import_closure(modules: list[str], root: Path | None = None) -> dict[str, Path]:
    """The project modules ``modules`` import, transitively (themselves included): name -> file.

    Static (``ast``), so it runs without Manim and sees imports inside functions; modules loaded by
    a computed name (``importlib.import_module(f"...{name}")``) are not followed, which is what
    keeps one lesson's closure free of the other lessons the registry loads by name."""
    found: dict[str, Path] = {}
    todo = [p for m in modules for p in _prefixes(m)]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        path = module_file(name, root)
        if path is None:
            continue
        found[name] = path
        todo.extend(imported_names(read_source(path), name, path.name == "__init__.py"))
    return found


def _scene_module(scene: str) -> str:
    """``scenes.chain_rule:ChainRule``, ``scenes.chain_rule`` or ``scenes/chain_rule.py`` -> module name."""
    ref = scene.split(":")[0]
    return ref[:-3].replace("/", ".") if ref.endswith(".py") else ref


def default_frame(fmt: str, quality: str) -> tuple[int, int, int]:
    """Frame size and rate of ``quality`` for ``fmt`` when neither --size nor --fps is given."""
    if fmt == "gif":
        return GIF_FRAMES[quality]
    _, w, h, fps = QUALITIES[quality]
    return w, h, fps


def params_digest(params: dict[str, Any]) -> str:
    """Short, stable hash of parameter values (the file-name tag of non-default parameters)."""
    return hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:8]


def output_name(job: RenderJob, default_params: dict[str, Any]) -> str:
    """The file stem of ``job``'s output: the lesson slug for the defaults, else the slug plus one
    tag per setting that differs, so renders that differ never overwrite each other and the name
    says how: ``-p<hash>`` (parameters; the manifest lists them), ``-light``, ``-q<m|h|k>`` or
    ``-<W>x<H>-<N>fps`` (frame), ``-nocaptions``, ``-transparent``, ``-espeak``/``-piper`` (narrated;
    ``-espeak-en-gb`` for another voice). The format is the extension.

    ``chain-rule.mp4``; ``chain-rule-light.mp4``; ``chain-rule-p1f0c9a2e-qm.webm``."""
    tags: list[str] = []
    if job.params != default_params:
        tags.append("p" + params_digest(job.params))
    if job.theme != THEMES[0]:
        tags.append(job.theme)
    if job.frame != default_frame(job.fmt, job.quality):
        w, h, fps = job.frame
        tags.append(f"{w}x{h}-{fps}fps")
    elif job.quality != "l":
        tags.append(f"q{job.quality}")
    if not job.captions:
        tags.append("nocaptions")
    if job.transparent:
        tags.append("transparent")
    if job.voice:
        from mfml_anim.voice import parse_spec

        tags.append(parse_spec(job.voice).tag)
    return "-".join([job.lesson, *tags])


def source_files(lesson_module: str, scene_path: str, root: Path | None = None) -> tuple[str, ...]:
    """Files whose content decides a lesson's frames (relative to the repo root): the import closure,
    inside the project, of the lesson module (``"chain_rule"`` or a dotted name), its scene module
    (``scenes/chain_rule.py`` or ``scenes.chain_rule:ChainRule``) and the render worker."""
    lesson = lesson_module if "." in lesson_module else f"{PACKAGE.name}.lessons.{lesson_module}"
    entries = [lesson, _scene_module(scene_path), WORKER_MODULE]
    for name in entries:
        if module_file(name, root) is None:
            raise FileNotFoundError(f"no project module {name} (cannot compute the render's sources)")
    closure = import_closure(entries, root)
    base = root or ROOT
    return tuple(sorted(str(p.relative_to(base)) for p in closure.values()))


@dataclass(frozen=True)
class Listed:
    """A lesson as the catalog (:mod:`mfml_anim.catalog`) knows it: what a render job needs to name
    an output, compute its key and find it up to date, without importing the lesson (and sympy).
    Default parameters only: ``--set``/``--params`` need the real :class:`~mfml_anim.lessons.Lesson`
    to validate them."""

    slug: str
    scene: str
    scene_file: str
    defaults: dict[str, Any]
    sources: tuple[str, ...]

    def default_json(self) -> dict[str, Any]:
        return dict(self.defaults)


def lesson_sources(lesson: Lesson) -> tuple[str, ...]:
    """The files whose content decides ``lesson``'s frames (:func:`source_files` of its module and
    scene). Here, not on :class:`~mfml_anim.lessons.Lesson`: the import closure is the renderer's
    business, and the registry must not reach up into rendering for it."""
    from mfml_anim import lessons

    return source_files(lessons.module_of(lesson.slug), lesson.scene_file)


def job_for(lesson: Lesson | Listed, params: dict[str, Any] | None = None, **settings: Any) -> RenderJob:
    """The one way to build the job that renders ``lesson`` with ``params`` (None: its defaults) and
    ``settings`` (RenderJob fields): its scene and sources filled in and its file stem named by
    :func:`output_name` unless ``name`` is given. ``mfml render``, the slide decks and the course
    site all build their jobs here, so the same settings always give the same key and file name.

    A :class:`Listed` (the catalog's stand-in) brings its sources with it; a real lesson's are
    computed from the files."""
    defaults = lesson.default_json()
    sources = lesson.sources if isinstance(lesson, Listed) else lesson_sources(lesson)
    job = RenderJob(
        lesson=lesson.slug,
        params=defaults if params is None else params,
        scene=lesson.scene,
        sources=sources,
        **settings,
    )
    return job if job.name else replace(job, name=output_name(job, defaults))
