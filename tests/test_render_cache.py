"""The render cache: cached builds give the same bytes, damaged entries are never used, and a change
re-renders only the documents it touches."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.conftest import MINIMAL, SAMPLE
from trustdocs.build import build_project, render_outputs
from trustdocs.project import load_project
from trustdocs.render import documents
from trustdocs.render.cache import CACHE_DIRNAME, ENTRY_SUFFIX, RenderCache


def _files(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and CACHE_DIRNAME not in p.parts
    }


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cache") / "acme"
    shutil.copytree(SAMPLE, root)
    return root


@pytest.fixture(scope="module")
def reference(copy: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("nocache")
    build_project(load_project(copy).project, out, use_cache=False)
    assert not (out / CACHE_DIRNAME).exists()
    return _files(out)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the PDFs laid out by WeasyPrint in this process."""
    titles: list[str] = []
    real = documents.render_pdf

    def counting(html: str, **kwargs):  # type: ignore[no-untyped-def]
        titles.append(kwargs["metadata"].title)
        return real(html, **kwargs)

    monkeypatch.setattr(documents, "render_pdf", counting)
    return titles


def _build_here(project_dir: Path, out: Path) -> dict[str, bytes]:
    outputs = render_outputs(load_project(project_dir).project, out, parallel=False, cache=RenderCache(out / "c"))
    return dict(outputs)


class Warm(NamedTuple):
    cache: Path
    outputs: dict[str, bytes]
    laid_out: list[str]
    """The titles of the PDFs the build laid out: every document's."""


@pytest.fixture(scope="module")
def warm(copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Warm:
    """A cache filled by one build of `copy` (in one process, from an empty cache), and that build's outputs."""
    out = tmp_path_factory.mktemp("warm")
    titles: list[str] = []
    real = documents.render_pdf
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            documents, "render_pdf", lambda html, **kw: titles.append(kw["metadata"].title) or real(html, **kw)
        )
        outputs = _build_here(copy, out)
    return Warm(out / "c", outputs, titles)


@contextmanager
def edited(path: Path, old: str, new: str) -> Iterator[None]:
    """`path` with `old` replaced by `new` for the block (the module's `copy` is shared: it is put back)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(text, encoding="utf-8")


def _warm_copy(warm: Warm, directory: Path) -> Path:
    """A copy of the warm cache in `directory` (keys hold the project's path, not the cache's: it still hits)."""
    shutil.copytree(warm.cache, directory)
    return directory


def test_builds_with_the_cache_give_the_bytes_of_a_build_without(
    copy: Path, reference: dict[str, bytes], warm: Warm, tmp_path: Path
) -> None:
    # From an empty cache (the cold build with workers is compared in tests/test_build.py) ...
    assert {k: v for k, v in warm.outputs.items() if k in reference} == reference
    # ... and from a full one.
    entries = sorted(_warm_copy(warm, tmp_path / CACHE_DIRNAME).glob(f"*{ENTRY_SUFFIX}"))
    assert entries
    project = load_project(copy).project
    build_project(project, tmp_path)
    assert _files(tmp_path) == reference
    build_project(project, tmp_path)
    assert _files(tmp_path) == reference
    assert sorted((tmp_path / CACHE_DIRNAME).glob(f"*{ENTRY_SUFFIX}")) == entries
    # The cache is not an output: the manifest does not list it.
    assert CACHE_DIRNAME not in reference["manifest.json"].decode()


def test_a_damaged_entry_is_ignored_and_overwritten(
    copy: Path, reference: dict[str, bytes], warm: Warm, tmp_path: Path, rendered: list[str]
) -> None:
    _warm_copy(warm, tmp_path / "c")
    entries = sorted((tmp_path / "c").glob(f"*{ENTRY_SUFFIX}"))
    truncated, flipped = entries[0], entries[1]
    truncated.write_bytes(truncated.read_bytes()[:-100])
    data = bytearray(flipped.read_bytes())
    data[len(data) // 2] ^= 0x01
    flipped.write_bytes(bytes(data))
    rendered.clear()
    outputs = _build_here(copy, tmp_path)
    assert len(rendered) == 2
    assert {k: v for k, v in outputs.items() if k in reference} == reference
    rendered.clear()
    _build_here(copy, tmp_path)
    assert rendered == []


def test_a_foreign_entry_is_ignored(copy: Path, reference: dict[str, bytes], warm: Warm, tmp_path: Path) -> None:
    _warm_copy(warm, tmp_path / "c")
    entries = sorted((tmp_path / "c").glob(f"*{ENTRY_SUFFIX}"))
    # Another document's entry under this one's name: its header names the other key.
    entries[0].write_bytes(entries[1].read_bytes())
    outputs = _build_here(copy, tmp_path)
    assert {k: v for k, v in outputs.items() if k in reference} == reference


def test_one_sla_field_re_renders_only_the_documents_built_from_the_sla(
    copy: Path, warm: Warm, tmp_path: Path, rendered: list[str]
) -> None:
    # From a copy of the warm cache (what a first build of `copy` leaves), not a first build of a new copy.
    _warm_copy(warm, tmp_path / "out" / "c")
    with edited(copy / "legal" / "sla.yaml", "including sign-in.", "including sign-in and single sign-on."):
        _build_here(copy, tmp_path / "out")
    # The two documents built from legal/sla.yaml, which each carries as a PDF/A associated file; the security
    # document, the insurance summary, the indemnification addendum and the escrow procedure come from the cache.
    assert sorted(rendered) == [
        "Acme Ledger Service Level Agreement Addendum",
        "Acme Ledger Service Performance Report",
    ]


def test_a_changed_image_invalidates_the_documents_that_show_it(
    copy: Path, warm: Warm, tmp_path: Path, rendered: list[str]
) -> None:
    # From a copy of the warm cache (what a first build of `copy` leaves), not a first build of a new copy.
    _warm_copy(warm, tmp_path / "out" / "c")
    with edited(copy / "logo.svg", "</svg>", "<!-- v2 --></svg>"):
        _build_here(copy, tmp_path / "out")
    assert sorted(rendered) == sorted(warm.laid_out)  # every document shows the logo
    assert len(rendered) == len(set(rendered)) == 6


def test_entries_the_latest_build_did_not_use_are_pruned(copy: Path, warm: Warm, tmp_path: Path) -> None:
    project = load_project(copy).project
    used = sorted(_warm_copy(warm, tmp_path / CACHE_DIRNAME).glob(f"*{ENTRY_SUFFIX}"))
    stale = tmp_path / CACHE_DIRNAME / f"{'0' * 64}{ENTRY_SUFFIX}"
    stale.write_bytes(b"old")
    os.utime(stale, (0, 0))  # last used long ago
    build_project(project, tmp_path, cache_dir=None)
    assert not stale.exists()
    assert sorted((tmp_path / CACHE_DIRNAME).glob(f"*{ENTRY_SUFFIX}")) == used


def test_no_cache_writes_no_cache(tmp_path: Path) -> None:
    written = build_project(load_project(MINIMAL).project, tmp_path, use_cache=False, cache_dir=tmp_path / "c")
    assert written
    assert not (tmp_path / "c").exists()
    assert not (tmp_path / CACHE_DIRNAME).exists()


def test_build_help_names_the_cache_options(runner) -> None:  # type: ignore[no-untyped-def]
    from trustdocs.cli import main

    result = runner.invoke(main, ["build", "--help"])
    assert result.exit_code == 0
    assert "--cache-dir DIRECTORY" in result.output
    assert "--no-cache" in result.output
