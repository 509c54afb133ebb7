"""The build: every document, diagram and the manifest of a project, rendered in memory then written at once.

With more than one CPU, worker processes (one per CPU, at least two, at most four) draw the diagram files,
render the documents and lay out the parts of the documents rendered in parts (the security document, by far
the longest: see render/parts.py); this process builds their HTML, hands out the work longest first, lays out
the longest part itself and joins the parts. Every result is added in the same fixed order as a build in one
process, and a part is the same wherever it is laid out, so the outputs never depend on which finished first.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from trustdocs.errors import BuildError, InputError, Problem, TrustdocsError
from trustdocs.interpreter import (
    collector_paused,
    die_with_parent,
    no_collection_at_exit,
    records_to,
    stop_signals_deferred,
)
from trustdocs.model.architecture import Architecture
from trustdocs.model.audience import OutputAudience, for_audience
from trustdocs.model.project import Project
from trustdocs.render.cache import CACHE_DIRNAME, RenderCache, build_started
from trustdocs.render.diagrams import drawings_kept_in, render_diagrams
from trustdocs.render.documents import DOCUMENTS, DocumentSpec, PdfJob, documents_for
from trustdocs.render.parts import (
    DocumentParts,
    front_draft,
    join_parts,
    layout_work,
    split_document,
    worth_splitting,
)
from trustdocs.write.atomic import OutputSet
from trustdocs.write.manifest import add_manifest

log = logging.getLogger(__name__)

DIAGRAMS_STEP = "Drawing architecture diagrams"
MAX_WORKERS = 4
"""A build has at most nine pieces of work (diagrams, four documents, the parts of the security document)."""
WORKER_NICENESS = 10
"""Workers yield to the main process, which lays out the longest part: the one the build waits for."""


@dataclass(frozen=True)
class WrittenOutput:
    path: str
    """Relative to the output directory, with POSIX separators."""
    size: int


def render_outputs(
    project: Project,
    out_dir: Path,
    *,
    audience: OutputAudience = "nda",
    progress: Callable[[str], None] = lambda step: None,
    parallel: bool | None = None,
    docx: bool = False,
    cache: RenderCache | None = None,
) -> OutputSet:
    """Everything a build writes, in memory; nothing on disk changes.

    `parallel` uses worker processes; None decides by the number of CPUs this process may use. With
    `docx`, each addendum is also written as a Word document from the same HTML as its PDF. With `cache`,
    a document or part whose job was rendered before is taken from it (render/cache.py).
    """
    project = for_audience(project, audience)
    specs = documents_for(project)
    cpus = _usable_cpus()
    with drawings_kept_in(cache):
        if parallel is None:
            # Worker processes take seconds to start: not worth it when the cache holds all but one piece.
            parallel = cpus > 1 and (cache is None or _uncached_pieces(project, specs, cache) > 1)
        if parallel and specs:
            files = _render_in_parallel(project, specs, cpus, progress, cache)
        else:
            files = _render_in_sequence(project, specs, progress, cache)
    if docx:
        files += _word_documents(project, specs, progress)
    outputs = OutputSet(out_dir)
    for path, data in files:
        outputs.add(path, data)
    add_manifest(outputs, project.sources)
    return outputs


def build_project(
    project: Project,
    out_dir: Path,
    *,
    audience: OutputAudience = "nda",
    progress: Callable[[str], None] = lambda step: None,
    docx: bool = False,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> list[WrittenOutput]:
    """Render every output of `project`, then write them all into `out_dir`.

    A failure while rendering leaves `out_dir` exactly as it was; files are replaced by rename. Unless
    `use_cache` is false, PDFs rendered before are reused from `cache_dir` (OUT/.trustdocs-cache by default),
    and the entries this build did not use are removed from it afterwards.
    """
    cache = RenderCache(cache_dir if cache_dir is not None else out_dir / CACHE_DIRNAME) if use_cache else None
    started = build_started()
    outputs = render_outputs(project, out_dir, audience=audience, progress=progress, docx=docx, cache=cache)
    progress("Writing outputs")
    outputs.write()
    if cache is not None:
        cache.prune(used_since=started)
    return [WrittenOutput(path, len(data)) for path, data in outputs]


def _uncached_pieces(project: Project, specs: list[DocumentSpec], cache: RenderCache) -> int:
    """How many documents, or parts of those rendered in parts, `cache` lacks (counting stops at two)."""
    missing = 0
    for spec in specs:
        job = spec.pdf_job(project)
        if spec.in_parts and worth_splitting(job.html) and cache.lookup(job) is None:
            split = split_document(job.html)
            htmls = [*split.bodies, front_draft(split)]
        else:
            htmls = [job.html]
        missing += sum(cache.lookup(dataclasses.replace(job, html=html)) is None for html in htmls)
        if missing > 1:
            break
    return missing


def _word_documents(
    project: Project, specs: list[DocumentSpec], progress: Callable[[str], None]
) -> list[tuple[str, bytes]]:
    from trustdocs.render.docx import render_docx

    files = []
    for spec in specs:
        if spec.word:
            progress(f"Writing {spec.docx_filename}")
            files.append((spec.docx_filename, render_docx(spec.render_html(project), spec.furniture(project))))
    return files


# -- in one process ---------------------------------------------------------------------------


def _render_in_sequence(
    project: Project, specs: list[DocumentSpec], progress: Callable[[str], None], cache: RenderCache | None
) -> list[tuple[str, bytes]]:
    progress(DIAGRAMS_STEP)
    files = _diagram_files(project.architecture)
    for spec in specs:
        files.append(_render_here(spec, project, progress, cache))
    return files


def _render_here(
    spec: DocumentSpec, project: Project, progress: Callable[[str], None], cache: RenderCache | None
) -> tuple[str, bytes]:
    progress(f"Rendering {spec.filename}")
    log.info("rendering %s", spec.filename)
    return spec.filename, spec.render(project, cache)


def _one_here(
    spec: DocumentSpec, project: Project, progress: Callable[[str], None], cache: RenderCache | None
) -> list[tuple[str, bytes]]:
    return [_render_here(spec, project, progress, cache)]


def _diagram_files(architecture: Architecture) -> list[tuple[str, bytes]]:
    return [
        (f"diagrams/{filename}", data)
        for diagram in render_diagrams(architecture)
        for filename, data in diagram.files().items()
    ]


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


def _render_in_parallel(
    project: Project,
    specs: list[DocumentSpec],
    cpus: int,
    progress: Callable[[str], None],
    cache: RenderCache | None,
) -> list[tuple[str, bytes]]:
    level = logging.getLogger("trustdocs").getEffectiveLevel()
    # The collector stays paused: it would spend seconds walking the boxes of the part laid out here.
    with collector_paused():
        try:
            jobs = {spec.name: spec.pdf_job(project) for spec in specs if spec.in_parts}
            parts = {name: split_document(job.html) for name, job in jobs.items() if worth_splitting(job.html)}
        except TrustdocsError:
            # Report what a build in one process would have: a failure of the diagrams comes first.
            _diagram_files(project.architecture)
            raise
        # One worker is enough beside this process when no document is long enough to split: another would
        # cost more to start than it saves.
        workers = min(max(cpus, 2), MAX_WORKERS) if parts else 1
        return _render_with_workers(project, specs, jobs, parts, workers, level, progress, cache)


def _render_with_workers(
    project: Project,
    specs: list[DocumentSpec],
    jobs: dict[str, PdfJob],
    parts: dict[str, DocumentParts],
    workers: int,
    level: int,
    progress: Callable[[str], None],
    cache: RenderCache | None,
) -> list[tuple[str, bytes]]:
    _start_quiet_resource_tracker()
    # Spawned, not forked: this process may already run threads (a progress display), which fork cannot copy.
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(os.getpid(),),
    ) as pool:
        try:
            diagrams = _submit(pool, _draw_diagram_files, project.architecture, level, cache)
            # What to lay out: each part of a long document, or the whole of one too short to split (index -1).
            pieces = {(name, index): body for name, split in parts.items() for index, body in enumerate(split.bodies)}
            pieces.update({(name, -1): job.html for name, job in jobs.items() if name not in parts})
            longest_first = sorted(pieces, key=lambda key: (layout_work(pieces[key]), key), reverse=True)
            # The longest piece is laid out here, where nothing else is left to do until the workers finish.
            here = longest_first[0] if longest_first else None
            part_tasks = {
                key: _submit(pool, _render_part, jobs[key[0]], pieces[key], level, cache)
                for key in longest_first
                if key != here
            }
            documents = {
                spec.name: _submit(pool, _render_document, spec.name, project, level, cache)
                for spec in specs
                if not spec.in_parts
            }
            # How many pages each front matter takes, so that its page numbers can be drawn as it is rendered.
            drafts = {
                name: _submit(pool, _render_part, jobs[name], front_draft(split), level, cache)
                for name, split in parts.items()
            }
            if here is not None:
                progress(f"Rendering {next(spec.filename for spec in specs if spec.name == here[0])}")
                part_tasks[here] = Future()
                part_tasks[here].set_result(_render_part(jobs[here[0]], pieces[here], level, cache))
            # Results in the order of a build in one process, so that the first failure reported is the same.
            progress(DIAGRAMS_STEP)
            files = _files(diagrams, lambda: _diagram_files(project.architecture))
            for spec in specs:
                progress(f"Rendering {spec.filename}")
                if not spec.in_parts:
                    files += _files(documents[spec.name], partial(_one_here, spec, project, progress, cache))
                    continue
                job = jobs[spec.name]
                if spec.name not in parts:
                    files.append((spec.filename, _pdf(part_tasks[spec.name, -1], job, job.html, cache)))
                    continue
                split = parts[spec.name]
                bodies = [
                    _pdf(part_tasks[spec.name, index], job, body, cache) for index, body in enumerate(split.bodies)
                ]
                draft = _pdf(drafts[spec.name], job, front_draft(split), cache)

                used = [*split.bodies, front_draft(split)]

                def render_soon(html: str, job: PdfJob = job, used: list[str] = used) -> Callable[[], bytes]:
                    used.append(html)
                    task = _submit(pool, _render_part, job, html, level, cache)
                    return lambda: _pdf(task, job, html, cache)

                def render_here(html: str, job: PdfJob = job, used: list[str] = used) -> bytes:
                    used.append(html)
                    return job.render_html(html, cache)

                joined = join_parts(split, bodies, render_here, draft=draft, render_soon=render_soon)
                if cache is not None:
                    cache.store_joined(job, joined, used)
                files.append((spec.filename, joined))
        except BaseException:
            _stop_workers(pool)
            raise
    return files


_TRACKER_WARNINGS = "ignore::UserWarning:multiprocessing.resource_tracker"


def _start_quiet_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (the process that removes the executor's semaphores once
    every process using them has ended) without its warning about "leaked semaphore objects": after a killed
    build that is what it is there to clean up, and the warning would be the only thing the build printed."""
    if os.name != "posix":  # elsewhere there is no tracker process
        return
    from multiprocessing import resource_tracker

    # The tracker is started with this interpreter's -W options; it starts once per process.
    sys.warnoptions.append(_TRACKER_WARNINGS)
    try:
        resource_tracker.ensure_running()
    finally:
        sys.warnoptions.remove(_TRACKER_WARNINGS)


def _submit(pool: ProcessPoolExecutor, task: Callable[..., _Done], *args: object) -> Future[_Done]:
    # Submitting may start a worker process: it starts with stop signals held back.
    with stop_signals_deferred():
        return pool.submit(task, *args)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the workers of a build that failed or was interrupted, rather than wait for their work to end.

    The executor has no public way to stop a running task (Python 3.14 adds `terminate_workers`); its
    worker processes are read from the private `_processes` table.
    """
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()
    # A worker killed while sending its result would leave the executor's thread waiting for the rest of it
    # forever: this process holds the other end of that pipe too. Closed, the thread reads its end instead.
    result_queue = getattr(pool, "_result_queue", None)
    if result_queue is not None:
        result_queue._writer.close()
    # Waiting for the executor's own thread to see them gone: left running, it races the executor's exit
    # handler, which then prints a traceback (Python 3.11).
    pool.shutdown(wait=True, cancel_futures=True)


def _pdf(task: Future[_Done], job: PdfJob, html: str, cache: RenderCache | None) -> bytes:
    """The PDF a worker rendered from `html` with `job.render_html`, or rendered here if it could not."""
    [(_, data)] = _files(task, lambda: [("", job.render_html(html, cache))])
    return data


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


# The functions below run in a worker process (and _render_part in this one too).


def _start_worker(parent_pid: int) -> None:
    """A worker lives for one build, and no longer than the process that started it (`die_with_parent`).

    It never collects cycles: a collection walks every box of every part it has laid out (seconds, each
    time), and the process hands its memory back when it exits anyway."""
    die_with_parent(parent_pid)
    gc.disable()
    no_collection_at_exit()
    if hasattr(os, "nice"):  # not on every platform
        os.nice(WORKER_NICENESS)


def _draw_diagram_files(architecture: Architecture, level: int, cache: RenderCache | None) -> _Done:
    with _worker_task(level) as records, drawings_kept_in(cache):
        try:
            return _Done(files=tuple(_diagram_files(architecture)), records=tuple(records))
        except TrustdocsError as error:
            return _failure(error, records)


def _render_document(name: str, project: Project, level: int, cache: RenderCache | None) -> _Done:
    spec = next((spec for spec in DOCUMENTS if spec.name == name), None)
    if spec is None:
        return _Done(unknown_document=True)
    with _worker_task(level) as records:
        try:
            log.info("rendering %s", spec.filename)
            return _Done(files=((spec.filename, spec.render(project, cache)),), records=tuple(records))
        except TrustdocsError as error:
            return _failure(error, records)


def _render_part(job: PdfJob, html: str, level: int, cache: RenderCache | None) -> _Done:
    with _worker_task(level) as records:
        try:
            return _Done(files=(("", job.render_html(html, cache)),), records=tuple(records))
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
    previous = logger.level
    logger.setLevel(level)
    try:
        with records_to(logger, _Recorder(records)):
            yield records
    finally:
        logger.setLevel(previous)
