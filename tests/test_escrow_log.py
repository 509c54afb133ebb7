"""The deposit log: each deposit appended as YAML text, keeping the file's comments and layout."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from trustdocs.errors import TrustdocsError
from trustdocs.escrow import deposit_time, make_deposit, parse_deposit_date, record_deposit
from trustdocs.escrow.deposit_log import append_deposit, entry_text, with_entry
from trustdocs.model.convert import build
from trustdocs.model.escrow import Deposit

UTC = dt.UTC
ENTRY = Deposit(
    date=dt.datetime(2026, 3, 14, 2, 10, tzinfo=UTC),
    commit="0123456789abcdef0123456789abcdef01234567",
    archive_sha256="ab" * 32,
    files=12,
    bytes=3456,
    verification="passed",
    dirty=False,
    note="acme-20260314T021000Z-0123456789ab.tar.gz",
)
ENTRY_LINES = (
    '- date: "2026-03-14T02:10:00Z"\n'
    '  commit: "0123456789abcdef0123456789abcdef01234567"\n'
    f'  archive_sha256: "{"ab" * 32}"\n'
    "  files: 12\n"
    "  bytes: 3456\n"
    "  verification: passed\n"
    "  dirty: false\n"
    '  note: "acme-20260314T021000Z-0123456789ab.tar.gz"\n'
)


def indented(text: str, by: int) -> str:
    return "".join(" " * by + line for line in text.splitlines(keepends=True))


def test_an_entry_is_written_as_yaml_that_reads_back_as_the_same_deposit() -> None:
    assert entry_text(ENTRY, 0) == ENTRY_LINES
    data = yaml.safe_load(entry_text(ENTRY, 0))[0]
    assert data["date"] == "2026-03-14T02:10:00Z"  # a string, as the schema wants, not a YAML timestamp
    assert build(Deposit, data) == ENTRY


def test_a_missing_log_is_created_with_a_header(tmp_path: Path) -> None:
    log = tmp_path / "legal" / "escrow-deposits.yaml"
    append_deposit(log, ENTRY)
    assert log.read_text() == (
        "# Escrow deposit log: one entry per deposit, appended by `trustdocs escrow deposit`.\n"
        "# The escrow procedure document lists these deposits; edit only the notes.\n"
        "deposits:\n" + indented(ENTRY_LINES, 2)
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            '# Deposits made so far\ndeposits:\n  - date: "2026-01-01T00:00:00Z"  # first\n    commit: null\n'
            '    archive_sha256: "cd"\n    files: 1\n    bytes: 2\n    verification: failed\n\n# end of log\n',
            '# Deposits made so far\ndeposits:\n  - date: "2026-01-01T00:00:00Z"  # first\n    commit: null\n'
            '    archive_sha256: "cd"\n    files: 1\n    bytes: 2\n    verification: failed\n'
            + indented(ENTRY_LINES, 2)
            + "\n# end of log\n",
            id="block list, comments kept",
        ),
        pytest.param(
            'deposits:\n- date: "2026-01-01T00:00:00Z"\n  commit: null\n  note: |\n    multi\n    line\nowner: legal\n',
            'deposits:\n- date: "2026-01-01T00:00:00Z"\n  commit: null\n  note: |\n    multi\n    line\n'
            + ENTRY_LINES
            + "owner: legal\n",
            id="unindented list followed by another key",
        ),
        pytest.param(
            "deposits: []  # none yet\n", "deposits:   # none yet\n" + indented(ENTRY_LINES, 2), id="empty flow list"
        ),
        pytest.param(
            "deposits:\n# nothing yet\n", "deposits:\n" + indented(ENTRY_LINES, 2) + "# nothing yet\n", id="empty value"
        ),
        pytest.param("# log\n", "# log\ndeposits:\n" + indented(ENTRY_LINES, 2), id="only comments"),
        pytest.param("owner: legal", "owner: legal\ndeposits:\n" + indented(ENTRY_LINES, 2), id="no deposits key"),
    ],
)
def test_appending_keeps_everything_else(before: str, after: str) -> None:
    assert with_entry(before, ENTRY, "log.yaml") == after
    earlier = (yaml.safe_load(before) or {}).get("deposits") or []
    assert len(yaml.safe_load(after)["deposits"]) == len(earlier) + 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "deposits: [{date: x}]\n",
            "log.yaml: write `deposits:` as a block list (one `- date: ...` per entry) so that entries can be appended",
        ),
        ("deposits: 3\n", "log.yaml: `deposits` must be a list"),
        ("- a\n", "log.yaml: a deposit log is a mapping with a `deposits:` list"),
    ],
)
def test_logs_that_cannot_be_appended_to(text: str, message: str) -> None:
    with pytest.raises(TrustdocsError) as error:
        with_entry(text, ENTRY, "log.yaml")
    assert error.value.message == message


def test_a_log_that_is_not_yaml_is_reported_and_left_alone(tmp_path: Path) -> None:
    log = tmp_path / "log.yaml"
    log.write_text("deposits: [\n")
    with pytest.raises(TrustdocsError) as error:
        append_deposit(log, ENTRY)
    assert error.value.message.startswith(f"{log}: cannot append to the deposit log, it is not valid YAML: ")
    assert log.read_text() == "deposits: [\n"


def test_a_deposit_is_verified_and_recorded(tmp_path: Path) -> None:
    tree = tmp_path / "acme"
    tree.mkdir()
    (tree / "README.md").write_text("x\n")
    (tree / "LICENSE").write_text("x\n")
    result = make_deposit(tree, tmp_path / "out", when=deposit_time(parse_deposit_date("2026-03-14T02:10:00Z")))
    log = tmp_path / "escrow-deposits.yaml"
    log.write_text("# kept\ndeposits:\n")

    entry = record_deposit(result, log)

    assert entry == Deposit(
        date=dt.datetime(2026, 3, 14, 2, 10, tzinfo=UTC),
        commit=None,
        archive_sha256=result.manifest.archive_sha256,
        files=2,
        bytes=result.archive.stat().st_size,
        verification="failed",
        dirty=False,
        note="acme-20260314T021000Z.tar.gz; required items missing: dependency_manifests",
    )
    text = log.read_text()
    assert text.startswith('# kept\ndeposits:\n  - date: "2026-03-14T02:10:00Z"\n    commit: null\n')
    assert build(Deposit, yaml.safe_load(text)["deposits"][0]) == entry
