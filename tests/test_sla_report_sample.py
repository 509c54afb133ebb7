"""`trustdocs sla report --format json` on the sample against an independent, second-by-second recount.

The recount reads the YAML with plain PyYAML, walks every second of every incident in Python sets and uses
only zoneinfo for month boundaries: none of trustdocs' analysis code is involved.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import yaml

from tests.conftest import GLOBEX, SAMPLE
from trustdocs.cli import main


class _Text(yaml.SafeLoader):
    """Dates and times stay strings, as trustdocs reads them."""


_Text.yaml_implicit_resolvers = {
    k: [(t, r) for t, r in v if t != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read(name: str):
    return yaml.load((SAMPLE / name).read_text(encoding="utf-8"), Loader=_Text)


def _instant(text: str) -> int:
    return int(dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def _month_bounds(year: int, month: int, zone: ZoneInfo) -> tuple[int, int]:
    start = dt.datetime(year, month, 1, tzinfo=zone)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return int(start.timestamp()), int(end.timestamp())


def _runs(seconds: set[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive seconds as [start, end) pairs."""
    runs, ordered = [], sorted(seconds)
    for s in ordered:
        if runs and runs[-1][1] == s:
            runs[-1][1] = s + 1
        else:
            runs.append([s, s + 1])
    return [tuple(r) for r in runs]


def recount(commitments: dict[str, Decimal] | None = None, tiers=None, cap=None) -> list[dict]:
    sla = _read("legal/sla.yaml")["sla"]
    incidents = _read("legal/incidents.yaml")["incidents"]
    zone = ZoneInfo(sla["time_zone"])
    minimum = sla["minimum_downtime_minutes"] * 60
    tiers = tiers or [
        (Decimal(str(t["availability_at_least"])), Decimal(str(t["credit_percent"]))) for t in sla["credits"]["tiers"]
    ]
    cap = cap if cap is not None else Decimal(str(sla["credits"]["cap_percent"]))
    months = sorted(
        {
            (d.year, d.month)
            for i in incidents
            for d in [dt.datetime.fromisoformat(i["start"].replace("Z", "+00:00")).astimezone(zone)]
        }
    )
    first, last = months[0], months[-1]
    rows = []
    year, month = first
    while (year, month) <= last:
        lo, hi = _month_bounds(year, month, zone)
        for service in sla["services"]:
            down: set[int] = set()
            excluded: set[int] = set()
            for incident in incidents:
                if service["id"] not in incident["services"]:
                    continue
                seconds = set(range(max(_instant(incident["start"]), lo), min(_instant(incident["end"]), hi)))
                (excluded if incident.get("excluded") else down).update(seconds)
            counted = sum(len(set(range(a, b)) - excluded) for a, b in _runs(down) if b - a >= minimum)
            period = hi - lo
            availability = Fraction(period - counted, period) * 100
            commitment = (commitments or {}).get(service["id"], Decimal(str(service["commitment_percent"])))
            met = availability >= Fraction(commitment)
            credit = Decimal(0)
            if not met:
                credit = next(c for threshold, c in tiers if availability >= Fraction(threshold))
                credit = min(credit, cap)
            rows.append(
                {
                    "month": f"{year}-{month:02d}",
                    "service": service["id"],
                    "period_seconds": period,
                    "downtime_seconds": counted,
                    "excluded_seconds": len(excluded),
                    "availability": availability,
                    "commitment": commitment,
                    "met": met,
                    "credit": credit,
                }
            )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows


def _compare(reported: list[dict], expected: list[dict]) -> None:
    assert [(r["month"], r["service"]) for r in reported] == [(e["month"], e["service"]) for e in expected]
    for got, want in zip(reported, expected, strict=False):
        where = (want["month"], want["service"])
        assert got["period_seconds"] == want["period_seconds"], where
        assert got["downtime_seconds"] == want["downtime_seconds"], where
        assert got["excluded_seconds"] == want["excluded_seconds"], where
        assert abs(Fraction(str(got["availability_percent"])) - want["availability"]) < Fraction(1, 10**6), where
        assert Decimal(str(got["commitment_percent"])) == want["commitment"], where
        assert got["met"] is want["met"], where
        assert Decimal(str(got["credit_percent"])) == want["credit"], where


def test_sla_report_json_equals_an_independent_recount(runner):
    result = runner.invoke(main, ["sla", "report", str(SAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    reported = json.loads(result.stdout)
    expected = recount()
    _compare(reported, expected)
    assert len(reported) == 36  # 12 London months (2025-11 to 2026-10) × 3 services
    missed = {(r["month"], r["service"]) for r in expected if not r["met"]}
    assert {("2026-04", "api"), ("2026-04", "web"), ("2026-02", "api")} <= missed
    assert any(r["excluded_seconds"] > 0 for r in expected)


def test_sla_report_with_globex_terms_equals_an_independent_recount(runner):
    customer = yaml.load(GLOBEX.read_text(encoding="utf-8"), Loader=_Text)["customer"]["terms"]
    commitments = {c["service"]: Decimal(str(c["commitment_percent"])) for c in customer["commitments"]}
    tiers = [
        (Decimal(str(t["availability_at_least"])), Decimal(str(t["credit_percent"]))) for t in customer["credit_tiers"]
    ]
    result = runner.invoke(main, ["sla", "report", str(SAMPLE), "--customer", str(GLOBEX), "--format", "json"])
    assert result.exit_code == 0, result.output
    _compare(json.loads(result.stdout), recount(commitments, tiers, Decimal(str(customer["credit_cap_percent"]))))
