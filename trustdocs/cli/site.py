"""`trustdocs site`: the static trust center."""

from __future__ import annotations

from pathlib import Path

import click

from trustdocs.cli import main
from trustdocs.cli.options import echo_warnings, project_argument
from trustdocs.model.audience import OutputAudience


@main.command()
@project_argument
@click.option(
    "-o",
    "--output",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The site folder; it is replaced as a whole once the site is built.",
)
@click.option(
    "--audience",
    type=click.Choice(["public", "nda"]),
    default="public",
    show_default=True,
    help="'public' shows only public content; 'nda' adds NDA content, for a gated host (internal content "
    "never appears).",
)
@click.option(
    "--documents/--no-documents",
    default=True,
    show_default=True,
    help="Render the PDFs the audience may read into downloads/ (as `trustdocs build` renders them).",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def site(project: Path, site_dir: Path, audience: OutputAudience, documents: bool, strict: bool, quiet: bool) -> None:
    """Build a static trust center for PROJECT into SITE (plain HTML and CSS, no JavaScript).

    Pages: overview, security programme, certifications, subprocessors, uptime history per service and
    period (the figures of the Service Performance Report), support plans and targets, and downloads. All
    links are relative, so the folder works from the file system and from any static host. SITE is written
    only when the whole site is built: a failure leaves an earlier site as it was.
    """
    from trustdocs.cli.progress import progress_reporter
    from trustdocs.project import load_project
    from trustdocs.site import build_site

    result = load_project(project, None, strict=strict)
    if not quiet:
        echo_warnings(result.warnings)
    with progress_reporter(quiet=quiet) as report:
        outputs = build_site(result.project, site_dir, audience=audience, documents=documents, progress=report)
    if not quiet:
        click.echo(f"wrote the {audience} site into {site_dir} ({len(outputs)} files)")
