"""Credit terms that JSON Schema cannot check: a service's own tier table, fee shares, the aggregate cap; and
the arithmetic of credits across services and of period lengths in a time zone, worked by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from trustdocs.analyse.availability import Period, period_credits, period_fee, period_lengths
from trustdocs.errors import InputError
from trustdocs.model.sla import Claims, Credits, CreditTier, Maintenance, Service, Sla
from trustdocs.project import load_project

D = Decimal
MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8")
F = "proj/trustdocs.yaml"
SERVICES = """    - id: app
      name: Tiny Notes application
      commitment_percent: 99.9
"""


def _problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, services: str, credits_extra: str = "") -> list[str]:
    assert MINIMAL.count(SERVICES) == 1
    text = MINIMAL.replace(SERVICES, services).replace("    cap_percent: 50\n", "    cap_percent: 50\n" + credits_extra)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "trustdocs.yaml").write_text(text, encoding="utf-8")
    try:
        load_project(Path("proj"))
    except InputError as error:
        return [str(p) for p in error.problems]
    return []


def test_a_services_own_tiers_are_checked_like_the_global_ones(tmp_path, monkeypatch):
    problems = _problems(
        tmp_path,
        monkeypatch,
        """    - id: app
      name: Tiny Notes application
      commitment_percent: 99.9
      credit_tiers:
        - {availability_at_least: 99.0, credit_percent: 10}
        - {availability_at_least: 99.5, credit_percent: 5}
        - {availability_at_least: 90, credit_percent: 60}
""",
    )
    assert problems == [
        f"{F}:155:35: sla.services[0].credit_tiers[1].availability_at_least: tiers go from the highest "
        "availability down: 99.5 is not below 99.0",
        f"{F}:155:57: sla.services[0].credit_tiers[1].credit_percent: credits must grow as availability falls: "
        "5 is not above 10",
        f"{F}:156:35: sla.services[0].credit_tiers[2].availability_at_least: the last tier must start at 0 so "
        "that every availability below the commitment earns a credit; found 90",
        f"{F}:169:18: sla.credits.cap_percent: the credit cap 50 % is below the highest tier's credit 60 %",
    ]


def test_the_commitment_must_be_above_the_services_own_first_threshold(tmp_path, monkeypatch):
    problems = _problems(
        tmp_path,
        monkeypatch,
        """    - id: app
      name: Tiny Notes application
      commitment_percent: 99.5
      credit_tiers:
        - {availability_at_least: 99.5, credit_percent: 10}
        - {availability_at_least: 0, credit_percent: 50}
""",
    )
    assert problems == [
        f"{F}:152:27: sla.services[0].commitment_percent: the commitment 99.5 % must be above "
        "its own first credit tier's threshold 99.5 %"
    ]


def test_credits_on_service_fees_need_shares_that_add_up_to_100(tmp_path, monkeypatch):
    problems = _problems(
        tmp_path,
        monkeypatch,
        """    - id: app
      name: Tiny Notes application
      commitment_percent: 99.9
      fee_share_percent: 70
    - id: api
      name: API
      commitment_percent: 99.9
      fee_share_percent: 20
""",
        "    basis: service_fees\n",
    )
    assert problems == [f"{F}:150:5: sla.services: the services' fee_share_percent add up to 90 %, expected 100 %"]
    (tmp_path / "b").mkdir()
    missing = _problems(tmp_path / "b", monkeypatch, SERVICES, "    basis: service_fees\n")
    assert missing == [
        f"{F}:150:7: sla.services[0]: credits.basis is service_fees, so every service needs a fee_share_percent"
    ]


def _sla(basis: str = "service_fees", cap: str = "50", aggregate: str | None = None) -> Sla:
    tiers = (CreditTier(D("99.0"), D(10)), CreditTier(D("95.0"), D(25)), CreditTier(D(0), D(100)))
    services = (
        Service("api", "API", D("99.9"), fee_share_percent=D(50)),
        Service("web", "Web", D("99.9"), fee_share_percent=D(30)),
        Service(
            "feeds",
            "Feeds",
            D("99.5"),
            fee_share_percent=D(20),
            credit_tiers=(CreditTier(D("99.0"), D(5)), CreditTier(D(0), D(30))),
        ),
    )
    credits = Credits(
        tiers,
        D(cap),
        basis=basis,  # type: ignore[arg-type]
        aggregate_cap_percent=D(aggregate) if aggregate else None,
    )
    return Sla(services, "month", "Europe/London", "down", 1, credits, Maintenance(72, 12), Claims(30, "portal"))


def test_credits_on_each_services_share_of_the_fees():
    # $600,000 a year -> $50,000 a month. API 98.0 % -> 25 % of its 50 % share ($25,000) = $6,250; web
    # 99.95 % -> none; feeds 99.2 % -> its own 5 % of $10,000 = $500. Total $6,750, under 50 % × $50,000.
    fee = period_fee(D(600_000), "month")
    assert fee == D("50000.00")
    credits = period_credits(_sla(), {"api": D("98.0"), "web": D("99.95"), "feeds": D("99.2")}, fee)
    assert [(c.service, c.credit_percent, c.fee, c.amount) for c in credits.credits] == [
        ("api", D(25), D("25000.00"), D("6250.00")),
        ("web", D(0), D("15000.00"), D("0.00")),
        ("feeds", D(5), D("10000.00"), D("500.00")),
    ]
    assert (credits.subtotal, credits.aggregate_cap, credits.total, credits.capped) == (
        D("6750.00"),
        D("25000.00"),
        D("6750.00"),
        False,
    )


def test_the_aggregate_cap_limits_the_total_across_services():
    # Every service at 90 %: 100 % capped to 50 % of each share: $12,500 + $7,500 + $5,000 (feeds' own 30 %
    # of $10,000 = $3,000) = $23,000 on service fees; on the total fees 50 % + 50 % + 30 % of $50,000 =
    # $65,000, capped at the aggregate 20 % × $50,000 = $10,000.
    fee = D("50000")
    down = {"api": D(90), "web": D(90), "feeds": D(90)}
    shares = period_credits(_sla(), down, fee)
    assert [c.amount for c in shares.credits] == [D("12500.00"), D("7500.00"), D("3000.00")]
    assert shares.total == D("23000.00") and not shares.capped
    whole = period_credits(_sla(basis="total_fees", aggregate="20"), down, fee)
    assert [c.amount for c in whole.credits] == [D("25000.00"), D("25000.00"), D("15000.00")]
    assert (whole.subtotal, whole.aggregate_cap, whole.total, whole.capped) == (
        D("65000.00"),
        D("10000.00"),
        D("10000.00"),
        True,
    )


def test_london_months_and_quarters_have_every_real_length():
    months = period_lengths("month", "Europe/London", range(2026, 2030))
    assert [(m.seconds // 3600, m.days) for m in months] == [
        (672, 28),
        (696, 29),
        (720, 30),
        (743, 31),
        (744, 31),
        (745, 31),
    ]
    march = next(m for m in months if m.seconds == 743 * 3600)
    assert {p.label[5:] for p in march.periods} == {"03"} and march.daylight_saving_change == -3600
    quarters = period_lengths("quarter", "Europe/London", range(2026, 2030))
    assert [q.seconds // 3600 for q in quarters] == [2159, 2183, 2184, 2208, 2209]
    # New York moves its clocks in March and November (a 30-day month of 721 hours).
    assert 721 * 3600 in {m.seconds for m in period_lengths("month", "America/New_York", [2026])}
    # UTC has no daylight saving: only the calendar lengths.
    assert [m.seconds // 3600 for m in period_lengths("month", "UTC", range(2026, 2030))] == [672, 696, 720, 744]
    assert Period.month(2026, 10, "Europe/London").seconds == 745 * 3600
