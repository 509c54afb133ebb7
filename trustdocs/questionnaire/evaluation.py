"""Measuring answer quality on labelled questions: the matcher alone (precision at a threshold and the share
answered) and the whole engine (precision of unflagged answers and the wrong-and-unflagged count)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trustdocs.questionnaire.matcher import Match, Matcher

if TYPE_CHECKING:
    from trustdocs.questionnaire.respond import Responder


@dataclass(frozen=True)
class LabelledQuestion:
    question: str
    expected: frozenset[str]
    """Bank ids that count as a right match (a compound question may have several); empty when the bank
    has no answer and the question should go to review."""


@dataclass(frozen=True)
class Outcome:
    item: LabelledQuestion
    match: Match

    def answered(self, threshold: float) -> bool:
        return self.match.question is not None and self.match.confidence >= threshold

    @property
    def correct(self) -> bool:
        return self.match.question is not None and self.match.question.id in self.item.expected


@dataclass(frozen=True)
class Quality:
    threshold: float
    total: int
    answered: int
    correct: int
    answerable: int
    """Questions the bank has an answer for (a non-empty expected id)."""

    @property
    def precision(self) -> float:
        """Correct matches among the questions matched at or above the threshold (1.0 when none are)."""
        return self.correct / self.answered if self.answered else 1.0

    @property
    def share_answered(self) -> float:
        return self.answered / self.total if self.total else 0.0

    @property
    def recall(self) -> float:
        """Correct matches among the questions the bank can answer."""
        return self.correct / self.answerable if self.answerable else 0.0


def read_labelled(text: str) -> list[LabelledQuestion]:
    """Rows of a CSV with columns question, expected_id ("" for none, "A|B" for either)."""
    rows = csv.DictReader(io.StringIO(text))
    return [LabelledQuestion(row["question"], frozenset(i for i in row["expected_id"].split("|") if i)) for row in rows]


def run(matcher: Matcher, items: Iterable[LabelledQuestion]) -> list[Outcome]:
    return [Outcome(item, matcher.match(item.question)) for item in items]


def quality(outcomes: Sequence[Outcome], threshold: float) -> Quality:
    answered = [o for o in outcomes if o.answered(threshold)]
    return Quality(
        threshold=threshold,
        total=len(outcomes),
        answered=len(answered),
        correct=sum(1 for o in answered if o.correct),
        answerable=sum(1 for o in outcomes if o.item.expected),
    )


# -- answers, not only matches: the labelled answer set ----------------------------------------------------

HELD = frozenset({"review", "unanswerable"})
"""Expected outcomes that mean "a person must answer": any unflagged answer to such a question is wrong."""


@dataclass(frozen=True)
class LabelledAnswer:
    """One question of tests/data/answer_quality.csv with what the sample project should answer."""

    question: str
    style: str
    """caiq, sig, hecvat or customer: whose wording it imitates."""
    split: str
    """tuned (the engine was adjusted while looking at it) or unseen (never looked at while tuning)."""
    expected: str
    """Yes, No, N/A, review (the answer needs a person) or unanswerable (the model cannot answer it)."""
    detail_contains: tuple[str, ...] = ()
    """Figures or names the detail must contain (each part of a multi-part question has its own)."""


@dataclass(frozen=True)
class AnswerOutcome:
    item: LabelledAnswer
    value: str | None
    detail: str
    flagged: bool

    @property
    def wrong_unflagged(self) -> bool:
        return not self.flagged and not self.right

    @property
    def right(self) -> bool:
        """Whether the unflagged answer is what the label expects (value and every expected figure)."""
        if self.item.expected in HELD:
            return False
        detail = self.detail.lower()
        return self.value == self.item.expected and all(f.lower() in detail for f in self.item.detail_contains)


@dataclass(frozen=True)
class AnswerQuality:
    split: str
    total: int
    unflagged: int
    right: int

    @property
    def precision(self) -> float:
        """Right answers among the unflagged ones (1.0 when every answer is flagged)."""
        return self.right / self.unflagged if self.unflagged else 1.0

    @property
    def share_unflagged(self) -> float:
        return self.unflagged / self.total if self.total else 0.0

    @property
    def wrong_unflagged(self) -> int:
        return self.unflagged - self.right


def read_answer_set(text: str) -> list[LabelledAnswer]:
    """Rows of a CSV with columns question, style, split, expected, detail_contains ("A|B" for several)."""
    return [
        LabelledAnswer(
            row["question"],
            row["style"],
            row["split"],
            row["expected"],
            tuple(f for f in (row.get("detail_contains") or "").split("|") if f),
        )
        for row in csv.DictReader(io.StringIO(text))
    ]


def answer_quality(outcomes: Sequence[AnswerOutcome], split: str = "") -> AnswerQuality:
    """Precision and share of unflagged answers over the outcomes of `split` (all of them when empty)."""
    chosen = [o for o in outcomes if not split or o.item.split == split]
    unflagged = [o for o in chosen if not o.flagged]
    return AnswerQuality(split or "all", len(chosen), len(unflagged), sum(1 for o in unflagged if o.right))


def run_answers(responder: Responder, items: Iterable[LabelledAnswer]) -> list[AnswerOutcome]:
    """Each labelled question answered by `responder` (built on the sample project)."""
    outcomes = []
    for item in items:
        response = responder.respond(item.question)
        outcomes.append(AnswerOutcome(item, response.value, response.detail, response.needs_review))
    return outcomes
