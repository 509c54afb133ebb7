"""A customer file is checked as strictly as the project: its own schema, references, and every semantic rule
run again on the terms it negotiates, located in the customer file."""

from __future__ import annotations

from pathlib import Path

import pytest

from trustdocs.errors import InputError
from trustdocs.project import load_project

MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8")
C = "globex.yaml"
HEAD = "customer:\n  legal_name: Globex Corporation\n  short_name: Globex\n  terms:\n"


@pytest.fixture
def check(tmp_path, monkeypatch):
    """Load the minimal project with a customer file whose `terms:` body is given; return the problem lines."""
    monkeypatch.chdir(tmp_path)
    Path("proj").mkdir()
    Path("proj/trustdocs.yaml").write_text(MINIMAL, encoding="utf-8")

    def run(terms: str, head: str = HEAD) -> list[str]:
        Path(C).write_text(head + terms, encoding="utf-8")
        try:
            result = load_project(Path("proj"), Path(C))
        except InputError as exc:
            return [str(p) for p in exc.problems]
        return [str(p) for p in result.warnings]

    return run


def test_valid_terms_with_the_new_fields_reach_the_model(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("proj").mkdir()
    Path("proj/trustdocs.yaml").write_text(MINIMAL, encoding="utf-8")
    Path(C).write_text(
        HEAD
        + (
            "    commitments: [{service: app, commitment_percent: 99.95}]\n"
            "    baa_reference: BAA-2026-0147\n"
            "    data_residency: {stored_in: [United States], processed_in: [United States, United Kingdom]}\n"
            "    support_hours: {hours: business, business_hours: Monday-Friday 08:00-18:00, time_zone: America/Chicago}\n"
            "    maintenance_window: {day: Sunday, start: '02:00', duration_hours: 4, time_zone: America/Chicago}\n"
        ),
        encoding="utf-8",
    )
    project = load_project(Path("proj"), Path(C)).project
    terms = project.customer.terms
    assert terms.baa_reference == "BAA-2026-0147"
    assert terms.data_residency.stored_in == ("United States",)
    assert terms.data_residency.processing_places == ("United States", "United Kingdom")
    assert (terms.support_hours.hours, terms.support_hours.business_hours, terms.support_hours.time_zone) == (
        "business",
        "Monday-Friday 08:00-18:00",
        "America/Chicago",
    )
    window = terms.maintenance_window
    assert (window.day, window.start, window.duration_hours, window.time_zone) == (
        "Sunday",
        "02:00",
        4,
        "America/Chicago",
    )
    assert str(project.sla.services[0].commitment_percent) == "99.95"


@pytest.mark.parametrize(
    "terms,expected",
    [
        (
            "    commitments: [{service: app, commitment_percent: 98.5}]\n",
            [
                f"{C}:5:54: customer.terms.commitments[0].commitment_percent: the commitment 98.5 % must be above the "
                "first credit tier's threshold 99.0 %"
            ],
        ),
        (
            "    commitments: [{service: app, commitment_percent: 100}]\n",
            [
                f"{C}:5:54: customer.terms.commitments[0].commitment_percent: expected a commitment below 100 %, found 100"
            ],
        ),
        (
            "    commitments:\n      - {service: app, commitment_percent: 99.95}\n"
            "      - {service: app, commitment_percent: 99.99}\n",
            [
                f"{C}:7:19: customer.terms.commitments[1].service: duplicate commitment for service 'app' "
                f"(first defined at {C}:6:19)"
            ],
        ),
        (
            "    commitments: [{service: ap, commitment_percent: 99.95}]\n",
            [
                f"{C}:5:29: customer.terms.commitments[0].service: unknown service 'ap'; expected one of: app; "
                "did you mean 'app'?"
            ],
        ),
        (
            "    credit_tiers:\n      - {availability_at_least: 99.0, credit_percent: 10}\n"
            "      - {availability_at_least: 99.5, credit_percent: 25}\n"
            "      - {availability_at_least: 0, credit_percent: 50}\n",
            [
                f"{C}:7:33: customer.terms.credit_tiers[1].availability_at_least: tiers go from the highest availability "
                "down: 99.5 is not below 99.0"
            ],
        ),
        (
            "    credit_tiers:\n      - {availability_at_least: 99.0, credit_percent: 10}\n"
            "      - {availability_at_least: 90, credit_percent: 25}\n",
            [
                f"{C}:7:33: customer.terms.credit_tiers[1].availability_at_least: the last tier must start at 0 so that "
                "every availability below the commitment earns a credit; found 90"
            ],
        ),
        (
            "    credit_cap_percent: 20\n",
            [
                f"{C}:5:25: customer.terms.credit_cap_percent: the credit cap 20 % is below the highest tier's credit 50 %"
            ],
        ),
        # The project's 99.9 % is not negotiated, but the customer's first tier now starts above it.
        (
            "    credit_tiers:\n      - {availability_at_least: 99.95, credit_percent: 10}\n"
            "      - {availability_at_least: 0, credit_percent: 50}\n",
            [
                "proj/trustdocs.yaml:152:27: sla.services[0].commitment_percent: the commitment 99.9 % must be above the "
                f"first credit tier's threshold 99.95 % (under the terms in {C})"
            ],
        ),
        (
            "    support_plan: enterprise\n",
            [
                f"{C}:5:19: customer.terms.support_plan: the project has no 'support' section, so there is no "
                "support.default_plan for this term to replace",
                f"{C}:5:19: customer.terms.support_plan: unknown plan 'enterprise'; no plans are defined",
            ],
        ),
        ("    suport_plan: x\n", [f"{C}:5:5: customer.terms: unknown key 'suport_plan'; did you mean 'support_plan'?"]),
        (
            "    discount: 5\n",
            [
                f"{C}:5:5: customer.terms: unknown key 'discount'; expected one of: support_plan, annual_fee, commitments, "
                "credit_tiers, credit_cap_percent, general_cap, super_cap, notification_hours, claim_deadline_days, "
                "baa_reference, data_residency, support_hours and 1 more"
            ],
        ),
        (
            "    annual_fee: 1e308\n",
            [
                f"{C}:5:17: customer.terms.annual_fee: expected a number of at most 1,000,000,000,000,000 (1e15), "
                "found 1e+308",
                f"{C}:5:17: customer.terms.annual_fee: the project has no 'indemnification' section, so there is no "
                "indemnification.annual_fee for this term to replace",
            ],
        ),
        ("    notification_hours: 24\n", []),  # the minimal project has security, though no indemnification
        (
            "    support_hours: {hours: business, time_zone: America/Chicag}\n",
            [
                f"{C}:5:20: customer.terms.support_hours: support hours of 'business' need 'business_hours' "
                "(e.g. 'Monday-Friday 08:00-18:00')",
                f"{C}:5:49: customer.terms.support_hours.time_zone: expected an IANA time zone name (e.g. Europe/London or "
                "UTC), found 'America/Chicag'; did you mean 'America/Chicago'?",
            ],
        ),
        (
            "    support_hours: {hours: business, business_hours: Monday-Friday 18:00-08:00, time_zone: UTC}\n",
            [f"{C}:5:54: customer.terms.support_hours.business_hours: support closes (08:00) before it opens (18:00)"],
        ),
        (
            "    support_hours: {hours: business, business_hours: weekdays, time_zone: UTC}\n",
            [
                f"{C}:5:54: customer.terms.support_hours.business_hours: expected days and hours such as "
                "'Monday-Friday 08:00-18:00', found 'weekdays'"
            ],
        ),
        ("    support_hours: {hours: business, business_hours: Monday–Friday 08:00–18:00, time_zone: UTC}\n", []),
        (
            "    data_residency: {stored_in: [United States, Canada], processed_in: [United States]}\n",
            [
                f"{C}:5:49: customer.terms.data_residency.stored_in[1]: the data is stored in 'Canada', so it is processed "
                "there too; add it to processed_in (now: United States)"
            ],
        ),
        (
            "    maintenance_window: {day: sunday, start: '2:00', duration_hours: 25, time_zone: UTC}\n",
            [
                f"{C}:5:31: customer.terms.maintenance_window.day: expected one of: Monday, Tuesday, Wednesday, Thursday, "
                "Friday, Saturday, Sunday; found 'sunday'; did you mean 'Sunday'?",
                f'{C}:5:46: customer.terms.maintenance_window.start: expected a time of day such as "02:00" (24-hour, '
                "quoted), found '2:00'",
                f"{C}:5:70: customer.terms.maintenance_window.duration_hours: expected a number of at most 24, found 25",
            ],
        ),
    ],
)
def test_customer_terms_are_checked_in_the_customer_file(check, terms, expected):
    assert check(terms) == expected


def test_every_problem_of_project_and_customer_in_one_run(check):
    lines = check("    credit_cap_percent: 20\n    commitments: [{service: app, commitment_percent: 100}]\n")
    assert lines == [
        f"{C}:5:25: customer.terms.credit_cap_percent: the credit cap 20 % is below the highest tier's credit 50 %",
        f"{C}:6:54: customer.terms.commitments[0].commitment_percent: expected a commitment below 100 %, found 100",
    ]
