"""One question in, one cited answer out: the single entry point every questionnaire filler uses.

`Responder.respond` takes a question as the customer's file words it (and, for a recognised standard
questionnaire, the standard, its version and the question's ID) and returns a `Response`: the value to
write, the customer-facing detail, the control ownership, the citations, and, for the vendor's reviewer
only, whether it needs review and why. Fillers never call the matcher or the derivers themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from trustdocs.model.project import Project
from trustdocs.questionnaire.bank import QuestionBank, load_bank
from trustdocs.questionnaire.derive import AnswerValue
from trustdocs.questionnaire.library import AnsweredQuestion, answer_library
from trustdocs.questionnaire.matcher import DEFAULT_THRESHOLD, Matcher

Ownership = Literal["CSP-owned", "CSC-owned", "Shared"]
"""CAIQ's control ownership: the cloud service provider (the vendor), the customer, or both."""


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


class Responder:
    """Answers questions from one (audience-filtered) project; build once per questionnaire."""

    def __init__(
        self, project: Project, *, bank: QuestionBank | None = None, threshold: float = DEFAULT_THRESHOLD
    ) -> None:
        self.bank = bank or load_bank()
        self.threshold = threshold
        self._matcher = Matcher(self.bank)
        self._answers: Mapping[str, AnsweredQuestion] = {a.question.id: a for a in answer_library(project, self.bank)}

    def domain_name(self, domain: str) -> str:
        return self.bank.domain_name(domain) if domain else "Unmatched"

    def respond(
        self, text: str, *, standard: str | None = None, version: str | None = None, question_id: str | None = None
    ) -> Response:
        """The answer to `text`; `standard`, `version` and `question_id` identify it in a known questionnaire."""
        match = self._matcher.match(text)
        question = match.question
        if question is None:
            return Response(None, "", review_reasons=("no question of the bank matches",))
        answered = self._answers[question.id] if match.confidence >= self.threshold else None
        if answered is None:
            return Response(
                None,
                "",
                needs_review=True,
                review_reasons=(
                    f"best match {question.id} at confidence {match.confidence:.2f} is below the threshold",
                ),
                question_id=question.id,
                confidence=match.confidence,
                domain=question.domain,
            )
        answer = answered.answer
        citation = (Citation(answer.evidence, ""),) if answer.evidence else ()
        return Response(
            answer.value,
            answer.detail,
            citations=citation,
            needs_review=answer.needs_review,
            review_reasons=("the model does not answer it",) if answer.needs_review else (),
            question_id=question.id,
            confidence=match.confidence,
            domain=question.domain,
        )
