"""`trustdocs sla budget` and `trustdocs sla report`: exact output, JSON values and usage errors."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

import trustdocs.cli.sla as sla_cli
from trustdocs.analyse.availability import service_history
from trustdocs.cli import main
from trustdocs.errors import InputError, Problem
from trustdocs.model.base import Location
from trustdocs.model.sla import (
    ChronicFailure,
    Claims,
    Credits,
    CreditTier,
    Incident,
    Maintenance,
    Service,
    Sla,
)

D = Decimal


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["sla", *args], prog_name="trustdocs")


# ------------------------------------------------------------------------------------------------- budget


def test_budget_for_a_30_day_month() -> None:
    result = run("budget", "99.9", "--month", "2026-04")
    assert result.exit_code == 0
    assert result.output == (
        "Commitment:        99.9 %\n"
        "Period:            2026-04 (UTC), 30 days, 2592000 s\n"
        "Allowed downtime:  43 min 12 s (2592 s)\n"
    )


def test_budget_for_a_london_year_and_a_dst_month() -> None:
    year = run("budget", "99.99", "--year", "2026", "--time-zone", "Europe/London")
    assert year.output.splitlines()[1:] == [
        "Period:            2026 (Europe/London), 365 days, 31536000 s",
        "Allowed downtime:  52 min 33.6 s (3153.6 s)",
    ]
    march = run("budget", "99.9", "--month", "2026-03", "--time-zone", "Europe/London")
    assert march.output.splitlines()[1:] == [
        "Period:            2026-03 (Europe/London), 31 days, 2674800 s",
        "Allowed downtime:  44 min 34.8 s (2674.8 s)",
    ]


def test_budget_json() -> None:
    result = run("budget", "99.9", "--month", "2026-04", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "commitment_percent": 99.9,
        "period": "2026-04",
        "time_zone": "UTC",
        "period_seconds": 2_592_000,
        "allowed_downtime_seconds": 2592.0,
        "allowed_downtime": "43 min 12 s",
    }
    quarter = json.loads(run("budget", "99.999", "--quarter", "2026-Q1", "--format", "json").output)
    assert (quarter["period"], quarter["period_seconds"]) == ("2026-Q1", 7_776_000)
    assert (quarter["allowed_downtime_seconds"], quarter["allowed_downtime"]) == (77.76, "1 min 17.8 s")
    leap = json.loads(run("budget", "99.9", "--month", "2028-02", "--format", "json").output)
    assert (leap["period_seconds"], leap["allowed_downtime_seconds"]) == (2_505_600, 2505.6)


@pytest.mark.parametrize(
    "args,message",
    [
        (("99.9",), "give exactly one of --month YYYY-MM, --quarter YYYY-QN or --year YYYY"),
        (
            ("99.9", "--month", "2026-04", "--year", "2026"),
            "give exactly one of --month YYYY-MM, --quarter YYYY-QN or --year YYYY",
        ),
        (
            ("100", "--month", "2026-04"),
            "Invalid value for 'PERCENT': expected a percentage above 0 and below 100, found '100'",
        ),
        (
            ("0", "--month", "2026-04"),
            "Invalid value for 'PERCENT': expected a percentage above 0 and below 100, found '0'",
        ),
        (("abc", "--month", "2026-04"), "Invalid value for 'PERCENT': expected a percentage such as 99.9, found 'abc'"),
        (("99.9", "--month", "2026-13"), "Invalid value for '--month': expected a month as YYYY-MM, found '2026-13'"),
        (
            ("99.9", "--quarter", "2026-Q5"),
            "Invalid value for '--quarter': expected a quarter as YYYY-QN, found '2026-Q5'",
        ),
        (
            ("99.9", "--year", "2026", "--time-zone", "Mars/Base"),
            "Invalid value for '--time-zone': unknown time zone 'Mars/Base' "
            "(expected an IANA name such as 'Europe/London' or 'UTC')",
        ),
        (
            ("99.9", "--year", "2026", "--time-zone", "Europe/Londn"),
            "Invalid value for '--time-zone': unknown time zone 'Europe/Londn' "
            "(expected an IANA name such as 'Europe/London' or 'UTC'); did you mean 'Europe/London'?",
        ),
    ],
)
def test_budget_usage_errors(args: tuple[str, ...], message: str) -> None:
    result = run("budget", *args)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: {message}"


# ------------------------------------------------------------------------------------------------- report

CREDITS = Credits(
    tiers=(CreditTier(D("99.0"), D(10)), CreditTier(D("95.0"), D(25)), CreditTier(D(0), D(100))), cap_percent=D(100)
)
SLA = Sla(
    services=(Service("api", "API", D("99.9")), Service("web", "Web app", D("99.95"))),
    measurement_period="month",
    time_zone="Europe/London",
    downtime_definition="errors",
    minimum_downtime_minutes=1,
    credits=CREDITS,
    maintenance=Maintenance(48, 10),
    claims=Claims(30, "portal"),
    chronic_failure=ChronicFailure(D("99.94"), 2, "termination"),
)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


INCIDENTS = (
    # 23:30 BST on 31 May to 00:30 BST on 1 June: split between May and June.
    Incident("inc-1", at("2026-05-31T22:30:00Z"), at("2026-05-31T23:30:00Z"), ("api", "web"), "sev1", "outage"),
    Incident("inc-2", at("2026-06-10T10:00:00Z"), at("2026-06-10T14:00:00Z"), ("api",), "sev1", "database"),
    Incident(
        "mnt-1",
        at("2026-06-20T01:00:00Z"),
        at("2026-06-20T03:00:00Z"),
        ("web",),
        "sev3",
        "upgrade",
        excluded=True,
        exclusion_reason="scheduled maintenance",
    ),
)


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, Path | None]]:
    calls: list[tuple[Path, Path | None]] = []
    warning = Problem(Location("trustdocs.yaml", 3, 5), "sla.status_page", "no status page is given", "warning")

    def fake_load(project: Path, customer: Path | None) -> Any:
        calls.append((project, customer))
        return SimpleNamespace(project=SimpleNamespace(sla=SLA, incidents=INCIDENTS), warnings=(warning,))

    monkeypatch.setattr(sla_cli, "_load", fake_load)
    return calls


def test_report_json(loaded: list[Any], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["sla", "report", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == "trustdocs.yaml:3:5: sla.status_page: warning: no status page is given\n"
    assert loaded == [(tmp_path, None)]
    rows = json.loads(result.stdout)
    assert [(r["month"], r["service"]) for r in rows] == [
        ("2026-05", "api"),
        ("2026-05", "web"),
        ("2026-06", "api"),
        ("2026-06", "web"),
    ]
    assert rows[2] == {
        "month": "2026-06",
        "service": "api",
        "period_seconds": 2_592_000,
        "downtime_seconds": 16_200.0,
        "excluded_seconds": 0.0,
        "availability_percent": 99.375,
        "commitment_percent": 99.9,
        "met": False,
        "credit_percent": 10.0,
        "allowed_downtime_seconds": 2592.0,
    }
    may_web, june_web = rows[1], rows[3]
    # 30 minutes of 2,678,400 s: 99.932795698...%, cut (not rounded) after 6 decimals.
    assert (may_web["downtime_seconds"], may_web["availability_percent"], may_web["met"]) == (1800.0, 99.932795, False)
    assert (june_web["downtime_seconds"], june_web["excluded_seconds"]) == (1800.0, 7200.0)
    assert june_web["allowed_downtime_seconds"] == 1296.0


def test_report_json_equals_an_independent_computation(loaded: list[Any], tmp_path: Path) -> None:
    rows = json.loads(CliRunner().invoke(main, ["sla", "report", str(tmp_path), "--format", "json"]).stdout)
    for row in rows:
        period_seconds = 30 * 86_400 if row["month"] == "2026-06" else 31 * 86_400
        expected = 100 * (period_seconds - row["downtime_seconds"]) / period_seconds
        assert row["period_seconds"] == period_seconds
        assert abs(row["availability_percent"] - expected) < 1e-6
        assert row["met"] == (row["availability_percent"] >= row["commitment_percent"])


def test_report_text(loaded: list[Any], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["sla", "report", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stdout == (
        "Period   Service  Availability  Commitment  Met    Downtime  Excluded        Allowed  Credit\n"
        "-------  -------  ------------  ----------  ---  ----------  --------  -------------  ------\n"
        "2026-05  api          99.932 %      99.9 %  yes      30 min       0 s  44 min 38.4 s     0 %\n"
        "2026-05  web          99.932 %     99.95 %  no       30 min       0 s  22 min 19.2 s    10 %\n"
        "2026-06  api          99.375 %      99.9 %  no   4 h 30 min       0 s    43 min 12 s    10 %\n"
        "2026-06  web          99.930 %     99.95 %  no       30 min       2 h    21 min 36 s    10 %\n"
        "Chronic failure: api below 99.94 % in 2026-05, 2026-06\n"
        "Chronic failure: web below 99.94 % in 2026-05, 2026-06\n"
    )


def test_report_range_and_customer(loaded: list[Any], tmp_path: Path) -> None:
    customer = tmp_path / "globex.yaml"
    customer.write_text("customer: {}\n")
    result = CliRunner().invoke(
        main,
        [
            "sla",
            "report",
            str(tmp_path),
            "--from",
            "2026-06",
            "--to",
            "2026-07",
            "--customer",
            str(customer),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0
    assert loaded == [(tmp_path, customer)]
    assert [(r["month"], r["service"]) for r in json.loads(result.stdout)] == [
        ("2026-06", "api"),
        ("2026-06", "web"),
        ("2026-07", "api"),
        ("2026-07", "web"),
    ]


def test_report_without_incidents_or_sla(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    project = SimpleNamespace(sla=SLA, incidents=())
    monkeypatch.setattr(sla_cli, "_load", lambda p, c: SimpleNamespace(project=project, warnings=()))
    assert run("report", str(tmp_path), "--format", "json").output == "[]\n"
    assert run("report", str(tmp_path)).output == (
        "No periods to report: the incident log is empty (give --from and --to to list periods).\n"
    )
    project.sla = None
    result = run("report", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == "Error: the project has no 'sla' section, so there is no availability to report\n"


def test_report_input_errors_exit_1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken(project: Path, customer: Path | None) -> Any:
        raise InputError([Problem(Location("trustdocs.yaml", 12, 3), "incidents.0.end", "bad date")])

    monkeypatch.setattr(sla_cli, "_load", broken)
    result = run("report", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == "trustdocs.yaml:12:3: incidents.0.end: bad date\ntrustdocs: 1 error\n"


def test_report_usage_errors(tmp_path: Path) -> None:
    result = run("report", str(tmp_path), "--from", "2026-03", "--to", "2026-01")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: Invalid value for '--to': 2026-01 is before --from 2026-03"
    result = run("report", str(tmp_path), "--from", "March")
    assert result.exit_code == 2
    assert (
        result.output.splitlines()[-1] == "Error: Invalid value for '--from': expected a month as YYYY-MM, "
        "found 'March'"
    )


SAMPLE = Path(__file__).parent.parent / "sample_inputs" / "acme"


def test_report_on_the_sample_matches_the_history() -> None:
    """Through the real loader, once the sample project exists."""
    if not (SAMPLE / "trustdocs.yaml").exists():
        pytest.skip("sample_inputs/acme is not written yet")
    from trustdocs.project import load_project

    project = load_project(SAMPLE).project
    result = run("report", str(SAMPLE), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [sla_cli.row_json(r) for r in service_history(project.sla, project.incidents)]


def test_budget_with_a_project_uses_its_sla_time_zone() -> None:
    # The sample's SLA is measured in Europe/London: March 2026 loses an hour to BST (2,674,800 s).
    result = run("budget", "99.9", "--month", "2026-03", "--project", str(SAMPLE))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Commitment:        99.9 %\n"
        "Period:            2026-03 (Europe/London), 31 days, 2674800 s\n"
        "Allowed downtime:  44 min 34.8 s (2674.8 s)\n"
    )
    named = json.loads(
        run(
            "budget", "99.9", "--month", "2026-03", "--project", str(SAMPLE), "--time-zone", "UTC", "--format", "json"
        ).stdout
    )
    assert (named["time_zone"], named["period_seconds"], named["allowed_downtime_seconds"]) == (
        "UTC",
        2_678_400,
        2678.4,
    )


def test_budget_with_a_project_without_an_sla(tmp_path: Path) -> None:
    (tmp_path / "trustdocs.yaml").write_text(
        (Path(__file__).parent / "data" / "minimal.yaml").read_text().split("\nsla:\n")[0] + "\n", encoding="utf-8"
    )
    result = run("budget", "99.9", "--month", "2026-03", "--project", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[-1] == (
        f"Error: the project {tmp_path.as_posix()} has no 'sla' section, so it has no SLA time zone; give --time-zone"
    )


def test_report_json_names_a_quarter_a_quarter(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    quarterly = SimpleNamespace(sla=Sla(**{**SLA.__dict__, "measurement_period": "quarter"}), incidents=INCIDENTS)
    monkeypatch.setattr(sla_cli, "_load", lambda p, c: SimpleNamespace(project=quarterly, warnings=()))
    rows = json.loads(run("report", str(tmp_path), "--format", "json").stdout)
    assert [(r["quarter"], r["service"]) for r in rows] == [("2026-Q2", "api"), ("2026-Q2", "web")]
    assert all("month" not in r for r in rows)
    # Q2 2026 in London: 91 days; api is down inc-1's whole hour (which months split 30 + 30 min) + inc-2's 4 h.
    assert (rows[0]["period_seconds"], rows[0]["downtime_seconds"]) == (91 * 86_400, 18_000.0)
