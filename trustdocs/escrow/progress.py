"""How a deposit reports its progress; the CLI draws a bar, Python callers may ignore it."""

from __future__ import annotations

from typing import Protocol


class ProgressReporter(Protocol):
    def phase(self, description: str, total_bytes: int) -> None:
        """A new phase starts; `advance` will be called until `total_bytes` are done."""

    def advance(self, done_bytes: int) -> None:
        """`done_bytes` more bytes of the current phase are done."""


class _QuietProgress:
    def phase(self, description: str, total_bytes: int) -> None:
        pass

    def advance(self, done_bytes: int) -> None:
        pass


def quiet_progress() -> ProgressReporter:
    return _QuietProgress()
