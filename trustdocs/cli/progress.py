"""A progress display for long work: shown on a terminal, silent otherwise or with --quiet."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

ProgressReport = Callable[[str], None]
"""Called with the name of the step about to start, e.g. 'Rendering sla-addendum.pdf'."""


@contextmanager
def progress_reporter(*, quiet: bool = False, total: int | None = None) -> Iterator[ProgressReport]:
    """Yield a callback naming each step; draws a spinner with the step's name on an interactive stderr."""
    if quiet or not sys.stderr.isatty():
        yield lambda step: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("Starting", total=total)

        def report(step: str) -> None:
            progress.update(task, description=step, advance=1)

        yield report
