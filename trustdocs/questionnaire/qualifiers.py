"""Qualifiers: words that make a question stricter than the fact that would otherwise answer it.

"Do you enforce phishing-resistant MFA?" is not answered by "MFA is enforced", nor "Is data stored in the
US?" by "data is stored in a stated region". Each qualifier below says which words ask for it, which model
fields can state it, and how to read them: the model states it (the answer stands), states the opposite
(the answer is No) or is silent (the answer goes to a person). `answered_by` lists the bank questions whose
deriver already decides the qualifier itself, so it is not checked twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from trustdocs.model.project import Project
from trustdocs.questionnaire import figures
from trustdocs.questionnaire.bank import Question

Stated = bool | None
"""True: the model states the qualifier; False: it states the opposite; None: it says nothing."""


@dataclass(frozen=True)
class Verdict:
    stated: Stated
    detail: str
    """Customer-facing wording of what the model says (empty when it is silent)."""
    source: str = ""
    """The dotted model path the verdict rests on, cited with the answer."""


Check = Callable[[Project, str, Question, str], Verdict]
"""(project, the customer's question, the matched bank question, the base answer's detail) -> Verdict."""


@dataclass(frozen=True)
class Qualifier:
    name: str
    """How review reasons name it, e.g. "phishing-resistant"."""
    pattern: re.Pattern[str]
    fields: tuple[str, ...]
    """The model fields that can state it (documentation, and what a citation points at)."""
    check: Check
    answered_by: frozenset[str] = frozenset()
    replaces_detail: bool = False
    """Whether the verdict's wording replaces the matched answer's detail (where data is kept is answered by
    the residency statement, whichever bank question the wording matched)."""
    neutral: str | Callable[[re.Match[str]], str] = ""
    """What the qualifier's words become for matching ("FIPS 140-3" -> "FIPS"), so that its figure is not
    taken for a figure the bank question must state; empty to leave them."""
    decides: bool = False
    """Whether the verdict is the answer (Yes when stated, No when the opposite is), whatever the matched
    bank question's deriver concluded against a figure of its own."""


def _sentence_with(text: str, pattern: re.Pattern[str]) -> str:
    """The sentence of `text` that matches `pattern`, as one line."""
    for sentence in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
        if pattern.search(sentence):
            return sentence
    return ""


_WORKFORCE = re.compile(
    r"\b(?:staff|employees?|workforce|personnel|engineers?|administrators?|admins?|internal|corporate|"
    r"privileged|production)\b",
    re.I,
)
_WORKFORCE_QUESTIONS = frozenset({"IAM-06", "IAM-07", "IAM-08", "IAM-09", "IAM-10"})
_PHISHING_RESISTANT = re.compile(r"phishing[- ]resistant|\bFIDO2?\b|hardware (?:security )?keys?", re.I)


def _phishing_resistant(project: Project, text: str, question: Question, detail: str) -> Verdict:
    identity = project.security.identity
    staff = question.id in _WORKFORCE_QUESTIONS or bool(_WORKFORCE.search(text))
    description = identity.workforce.description if staff else identity.customer.description
    path = "security.identity.workforce.description" if staff else "security.identity.customer.description"
    found = _sentence_with(description, _PHISHING_RESISTANT)
    return Verdict(True, found, path) if found else Verdict(None, "", path)


_FIPS = re.compile(r"\bFIPS[- ]?140(?:-(\d))?", re.I)


def _fips(project: Project, text: str, question: Question, detail: str) -> Verdict:
    asked = _FIPS.search(text)
    encryption = project.security.encryption
    stated = " ".join(
        (encryption.at_rest.key_management, encryption.at_rest.description, encryption.in_transit.description)
    )
    found = _FIPS.search(stated)
    if found and (not asked or not asked[1] or found[1] == asked[1]):
        return Verdict(True, _sentence_with(stated, _FIPS), "security.encryption")
    return Verdict(None, "", "security.encryption")


_HSM = re.compile(r"\bHSMs?\b|hardware security modules?", re.I)


def _hsm(project: Project, text: str, question: Question, detail: str) -> Verdict:
    at_rest = project.security.encryption.at_rest
    found = _sentence_with(f"{at_rest.key_management}. {at_rest.description}", _HSM)
    return Verdict(True, found, "security.encryption.at_rest.key_management") if found else Verdict(None, "")


def _customer_managed_keys(project: Project, text: str, question: Question, detail: str) -> Verdict:
    path = "security.encryption.at_rest.customer_managed_keys"
    if project.security.encryption.at_rest.customer_managed_keys:
        return Verdict(True, "Customers can manage their own encryption keys.", path)
    return Verdict(False, "Customer-managed keys are not offered; keys are managed by the vendor.", path)


_EU_COUNTRIES = frozenset(
    """austria belgium bulgaria croatia cyprus czechia denmark estonia finland france germany greece hungary
    ireland italy latvia lithuania luxembourg malta netherlands poland portugal romania slovakia slovenia spain
    sweden eu""".split()
)
_REGIONS: dict[str, tuple[re.Pattern[str], frozenset[str]]] = {
    "the EU": (
        re.compile(r"\b(?:EU|EEA|European Union|European Economic Area|Europe)\b", re.I),
        _EU_COUNTRIES | {"european union", "eea", "europe"},
    ),
    "the United States": (
        re.compile(r"\b(?:US|U\.S\.|USA|United States|America)\b"),
        frozenset({"united states", "us", "usa"}),
    ),
    "the United Kingdom": (re.compile(r"\b(?:UK|United Kingdom|Britain)\b"), frozenset({"united kingdom", "uk"})),
    "Canada": (re.compile(r"\bCanada\b"), frozenset({"canada"})),
    "Australia": (re.compile(r"\bAustralia\b"), frozenset({"australia"})),
}
_PROCESSING = re.compile(r"\bprocess\w*|\baccess\w*|\bhandl\w*", re.I)
_RESIDENCY_WORDS = re.compile(
    r"\bstor\w*|\bhost\w*|\bresid\w*|\blocated\b|\bkept\b|\bheld\b|\bprocess\w*|\breplicat\w*|\bdata regions?\b",
    re.I,
)


_ONLY = re.compile(r"\b(?:only|exclusively|solely|never (?:leaves?|outside))\b", re.I)


_COUNTRIES = tuple(
    sorted(
        (c.title() for c in _EU_COUNTRIES if c != "eu"),
        key=len,
        reverse=True,
    )
) + ("Switzerland", "Norway", "India", "Japan", "Singapore", "Brazil")


def places_named(text: str) -> list[str]:
    """The regions and countries `text` names ("the EU", "Germany"), as the region checks name them."""
    return [name for name, (pattern, _) in _REGIONS.items() if pattern.search(text)] + [
        country for country in _COUNTRIES if re.search(rf"\b{country}\b", text)
    ]


def _in_region(place: str, region: str) -> bool:
    members = _REGIONS[region][1] if region in _REGIONS else frozenset({region.lower()})
    return place.lower() in members


_SOME = re.compile(
    r"\b(?:a|an|any|some|one|at least one)\s+(?:\w+\s+)?(?:sub-?processors?|third[- ]part(?:y|ies))\b", re.I
)
_SUBPROCESSORS = re.compile(r"\bsub-?processors?\b|\bthird[- ]part(?:y|ies)\b", re.I)


def _region(project: Project, text: str, question: Question, detail: str) -> Verdict:
    if question.domain == "subprocessors" or _SUBPROCESSORS.search(text):
        return _subprocessors_region(project, text)
    hosting = project.security.hosting
    processing = bool(_PROCESSING.search(text))
    places: list[str] = []
    for entry in hosting.residency:
        places += entry.processed_in or entry.stored_in if processing else entry.stored_in
    terms = project.customer.terms.data_residency if project.customer else None
    if terms is not None:
        places = list(terms.processing_places if processing else terms.stored_in)
    path = "security.hosting.residency"
    if not places:
        return Verdict(None, "", path)
    verb = "processed" if processing else "stored"
    asked = places_named(text)
    inside = [[p for p in places if _in_region(p, name)] for name in asked]
    shown = ", ".join(dict.fromkeys(places))
    if all(len(found) == len(places) for found in inside):
        return Verdict(True, f"Customer data is {verb} in {shown}.", path)
    if all(not found for found in inside) or _ONLY.search(text):
        return Verdict(False, f"Customer data is {verb} in {shown}.", path)
    return Verdict(None, f"Customer data is {verb} in {shown}.", path)


def _subprocessors_region(project: Project, text: str) -> Verdict:
    """Where the subprocessors are, asked of a region: every place each one's location names must be in it."""
    path = "security.subprocessors"
    subprocessors = project.security.subprocessors
    asked = places_named(text)
    outside: list[str] = []
    partly: list[str] = []
    for sub in subprocessors:
        named = places_named(sub.location)
        if not named:
            return Verdict(None, "", path)  # a location no region or country is recognised in
        within = [any(n == a or _in_region(n, a) for a in asked) for n in named]
        if not all(within):
            outside.append(f"{sub.name} ({sub.location})")
        if any(within):
            partly.append(f"{sub.name} ({sub.location})")
    if not subprocessors:
        return Verdict(None, "", path)
    where = " and ".join(asked)
    if _SOME.search(text):
        # "Do you use a subprocessor in the UK?" asks whether one is, not whether all are.
        if partly:
            return Verdict(True, f"Subprocessors located in {where}: {'; '.join(partly)}.", path)
        return Verdict(False, f"No subprocessor is located in {where}.", path)
    if outside:
        return Verdict(False, f"Not every subprocessor is located only in {where}: {'; '.join(outside)}.", path)
    return Verdict(True, f"Every subprocessor is located in {where}.", path)


def _around_the_clock(project: Project, text: str, question: Question, detail: str) -> Verdict:
    if question.domain == "logging":
        monitored = project.security.logging.monitoring_24x7
        return Verdict(True if monitored else None, "Security monitoring runs 24x7." if monitored else "")
    return Verdict(None, "")


def _every_plan(project: Project, text: str, question: Question, detail: str) -> Verdict:
    plans = [p.name for p in project.support.plans] if project.support else []
    named = [p for p in plans if re.search(rf"\b{re.escape(p)}\b", detail)]
    if named:
        return Verdict(None, "", "support.plans")
    return Verdict(True, "", "support.plans")


_REQUIRED = re.compile(r"\b(?:requir\w*|enforc\w*|only|minimum|mandatory|must|all connections)\b", re.I)


def _tls13(project: Project, text: str, question: Question, detail: str) -> Verdict:
    transit = project.security.encryption.in_transit
    minimum = transit.minimum_tls.replace("TLS", "").strip()
    if _REQUIRED.search(text):
        if minimum >= "1.3":
            return Verdict(True, "The minimum accepted version is TLS 1.3.", "security.encryption.in_transit")
        return Verdict(
            False, f"The minimum accepted version is TLS {minimum}.", "security.encryption.in_transit.minimum_tls"
        )
    if any("1.3" in p for p in transit.protocols):
        return Verdict(True, "TLS 1.3 is supported.", "security.encryption.in_transit.protocols")
    return Verdict(None, "", "security.encryption.in_transit.protocols")


_EACH = r"\b(?:every|each|per|once (?:a|per|every)|a)"
"""How a cadence is said besides its adverb: "every quarter", "once per month", "twice a year"."""
_FREQUENCIES: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(rf"\bdaily\b|{_EACH} day\b", re.I), 1 / 30),
    (re.compile(rf"\bweekly\b|{_EACH} week\b", re.I), 1 / 4),
    (re.compile(rf"\bfortnightly\b|{_EACH} fortnight\b|\bevery (?:2|two) weeks\b", re.I), 1 / 2),
    (re.compile(rf"\bmonthly\b|{_EACH} month\b", re.I), 1),
    (re.compile(rf"\bquarterly\b|{_EACH} quarter\b|\bevery (?:3|three) months\b", re.I), 3),
    (
        re.compile(
            r"\btwice (?:a|per|every) year\b|\bsemi-?annual\w*|\bbi-?annual\w*|\bevery (?:6|six) months\b|"
            r"\bevery half[- ]year\b",
            re.I,
        ),
        6,
    ),
)
"""Each cadence a question may ask for, and the most months between two occurrences it allows."""
_EVERY_MONTHS = re.compile(r"\bevery (\d+) months\b|\bevery (month)\b")


def requested_months(text: str) -> float | None:
    """The most months between two occurrences that `text` asks for ("quarterly" -> 3); None when none."""
    for pattern, months in _FREQUENCIES:
        if pattern.search(text):
            return months
    return None


def _frequency(project: Project, text: str, question: Question, detail: str) -> Verdict:
    wanted = requested_months(text)
    if wanted is None:
        return Verdict(None, "")
    found = _EVERY_MONTHS.search(detail)
    if found is not None:
        return Verdict((1 if found[2] else int(found[1])) <= wanted, "")
    # An answer worded with a cadence of its own ("Backups are taken daily"): as often as asked, or not.
    stated = requested_months(detail)
    return Verdict(None, "") if stated is None else Verdict(stated <= wanted, "")


_POLICY_KINDS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    # the words a question uses for a kind of policy, and the words an answer's detail names it by
    "cyber": (re.compile(r"\bcyber\b", re.I), re.compile(r"\bcyber\b", re.I)),
    "errors and omissions": (
        re.compile(r"\berrors (?:and|&) omissions\b|\bE&O\b|\bprofessional (?:liability|indemnity)\b", re.I),
        re.compile(r"\bE&O\b|\bprofessional liability\b", re.I),
    ),
    "general liability": (
        re.compile(r"\bgeneral liability\b|\bCGL\b", re.I),
        re.compile(r"\bgeneral liability\b", re.I),
    ),
    "umbrella": (re.compile(r"\bumbrella\b|\bexcess liability\b", re.I), re.compile(r"\bumbrella\b", re.I)),
    "workers' compensation": (re.compile(r"\bworkers'? comp", re.I), re.compile(r"\bworkers'? comp", re.I)),
    "crime": (re.compile(r"\bcrime\b|\bfidelity\b", re.I), re.compile(r"\bcrime\b", re.I)),
    "product liability": (
        re.compile(r"\bproducts? liability\b", re.I),
        re.compile(r"\bproducts? liability\b", re.I),
    ),
}


def _policy_kind(project: Project, text: str, question: Question, detail: str) -> Verdict:
    asked = [kind for kind, (words, _) in _POLICY_KINDS.items() if words.search(text)]
    if question.domain != "insurance" or all(_POLICY_KINDS[kind][1].search(detail) for kind in asked):
        return Verdict(True, "", "insurance.policies")
    return Verdict(None, "", "insurance.policies")


_OLD_TLS = re.compile(
    r"\b(?:TLS\s?v?1\.[01]|SSL\s?v?[23](?:\.0)?)\b(?:\s*(?:,|and|or|/)\s*(?:TLS\s?v?)?1\.[01]\b)*", re.I
)
_TURNED_OFF = re.compile(
    r"\bdisabl\w*|\bdeprecat\w*|\bblock\w*|\breject\w*|\bprohibit\w*|\bturned off\b|"
    r"\bnot (?:supported|allowed|accepted|enabled|permitted)\b",
    re.I,
)


def _old_tls(project: Project, text: str, question: Question, detail: str) -> Verdict:
    """TLS 1.0, 1.1 or SSL: accepted when the model lists it or its minimum allows it."""
    transit = project.security.encryption.in_transit
    minimum = transit.minimum_tls.replace("TLS", "").strip()
    offered = {p.replace("TLS", "").strip() for p in transit.protocols}
    asked = set(re.findall(r"1\.[01]", " ".join(m[0] for m in _OLD_TLS.finditer(text)))) or {"0"}  # "0": SSL
    accepted = any(v in offered if offered else v >= minimum for v in asked)
    said = f"The minimum accepted version is TLS {minimum}."
    path = "security.encryption.in_transit.minimum_tls"
    return Verdict(not accepted if _TURNED_OFF.search(text) else accepted, said, path)


_RATINGS = ("A++", "A+", "A", "A-", "B++", "B+", "B", "B-", "C++", "C+", "C", "C-", "D")
"""AM Best's financial strength ratings, best first."""
_RATING = r"(?P<rating>A\+\+|A\+|A-|A|B\+\+|B\+|B-|B|C\+\+|C\+|C-|C|D)(?![\w+-])"
_RATING_ASKED = re.compile(rf"\b(?:rated|rating(?: of)?|A\.?M\.? Best)\s+(?:of\s+|at least\s+|an?\s+)?{_RATING}", re.I)
_RATING_STATED = re.compile(rf"(?<![\w+-]){_RATING}\s+[IVX]{{1,4}}\b(?!\s+or (?:better|higher|above))")


def _rating(project: Project, text: str, question: Question, detail: str) -> Verdict:
    """Every insurer's AM Best rating the answer states, against the one asked ("rated A or better")."""
    asked = _RATING_ASKED.search(text)
    stated = [m["rating"] for m in _RATING_STATED.finditer(detail)]
    if asked is None or not stated:
        return Verdict(None, "", "insurance.policies")
    wanted = _RATINGS.index(asked["rating"].upper())
    return Verdict(all(_RATINGS.index(r) <= wanted for r in stated), "", "insurance.policies")


def _bounded(project: Project, text: str, question: Question, detail: str) -> Verdict:
    return Verdict(figures.judged(text, detail), "")


QUALIFIERS: tuple[Qualifier, ...] = (
    Qualifier(
        "phishing-resistant",
        re.compile(
            r"phishing[- ]resistant|\bFIDO2?\b|\bwebauthn\b|\bpasskeys?\b|hardware (?:security )?(?:keys?|tokens?)|"
            r"\bsecurity keys?\b|\byubikeys?\b",
            re.I,
        ),
        ("security.identity.workforce.description", "security.identity.customer.description"),
        _phishing_resistant,
    ),
    Qualifier(
        "FIPS 140 validated",
        _FIPS,
        ("security.encryption.at_rest.key_management", "security.encryption.at_rest.description"),
        _fips,
        neutral="FIPS",
    ),
    Qualifier(
        "hardware security module",
        _HSM,
        ("security.encryption.at_rest.key_management", "security.encryption.at_rest.description"),
        _hsm,
    ),
    Qualifier(
        "customer-managed keys",
        re.compile(
            r"customer[- ](?:managed|controlled|held|supplied) (?:encryption )?keys?|"
            r"bring (?:your|our|their) own (?:encryption )?keys?|\bbyok\b|\bhyok\b|"
            r"(?:manage|control|hold|supply) (?:their|our|its|your) own (?:data )?(?:encryption )?keys?",
            re.I,
        ),
        ("security.encryption.at_rest.customer_managed_keys",),
        _customer_managed_keys,
        answered_by=frozenset({"CRY-08"}),
    ),
    Qualifier(
        "data location",
        re.compile("|".join(pattern.pattern for pattern, _ in _REGIONS.values()), re.I),
        ("security.hosting.residency", "customer.terms.data_residency"),
        _region,
        replaces_detail=True,
    ),
    Qualifier(
        "24x7",
        re.compile(r"\b24\s?[x×/*]\s?7\b|around[- ]the[- ]clock|round[- ]the[- ]clock|24 hours a day", re.I),
        ("security.logging.monitoring_24x7", "support.plans"),
        _around_the_clock,
        answered_by=frozenset({"SLA-08", "LOG-01", "LOG-02", "LOG-07"}),
    ),
    Qualifier(
        "on every plan",
        re.compile(
            r"\b(?:on |for |in )?(?:all|every|each) (?:of your )?(?:support )?(?:plans?|tiers?|editions?|"
            r"subscriptions?|customers?)\b|regardless of (?:plan|tier)",
            re.I,
        ),
        ("support.plans",),
        _every_plan,
    ),
    Qualifier(
        "an AM Best rating",
        _RATING_ASKED,
        ("insurance.policies",),
        _rating,
    ),
    Qualifier(
        "an old TLS or SSL version",
        _OLD_TLS,
        ("security.encryption.in_transit.minimum_tls", "security.encryption.in_transit.protocols"),
        _old_tls,
        neutral="TLS",
    ),
    Qualifier(
        "TLS 1.3",
        re.compile(r"\bTLS\s?v?1\.3\b", re.I),
        ("security.encryption.in_transit.minimum_tls", "security.encryption.in_transit.protocols"),
        _tls13,
        neutral="TLS",
    ),
    Qualifier(
        "this kind of insurance policy",
        re.compile("|".join(words.pattern for words, _ in _POLICY_KINDS.values()), re.I),
        ("insurance.policies",),
        _policy_kind,
    ),
    Qualifier(
        "the figure's bound",
        figures.BOUND,
        ("the figure in the answer",),
        _bounded,
        neutral=figures.neutral,
        decides=True,
    ),
    Qualifier(
        "frequency",
        re.compile("|".join(pattern.pattern for pattern, _ in _FREQUENCIES), re.I),
        ("the figure in the answer",),
        _frequency,
    ),
)
"""Every qualifier the engine knows; a question may carry several."""


def asked_words(qualifier: Qualifier, text: str) -> list[str]:
    """The words of `text` that ask for `qualifier` ("phishing-resistant"; "hosted", "Ireland")."""
    words = [m[0] for m in qualifier.pattern.finditer(text)]
    if qualifier.name == "data location":
        words += [m[0] for m in _RESIDENCY_WORDS.finditer(text)] + places_named(text)
    return words


def for_matching(text: str) -> str:
    """`text` with each qualifier's figures taken out, as the matcher should see it."""
    for qualifier in QUALIFIERS:
        if qualifier.neutral:
            text = qualifier.pattern.sub(qualifier.neutral, text)
    return text


def qualifiers_in(text: str, question: Question) -> tuple[Qualifier, ...]:
    """The qualifiers `text` asks for that the bank question's deriver does not decide itself."""
    return tuple(q for q in QUALIFIERS if question.id not in q.answered_by and _asks(q, text))


def qualifiers_asked(text: str) -> tuple[Qualifier, ...]:
    """The qualifiers `text` asks for, whatever question it is matched to."""
    return tuple(q for q in QUALIFIERS if _asks(q, text))


def _asks(qualifier: Qualifier, text: str) -> bool:
    if qualifier.name == "data location":
        # A region or a country, asked about where data is kept ("transfers outside the EU" is not).
        return bool(_RESIDENCY_WORDS.search(text) and places_named(text))
    return bool(qualifier.pattern.search(text))
