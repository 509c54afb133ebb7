"""Rendering the trust center: every page and the stylesheet in memory, then the whole folder at once."""

from __future__ import annotations

import importlib.resources
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trustdocs.model.audience import OutputAudience, for_audience, may_read, readers_of
from trustdocs.model.project import Project
from trustdocs.render.documents import documents_for
from trustdocs.render.env import TEMPLATES_PACKAGE, make_environment
from trustdocs.site.pages import PAGES, site_content
from trustdocs.write.atomic import replace_directory

log = logging.getLogger(__name__)

STYLESHEET = "site.css"
DOWNLOADS = "downloads"


@dataclass(frozen=True)
class SiteOutput:
    path: str
    """Relative to the site folder, with POSIX separators."""
    size: int


def _stylesheet() -> bytes:
    return importlib.resources.files(TEMPLATES_PACKAGE).joinpath("site", STYLESHEET).read_bytes()


def site_documents(
    project: Project, audience: OutputAudience, progress: Callable[[str], None]
) -> dict[str, tuple[str, bytes]]:
    """The PDFs `audience` may read, rendered by the build (trustdocs/build.py): file name -> (title, bytes).

    A document is offered when its own audience (or the project's classification) is one the site's readers
    may see, so a public site never carries a document classified NDA.
    """
    from trustdocs.build import render_outputs

    readable = {
        spec.filename: spec.title
        for spec in documents_for(for_audience(project, audience))
        if may_read(audience, spec.audience or readers_of(project))
    }
    if not readable:
        return {}
    outputs = render_outputs(project, Path(DOWNLOADS), audience=audience, progress=progress)
    return {path: (readable[path], data) for path, data in outputs if path in readable}


def render_site(
    project: Project,
    *,
    audience: OutputAudience = "public",
    documents: bool = True,
    progress: Callable[[str], None] = lambda step: None,
) -> dict[str, bytes]:
    """Every file of the site for `audience`, in memory: relative POSIX path -> bytes."""
    files = site_documents(project, audience, progress) if documents else {}
    visible = for_audience(project, audience)
    content = site_content(visible, audience, files)
    env = make_environment()
    outputs: dict[str, bytes] = {STYLESHEET: _stylesheet()}
    for page in PAGES:
        progress(f"Rendering {page.filename}")
        html = env.get_template(page.template).render(site=content, page=page, pages=PAGES)
        outputs[page.filename] = html.encode("utf-8")
    for name, (_, data) in files.items():
        outputs[f"{DOWNLOADS}/{name}"] = data
    return outputs


def build_site(
    project: Project,
    site_dir: Path,
    *,
    audience: OutputAudience = "public",
    documents: bool = True,
    progress: Callable[[str], None] = lambda step: None,
) -> list[SiteOutput]:
    """Render the site, then replace `site_dir` with it; a failure leaves an earlier site untouched."""
    files = render_site(project, audience=audience, documents=documents, progress=progress)
    progress("Writing the site")
    replace_directory(site_dir, files)
    log.debug("wrote the %s site into %s", audience, site_dir)
    return [SiteOutput(path, len(data)) for path, data in sorted(files.items())]
