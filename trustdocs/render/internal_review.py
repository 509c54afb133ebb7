"""The internal review: the vendor's own check results, which never go into a customer's document.

`build --audience internal` writes it as `internal-review.pdf`: validation warnings (consistency between
statements included), the threat-model check's findings with their IDs and YAML lines, STRIDE coverage
gaps, overdue risk reviews, register hygiene, open threats without a remediation date, and whether the
insurance funds the liability super-cap. It reads the whole project, internal items included.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from trustdocs.analyse.architecture import ArchitectureIndex
from trustdocs.analyse.findings import Finding
from trustdocs.analyse.liability import insurance_covers_super_cap
from trustdocs.analyse.threat_model import analyse_threat_model
from trustdocs.errors import Problem
from trustdocs.model.project import Project
from trustdocs.render.documents import DocumentSpec, Furniture
from trustdocs.render.security_programme import Fact
from trustdocs.render.security_threats import CoverageView, FindingRow, coverage_view, finding_rows
from trustdocs.write.atomic import OutputSet

__all__ = ["INTERNAL_REVIEW", "InternalReview", "build_internal_review", "internal_review_context"]

FILENAME = "internal-review.pdf"


@dataclass(frozen=True)
class LocatedRow:
    """A result with where it was found: 'file:line:col', what (dotted path or finding id) and the message."""

    where: str
    what: str
    severity: str
    message: str


@dataclass(frozen=True)
class InternalReview:
    """Everything internal-review.html shows."""

    summary: tuple[Fact, ...]
    warnings: tuple[LocatedRow, ...]
    findings: tuple[LocatedRow, ...]
    """Active threat-model check findings, most severe first, with their finding IDs."""
    overdue_reviews: tuple[LocatedRow, ...]
    hygiene: tuple[LocatedRow, ...]
    unscheduled: tuple[LocatedRow, ...]
    """Open or in-progress threats with no planned remediation date."""
    coverage: CoverageView
    gaps: tuple[FindingRow, ...]
    insurance_check: str
    insurance_met: bool | None


def _where(location: object) -> str:
    return str(location) if location is not None else "—"


def internal_review_context(
    project: Project, warnings: Iterable[Problem] = (), *, today: dt.date | None = None
) -> InternalReview:
    """The internal review of `project` (not audience-filtered), with the validation `warnings` it loaded with."""
    today = today or project.document.effective_date
    report = analyse_threat_model(project, today)
    index = ArchitectureIndex.from_architecture(project.architecture)
    titles = {t.id: t.title for t in project.threat_model.threats}
    active = report.active

    def row(finding: Finding) -> LocatedRow:
        return LocatedRow(_where(finding.location), finding.id, finding.severity, finding.message)

    check = (
        insurance_covers_super_cap(project.insurance, project.indemnification)
        if project.insurance is not None and project.indemnification is not None
        else None
    )
    warning_rows = tuple(LocatedRow(_where(w.location), w.path, w.severity, w.message) for w in warnings)
    unscheduled = tuple(
        LocatedRow(
            _where(t.loc),
            t.id,
            "open",
            f"'{t.title}' is {t.status.replace('_', ' ')} and has no "
            f"remediation_date; the customer's document says the date is not yet set",
        )
        for t in project.threat_model.threats
        if t.status in ("open", "in_progress") and t.remediation_date is None
    )
    coverage = coverage_view(report.coverage, project.threat_model.exemptions, index)
    counts = report.counts()
    summary = (
        Fact("Reviewed as of", today.isoformat()),
        Fact("Validation warnings", str(len(warning_rows))),
        Fact("Check findings", ", ".join(f"{counts.get(s, 0)} {s}" for s in ("critical", "high", "medium", "low"))),
        Fact(
            "STRIDE coverage",
            f"{coverage.percent_text} of {coverage.applicable} applicable categories "
            f"addressed; {coverage.gaps} gap(s), {coverage.exempt} exempt",
        ),
        Fact("Insurance against the super-cap", "—" if check is None else ("Met" if check.met else "NOT MET")),
    )
    return InternalReview(
        summary=summary,
        warnings=warning_rows,
        findings=tuple(row(f) for f in active),
        overdue_reviews=tuple(row(f) for f in active if f.rule_id == "HYG-REVIEW-OVERDUE"),
        hygiene=tuple(row(f) for f in active if f.category == "hygiene"),
        unscheduled=unscheduled,
        coverage=coverage,
        gaps=finding_rows((f for f in active if f.category == "coverage"), index, titles),
        insurance_check=check.explanation if check is not None else "No super-cap is set, so there is nothing to fund.",
        insurance_met=check.met if check is not None else None,
    )


INTERNAL_REVIEW = DocumentSpec(
    "internal-review",
    FILENAME,
    "internal-review.html",
    "Internal Security Review",
    internal_review_context,
    audience="internal",
    keywords=("internal", "threat model check", "findings"),
)
"""Not registered: a build for customers never writes it; only `build --audience internal` does."""


def _furniture(project: Project) -> Furniture:
    # Whatever the documents' classification, this one stays with the vendor.
    return dataclasses.replace(INTERNAL_REVIEW.furniture(project), classification="internal", customer_name=None)


def build_internal_review(project: Project, out_dir: Path, warnings: Iterable[Problem] = ()) -> list[str]:
    """Render the internal review of `project` and write it into `out_dir` (atomically); the paths written."""
    from trustdocs.render.associated_files import associated_files
    from trustdocs.render.documents import render_pdf_document

    context = internal_review_context(project, tuple(warnings))
    # The vendor's own review may carry every YAML file of the project, internal items and all.
    sections = sorted({section for source in project.sources for section in source.sections})
    attachments = associated_files(project, document=FILENAME, sections=sections, audience="internal")
    pdf = render_pdf_document(
        INTERNAL_REVIEW.template,
        furniture=_furniture(project),
        context=context,
        project_root=project.root,
        attachments=attachments,
    )
    outputs = OutputSet(out_dir)
    outputs.add(FILENAME, pdf)
    outputs.write()
    return [FILENAME]
