"""Availability arithmetic: periods, allowances against published figures, the history, credits; durations and
support targets, whose wording the SLA addendum prints next to them."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from trustdocs.analyse.availability import (
    ChronicBreach,
    Period,
    allowance_table,
    chronic_failure,
    credit_for,
    credit_tier,
    downtime_allowance,
    parse_period,
    period_containing,
    periods_between,
    service_history,
    worked_example,
)
from trustdocs.analyse.durations import format_duration, format_percent
from trustdocs.analyse.support import describe_target, is_business_time, target_minutes
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
UTC = dt.UTC

CREDITS = Credits(
    tiers=(CreditTier(D("99.0"), D(10)), CreditTier(D("95.0"), D(25)), CreditTier(D(0), D(100))), cap_percent=D(100)
)


def make_sla(
    *,
    zone: str = "UTC",
    period: str = "month",
    minimum: int = 0,
    credits: Credits = CREDITS,
    services: tuple[Service, ...] | None = None,
) -> Sla:
    services = services or (Service("api", "API", D("99.9")), Service("web", "Web app", D("99.9")))
    return Sla(
        services=services,
        measurement_period=period,
        time_zone=zone,  # type: ignore[arg-type]
        downtime_definition="more than 5 % of requests fail",
        minimum_downtime_minutes=minimum,
        credits=credits,
        maintenance=Maintenance(48, 10),
        claims=Claims(30, "support portal"),
    )


def incident(ident: str, start: str, end: str, *services: str, excluded: bool = False) -> Incident:
    return Incident(
        ident,
        dt.datetime.fromisoformat(start),
        dt.datetime.fromisoformat(end),
        services or ("api",),
        "sev1",
        "outage",
        excluded,
        "maintenance" if excluded else "",
    )


def rows_by(rows, label: str, service: str = "api"):
    return next(r for r in rows if r.period.label == label and r.service == service)


# ------------------------------------------------------------------------------------- published allowances

# DOMAIN.md's table: commitment -> 28-day month, 30-day month, 31-day month, 90-day quarter, 365-day year.
PUBLISHED = {
    "99.0": ("6 h 43 min 12 s", "7 h 12 min", "7 h 26 min 24 s", "21 h 36 min", "3 d 15 h 36 min"),
    "99.5": ("3 h 21 min 36 s", "3 h 36 min", "3 h 43 min 12 s", "10 h 48 min", "1 d 19 h 48 min"),
    "99.9": ("40 min 19.2 s", "43 min 12 s", "44 min 38.4 s", "2 h 9 min 36 s", "8 h 45 min 36 s"),
    "99.95": ("20 min 9.6 s", "21 min 36 s", "22 min 19.2 s", "1 h 4 min 48 s", "4 h 22 min 48 s"),
    "99.99": ("4 min 1.9 s", "4 min 19.2 s", "4 min 27.8 s", "12 min 57.6 s", "52 min 33.6 s"),
    "99.999": ("24.2 s", "25.9 s", "26.8 s", "1 min 17.8 s", "5 min 15.4 s"),
}


@pytest.mark.parametrize("commitment", PUBLISHED)
@pytest.mark.parametrize("column,days", [(0, 28), (1, 30), (2, 31), (3, 90), (4, 365)])
def test_allowance_matches_the_published_table(commitment: str, column: int, days: int) -> None:
    assert format_duration(downtime_allowance(D(commitment), days * 86_400)) == PUBLISHED[commitment][column]


def test_allowances_are_exact_seconds() -> None:
    assert downtime_allowance(D("99.9"), 30 * 86_400) == D(2592)
    assert str(downtime_allowance(D("99.9"), 30 * 86_400)) == "2592"
    assert str(downtime_allowance(D("99.9"), 31 * 86_400)) == "2678.4"
    assert str(downtime_allowance(D("99.99"), 365 * 86_400)) == "3153.6"
    assert str(downtime_allowance(D("99.999"), 28 * 86_400)) == "24.192"
    assert downtime_allowance(D(100), 86_400) == 0


def test_allowance_rejects_a_commitment_outside_0_to_100() -> None:
    with pytest.raises(ValueError, match=r"^expected a commitment from 0 to 100 %, found 100.5$"):
        downtime_allowance(D("100.5"), 86_400)


def test_allowance_table_has_every_month_quarter_and_year_length() -> None:
    table = allowance_table([D("99.95"), D("99.9"), D("99.90")])
    assert [row.commitment_percent for row in table] == [D("99.9"), D("99.95")]
    row = table[0]
    assert [(a.period, a.text) for a in row.allowances] == [
        ("28-day month", "40 min 19.2 s"),
        ("29-day month", "41 min 45.6 s"),
        ("30-day month", "43 min 12 s"),
        ("31-day month", "44 min 38.4 s"),
        ("90-day quarter", "2 h 9 min 36 s"),
        ("91-day quarter", "2 h 11 min 2.4 s"),
        ("92-day quarter", "2 h 12 min 28.8 s"),
        ("365-day year", "8 h 45 min 36 s"),
        ("366-day year", "8 h 47 min 2.4 s"),
    ]
    assert row.for_days(29).seconds == D("2505.6")
    assert row.for_days(29).period_seconds == 2_505_600


# ---------------------------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    "seconds,text",
    [
        (D(0), "0 s"),
        (D("0.04"), "0 s"),
        (D("0.05"), "0.1 s"),
        (D("24.192"), "24.2 s"),
        (D(60), "1 min"),
        (D("2592.0"), "43 min 12 s"),
        (D("2678.4"), "44 min 38.4 s"),
        (D(315_360), "3 d 15 h 36 min"),
        (D(86_400), "1 d"),
        (D(90_001), "1 d 1 h 1 s"),
        (D("59.96"), "1 min"),
        (3600, "1 h"),
        (Fraction(1, 20), "0.1 s"),
        (Fraction(3153, 1), "52 min 33 s"),
    ],
)
def test_format_duration(seconds: Decimal, text: str) -> None:
    assert format_duration(seconds) == text


def test_format_duration_rejects_negative_time() -> None:
    with pytest.raises(ValueError, match=r"^a duration cannot be negative, found -1 s$"):
        format_duration(D(-1))


def test_format_percent_cuts_rather_than_rounds() -> None:
    assert format_percent(Fraction(998999, 10_000)) == "99.899"
    assert format_percent(D(100)) == "100.000"
    assert format_percent(Fraction(2, 3) * 100, 6) == "66.666666"


# ------------------------------------------------------------------------------------------------ periods


def test_a_london_month_with_the_clocks_going_forward_is_an_hour_short() -> None:
    march = Period.month(2026, 3, "Europe/London")
    assert (march.days, march.seconds) == (31, 31 * 86_400 - 3_600)
    assert march.start.isoformat() == "2026-03-01T00:00:00+00:00"
    assert march.end.isoformat() == "2026-04-01T00:00:00+01:00"
    october = Period.month(2026, 10, "Europe/London")
    assert october.seconds == 31 * 86_400 + 3_600
    assert Period.month(2026, 3, "UTC").seconds == 31 * 86_400


def test_period_lengths() -> None:
    assert Period.month(2028, 2, "UTC").seconds == 29 * 86_400
    assert Period.month(2026, 2, "UTC").seconds == 28 * 86_400
    assert Period.month(2026, 12, "UTC").label == "2026-12"
    assert Period.quarter(2026, 1, "UTC").seconds == 90 * 86_400
    assert Period.quarter(2028, 1, "UTC").seconds == 91 * 86_400
    assert Period.quarter(2026, 3, "UTC").seconds == 92 * 86_400
    assert Period.quarter(2026, 1, "Europe/London").seconds == 90 * 86_400 - 3_600
    assert Period.quarter(2026, 4, "UTC").end.isoformat() == "2027-01-01T00:00:00+00:00"
    assert (Period.year(2028, "UTC").label, Period.year(2028, "UTC").seconds) == ("2028", 366 * 86_400)
    assert Period.year(2026, "Europe/London").seconds == 365 * 86_400


def test_period_containing_uses_local_time() -> None:
    moment = dt.datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 July in London (BST)
    assert period_containing(moment, "month", "Europe/London").label == "2026-07"
    assert period_containing(moment, "month", "UTC").label == "2026-06"
    assert period_containing(moment, "quarter", "Europe/London").label == "2026-Q3"
    assert period_containing(dt.date(2026, 5, 5), "year", "UTC").label == "2026"


def test_periods_between() -> None:
    labels = [p.label for p in periods_between(dt.date(2025, 11, 20), dt.date(2026, 2, 1), "month", "UTC")]
    assert labels == ["2025-11", "2025-12", "2026-01", "2026-02"]
    quarters = periods_between(dt.date(2025, 12, 31), dt.date(2026, 4, 1), "quarter", "Europe/London")
    assert [p.label for p in quarters] == ["2025-Q4", "2026-Q1", "2026-Q2"]
    with pytest.raises(ValueError, match=r"^the range starts \(2026-03\) after it ends \(2026-01\)$"):
        periods_between(dt.date(2026, 3, 1), dt.date(2026, 1, 1), "month", "UTC")


@pytest.mark.parametrize(
    "text,kind,message",
    [
        ("2026-13", "month", "expected a month as YYYY-MM, found '2026-13'"),
        ("2026-4", "month", "expected a month as YYYY-MM, found '2026-4'"),
        ("2026-Q5", "quarter", "expected a quarter as YYYY-QN, found '2026-Q5'"),
        ("26", "year", "expected a year as YYYY, found '26'"),
        ("0001", "year", "expected a year from 1900 to 9998, found '0001'"),
        ("9999-12", "month", "expected a year from 1900 to 9998, found '9999-12'"),
    ],
)
def test_parse_period_errors(text: str, kind: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_period(text, kind)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_parse_period_and_unknown_zone() -> None:
    assert parse_period("2026-q2", "quarter", "UTC").label == "2026-Q2"
    with pytest.raises(ValueError) as caught:
        Period.month(2026, 1, "Mars/Olympus")
    assert str(caught.value) == (
        "unknown time zone 'Mars/Olympus' (expected an IANA name such as 'Europe/London' or 'UTC')"
    )


# ------------------------------------------------------------------------------------------------ history


def test_february_of_a_leap_year_allows_less_downtime() -> None:
    # 2028-02 has 29 days: 2,505,600 s; 99.9 % allows 2,505.6 s = 41 min 45.6 s.
    sla = make_sla()
    met = service_history(sla, [incident("i1", "2028-02-10T10:00:00+00:00", "2028-02-10T10:41:45+00:00")])
    row = rows_by(met, "2028-02")
    assert (row.period_seconds, row.downtime_seconds, row.allowed_downtime_seconds) == (2_505_600, 2505, D("2505.6"))
    assert row.met and row.credit_percent == 0
    assert row.availability == Fraction(2_505_600 - 2505, 2_505_600) * 100
    missed = rows_by(
        service_history(sla, [incident("i1", "2028-02-10T10:00:00+00:00", "2028-02-10T10:41:46+00:00")]), "2028-02"
    )
    assert not missed.met and missed.credit_percent == 10
    # The same 41 min 46 s in a 31-day month is within the 44 min 38.4 s allowed.
    march = rows_by(
        service_history(sla, [incident("i1", "2028-03-10T10:00:00+00:00", "2028-03-10T10:41:46+00:00")]), "2028-03"
    )
    assert march.met


def test_an_incident_crossing_midnight_at_the_end_of_a_london_month_is_split() -> None:
    # 22:30-23:30 UTC on 30 June is 23:30-00:30 BST: half in June, half in July.
    outage = incident("i1", "2026-06-30T22:30:00Z", "2026-06-30T23:30:00Z")
    rows = service_history(make_sla(zone="Europe/London"), [outage])
    assert [(r.period.label, r.service, r.downtime_seconds) for r in rows] == [
        ("2026-06", "api", 1800),
        ("2026-06", "web", 0),
        ("2026-07", "api", 1800),
        ("2026-07", "web", 0),
    ]
    june, july = rows_by(rows, "2026-06"), rows_by(rows, "2026-07")
    assert june.period.start.isoformat() == "2026-06-01T00:00:00+01:00"
    assert (june.period_seconds, july.period_seconds) == (30 * 86_400, 31 * 86_400)
    assert june.availability == 100 - Fraction(1800 * 100, 2_592_000)
    assert june.availability_percent == D("99.9305555555")
    assert july.availability_percent == D("99.9327956989")
    assert june.met and july.met
    # In UTC the whole hour falls in June.
    utc_rows = service_history(make_sla(), [outage])
    assert [(r.period.label, r.service, r.downtime_seconds) for r in utc_rows] == [
        ("2026-06", "api", 3600),
        ("2026-06", "web", 0),
    ]


def test_overlapping_incidents_on_two_services_count_once() -> None:
    rows = service_history(
        make_sla(),
        [
            incident("a", "2026-04-07T10:00:00Z", "2026-04-07T11:00:00Z", "api", "web"),
            incident("b", "2026-04-07T10:30:00Z", "2026-04-07T12:00:00Z", "api"),
        ],
    )
    api, web = rows_by(rows, "2026-04", "api"), rows_by(rows, "2026-04", "web")
    assert (api.downtime_seconds, web.downtime_seconds) == (7200, 3600)
    assert api.availability_percent == D("99.7222222222")  # 100 - 7200/2,592,000 = 100 - 1/3.6
    assert web.availability_percent == D("99.8611111111")
    assert (api.met, api.credit_percent, web.met, web.credit_percent) == (False, 10, False, 10)
    assert api.incidents == ("a", "b") and web.incidents == ("a",)


def test_excluded_maintenance_overlapping_an_outage_counts_as_excluded() -> None:
    rows = service_history(
        make_sla(),
        [
            incident("m", "2026-04-07T02:00:00Z", "2026-04-07T04:00:00Z", excluded=True),
            incident("o", "2026-04-07T03:00:00Z", "2026-04-07T05:00:00Z"),
        ],
    )
    api = rows_by(rows, "2026-04")
    assert (api.downtime_seconds, api.excluded_seconds) == (3600, 7200)
    assert api.availability == 100 - Fraction(3600 * 100, 2_592_000)


def test_an_outage_wholly_inside_maintenance_is_not_downtime() -> None:
    rows = service_history(
        make_sla(),
        [
            incident("m", "2026-04-07T02:00:00Z", "2026-04-07T04:00:00Z", excluded=True),
            incident("o", "2026-04-07T02:30:00Z", "2026-04-07T03:00:00Z"),
        ],
    )
    api = rows_by(rows, "2026-04")
    assert (api.downtime_seconds, api.excluded_seconds, api.met, api.availability) == (0, 7200, True, 100)


def test_minimum_downtime_applies_to_each_merged_interval() -> None:
    sla = make_sla(minimum=5)
    rows = service_history(
        sla,
        [
            incident("short", "2026-04-01T01:00:00Z", "2026-04-01T01:04:59Z"),  # 4 min 59 s: ignored
            incident("exact", "2026-04-02T01:00:00Z", "2026-04-02T01:05:00Z"),  # 5 min: counted
            incident("p1", "2026-04-03T01:00:00Z", "2026-04-03T01:03:00Z"),  # with p2: 5 min merged
            incident("p2", "2026-04-03T01:02:00Z", "2026-04-03T01:05:00Z"),
            incident("t1", "2026-04-04T01:00:00Z", "2026-04-04T01:03:00Z"),  # touching t2: 6 min
            incident("t2", "2026-04-04T01:03:00Z", "2026-04-04T01:06:00Z"),
            incident("g1", "2026-04-05T01:00:00Z", "2026-04-05T01:03:00Z"),  # 1 min gap: two blips
            incident("g2", "2026-04-05T01:04:00Z", "2026-04-05T01:07:00Z"),
            incident("edge", "2026-04-30T23:58:00Z", "2026-05-01T00:02:00Z"),  # 4 min in all: ignored
        ],
    )
    april, may = rows_by(rows, "2026-04"), rows_by(rows, "2026-05")
    assert april.downtime_seconds == 300 + 300 + 360
    assert may.downtime_seconds == 0
    assert april.incidents == ("short", "exact", "p1", "p2", "t1", "t2", "g1", "g2", "edge")


def test_the_minimum_applies_to_a_whole_outage_before_a_month_end_splits_it() -> None:
    # 23:58 on 31 May to 00:04 on 1 June (UTC): 6 minutes, 2 in May and 4 in June, minimum 5 minutes.
    sla = make_sla(minimum=5)
    rows = service_history(sla, [incident("split", "2026-05-31T23:58:00Z", "2026-06-01T00:04:00Z")])
    may, june = rows_by(rows, "2026-05"), rows_by(rows, "2026-06")
    assert (may.downtime_seconds, june.downtime_seconds) == (120, 240)
    assert may.availability == Fraction(31 * 86_400 - 120, 31 * 86_400) * 100
    assert june.availability == Fraction(30 * 86_400 - 240, 30 * 86_400) * 100
    assert (may.incidents, june.incidents) == (("split",), ("split",))


def test_merged_overlapping_incidents_across_a_month_end_reach_the_minimum_together() -> None:
    # a: 23:57-23:59 on 30 April (2 min); b: 23:58 on 30 April to 00:01 on 1 May (3 min), overlapping a.
    # Merged: 23:57-00:01, 4 minutes (3 in April, 1 in May): below 5, so nothing counts.
    # c touches b's end: 00:01-00:03, so the merged outage is 23:57-00:03, 6 minutes: 3 + 3 count.
    sla = make_sla(minimum=5)
    a = incident("a", "2026-04-30T23:57:00Z", "2026-04-30T23:59:00Z")
    b = incident("b", "2026-04-30T23:58:00Z", "2026-05-01T00:01:00Z")
    c = incident("c", "2026-05-01T00:01:00Z", "2026-05-01T00:03:00Z")
    short = service_history(sla, [a, b])
    assert (rows_by(short, "2026-04").downtime_seconds, rows_by(short, "2026-05").downtime_seconds) == (0, 0)
    joined = service_history(sla, [a, b, c])
    assert (rows_by(joined, "2026-04").downtime_seconds, rows_by(joined, "2026-05").downtime_seconds) == (180, 180)


def test_an_excluded_window_inside_a_split_outage_is_not_downtime() -> None:
    # Outage 23:50 on 30 June to 00:20 on 1 July (30 min, 10 in June, 20 in July); maintenance
    # 00:05-00:10 on 1 July inside it. June: 10 min; July: 20 - 5 = 15 min; 5 min excluded in July.
    sla = make_sla(minimum=5)
    rows = service_history(
        sla,
        [
            incident("o", "2026-06-30T23:50:00Z", "2026-07-01T00:20:00Z"),
            incident("m", "2026-07-01T00:05:00Z", "2026-07-01T00:10:00Z", excluded=True),
        ],
    )
    june, july = rows_by(rows, "2026-06"), rows_by(rows, "2026-07")
    assert (june.downtime_seconds, june.excluded_seconds) == (600, 0)
    assert (july.downtime_seconds, july.excluded_seconds) == (900, 300)
    # 6 minutes of outage holding 3 minutes of maintenance: the outage reaches the minimum, 3 minutes count.
    held = service_history(
        sla,
        [
            incident("o2", "2026-04-07T10:00:00Z", "2026-04-07T10:06:00Z"),
            incident("m2", "2026-04-07T10:01:00Z", "2026-04-07T10:04:00Z", excluded=True),
        ],
    )
    assert (rows_by(held, "2026-04").downtime_seconds, rows_by(held, "2026-04").excluded_seconds) == (180, 180)


def test_quarterly_measurement() -> None:
    sla = make_sla(period="quarter")
    rows = service_history(
        sla,
        [
            incident("jan", "2026-01-10T00:00:00Z", "2026-01-10T01:00:00Z"),
            incident("mar", "2026-03-10T00:00:00Z", "2026-03-10T02:00:00Z"),
        ],
    )
    assert [(r.period.label, r.service) for r in rows] == [("2026-Q1", "api"), ("2026-Q1", "web")]
    q1 = rows[0]
    assert (q1.period_seconds, q1.downtime_seconds, q1.allowed_downtime_seconds) == (7_776_000, 10_800, 7776)
    assert q1.met is False and q1.credit_percent == 10
    assert format_duration(q1.allowed_downtime_seconds) == "2 h 9 min 36 s"


def test_a_dst_month_is_measured_on_its_real_length() -> None:
    rows = service_history(
        make_sla(zone="Europe/London"), [incident("i", "2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z")]
    )
    march = rows_by(rows, "2026-03")
    assert march.period_seconds == 2_674_800
    assert march.availability == Fraction(2_674_800 - 3600, 2_674_800) * 100
    assert march.allowed_downtime_seconds == D("2674.8")


def test_range_defaults_to_the_incidents_and_can_be_widened_or_narrowed() -> None:
    sla = make_sla(services=(Service("api", "API", D("99.9")),))
    log = [
        incident("jan", "2026-01-10T00:00:00Z", "2026-01-10T01:00:00Z"),
        incident("mar", "2026-03-10T00:00:00Z", "2026-04-01T00:00:00Z"),
    ]  # ends exactly at midnight
    assert [r.period.label for r in service_history(sla, log)] == ["2026-01", "2026-02", "2026-03"]
    feb = rows_by(service_history(sla, log), "2026-02")
    assert (feb.downtime_seconds, feb.availability, feb.met, feb.incidents) == (0, 100, True, ())
    widened = service_history(sla, log, first=dt.date(2025, 12, 15), last=dt.date(2026, 4, 1))
    assert [r.period.label for r in widened] == ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04"]
    assert [r.period.label for r in service_history(sla, log, last=dt.date(2026, 1, 1))] == ["2026-01"]
    assert service_history(sla, []) == ()
    assert [r.period.label for r in service_history(sla, [], first=dt.date(2026, 5, 1))] == ["2026-05"]


def test_negotiated_commitments_override_the_sla() -> None:
    log = [incident("i", "2026-04-07T10:00:00Z", "2026-04-07T10:30:00Z")]  # 1,800 s of 2,592,000
    default = rows_by(service_history(make_sla(), log), "2026-04")
    negotiated = rows_by(service_history(make_sla(), log, commitments={"api": D("99.95")}), "2026-04")
    assert (default.met, default.commitment_percent, default.allowed_downtime_seconds) == (True, D("99.9"), 2592)
    assert (negotiated.met, negotiated.commitment_percent, negotiated.allowed_downtime_seconds) == (
        False,
        D("99.95"),
        1296,
    )
    assert negotiated.credit_percent == 10


def test_incidents_without_an_offset_are_refused() -> None:
    naive = Incident("n1", dt.datetime(2026, 4, 1, 10), dt.datetime(2026, 4, 1, 11), ("api",), "sev1", "x")
    with pytest.raises(ValueError) as caught:
        service_history(make_sla(), [naive])
    assert str(caught.value) == "incident 'n1': the start 2026-04-01T10:00:00 has no UTC offset"


def _brute_force(sla: Sla, incidents: list[Incident], service: str, period: Period) -> tuple[int, int]:
    """Downtime and excluded minutes of `period` counted minute by minute, with the minimum applied to whole
    runs of downtime, wherever they cross the period's boundaries."""
    start = min(i.start for i in incidents).astimezone(UTC).replace(minute=0, second=0)
    end = max(i.end for i in incidents).astimezone(UTC) + dt.timedelta(hours=1)
    first_in, last_in = ((t - start) // dt.timedelta(minutes=1) for t in period.utc_window)
    minutes = (end - start) // dt.timedelta(minutes=1)
    down = [False] * minutes
    excluded = [False] * minutes
    for i in incidents:
        if service not in i.services:
            continue
        first = max(0, (i.start - start) // dt.timedelta(minutes=1))
        last = min(minutes, (i.end - start) // dt.timedelta(minutes=1))
        for m in range(first, last):
            (excluded if i.excluded else down)[m] = True
    counted, run = 0, []
    for m in range(minutes + 1):
        if m < minutes and down[m]:
            run.append(m)
            continue
        if len(run) >= sla.minimum_downtime_minutes:
            counted += sum(1 for r in run if not excluded[r] and first_in <= r < last_in)
        run = []
    return counted, sum(excluded[max(first_in, 0) : last_in])


def test_history_agrees_with_a_minute_by_minute_count() -> None:
    rng = random.Random(20260401)
    sla = make_sla(zone="Europe/London", minimum=5)
    base = dt.datetime(2026, 2, 1, tzinfo=UTC)
    log = []
    for n in range(60):
        start = base + dt.timedelta(minutes=rng.randrange(0, 58 * 1440))
        log.append(
            Incident(
                f"i{n}",
                start,
                start + dt.timedelta(minutes=rng.randrange(1, 240)),
                tuple(rng.sample(["api", "web"], rng.randint(1, 2))),
                "sev2",
                "x",
                excluded=rng.random() < 0.25,
            )
        )
    rows = service_history(sla, log)
    assert sorted({r.period.label for r in rows}) == ["2026-02", "2026-03"]
    for row in rows:
        down, excluded = _brute_force(sla, log, row.service, row.period)
        assert (row.downtime_seconds, row.excluded_seconds) == (down * 60, excluded * 60), row.period.label


# ------------------------------------------------------------------------------------------------ credits


@pytest.mark.parametrize(
    "availability,credit",
    [
        (D("99.9"), 0),
        (D("99.95"), 0),
        (D("99.8999999"), 10),
        (D("99.0"), 10),
        (D("98.9999"), 25),
        (D("95.0"), 25),
        (D("94.99"), 100),
        (D(0), 100),
    ],
)
def test_credit_for_each_tier(availability: Decimal, credit: int) -> None:
    assert credit_for(availability, D("99.9"), CREDITS) == credit


def test_credit_is_capped_and_tiers_need_not_be_in_order() -> None:
    credits = Credits(tiers=(CreditTier(D(0), D(100)), CreditTier(D("99.0"), D(10))), cap_percent=D(50))
    assert credit_for(D(90), D("99.9"), credits) == 50
    assert credit_tier(D("99.5"), D("99.9"), credits) == CreditTier(D("99.0"), D(10))
    assert credit_tier(Fraction(999, 10), D("99.9"), credits) is None


def test_worked_example_lands_in_the_first_tier() -> None:
    example = worked_example(D("99.9"), CREDITS, annual_fee=D(144_000))
    # 31 days = 44,640 min; 5 h down -> 44,340/44,640 = 99.3279...% -> the 99.0 % tier: 10 % of $12,000.
    assert (example.period_days, example.downtime_minutes) == (31, 300)
    assert example.availability == Fraction(44_340, 44_640) * 100
    assert format_percent(example.availability) == "99.327"
    assert example.tier == CreditTier(D("99.0"), D(10))
    assert (example.credit_percent, example.period_fee, example.credit_amount) == (10, 12_000, 1_200)
    assert format_duration(example.allowed_downtime_seconds) == "44 min 38.4 s"


def test_worked_example_with_given_downtime_and_quarter() -> None:
    example = worked_example(D("99.99"), CREDITS, downtime_minutes=20, period="quarter", annual_fee=D(100_000))
    assert example.period_seconds == 92 * 86_400
    assert example.availability == Fraction(132_460, 132_480) * 100
    assert (example.credit_percent, example.period_fee, example.credit_amount) == (10, 25_000, 2_500)
    tight = worked_example(D("99.99"), Credits((CreditTier(D("99.95"), D(10)), CreditTier(D(0), D(30))), D(30)))
    assert tight.tier == CreditTier(D("99.95"), D(10))
    assert tight.downtime_minutes == 20  # 99.9552 %, between 99.95 and 99.99


def test_chronic_failure_needs_consecutive_periods() -> None:
    sla = make_sla(services=(Service("api", "API", D("99.9")),))
    day = "2026-{m:02d}-05T00:00:00Z"
    log = [incident(f"m{m}", day.format(m=m), f"2026-{m:02d}-05T12:00:00Z") for m in (1, 2, 4, 5, 6)]
    rows = service_history(sla, log)  # 12 h down: below 98.4 % in any month
    chronic = ChronicFailure(D("99.0"), 3, "terminate with a refund of prepaid fees")
    assert chronic_failure(rows, chronic) == (ChronicBreach("api", ("2026-04", "2026-05", "2026-06")),)
    assert chronic_failure(rows, ChronicFailure(D("99.0"), 2, "x")) == (
        ChronicBreach("api", ("2026-01", "2026-02")),
        ChronicBreach("api", ("2026-04", "2026-05", "2026-06")),
    )
    assert chronic_failure(rows, None) == ()


# ---------------------------------------------------------------------------------------- support targets


@pytest.mark.parametrize(
    "text,minutes,words",
    [
        ("30m", 30, "30 minutes"),
        ("1m", 1, "1 minute"),
        ("4h", 240, "4 hours"),
        ("1h", 60, "1 hour"),
        ("1.5h", 90, "1.5 hours"),
        ("2bh", 120, "2 business hours"),
        ("1bd", 480, "1 business day"),
        ("3bd", 1440, "3 business days"),
        ("2d", 2880, "2 days"),
        ("1.0h", 60, "1 hour"),
        ("0.01h", 1, "0.01 hours"),
        ("best effort", None, "Best effort"),
        ("n/a", None, "Not applicable"),
    ],
)
def test_support_targets(text: str, minutes: int | None, words: str) -> None:
    assert target_minutes(text) == minutes
    assert describe_target(text) == words


def test_business_time_targets() -> None:
    assert [is_business_time(t) for t in ("2bh", "1bd", "4h", "best effort")] == [True, True, False, False]


@pytest.mark.parametrize("text", ["4 hours", "h", "-1h", "1w", "Best Effort", ""])
def test_invalid_support_targets(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        target_minutes(text)
    assert str(caught.value) == (
        f"expected a support target such as '30m', '4h', '2bh', '1bd' or 'best effort', found '{text}'"
    )
