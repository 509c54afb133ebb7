"""Run the CLI with `python -m trustdocs`."""

from trustdocs.cli import run

run()
