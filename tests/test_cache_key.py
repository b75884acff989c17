"""The render cache key covers exactly the project files a lesson's render imports.

A key that misses a file serves a stale video after that file changes (the hand-written list once
missed ``lessons/_jacobian.py``); a key that covers too much re-renders needlessly. The static closure
is checked against what Python really loads (project modules imported afresh per lesson), and edits are
simulated by replacing the file reader, never by touching the tree.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mfml_anim import lessons
from mfml_anim.render import job as job_mod
from mfml_anim.render.job import ROOT, RenderJob, imported_names, source_files

SLUGS = lessons.available()
# Lesson helpers (lessons/_*.py): each one's edit must re-render exactly the lessons that load it.
HELPERS = tuple(
    sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / "mfml_anim" / "lessons").glob("_*.py")
        if p.name != "__init__.py"
    )
)


def _module_of(slug: str) -> str:
    return lessons.LESSON_MODULES[slug]


def _sources(slug: str) -> tuple[str, ...]:
    return source_files(_module_of(slug), lessons.get(slug).scene_file)


def _key(slug: str) -> str:
    return RenderJob(lesson=slug, params={}, sources=_sources(slug)).key()


def _direct_importers(helper: str) -> set[str]:
    """Lessons whose lesson or scene file names ``helper`` in an import statement (read as text)."""
    mod = helper[:-3].replace("/", ".")
    pattern = re.compile(rf"^\s*(from\s+{re.escape(mod)}\s+import|import\s+{re.escape(mod)}\b)", re.M)
    out = set()
    for slug in SLUGS:
        les = lessons.get(slug)
        files = [ROOT / "mfml_anim" / "lessons" / f"{_module_of(slug)}.py", ROOT / les.scene_file]
        if any(pattern.search(f.read_text()) for f in files):
            out.add(slug)
    return out


_LOADED = """
import importlib, json, sys
from pathlib import Path
import manim  # third-party modules stay loaded; project modules are imported afresh for each lesson
root = Path(sys.argv[1]).resolve()
project = [root / "mfml_anim", root / "scenes"]

def ours(m):
    f = getattr(m, "__file__", None)
    return bool(f) and any(Path(f).resolve().is_relative_to(p) for p in project)

out = {}
for arg in sys.argv[2:]:
    slug, names = arg.split("=")
    for name in [n for n, m in sys.modules.items() if ours(m)]:
        del sys.modules[name]
    try:
        for name in names.split(","):
            importlib.import_module(name)
    except Exception as exc:  # this lesson's test fails with the reason; the others still run
        out[slug] = f"{type(exc).__name__}: {exc}"
        continue
    mods = [m for m in list(sys.modules.values()) if ours(m)]
    out[slug] = sorted(str(Path(m.__file__).resolve().relative_to(root)) for m in mods)
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def loaded() -> dict[str, set[str] | str]:
    """slug -> the project files Python loads to import the lesson module and its scene module (with
    no project module loaded before): the independent answer the static closure is checked against."""
    args = [
        f"{slug}=mfml_anim.lessons.{_module_of(slug)},{lessons.get(slug).scene.split(':')[0]}"
        for slug in SLUGS
    ]
    res = subprocess.run(
        [sys.executable, "-c", _LOADED, str(ROOT), *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return {
        slug: files if isinstance(files, str) else set(files)
        for slug, files in json.loads(res.stdout).items()
    }


@pytest.fixture
def snapshot(monkeypatch: pytest.MonkeyPatch) -> dict[Path, bytes]:
    """Read every source once, so keys computed before and after a simulated edit see the same tree
    even while other work edits files: the simulated edit is the only difference."""
    real = job_mod.read_source
    files: dict[Path, bytes] = {}

    def reader(path: Path) -> bytes:
        p = Path(path).resolve()
        if p not in files:
            files[p] = real(p)
        return files[p]

    monkeypatch.setattr(job_mod, "read_source", reader)
    return files


def _edit(monkeypatch: pytest.MonkeyPatch, rel: str, extra: bytes) -> None:
    """Simulate appending ``extra`` to the file ``rel`` (through the reader; the tree is untouched)."""
    base = job_mod.read_source
    target = (ROOT / rel).resolve()
    monkeypatch.setattr(
        job_mod, "read_source", lambda p: base(p) + extra if Path(p).resolve() == target else base(p)
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_closure_holds_every_module_the_lesson_loads(slug: str, loaded: dict[str, set[str] | str]) -> None:
    """Every project file Python loads for the lesson and its scene is a source of its key."""
    assert not isinstance(loaded[slug], str), f"{slug} does not import: {loaded[slug]}"
    sources = set(_sources(slug))
    assert lessons.get(slug).scene_file in sources and f"mfml_anim/lessons/{_module_of(slug)}.py" in sources
    missing = sorted(loaded[slug] - sources)
    assert missing == [], f"{slug}: loaded but not in the key: {missing}"


def test_named_helpers_are_in_their_lessons_closure() -> None:
    assert "mfml_anim/lessons/_jacobian.py" in _sources("hessian")
    assert "mfml_anim/lessons/_common.py" in _sources("definition-of-derivative")
    assert "mfml_anim/cli/render.py" not in _sources("chain-rule")  # not imported by a render


@pytest.mark.parametrize("helper", HELPERS)
def test_editing_a_helper_changes_exactly_its_lessons_keys(
    helper: str,
    loaded: dict[str, set[str] | str],
    snapshot: dict[Path, bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lessons whose key changes are exactly those for which Python loads the helper."""
    broken = {slug: why for slug, why in loaded.items() if isinstance(why, str)}
    assert not broken, f"lessons that do not import: {broken}"
    users = {slug for slug in SLUGS if helper in loaded[slug]}
    assert _direct_importers(helper) <= users
    if helper.endswith("_jacobian.py"):  # the file the hand-written list missed: used by some lessons only
        assert users and users != set(SLUGS)
    before = {slug: _key(slug) for slug in SLUGS}
    _edit(monkeypatch, helper, b"\nEDITED = True\n")
    after = {slug: _key(slug) for slug in SLUGS}
    assert {slug for slug in SLUGS if before[slug] != after[slug]} == users


def test_editing_an_unimported_file_changes_no_key(
    snapshot: dict[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {slug: _key(slug) for slug in SLUGS}
    _edit(monkeypatch, "mfml_anim/cli/render.py", b"#")
    assert {slug: _key(slug) for slug in SLUGS} == before


def test_a_new_import_in_a_helper_is_followed(
    snapshot: dict[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The closure is recomputed from the files: a helper that starts importing a module pulls it in."""
    _edit(monkeypatch, "mfml_anim/lessons/_jacobian.py", b"\nimport mfml_anim.doctor\n")
    assert "mfml_anim/doctor.py" in _sources("hessian")
    assert "mfml_anim/doctor.py" not in _sources("chain-rule")


def test_relative_and_function_level_imports_are_resolved() -> None:
    src = (
        b"from . import a\nfrom ..math import b\nimport mfml_anim.visual.theme as t\ndef f():\n    from "
        b".c import d\n"
    )
    names = imported_names(src, "mfml_anim.lessons.x", is_package=False)
    assert {
        "mfml_anim.lessons.a",
        "mfml_anim.math.b",
        "mfml_anim.math",
        "mfml_anim.visual.theme",
        "mfml_anim.lessons.c",
        "mfml_anim.lessons.c.d",
        "mfml_anim",
    } <= names
    pkg = imported_names(b"from .sub import y\n", "mfml_anim.lessons", is_package=True)
    assert "mfml_anim.lessons.sub" in pkg


def test_missing_lesson_module_is_an_error() -> None:
    with pytest.raises(FileNotFoundError, match="no_such_lesson"):
        source_files("no_such_lesson", "scenes/chain_rule.py")
