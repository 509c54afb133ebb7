"""The answer engine on the sample project: multi-part questions, qualifiers, citations, and the labelled set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import SAMPLE
from trustdocs.model.audience import for_audience
from trustdocs.project import load_project
from trustdocs.questionnaire.bank import load_bank
from trustdocs.questionnaire.citations import SectionIndex
from trustdocs.questionnaire.evaluation import HELD, answer_quality, read_answer_set, run_answers
from trustdocs.questionnaire.parts import split_question
from trustdocs.questionnaire.respond import Citation, Responder

ANSWER_SET = Path(__file__).parent / "data" / "answer_quality.csv"


@pytest.fixture(scope="module")
def responder() -> Responder:
    return Responder(for_audience(load_project(SAMPLE).project, "nda"))


def _line_of(relative: str, key: str) -> int:
    """The 1-based line of the first `key:` in a sample file, so tests do not hard-code line numbers."""
    lines = (SAMPLE / relative).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if re.match(rf"\s*{re.escape(key)}:", line))


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("What are your RTO and RPO?", ["What are your RTO?", "What are your RPO?"]),
        (
            "Do you encrypt data both at rest and in transit?",
            ["Do you encrypt data at rest?", "Do you encrypt data in transit?"],
        ),
        (
            "Do you support SAML, OIDC and SCIM?",
            ["Do you support SAML?", "Do you support OIDC?", "Do you support SCIM?"],
        ),
        ("Do you hold ISO 27001 and SOC 2 Type II?", ["Do you hold ISO 27001?", "Do you hold SOC 2 Type II?"]),
        ("Do you have a SIEM, and how long are logs retained?", ["Do you have a SIEM?", "How long are logs retained?"]),
        ("Does your solution support single sign-on via SAML or Shibboleth?", None),
        ("Is MFA enforced for all users?", None),
    ],
)
def test_split(text: str, parts: list[str] | None) -> None:
    assert [p.text for p in split_question(text)] == (parts or [text])


def test_lifecycle_steps_are_parts() -> None:
    found = split_question(
        "Are policies established, documented, approved, communicated, applied, evaluated and maintained?"
    )
    assert [p.step for p in found] == [
        "established",
        "documented",
        "approved",
        "communicated",
        "applied",
        "evaluated",
        "maintained",
    ]


def test_rto_and_rpo_both_answered(responder: Responder) -> None:
    response = responder.respond("What are your RTO and RPO?")
    assert (response.value, response.needs_review) == ("Yes", False)
    assert response.detail == "Recovery time objective (RTO): 4 hours. Recovery point objective (RPO): 15 minutes."
    assert response.parts == ("RTO", "RPO")


def test_both_halves_of_encryption(responder: Responder) -> None:
    response = responder.respond("Do you encrypt data at rest and in transit?")
    assert (response.value, response.needs_review) == ("Yes", False)
    assert "AES-256-GCM" in response.detail and "TLS 1.2 or newer" in response.detail


def test_saml_and_scim(responder: Responder) -> None:
    response = responder.respond("Does the product support SAML and SCIM?")
    assert (response.value, response.needs_review) == ("Yes", False)
    assert "SAML 2.0" in response.detail and "SCIM" in response.detail


def test_an_unsupported_lifecycle_step_is_flagged_by_name(responder: Responder) -> None:
    response = responder.respond(
        "Are information security policies and procedures established, documented, approved, communicated, "
        "applied, evaluated and maintained?"
    )
    assert response.value is None and response.needs_review
    assert response.review_reasons == (
        "part 'communicated': the model does not state that it is communicated",
        "part 'applied': the model does not state that it is applied",
    )
    # What the model does support is still given, for the reviewer to keep.
    assert "Approved by Priya Raman (Chief Information Security Officer)" in response.detail


def test_a_part_the_model_cannot_answer_flags_the_whole(responder: Responder) -> None:
    response = responder.respond("Do you hold ISO 27001 and FedRAMP?")
    assert response.value == "No" and not response.needs_review  # FedRAMP: the model says it is not held
    mixed = responder.respond("Do you have a SIEM, and do you run anti-malware on servers?")
    assert mixed.value is None and mixed.needs_review
    assert "Panther" in mixed.detail
    assert any(r.startswith("part 'do you run anti-malware on servers'") for r in mixed.review_reasons)


@pytest.mark.parametrize(
    ("text", "value", "reason"),
    [
        ("Is phishing-resistant MFA required for your staff?", "Yes", None),
        (
            "Is phishing-resistant MFA enforced for all of our users?",
            None,
            "the question asks for 'phishing-resistant', which the model does not state",
        ),
        (
            "Is data at rest encrypted with FIPS 140-3 validated modules?",
            None,
            "the question asks for 'FIPS 140 validated', which the model does not state",
        ),
        (
            "Are encryption keys stored in a hardware security module?",
            None,
            "the question asks for 'hardware security module', which the model does not state",
        ),
        ("Is customer data stored in the EU?", "Yes", None),
        ("Is customer data stored in the United States?", "No", None),
        ("Is customer data processed only within the EU?", "No", None),
        ("Can we bring our own encryption keys?", "No", None),
        (
            "Is 24x7 support included on every plan?",
            None,
            "the question asks for 'on every plan', which the model does not state",
        ),
        ("Do you pen test twice a year?", "No", None),
    ],
)
def test_qualifiers(responder: Responder, text: str, value: str | None, reason: str | None) -> None:
    response = responder.respond(text)
    assert response.value == value
    assert response.needs_review == (reason is not None)
    if reason:
        assert reason in response.review_reasons


def test_a_stricter_qualifier_keeps_the_model_wording(responder: Responder) -> None:
    staff = responder.respond("Is phishing-resistant MFA required for your staff?")
    assert "phishing-resistant FIDO2 keys" in staff.detail
    us = responder.respond("Is customer data stored in the United States?")
    assert us.detail == "Customer data is stored in Ireland, Germany."


def test_an_opposite_wording_is_flagged(responder: Responder) -> None:
    response = responder.respond("Are databases reachable from the internet?")
    assert response.needs_review
    assert response.review_reasons == ("the question is worded the opposite way to NET-02",)


def test_citations_give_the_printed_section_number_and_the_yaml_line(responder: Responder) -> None:
    response = responder.respond("What is your recovery time objective?")
    line = _line_of("security/programme.yaml", "rto_hours")
    assert response.citations[0] == Citation(
        "Product Security Document", "11.1 Recovery objectives", f"security/programme.yaml:{line}"
    )
    assert str(response.citations[0]) == (
        f"Product Security Document, section 11.1 Recovery objectives (security/programme.yaml:{line})"
    )


def test_every_bank_section_is_a_numbered_heading_of_the_sample(responder: Responder) -> None:
    """A renamed heading in a template would silently drop the number from every citation of it."""
    index = SectionIndex(responder.project)
    places = {q.place for q in load_bank().questions if q.place is not None and q.place.heading}
    missing = [p.title for p in places if not index.heading(p).number]
    assert missing == []
    sources = {q.source for q in load_bank().questions if q.source}
    assert [s for s in sorted(sources) if not index.source(s)] == []


def test_the_labelled_set_is_as_the_issue_asks() -> None:
    items = read_answer_set(ANSWER_SET.read_text(encoding="utf-8"))
    assert len(items) >= 150
    assert sum(1 for i in items if i.expected == "unanswerable") >= 20
    assert {i.style for i in items} == {"caiq", "sig", "hecvat", "customer"}
    assert {i.split for i in items} == {"tuned", "unseen"}
    assert all(i.expected in HELD | {"Yes", "No", "N/A"} for i in items)


def test_answer_quality_on_the_labelled_set(responder: Responder) -> None:
    outcomes = run_answers(responder, read_answer_set(ANSWER_SET.read_text(encoding="utf-8")))
    tuned = answer_quality(outcomes, "tuned")
    unseen = answer_quality(outcomes, "unseen")
    print(f"tuned: {tuned}; unseen: {unseen}")
    assert tuned.wrong_unflagged == 0
    assert tuned.precision >= 0.98
    # Unseen questions are written by someone who never saw the engine, and never tuned on (blind sets E and
    # G). These are floors under what was measured on them (2 wrong unflagged of 31 answered without a flag),
    # not the issue's 98 % target: a change that lets more wrong answers through unflagged, or answers
    # fewer, fails here.
    assert unseen.total == 433
    assert unseen.wrong_unflagged <= 2
    assert unseen.unflagged >= 31


def test_a_bare_project_never_stops_the_engine() -> None:
    """A project with none of the optional sections: every labelled question still gets a Response."""
    bare = Responder(load_project(Path(__file__).parent / "data" / "minimal.yaml").project)
    for item in read_answer_set(ANSWER_SET.read_text(encoding="utf-8")):
        response = bare.respond(item.question)
        assert response.value in (None, "Yes", "No", "N/A")
        assert response.needs_review or response.value is not None


def test_the_detail_never_carries_a_review_note(responder: Responder) -> None:
    """The detail is written into the customer's file: why a person must look stays in review_reasons."""
    for item in read_answer_set(ANSWER_SET.read_text(encoding="utf-8")):
        response = responder.respond(item.question)
        for note in ("answer by hand", "the model does not", "confidence", "threshold", "needs review"):
            assert note not in response.detail.lower(), (item.question, response.detail)
    unrecorded = responder.respond("Are system clocks synchronised to a reliable time source?")
    assert (unrecorded.value, unrecorded.detail) == (None, "")
    assert unrecorded.review_reasons == (
        "the model does not answer it: The model does not record clock synchronisation; answer by hand.",
    )


def test_every_qualifier_names_real_model_fields() -> None:
    from trustdocs.questionnaire.derive import path_type
    from trustdocs.questionnaire.qualifiers import QUALIFIERS

    for qualifier in QUALIFIERS:
        for field in qualifier.fields:
            if field != "the figure in the answer":
                path_type(field)  # raises AttributeError for a field the model does not have


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Is customer data hosted only in Ireland?", "No"),
        ("Is data stored in Germany?", None),  # disaster recovery only: not all of it
        ("Is customer data stored in France?", "No"),
    ],
)
def test_countries_are_data_locations(responder: Responder, text: str, value: str | None) -> None:
    response = responder.respond(text)
    assert response.value == value
    assert response.needs_review == (value is None)


def test_participles_joined_by_and_are_parts(responder: Responder) -> None:
    assert [p.text for p in split_question("Are backups encrypted and tested?")] == [
        "Are backups encrypted?",
        "Are backups tested?",
    ]
    response = responder.respond("Are backups encrypted and tested?")
    assert (response.value, response.needs_review) == ("Yes", False)
    assert response.detail == "Backups are encrypted (AES-256-GCM). Restores from backup are tested every 3 months."


def test_a_follow_up_the_matched_question_does_not_cover_is_flagged(responder: Responder) -> None:
    response = responder.respond("Do you have a CISO, and who does the CISO report to?")
    assert response.needs_review and response.value is None
    assert response.review_reasons == (
        "part 'who does the CISO report to': no phrasing of GOV-01 nor its answer explains 'report'",
    )


def test_the_same_question_gets_the_same_response(responder: Responder) -> None:
    again = Responder(responder.project)
    for item in read_answer_set(ANSWER_SET.read_text(encoding="utf-8"))[:40]:
        assert again.respond(item.question) == responder.respond(item.question)


@pytest.mark.parametrize(
    ("text", "ownership"),
    [
        # The vendor's own control.
        ("Is customer data encrypted at rest?", "CSP-owned"),
        ("What are your RTO and RPO?", "CSP-owned"),
        # Offered by the vendor, configured by the customer.
        ("Can customers bring their own encryption keys?", "Shared"),
        ("Do you support SAML SSO?", "Shared"),
        # Parts owned by different parties: no single owner is claimed.
        ("Is customer data encrypted at rest, and do you support SAML SSO?", None),
        # Not a control: a fact or a contract term.
        ("Which cloud provider hosts the service?", None),
        ("Do you carry cyber liability insurance?", None),
        # Not answered: nothing to own.
        ("What was the company's annual revenue last year?", None),
    ],
)
def test_ownership_follows_the_bank_question_of_an_answer(responder: Responder, text: str, ownership: str) -> None:
    assert responder.respond(text).ownership == ownership


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "Are logs stored separately from the production environment?",
            "the question does not mention 'backup', which BCR-10 is about",
        ),
        ("Does the service comply with COPPA?", "the question names 'COPPA', which no question of the bank covers"),
        ("Do you perform code signing of releases?", "the question does not mention 'escrow', which ESC-05 is about"),
        (
            "Are customers permitted to run their own security scans?",
            "the question also asks about 'permit', which VUL-04 does not cover",
        ),
        (
            # A bound in another currency than the policy's limit: no rate is assumed.
            "Do you carry professional indemnity insurance of at least £5M?",
            "the question asks for 'at least £5M', which the model does not state",
        ),
        (
            "Do you keep a register of company hardware?",
            "the question also asks about 'hardwar', which AST-02 does not cover",
        ),
    ],
)
def test_a_match_on_another_subject_is_never_answered_unflagged(responder: Responder, text: str, reason: str) -> None:
    response = responder.respond(text)
    assert response.needs_review
    assert reason in response.review_reasons


@pytest.mark.parametrize(
    ("text", "question_id", "detail"),
    [
        ("Can our users log in with OpenID Connect?", "IAM-01", "OpenID Connect"),
        ("Must contractors sign a non-disclosure undertaking?", "HRS-03", ""),
        ("Do you support single sign-on through SAML or WS-Federation?", "IAM-01", "SAML 2.0"),
        ("Are entitlements recertified at least once a year?", "IAM-09", "every 3 months"),
    ],
)
def test_other_wordings_are_answered_unflagged(responder: Responder, text: str, question_id: str, detail: str) -> None:
    response = responder.respond(text)
    assert (response.value, response.needs_review, response.question_id) == ("Yes", False, question_id)
    assert detail in response.detail


@pytest.mark.parametrize(
    ("text", "question_id", "words"),
    [
        # The strict coverage rule: a word neither the bank question, its domain nor the answer explains.
        ("Are database backups performed on a routine basis?", "BCR-07", "'databas'"),
        ("Is privileged access to servers protected by MFA?", "IAM-06", "'server'"),
        ("Does the SOC 2 Type II cover a full 12-month window?", "CMP-01", "'full', 'annual', 'window'"),
        ("Is the list of subprocessors reviewed by a named director?", "SUB-01", "'nam', 'director'"),
        ("Is the incident response plan approved by the audit committee?", "INC-01", "'audit', 'committe'"),
        ("Are escrow deposits witnessed by a notary?", "ESC-07", "'witness', 'notary'"),
    ],
)
def test_a_word_the_match_does_not_explain_goes_to_review(
    responder: Responder, text: str, question_id: str, words: str
) -> None:
    response = responder.respond(text)
    assert response.needs_review
    assert f"no phrasing of {question_id} nor its answer explains {words}" in response.review_reasons


def test_a_follow_up_matched_to_another_subject_asks_about_the_earlier_parts(responder: Responder) -> None:
    # "by which methods" alone matches the threat-modelling question; it asks how the data is encrypted.
    response = responder.respond("Do you encrypt our data in transit and at rest, and by which methods?")
    assert (response.value, response.needs_review, response.parts) == ("Yes", False, ("in transit", "at rest"))
    assert "AES-256" in response.detail and "STRIDE" not in response.detail


@pytest.mark.parametrize(
    ("text", "question_id"),
    [
        # Having a plan does not answer whether it is tested: the question of its domain that asks it does.
        ("Is the incident response plan exercised every year?", "INC-04"),
        ("Do you have a tested disaster recovery plan?", "BCR-04"),
    ],
)
def test_an_activity_is_answered_by_the_question_that_asks_it(
    responder: Responder, text: str, question_id: str
) -> None:
    response = responder.respond(text)
    assert (response.value, response.needs_review, response.question_id) == ("Yes", False, question_id)


def test_an_activity_nothing_states_is_flagged(responder: Responder) -> None:
    response = responder.respond("Are firewall rules tested?")
    assert (response.value, response.needs_review) == (None, True)
    assert response.review_reasons == ("the model does not state that it is tested",)


@pytest.mark.parametrize(
    ("text", "value", "detail"),
    [
        # A cadence stricter than the model's is a No whichever way it is said; one it meets is a Yes.
        ("Is the DR plan exercised every quarter?", "No", "Disaster recovery is tested every 6 months."),
        ("Is the incident response plan tested once a month?", "No", "The plan is exercised every 6 months."),
        ("Are access rights reviewed each quarter?", "Yes", "Access rights are reviewed every 3 months."),
        ("Is disaster recovery exercised twice per year?", "Yes", "Disaster recovery is tested every 6 months."),
        ("Is customer data backed up every day?", "Yes", "daily snapshots"),
    ],
)
def test_a_cadence_however_worded_is_checked(responder: Responder, text: str, value: str, detail: str) -> None:
    response = responder.respond(text)
    assert (response.value, response.needs_review) == (value, False)
    assert detail in response.detail


def test_a_listed_part_is_never_dropped_as_a_follow_up(responder: Responder) -> None:
    # "SAML" is a part of its own, not a clause about the SCIM part: unanswered, it flags the whole answer.
    response = responder.respond("Are SCIM and SAML supported for identity brokering and provisioning?")
    assert (response.value, response.needs_review, response.parts) == (None, True, ("SCIM", "SAML"))
    assert [p.follow_up for p in split_question("Is MFA enforced, and for which users?")] == [False, True]
