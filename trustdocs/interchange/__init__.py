"""Threat models in and out: Threat Dragon v2 and TM-BOM imported to trustdocs YAML, trustdocs exported to TM-BOM."""

from __future__ import annotations

from trustdocs.interchange.model import Imported, Note
from trustdocs.interchange.threat_dragon import import_threat_dragon
from trustdocs.interchange.tm_bom import import_tm_bom
from trustdocs.interchange.tm_bom_export import export_tm_bom
from trustdocs.interchange.writer import project_files, write_project

__all__ = [
    "Imported",
    "Note",
    "export_tm_bom",
    "import_threat_dragon",
    "import_tm_bom",
    "project_files",
    "write_project",
]
