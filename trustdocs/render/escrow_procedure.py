"""The escrow procedure's context: the Escrow Agent and the Escrow Agreement, the contents of a Deposit, how
Deposits are made and verified, the Release Conditions and the release process, and the Deposit Log as a
schedule of facts."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from trustdocs.model.escrow import Deposit, Escrow
from trustdocs.model.project import Project
from trustdocs.render.contract import Parties, count_text, parties_of, plural, readable_project, size_text
from trustdocs.render.env import format_date

log = logging.getLogger(__name__)

AGREEMENT_TYPES = {
    "three_party": "a three-party agreement between the Provider as depositor, the Customer as beneficiary and "
    "the Escrow Agent",
    "master_depositor": "a master agreement between the Provider as depositor and the Escrow Agent, under which "
    "the Customer enrols as beneficiary",
    "master_beneficiary": "a master agreement between the Customer as beneficiary and the Escrow Agent, which "
    "the Provider joins as depositor",
    "two_party": "a two-party agreement between the Provider as depositor and the Escrow Agent, under which the "
    "Customer is a named beneficiary",
}
"""What the Escrow Agreement is, by `escrow.agreement_type`, as the escrow clause states it."""
VERIFICATION_LEVELS: dict[str, tuple[str, str]] = {
    "integrity": (
        "File list and integrity",
        "The Escrow Agent checks that the archive opens and is free of viruses, that its SHA-256 matches the "
        "Deposit Log, that every file listed in its manifest is present with its hash, and that the keys needed "
        "to decrypt it are held.",
    ),
    "inventory": (
        "Inventory and analysis",
        "The Escrow Agent makes the checks of the file list and integrity level and, in addition, checks that "
        "every item of the deposit contents is present and matches the deposit map, and that the build "
        "instructions, dependency manifests and third-party licences cover every component.",
    ),
    "build": (
        "Build test",
        "The Escrow Agent makes the checks of the inventory and analysis level and, in addition, builds every "
        "component from the Deposit alone in a clean environment by following the build instructions.",
    ),
    "binary_comparison": (
        "Binary comparison",
        "The Escrow Agent makes a build test and, in addition, compares the built artefacts (binaries, "
        "container image digests) with those running in production.",
    ),
    "full_usability": (
        "Full usability test",
        "The Escrow Agent makes a binary comparison and, in addition, installs the built software with test "
        "data and exercises its main functions.",
    ),
    "saas_redeployment": (
        "SaaS redeployment test",
        "The Escrow Agent redeploys the Service from the Deposit (infrastructure as code, images, schema, "
        "sealed credentials) into a new cloud account and shows that it runs.",
    ),
}
"""The agents' verification levels: the name and what the Escrow Agent does at that level."""
SHORT_COMMIT = 12


@dataclass(frozen=True)
class ContentLine:
    name: str
    description: str


@dataclass(frozen=True)
class ConditionLine:
    name: str
    description: str
    period: str
    """"90 days"; empty when the condition states no period."""


@dataclass(frozen=True)
class DepositLine:
    """One Deposit as the Deposit Log records it: when, what and how big, never a check result."""

    date: str
    commit: str
    sha_full: str
    files: str
    size: str

    @property
    def sha_lines(self) -> tuple[str, str]:
        """The full SHA-256 in two halves of 32 digits, one per line, so that it never wraps mid-way."""
        return self.sha_full[:32], self.sha_full[32:]


@dataclass(frozen=True)
class EscrowProcedure:
    parties: Parties
    agent_name: str
    agent_contact: str
    agreement_type: str
    agreement_reference: str
    required_contents: tuple[ContentLine, ...]
    optional_contents: tuple[ContentLine, ...]
    method: str
    frequency: str
    encryption: str
    sealed_credentials: tuple[tuple[str, str], ...]
    steps: tuple[str, ...]
    level: str
    level_tests: str
    level_frequency: str
    level_description: str
    conditions: tuple[ConditionLine, ...]
    release_notice: str
    objection_period: str
    dispute: str
    licence: str
    deposits: tuple[DepositLine, ...]
    deposit_summary: str
    """E.g. "3 Deposits, from 30 April 2026 to 30 October 2026."."""


def deposit_time(deposit: Deposit) -> str:
    """ "30 October 2026, 17:05 UTC": deposits are logged in UTC (a time without offset is taken as UTC)."""
    moment = deposit.date.astimezone(dt.UTC) if deposit.date.tzinfo else deposit.date
    return f"{format_date(moment.date())}, {moment:%H:%M} UTC"


def deposit_line(deposit: Deposit) -> DepositLine:
    """One row of the Deposit Log as printed: a short commit, the full SHA-256 of the archive."""
    return DepositLine(
        date=deposit_time(deposit),
        commit=deposit.commit[:SHORT_COMMIT] if deposit.commit else "—",
        sha_full=deposit.archive_sha256,
        files=count_text(deposit.files),
        size=size_text(deposit.bytes),
    )


def deposit_summary(deposits: tuple[Deposit, ...]) -> str:
    """ "3 Deposits, from 30 April 2026 to 30 October 2026."; dates in UTC."""
    if not deposits:
        return "No Deposit has been recorded."
    days = sorted((d.date.astimezone(dt.UTC) if d.date.tzinfo else d.date).date() for d in deposits)
    if len(days) == 1:
        return f"1 Deposit, on {format_date(days[0])}."
    return f"{plural(len(days), 'Deposit')}, from {format_date(days[0])} to {format_date(days[-1])}."


def _sentence_case(text: str) -> str:
    """ "Quarterly, and …" → "quarterly, and …", to follow "will make a Deposit"."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def escrow_procedure(project: Project) -> EscrowProcedure:
    """The escrow procedure's context."""
    readable = readable_project(project)
    escrow: Escrow | None = readable.escrow
    if escrow is None:
        raise ValueError("the project has no 'escrow' section")
    level, tests = VERIFICATION_LEVELS[escrow.verification.level]
    process = escrow.release_process
    return EscrowProcedure(
        parties=parties_of(readable, "escrow-procedure"),
        agent_name=escrow.agent.name,
        agent_contact=escrow.agent.contact,
        agreement_type=AGREEMENT_TYPES[escrow.agreement_type],
        agreement_reference=escrow.agreement_reference,
        required_contents=tuple(ContentLine(i.name, i.description) for i in escrow.contents if i.required),
        optional_contents=tuple(ContentLine(i.name, i.description) for i in escrow.contents if not i.required),
        method=escrow.method,
        frequency=_sentence_case(escrow.frequency),
        encryption=escrow.encryption,
        sealed_credentials=tuple((c.path, c.purpose) for c in escrow.sealed_credentials),
        steps=escrow.deposit_steps,
        level=level,
        level_tests=tests,
        level_frequency=_sentence_case(escrow.verification.frequency),
        level_description=escrow.verification.description,
        conditions=tuple(
            ConditionLine(c.name, c.description, plural(c.days, "day") if c.days else "")
            for c in escrow.release_conditions
        ),
        release_notice=process.notice,
        objection_period=plural(process.objection_days, "day"),
        dispute=process.dispute,
        licence=process.licence,
        deposits=tuple(deposit_line(d) for d in sorted(escrow.deposits, key=lambda d: d.date)),
        deposit_summary=deposit_summary(escrow.deposits),
    )
