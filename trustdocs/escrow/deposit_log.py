"""The project's deposit log: every deposit appended as YAML text, so the file's comments and layout survive."""

from __future__ import annotations

import datetime as dt
import glob
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from trustdocs.errors import BuildError, TrustdocsError
from trustdocs.escrow.deposit import DepositResult
from trustdocs.escrow.locking import folder_locked
from trustdocs.escrow.verify import VerificationReport, verify_deposit
from trustdocs.model.escrow import Deposit

logger = logging.getLogger(__name__)

LOG_HEADER = (
    "# Escrow deposit log: one entry per deposit, appended by `trustdocs escrow deposit`.\n"
    "# The escrow procedure document lists these deposits; edit only the notes.\n"
)


def record_deposit(result: DepositResult, log_path: Path) -> Deposit:
    """Verify the fresh deposit and append it, with the verification result, to the log at `log_path`."""
    report = verify_deposit(result.archive, result.manifest_path)
    entry = deposit_entry(result, report)
    append_deposit(log_path, entry)
    return entry


def deposit_entry(result: DepositResult, report: VerificationReport | None) -> Deposit:
    m = result.manifest
    notes = [m.archive_name]
    if not m.reproducible:
        notes.append("dated by the clock, so it cannot be reproduced")
    if result.missing_required:
        notes.append("required items missing: " + ", ".join(r.item.id for r in result.missing_required))
    if report is None:
        verification = "not_verified"
    else:
        verification = "passed" if report.passed else "failed"
    return Deposit(
        date=dt.datetime.fromisoformat(m.deposit_date.replace("Z", "+00:00")),
        commit=m.commit,
        archive_sha256=m.archive_sha256,
        files=m.total_files,
        bytes=m.archive_bytes,
        verification=verification,  # type: ignore[arg-type]
        dirty=bool(m.dirty),
        note="; ".join(notes),
    )


def entry_text(entry: Deposit, indent: int) -> str:
    """One list item of the log. Strings are double-quoted so YAML keeps them strings (a date, a hex commit)."""
    date = entry.date.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    fields: list[tuple[str, Any]] = [
        ("date", date),
        ("commit", entry.commit),
        ("archive_sha256", entry.archive_sha256),
        ("files", entry.files),
        ("bytes", entry.bytes),
        ("verification", entry.verification),
        ("dirty", entry.dirty),
        ("note", entry.note),
    ]
    pad = " " * indent
    lines = []
    for i, (key, value) in enumerate(fields):
        lead = f"{pad}- " if i == 0 else f"{pad}  "
        lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value in ("passed", "failed", "not_verified"):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def append_deposit(log_path: Path, entry: Deposit) -> None:
    """Append `entry` to the `deposits:` list at `log_path`, creating the file (with a header) if missing.

    Read, change and replace happen under a lock on the log's folder, so deposits made at the same time
    each add their entry instead of one overwriting another's.
    """
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with folder_locked(log_path.parent):
            _remove_stale_parts(log_path)
            _append_locked(log_path, entry)
    except OSError as exc:
        raise BuildError(f"cannot write the deposit log {log_path}: {exc.strerror or exc}") from exc
    logger.info("recorded the deposit in %s", log_path)


def _remove_stale_parts(log_path: Path) -> None:
    """Temporary copies of the log left by a run killed while writing; only the lock holder writes one."""
    for part in log_path.parent.glob(f".{glob.escape(log_path.name)}.*.part"):
        if part.is_file() and not part.is_symlink():
            part.unlink()
            logger.info("removed %s, left by a deposit that did not finish", part)


def _append_locked(log_path: Path, entry: Deposit) -> None:
    if log_path.exists():
        try:
            text = log_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TrustdocsError(f"cannot read the deposit log {log_path}: {exc}") from exc
    else:
        text = LOG_HEADER + "deposits:\n"
    updated = with_entry(text, entry, str(log_path))
    if len(_deposits(updated, str(log_path))) != len(_deposits(text, str(log_path))) + 1:
        raise BuildError(
            f"{log_path}: could not append the deposit without changing the log's meaning; "
            "rewrite `deposits:` as a plain block list"
        )
    _write_atomically(log_path, updated)


def with_entry(text: str, entry: Deposit, name: str) -> str:
    """`text` with `entry` added as the last item of its `deposits:` list, all else untouched."""
    if text and not text.endswith("\n"):
        text += "\n"
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise TrustdocsError(f"{name}: cannot append to the deposit log, it is not valid YAML: {exc}") from exc
    if root is None:  # empty, or only comments
        return text + "deposits:\n" + entry_text(entry, 2)
    if not isinstance(root, yaml.MappingNode):
        raise TrustdocsError(f"{name}: a deposit log is a mapping with a `deposits:` list")
    for key, value in root.value:  # noqa: B007  the loop finds `value`
        if key.value == "deposits":
            break
    else:
        return text + "deposits:\n" + entry_text(entry, 2)
    if isinstance(value, yaml.SequenceNode) and value.value:
        if value.flow_style:
            raise TrustdocsError(
                f"{name}: write `deposits:` as a block list (one `- date: ...` per entry) "
                "so that entries can be appended"
            )
        at = _after_line(text, _last_scalar_end(value))
        return text[:at] + entry_text(entry, value.start_mark.column) + text[at:]
    if isinstance(value, yaml.SequenceNode) or (
        isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:null"
    ):
        # `deposits:`, `deposits: []` or `deposits: null`: drop the empty value, list under the key.
        if value.end_mark.index > value.start_mark.index:
            text = text[: value.start_mark.index] + text[value.end_mark.index :]
        at = _after_line(text, key.end_mark.index)
        return text[:at] + entry_text(entry, 2) + text[at:]
    raise TrustdocsError(f"{name}: `deposits` must be a list")


def _last_scalar_end(node: yaml.Node) -> int:
    if isinstance(node, yaml.ScalarNode):
        return node.end_mark.index
    children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
    return max(_last_scalar_end(child) for child in children) if children else node.end_mark.index


def _after_line(text: str, index: int) -> int:
    """The start of the line after the one holding `index` (a block scalar may already end at a line start)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    newline = text.find("\n", index)
    return len(text) if newline == -1 else newline + 1


def _deposits(text: str, name: str) -> list[Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BuildError(f"{name}: the deposit log would not be valid YAML after appending: {exc}") from exc
    deposits = data.get("deposits") if isinstance(data, dict) else None
    return deposits if isinstance(deposits, list) else []


def _write_atomically(path: Path, text: str) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
