"""`trustdocs diff`: the terms and figures that changed between two versions of a project, for legal review."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import click

from trustdocs.cli import main
from trustdocs.cli.options import customer_option
from trustdocs.errors import InputError, Problem
from trustdocs.model.project import Project
from trustdocs.project import load_project


def _project_folder(old: str, new: str, project: Path | None) -> Path:
    """The project whose repository resolves revisions: --project, else a side given as a folder, else '.'."""
    if project is not None:
        return project
    for side in (new, old):
        if Path(side).is_dir():
            return Path(side)
    return Path(".")


def _load(path: Path, name: str, customer: Path | None, scratch: str) -> Project:
    """Load one version; problems in a revision's files are named `REVISION:path`, not by the scratch folder."""
    try:
        return load_project(path, customer).project
    except InputError as error:
        if not str(path).startswith(scratch):
            raise
        inside = str(path)[len(scratch) :].lstrip("/").split("/", 1)
        top = str(Path(scratch) / inside[0])

        def named(problem: Problem) -> Problem:
            loc = problem.location
            if loc is None or not loc.file.startswith(top):
                return problem
            return replace(problem, location=replace(loc, file=f"{name}:{loc.file[len(top) :].lstrip('/')}"))

        raise InputError(named(p) for p in error.problems) from None


@main.command()
@click.argument("old")
@click.argument("new", required=False, default=".")
@customer_option
@click.option(
    "--project",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="The project folder a revision is read from (default: OLD or NEW when one is a folder, "
    "else the current directory).",
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="OUT",
    help="Also write changes.pdf (customer-visible changes) and changes.md into OUT.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="What to print on standard output.",
)
def diff(
    old: str, new: str, customer: Path | None, project: Path | None, out_dir: Path | None, output_format: str
) -> None:
    """List the terms and figures that differ from OLD to NEW (default: the current directory).

    OLD and NEW are project folders or git revisions of the project (HEAD~3, a tag such as globex-signed),
    read with git without touching the work tree. With --customer, the customer's negotiated terms are
    applied to both. Exits 0 when nothing a customer would see changed, 1 when something did (or a version
    is invalid), 2 for a bad revision or option.
    """
    from trustdocs.load.revisions import project_version
    from trustdocs.render.changes import compare, render_changes_pdf, report_json, report_markdown, report_text
    from trustdocs.write.atomic import OutputSet

    folder = _project_folder(old, new, project)
    with tempfile.TemporaryDirectory(prefix="trustdocs-diff-") as scratch:
        old_path, old_name = project_version(old, folder, Path(scratch) / "old")
        new_path, new_name = project_version(new, folder, Path(scratch) / "new")
        old_project = _load(old_path, old_name, customer, scratch)
        new_project = _load(new_path, new_name, customer, scratch)
        report = compare(old_project, new_project, old_name, new_name)
        outputs = None
        if out_dir is not None:
            outputs = OutputSet(out_dir)
            outputs.add("changes.pdf", render_changes_pdf(report, new_project))
            outputs.add("changes.md", report_markdown(report).encode())
    if outputs is not None:
        outputs.write()
    printers = {"text": report_text, "markdown": report_markdown, "json": report_json}
    click.echo(printers[output_format](report), nl=False)
    if report.customer_changes:
        raise SystemExit(1)
