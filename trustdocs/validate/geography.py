"""Places named in residency statements and subprocessor locations, and the legal zones they belong to."""

from __future__ import annotations

import re

EU_MEMBERS = (
    "Austria",
    "Belgium",
    "Bulgaria",
    "Croatia",
    "Cyprus",
    "Czechia",
    "Czech Republic",
    "Denmark",
    "Estonia",
    "Finland",
    "France",
    "Germany",
    "Greece",
    "Hungary",
    "Ireland",
    "Italy",
    "Latvia",
    "Lithuania",
    "Luxembourg",
    "Malta",
    "Netherlands",
    "Poland",
    "Portugal",
    "Romania",
    "Slovakia",
    "Slovenia",
    "Spain",
    "Sweden",
)
EEA_ONLY = ("Iceland", "Liechtenstein", "Norway")

ZONES: dict[str, frozenset[str]] = {
    **{name: frozenset({"EU", "EEA"}) for name in EU_MEMBERS},
    **{name: frozenset({"EEA"}) for name in EEA_ONLY},
    "EU": frozenset({"EU", "EEA"}),
    "European Union": frozenset({"EU", "EEA"}),
    "EU/EEA": frozenset({"EU", "EEA"}),
    "EEA": frozenset({"EEA"}),
    "European Economic Area": frozenset({"EEA"}),
    "UK": frozenset({"UK"}),
    "United Kingdom": frozenset({"UK"}),
    "England": frozenset({"UK"}),
    "Scotland": frozenset({"UK"}),
    "Wales": frozenset({"UK"}),
    "US": frozenset({"US"}),
    "USA": frozenset({"US"}),
    "United States": frozenset({"US"}),
    "Switzerland": frozenset({"CH"}),
    "Canada": frozenset({"CA"}),
    "Australia": frozenset({"AU"}),
    "India": frozenset({"IN"}),
    "Japan": frozenset({"JP"}),
    "Singapore": frozenset({"SG"}),
    "Brazil": frozenset({"BR"}),
    "Israel": frozenset({"IL"}),
    "Philippines": frozenset({"PH"}),
}
"""Each place and the zones it lies in: a residency promise for a zone is kept by every place inside it."""
ZONE_NAMES = frozenset(
    {
        "EU",
        "European Union",
        "EU/EEA",
        "EEA",
        "European Economic Area",
        "UK",
        "United Kingdom",
        "US",
        "USA",
        "United States",
    }
)
"""Places that contain others (England lies in the UK); any other place is kept only by itself."""

# Legal instruments named after a zone ("the EU SCCs", "EU–US Data Privacy Framework") are not places.
_INSTRUMENTS = re.compile(
    r"\b(?:EU|UK)(?:[–-](?:US|UK))?\s+(?:SCCs?|Standard Contractual Clauses|Data Privacy Framework|"
    r"adequacy decision|International Data Transfer Addendum|GDPR)\b"
)
_PLACE = re.compile(
    r"(?<![\w/])(" + "|".join(sorted((re.escape(p) for p in ZONES), key=len, reverse=True)) + r")(?![\w/])"
)


def places_in(text: str) -> tuple[str, ...]:
    """The places `text` names, in order, each once; zone names in legal instruments are not counted."""
    cleaned = _INSTRUMENTS.sub(" ", text)
    return tuple(dict.fromkeys(match[1] for match in _PLACE.finditer(cleaned)))


def within(place: str, promised: tuple[str, ...]) -> bool:
    """Whether `place` lies inside one of the `promised` places: the same place, or inside a promised zone."""
    zones = ZONES.get(place, frozenset())
    return any(place == p or (p in ZONE_NAMES and ZONES[p] <= zones) for p in promised)
