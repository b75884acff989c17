"""The shared TeX cache survives what a crash leaves behind (issue: a killed render tears the cache).

Each test typesets formulas in separate processes that share one cache folder, as renders do:
* cached files torn the way a killed writer leaves them are detected, rebuilt once with a warning;
* a process SIGKILLed while latex/dvisvgm runs leaves nothing the next process trusts;
* two processes typesetting the same new formulas at once both succeed.
On the code before the atomic cache, the first test fails with an XML ParseError (the torn SVG is
trusted because it exists) and the second intermittently with "latex failed but did not produce a
log file" or "does not support converting .dvi files to SVG".
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from mfml_anim.render.texlock import BUILD_PREFIX, usable_svg

pytestmark = pytest.mark.render
ROOT = Path(__file__).resolve().parents[1]

# Typeset formulas given on the command line with the same set-up as a render worker; print OK.
CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from manim import MathTex, tempconfig
    from mfml_anim.render import texlock
    cache = Path(sys.argv[1])
    texlock.install(cache)
    with tempconfig({"tex_dir": str(cache), "media_dir": sys.argv[2], "verbosity": "ERROR"}):
        for f in sys.argv[3:]:
            m = MathTex(f)
            assert len(m.get_all_points()) > 0, f
    print("OK", len(sys.argv) - 3)
""")


def typeset(cache: Path, media: Path, formulas: list[str], **kw) -> subprocess.Popen:  # noqa: ANN003
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(cache), str(media), *formulas],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def finish(p: subprocess.Popen, timeout: float = 240) -> tuple[int, str, str]:
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


def fresh_formulas(tag: str, n: int) -> list[str]:
    """Formulas no other test typesets (so each test starts from an uncached state)."""
    return [rf"\frac{{{tag}_{{{i}}}}}{{1+x^{{{i}}}}} = {i}\,{tag}" for i in range(n)]


def test_torn_cached_files_are_rebuilt_once_with_a_warning(tmp_path: Path) -> None:
    cache, media = tmp_path / "tex", tmp_path / "media"
    formulas = fresh_formulas("a", 3)
    code, out, err = finish(typeset(cache, media, formulas))
    assert code == 0, err
    svgs = sorted(cache.glob("*.svg"))
    assert len(svgs) == 3 and all(usable_svg(s) for s in svgs)
    # what a writer killed mid-file leaves: half a file, and an empty one
    half = svgs[0].read_bytes()
    svgs[0].write_bytes(half[: len(half) // 2])
    svgs[1].write_bytes(b"")
    code, out, err = finish(typeset(cache, media, formulas))
    assert code == 0, err
    assert out.startswith("OK 3")
    assert err.count("TeX cache: damaged") == 2, err
    assert all(usable_svg(s) for s in svgs)
    # nothing but finished SVGs (and the lock folder) in the shared cache
    assert {p.suffix for p in cache.iterdir() if p.is_file()} == {".svg"}


def _children(pid: int) -> list[tuple[int, str]]:
    kids = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        if ppid == pid:
            kids.append((int(d.name), comm))
    return kids


@pytest.mark.parametrize("victim", ["latex", "dvisvgm"])
def test_render_killed_mid_compile_leaves_nothing_trusted(tmp_path: Path, victim: str) -> None:
    cache, media = tmp_path / "tex", tmp_path / "media"
    formulas = fresh_formulas("k" + victim[0], 12)
    kills = 0
    for _round in range(3):
        p = typeset(cache, media, formulas, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline and p.poll() is None:
            if any(comm == victim or comm.startswith(victim) for _, comm in _children(p.pid)):
                os.killpg(p.pid, signal.SIGKILL)  # the render and its latex/dvisvgm child, no clean-up
                kills += 1
                break
            time.sleep(0.002)
        p.wait(30)
    assert kills >= 1, f"never caught {victim} running"
    code, out, err = finish(typeset(cache, media, formulas))
    assert code == 0, err
    assert out.startswith("OK 12")
    assert all(usable_svg(s) for s in cache.glob("*.svg"))
    # the killed processes' private build folders are the only leftovers, never read
    assert not [q for q in cache.iterdir() if q.is_file() and q.suffix != ".svg"]
    assert all(q.name.startswith((BUILD_PREFIX, ".locks")) for q in cache.iterdir() if q.is_dir())


def test_two_processes_typeset_the_same_new_formulas_at_once(tmp_path: Path) -> None:
    cache = tmp_path / "tex"
    formulas = fresh_formulas("c", 6)
    a = typeset(cache, tmp_path / "m1", formulas)
    b = typeset(cache, tmp_path / "m2", formulas)
    (ca, _, ea), (cb, _, eb) = finish(a), finish(b)
    assert ca == 0 and cb == 0, ea + eb
    assert len(list(cache.glob("*.svg"))) == 6


def test_a_formula_latex_rejects_is_an_error_naming_it(tmp_path: Path) -> None:
    code, out, err = finish(typeset(tmp_path / "tex", tmp_path / "media", [r"\mfmlnosuchcommand x"]))
    assert code != 0
    assert "cannot typeset" in err and r"\mfmlnosuchcommand x" in err and "Undefined control sequence" in err
    assert "dvisvgm:raw" not in err.splitlines()[-1]
