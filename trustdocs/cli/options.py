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


def echo_warnings(warnings: Iterable[Problem]) -> None:
    for warning in warnings:
        click.echo(str(warning), err=True)
