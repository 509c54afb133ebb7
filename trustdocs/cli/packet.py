"""`trustdocs packet`: one merged, customer-stamped PDF of every document, and the answered questionnaire."""

from __future__ import annotations

from pathlib import Path

import click

from trustdocs.cli import main
from trustdocs.cli.options import audience_option, echo_warnings, project_argument
from trustdocs.model.audience import OutputAudience
from trustdocs.project import load_project


@main.command()
@project_argument
@click.option(
    "--customer",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The customer file the packet is prepared for (e.g. customers/globex.yaml); its negotiated "
    "terms replace the defaults.",
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    metavar="OUT",
    help="Directory to write the packet into.",
)
@audience_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def packet(project: Path, customer: Path, out_dir: Path, audience: OutputAudience, strict: bool, quiet: bool) -> None:
    """Write the customer's packet of PROJECT into OUT: packet-<customer>.pdf and the questionnaire.

    The PDF holds a cover stamped with the customer's name, a contents, every document and the architecture
    diagrams, with page numbers running over the whole packet and the customer's name in every footer; the
    answered questionnaire (questionnaire.xlsx) and a manifest of the inputs are attached to it as files.
    questionnaire.xlsx and questionnaire.csv are also written next to it. Nothing is written if any step fails.
    """
    from trustdocs.cli.progress import progress_reporter
    from trustdocs.packet import build_packet

    result = load_project(project, customer, strict=strict)
    if not quiet:
        echo_warnings(result.warnings)
    with progress_reporter(quiet=quiet) as report:
        outputs = build_packet(result.project, out_dir, audience=audience, progress=report)
    if not quiet:
        for output in outputs:
            click.echo(f"wrote {out_dir / output.path} ({output.size:,} bytes)")
