"""trustdocs: trust documents for enterprise SaaS deals, kept as validated YAML and rendered to PDF."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
