"""The shipped question bank: size, domains, ids, and that every entry names a deriver that can run."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from trustdocs.questionnaire.bank import BankError, load_bank, parse_bank
from trustdocs.questionnaire.derive import registry

DOMAINS = {
    "governance",
    "hr",
    "asset_management",
    "access_control",
    "cryptography",
    "network",
    "application_security",
    "vulnerability_management",
    "logging",
    "incident_response",
    "bcdr",
    "subprocessors",
    "privacy",
    "compliance",
    "sla_support",
    "insurance",
    "escrow",
}
DOCUMENTS = (
    "Product Security Document — ",
    "SLA Addendum — ",
    "Insurance Summary — ",
    "Indemnification Addendum — ",
    "Escrow Procedure — ",
)


def bank_data() -> dict:
    text = resources.files("trustdocs.questionnaire").joinpath("question_bank.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def test_at_least_100_questions_covering_every_domain() -> None:
    bank = load_bank()
    assert len(bank) >= 100
    assert {q.domain for q in bank.questions} == DOMAINS
    assert {key for key, _ in bank.domains} == DOMAINS


def test_every_question_names_a_registered_deriver() -> None:
    known = registry()
    assert [q.id for q in load_bank().questions if q.derive not in known] == []


def test_every_registered_deriver_is_used_by_a_question() -> None:
    used = {q.derive for q in load_bank().questions}
    assert sorted(set(registry()) - used) == []


def test_ids_are_unique_and_name_their_domain() -> None:
    prefixes = {
        "governance": "GOV",
        "hr": "HRS",
        "asset_management": "AST",
        "access_control": "IAM",
        "cryptography": "CRY",
        "network": "NET",
        "application_security": "APP",
        "vulnerability_management": "VUL",
        "logging": "LOG",
        "incident_response": "INC",
        "bcdr": "BCR",
        "subprocessors": "SUB",
        "privacy": "PRV",
        "compliance": "CMP",
        "sla_support": "SLA",
        "insurance": "INS",
        "escrow": "ESC",
    }
    ids = [q.id for q in load_bank().questions]
    assert len(ids) == len(set(ids))
    for question in load_bank().questions:
        assert re.fullmatch(rf"{prefixes[question.domain]}-\d\d", question.id), question.id


def test_every_answer_cites_a_section_of_a_document() -> None:
    for question in load_bank().questions:
        assert question.evidence.startswith(DOCUMENTS), (question.id, question.evidence)


def test_questions_are_yes_no_questions_in_one_sentence() -> None:
    for question in load_bank().questions:
        assert question.question.endswith("?"), question.id
        assert question.question[0].isupper(), question.id


def test_an_unknown_deriver_is_reported() -> None:
    data = bank_data()
    data["questions"][0]["derive"] = "security_leed"
    with pytest.raises(BankError) as caught:
        parse_bank(data)
    assert str(caught.value) == (
        "the question bank has problems:\nquestions[0] (GOV-01): unknown deriver 'security_leed'"
    )


def test_wrong_params_unknown_paths_domains_and_sections_are_reported_together() -> None:
    data = bank_data()
    data["questions"][1]["params"] = {"colour": "red"}
    data["questions"][2]["domain"] = "astrology"
    data["questions"][3]["params"] = {"path": "security.organisation.risk_appetite"}
    data["questions"][4]["evidence"] = "security.nowhere"
    data["questions"][5]["id"] = "GOV-01"
    with pytest.raises(BankError) as caught:
        parse_bank(data)
    assert str(caught.value).splitlines() == [
        "the question bank has problems:",
        "questions[1] (GOV-02): deriver 'security_team' does not accept these params "
        "(got an unexpected keyword argument 'colour')",
        "questions[2] (GOV-03): unknown domain 'astrology'",
        "questions[3] (GOV-04): the model has no field 'security.organisation.risk_appetite' "
        "(no 'risk_appetite' in Organisation)",
        "questions[4] (GOV-05): unknown evidence section 'security.nowhere'",
        "questions[5] (GOV-01): duplicate id",
    ]


def test_a_missing_key_is_reported() -> None:
    data = bank_data()
    del data["questions"][0]["evidence"]
    with pytest.raises(BankError, match=r"questions\[0\] \(GOV-01\): missing evidence"):
        parse_bank(data)


def test_an_unknown_ownership_is_reported() -> None:
    data = bank_data()
    data["questions"][0]["ownership"] = "vendor"
    with pytest.raises(BankError) as caught:
        parse_bank(data)
    assert str(caught.value) == (
        "the question bank has problems:\nquestions[0] (GOV-01): ownership must be one of CSP-owned, CSC-owned, Shared"
    )


def test_contract_terms_own_no_control() -> None:
    # SLA, insurance and escrow questions are about terms, not controls: CAIQ's ownership column stays empty.
    contract = {"sla_support", "insurance", "escrow"}
    assert [q.id for q in load_bank().questions if q.domain in contract and q.ownership] == []
    assert load_bank().by_id("CRY-01").ownership == "CSP-owned"
    assert load_bank().by_id("IAM-02").ownership == "Shared"
