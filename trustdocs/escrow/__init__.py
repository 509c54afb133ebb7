"""Source code escrow deposits: a reproducible archive and manifest, their verification, and the deposit log."""

from __future__ import annotations

from trustdocs.escrow.checklist import ChecklistResult, default_checklist, evaluate_checklist
from trustdocs.escrow.deposit import (
    DepositResult,
    DepositTime,
    SecretsFound,
    deposit_time,
    make_deposit,
    parse_deposit_date,
)
from trustdocs.escrow.deposit_log import append_deposit, deposit_entry, record_deposit
from trustdocs.escrow.manifest import Manifest, manifest_path_for, read_manifest
from trustdocs.escrow.secret_scan import SecretFinding, scan_for_secrets
from trustdocs.escrow.source_tree import SourceTree, collect_source_tree
from trustdocs.escrow.verify import VerificationReport, report_json, report_text, verify_deposit

__all__ = [
    "ChecklistResult",
    "DepositResult",
    "DepositTime",
    "Manifest",
    "SecretFinding",
    "SecretsFound",
    "SourceTree",
    "VerificationReport",
    "append_deposit",
    "collect_source_tree",
    "default_checklist",
    "deposit_entry",
    "deposit_time",
    "evaluate_checklist",
    "make_deposit",
    "manifest_path_for",
    "parse_deposit_date",
    "read_manifest",
    "record_deposit",
    "report_json",
    "report_text",
    "scan_for_secrets",
    "verify_deposit",
]
