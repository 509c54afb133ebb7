"""The static trust center: `trustdocs site`, plain HTML and CSS pages built from the model."""

from __future__ import annotations

from trustdocs.site.build import SiteOutput, build_site, render_site
from trustdocs.site.pages import PAGES, SitePage

__all__ = ["PAGES", "SiteOutput", "SitePage", "build_site", "render_site"]
