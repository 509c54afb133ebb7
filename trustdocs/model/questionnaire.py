"""The project's own answer library for security questionnaires: answers the model cannot derive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from trustdocs.model.base import Audience, Location, loc_field


@dataclass(frozen=True)
class LibraryAnswer:
    """One answer written once by the vendor, found by its wording, its bank question or a standard's id."""

    answer: Literal["Yes", "No", "N/A"]
    detail: str
    owner: str
    """Who keeps it true; internal, never printed for customers."""
    review_by: dt.date
    question: str = ""
    bank_id: str = ""
    ids: tuple[str, ...] = ()
    audience: Audience = "public"
    loc: Location | None = loc_field()

    def stale(self, today: dt.date) -> bool:
        """Whether the owner was due to confirm it again before `today`."""
        return self.review_by < today


@dataclass(frozen=True)
class Questionnaire:
    answers: tuple[LibraryAnswer, ...] = ()
