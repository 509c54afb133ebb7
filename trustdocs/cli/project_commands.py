"""`init`, `validate`, `schema` and `build`: the commands that work on a whole project."""
from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import click

from trustdocs.cli import main
from trustdocs.cli.options import audience_option, customer_option, echo_warnings, project_argument
from trustdocs.errors import TrustdocsError
from trustdocs.project import load_project
from trustdocs.summary import summarise


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Write into DIRECTORY even if it already holds a trustdocs.yaml.")
def init(directory: Path, force: bool) -> None:
    """Create a commented starter project in DIRECTORY that validates as it is."""
    from trustdocs.write.atomic import atomic_write_bytes

    target = directory / "trustdocs.yaml"
    if target.exists() and not force:
        raise TrustdocsError(f"{target} already exists; use --force to overwrite it")
    starter = files("trustdocs.templates").joinpath("starter", "trustdocs.yaml")
    atomic_write_bytes(target, starter.read_bytes())
    click.echo(f"Created {target}. Next: trustdocs validate {directory}")


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
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema to this file instead of standard output.")
def schema(output: Path | None) -> None:
    """Print the combined JSON Schema of a project file, for editors.

    With yaml-language-server (VS Code's YAML extension, Neovim, JetBrains), put
    `# yaml-language-server: $schema=trustdocs.schema.json` at the top of trustdocs.yaml to get completion
    and inline errors.
    """
    from trustdocs.validate.schemas import bundled_project_schema
    from trustdocs.write.atomic import atomic_write_bytes

    text = json.dumps(bundled_project_schema(), indent=2, sort_keys=True) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write_bytes(output, text.encode("utf-8"))
        click.echo(f"Wrote {output}", err=True)


@main.command()
@project_argument
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build"), show_default=True, help="Directory to write the documents into.")
@customer_option
@audience_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def build(project: Path, out_dir: Path, customer: Path | None, audience: str, strict: bool, quiet: bool) -> None:
    """Render the documents, diagrams and manifest of PROJECT into OUT.

    Everything is rendered in memory first and then written file by file atomically, so a failed build
    leaves what OUT already held untouched.
    """
    from trustdocs.build import build_project
    from trustdocs.cli.progress import progress_reporter

    result = load_project(project, customer, strict=strict)
    if not quiet:
        echo_warnings(result.warnings)
    with progress_reporter(quiet=quiet) as report:
        outputs = build_project(result.project, out_dir, audience=audience, progress=report)
    if not quiet:
        for output in outputs:
            click.echo(f"wrote {out_dir / output.path} ({output.size:,} bytes)")

