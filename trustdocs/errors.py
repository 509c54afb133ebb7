"""The exception family and the located problem report every stage uses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any, Literal

import click

from trustdocs.model.base import Location


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, printed as `file:line:col: dotted.path: message`."""

    location: Location | None
    path: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        path = f"{self.path}: " if self.path else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}{path}{prefix}{self.message}"


class TrustdocsError(click.ClickException):
    """Base of every error trustdocs reports to a user; exits 1."""

    exit_code = 1


class InputError(TrustdocsError):
    """The input has problems; `problems` holds every one of them, errors first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        errors = sum(1 for p in self.problems if p.severity == "error")
        super().__init__(f"{errors} error(s) found")

    def format_message(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def show(self, file: IO[Any] | None = None) -> None:
        """One line per problem (no "Error:" prefix, so editors can jump to each), then a count."""
        for problem in self.problems:
            click.echo(str(problem), err=True)
        errors = sum(1 for p in self.problems if p.severity == "error")
        warnings = len(self.problems) - errors
        counts = [f"{errors} error{'s' if errors != 1 else ''}"]
        if warnings:
            counts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
        click.echo(f"trustdocs: {', '.join(counts)}", err=True)


class BuildError(TrustdocsError):
    """A build step failed; earlier outputs are left as they were."""
