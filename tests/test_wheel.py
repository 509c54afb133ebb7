"""The installed wheel works outside the source tree: templates and schemas come from package data."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
        cwd=out,
    )
    (built,) = out.glob("trustdocs-*.whl")
    return built


def test_wheel_carries_templates_schemas_and_rules(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "trustdocs/templates/base.html",
        "trustdocs/templates/style.css",
        "trustdocs/templates/starter/trustdocs.yaml",
        "trustdocs/templates/starter/legal/sla.yaml",
        "trustdocs/templates/starter/customers/example-customer.yaml",
        "trustdocs/schemas/project.json",
        "trustdocs/schemas/architecture.json",
        "trustdocs/site/build.py",
        "trustdocs/templates/site/base.html",
        "trustdocs/templates/site/site.css",
    ):
        assert expected in names
    assert any(n.startswith("trustdocs/analyse/rules/") and n.endswith(".yaml") for n in names)


def test_installed_wheel_validates_the_sample_from_outside_the_repo(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # The wheel goes in with --no-deps; its dependencies come from this interpreter's site-packages through a
    # .pth file, which does not pull in the editable source tree (that needs a finder this venv never runs).
    site = Path(
        subprocess.run(
            [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "elsewhere"
    shutil.copytree(SAMPLE, work / "acme")
    located = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import trustdocs; print(trustdocs.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=work,
    )
    assert located.stdout.startswith(str(site)), located.stdout
    result = subprocess.run(
        [str(venv / "bin" / "trustdocs"), "validate", "acme"], capture_output=True, text=True, cwd=work
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("acme: valid: 23 components")
    init = subprocess.run(
        [str(venv / "bin" / "trustdocs"), "init", "starter"], capture_output=True, text=True, cwd=work
    )
    assert init.returncode == 0, init.stderr
    starter = subprocess.run(
        [str(venv / "bin" / "trustdocs"), "validate", "starter", "--strict"], capture_output=True, text=True, cwd=work
    )
    assert starter.returncode == 0, starter.stderr
    assert starter.stdout.startswith("starter: valid: 3 components")
