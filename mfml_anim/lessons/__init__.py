"""The lesson registry: slug -> :class:`Lesson`.

Each lesson lives in its own module under ``mfml_anim.lessons`` and defines ``LESSON``. The
registry imports them lazily by name, so ``mfml list``/``show``/``script`` never import Manim
(scenes are referenced by a dotted path, only imported by the renderer).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mfml_anim.errors import UserError
from mfml_anim.params import LessonParams
from mfml_anim.storyboard import Storyboard

# slug -> module under mfml_anim.lessons. Order = course order.
LESSON_MODULES: dict[str, str] = {
    "definition-of-derivative": "definition_of_derivative",
    "differentiation-examples": "differentiation_examples",
    "differentiate-some-functions": "differentiate_some_functions",
    "time-saving-rules": "time_saving_rules",
    "product-rule": "product_rule",
    "chain-rule": "chain_rule",
    "variables-constants-context": "variables_constants_context",
    "differentiate-wrt-anything": "differentiate_wrt_anything",
    "jacobians": "jacobians",
    "jacobian-applied": "jacobian_applied",
    "sandpit": "sandpit",
    "sandpit-2": "sandpit",  # same scene, harder terrains (the module defines LESSONS)
    "hessian": "hessian",
}


@dataclass(frozen=True)
class Lesson:
    slug: str
    module: int
    title: str
    summary: str
    params: type[LessonParams]
    build: Callable[[Any], Storyboard]
    scene: str  # "scenes.chain_rule:ChainRule"
    preset: Mapping[str, Any] | None = None  # fixed parameter overrides for a variant lesson
    # Other valid parameter sets (as --set strings): audited and linted by the tests, so a lesson
    # is proven for more than its defaults.
    examples: tuple[Mapping[str, str], ...] = ()

    def default_params(self) -> LessonParams:
        return self.params.from_strings(dict(self.preset or {}))

    def make_params(self, values: Mapping[str, Any]) -> LessonParams:
        merged = {**(self.preset or {}), **values}
        return self.params.from_strings(merged)

    def storyboard(self, params: LessonParams | None = None) -> Storyboard:
        return self.build(params if params is not None else self.default_params())

    @property
    def scene_file(self) -> str:
        return self.scene.split(":")[0].replace(".", "/") + ".py"

    @property
    def scene_class(self) -> str:
        return self.scene.split(":")[1]


def available() -> list[str]:
    return [s for s in LESSON_MODULES if _module_exists(s)]


def _module_exists(slug: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(f"mfml_anim.lessons.{LESSON_MODULES[slug]}") is not None


def get(slug: str) -> Lesson:
    if slug not in LESSON_MODULES or not _module_exists(slug):
        near = [s for s in available() if slug and (slug in s or s.startswith(slug[:4]))]
        hint = f" (did you mean {', '.join(near[:3])}?)" if near else " (see 'mfml list')"
        raise UserError(f"unknown lesson '{slug[:60]}'{hint}")
    mod = importlib.import_module(f"mfml_anim.lessons.{LESSON_MODULES[slug]}")
    # A module holding several variants of one scene defines LESSONS = {slug: Lesson}.
    lesson: Lesson = mod.LESSONS[slug] if hasattr(mod, "LESSONS") else mod.LESSON
    return lesson


def all_lessons() -> list[Lesson]:
    return [get(s) for s in available()]
