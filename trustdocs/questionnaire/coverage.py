"""Whether a matched bank question covers everything the customer asked: the strict coverage rule.

An answer goes out unflagged only when every content word of the customer's question is explained: by a
phrasing of the matched bank question, by a keyword of its domain, or by the answer's own detail. What is
left after stop words, question scaffolding ("do you have ... established and maintained?") and the bank's
synonym folding is something the bank question was never written to answer ("a risk register", "the
control plane", "our users"), and the answer goes to review naming those words.
"""

from __future__ import annotations

import re

from trustdocs.questionnaire.matcher import Matcher, domain_terms, normalise
from trustdocs.questionnaire.qualifiers import places_named

_FRAMING = """
maintain establish document implement exist place have offer capable capability practice
procedure policy policies process formal formally define appropriate adequate reasonable industry standard
best commercially measure mechanism program plan solution ensure support provide approach
place put question answer know let need relevant related respect regard case event time way type kind level
manner basis part thing throughout receive hold commit ever too least
don get go prior accord along upon agree security data information
equivalent designate responsibility method apply methodology assign utilize leverage conduct carry
institution institutional
"""
_GENERIC = """
available control tool service system product platform application environment customer client organization
team across new existing include run once base through target cloud interval period timeframe recent cover
external independent higher multiple multi separate deploy protect
"""
"""Words that are framing when a bank question was matched on the rest, but say what is asked when a
statement must say all of it ("customer", "separate", "external")."""


def _forms(word: str) -> tuple[str, ...]:
    """A word and its inflections ("document", "documents", "documented", "documenting"): the stemmer folds
    some of them differently."""
    base = word[:-1] if word.endswith("e") else word
    return (word, f"{word}s", f"{base}ed", f"{base}ing", f"{base}es")


def _terms(words: str) -> frozenset[str]:
    return frozenset(term for word in words.split() for form in _forms(word) for term in normalise(form))


FRAMING: frozenset[str] = _terms(_FRAMING)
"""Words that frame a question rather than say what it is about: "Do you have a formal, documented
process ...?" asks about the rest of the sentence. Folded by `normalise` like the questions themselves."""
SCAFFOLDING: frozenset[str] = FRAMING | _terms(_GENERIC)
"""The framing words and the generic ones a matched bank question's subject vouches for."""


def unexplained(
    matcher: Matcher,
    question_id: str,
    domain: str,
    text: str,
    detail: str,
    *,
    checked: frozenset[str] = frozenset(),
) -> tuple[str, ...]:
    """The content words of `text` that neither the bank question `question_id` (any phrasing), nor a
    keyword of its `domain`, nor the answer's `detail` explains; words in `checked` are checked elsewhere
    (a qualifier's own words) and not reported."""
    said = set(normalise(detail))
    explained = said | set(domain_terms(domain)) | SCAFFOLDING | checked
    # What a "with ..." or "including ..." clause asks for on top is explained only by the bank question's
    # own phrasings or the answer: the domain's words and the scaffolding do not vouch for something extra.
    extra = {t for clause in _EXTRA.findall(text) for t in normalise(clause)} - said - checked - SCAFFOLDING
    left = [
        term
        for term in matcher.uncovered(question_id, text)
        if term in extra or (term not in explained and not term[0].isdigit() and not _prefixed(term, domain))
    ]
    alternatives = _alternatives(text, frozenset(left))
    return tuple(term for term in left if term not in alternatives)


_EXTRA = re.compile(r"(?:\bwith\b|\bincluding\b|\bthat includes?\b)([^,;?]*)", re.I)
"""A clause asking for something extra ("... with an assigned executive owner")."""
_OR = re.compile(r"([A-Za-z0-9][\w.-]*)\s+or\s+([A-Za-z0-9][\w.-]*)")


def _alternatives(text: str, left: frozenset[str]) -> frozenset[str]:
    """The terms of a word offered as an alternative to an explained one ("SAML or WS-Federation" is
    answered by SAML): either is enough, so the other needs no explaining."""
    spare: set[str] = set()
    for found in _OR.finditer(text):
        one, other = (tuple(normalise(word)) for word in found.groups())
        if one and not set(one) & left:
            spare.update(other)
        if other and not set(other) & left:
            spare.update(one)
    return frozenset(spare)


def _prefixed(term: str, domain: str) -> bool:
    """Whether `term` begins with a long keyword stem of `domain` ("remediat" explains "remediation")."""
    return term.startswith(tuple(k for k in domain_terms(domain) if len(k) >= 5))


_HOW_MUCH = re.compile(
    r"\bhow\s+(?:often|long|many|much|quickly|soon|fast|frequently|far)\b|\bwithin how\b|\bwhat percent", re.I
)
_FIGURE = re.compile(
    r"\d|\b(?:hourly|daily|nightly|weekly|monthly|quarterly|annually|yearly|continuous(?:ly)?|real[- ]time|"
    r"immediately|indefinitely|never)\b",
    re.I,
)
_WHERE = re.compile(r"\bwhere\b", re.I)
_HOW_TERMS = frozenset(
    normalise("how often, how long, how quickly, how soon, how fast, how frequently, within how many hours")
)
"""What "how often" and its like fold to: they ask for a figure, not about a subject."""


_WHEN_PAST = re.compile(
    r"\bwhen (?:was|were|did)\b|\bwhat date\b|\bhow recently\b|\blast (?:tested|done|performed)\b", re.I
)
_DATE = re.compile(
    r"\b(?:19|20)\d\d\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b",
    re.I,
)


def unanswered_ask(text: str, detail: str) -> str:
    """What a "how long", "when was" or "where" question asks that `detail` does not give ("a figure", "a
    date", "a place"); empty when it gives it or the question asks none of them."""
    if _HOW_MUCH.search(text) and not _FIGURE.search(detail):
        return "a figure"
    if _WHEN_PAST.search(text) and not _DATE.search(detail):
        return "a date"  # when something last happened, not how often it does
    if _WHERE.search(text) and not places_named(detail):
        return "a place"
    return ""


_PRONOUN = re.compile(r"\b(?:it|they|them|this|that|these|those)\b", re.I)


def subjectless(text: str) -> bool:
    """Whether `text` names nothing it is about, so asks about a subject said elsewhere: every content word
    is framing ("Where is it processed?"), or a pronoun stands for the subject and one word says what is
    asked of it ("Is it reviewed?")."""
    content = [term for term in content_terms(text) if term not in _HOW_TERMS]
    return not content or (len(content) == 1 and bool(_PRONOUN.search(text)))


def content_terms(text: str) -> tuple[str, ...]:
    """The terms of `text` that say what it is about: all but the scaffolding."""
    return tuple(term for term in normalise(text) if term not in SCAFFOLDING)


_NEGATION = re.compile(r"^(?:no|not|never|without|cannot|none|nor|neither)$|n't$", re.I)
_CLAUSES = re.compile(r"[.;:]\s+|\s+\(|\)\s*")
_NEAR = 3


def negated(text: str, detail: str) -> tuple[str, ...]:
    """The content terms of `text` that `detail` says near a negation ("Acme has no data centres" for "Do
    you own your data centers?"); empty when `text` is negated itself, since then the two agree."""
    if any(_NEGATION.search(word) for word in text.split()):
        return ()
    asked = set(content_terms(text))
    found: dict[str, None] = {}
    for clause in _CLAUSES.split(detail):
        words = clause.split()
        for index, word in enumerate(words):
            # What a negation denies follows it ("no data centres", "not encrypted"); "cancelled or not
            # renewed" offers an alternative and denies nothing asked.
            if _NEGATION.search(word.strip(",")) and (index == 0 or words[index - 1].lower() not in ("or", "and")):
                near = " ".join(words[index + 1 : index + _NEAR + 1])
                found.update(dict.fromkeys(t for t in normalise(near) if t in asked))
    return tuple(found)
