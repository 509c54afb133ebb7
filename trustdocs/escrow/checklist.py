"""The deposit-contents checklist: which required materials (build instructions, lock files…) a deposit holds."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import yaml

from trustdocs.model.convert import build
from trustdocs.model.escrow import DepositItem

SHOWN_MATCHES = 5
"""How many matching paths the manifest lists per item; the count is always given."""


@dataclass(frozen=True)
class ChecklistResult:
    """One checklist item and the deposited paths that satisfy it."""

    item: DepositItem
    matches: tuple[str, ...]

    @property
    def found(self) -> bool:
        return bool(self.matches)


def default_checklist() -> tuple[DepositItem, ...]:
    """The checklist shipped with trustdocs, used when the project's escrow section lists no contents."""
    text = resources.files("trustdocs.escrow").joinpath("default_checklist.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return tuple(build(DepositItem, item) for item in data["contents"])


def evaluate_checklist(items: Iterable[DepositItem], paths: Sequence[str]) -> tuple[ChecklistResult, ...]:
    """Match every item's patterns against the deposited `paths`, keeping their order."""
    return tuple(ChecklistResult(item, matching_paths(item.patterns, paths)) for item in items)


def matching_paths(patterns: Iterable[str], paths: Sequence[str]) -> tuple[str, ...]:
    regex = _any_of(tuple(patterns))
    return tuple(p for p in paths if regex.match(p))


def missing_required(results: Iterable[ChecklistResult]) -> tuple[ChecklistResult, ...]:
    return tuple(r for r in results if r.item.required and not r.found)


@functools.lru_cache(maxsize=64)
def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    # One alternation per item: a tree of 100,000 files is matched in one pass per item.
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{glob_regex(p).pattern})" for p in patterns), re.IGNORECASE | re.DOTALL)


@functools.lru_cache(maxsize=512)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """Compile a checklist glob: without "/" it matches a file name at any depth, with "/" it is anchored
    at the top of the deposit; "*" and "?" stay within one folder, "**" crosses folders; case is ignored
    (LICENSE, License and license.md are the same item)."""
    anchored = "/" in pattern.rstrip("/")
    body = pattern.strip("/")
    if pattern.endswith("/"):
        body += "/**"  # "docs/" means everything under docs
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(prefix + _translate(body) + r"\Z", re.IGNORECASE | re.DOTALL)


def _translate(glob: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(glob):
        c = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[" and (end := glob.find("]", i + 2)) != -1:
            body = glob[i + 1 : end]
            negate = body.startswith("!")
            body = re.escape(body[1:] if negate else body).replace(r"\-", "-")
            out.append(f"[{'^' if negate else ''}{body}]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)
