"""`trustdocs answer`: fill in a customer's own security questionnaire from the answer library."""

from __future__ import annotations

from pathlib import Path

import click

from trustdocs.cli import main
from trustdocs.cli.options import audience_option, customer_option, echo_warnings
from trustdocs.model.audience import OutputAudience, for_audience
from trustdocs.project import load_project
from trustdocs.questionnaire.bank import load_bank
from trustdocs.questionnaire.fill import fill_questionnaire
from trustdocs.questionnaire.library import answer_library
from trustdocs.questionnaire.matcher import DEFAULT_THRESHOLD, Matcher
from trustdocs.questionnaire.workbook import midnight
from trustdocs.terminal import printable
from trustdocs.write.atomic import atomic_write_bytes

OUTPUT_SUFFIXES = (".xlsx", ".csv")


@main.command(short_help="Fill in a customer's questionnaire (.xlsx or .csv) from the answer library.")
@click.argument(
    "paths", nargs=-1, required=True, metavar="[PROJECT] THEIR_FILE", type=click.Path(exists=True, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The filled questionnaire to write: .xlsx, or .csv for a file with one sheet of questions.",
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
    paths: tuple[Path, ...], output: Path, threshold: float, customer: Path | None, audience: OutputAudience
) -> None:
    """Answer the questions in THEIR_FILE from the model of PROJECT (default: the current directory).

    Finds the question column of each sheet, matches every question to the question bank, and writes a
    copy with their sheets, layout and styles kept and five columns added: "trustdocs answer", "detail",
    "matched question", "confidence" and "needs review". Answers use what the audience may see (an NDA
    reader by default); a question matched below the threshold, or that the model cannot answer, is left
    blank for review. Their file is never run: cells from a CSV stay text, their formulas are kept but
    never read as questions (those that reach outside the workbook are warned about), and a CSV written
    here quotes every text a spreadsheet would take for a formula.
    """
    if len(paths) > 2:
        raise click.UsageError("expected [PROJECT] THEIR_FILE, got more than two paths")
    project_path, their_file = (Path("."), paths[0]) if len(paths) == 1 else paths
    if their_file.is_dir():
        raise click.BadParameter(
            f"'{their_file}' is a directory; expected an .xlsx or .csv file", param_hint="THEIR_FILE"
        )
    if output.suffix.lower() not in OUTPUT_SUFFIXES:
        raise click.BadParameter(f"'{output}' must end in .xlsx or .csv", param_hint="'-o' / '--output'")
    if output.resolve() == their_file.resolve():
        raise click.BadParameter(
            "must not be THEIR_FILE itself; their original is left untouched", param_hint="'-o' / '--output'"
        )

    result = load_project(project_path, customer)
    echo_warnings(result.warnings)
    project = for_audience(result.project, audience)
    library = {a.question.id: a for a in answer_library(project)}
    filled = fill_questionnaire(
        their_file,
        library,
        Matcher(load_bank()),
        threshold=threshold,
        moment=midnight(project.document.effective_date),
        output="csv" if output.suffix.lower() == ".csv" else "xlsx",
    )
    echo_warnings(filled.warnings)
    atomic_write_bytes(output, filled.data)
    total = len(filled.questions)
    sheets = ", ".join(printable(sheet) for sheet in filled.sheets)  # their names, maybe holding controls
    calling = (
        (
            f"; {filled.formulas_calling_out} of their formula(s) can reach outside the workbook, kept as they "
            "were (see the warnings)"
        )
        if filled.formulas_calling_out
        else ""
    )
    click.echo(
        f"{total} question(s) on {len(filled.sheets)} sheet(s) ({sheets}): "
        f"{filled.answered} answered, {filled.for_review} for review{calling}."
    )
    click.echo(f"Wrote {output}")
