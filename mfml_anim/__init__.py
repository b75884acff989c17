"""mfml-anim: animated lessons for Multivariate Calculus."""

__version__ = "0.1.0"
