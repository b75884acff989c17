"""A TeX cache shared by every render process that a killed process cannot tear.

Manim's own ``tex_to_svg_file`` writes ``<hash>.tex``, ``.dvi`` and ``.svg`` in place inside the
shared tex dir and trusts any file that exists: a render killed while latex or dvisvgm was writing
leaves a partial ``.dvi``/``.svg`` that the next process reads ("no element found", "does not
support converting .dvi files to SVG"). Its clean-up step also deletes every non-``.svg`` file in
the shared dir, including other processes' half-compiled output and lock files.

Here each formula is compiled in a private temporary folder and only the finished, parsed-and-
checked ``.svg`` enters the shared cache, by an atomic ``os.replace``; nothing else is ever written
there. A cached file that does not parse (left by an older version, a full disk or a copy from
another machine) is deleted and compiled again once, with a one-line warning; only a second
failure is an error, and it names the formula. A per-formula lock avoids compiling the same
formula twice at once; correctness never depends on it (the rename is what makes it safe), so the
cache may sit on shared storage used by several machines.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from mfml_anim.render.filelock import file_lock

BUILD_PREFIX = ".build-"
STALE_BUILD_SECONDS = 3600.0


class TexCompileError(ValueError):
    """A formula that latex or dvisvgm could not turn into an SVG (twice)."""


_state: dict[str, Path] = {}


def usable_svg(path: Path) -> bool:
    """True when ``path`` is a complete SVG document (a torn write fails to parse)."""
    try:
        if path.stat().st_size == 0:
            return False
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return False
    return root.tag.endswith("svg")


def _warn(message: str) -> None:
    print(f"mfml: warning: {message}", file=sys.stderr, flush=True)


def _compile_in(build: Path, name: str, code: str, template: Any) -> Path:
    """latex + dvisvgm inside ``build`` with Manim's own commands; the checked SVG's path."""
    from manim.utils.tex_file_writing import make_tex_compilation_command

    tex_file = build / f"{name}.tex"
    tex_file.write_text(code, encoding="utf-8")
    fmt = template.output_format
    compilers = [template.tex_compiler] if isinstance(template.tex_compiler, str) else template.tex_compiler
    for compiler in compilers:
        cmd = make_tex_compilation_command(compiler, fmt, tex_file, build)
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=build)
        if done.returncode != 0:
            log = tex_file.with_suffix(".log")
            errors = (
                [ln.strip() for ln in log.read_text(errors="replace").splitlines() if ln.startswith("!")]
                if log.exists()
                else ["no log file: is LaTeX installed? (mfml doctor)"]
            )
            raise TexCompileError(f"{compiler} failed: {'; '.join(errors[:2]) or 'see its log'}")
    dvi = tex_file.with_suffix(fmt)
    svg = tex_file.with_suffix(".svg")
    cmd = [
        "dvisvgm",
        *(["--pdf"] if fmt == ".pdf" else []),
        "--page=1",
        "--no-fonts",
        "--verbosity=0",
        f"--output={svg.as_posix()}",
        dvi.as_posix(),
    ]
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=build)
    if not usable_svg(svg):
        raise TexCompileError(f"dvisvgm did not produce an SVG from {dvi.name}")
    return svg


def compile_into_cache(cache: Path, code: str, template: Any, expression: str) -> Path:
    """The cached SVG of a complete TeX document, compiling it (atomically) if needed."""
    from manim.utils.tex_file_writing import tex_hash

    name = tex_hash(code)
    final = cache / f"{name}.svg"
    if usable_svg(final):
        return final
    with file_lock(cache / ".locks" / f"{name}.lock"):
        if usable_svg(final):  # compiled by another process while we waited
            return final
        if final.exists():
            _warn(f"TeX cache: damaged {final.name} for '{expression[:60]}', compiling it again")
            with contextlib.suppress(OSError):
                final.unlink()
        last: TexCompileError | None = None
        for _attempt in range(2):
            build = Path(tempfile.mkdtemp(prefix=BUILD_PREFIX, dir=cache))
            try:
                svg = _compile_in(build, name, code, template)
                os.replace(svg, final)
                return final
            except TexCompileError as exc:
                last = exc
            finally:
                shutil.rmtree(build, ignore_errors=True)
        shown = re.sub(r"\\special\{dvisvgm:raw[^}]*\}", "", expression).strip()
        raise TexCompileError(f"cannot typeset '{shown[:80]}': {last}")


def private_copy(svg: Path) -> Path:
    """A copy of a cached SVG in this process's own folder.

    Manim's SVG parser writes ``<name>_.svg`` next to the file it reads and deletes it afterwards:
    two processes reading the same cached formula at once would delete each other's file. Reading
    from a private copy keeps the shared cache read-only for everyone but the atomic rename.
    """
    if "private" not in _state:
        _state["private"] = Path(tempfile.mkdtemp(prefix="mfml-tex-"))
        atexit.register(shutil.rmtree, _state["private"], True)
    dest = _state["private"] / svg.name
    if not dest.exists():
        shutil.copyfile(svg, dest)
    return dest


def remove_stale_builds(cache: Path, older_than: float = STALE_BUILD_SECONDS) -> None:
    """Build folders of processes that were killed (SIGKILL leaves no chance to clean up)."""
    now = time.time()
    for d in cache.glob(f"{BUILD_PREFIX}*"):
        with contextlib.suppress(OSError):
            if now - d.stat().st_mtime > older_than:
                shutil.rmtree(d, ignore_errors=True)


def install(tex_dir: Path) -> None:
    """Route every Tex/MathTex of this process through the atomic cache in ``tex_dir``."""
    from manim import config
    from manim.mobject.text import tex_mobject

    tex_dir.mkdir(parents=True, exist_ok=True)
    first = "tex_dir" not in _state
    _state["tex_dir"] = tex_dir
    if first:
        remove_stale_builds(tex_dir)
    if getattr(tex_mobject.tex_to_svg_file, "_mfml_atomic", False):
        return

    def tex_to_svg_file(expression: str, environment: str | None = None, tex_template: Any = None) -> Path:
        template = tex_template if tex_template is not None else config["tex_template"]
        if environment is not None:
            code = template.get_texcode_for_expression_in_env(expression, environment)
        else:
            code = template.get_texcode_for_expression(expression)
        return private_copy(compile_into_cache(_state["tex_dir"], code, template, expression))

    tex_to_svg_file._mfml_atomic = True  # type: ignore[attr-defined]  # a deliberate patch of Manim (see the module docstring)
    tex_mobject.tex_to_svg_file = tex_to_svg_file
