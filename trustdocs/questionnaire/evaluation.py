"""Measuring the matcher on labelled customer questions: precision at a threshold and the share answered."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trustdocs.questionnaire.matcher import Match, Matcher


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
