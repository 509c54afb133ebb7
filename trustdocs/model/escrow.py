"""Source code escrow: the agreement, what a deposit holds, verification, release and the deposit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from trustdocs.model.base import Location, loc_field

VerificationLevel = Literal[
    "integrity",
    "inventory",
    "build",
    "binary_comparison",
    "full_usability",
    "saas_redeployment",
]
VERIFICATION_ORDER: tuple[str, ...] = (
    "integrity",
    "inventory",
    "build",
    "binary_comparison",
    "full_usability",
    "saas_redeployment",
)


@dataclass(frozen=True)
class Party:
    name: str
    role: str
    contact: str = ""


@dataclass(frozen=True)
class DepositItem:
    """One line of the deposit-contents checklist; `patterns` are globs that find it in a source tree."""

    id: str
    name: str
    patterns: tuple[str, ...]
    required: bool = True
    description: str = ""
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Verification:
    level: VerificationLevel
    frequency: str
    description: str = ""


@dataclass(frozen=True)
class ReleaseCondition:
    name: str
    description: str
    days: int | None = None
    """A period the condition depends on (e.g. 90 days without support)."""


@dataclass(frozen=True)
class ReleaseProcess:
    notice: str
    objection_days: int
    dispute: str
    licence: str = ""


@dataclass(frozen=True)
class SealedCredential:
    """A credential file deliberately sealed into the deposit; the secret scan lets it through."""

    path: str
    purpose: str


@dataclass(frozen=True)
class Deposit:
    date: dt.datetime
    commit: str | None
    archive_sha256: str
    files: int
    bytes: int
    verification: Literal["passed", "failed", "not_verified"]
    dirty: bool = False
    note: str = ""
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class Escrow:
    agent: Party
    agreement_type: Literal["three_party", "master_depositor", "master_beneficiary", "two_party"]
    depositor: Party
    beneficiaries: tuple[Party, ...]
    contents: tuple[DepositItem, ...]
    method: str
    frequency: str
    encryption: str
    verification: Verification
    release_conditions: tuple[ReleaseCondition, ...]
    release_process: ReleaseProcess
    agreement_reference: str = ""
    deposit_steps: tuple[str, ...] = ()
    sealed_credentials: tuple[SealedCredential, ...] = ()
    deposit_log: str | None = None
    """Path of the deposit log file, relative to the project; `trustdocs escrow deposit` appends to it."""
    deposits: tuple[Deposit, ...] = ()
    """Filled from the deposit log file when the project is loaded."""
    loc: Location | None = loc_field()
