"""Shared fixtures: a CLI runner, the sample project path and small projects written from YAML text."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_inputs" / "acme"
GLOBEX = SAMPLE / "customers" / "globex.yaml"
MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def sample() -> Path:
    return SAMPLE


@pytest.fixture
def project(tmp_path):
    """Write a project from YAML texts: project({"trustdocs.yaml": "..."}) -> the project directory."""

    def write(files: dict[str, str]) -> Path:
        root = tmp_path / "project"
        for name, text in files.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return root

    return write


_opens: list[str] | None = None


def _record_opens(event: str, args: tuple) -> None:
    if event == "open" and _opens is not None and isinstance(args[0], (str, bytes, os.PathLike)):
        _opens.append(os.fsdecode(args[0]))


sys.addaudithook(_record_opens)


@pytest.fixture
def file_opens() -> Iterator[list[str]]:
    """Every file Python opens during the test (an audit-hook spy)."""
    global _opens
    _opens = []
    try:
        yield _opens
    finally:
        _opens = None
