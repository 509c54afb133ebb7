"""Questions about one named service or plan of the SLA ("Is the API uptime at least 99.9 %?", "Do bank
feeds get the same uptime as the web app?"): answered from the named services' own figures, never from the
whole SLA's.

A service is named when a word of its name or id that says which service it is ("API", "bank feeds",
"web") is in the question; the words every service shares ("application", "service") name none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from trustdocs.analyse.durations import format_commitment
from trustdocs.model.project import Project
from trustdocs.model.sla import Service
from trustdocs.questionnaire.derive import AnswerValue
from trustdocs.questionnaire.matcher import normalise

_GENERIC = frozenset(normalise("service services application applications app apps platform product system"))
_COMPARING = frozenset(
    normalise("same identical equal equivalent high good strong above more higher greater better below less lower")
)
_SAME = re.compile(r"\b(?:same|identical|equal|equivalent|as (?:high|good|strong))\b", re.I)
_FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|percent\b)|\b(three|four) nines\b", re.I)
_NINES = {"three": Decimal("99.9"), "four": Decimal("99.99")}
_AT_LEAST = re.compile(r"\bat least\b|\bor (?:higher|more|better|above)\b|\bminimum\b|\bno less than\b", re.I)
_ABOVE = re.compile(r"\b(?:above|more than|higher than|greater than|exceed\w*|better than)\b", re.I)
_BELOW = re.compile(r"\b(?:below|less than|lower than|under)\b", re.I)


@dataclass(frozen=True)
class Verdict:
    """The answer for the named services; `value` None when the question cannot be decided from them."""

    value: AnswerValue | None
    detail: str
    reason: str = ""
    """For the reviewer, when `value` is None."""


def name_terms(service: Service) -> frozenset[str]:
    """The words of a service's name and id that say which service it is ("ledger", "api")."""
    return frozenset(normalise(f"{service.name} {service.id.replace('-', ' ')}")) - _GENERIC


def checked_words(services: tuple[Service, ...]) -> frozenset[str]:
    """The terms `compare` answers for when `services` are named: their names, the words naming a kind of
    service ("app") and the comparison's own words ("same", "above")."""
    return frozenset(t for s in services for t in name_terms(s)) | _GENERIC | _COMPARING if services else frozenset()


def named_services(project: Project, text: str) -> tuple[Service, ...]:
    """The SLA's services `text` names, in the SLA's order."""
    if project.sla is None:
        return ()
    asked = set(normalise(text))
    return tuple(s for s in project.sla.services if name_terms(s) & asked)


def _figures(services: tuple[Service, ...]) -> str:
    return ", ".join(f"{s.name} {format_commitment(s.commitment_percent)} %" for s in services)


def compare(project: Project, text: str, services: tuple[Service, ...]) -> Verdict:
    """The answer to `text` from the commitments of the `services` it names."""
    figures = f"Availability commitments: {_figures(services)}."
    if _SAME.search(text):
        if len(services) < 2:
            return Verdict(None, "", "the question compares a service with something the SLA does not name")
        same = len({s.commitment_percent for s in services}) == 1
        return Verdict("Yes" if same else "No", figures)
    found = _FIGURE.search(text)
    if found is None:
        return Verdict("Yes", figures)
    asked = Decimal(found[1]) if found[1] else _NINES[found[2].lower()]
    # "No less than" and "or more" are at least; checked before "less than" and "more than".
    if _AT_LEAST.search(text):
        holds = [s.commitment_percent >= asked for s in services]
    elif _BELOW.search(text):
        holds = [s.commitment_percent < asked for s in services]
    elif _ABOVE.search(text):
        holds = [s.commitment_percent > asked for s in services]
    else:
        holds = [s.commitment_percent == asked for s in services]
    return Verdict("Yes" if all(holds) else "No", figures)
