"""The four contract addenda as a reader sees them: text extracted from the PDFs of the Acme sample and of its
Globex customer build, the outline, the page furniture and the figures computed by trustdocs.analyse."""
from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from trustdocs.analyse.availability import allowance_table, credit_for, project_history
from trustdocs.analyse.durations import format_commitment, format_duration, format_percent
from trustdocs.analyse.liability import cap_amount, format_money
from trustdocs.project import load_project
from trustdocs.render.addenda import (
    ADDENDA, ESCROW_PROCEDURE, INDEMNIFICATION_ADDENDUM, INSURANCE_SUMMARY, SLA_ADDENDUM,
)
from trustdocs.render.documents import documents_for

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs" / "acme"
GLOBEX = SAMPLE / "customers" / "globex.yaml"


class Rendered:
    """One rendered PDF: its bytes, its pages' text with whitespace collapsed, and its outline."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.reader = PdfReader(io.BytesIO(data))
        self.pages = [" ".join((page.extract_text() or "").split()) for page in self.reader.pages]
        self.text = " ".join(self.pages)

    @property
    def outline(self) -> list[str]:
        titles: list[str] = []

        def walk(items: list) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item)
                else:
                    titles.append(item.title)

        walk(self.reader.outline)
        return titles


@pytest.fixture(scope="module")
def acme():
    return load_project(SAMPLE).project


@pytest.fixture(scope="module")
def globex():
    return load_project(SAMPLE, customer=GLOBEX).project


@pytest.fixture(scope="module")
def pdfs(acme) -> dict[str, Rendered]:
    return {spec.name: Rendered(spec.render(acme)) for spec in ADDENDA}


@pytest.fixture(scope="module")
def globex_pdfs(globex) -> dict[str, Rendered]:
    return {spec.name: Rendered(spec.render(globex)) for spec in ADDENDA}


# -- registry and furniture -----------------------------------------------------------------------

def test_the_four_addenda_are_registered(acme):
    names = [spec.name for spec in documents_for(acme)]
    assert [n for n in names if n in {s.name for s in ADDENDA}] == [
        "sla-addendum", "insurance-summary", "indemnification-addendum", "escrow-procedure"]
    assert [s.filename for s in ADDENDA] == [
        "sla-addendum.pdf", "insurance-summary.pdf", "indemnification-addendum.pdf", "escrow-procedure.pdf"]


@pytest.mark.parametrize("name", [s.name for s in ADDENDA])
def test_every_page_after_the_cover_says_page_x_of_y(pdfs, name):
    pdf = pdfs[name]
    total = len(pdf.pages)
    # The cover carries no footer; every other page is numbered against the real total.
    for number, page in enumerate(pdf.pages[1:], start=2):
        assert f"Page {number} of {total}" in page


@pytest.mark.parametrize("name", [s.name for s in ADDENDA])
def test_qpdf_finds_no_problem(pdfs, name, tmp_path):
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdfs[name].data)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_rendering_twice_gives_the_same_bytes(acme, pdfs):
    assert INSURANCE_SUMMARY.render(acme) == pdfs["insurance-summary"].data


# -- SLA addendum -----------------------------------------------------------------------------------

SLA_OUTLINE = [
    "Document control", "Contents", "Parties",
    "1. Definitions and interpretation", "1.1 Definitions", "1.2 Interpretation",
    "2. Covered services and commitments",
    "3. Measuring availability", "3.1 Formula", "3.2 Downtime", "3.3 Counting rules",
    "4. Downtime allowance", "5. Exclusions", "6. Scheduled maintenance",
    "7. Service credits", "7.1 Credit schedule", "7.2 Worked example", "7.3 Credit cap", "7.4 Claim procedure",
    "7.5 Chronic failure", "7.6 Sole remedy", "7.7 Changes to this Addendum",
    "8. Support", "8.1 Support channels", "8.2 Support plans and hours", "8.3 Severity definitions",
    "8.4 Response and resolution targets", "8.5 Escalation path",
    "9. Training", "10. Roadmap visibility",
    "11. Historical availability", "11.1 Availability by Service", "11.2 Incidents in the period",
    "12. General", "12.1 Order of precedence", "12.2 Survival", "12.3 Counterparts and electronic signature",
    "12.4 The Agreement otherwise unchanged",
]


def test_sla_outline_lists_every_section(pdfs):
    assert pdfs["sla-addendum"].outline == SLA_OUTLINE


def test_sla_allowance_table_has_the_published_figures(pdfs):
    text = pdfs["sla-addendum"].text
    assert "Period Calendar periods of that length Length 99.5 % 99.9 %" in text
    assert ("28-day month February in a common year 2,419,200 s 3 h 21 min 36 s 40 min 19.2 s") in text
    assert "30-day month April, June, September, November 2,592,000 s 3 h 36 min 43 min 12 s" in text
    assert ("31-day month January, March, May, July, August, October, December 2,678,400 s "
            "3 h 43 min 12 s 44 min 38.4 s") in text
    assert "90-day quarter Q1 in a common year 7,776,000 s 10 h 48 min 2 h 9 min 36 s" in text
    assert "365-day year A common year 31,536,000 s 1 d 19 h 48 min 8 h 45 min 36 s" in text


def test_sla_allowance_table_equals_the_computed_one(acme, pdfs):
    text = pdfs["sla-addendum"].text
    table = allowance_table(s.commitment_percent for s in acme.sla.services)
    for allowance in table[0].allowances:
        cells = " ".join(row.for_days(allowance.days).text for row in table)
        assert f"{allowance.period_seconds:,} s {cells}" in text, allowance.period


def test_sla_credit_schedule_rows(pdfs):
    text = pdfs["sla-addendum"].text
    assert ("Ledger API, Web application: commitment 99.9 % Availability in the month Service Credit "
            "99.0 % ≤ availability < 99.9 % 10 % 95.0 % ≤ availability < 99.0 % 25 % "
            "availability < 95.0 % 50 %") in text
    assert ("Bank feeds: commitment 99.5 % Availability in the month Service Credit "
            "99.0 % ≤ availability < 99.5 % 10 % 95.0 % ≤ availability < 99.0 % 25 % "
            "availability < 95.0 % 50 %") in text


@pytest.mark.parametrize(("availability", "commitment", "credit"), [
    ("99.89", "99.9", "10"), ("99.0", "99.9", "10"), ("98.99", "99.9", "25"), ("95.0", "99.9", "25"),
    ("94.99", "99.9", "50"), ("99.49", "99.5", "10"), ("99.5", "99.5", "0"),
])
def test_the_printed_schedule_agrees_with_the_credit_computation(acme, availability, commitment, credit):
    assert credit_for(Decimal(availability), Decimal(commitment), acme.sla.credits) == Decimal(credit)


def test_sla_worked_example_uses_the_annual_fee(pdfs):
    text = pdfs["sla-addendum"].text
    assert "the month’s fee taken as the annual fee of $240,000 ÷ 12 = $20,000" in text
    assert ("Length of the month 31 days × 1,440 minutes 44,640 minutes "
            "Allowed downtime 44,640 minutes × (100 % − 99.9 %) 44 min 38.4 s") in text
    assert ("Availability (44,640 − 300) ÷ 44,640 × 100 % 99.327 % "
            "Credit tier 99.0 % ≤ availability < 99.9 % 10 % "
            "Fee for the month $240,000 annual fee ÷ 12 $20,000 Service Credit 10 % × $20,000 $2,000") in text


def test_sla_terms_from_the_inputs(pdfs):
    text = pdfs["sla-addendum"].text
    assert "availability = (period length − downtime) ÷ period length × 100 %" in text
    assert "minimum counted downtime of 1 minute is not counted" in text
    assert "Europe/London time zone" in text
    assert "capped at 50 % of the fees for that Service for that month" in text
    assert "Deadline Within 30 days after the end of the month in which the Downtime occurred" in text
    assert "Chronic failure: a Service’s availability below 99.0 % in 3 consecutive months." in text
    assert "under the Standard support plan" in text
    assert "Standard plan (this Agreement) · Business hours: Monday–Friday 08:00–18:00 (Europe/London)" in text
    assert ("Sev1 – Critical 2 business hours 4 business hours 1 business day 3 business days "
            "10 business days") in text
    assert "Enterprise plan · 24×7 (Europe/London)" in text
    assert "Sev1 – Critical 30 minutes 1 hour 4 hours 24 hours 5 business days" in text
    assert "https://status.acmeledger.example" in text


def _history_row_text(row) -> str:
    # Written out here, independently of the document's own formatting code.
    month = row.period.start.strftime("%B %Y")
    down = format_duration(row.downtime_seconds) if row.downtime_seconds else "—"
    excluded = format_duration(row.excluded_seconds) if row.excluded_seconds else "—"
    credit = f"{format_commitment(row.credit_percent)} %" if row.credit_percent else "—"
    return (f"{month} {row.service_name} {format_commitment(row.commitment_percent)} % "
            f"{format_percent(row.availability, 3)} % {down} {excluded} "
            f"{format_duration(row.allowed_downtime_seconds)} {'Met' if row.met else 'Not met'} {credit}")


def test_sla_history_table_matches_the_service_history(acme, pdfs):
    text = pdfs["sla-addendum"].text
    rows = project_history(acme)
    assert len(rows) == 36
    for row in rows:
        assert _history_row_text(row) in text, row.period.label + " " + row.service


@pytest.mark.parametrize("expected", [
    "November 2025 Ledger API 99.9 % 99.960 % 17 min — 43 min 12 s Met —",
    "December 2025 Ledger API 99.9 % 100.000 % — 3 h 44 min 38.4 s Met —",
    "January 2026 Web application 99.9 % 99.955 % 20 min — 44 min 38.4 s Met —",
    "February 2026 Ledger API 99.9 % 99.888 % 45 min — 40 min 19.2 s Not met 10 %",
    "February 2026 Web application 99.9 % 99.913 % 35 min — 40 min 19.2 s Met —",
    "April 2026 Ledger API 99.9 % 99.780 % 1 h 35 min — 43 min 12 s Not met 10 %",
    "August 2026 Ledger API 99.9 % 99.973 % 12 min — 44 min 38.4 s Met —",
    "September 2026 Web application 99.9 % 99.930 % 30 min — 43 min 12 s Met —",
    "October 2026 Web application 99.9 % 99.955 % 20 min — 44 min 42 s Met —",
])
def test_sla_history_rows_computed_by_hand(pdfs, expected):
    # 17 min of a 30-day month; the 45-s blip in August is below the 1-minute minimum; INC-2026-002 is split
    # 20/35 min at the end of January; October 2026 in London is 31 days and an hour (44,700 minutes).
    assert expected in pdfs["sla-addendum"].text


def test_sla_history_chart_is_vector(acme):
    doc = SLA_ADDENDUM.build_context(acme)
    charts = doc.history.charts
    assert [c.service for c in charts] == ["Ledger API", "Web application", "Bank feeds"]
    api = str(charts[0].svg)
    assert api.startswith("<svg") and api.count('<g class="bar"') == 12
    assert 'data-label="2026-04" data-value="99.7800925925" data-threshold="99.9" data-met="false"' in api


def test_sla_pdf_holds_no_raster_image(pdfs):
    # The charts (and the logo) are drawn as vector graphics: no XObject in the file is an image.
    subtypes = {obj.get_object().get("/Subtype") for page in pdfs["sla-addendum"].reader.pages[12:15]
                for obj in (page["/Resources"].get("/XObject") or {}).values()}
    assert "/Image" not in subtypes


def test_sla_signature_block_without_customer(pdfs):
    last = pdfs["sla-addendum"].pages[-1]
    assert "FOR THE PROVIDER Acme Cloud Ltd Signature Name Tom Whitfield Title General Counsel Date" in last
    assert "FOR THE CUSTOMER Signature Name Title Date" in last
    assert "Prepared for" not in pdfs["sla-addendum"].text


# -- insurance summary ------------------------------------------------------------------------------

def test_insurance_outline(pdfs):
    assert pdfs["insurance-summary"].outline == [
        "Document control", "Contents", "Parties", "1. Definitions and interpretation", "1.1 Definitions",
        "1.2 Interpretation", "2. Insurance maintained by the Provider", "2.1 Obligation to insure",
        "2.2 Insurers", "2.3 Retentions and Sublimits", "2.4 Endorsements", "3. The Policies",
        "3.1 Limits and policy periods", "3.2 Cover", "3.3 Sublimits", "3.4 Shared and eroding limits",
        "4. Certificates and notice", "4.1 Certificate of Insurance", "4.2 Effect of a certificate",
        "4.3 Notice of cancellation", "5. Claims-Made Policies", "5.1 Retroactive Dates", "5.2 Tail cover",
        "6. General", "6.1 Order of precedence", "6.2 Survival", "6.3 Counterparts and electronic signature",
        "6.4 The Agreement otherwise unchanged",
    ]


def test_insurance_policy_table(pdfs):
    text = pdfs["insurance-summary"].text
    assert ("Cyber (network security & privacy) NSI-CY-2026-118842 Northbridge Specialty Insurance Company "
            "A+ XV $5,000,000 $5,000,000 $50,000 Claims-made Retroactive Date 1 Jul 2019 "
            "1 Jul 2026 – 1 Jul 2027") in text
    assert ("Commercial general liability MCC-GL-4471208 Meridian Casualty Company A XIII $1,000,000 "
            "$2,000,000 None Occurrence 1 Jul 2026") in text
    assert "Workers' compensation HMI-WC-0093321 Harlow Mutual Insurance Company A- VIII Statutory Statutory" in text
    assert "Commercial general liability Yes Yes Yes" in text
    assert "Cyber (network security & privacy) No No No" in text


def test_insurance_sublimits_and_undertakings(pdfs):
    text = pdfs["insurance-summary"].text
    assert ("Cyber (network security & privacy) Regulatory fines and penalties (where insurable) $1,000,000 "
            "Cyber (network security & privacy) Cyber extortion $2,500,000 "
            "Cyber (network security & privacy) PCI DSS fines and assessments $500,000") in text
    assert "Each Policy will be placed with an insurer rated at least A- VII by A.M. Best." in text
    assert "is shared by every claim made under the Policy in the policy period" in text
    assert "a Certificate of Insurance on form ACORD 25 (2016/03), issued by Lockwood Marsh" in text
    assert "on signing this Addendum and on each renewal or replacement of a Policy." in text
    assert "the ACORD 25 form does not promise notice of cancellation. The commitment in clause 4.3" in text
    assert "at least 30 days’ written notice before any Policy is cancelled" in text
    assert ("For at least 36 months after the Agreement ends, the Provider will keep each Claims-Made Policy "
            "(Cyber (network security & privacy); Technology E&O / professional liability; Crime / fidelity) "
            "in force or buy an Extended Reporting Period for it.") in text
    assert "As stated in the policy" not in text


def test_insurance_summary_prints_no_verdict_on_the_super_cap(pdfs):
    text = pdfs["insurance-summary"].text
    body = text[text.index("Parties This Insurance Summary"):]
    assert "super-cap" not in body.lower()
    assert "MET" not in text


# -- indemnification addendum -----------------------------------------------------------------------

def test_indemnification_outline(pdfs):
    assert pdfs["indemnification-addendum"].outline == [
        "Document control", "Contents", "Parties", "1. Definitions and interpretation", "1.1 Definitions",
        "1.2 Interpretation", "2. Intellectual property indemnity", "2.1 Indemnity", "2.2 Exclusions",
        "2.3 Remedies", "3. Data-breach indemnity", "3.1 Indemnity", "3.2 Notice of a Security Incident",
        "3.3 Breach Response Costs", "3.4 Breach Response Costs are direct damages", "4. Customer indemnity",
        "4.1 Indemnity", "4.2 Exclusions", "5. Indemnification procedure", "5.1 Notice",
        "5.2 Control of the defence", "5.3 Cooperation", "5.4 Participation", "5.5 Settlement",
        "6. Limitation of liability", "6.1 General Cap", "6.2 Super-Cap", "6.3 Uncapped liability",
        "6.4 Excluded damages", "6.5 Service Credits", "6.6 Amounts of the caps", "7. Governing law",
        "8. General", "8.1 Order of precedence", "8.2 Survival", "8.3 Counterparts and electronic signature",
        "8.4 The Agreement otherwise unchanged",
    ]


def test_indemnification_caps_stated_once_in_money(acme, pdfs):
    text = pdfs["indemnification-addendum"].text
    legal = acme.indemnification
    # 1 × $240,000; the super-cap's floor of $1,000,000 exceeds 3 × $240,000 = $720,000.
    assert format_money(cap_amount(legal.liability.general_cap, legal.annual_fee), "USD") == "$240,000"
    assert format_money(cap_amount(legal.liability.super_cap, legal.annual_fee), "USD") == "$1,000,000"
    assert ("is limited to 1 × the Fees paid or payable in the 12 months before the event giving rise to the "
            "liability (the “General Cap”), which is $240,000, being 1 × the Fees of $240,000 for 12 months.") in text
    assert ("is limited to the greater of 3 × the Fees paid or payable in the 12 months before the event giving "
            "rise to the liability and $1,000,000 (the “Super-Cap”), which is $1,000,000, being the greater of "
            "3 × the Fees of $240,000 for 12 months ($720,000) and $1,000,000:") in text
    assert text.count("$1,000,000, being") == 1 and text.count("$240,000, being") == 1
    assert "Service Credits given under the Service Level Agreement Addendum count towards the General Cap." in text
    assert "within 48 hours after becoming aware of it" in text


def test_breach_response_costs_are_direct_damages(pdfs):
    text = pdfs["indemnification-addendum"].text
    assert ("The parties agree that Breach Response Costs are direct damages recoverable by the Customer, and "
            "that clause 6.4 does not exclude them. They are subject to the Super-Cap in clause 6.2.") in text
    assert "Subject to clauses 3.4 and 6.3, neither party is liable for:" in text
    assert "for 24 months from the notification of the Security Incident" in text


# -- escrow procedure -------------------------------------------------------------------------------

def test_escrow_outline(pdfs):
    assert pdfs["escrow-procedure"].outline == [
        "Document control", "Contents", "Parties", "1. Definitions and interpretation", "1.1 Definitions",
        "1.2 Interpretation", "2. The escrow arrangement", "2.1 Escrow Agreement", "2.2 Role of the Escrow Agent",
        "3. Deposit contents", "3.1 Required contents", "3.2 Further contents", "3.3 Incomplete Deposit",
        "3.4 Sealed credentials", "4. Deposits", "4.1 Method", "4.2 Frequency", "4.3 Encryption",
        "4.4 Making a Deposit", "4.5 Deposit Log", "5. Verification", "6. Release", "6.1 Release Conditions",
        "6.2 Release process", "6.3 Licence on release", "7. General", "7.1 Order of precedence", "7.2 Survival",
        "7.3 Counterparts and electronic signature", "7.4 The Agreement otherwise unchanged",
        "Schedule 1 Deposit Log",
    ]


def test_escrow_procedure_content(acme, pdfs):
    text = pdfs["escrow-procedure"].text
    for step in acme.escrow.deposit_steps:
        assert " ".join(step.split()) in text
    for item in acme.escrow.contents:
        assert f"{item.name}. {' '.join(item.description.split()[:4])}" in text
    assert ("“Escrow Agreement” means a three-party agreement between the Provider as depositor, the Customer as "
            "beneficiary and the Escrow Agent, reference HES-SaaS-3P-2024-0417") in text
    assert "The Escrow Agent verifies Deposits at the level “Inventory and analysis”, on every Deposit." in text
    assert ("Failure to support. The Provider fails to provide support or maintenance of the Service as required "
            "by the Agreement for a continuous period. The period is 90 days.") in text
    assert "within 10 days after the Escrow Agent’s notice to it" in text
    assert "The Provider will make a complete Deposit quarterly, and within 10 business days of each major release." in text


def test_escrow_deposit_log_is_a_schedule_of_facts(pdfs):
    text = pdfs["escrow-procedure"].text
    schedule = text[text.index("Schedule 1 Deposit Log 3 Deposits"):]
    assert schedule.startswith("Schedule 1 Deposit Log 3 Deposits, from 30 April 2026 to 30 October 2026.")
    assert ("30 April 2026, 16:12 UTC fec61f119db2 cc55facc02a057d3d4f0a2615f2d68f5 "
            "70aabe78a05416b1cd96c6b7dc28bf54 18,422 412.8 MB") in schedule
    assert ("30 October 2026, 17:05 UTC a82d1003e84b b84f9d113ffe716cab71a89c56d80080 "
            "8d89bcebad338c28cb82b780b45904ea 19,876 451.2 MB") in schedule
    for result in ("Passed", "Failed", "Not verified", "HES-VR-"):
        assert result not in text


# -- the Globex build -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [s.name for s in ADDENDA])
def test_globex_every_addendum_is_prepared_for_globex(globex_pdfs, name):
    pdf = globex_pdfs[name]
    assert "Prepared for Globex Corporation" in pdf.pages[0]
    for page in pdf.pages[1:]:
        assert "Prepared for Globex Corporation" in page


@pytest.mark.parametrize("name", [s.name for s in ADDENDA])
def test_globex_no_trace_of_the_replaced_defaults(globex_pdfs, name):
    text = globex_pdfs[name].text
    assert "99.9 %" not in text
    assert "$720,000" not in text
    assert "$240,000" not in text
    assert "$20,000" not in text
    assert "Standard plan (this Agreement)" not in text
    assert "within 30 days after the end" not in text


def test_globex_sla_uses_the_negotiated_terms(globex, globex_pdfs):
    text = globex_pdfs["sla-addendum"].text
    assert "Ledger API The public REST API" in text and "99.95 %" in text
    assert "under the Enterprise support plan (24×7 (Europe/London))" in text
    assert "Enterprise plan (this Agreement) · 24×7 (Europe/London)" in text
    assert ("99.0 % ≤ availability < 99.95 % 15 % 97.0 % ≤ availability < 99.0 % 30 % "
            "95.0 % ≤ availability < 97.0 % 50 % availability < 95.0 % 100 %") in text
    assert "the month’s fee taken as the annual fee of $600,000 ÷ 12 = $50,000" in text
    assert "Service Credit 15 % × $50,000 $7,500" in text
    assert "capped at 100 % of the fees" in text
    assert "Within 60 days after the end of the month" in text
    assert "September 2026 Web application 99.95 % 99.930 % 30 min — 21 min 36 s Not met 15 %" in text
    for row in project_history(globex):
        assert _history_row_text(row) in text
    last = globex_pdfs["sla-addendum"].pages[-1]
    assert "FOR THE CUSTOMER Globex Corporation Signature" in last


def test_globex_indemnification_and_insurance_use_the_5x_super_cap(globex_pdfs):
    legal = globex_pdfs["indemnification-addendum"].text
    assert ("is limited to 5 × the Fees paid or payable in the 12 months before the event giving rise to the "
            "liability (the “Super-Cap”), which is $3,000,000, being 5 × the Fees of $600,000 for 12 months:"
            in legal)
    assert "(the “General Cap”), which is $600,000, being 1 × the Fees of $600,000 for 12 months." in legal
    assert "within 24 hours after becoming aware of it" in legal
    assert ("replaces clauses 12 (Indemnification) and 13 (Limitation of Liability) of the Agreement."
            in legal)
    insurance = globex_pdfs["insurance-summary"].text
    assert "$3,000,000" not in insurance and "MET" not in insurance


def test_globex_indemnification_has_no_48_hour_notice(globex_pdfs):
    assert "48 hours" not in globex_pdfs["indemnification-addendum"].text


def test_globex_escrow_names_globex_as_beneficiary(globex_pdfs):
    text = globex_pdfs["escrow-procedure"].text
    assert "Globex Corporation, of 1200 Cypress Creek Parkway, Houston, TX 77070, United States (the “Customer”)." in text
    assert "the Customer as beneficiary" in text
    assert "The Customer named in the Order Form" not in text
