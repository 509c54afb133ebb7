"""The command-line interface: a thin adapter that parses options, calls plain functions, maps errors."""

from __future__ import annotations

import logging
import signal
import sys

import click

from trustdocs import __version__
from trustdocs.interpreter import Interrupted, no_collection_at_exit, stop_on_signals


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


def _register() -> None:
    # Each command lives in its own module; importing it attaches it to `main`.
    from trustdocs.cli import (
        answer,  # noqa: F401  answer
        check,  # noqa: F401  check
        diff,  # noqa: F401  diff
        escrow,  # noqa: F401  escrow deposit, escrow verify
        interchange,  # noqa: F401  import threat-dragon, import tm-bom, export tm-bom
        packet,  # noqa: F401  packet
        project_commands,  # noqa: F401  init, validate, schema, build
        site,  # noqa: F401  site
        sla,  # noqa: F401
    )


_register()
