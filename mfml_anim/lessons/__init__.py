"""The lesson registry: the course order, declared once, and the :class:`Lesson` each module defines.

A lesson module under ``mfml_anim.lessons`` defines ``LESSON = Lesson(...)``: its slug, title and
course module are written there and nowhere else (the storyboard, the parameters and the scene all
take them from that object). :data:`COURSE` lists the lesson modules in course order; that tuple is
the only registration. The registry fails loudly: a listed module that does not import, or that
defines no ``LESSON``, or a slug declared twice, is a :class:`RegistryError` naming the module, so a
typo can never silently drop a lesson from ``mfml list`` and from every test.

Scenes are referenced by a dotted path (``"scenes.chain_rule:ChainRule"``) and only imported by the
renderer, so ``mfml list``/``show``/``script``/``audit`` never import Manim.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mfml_anim.errors import UserError

if TYPE_CHECKING:  # sympy behind these costs ~0.5 s; `mfml list`/`show` answer without it (catalog.py)
    from mfml_anim.params import LessonParams
    from mfml_anim.storyboard import Step, Storyboard

# The course, in order: one module per lesson under mfml_anim.lessons. Adding a lesson = one line here.
COURSE: tuple[str, ...] = (
    "definition_of_derivative",
    "differentiation_examples",
    "differentiate_some_functions",
    "time_saving_rules",
    "product_rule",
    "chain_rule",
    "variables_constants_context",
    "differentiate_wrt_anything",
    "jacobians",
    "jacobian_applied",
    "sandpit",
    "sandpit_2",
    "hessian",
    "multivariate_chain_rule",
    "neural_networks",
    "simple_neural_networks",
    "power_series",
    "visualising_taylor_series",
    "power_series_derivation",
    "power_series_details",
    "multivariable_taylor_series",
    "multivariate_taylor",
    "newton_raphson",
    "gradient_descent",
    "gradient_descent_in_sandpit",
    "lagrange_multipliers",
    "constrained_optimisation",
    "simple_linear_regression",
    "non_linear_regression",
)


class RegistryError(RuntimeError):
    """The course declaration and the lesson modules disagree (a programming error, not user input)."""


@dataclass(frozen=True)
class Lesson:
    """One lesson: its identity (slug, course module, title), parameters, storyboard builder, scene.

    ``build`` turns validated parameters into the ordered steps; :meth:`storyboard` wraps them with
    this lesson's identity, so a builder never repeats the slug or title."""

    slug: str
    module: int
    title: str
    summary: str
    params: type[LessonParams]
    build: Callable[[Any], Sequence[Step]]
    scene: str  # "scenes.chain_rule:ChainRule"
    preset: Mapping[str, Any] | None = None  # fixed parameter overrides for a variant lesson
    # Other valid parameter sets (as --set strings): audited, linted and contract-tested, so a
    # lesson is proven for more than its defaults.
    examples: tuple[Mapping[str, str], ...] = ()

    def default_params(self) -> LessonParams:
        return self.params.from_strings(dict(self.preset or {}), lesson=self.slug)

    def make_params(self, values: Mapping[str, Any]) -> LessonParams:
        merged = {**(self.preset or {}), **values}
        return self.params.from_strings(merged, lesson=self.slug)

    def storyboard(self, params: LessonParams | None = None) -> Storyboard:
        from mfml_anim.storyboard import Storyboard

        p = params if params is not None else self.default_params()
        if not isinstance(p, self.params):
            raise TypeError(f"{self.slug}: parameters must be {self.params.__name__}, got {type(p).__name__}")
        return Storyboard(self.slug, self.title, self.module, p.to_json(), tuple(self.build(p)))

    def default_json(self) -> dict[str, Any]:
        """The default parameters in canonical JSON form (what a render job and its key hold)."""
        return self.default_params().to_json()

    @property
    def scene_file(self) -> str:
        return self.scene.split(":")[0].replace(".", "/") + ".py"

    @property
    def scene_class(self) -> str:
        return self.scene.split(":")[1]


@functools.cache
def _registry() -> dict[str, tuple[str, Lesson]]:
    """slug -> (module name, Lesson), in course order. Imports every lesson module (no Manim)."""
    out: dict[str, tuple[str, Lesson]] = {}
    for name in COURSE:
        try:
            mod = importlib.import_module(f"{__name__}.{name}")
        except Exception as exc:
            raise RegistryError(
                f"lesson module {__name__}.{name} does not import: {type(exc).__name__}: {exc}"
            ) from exc
        lesson = getattr(mod, "LESSON", None)
        if not isinstance(lesson, Lesson):
            raise RegistryError(f"lesson module {__name__}.{name} defines no LESSON = Lesson(...)")
        if lesson.slug in out:
            raise RegistryError(
                f"lesson '{lesson.slug}' is declared by both {__name__}.{out[lesson.slug][0]} "
                f"and {__name__}.{name}"
            )
        out[lesson.slug] = (name, lesson)
    return out


def available() -> list[str]:
    """Every lesson slug, in course order."""
    return list(_registry())


def get(slug: str) -> Lesson:
    reg = _registry()
    if slug not in reg:
        raise unknown_lesson(slug, list(reg))
    return reg[slug][1]


def unknown_lesson(slug: str, slugs: Sequence[str]) -> UserError:
    """The one-line error for a slug that is not a lesson, with near names as a hint (shared with the
    catalog, which answers `mfml show` without importing the registry)."""
    near = [s for s in slugs if slug and (slug in s or s.startswith(slug[:4]))]
    hint = f" (did you mean {', '.join(near[:3])}?)" if near else " (see 'mfml list')"
    return UserError(f"unknown lesson '{slug[:60]}'{hint}")


def all_lessons() -> list[Lesson]:
    return [lesson for _, lesson in _registry().values()]


def module_of(slug: str) -> str:
    """The module (under ``mfml_anim.lessons``) that declares ``slug``, e.g. ``"chain_rule"``."""
    get(slug)
    return _registry()[slug][0]


def __getattr__(name: str) -> Any:
    # LESSON_MODULES (slug -> module) is derived from COURSE and the modules, never declared twice.
    if name == "LESSON_MODULES":
        return {slug: mod for slug, (mod, _) in _registry().items()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
