"""``mfml doctor``: check what rendering needs and print the exact command that fixes each problem.

``mfml render`` runs the quick checks first, so a missing LaTeX gives this message instead of a
Manim traceback halfway through a render.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

APT = "apt-get update && apt-get install -y"
MIN_FREE_BYTES = 500 * 1024 * 1024
TEX_FILES = (
    "standalone.cls",
    "preview.sty",
    "amsmath.sty",
    "amssymb.sty",
    "babel.sty",
    "english.ldf",
)  # manim's default template


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _which(cmd: str, pkg: str, what: str) -> Check:
    path = shutil.which(cmd)
    if path:
        return Check(cmd, True, f"{what}: {path}")
    return Check(cmd, False, f"{what}: '{cmd}' not found on PATH", f"{APT} {pkg}")


def _module(mod: str, what: str, fix: str) -> Check:
    ok = importlib.util.find_spec(mod) is not None
    return Check(mod, ok, f"{what}: {'importable' if ok else 'missing'}", "" if ok else fix)


def check_tex_packages() -> Check:
    """LaTeX classes/packages Manim's default template needs (kpsewhich finds them without compiling)."""
    kpse = shutil.which("kpsewhich")
    if not kpse:
        return Check("tex packages", False, "kpsewhich not found", f"{APT} texlive-latex-base")
    missing = []
    for f in TEX_FILES:
        r = subprocess.run([kpse, f], capture_output=True, text=True, timeout=20)
        if r.returncode != 0 or not r.stdout.strip():
            missing.append(f)
    if missing:
        return Check(
            "tex packages",
            False,
            f"missing {', '.join(missing)}",
            f"{APT} texlive-latex-extra texlive-fonts-recommended cm-super-minimal",
        )
    return Check("tex packages", True, f"found {', '.join(TEX_FILES)}")


def check_fonts() -> Check:
    fc = shutil.which("fc-list")
    if not fc:
        return Check("fonts", False, "fontconfig (fc-list) not found", f"{APT} fontconfig fonts-dejavu-core")
    r = subprocess.run([fc, ":", "family"], capture_output=True, text=True, timeout=20)
    n = len([x for x in r.stdout.splitlines() if x.strip()])
    if n == 0:
        return Check("fonts", False, "no fonts installed", f"{APT} fonts-dejavu-core")
    return Check("fonts", True, f"{n} font families")


def check_av() -> Check:
    try:
        import av

        codecs = av.codecs_available
        need = {"libx264", "libvpx-vp9", "gif"}
        miss = sorted(c for c in need if c not in codecs)
        if miss:
            return Check(
                "av",
                False,
                f"PyAV {av.__version__} lacks encoders {', '.join(miss)}",
                "pip install --force-reinstall av",
            )
        return Check("av", True, f"PyAV {av.__version__} with libx264, vp9, gif")
    except Exception as exc:  # noqa: BLE001 - any failure to import is the finding
        return Check("av", False, f"PyAV not usable: {exc}", "pip install av")


def check_disk(out: Path) -> Check:
    p = out
    while not p.exists() and p != p.parent:
        p = p.parent
    free = shutil.disk_usage(p).free
    ok = free >= MIN_FREE_BYTES
    return Check(
        "disk",
        ok,
        f"{free / 2**30:.1f} GiB free at {p}",
        "" if ok else f"free some space under {p} or pass --out to another disk",
    )


def quick_checks() -> list[Check]:
    """The checks cheap enough to run before every render."""
    return [
        _which("latex", "texlive-latex-base", "LaTeX"),
        _which("dvisvgm", "dvisvgm", "dvisvgm (LaTeX to SVG)"),
        _module(
            "manimpango",
            "ManimPango (pango text)",
            f"{APT} libpango1.0-dev pkg-config && pip install --force-reinstall manimpango",
        ),
        _module(
            "cairo",
            "pycairo (cairo drawing)",
            f"{APT} libcairo2-dev pkg-config && pip install --force-reinstall pycairo",
        ),
        _module("manim", "Manim Community Edition", "pip install -e . (or make setup)"),
    ]


def all_checks(out: Path) -> list[Check]:
    return [*quick_checks(), check_tex_packages(), check_fonts(), check_av(), check_disk(out)]
