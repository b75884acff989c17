"""Imports only point down (CONTRIBUTING.md, "Layers"), and no project module imports itself back.

Read statically with ``ast`` from the files, so imports inside functions (the lazy ones that keep
``mfml list`` fast) and under ``TYPE_CHECKING`` count as much as top-level ones: a lazy upward
import is still a lower layer that cannot be used, tested or understood without a higher one.
Modules loaded by a computed name (the lesson registry's ``importlib.import_module``) are not
imports of the module that computes the name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("mfml_anim", "scenes")

# CONTRIBUTING.md's layer map, lowest first: a module may import its own layer and the ones below.
# A module is placed by the longest prefix of its dotted name listed here; a module no prefix
# covers fails the test, so a new top-level module has to be given its place.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("mfml_anim", "mfml_anim.errors", "mfml_anim.paths")),
    ("math", ("mfml_anim.math",)),
    ("storyboard", ("mfml_anim.storyboard", "mfml_anim.screen", "mfml_anim.params", "mfml_anim.audit")),
    ("lessons", ("mfml_anim.lessons",)),
    ("visual", ("mfml_anim.visual", "mfml_anim.voice")),
    ("scenes", ("scenes",)),
    (
        "render",
        (
            "mfml_anim.render",
            "mfml_anim.lint",
            "mfml_anim.catalog",
            "mfml_anim.doctor",
            "mfml_anim.slides",
            "mfml_anim.site",
        ),
    ),
    ("cli", ("mfml_anim.cli", "mfml_anim.__main__")),
)


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the project packages: dotted name -> file (a package is its __init__.py)."""
    found: dict[str, Path] = {}
    for top in PACKAGES:
        for path in sorted((root / top).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _prefixes(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(imported project module, line) for every import statement anywhere in the file. ``from X
    import y`` imports ``X.y`` when that is a module, and always ``X`` (and every package above);
    packages above ``name`` itself are left out (they are already running when ``name`` runs)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    own = set(_prefixes(name))
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(up + ([node.module] if node.module else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules]
        for target in targets:
            for p in _prefixes(target):
                if p in modules and p not in own:
                    yield p, node.lineno


def layer_of(name: str) -> int:
    best, where = -1, None
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (name == p or name.startswith(p + ".")) and len(p) > best:
                best, where = len(p), i
    if where is None:
        raise LookupError(f"{name} is in no layer of tests/test_layers.py (CONTRIBUTING.md's map)")
    return where


def graph(root: Path = ROOT) -> dict[str, dict[str, int]]:
    """module -> {imported module: first line}."""
    modules = project_modules(root)
    out: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        edges: dict[str, int] = {}
        for target, line in imports_of(name, path, modules):
            edges.setdefault(target, line)
        out[name] = edges
    return out


def upward_imports(g: dict[str, dict[str, int]]) -> list[str]:
    bad = []
    for name, edges in sorted(g.items()):
        for target, line in sorted(edges.items()):
            if layer_of(target) > layer_of(name):
                bad.append(
                    f"{name}:{line} imports {target} ({LAYERS[layer_of(name)][0]} -> "
                    f"{LAYERS[layer_of(target)][0]}, upward)"
                )
    return bad


def cycles(g: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each as one cycle
    through it, so the failure shows a path to break."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in g.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = _pop_component(stack, on, v)
            if len(comp) > 1:
                found.append(_cycle_through(sorted(comp)[0], set(comp), g))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return found


def _pop_component(stack: list[str], on: set[str], root: str) -> list[str]:
    """Tarjan's step: pop the stack down to ``root``, the members of root's component."""
    comp = []
    while True:
        w = stack.pop()
        on.discard(w)
        comp.append(w)
        if w == root:
            return comp


def _cycle_through(start: str, comp: set[str], g: dict[str, dict[str, int]]) -> list[str]:
    """A shortest path start -> ... -> start inside one component (breadth first)."""
    prev: dict[str, str] = {}
    todo = [start]
    while todo:
        nxt = []
        for v in todo:
            for w in sorted(g[v]):
                if w not in comp:
                    continue
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(prev[path[-1]])
                    return [start, *reversed(path[:-1]), start] if v != start else [start, start]
                if w not in prev:
                    prev[w] = v
                    nxt.append(w)
        todo = nxt
    raise AssertionError(f"{start} is in a component but on no cycle")


def test_every_module_has_a_layer() -> None:
    missing = []
    for name in project_modules():
        try:
            layer_of(name)
        except LookupError as exc:
            missing.append(str(exc))
    assert missing == []


def test_imports_only_point_down() -> None:
    assert upward_imports(graph()) == []


def test_no_import_cycles() -> None:
    assert [" -> ".join(c) for c in cycles(graph())] == []


# ------------------------------------------------------------------ the checker itself, on a toy tree


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    files = {
        "mfml_anim/__init__.py": "",
        "mfml_anim/errors.py": "",
        "mfml_anim/math/__init__.py": "",
        "mfml_anim/math/a.py": "from mfml_anim.errors import X\n",
        "mfml_anim/lessons/__init__.py": "",
        "mfml_anim/lessons/b.py": "from ..math import a\n",
        "mfml_anim/render/__init__.py": "",
        "mfml_anim/render/job.py": "from mfml_anim import lessons\n",
        "scenes/__init__.py": "",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return tmp_path


def test_checker_sees_lazy_relative_and_from_package_imports(toy: Path) -> None:
    assert upward_imports(graph(toy)) == [] and cycles(graph(toy)) == []
    (toy / "mfml_anim/math/a.py").write_text("def f():\n    from ..lessons.b import thing\n")
    g = graph(toy)
    assert upward_imports(g) == [
        "mfml_anim.math.a:2 imports mfml_anim.lessons (math -> lessons, upward)",
        "mfml_anim.math.a:2 imports mfml_anim.lessons.b (math -> lessons, upward)",
    ]
    assert cycles(g) == [["mfml_anim.lessons.b", "mfml_anim.math.a", "mfml_anim.lessons.b"]]


def test_checker_sees_a_cycle_inside_one_layer_but_not_a_package_importing_its_children(toy: Path) -> None:
    (toy / "mfml_anim/render/__init__.py").write_text("from mfml_anim.render import job\n")
    (toy / "mfml_anim/render/job.py").write_text("from mfml_anim.render.runner import run\n")
    (toy / "mfml_anim/render/runner.py").write_text("import mfml_anim.render.job\n")
    assert cycles(graph(toy)) == [["mfml_anim.render.job", "mfml_anim.render.runner", "mfml_anim.render.job"]]
