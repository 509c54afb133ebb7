"""The command-line interface: a thin adapter that parses options, calls plain functions, maps errors."""

from __future__ import annotations

import importlib
import logging
import signal
import sys

import click

from trustdocs import __version__
from trustdocs.interpreter import Interrupted, no_collection_at_exit, stop_on_signals


class _CommandsOnDemand(click.Group):
    """A group that imports a command's module only when that command is asked for (click's documented
    lazy-loading pattern): `trustdocs validate` does not pay for the PDF and spreadsheet libraries."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(_COMMAND_MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _COMMAND_MODULES:
            importlib.import_module(f"trustdocs.cli.{_COMMAND_MODULES[cmd_name]}")
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=_CommandsOnDemand,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="trustdocs")
@click.option("-v", "--verbose", count=True, help="Log more detail (repeat for debug output).")
def main(verbose: int) -> None:
    """Trust documents for enterprise SaaS deals, from validated YAML.

    Keep the security document, SLA addendum, insurance summary, indemnification terms and escrow
    procedure as YAML in git; validate them, check the threat model, and render contract-grade PDFs.
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s: %(name)s: %(message)s")


def run() -> None:
    """The `trustdocs` program: `main`, with an exit that does not collect the garbage the command left.

    Ctrl-C, SIGTERM and SIGHUP stop the command where it is: what it was writing is removed, its workers
    are stopped, outputs already in place are kept, and it exits 128 + the signal's number (130 for
    Ctrl-C, 143 for SIGTERM) after one line saying so. Tests call `main` and keep Python's defaults.
    """
    no_collection_at_exit()
    stop_on_signals()
    try:
        main()
    except Interrupted as stop:
        name = "interrupted" if stop.signum == signal.SIGINT else f"stopped by {signal.Signals(stop.signum).name}"
        click.echo(f"trustdocs: {name}", err=True)
        sys.exit(stop.exit_code)
    except OSError as error:
        # The commands report the files they read and write themselves; this is the last line of defence
        # against a system refusal nobody foresaw (a full disk, a name too long), which is not a bug to show.
        where = f": {error.filename}" if error.filename else ""
        click.echo(f"Error: {error.strerror or error}{where}", err=True)
        sys.exit(1)


_COMMAND_MODULES = {
    "answer": "answer",
    "build": "project_commands",
    "check": "check",
    "diff": "diff",
    "escrow": "escrow",  # escrow deposit, escrow verify
    "export": "interchange",  # export tm-bom
    "import": "interchange",  # import threat-dragon, import tm-bom
    "init": "project_commands",
    "packet": "packet",
    "schema": "project_commands",
    "site": "site",
    "sla": "sla",
    "validate": "project_commands",
}
"""Each command's module, under trustdocs.cli; importing it attaches the command to `main`."""
