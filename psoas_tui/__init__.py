"""psoas-tui: a terminal companion for psoas and hip-flexor stretches."""

__all__ = ["__version__"]

__version__ = "0.1.0"
