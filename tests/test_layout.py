"""Every page as a typesetter would pass it: no stranded table rows, no orphaned headings, no page half
empty without a reason, in every document of the sample, of the Globex build and of a generated project."""

from __future__ import annotations

import weasyprint

from tests.conftest import GLOBEX, SAMPLE
from tests.layout_check import layout_problems
from trustdocs.model.project import Project
from trustdocs.project import load_project
from trustdocs.render.documents import DocumentSpec, documents_for
from trustdocs.render.fetcher import RestrictedFetcher
from trustdocs.render.pdf import base_url_for


def laid_out(spec: DocumentSpec, project: Project) -> weasyprint.Document:
    """The pages of one document, laid out exactly as its PDF is (same HTML, same fetcher)."""
    job = spec.pdf_job(project)
    fetcher = RestrictedFetcher(job.project_root, extra_roots=job.extra_roots)
    return weasyprint.HTML(string=job.html, base_url=base_url_for(job.project_root), url_fetcher=fetcher).render()


def problems_of(project: Project) -> list[str]:
    return [
        f"{spec.name}: {problem}"
        for spec in documents_for(project)
        for problem in layout_problems(laid_out(spec, project))
    ]


def test_the_sample_documents_have_no_layout_problems() -> None:
    assert problems_of(load_project(SAMPLE).project) == []


def test_the_globex_documents_have_no_layout_problems() -> None:
    assert problems_of(load_project(SAMPLE, GLOBEX).project) == []


def test_a_generated_60_component_project_has_no_layout_problems(tmp_path) -> None:
    import sys

    sys.path.insert(0, str(SAMPLE.parent.parent / "benchmarks"))
    from generate import generate_project

    generate_project(60, tmp_path / "gen")
    assert problems_of(load_project(tmp_path / "gen").project) == []
