"""`trustdocs diff`: planted changes found with their clauses, identical revisions, internal-only changes, errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pdfa_check import check_pdfa
from pypdf import PdfReader

from tests.conftest import GLOBEX, SAMPLE
from trustdocs.analyse.changes import COLLECTIONS, TERMS, project_changes
from trustdocs.cli import main
from trustdocs.project import load_project
from trustdocs.render.changes import clause_numbers
from trustdocs.render.documents import DOCUMENTS


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _plant_five(project: Path) -> None:
    """A commitment, a credit tier, a support target, a subprocessor added and a threat re-rated."""
    _edit(project / "legal/sla.yaml", "commitment_percent: 99.5", "commitment_percent: 99.7")
    _edit(project / "legal/sla.yaml", "credit_percent: 25", "credit_percent: 30")
    _edit(
        project / "legal/support.yaml",
        "{plan: standard, severity: sev2, first_response: 4bh",
        "{plan: standard, severity: sev2, first_response: 2bh",
    )
    _edit(
        project / "security/programme.yaml",
        "  subprocessors:\n",
        "  subprocessors:\n    - name: Twilio Ireland Limited\n      purpose: Text-message delivery of sign-in"
        " codes\n      location: Ireland\n      data: [user-accounts]\n",
    )
    threats = project / "security/threats.yaml"
    text = threats.read_text(encoding="utf-8")
    start = text.index("- id: TM-002")
    at = text.index("likelihood: possible", start)
    threats.write_text(text[:at] + "likelihood: likely" + text[at + len("likelihood: possible") :], encoding="utf-8")


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("planted") / "acme"
    shutil.copytree(SAMPLE, copy)
    _plant_five(copy)
    return copy


SLA_TITLE = "Service Level Agreement Addendum"
SECURITY_TITLE = "Product Security Document"


def test_five_planted_changes_are_listed_exactly_with_their_clauses(runner, planted):
    result = runner.invoke(main, ["diff", str(SAMPLE), str(planted), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.output) == {
        "old": {"version": "3.2", "source": str(SAMPLE)},
        "new": {"version": "3.2", "source": str(planted)},
        "customer": None,
        "customer_visible": 5,
        "internal": 0,
        "changes": [
            {
                "kind": "changed",
                "subject": "Availability commitment: Bank feeds",
                "old": "99.5 %",
                "new": "99.7 %",
                "document": "sla-addendum",
                "document_title": SLA_TITLE,
                "heading": "services",
                "clause": "2",
                "audience": "public",
            },
            {
                "kind": "changed",
                "subject": "Service Credit tier: availability of at least 95.0 %, credit",
                "old": "25 %",
                "new": "30 %",
                "document": "sla-addendum",
                "document_title": SLA_TITLE,
                "heading": "credit-entitlement",
                "clause": "6.1",
                "audience": "public",
            },
            {
                "kind": "changed",
                "subject": "Support target: Standard plan, Sev2 – High, first response",
                "old": "4 business hours",
                "new": "2 business hours",
                "document": "sla-addendum",
                "document_title": SLA_TITLE,
                "heading": "targets",
                "clause": "9.3",
                "audience": "public",
            },
            {
                "kind": "added",
                "subject": "Subprocessor: Twilio Ireland Limited",
                "old": None,
                "new": "Text-message delivery of sign-in codes, Ireland",
                "document": "security",
                "document_title": SECURITY_TITLE,
                "heading": "Subprocessors",
                "clause": "13",
                "audience": "public",
            },
            {
                "kind": "changed",
                "subject": "Threat: TM-002 Leaked ERP client secret used to impersonate an integration, rating",
                "old": "possible likelihood, major impact (high)",
                "new": "likely likelihood, major impact (high)",
                "document": "security",
                "document_title": SECURITY_TITLE,
                "heading": "Threat register",
                "clause": "16.2",
                "audience": "public",
            },
        ],
    }


def test_clause_numbers_are_the_ones_the_pdf_prints(planted):
    """Each SLA clause number the diff reports is printed before the heading it names in the SLA PDF."""
    project = load_project(planted).project
    spec = next(s for s in DOCUMENTS if s.name == "sla-addendum")
    text = subprocess.run(["pdftotext", "-", "-"], input=spec.render(project), capture_output=True, check=True)
    lines = [line.strip() for line in text.stdout.decode().splitlines()]
    numbers = clause_numbers(project, ["sla-addendum"])
    assert numbers[("sla-addendum", "services")] == "2"
    for number, title in (
        ("2", "Services and commitments"),
        ("6.1", "Entitlement"),
        ("9.3", "Response and resolution targets"),
    ):
        assert f"{number} {title}" in lines
    assert {numbers[("sla-addendum", "credit-entitlement")], numbers[("sla-addendum", "targets")]} == {"6.1", "9.3"}


def test_text_report_says_old_new_and_where(runner, planted):
    result = runner.invoke(main, ["diff", str(SAMPLE), str(planted)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"Changes since version 3.2 ({SAMPLE}) to version 3.2 ({planted})"
    assert lines[1] == f"Availability commitment: Bank feeds: 99.5 % → 99.7 % ({SLA_TITLE}, clause 2)"
    assert lines[4] == (
        "Subprocessor: Twilio Ireland Limited: added: Text-message delivery of sign-in codes, "
        f"Ireland ({SECURITY_TITLE}, clause 13)"
    )
    assert lines[-1] == "5 changes a customer would see, 0 internal"


def test_pdf_and_markdown_written_to_out(runner, planted, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["diff", str(SAMPLE), str(planted), "-o", str(out), "--customer", str(GLOBEX)])
    assert result.exit_code == 1, result.output
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out / "changes.pdf").pages)
    assert "Changes since version 3.2" in text
    assert "Prepared for Globex Corporation" in text
    assert "Twilio Ireland Limited" in text and "99.7 %" in text
    for internal in ("trustdocs", "MET", "internal"):
        assert internal not in text
    assert check_pdfa(out / "changes.pdf") == []
    markdown = (out / "changes.md").read_text(encoding="utf-8")
    assert (
        "| Service Level Agreement Addendum | 2 | Availability commitment: Bank feeds | 99.5 % | 99.7 % |" in markdown
    )


def test_customer_overlay_is_applied_to_both_sides(runner):
    result = runner.invoke(main, ["diff", str(SAMPLE), str(SAMPLE), "--customer", str(GLOBEX)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        "No term or figure changed.",
        "0 changes a customer would see, 0 internal",
    ]


def test_overlay_versus_standard_terms_works_caps_out_in_money():
    standard = load_project(SAMPLE).project
    globex = load_project(SAMPLE, GLOBEX).project
    changes = {c.subject: (c.old, c.new) for c in project_changes(standard, globex)}
    # Hand-worked: the greater of 3 × $240,000 = $720,000 and the $1,000,000 floor is $1,000,000;
    # Globex's 5 × $600,000 = $3,000,000, with no floor.
    fees = "the Fees paid or payable in the 12 months before the event giving rise to the liability"
    assert changes["Super-Cap"] == (
        f"the greater of 3 × {fees} and $1,000,000: $1,000,000 at an annual fee of $240,000",
        f"5 × {fees}: $3,000,000 at an annual fee of $600,000",
    )
    assert changes["Security Incident notification"] == ("48 hours", "24 hours")


def test_internal_only_change_is_listed_but_exits_0(runner, tmp_path):
    copy = tmp_path / "acme"
    shutil.copytree(SAMPLE, copy)
    _edit(
        copy / "security/programme.yaml",
        "  subprocessors:\n",
        "  subprocessors:\n    - name: Pilot Analytics GmbH\n      purpose: Trial of product analytics\n"
        "      location: Germany\n      audience: internal\n",
    )
    result = runner.invoke(main, ["diff", str(SAMPLE), str(copy)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        "Internal only (not in any customer document):",
        f"  Subprocessor: Pilot Analytics GmbH: added: Trial of product analytics, Germany ({SECURITY_TITLE}, "
        "clause 13)",
        "0 changes a customer would see, 1 internal",
    ]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def repository(tmp_path) -> Path:
    """A git repository holding the sample at docs/acme, committed twice with no change of terms."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    shutil.copytree(SAMPLE, repo / "docs" / "acme")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "first")
    _git(repo, "tag", "globex-signed")
    (repo / "NOTES.txt").write_text("not part of the project\n")
    _edit(repo / "docs/acme/legal/sla.yaml", "commitment_percent: 99.5", "commitment_percent: 99.5  # unchanged")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "second")
    return repo


def test_two_identical_revisions_list_nothing_and_exit_0(runner, repository):
    result = runner.invoke(main, ["diff", "HEAD~1", "HEAD", "--project", str(repository / "docs/acme")])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Changes since version 3.2 (HEAD~1) to version 3.2 (HEAD)\n"
        "No term or figure changed.\n0 changes a customer would see, 0 internal\n"
    )


def test_revision_against_work_tree_leaves_the_work_tree_alone(runner, repository):
    project = repository / "docs/acme"
    _edit(project / "legal/sla.yaml", "commitment_percent: 99.5", "commitment_percent: 99.7")
    before = _git(repository, "status", "--porcelain")
    result = runner.invoke(main, ["diff", "globex-signed", str(project), "--format", "json"])
    assert result.exit_code == 1, result.output
    changes = json.loads(result.output)["changes"]
    assert [(c["subject"], c["old"], c["new"]) for c in changes] == [
        ("Availability commitment: Bank feeds", "99.5 %", "99.7 %")
    ]
    assert _git(repository, "status", "--porcelain") == before


def test_unknown_revision_is_a_usage_error(runner, repository):
    result = runner.invoke(main, ["diff", "no-such-tag", str(repository / "docs/acme")])
    assert result.exit_code == 2
    assert result.output == f"Error: 'no-such-tag' is not a revision of the repository at {repository.resolve()}\n"


def test_revision_without_the_project_folder(runner, repository):
    _git(repository, "mv", "docs/acme", "docs/ledger")
    _git(repository, "commit", "-qm", "moved")
    result = runner.invoke(main, ["diff", "globex-signed", "HEAD", "--project", str(repository / "docs/ledger")])
    assert result.exit_code == 2
    assert result.output == "Error: revision 'globex-signed' has no folder 'docs/ledger'\n"


def test_folder_outside_git_is_a_usage_error(runner, tmp_path):
    copy = tmp_path / "acme"
    shutil.copytree(SAMPLE, copy)
    result = runner.invoke(main, ["diff", "HEAD", str(copy)])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1].startswith(f"Error: '{copy}' is not inside a git repository")


def test_invalid_version_exits_1_with_its_problems(runner, tmp_path):
    copy = tmp_path / "acme"
    shutil.copytree(SAMPLE, copy)
    _edit(copy / "legal/sla.yaml", "commitment_percent: 99.5", "commitment_percent: lots")
    result = runner.invoke(main, ["diff", str(SAMPLE), str(copy)])
    assert result.exit_code == 1
    assert re.search(r"legal/sla\.yaml:\d+:\d+: sla\.services\[2\]\.commitment_percent: ", result.output)


HEADING_IDS = sorted(
    {(t.place.document, t.place.heading) for t in TERMS} | {(c.place.document, c.place.heading) for c in COLLECTIONS}
)


def test_every_heading_in_the_mapping_exists_in_the_sample_documents():
    project = load_project(SAMPLE, GLOBEX).project
    numbers = clause_numbers(project, {document for document, _ in HEADING_IDS})
    missing = [f"{document}#{heading}" for document, heading in HEADING_IDS if (document, heading) not in numbers]
    assert missing == []


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if line == text)


def _received(repo: Path, revision: str) -> Path:
    customer = repo / "docs/acme/customers/globex.yaml"
    customer.write_text(
        customer.read_text(encoding="utf-8") + f'  last_received:\n    version: "3.1"\n    revision: {revision}\n',
        encoding="utf-8",
    )
    return customer


def test_packet_includes_the_changes_since_the_version_last_received(runner, repository, tmp_path):
    project = repository / "docs/acme"
    _edit(project / "legal/sla.yaml", "commitment_percent: 99.5", "commitment_percent: 99.7")
    customer = _received(repository, "globex-signed")
    out = tmp_path / "packet"
    result = runner.invoke(main, ["packet", str(project), "--customer", str(customer), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(out / "packet-globex.pdf").pages]
    part = [text for text in pages if "1 Scope This document lists every term and figure" in text]
    assert len(part) == 1
    assert "differs between version 3.1 and version 3.2, as they apply to Globex Corporation" in part[0]
    assert "Availability commitment: Bank feeds 99.5 % 99.7 %" in part[0]
    assert "Service Credit" not in part[0]  # Globex's own tiers apply to both versions


def test_packet_with_an_unknown_received_revision_names_the_customer_file(runner, repository, tmp_path):
    customer = _received(repository, "no-such-tag")
    result = runner.invoke(
        main,
        ["packet", str(repository / "docs/acme"), "--customer", str(customer), "-o", str(tmp_path / "packet"), "-q"],
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{customer}:{_line_of(customer, '  last_received:') + 1}:5: customer.last_received.revision: "
        f"'no-such-tag' is not a revision of the repository at {repository.resolve()}"
    )
    assert not (tmp_path / "packet").exists()


def _changed(old, new) -> list[tuple[str, str, str | None, str | None, str]]:
    return [(c.kind, c.subject, c.old, c.new, c.place.document) for c in project_changes(old, new)]


def test_insurance_escrow_certification_and_threat_lifecycle_changes():
    from dataclasses import replace

    old = load_project(SAMPLE).project
    cyber = next(p for p in old.insurance.policies if p.type == "cyber")
    policies = tuple(
        replace(p, per_claim_limit=p.per_claim_limit * 2) if p is cyber else p for p in old.insurance.policies
    )
    conditions = old.escrow.release_conditions
    certification = old.security.certifications[0]
    threat = next(t for t in old.threat_model.threats if t.status == "in_progress")
    new = replace(
        old,
        insurance=replace(old.insurance, policies=policies),
        escrow=replace(old.escrow, release_conditions=conditions[1:]),
        security=replace(old.security, certifications=old.security.certifications[1:]),
        threat_model=replace(
            old.threat_model,
            threats=tuple(replace(t, status="accepted") if t is threat else t for t in old.threat_model.threats),
        ),
    )
    limit = cyber.per_claim_limit
    assert limit == 5_000_000
    assert _changed(old, new) == [
        (
            "removed",
            f"Certification: {certification.name}",
            f"{certification.auditor}, {certification.period_start} to {certification.period_end}",
            None,
            "security",
        ),
        ("changed", f"Threat: {threat.id} {threat.title}, status", "in progress", "accepted", "security"),
        (
            "changed",
            "Insurance policy: Cyber (network security & privacy), per-claim limit",
            "$5,000,000",
            "$10,000,000",
            "insurance-summary",
        ),
        ("removed", f"Release Condition: {conditions[0].name}", conditions[0].description, None, "escrow-procedure"),
    ]


def test_problems_in_a_revision_are_named_by_revision_and_path(runner, repository):
    project = repository / "docs/acme"
    _edit(project / "legal/sla.yaml", "commitment_percent: 99.5", "commitment_percent: lots")
    _git(repository, "commit", "-qam", "broken")
    _edit(project / "legal/sla.yaml", "commitment_percent: lots", "commitment_percent: 99.5")
    result = runner.invoke(main, ["diff", "HEAD", str(project)])
    assert result.exit_code == 1
    assert re.match(
        r"HEAD:docs/acme/legal/sla\.yaml:\d+:\d+: sla\.services\[2\]\.commitment_percent: ", result.output
    ), result.output
