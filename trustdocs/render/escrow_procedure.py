"""The escrow procedure's context: parties, the deposit checklist and procedure, verification, release and the
deposit log."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from trustdocs.model.escrow import VERIFICATION_ORDER, Deposit, Escrow
from trustdocs.model.escrow import Party as EscrowParty
from trustdocs.model.project import Customer, Project
from trustdocs.render.contract import count_text, plural, readable_project, size_text
from trustdocs.render.env import format_date

log = logging.getLogger(__name__)

AGREEMENT_TYPES = {
    "three_party": "Three-party agreement between the depositor, the beneficiary and the escrow agent",
    "master_depositor": "Master agreement set by the depositor; each beneficiary enrols under it",
    "master_beneficiary": "Master agreement set by the beneficiary; the depositor joins it",
    "two_party": "Two-party agreement between the depositor and the escrow agent",
}
VERIFICATION_LEVELS: dict[str, tuple[str, str]] = {
    "integrity": (
        "File list and integrity",
        "The archive opens and is free of viruses; its SHA-256 matches the deposit log; every file listed in "
        "the manifest is present with its hash; the keys needed to decrypt it are held."),
    "inventory": (
        "Inventory and analysis",
        "Integrity, plus: every item of the deposit-contents checklist is present and matches the deposit "
        "map; build instructions, dependency manifests and third-party licences cover every component."),
    "build": (
        "Build test",
        "Inventory, plus: the agent builds every component from the deposit alone in a clean environment by "
        "following the build instructions, and records each missing tool, file or step."),
    "binary_comparison": (
        "Binary comparison",
        "Build test, plus: the built artefacts (binaries, container image digests) are compared with those "
        "running in production, showing that the deposit is what the service runs."),
    "full_usability": (
        "Full usability test",
        "Binary comparison, plus: the built software is installed with test data and its main functions are "
        "exercised, showing that a beneficiary could use and maintain it."),
    "saas_redeployment": (
        "SaaS redeployment test",
        "The service is redeployed from the deposit (infrastructure as code, images, schema, sealed "
        "credentials) into a fresh cloud account and shown to run, proving continuity of the hosted service."),
}
RESULTS = {"passed": "Passed", "failed": "Failed", "not_verified": "Not verified"}
RESULT_BADGES = {"passed": "met", "failed": "not-met"}
SHORT_HASH = 16
SHORT_COMMIT = 12


@dataclass(frozen=True)
class PartyLine:
    role: str
    name: str
    contact: str


@dataclass(frozen=True)
class ChecklistLine:
    name: str
    description: str
    required: bool
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class LevelLine:
    name: str
    tests: str
    chosen: bool


@dataclass(frozen=True)
class ConditionLine:
    name: str
    description: str
    period: str


@dataclass(frozen=True)
class DepositLine:
    date: str
    commit: str
    commit_full: str
    sha_short: str
    sha_full: str

    files: str
    size: str
    result: str
    badge: str
    """The CSS class of the result's badge: met, not-met or neutral."""
    dirty: bool
    note: str

    @property
    def sha_lines(self) -> tuple[str, str]:
        """The full SHA-256 in two halves of 32 digits, one per line, so that it never wraps mid-way."""
        return self.sha_full[:32], self.sha_full[32:]


@dataclass(frozen=True)
class EscrowProcedure:
    agreement_type: str
    agreement_reference: str
    parties: tuple[PartyLine, ...]
    checklist: tuple[ChecklistLine, ...]
    method: str
    frequency: str
    encryption: str
    sealed_credentials: tuple[tuple[str, str], ...]
    steps: tuple[str, ...]
    level: str
    level_frequency: str
    level_description: str
    levels: tuple[LevelLine, ...]
    conditions: tuple[ConditionLine, ...]
    release_notice: str
    objection_period: str
    dispute: str
    licence: str
    deposits: tuple[DepositLine, ...]
    deposit_summary: str
    """E.g. "3 deposits from 30 April 2026 to 30 October 2026; the latest passed verification"."""


def _party(party: EscrowParty) -> PartyLine:
    return PartyLine(party.role, party.name, party.contact)


def _beneficiaries(escrow: Escrow, customer: Customer | None) -> tuple[PartyLine, ...]:
    """The customer the document is prepared for is the beneficiary; without one, the parties as written."""
    if customer is None:
        return tuple(_party(b) for b in escrow.beneficiaries)
    contact = ""
    if customer.contact is not None:
        contact = ", ".join(p for p in (customer.contact.name, customer.contact.role, customer.contact.email) if p)
    return (PartyLine("Beneficiary", customer.legal_name, contact),)


def deposit_time(deposit: Deposit) -> str:
    """"30 October 2026, 17:05 UTC": deposits are logged in UTC (a time without offset is taken as UTC)."""
    moment = deposit.date.astimezone(dt.timezone.utc) if deposit.date.tzinfo else deposit.date
    return f"{format_date(moment.date())}, {moment:%H:%M} UTC"


def deposit_line(deposit: Deposit) -> DepositLine:
    """One row of the deposit log as printed: short hashes with the full SHA-256 beneath."""
    commit = deposit.commit or ""
    return DepositLine(
        date=deposit_time(deposit),
        commit=commit[:SHORT_COMMIT] if commit else "—",
        commit_full=commit,
        sha_short=deposit.archive_sha256[:SHORT_HASH],
        sha_full=deposit.archive_sha256,
        files=count_text(deposit.files),
        size=size_text(deposit.bytes),
        result=RESULTS.get(deposit.verification, deposit.verification),
        badge=RESULT_BADGES.get(deposit.verification, "neutral"),
        dirty=deposit.dirty,
        note=deposit.note,
    )


def _summary(deposits: tuple[Deposit, ...]) -> str:
    if not deposits:
        return "No deposit has been recorded yet."
    ordered = sorted(deposits, key=lambda d: d.date)
    latest = ordered[-1]
    span = (f"from {format_date(ordered[0].date.date())} to {format_date(latest.date.date())}"
            if len(ordered) > 1 else f"on {format_date(latest.date.date())}")
    passed = [d for d in ordered if d.verification == "passed"]
    result = {"passed": "passed verification", "failed": "failed verification",
              "not_verified": "has not been verified"}[latest.verification]
    last_passed = (f"; the latest deposit that passed is that of {format_date(passed[-1].date.date())}"
                   if passed and passed[-1] is not latest else "")
    return f"{plural(len(ordered), 'deposit')} {span}; the latest {result}{last_passed}."


def escrow_procedure(project: Project) -> EscrowProcedure:
    """The escrow procedure's context."""
    readable = readable_project(project)
    escrow = readable.escrow
    if escrow is None:
        raise ValueError("the project has no 'escrow' section")
    chosen = escrow.verification.level
    process = escrow.release_process
    return EscrowProcedure(
        agreement_type=AGREEMENT_TYPES.get(escrow.agreement_type, escrow.agreement_type),
        agreement_reference=escrow.agreement_reference,
        parties=(_party(escrow.depositor), *_beneficiaries(escrow, readable.customer), _party(escrow.agent)),
        checklist=tuple(ChecklistLine(i.name, i.description, i.required, i.patterns) for i in escrow.contents),
        method=escrow.method,
        frequency=escrow.frequency,
        encryption=escrow.encryption,
        sealed_credentials=tuple((c.path, c.purpose) for c in escrow.sealed_credentials),
        steps=escrow.deposit_steps,
        level=VERIFICATION_LEVELS[chosen][0],
        level_frequency=escrow.verification.frequency,
        level_description=escrow.verification.description,
        levels=tuple(LevelLine(*VERIFICATION_LEVELS[level], chosen=level == chosen) for level in VERIFICATION_ORDER),
        conditions=tuple(ConditionLine(c.name, c.description, plural(c.days, "day") if c.days else "—")
                         for c in escrow.release_conditions),
        release_notice=process.notice,
        objection_period=plural(process.objection_days, "day"),
        dispute=process.dispute,
        licence=process.licence,
        deposits=tuple(deposit_line(d) for d in sorted(escrow.deposits, key=lambda d: d.date)),
        deposit_summary=_summary(escrow.deposits),
    )
