"""`trustdocs answer`: fill in a security questionnaire (a standard one in place, or a customer's own)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from trustdocs.cli import main
from trustdocs.cli.options import audience_option, customer_option, echo_warnings
from trustdocs.model.audience import OutputAudience, for_audience
from trustdocs.project import load_project
from trustdocs.questionnaire.fill import MACRO_WORKBOOK, fill_questionnaire
from trustdocs.questionnaire.matcher import DEFAULT_THRESHOLD
from trustdocs.questionnaire.respond import Responder
from trustdocs.questionnaire.review import (
    REVIEW_SUFFIXES,
    review_csv,
    review_path,
    review_xlsx,
    summary_json,
    summary_lines,
)
from trustdocs.questionnaire.workbook import midnight
from trustdocs.write.atomic import OutputSet

OUTPUT_SUFFIXES = (".xlsx", ".csv")


@main.command(short_help="Fill in a questionnaire (CAIQ, SIG, HECVAT or a customer's own) from the model.")
@click.argument(
    "paths", nargs=-1, required=True, metavar="[PROJECT] THEIR_FILE", type=click.Path(exists=True, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The filled questionnaire to write: .xlsx (.xlsm for an .xlsm), or .csv for one sheet of questions.",
)
@click.option(
    "--review",
    "review",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The vendor-only review file (.xlsx or .csv)  [default: OUTPUT's name with .review.xlsx]",
)
@click.option(
    "--summary",
    "summary",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the summary (answered, flagged, unanswered, by domain) as JSON to this file.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=DEFAULT_THRESHOLD,
    show_default=True,
    help="Matches with a lower confidence are left blank and marked for review.",
)
@customer_option
@audience_option
def answer(
    paths: tuple[Path, ...],
    output: Path,
    review: Path | None,
    summary: Path | None,
    threshold: float,
    customer: Path | None,
    audience: OutputAudience,
) -> None:
    """Answer the questions in THEIR_FILE from the model of PROJECT (default: the current directory).

    A standard questionnaire (CSA CAIQ v4.0.x and v4.1, Shared Assessments SIG Lite and Core, HECVAT) is
    recognised by its structure and filled in place: only its own answer columns are written (for CAIQ
    the Yes/No/NA answer, the SSRM control ownership and the implementation description), in values its
    validation lists allow; its wording, rows, formulas, lists, defined names and sheets stay as they
    were, and an .xlsm keeps its macros (never run). Any other file is a customer's own questionnaire:
    the question column of each sheet is found and an "Answer" and a "Detail" column are added.

    The customer's file gets only answers in contract language and their citations. Review flags and
    reasons, confidence and the matched questions go to the review file, never into their file. Answers
    use what the audience may see (an NDA reader by default); a question matched below the threshold, or
    that the model cannot answer, is left blank for review. Their file is never run: cells from a CSV stay
    text, their formulas are kept but never read as questions (those that reach outside the workbook are
    warned about), and a CSV written here quotes every text a spreadsheet would take for a formula.
    """
    if len(paths) > 2:
        raise click.UsageError("expected [PROJECT] THEIR_FILE, got more than two paths")
    project_path, their_file = (Path("."), paths[0]) if len(paths) == 1 else paths
    if their_file.is_dir():
        raise click.BadParameter(
            f"'{their_file}' is a directory; expected an .xlsx, .xlsm or .csv file", param_hint="THEIR_FILE"
        )
    _check_output(their_file, output)
    review = review or review_path(output)
    if review.suffix.lower() not in REVIEW_SUFFIXES:
        raise click.BadParameter(f"'{review}' must end in .xlsx or .csv", param_hint="'--review'")
    written = [their_file.resolve(), output.resolve()]
    if review.resolve() in written:
        raise click.BadParameter("must differ from THEIR_FILE and from the output", param_hint="'--review'")
    if summary is not None and (summary.suffix.lower() != ".json" or summary.resolve() in [*written, review.resolve()]):
        raise click.BadParameter(
            f"'{summary}' must end in .json and differ from the other files", param_hint="'--summary'"
        )

    result = load_project(project_path, customer)
    echo_warnings(result.warnings)
    project = for_audience(result.project, audience)
    moment = midnight(project.document.effective_date)
    filled = fill_questionnaire(
        their_file,
        Responder(project, threshold=threshold),
        moment=moment,
        output="csv" if output.suffix.lower() == ".csv" else "xlsx",
    )
    echo_warnings(filled.warnings)
    # Everything is made before anything is written, then written together: all the new files or none.
    files = {
        output.resolve(): filled.data,
        review.resolve(): review_csv(filled) if review.suffix.lower() == ".csv" else review_xlsx(filled, moment),
    }
    if summary is not None:
        files[summary.resolve()] = summary_json(filled)
    root = Path(os.path.commonpath([path.parent for path in files]))
    outputs = OutputSet(root)
    for path, data in files.items():
        outputs.add(path.relative_to(root).as_posix(), data)
    outputs.write()
    for line in summary_lines(filled):
        click.echo(line)
    if filled.formulas_calling_out:
        click.echo(
            f"{filled.formulas_calling_out} of their formula(s) can reach outside the workbook, kept as they "
            "were (see the warnings)."
        )
    click.echo(f"Wrote {review} (vendor only: review flags and reasons)")
    if summary is not None:
        click.echo(f"Wrote {summary}")
    click.echo(f"Wrote {output}")


def _check_output(their_file: Path, output: Path) -> None:
    """An .xlsm goes back as .xlsm (its macros kept); anything else as .xlsx or .csv; never over their file."""
    theirs, ours = their_file.suffix.lower(), output.suffix.lower()
    if theirs == MACRO_WORKBOOK and ours != MACRO_WORKBOOK:
        raise click.BadParameter(
            f"'{output}' must end in .xlsm, as THEIR_FILE does: its macros are kept", param_hint="'-o' / '--output'"
        )
    if theirs != MACRO_WORKBOOK and ours not in OUTPUT_SUFFIXES:
        raise click.BadParameter(f"'{output}' must end in .xlsx or .csv", param_hint="'-o' / '--output'")
    if output.resolve() == their_file.resolve():
        raise click.BadParameter(
            "must not be THEIR_FILE itself; their original is left untouched", param_hint="'-o' / '--output'"
        )
