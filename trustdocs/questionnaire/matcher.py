"""Matching a customer's wording of a question to the question bank, offline and deterministically.

Text is normalised (lower case, a synonym table that folds "2FA", "multi-factor" and "MFA" into one term,
light stemming, stop words dropped), turned into word unigrams and bigrams weighted by TF-IDF over the
bank's questions and aliases, and compared by cosine similarity with each phrasing of each bank question.
A small bonus for words typical of the candidate's domain breaks near-ties. A figure in the customer's
question that the bank question does not state ("within 24 hours" against "within 72 hours", or against a
question with no figure) scales the confidence down, so such a match goes to review instead of being
answered against the wrong figure.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from trustdocs.questionnaire.bank import Question, QuestionBank

DEFAULT_THRESHOLD = 0.35
"""Confidence below which a match is left for review; chosen on tests/data/customer_questions.csv."""

_NUMBER_MISMATCH_FACTOR = 0.4
"""Confidence kept when the customer's question has a figure the bank question does not state."""
_DOMAIN_BONUS = 0.04
_DOMAIN_BONUS_CAP = 2
_BIGRAM_WEIGHT = 0.7
_MEASURES = frozenset({"hour", "hours", "day", "minute", "minutes", "month", "week", "year", "million", "percent"})
_MIN_INFORMATION = 5.0
"""Summed IDF of the matched words below which a match is scaled down: one common word is not enough."""

# Phrases folded into one canonical term before tokenising; order matters (longer phrases first).
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"\bavailability zones?\b|\bazs?\b|\bmulti[- ]az\b", " az "),
    (
        r"\bauthenticator apps?\b|\bhardware (?:security )?keys?\b|\bsecurity keys?\b|\btotp\b|\bwebauthn\b|"
        r"\bfido2?\b|\byubikeys?\b|\bone[- ]time (?:password|passcode|code)s?\b|\botps?\b",
        " mfa ",
    ),
    (
        r"\b(?:2fa|two[- ]?factor(?: authentication)?|multi[- ]?factor(?: authentication)?|"
        r"2[- ]?step(?: verification)?|two[- ]step(?: verification)?|mfa)\b",
        " mfa ",
    ),
    (r"\b(saml|oauth|scim|http)\s?v?\d(?:\.\d)?\b", r" \1 "),
    (r"\bsingle[- ]?sign[- ]?on\b|\bsso\b", " sso "),
    (r"\bopenid connect\b|\boidc\b", " oidc "),
    (r"\bsecurity assertion markup language\b", " saml "),
    (r"\bpen(?:etration)?[- ]?test(?:s|ing|ed|er|ers)?\b|\bpentest\w*", " pentest "),
    (r"\bbusiness continuity(?: plan(?:ning)?)?\b|\bbcp\b|\bbc/dr\b|\bbcdr\b", " continuity "),
    (r"\bdisaster recovery\b|\bdr\b", " disasterrecovery "),
    (r"\bat[- ]rest\b", " atrest "),
    (r"\bin[- ](?:transit|motion)\b", " intransit "),
    (r"\brecovery time objectives?\b|\brto\b", " rto "),
    (r"\brecovery point objectives?\b|\brpo\b", " rpo "),
    (r"\bsoc[- ]?(?:ii|2)\b", " soc2 "),
    (r"\btype[- ]?(?:ii|2)\b", " type2 "),
    (r"\biso(?:[- ]?/?iec)?[- ]?(\d{5})(?::\d{4})?\b", r" iso\1 "),
    (
        r"\b24\s?[x×/*]\s?7\b|\b24 hours a day,? 7 days a week\b|\baround[- ]the[- ]clock\b|"
        r"\bround[- ]the[- ]clock\b",
        " 24x7 ",
    ),
    (r"\b24\s?[x×/*]\s?5\b", " 24x5 "),
    (r"\berrors? (?:and|&) omissions?\b|\be\s?&\s?o\b|\bprofessional (?:liability|indemnity)\b", " eo "),
    (r"\bcertificates? of insurance\b|\bcois?\b|\bacord\b", " coi "),
    (r"\bbring your own keys?\b|\bbyok\b|\bcustomer[- ]managed (?:encryption )?keys?\b|\bhyok\b", " byok "),
    (r"\bhardware security modules?\b|\bhsms?\b|\bkey management (?:service|system)s?\b|\bkms\b", " kms "),
    (r"\bmutual tls\b|\bmtls\b", " mtls "),
    (r"\bssl\b|\btls\b|\bhttps\b", " tls "),
    (r"\bsub[- ]?processors?\b|\bsub[- ]?contractors?\b", " subprocessor "),
    (r"\bpii\b|\bpersonally identifiable information\b|\bpersonal information\b", " personal data "),
    (r"\bsecurity information and event management\b|\bsiem\b", " siem "),
    (r"\bweb application firewalls?\b|\bwafs?\b", " waf "),
    (r"\b(?:distributed )?denial[- ]of[- ]service\b|\bddos\b", " ddos "),
    (r"\bstatic (?:application security testing|code analysis|analysis|code scan\w*)\b|\bsast\b", " sast "),
    (r"\bdynamic (?:application security testing|testing|scan\w*)\b|\bdast\b", " dast "),
    (r"\bsoftware composition analysis\b|\bsca\b", " sca "),
    (r"\bsoftware bills? of materials?\b|\bsboms?\b", " sbom "),
    (r"\brole[- ]based access(?: control)?\b|\brbac\b", " rbac "),
    (r"\bdata processing (?:agreement|addendum)s?\b|\bdpas?\b", " dpa "),
    (r"\bdata protection officers?\b|\bdpos?\b", " dpo "),
    (r"\bgeneral data protection regulation\b|\bgdpr\b", " gdpr "),
    (r"\bstandard contractual clauses\b|\bsccs?\b", " scc "),
    (r"\b(?:p|sev|severity|priority)[- ]?(?:1|one)\b", " sev1 "),
    (
        r"\btechnical account managers?\b|\bcustomer success managers?\b|\baccount managers?\b|\btams?\b|"
        r"\bcsms?\b",
        " tam ",
    ),
    (
        r"\broot[- ]cause(?: analysis| analyses| report)?\b|\brcas?\b|\bpost[- ]?mortems?\b|"
        r"\bpost[- ]incident reports?\b",
        " rca ",
    ),
    (r"\buptime\b", " availability "),
    (r"\bmobile device management\b|\bmdm\b", " mdm "),
    (
        r"\bendpoint detection(?: and response)?\b|\bedr\b|\banti[- ]?virus\b|\banti[- ]?malware\b|"
        r"\bmalware\b",
        " antimalware ",
    ),
    (r"\bintrusion (?:detection|prevention)(?: systems?)?\b|\bids\b|\bips\b", " intrusion "),
    (r"\bbusiness associate agreements?\b|\bbaas?\b", " baa "),
    (r"\bartificial intelligence\b|\bmachine[- ]learning\b|\bgen ?ai\b|\bllms?\b|\bai\b|\bml\b", " ai "),
    # "A non-disclosure or confidentiality agreement": the noun may come after an alternative.
    (r"\bnon[- ]?disclosure(?: agreements?| undertakings?)?\b|\bndas?\b", " nda "),
    (r"\bvulns?\b", " vulnerability "),
    (r"\binformation security\b|\binfosec\b", " infosec "),
    (r"\bchief information security officer\b|\bhead of security\b|\bciso\b", " ciso "),
    (r"\binformation security management system\b|\bisms\b", " isms "),
    (r"\bbug bount(?:y|ies)\b", " bugbounty "),
    (r"\b(?:responsible|coordinated|vulnerability) disclosure\b|\bsecurity\.txt\b", " disclosure "),
    (r"\bcommercial general liability\b|\bgeneral liability\b|\bcgl\b", " cgl "),
    (
        r"\bidentity (?:providers?|federation)\b|\bfederated (?:identity|login|sign[- ]in)\b|\bidps?\b|\bokta\b|\bazure ad\b|\bentra(?: id)?\b|\bonelogin\b",
        " idp ",
    ),
    (r"\bamazon web services\b|\baws\b|\bazure\b|\bgcp\b|\bgoogle cloud\b", " cloudprovider "),
    (r"\bthree nines\b", " 99.9 "),
    (r"\bdata ?cent(?:er|re)s?\b", " datacenter "),
    (r"\bon[- ]?prem(?:ise|ises)?\b", " onprem "),
    # The verb too: "data is backed up" asks what "backups are taken" does.
    (r"\bback(?:ed|s|ing)?[- ]?ups?\b", " backup "),
    (r"(?<=\d)\s?hrs?\b|\bhrs\b", " hours "),
    (r"(?<=\d)\s?mins?\b|\bmins\b", " minutes "),
    (r"\bvendor(?= (?:risk|management|assessments?|security|due diligence|onboarding|reviews?)\b)", " supplier "),
    (r"\bthird[- ]part(?:y|ies)\b|\b3rd[- ]part(?:y|ies)\b", " thirdparty "),
    (r"\bsold\b|\bsell(?:s|ing)?\b", " sell "),
    # Whether someone may do a thing ("Do you allow customers to pen test?") is not whether it is done.
    (r"\b(?:allow|permit)(?:s|ed|ted|ing|ting)?\b", " permit "),
    (
        r"\bthirdparty(?: service)? providers?\b|\bservice providers\b|\bfourth[- ]parties\b|\bvendors\b|"
        r"\bsuppliers\b",
        " supplier ",
    ),
    (r"\bdue diligence\b|\bvet(?:s|ted|ting)?\b", " assess "),
    (r"\bopen[- ]source\b|\boss\b", " opensource "),
    (r"\ba\.?m\.? best\b", " ambest "),
    (r"\bnetwork time protocol\b|\bntp\b", " ntp "),
    # Words with one meaning but many forms, or near-synonyms customers use interchangeably.
    (r"\bhow long\b", " howlong "),
    (
        r"\b(?:12|twelve)[- ]months?\b|\b(?:one|a|each|every|per|1) year\b|\bper annum\b|\byearly\b|"
        r"\bannual(?:ly)?\b",
        " annual ",
    ),
    (r"\bbuilt\b", " build "),
    (r"\bresid(?:e|es|ing|ent|ency)\b", " residency "),
    (r"\bhow (?:quickly|soon|fast)\b|\bhow many hours\b", " quickly "),
    (
        r"\binform(?:s|ed|ing)?\b|\balert(?:s|ed)? (?:you|us|customers)\b|"
        r"\btell(?:s)? (?:us|customers)\b",
        " notify ",
    ),
    (r"\bcompromis\w*|\bbreach\w*", " breach "),
    (r"\brecover(?:y|ed|ing|s)?\b|\brestor\w*", " restore "),
    (
        r"\beuropean union\b|\beuropean economic area\b|\beu\b|\beea\b|\bgeographic\w*|\bcountry\b|"
        r"\bcountries\b|\bjurisdictions?\b",
        " region ",
    ),
    (r"\bexclusively\b|\bsolely\b", " only "),
    (r"\bmandatory\b|\bcompulsory\b|\bobligatory\b|\brequire(?:s|d)?\b", " require "),
    (r"\bsupport (?:case|issue|request)s?\b", " support ticket "),
    (r"\bstor(?:e|ed|es|ing|age)\b", " store "),
    (r"\bhow often\b|\bhow frequently\b|\bfrequen(?:cy|cies|tly|t)\b|\bhow regularly\b", " often "),
    (r"\bcarr(?:y|ied|ies) out\b|\bconduct(?:s|ed|ing)?\b|\bundertak(?:e|es|en)\b", " perform "),
    (r"\bup[- ]to[- ]date\b", " current "),
    (
        r"\b(?:on an? )?(?:regular|periodic|routine) (?:schedule|basis)\b|\bregular(?:ly)?\b|\bperiodic(?:al|ally)?\b",
        " often ",
    ),
    (r"\bretention\b|\bretain(?:s|ed|ing)?\b|\bkeep(?:s|ing)?\b|\bkept\b", " retain "),
    (r"\bclassif\w*", " classify "),
    (r"\bnotif\w*", " notify "),
    (r"\bsegment\w*", " segment "),
    (r"\bverif\w*", " verify "),
    # Access recertification is the access review under another name.
    (r"\bre-?(?:validat|certif)\w*", " review "),
    (r"\bentitlements?\b|\baccess rights?\b", " access "),
    (r"\bcertif(?:y|ied|ication|ications|icate|icates)\b", " certify "),
    (r"\bprogrammes?\b", " program "),
    (r"\bagreements?\b|\bcontracts?\b|\bmsa\b", " contract "),
    (r"\bemployees?\b|\bstaff\b|\bpersonnel\b|\bworkforce\b|\bemployment\b", " employee "),
)
_COMPILED = tuple((re.compile(p), r) for p, r in _PHRASES)

_STOP = frozenset(
    """
a an the of to in on for with by at from into about as and or nor but if so than then that this these those
it its is are was were be been being am do does did done doing have has had having can could will would
shall should may might must you your yours we us our ours they them their i me my he she his her what which
who whom whose how when where why there here all any each every some such also please describe provide
explain detail details list confirm state indicate outline specify share give currently ensure ensured
applicable etc e g eg ie i.e yes no n a na use used using vendor organization organisation company firm
business kindly whether including include includes within per via own other others both either
made make makes making take takes taken get gets got up under would many much
perform performs performed performing
""".split()
)

_SUFFIXES = ("ings", "ing", "ies", "ied", "ed", "es", "ions", "ion", "ly", "ments", "ment", "s")
_KEEP = frozenset(
    {
        "access",
        "process",
        "address",
        "class",
        "business",
        "less",
        "loss",
        "pass",
        "gdpr",
        "status",
        "bus",
        "ics",
        "aws",
        "ids",
        "ips",
        "sms",
        "tls",
        "mtls",
        "https",
        "kms",
        "million",
    }
)

_DOMAIN_WORDS: dict[str, tuple[str, ...]] = {
    "governance": ("policy", "ciso", "board", "risk", "isms", "governance", "infosec"),
    "hr": (
        "employee",
        "staff",
        "hire",
        "train",
        "awareness",
        "background",
        "screen",
        "personnel",
        "contractor",
        "phishing",
        "simulation",
    ),
    "asset_management": (
        "inventory",
        "asset",
        "classif",
        "retention",
        "retain",
        "delet",
        "laptop",
        "device",
        "office",
        "hardware",
    ),
    "access_control": (
        "sso",
        "mfa",
        "rbac",
        "scim",
        "role",
        "permission",
        "privileg",
        "login",
        "idp",
        "provision",
        "tenant",
    ),
    "cryptography": ("encrypt", "tls", "key", "kms", "byok", "aes", "cipher", "atrest", "intransit", "crypto"),
    "network": ("network", "firewall", "waf", "ddos", "subnet", "segment", "internet", "cloudprovider", "host"),
    "application_security": (
        "code",
        "sast",
        "dast",
        "sca",
        "sbom",
        "pentest",
        "bugbounty",
        "secret",
        "threat",
        "develop",
        "sdlc",
    ),
    "vulnerability_management": ("vulnerability", "patch", "scan", "remediat", "disclosure", "cve"),
    "logging": ("log", "siem", "monitor", "alert", "intrusion", "detect"),
    "incident_response": ("incident", "breach", "notif", "rca", "tabletop"),
    "bcdr": ("continuity", "disasterrecovery", "rto", "rpo", "backup", "restor", "failover", "az", "region"),
    "subprocessors": ("subprocessor", "supplier", "thirdparty"),
    "privacy": ("gdpr", "dpa", "dpo", "personal", "privacy", "transfer", "residency", "scc", "subject"),
    "compliance": (
        "soc2",
        "iso27001",
        "iso27017",
        "iso27018",
        "pci",
        "hipaa",
        "certif",
        "audit",
        "complian",
        "fedramp",
        "star",
        "framework",
    ),
    "sla_support": (
        "sla",
        "availability",
        "support",
        "credit",
        "maintenance",
        "sev1",
        "tam",
        "escalat",
        "status",
        "roadmap",
        "training",
    ),
    "insurance": ("insur", "coi", "cgl", "eo", "liabil", "indemn", "cap", "umbrella", "subrogat", "polic"),
    "escrow": ("escrow", "deposit", "release", "agent", "source"),
}


@dataclass(frozen=True)
class Match:
    """The best bank question for a customer's question; `question` is None when nothing matches at all."""

    question: Question | None
    confidence: float
    """Between 0 and 1, rounded to 3 places."""
    unexplained: tuple[str, ...] = ()
    """Terms of the customer's question that other bank questions use but no phrasing of this one does
    ("sell" in "Do you sell data to third parties?" matched to the subprocessor list): a sign that the
    question asks something the match does not answer."""
    missing: tuple[str, ...] = ()
    """Topic terms every phrasing of the matched question uses but the customer's question does not
    ("backup" when "Are environments separated?" meets "Are backups stored separately?"): the match
    shares the question's other words, not its subject."""
    unknown_names: tuple[str, ...] = ()
    """Names and acronyms of the customer's question that no bank question uses ("FERPA", "Kerberos"):
    a standard, protocol or product nothing in the bank can vouch for."""


def _stem(word: str) -> str:
    if word in _KEEP or len(word) <= 3 or word[0].isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            stem = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                stem += "y"
            # "logging" -> "logg" -> "log", "scanned" -> "scann" -> "scan"
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                stem = stem[:-1]
            # "management" -> "manage" -> "manag", as "managed" and "manage" end
            if stem.endswith("e") and len(stem) > 4:
                stem = stem[:-1]
            return stem
    if word.endswith("e") and len(word) > 4:
        return word[:-1]
    return word


def normalise(text: str) -> list[str]:
    """The terms of a question: canonical phrases, stems, without stop words, in order."""
    lowered = text.lower().replace("’", "'").replace("–", "-").replace("—", "-")
    lowered = re.sub(r"(?<=\d),(?=\d{3}\b)", "", lowered)
    lowered = re.sub(r"'s\b", "", lowered)
    lowered = re.sub(r"(?<=[a-z])is(e|ed|es|ing|ation|ations)\b", r"iz\1", lowered)
    lowered = re.sub(r"(?<=[a-z])ys(e|ed|es|ing)\b", r"yz\1", lowered)
    lowered = re.sub(r"\$?\s?(\d+(?:\.\d+)?)\s?(?:m|mm|million)\b", r" \1 million ", lowered)
    lowered = re.sub(r"\b(\d+)000000\b", r"\1 million", lowered)
    for pattern, replacement in _COMPILED:
        lowered = pattern.sub(replacement, lowered)
    words = re.findall(r"\d+(?:\.\d+)+|[a-z0-9]+", lowered)
    terms = [_stem(w) for w in words if w not in _STOP and (len(w) > 1 or w.isdigit())]
    if "howlong" in terms:
        # "How long are logs stored?" asks how long they are retained.
        terms = ["retain" if t == "stor" else t for t in terms]
    return terms


def _features(terms: list[str]) -> Counter[str]:
    """Unigrams and bigrams, each counted once: in a one-line question a repeat is phrasing, not emphasis."""
    features: Counter[str] = Counter(dict.fromkeys(terms, 1))
    features.update(dict.fromkeys((f"{a} {b}" for a, b in zip(terms, terms[1:], strict=False)), 1))
    return features


def _numbers(terms: list[str]) -> frozenset[str]:
    return frozenset(t for t in terms if re.fullmatch(r"\d+(?:\.\d+)?", t))


class Matcher:
    """Matches customer questions against one bank; build once, call `match` per question."""

    def __init__(self, bank: QuestionBank):
        self.bank = bank
        variants: list[tuple[Question, list[str]]] = []
        for question in bank.questions:
            for text in (question.question, *question.aliases):
                variants.append((question, normalise(text)))
        documents = [_features(terms) for _, terms in variants]
        frequency: Counter[str] = Counter()
        for features in documents:
            frequency.update(features.keys())
        count = len(documents)
        self._idf = {term: math.log((1 + count) / (1 + df)) + 1 for term, df in frequency.items()}
        self._unknown_idf = math.log(1 + count) + 1
        self._words = sorted(t for t in frequency if " " not in t and len(t) >= 4)
        self._question_terms: dict[str, frozenset[str]] = {}
        self._subject_terms: dict[str, frozenset[str]] = {}
        for question, terms in variants:
            self._question_terms[question.id] = self._question_terms.get(question.id, frozenset()) | set(terms)
            # A question's subject: the topic terms every one of its phrasings uses.
            topics = frozenset(terms) & _TOPIC_TERMS
            held = self._subject_terms.get(question.id)
            self._subject_terms[question.id] = topics if held is None else held & topics
        self._variants = [
            (q, self._vector(f), _numbers(terms)) for (q, terms), f in zip(variants, documents, strict=False)
        ]

    def _vector(self, features: Counter[str]) -> dict[str, float]:
        vector = {}
        for term, tf in features.items():
            weight = (1 + math.log(tf)) * self._idf.get(term, self._unknown_idf)
            vector[term] = weight * (_BIGRAM_WEIGHT if " " in term else 1.0)
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return {term: w / norm for term, w in vector.items()}

    def _spelling(self, term: str) -> str:
        """A word the bank does not use, corrected to the bank word one edit away ("awarness"), if just one is."""
        if term in self._idf or len(term) < 5 or term[0].isdigit():
            return term
        close = [word for word in self._words if abs(len(word) - len(term)) <= 1 and _one_edit(term, word)]
        return close[0] if len(close) == 1 else term

    def uncovered(self, question_id: str, text: str) -> tuple[str, ...]:
        """The terms of `text` that no phrasing of the bank question `question_id` uses."""
        known = self._question_terms.get(question_id, frozenset())
        return tuple(t for t in dict.fromkeys(normalise(text)) if t not in known)

    def match(self, text: str, among: frozenset[str] | None = None) -> Match:
        """The best bank question for `text` (of the ids `among`, when given) and a confidence in [0, 1]; ties
        go to the earlier bank question."""
        terms = [self._spelling(t) for t in normalise(text)]
        if not terms:
            return Match(None, 0.0)
        # A bigram the bank never uses says nothing about which question this is (unlike an unknown word,
        # which is evidence the question is about something else), so it is left out of the query.
        features = Counter({t: n for t, n in _features(terms).items() if " " not in t or t in self._idf})
        query = self._vector(features)
        numbers = _numbers(terms)
        unigrams = set(terms)
        best: Question | None = None
        best_score = 0.0
        for question, vector, wanted in self._variants:
            if among is not None and question.id not in among:
                continue
            score = sum(w * vector[t] for t, w in query.items() if t in vector)
            if score <= 0:
                continue
            score += _DOMAIN_BONUS * min(_DOMAIN_BONUS_CAP, _domain_hits(terms, question.domain))
            if numbers and not numbers & wanted:
                # "At least $10M?" answered from "at least $5M?" or from "do you have cyber insurance?" would
                # put a Yes against a figure nobody checked.
                score *= _NUMBER_MISMATCH_FACTOR
            # Figures and their units say how much, not what about: a match on "24 hours" alone is no match.
            information = sum(self._idf[t] for t in unigrams - _MEASURES if t in vector and not t[0].isdigit())
            score *= min(1.0, information / _MIN_INFORMATION)
            if score > best_score + 1e-12:
                best, best_score = question, score
        if best is None:
            return Match(None, 0.0)
        known = self._question_terms[best.id]
        unexplained = tuple(t for t in dict.fromkeys(terms) if t not in known and t in _TOPIC_TERMS)
        # A question worded around the bank question's domain ("tabletop exercises" for the incident
        # response test) keeps its subject; one sharing none of the domain's topic words ("release" is
        # not one) has changed it.
        topical = [t for t in terms if t in _TOPIC_TERMS]
        missing = () if _domain_hits(topical, best.domain) else tuple(sorted(self._subject_terms[best.id] - unigrams))
        return Match(best, round(min(1.0, best_score), 3), unexplained, missing, self.unknown_names(text))

    def unknown_names(self, text: str) -> tuple[str, ...]:
        """The acronyms and capitalised words (not opening a sentence) of `text` the bank never uses, except
        one offered as an alternative to another ("SAML or Shibboleth" is answered by SAML), and the
        standards' names folded into one term ("iso27701") the bank never uses."""
        names = []
        asked = list(dict.fromkeys(normalise(text)))
        for word in names_in(text):
            # A word folded into a phrase of the text ("Type" in "SOC 2 Type II") is no name of its own.
            terms = [self._spelling(t) for t in normalise(word) if t in asked]
            if not any(t not in self._idf and not t[0].isdigit() for t in terms):
                continue
            if re.search(rf"\bor\s+{re.escape(word)}\b|\b{re.escape(word)}\s+or\b", text):
                continue
            names.append(word)
        # A standard's folded name ("ISO 27701" -> "iso27701") the bank never uses is one too.
        names += [t for t in asked if t not in self._idf and re.fullmatch(r"[a-z]+\d+", t)]
        return tuple(dict.fromkeys(names))


_NAME = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*\b")


def folded(name: str) -> bool:
    """Whether `normalise` turns `name` into another term: a product folded into its kind ("OneLogin" into
    the identity-provider term), which an answer about the kind does not vouch for."""
    terms = normalise(name)
    return bool(terms) and terms != [_stem(name.lower())]


def names_in(text: str) -> Iterator[str]:
    """The acronyms and capitalised words of `text` that do not open a sentence ("OneLogin", "SCIM")."""
    for found in _NAME.finditer(text):
        word = found[0]
        opens = not text[: found.start()].strip() or re.search(r"[.?!:]\s*$", text[: found.start()])
        if (word.isupper() and len(word) >= 2) or (not opens and word[0].isupper()):
            yield word


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by one insertion, deletion, substitution or swap of neighbours."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(longer)):
        if longer[:i] + longer[i + 1 :] == shorter:
            return True
    return False


def domain_terms(domain: str) -> tuple[str, ...]:
    """The keywords typical of a bank `domain`, normalised as questions are ("employe")."""
    return _DOMAIN_STEMS.get(domain, ())


def _domain_hits(terms: list[str], domain: str) -> int:
    keywords = _DOMAIN_STEMS.get(domain, ())
    # Short stems ("reg", "eo") must match whole; longer ones also match as prefixes ("remediat").
    return sum(1 for t in set(terms) if t in keywords or t.startswith(tuple(k for k in keywords if len(k) >= 5)))


# The keywords go through the same normalisation as the questions, so "employee" meets "employe".
_DOMAIN_STEMS: dict[str, tuple[str, ...]] = {
    domain: tuple(dict.fromkeys(term for word in words for term in normalise(word)))
    for domain, words in _DOMAIN_WORDS.items()
}

# Terms that name a topic of their own (the canonical terms of the phrase table and the domain keywords):
# one of them left unused by the matched question means the question asks about something more.
_TOPIC_TERMS: frozenset[str] = frozenset(
    term
    for replacement in (r for _, r in _PHRASES if "\\" not in r)
    for term in normalise(replacement)
    if not term[0].isdigit()
) | frozenset(term for stems in _DOMAIN_STEMS.values() for term in stems)
_TOPIC_TERMS -= frozenset(
    normalise(
        "data personal perform program current often require store only annual quickly howlong build employee "
        "contract notify assess verify certify classify segment retain region restore residency breach support "
        "ticket hours minutes availability policy process access source release agent status audit "
        "monitor alert detect log review"
    )
)
