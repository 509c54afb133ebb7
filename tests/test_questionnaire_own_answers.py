"""The project's own answer library: loaded into the model, answered from, and checked by `validate`."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLE
from trustdocs.cli import main
from trustdocs.model.audience import for_audience
from trustdocs.model.questionnaire import LibraryAnswer
from trustdocs.project import load_project
from trustdocs.questionnaire.respond import Citation, Responder

LIBRARY = """\
questionnaire:
  answers:
    - bank_id: GOV-11
      answer: "Yes"
      detail: The CISO reports to the board every quarter.
      owner: Priya Raman
      review_by: 2025-01-31
    - bank_id: CRY-08
      answer: "Yes"
      detail: Customers can bring their own keys.
      owner: Priya Raman
      review_by: 2027-01-31
    - bank_id: XYZ-01
      answer: "No"
      detail: Nothing.
      owner: Priya Raman
      review_by: 2027-01-31
    - ids: [DSP-99.1]
      answer: "N/A"
      detail: The service does not process cardholder data.
      owner: Priya Raman
      review_by: 2027-01-31
    - question: Do you keep a printed copy of every policy in a fire safe?
      answer: "No"
      detail: Policies are kept electronically only.
      owner: Priya Raman
      review_by: 2027-01-31
      audience: internal
"""


@pytest.fixture
def library_project(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    shutil.copytree(SAMPLE, root)
    (root / "questionnaire" / "answers.yaml").write_text(LIBRARY, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sample_responder() -> Responder:
    return Responder(for_audience(load_project(SAMPLE).project, "nda"), today=dt.date(2026, 12, 1))


def test_the_library_is_typed_and_located() -> None:
    answers = load_project(SAMPLE).project.questionnaire.answers
    first = answers[0]
    assert isinstance(first, LibraryAnswer)
    assert (first.bank_id, first.answer, first.review_by) == ("GOV-11", "Yes", dt.date(2027, 6, 30))
    assert first.loc is not None and first.loc.file.endswith("questionnaire/answers.yaml") and first.loc.line == 8


def test_validate_warns_about_stale_conflicting_and_unknown_entries(library_project: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(library_project)])
    assert result.exit_code == 0, result.output
    where = f"{library_project}/questionnaire/answers.yaml"
    lines = [line for line in result.output.splitlines() if line.startswith(where)]
    assert lines == [
        f"{where}:7:18: questionnaire.answers[0].review_by: warning: the answer is past its review-by date "
        "2025-01-31: Priya Raman should confirm it and set a new review_by",
        f"{where}:9:15: questionnaire.answers[1].answer: warning: the library answers 'Yes' but for bank question "
        "CRY-08 the model derives 'No' (Customer-managed keys are not offered; keys are managed by the vendor)",
        f"{where}:13:16: questionnaire.answers[2].bank_id: warning: no bank question has the id 'XYZ-01'",
    ]


def test_the_sample_library_validates_without_warnings() -> None:
    assert load_project(SAMPLE, today=dt.date(2026, 12, 1)).warnings == ()


def test_an_entry_answers_what_the_model_cannot(sample_responder: Responder) -> None:
    response = sample_responder.respond("Does your security leadership report to the board?")
    assert (response.value, response.needs_review, response.question_id) == ("Yes", False, "GOV-11")
    assert response.detail.startswith("The Chief Information Security Officer reports on security risks")
    assert response.citations == (Citation("Answer library", "", "questionnaire/answers.yaml:8"),)


def test_an_entry_found_by_its_own_wording(sample_responder: Responder) -> None:
    response = sample_responder.respond("May customers run their own penetration tests against the service?")
    assert (response.value, response.needs_review, response.question_id) == ("Yes", False, "LIB-04")


def test_stale_conflicting_and_id_keyed_entries(library_project: Path) -> None:
    project = for_audience(load_project(library_project).project, "nda")
    responder = Responder(project, today=dt.date(2026, 12, 1))
    stale = responder.respond("Does security leadership report regularly to the board?")
    assert (stale.value, stale.needs_review) == ("Yes", True)
    assert stale.review_reasons == ("the answer library's entry is past its review-by date 2025-01-31",)
    conflicting = responder.respond("Can customers bring or manage their own encryption keys?")
    assert (conflicting.value, conflicting.needs_review) == ("No", True)
    assert conflicting.review_reasons == (
        "the answer library's entry (questionnaire/answers.yaml:8) says 'Yes' but the model derives 'No' "
        "(Customer-managed keys are not offered; keys are managed by the vendor)",
    )
    by_id = responder.respond("Is cardholder data protected?", standard="CAIQ", version="4.0.3", question_id="DSP-99.1")
    assert (by_id.value, by_id.detail, by_id.needs_review) == (
        "N/A",
        "The service does not process cardholder data.",
        False,
    )


def test_an_internal_entry_is_not_given_to_customers(library_project: Path) -> None:
    project = for_audience(load_project(library_project).project, "nda")
    assert [a.question for a in project.questionnaire.answers if a.question] == []
    response = Responder(project).respond("Do you keep a printed copy of every policy in a fire safe?")
    assert response.detail != "Policies are kept electronically only."


def test_an_id_may_name_its_questionnaire_and_version(library_project: Path) -> None:
    text = (library_project / "questionnaire" / "answers.yaml").read_text(encoding="utf-8")
    (library_project / "questionnaire" / "answers.yaml").write_text(
        text.replace("ids: [DSP-99.1]", "ids: ['CAIQ:4.0.3:DSP-99.1']"), encoding="utf-8"
    )
    responder = Responder(for_audience(load_project(library_project).project, "nda"))
    asked = "Is cardholder data protected?"
    assert responder.respond(asked, standard="CAIQ", version="4.0.3", question_id="DSP-99.1").value == "N/A"
    assert responder.respond(asked, standard="CAIQ", version="4.1", question_id="DSP-99.1").value != "N/A"


def test_ownership_is_the_entrys_or_its_bank_questions(library_project: Path) -> None:
    text = (library_project / "questionnaire" / "answers.yaml").read_text(encoding="utf-8")
    (library_project / "questionnaire" / "answers.yaml").write_text(
        text.replace("      review_by: 2025-01-31\n", "      review_by: 2025-01-31\n      ownership: Shared\n", 1),
        encoding="utf-8",
    )
    project = for_audience(load_project(library_project).project, "nda")
    assert project.questionnaire.answers[0].ownership == "Shared"
    responder = Responder(project, today=dt.date(2026, 12, 1))
    assert responder.respond("Does security leadership report regularly to the board?").ownership == "Shared"
    asked = "Is cardholder data protected?"
    # An entry found by a standard's id has no bank question to take an owner from.
    assert responder.respond(asked, standard="caiq", version="4.0.3", question_id="DSP-99.1").ownership is None


def test_without_ownership_an_entry_takes_its_bank_questions(sample_responder: Responder) -> None:
    assert sample_responder.respond("Does your security leadership report to the board?").ownership == "CSP-owned"
    by_wording = sample_responder.respond("May customers run their own penetration tests against the service?")
    assert (by_wording.question_id, by_wording.ownership) == ("LIB-04", None)


def test_an_ownership_not_in_the_list_is_an_error(library_project: Path) -> None:
    text = (library_project / "questionnaire" / "answers.yaml").read_text(encoding="utf-8")
    (library_project / "questionnaire" / "answers.yaml").write_text(
        text.replace("      review_by: 2027-01-31\n", "      review_by: 2027-01-31\n      ownership: CSP\n", 1),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", str(library_project)])
    assert result.exit_code == 1
    where = f"{library_project}/questionnaire/answers.yaml"
    assert (
        f"{where}:13:18: questionnaire.answers[1].ownership: expected one of: CSP-owned, CSC-owned, Shared; found 'CSP'"
    ) in result.output.splitlines()
    assert "Traceback" not in result.output
