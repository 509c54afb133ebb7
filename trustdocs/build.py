"""The build: every document, diagram and the manifest of a project, rendered in memory then written at once."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trustdocs.model.audience import OutputAudience, for_audience
from trustdocs.model.project import Project
from trustdocs.render.diagrams import render_diagrams
from trustdocs.render.documents import documents_for
from trustdocs.write.atomic import OutputSet
from trustdocs.write.manifest import add_manifest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WrittenOutput:
    path: str
    """Relative to the output directory, with POSIX separators."""
    size: int


def render_outputs(project: Project, out_dir: Path, *, audience: OutputAudience = "nda",
                   progress: Callable[[str], None] = lambda step: None) -> OutputSet:
    """Everything a build writes, in memory; nothing on disk changes."""
    project = for_audience(project, audience)
    outputs = OutputSet(out_dir)
    progress("Drawing architecture diagrams")
    for diagram in render_diagrams(project.architecture):
        for filename, data in diagram.files().items():
            outputs.add(f"diagrams/{filename}", data)
    for spec in documents_for(project):
        progress(f"Rendering {spec.filename}")
        log.info("rendering %s", spec.filename)
        outputs.add(spec.filename, spec.render(project))
    add_manifest(outputs, project.sources)
    return outputs


def build_project(project: Project, out_dir: Path, *, audience: OutputAudience = "nda",
                  progress: Callable[[str], None] = lambda step: None) -> list[WrittenOutput]:
    """Render every output of `project`, then write them all into `out_dir`.

    A failure while rendering leaves `out_dir` exactly as it was; files are replaced by rename.
    """
    outputs = render_outputs(project, out_dir, audience=audience, progress=progress)
    progress("Writing outputs")
    outputs.write()
    return [WrittenOutput(path, len(data)) for path, data in outputs]
