"""The starter project `trustdocs init` writes: the commented YAML files shipped in templates/starter/."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from trustdocs.validate.editor_schemas import EDITOR_SCHEMAS, editor_schema_text

STARTER = ("starter",)
"""Where the starter's YAML files live inside the trustdocs.templates package."""


def starter_files() -> list[tuple[str, bytes]]:
    """Every file of the starter as (path relative to the project, bytes), sorted by path.

    The YAML files come from the package; the editor schemas their first lines name are generated, so they
    always match the schemas of this version of trustdocs.
    """
    root = files("trustdocs.templates").joinpath(*STARTER)
    found = [(relative, entry.read_bytes()) for relative, entry in _walk(root, "")]
    found += [(entry.file_name, editor_schema_text(entry.kind).encode("utf-8")) for entry in EDITOR_SCHEMAS]
    return sorted(found)


def _walk(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for entry in folder.iterdir():
        relative = f"{prefix}{entry.name}"
        if entry.is_dir():
            found += _walk(entry, f"{relative}/")
        elif entry.name.endswith(".yaml"):
            found.append((relative, entry))
    return found
