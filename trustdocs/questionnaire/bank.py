"""The question bank shipped as package data: questions, their domains, derivers and evidence."""

from __future__ import annotations

import functools
import inspect
import logging
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from trustdocs.model.questionnaire import OWNERSHIPS, Ownership
from trustdocs.questionnaire.derive import path_type, registry

logger = logging.getLogger(__name__)

BANK_FILE = "question_bank.yaml"
_ID = re.compile(r"^[A-Z]{3}-\d{2}$")
_PATH_PARAM = "path"


class BankError(ValueError):
    """The question bank is inconsistent; a packaging bug, caught by the tests."""


@dataclass(frozen=True)
class Section:
    """Where the packet states an answer: a heading of one document, and the part of the model behind it."""

    title: str
    """As the answer library prints it, e.g. "Product Security Document — Data protection"."""
    document: str
    """The document's name in trustdocs.render.documents, e.g. "security"."""
    heading: str
    """The heading's id, or its title when it has none; its number is read from the rendered document."""
    source: str
    """The dotted model path whose YAML file and line a citation gives, e.g. "security.encryption"."""


@dataclass(frozen=True)
class Question:
    id: str
    domain: str
    question: str
    derive: str
    evidence: str
    """The document and section that answers it, e.g. "Product Security Document — Data protection"."""
    params: tuple[tuple[str, Any], ...] = ()
    aliases: tuple[str, ...] = ()
    place: Section | None = None
    """The section cited: the question's `section` (a sub-section), else the one named by `evidence`."""
    source: str = ""
    """The dotted model path cited as the answer's YAML source: the question's own `source`, else its
    deriver's `path`, else the section's."""
    ownership: Ownership | None = None
    """Who owns the control asked about, for CAIQ's ownership column; None when the bank does not say."""

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(self.params)


@dataclass(frozen=True)
class QuestionBank:
    questions: tuple[Question, ...]
    domains: tuple[tuple[str, str], ...]
    """Domain key and its display name, in bank order."""

    def __len__(self) -> int:
        return len(self.questions)

    def by_id(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def domain_name(self, domain: str) -> str:
        return dict(self.domains)[domain]


@functools.cache
def load_bank() -> QuestionBank:
    """The bank shipped with trustdocs, checked once per process."""
    text = resources.files("trustdocs.questionnaire").joinpath(BANK_FILE).read_text(encoding="utf-8")
    return parse_bank(yaml.safe_load(text))


def parse_bank(data: Any) -> QuestionBank:
    """Build and check a bank from its YAML data; raises BankError listing every problem."""
    problems: list[str] = []
    domains = data.get("domains") or {}
    sections: dict[str, Section] = {}
    for key, entry in (data.get("sections") or {}).items():
        if not isinstance(entry, dict) or set(entry) != {"title", "document", "heading", "source"}:
            problems.append(f"sections.{key}: needs exactly title, document, heading and source")
            continue
        sections[key] = Section(**{k: str(v) for k, v in entry.items()})
    derivers = registry()
    questions: list[Question] = []
    seen: set[str] = set()
    for index, entry in enumerate(data.get("questions") or []):
        where = f"questions[{index}] ({entry.get('id', '?')})"
        missing = [k for k in ("id", "domain", "question", "derive", "evidence") if not entry.get(k)]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
            continue
        unknown = set(entry) - {
            "id",
            "domain",
            "question",
            "derive",
            "evidence",
            "params",
            "aliases",
            "source",
            "section",
            "ownership",
        }
        if unknown:
            problems.append(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        if not _ID.match(entry["id"]):
            problems.append(f"{where}: id must look like 'CRY-03'")
        if entry["id"] in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(entry["id"])
        if entry["domain"] not in domains:
            problems.append(f"{where}: unknown domain '{entry['domain']}'")
        if entry["evidence"] not in sections:
            problems.append(f"{where}: unknown evidence section '{entry['evidence']}'")
        params = entry.get("params") or {}
        problems += _check_deriver(where, entry["derive"], params, derivers)
        ownership = entry.get("ownership")
        if ownership is not None and ownership not in OWNERSHIPS:
            problems.append(f"{where}: ownership must be one of {', '.join(OWNERSHIPS)}")
        if entry.get("section") and entry["section"] not in sections:
            problems.append(f"{where}: unknown section '{entry['section']}'")
        # `evidence` is what the answer library prints; `section` (when given) the sub-section cited.
        place = sections.get(entry.get("section") or entry["evidence"])
        evidence = sections.get(entry["evidence"])
        source = str(entry.get("source") or params.get(_PATH_PARAM) or (place.source if place else ""))
        if entry.get("source"):  # a `path` param is checked with the deriver's params
            try:
                path_type(source)
            except AttributeError as error:
                problems.append(f"{where}: source: {error}")
        questions.append(
            Question(
                id=entry["id"],
                domain=entry["domain"],
                question=entry["question"],
                derive=entry["derive"],
                evidence=evidence.title if evidence else "",
                params=tuple(sorted(params.items())),
                aliases=tuple(entry.get("aliases") or ()),
                place=place,
                source=source,
                ownership=ownership if ownership in OWNERSHIPS else None,
            )
        )
    if problems:
        raise BankError("the question bank has problems:\n" + "\n".join(problems))
    return QuestionBank(tuple(questions), tuple(domains.items()))


def _check_deriver(where: str, name: str, params: dict[str, Any], derivers: Any) -> list[str]:
    function = derivers.get(name)
    if function is None:
        return [f"{where}: unknown deriver '{name}'"]
    try:
        inspect.signature(function).bind(None, **params)
    except TypeError as error:
        return [f"{where}: deriver '{name}' does not accept these params ({error})"]
    if _PATH_PARAM in params:
        try:
            path_type(params[_PATH_PARAM])
        except AttributeError as error:
            return [f"{where}: {error}"]
    return []
