"""Threat-register hygiene: overdue reviews, unowned open risks, unused and dangling references."""

from __future__ import annotations

import datetime as dt

import pytest
from threat_factory import TODAY, at, check, threat, threat_model, web_stack

from trustdocs.model.threats import Exemption, Mitigation, Rating


def hygiene(model, today: dt.date = TODAY) -> list[tuple[str, str, str]]:
    report = check(web_stack(), model, today)
    return [(f.id, f.severity, f.message) for f in report.findings if f.category == "hygiene"]


@pytest.mark.parametrize(
    "status,review_by,expected",
    [
        (
            "accepted",
            dt.date(2026, 3, 13),
            [
                (
                    "HYG-REVIEW-OVERDUE:T-1",
                    "low",
                    "the accepted risk 'T-1' (Threat T-1) was due for review on 2026-03-13, 1 day(s) ago",
                )
            ],
        ),
        (
            "transferred",
            dt.date(2025, 3, 14),
            [
                (
                    "HYG-REVIEW-OVERDUE:T-1",
                    "low",
                    "the transferred risk 'T-1' (Threat T-1) was due for review on 2025-03-14, 365 day(s) ago",
                )
            ],
        ),
        ("accepted", TODAY, []),
        ("open", dt.date(2026, 1, 1), []),
    ],
)
def test_review_overdue(status: str, review_by: dt.date, expected: list) -> None:
    model = threat_model(
        [threat("T-1", "S", "api", status=status, owner="Ada", review_by=review_by, residual=Rating("rare", "major"))]
    )
    assert hygiene(model) == expected


def test_an_overdue_review_takes_the_residual_severity() -> None:
    model = threat_model(
        [
            threat(
                "T-1",
                "S",
                "api",
                status="accepted",
                owner="Ada",
                review_by=dt.date(2026, 1, 1),
                likelihood="likely",
                impact="severe",
            )
        ]
    )
    assert hygiene(model)[0][:2] == ("HYG-REVIEW-OVERDUE:T-1", "critical")


@pytest.mark.parametrize(
    "status,likelihood,impact,owner,expected",
    [
        (
            "open",
            "possible",
            "major",
            None,
            [("HYG-OWNER-MISSING:T-1", "high", "the high risk 'T-1' (Threat T-1) is open and has no owner")],
        ),
        (
            "in_progress",
            "likely",
            "severe",
            "  ",
            [
                (
                    "HYG-OWNER-MISSING:T-1",
                    "critical",
                    "the critical risk 'T-1' (Threat T-1) is in progress and has no owner",
                )
            ],
        ),
        ("open", "possible", "moderate", None, []),
        ("open", "possible", "major", "Ada", []),
        ("mitigated", "possible", "major", None, []),
    ],
)
def test_open_high_risk_without_owner(
    status: str, likelihood: str, impact: str, owner: str | None, expected: list
) -> None:
    model = threat_model(
        [
            threat(
                "T-1",
                "S",
                "api",
                status=status,
                likelihood=likelihood,
                impact=impact,
                owner=owner,
                mitigations=("M-1",),
            )
        ],
        mitigations=[Mitigation("M-1", "MFA")],
    )
    assert hygiene(model) == expected


def test_unused_mitigation() -> None:
    model = threat_model(
        [threat("T-1", "S", "api", mitigations=("M-1",))],
        mitigations=[Mitigation("M-1", "MFA"), Mitigation("M-2", "WAF", loc=at(30, "threats.yaml"))],
    )
    report = check(web_stack(), model)
    (finding,) = [f for f in report.findings if f.category == "hygiene"]
    assert (finding.id, finding.severity, finding.message, finding.location) == (
        "HYG-MITIGATION-UNUSED:M-2",
        "low",
        "mitigation 'M-2' (WAF) is not referenced by any threat",
        at(30, "threats.yaml"),
    )


def test_targets_that_no_longer_exist() -> None:
    model = threat_model([threat("T-1", "S", "api", "old-db", "old-queue"), threat("T-2", "S", "gone")])
    assert hygiene(model) == [
        (
            "HYG-TARGET-UNKNOWN:T-1",
            "medium",
            "threat 'T-1' targets 'old-db', 'old-queue', which are not elements of the architecture",
        ),
        (
            "HYG-TARGET-UNKNOWN:T-2",
            "medium",
            "threat 'T-2' targets 'gone', which is not an element of the architecture",
        ),
    ]


def test_a_boundary_is_a_valid_target() -> None:
    assert hygiene(threat_model([threat("T-1", "S", "vpc")])) == []


def test_unknown_mitigation() -> None:
    model = threat_model([threat("T-1", "S", "api", mitigations=("M-9",))])
    assert hygiene(model) == [
        (
            "HYG-MITIGATION-UNKNOWN:T-1",
            "medium",
            "threat 'T-1' lists mitigation(s) 'M-9', which threat_model.mitigations does not define",
        )
    ]


def test_mitigated_with_only_planned_mitigations() -> None:
    model = threat_model(
        [
            threat("T-1", "S", "api", status="mitigated", mitigations=("M-1", "M-2")),
            threat("T-2", "T", "api", status="mitigated", mitigations=("M-1", "M-3")),
        ],
        mitigations=[
            Mitigation("M-1", "a", status="planned"),
            Mitigation("M-2", "b", status="planned"),
            Mitigation("M-3", "c", status="partial"),
        ],
    )
    assert hygiene(model) == [
        (
            "HYG-MITIGATION-PLANNED:T-1",
            "medium",
            "threat 'T-1' is marked mitigated, but its mitigation(s) 'M-1', 'M-2' are only planned",
        )
    ]


def test_hygiene_findings_are_exempted_by_id_only() -> None:
    model = threat_model(
        mitigations=[Mitigation("M-1", "MFA")],
        exemptions=[
            Exemption("Kept for the roadmap.", finding="HYG-MITIGATION-UNUSED:M-1"),
            Exemption("Whole element.", element="M-1"),
        ],
    )
    report = check(web_stack(), model)
    finding = next(f for f in report.findings if f.id == "HYG-MITIGATION-UNUSED:M-1")
    assert (finding.exempted, finding.justification) == (True, "Kept for the roadmap.")
    assert "HYG-EXEMPTION-UNUSED:M-1" in {f.id for f in report.active}


def test_unused_exemption_by_finding_id() -> None:
    model = threat_model(exemptions=[Exemption("Typo.", finding="COV-S:usr")])
    assert (
        "HYG-EXEMPTION-UNUSED:COV-S:usr",
        "low",
        "the exemption for finding 'COV-S:usr' matches no finding",
    ) in hygiene(model)
