"""manifest.json: what a build produced and from which inputs, as stable JSON without timestamps."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from typing import Any

from trustdocs import __version__
from trustdocs.model.project import SourceFile
from trustdocs.write.atomic import OutputSet

log = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def combined_input_hash(sources: Iterable[SourceFile]) -> str:
    """One SHA-256 over every input: `path NUL sha256 LF` per file, sorted by path."""
    digest = hashlib.sha256()
    for source in sorted(sources, key=lambda s: s.path):
        digest.update(f"{source.path}\0{source.sha256}\n".encode())
    return digest.hexdigest()


def build_manifest(outputs: Iterable[tuple[str, bytes]], sources: Iterable[SourceFile]) -> dict[str, Any]:
    """The manifest as plain data: outputs and inputs sorted by path, each with its SHA-256."""
    inputs = sorted(sources, key=lambda s: s.path)
    return {
        "format": MANIFEST_FORMAT,
        "generator": {"name": "trustdocs", "version": __version__},
        "inputs": {
            "files": [{"path": s.path, "sha256": s.sha256} for s in inputs],
            "sha256": combined_input_hash(inputs),
        },
        "outputs": [
            {"path": path, "sha256": sha256_hex(data), "size": len(data)}
            for path, data in sorted(outputs)
            if path != MANIFEST_NAME
        ],
    }


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """Stable JSON: sorted keys, two-space indent, UTF-8, one trailing newline."""
    return (json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def add_manifest(outputs: OutputSet, sources: Iterable[SourceFile]) -> dict[str, Any]:
    """Add manifest.json describing every other file of `outputs`; call it after the last output."""
    manifest = build_manifest(iter(outputs), sources)
    outputs.add(MANIFEST_NAME, manifest_bytes(manifest))
    return manifest
