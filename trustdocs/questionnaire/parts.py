"""Multi-part questions: one question that asks several things, split into the parts answered one by one.

Three shapes are split:

- a list of named things joined by "and" ("RTO and RPO", "SAML, OIDC and SCIM", "at rest and in
  transit", "ISO 27001 and SOC 2"): one part per thing, the rest of the question kept around it;
- a list of lifecycle steps ("established, documented, approved, communicated, applied, evaluated and
  maintained"): one step per part, each checked against what the model states (`LIFECYCLE`);
- a follow-up clause (", and how long are logs retained?"): the clause is a part of its own.

"Or" never splits: "SAML or Shibboleth" is answered by either.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from trustdocs.model.project import Project

# Things a questionnaire lists in one question; each alternative is one term (longest first within it).
_TERMS = (
    r"recovery time(?: objectives?)?(?: \(rto\))?",
    r"recovery point(?: objectives?)?(?: \(rpo\))?",
    r"\brtos?\b",
    r"\brpos?\b",
    r"at[- ]rest",
    r"in[- ](?:transit|motion)",
    r"saml(?: 2\.0)?(?: sso| single sign[- ]on)?",
    r"scim(?: 2\.0)?(?: provisioning)?",
    r"\boidc\b|openid connect",
    r"single sign[- ]on(?: \(sso\))?|\bsso\b",
    r"multi[- ]factor authentication(?: \(mfa\))?|\bmfa\b|\b2fa\b",
    r"role[- ]based access control(?: \(rbac\))?|\brbac\b",
    r"\bsast\b",
    r"\bdast\b",
    r"\bsboms?\b",
    r"\biso(?:/iec)? ?270(?:01|17|18)(?::20\d\d)?(?: certifications?)?",
    r"\bsoc ?(?:2|ii)(?: type (?:2|ii))?(?: reports?)?",
    r"\bpci(?: dss)?\b",
    r"\bfedramp\b",
    r"\bhipaa\b",
    r"\bcsa star\b",
    r"\bcyber essentials(?: plus)?\b",
    r"\bwaf\b|web application firewall",
    r"\bddos (?:protection|mitigation)\b",
)
_TERM = re.compile("|".join(f"(?:{t})" for t in _TERMS), re.I)
_JOIN = re.compile(r"^\s*(?:,|/|&|,?\s*(?:and|as well as|plus)\b)\s*(?:also\s+)?$", re.I)
_BOTH = re.compile(r"\bboth\s+$", re.I)

LIFECYCLE_STEPS = (
    "established",
    "documented",
    "approved",
    "communicated",
    "published",
    "applied",
    "implemented",
    "enforced",
    "evaluated",
    "reviewed",
    "maintained",
    "updated",
    "tested",
)
_STEP = re.compile(
    r"\b(?:" + "|".join(LIFECYCLE_STEPS) + r"|(?!(?:based|need|related|required|used|named|needed)\b)[a-z]{3,}ed)\b",
    re.I,
)
"""A lifecycle step, or any other past participle ("encrypted and tested" asks two things too)."""
_FOLLOW_UP = re.compile(
    r",\s*(?:and\s+)?(?=(?:(?:on|in|by|at|for|to|with|from)\s+)?"
    r"(?:how|what|which|who|whom|when|where|is|are|do|does|can|will|please)\b)",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[?])\s+(?=\S)")
"""A boundary between two questions asked in one cell ("...? And can we ...?")."""
_LEAD = re.compile(r"^(?:and|also|plus|if so|if yes)\b[,\s]*", re.I)
_IF_SO = re.compile(r"\?\s*(?:if (?:so|yes)|and if so)\s*,?\s*", re.I)


@dataclass(frozen=True)
class Part:
    """One thing a question asks."""

    label: str
    """What review reasons call it: "RPO", "communicated", "how long are logs retained"."""
    text: str
    """The question as it would read asking only this part."""
    step: str = ""
    """For a lifecycle step ("approved"), the step; the part is then checked with `LIFECYCLE`."""
    follow_up: bool = False
    """Whether it is a clause asked after the question (", and with which ciphers?"): its subject is the
    earlier parts'."""


def _runs(text: str, pattern: re.Pattern[str]) -> list[list[re.Match[str]]]:
    """Runs of two or more matches of `pattern` joined only by list punctuation and "and"."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    for match in pattern.finditer(text):
        if current and _JOIN.match(text[current[-1].end() : match.start()]):
            current.append(match)
            continue
        if len(current) > 1:
            runs.append(current)
        current = [match]
    if len(current) > 1:
        runs.append(current)
    # "A, B or C" asks for any one of them: only runs whose last joint is "and" (or a comma list) split.
    return [run for run in runs if not re.search(r"\bor\b", text[run[0].start() : run[-1].end()], re.I)]


_SHARED_HEAD = re.compile(r"\s(objectives?|certifications?|reports?)$", re.I)


def _substituted(text: str, run: list[re.Match[str]]) -> list[Part]:
    start, end = run[0].start(), run[-1].end()
    before = _BOTH.sub("", text[:start])
    # "recovery time and recovery point objectives": the last item's head noun belongs to every item.
    head = _SHARED_HEAD.search(run[-1][0])
    parts = []
    for match in run:
        item = match[0].strip()
        if head and not _SHARED_HEAD.search(item):
            item = f"{item} {head[1]}"
        parts.append(Part(match[0].strip(), f"{before}{item}{text[end:]}".strip()))
    return parts


def split_question(text: str) -> tuple[Part, ...]:
    """The parts of `text`; a single part (the whole question) when it asks one thing."""
    text = _IF_SO.sub(", and ", " ".join(text.split()))
    sentences = [s for s in _SENTENCE.split(text) if s.strip()]
    if len(sentences) >= 2 and all(len(s.split()) >= 2 for s in sentences):
        # "Do you support SCIM? And can we define custom roles?": each further question is a part of its own.
        rest = [_LEAD.sub("", s).strip() for s in sentences[1:]]
        return (
            *split_question(sentences[0]),
            *(Part(r.rstrip(" ?"), r[0].upper() + r[1:], follow_up=True) for r in rest if r),
        )
    clauses = _FOLLOW_UP.split(text, maxsplit=1)
    if len(clauses) == 2 and len(clauses[0].split()) >= 3 and len(clauses[1].split()) >= 2:
        first, second = clauses[0].rstrip(" ,?") + "?", clauses[1].strip()
        return (
            *split_question(first),
            Part(second.rstrip(" ?"), second[0].upper() + second[1:], follow_up=True),
        )
    steps = _runs(text, _STEP)
    if steps:
        return tuple(
            Part(p.label.lower(), p.text, step=p.label.lower() if p.label.lower() in LIFECYCLE_STEPS else "")
            for p in _substituted(text, steps[0])
        )
    terms = _runs(text, _TERM)
    if terms:
        return tuple(_substituted(text, terms[0]))
    return (Part(text, text),)


# -- lifecycle steps: what in the model states each one ----------------------------------------------------


@dataclass(frozen=True)
class StepSupport:
    stated: bool
    detail: str
    source: str = ""


def _written(project: Project) -> StepSupport:
    policies = project.security.organisation.policies
    return StepSupport(bool(policies), "", "security.organisation.policies")


def _approved(project: Project) -> StepSupport:
    approvers = project.document.approvers
    names = ", ".join(f"{a.name} ({a.role})" for a in approvers)
    return StepSupport(bool(approvers), f"Approved by {names}." if approvers else "", "document.approvers")


def _reviewed(project: Project) -> StepSupport:
    months = project.document.review_cycle_months
    return StepSupport(
        bool(months and project.security.organisation.policies),
        f"Policies are reviewed at least every {months} months." if months else "",
        "document.review_cycle_months",
    )


LIFECYCLE: dict[str, Callable[[Project], StepSupport] | None] = {
    "established": _written,
    "documented": _written,
    "published": _written,
    "approved": _approved,
    "reviewed": _reviewed,
    "evaluated": _reviewed,
    "maintained": _reviewed,
    "updated": _reviewed,
    # The model records no evidence of these; a person answers them.
    "communicated": None,
    "applied": None,
    "implemented": None,
    "enforced": None,
    "tested": None,
}
"""Each lifecycle step a question may list, and the model fact that states it for documented policies
(None: the model states nothing that shows it)."""
