"""`trustdocs escrow deposit|verify`: make a source code escrow deposit, and check one against its manifest."""

from __future__ import annotations

import datetime as dt
import json
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trustdocs.cli import main
from trustdocs.cli.options import echo_warnings
from trustdocs.errors import InputError, TrustdocsError
from trustdocs.escrow import (
    DepositResult,
    SecretsFound,
    deposit_time,
    make_deposit,
    parse_deposit_date,
    record_deposit,
    report_json,
    report_text,
    verify_deposit,
)
from trustdocs.escrow.progress import ProgressReporter, quiet_progress
from trustdocs.model.escrow import Deposit, Escrow
from trustdocs.terminal import printable, printable_json

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


@main.group()
def escrow() -> None:
    """Make and verify source code escrow deposits."""


def _echo(line: str, *, err: bool = False) -> None:
    """A line that holds names from the deposited tree or the archive, shown with its controls escaped."""
    click.echo(printable(line), err=err)


@contextmanager
def _printable_errors() -> Iterator[None]:
    """Errors naming files of the tree or members of an archive, shown with their controls escaped."""
    try:
        yield
    except (InputError, SecretsFound):
        raise  # one line per problem, each made printable where it is written
    except TrustdocsError as exc:
        # One line, whatever the names in it hold; every TrustdocsError but InputError exits 1 like this one.
        raise TrustdocsError(printable(exc.format_message())) from None


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return parse_deposit_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


@escrow.command()
@click.argument("source_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the archive and its manifest (created if missing).",
)
@click.option(
    "--project",
    type=click.Path(exists=True, path_type=Path),
    help="Project whose escrow section gives the checklist, sealed credentials and deposit log.",
)
@click.option(
    "--date",
    "date",
    callback=_parse_date,
    metavar="ISO8601",
    help="Deposit time, e.g. 2026-03-14T02:10:00Z (default: SOURCE_DATE_EPOCH, else now).",
)
@click.option(
    "--include-untracked",
    is_flag=True,
    help="In a git checkout, also deposit untracked files that git does not ignore.",
)
@click.option(
    "--allow-secret",
    "allow_secrets",
    multiple=True,
    metavar="PATH",
    help="A credential file (or glob) to seal into the deposit on purpose; repeatable.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary; warnings still show.")
def deposit(
    source_dir: Path,
    out_dir: Path,
    project: Path | None,
    date: dt.datetime | None,
    include_untracked: bool,
    allow_secrets: tuple[str, ...],
    quiet: bool,
) -> None:
    """Write a deposit of SOURCE_DIR into OUT_DIR: a reproducible .tar.gz and its .manifest.json.

    In a git checkout only tracked files are deposited. Files that look like credentials stop the deposit
    unless they are sealed on purpose. With --project, the deposit is verified and appended to the
    project's deposit log.
    """
    try:
        when = deposit_time(date)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    escrow_section, name, log_path = _project_escrow(project)
    with _printable_errors():
        with _progress(enabled=not quiet and sys.stderr.isatty()) as progress:
            result = make_deposit(
                source_dir,
                out_dir,
                when=when,
                escrow=escrow_section,
                name=name,
                include_untracked=include_untracked,
                allow_secrets=allow_secrets,
                progress=progress,
            )
        entry = record_deposit(result, log_path) if log_path is not None else None
    if not quiet:
        _summary(result, entry, log_path)
    _warnings(result)


def _project_escrow(project: Path | None) -> tuple[Escrow | None, str | None, Path | None]:
    if project is None:
        return None, None, None
    from trustdocs.project import load_project  # the project loader pulls in validation; only when asked

    result = load_project(project)
    echo_warnings(result.warnings)
    loaded = result.project
    if loaded.escrow is None:
        _echo("warning: the project has no escrow section; using the default checklist", err=True)
        return None, loaded.document.product, None
    log = loaded.root / loaded.escrow.deposit_log if loaded.escrow.deposit_log else None
    return loaded.escrow, loaded.document.product, log


def _summary(result: DepositResult, entry: Deposit | None, log_path: Path | None) -> None:
    m = result.manifest
    origin = f" at commit {m.commit}" if m.commit else ""
    if m.dirty:
        origin += " with uncommitted changes"
    _echo(f"deposited {m.total_files} files ({_size(m.total_bytes)}) from {m.source_name}{origin}")
    _echo(f"archive:   {result.archive} ({_size(m.archive_bytes)})")
    _echo(f"sha256:    {m.archive_sha256}")
    _echo(f"manifest:  {result.manifest_path}")
    required = [r for r in result.checklist if r.item.required]
    found = sum(1 for r in required if r.found)
    _echo(f"checklist: {found} of {len(required)} required items found")
    for record in m.sealed:
        purpose = textwrap.shorten(" ".join(record.purpose.split()), width=72, placeholder="…")
        _echo(f"sealed:    {record.path} ({purpose})")
    if entry is not None:
        _echo(f"logged:    {log_path} (verification {entry.verification})")


def _warnings(result: DepositResult) -> None:
    for missing in result.missing_required:
        _echo(f"warning: required deposit item missing: {missing.item.id} ({missing.item.name})", err=True)
    if not result.manifest.reproducible:
        _echo(
            "warning: the deposit is dated by the clock; give --date or SOURCE_DATE_EPOCH to make it reproducible",
            err=True,
        )


def _size(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    raise AssertionError("unreachable")


class _BarProgress:
    """Shows each phase of a deposit as a rich progress bar on stderr."""

    def __init__(self, bar: Progress):
        self._bar = bar
        self._task: TaskID | None = None

    def phase(self, description: str, total_bytes: int) -> None:
        if self._task is not None:
            self._bar.stop_task(self._task)
        self._task = self._bar.add_task(description, total=total_bytes)

    def advance(self, done_bytes: int) -> None:
        if self._task is not None:
            self._bar.advance(self._task, done_bytes)


@contextmanager
def _progress(enabled: bool) -> Iterator[ProgressReporter]:
    if not enabled:
        yield quiet_progress()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    columns = (
        TextColumn("{task.description:<22}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        yield _BarProgress(bar)


@escrow.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The deposit's manifest (default: the .manifest.json beside the archive).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.pass_context
def verify(ctx: click.Context, archive: Path, manifest: Path | None, output_format: str) -> None:
    """Check ARCHIVE against its manifest: every file and hash, and the required deposit items.

    Exits 0 when the deposit passes, 1 when it does not.
    """
    with _printable_errors():
        report = verify_deposit(archive, manifest)
    if output_format == "json":
        click.echo(printable_json(json.dumps(report_json(report), indent=2, ensure_ascii=False)))
    else:
        click.echo(report_text(report))
    ctx.exit(0 if report.passed else 1)
