"""Options and output helpers shared by the commands."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from trustdocs.errors import Problem

project_argument = click.argument(
    "project",
    type=click.Path(exists=True, path_type=Path),
    default=Path("."),
    required=False,
)
"""PROJECT: a project directory holding trustdocs.yaml, or a single YAML file; defaults to the current directory."""

customer_option = click.option(
    "--customer",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A customer file whose negotiated terms replace the defaults (e.g. customers/globex.yaml).",
)

audience_option = click.option(
    "--audience",
    type=click.Choice(["nda", "public"]),
    default="nda",
    show_default=True,
    help="Who the output is for: 'public' also leaves out NDA-only content (internal content never appears).",
)

cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where rendered PDFs are kept for faster rebuilds [default: OUT/.trustdocs-cache]. Entries the "
    "build did not use are removed from it afterwards.",
)
no_cache_option = click.option(
    "--no-cache", "no_cache", is_flag=True, help="Render every document afresh; the cache is neither read nor written."
)


def echo_warnings(warnings: Iterable[Problem]) -> None:
    for warning in warnings:
        click.echo(str(warning), err=True)
