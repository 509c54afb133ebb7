"""Valid values in messages (listed, capped, with a did-you-mean) and limits that hold in every file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trustdocs.errors import InputError
from trustdocs.load import Positions
from trustdocs.project import load_project
from trustdocs.validate.choices import did_you_mean, listed
from trustdocs.validate.semantic import Checker

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs" / "acme"


def test_a_long_list_of_choices_is_cut_after_twelve() -> None:
    assert listed(["a", "b", "c"]) == "a, b, c"
    names = [f"svc-{n:02d}" for n in range(1, 21)]
    assert listed(names) == (
        "svc-01, svc-02, svc-03, svc-04, svc-05, svc-06, svc-07, svc-08, svc-09, svc-10, svc-11, svc-12 and 8 more"
    )
    assert did_you_mean("svc-2O", names) == "; did you mean 'svc-20'?"
    assert did_you_mean("europe/london", ["Europe/London", "Europe/Lisbon"]) == "; did you mean 'Europe/London'?"
    assert did_you_mean("zzz", names) == ""


def test_a_reference_to_one_of_many_ids_lists_twelve_and_the_closest() -> None:
    checker = Checker(Positions())
    known = {f"svc-{n:02d}": () for n in range(1, 21)}
    checker.reference(("incidents", 0, "services", 0), "svc-2O", known, "service")
    checker.reference(("incidents", 1, "services", 0), "billing", known, "service")
    assert [str(p) for p in checker.problems] == [
        "incidents[0].services[0]: unknown service 'svc-2O'; expected one of: svc-01, svc-02, svc-03, svc-04, "
        "svc-05, svc-06, svc-07, svc-08, svc-09, svc-10, svc-11, svc-12 and 8 more; did you mean 'svc-20'?",
        "incidents[1].services[0]: unknown service 'billing'; expected one of: svc-01, svc-02, svc-03, svc-04, "
        "svc-05, svc-06, svc-07, svc-08, svc-09, svc-10, svc-11, svc-12 and 8 more",
    ]


@pytest.fixture
def sample_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE, tmp_path / "acme")
    return Path("acme")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _at(path: str, value: str) -> str:
    """LINE:COL of the first occurrence of `value` in a file of the sample (a location in a message)."""
    for number, line in enumerate((SAMPLE / path).read_text(encoding="utf-8").splitlines(), start=1):
        if value in line:
            return f"{number}:{line.index(value) + 1}"
    raise AssertionError(value)


def _errors(project: Path, customer: Path | None = None) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_project(project, customer)
    return [str(p) for p in caught.value.problems if p.severity == "error"]


def test_a_deposit_log_time_without_an_offset_is_located(sample_copy: Path) -> None:
    _edit(sample_copy / "legal" / "escrow-deposits.yaml", "date: 2026-04-30T16:12:09Z", "date: 2026-04-30T16:12:09")
    assert _errors(sample_copy) == [
        "acme/legal/escrow-deposits.yaml:4:11: deposits[0].date: the time '2026-04-30T16:12:09' needs a UTC offset: "
        "write 2026-04-30T16:12:09Z for UTC, or the offset in force then, e.g. 2026-04-30T16:12:09+01:00"
    ]


def test_every_time_zone_in_the_sample_is_checked_at_once(sample_copy: Path) -> None:
    _edit(sample_copy / "legal" / "sla.yaml", "time_zone: Europe/London", "time_zone: America/Chicag")
    _edit(sample_copy / "legal" / "support.yaml", "time_zone: Europe/London", "time_zone: Europe/Londn")
    _edit(sample_copy / "customers" / "globex.yaml", "time_zone: America/Chicago", "time_zone: US/Houston")
    assert _errors(sample_copy, sample_copy / "customers" / "globex.yaml") == [
        f"acme/customers/globex.yaml:{_at('customers/globex.yaml', 'America/Chicago')}: customer.terms.support_hours.time_zone: expected an IANA time zone name "
        "(e.g. Europe/London or UTC), found 'US/Houston'; did you mean 'US/Eastern'?",
        f"acme/legal/sla.yaml:{_at('legal/sla.yaml', 'Europe/London')}: sla.time_zone: expected an IANA time zone name (e.g. Europe/London or UTC), "
        "found 'America/Chicag'; did you mean 'America/Chicago'?",
        f"acme/legal/support.yaml:{_at('legal/support.yaml', 'Europe/London')}: support.plans[0].time_zone: expected an IANA time zone name "
        "(e.g. Europe/London or UTC), found 'Europe/Londn'; did you mean 'Europe/London'?",
    ]


def test_a_time_without_seconds_or_offset_gets_a_suggestion_that_is_valid(sample_copy: Path) -> None:
    _edit(sample_copy / "legal" / "incidents.yaml", "start: 2025-11-04T14:02:00Z", "start: 2025-11-04 14:02")
    assert _errors(sample_copy) == [
        f"acme/legal/incidents.yaml:{_at('legal/incidents.yaml', '2025-11-04T14:02:00Z')}: incidents[0].start: the time '2025-11-04 14:02' needs a UTC offset: "
        "write 2025-11-04T14:02:00Z for UTC, or the offset in force then, e.g. 2025-11-04T14:02:00+01:00"
    ]


def test_a_broken_customer_file_is_reported_with_the_project_s_problems(sample_copy: Path) -> None:
    _edit(sample_copy / "legal" / "sla.yaml", "time_zone: Europe/London", "time_zone: Europe/Londn")
    customer = sample_copy / "customers" / "globex.yaml"
    _edit(customer, "  short_name: Globex", "  short_name: [Globex")
    errors = _errors(sample_copy, customer)
    assert errors[0] == (
        "acme/customers/globex.yaml:9:12: YAML syntax error: did not find expected ',' or ']' "
        "(while parsing a flow sequence at line 8)"
    )
    assert errors[1].startswith(
        f"acme/legal/sla.yaml:{_at('legal/sla.yaml', 'Europe/London')}: sla.time_zone: expected an IANA time zone name"
    )
    assert len(errors) == 2


@pytest.mark.parametrize("command", [["sla", "report"], ["build", "-o", "out"], ["validate"]])
def test_build_and_sla_report_stop_at_validation_on_inputs_that_used_to_crash(
    sample_copy: Path, command: list[str]
) -> None:
    from click.testing import CliRunner

    from trustdocs.cli import main

    _edit(sample_copy / "legal" / "incidents.yaml", "start: 2025-11-04T14:02:00Z", "start: 2025-11-04T14:02:00")
    _edit(sample_copy / "legal" / "sla.yaml", "time_zone: Europe/London", "time_zone: America/Chicag")
    _edit(sample_copy / "legal" / "indemnification.yaml", "annual_fee: 240000", "annual_fee: 1e308")
    _edit(sample_copy / "trustdocs.yaml", "effective_date: 2026-11-01", "effective_date: 9999-12-31")
    args = (
        [command[0], *command[1:2], str(sample_copy), *command[2:]]
        if command[0] == "sla"
        else [command[0], str(sample_copy), *command[1:]]
    )
    result = CliRunner().invoke(main, args, prog_name="trustdocs")
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.splitlines()[:-1] if "warning:" not in line]
    assert errors == [
        f"acme/legal/incidents.yaml:{_at('legal/incidents.yaml', '2025-11-04T14:02:00Z')}: incidents[0].start: the time '2025-11-04T14:02:00' needs a UTC offset: "
        "write 2025-11-04T14:02:00Z for UTC, or the offset in force then, e.g. 2025-11-04T14:02:00+01:00",
        f"acme/legal/indemnification.yaml:{_at('legal/indemnification.yaml', '240000')}: indemnification.annual_fee: expected a number of at most "
        "1,000,000,000,000,000 (1e15), found 1e+308",
        f"acme/legal/sla.yaml:{_at('legal/sla.yaml', 'Europe/London')}: sla.time_zone: expected an IANA time zone name (e.g. Europe/London or UTC), "
        "found 'America/Chicag'; did you mean 'America/Chicago'?",
        f"acme/trustdocs.yaml:{_at('trustdocs.yaml', '2026-11-01')}: document.effective_date: expected a date in the years 1900 to 2999, "
        "found '9999-12-31'",
    ]
    assert result.stderr.splitlines()[-1].startswith("trustdocs: 4 errors")
    assert not Path("out").exists()
