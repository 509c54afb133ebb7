"""Answers from what the customer documents say in the vendor's own words (statements.py), for questions
no bank question answers; in wordings the labelled set does not use, on the sample and on a small project
written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MINIMAL, SAMPLE
from trustdocs.model.audience import for_audience
from trustdocs.project import load_project
from trustdocs.questionnaire.respond import Responder


@pytest.fixture(scope="module")
def responder() -> Responder:
    return Responder(for_audience(load_project(SAMPLE).project, "nda"))


def test_a_sentence_that_says_all_of_it_answers_yes_with_its_section_and_line(responder: Responder) -> None:
    response = responder.respond("Do leavers lose access within 4 hours?")
    assert (response.value, response.needs_review) == ("Yes", False)
    assert response.detail == "Leavers lose access within 4 hours."
    assert [str(c) for c in response.citations] == [
        "Product Security Document, section 6.2 Workforce access (security/programme.yaml:96)"
    ]
    assert response.question_id is None  # no bank question: the document's own sentence answers


def test_a_sentence_written_under_a_control_names_the_controls_line(responder: Responder) -> None:
    response = responder.respond("Are SPF, DKIM and DMARC used on every sending domain?")
    assert (response.value, response.needs_review) == ("Yes", False)
    assert response.detail == "SPF, DKIM and a DMARC policy of p=reject on every sending domain."
    assert response.citations[0].section == "12.1 Control framework mapping"
    assert response.citations[0].source == "security/programme.yaml:400"


@pytest.mark.parametrize(
    "text",
    [
        "Do leavers lose access within 2 hours?",  # another figure than the sentence's
        "Do leavers not lose access within 4 hours?",  # negated
        "Did leavers lose access within 4 hours?",  # a past event
        "Do any leavers keep access beyond 4 hours?",  # "any", and a word the sentence does not say
        "Do all contractors lose access within 4 hours?",  # a word the sentence does not say
        "How quickly do leavers lose access?",  # not a yes-or-no question
    ],
)
def test_what_the_sentence_does_not_say_is_left_for_review(responder: Responder, text: str) -> None:
    response = responder.respond(text)
    assert response.needs_review
    assert response.question_id is not None or response.value is None


def test_a_quantifier_must_be_the_sentences_own(responder: Responder) -> None:
    # The sentence says "Key deletion is blocked ...": it says nothing of "every" key.
    assert responder.respond("Is key deletion blocked by a service control policy?").value == "Yes"
    assert responder.respond("Is key deletion blocked for every key by a service control policy?").needs_review


def test_a_qualifier_only_the_model_decides_is_never_answered_from_prose(responder: Responder) -> None:
    # "customer-managed keys" appears in the key-management sentence (AWS's name for the vendor's own keys).
    response = responder.respond("Are AWS KMS customer-managed keys used, one per data store?")
    assert response.needs_review


def test_a_sentence_with_a_reservation_elsewhere_is_not_used(responder: Responder) -> None:
    # A control says "Built-in and custom roles"; the identity section says custom roles are on Enterprise.
    response = responder.respond("Can customers define custom roles?")
    assert response.needs_review


def test_an_exclusion_answers_only_a_question_about_exclusions(responder: Responder) -> None:
    excluded = responder.respond("Are features labelled beta excluded from the SLA?")
    assert (excluded.value, excluded.needs_review) == ("Yes", False)
    assert excluded.detail == "Exclusions: features labelled beta, preview or early access."
    assert excluded.citations[0].document == "Service Level Agreement Addendum"
    assert excluded.citations[0].section == "4 Exclusions"
    assert responder.respond("Are features labelled beta part of the SLA?").needs_review


def test_a_sentence_on_the_roadmap_is_no_statement(responder: Responder) -> None:
    texts = [s.text for s in responder._statements.statements]
    assert not [t for t in texts if "roadmap" in t.lower() or " not " in f" {t.lower()} "]
    assert "Customer-managed keys (BYOK) are on the roadmap for 2027" not in texts


def test_a_project_written_from_scratch_is_answered_from_its_own_prose(tmp_path: Path) -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "    workforce:\n      mfa: true\n",
        "    workforce:\n      mfa: true\n"
        "      description: Hardware keys for every administrator; sessions expire after 8 hours of inactivity.\n",
    )
    path = tmp_path / "trustdocs.yaml"
    path.write_text(text, encoding="utf-8")
    responder = Responder(for_audience(load_project(path).project, "nda"))
    response = responder.respond("Do sessions expire after 8 hours of inactivity?")
    assert (response.value, response.needs_review) == ("Yes", False)
    assert response.detail == "Sessions expire after 8 hours of inactivity."
    assert response.citations[0].section == "6.2 Workforce access"
    assert response.citations[0].source == "trustdocs.yaml:101"
    assert responder.respond("Do sessions expire after 4 hours of inactivity?").needs_review
