"""A commitment asked of one named service is answered from that service's own figure (services.py)."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLE
from trustdocs.model.audience import for_audience
from trustdocs.model.project import Project
from trustdocs.project import load_project
from trustdocs.questionnaire.respond import Responder
from trustdocs.questionnaire.services import compare, named_services


@pytest.fixture(scope="module")
def project() -> Project:
    return for_audience(load_project(SAMPLE).project, "nda")


@pytest.fixture(scope="module")
def responder(project: Project) -> Responder:
    return Responder(project)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("What availability do you promise for the REST API?", ["Ledger API"]),
        ("Is the bank-feed connector covered?", ["Bank feeds"]),
        ("Does the web UI have its own figure, and the API?", ["Ledger API", "Web application"]),
        ("What is the application's availability commitment?", []),
    ],
)
def test_a_service_is_named_by_its_own_words(project: Project, text: str, names: list[str]) -> None:
    assert [s.name for s in named_services(project, text)] == names


@pytest.mark.parametrize(
    ("text", "value", "detail"),
    [
        ("Is REST API availability guaranteed at 99.9 % or more?", "Yes", "Ledger API 99.9 %"),
        ("Is the bank feed availability no less than 99.9 percent?", "No", "Bank feeds 99.5 %"),
        ("Is the bank feed availability below 99.9 %?", "Yes", "Bank feeds 99.5 %"),
        ("Is the web UI promised more than 99.9 %?", "No", "Web application 99.9 %"),
        ("Is the web UI promised three nines?", "Yes", "Web application 99.9 %"),
        ("Do the API and the web UI have an identical commitment?", "Yes", "Ledger API 99.9 %, Web application 99.9 %"),
        ("Are bank feeds held to an equal target with the API?", "No", "Ledger API 99.9 %, Bank feeds 99.5 %"),
    ],
)
def test_the_named_services_own_figures_decide(project: Project, text: str, value: str, detail: str) -> None:
    verdict = compare(project, text, named_services(project, text))
    assert (verdict.value, verdict.reason) == (value, "")
    assert verdict.detail == f"Availability commitments: {detail}."


def test_a_comparison_with_something_unnamed_is_left_for_review(project: Project) -> None:
    text = "Is the API held to the same figure as the status page?"
    verdict = compare(project, text, named_services(project, text))
    assert verdict.value is None
    assert verdict.reason == "the question compares a service with something the SLA does not name"


def test_the_responder_answers_a_named_service_from_its_figure(responder: Responder) -> None:
    # The whole SLA's answer is "No" (bank feeds are below 99.9 %); the API's own commitment is 99.9 %.
    response = responder.respond("Is the uptime commitment for the API at least 99.9 %?")
    assert (response.value, response.needs_review) == ("Yes", False)
    assert response.detail == "Availability commitments: Ledger API 99.9 %."
    response = responder.respond("Does the bank feed get the same uptime commitment as the API?")
    assert (response.value, response.needs_review) == ("No", False)
    assert "Bank feeds 99.5 %" in response.detail
