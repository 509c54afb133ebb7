"""The load stage: safe YAML with a position for every key and value, and a project's included files."""

from __future__ import annotations

from trustdocs.load.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_FILES, MAX_NODES, MAX_TOTAL_BYTES
from trustdocs.load.positions import DataPath, Positions, format_path
from trustdocs.load.project_files import (
    ProjectFile,
    SourceTree,
    display_name,
    load_extra_file,
    load_source_tree,
    read_project_file,
)
from trustdocs.load.yaml_source import load_yaml, parse_yaml

__all__ = [
    "MAX_DEPTH",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "MAX_TOTAL_BYTES",
    "DataPath",
    "Positions",
    "ProjectFile",
    "SourceTree",
    "display_name",
    "format_path",
    "load_extra_file",
    "load_source_tree",
    "load_yaml",
    "parse_yaml",
    "read_project_file",
]
