"""Liability caps in currency, whether the cyber insurance funds the super-cap, and money wording."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from trustdocs.analyse.liability import CoverageCheck, cap_amount, fees_for, format_money, insurance_covers_super_cap
from trustdocs.model.legal import (
    BreachIndemnity,
    Cap,
    Certificate,
    CustomerIndemnity,
    Indemnification,
    Insurance,
    IpIndemnity,
    Liability,
    Policy,
    Procedure,
)

D = Decimal
ANNUAL_FEE = D(144_000)  # $12,000 a month


def test_domain_worked_example() -> None:
    assert cap_amount(Cap(fees_multiple=D(1), lookback_months=12), ANNUAL_FEE) == D(144_000)
    assert cap_amount(Cap(fees_multiple=D(2), lookback_months=12), ANNUAL_FEE) == D(288_000)


@pytest.mark.parametrize(
    "cap,amount",
    [
        (Cap(fees_multiple=D(1), lookback_months=6), D(72_000)),
        (Cap(fees_multiple=D("1.5"), lookback_months=24), D(432_000)),
        (Cap(fees_multiple=D(1), lookback_months=7), D(84_000)),
        (Cap(fixed_amount=D(1_000_000)), D(1_000_000)),
        (Cap(fees_multiple=D(2), fixed_amount=D(1_000_000)), D(1_000_000)),
        (Cap(fees_multiple=D(2), fixed_amount=D(1_000_000), greater_of=False), D(288_000)),
        (Cap(fees_multiple=D(10), fixed_amount=D(1_000_000)), D(1_440_000)),
    ],
)
def test_cap_amount(cap: Cap, amount: Decimal) -> None:
    assert cap_amount(cap, ANNUAL_FEE) == amount


def test_cap_amount_rounds_to_the_cent() -> None:
    assert str(cap_amount(Cap(fees_multiple=D(1), lookback_months=7), D(100_000))) == "58333.33"
    assert fees_for(D(100_000), 1) == D("8333.33")


def test_a_cap_needs_an_amount() -> None:
    with pytest.raises(ValueError, match=r"^a cap needs 'fees_multiple' or 'fixed_amount'$"):
        cap_amount(Cap(), ANNUAL_FEE)


@pytest.mark.parametrize(
    "amount,currency,text",
    [
        (D(144_000), "USD", "$144,000"),
        (D("144000.00"), "USD", "$144,000"),
        (D("1250.5"), "EUR", "€1,250.50"),
        (D(1000), "GBP", "GBP 1,000"),
        (D("0.005"), "USD", "$0.01"),
        (D(-500), "USD", "-$500"),
        (D(1_000_000), "chf", "CHF 1,000,000"),
        (D(0), "EUR", "€0"),
    ],
)
def test_format_money(amount: Decimal, currency: str, text: str) -> None:
    assert format_money(amount, currency) == text


def policy(ident: str, kind: str, limit: Decimal | None) -> Policy:
    return Policy(
        ident,
        kind,
        "Carrier Mutual",
        "A+ XV",
        "claims_made",  # type: ignore[arg-type]
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        per_claim_limit=limit,
        aggregate_limit=limit,
    )


def insurance(*policies: Policy, currency: str = "USD") -> Insurance:
    return Insurance(currency, policies, Certificate("ACORD 25", "Broker & Co"), cancellation_notice_days=30)


def indemnification(super_cap: Cap | None) -> Indemnification:
    return Indemnification(
        currency="USD",
        annual_fee=ANNUAL_FEE,
        ip_indemnity=IpIndemnity("third-party IP claims", (), ()),
        data_breach_indemnity=BreachIndemnity(("notification costs",), notice_hours=48),
        customer_indemnity=CustomerIndemnity("customer data"),
        procedure=Procedure("prompt notice", "sole control", "reasonable cooperation", "consent needed"),
        liability=Liability(general_cap=Cap(fees_multiple=D(1)), super_cap=super_cap),
    )


SUPER_CAP = Cap(fees_multiple=D(2), covers=("data breach",))


def test_cyber_limit_covers_the_super_cap() -> None:
    check = insurance_covers_super_cap(
        insurance(
            policy("eo", "technology_eo", D(10_000_000)),
            policy("cyber-1", "cyber", D(1_000_000)),
            policy("cyber-2", "cyber", D(5_000_000)),
        ),
        indemnification(SUPER_CAP),
    )
    assert check == CoverageCheck(
        True,
        D(288_000),
        D(5_000_000),
        "cyber-2",
        "USD",
        "the cyber policy 'cyber-2' limit of $5,000,000 per claim covers the data-breach super-cap of $288,000",
    )


def test_cyber_limit_below_the_super_cap() -> None:
    check = insurance_covers_super_cap(insurance(policy("cyber", "cyber", D(250_000))), indemnification(SUPER_CAP))
    assert check is not None and not check.met
    assert (check.required, check.limit) == (D(288_000), D(250_000))
    assert check.explanation == (
        "the cyber policy 'cyber' limit of $250,000 per claim is below the data-breach super-cap of $288,000"
    )


def test_a_limit_equal_to_the_super_cap_covers_it() -> None:
    check = insurance_covers_super_cap(insurance(policy("cyber", "cyber", D(288_000))), indemnification(SUPER_CAP))
    assert check is not None and check.met


def test_no_cyber_policy_is_not_met() -> None:
    check = insurance_covers_super_cap(
        insurance(policy("gl", "general_liability", D(2_000_000))), indemnification(Cap(fixed_amount=D(2_000_000)))
    )
    assert check == CoverageCheck(
        False, D(2_000_000), None, None, "USD", "no cyber policy covers the data-breach super-cap of $2,000,000"
    )


def test_insurance_in_another_currency_cannot_be_compared() -> None:
    check = insurance_covers_super_cap(
        insurance(policy("cyber", "cyber", D(5_000_000)), currency="EUR"), indemnification(SUPER_CAP)
    )
    assert check is not None and not check.met
    assert check.explanation == (
        "the insurance limits are in EUR but the data-breach super-cap of $288,000 "
        "is in USD, so they cannot be compared"
    )


def test_no_super_cap_means_nothing_to_check() -> None:
    assert insurance_covers_super_cap(insurance(policy("cyber", "cyber", D(1))), indemnification(None)) is None
