"""The trust center in a real browser: headless Chromium loads every page from file:// with no console error
and no request outside the site, axe-core finds no serious or critical violation, and the front page is
photographed (tests/browser/check_site.mjs does the browsing)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from trustdocs.project import load_project
from trustdocs.site import build_site

BROWSER_TESTS = Path(__file__).parent / "browser"
CHROMIUM = "/usr/bin/chromium"


def _missing() -> str | None:
    if not Path(CHROMIUM).is_file():
        return f"Chromium is not installed at {CHROMIUM} (make test installs the Debian package 'chromium')"
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "Node.js and npm are not installed (make test installs the Debian packages 'nodejs' and 'npm')"
    return None


def _node_modules() -> None:
    """Install puppeteer-core and axe-core from the lock file if `make test` has not (no browser download)."""
    if (BROWSER_TESTS / "node_modules" / "puppeteer-core").is_dir():
        return
    environment = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=BROWSER_TESTS, env=environment, check=True)


@pytest.mark.skipif(_missing() is not None, reason=_missing() or "")
@pytest.mark.parametrize("audience", ["public", "nda"])
def test_every_page_loads_cleanly_and_passes_axe(sample, tmp_path, audience, request):
    _node_modules()
    if audience == "nda":  # with the documents: the site tests/test_site.py reads, made once per run
        site = request.getfixturevalue("shared_nda_site") / "site"
    else:
        site = tmp_path / "site"
        build_site(load_project(sample).project, site, audience=audience, documents=False)
    screenshot = tmp_path / "index.png"
    result = subprocess.run(
        ["node", str(BROWSER_TESTS / "check_site.mjs"), str(site), str(screenshot), CHROMIUM],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["problems"] == []
    assert report["pages"] == sorted(p.name for p in site.glob("*.html"))
    assert len(report["pages"]) == 7
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
