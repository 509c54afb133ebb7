"""A document's associated files (PDF/A-3): the YAML sources it was built from and a manifest of them.

A signed PDF then carries what it was built from. Only the files that feed the document are considered (the
loader records which top-level sections each file defines), and a file is embedded only when every item in
it is for the document's readers: a file holding an item marked for a narrower audience (an internal
threat, say) is listed in the manifest with its hash but not embedded, since its bytes would show what the
document leaves out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trustdocs import __version__
from trustdocs.errors import BuildError, InputError
from trustdocs.load.yaml_source import parse_yaml
from trustdocs.model.base import AUDIENCE_ORDER, Audience
from trustdocs.model.project import Project
from trustdocs.render.pdf import PdfAttachment

SOURCE_MANIFEST = "trustdocs-sources.json"
"""The name of the per-document source manifest inside the PDF."""
YAML_MIME = "application/yaml"
JSON_MIME = "application/json"
CUSTOMER_FOLDER = "customer"
"""Where a customer file from outside the project is named inside the PDF."""


@dataclass(frozen=True)
class DocumentSource:
    """One input file of a document: its name (relative to the project, with '/'), bytes and whether it is embedded."""

    name: str
    data: bytes
    embedded: bool

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _audiences(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        marked = value.get("audience")
        if isinstance(marked, str):
            yield marked
        for item in value.values():
            yield from _audiences(item)
    elif isinstance(value, list):
        for item in value:
            yield from _audiences(item)


def readable_by(data: bytes, audience: Audience) -> bool:
    """Whether readers of an `audience` document may see every item of the YAML file `data`.

    Parsed as the project loader parses it (same limits); a file it cannot parse is not embedded.
    """
    try:
        parsed, _ = parse_yaml(data, "attachment")
    except InputError:
        return False
    limit = AUDIENCE_ORDER[audience]
    return all(AUDIENCE_ORDER.get(marked, len(AUDIENCE_ORDER)) <= limit for marked in _audiences(parsed))


def _read(path: Path, name: str, sha256: str | None) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BuildError(f"cannot read {name} to attach it: {(error.strerror or str(error)).lower()}") from None
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise BuildError(f"{name} changed while building; build again")
    return data


def customer_file_name(project: Project) -> str | None:
    """How the customer file is named inside the PDF: relative to the project, else under CUSTOMER_FOLDER."""
    if project.customer_file is None:
        return None
    path = project.customer_file.resolve()
    if path.is_relative_to(project.root):
        return path.relative_to(project.root).as_posix()
    return f"{CUSTOMER_FOLDER}/{path.name}"


def document_sources(project: Project, sections: Iterable[str], audience: Audience) -> tuple[DocumentSource, ...]:
    """The YAML files that define any of `sections` (plus the customer file of a customer build), by name."""
    wanted = set(sections)
    found: dict[str, DocumentSource] = {}
    for source in project.sources:
        if not wanted.intersection(source.sections) or not source.path.endswith((".yaml", ".yml")):
            continue
        data = _read(project.root / source.path, source.path, source.sha256)
        found[source.path] = DocumentSource(source.path, data, readable_by(data, audience))
    name = customer_file_name(project)
    if name is not None and project.customer_file is not None:
        data = _read(project.customer_file, name, None)
        found[name] = DocumentSource(name, data, readable_by(data, audience))
    return tuple(found[n] for n in sorted(found))


def source_manifest(document: str, sources: Iterable[DocumentSource]) -> bytes:
    """The JSON manifest of a document's sources: path, SHA-256, size and whether the PDF embeds the file."""
    manifest = {
        "document": document,
        "generator": f"trustdocs {__version__}",
        "trustdocs_version": __version__,
        "files": [{"path": s.name, "sha256": s.sha256, "size": len(s.data), "embedded": s.embedded} for s in sources],
    }
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")


def associated_files(
    project: Project, *, document: str, sections: Iterable[str], audience: Audience
) -> tuple[PdfAttachment, ...]:
    """The files `document` embeds: its readable YAML sources (/Source) and its source manifest (/Data)."""
    sources = document_sources(project, sections, audience)
    attachments = [
        PdfAttachment(s.name, s.data, f"source of this document: {s.name}", "Source", YAML_MIME)
        for s in sources
        if s.embedded
    ]
    manifest = source_manifest(document, sources)
    attachments.append(
        PdfAttachment(
            SOURCE_MANIFEST, manifest, "the files this document was built from, with their SHA-256", "Data", JSON_MIME
        )
    )
    return tuple(attachments)
