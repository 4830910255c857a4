"""The package version, importable without the notebook API behind ``import equals``."""

from __future__ import annotations

__version__ = "0.1.0"
