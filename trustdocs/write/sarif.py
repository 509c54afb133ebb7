"""SARIF 2.1.0 output of the threat-model check, for code-scanning tools (GitHub, GitLab, Azure DevOps).

Each result points at the YAML file, line and column of the element concerned, relative to `%SRCROOT%` (the
directory the check ran from, normally the repository root), so code scanning shows it on the right line.
`partialFingerprints` carry the stable finding id, so a finding keeps its identity across commits. Exempted
findings are included with an accepted suppression and their justification; rule matches that a registered
threat answers are not results. The output has sorted keys and no timestamps: the same input gives the same
bytes.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any

from trustdocs import __version__
from trustdocs.analyse.findings import Finding, RuleInfo
from trustdocs.analyse.threat_model import CheckReport
from trustdocs.model.base import Location

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://trustdocs.dev/"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "trustdocsFindingId/v1"

LEVELS: dict[str, str] = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
SECURITY_SEVERITY: dict[str, str] = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}
"""GitHub code scanning reads `security-severity` (0-10) to show critical / high / medium / low."""


def _rule_name(title: str) -> str:
    """A rule's SARIF `name`: its title in PascalCase, e.g. 'UnencryptedDataFlowCrossesATrustBoundary'."""
    return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", title))


def _tags(rule: RuleInfo) -> list[str]:
    tags = ["security", f"threat-model/{rule.category}"]
    if rule.stride:
        tags.append(f"STRIDE/{rule.stride}")
    if rule.cwe:
        tags += [rule.cwe, f"external/cwe/{rule.cwe.lower()}"]
    return tags


def _rule_descriptor(rule: RuleInfo) -> dict[str, Any]:
    help_text = rule.explanation
    if rule.stride_name:
        help_text += f"\n\nSTRIDE category: {rule.stride_name} ({rule.stride})."
    if rule.cwe:
        help_text += f"\nWeakness: {rule.cwe}."
    return {
        "id": rule.id,
        "name": _rule_name(rule.title),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.explanation},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": _tags(rule),
            "precision": "high",
            "problem.severity": "recommendation" if rule.severity == "low" else LEVELS[rule.severity],
            "security-severity": SECURITY_SEVERITY[rule.severity],
        },
    }


def artifact_uri(file: str, base: Path | None = None) -> tuple[str, bool]:
    """The URI of a source file relative to `base` (default: the current directory), and whether it is relative.

    Location paths are as the user gave the project (relative to the current directory, or absolute); a file
    outside `base` gets an absolute file URI instead.
    """
    base = (base or Path.cwd()).resolve()
    path = Path(file)
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        relative = Path(os.path.normpath(absolute)).relative_to(base)
    except ValueError:
        return Path(os.path.normpath(absolute)).as_uri(), False
    return PurePosixPath(*relative.parts).as_posix(), True


def _location(location: Location, element: str, uris: dict[str, tuple[str, bool]], base: Path | None) -> dict[str, Any]:
    if location.file not in uris:  # a few files hold thousands of findings: resolve each path once
        uris[location.file] = artifact_uri(location.file, base)
    uri, relative = uris[location.file]
    artifact: dict[str, Any] = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = SRCROOT
    return {
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": {"startLine": location.line, "startColumn": location.col},
        },
        "logicalLocations": [{"name": element, "kind": "element"}],
    }


def _result(finding: Finding, rule_index: int, uris: dict[str, tuple[str, bool]], base: Path | None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "partialFingerprints": {FINGERPRINT_KEY: finding.id},
        "properties": {"findingId": finding.id, "severity": finding.severity, "element": finding.element},
    }
    if finding.stride:
        result["properties"]["stride"] = finding.stride
    if finding.location is not None:
        result["locations"] = [_location(finding.location, finding.element, uris, base)]
    if finding.exempted:
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": finding.justification or "exempted"}
        ]
    return result


def sarif_log(report: CheckReport, *, base: Path | None = None) -> dict[str, Any]:
    """The SARIF log of `report` as plain data; URIs are relative to `base` (default: the current directory)."""
    rules = list(report.rules)
    index = {rule.id: i for i, rule in enumerate(rules)}
    uris: dict[str, tuple[str, bool]] = {}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "trustdocs",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule_descriptor(rule) for rule in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index[f.rule_id], uris, base) for f in report.findings],
            }
        ],
    }


def sarif_text(report: CheckReport, *, base: Path | None = None) -> str:
    """The SARIF log as JSON text: sorted keys, two-space indent, a final newline."""
    return json.dumps(sarif_log(report, base=base), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
