"""`trustdocs sla`: the downtime budget of a period and the measured availability history."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

from trustdocs.analyse.availability import (
    HistoryRow,
    Period,
    chronic_failure,
    downtime_allowance,
    parse_period,
    project_history,
    time_zone,
)
from trustdocs.analyse.durations import format_commitment, format_duration, format_percent, format_seconds
from trustdocs.cli import main
from trustdocs.cli.options import customer_option, echo_warnings, project_argument
from trustdocs.errors import TrustdocsError

_FORMAT = click.Choice(["text", "json"])


class PercentType(click.ParamType[Decimal]):
    """A commitment strictly between 0 and 100, kept as a Decimal."""

    name = "PERCENT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Decimal:
        if isinstance(value, Decimal):
            return value
        try:
            percent = Decimal(str(value).strip().removesuffix("%").strip())
        except InvalidOperation:
            self.fail(f"expected a percentage such as 99.9, found '{value}'", param, ctx)
        if not percent.is_finite() or not 0 < percent < 100:
            self.fail(f"expected a percentage above 0 and below 100, found '{value}'", param, ctx)
        return percent


def _month_option(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_period(value, "month").start.date()
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


@main.group()
def sla() -> None:
    """Service-level figures: downtime budgets and the availability history."""


@sla.command(short_help="The downtime a commitment allows in one period.")
@click.argument("percent", type=PercentType())
@click.option("--month", metavar="YYYY-MM", help="A calendar month, e.g. 2026-04.")
@click.option("--quarter", metavar="YYYY-QN", help="A calendar quarter, e.g. 2026-Q2.")
@click.option("--year", metavar="YYYY", help="A calendar year, e.g. 2026.")
@click.option(
    "--time-zone",
    "zone",
    metavar="TZ",
    help="IANA time zone the period's midnights are in (daylight saving changes its length); "
    "default: the --project's SLA time zone, else UTC.",
)
@click.option(
    "--project",
    "project",
    type=click.Path(path_type=Path),
    metavar="PROJECT",
    help="A project whose SLA time zone the period is measured in.",
)
@click.option("--format", "fmt", type=_FORMAT, default="text", show_default=True)
def budget(
    percent: Decimal,
    month: str | None,
    quarter: str | None,
    year: str | None,
    zone: str | None,
    project: Path | None,
    fmt: str,
) -> None:
    """Print the downtime PERCENT availability allows in one calendar period.

    The period's real length counts: February allows less than March, and a month with a daylight-saving
    change in the time zone is an hour shorter or longer. With --project, the period's midnights are in the
    project's SLA time zone (unless --time-zone names another).
    """
    given = [
        (kind, text) for kind, text in (("month", month), ("quarter", quarter), ("year", year)) if text is not None
    ]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --month YYYY-MM, --quarter YYYY-QN or --year YYYY")
    kind, text = given[0]
    if zone is None:
        zone = _project_time_zone(project) if project is not None else "UTC"
    try:
        tz = time_zone(zone)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--time-zone'") from None
    try:
        period = parse_period(text, kind, tz)  # type: ignore[arg-type]
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=f"'--{kind}'") from None
    allowed = downtime_allowance(percent, period.seconds)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "commitment_percent": float(percent),
                    "period": period.label,
                    "time_zone": zone,
                    "period_seconds": period.seconds,
                    "allowed_downtime_seconds": float(allowed),
                    "allowed_downtime": format_duration(allowed),
                },
                indent=2,
            )
        )
        return
    click.echo(budget_text(percent, period, zone, allowed))


def _project_time_zone(project: Path) -> str:
    loaded = _load(project, None)
    echo_warnings(loaded.warnings)
    if loaded.project.sla is None:
        raise TrustdocsError(
            f"the project {project.as_posix()} has no 'sla' section, so it has no SLA time zone; give --time-zone"
        )
    return str(loaded.project.sla.time_zone)


def budget_text(percent: Decimal, period: Period, zone: str, allowed: Decimal) -> str:
    days = "day" if period.days == 1 else "days"
    return "\n".join(
        [
            f"Commitment:        {format_commitment(percent)} %",
            f"Period:            {period.label} ({zone}), {period.days} {days}, {period.seconds} s",
            f"Allowed downtime:  {format_duration(allowed)} ({format_seconds(allowed)} s)",
        ]
    )


@sla.command(short_help="Measured availability per period and service.")
@project_argument
@click.option(
    "--from",
    "first",
    metavar="YYYY-MM",
    callback=_month_option,
    help="First month to report (default: the month of the first incident).",
)
@click.option(
    "--to",
    "last",
    metavar="YYYY-MM",
    callback=_month_option,
    help="Last month to report (default: the month of the last incident).",
)
@customer_option
@click.option("--format", "fmt", type=_FORMAT, default="text", show_default=True)
def report(project: Path, first: dt.date | None, last: dt.date | None, customer: Path | None, fmt: str) -> None:
    """Print the measured availability per period and service, from the project's incident log.

    PROJECT is the project directory or file (default: the current directory). With a quarterly
    measurement period, --from and --to select the quarters holding those months.
    """
    if first is not None and last is not None and first > last:
        raise click.BadParameter(f"{last:%Y-%m} is before --from {first:%Y-%m}", param_hint="'--to'")
    loaded = _load(project, customer)
    echo_warnings(loaded.warnings)
    try:
        rows = project_history(loaded.project, first=first, last=last)
    except ValueError as exc:
        raise TrustdocsError(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps([row_json(row) for row in rows], indent=2))
        return
    if not rows:
        click.echo("No periods to report: the incident log is empty (give --from and --to to list periods).")
        return
    click.echo(history_table(rows))
    chronic = loaded.project.sla.chronic_failure
    if chronic is not None:
        for breach in chronic_failure(rows, chronic):
            click.echo(
                f"Chronic failure: {breach.service} below {format_commitment(chronic.threshold_percent)} % "
                f"in {', '.join(breach.periods)}"
            )


def _load(project: Path, customer: Path | None) -> Any:
    # Imported here so that `trustdocs sla budget` works without loading the validation machinery.
    from trustdocs.project import load_project

    return load_project(project, customer)


def row_json(row: HistoryRow) -> dict[str, Any]:
    """One history row as the JSON of `sla report`; numbers are floats only here, at the boundary.

    The period's key names its kind, following the SLA's measurement period: `month` ("2026-04") or
    `quarter` ("2026-Q2").
    """
    return {
        row.period.kind: row.period.label,
        "service": row.service,
        "period_seconds": row.period_seconds,
        "downtime_seconds": float(row.downtime_seconds),
        "excluded_seconds": float(row.excluded_seconds),
        # Cut, not rounded, so that a missed 99.9 % never prints as 99.9.
        "availability_percent": float(format_percent(row.availability, 6)),
        "commitment_percent": float(row.commitment_percent),
        "met": row.met,
        "credit_percent": float(row.credit_percent),
        "allowed_downtime_seconds": float(row.allowed_downtime_seconds),
    }


_HEADERS = ("Period", "Service", "Availability", "Commitment", "Met", "Downtime", "Excluded", "Allowed", "Credit")
_RIGHT = {2, 3, 5, 6, 7, 8}


def history_table(rows: Sequence[HistoryRow]) -> str:
    """The history as a plain aligned table (no colour, so it reads the same in a file or a terminal)."""
    cells = [_HEADERS] + [
        (
            row.period.label,
            row.service,
            f"{format_percent(row.availability)} %",
            f"{format_commitment(row.commitment_percent)} %",
            "yes" if row.met else "no",
            format_duration(row.downtime_seconds),
            format_duration(row.excluded_seconds),
            format_duration(row.allowed_downtime_seconds),
            f"{format_commitment(row.credit_percent)} %",
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(_HEADERS))]
    lines = []
    for line in cells:
        parts = [
            text.rjust(w) if i in _RIGHT else text.ljust(w)
            for i, (text, w) in enumerate(zip(line, widths, strict=False))
        ]
        lines.append("  ".join(parts).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
