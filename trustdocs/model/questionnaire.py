"""The project's own answer library for security questionnaires: answers the model cannot derive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, get_args

from trustdocs.model.base import Audience, Location, loc_field

Ownership = Literal["CSP-owned", "CSC-owned", "Shared"]
"""CAIQ's control ownership: the cloud service provider (the vendor), the customer, or both."""
OWNERSHIPS: tuple[Ownership, ...] = get_args(Ownership)


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
    ownership: Ownership | None = None
    """Who owns the control, for CAIQ's ownership column; None falls back to the bank question's."""
    audience: Audience = "public"
    loc: Location | None = loc_field()

    def stale(self, today: dt.date) -> bool:
        """Whether the owner was due to confirm it again before `today`."""
        return self.review_by < today


@dataclass(frozen=True)
class Questionnaire:
    answers: tuple[LibraryAnswer, ...] = ()
