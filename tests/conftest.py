"""Shared fixtures: a CLI runner, the sample project path, small projects written from YAML text, and the
sample's documents shared by every worker of a run."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from filelock import FileLock

from trustdocs.cli import main
from trustdocs.render.cache import RenderCache

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_inputs" / "acme"
GLOBEX = SAMPLE / "customers" / "globex.yaml"
MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"


# The modules that take longest, longest first (seconds of one xdist worker, from --durations, 2026-12-03).
# `--dist loadfile` keeps a module on one worker and, with --no-loadscope-reorder (pyproject.toml), hands the
# modules out in collection order: by default it sends the modules with the most tests first, so these
# slow modules of a few tests each came last and one worker ran on alone for minutes. Producers of the
# shared outputs below come before the modules that wait for them (test_packet before test_figures).
SLOWEST_FIRST = (
    "test_audience.py",  # 230
    "test_parts.py",  # 180
    "test_render_cache.py",  # 150
    "test_pdfa.py",  # 120
    "test_build.py",  # 120
    "test_layout.py",  # 85
    "test_text_rendering.py",  # 75
    "test_packet.py",  # 75
    "test_customer_document_leaks.py",  # 70
    "test_figures.py",  # 70
    "test_diff.py",  # 60
    "test_diagram_print.py",  # 60
    "test_site.py",  # 45
    "test_starter.py",  # 40
    "test_hostile_runs.py",  # 35
    "test_addenda.py",  # 35
    "test_security_document.py",  # 30
    "test_docx.py",  # 30
    "test_instruments_legal.py",  # 25
    "test_service_performance.py",  # 25
    "test_site_browser.py",  # 25
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest modules first, the rest after them as collected; a module's tests stay together, in order."""
    rank = {name: index for index, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


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


# -- outputs shared by every xdist worker of one run ------------------------------------------------
#
# Many modules read the same documents of the sample. Laying them out is most of the suite's time, so a
# module that only READS them takes them from here: each is laid out once per run, by whichever worker
# asks first, and the others wait for it (pytest-xdist's "Making session-scoped fixtures execute only
# once"). A test that changes outputs, or that checks a build or a rebuild itself (determinism, the cache,
# workers), keeps making its own.


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder all workers of this run share: the run's own base temporary folder, so nothing outlives it."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def shared_render_cache(run_dir: Path) -> RenderCache:
    """A render cache for modules that only read the PDFs: a document is laid out once per run, then read
    from here as the same bytes (tests/test_render_cache.py and tests/test_parts.py check that it gives the
    bytes of a render without it). Entries are written atomically, so workers may fill it at once."""
    directory = run_dir / "shared-render-cache"
    directory.mkdir(exist_ok=True)
    return RenderCache(directory)


@pytest.fixture(scope="session")
def warm_cache(shared_render_cache: RenderCache) -> Callable[[Path, Path | None], Path]:
    """warm_cache(DIRECTORY, customer) is DIRECTORY made a render cache holding every document a build of
    the sample (for `customer`, or none) makes, for a build whose PDFs are only read: `--cache-dir
    DIRECTORY` then lays out nothing the shared render cache has. A copy, as a build prunes its cache."""
    from trustdocs.model.audience import for_audience
    from trustdocs.project import load_project
    from trustdocs.render.cache import ENTRY_SUFFIXES
    from trustdocs.render.documents import documents_for

    def fill(directory: Path, customer: Path | None = None) -> Path:
        project = for_audience(load_project(SAMPLE, customer).project, "nda")
        for spec in documents_for(project):
            spec.render(project, shared_render_cache)
        directory.mkdir(parents=True)
        for entry in shared_render_cache.directory.iterdir():
            if entry.name.endswith(ENTRY_SUFFIXES):
                try:  # one by one: another worker may be writing its own entries
                    shutil.copyfile(entry, directory / entry.name)
                except FileNotFoundError:
                    pass
        return directory

    return fill


@pytest.fixture(scope="session")
def shared_folder(run_dir: Path) -> Callable[[str, Callable[[Path], None]], Path]:
    """shared_folder("name", make) is a folder that make(folder) filled once in this run, whichever worker
    asked first; the others wait for it on a file lock. Read only: copy it to change it."""

    def made(name: str, make: Callable[[Path], None]) -> Path:
        folder = run_dir / "shared-outputs" / name
        folder.parent.mkdir(exist_ok=True)
        done = folder.with_name(f"{name}.done")
        with FileLock(folder.with_name(f"{name}.lock")):
            if not done.exists():
                shutil.rmtree(folder, ignore_errors=True)  # left by a make that failed half-way
                folder.mkdir()
                make(folder)
                done.touch()
        return folder

    return made


@pytest.fixture(scope="session")
def shared_nda_site(shared_folder: Callable[[str, Callable[[Path], None]], Path]) -> Path:
    """The sample's NDA trust center with its documents (build_site), made once per run: tests/test_site.py
    reads its files, tests/test_site_browser.py browses it."""
    from trustdocs.project import load_project
    from trustdocs.site import build_site

    def make(folder: Path) -> None:
        outputs = build_site(load_project(SAMPLE).project, folder / "site", audience="nda")
        (folder / "outputs.txt").write_text("".join(f"{o.path}\n" for o in outputs), encoding="utf-8")

    return shared_folder("nda-site", make)


@dataclass(frozen=True)
class SharedOutput:
    """What one `trustdocs` command wrote into `out`, and what it printed. Read only: copy it to change it."""

    out: Path
    stdout: str


@pytest.fixture(scope="session")
def shared_output(shared_folder: Callable[[str, Callable[[Path], None]], Path]) -> Callable[..., SharedOutput]:
    """shared_output("name", "packet", PROJECT, ...) is what `trustdocs packet PROJECT ... -o OUT` wrote and
    printed, the command run once in this run (shared_folder)."""

    def run(name: str, *args: str) -> SharedOutput:
        def make(folder: Path) -> None:
            result = CliRunner().invoke(main, [*args, "-o", str(folder / "out")])
            assert result.exit_code == 0, result.output
            (folder / "stdout.txt").write_text(result.stdout, encoding="utf-8")

        folder = shared_folder(name, make)
        return SharedOutput(folder / "out", (folder / "stdout.txt").read_text(encoding="utf-8"))

    return run
