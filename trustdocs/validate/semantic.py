"""Checks that JSON Schema cannot express: references, unique ids, ordering, tiers and risk-acceptance rules.

The checks run on the plain data (not the model) so that they can run even when the schema found problems;
each one tolerates values of the wrong type, which the schema reports on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from trustdocs.errors import Problem
from trustdocs.load import Positions, format_path
from trustdocs.model.threats import DEFAULT_RISK_MATRIX
from trustdocs.validate.choices import did_you_mean, listed
from trustdocs.validate.schema_check import shown

Path = tuple[str | int, ...]

APPLICABLE_STRIDE: dict[str, str] = {
    "external_entity": "SR",
    "process": "STRIDE",
    "data_store": "TRID",
    "data_flow": "TID",
    "trust_boundary": "STRIDE",
}


class Checker:
    def __init__(self, positions: Positions):
        self.positions = positions
        self.problems: list[Problem] = []

    def report(self, path: Path, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.positions.value(path), format_path(path), message, severity))  # type: ignore[arg-type]

    def unique(self, entries: list[tuple[Path, dict[str, Any]]], what: str, key: str = "id") -> dict[str, Path]:
        seen: dict[str, Path] = {}
        for path, item in entries:
            value = item.get(key)
            if not isinstance(value, str):
                continue
            if value in seen:
                first = self.positions.value(seen[value] + (key,))
                where = f" (first defined at {first})" if first else ""
                self.report(path + (key,), f"duplicate {what} '{value}'{where}")
            else:
                seen[value] = path
        return seen

    def reference(self, path: Path, value: Any, known: Mapping[str, Any], what: str) -> None:
        """Report `value` unless it is one of the `known` ids, listing them and the closest one."""
        if not isinstance(value, str) or value in known:
            return
        if not known:
            self.report(path, f"unknown {what} {shown(value)}; no {what}s are defined")
            return
        self.report(
            path, f"unknown {what} {shown(value)}; expected one of: {listed(known)}{did_you_mean(value, known)}"
        )

    def references(self, path: Path, values: Any, known: dict[str, Any], what: str) -> None:
        for i, value in enumerate(_list(values)):
            self.reference(path + (i,), value, known, what)


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def entries_at(data: dict[str, Any], *path: str) -> list[tuple[Path, dict[str, Any]]]:
    node: Any = data
    for key in path:
        node = _map(node).get(key)
    return [(tuple(path) + (i,), item) for i, item in enumerate(_list(node)) if isinstance(item, dict)]


def _boundaries(entries: list[tuple[Path, dict[str, Any]]]) -> Iterator[tuple[Path, dict[str, Any]]]:
    for path, boundary in entries:
        yield path, boundary
        nested = [
            (path + ("boundaries", i), b)
            for i, b in enumerate(_list(boundary.get("boundaries")))
            if isinstance(b, dict)
        ]
        yield from _boundaries(nested)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _datetime(value: Any) -> dt.datetime | None:
    """An aware datetime; None for anything else, including a time without an offset (the schema says why)."""
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def check_project(data: dict[str, Any], positions: Positions, *, today: dt.date) -> list[Problem]:
    """Every semantic problem of a merged project, errors and warnings, in source order."""
    c = Checker(positions)
    elements = _check_architecture(c, data)
    _check_threat_model(c, data, elements, today)
    _check_security(c, data)
    services = _check_sla(c, data)
    plans, severities = _check_support(c, data)
    _check_incidents(c, data, services, severities)
    _check_dates(c, data)
    _check_escrow(c, data)
    return c.problems


def _check_architecture(c: Checker, data: dict[str, Any]) -> dict[str, str]:
    """Returns element id -> element kind for every component, flow and boundary."""
    components = entries_at(data, "architecture", "components")
    flows = entries_at(data, "architecture", "data_flows")
    boundaries = list(_boundaries(entries_at(data, "architecture", "trust_boundaries")))
    assets = c.unique(entries_at(data, "architecture", "data_assets"), "data asset id")
    all_elements = components + flows + boundaries
    c.unique(all_elements, "element id")
    kinds: dict[str, str] = {}
    for _, comp in components:
        if isinstance(comp.get("id"), str):
            kinds.setdefault(comp["id"], str(comp.get("kind", "process")))
    component_ids = dict(kinds)
    for _, flow in flows:
        if isinstance(flow.get("id"), str):
            kinds.setdefault(flow["id"], "data_flow")
    for _, boundary in boundaries:
        if isinstance(boundary.get("id"), str):
            kinds.setdefault(boundary["id"], "trust_boundary")

    for path, comp in components:
        c.references(path + ("stores",), comp.get("stores"), assets, "data asset")
        if comp.get("stores") and comp.get("kind") != "data_store":
            c.report(path + ("stores",), "only a data_store can store data assets")
    for path, flow in flows:
        c.reference(path + ("source",), flow.get("source"), component_ids, "component")
        c.reference(path + ("destination",), flow.get("destination"), component_ids, "component")
        if isinstance(flow.get("source"), str) and flow.get("source") == flow.get("destination"):
            c.report(path + ("destination",), "a data flow must connect two different components")
        c.references(path + ("data",), flow.get("data"), assets, "data asset")
        if flow.get("encryption") == "none" and flow.get("tls_version"):
            c.report(path + ("tls_version",), "tls_version is set but encryption is 'none'")
    membership: dict[str, Path] = {}
    for path, boundary in boundaries:
        for i, member in enumerate(_list(boundary.get("members"))):
            c.reference(path + ("members", i), member, component_ids, "component")
            if isinstance(member, str) and member in component_ids:
                if member in membership:
                    first = format_path(membership[member])
                    c.report(
                        path + ("members", i),
                        f"component '{member}' is already a member of {first}; "
                        "a component belongs to one boundary (nest boundaries instead)",
                    )
                else:
                    membership[member] = path
    return kinds


def _check_threat_model(c: Checker, data: dict[str, Any], elements: dict[str, str], today: dt.date) -> None:
    model = _map(data.get("threat_model"))
    matrix = _map(model.get("risk_matrix"))
    likelihoods = {v: 1 for v in _list(matrix.get("likelihood")) if isinstance(v, str)} or dict.fromkeys(
        DEFAULT_RISK_MATRIX.likelihood, 1
    )
    impacts = {v: 1 for v in _list(matrix.get("impact")) if isinstance(v, str)} or dict.fromkeys(
        DEFAULT_RISK_MATRIX.impact, 1
    )
    if matrix:
        _check_bands(c, matrix, len(likelihoods) * len(impacts))
    controls = c.unique(entries_at(data, "security", "controls"), "control id")
    mitigations = c.unique(entries_at(data, "threat_model", "mitigations"), "mitigation id")
    for path, mitigation in entries_at(data, "threat_model", "mitigations"):
        c.references(path + ("controls",), mitigation.get("controls"), controls, "control")
    c.unique(entries_at(data, "threat_model", "threats"), "threat id")
    for path, threat in entries_at(data, "threat_model", "threats"):
        c.references(path + ("targets",), threat.get("targets"), elements, "element")
        c.references(path + ("mitigations",), threat.get("mitigations"), mitigations, "mitigation")
        c.reference(path + ("likelihood",), threat.get("likelihood"), likelihoods, "likelihood level")
        c.reference(path + ("impact",), threat.get("impact"), impacts, "impact level")
        residual = _map(threat.get("residual"))
        c.reference(path + ("residual", "likelihood"), residual.get("likelihood"), likelihoods, "likelihood level")
        c.reference(path + ("residual", "impact"), residual.get("impact"), impacts, "impact level")
        status = threat.get("status")
        if status in ("accepted", "transferred"):
            for key in ("owner", "justification", "review_by"):
                if not threat.get(key):
                    c.report(path, f"a threat with status '{status}' needs '{key}'")
            if status == "transferred" and not threat.get("transferred_to"):
                c.report(
                    path, "a threat with status 'transferred' needs 'transferred_to' (the party that carries the risk)"
                )
            review_by = _date(threat.get("review_by"))
            if review_by and review_by < today:
                c.report(
                    path + ("review_by",),
                    f"the {status} risk's review-by date {review_by.isoformat()} has passed",
                    "warning",
                )
        if status == "mitigated" and not threat.get("mitigations"):
            c.report(path + ("status",), "a mitigated threat must list the mitigations that address it")
    for path, exemption in entries_at(data, "threat_model", "exemptions"):
        element = exemption.get("element")
        c.reference(path + ("element",), element, elements, "element")
        if element is None and exemption.get("finding") is None:
            c.report(path, "an exemption names an 'element' (with 'stride') or a 'finding'")
        kind = elements.get(element) if isinstance(element, str) else None
        for i, letter in enumerate(_list(exemption.get("stride"))):
            if kind and isinstance(letter, str) and letter not in APPLICABLE_STRIDE[kind]:
                c.report(
                    path + ("stride", i),
                    f"STRIDE category '{letter}' does not apply to a {kind.replace('_', ' ')} "
                    f"(applicable: {', '.join(APPLICABLE_STRIDE[kind])})",
                )


def _check_bands(c: Checker, matrix: dict[str, Any], largest: int) -> None:
    previous = 0
    bands = entries_at({"threat_model": {"risk_matrix": matrix}}, "threat_model", "risk_matrix", "bands")
    for path, band in bands:
        score = band.get("max_score")
        if isinstance(score, int) and score <= previous:
            c.report(path + ("max_score",), f"bands must rise: {score} is not above the previous band's {previous}")
        if isinstance(score, int):
            previous = score
    if bands and previous < largest:
        c.report(
            ("threat_model", "risk_matrix", "bands"), f"the last band ends at {previous} but scores reach {largest}"
        )


def _check_security(c: Checker, data: dict[str, Any]) -> None:
    assets = {a["id"]: 1 for _, a in entries_at(data, "architecture", "data_assets") if isinstance(a.get("id"), str)}
    c.unique(entries_at(data, "security", "certifications"), "certification id")
    for path, sub in entries_at(data, "security", "subprocessors"):
        c.references(path + ("data",), sub.get("data"), assets, "data asset")
    for path, rule in entries_at(data, "security", "retention"):
        c.reference(path + ("data",), rule.get("data"), assets, "data asset")


def _check_sla(c: Checker, data: dict[str, Any]) -> dict[str, Path]:
    services = c.unique(entries_at(data, "sla", "services"), "service id")
    credits = _map(_map(data.get("sla")).get("credits"))
    cap = _decimal(credits.get("cap_percent"))
    top = _check_tiers(c, entries_at(data, "sla", "credits", "tiers"), cap, ("sla", "credits", "cap_percent"))
    shares: list[Decimal] = []
    for path, service in entries_at(data, "sla", "services"):
        commitment = _decimal(service.get("commitment_percent"))
        own = [
            (path + ("credit_tiers", i), t)
            for i, t in enumerate(_list(service.get("credit_tiers")))
            if isinstance(t, dict)
        ]
        first = _check_tiers(c, own, cap, ("sla", "credits", "cap_percent")) if own else top
        if commitment is not None and first is not None and commitment <= first:
            where = "its own first credit tier's" if own else "the first credit tier's"
            c.report(
                path + ("commitment_percent",),
                f"the commitment {commitment} % must be above {where} threshold {first} %",
            )
        if commitment == 100:  # above 100 the schema's maximum says so
            c.report(path + ("commitment_percent",), f"expected a commitment below 100 %, found {commitment}")
        share = _decimal(service.get("fee_share_percent"))
        if credits.get("basis") == "service_fees":
            if share is None and "fee_share_percent" not in service:
                c.report(path, "credits.basis is service_fees, so every service needs a fee_share_percent")
            elif share is not None:
                shares.append(share)
    if credits.get("basis") == "service_fees" and shares and len(shares) == len(services) and sum(shares) != 100:
        c.report(("sla", "services"), f"the services' fee_share_percent add up to {sum(shares)} %, expected 100 %")
    return services


def _check_tiers(
    c: Checker, tiers: list[tuple[Path, dict[str, Any]]], cap: Decimal | None, cap_path: Path
) -> Decimal | None:
    """One credit tier table: thresholds falling, credits rising, the last from 0, none above the cap.
    Returns the first tier's threshold."""
    previous: tuple[Decimal, Decimal] | None = None
    for path, tier in tiers:
        threshold, credit = _decimal(tier.get("availability_at_least")), _decimal(tier.get("credit_percent"))
        if threshold is None or credit is None:
            continue
        if previous and threshold >= previous[0]:
            c.report(
                path + ("availability_at_least",),
                f"tiers go from the highest availability down: {threshold} is not below {previous[0]}",
            )
        if previous and credit <= previous[1]:
            c.report(
                path + ("credit_percent",),
                f"credits must grow as availability falls: {credit} is not above {previous[1]}",
            )
        previous = (threshold, credit)
    if tiers and previous and previous[0] != 0:
        c.report(
            tiers[-1][0] + ("availability_at_least",),
            f"the last tier must start at 0 so that every availability below the commitment earns a credit; "
            f"found {previous[0]}",
        )
    highest = max((_decimal(t.get("credit_percent")) or Decimal(0) for _, t in tiers), default=None)
    if cap is not None and highest is not None and cap < highest:
        c.report(cap_path, f"the credit cap {cap} % is below the highest tier's credit {highest} %")
    return _decimal(tiers[0][1].get("availability_at_least")) if tiers else None


def _check_support(c: Checker, data: dict[str, Any]) -> tuple[dict[str, Path], dict[str, Path]]:
    channels = c.unique(entries_at(data, "support", "channels"), "channel id")
    plans = c.unique(entries_at(data, "support", "plans"), "plan id")
    severities = c.unique(entries_at(data, "support", "severities"), "severity id")
    for path, plan in entries_at(data, "support", "plans"):
        c.references(path + ("channels",), plan.get("channels"), channels, "channel")
        if plan.get("hours") == "business" and not plan.get("business_hours"):
            c.report(path, "a plan with business hours needs 'business_hours' (e.g. 'Monday-Friday 08:00-18:00')")
    seen: dict[tuple[str, str], Path] = {}
    for path, target in entries_at(data, "support", "targets"):
        c.reference(path + ("plan",), target.get("plan"), plans, "plan")
        c.reference(path + ("severity",), target.get("severity"), severities, "severity")
        plan_id, severity_id = target.get("plan"), target.get("severity")
        if isinstance(plan_id, str) and isinstance(severity_id, str):
            if (plan_id, severity_id) in seen:
                c.report(path, f"duplicate target for plan '{plan_id}' and severity '{severity_id}'")
            seen[(plan_id, severity_id)] = path
    support = _map(data.get("support"))
    if plans and severities and entries_at(data, "support", "targets"):
        for plan_id in plans:
            for severity_id in severities:
                if (plan_id, severity_id) not in seen:
                    c.report(("support", "targets"), f"no target for plan '{plan_id}' and severity '{severity_id}'")
    for section in ("training", "roadmap"):
        for path, item in entries_at(data, "support", section):
            c.references(path + ("plans",), item.get("plans"), plans, "plan")
    if "default_plan" in support:
        c.reference(("support", "default_plan"), support.get("default_plan"), plans, "plan")
    return plans, severities


def _check_incidents(c: Checker, data: dict[str, Any], services: dict[str, Path], severities: dict[str, Path]) -> None:
    incidents: list[tuple[Path, dict[str, Any]]] = [
        (p, i)
        for p, i in ((("incidents", n), v) for n, v in enumerate(_list(data.get("incidents"))))
        if isinstance(i, dict)
    ]
    c.unique(incidents, "incident id")
    for path, incident in incidents:
        c.references(path + ("services",), incident.get("services"), services, "service")
        if severities:
            c.reference(path + ("severity",), incident.get("severity"), severities, "severity")
        start, end = _datetime(incident.get("start")), _datetime(incident.get("end"))
        if start and end and end <= start:
            c.report(path + ("end",), f"the incident ends ({incident['end']}) before it starts ({incident['start']})")
        if incident.get("excluded") and not incident.get("exclusion_reason"):
            c.report(path, "an excluded incident needs an 'exclusion_reason'")
    _check_history_span(c, incidents)


MAX_HISTORY_YEARS = 10
"""The incident log covers at most this many years: the SLA documents list and chart every period in it."""


def _check_history_span(c: Checker, incidents: list[tuple[Path, dict[str, Any]]]) -> None:
    dated = [
        (moment, path, incident)
        for path, incident in incidents
        if (moment := _datetime(incident.get("start"))) is not None
    ]
    if len(dated) < 2:
        return
    first = min(dated, key=lambda d: d[0])
    last = max(dated, key=lambda d: d[0])
    if (last[0] - first[0]).days > MAX_HISTORY_YEARS * 366:
        c.report(
            last[1] + ("start",),
            f"the incident log runs from {first[2]['start']} ({first[2].get('id')}) to {last[2]['start']}, "
            f"more than {MAX_HISTORY_YEARS} years; keep at most the last {MAX_HISTORY_YEARS} years "
            "(is a year mistyped?)",
        )


def _check_dates(c: Checker, data: dict[str, Any]) -> None:
    periods = [entries_at(data, "security", "certifications"), entries_at(data, "insurance", "policies")]
    for entries in periods:
        for path, item in entries:
            start, end = _date(item.get("period_start")), _date(item.get("period_end"))
            if start and end and end <= start:
                c.report(path + ("period_end",), f"the period ends ({end}) before it starts ({start})")
    revisions = entries_at(data, "document", "revisions")
    c.unique(revisions, "revision version", key="version")
    for (path, rev), (_, prev) in zip(revisions[1:], revisions, strict=False):
        this, before = _date(rev.get("date")), _date(prev.get("date"))
        if this and before and this < before:
            c.report(path + ("date",), f"revisions are listed oldest first: {this} is before {before}")


def _check_escrow(c: Checker, data: dict[str, Any]) -> None:
    c.unique(entries_at(data, "escrow", "contents"), "deposit item id")
