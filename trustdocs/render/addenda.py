"""The four contract addenda in the document registry (SLA, insurance summary, indemnification, escrow), and
the informational Service Performance Report that goes with the SLA addendum.

Importing this module registers them; each is one template, one context builder and one line here.
"""

from __future__ import annotations

from trustdocs.model.project import Project
from trustdocs.render.documents import DocumentSpec, register
from trustdocs.render.escrow_procedure import escrow_procedure
from trustdocs.render.indemnification import indemnification_addendum
from trustdocs.render.insurance_summary import insurance_summary
from trustdocs.render.service_performance import service_performance
from trustdocs.render.sla_addendum import sla_addendum

__all__ = [
    "ADDENDA",
    "ESCROW_PROCEDURE",
    "INDEMNIFICATION_ADDENDUM",
    "INSURANCE_SUMMARY",
    "SERVICE_PERFORMANCE",
    "SLA_ADDENDUM",
]


def _has_sla(project: Project) -> bool:
    return project.sla is not None


def _has_insurance(project: Project) -> bool:
    return project.insurance is not None


def _has_indemnification(project: Project) -> bool:
    return project.indemnification is not None


def _has_escrow(project: Project) -> bool:
    return project.escrow is not None


SLA_ADDENDUM = register(
    DocumentSpec(
        "sla-addendum",
        "sla-addendum.pdf",
        "sla-addendum.html",
        "Service Level Agreement Addendum",
        sla_addendum,
        requires=_has_sla,
        sections=("sla", "support"),
        word=True,
        keywords=("SLA", "availability", "service credits", "support"),
    )
)
SERVICE_PERFORMANCE = register(
    DocumentSpec(
        "service-performance",
        "service-performance-report.pdf",
        "service-performance.html",
        "Service Performance Report",
        service_performance,
        requires=_has_sla,
        sections=("sla", "incidents"),
        subject="Measured availability per Service and period; informational, not part of the Agreement",
        keywords=("availability", "history", "informational"),
    )
)
INSURANCE_SUMMARY = register(
    DocumentSpec(
        "insurance-summary",
        "insurance-summary.pdf",
        "insurance-summary.html",
        "Insurance Summary",
        insurance_summary,
        requires=_has_insurance,
        sections=("insurance",),
        word=True,
        keywords=("insurance", "certificate", "cyber", "tail cover"),
    )
)
INDEMNIFICATION_ADDENDUM = register(
    DocumentSpec(
        "indemnification-addendum",
        "indemnification-addendum.pdf",
        "indemnification-addendum.html",
        "Indemnification and Liability Addendum",
        indemnification_addendum,
        requires=_has_indemnification,
        sections=("indemnification",),
        word=True,
        keywords=("indemnification", "limitation of liability", "super-cap"),
    )
)
ESCROW_PROCEDURE = register(
    DocumentSpec(
        "escrow-procedure",
        "escrow-procedure.pdf",
        "escrow-procedure.html",
        "Source Code Escrow Procedure",
        escrow_procedure,
        requires=_has_escrow,
        sections=("escrow",),
        word=True,
        keywords=("escrow", "deposit", "verification", "release"),
    )
)

ADDENDA: tuple[DocumentSpec, ...] = (SLA_ADDENDUM, INSURANCE_SUMMARY, INDEMNIFICATION_ADDENDUM, ESCROW_PROCEDURE)
