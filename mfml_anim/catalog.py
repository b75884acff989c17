"""What ``mfml list``/``show`` print and what a no-op ``mfml render`` needs, answered without
importing the lessons; and the fast path that serves ``list`` and ``show`` without typer.

Why: importing the lesson registry pulls in sympy and numpy (every lesson module builds formulas),
about 0.6-2 s, validating a lesson's default parameters costs up to 1.5 s more (domain checks with
sympy), and typer 0.29 builds its parameters through pydantic, another 0.3-0.5 s on a loaded
machine: for commands that only print names and defaults, or find every output up to date. So:

* the catalog (slug, module, title, summary, each parameter's name, type, default and help, and
  for ``mfml render`` the scene and the source files of the render key) is built once from the
  registry and kept in ``$MFML_CACHE_DIR/catalog/<stamp>.json``, where the stamp hashes the path,
  size and modification time of every file of the package and of ``scenes/``: any edit to a
  lesson, a scene, the parameter code or bundled data makes a new stamp, so a stale catalog is
  never read (a lesson that no longer imports fails loudly on the next call, as the registry does);
* :class:`~mfml_anim.render.job.Listed` stands in for a lesson in ``mfml render`` with default
  parameters (the render key hashes the sources' content as always; only the list of files comes
  from the catalog);
* :func:`fast_main` recognises the plain forms ``list [--json]`` and ``show SLUG [--json]`` and
  answers them directly; anything else (``--help``, an unknown option) goes to the typer app, which
  prints the same text through the same functions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mfml_anim.errors import UserError

if TYPE_CHECKING:
    from mfml_anim.render.job import Listed

PACKAGE = Path(__file__).resolve().parent
KEEP_STAMPS = 8
SCENES = PACKAGE.parent / "scenes"  # the scene modules: their imports decide a render's sources


def source_stamp() -> str:
    """A hash of the path, size and mtime of every file of the package and of the scenes (a stat
    each, ~2 ms), and of the Python version; it changes whenever anything the catalog is derived
    from may have."""
    h = hashlib.sha256(sys.version.encode())
    for top in (PACKAGE, SCENES):
        for root, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".pyc", ".pyo")):
                    continue
                st = os.stat(os.path.join(root, name))
                rel = os.path.relpath(os.path.join(root, name), top.parent)
                h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:32]


def build() -> list[dict[str, Any]]:
    """The catalog from the registry itself (imports every lesson module, hence sympy)."""
    from mfml_anim import lessons
    from mfml_anim.render.job import lesson_sources

    out = []
    for les in lessons.all_lessons():
        rows = les.params.describe()
        defaults = les.default_params().to_json()
        for r in rows:
            r["default"] = defaults[r["name"]]
        out.append(
            {
                "slug": les.slug,
                "module": les.module,
                "title": les.title,
                "summary": les.summary,
                "params": rows,
                "scene": les.scene,
                "scene_file": les.scene_file,
                "defaults": defaults,
                "sources": list(lesson_sources(les)),
            }
        )
    return out


def _cache_file() -> Path:
    from mfml_anim.paths import cache_dir

    return cache_dir() / "catalog" / f"{source_stamp()}.json"


def catalog() -> list[dict[str, Any]]:
    """The catalog, from the cache when its stamp matches, else built and stored (atomically: a
    reader sees the old file or the whole new one). An unwritable cache only costs speed."""
    try:
        path = _cache_file()
        return json.loads(path.read_text())
    except (OSError, ValueError):
        pass
    data = build()
    with contextlib.suppress(OSError):
        _store(path, data)
    return data


def _store(path: Path, data: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Earlier stamps are mostly dead (the sources changed), but two checkouts may share the cache:
    # keep the newest few rather than making them rebuild each other's.
    olds = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in olds[KEEP_STAMPS - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".catalog-", suffix=".partial")
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)


def entry(slug: str) -> dict[str, Any]:
    """One lesson's catalog entry; an unknown slug is the registry's own error."""
    cat = catalog()
    for e in cat:
        if e["slug"] == slug:
            return e
    from mfml_anim.lessons import unknown_lesson

    raise unknown_lesson(slug, [e["slug"] for e in cat])


def _listed(e: dict[str, Any]) -> Listed:
    from mfml_anim.render.job import Listed

    return Listed(e["slug"], e["scene"], e["scene_file"], e["defaults"], tuple(e["sources"]))


def listed(slugs: Sequence[str] | None = None) -> list[Listed]:
    """The named lessons (every lesson for None), in the order given; an unknown slug is the
    registry's own error."""
    if slugs is None:
        return [_listed(e) for e in catalog()]
    return [_listed(entry(s)) for s in slugs]


def list_text(as_json: bool) -> str:
    """``mfml list``: one line per lesson, or JSON rows."""
    rows = [{k: e[k] for k in ("slug", "module", "title", "summary")} for e in catalog()]
    if as_json:
        return json.dumps(rows, indent=2)
    width = max(len(r["slug"]) for r in rows)
    return "\n".join(f"{r['slug']:<{width}}  M{r['module']}  {r['title']} — {r['summary']}" for r in rows)


def show_text(slug: str, as_json: bool) -> str:
    """``mfml show SLUG``: the lesson's parameters with type, default and meaning."""
    e = entry(slug)
    rows = e["params"]
    if as_json:
        return json.dumps(
            {"lesson": e["slug"], "title": e["title"], "module": e["module"], "params": rows}, indent=2
        )
    lines = [f"{e['slug']} (module {e['module']}): {e['title']}\n{e['summary']}\n"]
    lines += [f"  {r['name']} = {r['default']!s}\n      {r['type']}: {r['help']}" for r in rows]
    lines.append(f"\nExample: mfml render {e['slug']} --set {rows[0]['name']}=..." if rows else "")
    return "\n".join(lines)


def fast_main(argv: list[str]) -> int | None:
    """Answer ``list [--json]`` / ``show SLUG [--json]`` without typer; None for anything else."""
    as_json = "--json" in argv
    rest = [a for a in argv if a != "--json"]
    if argv.count("--json") > 1 or any(a.startswith("-") for a in rest):
        return None
    try:
        if rest == ["list"]:
            text = list_text(as_json)
        elif len(rest) == 2 and rest[0] == "show":
            text = show_text(rest[1], as_json)
        else:
            return None
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        print(text, flush=True)
    except BrokenPipeError:  # `mfml list | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
