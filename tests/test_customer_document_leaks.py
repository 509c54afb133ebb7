"""No check result and no internal identifier reaches a customer's security document; the internal review has them."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from pathlib import Path

import jinja2
import pytest
from pypdf import PdfReader

from trustdocs.load import load_source_tree
from trustdocs.model.project import Project
from trustdocs.project import load_project
from trustdocs.render.documents import DOCUMENTS
from trustdocs.render.env import make_environment
from trustdocs.render.internal_review import INTERNAL_REVIEW, build_internal_review, internal_review_context
from trustdocs.render.leaks import leaked
from trustdocs.render.security_document import security_context
from trustdocs.validate.statements import ProjectStatements

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_inputs" / "acme"
PLANTED = REPO / "tests" / "data" / "planted"
TODAY = dt.date(2026, 11, 1)
SECURITY = next(spec for spec in DOCUMENTS if spec.name == "security")


def internal_ids(root: Path, project: Project) -> list[str]:
    """Hyphenated ids of elements, mitigations and controls that the authors' own prose does not mention."""
    tree = load_source_tree(root)
    prose = " ".join(text for _, text in ProjectStatements(tree.data, tree.positions).free_text())
    arch, model = project.architecture, project.threat_model
    ids = [
        *(c.id for c in arch.components),
        *(f.id for f in arch.data_flows),
        *(a.id for a in arch.data_assets),
        *(m.id for m in model.mitigations),
        *(c.id for c in project.security.controls),
    ]
    return [i for i in dict.fromkeys(ids) if "-" in i and i not in prose]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def sample() -> Project:
    return load_project(SAMPLE, today=TODAY).project


@pytest.fixture(scope="module")
def planted() -> Project:
    return load_project(PLANTED, today=TODAY).project


@pytest.mark.parametrize(("which", "classification"), [("sample", "nda"), ("sample", "public"), ("planted", "nda")])
def test_the_security_document_carries_no_check_result(which, classification, request, shared_render_cache):
    project: Project = request.getfixturevalue(which)
    project = replace(project, document=replace(project.document, classification=classification))
    text = pdf_text(SECURITY.render(project, shared_render_cache))  # only read: laid out once per run
    assert "Threat register" in text and "Remediation" in text  # the document was read at all
    assert leaked(text, internal_ids(SAMPLE if which == "sample" else PLANTED, project)) == []


def test_the_leak_check_fails_when_a_template_regresses(sample: Project):
    # The flow table printing element ids and the risk decisions an overdue badge, as they once did.
    env = make_environment()
    source = env.loader.get_source(env, "security/architecture.html")[0]  # type: ignore[union-attr]
    regressed = source.replace(
        "<strong>{{ f.source }} → {{ f.destination }}</strong>",
        "<strong>{{ f.source }} → {{ f.destination }}</strong> {{ f.id }}",
    )
    decisions = env.loader.get_source(env, "security/threat-model.html")[0]  # type: ignore[union-attr]
    decisions = decisions.replace(
        "<td>{{ r.review_by | date }}</td>", "<td>{{ r.review_by | date }} Review overdue</td>"
    )
    env.loader = jinja2.ChoiceLoader(
        [
            jinja2.DictLoader({"security/architecture.html": regressed, "security/threat-model.html": decisions}),
            env.loader,
        ]
    )
    html = env.get_template("security-document.html").render(
        furniture=SECURITY.furniture(sample), doc=security_context(sample, diagrams=())
    )
    text = re.sub(r"<[^>]+>", " ", html)
    found = leaked(text, internal_ids(SAMPLE, sample))
    assert "internal id: api-to-cache" in found and "overdue badge: Review overdue" in found


def test_the_internal_review_keeps_every_check_result(planted: Project, tmp_path: Path):
    warnings = load_project(PLANTED, today=TODAY).warnings
    build_internal_review(planted, tmp_path, warnings)
    text = re.sub(r"\s+", " ", pdf_text((tmp_path / "internal-review.pdf").read_bytes()))
    unbroken = text.replace(" ", "")
    for finding_id in (
        "COV-R:reporting-worker",
        "TD-PROC-001:reporting-worker",
        "HYG-REVIEW-OVERDUE:TM-020",
        "HYG-CERT-UNMAPPED:soc2",
        "HYG-CERT-UNMAPPED:iso27001",
    ):
        assert finding_id in unbroken
    assert "Internal – not for customers".upper() in text.upper()
    assert "97.1% of 173 applicable element–category pairs addressed: 166 covered, 2 exempt, 5 gap(s)." in text
    assert "'Snowflake Inc' is named as a subprocessor" in text
    assert "Met: The cyber policy" in text
    assert leaked(text) != []


def test_the_internal_review_context_lists_gaps_overdue_reviews_and_hygiene(planted: Project):
    review = internal_review_context(planted, today=TODAY)
    assert sorted(g.id for g in review.gaps) == [
        "COV-D:reporting-to-sendgrid",
        "COV-R:cache",
        "COV-R:datadog",
        "COV-R:reporting-worker",
        "COV-R:search",
    ]
    assert [r.what for r in review.overdue_reviews] == ["HYG-REVIEW-OVERDUE:TM-020"]
    assert "was due for review on 2026-06-30, 124 day(s) ago" in review.overdue_reviews[0].message
    # The planted copy predates remediation dates: its customer document says "not yet set" for each.
    assert len(review.unscheduled) == 10 and review.unscheduled[0].what == "TM-002"
    assert review.insurance_met is True


def test_build_audience_internal_writes_only_the_internal_review(shared_output):
    # The build tests/test_pdfa.py checks too, made once per run.
    internal = shared_output("sample-internal", "build", str(SAMPLE), "--audience", "internal", "-q")
    assert sorted(p.name for p in internal.out.iterdir()) == ["internal-review.pdf"]
    assert INTERNAL_REVIEW not in DOCUMENTS
