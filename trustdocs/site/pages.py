"""What each page of the trust center shows: typed contexts built from the model with the documents' own
computations (availability from the service performance report, support targets from the SLA addendum's
support terms, security facts from the security document), never recomputed here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trustdocs.model.audience import OutputAudience
from trustdocs.model.project import Project
from trustdocs.render.contract import percent_text
from trustdocs.render.env import format_date
from trustdocs.render.security_compliance import SubprocessorRow, subprocessor_rows
from trustdocs.render.security_programme import Fact, programme_facts
from trustdocs.render.service_performance import PerformanceLine, service_performance
from trustdocs.render.support_terms import TargetLine, plan_hours, plan_targets


@dataclass(frozen=True)
class SitePage:
    """One page: its file name, the template that lays it out and its title in the navigation."""

    filename: str
    template: str
    title: str


PAGES: tuple[SitePage, ...] = (
    SitePage("index.html", "site/overview.html", "Overview"),
    SitePage("security.html", "site/security.html", "Security programme"),
    SitePage("certifications.html", "site/certifications.html", "Certifications"),
    SitePage("subprocessors.html", "site/subprocessors.html", "Subprocessors"),
    SitePage("uptime.html", "site/uptime.html", "Uptime history"),
    SitePage("support.html", "site/support.html", "Support"),
    SitePage("downloads.html", "site/downloads.html", "Downloads"),
)

FACT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("organisation", "Organisation"),
    ("hosting", "Hosting"),
    ("transit", "Encryption in transit"),
    ("rest", "Encryption at rest"),
    ("customer_identity", "Customer identity and access"),
    ("workforce", "Workforce access"),
    ("sdlc", "Secure development"),
    ("pen_test", "Penetration testing"),
    ("disclosure", "Vulnerability disclosure"),
    ("vulnerability", "Vulnerability management"),
    ("logging", "Logging and monitoring"),
    ("incident", "Incident response"),
    ("continuity", "Business continuity"),
    ("privacy", "Privacy"),
    ("personnel", "Personnel security"),
)
"""The security document's fact tables shown on the security page, in reading order."""


@dataclass(frozen=True)
class FactSection:
    id: str
    title: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class ControlLine:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class CertificationLine:
    name: str
    auditor: str
    period: str
    scope: str
    report: str
    """"Report available under NDA" or "Publicly available", as the security document says it."""


@dataclass(frozen=True)
class ServiceUptime:
    service: str
    commitment: str
    lines: tuple[PerformanceLine, ...]


@dataclass(frozen=True)
class PlanSupport:
    name: str
    hours: str
    description: str
    targets: tuple[TargetLine, ...]


@dataclass(frozen=True)
class Download:
    title: str
    href: str
    """Relative to the site root: downloads/security-document.pdf."""
    size: str


@dataclass(frozen=True)
class ServiceLine:
    name: str
    commitment: str
    description: str


@dataclass(frozen=True)
class SiteContent:
    """Everything the pages show, for one audience."""

    product: str
    vendor: str
    website: str | None
    description: str
    audience: OutputAudience
    security_contact: str
    security_email: str
    services: tuple[ServiceLine, ...]
    security_summary: str
    policies: tuple[str, ...]
    fact_sections: tuple[FactSection, ...]
    controls: tuple[ControlLine, ...]
    certifications: tuple[CertificationLine, ...]
    subprocessors: tuple[SubprocessorRow, ...]
    uptime: tuple[ServiceUptime, ...]
    uptime_term: str
    uptime_time_zone: str
    uptime_as_of: str
    plans: tuple[PlanSupport, ...]
    downloads: tuple[Download, ...]


def _date_range(first: dt.date, last: dt.date) -> str:
    return f"{format_date(first)} – {format_date(last)}"


def _size(data: bytes) -> str:
    return f"{len(data) / 1024:,.0f} KB" if len(data) < 1024 * 1024 else f"{len(data) / 1024 / 1024:,.1f} MB"


def _uptime(project: Project) -> tuple[tuple[ServiceUptime, ...], str, str, str]:
    """The service performance report's lines, grouped by service (periods oldest first)."""
    if project.sla is None:
        return (), "", "", ""
    report = service_performance(project)
    services = tuple(
        ServiceUptime(
            service.name,
            percent_text(service.commitment_percent),
            tuple(line for line in report.lines if line.service == service.name),
        )
        for service in project.sla.services
    )
    return services, report.uptime_term, report.time_zone, report.as_of


def site_content(project: Project, audience: OutputAudience, documents: dict[str, tuple[str, bytes]]) -> SiteContent:
    """The pages' content from `project`, already filtered for `audience` (model/audience.py).

    `documents` maps each downloadable file name to its title and bytes.
    """
    security = project.security
    facts = programme_facts(security)
    assets = {asset.id: asset.name for asset in project.architecture.data_assets}
    uptime, term, zone, as_of = _uptime(project)
    return SiteContent(
        product=project.document.product,
        vendor=project.document.vendor.legal_name,
        website=project.document.vendor.website,
        description=project.document.product_description.strip(),
        audience=audience,
        security_contact=project.document.security_contact.name,
        security_email=project.document.security_contact.email,
        services=tuple(
            ServiceLine(s.name, percent_text(s.commitment_percent), s.description.strip())
            for s in (project.sla.services if project.sla is not None else ())
        ),
        security_summary=security.organisation.description.strip(),
        policies=security.organisation.policies,
        fact_sections=tuple(FactSection(key, title, facts[key]) for key, title in FACT_SECTIONS if facts.get(key)),
        controls=tuple(ControlLine(c.id, c.name, c.description.strip()) for c in security.controls),
        certifications=tuple(
            CertificationLine(
                c.name,
                c.auditor,
                _date_range(c.period_start, c.period_end),
                c.scope,
                "Report available under NDA" if c.nda_only else "Publicly available",
            )
            for c in security.certifications
        ),
        subprocessors=subprocessor_rows(security.subprocessors, assets),
        uptime=uptime,
        uptime_term=term,
        uptime_time_zone=zone,
        uptime_as_of=as_of,
        plans=tuple(
            PlanSupport(plan.name, plan_hours(plan), plan.description.strip(), plan_targets(support, plan))
            for support in ((project.support,) if project.support is not None else ())
            for plan in support.plans
        ),
        downloads=tuple(
            Download(title, f"downloads/{name}", _size(data)) for name, (title, data) in sorted(documents.items())
        ),
    )
