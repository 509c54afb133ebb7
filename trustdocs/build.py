"""The build: every document, diagram and the manifest of a project, rendered in memory then written at once.

With more than one CPU the first registered document (the security document, by far the longest to lay out)
is rendered in this process while one worker process draws the diagram files and renders the other
documents. Every result is added in the same fixed order as a build in one process, so the outputs never
depend on which finished first.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from trustdocs.errors import BuildError, InputError, Problem, TrustdocsError
from trustdocs.interpreter import records_to
from trustdocs.model.architecture import Architecture
from trustdocs.model.audience import OutputAudience, for_audience
from trustdocs.model.project import Project
from trustdocs.render.diagrams import render_diagrams
from trustdocs.render.documents import DOCUMENTS, DocumentSpec, documents_for
from trustdocs.write.atomic import OutputSet
from trustdocs.write.manifest import add_manifest

log = logging.getLogger(__name__)

DIAGRAMS_STEP = "Drawing architecture diagrams"


@dataclass(frozen=True)
class WrittenOutput:
    path: str
    """Relative to the output directory, with POSIX separators."""
    size: int


def render_outputs(project: Project, out_dir: Path, *, audience: OutputAudience = "nda",
                   progress: Callable[[str], None] = lambda step: None,
                   parallel: bool | None = None) -> OutputSet:
    """Everything a build writes, in memory; nothing on disk changes.

    `parallel` uses a worker process; None decides by the number of CPUs this process may use.
    """
    project = for_audience(project, audience)
    specs = documents_for(project)
    if parallel is None:
        parallel = _usable_cpus() > 1
    if parallel and specs:
        files = _render_in_parallel(project, specs, progress)
    else:
        files = _render_in_sequence(project, specs, progress)
    outputs = OutputSet(out_dir)
    for path, data in files:
        outputs.add(path, data)
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


# -- in one process ---------------------------------------------------------------------------

def _render_in_sequence(project: Project, specs: list[DocumentSpec],
                        progress: Callable[[str], None]) -> list[tuple[str, bytes]]:
    progress(DIAGRAMS_STEP)
    files = _diagram_files(project.architecture)
    for spec in specs:
        files.append(_render_here(spec, project, progress))
    return files


def _render_here(spec: DocumentSpec, project: Project, progress: Callable[[str], None]) -> tuple[str, bytes]:
    progress(f"Rendering {spec.filename}")
    log.info("rendering %s", spec.filename)
    return spec.filename, spec.render(project)


def _diagram_files(architecture: Architecture) -> list[tuple[str, bytes]]:
    return [(f"diagrams/{filename}", data)
            for diagram in render_diagrams(architecture) for filename, data in diagram.files().items()]


# -- with a worker process --------------------------------------------------------------------

@dataclass(frozen=True)
class _Done:
    """What a worker task produced: output files, the log records it emitted, or the error it raised."""

    files: tuple[tuple[str, bytes], ...] = ()
    records: tuple[logging.LogRecord, ...] = ()
    build_error: str | None = None
    input_problems: tuple[Problem, ...] | None = None
    unknown_document: bool = False
    """The worker's registry lacks the document (it was registered at run time): render it here."""

    def raise_error(self) -> None:
        if self.input_problems is not None:
            raise InputError(self.input_problems)
        if self.build_error is not None:
            raise BuildError(self.build_error)


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def _render_in_parallel(project: Project, specs: list[DocumentSpec],
                        progress: Callable[[str], None]) -> list[tuple[str, bytes]]:
    level = logging.getLogger("trustdocs").getEffectiveLevel()
    first, others = specs[0], specs[1:]
    # Spawned, not forked: this process may already run threads (a progress display), which fork cannot copy.
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        # The worker's tasks, in output order: the diagram files come first, then the documents.
        diagrams = pool.submit(_draw_diagram_files, project.architecture, level)
        documents = [(spec, pool.submit(_render_document, spec.name, project, level)) for spec in others]
        try:
            main = _render_here(first, project, progress)
        except Exception:
            pool.shutdown(wait=False, cancel_futures=True)
            # Report what a build in one process would have: a failure of the diagrams comes first.
            if not diagrams.cancelled():
                _files(diagrams, lambda: [])
            raise
        progress(DIAGRAMS_STEP)
        files = [*_files(diagrams, lambda: _diagram_files(project.architecture)), main]
        for spec, task in documents:
            progress(f"Rendering {spec.filename}")
            files += _files(task, lambda spec=spec: [_render_here(spec, project, progress)])
    return files


def _files(task: Future[_Done], here: Callable[[], list[tuple[str, bytes]]]) -> list[tuple[str, bytes]]:
    """The files a worker task made, its log replayed and its error raised in this process.

    `here` makes them in this process instead when the worker could not: it died (a script that builds
    without an `if __name__ == "__main__":` guard cannot start one), or lacks a document registered at run time.
    """
    try:
        done = task.result()
    except BrokenProcessPool:
        log.debug("the worker process stopped; rendering the rest in this process")
        return here()
    for record in done.records:
        logging.getLogger(record.name).handle(record)
    done.raise_error()
    return here() if done.unknown_document else list(done.files)


# The two functions below run in the worker process.

def _draw_diagram_files(architecture: Architecture, level: int) -> _Done:
    with _worker_task(level) as records:
        try:
            return _Done(files=tuple(_diagram_files(architecture)), records=tuple(records))
        except TrustdocsError as error:
            return _failure(error, records)


def _render_document(name: str, project: Project, level: int) -> _Done:
    spec = next((spec for spec in DOCUMENTS if spec.name == name), None)
    if spec is None:
        return _Done(unknown_document=True)
    with _worker_task(level) as records:
        try:
            log.info("rendering %s", spec.filename)
            return _Done(files=((spec.filename, spec.render(project)),), records=tuple(records))
        except TrustdocsError as error:
            return _failure(error, records)


def _failure(error: TrustdocsError, records: list[logging.LogRecord]) -> _Done:
    # Sent back as plain values: InputError cannot be rebuilt from its pickled arguments.
    if isinstance(error, InputError):
        return _Done(records=tuple(records), input_problems=error.problems)
    return _Done(records=tuple(records), build_error=error.message)


class _Recorder(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.NOTSET)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        # Formatted here: the arguments of a message need not survive pickling.
        record.msg, record.args = record.getMessage(), None
        record.exc_info = None
        self.records.append(record)


@contextmanager
def _worker_task(level: int) -> Iterator[list[logging.LogRecord]]:
    """Collect what trustdocs logs at `level` or above (the main process's level) during one task."""
    logger = logging.getLogger("trustdocs")
    records: list[logging.LogRecord] = []
    logger.setLevel(level)
    with records_to(logger, _Recorder(records)):
        yield records
