"""Answers derived from the model: a registry of small named deriver functions and the generic ones.

A question in the bank names its deriver (`derive: customer_sso`) and may pass it `params`; the deriver
reads the (audience-filtered) project and returns an `Answer`. There is no `eval`: the bank can only name
functions registered here with `@deriver`. A deriver that finds nothing in the model to go on returns a
"needs review" answer (value None) saying what is missing; it never guesses.

The specific derivers live in `security_answers` (governance to network), `assurance_answers` (development
to compliance), `contract_answers` (SLA, support, escrow) and `liability_answers` (insurance,
indemnification); `registry()` imports them so that every name is known.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from trustdocs.model.project import Project

logger = logging.getLogger(__name__)

AnswerValue = Literal["Yes", "No", "N/A"]
Deriver = Callable[..., "Answer"]

_DERIVERS: dict[str, Deriver] = {}


@dataclass(frozen=True)
class Answer:
    """What the model says about one question: Yes, No, N/A, or None for "needs review"."""

    value: AnswerValue | None
    detail: str
    evidence: str = ""
    """Which section of which document states it; the question's own evidence when left empty."""

    @property
    def needs_review(self) -> bool:
        return self.value is None


def yes(detail: str) -> Answer:
    return Answer("Yes", detail)


def no(detail: str) -> Answer:
    return Answer("No", detail)


def not_applicable(detail: str) -> Answer:
    return Answer("N/A", detail)


def review(detail: str) -> Answer:
    return Answer(None, detail)


def deriver(name: str) -> Callable[[Deriver], Deriver]:
    """Register a deriver under `name`, the name the question bank uses; each name once."""

    def register(function: Deriver) -> Deriver:
        if name in _DERIVERS:
            raise ValueError(f"deriver {name!r} is registered twice")
        _DERIVERS[name] = function
        return function

    return register


def registry() -> Mapping[str, Deriver]:
    """Every registered deriver by name."""
    # The deriver modules register on import; importing them here means no caller has to remember to.
    from trustdocs.questionnaire import (  # noqa: F401
        assurance_answers,
        contract_answers,
        liability_answers,
        security_answers,
    )

    return types.MappingProxyType(_DERIVERS)


def derive(name: str, project: Project, params: Mapping[str, Any] | None = None) -> Answer:
    """Run the deriver `name` with `params` on `project`."""
    function = registry().get(name)
    if function is None:
        raise KeyError(f"unknown deriver {name!r}")
    return function(project, **dict(params or {}))


# Wording ------------------------------------------------------------------------------------------------

_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def plain(text: str, limit: int = 400) -> str:
    """Free text as one line without Markdown emphasis, cut after whole sentences to about `limit` characters."""
    flat = " ".join(_EMPHASIS.sub("", text).split())
    if len(flat) <= limit:
        return flat
    kept = ""
    for sentence in _SENTENCE_END.split(flat):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    if kept:
        return kept
    cut = flat[:limit].rsplit(" ", 1)[0]
    return f"{cut}…"


def sentence(text: str) -> str:
    """`text` ending in a full stop, unless it already ends in one (or in ?, !, …)."""
    text = text.rstrip()
    return text if not text or text[-1] in ".?!…" else f"{text}."


def join(items: Iterable[str], last: str = "and") -> str:
    """ "A", "A and B", "A, B and C"."""
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def months_phrase(months: int) -> str:
    """12 -> "every 12 months", 1 -> "every month", 3 -> "every 3 months"."""
    return "every month" if months == 1 else f"every {months} months"


def contains_any(text: str, needles: Iterable[str]) -> bool:
    lowered = text.lower()
    return any(n.lower() in lowered for n in needles)


def as_list(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


# Dotted paths into the model -----------------------------------------------------------------------------

_MISSING = object()


def resolve(project: Project, path: str) -> Any:
    """The value at a dotted path such as "security.identity.customer.mfa"; None when a step is None."""
    value: Any = project
    for step in path.split("."):
        if value is None:
            return None
        value = getattr(value, step, _MISSING)
        if value is _MISSING:
            raise AttributeError(f"the model has no field '{path}' (no '{step}')")
    return value


def path_type(path: str) -> Any:
    """The declared type at a dotted path of Project (None unwrapped); raises AttributeError if there is none."""
    current: Any = Project
    for step in path.split("."):
        current = _strip_optional(current)
        if not (isinstance(current, type) and dataclasses.is_dataclass(current)):
            raise AttributeError(f"the model has no field '{path}' ('{step}' is below a plain value)")
        hints = typing.get_type_hints(current)
        if step not in hints or step not in {f.name for f in dataclasses.fields(current)}:
            raise AttributeError(f"the model has no field '{path}' (no '{step}' in {current.__name__})")
        current = hints[step]
    return _strip_optional(current)


def _strip_optional(hint: Any) -> Any:
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else hint
    return hint


def _section_unstated(project: Project, path: str) -> bool:
    """True when the path runs through a section left entirely at its defaults (e.g. no `privacy:` given).

    Sections such as `privacy` or `personnel` exist in the model even when the input leaves them out; a
    default False there is not a statement by the vendor, so it must not become a "No".
    """
    value: Any = project
    for step in path.split(".")[:-1]:
        value = getattr(value, step, None)
        if value is None:
            return True
        if dataclasses.is_dataclass(value) and _is_default(value):
            return True
    return False


def _is_default(value: Any) -> bool:
    try:
        return bool(value == type(value)())
    except TypeError:  # a section with required fields is never a pure default
        return False


# Generic derivers ---------------------------------------------------------------------------------------


@deriver("not_in_model")
def not_in_model(project: Project, topic: str) -> Answer:
    """A question the model has no field for: always for review."""
    return review(f"The model does not record {topic}; answer by hand.")


@deriver("flag")
def flag(project: Project, path: str, yes_detail: str, no_detail: str) -> Answer:
    """A yes/no fact of the model, e.g. security.identity.customer.scim."""
    if _section_unstated(project, path):
        return review(f"The model does not state this ({path}).")
    value = resolve(project, path)
    if value is None:
        return review(f"The model does not state this ({path}).")
    return yes(yes_detail) if value else no(no_detail)


@deriver("text")
def text(project: Project, path: str, prefix: str = "") -> Answer:
    """Yes with the model's own wording when a free-text field is filled in; otherwise for review."""
    if _section_unstated(project, path):
        return review(f"The model does not describe this ({path}).")
    value = resolve(project, path)
    if not value or not str(value).strip():
        return review(f"The model does not describe this ({path}).")
    return yes(sentence(f"{prefix}{plain(str(value))}"))


@deriver("number")
def number(
    project: Project, path: str, detail: str, at_most: float | None = None, at_least: float | None = None
) -> Answer:
    """A figure compared with a bound: Yes when within it (or when there is no bound), No otherwise.

    `detail` is worded with `{value}` where the figure goes, e.g. "Access is reviewed every {value} months."
    """
    if _section_unstated(project, path):
        return review(f"The model does not state this figure ({path}).")
    value = resolve(project, path)
    if value is None:
        return review(f"The model does not state this figure ({path}).")
    shown = _number_text(value)
    words = detail.format(value=shown)
    if at_most is not None and value > at_most:
        return no(words)
    if at_least is not None and value < at_least:
        return no(words)
    return yes(words)


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@deriver("policy")
def policy(project: Project, match: str | list[str]) -> Answer:
    """Yes when the organisation's policy list has a policy whose name matches; review when none is listed."""
    policies = project.security.organisation.policies
    found = [p for p in policies if contains_any(p, as_list(match))]
    if found:
        return yes(f"Documented in the {join(found)}.")
    if not policies:
        return review("The model lists no security policies (security.organisation.policies).")
    return review(
        f"None of the {plural(len(policies), 'listed policy', 'listed policies')} "
        f"matches ({join(policies)}); answer by hand."
    )


@deriver("control")
def control(project: Project, match: str | list[str]) -> Answer:
    """Yes naming the controls whose name or description matches; the control list is not exhaustive,
    so finding none means review, not No."""
    found = [c for c in project.security.controls if contains_any(f"{c.name} {c.description}", as_list(match))]
    if not found:
        return review("No control in the model matches this question; answer by hand.")
    parts = [f"{c.name} ({c.id})" + (f": {plain(c.description, 200)}" if c.description else "") for c in found]
    return yes(sentence("; ".join(p.rstrip(".") for p in parts)))


@deriver("principle")
def principle(project: Project, match: str | list[str]) -> Answer:
    """Yes when a stated security principle matches, else any matching control; review when neither."""
    stated = [p for p in project.security.organisation.principles if contains_any(p, as_list(match))]
    if stated:
        return yes(f"A stated security principle: {join(stated)}.")
    return control(project, match)
