"""The answer library: every bank question answered from one (audience-filtered) project."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from trustdocs.model.project import Project
from trustdocs.questionnaire.bank import Question, QuestionBank, load_bank
from trustdocs.questionnaire.derive import Answer, derive

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnsweredQuestion:
    question: Question
    answer: Answer

    @property
    def value(self) -> str:
        """The answer as printed: "Yes", "No", "N/A", or "" when it needs review."""
        return self.answer.value or ""

    @property
    def needs_review(self) -> bool:
        return self.answer.needs_review


def answer_question(question: Question, project: Project) -> Answer:
    """The question's answer from the project, citing the question's evidence unless the deriver names its own."""
    try:
        answer = derive(question.derive, project, question.kwargs)
    except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as error:
        # A model the deriver did not foresee must not stop a whole questionnaire: flag it for a person.
        logger.warning("question %s: deriver %s failed: %s", question.id, question.derive, error)
        return Answer(None, f"Could not be derived from the model ({error}); answer by hand.", question.evidence)
    if not answer.evidence:
        answer = Answer(answer.value, answer.detail, question.evidence)
    return answer


def answer_library(project: Project, bank: QuestionBank | None = None) -> tuple[AnsweredQuestion, ...]:
    """Every question of the bank (the shipped one by default) answered from `project`, in bank order.

    Pass the project as the reader may see it (`for_audience(project, "nda")`): answers only use what is in it.
    """
    bank = bank or load_bank()
    return tuple(AnsweredQuestion(q, answer_question(q, project)) for q in bank.questions)
