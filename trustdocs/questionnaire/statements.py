"""Answers from what the product security document says in the vendor's own words, for the questions no
bank question answers.

The bank answers the questions it was written for from structured fields. A questionnaire also asks about
things the security programme only describes in prose ("Are base container images rebuilt regularly?",
"Is DMARC enforced on every sending domain?"). Each sentence (or semicolon clause) of that prose is a
statement. A question is answered "Yes" from a statement only when all of this holds:

- the question is a plain yes-or-no question: no negation, no "any", no past event, and no qualifier that
  only the model's fields decide (a region, every plan, customer-managed keys, FIPS); the few a sentence
  can state ("phishing-resistant", "quarterly") it says in the question's own words;
- every content word of the question is in the statement, or names the field or item it is written under
  (``vulnerability_management.patching``, the control "Workload hardening"); figures included, and a
  quantifier ("all", "every") only when the statement uses it too;
- the statement asserts plainly: no negation, no plan or roadmap, nothing optional or per plan;
- the rendered security document prints it, so the answer cites the numbered section a reader finds it in.

Anything less leaves the question to a reviewer, as before.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass

from trustdocs.model.base import Location
from trustdocs.model.project import Project
from trustdocs.questionnaire import figures
from trustdocs.questionnaire.citations import Heading, SectionIndex
from trustdocs.questionnaire.coverage import FRAMING
from trustdocs.questionnaire.matcher import normalise
from trustdocs.questionnaire.qualifiers import asked_words, qualifiers_asked

DOCUMENTS = ("security", "sla-addendum", "insurance-summary", "indemnification-addendum", "escrow-procedure")
"""The customer documents whose printed prose answers: the first that prints a sentence is cited."""
_PARTS: dict[str, re.Pattern[str] | None] = {
    "security": None,
    "architecture": None,
    "sla": re.compile(r"\bSLA\b|service levels?|uptime|availability|downtime|maintenance|credits?\b", re.I),
    "support": re.compile(r"\bsupport|\bsev(?:erity)?\s?\d|\btickets?\b|escalat\w*", re.I),
    "insurance": re.compile(r"\binsur\w*|\bcoverage\b|\bcarriers?\b|\bpolic(?:y|ies)\b", re.I),
    "indemnification": re.compile(r"\bindemn\w*|\bliabilit\w*|\bcap\b", re.I),
    "escrow": re.compile(r"\bescrow\b|\bdeposits?\b", re.I),
}
"""The parts of the model whose prose is read, in the order of the documents that print them, and the words
a question must use to be about a contract part: "deploy the platform to a fresh AWS account" answers a
question about escrow deposits, not "Can you deploy into our AWS account?"."""


@dataclass(frozen=True)
class Statement:
    """One sentence of the security programme's prose, as the security document prints it."""

    text: str
    heading: Heading
    """The numbered section that prints it."""
    path: str
    """The dotted model path of the field it is written in, e.g. "security.vulnerability_management.patching"."""
    location: Location | None
    """The YAML position of the item it belongs to, when the item records one (a control, a subprocessor)."""
    terms: frozenset[str]
    """Its own terms and those of the field and item names it is written under."""
    words: frozenset[str]
    """Its own words, lower case, for quantifiers."""
    excluded: bool = False
    """Whether it is written under an exclusion ("sla.exclusions"): it says what is not covered."""


_SKIPPED_FIELDS = frozenset({"id", "loc", "audience", "glossary", "status", "url", "certifications"})
_CONTEXT_FIELDS = ("name", "title", "purpose")
"""Fields naming the item a description is written about ("Workload hardening")."""
_CLAUSE = re.compile(r"(?<=[.;!])\s+|;\s*")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"\*+|`+")

_YES_NO = re.compile(r"^\W*(?:is|are|do|does|can|has|have|will|would|should|must|shall)\b", re.I)
_NOT_PLAIN_QUESTION = re.compile(
    r"\b(?:not|no|never|without|nor|neither|none|unless|except|any|ever|did|was|were|only|solely|"
    r"exclusively|instead|rather|outside|besides|beyond)\b|n't\b",
    re.I,
)
"""A question a matching sentence may still answer No to, or answers only in part."""
_HEDGED = re.compile(
    r"\b(?:not|no|never|without|none|cannot|nor|except|unless|only|yet|roadmap|planned|plan to|plans to|will|"
    r"future|pilot\w*|partial\w*|scheduled|intend\w*|some|may|might|can|could|optional\w*|request\w*|if|"
    r"when|where|available|excluding|until|once|expected|aim\w*|target\w*|most|beyond|up to|unless)\b|n't\b",
    re.I,
)
"""A sentence that does not plainly assert what it says of everything it names."""
_EXAMPLES = re.compile(r"\b(?:examples?|definitions?|remed(?:y|ies)|severit(?:y|ies))\b", re.I)
"""Fields whose items illustrate or offer options (severity examples, IP remedies at the vendor's choice)."""
_EXCLUDED = re.compile(r"\bexclu\w*|\bcarve[- ]?outs?\b|\bnot covered\b", re.I)
_WORDED_QUALIFIERS = frozenset(
    {"phishing-resistant", "frequency", "TLS 1.3", "this kind of insurance policy", "the figure's bound"}
)
"""Qualifiers a sentence can state in the question's own words; the others (a region, every plan, whose keys,
FIPS, HSM, 24x7) only the model's fields decide."""
_QUANTIFIERS = frozenset({"all", "every", "each", "both", "always", "entire", "whole", "fully", "full"})
_WORD = re.compile(r"[a-z0-9]+")
_MIN_TERMS = 2


class Statements:
    """The statements of one (audience-filtered) project; build once per questionnaire."""

    def __init__(self, project: Project, sections: SectionIndex) -> None:
        self._sections = sections
        plans = {p.name.lower() for p in project.support.plans} if project.support else set()
        found: dict[str, Statement] = {}
        caveats: list[frozenset[str]] = []
        for text, path, context, location in _all_prose(project):
            if _EXAMPLES.search(" ".join(context)):
                continue  # an example or a definition illustrates; it does not assert
            for clause in _CLAUSE.split(_LINK.sub(r"\1", text)):
                clause = " ".join(clause.split()).strip(" .;")
                words = frozenset(_WORD.findall(clause.lower()))
                if len(words) < 3 or clause in found:
                    continue
                terms = frozenset(normalise(clause)) | {t for name in context for t in normalise(name)}
                if _HEDGED.search(clause) or words & plans:
                    caveats.append(terms)
                    continue
                heading = next(filter(None, (sections.heading_saying(d, clause) for d in DOCUMENTS)), None)
                if heading is None:
                    continue  # not printed as written: nothing a reader could check the answer against
                # The section's heading says what the sentence is about, as the names it is written under do.
                terms |= set(normalise(heading.title))
                # Written under "exclusions", a sentence says what is left out: it answers only a question
                # that asks what is excluded.
                excluded = bool(_EXCLUDED.search(" ".join((*context, heading.title))))
                if excluded:
                    terms |= set(normalise("excluded"))
                found[clause] = Statement(_MARKUP.sub("", clause), heading, path, location, terms, words, excluded)
        self.statements = tuple(found.values())
        self._caveats = tuple(caveats)
        """What the prose says with a reservation ("custom roles on Enterprise", "on the roadmap")."""

    def answering(self, text: str) -> Statement | None:
        """The statement that says everything `text` asks, the one with the fewest other terms; None when
        the question is not a plain yes-or-no question or no statement says all of it."""
        if not _YES_NO.search(text) or _NOT_PLAIN_QUESTION.search(text):
            return None
        qualifiers = qualifiers_asked(text)
        if any(q.name not in _WORDED_QUALIFIERS for q in qualifiers):
            return None
        # Any other qualifier ("phishing-resistant", "quarterly") the statement must say in its own words.
        qualified = {t for q in qualifiers for words in asked_words(q, text) for t in normalise(words)}
        asked = {t for t in normalise(text) if t not in FRAMING}
        if len(asked) < _MIN_TERMS:
            return None
        quantifiers = set(_WORD.findall(text.lower())) & _QUANTIFIERS
        bounded = any(q.decides for q in qualifiers)
        if any(asked <= caveat for caveat in self._caveats):
            return None  # somewhere the document says it with a reservation: a person weighs the two
        excluding = bool(_EXCLUDED.search(text))
        parts = {part for part, subject in _PARTS.items() if subject is None or subject.search(text)}
        saying = [
            s
            for s in self.statements
            if s.path.split(".")[0] in parts
            and asked <= s.terms
            and qualified <= s.terms
            and quantifiers <= s.words
            and (not s.excluded or excluding)
            # A bound ("in under 4 hours") is met by the sentence's own figure, not only worded like it.
            and (not bounded or figures.judged(text, s.text) is True)
        ]
        return min(saying, key=lambda s: (len(s.terms), s.text), default=None)

    def source(self, statement: Statement) -> str:
        """The YAML file and line the statement is written at: its item's, else its field's."""
        if statement.location is not None:
            return self._sections.relative_source(f"{statement.location.file}:{statement.location.line}")
        return self._sections.source(statement.path)


def _all_prose(project: Project) -> Iterator[tuple[str, str, tuple[str, ...], Location | None]]:
    for part in _PARTS:
        yield from _prose(getattr(project, part), part, (part,), None)


def _prose(
    value: object, path: str, context: tuple[str, ...], location: Location | None
) -> Iterator[tuple[str, str, tuple[str, ...], Location | None]]:
    """Every prose string under `value`: (text, dotted path, names it is written under, nearest location)."""
    if isinstance(value, str):
        yield value, path, context, location
    elif isinstance(value, tuple):
        # A list item's YAML line is its own (a dotted path cannot name it); a field's is found by its path.
        for item in value:
            yield from _prose(item, path, context, getattr(item, "loc", None) or location)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = tuple(str(getattr(value, f)) for f in _CONTEXT_FIELDS if isinstance(getattr(value, f, None), str))
        for field in dataclasses.fields(value):
            if field.name in _SKIPPED_FIELDS:
                continue
            child = getattr(value, field.name)
            own = (*context, *names, field.name.replace("_", " "))
            yield from _prose(child, f"{path}.{field.name}", own, location)
