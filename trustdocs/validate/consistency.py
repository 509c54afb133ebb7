"""Consistency warnings: two statements of the project that cannot both be true, each cited by file and line.

Each check reports the problem at one statement and names the location of the other in its message, so a
reviewer can open both. They run on the model after the customer's terms are applied (a negotiated figure
is the one the customer reads) and on the positioned data (for the exact line of each statement).
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal

from trustdocs.analyse.architecture import ArchitectureIndex
from trustdocs.analyse.support import describe_target
from trustdocs.errors import Problem
from trustdocs.model.project import Project
from trustdocs.validate.geography import ZONES, places_in, within
from trustdocs.validate.statements import ProjectStatements

__all__ = ["consistency_warnings"]


def consistency_warnings(project: Project, statements: ProjectStatements) -> list[Problem]:
    """Every consistency warning of the project."""
    return [
        *retention_without_storage(project, statements),
        *residency_contradictions(project, statements),
        *unlisted_subprocessors(project, statements),
        *security_severity_rca(project, statements),
    ]


# -- data held nowhere, kept for a period ------------------------------------------------------------------


def retention_without_storage(project: Project, statements: ProjectStatements) -> list[Problem]:
    """A retention period given for a data asset that no data store, and no subprocessor, holds at rest."""
    index = ArchitectureIndex.from_architecture(project.architecture)
    held_by_subprocessor = {asset for sub in project.security.subprocessors for asset in sub.data}
    problems = []
    asset_paths = {a.id: ("architecture", "data_assets", i) for i, a in enumerate(project.architecture.data_assets)}
    retention_paths = [
        (("architecture", "data_assets", i, "retention"), a.id)
        for i, a in enumerate(project.architecture.data_assets)
        if a.retention.strip()
    ]
    retention_paths += [
        (("security", "retention", i, "period"), r.data) for i, r in enumerate(project.security.retention)
    ]
    for path, asset_id in retention_paths:
        if asset_id not in index.assets or index.stores_of(asset_id) or asset_id in held_by_subprocessor:
            continue
        problems.append(
            statements.warning(
                path,
                f"a retention period is given for data asset '{asset_id}', but no data store or subprocessor "
                f"holds it at rest (the data asset at {statements.where(asset_paths[asset_id])}); list it in the "
                "'stores' of the data store that keeps it, or remove the retention",
            )
        )
    return problems


# -- residency ---------------------------------------------------------------------------------------------

_PROCESSED_IN = re.compile(
    r"\b(?:stored and processed|processed and stored|hosted and processed|processed)\s+"
    r"(?:only\s+|exclusively\s+|solely\s+)?in\s+(?P<rest>[^.;]*)"
)
_QUALIFIER = re.compile(r"\b(?:except|unless|but|by|under|through|via|with)\b")


def promised_processing(text: str) -> tuple[str, ...]:
    """The places a residency statement says customer data is processed in ('stored and processed in the EU').

    Only the places before a qualifier ('except', 'by', 'under'…) count: "processed in the EU, the UK and
    the US, the last two only by listed subprocessors" promises all three.
    """
    places: list[str] = []
    for match in _PROCESSED_IN.finditer(text):
        rest = match["rest"]
        qualifier = _QUALIFIER.search(rest)
        places += places_in(rest[: qualifier.start()] if qualifier else rest)
    return tuple(dict.fromkeys(places))


def residency_contradictions(project: Project, statements: ProjectStatements) -> list[Problem]:
    """A subprocessor processing customer data in a place the residency statements do not promise."""
    hosting = project.security.hosting
    promises: list[tuple[tuple[str, ...], tuple[str | int, ...]]] = []
    prose = promised_processing(hosting.data_residency)
    if prose:
        promises.append((prose, ("security", "hosting", "data_residency")))
    for i, region in enumerate(hosting.residency):
        if region.processed_in:
            promises.append((region.processed_in, ("security", "hosting", "residency", i, "processed_in")))
    if not promises:
        return []
    promised = tuple(dict.fromkeys(p for places, _ in promises for p in places))
    problems = []
    for i, sub in enumerate(project.security.subprocessors):
        located = places_in(sub.location)
        outside = [p for p in located if p in ZONES and not within(p, promised)]
        if not outside:
            continue
        for places, path in promises:
            if any(not within(p, places) for p in outside):
                problems.append(
                    statements.warning(
                        ("security", "subprocessors", i, "location"),
                        f"{sub.name} processes customer data in {_and(outside)}, but the data residency statement "
                        f"at {statements.where(path)} says it is processed in {_and(places)}",
                    )
                )
                break
    return problems


def _and(items: tuple[str, ...] | list[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# -- subprocessors named but not listed -------------------------------------------------------------------

_NAME = r"[A-Z][\w&'.-]*(?:[ \t]+(?:[A-Z][\w&'.-]*|&))*"
_NAMED_AS_SUBPROCESSOR = (
    re.compile(
        rf"(?P<name>{_NAME})\s*(?:\([^)]*\)\s*)?(?:is\s+|was\s+|has\s+been\s+)?(?:added|appointed|engaged|"
        rf"onboarded|listed)?\s*as\s+(?:a|an|our|the)\s+(?:new\s+)?sub-?processor"
    ),
    re.compile(rf"\b(?:new|additional|added)\s+sub-?processors?\s*(?::|,|—|–|\()?\s*(?P<name>{_NAME})"),
    re.compile(rf"\bsub-?processors?\s*(?::|—|–|\()\s*(?P<name>{_NAME})"),
)
_LEADING_WORDS = frozenset({"a", "an", "the", "our", "new", "added", "adding", "appointed", "engaged", "onboarded"})
_GENERIC_WORDS = frozenset(
    {
        "and",
        "inc",
        "ltd",
        "limited",
        "llc",
        "llp",
        "plc",
        "gmbh",
        "sarl",
        "sas",
        "corp",
        "corporation",
        "company",
        "group",
        "holdings",
        "emea",
        "europe",
        "international",
        "services",
        "service",
        "networks",
        "technologies",
        "systems",
        "software",
        "cloud",
        "payments",
    }
)


def _name(text: str) -> str:
    """A captured name without a leading sentence word ("Added Snowflake Inc." is "Snowflake Inc.")."""
    words = text.strip(" .,").split()
    while words and words[0].lower() in _LEADING_WORDS:
        words.pop(0)
    return " ".join(words).rstrip(",")


def _tokens(name: str) -> set[str]:
    """The distinctive words of a company name: no legal forms, generic words or places."""
    places = {t for place in places_in(name) for t in place.lower().split()}
    return {
        t for t in re.findall(r"[a-z0-9]+", name.lower()) if len(t) > 1 and t not in _GENERIC_WORDS and t not in places
    }


def unlisted_subprocessors(project: Project, statements: ProjectStatements) -> list[Problem]:
    """Free text (a revision note, a description) naming a subprocessor the subprocessor list does not have."""
    listed = [s.name for s in project.security.subprocessors]
    listed_tokens = set().union(*(_tokens(n) for n in listed)) if listed else set()
    ignore = _tokens(project.document.vendor.legal_name) | _tokens(project.document.product)
    problems = []
    for path, text in statements.free_text():
        if path[:2] == ("security", "subprocessors") or "processor" not in text:
            continue
        found: dict[str, None] = {}
        for pattern in _NAMED_AS_SUBPROCESSOR:
            for match in pattern.finditer(text):
                name = _name(match["name"])
                tokens = _tokens(name) - ignore
                if not tokens or tokens & listed_tokens:
                    continue
                found[name] = None
        for name in found:
            close = difflib.get_close_matches(name, listed, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(
                statements.warning(
                    path,
                    f"'{name}' is named as a subprocessor but is not in the subprocessor list at "
                    f"{statements.where(('security', 'subprocessors'))}{hint}",
                )
            )
    return problems


# -- security incidents handled as a support severity ----------------------------------------------------

_SECURITY_INCIDENT = re.compile(
    r"\b(?:security (?:incident|breach|event)s?|data breach(?:es)?|unauthori[sz]ed access|personal data breach)\b",
    re.IGNORECASE,
)
_BUSINESS_DAYS_PER_UNIT: dict[str, Decimal] = {
    "bd": Decimal(1),
    "bh": Decimal(1) / 8,
    "d": Decimal(5) / 7,
    "h": Decimal(5) / 7 / 24,
    "m": Decimal(5) / 7 / 1440,
}
_TARGET = re.compile(r"^(\d+(?:\.\d+)?)(bd|bh|d|h|m)$")


def _business_days(text: str) -> Decimal | None:
    """A support target as business days (calendar time counts five days a week)."""
    match = _TARGET.match(text.strip())
    return Decimal(match[1]) * _BUSINESS_DAYS_PER_UNIT[match[2]] if match else None


def security_severity_rca(project: Project, statements: ProjectStatements) -> list[Problem]:
    """A severity that covers security incidents whose root-cause report comes later than the incident plan's."""
    support, incident = project.support, project.security.incident_response
    if support is None or incident.rca_business_days is None:
        return []
    covering = {s.id: s for s in support.severities if _SECURITY_INCIDENT.search(" ".join((s.definition, *s.examples)))}
    plans = {p.id: p.name for p in support.plans}
    problems = []
    for i, target in enumerate(support.targets):
        report = target.root_cause_report
        days = _business_days(report.text) if report is not None and target.severity in covering else None
        if report is None or days is None or days <= incident.rca_business_days:
            continue
        severity = covering[target.severity]
        problems.append(
            statements.warning(
                ("support", "targets", i, "root_cause_report"),
                f"severity '{severity.id}' ({severity.name}) covers security incidents, but the "
                f"{plans.get(target.plan, target.plan)} plan's root-cause report ({describe_target(report.text)}) is "
                f"later than the incident-response commitment of {incident.rca_business_days} business days at "
                f"{statements.where(('security', 'incident_response', 'rca_business_days'))}",
            )
        )
    return problems
