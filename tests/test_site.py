"""The static trust center: what each audience sees, the figures it shows, and how the folder is written."""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from trustdocs.analyse.availability import project_history
from trustdocs.cli import main
from trustdocs.errors import BuildError
from trustdocs.project import load_project
from trustdocs.render.contract import measured_text
from trustdocs.render.service_performance import as_of_day, in_progress, period_name
from trustdocs.render.support_terms import plan_targets
from trustdocs.site import PAGES, build_site, render_site

NDA_ONLY = "Annual penetration test 2026"
"""A certification marked `audience: nda` in the sample."""
INTERNAL = ("Arctic Wolf", "TM-054")
"""A subprocessor and a threat marked `audience: internal` in the sample."""


@pytest.fixture(scope="module")
def acme():
    return load_project(Path(__file__).resolve().parent.parent / "sample_inputs" / "acme").project


@pytest.fixture(scope="module")
def public_site(acme) -> dict[str, bytes]:
    return render_site(acme, audience="public", documents=False)


@pytest.fixture(scope="module")
def nda_site(acme) -> dict[str, bytes]:
    return render_site(acme, audience="nda", documents=False)


def text(page: bytes) -> str:
    """What a reader sees: the page's text without tags, entities decoded, white space collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.decode("utf-8"))))


def test_every_page_and_the_stylesheet_are_written(public_site):
    assert sorted(public_site) == sorted([page.filename for page in PAGES] + ["site.css"])


def test_nda_content_appears_only_in_the_nda_site(public_site, nda_site):
    assert NDA_ONLY in text(nda_site["certifications.html"])
    assert all(NDA_ONLY not in text(page) for page in public_site.values())
    assert "ISO/IEC 27001:2022" in text(public_site["certifications.html"])


@pytest.mark.parametrize("marker", INTERNAL)
def test_internal_content_never_appears(public_site, nda_site, marker):
    for site in (public_site, nda_site):
        assert all(marker not in page.decode("utf-8") for page in site.values())


def test_subprocessors_show_name_purpose_location_and_data(public_site):
    page = text(public_site["subprocessors.html"])
    assert "Stripe Payments Europe, Ltd. Card and direct-debit payment collection for invoices Ireland" in page


def test_uptime_figures_are_the_analysis_and_sla_report_figures(acme, public_site, runner, sample):
    page = text(public_site["uptime.html"])
    report = runner.invoke(main, ["sla", "report", str(sample), "--format", "json"])
    assert report.exit_code == 0, report.output
    json_rows = {(r["month"], r["service"]): r for r in json.loads(report.output)}
    as_of = as_of_day(acme.sla, acme.incidents)
    checked = 0
    for row in project_history(acme):
        if in_progress(row.period, as_of) or row.period.end.date() > as_of:
            continue
        figure = measured_text(row.availability)
        assert f"{period_name(row.period)} {figure}" in section(page, row.service_name)
        reported = Decimal(repr(json_rows[(row.period.label, row.service)]["availability_percent"]))
        assert figure == measured_text(reported)
        checked += 1
    assert checked >= 30
    assert "April 2026 99.780 %" in section(page, "Ledger API")


def section(page: str, service: str) -> str:
    """The text of one service's uptime table."""
    start = page.index(f"{service}: Monthly Uptime Percentage")
    following = page.find(": Monthly Uptime Percentage", start + len(service) + 30)
    return page[start : following if following > 0 else len(page)]


def test_support_targets_are_the_support_terms(acme, public_site):
    page = text(public_site["support.html"])
    for plan in acme.support.plans:
        for target in plan_targets(acme.support, plan):
            row = f"{target.severity} {target.first_response} {target.update_cadence} {target.workaround} {target.resolution}"
            assert row in page
    assert "Premium plan" in page and "Enterprise plan" in page


def test_pages_are_accessible_markup(public_site):
    for name, page in public_site.items():
        if not name.endswith(".html"):
            continue
        source = page.decode("utf-8")
        assert source.startswith('<!DOCTYPE html>\n<html lang="en">')
        assert source.count("<h1") == 1, name
        assert 'href="#content"' in source and '<main id="content"' in source and "<nav " in source
        assert "<script" not in source and "http://" not in source.replace("http://www.w3.org", "")
        assert all(re.search(r"<th scope=", th) for th in re.findall(r"<th[ >]", source)) or "<th>" not in source
        if "<table" in source:
            assert source.count("<table") == source.count("<caption>")


def test_links_are_relative_and_resolve(public_site):
    for name, page in public_site.items():
        for href in re.findall(r'(?:href|src)="([^"]+)"', page.decode("utf-8")):
            if href.startswith(("mailto:", "#")) or (name == "index.html" and href.startswith("https://")):
                continue
            assert href in public_site, f"{name} links to {href}"


def test_values_are_escaped(acme):
    from dataclasses import replace

    document = replace(acme.document, product="<script>alert(1)</script>")
    site = render_site(replace(acme, document=document), audience="public", documents=False)
    assert b"<script>" not in site["index.html"]
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in site["index.html"]


def test_a_rebuild_is_byte_identical(acme, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build_site(acme, first, audience="nda", documents=False)
    build_site(acme, second, audience="nda", documents=False)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_the_folder_is_replaced_as_a_whole(acme, tmp_path):
    site = tmp_path / "site"
    (site / "old").mkdir(parents=True)
    (site / "old" / "stale.html").write_text("stale")
    build_site(acme, site, audience="public", documents=False)
    assert not (site / "old").exists()
    assert (site / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_failed_build_leaves_the_earlier_site(acme, tmp_path, monkeypatch):
    site = tmp_path / "site"
    build_site(acme, site, audience="public", documents=False)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}

    def refuse(*args, **kwargs):
        raise BuildError("the disk is full")

    monkeypatch.setattr("trustdocs.write.atomic.OutputSet.write", refuse)
    with pytest.raises(BuildError, match="the disk is full"):
        build_site(acme, site, audience="nda", documents=False)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_public_site_offers_no_nda_document(acme):
    # The sample is classified NDA, so a public site renders no PDF at all and says how to ask for them.
    site = render_site(acme, audience="public", documents=True)
    assert not any(name.startswith("downloads/") for name in site)
    assert "shared under NDA" in text(site["downloads.html"])


def test_nda_site_offers_the_nda_documents(shared_nda_site):
    # build_site(sample, audience="nda"), made once per run (tests/test_site_browser.py browses it too).
    site = shared_nda_site / "site"
    outputs = (shared_nda_site / "outputs.txt").read_text(encoding="utf-8").splitlines()  # what it returned
    pdfs = sorted(path for path in outputs if path.startswith("downloads/"))
    assert "downloads/security-document.pdf" in pdfs and "downloads/sla-addendum.pdf" in pdfs
    assert all((site / pdf).read_bytes().startswith(b"%PDF-") for pdf in pdfs)
    page = text((site / "downloads.html").read_bytes())
    assert "Product Security Document (PDF," in page
    assert all(f'href="{pdf}"' in (site / "downloads.html").read_text() for pdf in pdfs)
    assert not (site / "downloads" / "manifest.json").exists()


def test_cli_builds_the_site(runner, sample, tmp_path):
    result = runner.invoke(main, ["site", str(sample), "-o", str(tmp_path / "site"), "--no-documents"])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote the public site into {tmp_path / 'site'} (8 files)\n"


def test_cli_usage_errors_exit_2(runner, sample, tmp_path):
    assert runner.invoke(main, ["site", str(sample)]).exit_code == 2
    result = runner.invoke(main, ["site", str(sample), "-o", str(tmp_path), "--audience", "internal"])
    assert result.exit_code == 2
    assert "'internal' is not one of 'public', 'nda'" in result.output


def test_cli_help(runner):
    result = runner.invoke(main, ["site", "--help"])
    assert result.exit_code == 0
    assert "--audience [public|nda]" in result.output


def test_no_check_result_or_internal_id_leaks(acme, public_site, nda_site):
    from trustdocs.render.leaks import leaked

    internal = [t.id for t in acme.threat_model.threats if t.audience == "internal"]
    internal += [c.id for c in acme.architecture.components if c.audience == "internal"]
    assert "TM-054" in internal
    for site in (public_site, nda_site):
        for name, page in site.items():
            if name.endswith(".html"):
                assert leaked(text(page), internal) == [], name


def test_prose_is_rendered_from_markdown(public_site):
    page = public_site["security.html"].decode("utf-8")
    assert "<strong>Security Engineering</strong>" in page
    assert all(b"**" not in page for page in public_site.values())


def test_cli_bad_input_exits_1_and_writes_nothing(runner, project, tmp_path):
    root = project({"trustdocs.yaml": "document: {product: 7}\n"})
    result = runner.invoke(main, ["site", str(root), "-o", str(tmp_path / "site"), "--no-documents"])
    assert result.exit_code == 1
    assert re.search(r"trustdocs\.yaml:\d+:\d+: ", result.output)
    assert "Traceback" not in result.output
    assert not (tmp_path / "site").exists()


def test_cli_refuses_a_file_in_place_of_the_site(runner, sample, tmp_path):
    target = tmp_path / "site"
    target.write_text("not a folder")
    result = runner.invoke(main, ["site", str(sample), "-o", str(target), "--no-documents"])
    assert result.exit_code == 2  # click's Path(file_okay=False): a usage error
    assert "is a file" in result.output
    assert target.read_text() == "not a folder"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_an_unwritable_site_folder_is_one_located_error(runner, sample, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file")
    result = runner.invoke(main, ["site", str(sample), "-o", str(blocker / "site"), "--no-documents"])
    assert result.exit_code == 1
    assert result.output == f"Error: could not write {blocker / 'site'}: Not a directory\n"
