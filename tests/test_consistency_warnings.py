"""Consistency warnings: statements of the project that contradict each other, each citing both locations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trustdocs.cli import main
from trustdocs.project import load_project
from trustdocs.validate.consistency import promised_processing
from trustdocs.validate.geography import places_in, within

PLANTED = Path(__file__).parent / "data" / "planted"
SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs" / "acme"
TODAY = dt.date(2026, 11, 1)

PLANTED_WARNINGS = [
    "legal/support.yaml:91:135: support.targets[0].root_cause_report: warning: severity 'sev1' (Critical) covers "
    "security incidents, but the Standard plan's root-cause report (10 business days) is later than the "
    "incident-response commitment of 5 business days at security/programme.yaml:154:24",
    "security/programme.yaml:173:18: security.continuity.description: warning: the text says 'RTO of 8 hours' for "
    "the recovery time objective, but the figure is 4 hours at security/programme.yaml:163:16",
    "security/programme.yaml:242:17: security.subprocessors[3].location: warning: Twilio Ireland Limited (SendGrid) "
    "processes customer data in United States, but the data residency statement at security/programme.yaml:185:21 "
    "says it is processed in EU",
    "security/programme.yaml:250:17: security.subprocessors[5].location: warning: TrueLayer Limited processes "
    "customer data in United Kingdom, but the data residency statement at security/programme.yaml:185:21 says it "
    "is processed in EU",
    "security/programme.yaml:258:17: security.subprocessors[7].location: warning: Arctic Wolf Networks, Inc. "
    "processes customer data in United States, but the data residency statement at "
    "security/programme.yaml:185:21 says it is processed in EU",
    "security/programme.yaml:266:15: security.retention[0].period: warning: a retention period is given for data "
    "asset 'static-assets', but no data store or subprocessor holds it at rest (the data asset at "
    "architecture.yaml:310:7); list it in the 'stores' of the data store that keeps it, or remove the retention",
    "security/threats.yaml:689:18: threat_model.threats[34].review_by: warning: the accepted risk's review-by date "
    "2026-06-30 has passed",
    "trustdocs.yaml:94:16: document.revisions[5].summary: warning: 'Snowflake Inc' is named as a subprocessor but "
    "is not in the subprocessor list at security/programme.yaml:228:5",
]
GLOBEX_NOTIFICATION = (
    "security/programme.yaml:156:18: security.incident_response.description: warning: the text says 'notified "
    "within 48 hours' for the customer notification of a security incident, but the figure is 24 hours at "
    "customers/globex.yaml:45:25"
)


def _warnings(monkeypatch: pytest.MonkeyPatch, customer: str | None = None) -> list[str]:
    monkeypatch.chdir(PLANTED)
    result = load_project(Path("."), Path(customer) if customer else None, today=TODAY)
    return [str(w) for w in result.warnings]


def test_each_planted_contradiction_is_one_warning_citing_both_statements(monkeypatch):
    assert _warnings(monkeypatch) == PLANTED_WARNINGS


def test_prose_is_checked_against_the_customers_negotiated_figure(monkeypatch):
    # 48 hours in the prose agrees with the standard terms but not with Globex's negotiated 24 hours.
    assert _warnings(monkeypatch, "customers/globex.yaml") == sorted([*PLANTED_WARNINGS, GLOBEX_NOTIFICATION])


@pytest.mark.parametrize("customer", [None, SAMPLE / "customers" / "globex.yaml"])
def test_the_sample_has_no_warning(customer):
    assert load_project(SAMPLE, customer, today=TODAY).warnings == ()


def test_strict_fails_on_the_planted_warnings(runner, monkeypatch):
    monkeypatch.chdir(PLANTED)
    result = runner.invoke(main, ["validate", ".", "--strict"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [*PLANTED_WARNINGS, "trustdocs: 0 errors, 8 warnings"]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Customer data is stored and processed in the EU.", ("EU",)),
        (
            "It is processed in the EU, the United Kingdom and the United States, the last two only by staff.",
            ("EU", "United Kingdom", "United States"),
        ),
        ("Data is processed in Germany except by support staff in India.", ("Germany",)),
        ("Customer data is stored in the EU.", ()),
    ],
)
def test_promised_processing_reads_the_places_before_a_qualifier(text, places):
    assert promised_processing(text) == places


def test_places_ignore_legal_instruments_and_zones_contain_countries():
    assert places_in("EU region (Germany), with processing in the United States under the EU SCCs") == (
        "EU",
        "Germany",
        "United States",
    )
    assert within("Germany", ("EU",)) and within("Norway", ("EEA",)) and within("England", ("UK",))
    assert not within("Norway", ("EU",)) and not within("France", ("Germany",))
    assert not within("United Kingdom", ("EU",))


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        (
            "Affected customers are notified within 72 hours of confirming a security incident.",
            "the text says 'notified within 72 hours' for the customer notification of a security incident, but the "
            "figure is 48 hours at security.incident_response.notification_hours; 48 hours at "
            "indemnification.data_breach_indemnity.notice_hours",
        ),
        ("Customers are notified within 2 days.", None),  # 48 hours
        ("A full failover was rehearsed (RTO achieved: 2 h 40 min).", None),  # a test result, not a commitment
        (
            "Our recovery time objective (RTO) is 6 hours.",
            "the text says 'recovery time objective (RTO) is 6 hours' for the recovery time objective, but the figure "
            "is 4 hours at security.continuity.rto_hours",
        ),
        ("An RPO of 15 minutes.", None),
        (
            "Security logs are retained for 90 days.",
            "the text says 'Security logs are retained for 90 days' for the log retention, but the figure is 400 days at "
            "security.logging.retention_days",
        ),
        ("Backups are kept for 35 days.", None),
        (
            "Critical vulnerabilities are fixed within 24 hours.",
            "the text says 'Critical vulnerabilities are fixed within 24 hours' for the remediation of critical "
            "vulnerabilities, but the figure is 2 days at security.vulnerability_management.remediation.critical_days",
        ),
        ("We guarantee 99.9 % monthly uptime.", None),  # the API's commitment
        (
            "A 99.99 % availability commitment.",
            "the text says '99.99 % availability' for the availability commitment, but the figure is 99.9 % at "
            "sla.services[0].commitment_percent; 99.9 % at sla.services[1].commitment_percent; 99.5 % at "
            "sla.services[2].commitment_percent",
        ),
        ("If availability is below 99.0 % in three consecutive months the Customer may terminate.", None),
        ("A root-cause report follows within 5 business days.", None),
        (
            "Submit a claim within 45 days after the end of the month.",
            "the text says 'claim within 45 days after' for the service-credit claim window, but the figure is 30 days "
            "at sla.claims.deadline_days",
        ),
    ],
)
def test_a_figure_in_prose_is_compared_with_the_one_it_restates(text: str, flagged: str | None):
    from trustdocs.load import Positions
    from trustdocs.validate.prose_figures import prose_figure_warnings
    from trustdocs.validate.statements import ProjectStatements

    project = load_project(SAMPLE, today=TODAY).project
    found = prose_figure_warnings(project, ProjectStatements({"notes": {"text": text}}, Positions()))
    assert [p.message for p in found] == ([flagged] if flagged else [])
