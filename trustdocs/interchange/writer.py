"""Writing an import as a trustdocs project: the imported sections, and a skeleton of what the source lacks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from trustdocs.errors import TrustdocsError
from trustdocs.interchange.model import TO_COMPLETE, Imported

ARCHITECTURE = "architecture.yaml"
THREATS = "security/threats.yaml"
PROGRAMME = "security/programme.yaml"
ROOT = "trustdocs.yaml"

_SKELETON_BANNER = f"""\
# SKELETON TO COMPLETE: {{what}} was not in the imported {{source}} model. Every value
# marked {TO_COMPLETE} (and every figure in this file) is a placeholder that makes the project valid; replace
# them with yours before sending a document to anyone. Status stays `draft` (DRAFT watermark) until then.
"""

_DOCUMENT_SKELETON: dict[str, Any] = {
    "vendor": {
        "legal_name": TO_COMPLETE,
        "address": {"street": TO_COMPLETE, "city": TO_COMPLETE, "postal_code": TO_COMPLETE, "country": TO_COMPLETE},
    },
    "security_contact": {"name": TO_COMPLETE, "email": "security@example.com"},
    "version": "0.1",
    "status": "draft",
    "effective_date": "1970-01-01",
    "classification": "nda",
    "owners": [{"name": TO_COMPLETE, "email": "owner@example.com", "role": TO_COMPLETE}],
}

_SECURITY_SKELETON: dict[str, Any] = {
    "security": {
        "organisation": {"security_lead": TO_COMPLETE, "security_lead_title": TO_COMPLETE, "team_size": 1},
        "encryption": {
            "in_transit": {"minimum_tls": "1.2"},
            "at_rest": {"algorithm": TO_COMPLETE, "key_management": TO_COMPLETE},
        },
        "identity": {"customer": {}, "workforce": {}},
        "sdlc": {"code_review": False},
        "vulnerability_management": {
            "remediation": {"critical_days": 7, "high_days": 30, "medium_days": 90, "low_days": 180}
        },
        "logging": {},
        "incident_response": {"notification_hours": 72},
        "continuity": {"rto_hours": 24, "rpo_hours": 24},
        "hosting": {"provider": TO_COMPLETE, "regions": [TO_COMPLETE]},
    }
}


def _security(imported: Imported) -> dict[str, Any]:
    if not imported.security_controls:
        return _SECURITY_SKELETON
    return {"security": {**_SECURITY_SKELETON["security"], "controls": list(imported.security_controls)}}


def _dump(value: dict[str, Any]) -> str:
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)


def project_files(imported: Imported, source_name: str) -> list[tuple[str, bytes]]:
    """The files of the imported project as (path relative to the project, bytes), in a fixed order."""
    banner = f"# Imported by `trustdocs import` from the {imported.source_format} model {source_name}.\n"
    root = {
        "include": [ARCHITECTURE, PROGRAMME, THREATS],
        "document": {"product": imported.title.strip() or TO_COMPLETE, **_DOCUMENT_SKELETON},
    }
    files = [
        (
            ROOT,
            "# yaml-language-server: $schema=./trustdocs.schema.json\n"
            + banner
            + _SKELETON_BANNER.format(what="Document control", source=imported.source_format)
            + "\n"
            + _dump(root),
        ),
        (
            ARCHITECTURE,
            "# yaml-language-server: $schema=./trustdocs-part.schema.json\n"
            + banner
            + f"# Components' technology, hosting and owner are not in the source model: replace {TO_COMPLETE}.\n\n"
            + _dump({"architecture": imported.architecture}),
        ),
        (
            PROGRAMME,
            "# yaml-language-server: $schema=../trustdocs-part.schema.json\n"
            + banner
            + _SKELETON_BANNER.format(what="The security programme", source=imported.source_format)
            + "\n"
            + _dump(_security(imported)),
        ),
        (
            THREATS,
            "# yaml-language-server: $schema=../trustdocs-part.schema.json\n"
            + banner
            + "# Likelihood and impact are mapped from the source's severity on the default 5 x 5 matrix.\n\n"
            + _dump({"threat_model": imported.threat_model}),
        ),
    ]
    return [(path, text.encode("utf-8")) for path, text in files]


def write_project(imported: Imported, directory: Path, source_name: str, *, force: bool = False) -> list[Path]:
    """Write the imported project into `directory` (created if needed); refuses a non-empty one unless `force`.

    Every file is rendered before any is written, and each is written atomically.
    """
    from trustdocs.write.atomic import OutputSet

    if directory.exists() and not directory.is_dir():
        raise TrustdocsError(f"{directory} is not a directory")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise TrustdocsError(
            f"{directory} is not empty; import writes a new project into an empty or new "
            "directory (use --force to replace its trustdocs.yaml, architecture.yaml and "
            "security/ files)"
        )
    outputs = OutputSet(directory)
    for relative, data in project_files(imported, source_name):
        outputs.add(relative, data)
    return outputs.write()
