"""Finds files that look like credentials before they are sealed into a deposit by accident."""

from __future__ import annotations

import fnmatch
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from trustdocs.escrow.progress import ProgressReporter, quiet_progress
from trustdocs.escrow.source_tree import DepositFile
from trustdocs.terminal import printable

logger = logging.getLogger(__name__)

SCAN_LIMIT_BYTES = 10 * 1024 * 1024
"""Larger files are not scanned: credentials live in small text files, and the limit bounds memory."""

_CHUNK = 1024 * 1024
_BINARY_PROBE = 8192


@dataclass(frozen=True)
class _Kind:
    """A kind of secret: its pattern, and literals one of which must be present for it to match.

    Checking the literals first (a fast substring search) keeps the regular expressions off the vast
    majority of text, which holds none of them: the scan runs at disk speed instead of regex speed.
    """

    name: str
    pattern: re.Pattern[bytes]
    triggers: tuple[bytes, ...]
    folded: bool = False
    """Whether the triggers are lower case and looked for in the lower-cased text."""


# Each pattern stays within one line, so a file can be scanned in line-aligned chunks.
_KINDS: tuple[_Kind, ...] = (
    _Kind("private key", re.compile(rb"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----"), (b"PRIVATE KEY",)),
    _Kind("AWS access key id", re.compile(rb"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), (b"AKIA", b"ASIA")),
    _Kind(
        "AWS secret access key",
        re.compile(
            rb"(?i:aws_?secret_?(?:access_?)?key)[\"']?[ \t]*(?::=|=>|=|:)[ \t]*[\"']?[A-Za-z0-9/+=]{40}"
            rb"(?![A-Za-z0-9/+=])"
        ),
        (b"secret",),
        folded=True,
    ),
    _Kind(
        "GitHub token",
        re.compile(rb"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"),
        (b"ghp_", b"gho_", b"ghu_", b"ghs_", b"ghr_", b"github_pat_"),
    ),
    _Kind("Slack token", re.compile(rb"\bxox[abposr]-[A-Za-z0-9-]{10,}"), (b"xox",)),
    _Kind(
        "Slack webhook URL",
        re.compile(rb"https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+"),
        (b"hooks.slack.com",),
    ),
    _Kind("Stripe secret key", re.compile(rb"\b[rs]k_live_[A-Za-z0-9]{16,}"), (b"k_live_",)),
    _Kind("Google API key", re.compile(rb"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"), (b"AIza",)),
)

# The generic pattern is checked last, so that a token it surrounds (`api_key = "sk_live_..."`) is named
# by its specific kind; it reports only lines where nothing specific was found.
_ASSIGNMENT = _Kind(
    "password assignment",
    re.compile(
        rb"(?i:password|passwd|client_secret|api_?key|secret_?key)\b[\"']?[ \t]*(?::=|=>|=|:)[ \t]*"
        rb"[\"'](?P<value>[^\"'\s]{8,})[\"']"
    ),
    (b"password", b"passwd", b"client_secret", b"api_key", b"apikey", b"secret_key", b"secretkey"),
    folded=True,
)

# Documentation and test fixtures are full of these; they are not credentials.
_PLACEHOLDER = re.compile(
    rb"(?i)example|changeme|change_me|placeholder|redacted|dummy|sample|your|xxxx|\*\*\*|\$\{|\{\{|%\(|<"
)

_ENV_FILE = re.compile(r"^\.env(\..+)?$")
_ENV_TEMPLATES = {"example", "sample", "template", "dist", "defaults", "schema"}
_KEY_STORES = ("*.p12", "*.pfx", "*.jks", "*.keystore")


@dataclass(frozen=True, order=True)
class SecretFinding:
    """Where something that looks like a credential is; the secret itself is never kept."""

    path: str
    line: int | None
    """None when the file's name, not a line, gives it away (a .env file, a key store)."""
    kind: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.kind}"


@dataclass(frozen=True)
class ScanSummary:
    scanned: int
    skipped_binary: int
    skipped_large: tuple[str, ...]
    """Text files over SCAN_LIMIT_BYTES, which were not scanned."""


@dataclass(frozen=True)
class ScanResult:
    findings: tuple[SecretFinding, ...]
    summary: ScanSummary


def scan_for_secrets(
    root: Path,
    files: Iterable[DepositFile],
    *,
    sealed: Callable[[str], bool],
    progress: ProgressReporter | None = None,
    limit: int = SCAN_LIMIT_BYTES,
) -> ScanResult:
    """Scan every file that is not a link and not `sealed`; findings come sorted by path and line."""
    progress = progress or quiet_progress()
    files = [f for f in files if not f.is_link]
    progress.phase("Scanning for secrets", sum(f.size for f in files))
    findings: list[SecretFinding] = []
    scanned = binary = 0
    large: list[str] = []
    for file in files:
        if sealed(file.path):
            progress.advance(file.size)
            continue
        by_name = secret_by_name(file.path)
        if by_name is not None:
            findings.append(SecretFinding(file.path, None, by_name))
            progress.advance(file.size)
            continue
        if file.size > limit:
            large.append(file.path)
            logger.info("not scanned for secrets (over %d bytes): %s", limit, printable(file.path))
            progress.advance(file.size)
            continue
        found = scan_file(root / file.path, file.path)
        if found is None:
            binary += 1
        else:
            scanned += 1
            findings.extend(found)
        progress.advance(file.size)
    summary = ScanSummary(scanned=scanned, skipped_binary=binary, skipped_large=tuple(large))
    return ScanResult(findings=tuple(sorted(findings, key=_finding_order)), summary=summary)


def _finding_order(f: SecretFinding) -> tuple[str, int]:
    return (f.path, f.line or 0)


def secret_by_name(path: str) -> str | None:
    """The kind of secret a file's name alone reveals, if any."""
    name = PurePosixPath(path).name
    match = _ENV_FILE.match(name)
    if match and (match.group(1) or ".").lstrip(".").lower() not in _ENV_TEMPLATES:
        return "environment file (.env)"
    if any(fnmatch.fnmatch(name.lower(), pattern) for pattern in _KEY_STORES):
        return "key store"
    return None


def scan_file(disk_path: Path, path: str) -> list[SecretFinding] | None:
    """Findings in one file, read in line-aligned chunks; None for a binary file (a NUL byte near the start)."""
    findings: list[SecretFinding] = []
    seen: set[tuple[int, str]] = set()
    line_base = 1
    carry = b""
    with disk_path.open("rb") as stream:
        first = stream.read(_CHUNK)
        if b"\0" in first[:_BINARY_PROBE]:
            return None
        chunk = first
        while True:
            data = carry + chunk
            if not chunk:
                block, carry = data, b""
            else:
                cut = data.rfind(b"\n") + 1
                block, carry = data[:cut], data[cut:]
            found = _findings_in(block, line_base)
            for line, kind in sorted(found):
                if (line, kind) not in seen:
                    seen.add((line, kind))
                    findings.append(SecretFinding(path, line, kind))
            line_base += block.count(b"\n")
            if not chunk:
                return findings
            chunk = stream.read(_CHUNK)


def _findings_in(block: bytes, line_base: int) -> list[tuple[int, str]]:
    """(line, kind) of every secret in a block of whole lines that starts at line `line_base`."""
    folded: bytes | None = None

    def present(kind: _Kind) -> bool:
        nonlocal folded
        if kind.folded and folded is None:
            folded = block.lower()
        haystack = folded if kind.folded else block
        return any(t in haystack for t in kind.triggers)  # type: ignore[operator]

    def line_of(match: re.Match[bytes]) -> int:
        return line_base + block.count(b"\n", 0, match.start())

    found: list[tuple[int, str]] = []
    named: set[int] = set()
    for kind in _KINDS:
        if present(kind):
            for match in kind.pattern.finditer(block):
                named.add(line_of(match))
                # AWS publish AKIAIOSFODNN7EXAMPLE and friends for documentation.
                if b"EXAMPLE" not in match.group():
                    found.append((line_of(match), kind.name))
    if present(_ASSIGNMENT):
        for match in _ASSIGNMENT.pattern.finditer(block):
            line = line_of(match)
            if line not in named and not _PLACEHOLDER.search(match.group("value")):
                found.append((line, _ASSIGNMENT.name))
    return found
