"""The project's own answer library (`questionnaire.answers`): found for a question, and checked by `validate`.

An entry answers a question the model cannot derive. It is found by a standard questionnaire's question id
(`ids`), by the bank question it answers (`bank_id`, once the customer's wording matches that question), or
by its own wording (`question`, matched like a bank question). An entry past its review-by date still
answers, flagged for review; one that contradicts what the model derives is flagged, and `validate` warns
about both.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from trustdocs.errors import Problem
from trustdocs.load import Positions
from trustdocs.model.base import Location
from trustdocs.model.project import Project
from trustdocs.model.questionnaire import LibraryAnswer
from trustdocs.questionnaire.bank import Question, QuestionBank, load_bank
from trustdocs.questionnaire.derive import Answer
from trustdocs.questionnaire.library import answer_question
from trustdocs.questionnaire.matcher import DEFAULT_THRESHOLD, Matcher

ENTRY_PREFIX = "LIB-"
"""Library entries answered by their own wording get ids LIB-01, LIB-02... in file order."""


@dataclass(frozen=True)
class OwnAnswer:
    """One library entry with the bank question it stands for (None when its wording matches none)."""

    id: str
    """The entry's bank id, or LIB-NN when it has none."""
    index: int
    """Its index in questionnaire.answers, for messages."""
    entry: LibraryAnswer
    question: Question | None
    domain: str

    @property
    def source(self) -> str:
        loc = self.entry.loc
        return f"{loc.file}:{loc.line}" if loc else ""


def own_answers(project: Project, bank: QuestionBank, matcher: Matcher) -> tuple[OwnAnswer, ...]:
    """The project's library entries, each tied to its bank question where it has one."""
    if project.questionnaire is None:
        return ()
    ids = {q.id for q in bank.questions}
    found = []
    for index, entry in enumerate(project.questionnaire.answers):
        question: Question | None = bank.by_id(entry.bank_id) if entry.bank_id in ids else None
        domain = question.domain if question else ""
        if question is None and entry.question:
            match = matcher.match(entry.question)
            domain = match.question.domain if match.question else ""
        key = entry.bank_id if question else f"{ENTRY_PREFIX}{index + 1:02d}"
        found.append(OwnAnswer(key, index, entry, question, domain or "governance"))
    return tuple(found)


def worded_bank(bank: QuestionBank, answers: Sequence[OwnAnswer]) -> QuestionBank | None:
    """The bank plus one question per entry that has its own wording and no bank question; None when none do."""
    extra = [
        Question(a.id, a.domain, a.entry.question, "not_in_model", "")
        for a in answers
        if a.question is None and a.entry.question
    ]
    if not extra:
        return None
    return dataclasses.replace(bank, questions=(*bank.questions, *extra))


def conflict(own: OwnAnswer, derived: Answer) -> str:
    """Why the entry contradicts the model's answer to its bank question; empty when it does not."""
    if derived.value is None or derived.value == own.entry.answer:
        return ""
    return f"the model derives '{derived.value}' ({derived.detail.rstrip('.')})"


def library_warnings(project: Project, positions: Positions | None, today: dt.date) -> list[Problem]:
    """Warnings for library entries past their review-by date, contradicting the model, or naming no question."""
    if project.questionnaire is None or not project.questionnaire.answers:
        return []
    bank = load_bank()
    matcher = Matcher(bank)
    ids = {q.id for q in bank.questions}
    problems: list[Problem] = []

    def where(index: int, key: str) -> tuple[Location | None, str]:
        path = ("questionnaire", "answers", index, key)
        return (positions.value(path) if positions else None), f"questionnaire.answers[{index}].{key}"

    for own in own_answers(project, bank, matcher):
        entry, index = own.entry, own.index
        if entry.bank_id and entry.bank_id not in ids:
            loc, path = where(index, "bank_id")
            problems.append(Problem(loc, path, f"no bank question has the id '{entry.bank_id}'", "warning"))
        if entry.stale(today):
            loc, path = where(index, "review_by")
            problems.append(
                Problem(
                    loc,
                    path,
                    f"the answer is past its review-by date {entry.review_by}: {entry.owner} should confirm it "
                    "and set a new review_by",
                    "warning",
                )
            )
        question = own.question
        if question is None and entry.question:
            match = matcher.match(entry.question)
            question = match.question if match.confidence >= DEFAULT_THRESHOLD else None
        if question is not None:
            why = conflict(own, answer_question(question, project))
            if why:
                loc, path = where(index, "answer")
                problems.append(
                    Problem(
                        loc,
                        path,
                        f"the library answers '{entry.answer}' but for bank question {question.id} {why}",
                        "warning",
                    )
                )
    return problems
