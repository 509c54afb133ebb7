"""`init`, `validate`, `schema` and `build`: the commands that work on a whole project."""

from __future__ import annotations

from pathlib import Path

import click

from trustdocs.cli import main
from trustdocs.cli.options import (
    cache_dir_option,
    customer_option,
    echo_warnings,
    no_cache_option,
    project_argument,
)
from trustdocs.errors import TrustdocsError
from trustdocs.model.base import Audience
from trustdocs.project import load_project
from trustdocs.summary import summarise
from trustdocs.validate.editor_schemas import EDITOR_SCHEMAS, KINDS, editor_schema_text


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Write into DIRECTORY even if it is not empty, replacing the starter's own files there.",
)
def init(directory: Path, force: bool) -> None:
    """Create a commented starter project in DIRECTORY that validates and builds as it is.

    The starter holds every section, split across files as a real project is: trustdocs.yaml (document
    control and the list of included files), architecture.yaml, security/ (programme and threat model),
    legal/ (SLA, support, incidents, insurance, indemnification, escrow and the escrow deposit log) and a
    customer file under customers/. The editor schemas their first lines name are written alongside.

    DIRECTORY is created if needed and must be empty: init refuses (exit 1) to write into a folder that
    holds anything, unless --force is given; --force replaces only the files the starter writes and
    leaves every other file alone.
    """
    from trustdocs.starter import starter_files

    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise TrustdocsError(
            f"{directory} is not empty; init writes a new project into an empty or new "
            "directory (use --force to write the starter's files into it anyway)"
        )
    files = starter_files()
    _write_files([(directory.joinpath(*relative.split("/")), data) for relative, data in files])
    click.echo(f"Created a starter project in {directory} ({len(files)} files). Next: trustdocs validate {directory}")


@main.command()
@project_argument
@customer_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
def validate(project: Path, customer: Path | None, strict: bool) -> None:
    """Check PROJECT (default: the current directory) and print a summary.

    Every problem is reported at once, one per line as FILE:LINE:COL: PATH: MESSAGE; the exit status is 1
    when any error is found (or any warning, with --strict).
    """
    result = load_project(project, customer, strict=strict)
    echo_warnings(result.warnings)
    click.echo(f"{project}: valid: {summarise(result.project)}")


@main.command()
@click.option(
    "-k",
    "--kind",
    type=click.Choice(KINDS),
    default="project",
    show_default=True,
    help="Which file the schema is for: project (trustdocs.yaml), part (an included file), customer "
    "(customers/*.yaml) or deposit-log (the escrow deposit log).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file instead of standard output.",
)
@click.option(
    "-d",
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the schema of every kind into this directory, under the names the schema lines use.",
)
def schema(kind: str, output: Path | None, directory: Path | None) -> None:
    """Print the JSON Schema of one kind of project file, for editors.

    Each schema is self-contained (draft 2020-12, no reference to another file). `trustdocs schema --dir .`
    in the project folder writes all four: trustdocs.schema.json, trustdocs-part.schema.json,
    trustdocs-customer.schema.json and trustdocs-deposit-log.schema.json. With yaml-language-server
    (VS Code's YAML extension, Neovim, JetBrains), the first line of each YAML file names its schema,
    relative to that file:

    \b
      trustdocs.yaml:              # yaml-language-server: $schema=./trustdocs.schema.json
      legal/sla.yaml:              # yaml-language-server: $schema=../trustdocs-part.schema.json
      customers/globex.yaml:       # yaml-language-server: $schema=../trustdocs-customer.schema.json
      legal/escrow-deposits.yaml:  # yaml-language-server: $schema=../trustdocs-deposit-log.schema.json
    """
    if directory is not None and (output is not None or kind != "project"):
        raise click.UsageError("--dir writes every kind; give it without --output and --kind")
    if directory is None:
        text = editor_schema_text(kind)
        if output is None:
            click.echo(text, nl=False)
        else:
            _write_files([(output, text.encode("utf-8"))])
            click.echo(f"Wrote {output}", err=True)
        return
    _write_files(
        [(directory / entry.file_name, editor_schema_text(entry.kind).encode("utf-8")) for entry in EDITOR_SCHEMAS]
    )
    for entry in EDITOR_SCHEMAS:
        click.echo(f"Wrote {directory / entry.file_name} for {entry.describes}", err=True)


def _write_files(files: list[tuple[Path, bytes]]) -> None:
    """Write each file atomically, creating its folders; a path that cannot be written is a one-line error
    (atomic_write_bytes says which and why), not a traceback."""
    from trustdocs.write.atomic import atomic_write_bytes

    for path, data in files:
        atomic_write_bytes(path, data)


@main.command()
@project_argument
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Directory to write the documents into.",
)
@customer_option
@click.option(
    "--audience",
    type=click.Choice(["nda", "public", "internal"]),
    default="nda",
    show_default=True,
    help="Who the output is for: 'public' also leaves out NDA-only content; 'internal' writes only "
    "internal-review.pdf, the vendor's own check results (never for customers).",
)
@click.option(
    "--docx",
    is_flag=True,
    help="Also write each addendum as a Word document (.docx) for redlines, with the PDF's text.",
)
@cache_dir_option
@no_cache_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def build(
    project: Path,
    out_dir: Path,
    customer: Path | None,
    audience: Audience,
    docx: bool,
    cache_dir: Path | None,
    no_cache: bool,
    strict: bool,
    quiet: bool,
) -> None:
    """Render the documents, diagrams and manifest of PROJECT into OUT.

    Everything is rendered in memory first and then written file by file atomically, so a failed build
    leaves what OUT already held untouched.
    """
    from trustdocs.build import build_project
    from trustdocs.cli.progress import progress_reporter

    result = load_project(project, customer, strict=strict)
    if not quiet:
        echo_warnings(result.warnings)
    if audience == "internal":
        from trustdocs.render.internal_review import build_internal_review

        for path in build_internal_review(result.project, out_dir, result.warnings):
            if not quiet:
                click.echo(f"wrote {out_dir / path}")
        return
    with progress_reporter(quiet=quiet) as report:
        outputs = build_project(
            result.project,
            out_dir,
            audience=audience,
            progress=report,
            docx=docx,
            cache_dir=cache_dir,
            use_cache=not no_cache,
        )
    if not quiet:
        for output in outputs:
            click.echo(f"wrote {out_dir / output.path} ({output.size:,} bytes)")
