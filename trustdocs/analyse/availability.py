"""Availability arithmetic: measurement periods, downtime allowances, the service history and credits.

Every figure is exact: lengths are whole seconds, downtime is counted in microseconds, availability is a
Fraction and commitments are Decimals, so "met" never depends on a float rounding.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trustdocs.analyse.durations import format_duration, trim, truncate
from trustdocs.model.project import Project
from trustdocs.model.sla import ChronicFailure, Credits, CreditTier, Incident, Service, Sla
from trustdocs.validate.choices import available_time_zones, did_you_mean

logger = logging.getLogger(__name__)

PeriodKind = Literal["month", "quarter", "year"]
UTC = dt.UTC
_MICROSECOND = dt.timedelta(microseconds=1)

AVAILABILITY_FORMULA = "availability = (period length − downtime) ÷ period length × 100 %"
"""How availability is measured; excluded time is not downtime and stays in the period length."""


def time_zone(zone: str | dt.tzinfo) -> dt.tzinfo:
    """The tzinfo for an IANA name such as 'Europe/London'; ValueError names an unknown zone."""
    if isinstance(zone, dt.tzinfo):
        return zone
    try:
        if zone not in available_time_zones():
            raise ZoneInfoNotFoundError(zone)
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone '{zone}' (expected an IANA name such as 'Europe/London' or "
            f"'UTC'){did_you_mean(zone, available_time_zones())}"
        ) from None


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year in a time zone: from local midnight `start` to local midnight `end`.

    `seconds` is the real elapsed time between the two midnights, so a month in which the clocks go
    forward is an hour shorter (2026-03 in Europe/London has 31 days but 2,674,800 s) and one in which
    they go back an hour longer. Where a zone skips midnight, the day starts when the clocks resume.
    """

    kind: PeriodKind
    label: str
    start: dt.datetime
    end: dt.datetime

    @property
    def seconds(self) -> int:
        # Aware datetimes sharing a tzinfo subtract as wall-clock times; through UTC they subtract as instants.
        return (self.end.astimezone(UTC) - self.start.astimezone(UTC)) // dt.timedelta(seconds=1)

    @property
    def days(self) -> int:
        """Calendar days in the period (whatever daylight saving does to its length)."""
        return (self.end.date() - self.start.date()).days

    @property
    def utc_window(self) -> tuple[dt.datetime, dt.datetime]:
        return self.start.astimezone(UTC), self.end.astimezone(UTC)

    @classmethod
    def month(cls, year: int, month: int, tz: str | dt.tzinfo = "UTC") -> Period:
        zone = time_zone(tz)
        following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
        return cls(
            "month", f"{year:04d}-{month:02d}", _midnight(dt.date(year, month, 1), zone), _midnight(following, zone)
        )

    @classmethod
    def quarter(cls, year: int, quarter: int, tz: str | dt.tzinfo = "UTC") -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError(f"expected a quarter from 1 to 4, found {quarter}")
        zone = time_zone(tz)
        first = dt.date(year, 3 * quarter - 2, 1)
        following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
        return cls("quarter", f"{year:04d}-Q{quarter}", _midnight(first, zone), _midnight(following, zone))

    @classmethod
    def year(cls, year: int, tz: str | dt.tzinfo = "UTC") -> Period:
        zone = time_zone(tz)
        return cls(
            "year", f"{year:04d}", _midnight(dt.date(year, 1, 1), zone), _midnight(dt.date(year + 1, 1, 1), zone)
        )

    def following(self) -> Period:
        """The next period of the same kind in the same time zone."""
        return period_containing(self.end.date(), self.kind, self.start.tzinfo or UTC)


def _midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    # fold=0: a midnight the clocks skip maps to the moment they resume, the real start of that day.
    return dt.datetime(day.year, day.month, day.day, tzinfo=zone)


def period_containing(moment: dt.date | dt.datetime, kind: PeriodKind, tz: str | dt.tzinfo) -> Period:
    """The period of `kind` that holds `moment` (an aware datetime is first converted to local time)."""
    zone = time_zone(tz)
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            raise ValueError(f"{moment.isoformat()} has no UTC offset")
        moment = moment.astimezone(zone).date()
    if kind == "month":
        return Period.month(moment.year, moment.month, zone)
    if kind == "quarter":
        return Period.quarter(moment.year, (moment.month - 1) // 3 + 1, zone)
    if kind == "year":
        return Period.year(moment.year, zone)
    raise ValueError(f"expected a period kind of month, quarter or year, found '{kind}'")


def periods_between(
    first: dt.date | Period, last: dt.date | Period, kind: PeriodKind, tz: str | dt.tzinfo
) -> tuple[Period, ...]:
    """Every period of `kind` from the one holding `first` to the one holding `last`, both included."""
    zone = time_zone(tz)
    current = period_containing(_day(first), kind, zone)
    final = period_containing(_day(last), kind, zone)
    if current.start > final.start:
        raise ValueError(f"the range starts ({current.label}) after it ends ({final.label})")
    periods = [current]
    while periods[-1].label != final.label:
        periods.append(periods[-1].following())
    return tuple(periods)


_LABELS: dict[str, re.Pattern[str]] = {
    "month": re.compile(r"(\d{4})-(0[1-9]|1[0-2])"),
    "quarter": re.compile(r"(\d{4})-[Qq]([1-4])"),
    "year": re.compile(r"(\d{4})"),
}
_LABEL_FORMS = {"month": "YYYY-MM", "quarter": "YYYY-QN", "year": "YYYY"}


def parse_period(text: str, kind: PeriodKind, tz: str | dt.tzinfo = "UTC") -> Period:
    """The period a label names: "2026-02" (month), "2026-Q1" (quarter) or "2026" (year)."""
    match = _LABELS[kind].fullmatch(text.strip())
    if match is None:
        raise ValueError(f"expected a {kind} as {_LABEL_FORMS[kind]}, found '{text}'")
    year = int(match.group(1))
    if not 1900 <= year <= 9998:  # far years overflow datetime once shifted by a time zone's offset
        raise ValueError(f"expected a year from 1900 to 9998, found '{text}'")
    if kind == "month":
        return Period.month(year, int(match.group(2)), tz)
    if kind == "quarter":
        return Period.quarter(year, int(match.group(2)), tz)
    return Period.year(year, tz)


def _day(value: dt.date | Period) -> dt.date:
    return value.start.date() if isinstance(value, Period) else value


# ---------------------------------------------------------------------------------------------- allowances


def downtime_allowance(commitment_percent: Decimal, period_seconds: int) -> Decimal:
    """Seconds of downtime a period allows: period length × (100 − commitment) ÷ 100, exactly."""
    commitment = Decimal(commitment_percent)
    if not 0 <= commitment <= 100:
        raise ValueError(f"expected a commitment from 0 to 100 %, found {commitment_percent}")
    return trim(Decimal(period_seconds) * (100 - commitment) / 100)


ALLOWANCE_PERIODS: tuple[tuple[str, int], ...] = (
    ("28-day month", 28),
    ("29-day month", 29),
    ("30-day month", 30),
    ("31-day month", 31),
    ("90-day quarter", 90),
    ("91-day quarter", 91),
    ("92-day quarter", 92),
    ("365-day year", 365),
    ("366-day year", 366),
)
"""The period lengths a calendar month, quarter or year can have, in whole days (no daylight saving)."""


@dataclass(frozen=True)
class Allowance:
    period: str
    days: int
    seconds: Decimal
    """Allowed downtime in seconds, exact."""

    @property
    def period_seconds(self) -> int:
        return self.days * 86_400

    @property
    def text(self) -> str:
        return format_duration(self.seconds)


@dataclass(frozen=True)
class AllowanceRow:
    commitment_percent: Decimal
    allowances: tuple[Allowance, ...]

    def for_days(self, days: int) -> Allowance:
        return next(a for a in self.allowances if a.days == days)


def allowance_table(commitments: Iterable[Decimal]) -> tuple[AllowanceRow, ...]:
    """The downtime allowed per commitment for every month, quarter and year length; lowest commitment first."""
    unique = sorted({trim(Decimal(c)) for c in commitments})
    return tuple(
        AllowanceRow(
            c, tuple(Allowance(name, days, downtime_allowance(c, days * 86_400)) for name, days in ALLOWANCE_PERIODS)
        )
        for c in unique
    )


@dataclass(frozen=True)
class PeriodLength:
    """One length a measurement period has in a time zone, and the periods of the years looked at that have it."""

    kind: PeriodKind
    days: int
    seconds: int
    periods: tuple[Period, ...]

    @property
    def hours(self) -> Fraction:
        return Fraction(self.seconds, 3_600)

    @property
    def daylight_saving_change(self) -> int:
        """Seconds the clocks moved in the period: −3,600 when they went forward an hour, 3,600 back."""
        return self.seconds - self.days * 86_400


def period_lengths(kind: PeriodKind, tz: str | dt.tzinfo, years: Iterable[int]) -> tuple[PeriodLength, ...]:
    """Every length a calendar `kind` has in `years` in the time zone, shortest first.

    Lengths are real elapsed time between local midnights, so a 31-day month in which the clocks go forward
    is 743 hours and one in which they go back 745 hours; the calendar alone gives every day count only
    across a leap year and a common year, so `years` should hold both.
    """
    zone = time_zone(tz)
    found: dict[tuple[int, int], list[Period]] = {}
    for year in sorted(set(years)):
        for period in periods_between(dt.date(year, 1, 1), dt.date(year, 12, 31), kind, zone):
            found.setdefault((period.seconds, period.days), []).append(period)
    return tuple(
        PeriodLength(kind, days, seconds, tuple(periods)) for (seconds, days), periods in sorted(found.items())
    )


# ------------------------------------------------------------------------------------------------- credits


def credit_tier(availability: Decimal | Fraction, commitment: Decimal, credits: Credits) -> CreditTier | None:
    """The tier that applies: availability below the commitment and at least the tier's threshold."""
    measured = Fraction(availability)
    if measured >= Fraction(commitment):
        return None
    for tier in sorted(credits.tiers, key=lambda t: t.availability_at_least, reverse=True):
        if measured >= Fraction(tier.availability_at_least):
            return tier
    return None


def credit_for(availability: Decimal | Fraction, commitment: Decimal, credits: Credits) -> Decimal:
    """The credit due, in percent of the period's fees, capped at `credits.cap_percent`; 0 when met."""
    tier = credit_tier(availability, commitment, credits)
    if tier is None:
        return Decimal(0)
    return trim(min(Decimal(tier.credit_percent), Decimal(credits.cap_percent)))


@dataclass(frozen=True)
class ServiceCredit:
    """The Service Credit of one service in one period, before the aggregate cap."""

    service: str
    credit_percent: Decimal
    """Percent of `fee`, already capped at the per-service cap."""
    fee: Decimal
    """The fees the credit is computed on: the service's share of the period's fees, or all of them."""
    amount: Decimal


@dataclass(frozen=True)
class PeriodCredits:
    """The Service Credits of every service in one period, and the aggregate cap that limits their total."""

    period_fee: Decimal
    credits: tuple[ServiceCredit, ...]
    aggregate_cap: Decimal
    """The most credit for all services together in the period, in currency."""

    @property
    def subtotal(self) -> Decimal:
        return sum((c.amount for c in self.credits), Decimal(0))

    @property
    def total(self) -> Decimal:
        """What is credited: the sum of the services' credits, at most the aggregate cap."""
        return min(self.subtotal, self.aggregate_cap)

    @property
    def capped(self) -> bool:
        return self.subtotal > self.aggregate_cap


def period_fee(annual_fee: Decimal, kind: Literal["month", "quarter"]) -> Decimal:
    """The Fees for one measurement period: the annual fee ÷ 12 or ÷ 4, to the cent."""
    return _cents(Decimal(annual_fee) / (12 if kind == "month" else 4))


def service_fee(sla: Sla, service: Service, fee: Decimal) -> Decimal:
    """The fees a credit for `service` is computed on, out of the period's fees `fee`."""
    if sla.credits.basis == "total_fees":
        return Decimal(fee)
    if service.fee_share_percent is None:
        raise ValueError(f"service '{service.id}' has no fee_share_percent, and credits are on service fees")
    return _cents(Decimal(fee) * Decimal(service.fee_share_percent) / 100)


def period_credits(sla: Sla, availability: Mapping[str, Decimal | Fraction], fee: Decimal) -> PeriodCredits:
    """The Service Credits for one period: `availability` maps service id -> measured percent, `fee` is the
    period's total Fees.

    Each service's credit is its tier's percentage (capped at credits.cap_percent) of the fees it is computed
    on (service_fee); the total for the period is capped at sla.aggregate_cap_percent of `fee`.
    """
    lines = []
    for service in sla.services:
        if service.id not in availability:
            continue
        percent = credit_for(availability[service.id], service.commitment_percent, sla.credits_for(service))
        base = service_fee(sla, service, fee)
        lines.append(ServiceCredit(service.id, percent, base, _cents(base * percent / 100)))
    return PeriodCredits(Decimal(fee), tuple(lines), _cents(Decimal(fee) * sla.aggregate_cap_percent / 100))


@dataclass(frozen=True)
class WorkedExample:
    """A credit worked through for the SLA addendum: downtime -> availability -> tier -> credit."""

    commitment_percent: Decimal
    period_kind: Literal["month", "quarter"]
    period_days: int
    downtime_minutes: int
    availability: Fraction
    """Percent, exact."""
    tier: CreditTier | None
    credit_percent: Decimal
    period_fee: Decimal | None
    """The fee for one period (annual fee ÷ 12 or ÷ 4), when an annual fee is known."""
    credit_amount: Decimal | None

    @property
    def period_seconds(self) -> int:
        return self.period_days * 86_400

    @property
    def period_minutes(self) -> int:
        return self.period_days * 1_440

    @property
    def downtime_seconds(self) -> int:
        return self.downtime_minutes * 60

    @property
    def allowed_downtime_seconds(self) -> Decimal:
        return downtime_allowance(self.commitment_percent, self.period_seconds)

    @property
    def availability_percent(self) -> Decimal:
        return _percent(self.availability)


def worked_example(
    commitment_percent: Decimal,
    credits: Credits,
    *,
    annual_fee: Decimal | None = None,
    downtime_minutes: int | None = None,
    period: Literal["month", "quarter"] = "month",
) -> WorkedExample:
    """A worked credit for a 31-day month (or a 92-day quarter).

    Without `downtime_minutes`, the example picks a round amount of downtime (whole hours if possible)
    that lands in the first credit tier below the commitment, so the reader sees a credit being earned.
    """
    commitment = Decimal(commitment_percent)
    days = 31 if period == "month" else 92
    minutes = days * 1_440
    if downtime_minutes is None:
        downtime_minutes = example_downtime(commitment, credits, minutes)
    if not 0 <= downtime_minutes <= minutes:
        raise ValueError(f"expected downtime from 0 to {minutes} minutes, found {downtime_minutes}")
    availability = Fraction(minutes - downtime_minutes, minutes) * 100
    tier = credit_tier(availability, commitment, credits)
    credit = credit_for(availability, commitment, credits)
    fee = amount = None
    if annual_fee is not None:
        fee = period_fee(Decimal(annual_fee), period)
        amount = _cents(fee * credit / 100)
    return WorkedExample(commitment, period, days, downtime_minutes, availability, tier, credit, fee, amount)


def example_downtime(commitment: Decimal, credits: Credits, minutes: int) -> int:
    """Whole minutes of downtime (a round number where one fits) that land in the first credit tier below the
    commitment in a period of `minutes`, so a worked example shows a credit being earned."""
    below = sorted(
        (t for t in credits.tiers if t.availability_at_least < commitment),
        key=lambda t: t.availability_at_least,
        reverse=True,
    )
    floor = Fraction(below[0].availability_at_least) if below else Fraction(0)
    target = (Fraction(commitment) + floor) / 2
    exact = minutes * (100 - target) / 100
    for step in (60, 30, 10, 5, 1):
        candidate = math.ceil(exact / step) * step
        availability = Fraction(minutes - candidate, minutes) * 100
        if floor <= availability < Fraction(commitment):
            return candidate
    return max(1, math.ceil(exact))


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _percent(value: Fraction) -> Decimal:
    """An exact percentage as a Decimal: exact when it has at most 10 decimals, else cut after the 10th."""
    return trim(truncate(value, 10))


# ------------------------------------------------------------------------------------------------- history


@dataclass(frozen=True)
class HistoryRow:
    """The measured availability of one service in one measurement period."""

    period: Period
    service: str
    service_name: str
    period_seconds: int
    downtime_seconds: Decimal
    excluded_seconds: Decimal
    availability: Fraction
    """Percent, exact."""
    commitment_percent: Decimal
    met: bool
    credit_percent: Decimal
    allowed_downtime_seconds: Decimal
    incidents: tuple[str, ...] = ()
    """Ids of the incidents that touched this service in this period (counted, excluded or too short)."""

    @property
    def month(self) -> str:
        return self.period.label

    @property
    def availability_percent(self) -> Decimal:
        """The availability in percent: exact when it has at most 10 decimals, else cut after the 10th."""
        return _percent(self.availability)


Interval = tuple[dt.datetime, dt.datetime]


def service_history(
    sla: Sla,
    incidents: Sequence[Incident],
    *,
    first: dt.date | Period | None = None,
    last: dt.date | Period | None = None,
    commitments: Mapping[str, Decimal] | None = None,
) -> tuple[HistoryRow, ...]:
    """Availability per measurement period and service, from the incident log.

    Periods are sla.measurement_period in sla.time_zone, bounded by local midnights; by default from the
    period of the first incident to the period of the last, widened or narrowed by `first`/`last` (any day
    in the wanted first/last period). Rows come period by period, services in the SLA's order.

    The rules, applied per service and per period:
    - each incident affecting the service is an interval; overlapping or touching non-excluded intervals
      are merged into one continuous outage and counted once;
    - the minimum counted downtime applies to each continuous outage as a whole, before it is cut at
      period boundaries: one shorter than sla.minimum_downtime_minutes is not counted at all, and a longer
      one counts in full, each period taking its own part (6 minutes split 2 + 4 at midnight with a 5-minute
      minimum count 2 and 4); its length includes any part that falls inside an excluded incident;
    - time inside an excluded incident is excluded, never downtime, even where a counted outage overlaps it;
    - availability = (period seconds − downtime seconds) ÷ period seconds × 100; excluded time stays in the
      period length.
    `commitments` maps service id -> commitment percent, overriding the SLA's (a customer's negotiated terms).
    """
    zone = time_zone(sla.time_zone)
    spans = {incident.id: _interval(incident) for incident in incidents}
    periods = _history_periods(list(spans.values()), sla.measurement_period, zone, first, last)
    overrides = commitments or {}
    minimum = dt.timedelta(minutes=sla.minimum_downtime_minutes)
    rows = []
    affecting = {
        service.id: [(i, spans[i.id]) for i in incidents if service.id in i.services] for service in sla.services
    }
    counted = {service.id: _counted_outages(affecting[service.id], minimum, service.id) for service in sla.services}
    for period in periods:
        for service in sla.services:
            commitment = Decimal(overrides.get(service.id, service.commitment_percent))
            rows.append(
                _measure(
                    period, service, commitment, affecting[service.id], counted[service.id], sla.credits_for(service)
                )
            )
    return tuple(rows)


def _counted_outages(incidents: list[tuple[Incident, Interval]], minimum: dt.timedelta, service: str) -> list[Interval]:
    """The continuous outages of one service that last at least the minimum, before any period cuts them."""
    counted = []
    for outage in _merge(span for incident, span in incidents if not incident.excluded):
        if outage[1] - outage[0] < minimum:
            logger.debug(
                "%s: %s of downtime from %s is below the minimum", service, outage[1] - outage[0], outage[0].isoformat()
            )
            continue
        counted.append(outage)
    return counted


def _measure(
    period: Period,
    service: Service,
    commitment: Decimal,
    incidents: list[tuple[Incident, Interval]],
    counted: list[Interval],
    credits: Credits,
) -> HistoryRow:
    window = period.utc_window
    exclusions: list[Interval] = []
    touched: list[str] = []
    for incident, span in incidents:
        part = _clip(span, window)
        if part is None:
            continue
        if incident.excluded:
            exclusions.append(part)
        touched.append(incident.id)
    excluded = _merge(exclusions)
    downtime = dt.timedelta(0)
    for outage in counted:
        part = _clip(outage, window)
        if part is not None:
            downtime += part[1] - part[0] - sum((_overlap(part, e) for e in excluded), dt.timedelta(0))
    total_us = period.seconds * 1_000_000
    down_us = downtime // _MICROSECOND
    availability = Fraction(total_us - down_us, total_us) * 100
    return HistoryRow(
        period=period,
        service=service.id,
        service_name=service.name,
        period_seconds=period.seconds,
        downtime_seconds=_seconds(downtime),
        excluded_seconds=_seconds(sum((e[1] - e[0] for e in excluded), dt.timedelta(0))),
        availability=availability,
        commitment_percent=trim(commitment),
        met=availability >= Fraction(commitment),
        credit_percent=credit_for(availability, commitment, credits),
        allowed_downtime_seconds=downtime_allowance(commitment, period.seconds),
        incidents=tuple(touched),
    )


def _history_periods(
    spans: list[Interval],
    kind: PeriodKind,
    zone: dt.tzinfo,
    first: dt.date | Period | None,
    last: dt.date | Period | None,
) -> tuple[Period, ...]:
    start: dt.date | Period | None = first
    end: dt.date | Period | None = last
    if spans:
        earliest = min(s for s, _ in spans)
        # An incident ending exactly at midnight belongs to the period before.
        latest = max(max(e for _, e in spans) - _MICROSECOND, earliest)
        start = start if start is not None else period_containing(earliest, kind, zone)
        end = end if end is not None else period_containing(latest, kind, zone)
    start = start if start is not None else end
    end = end if end is not None else start
    if start is None or end is None:
        return ()
    return periods_between(start, end, kind, zone)


def _interval(incident: Incident) -> Interval:
    for name, value in (("start", incident.start), ("end", incident.end)):
        if value.tzinfo is None:
            raise ValueError(f"incident '{incident.id}': the {name} {value.isoformat()} has no UTC offset")
    return incident.start.astimezone(UTC), incident.end.astimezone(UTC)


def _clip(span: Interval, window: Interval) -> Interval | None:
    start, end = max(span[0], window[0]), min(span[1], window[1])
    return (start, end) if start < end else None


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _overlap(a: Interval, b: Interval) -> dt.timedelta:
    return max(min(a[1], b[1]) - max(a[0], b[0]), dt.timedelta(0))


def _seconds(span: dt.timedelta) -> Decimal:
    return trim(Decimal(span // _MICROSECOND).scaleb(-6))


# ------------------------------------------------------------------------------------------ chronic failure


@dataclass(frozen=True)
class ChronicBreach:
    """A run of consecutive periods in which a service stayed below the chronic-failure threshold."""

    service: str
    periods: tuple[str, ...]


def chronic_failure(rows: Iterable[HistoryRow], chronic: ChronicFailure | None) -> tuple[ChronicBreach, ...]:
    """Each service's runs of at least `chronic.consecutive_periods` adjacent periods below the threshold."""
    if chronic is None:
        return ()
    threshold = Fraction(chronic.threshold_percent)
    by_service: dict[str, list[HistoryRow]] = {}
    for row in rows:
        by_service.setdefault(row.service, []).append(row)
    needed = chronic.consecutive_periods
    breaches: list[ChronicBreach] = []

    def close(run: list[HistoryRow]) -> None:
        if len(run) >= needed:
            breaches.append(ChronicBreach(run[0].service, tuple(r.period.label for r in run)))

    for service_rows in by_service.values():
        run: list[HistoryRow] = []
        for row in sorted(service_rows, key=lambda r: r.period.start):
            below = row.availability < threshold
            if below and run and run[-1].period.end == row.period.start:
                run.append(row)
                continue
            close(run)
            run = [row] if below else []
        close(run)
    return tuple(breaches)


def project_history(
    project: Project, *, first: dt.date | Period | None = None, last: dt.date | Period | None = None
) -> tuple[HistoryRow, ...]:
    """The service history of a loaded project (a customer's commitments are already in its SLA)."""
    if project.sla is None:
        raise ValueError("the project has no 'sla' section, so there is no availability to report")
    return service_history(project.sla, project.incidents, first=first, last=last)
