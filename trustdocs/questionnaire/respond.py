"""One question in, one cited answer out: the single entry point every questionnaire filler uses.

`Responder.respond` takes a question as the customer's file words it (and, for a recognised standard
questionnaire, the standard, its version and the question's ID) and returns a `Response`: the value to
write, the customer-facing detail, the control ownership, the citations, and, for the vendor's reviewer
only, whether it needs review and why. Fillers never call the matcher or the derivers themselves.

The goal is that no wrong answer goes out without a review flag, so an answer is unflagged only when:
the project's own answer library answers it (and is not stale), or the question matches a bank question
confidently, the model answers that, every part of a multi-part question is answered (parts.py), and
every stricter qualifier the question carries is stated by the model (qualifiers.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from trustdocs.model.project import Project
from trustdocs.model.questionnaire import Ownership
from trustdocs.questionnaire import coverage, figures
from trustdocs.questionnaire.bank import Question, QuestionBank, load_bank
from trustdocs.questionnaire.citations import Heading, SectionIndex
from trustdocs.questionnaire.derive import AnswerValue
from trustdocs.questionnaire.library import AnsweredQuestion, answer_library
from trustdocs.questionnaire.matcher import DEFAULT_THRESHOLD, Match, Matcher, folded, names_in, normalise
from trustdocs.questionnaire.own_answers import ENTRY_PREFIX, OwnAnswer, conflict, own_answers, worded_bank
from trustdocs.questionnaire.parts import LIFECYCLE, Part, split_question
from trustdocs.questionnaire.qualifiers import Qualifier, asked_words, for_matching, qualifiers_asked, qualifiers_in
from trustdocs.questionnaire.services import checked_words, compare, named_services
from trustdocs.questionnaire.standards import split_leading_id
from trustdocs.questionnaire.statements import Statements


@dataclass(frozen=True)
class Citation:
    """Where the answer is stated: a section of a customer document, and the YAML it comes from."""

    document: str
    """The document's title as the packet prints it, e.g. "Product Security Document"."""
    section: str
    """The section number and heading, e.g. "4.2 Encryption"; empty when the document has no numbering."""
    source: str = ""
    """The YAML file (relative to the project root) and line, e.g. "security/controls.yaml:12"; may be empty."""

    def __str__(self) -> str:
        where = f"{self.document}, section {self.section}" if self.section else self.document
        return f"{where} ({self.source})" if self.source else where


@dataclass(frozen=True)
class Response:
    """The answer to one question, with what the reviewer needs to know kept apart from what the customer sees."""

    value: AnswerValue | None
    """Yes, No, N/A, or None when it is left for a person to answer."""
    detail: str
    """Customer-facing text in contract language; never a score, a tool name or a review note."""
    ownership: Ownership | None = None
    citations: tuple[Citation, ...] = ()
    needs_review: bool = True
    review_reasons: tuple[str, ...] = ()
    """Internal only: why a person must look (low confidence, a part unsupported, a stricter qualifier...)."""
    question_id: str | None = None
    """The bank question (or library entry) the answer comes from; None when nothing matched."""
    confidence: float = 0.0
    """Internal only: how sure the match is, between 0 and 1."""
    domain: str = ""
    """The bank domain key, for the summary by domain; empty when nothing matched."""
    parts: tuple[str, ...] = ()
    """Internal only: what each part of a multi-part question asked ("RTO", "RPO"); empty for one part."""


_POLICY_DERIVERS = frozenset({"policy", "policy_set"})
_PER_SERVICE = frozenset({"sla_at_least", "sla_commitment"})
"""Derivers of an availability commitment, which the SLA states per service."""
_POLICY_WORDS = re.compile(r"\b(?:polic(?:y|ies)|procedures?|plans?|standards?)\b", re.I)
_STEP_STEMS = {"tested": ("test", "exercis"), "reviewed": ("review",), "approved": ("approv",)}
_ACTIVITY = re.compile(r"\b(tested|exercised|reviewed|approved)\b", re.I)
"""An activity a one-part question asks about ("Is the plan tested?"): having the thing does not answer it."""


class Responder:
    """Answers questions from one (audience-filtered) project; build once per questionnaire."""

    def __init__(
        self,
        project: Project,
        *,
        bank: QuestionBank | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        today: dt.date | None = None,
    ) -> None:
        self.project = project
        self.bank = bank or load_bank()
        self.threshold = threshold
        self._matcher = Matcher(self.bank)
        self._answers: Mapping[str, AnsweredQuestion] = {a.question.id: a for a in answer_library(project, self.bank)}
        self._sections = SectionIndex(project)
        self.today = today or dt.date.today()
        self._own = own_answers(project, self.bank, self._matcher)
        self._own_by_id = {o.id: o for o in self._own}
        worded = worded_bank(self.bank, self._own)
        self._worded = Matcher(worded) if worded is not None else None

    @functools.cached_property
    def _statements(self) -> Statements:
        """Built on the first question the bank cannot vouch for: it renders every customer document."""
        return Statements(self.project, self._sections)

    def domain_name(self, domain: str) -> str:
        return self.bank.domain_name(domain) if domain else "Unmatched"

    def respond(
        self, text: str, *, standard: str | None = None, version: str | None = None, question_id: str | None = None
    ) -> Response:
        """The answer to `text`; `standard`, `version` and `question_id` identify it in a known questionnaire."""
        # A number the questionnaire writes in the question's own cell ("AIS-04: ...") is not a word to explain.
        text = split_leading_id(text)[1]
        own = self._own_answer(text, standard, version, question_id)
        if own is not None:
            return self._from_library(own)
        parts = split_question(text)
        if len(parts) == 1:
            steps = dict.fromkeys(m[1].lower() for m in _ACTIVITY.finditer(text))
            response = self._single(text, checked=_step_words(steps))
            for found in steps:
                step = "tested" if found == "exercised" else found
                response = self._step(Part(text, text, step=step), response)
            return self._or_statement(text, response)
        return self._combined(text, parts)

    def citation(self, question: Question, source: str = "") -> Citation:
        """Where the packet states the answer to `question`: its document, numbered section and YAML line."""
        if question.place is None:
            return Citation(question.evidence, "")
        heading = self._sections.heading(question.place)
        return Citation(heading.document, _numbered(heading), self._sections.source(source or question.source))

    # -- one question ---------------------------------------------------------------------------------

    def _or_statement(self, text: str, response: Response) -> Response:
        """`response`, or when the bank could not vouch for it, what the customer documents say in so many
        words (statements.py)."""
        if not response.needs_review or response.value not in (None, "Yes"):
            return response
        statement = self._statements.answering(text)
        if statement is None:
            return response
        heading = statement.heading
        # An item of a list of exclusions says nothing by itself: the list's heading says what it is.
        if statement.excluded:
            detail = f"{heading.title}: {statement.text}."
        else:
            detail = f"{statement.text[0].upper()}{statement.text[1:]}."
        return Response(
            "Yes",
            detail,
            citations=(Citation(heading.document, _numbered(heading), self._statements.source(statement)),),
            needs_review=False,
            confidence=response.confidence,
            domain=response.domain,
        )

    def _single(self, text: str, match: Match | None = None, *, checked: frozenset[str] = frozenset()) -> Response:
        """`checked`: words of `text` another check answers for (a lifecycle step the caller checks)."""
        match = match or self._matcher.match(for_matching(text))
        question = match.question
        if question is None:
            return Response(None, "", review_reasons=("no question of the bank matches",))
        if match.confidence < self.threshold:
            return Response(
                None,
                "",
                review_reasons=(
                    f"best match {question.id} at confidence {match.confidence:.2f} is below the threshold",
                ),
                question_id=question.id,
                confidence=match.confidence,
                domain=question.domain,
            )
        answer = self._answers[question.id].answer
        qualifiers = qualifiers_in(text, question)
        # A qualifier's own words ("phishing-resistant") are checked by the qualifier, not left unexplained.
        qualified = {t for q in qualifiers for words in asked_words(q, text) for t in normalise(words)} | checked
        # A commitment asked of named services is answered from their own figures (services.py).
        per_service = named_services(self.project, text) if question.derive in _PER_SERVICE else ()
        qualified |= checked_words(per_service)
        unexplained = [t for t in match.unexplained if t not in qualified]
        opposite = _opposite_words(text, question)
        # The strict rule: every content word must be explained by the bank question, its domain or the answer.
        uncovered = [
            t
            for t in coverage.unexplained(
                self._matcher,
                question.id,
                question.domain,
                text,
                answer.detail,
                checked=frozenset(qualified | {o for w in opposite for o in normalise(w)}),
            )
            if t not in unexplained
        ]
        missing = match.missing
        names = [n for n in match.unknown_names if not set(normalise(n)) <= qualified]
        off_subject = bool(missing or names)
        own = self._own_by_id.get(question.id)
        if own is not None:
            why = conflict(own, answer)
            if (
                not unexplained
                and not uncovered
                and not off_subject
                and not why
                and (answer.needs_review or answer.value == own.entry.answer)
                and not _beyond_entry(text, own, qualifiers)
            ):
                return self._from_library(own, confidence=match.confidence)
        value, detail = answer.value, answer.detail
        reasons: list[str] = []
        if answer.needs_review:
            # The deriver's explanation ("The model does not record...; answer by hand.") is for the reviewer.
            reasons.append(
                f"the model does not answer it: {answer.detail}" if answer.detail else "the model does not answer it"
            )
            detail = ""
        if own is not None and why:
            reasons.append(
                f"the answer library's entry ({self._sections.relative_source(own.source)}) says '{own.entry.answer}' but {why}"
            )
        citations = [self.citation(question)]
        # What a scope is asked to cover must be in the answer: the bank question's generic words
        # ("environment", "cloud") do not vouch for "the production cloud environment".
        outside = _outside_scope(text, detail) if value == "Yes" else ()
        # A figure the question names ("5x the fees", "within 2 hours") must be the answer's own, unless a
        # qualifier or a service's figure has checked it.
        figures = _unstated_figures(question, text, detail, qualified) if value is not None else ()
        # A product the matcher folds into its kind must be named by the answer or by the bank question:
        # "federation with OneLogin" is not answered by "with the customer's identity provider".
        unnamed = [n for n in dict.fromkeys(names_in(text)) if folded(n) and not _names(question, detail, n, text)]
        for words, reason in (
            (unexplained, "the question also asks about {}, which {} does not cover"),
            (uncovered, "no phrasing of {1} nor its answer explains {0}"),
            (missing, "the question does not mention {}, which {} is about"),
            (names, "the question names {}, which no question of the bank covers"),
            (outside, "the answer does not say that the scope covers {}"),
            (figures, "the question names {}, which the answer does not state"),
            (unnamed if value is not None else (), "the answer does not name {}"),
        ):
            if words:
                reasons.append(reason.format(_quoted(words), question.id))
        if opposite:
            value, reasons = None, [*reasons, f"the question is worded the opposite way to {question.id}"]
        replaced = False
        for qualifier in qualifiers:
            verdict = qualifier.check(self.project, text, question, detail)
            if verdict.source:
                citations.append(self.citation(question, verdict.source))
            if verdict.stated is None:
                value = None
                # A bound is named by its own words ("at least £5M"), a kind of qualifier by its name.
                asked = ", ".join(asked_words(qualifier, text)) if qualifier.decides else qualifier.name
                reasons.append(f"the question asks for '{asked}', which the model does not state")
            elif verdict.stated is False and value is not None:
                value, detail = "No", verdict.detail or detail
            elif qualifier.decides and value == "No":
                if _figure_kinds(question.question) & _bounds_kinds(text):
                    # The bank question's own bound ("within 24 hours") said No; the asked one is met.
                    value = "Yes"
                else:
                    # The answer says No of a fact (a policy not held) while its figure meets the bound:
                    # which one the question is about, a person decides.
                    value = None
                    asked = ", ".join(asked_words(qualifier, text))
                    reasons.append(f"the answer is No, though its figure meets '{asked}'")
            elif qualifier.replaces_detail and verdict.detail:
                # Where data is kept is answered by the residency statement, whatever the matched question.
                value, detail, replaced = ("Yes" if value is not None else None), verdict.detail, True
            elif verdict.detail and verdict.detail not in detail:
                detail = f"{detail} {verdict.detail}".strip()
        if per_service and not answer.needs_review:
            judged = compare(self.project, text, per_service)
            value, detail = judged.value, judged.detail
            if judged.reason:
                reasons.append(judged.reason)
        if question.domain == "sla_support" and self._varies_by_plan(detail):
            value = None
            reasons.append("the answer differs by support plan and the customer's plan is not known")
        if coverage.subjectless(text):
            reasons.append(_SUBJECTLESS)
        # "Did all deposits pass?" is not answered by the last one; a statement that replaced the detail
        # (where all data is kept) says it of all.
        said = " ".join((detail, question.question, *question.aliases))
        if value == "Yes" and not replaced and _UNIVERSAL.search(text) and not _UNIVERSAL.search(said):
            reasons.append("the question asks it of all of them, and the answer does not say all")
        qualifying = " ".join(w for q in qualifiers for w in asked_words(q, text)).lower()
        if _negative(text) and not _negative(question.question):
            value = None
            reasons.append(f"the question is asked in the negative, {question.id} in the positive")
        for words, reason in (
            (
                [p for p in _PROVIDERS.findall(text) if not _same_provider(p, detail)],
                "the question names {}, which the answer does not name",
            ),
            (
                [v for v in _other_versions(text, detail) if v.split()[-1] not in qualifying],
                "the question asks for {}, which the answer does not state in that version",
            ),
            (
                [k for k in _other_kind(text, said, detail) if k.lower() not in qualifying.split()],
                "the question asks about {}, which the answer does not name",
            ),
            (coverage.negated(text, detail) if value == "Yes" else (), "the answer says {} with a negation"),
        ):
            if words:
                reasons.append(reason.format(_quoted(words)))
        if ask := coverage.unanswered_ask(text, detail) if value is not None else "":
            reasons.append(f"the question asks for {ask}, which the answer does not give")
        return Response(
            value,
            detail,
            ownership=_owned(value, question.ownership),
            citations=tuple(dict.fromkeys(citations)),
            needs_review=value is None or bool(reasons),
            review_reasons=tuple(reasons),
            question_id=question.id,
            confidence=match.confidence,
            domain=question.domain,
        )

    def _leaves_words(self, text: str, question: Question, answered: list[tuple[Part, Response]]) -> bool:
        """Whether the whole of `text` has words neither `question` nor the earlier parts' answers explain
        ("Can we get a bridge letter?" is not asked about the SOC 2 report the first part names)."""
        detail = " ".join(r.detail for _, r in answered)
        return bool(coverage.unexplained(self._matcher, question.id, question.domain, text, detail))

    def _of_policies(self, question: Question, text: str) -> bool:
        """Whether `text`, asking a lifecycle step of `question`'s subject, is about a policy or procedure."""
        return question.derive in _POLICY_DERIVERS or bool(_POLICY_WORDS.search(text))

    def _off_subject(self, text: str) -> bool:
        """Whether `text`'s best match is about a subject `text` does not mention."""
        return bool(self._matcher.match(for_matching(text)).missing)

    def _varies_by_plan(self, detail: str) -> bool:
        """Whether `detail` names some of the support plans: true of those plans, not of the service."""
        support = self.project.customer.terms.support_plan if self.project.customer else None
        plans = [p.name for p in self.project.support.plans] if self.project.support else []
        return support is None and any(re.search(rf"\b{re.escape(p)}\b", detail) for p in plans)

    # -- the project's answer library ----------------------------------------------------------------

    def _own_answer(
        self, text: str, standard: str | None, version: str | None, question_id: str | None
    ) -> OwnAnswer | None:
        """The library entry for a standard's question id (written "DSP-07.1", "CAIQ:DSP-07.1" or
        "CAIQ:4.0.3:DSP-07.1"), or whose own wording the question matches."""
        if question_id:
            # Fillers name the standard by its key ("caiq"); the library as people write it ("CAIQ").
            keys = {
                k.casefold() for k in (question_id, f"{standard}:{question_id}", f"{standard}:{version}:{question_id}")
            }
            for own in self._own:
                if keys & {i.casefold() for i in own.entry.ids}:
                    return own
        if self._worded is None:
            return None
        match = self._worded.match(text)
        if (
            match.question is None
            or not match.question.id.startswith(ENTRY_PREFIX)
            or match.confidence < self.threshold
        ):
            return None
        own = self._own_by_id[match.question.id]
        # The entry answers its own wording: a question that asks more ("May customers run denial-of-service
        # tests?" of "Can customers run their own penetration tests?") is not answered by it.
        known = coverage.SCAFFOLDING | set(normalise(own.entry.detail))
        more = [t for t in self._worded.uncovered(match.question.id, text) if t not in known]
        return None if more or _beyond_entry(text, own, qualifiers_asked(text)) else own

    def _from_library(self, own: OwnAnswer, confidence: float = 1.0) -> Response:
        entry = own.entry
        stale = entry.stale(self.today)
        # The packet does not state a library answer (that is why it is in the library): only its YAML is cited.
        citations = [Citation("Answer library", "", self._sections.relative_source(own.source))]
        # The vendor's own word on ownership, else that of the bank question the entry answers.
        ownership = entry.ownership or _owned(entry.answer, own.question.ownership if own.question else None)
        return Response(
            entry.answer,
            entry.detail,
            ownership=ownership,
            citations=tuple(citations),
            needs_review=stale,
            review_reasons=(f"the answer library's entry is past its review-by date {entry.review_by}",)
            if stale
            else (),
            question_id=own.id,
            confidence=confidence,
            domain=own.domain,
        )

    # -- several parts --------------------------------------------------------------------------------

    def _combined(self, text: str, parts: tuple[Part, ...]) -> Response:
        answered: list[tuple[Part, Response]] = []
        for index, part in enumerate(parts):
            response = self._single(part.text, checked=_step_words((part.step,)) if part.step else frozenset())
            if not part.step:
                response = self._or_statement(part.text, response)
            if part.follow_up and response.review_reasons == (_SUBJECTLESS,) and response.value is not None:
                # "..., and does it include the SCCs?": the subject is the earlier parts', and the answer says
                # what is asked of it.
                asked = set(coverage.content_terms(part.text))
                if asked and asked <= set(normalise(response.detail)):
                    response = dataclasses.replace(response, needs_review=False, review_reasons=())
            if part.step:
                response = self._or_statement(part.text, self._step(part, response))
            elif index and not part.step and not response.needs_review and answered:
                # A follow-up matched to the first part's question must be about nothing else ("who does the
                # CISO report to?" is not answered by naming the CISO).
                first_id = answered[0][1].question_id
                left = (
                    self._matcher.uncovered(first_id, part.text)
                    if first_id and first_id == response.question_id
                    else ()
                )
                if left:
                    response = dataclasses.replace(
                        response,
                        value=None,
                        ownership=None,
                        needs_review=True,
                        review_reasons=(f"{response.question_id} does not cover {_quoted(left)}",),
                    )
            elif (
                index
                and part.follow_up
                and response.needs_review
                and (not response.value or self._off_subject(part.text) or coverage.subjectless(part.text))
            ):
                # A follow-up clause that means nothing alone ("on which platform?", "with which ciphers?", matched
                # to a question about something else) asks about the earlier parts' subject: it is covered
                # when the whole question matches the question of an answered earlier part.
                whole = self._matcher.match(text)
                earlier = {r.question_id for _, r in answered if not r.needs_review}
                if (
                    whole.question is not None
                    and whole.question.id in earlier
                    and whole.confidence >= self.threshold
                    and not self._leaves_words(text, whole.question, answered)
                    and not coverage.unanswered_ask(part.text, " ".join(r.detail for _, r in answered))
                ):
                    continue
            answered.append((part, response))
        kept: list[tuple[Part, Response]] = []
        for part, response in answered:
            same = next((r for _, r in kept if r.question_id and r.question_id == response.question_id), None)
            if (
                same is not None
                and same.value == response.value
                and not response.needs_review
                and response.detail in same.detail
            ):
                continue
            kept.append((part, response))
        if len(kept) == 1:
            return kept[0][1]
        responses = [r for _, r in kept]
        flagged = [(p, r) for p, r in kept if r.needs_review]
        values = {r.value for r in responses}
        value: AnswerValue | None
        if flagged:
            value = None
        elif values == {"Yes"}:
            value = "Yes"
        elif "No" in values:
            value = "No"
        else:
            value = "N/A" if values == {"N/A"} else None
        detail = " ".join(dict.fromkeys(r.detail for r in responses if r.detail and not r.needs_review))
        reasons = tuple(f"part '{p.label}': {reason}" for p, r in flagged for reason in r.review_reasons or ("",))
        first = responses[0]
        # One owner for the whole question only when every part has the same one.
        owners = {r.ownership for r in responses}
        return Response(
            value,
            detail,
            ownership=_owned(value, owners.pop()) if len(owners) == 1 else None,
            citations=tuple(dict.fromkeys(c for r in responses if not r.needs_review for c in r.citations)),
            needs_review=value is None or bool(flagged),
            review_reasons=reasons,
            question_id=first.question_id,
            confidence=min(r.confidence for r in responses),
            domain=first.domain,
            parts=tuple(p.label for p, _ in kept),
        )

    def _step(self, part: Part, response: Response) -> Response:
        """A lifecycle step ("approved") of a policy answer, checked against what the model states of it."""
        if response.question_id is None:
            return response
        question = self.bank.by_id(response.question_id)
        if question.derive not in _POLICY_DERIVERS:
            if _asks_step(question, part.step):
                return response  # the bank question asks this very step ("tested at least once a year")
            # "Is the incident response plan tested?" matched to "Do you have one?": the question of the same
            # domain that asks the step ("tested at least once a year") answers it, if one matches.
            asking = frozenset(
                q.id for q in self.bank.questions if q.domain == question.domain and _asks_step(q, part.step)
            )
            if asking:
                other = self._matcher.match(for_matching(part.text), among=asking)
                if other.question is not None and other.confidence >= self.threshold:
                    return self._single(part.text, other, checked=_step_words((part.step,)))
        if response.needs_review:
            return response
        check = LIFECYCLE.get(part.step)
        # What the model states of its policies ("reviewed every 12 months") is said of the policies, not of
        # another thing the question names ("a risk register ... reviewed"), unless its words are the policy's.
        support = check(self.project) if check and self._of_policies(question, part.text) else None
        if support is None or not support.stated:
            return Response(
                None,
                "",
                review_reasons=(f"the model does not state that it is {part.step}",),
                question_id=question.id,
                confidence=response.confidence,
                domain=question.domain,
            )
        detail = support.detail or response.detail
        citations = (*response.citations, self.citation(question, support.source))
        return Response(
            response.value,
            detail,
            ownership=response.ownership,
            citations=tuple(dict.fromkeys(citations)),
            needs_review=False,
            question_id=question.id,
            confidence=response.confidence,
            domain=question.domain,
        )


_WORD = re.compile(r"[a-z]+")
_SUBJECTLESS = "the question does not say what it is about"
_ANTONYMS = (
    (frozenset({"open", "unresolved", "outstanding"}), frozenset({"mitigated", "closed", "resolved", "remediated"})),
    (frozenset({"enabled", "allowed", "permitted"}), frozenset({"disabled", "prohibited", "forbidden", "blocked"})),
)
"""Words that ask the opposite of each other: "Are there open high risks?" against "Are all high risks
mitigated?"."""
_UNIVERSAL = re.compile(
    r"\b(?:all|any|always)\b|\b(?:every|each)\b(?!\s+(?:\d+|other|one|two|three|six|twelve)?\s*"
    r"(?:day|week|month|quarter|year|hour|minute|time|release|deploy|business|calendar))",
    re.I,
)
"""A question asked of all; "every day", "each release" say how often."""


def _step_words(steps: Iterable[str]) -> frozenset[str]:
    """The terms of lifecycle steps ("approved", "tested"), which `_step` checks against the model."""
    return frozenset(t for step in steps for t in normalise(step))


def _asks_step(question: Question, step: str) -> bool:
    """Whether a phrasing of `question` asks the lifecycle `step` itself."""
    asked = " ".join((question.question, *question.aliases)).lower()
    return any(s in asked for s in _STEP_STEMS.get(step, ()))


_SCOPE = re.compile(r"\b(?:cover(?:s|ed|ing)?|includ(?:es?|ed|ing)|in(?:to)? (?:the )?scope(?: of)?)\b([^?;]*)", re.I)
"""The object of a scope question: what "Does the certification cover ...?" asks to be covered."""


def _outside_scope(text: str, detail: str) -> tuple[str, ...]:
    """The terms of what `text` asks a scope to cover that `detail` does not say."""
    said = set(normalise(detail))
    asked = (t for found in _SCOPE.finditer(text) for t in normalise(found[1]))
    return tuple(dict.fromkeys(t for t in asked if t not in said and t not in coverage.FRAMING))


def _numbered(heading: Heading) -> str:
    """ "4.2 Encryption": a heading as a citation names it; empty when the document does not number it."""
    return f"{heading.number} {heading.title}" if heading.number else ""


def _quoted(words: Iterable[str]) -> str:
    """ "'sell', 'third'": words as a review reason names them."""
    return ", ".join(f"'{w}'" for w in words)


def _unstated_figures(question: Question, text: str, detail: str, checked: set[str]) -> tuple[str, ...]:
    """The numbers of `text` neither `detail` nor a phrasing of `question` states, nor a check in `checked`."""
    said = set(normalise(" ".join((detail, question.question, *question.aliases)))) | checked
    return tuple(dict.fromkeys(t for t in normalise(text) if t[0].isdigit() and t not in said))


def _names(question: Question, detail: str, name: str, text: str) -> bool:
    """Whether `detail` or a phrasing of `question` names `name`, the product or abbreviation `text` asks
    about: an abbreviation ("DR") also by what it stands for, a product ("OneLogin") only by its name; one
    offered as an alternative ("SAML or WS-Federation") needs no naming."""
    said = " ".join((detail, question.question, *question.aliases))
    if re.search(rf"\b{re.escape(name)}\b", said, re.I):
        return True
    if re.search(rf"\bor\s+{re.escape(name)}\b|\b{re.escape(name)}\s+or\b", text):
        return True
    return name.isupper() and set(normalise(name)) <= set(normalise(said))


_KIND_OF = re.compile(r"\b(?P<kind>[a-z][\w-]*)\s+(?:logs?|users?|accounts?|keys?|environments?|backups?)\b", re.I)
_ENVIRONMENTS = re.compile(r"\b(?:production|staging|pre-?production|test|testing|development|sandbox)\b", re.I)
_NOT_KINDS = frozenset("the all any our your their its of for and or to in on with are is do does".split())


def _other_kind(text: str, said: str, detail: str) -> tuple[str, ...]:
    """What kind of logs, users, accounts, keys or backups `text` asks about ("audit logs", "customer
    users"), or which environment when the answer names another ("against production" of "against
    staging"), that neither the answer nor the bank question's phrasings (`said`) names: "Security logs are
    kept for 400 days" does not answer for audit logs."""
    asked = [m["kind"] for m in _KIND_OF.finditer(text) if m["kind"].lower() not in _NOT_KINDS]
    asked += [m[0] for m in _ENVIRONMENTS.finditer(text)] if _ENVIRONMENTS.search(detail) else []
    known = set(normalise(said))
    return tuple(dict.fromkeys(k for k in asked if not set(normalise(k)) <= known))


_NEGATIVE = re.compile(r"^(?:is|are|do|does|did|was|were|can|will|has|have)\b[^?]*\b(?:no|not|never)\b|n't\b", re.I)
"""A question asked in the negative ("Is there no SIEM?", "Don't you log access?")."""
_PROVIDERS = re.compile(
    r"\b(?:AWS|Amazon Web Services|Azure|Microsoft Azure|Google Cloud(?: Platform)?|GCP|Oracle Cloud|OCI|IBM Cloud|"
    r"Alibaba Cloud|DigitalOcean|Hetzner|OVH(?:cloud)?)\b"
)
_PROVIDER_NAMES = (
    {"aws", "amazon web services"},
    {"azure", "microsoft azure"},
    {"gcp", "google cloud", "google cloud platform"},
)


def _negative(text: str) -> bool:
    """Whether `text` is asked in the negative; a bound ("no later than 30 days") and "or not" are not."""
    return bool(_NEGATIVE.search(re.sub(r"\bor not\b", " ", figures.BOUND.sub(" ", text))))


def _same_provider(name: str, detail: str) -> bool:
    """Whether `detail` names the cloud provider `name`, by any of its names ("AWS", "Amazon Web Services")."""
    names = next((group for group in _PROVIDER_NAMES if name.lower() in group), {name.lower()})
    return any(re.search(rf"\b{re.escape(n)}\b", detail, re.I) for n in names)


_VERSIONED = re.compile(r"\b(\d{4,5}):(\d{4})\b")
_NAMED_VERSION = re.compile(r"\b([A-Z][A-Za-z]{2,})\s?v?(\d+\.\d+)\b")


def _other_versions(text: str, detail: str) -> tuple[str, ...]:
    """The standards and protocols `text` asks for in a version ("27001:2013", "SCIM 1.1") that `detail`
    does not state in that version."""
    stated = dict(_VERSIONED.findall(detail))
    found = [f"{s}:{y}" for s, y in _VERSIONED.findall(text) if s in stated and f"{s}:{y}" not in detail]
    found += [
        f"{name} {version}"
        for name, version in _NAMED_VERSION.findall(text)
        if re.search(rf"\b{re.escape(name)}\b", detail, re.I)
        and not re.search(rf"\b{re.escape(name)}\s?v?{re.escape(version)}\b", detail, re.I)
    ]
    return tuple(found)


def _beyond_entry(text: str, own: OwnAnswer, qualifiers: tuple[Qualifier, ...]) -> bool:
    """Whether `text` asks what a written library answer is not checked for: a stricter qualifier or a
    bound (`qualifiers`), no subject of its own, or a "where" or "how long" the entry does not give."""
    return bool(qualifiers) or coverage.subjectless(text) or bool(coverage.unanswered_ask(text, own.entry.detail))


def _bounds_kinds(text: str) -> frozenset[str]:
    """What the figures `text` bounds measure ("minutes", "USD")."""
    return frozenset(b.figure.kind for b in figures.bounds(text))


def _figure_kinds(text: str) -> frozenset[str]:
    """What the figures `text` states measure ("99.9 % or more": "percent")."""
    return frozenset(f.kind for f in figures.stated(text))


def _owned(value: AnswerValue | None, ownership: Ownership | None) -> Ownership | None:
    """The control's owner, for a Yes or No; an N/A or unanswered question has no control to own."""
    return ownership if value in ("Yes", "No") else None


def _opposite_words(text: str, question: Question) -> frozenset[str]:
    """The words of `text` one wording negates and the other uses plainly ("reachable" against
    "unreachable"); empty when the wordings agree."""
    asked = set(_WORD.findall(text.lower()))
    bank = set(_WORD.findall(question.question.lower()))
    found: set[str] = set()
    for one, other in _ANTONYMS:
        for ours, theirs in ((asked, bank), (bank, asked)):
            if ours & one and theirs & other and not ours & other and not theirs & one:
                found.update(asked & (one | other))
    for ours, theirs in ((bank, asked), (asked, bank)):
        for word in ours - theirs:
            for prefix in ("un", "non", "in"):
                if word.startswith(prefix) and len(word) > len(prefix) + 4 and word[len(prefix) :] in theirs:
                    found.add(word if ours is asked else word[len(prefix) :])
    return frozenset(found)
