"""Answers derived from the model: Yes, No, N/A and "needs review" for each kind of deriver."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from trustdocs.model.architecture import Component, DataAsset
from trustdocs.model.audience import for_audience
from trustdocs.model.escrow import Escrow, Party, ReleaseCondition, ReleaseProcess, Verification
from trustdocs.model.legal import Certificate, Insurance, Policy
from trustdocs.model.project import Project
from trustdocs.model.security import (
    Backups,
    Certification,
    ContinuityRecovery,
    PenTest,
    Personnel,
    Privacy,
    Subprocessor,
)
from trustdocs.project import load_project
from trustdocs.questionnaire.bank import load_bank
from trustdocs.questionnaire.derive import Answer, derive
from trustdocs.questionnaire.library import answer_library, answer_question

DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs" / "acme"


@pytest.fixture(scope="module")
def minimal() -> Project:
    return load_project(DATA / "minimal.yaml", today=dt.date(2026, 3, 1)).project


def changed(project: Any, path: str, value: Any) -> Any:
    """A copy of a frozen model with the value at a dotted path replaced."""
    head, _, rest = path.partition(".")
    if not rest:
        return dataclasses.replace(project, **{head: value})
    return dataclasses.replace(project, **{head: changed(getattr(project, head), rest, value)})


def answer(project: Project, question_id: str) -> Answer:
    return answer_question(load_bank().by_id(question_id), project)


def test_encrypted_at_rest_names_algorithm_and_key_management(minimal: Project) -> None:
    assert answer(minimal, "CRY-01") == Answer(
        "Yes",
        "Every data store holding confidential or restricted data (1) is encrypted at rest: AES-256-GCM, "
        "keys managed with AWS KMS.",
        "Product Security Document — Data protection",
    )


def test_an_unencrypted_store_of_customer_data_makes_it_no(minimal: Project) -> None:
    stores = tuple(
        dataclasses.replace(c, encrypted_at_rest=False) if c.id == "db" else c for c in minimal.architecture.components
    )
    project = changed(minimal, "architecture.components", stores)
    assert answer(project, "CRY-01").value == "No"
    assert answer(project, "CRY-01").detail == (
        "Not encrypted at rest: Notes database. Other stores use AES-256-GCM, keys managed with AWS KMS."
    )


def test_a_store_whose_encryption_is_not_stated_needs_review(minimal: Project) -> None:
    stores = tuple(
        dataclasses.replace(c, encrypted_at_rest=None) if c.id == "db" else c for c in minimal.architecture.components
    )
    result = answer(changed(minimal, "architecture.components", stores), "CRY-01")
    assert result.value is None
    assert result.detail == "The model does not say whether Notes database is encrypted at rest."


def test_only_stores_of_confidential_data_decide_at_rest(minimal: Project) -> None:
    cache = Component(
        "cache",
        "Public cache",
        "data_store",
        "Redis",
        "AWS",
        "Platform team",
        stores=("brochure",),
        encrypted_at_rest=False,
    )
    architecture = dataclasses.replace(
        minimal.architecture,
        components=minimal.architecture.components + (cache,),
        data_assets=minimal.architecture.data_assets + (DataAsset("brochure", "Brochure", "public"),),
    )
    assert answer(dataclasses.replace(minimal, architecture=architecture), "CRY-01").value == "Yes"


def test_customer_mfa_and_sso_flags(minimal: Project) -> None:
    assert answer(minimal, "IAM-02") == Answer(
        "Yes",
        "MFA is available and can be enforced for every user of the product.",
        "Product Security Document — Identity and access",
    )
    assert answer(minimal, "IAM-01").value == "No"
    with_sso = changed(minimal, "security.identity.customer.sso", ("SAML 2.0", "OpenID Connect"))
    assert answer(with_sso, "IAM-01").detail == (
        "Single sign-on with the customer's identity provider over SAML 2.0 and OpenID Connect."
    )
    without_mfa = changed(with_sso, "security.identity.customer.mfa", False)
    assert answer(without_mfa, "IAM-02").value == "No"


def test_a_section_left_at_its_defaults_is_not_a_no(minimal: Project) -> None:
    # minimal.yaml has no `personnel:` section: an unstated background check is not "No".
    assert minimal.security.personnel == Personnel()
    assert answer(minimal, "HRS-01") == Answer(
        None,
        "The model does not state this (security.personnel.background_checks).",
        "Product Security Document — Personnel and physical security",
    )
    stated = changed(minimal, "security.personnel", Personnel(background_checks=False, confidentiality_agreements=True))
    assert answer(stated, "HRS-01").value == "No"
    assert answer(stated, "HRS-03").value == "Yes"


def test_pen_test_cadence(minimal: Project) -> None:
    assert answer(minimal, "APP-08").value is None
    yearly = changed(minimal, "security.sdlc.pen_test", PenTest(12, "Northwall", dt.date(2026, 1, 10)))
    assert answer(yearly, "APP-08") == Answer(
        "Yes",
        "Penetration tested every 12 months by Northwall; last test completed 2026-01-10.",
        "Product Security Document — Secure development lifecycle",
    )
    assert answer(changed(minimal, "security.sdlc.pen_test", PenTest(24, "Northwall")), "APP-08").detail == (
        "Penetration tested every 24 months by Northwall."
    )
    assert answer(changed(minimal, "security.sdlc.pen_test", PenTest(24, "Northwall")), "APP-08").value == "No"


def test_notification_hours_against_24_and_72(minimal: Project) -> None:
    assert answer(minimal, "INC-02").value == "Yes"
    assert answer(minimal, "INC-03") == Answer(
        "No",
        "Affected customers are notified within 72 hours of a confirmed security incident.",
        "Product Security Document — Incident response",
    )


def test_rto_and_rpo_values(minimal: Project) -> None:
    assert answer(minimal, "BCR-02").detail == "Recovery time objective (RTO): 8 hours."
    assert answer(minimal, "BCR-03").detail == "Recovery point objective (RPO): 1 hour."
    quarter = changed(minimal, "security.continuity", ContinuityRecovery(4, 0.25))
    assert answer(quarter, "BCR-03").detail == "Recovery point objective (RPO): 15 minutes."


def test_backups_need_review_until_described(minimal: Project) -> None:
    assert answer(minimal, "CRY-09").value is None
    plain = changed(minimal, "security.continuity.backups", Backups("Daily", 14, encrypted=False))
    assert answer(plain, "CRY-09") == Answer(
        "No", "Backups are not encrypted.", "Product Security Document — Business continuity and disaster recovery"
    )
    assert answer(plain, "BCR-09") == Answer(
        "No", "Backups are kept for 14 days.", "Product Security Document — Business continuity and disaster recovery"
    )


SOC2 = Certification(
    "soc2", "SOC 2 Type II", "Calder & Finch LLP", dt.date(2025, 1, 1), dt.date(2025, 12, 31), nda_only=True
)
ISO = Certification("iso", "ISO/IEC 27001:2022", "BSI", dt.date(2024, 6, 1), dt.date(2027, 5, 31))


def test_soc2_report(minimal: Project) -> None:
    assert answer(minimal, "CMP-01").detail == "The model does not record this certification."
    assert answer(minimal, "CMP-01").value is None
    project = changed(minimal, "security.certifications", (SOC2,))
    assert answer(project, "CMP-01").detail == (
        "SOC 2 Type II by Calder & Finch LLP, period 2025-01-01 to 2025-12-31 (report available under NDA)."
    )
    assert answer(project, "CMP-02").detail == (
        "The SOC 2 Type II report for 2025-01-01 to 2025-12-31 (Calder & Finch LLP) is shared under NDA."
    )


def test_a_certification_not_held_is_no_but_hipaa_stays_for_review(minimal: Project) -> None:
    project = changed(minimal, "security.certifications", (ISO,))
    assert answer(project, "CMP-01") == Answer(
        "No",
        "Not held. Current certifications and reports: ISO/IEC 27001:2022.",
        "Product Security Document — Certifications",
    )
    assert answer(project, "CMP-02").value == "N/A"
    assert answer(project, "CMP-10").value is None


def test_stale_certifications(minimal: Project) -> None:
    old = dataclasses.replace(SOC2, period_end=dt.date(2024, 12, 31))
    project = changed(minimal, "security.certifications", (old, ISO))
    assert answer(project, "CMP-11").detail == "Older than a year at 2026-01-15: SOC 2 Type II (ended 2024-12-31)."


def test_subprocessors_and_transfers(minimal: Project) -> None:
    assert answer(minimal, "SUB-01").value is None
    # No data asset of minimal.yaml is personal data, so a transfer mechanism does not apply.
    assert answer(minimal, "PRV-03") == Answer(
        "N/A",
        "The service holds no personal data, so no transfer mechanism is needed.",
        "Product Security Document — Privacy",
    )
    project = changed(minimal, "security.subprocessors", (Subprocessor("AWS", "Hosting", "Ireland", ("notes",)),))
    assert answer(project, "SUB-01").detail == "1 subprocessor: AWS."
    assert answer(project, "SUB-03").detail == "AWS: Customer notes."


def test_privacy_section_left_out_needs_review(minimal: Project) -> None:
    assert answer(minimal, "PRV-01").value is None
    stated = changed(minimal, "security.privacy", Privacy(dpa_available=True, gdpr_role="Processor."))
    assert answer(stated, "PRV-01").value == "Yes"
    assert answer(stated, "CMP-12").detail == "Processor. A data processing agreement is available."


def test_sla_commitments(minimal: Project) -> None:
    assert answer(minimal, "SLA-01").detail == (
        "Availability commitments per calendar month: Tiny Notes application 99.9 %."
    )
    assert answer(minimal, "SLA-02").value == "Yes"
    lower = changed(
        minimal, "sla.services", (dataclasses.replace(minimal.sla.services[0], commitment_percent=Decimal("99.5")),)
    )
    assert answer(lower, "SLA-02").detail == (
        "Below 99.9 %: Tiny Notes application. Commitments: Tiny Notes application 99.5 %."
    )
    assert answer(changed(minimal, "sla", None), "SLA-01") == Answer(
        None, "The model has no SLA (sla).", "SLA Addendum — Covered services and commitments"
    )


def test_sla_chronic_failure_absent_is_no(minimal: Project) -> None:
    assert answer(minimal, "SLA-07").detail == "The SLA has no chronic-failure termination right."


def test_support_24x7_for_all_plans_and_for_the_customers_plan() -> None:
    acme = load_project(SAMPLE, today=dt.date(2026, 11, 1)).project
    assert answer(acme, "SLA-08").detail == (
        "24×7 on the Enterprise plan; Standard business hours (Monday–Friday 08:00–18:00, Europe/London) "
        "and Premium 24×5."
    )
    globex = load_project(SAMPLE, SAMPLE / "customers" / "globex.yaml", today=dt.date(2026, 11, 1)).project
    assert answer(globex, "SLA-08") == Answer(
        "Yes", "Globex Corporation's Enterprise plan covers 24×7.", "SLA Addendum — Support"
    )
    standard = [p for p in acme.support.plans if p.id == "standard"]
    only_standard = changed(acme, "support.plans", tuple(standard))
    assert answer(only_standard, "SLA-08").value == "No"
    assert answer(globex, "INC-03").detail == (
        "Affected customers are notified within 24 hours of a confirmed security incident "
        "(as agreed with Globex Corporation)."
    )


def test_first_response_names_the_plans_that_meet_it() -> None:
    acme = load_project(SAMPLE, today=dt.date(2026, 11, 1)).project
    assert answer(acme, "SLA-11").detail == (
        "On the Premium and Enterprise plans; first response at the highest severity: Standard 2 business "
        "hours, Premium 1 hour and Enterprise 30 minutes."
    )


INSURANCE = Insurance(
    "USD",
    (
        Policy(
            "cyber",
            "cyber",
            "Northbridge",
            "A+ XV",
            "claims_made",
            dt.date(2026, 1, 1),
            dt.date(2027, 1, 1),
            per_claim_limit=Decimal(2_000_000),
            aggregate_limit=Decimal(2_000_000),
        ),
    ),
    Certificate("ACORD 25", "Lockwood Marsh"),
    cancellation_notice_days=30,
)


def test_insurance(minimal: Project) -> None:
    assert answer(minimal, "INS-01") == Answer(
        None, "The model has no insurance programme (insurance).", "Insurance Summary — Coverage"
    )
    project = dataclasses.replace(minimal, insurance=INSURANCE)
    assert answer(project, "INS-01").detail == (
        "Cyber (network security & privacy): $2,000,000 per claim, Northbridge (A+ XV)."
    )
    assert answer(project, "INS-07").value == "No"
    assert answer(project, "INS-02") == Answer(
        "No", "Not held: Technology E&O / professional liability.", "Insurance Summary — Coverage"
    )
    assert answer(project, "INS-13").detail == ("No tail cover is committed for Cyber (network security & privacy).")
    assert answer(project, "INS-11").value == "Yes"
    weak = dataclasses.replace(
        INSURANCE, policies=(dataclasses.replace(INSURANCE.policies[0], am_best_rating="B++ IX"),)
    )
    assert answer(dataclasses.replace(minimal, insurance=weak), "INS-11").detail == (
        "Below A- VII: Northbridge. Ratings: Northbridge B++ IX."
    )


ESCROW = Escrow(
    agent=Party("Harbour Escrow", "Escrow agent"),
    agreement_type="three_party",
    depositor=Party("Tiny Notes Ltd", "Depositor"),
    beneficiaries=(),
    contents=(),
    method="SFTP",
    frequency="Quarterly",
    encryption="age",
    verification=Verification("inventory", "On every deposit"),
    release_conditions=(ReleaseCondition("Insolvency", "Administration or liquidation"),),
    release_process=ReleaseProcess("Written notice", 10, "Expert"),
)


def test_escrow_agent_and_verification_level(minimal: Project) -> None:
    assert answer(minimal, "ESC-01").value is None
    project = dataclasses.replace(minimal, escrow=ESCROW)
    assert answer(project, "ESC-01").detail == "With Harbour Escrow under a three-party agreement."
    assert answer(project, "ESC-02").detail == "Inventory and analysis by Harbour Escrow, on every deposit."
    assert answer(project, "ESC-03") == Answer(
        "No", "The agreed level is inventory and analysis (on every deposit).", "Escrow Procedure — Verification"
    )
    built = changed(project, "escrow.verification", Verification("build", "Yearly"))
    assert answer(built, "ESC-03").value == "Yes"
    assert answer(project, "ESC-08").detail == "The deposit log records no deposit yet."


def test_open_high_threats_make_the_threat_answer_no(minimal: Project) -> None:
    assert answer(minimal, "APP-12").value == "Yes"
    threats = tuple(dataclasses.replace(t, status="open") for t in minimal.threat_model.threats)
    assert answer(changed(minimal, "threat_model.threats", threats), "APP-12").detail == (
        "High or critical threats still open or in progress: T-1 and T-2."
    )


def test_not_in_model_is_always_for_review(minimal: Project) -> None:
    assert answer(minimal, "PRV-07") == Answer(
        None,
        "The model does not record the use of customer data for AI or machine learning; answer by hand.",
        "Product Security Document — Privacy",
    )


def test_answers_respect_the_audience_filtered_model() -> None:
    full = load_project(SAMPLE, today=dt.date(2026, 11, 1)).project
    # Arctic Wolf is listed as an internal-only subprocessor in the sample.
    assert "Arctic Wolf" in answer(full, "SUB-01").detail
    assert "Arctic Wolf" not in answer(for_audience(full, "nda"), "SUB-01").detail
    assert answer(for_audience(full, "nda"), "SUB-01").detail.startswith("7 subprocessors: ")


def test_every_question_answers_the_sample_and_the_minimal_project(minimal: Project, caplog) -> None:
    caplog.set_level(logging.WARNING)
    acme = for_audience(
        load_project(SAMPLE, SAMPLE / "customers" / "globex.yaml", today=dt.date(2026, 11, 1)).project, "nda"
    )
    for project in (acme, minimal):
        rows = answer_library(project)
        assert len(rows) == len(load_bank())
        for row in rows:
            assert row.answer.value in ("Yes", "No", "N/A", None)
            assert row.answer.detail and row.answer.evidence, row.question.id
    assert caplog.records == []


def test_an_unknown_deriver_name_is_a_key_error(minimal: Project) -> None:
    with pytest.raises(KeyError, match="unknown deriver 'guess'"):
        derive("guess", minimal)


def test_a_failing_deriver_is_marked_for_review_and_logged(minimal: Project, caplog) -> None:
    question = dataclasses.replace(load_bank().by_id("VUL-02"), params=(("days", 7), ("severity", "urgent")))
    result = answer_question(question, minimal)
    assert result.value is None
    assert result.detail.startswith("Could not be derived from the model (")
    assert [r.getMessage() for r in caplog.records] == [
        "question VUL-02: deriver remediation_within failed: 'RemediationTargets' object has no attribute 'urgent_days'"
    ]


def test_escrow_contents_name_what_each_required_item_holds() -> None:
    acme = load_project(SAMPLE, today=dt.date(2026, 11, 1)).project
    detail = answer(acme, "ESC-06").detail
    assert detail.startswith(
        "8 required items: Source code of all production services (The ledger-api, web, bank-feeds, "
        "recon-worker and reporting-worker repositories at the commit deployed to production on the deposit "
        "date); Build and deployment instructions ("
    )
    assert "Infrastructure as code (Terraform for the AWS accounts and networks, and the Helm charts" in detail
    assert "\n" not in detail and detail.endswith(
        "(Credentials needed to operate the Deposit, encrypted to the Escrow Agent's key)."
    )
