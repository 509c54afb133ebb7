"""Derivers for insurance, indemnification and the limitation of liability."""

from __future__ import annotations

import re
from decimal import Decimal

from trustdocs.analyse.durations import format_commitment
from trustdocs.analyse.liability import cap_amount, format_money, insurance_covers_super_cap
from trustdocs.model.legal import POLICY_TYPE_NAMES, Cap, Policy
from trustdocs.model.project import Project
from trustdocs.questionnaire.derive import (
    Answer,
    as_list,
    deriver,
    join,
    no,
    not_applicable,
    plain,
    review,
    sentence,
    yes,
)

_NO_INSURANCE = "The model has no insurance programme (insurance)."
_NO_INDEMNITY = "The model has no indemnification terms (indemnification)."


# Insurance ----------------------------------------------------------------------------------------------


def _policy_words(policy: Policy, currency: str) -> str:
    limit = (
        f"{format_money(policy.per_claim_limit, currency)} per claim"
        if policy.per_claim_limit is not None
        else "statutory limits"
    )
    aggregate = (
        f", {format_money(policy.aggregate_limit, currency)} aggregate"
        if policy.aggregate_limit is not None and policy.aggregate_limit != policy.per_claim_limit
        else ""
    )
    return f"{POLICY_TYPE_NAMES[policy.type]}: {limit}{aggregate}, {policy.carrier} ({policy.am_best_rating})"


@deriver("insurance_policy")
def insurance_policy(project: Project, types: str | list[str]) -> Answer:
    insurance = project.insurance
    if insurance is None:
        return review(_NO_INSURANCE)
    wanted = as_list(types)
    found = [p for p in insurance.policies if p.type in wanted]
    missing = [POLICY_TYPE_NAMES[t] for t in wanted if t not in {p.type for p in found}]
    held = "; ".join(_policy_words(p, insurance.currency) for p in found)
    if missing:
        return no(f"Not held: {join(missing)}." + (f" Held: {held}." if held else ""))
    return yes(sentence(held))


@deriver("policy_limit_at_least")
def policy_limit_at_least(project: Project, type: str, amount: int) -> Answer:  # noqa: A002  (the yaml key)
    insurance = project.insurance
    if insurance is None:
        return review(_NO_INSURANCE)
    found = [p for p in insurance.policies if p.type == type and p.per_claim_limit is not None]
    if not found:
        return no(f"No {POLICY_TYPE_NAMES[type]} policy is held.")
    best = max(found, key=lambda p: p.per_claim_limit or 0)
    words = _policy_words(best, insurance.currency) + "."
    return yes(words) if (best.per_claim_limit or 0) >= amount else no(words)


@deriver("insurance_certificate")
def insurance_certificate(project: Project) -> Answer:
    if project.insurance is None:
        return review(_NO_INSURANCE)
    cert = project.insurance.certificate
    delivery = f" {plain(cert.delivery, 240)}" if cert.delivery else ""
    return yes(sentence(f"A certificate of insurance ({cert.form}) from {cert.broker}.{delivery}"))


def _policies_with(project: Project, attribute: str) -> Answer:
    if project.insurance is None:
        return review(_NO_INSURANCE)
    found = [POLICY_TYPE_NAMES[p.type] for p in project.insurance.policies if getattr(p, attribute)]
    if not found:
        return no("No policy in the programme provides it.")
    return yes(f"Provided under: {join(found)}.")


@deriver("additional_insured")
def additional_insured(project: Project) -> Answer:
    return _policies_with(project, "additional_insured")


@deriver("waiver_of_subrogation")
def waiver_of_subrogation(project: Project) -> Answer:
    return _policies_with(project, "waiver_of_subrogation")


_LETTERS = ("A++", "A+", "A", "A-", "B++", "B+", "B", "B-", "C++", "C+", "C", "C-", "D", "E", "F", "S")
_ROMAN = {"I": 1, "V": 5, "X": 10}
_RATING = re.compile(r"^\s*([A-FS][+-]{0,2})\s+([IVX]+)\s*$")


def _rating(text: str) -> tuple[int, int] | None:
    """(strength rank, size class) of an A.M. Best rating such as "A- VII"; lower rank is stronger."""
    match = _RATING.match(text)
    if match is None or match.group(1) not in _LETTERS:
        return None
    numerals = [_ROMAN[c] for c in match.group(2)]
    size = sum(-n if i + 1 < len(numerals) and n < numerals[i + 1] else n for i, n in enumerate(numerals))
    return _LETTERS.index(match.group(1)), size


@deriver("insurer_ratings")
def insurer_ratings(project: Project) -> Answer:
    insurance = project.insurance
    if insurance is None:
        return review(_NO_INSURANCE)
    floor = _rating(insurance.minimum_rating)
    ratings = {p.carrier: p.am_best_rating for p in insurance.policies}
    parsed = {carrier: _rating(r) for carrier, r in ratings.items()}
    if floor is None or any(v is None for v in parsed.values()):
        return review("A rating in the model is not in the form 'A- VII'; compare by hand.")
    listed = join(f"{c} {r}" for c, r in ratings.items())
    weak = [c for c, v in parsed.items() if v is not None and (v[0] > floor[0] or v[1] < floor[1])]
    if weak:
        return no(f"Below {insurance.minimum_rating}: {join(weak)}. Ratings: {listed}.")
    return yes(f"Every insurer is rated {insurance.minimum_rating} or better: {listed}.")


@deriver("cancellation_notice")
def cancellation_notice(project: Project) -> Answer:
    if project.insurance is None:
        return review(_NO_INSURANCE)
    days = project.insurance.cancellation_notice_days
    if days <= 0:
        return no("No notice of cancellation is committed.")
    return yes(f"Written notice at least {days} days before a policy is cancelled or not renewed.")


@deriver("tail_cover")
def tail_cover(project: Project) -> Answer:
    insurance = project.insurance
    if insurance is None:
        return review(_NO_INSURANCE)
    claims_made = [POLICY_TYPE_NAMES[p.type] for p in insurance.policies if p.basis == "claims_made"]
    if not claims_made:
        return not_applicable("No policy is written on a claims-made basis.")
    if insurance.tail_cover_months <= 0:
        return no(f"No tail cover is committed for {join(claims_made)}.")
    return yes(
        f"{join(claims_made)} kept in force or with tail cover for {insurance.tail_cover_months} months after the term."
    )


@deriver("super_cap_funded")
def super_cap_funded(project: Project) -> Answer:
    if project.insurance is None or project.indemnification is None:
        return review(_NO_INSURANCE if project.insurance is None else _NO_INDEMNITY)
    check = insurance_covers_super_cap(project.insurance, project.indemnification)
    if check is None:
        return not_applicable("The contract has no data-breach super-cap.")
    sentence = check.explanation[0].upper() + check.explanation[1:]
    return (yes if check.met else no)(f"{sentence}.")


# Indemnification and liability --------------------------------------------------------------------------


@deriver("ip_indemnity")
def ip_indemnity(project: Project) -> Answer:
    if project.indemnification is None:
        return review(_NO_INDEMNITY)
    return yes(plain(project.indemnification.ip_indemnity.scope, 300))


@deriver("breach_indemnity")
def breach_indemnity(project: Project) -> Answer:
    if project.indemnification is None:
        return review(_NO_INDEMNITY)
    breach = project.indemnification.data_breach_indemnity
    return yes(
        f"Covers: {join(c[0].lower() + c[1:] for c in breach.covered_costs)}; notice within "
        f"{breach.notice_hours} hours."
    )


def _cap_words(cap: Cap, annual_fee: Decimal, currency: str) -> str:
    amount = format_money(cap_amount(cap, annual_fee), currency)
    basis = (
        f"{format_commitment(cap.fees_multiple)}× the fees of the previous {cap.lookback_months} months"
        if cap.fees_multiple is not None
        else "a fixed amount"
    )
    return f"{basis} ({amount} at an annual fee of {format_money(annual_fee, currency)})"


@deriver("liability_cap")
def liability_cap(project: Project) -> Answer:
    legal = project.indemnification
    if legal is None:
        return review(_NO_INDEMNITY)
    general = _cap_words(legal.liability.general_cap, legal.annual_fee, legal.currency)
    uncapped = (
        f"; uncapped: {join(u[0].lower() + u[1:] for u in legal.liability.uncapped)}"
        if legal.liability.uncapped
        else ""
    )
    return yes(f"General cap: {general}{uncapped}.")


@deriver("super_cap")
def super_cap(project: Project) -> Answer:
    legal = project.indemnification
    if legal is None:
        return review(_NO_INDEMNITY)
    cap = legal.liability.super_cap
    if cap is None:
        return no("There is no separate cap for data breach or confidentiality claims.")
    return yes(
        f"Super-cap: {_cap_words(cap, legal.annual_fee, legal.currency)}, for "
        f"{join(c[0].lower() + c[1:] for c in cap.covers)}."
    )
