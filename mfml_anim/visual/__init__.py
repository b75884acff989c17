"""Drawing layer: theme, reusable mobjects and the storyboard player (imports Manim)."""
