"""What filling a questionnaire did, question by question: what went into their file and what only the vendor sees.

A question is answered (a value written, nothing to check), flagged (a value written that a person must
check before the file goes back) or unanswered (no value written). What is written into the customer's
file is contract language and citations; reasons, confidence and matched questions stay in the review file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from trustdocs.errors import Problem
from trustdocs.questionnaire.respond import Citation, Response
from trustdocs.questionnaire.standards import Recognised

Outcome = Literal["answered", "flagged", "unanswered"]
OUTCOMES: tuple[Outcome, ...] = ("answered", "flagged", "unanswered")


def customer_citation(citation: Citation) -> str:
    """A citation as the customer reads it: the document and section, never the YAML behind it."""
    return f"{citation.document}, section {citation.section}" if citation.section else citation.document


def customer_detail(response: Response) -> str:
    """The detail and its citations, as written into the customer's file."""
    cited = "; ".join(dict.fromkeys(customer_citation(c) for c in response.citations if c.document))
    source = f" Source: {cited}." if cited else ""
    return f"{response.detail}{source}".strip()


@dataclass(frozen=True)
class FilledQuestion:
    sheet: str
    row: int
    text: str
    """The question as their file words it."""
    response: Response
    answer: str = ""
    """The value now in their answer cell (written here, or theirs, kept); "" when none."""
    question_id: str = ""
    """The standard's question ID, as their file has it; "" in a customer's own questionnaire."""
    domain: str = ""
    """What the summary counts it under: the standard's own domain code, or the bank domain's name."""
    written: tuple[tuple[str, str], ...] = ()
    """(cell, value) for each cell of theirs written here."""
    problems: tuple[str, ...] = ()
    """Why what the response holds could not be written as it is (a value the list refuses...): a flag."""
    notes: tuple[str, ...] = ()
    """For the reviewer, not a flag: a cell kept as it was, an ownership the model does not state."""

    @property
    def outcome(self) -> Outcome:
        if not self.answer:
            return "unanswered"
        return "flagged" if self.response.needs_review or self.problems else "answered"

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why a person must look: the responder's reasons, then the filler's."""
        return (*self.response.review_reasons, *self.problems)


@dataclass(frozen=True)
class Counts:
    answered: int = 0
    flagged: int = 0
    unanswered: int = 0

    @property
    def total(self) -> int:
        return self.answered + self.flagged + self.unanswered

    @classmethod
    def of(cls, questions: Iterable[FilledQuestion]) -> Counts:
        outcomes = [q.outcome for q in questions]
        return cls(*(outcomes.count(name) for name in OUTCOMES))

    def __str__(self) -> str:
        return f"{self.answered} answered, {self.flagged} flagged for review, {self.unanswered} unanswered"


@dataclass(frozen=True)
class FillResult:
    data: bytes
    """Their workbook filled (.xlsx, or .xlsm with its macros), or its one sheet with questions as CSV."""
    questions: tuple[FilledQuestion, ...]
    sheets: tuple[str, ...]
    """Sheets that had questions."""
    standard: Recognised | None = None
    """The standard questionnaire recognised, or None for a customer's own."""
    warnings: tuple[Problem, ...] = ()
    """What openpyxl could not keep of their workbook, then their formulas that reach outside the workbook."""
    formulas_calling_out: int = 0
    """How many of their formulas reach outside the workbook; the warnings list the first MAX_PROBLEMS."""

    @property
    def counts(self) -> Counts:
        return Counts.of(self.questions)

    @property
    def answered(self) -> int:
        return self.counts.answered

    @property
    def for_review(self) -> int:
        """Flagged and unanswered together: every question a person still has to look at."""
        counts = self.counts
        return counts.flagged + counts.unanswered

    def by_domain(self) -> tuple[tuple[str, Counts], ...]:
        """Counts per domain, in the order the domains first appear in their file."""
        domains = dict.fromkeys(q.domain for q in self.questions)
        return tuple((d, Counts.of(q for q in self.questions if q.domain == d)) for d in domains)
