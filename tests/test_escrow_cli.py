"""`trustdocs escrow deposit|verify` from the command line: output, exit codes and usage errors."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from trustdocs.cli import main
from trustdocs.model.escrow import (
    DepositItem,
    Escrow,
    Party,
    ReleaseCondition,
    ReleaseProcess,
    SealedCredential,
    Verification,
)

DATE = "2026-03-14T02:10:00Z"
NO_EPOCH = {"SOURCE_DATE_EPOCH": None}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    for name, content in {
        "README.md": "# Acme\n",
        "LICENSE": "MIT\n",
        "poetry.lock": "[[package]]\n",
        "src/app.py": "print(1)\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content)
    return root


def test_deposit_writes_the_archive_and_manifest_and_says_so(runner: CliRunner, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["escrow", "deposit", str(tree), "-o", str(out), "--date", DATE], env=NO_EPOCH)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "acme-20260314T021000Z.manifest.json").read_text())
    assert result.stdout == (
        "deposited 4 files (32 bytes) from acme\n"
        f"archive:   {out}/acme-20260314T021000Z.tar.gz ({manifest['archive']['bytes']} bytes)\n"
        f"sha256:    {manifest['archive']['sha256']}\n"
        f"manifest:  {out}/acme-20260314T021000Z.manifest.json\n"
        "checklist: 3 of 3 required items found\n"
    )
    assert result.stderr == ""


def test_quiet_deposit_prints_only_warnings(runner: CliRunner, tree: Path, tmp_path: Path) -> None:
    (tree / "poetry.lock").unlink()
    result = runner.invoke(main, ["escrow", "deposit", str(tree), "-o", str(tmp_path / "out"), "-q"], env=NO_EPOCH)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "warning: required deposit item missing: dependency_manifests (Dependency manifests and lock files)\n"
        "warning: the deposit is dated by the clock; give --date or SOURCE_DATE_EPOCH to make it reproducible\n"
    )


def test_source_date_epoch_is_honoured(runner: CliRunner, tree: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        main,
        ["escrow", "deposit", str(tree), "-o", str(tmp_path / "out"), "-q"],
        env={"SOURCE_DATE_EPOCH": "1773454200"},
    )
    assert result.exit_code == 0
    assert result.stderr == ""
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "acme-20260314T021000Z.manifest.json",
        "acme-20260314T021000Z.tar.gz",
    ]


def test_a_private_key_stops_the_deposit(runner: CliRunner, tree: Path, tmp_path: Path) -> None:
    (tree / "deploy").mkdir()
    (tree / "deploy" / "id_ed25519").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n")
    result = runner.invoke(main, ["escrow", "deposit", str(tree), "-o", str(tmp_path / "out"), "--date", DATE])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: refusing to deposit: 1 file(s) look like credentials\n"
        "deploy/id_ed25519:1: private key\n"
        "To seal a credential into the deposit on purpose, list it under escrow.sealed_credentials "
        "or pass --allow-secret PATH.\n"
    )
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []

    allowed = runner.invoke(
        main,
        [
            "escrow",
            "deposit",
            str(tree),
            "-o",
            str(tmp_path / "out"),
            "--date",
            DATE,
            "--allow-secret",
            "deploy/id_ed25519",
        ],
    )
    assert allowed.exit_code == 0
    assert "sealed:    deploy/id_ed25519 (allowed with --allow-secret)\n" in allowed.stdout


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["escrow", "deposit", "{tree}"], {}, "Error: Missing option '-o' / '--output'."),
        (
            ["escrow", "deposit", "{tmp}/nowhere", "-o", "{tmp}/out"],
            {},
            "Error: Invalid value for 'SOURCE_DIR': Directory '{tmp}/nowhere' does not exist.",
        ),
        (
            ["escrow", "deposit", "{tree}", "-o", "{tmp}/out", "--date", "soon"],
            {},
            "Error: Invalid value for '--date': 'soon' is not an ISO 8601 date or date-time, e.g. 2026-03-14T02:10:00Z",
        ),
        (
            ["escrow", "deposit", "{tree}", "-o", "{tmp}/out"],
            {"SOURCE_DATE_EPOCH": "-5"},
            "Error: SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, not '-5'",
        ),
        (["escrow", "deposit", "{tree}", "-o", "{tmp}/out", "--shiny"], {}, "Error: No such option '--shiny'."),
        (["escrow", "verify"], {}, "Error: Missing argument 'ARCHIVE'."),
        (
            ["escrow", "verify", "{tmp}/none.tar.gz"],
            {},
            "Error: Invalid value for 'ARCHIVE': File '{tmp}/none.tar.gz' does not exist.",
        ),
        (
            ["escrow", "verify", "{tree}/README.md", "--format", "xml"],
            {},
            "Error: Invalid value for '--format': 'xml' is not one of 'text', 'json'.",
        ),
    ],
)
def test_usage_errors_exit_2(
    runner: CliRunner, tree: Path, tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    fill = {"tree": str(tree), "tmp": str(tmp_path)}
    result = runner.invoke(main, [a.format(**fill) for a in args], env=env)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message.format(**fill)


def test_verify_passes_with_exit_0_and_fails_with_exit_1(runner: CliRunner, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(main, ["escrow", "deposit", str(tree), "-o", str(out), "--date", DATE, "-q"]).exit_code == 0
    archive = out / "acme-20260314T021000Z.tar.gz"
    manifest = out / "acme-20260314T021000Z.manifest.json"

    passed = runner.invoke(main, ["escrow", "verify", str(archive)])
    assert passed.exit_code == 0
    assert passed.stdout.splitlines()[-1] == "result: passed"

    data = json.loads(manifest.read_text())
    data["files"][0]["sha256"] = "0" * 64
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data))
    failed = runner.invoke(main, ["escrow", "verify", str(archive), "--manifest", str(tampered), "--format", "json"])
    assert failed.exit_code == 1
    report = json.loads(failed.stdout)
    assert (report["passed"], report["manifest"]) == (False, str(tampered))
    assert report["integrity"]["problems"] == ["changed: LICENSE (sha256 differs)"]


def test_verify_without_a_manifest_exits_1(runner: CliRunner, tree: Path) -> None:
    archive = tree / "lonely.tar.gz"
    archive.write_bytes(b"x")
    result = runner.invoke(main, ["escrow", "verify", str(archive)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no manifest beside {archive}: expected {tree / 'lonely.manifest.json'}; give --manifest FILE\n"
    )


def test_a_project_deposit_uses_its_checklist_and_is_logged(
    runner: CliRunner, tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trustdocs.project

    project_root = tmp_path / "project"
    project_root.mkdir()
    escrow = Escrow(
        agent=Party("Escrow Agent Ltd", "agent"),
        agreement_type="three_party",
        depositor=Party("Acme Cloud Ltd", "depositor"),
        beneficiaries=(),
        contents=(DepositItem("source", "Application source", ("src/**",)),),
        method="upload",
        frequency="quarterly",
        encryption="PGP",
        verification=Verification("inventory", "yearly"),
        release_conditions=(ReleaseCondition("insolvency", "Insolvent."),),
        release_process=ReleaseProcess("notice", 10, "arbitration"),
        sealed_credentials=(SealedCredential("deploy.key", "Deployment key"),),
        deposit_log="legal/escrow-deposits.yaml",
    )
    loaded = SimpleNamespace(root=project_root, escrow=escrow, document=SimpleNamespace(product="Acme Cloud"))
    monkeypatch.setattr(trustdocs.project, "load_project", lambda path: SimpleNamespace(project=loaded, warnings=()))
    (tree / "deploy.key").write_text("-----BEGIN EC PRIVATE KEY-----\n")

    result = runner.invoke(
        main,
        ["escrow", "deposit", str(tree), "-o", str(tmp_path / "out"), "--date", DATE, "--project", str(project_root)],
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith(f"archive:   {tmp_path / 'out'}/acme-cloud-20260314T021000Z.tar.gz")
    assert lines[4:] == [
        "checklist: 1 of 1 required items found",
        "sealed:    deploy.key (Deployment key)",
        f"logged:    {project_root / 'legal' / 'escrow-deposits.yaml'} (verification passed)",
    ]
    log = (project_root / "legal" / "escrow-deposits.yaml").read_text()
    assert log.splitlines()[2:4] == ["deposits:", '  - date: "2026-03-14T02:10:00Z"']
    assert "    verification: passed" in log.splitlines()


def test_escrow_commands_have_help(runner: CliRunner) -> None:
    for command in (["escrow"], ["escrow", "deposit"], ["escrow", "verify"]):
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0
        assert result.stdout.splitlines()[0].endswith(
            f"{' '.join(command)} [OPTIONS]"
            + (
                " COMMAND [ARGS]..."
                if command == ["escrow"]
                else " SOURCE_DIR"
                if command[-1] == "deposit"
                else " ARCHIVE"
            )
        )


SAMPLE = Path(__file__).parent.parent / "sample_inputs" / "acme"


@pytest.mark.skipif(not (SAMPLE / "legal" / "escrow-deposits.yaml").exists(), reason="no sample project")
def test_a_deposit_appended_to_the_sample_log_loads_back(runner: CliRunner, tree: Path, tmp_path: Path) -> None:
    import shutil

    from trustdocs.project import load_project

    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project)
    before = len(load_project(project).project.escrow.deposits)  # type: ignore[union-attr]
    result = runner.invoke(
        main,
        ["escrow", "deposit", str(tree), "-o", str(tmp_path / "out"), "--date", DATE, "--project", str(project), "-q"],
    )
    assert result.exit_code == 0, result.output
    deposits = load_project(project).project.escrow.deposits  # type: ignore[union-attr]
    manifest = json.loads(next((tmp_path / "out").glob("*.manifest.json")).read_text())
    assert len(deposits) == before + 1
    last = deposits[-1]
    assert (last.date.isoformat(), last.commit, last.archive_sha256, last.files, last.bytes, last.dirty) == (
        "2026-03-14T02:10:00+00:00",
        None,
        manifest["archive"]["sha256"],
        4,
        manifest["archive"]["bytes"],
        False,
    )
