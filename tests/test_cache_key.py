"""The render cache key covers exactly the project files a lesson's render imports.

A key that misses a file serves a stale video after that file changes (the hand-written list once
missed ``lessons/_module2.py``); a key that covers too much re-renders needlessly. The closure is
checked against what Python really loads, and edits are simulated by replacing the file reader,
never by touching the tree.
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
HELPERS = ("mfml_anim/lessons/_module2.py", "mfml_anim/lessons/_common.py")


def _module_of(slug: str) -> str:
    return lessons.LESSON_MODULES[slug]


def _sources(slug: str) -> tuple[str, ...]:
    return source_files(_module_of(slug), lessons.get(slug).scene_file)


def _key(slug: str) -> str:
    return RenderJob(lesson=slug, params={}, sources=_sources(slug)).key()


def _direct_importers(helper: str) -> set[str]:
    """Lessons whose lesson or scene file names ``helper`` in an import statement (read as text,
    independently of the closure code)."""
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
root = Path(sys.argv[1]).resolve()
for name in sys.argv[2:]:
    importlib.import_module(name)
files = {str(Path(m.__file__).resolve().relative_to(root)) for m in list(sys.modules.values())
         if getattr(m, "__file__", None) and Path(m.__file__).resolve().is_relative_to(root)}
print(json.dumps(sorted(files)))
"""


@pytest.mark.parametrize("slug", SLUGS)
def test_closure_holds_every_module_the_lesson_loads(slug: str) -> None:
    """Import the lesson module in a fresh interpreter: every project file Python loads is a source."""
    les = lessons.get(slug)
    lesson_mod = f"mfml_anim.lessons.{_module_of(slug)}"
    out = subprocess.run([sys.executable, "-c", _LOADED, str(ROOT), lesson_mod],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    loaded = set(json.loads(out))
    sources = set(_sources(slug))
    assert les.scene_file in sources and f"mfml_anim/lessons/{_module_of(slug)}.py" in sources
    assert loaded - sources == set(), f"{slug}: loaded but not in the key: {sorted(loaded - sources)}"


def test_closure_holds_what_the_scene_loads() -> None:
    """The same for a scene module (imports Manim, so one lesson is enough to prove the point)."""
    les = lessons.get("hessian")
    scene_mod = les.scene.split(":")[0]
    out = subprocess.run([sys.executable, "-c", _LOADED, str(ROOT), scene_mod],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    loaded = set(json.loads(out))
    assert loaded - set(_sources("hessian")) == set()


def test_named_helpers_are_in_their_lessons_closure() -> None:
    assert "mfml_anim/lessons/_module2.py" in _sources("hessian")
    assert "mfml_anim/lessons/_common.py" in _sources("definition-of-derivative")
    assert "mfml_anim/lessons/_common.py" not in _sources("hessian")
    assert "mfml_anim/cli.py" not in _sources("chain-rule")  # not imported by a render


@pytest.mark.parametrize("helper", HELPERS)
def test_editing_a_helper_changes_exactly_its_lessons_keys(helper: str, monkeypatch: pytest.MonkeyPatch) -> None:
    users = _direct_importers(helper)
    assert users and users != set(SLUGS), f"{helper}: the test needs a helper used by some lessons only"
    before = {slug: _key(slug) for slug in SLUGS}
    real = job_mod.read_source
    edited = (ROOT / helper).resolve()

    def reader(path: Path) -> bytes:
        data = real(path)
        return data + b"\nEDITED = True\n" if Path(path).resolve() == edited else data

    monkeypatch.setattr(job_mod, "read_source", reader)
    after = {slug: _key(slug) for slug in SLUGS}
    changed = {slug for slug in SLUGS if before[slug] != after[slug]}
    assert changed == users


def test_editing_an_unimported_file_changes_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    before = {slug: _key(slug) for slug in SLUGS}
    real = job_mod.read_source
    cli = (ROOT / "mfml_anim" / "cli.py").resolve()
    monkeypatch.setattr(job_mod, "read_source",
                        lambda p: real(p) + b"#" if Path(p).resolve() == cli else real(p))
    assert {slug: _key(slug) for slug in SLUGS} == before


def test_a_new_import_in_a_helper_is_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The closure is recomputed from the files: a helper that starts importing a module pulls it in."""
    real = job_mod.read_source
    helper = (ROOT / "mfml_anim" / "lessons" / "_module2.py").resolve()
    monkeypatch.setattr(job_mod, "read_source",
                        lambda p: real(p) + b"\nimport mfml_anim.doctor\n" if Path(p).resolve() == helper else real(p))
    assert "mfml_anim/doctor.py" in _sources("hessian")
    assert "mfml_anim/doctor.py" not in _sources("chain-rule")


def test_relative_and_function_level_imports_are_resolved() -> None:
    src = b"from . import a\nfrom ..math import b\nimport mfml_anim.visual.theme as t\ndef f():\n    from .c import d\n"
    names = imported_names(src, "mfml_anim.lessons.x", is_package=False)
    assert {"mfml_anim.lessons.a", "mfml_anim.math.b", "mfml_anim.math", "mfml_anim.visual.theme",
            "mfml_anim.lessons.c", "mfml_anim.lessons.c.d", "mfml_anim"} <= names
    pkg = imported_names(b"from .sub import y\n", "mfml_anim.lessons", is_package=True)
    assert "mfml_anim.lessons.sub" in pkg


def test_missing_lesson_module_is_an_error() -> None:
    with pytest.raises(FileNotFoundError, match="no_such_lesson"):
        source_files("no_such_lesson", "scenes/chain_rule.py")
