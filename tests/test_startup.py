"""`mfml list` and `mfml show` start without Manim, sympy or typer (the catalog and its fast path).

Timing is measured by bench/run.py, never asserted here: what is checked is which modules the
commands import, in a fresh interpreter (``-X importtime`` names every module imported).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mfml_anim import catalog

ROOT = Path(__file__).resolve().parents[1]


def imported(args: list[str], cache: Path) -> tuple[set[str], str]:
    """The top-level package names a fresh ``python -m mfml_anim ARGS`` imports, and its stdout."""
    env = {**os.environ, "MFML_CACHE_DIR": str(cache)}
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mfml_anim", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    names = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in r.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return names, r.stdout


def warm_run(args: list[str], cache: Path) -> tuple[set[str], str]:
    """:func:`imported` with the catalog already built; run again if a package file changed meanwhile
    (another checkout edit makes a new stamp, and a rebuild rightly imports the lessons)."""
    for _ in range(3):
        stamp = catalog.source_stamp()
        imported(["list"], cache)  # (re)builds the catalog if the stamp moved since the last run
        names, out = imported(args, cache)
        if catalog.source_stamp() == stamp:
            break
    return names, out


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


def test_list_never_imports_manim_and_warm_list_show_skip_sympy_and_typer(cache: Path) -> None:
    cold, out = imported(["list"], cache)  # builds the catalog from the registry
    assert "manim" not in cold and "chain-rule" in out
    for args in (["list"], ["list", "--json"], ["show", "chain-rule"], ["show", "chain-rule", "--json"]):
        warm, out = warm_run(args, cache)
        assert not warm & {"manim", "sympy", "numpy", "typer", "pydantic"}, (args, warm)
        assert "chain-rule" in out


def test_cached_catalog_equals_a_fresh_build(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MFML_CACHE_DIR", str(cache))
    for _ in range(3):  # a file edited meanwhile (a shared checkout) legitimately changes the build
        stamp = catalog.source_stamp()
        first, fresh, again = catalog.catalog(), catalog.build(), catalog.catalog()
        if catalog.source_stamp() == stamp:
            break
    assert json.loads(json.dumps(first)) == fresh == again
    assert [e["slug"] for e in first][:1] == ["definition-of-derivative"]


def test_stamp_follows_any_file_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog, "PACKAGE", tmp_path)
    (tmp_path / "lessons").mkdir()
    f = tmp_path / "lessons" / "a.py"
    f.write_text("x = 1\n")
    before = catalog.source_stamp()
    os.utime(f, ns=(1, 1))
    touched = catalog.source_stamp()
    f.write_text("x = 12\n")
    os.utime(f, ns=(1, 1))
    resized = catalog.source_stamp()
    assert len({before, touched, resized}) == 3


def test_fast_path_takes_only_the_plain_forms(
    capsys: pytest.CaptureFixture[str], cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MFML_CACHE_DIR", str(cache))
    for argv in (
        ["list", "--help"],
        ["show"],
        ["show", "a", "b"],
        ["render", "chain-rule"],
        [],
        ["list", "--json", "--json"],
        ["--version"],
    ):
        assert catalog.fast_main(argv) is None, argv
    assert catalog.fast_main(["show", "chain-rul"]) == 2
    assert capsys.readouterr().err.startswith("error: unknown lesson 'chain-rul' (did you mean chain-rule")
    assert catalog.fast_main(["show", "--json", "chain-rule"]) == 0
    assert json.loads(capsys.readouterr().out)["lesson"] == "chain-rule"


def test_render_from_the_catalog_keys_and_names_like_the_lessons(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`mfml render` with default parameters takes lessons from the catalog (no sympy): the job it
    builds must have the same cache key and file name as one built from the lesson itself."""
    from mfml_anim import lessons
    from mfml_anim.render.job import job_for

    monkeypatch.setenv("MFML_CACHE_DIR", str(cache))
    light = catalog.listed()
    assert [x.slug for x in light] == lessons.available()
    assert [x.slug for x in catalog.listed(["chain-rule", "hessian"])] == ["chain-rule", "hessian"]
    for les, x in zip(lessons.all_lessons(), light, strict=True):
        a, b = job_for(les, quality="h"), job_for(x, quality="h")
        assert (a.sources, a.key(), a.name) == (b.sources, b.key(), b.name), les.slug
