"""The service level agreement, support commitments and the incident history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from trustdocs.model.base import Audience, Location, loc_field

MeasurementPeriod = Literal["month", "quarter"]
SupportHours = Literal["business", "24x5", "24x7"]
CreditBasis = Literal["service_fees", "total_fees"]


@dataclass(frozen=True)
class CreditTier:
    """Credit due when availability is below the commitment and at least `availability_at_least`."""

    availability_at_least: Decimal
    credit_percent: Decimal
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    commitment_percent: Decimal
    description: str = ""
    fee_share_percent: Decimal | None = None
    """The share of the Fees apportioned to this service, when credits are on each service's fees."""
    credit_tiers: tuple[CreditTier, ...] = ()
    """This service's own credit tiers, highest threshold first; empty: the SLA's tiers apply."""
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Credits:
    tiers: tuple[CreditTier, ...]
    """Highest threshold first; the last tier's threshold is 0."""
    cap_percent: Decimal
    """The most credit for one service in one period, as a percentage of the fees the credit is computed on."""
    basis: CreditBasis = "total_fees"
    """What a credit is a percentage of: the affected service's share of the period's fees, or all of them."""
    aggregate_cap_percent: Decimal | None = None
    """The most credit for all services together in one period, as a percentage of that period's total fees;
    None: the same percentage as `cap_percent`."""
    future_invoices_only: bool = True
    requires_good_standing: bool = True
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Maintenance:
    notice_hours: int
    yearly_cap_hours: int
    window: str = ""
    emergency: str = ""


@dataclass(frozen=True)
class Claims:
    deadline_days: int
    channel: str
    evidence: str = ""


@dataclass(frozen=True)
class ChronicFailure:
    threshold_percent: Decimal
    consecutive_periods: int
    remedy: str


@dataclass(frozen=True)
class Definition:
    term: str
    definition: str


@dataclass(frozen=True)
class Sla:
    services: tuple[Service, ...]
    measurement_period: MeasurementPeriod
    time_zone: str
    downtime_definition: str
    minimum_downtime_minutes: int
    credits: Credits
    maintenance: Maintenance
    claims: Claims
    exclusions: tuple[str, ...] = ()
    chronic_failure: ChronicFailure | None = None
    sole_remedy: str = ""
    status_page: str | None = None
    definitions: tuple[Definition, ...] = ()
    notice_of_changes_days: int | None = None
    history_as_of: dt.date | None = None
    """The last day the incident log is complete for; None: the end of the latest incident."""
    standard: Sla | None = None
    """The standard terms, when a customer's negotiated terms replaced some of them (model.terms)."""
    loc: Location | None = loc_field()

    def credits_for(self, service: Service) -> Credits:
        """The credit terms of one service: its own tiers where it has them, else the SLA's."""
        return replace(self.credits, tiers=service.credit_tiers) if service.credit_tiers else self.credits

    @property
    def aggregate_cap_percent(self) -> Decimal:
        cap = self.credits.aggregate_cap_percent
        return Decimal(cap if cap is not None else self.credits.cap_percent)


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    description: str = ""
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class SupportPlan:
    id: str
    name: str
    hours: SupportHours
    time_zone: str
    channels: tuple[str, ...]
    business_hours: str = ""
    """E.g. 'Monday-Friday 08:00-18:00'; required when hours is 'business'."""
    named_contact: str = ""
    description: str = ""
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Severity:
    id: str
    name: str
    definition: str
    examples: tuple[str, ...] = ()
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Target:
    """A support target such as '30m', '4h', '2bh' (business hours), '1bd' (business days) or 'best effort'."""

    text: str

    @property
    def minutes(self) -> int | None:
        from trustdocs.analyse.support import target_minutes

        return target_minutes(self.text)


@dataclass(frozen=True)
class ResponseTarget:
    plan: str
    severity: str
    first_response: Target
    update_cadence: Target
    workaround: Target
    resolution: Target
    root_cause_report: Target | None = None
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class EscalationLevel:
    level: int
    role: str
    contact: str
    after: str = ""
    audience: Audience = "public"


@dataclass(frozen=True)
class TrainingOffering:
    kind: Literal["documentation", "videos", "tutorials", "webinars", "in_person", "certification"]
    name: str
    description: str = ""
    plans: tuple[str, ...] = ()
    """Plan ids that include it; empty means every plan."""
    audience: Audience = "public"


@dataclass(frozen=True)
class RoadmapCommitment:
    name: str
    frequency: str
    description: str = ""
    plans: tuple[str, ...] = ()
    audience: Audience = "public"


@dataclass(frozen=True)
class Support:
    channels: tuple[Channel, ...]
    plans: tuple[SupportPlan, ...]
    severities: tuple[Severity, ...]
    targets: tuple[ResponseTarget, ...]
    escalation: tuple[EscalationLevel, ...] = ()
    training: tuple[TrainingOffering, ...] = ()
    roadmap: tuple[RoadmapCommitment, ...] = ()
    clock_rules: str = ""
    business_days: str = ""
    """Which days are Business Days, e.g. 'Monday to Friday, except public holidays in England'."""
    default_plan: str | None = None
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Incident:
    id: str
    start: dt.datetime
    end: dt.datetime
    services: tuple[str, ...]
    severity: str
    summary: str
    excluded: bool = False
    exclusion_reason: str = ""
    audience: Audience = "public"
    loc: Location | None = loc_field()
