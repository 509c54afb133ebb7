"""`trustdocs check`: the threat-model check (coverage, rules, risk, hygiene) as text, JSON or SARIF, and a CI gate."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from trustdocs.analyse.findings import FAIL_LEVELS, Finding
from trustdocs.analyse.threat_model import CheckReport, analyse_threat_model
from trustdocs.cli import main
from trustdocs.cli.options import echo_warnings, project_argument
from trustdocs.project import load_project


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, found '{value}'", ctx, param) from None


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {severity}" for severity, n in counts.items())


def _line(finding: Finding) -> str:
    where = f"{finding.location}: " if finding.location else ""
    return f"{where}{finding.severity}: {finding.message} [{finding.id}]"


def verdict(report: CheckReport, fail_on: str) -> str:
    """The last line of the text output, also printed on stderr for the other formats."""
    failing = report.failing(fail_on)
    if not failing:
        return (
            f"Result: passed (--fail-on {fail_on})"
            if fail_on == "never"
            else f"Result: passed: nothing at or above {fail_on} (--fail-on {fail_on})"
        )
    plural = "finding" if len(failing) == 1 else "findings"
    return f"Result: failed: {len(failing)} {plural} at or above {fail_on} (--fail-on {fail_on})"


def format_text(report: CheckReport, fail_on: str) -> str:
    """Findings one per line as FILE:LINE:COL: SEVERITY: MESSAGE [ID], then exemptions and a summary."""
    lines = [_line(f) for f in report.active]
    exempted = report.exempted
    if exempted:
        lines += ["", f"Exempted ({len(exempted)}):"]
        lines += [f"  {f.id}: {' '.join(f.justification.split())}" for f in exempted]
    coverage = report.coverage
    inherent = dict.fromkeys(("critical", "high", "medium", "low"), 0)
    residual = dict(inherent)
    for risk in report.risks:
        inherent[risk.inherent.severity] += 1
        residual[risk.residual.severity] += 1
    lines += [
        "",
        f"Coverage: {coverage.covered} of {coverage.applicable} applicable STRIDE categories covered, "
        f"{coverage.exempt} exempt, {coverage.gaps} gap(s).",
        f"Risk: {len(report.risks)} threat(s); inherent {_counted(inherent)}; residual {_counted(residual)}.",
        f"Rules: {len(report.answered)} match(es) answered by registered threats.",
        f"Findings: {_counted(report.counts())}; {len(exempted)} exempted.",
        verdict(report, fail_on),
    ]
    return "\n".join(lines).lstrip("\n") + "\n"


@main.command()
@project_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts, sarif for code-scanning tools.",
)
@click.option(
    "--fail-on",
    type=click.Choice(list(FAIL_LEVELS)),
    default="high",
    show_default=True,
    help="Exit with status 1 when a finding that is not exempted has this severity or a higher one.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--today",
    metavar="YYYY-MM-DD",
    callback=_date,
    help="The date review-by dates are checked against (default: the current date).",
)
def check(project: Path, output_format: str, fail_on: str, output: Path | None, today: dt.date | None) -> None:
    """Check the threat model of PROJECT: STRIDE coverage, rules, risk and register hygiene.

    Every component and data flow must have a threat (or a justified exemption) for each STRIDE category
    that applies to it; shipped rules flag risky architecture that no threat answers; accepted risks past
    their review date, unowned high risks and dangling references are reported too. The exit status is 0
    when no finding is at or above --fail-on, 1 when one is (or the input is invalid), 2 for usage errors.
    """
    today = today or dt.date.today()
    result = load_project(project, today=today)
    echo_warnings(result.warnings)
    report = analyse_threat_model(result.project, today)
    if output_format == "json":
        text = json.dumps(report.to_data(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    elif output_format == "sarif":
        from trustdocs.write.sarif import sarif_text

        text = sarif_text(report)
    else:
        text = format_text(report, fail_on)
    if output is not None:
        from trustdocs.write.atomic import atomic_write_bytes

        atomic_write_bytes(output, text.encode("utf-8"))
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
    if output is not None or output_format != "text":
        click.echo(verdict(report, fail_on), err=True)
    if report.fails(fail_on):
        click.get_current_context().exit(1)
