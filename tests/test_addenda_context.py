"""The addenda's context builders without rendering: ranges, ratings, caps, wording and edge cases of the model."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from trustdocs.analyse.availability import project_history
from trustdocs.analyse.liability import rating_meets
from trustdocs.model.escrow import Deposit
from trustdocs.model.legal import Cap
from trustdocs.model.sla import Credits, CreditTier
from trustdocs.project import load_project
from trustdocs.render.contract import cap_basis, parties_of, percent_text, size_text, threshold_text
from trustdocs.render.escrow_procedure import deposit_line, escrow_procedure
from trustdocs.render.indemnification import cap_line, indemnification_addendum
from trustdocs.render.insurance_summary import insurance_summary
from trustdocs.render.service_performance import service_performance
from trustdocs.render.sla_addendum import credit_ranges, length_text, sla_addendum
from trustdocs.render.support_terms import support_terms
from trustdocs.validate.warnings import model_warnings

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs" / "acme"


@pytest.fixture(scope="module")
def acme():
    return load_project(SAMPLE).project


@pytest.fixture(scope="module")
def globex():
    return load_project(SAMPLE, customer=SAMPLE / "customers" / "globex.yaml").project


def _credits(*tiers: tuple[str, str], cap: str = "100") -> Credits:
    return Credits(tuple(CreditTier(Decimal(a), Decimal(c)) for a, c in tiers), Decimal(cap))


def test_figures_are_written_the_contract_way():
    assert percent_text(Decimal("99.90")) == "99.9 %"
    assert percent_text(Decimal("10")) == "10 %"
    assert threshold_text(Decimal("99")) == "99.0 %"
    assert threshold_text(Decimal("99.95")) == "99.95 %"
    assert size_text(412_775_310) == "412.8 MB"
    assert size_text(2_500_000_000) == "2.5 GB"
    assert size_text(999) == "999 bytes"


def test_credit_ranges_skip_tiers_the_commitment_cannot_reach():
    credits = _credits(("99.5", "5"), ("99.0", "10"), ("0", "50"))
    ranges = credit_ranges(Decimal("99.0"), credits)
    assert [(r.availability, r.credit) for r in ranges] == [("availability < 99.0 %", "50 %")]
    ranges = credit_ranges(Decimal("99.9"), credits)
    assert [(r.availability, r.credit) for r in ranges] == [
        ("99.5 % ≤ availability < 99.9 %", "5 %"),
        ("99.0 % ≤ availability < 99.5 %", "10 %"),
        ("availability < 99.0 %", "50 %"),
    ]


def test_credit_ranges_show_the_cap_and_a_floor_without_credit():
    ranges = credit_ranges(Decimal("99.9"), _credits(("99.0", "10"), ("95.0", "100"), cap="50"))
    assert [(r.availability, r.credit, r.capped) for r in ranges] == [
        ("99.0 % ≤ availability < 99.9 %", "10 %", False),
        ("95.0 % ≤ availability < 99.0 %", "50 %", True),
        ("availability < 95.0 %", "0 %", False),
    ]


@pytest.mark.parametrize(
    ("rating", "minimum", "meets"),
    [
        ("A+ XV", "A- VII", True),
        ("A- VII", "A- VII", True),
        ("A XIII", "A- VII", True),
        ("A- VI", "A- VII", False),
        ("B++ XV", "A- VII", False),
        ("A++ I", "A- VII", False),
        ("AAA", "A- VII", None),
    ],
)
def test_am_best_ratings(rating, minimum, meets):
    assert rating_meets(rating, minimum) is meets


def test_cap_wording_for_multiples_fixed_amounts_and_both():
    six_months = Cap(fees_multiple=Decimal(2), lookback_months=6)
    assert (
        cap_basis(six_months, "USD")
        == "2 × the Fees paid or payable in the 6 months before the event giving rise to the liability"
    )
    # 2 × (600,000 × 6 / 12) = 600,000, worked by hand.
    assert (
        cap_line("Super-Cap", six_months, Decimal(600_000), "USD").in_money
        == "$600,000, being 2 × the Fees of $300,000 for 6 months"
    )
    fixed = cap_line("Super-Cap", Cap(fixed_amount=Decimal(1_000_000)), Decimal(600_000), "EUR")
    assert (fixed.basis, fixed.amount, fixed.in_money) == ("€1,000,000", "€1,000,000", "")
    both = Cap(fees_multiple=Decimal(1), fixed_amount=Decimal(500_000), greater_of=False)
    assert cap_basis(both, "GBP") == (
        "the lesser of 1 × the Fees paid or payable in the 12 months before the "
        "event giving rise to the liability and GBP 500,000"
    )
    line = cap_line("General Cap", both, Decimal(240_000), "GBP")
    assert line.in_money == (
        "GBP 240,000, being the lesser of 1 × the Fees of GBP 240,000 for 12 months (GBP 240,000) and GBP 500,000"
    )
    # The floor: the greater of 3 × $240,000 = $720,000 and $1,000,000 is the floor.
    floor = cap_line(
        "Super-Cap", Cap(fees_multiple=Decimal(3), fixed_amount=Decimal(1_000_000)), Decimal(240_000), "USD"
    )
    assert floor.in_money == (
        "$1,000,000, being the greater of 3 × the Fees of $240,000 for 12 months ($720,000) and $1,000,000"
    )


def test_parties_with_and_without_customer(acme, globex):
    blank = parties_of(acme)
    assert (blank.provider.legal_name, blank.customer.legal_name, blank.customer.named) == (
        "Acme Cloud Ltd",
        "Customer",
        False,
    )
    named = parties_of(globex)
    assert named.customer.legal_name == "Globex Corporation"
    assert named.customer.address == ("1200 Cypress Creek Parkway", "Houston, TX 77070", "United States")
    assert named.provider.address[1] == "London EC2A 4QS"
    assert (named.agreement.title, named.agreement.reference, named.agreement.date) == (
        "Master Subscription Agreement",
        "MSA-2026-0147",
        dt.date(2026, 9, 15),
    )
    assert parties_of(globex, "sla-addendum").agreement.amended_clauses == ("8 (Service Levels and Support)",)
    assert named.effective_date == dt.date(2026, 10, 1)
    assert named.customer.signatory.name == "Daniel Okafor"
    # One order of precedence, the Agreement last, whichever addendum prints it.
    assert named.precedence == (
        "Indemnification and Liability Addendum",
        "Service Level Agreement Addendum",
        "Insurance Summary",
        "Source Code Escrow Procedure",
        "the Agreement",
    )


def test_support_terms_hold_the_customers_plan_only(acme, globex):
    standard = support_terms(acme.support)
    assert standard.plan == "Standard" and standard.plan_hours == "Business Hours (Europe/London)"
    assert [c.name for c in standard.channels] == ["Support portal", "Email"]
    assert standard.targets[0].root_cause_report == "5 business days"
    assert standard.targets[2].root_cause_report == "—"
    assert len(standard.targets) == 4
    assert [o.name for o in standard.training] == [
        "Help centre and API reference",
        "Academy video library",
        "Interactive tutorials",
    ]
    assert standard.business_days == "a day from Monday to Friday other than a public holiday in England"
    assert standard.business_hours == "Monday–Friday 08:00–18:00 (Europe/London)"
    enterprise = support_terms(globex.support)
    assert enterprise.plan == "Enterprise" and enterprise.plan_hours == "24×7 (America/Chicago)"
    assert enterprise.targets[0].first_response == "30 minutes"
    assert len(enterprise.training) == 6 and len(enterprise.roadmap) == 4


def test_report_counts_incidents_the_document_does_not_list(acme):
    hidden = replace(acme.incidents[-1], audience="internal")
    project = replace(acme, incidents=(*acme.incidents[:-1], hidden))
    doc = service_performance(project)
    assert "Elevated latency and timeouts" not in " ".join(i.summary for i in doc.incidents)
    october_api = next(line for line in doc.lines if line.period == "October 2026" and line.service == "Ledger API")
    # INC-2026-033 (11 min) still counts: the figures equal `trustdocs sla report`.
    assert october_api.downtime == "11 min"
    assert len(doc.lines) == len(project_history(project))


def test_report_period_holding_the_as_of_day_is_in_progress(acme):
    doc = service_performance(acme)
    assert doc.as_of == "28 October 2026"
    october = [line for line in doc.lines if line.period == "October 2026"]
    assert [(line.uptime, line.credit, line.in_progress) for line in october] == [("In progress", "—", True)] * 3
    assert not any(line.in_progress for line in doc.lines if line.period != "October 2026")
    # On the month's last day the month is complete; without history_as_of, the latest incident's end sets it.
    complete = service_performance(replace(acme, sla=replace(acme.sla, history_as_of=dt.date(2026, 10, 31))))
    assert next(line for line in complete.lines if line.period == "October 2026").uptime == "99.975 %"
    implicit = service_performance(replace(acme, sla=replace(acme.sla, history_as_of=None)))
    assert implicit.as_of == "20 October 2026"


def test_report_for_a_customer_measures_earlier_periods_under_the_standard_terms(globex):
    doc = service_performance(globex)
    assert doc.terms_effective == "1 October 2026"
    september = next(
        line for line in doc.lines if line.period == "September 2026" and line.service == "Web application"
    )
    # 30 min in a 30-day month: 99.930 %, above the standard 99.9 % (no credit), below Globex's 99.95 %.
    assert (september.terms, september.commitment, september.uptime, september.credit) == (
        "Standard",
        "99.9 %",
        "99.930 %",
        "—",
    )
    april = next(line for line in doc.lines if line.period == "April 2026" and line.service == "Ledger API")
    assert (april.commitment, april.credit) == ("99.9 %", "10 %")  # the standard 10 %, not Globex's 15 %
    october = next(line for line in doc.lines if line.period == "October 2026" and line.service == "Ledger API")
    assert (october.terms, october.commitment, october.allowed) == ("Negotiated", "99.95 %", "22 min 21 s")


def test_the_report_allowance_equals_the_addendum_table(acme, globex):
    for project in (acme, globex):
        addendum, report = sla_addendum(project), service_performance(project)
        table = {
            line.length: dict(zip(addendum.allowance_commitments, line.allowances, strict=False))
            for line in addendum.allowances
        }
        rows = project_history(project)
        assert len(rows) == len(report.lines)
        for row, line in zip(rows, report.lines, strict=False):
            length = length_text(row.period.seconds, row.period.days)
            if line.terms == "Standard" and project.customer is not None:
                continue  # standard commitments may not be in the negotiated table
            assert table[length][line.commitment] == line.allowed, (line.period, line.service)


def test_sla_without_a_fee_has_no_money_in_the_example(acme):
    doc = sla_addendum(replace(acme, indemnification=None))
    assert doc.example.fee_working == "" and doc.example.total == ""
    assert [(line.service, line.credit_percent, line.credit) for line in doc.example.lines] == [
        ("Ledger API", "10 %", ""),
        ("Web application", "10 %", ""),
        ("Bank feeds", "5 %", ""),
    ]


def test_sla_measured_by_quarter(acme):
    project = replace(acme, sla=replace(acme.sla, measurement_period="quarter"))
    doc = sla_addendum(project)
    assert doc.uptime_term == "Quarterly Uptime Percentage"
    # Europe/London: Q1 loses an hour (2,159 h, 2,183 h in a leap year), Q4 gains one (2,209 h).
    assert [(line.length, line.periods) for line in doc.allowances] == [
        ("2,159 hours (90 days)", "Q1 in a common year (the clocks go forward)"),
        ("2,183 hours (91 days)", "Q1 in a leap year (the clocks go forward)"),
        ("2,184 hours (91 days)", "Q2"),
        ("2,208 hours (92 days)", "Q3"),
        ("2,209 hours (92 days)", "Q4 (the clocks go back)"),
    ]
    assert doc.example.fee_working == "$240,000 ÷ 4 = $60,000"
    assert doc.chronic_periods == "3 consecutive Measurement Periods"
    report = service_performance(project)
    assert [line.period for line in report.lines[::3]] == ["Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"]
    assert report.lines[-1].uptime == "In progress"


def test_report_chronic_failure_is_stated_as_figures(acme):
    long_outage = replace(
        acme.incidents[0],
        id="INC-X",
        start=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
        end=dt.datetime(2026, 7, 31, tzinfo=dt.UTC),
        services=("api",),
    )
    doc = service_performance(replace(acme, incidents=(*acme.incidents, long_outage)))
    assert doc.chronic == (
        "The Monthly Uptime Percentage of Ledger API was below 99.0 % in May 2026, June 2026, July 2026.",
    )


def test_a_cyber_limit_below_the_super_cap_is_a_warning_not_part_of_the_documents(acme):
    from trustdocs.render.addenda import INDEMNIFICATION_ADDENDUM, INSURANCE_SUMMARY

    policies = tuple(
        replace(p, per_claim_limit=Decimal(500_000)) if p.type == "cyber" else p for p in acme.insurance.policies
    )
    low = replace(acme, insurance=replace(acme.insurance, policies=policies))
    assert [(p.path, p.message, p.severity) for p in model_warnings(low)] == [
        (
            "insurance.policies",
            "the cyber policy 'cyber' limit of $500,000 per claim is below the data-breach super-cap of $1,000,000",
            "warning",
        )
    ]
    for spec in (INSURANCE_SUMMARY, INDEMNIFICATION_ADDENDUM):
        html = spec.render_html(low)
        assert "NOT MET" not in html and "is below the data-breach" not in html


def test_an_insurer_below_the_minimum_rating_is_a_warning(acme):
    policies = (replace(acme.insurance.policies[0], am_best_rating="B+ XV"), *acme.insurance.policies[1:])
    weak = replace(acme, insurance=replace(acme.insurance, policies=policies))
    assert [(p.path, p.message) for p in model_warnings(weak)] == [
        (
            "insurance.policies[0].am_best_rating",
            "the insurer of 'cyber' is rated B+ XV, below the minimum A- VII that the insurance summary commits to",
        )
    ]
    assert model_warnings(acme) == []
    assert insurance_summary(weak).policies[0].rating == "B+ XV"


def test_deposit_line_shortens_hashes_and_writes_utc():
    deposit = Deposit(
        date=dt.datetime(2026, 7, 31, 16, 48, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        commit=None,
        archive_sha256="ab" * 32,
        files=1200,
        bytes=1_500_000,
        verification="not_verified",
        dirty=True,
    )
    line = deposit_line(deposit)
    assert (line.date, line.commit, line.files, line.size) == ("31 July 2026, 15:48 UTC", "—", "1,200", "1.5 MB")
    assert line.sha_lines == ("ab" * 16, "ab" * 16)


def test_escrow_without_deposits(acme):
    doc = escrow_procedure(replace(acme, escrow=replace(acme.escrow, deposits=())))
    assert doc.deposits == ()
    assert doc.deposit_summary == "No Deposit has been recorded."
    assert doc.level == "Inventory and analysis"


def test_sparse_inputs_still_render(acme):
    sparse = replace(
        acme,
        support=None,
        incidents=(),
        indemnification=None,
        sla=replace(
            acme.sla,
            chronic_failure=None,
            sole_remedy="",
            notice_of_changes_days=None,
            status_page=None,
            definitions=(),
            exclusions=(),
        ),
        insurance=replace(acme.insurance, tail_cover_months=0),
        escrow=replace(acme.escrow, deposits=(), deposit_steps=(), sealed_credentials=(), agreement_reference=""),
    )
    from trustdocs.render.addenda import ESCROW_PROCEDURE, INSURANCE_SUMMARY, SLA_ADDENDUM

    sla = SLA_ADDENDUM.render_html(sparse)
    assert "Support</h1>" not in sla and "Chronic failure" not in sla
    assert "are the Customer’s sole and exclusive remedies" in sla
    insurance = INSURANCE_SUMMARY.render_html(sparse)
    assert "The Provider gives no commitment to keep a Claims-Made Policy in force" in insurance
    assert "Rights and liabilities accrued before the termination or expiry of the Agreement survive it." in insurance
    escrow = ESCROW_PROCEDURE.render_html(sparse)
    assert "No Deposit has been recorded." in escrow and "Making a Deposit" not in escrow


def test_report_a_period_the_customer_terms_start_inside_stays_on_the_standard_terms(globex):
    mid = replace(globex, customer=replace(globex.customer, effective_date=dt.date(2026, 9, 15)))
    doc = service_performance(mid)
    terms = {line.period: line.terms for line in doc.lines if line.service == "Ledger API"}
    assert (terms["August 2026"], terms["September 2026"], terms["October 2026"]) == (
        "Standard",
        "Standard",
        "Negotiated",
    )
    assert doc.terms_effective == "15 September 2026"


def test_indemnification_without_super_cap_or_sla(acme):
    from trustdocs.render.addenda import INDEMNIFICATION_ADDENDUM

    plain = replace(
        acme,
        sla=None,
        indemnification=replace(
            acme.indemnification, liability=replace(acme.indemnification.liability, super_cap=None)
        ),
    )
    doc = indemnification_addendum(plain)
    assert (doc.super_cap, doc.sla_title) == (None, "")
    assert doc.general_cap.in_money == "$240,000, being 1 × the Fees of $240,000 for 12 months"
    html = INDEMNIFICATION_ADDENDUM.render_html(plain)
    assert "Super-Cap" not in html and "Service Credit" not in html
    assert "They are subject to the General Cap in" in html


def test_retroactive_dates_are_checked_against_the_basis_and_the_period(acme):
    cyber, eo, cgl, *rest = acme.insurance.policies
    policies = (
        replace(cyber, retroactive_date=dt.date(2026, 8, 1)),
        eo,
        replace(cgl, retroactive_date=dt.date(2019, 1, 1)),
        *rest,
    )
    odd = replace(acme, insurance=replace(acme.insurance, policies=policies))
    assert [(p.path, p.message) for p in model_warnings(odd)] == [
        (
            "insurance.policies[0].retroactive_date",
            "the retroactive date 2026-08-01 of 'cyber' is after its period_start 2026-07-01",
        ),
        ("insurance.policies[2].retroactive_date", "'cgl' is not claims-made, so its retroactive date is not printed"),
    ]
    assert insurance_summary(odd).policies[2].retroactive_date == ""


def test_notice_of_cancellation_without_a_period(acme):
    from trustdocs.render.addenda import INSURANCE_SUMMARY

    html = INSURANCE_SUMMARY.render_html(replace(acme, insurance=replace(acme.insurance, cancellation_notice_days=0)))
    assert "as soon as it learns that any Policy is to be cancelled or not renewed without replacement" in html
    assert "days’ written notice" not in html


def test_insurance_without_claims_made_policies(acme):
    from trustdocs.render.addenda import INSURANCE_SUMMARY

    occurrence = tuple(replace(p, basis="occurrence", retroactive_date=None) for p in acme.insurance.policies)
    html = INSURANCE_SUMMARY.render_html(replace(acme, insurance=replace(acme.insurance, policies=occurrence)))
    assert "Claims-Made" not in html and "Retroactive" not in html and "Tail cover" not in html
    assert "Rights and liabilities accrued before the termination or expiry of the Agreement survive it." in html
