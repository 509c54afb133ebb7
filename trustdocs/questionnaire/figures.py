"""Figures a question asks for and figures an answer states: "within 10 business days", "at least $3
million per claim", "under 30 minutes", "at least 99.5%".

A question that bounds a figure ("Is the RCA delivered within 10 business days?") is answered by the
figure the matched answer states ("within 5 business days"): the bound holds (Yes), fails (No), or cannot be
judged, when the answer states no figure of that kind, states several that disagree, or the question bounds
two figures of one kind ("a limit of at least $3M with a retention under $100,000"), which only a person can
pair with the right facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from trustdocs.questionnaire.matcher import normalise

_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
}
_NUMBER = (
    r"(?<![\w.,])(?:\d{1,3}(?:\.\d{3}){2,}|\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![.,]?\d)|\b(?:"
    + "|".join(_WORD_NUMBERS)
    + r")\b"
)
"""A figure: "5,000,000", "5.000.000" (thousands by dots, written the European way), "99.9", "eight"; one
that could be read two ways ("1,00", "99,9") is not a figure."""
_SCALE = r"(?:\s?(?:million|m|mm|k|thousand|billion|bn)\b)?"
_CURRENCY = r"[$€£]|\b(?:USD|EUR|GBP)\s?"
_UNIT = (
    r"\s?%|\s?percent\b|"
    r"\s(?:business|working|calendar)\s+days?\b|"
    r"\s(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\b"
)
_AMOUNT = rf"(?:(?P<currency>{_CURRENCY})(?P<money>{_NUMBER}){_SCALE}|(?P<number>{_NUMBER})(?P<unit>{_UNIT}))"
_AT_LEAST = (
    r"at least|no less than|not less than|no shorter than|no fewer than|a minimum of|minimum of|more than|"
    r"greater than|over|exceeding|longer than"
)
_AT_MOST = (
    r"within|under|less than|no more than|not more than|no longer than|not longer than|no greater than|at most|"
    r"a maximum of|maximum of|no later than|below|shorter than|fewer than|not (?:to )?exceed(?:ing)?"
)
BOUND = re.compile(rf"\b(?P<op>{_AT_LEAST}|{_AT_MOST})\s+(?:the\s+)?{_AMOUNT}", re.I)
"""A bounded figure: "at least $3 million", "within 10 business days", "under 30 minutes"."""
_STATED = re.compile(_AMOUNT, re.I)
_EVERY = re.compile(r"\b(?:every|each|once (?:a|per|every))\s+$", re.I)

_MINUTES = {
    "min": 1,
    "minute": 1,
    "hr": 60,
    "hour": 60,
    "day": 1440,
    "calendar day": 1440,
    "week": 10080,
    "month": 43200,
    "year": 525600,
}
_CALENDAR_SLACK = Decimal("0.015")
"""How far apart two durations may be and still be the same period: a month is 28 to 31 days and a year
365 or 366, so "at least 1 year" is met by "365 days" and "12 months" by "1 year"."""
_STRICT = frozenset({"more than", "greater than", "over", "exceeding", "longer than", "under", "less than"})
_STRICT |= {"below", "shorter than", "fewer than"}


@dataclass(frozen=True)
class Figure:
    kind: str
    """What it measures, in comparable units: "minutes", "business days", "percent" or a currency."""
    value: Decimal
    calendar: bool = field(default=False, compare=False)
    """Whether it was said in months or years, whose length varies."""


def _number(text: str) -> Decimal:
    word = _WORD_NUMBERS.get(text.lower())
    if word is not None:
        return Decimal(word)
    return Decimal(text.replace(".", "") if text.count(".") >= 2 else text.replace(",", ""))


def _figure(found: re.Match[str]) -> Figure:
    if found["currency"]:
        currency = {"$": "USD", "€": "EUR", "£": "GBP"}.get(found["currency"].strip(), found["currency"].strip())
        scale = found[0][found.end("money") - found.start() :].strip().lower()
        factor = {"million": 10**6, "m": 10**6, "mm": 10**6, "k": 10**3, "thousand": 10**3}.get(scale, 1)
        factor = 10**9 if scale in ("billion", "bn") else factor
        return Figure(currency.upper(), _number(found["money"]) * factor)
    unit = " ".join(found["unit"].lower().split())
    value = _number(found["number"])
    if unit in ("%", "percent"):
        return Figure("percent", value)
    unit = unit.rstrip("s")
    if unit in ("business day", "working day"):
        return Figure("business days", value)
    return Figure("minutes", value * _MINUTES[unit], calendar=unit in ("month", "year"))


@dataclass(frozen=True)
class Bound:
    figure: Figure
    at_least: bool
    strict: bool

    def holds(self, stated: Figure) -> bool:
        calendar = self.figure.calendar or stated.calendar
        if calendar and abs(stated.value - self.figure.value) <= _CALENDAR_SLACK * max(stated.value, self.figure.value):
            return not self.strict  # the same period, said in months or years
        if self.at_least:
            return stated.value > self.figure.value if self.strict else stated.value >= self.figure.value
        return stated.value < self.figure.value if self.strict else stated.value <= self.figure.value


def bounds(text: str) -> list[Bound]:
    """The bounded figures `text` asks for."""
    found = []
    for match in BOUND.finditer(text):
        op = " ".join(match["op"].lower().split())
        found.append(Bound(_figure(match), re.fullmatch(_AT_LEAST, op) is not None, op in _STRICT))
    return found


def stated(detail: str) -> list[Figure]:
    """Every figure `detail` states ("$5,000,000", "48 hours", "99.9 %"), except how often something
    recurs ("tested every 3 months" states an interval, not how long it takes)."""
    return [_figure(m) for m in _STATED.finditer(detail) if not _EVERY.search(detail, 0, m.start())]


def judged(text: str, detail: str) -> bool | None:
    """Whether the figures `detail` states meet every bound `text` asks for; None when one cannot be judged
    (no figure of its kind stated, stated figures that disagree, or two bounds of one kind)."""
    asked = bounds(text)
    kinds = [b.figure.kind for b in asked]
    if not asked or len(set(kinds)) < len(kinds):
        return None
    # A figure of a list the question picks by its label ("low" of "critical 2 days, ..., low 90 days");
    # when it picks none, every figure the answer states must meet the bound.
    detail = _about(text, detail)
    picked = [figure for label, figure in _labelled(detail) if _names_label(text, label)]
    every = stated(detail)
    verdicts = []
    for bound in asked:
        kind = bound.figure.kind
        facts = [f for f in picked if f.kind == kind] or [f for f in every if f.kind == kind]
        same = {bound.holds(f) for f in facts}
        if len(same) != 1:
            return None
        verdicts.append(same.pop())
    return all(verdicts)


_SENTENCES = re.compile(r"(?<=[.;])\s+")
_UNIT_TERMS = frozenset(normalise("minutes hours days business working calendar weeks months years percent per"))


def _about(text: str, detail: str) -> str:
    """The sentences and clauses of `detail` that share a word with `text` beside figures and units: a
    figure elsewhere in the answer is about something else ("credit monitoring for at least 12 months" is
    not judged by a notification deadline of 72 hours)."""
    asked = {t for t in normalise(BOUND.sub(" ", text)) if not t[0].isdigit() and t not in _UNIT_TERMS}
    if not asked:
        return detail  # a bound alone ("within 24 hours?") is about whatever the answer is about
    return " ".join(c for c in _SENTENCES.split(detail) if asked & set(normalise(c)))


_LABELLED = re.compile(rf"(?:^|[(,:;]|\band\b)\s*(?P<label>[A-Za-z][\w-]*(?: [A-Za-z][\w-]*)?)\s+{_AMOUNT}", re.I)
_NOT_LABELS = frozenset("a an the of for in on at to by with and or is are be per within least most than".split())


def _labelled(detail: str) -> list[tuple[str, Figure]]:
    """The figures of a list in `detail` with the words that label each ("critical 2 days", "Bank feeds
    99.5 %")."""
    return [(m["label"], _figure(m)) for m in _LABELLED.finditer(detail)]


def _names_label(text: str, label: str) -> bool:
    words = [w for w in label.split() if w.lower() not in _NOT_LABELS]
    return any(re.search(rf"\b{re.escape(w)}\b", text, re.I) for w in words)


def neutral(found: re.Match[str]) -> str:
    """A bounded figure as the matcher should see it: the bound's words without the figure ("within
    hours"), so that a figure the bank question does not state costs the match nothing."""
    unit = found["unit"] or ""
    if unit.strip() in ("%", "percent"):
        return found[0]  # a percentage is what an availability question is matched on ("99.9 %")
    return f"{found['op']} {unit.strip()}".strip() if not found["currency"] else found["op"]
