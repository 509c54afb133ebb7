"""The four contract addenda as a reader sees them: text extracted from the PDFs of the Acme sample and of its
Globex customer build, the outline, the page furniture and the figures computed by trustdocs.analyse."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from trustdocs.analyse.availability import credit_for
from trustdocs.analyse.liability import cap_amount, format_money
from trustdocs.project import load_project
from trustdocs.render.addenda import (
    ADDENDA,
    INSURANCE_SUMMARY,
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
def pdfs(acme, shared_render_cache) -> dict[str, Rendered]:
    """Read only, so from the run's shared render cache (test_rendering_twice_... renders one afresh)."""
    return {spec.name: Rendered(spec.render(acme, shared_render_cache)) for spec in ADDENDA}


@pytest.fixture(scope="module")
def globex_pdfs(globex, shared_render_cache) -> dict[str, Rendered]:
    return {spec.name: Rendered(spec.render(globex, shared_render_cache)) for spec in ADDENDA}


# -- registry and furniture -----------------------------------------------------------------------


def test_the_four_addenda_are_registered(acme):
    names = [spec.name for spec in documents_for(acme)]
    assert [n for n in names if n in {s.name for s in ADDENDA}] == [
        "sla-addendum",
        "insurance-summary",
        "indemnification-addendum",
        "escrow-procedure",
    ]
    assert [s.filename for s in ADDENDA] == [
        "sla-addendum.pdf",
        "insurance-summary.pdf",
        "indemnification-addendum.pdf",
        "escrow-procedure.pdf",
    ]


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
    "Document control",
    "Contents",
    "Parties",
    "1. Definitions and interpretation",
    "1.1 Definitions",
    "1.2 Interpretation",
    "2. Services and commitments",
    "3. Measurement",
    "3.1 Downtime",
    "3.2 Monthly Uptime Percentage",
    "3.3 Counting Downtime",
    "3.4 Downtime allowance",
    "4. Exclusions",
    "5. Maintenance",
    "5.1 Scheduled Maintenance",
    "5.2 Emergency Maintenance",
    "6. Service Credits",
    "6.1 Entitlement",
    "6.2 Fees on which Service Credits are calculated",
    "6.3 Caps",
    "6.4 Worked example",
    "6.5 Claims",
    "6.6 How Service Credits are given",
    "7. Chronic failure",
    "8. Sole and exclusive remedy",
    "9. Support",
    "9.1 Support plan and hours",
    "9.2 Severity",
    "9.3 Response and resolution targets",
    "9.4 How the targets are measured",
    "9.5 Escalation",
    "9.6 Training",
    "9.7 Roadmap visibility",
    "10. Changes to the Provider’s standard service levels",
    "11. General",
    "11.1 Order of precedence",
    "11.2 Survival",
    "11.3 Counterparts and electronic signature",
    "11.4 The Agreement otherwise unchanged",
]


def test_sla_outline_lists_every_section(pdfs):
    assert pdfs["sla-addendum"].outline == SLA_OUTLINE


def test_sla_definitions_are_one_alphabetical_clause(pdfs):
    text = pdfs["sla-addendum"].text
    clause = text.split("the following terms have these meanings:")[1].split("Capitalised terms used")[0]
    terms = re.findall(r"“([A-Z][A-Za-z ]+)” (?:means|has the meaning)", clause)
    assert terms == [
        "Agreement",
        "Business Day",
        "Business Hours",
        "Chronic Failure",
        "Customer",
        "Downtime",
        "Emergency Maintenance",
        "Fees",
        "Measurement Period",
        "Monthly Uptime Percentage",
        "Provider",
        "Scheduled Maintenance",
        "Security Incident",
        "Service",
        "Service Credit",
        "Severity",
        "Valid Request",
    ]
    assert "“Downtime” has the meaning given in clause 3.1" in text
    assert "“Service Credit” means a credit against future Fees calculated under clause 6.1" in text
    assert (
        "“Measurement Period” means a calendar month in the Europe/London time zone, from local midnight "
        "at its start to local midnight at its end"
    ) in text


def test_sla_minimum_counted_downtime_applies_before_the_period_split(pdfs):
    assert (
        "A continuous period of Downtime shorter than 1 minute (the minimum counted downtime) is not counted. "
        "The minimum counted downtime applies to each continuous period of Downtime as a whole, before that "
        "period is divided between Measurement Periods; each part of a period that is counted is then counted "
        "in the Measurement Period in which it falls."
    ) in pdfs["sla-addendum"].text


# Published figures (DOMAIN.md) for 28-, 30- and 31-day months; the 743- and 745-hour months worked by hand:
# 743 h = 2,674,800 s × 0.5 % = 13,374 s = 3 h 42 min 54 s, × 0.1 % = 2,674.8 s = 44 min 34.8 s;
# 745 h = 2,682,000 s × 0.5 % = 13,410 s = 3 h 43 min 30 s, × 0.1 % = 2,682 s = 44 min 42 s.
ALLOWANCE_ROWS = [
    "672 hours (28 days) February in a common year 3 h 21 min 36 s 40 min 19.2 s",
    "696 hours (29 days) February in a leap year 3 h 28 min 48 s 41 min 45.6 s",
    "720 hours (30 days) April, June, September, November 3 h 36 min 43 min 12 s",
    "743 hours (31 days) March (the clocks go forward) 3 h 42 min 54 s 44 min 34.8 s",
    "744 hours (31 days) January, May, July, August, December 3 h 43 min 12 s 44 min 38.4 s",
    "745 hours (31 days) October (the clocks go back) 3 h 43 min 30 s 44 min 42 s",
]


def test_sla_allowance_table_has_every_length_a_london_month_has(pdfs):
    text = pdfs["sla-addendum"].text
    assert (
        "Length of the Measurement Period Measurement Periods of that length Allowed at 99.5 % "
        "Allowed at 99.9 % " + " ".join(ALLOWANCE_ROWS)
    ) in text


def test_sla_credit_schedule_rows(pdfs):
    text = pdfs["sla-addendum"].text
    assert (
        "Ledger API, Web application: commitment 99.9 % Monthly Uptime Percentage in the Measurement Period "
        "Service Credit 99.0 % ≤ Monthly Uptime Percentage < 99.9 % 10 % "
        "95.0 % ≤ Monthly Uptime Percentage < 99.0 % 25 % Monthly Uptime Percentage < 95.0 % 50 %"
    ) in text
    # Bank feeds have their own tier table.
    assert (
        "Bank feeds: commitment 99.5 % Monthly Uptime Percentage in the Measurement Period Service Credit "
        "99.0 % ≤ Monthly Uptime Percentage < 99.5 % 5 % 95.0 % ≤ Monthly Uptime Percentage < 99.0 % 15 % "
        "Monthly Uptime Percentage < 95.0 % 30 %"
    ) in text


@pytest.mark.parametrize(
    ("service", "availability", "credit"),
    [
        ("api", "99.89", "10"),
        ("api", "99.0", "10"),
        ("api", "98.99", "25"),
        ("api", "95.0", "25"),
        ("api", "94.99", "50"),
        ("bank-feeds", "99.49", "5"),
        ("bank-feeds", "99.5", "0"),
        ("bank-feeds", "98.99", "15"),
        ("bank-feeds", "94.99", "30"),
    ],
)
def test_the_printed_schedule_agrees_with_the_credit_computation(acme, service, availability, credit):
    own = next(s for s in acme.sla.services if s.id == service)
    assert credit_for(Decimal(availability), own.commitment_percent, acme.sla.credits_for(own)) == Decimal(credit)


def test_sla_worked_example_uses_the_service_fees_and_the_aggregate_cap(pdfs):
    # $240,000 ÷ 12 = $20,000 a month; shares 50/30/20 % -> $10,000, $6,000, $4,000. 300 minutes of 44,640
    # -> 99.327 % (10 %: $1,000 and $600); 360 minutes -> 99.193 % (bank feeds' own 5 %: $200). Total $1,800,
    # under the aggregate cap of 50 % × $20,000 = $10,000.
    text = pdfs["sla-addendum"].text
    assert "in a Measurement Period of 744 hours (31 days), such as January" in text
    assert "The Fees for the Measurement Period are $240,000 ÷ 12 = $20,000." in text
    assert (
        "Ledger API 99.9 % 300 minutes 99.327 % 10 % $10,000 $1,000 "
        "Web application 99.9 % 300 minutes 99.327 % 10 % $6,000 $600 "
        "Bank feeds 99.5 % 360 minutes 99.193 % 5 % $4,000 $200 "
        "Total of the Service Credits $1,800 Aggregate cap: 50 % × $20,000 = $10,000 "
        "Service Credits for the Measurement Period $1,800"
    ) in text


def test_sla_terms_from_the_inputs(pdfs):
    text = pdfs["sla-addendum"].text
    assert (
        "Monthly Uptime Percentage = (length of the Measurement Period − Downtime) ÷ length of the "
        "Measurement Period × 100 %"
    ) in text
    assert "Europe/London time zone" in text
    assert (
        "The Service Credit for one Service for one Measurement Period is at most 50 % of the Fees on which "
        "it is calculated under clause 6.2. The Service Credits for all Services together for one Measurement "
        "Period are at most 50 % of the total Fees for that Measurement Period."
    ) in text
    assert "must claim it within 30 days after the end of the Measurement Period in which the Downtime occurred" in text
    assert "Service Credits are not refundable as cash and may not be transferred." in text
    assert "Service Credits not yet applied are forfeited while that default continues" in text
    assert (
        "A “Chronic Failure” occurs when the Monthly Uptime Percentage of a Service is below 99.0 % in "
        "3 consecutive Measurement Periods."
    ) in text
    assert "sole and exclusive remedies" in text
    assert "at least 90 days written notice of any change" in text
    assert "under its Standard support plan, Business Hours (Europe/London)" in text
    assert ("Sev1 – Critical 2 business hours 4 business hours 1 business day 3 business days 5 business days") in text
    assert "https://status.acmeledger.example" in text


def test_sla_addendum_holds_only_the_customers_plan(pdfs):
    text = " ".join(pdfs["sla-addendum"].pages[3:])  # the clauses, after document control and contents
    for other in (
        "Premium",
        "Enterprise",
        "24×5",
        "30 minutes",
        "In-app chat",
        "Monthly live webinars",
        "Customer advisory board",
    ):
        assert other not in text, other
    assert "Historical availability" not in text and "Incidents" not in text


def test_sla_figures_are_stated_once(pdfs):
    text = pdfs["sla-addendum"].text
    for figure in (
        "least 72 hours",
        "12 hours in a calendar year",
        "30 days after the end",
        "4 hours in a calendar year",
        "below 99.0 %",
    ):
        assert text.count(figure) == 1, figure


def test_sla_signature_block_without_customer(pdfs):
    last = pdfs["sla-addendum"].pages[-1]
    assert "FOR THE PROVIDER Acme Cloud Ltd Signature Name Tom Whitfield Title General Counsel Date" in last
    assert "FOR THE CUSTOMER Signature Name Title Date" in last
    assert "Prepared for" not in pdfs["sla-addendum"].text


def _heading_pages(pdf: Rendered) -> dict[str, int]:
    """Clause number -> index of the page its heading is on, from the outline ("6.2 Caps" -> "6.2")."""
    found: dict[str, int] = {}

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            number = item.title.split(" ")[0].rstrip(".")
            if re.fullmatch(r"\d+(\.\d+)?", number):
                found[number] = pdf.reader.get_destination_page_number(item)

    walk(pdf.reader.outline)
    return found


def _link_targets(pdf: Rendered) -> list[tuple[int, int]]:
    """(page of the link, page it lands on) for every internal link annotation."""
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(pdf.reader.pages)}
    named = {
        name: pages[dest.page.idnum] for name, dest in pdf.reader.named_destinations.items() if dest.page is not None
    }
    links = []
    for index, page in enumerate(pdf.reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            target = annotation.get("/Dest")
            action = annotation.get("/A")
            if target is None and action is not None and action.get_object().get("/S") == "/GoTo":
                target = action.get_object().get("/D")
            if target is None:
                continue
            target = target.get_object() if hasattr(target, "get_object") else target
            if isinstance(target, str):
                links.append((index, named[target]))
            else:
                links.append((index, pages[target[0].idnum]))
    return links


@pytest.mark.parametrize("build", ["sample", "globex"])
def test_sla_cross_references_point_at_printed_clauses(pdfs, globex_pdfs, build):
    pdf = (pdfs if build == "sample" else globex_pdfs)["sla-addendum"]
    headings = _heading_pages(pdf)
    cited = set(re.findall(r"[Cc]lause (\d+(?:\.\d+)?)", pdf.text))
    assert {"2", "3.1", "3.2", "4", "5.1", "5.2", "6.1", "6.2", "6.3", "6.6"} <= cited
    for number in cited:
        assert number in headings, f"clause {number} is cited but no heading has that number"
        # The heading prints the number before its title ("6.2 Fees on which ...").
        title = next(t for t in pdf.outline if t.split(" ")[0].rstrip(".") == number)
        assert f"{number} {title.split(' ', 1)[1]}" in pdf.pages[headings[number]]
    # Each cross-reference is a link; it lands on the page of a clause heading cited from that page.
    links = _link_targets(pdf)
    xref_pages = {i for i, page in enumerate(pdf.pages) if re.search(r"[Cc]lause \d", page)}
    landing = set(headings.values())
    body_links = [(source, target) for source, target in links if source in xref_pages and source > 2]
    assert len(body_links) >= len(cited)
    for source, target in body_links:
        if target in landing:
            continue
        # Links other than cross-references (the status page, e-mail) go outside the document.
        raise AssertionError(f"a link on page {source + 1} lands on page {target + 1}, where no clause starts")


# -- insurance summary ------------------------------------------------------------------------------


def test_insurance_outline(pdfs):
    assert pdfs["insurance-summary"].outline == [
        "Document control",
        "Contents",
        "Parties",
        "1. Definitions and interpretation",
        "1.1 Definitions",
        "1.2 Interpretation",
        "2. Insurance maintained by the Provider",
        "2.1 Obligation to insure",
        "2.2 Insurers",
        "2.3 Retentions and Sublimits",
        "2.4 Endorsements",
        "3. The Policies",
        "3.1 Limits and policy periods",
        "3.2 Cover",
        "3.3 Sublimits",
        "3.4 Shared and eroding limits",
        "4. Certificates and notice",
        "4.1 Certificate of Insurance",
        "4.2 Effect of a certificate",
        "4.3 Notice of cancellation",
        "5. Claims-Made Policies",
        "5.1 Retroactive Dates",
        "5.2 Tail cover",
        "6. General",
        "6.1 Order of precedence",
        "6.2 Survival",
        "6.3 Counterparts and electronic signature",
        "6.4 The Agreement otherwise unchanged",
    ]


def test_insurance_policy_table(pdfs):
    text = pdfs["insurance-summary"].text
    assert (
        "Cyber (network security & privacy) NSI-CY-2026-118842 Northbridge Specialty Insurance Company "
        "A+ XV $5,000,000 $5,000,000 $50,000 Claims-made Retroactive Date 1 Jul 2019 "
        "1 Jul 2026 – 1 Jul 2027"
    ) in text
    assert (
        "Commercial general liability MCC-GL-4471208 Meridian Casualty Company A XIII $1,000,000 "
        "$2,000,000 None Occurrence 1 Jul 2026"
    ) in text
    assert "Workers' compensation HMI-WC-0093321 Harlow Mutual Insurance Company A- VIII Statutory Statutory" in text
    assert "Commercial general liability Yes Yes Yes" in text
    assert "Cyber (network security & privacy) No No No" in text


def test_insurance_sublimits_and_undertakings(pdfs):
    text = pdfs["insurance-summary"].text
    assert (
        "Cyber (network security & privacy) Regulatory fines and penalties (where insurable) $1,000,000 "
        "Cyber (network security & privacy) Cyber extortion $2,500,000 "
        "Cyber (network security & privacy) PCI DSS fines and assessments $500,000"
    ) in text
    assert "Each Policy will be placed with an insurer rated at least A- VII by A.M. Best." in text
    assert "is shared by every claim made under the Policy in the policy period" in text
    assert "a Certificate of Insurance on form ACORD 25 (2016/03), issued by Lockwood Marsh" in text
    assert "on signing this Addendum and on each renewal or replacement of a Policy." in text
    assert "the ACORD 25 form does not promise notice of cancellation. The commitment in clause 4.3" in text
    assert "at least 30 days’ written notice before any Policy is cancelled" in text
    assert (
        "For at least 36 months after the Agreement ends, the Provider will keep each Claims-Made Policy "
        "(Cyber (network security & privacy); Technology E&O / professional liability; Crime / fidelity) "
        "in force or buy an Extended Reporting Period for it."
    ) in text
    assert "As stated in the policy" not in text


def test_insurance_summary_prints_no_verdict_on_the_super_cap(pdfs):
    text = pdfs["insurance-summary"].text
    body = text[text.index("Parties This Insurance Summary") :]
    assert "super-cap" not in body.lower()
    assert "MET" not in text


# -- indemnification addendum -----------------------------------------------------------------------


def test_indemnification_outline(pdfs):
    assert pdfs["indemnification-addendum"].outline == [
        "Document control",
        "Contents",
        "Parties",
        "1. Definitions and interpretation",
        "1.1 Definitions",
        "1.2 Interpretation",
        "2. Intellectual property indemnity",
        "2.1 Indemnity",
        "2.2 Exclusions",
        "2.3 Remedies",
        "3. Data-breach indemnity",
        "3.1 Indemnity",
        "3.2 Notice of a Security Incident",
        "3.3 Breach Response Costs",
        "3.4 Breach Response Costs are direct damages",
        "4. Customer indemnity",
        "4.1 Indemnity",
        "4.2 Exclusions",
        "5. Indemnification procedure",
        "5.1 Notice",
        "5.2 Control of the defence",
        "5.3 Cooperation",
        "5.4 Participation",
        "5.5 Settlement",
        "6. Limitation of liability",
        "6.1 General Cap",
        "6.2 Super-Cap",
        "6.3 Uncapped liability",
        "6.4 Excluded damages",
        "6.5 Service Credits",
        "6.6 Amounts of the caps",
        "7. Governing law",
        "8. General",
        "8.1 Order of precedence",
        "8.2 Survival",
        "8.3 Counterparts and electronic signature",
        "8.4 The Agreement otherwise unchanged",
    ]


def test_indemnification_caps_stated_once_in_money(acme, pdfs):
    text = pdfs["indemnification-addendum"].text
    legal = acme.indemnification
    # 1 × $240,000; the super-cap's floor of $1,000,000 exceeds 3 × $240,000 = $720,000.
    assert format_money(cap_amount(legal.liability.general_cap, legal.annual_fee), "USD") == "$240,000"
    assert format_money(cap_amount(legal.liability.super_cap, legal.annual_fee), "USD") == "$1,000,000"
    assert (
        "is limited to 1 × the Fees paid or payable in the 12 months before the event giving rise to the "
        "liability (the “General Cap”), which is $240,000, being 1 × the Fees of $240,000 for 12 months."
    ) in text
    assert (
        "is limited to the greater of 3 × the Fees paid or payable in the 12 months before the event giving "
        "rise to the liability and $1,000,000 (the “Super-Cap”), which is $1,000,000, being the greater of "
        "3 × the Fees of $240,000 for 12 months ($720,000) and $1,000,000:"
    ) in text
    assert text.count("$1,000,000, being") == 1 and text.count("$240,000, being") == 1
    assert "Service Credits given under the Service Level Agreement Addendum count towards the General Cap." in text
    assert "within 48 hours after becoming aware of it" in text


def test_breach_response_costs_are_direct_damages(pdfs):
    text = pdfs["indemnification-addendum"].text
    assert (
        "The parties agree that Breach Response Costs are direct damages recoverable by the Customer, and "
        "that clause 6.4 does not exclude them. They are subject to the Super-Cap in clause 6.2."
    ) in text
    assert "Subject to clauses 3.4 and 6.3, neither party is liable for:" in text
    assert "for 24 months from the notification of the Security Incident" in text


# -- escrow procedure -------------------------------------------------------------------------------


def test_escrow_outline(pdfs):
    assert pdfs["escrow-procedure"].outline == [
        "Document control",
        "Contents",
        "Parties",
        "1. Definitions and interpretation",
        "1.1 Definitions",
        "1.2 Interpretation",
        "2. The escrow arrangement",
        "2.1 Escrow Agreement",
        "2.2 Role of the Escrow Agent",
        "3. Deposit contents",
        "3.1 Required contents",
        "3.2 Further contents",
        "3.3 Incomplete Deposit",
        "3.4 Sealed credentials",
        "4. Deposits",
        "4.1 Method",
        "4.2 Frequency",
        "4.3 Encryption",
        "4.4 Making a Deposit",
        "4.5 Deposit Log",
        "5. Verification",
        "6. Release",
        "6.1 Release Conditions",
        "6.2 Release process",
        "6.3 Licence on release",
        "7. General",
        "7.1 Order of precedence",
        "7.2 Survival",
        "7.3 Counterparts and electronic signature",
        "7.4 The Agreement otherwise unchanged",
        "Schedule 1 Deposit Log",
    ]


def test_escrow_procedure_content(acme, pdfs):
    text = pdfs["escrow-procedure"].text
    for step in acme.escrow.deposit_steps:
        assert " ".join(step.split()) in text
    for item in acme.escrow.contents:
        assert f"{item.name}. {' '.join(item.description.split()[:4])}" in text
    assert (
        "“Escrow Agreement” means a three-party agreement between the Provider as depositor, the Customer as "
        "beneficiary and the Escrow Agent, reference HES-SaaS-3P-2024-0417"
    ) in text
    assert "The Escrow Agent verifies Deposits at the level “Inventory and analysis”, on every Deposit." in text
    assert (
        "Failure to support. The Provider fails to provide support or maintenance of the Service as required "
        "by the Agreement for a continuous period. The period is 90 days."
    ) in text
    assert "within 10 days after the Escrow Agent’s notice to it" in text
    assert (
        "The Provider will make a complete Deposit quarterly, and within 10 business days of each major release."
        in text
    )


def test_escrow_deposit_log_is_a_schedule_of_facts(pdfs):
    text = pdfs["escrow-procedure"].text
    schedule = text[text.index("Schedule 1 Deposit Log 3 Deposits") :]
    assert schedule.startswith("Schedule 1 Deposit Log 3 Deposits, from 30 April 2026 to 30 October 2026.")
    assert (
        "30 April 2026, 16:12 UTC fec61f119db2 cc55facc02a057d3d4f0a2615f2d68f5 "
        "70aabe78a05416b1cd96c6b7dc28bf54 18,422 412.8 MB"
    ) in schedule
    assert (
        "30 October 2026, 17:05 UTC a82d1003e84b b84f9d113ffe716cab71a89c56d80080 "
        "8d89bcebad338c28cb82b780b45904ea 19,876 451.2 MB"
    ) in schedule
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
    assert "Standard support plan" not in text
    assert "within 30 days after the end" not in text


def test_globex_sla_uses_the_negotiated_terms(globex, globex_pdfs):
    text = globex_pdfs["sla-addendum"].text
    assert "Ledger API The public REST API" in text and "99.95 %" in text
    # Globex's own support hours and maintenance window replace the plan's and the SLA's.
    assert "under its Enterprise support plan, 24×7 (America/Chicago), with a named technical account manager" in text
    assert "Every Saturday from 22:00 (Europe/London), for at most 4 hours" in text
    assert "Sev1 – Critical 30 minutes 1 hour 4 hours 24 hours 5 business days" in text
    # The negotiated tiers replace every tier table, bank feeds' own included.
    assert (
        "99.0 % ≤ Monthly Uptime Percentage < 99.95 % 15 % 97.0 % ≤ Monthly Uptime Percentage < 99.0 % 30 % "
        "95.0 % ≤ Monthly Uptime Percentage < 97.0 % 50 % Monthly Uptime Percentage < 95.0 % 100 %"
    ) in text
    # $600,000 ÷ 12 = $50,000; 240 of 44,640 minutes -> 99.462 % (15 %) on $25,000 and $15,000; bank feeds
    # 360 minutes -> 99.193 % (15 %) on $10,000: $3,750 + $2,250 + $1,500 = $7,500, under 100 % × $50,000.
    assert (
        "Ledger API 99.95 % 240 minutes 99.462 % 15 % $25,000 $3,750 "
        "Web application 99.95 % 240 minutes 99.462 % 15 % $15,000 $2,250 "
        "Bank feeds 99.5 % 360 minutes 99.193 % 15 % $10,000 $1,500 "
        "Total of the Service Credits $7,500 Aggregate cap: 100 % × $50,000 = $50,000 "
        "Service Credits for the Measurement Period $7,500"
    ) in text
    assert "at most 100 % of the Fees on which it is calculated" in text
    assert "within 60 days after the end of the Measurement Period" in text
    assert "It takes effect on 1 October 2026 (the “Addendum Effective Date”)" in text
    assert "Standard" not in text
    last = globex_pdfs["sla-addendum"].pages[-1]
    assert "FOR THE CUSTOMER Globex Corporation Signature" in last


def test_globex_indemnification_and_insurance_use_the_5x_super_cap(globex_pdfs):
    legal = globex_pdfs["indemnification-addendum"].text
    assert (
        "is limited to 5 × the Fees paid or payable in the 12 months before the event giving rise to the "
        "liability (the “Super-Cap”), which is $3,000,000, being 5 × the Fees of $600,000 for 12 months:" in legal
    )
    assert "(the “General Cap”), which is $600,000, being 1 × the Fees of $600,000 for 12 months." in legal
    assert "within 24 hours after becoming aware of it" in legal
    assert "replaces clauses 12 (Indemnification) and 13 (Limitation of Liability) of the Agreement." in legal
    insurance = globex_pdfs["insurance-summary"].text
    assert "$3,000,000" not in insurance and "MET" not in insurance


def test_globex_indemnification_has_no_48_hour_notice(globex_pdfs):
    assert "48 hours" not in globex_pdfs["indemnification-addendum"].text


def test_globex_escrow_names_globex_as_beneficiary(globex_pdfs):
    text = globex_pdfs["escrow-procedure"].text
    assert (
        "Globex Corporation, of 1200 Cypress Creek Parkway, Houston, TX 77070, United States (the “Customer”)." in text
    )
    assert "the Customer as beneficiary" in text
    assert "The Customer named in the Order Form" not in text
