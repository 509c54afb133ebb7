"""`import threat-dragon`, `import tm-bom` and `export tm-bom`: threat models in and out of trustdocs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from trustdocs.cli import main
from trustdocs.cli.options import project_argument
from trustdocs.errors import TrustdocsError

if TYPE_CHECKING:
    from trustdocs.interchange.model import Imported

_OUTPUT = click.option(
    "-o",
    "--output",
    "directory",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The project directory to write; created if needed, and must be empty unless --force.",
)
_FORCE = click.option(
    "--force", is_flag=True, help="Write into a non-empty directory, replacing the files the import writes."
)
_SOURCE = click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))


@main.group(name="import")
def import_() -> None:
    """Bring an existing threat model in as a trustdocs project.

    The architecture and threat model are imported; what the source model lacks (document control, the
    security programme) is written as a skeleton marked TO COMPLETE. Everything in the source that trustdocs
    cannot map is listed on standard output, one line each, with its JSON pointer in the source.
    """


@import_.command(name="threat-dragon")
@_SOURCE
@_OUTPUT
@_FORCE
def import_threat_dragon_command(source: Path, directory: Path, force: bool) -> None:
    """Import an OWASP Threat Dragon v2 model (SOURCE, a .json file) into the project DIRECTORY.

    Actors, processes and stores become components, boundary boxes (and closed boundary curves) become
    trust boundaries holding the elements drawn inside them, flows become data flows, and each element's
    threats become threats with their STRIDE category, status, severity and mitigation.
    """
    from trustdocs.interchange import import_threat_dragon

    _write(import_threat_dragon(source, str(source)), source, directory, force)


@import_.command(name="tm-bom")
@_SOURCE
@_OUTPUT
@_FORCE
def import_tm_bom_command(source: Path, directory: Path, force: bool) -> None:
    """Import a TM-BOM (OWASP Threat Model Library schema 1.0.x, JSON) into the project DIRECTORY.

    Actors, components and data stores become components, trust zones become trust boundaries, data flows
    become data flows, and threats become threats, rated from their risks and mitigated by their controls.
    A TM-BOM written by `trustdocs export tm-bom` comes back exactly as it was exported.
    """
    from trustdocs.interchange import import_tm_bom

    _write(import_tm_bom(source, str(source)), source, directory, force)


def _write(imported: Imported, source: Path, directory: Path, force: bool) -> None:
    from trustdocs.interchange import write_project

    write_project(imported, directory, source.name, force=force)
    for note in imported.notes:
        click.echo(f"not mapped: {source}#{note}")
    architecture = imported.architecture
    click.echo(
        f"Imported {len(architecture['components'])} components, "
        f"{_count_boundaries(architecture.get('trust_boundaries', []))} trust boundaries, "
        f"{len(architecture.get('data_flows', []))} data flows and "
        f"{len(imported.threat_model['threats'])} threats into {directory} "
        f"({len(imported.notes)} not mapped, listed above)."
    )
    click.echo(
        f"Complete the skeleton: document control in {directory / 'trustdocs.yaml'} and the security "
        f"programme in {directory / 'security' / 'programme.yaml'} are placeholders marked TO COMPLETE, "
        "as are the components' technology, hosting and owner; add the SLA and legal sections "
        f"(see trustdocs init). Next: trustdocs validate {directory}"
    )


def _count_boundaries(boundaries: list[dict[str, Any]]) -> int:
    return sum(1 + _count_boundaries(b.get("boundaries", [])) for b in boundaries)


@main.group(name="export")
def export() -> None:
    """Write a project's architecture and threat model in an exchange format."""


@export.command(name="tm-bom")
@project_argument
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The TM-BOM JSON file to write.",
)
def export_tm_bom_command(project: Path, output: Path) -> None:
    """Export PROJECT's architecture and threats as a TM-BOM (OWASP Threat Model Library schema 1.0.2).

    Components, trust zones and boundaries, data flows, threats, controls (the mitigations) and risks (the
    likelihood and impact of each threat) use the schema's own fields; what it has no field for (STRIDE,
    status, nesting and trust levels, protocols, the original ids) goes in the extension
    trustdocs.dev/tm-bom/v1, so `trustdocs import tm-bom` gives the same project back. Internal items
    are exported too: the file is for the vendor's own tools.
    """
    from trustdocs.interchange import export_tm_bom
    from trustdocs.project import load_project
    from trustdocs.write.atomic import atomic_write_bytes

    data = export_tm_bom(load_project(project).project)
    try:
        atomic_write_bytes(output, data)
    except OSError as exc:
        raise TrustdocsError(f"cannot write {output}: {(exc.strerror or str(exc)).lower()}") from None
    click.echo(f"Wrote {output}")
