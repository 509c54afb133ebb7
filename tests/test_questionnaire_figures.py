"""Bounded figures: a question's "within 10 business days" or "at least $3 million" compared with the figure
the answer states, worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import SAMPLE
from trustdocs.model.audience import for_audience
from trustdocs.project import load_project
from trustdocs.questionnaire.figures import Figure, bounds, judged, stated
from trustdocs.questionnaire.respond import Responder


def test_bounds_are_read_with_their_units() -> None:
    assert [(b.figure, b.at_least, b.strict) for b in bounds("within eight hours, at least $3 million")] == [
        (Figure("minutes", Decimal(480)), False, False),
        (Figure("USD", Decimal(3_000_000)), True, False),
    ]
    assert [b.figure for b in bounds("under 30 minutes, no more than 10 business days, at least 99.5%")] == [
        Figure("minutes", Decimal(30)),
        Figure("business days", Decimal(10)),
        Figure("percent", Decimal("99.5")),
    ]
    assert stated("Ledger API 99.9 %, $5,000,000 per claim, 2 years") == [
        Figure("percent", Decimal("99.9")),
        Figure("USD", Decimal(5_000_000)),
        Figure("minutes", Decimal(2 * 525600)),
    ]


@pytest.mark.parametrize(
    ("question", "detail", "verdict"),
    [
        ("within 10 business days?", "within 5 business days", True),
        ("within 10 business days?", "within 12 business days", False),
        ("within 24 hours?", "within 48 hours", False),
        ("within 2 days?", "within 48 hours", True),  # 48 hours is 2 days: a bound is inclusive
        ("under 2 days?", "within 48 hours", False),  # "under" is strict
        ("for at least five years?", "kept for 7 years", True),
        ("at least $3,000,000 per claim?", "$5,000,000 per claim", True),
        ("at least $10M per claim?", "$5,000,000 per claim", False),
        ("at least £5M?", "$5,000,000 per claim", None),  # no exchange rate is assumed
        ("within 10 business days?", "within 10 days", None),  # business days are not days
        ("at least 99.5%?", "Ledger API 99.9 %, Bank feeds 99.5 %", True),
        ("at least 99.9%?", "Ledger API 99.9 %, Bank feeds 99.5 %", None),  # which service?
        ("do bank feeds get at least 99.9%?", "Ledger API 99.9 %, Bank feeds 99.5 %", False),
        ("low within 30 days?", "High within 7 days (critical 2 days, high 7 days, low 90 days)", False),
        ("high within 30 days?", "High within 7 days (critical 2 days, high 7 days, low 90 days)", True),
        ("at least $3M with a retention under $100,000?", "$5,000,000 per claim", None),  # two bounds, one kind
        ("within 24 hours?", "Backups are encrypted.", None),
    ],
)
def test_a_bound_is_judged_by_the_figure_the_answer_states(question: str, detail: str, verdict: bool | None) -> None:
    assert judged(question, detail) is verdict


@pytest.fixture(scope="module")
def responder() -> Responder:
    return Responder(for_audience(load_project(SAMPLE).project, "nda"))


def test_a_bound_the_answer_meets_is_yes_and_one_it_misses_is_no(responder: Responder) -> None:
    response = responder.respond("Is a root cause analysis provided within 10 business days of an incident?")
    assert (response.value, response.needs_review, response.detail) == (
        "Yes",
        False,
        "A root-cause analysis is shared within 5 business days.",
    )
    response = responder.respond("Is your RTO under 2 hours?")
    assert (response.value, response.needs_review, response.detail) == (
        "No",
        False,
        "Recovery time objective (RTO): 4 hours.",
    )
    response = responder.respond("Are low-severity vulnerabilities remediated within 30 days?")
    assert (response.value, response.needs_review) == ("No", False)
    assert response.detail.startswith("Low vulnerabilities are remediated within 90 days")


def test_two_bounds_of_one_kind_go_to_a_person(responder: Responder) -> None:
    response = responder.respond("Is your cyber cover at least $3M per claim with a retention under $100,000?")
    assert (response.value, response.needs_review) == (None, True)
    assert "the question asks for 'at least $3M, under $100,000', which the model does not state" in (
        response.review_reasons
    )


@pytest.mark.parametrize(
    ("question", "detail", "verdict"),
    [
        ("at least 1 year?", "kept for 365 days", True),  # the same period in other units
        ("at least 6 months?", "kept for 180 days", True),
        ("within 12 months?", "within 1 year", True),
        ("more than 1 year?", "kept for 365 days", False),
        ("at least 401 days?", "kept for 400 days", False),  # days are days: no slack
        ("no longer than 40 days?", "kept for 35 days", True),  # not "longer than"
        ("no longer than 4 hours?", "RTO: 4 hours", True),
        ("at least €1 million?", "a limit of €5.000.000", True),  # thousands written with dots
        ("at least $1 million?", "a limit of $1,00", None),  # read two ways: not a figure
        ("within 8 hours?", "Restores are tested every 3 months.", None),  # an interval, not a duration
        ("within 30 days?", "Critical within 2 days (critical 2 days, high 7 days, low 90 days)", None),
    ],
)
def test_what_a_figure_is_and_what_it_is_not(question: str, detail: str, verdict: bool | None) -> None:
    assert judged(question, detail) is verdict


def test_a_figure_starts_a_word() -> None:
    assert stated("abc123 days") == []
    assert stated("1" * 20_000 + "x days") == []  # tried once, from where the run of digits starts


def test_a_question_without_a_label_is_judged_against_every_figure_of_the_list(responder: Responder) -> None:
    response = responder.respond("Are vulnerabilities remediated within 30 days?")
    assert (response.value, response.needs_review) == (None, True)
    # A cadence ("tested every 3 months") is not how long a restore takes.
    response = responder.respond("Are backups restored within 8 hours?")
    assert (response.value, response.needs_review) == (None, True)
    # A kind of policy the answer does not name is not answered from another policy's limit.
    response = responder.respond("Do you carry product liability insurance of at least $1 million?")
    assert (response.value, response.needs_review) == (None, True)


def test_a_figure_about_something_else_does_not_judge_the_bound(responder: Responder) -> None:
    assert (
        judged("credit monitoring for at least 12 months?", "Covers credit monitoring. Notice within 72 hours.") is None
    )
    assert judged("notice within 3 days?", "Covers credit monitoring. Notice within 72 hours.") is True
    response = responder.respond("Do you provide credit monitoring for at least 12 months?")
    assert (response.value, response.needs_review) == (None, True)
