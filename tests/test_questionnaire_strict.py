"""The engine's general conservative mechanisms, in wordings the labelled set does not use: a further
question asked in the same cell, a "with"/"including" clause asking for something extra, and a stricter
qualifier ("exclusively", "fully", "sublimit") the matched bank question does not state."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLE
from trustdocs.model.audience import for_audience
from trustdocs.project import load_project
from trustdocs.questionnaire.parts import split_question
from trustdocs.questionnaire.respond import Responder
from trustdocs.questionnaire.standards import split_leading_id


@pytest.fixture(scope="module")
def responder() -> Responder:
    return Responder(for_audience(load_project(SAMPLE).project, "nda"))


def test_each_question_of_a_cell_is_a_part_of_its_own() -> None:
    parts = split_question("Is data encrypted at rest? Is it encrypted in transit?")
    assert [(p.label, p.text, p.follow_up) for p in parts] == [
        ("Is data encrypted at rest?", "Is data encrypted at rest?", False),
        ("Is it encrypted in transit", "Is it encrypted in transit?", True),
    ]
    parts = split_question("Do you hold a SOC 2 report? Also, may we see the bridge letter?")
    assert [p.text for p in parts] == ["Do you hold a SOC 2 report?", "May we see the bridge letter?"]


def test_two_questions_both_answered_are_answered_together(responder: Responder) -> None:
    response = responder.respond("Is data encrypted at rest? Is it encrypted in transit?")
    assert (response.value, response.needs_review) == ("Yes", False)
    assert "AES-256-GCM" in response.detail and "TLS 1.2" in response.detail


def test_a_further_question_the_first_answer_does_not_cover_is_flagged(responder: Responder) -> None:
    response = responder.respond("Do you have SOC 2 Type II? Can we get a bridge letter?")
    assert response.needs_review and response.value is None
    assert response.review_reasons[0].startswith("part 'Can we get a bridge letter': ")


@pytest.mark.parametrize(
    ("text", "question_id", "words"),
    [
        # Something extra asked in a "with" clause.
        ("Is there an incident response plan with a forensics firm on retainer?", "INC-01", "'forensic', 'retainer'"),
        # Stricter qualifiers than the bank question states.
        ("Are vulnerability scans run exclusively by an outside firm?", "VUL-04", "'only', 'outsid'"),
        ("Is the incident response plan fully automated?", "INC-01", "'ful', 'automat'"),
        ("Does your E&O policy have a sublimit for data restoration costs?", "INS-02", "'sublimit', 'restor', 'cost'"),
        ("Do you carry cyber insurance of at least five million dollars?", "INS-07", "'five'"),
    ],
)
def test_what_the_bank_question_does_not_state_goes_to_review(
    responder: Responder, text: str, question_id: str, words: str
) -> None:
    response = responder.respond(text)
    assert response.needs_review
    assert f"no phrasing of {question_id} nor its answer explains {words}" in response.review_reasons


def test_a_question_that_names_no_subject_is_not_answered_alone(responder: Responder) -> None:
    """A row that says "it" for the subject of the row above: the answer cannot know what "it" is."""
    for question in ("Is it reviewed?", "How often is it reviewed?"):
        response = responder.respond(question)
        assert response.needs_review
        assert response.review_reasons == ("the question does not say what it is about",)
    # The same words with their subject are answered.
    response = responder.respond("How often are access rights reviewed?")
    assert (response.value, response.needs_review, response.detail) == (
        "Yes",
        False,
        "Access rights are reviewed every 3 months.",
    )


def test_a_where_or_how_long_the_answer_does_not_give_is_flagged(responder: Responder) -> None:
    response = responder.respond("Where are your support staff located?")
    assert response.needs_review
    assert "the question asks for a place, which the answer does not give" in response.review_reasons
    # A follow-up "where" is not answered by the first part's answer, which names no place.
    response = responder.respond("Do you use Datadog for monitoring, and where is the data processed?")
    assert (response.value, response.needs_review) == (None, True)
    assert response.review_reasons == (
        "part 'where is the data processed': the question does not say what it is about",
    )


def test_a_follow_up_about_the_first_parts_subject_is_answered_when_the_answer_says_it(
    responder: Responder,
) -> None:
    response = responder.respond("Do you offer a DPA, and does it include the SCCs?")
    assert (response.value, response.needs_review) == ("Yes", False)
    assert "A data processing agreement is available." in response.detail
    assert "EU Standard Contractual Clauses" in response.detail


def test_an_offering_of_some_plans_is_not_promised_on_every_plan(responder: Responder) -> None:
    response = responder.respond("Do all plans include onsite administrator training?")
    assert (response.value, response.needs_review) == (None, True)
    assert "the question asks for 'on every plan', which the model does not state" in response.review_reasons
    assert "Onsite onboarding and administrator training (Enterprise plan)" in response.detail
    assert "Monthly live webinars (Premium and Enterprise plans)" in response.detail


def test_a_number_written_before_the_question_is_not_part_of_it(responder: Responder) -> None:
    assert split_leading_id("CEK-04: Is data at rest encrypted?") == ("CEK-04", "Is data at rest encrypted?")
    assert split_leading_id("A.1.2 - Is there a policy?") == ("A.1.2", "Is there a policy?")
    assert split_leading_id("3.1) Do you encrypt backups?") == ("3.1", "Do you encrypt backups?")
    # Figures and names that open a question are the question's own.
    for text in (
        "2FA: is it enforced?",
        "SOC 2: do you hold one?",
        "99.9% uptime?",
        "24x7 monitoring?",
        "AES-256: is data encrypted at rest?",
        "SHA-1. Is it disabled?",
        "TLS-1.2: is it the minimum?",
    ):
        assert split_leading_id(text) == ("", text)
    plain = responder.respond("Is data at rest encrypted?")
    numbered = responder.respond("CEK-04: Is data at rest encrypted?")
    assert (numbered.value, numbered.needs_review, numbered.detail) == (plain.value, False, plain.detail)


def test_an_answer_that_denies_what_is_asked_is_not_a_yes(responder: Responder) -> None:
    response = responder.respond("Do you own your data centers?")
    assert response.needs_review
    assert "the answer says 'datacenter' with a negation" in response.review_reasons
    assert response.detail.startswith("Acme has no data centres")


def test_a_library_answer_is_not_given_to_a_question_that_asks_more(responder: Responder) -> None:
    # The entry answers "May customers run their own penetration tests against the service?"; a bound the
    # entry's detail may not meet is the engine's to check, not the entry's.
    response = responder.respond("May customers run penetration tests after less than 2 business days of notice?")
    assert not (response.value == "Yes" and not response.needs_review)
    response = responder.respond("May customers run their own penetration tests against the service?")
    assert (response.value, response.needs_review) == ("Yes", False)
    assert response.citations[0].document == "Answer library"


def test_a_question_asked_of_all_is_not_answered_from_one(responder: Responder) -> None:
    response = responder.respond("Did all escrow deposits pass verification?")
    assert response.needs_review
    assert response.review_reasons == ("the question asks it of all of them, and the answer does not say all",)
    response = responder.respond("Did the most recent escrow deposit pass verification?")
    assert (response.value, response.needs_review) == ("Yes", False)


def test_an_old_tls_version_is_not_supported_because_tls_is(responder: Responder) -> None:
    for question in ("Do you support TLS 1.0 or 1.1?", "Is SSLv3 supported?", "Do you accept TLS 1.1 connections?"):
        response = responder.respond(question)
        assert (response.value, response.needs_review, response.detail) == (
            "No",
            False,
            "The minimum accepted version is TLS 1.2.",
        )
    response = responder.respond("Are TLS 1.0 and 1.1 disabled?")
    assert (response.value, response.needs_review) == ("Yes", False)


def test_another_kind_of_log_user_or_environment_is_not_answered_by_this_one(responder: Responder) -> None:
    for question, kind in (
        ("Are application logs retained for at least one year?", "application"),
        ("Are customer user access rights reviewed quarterly?", "customer"),
        ("Is DAST run against production?", "production"),
    ):
        response = responder.respond(question)
        assert response.needs_review
        assert f"the question asks about '{kind}', which the answer does not name" in response.review_reasons
    response = responder.respond("Are security logs retained for at least one year?")
    assert (response.value, response.needs_review) == ("Yes", False)


def test_a_question_worded_with_the_opposite_word_is_not_answered(responder: Responder) -> None:
    response = responder.respond("Are there open high risks in the threat model?")
    assert (response.value, response.needs_review) == (None, True)
    assert "the question is worded the opposite way to APP-12" in response.review_reasons
    # Asked the bank's way, the same facts answer.
    response = responder.respond("Are all high risks in the threat model mitigated?")
    assert (response.value, response.needs_review) == ("No", False)


def test_the_liability_cap_is_answered_from_the_cap_not_from_an_insurance_limit(responder: Responder) -> None:
    response = responder.respond("Is your liability cap at least $500,000?")
    assert (response.value, response.needs_review) == ("No", False)
    assert response.detail.startswith("General cap: 1× the fees of the previous 12 months ($240,000")
    assert responder.respond("Is your liability cap at least $200,000?").value == "Yes"


def test_a_standard_asked_in_another_version_is_not_answered_by_this_one(responder: Responder) -> None:
    response = responder.respond("Are you ISO 27001:2013 certified?")
    assert response.needs_review
    assert (
        "the question asks for '27001:2013', which the answer does not state in that version" in response.review_reasons
    )
    response = responder.respond("Do you support SCIM 1.1?")
    assert response.needs_review
    assert "the question asks for 'SCIM 1.1', which the answer does not state in that version" in (
        response.review_reasons
    )
    response = responder.respond("Are you ISO 27001:2022 certified?")
    assert (response.value, response.needs_review) == ("Yes", False)


def test_a_negative_question_or_another_cloud_is_not_answered_from_the_positive(responder: Responder) -> None:
    response = responder.respond("Is there no SIEM?")
    assert (response.value, response.needs_review) == (None, True)
    assert "the question is asked in the negative, LOG-01 in the positive" in response.review_reasons
    # A bound worded with "no" is not a negative question.
    response = responder.respond(
        "Does the vendor delete institutional data no later than 30 days after the contract ends?"
    )
    assert not any("negative" in reason for reason in response.review_reasons)
    response = responder.respond("Is data hosted in Azure?")
    assert response.needs_review
    assert "the question names 'Azure', which the answer does not name" in response.review_reasons
    response = responder.respond("Do you offer a US data region?")
    assert (response.value, response.needs_review) == ("No", False)


def test_when_something_last_happened_is_not_answered_by_how_often(responder: Responder) -> None:
    response = responder.respond("When was the last DR test?")
    assert response.needs_review
    assert "the question asks for a date, which the answer does not give" in response.review_reasons
    response = responder.respond("When was your last penetration test?")
    assert (response.needs_review, "2026-09-18" in response.detail) == (False, True)


def test_an_insurer_rating_is_compared_with_every_insurer(responder: Responder) -> None:
    # The sample's insurers are rated A+ XV, A XIII and A- VIII.
    assert responder.respond("Are all your carriers rated A or better?").value == "No"
    assert responder.respond("Are all your insurers rated A- or better by AM Best?").value == "Yes"
