"""Pure maths (sympy + numpy). Never imports Manim: the storyboard, the audit and the tests use it."""
