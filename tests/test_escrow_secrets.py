"""The secret scan: credentials stop a deposit, named by file and line, unless sealed on purpose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trustdocs.escrow import SecretsFound, deposit_time, make_deposit, parse_deposit_date
from trustdocs.escrow.secret_scan import SecretFinding, scan_file, scan_for_secrets, secret_by_name
from trustdocs.escrow.source_tree import DepositFile
from trustdocs.model.escrow import (
    Escrow,
    Party,
    ReleaseCondition,
    ReleaseProcess,
    SealedCredential,
    Verification,
)

WHEN = deposit_time(parse_deposit_date("2026-03-14T02:10:00Z"))
KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n"


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def escrow_section(sealed: tuple[SealedCredential, ...]) -> Escrow:
    return Escrow(
        agent=Party("Escrow Agent Ltd", "agent"),
        agreement_type="three_party",
        depositor=Party("Acme Cloud Ltd", "depositor"),
        beneficiaries=(),
        contents=(),
        method="upload",
        frequency="quarterly",
        encryption="PGP",
        verification=Verification("integrity", "annually"),
        release_conditions=(ReleaseCondition("insolvency", "Insolvent."),),
        release_process=ReleaseProcess("notice", 10, "arbitration"),
        sealed_credentials=sealed,
    )


def test_a_tree_holding_a_private_key_is_refused_naming_the_file_and_line(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "acme", {"README.md": "x\n", "config/server.pem": "# deploy key\n\n" + KEY})
    out = tmp_path / "out"
    with pytest.raises(SecretsFound) as error:
        make_deposit(tree, out, when=WHEN)
    assert error.value.exit_code == 1
    assert error.value.format_message() == (
        "refusing to deposit: 1 file(s) look like credentials\n"
        "config/server.pem:3: private key\n"
        "To seal a credential into the deposit on purpose, list it under escrow.sealed_credentials "
        "or pass --allow-secret PATH."
    )
    assert "b3BlbnNzaC1rZXkt" not in error.value.format_message()
    assert not out.exists() or list(out.iterdir()) == []


def test_every_finding_is_listed_sorted_by_file_and_line(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "acme",
        {
            "src/settings.py": 'DEBUG = True\nAWS_KEY = "AKIAZ7Q3XJ4KLMNOPQRS"\npassword = "s3cr3t-Hunter2!"\n',
            ".env": "DB_URL=postgres://x\n",
            "ci/notify.sh": "curl https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdefghijklmnopqrstuvwx\n",
            "keys/signing.p12": b"\x30\x82\x00\x01",
        },
    )
    with pytest.raises(SecretsFound) as error:
        make_deposit(tree, tmp_path / "out", when=WHEN)
    assert error.value.format_message().splitlines()[:6] == [
        "refusing to deposit: 4 file(s) look like credentials",
        ".env: environment file (.env)",
        "ci/notify.sh:1: Slack webhook URL",
        "keys/signing.p12: key store",
        "src/settings.py:2: AWS access key id",
        "src/settings.py:3: password assignment",
    ]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("-----BEGIN RSA PRIVATE KEY-----", "private key"),
        ("-----BEGIN EC PRIVATE KEY-----", "private key"),
        ("-----BEGIN PRIVATE KEY-----", "private key"),
        ("-----BEGIN PGP PRIVATE KEY BLOCK-----", "private key"),
        ("aws_access_key_id = AKIAZ7Q3XJ4KLMNOPQRS", "AWS access key id"),
        ("aws_secret_access_key = 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", "AWS secret access key"),
        ('"AWS_SECRET_ACCESS_KEY": "Zx9s8d7F6g5H4j3K2l1Q0w9E8r7T6y5U4i3O2p1A"', "AWS secret access key"),
        ("token: ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "GitHub token"),
        ("GITHUB_TOKEN=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "GitHub token"),
        ("SLACK=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "Slack token"),
        ("stripe.api_key = 'sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc'", "Stripe secret key"),
        ("key=AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", "Google API key"),
        ('password = "Tr0ub4dor&3horse"', "password assignment"),
        ("DB_PASSWORD: 'n0t-a-placeh0lder'", "password assignment"),
        ('{"client_secret": "9f8e7d6c5b4a3210"}', "password assignment"),
    ],
)
def test_secret_patterns(tmp_path: Path, line: str, kind: str) -> None:
    path = tmp_path / "f.txt"
    path.write_text(f"first line\n{line}\nlast line\n")
    assert scan_file(path, "f.txt") == [SecretFinding("f.txt", 2, kind)]


@pytest.mark.parametrize(
    "line",
    [
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",  # AWS's documentation key
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        'password = "changeme123"',
        'password = "${DB_PASSWORD}"',
        "password = os.environ['DB_PASSWORD']",
        'password = "short"',
        "The private key is generated by the installer.",
        "-----BEGIN PUBLIC KEY-----",
        "ghp_tooShort",
    ],
)
def test_not_secrets(tmp_path: Path, line: str) -> None:
    path = tmp_path / "f.txt"
    path.write_text(line + "\n")
    assert scan_file(path, "f.txt") == []


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (".env", "environment file (.env)"),
        ("deploy/.env.production", "environment file (.env)"),
        (".env.example", None),
        (".env.sample", None),
        ("environment.py", None),
        ("certs/client.PFX", "key store"),
        ("android/release.jks", "key store"),
    ],
)
def test_secrets_by_file_name(path: str, kind: str | None) -> None:
    assert secret_by_name(path) == kind


def test_binary_and_large_files_are_not_scanned(tmp_path: Path) -> None:
    write_tree(tmp_path, {"blob.bin": b"\0\1" + KEY.encode(), "big.txt": KEY * 100, "ok.txt": "fine\n"})
    files = [DepositFile("big.txt", len(KEY) * 100), DepositFile("blob.bin", 2 + len(KEY)), DepositFile("ok.txt", 5)]
    result = scan_for_secrets(tmp_path, files, sealed=lambda p: False, limit=len(KEY) * 10)
    assert result.findings == ()
    assert (result.summary.scanned, result.summary.skipped_binary, result.summary.skipped_large) == (1, 1, ("big.txt",))


def test_a_secret_after_the_first_chunk_gets_the_right_line(tmp_path: Path) -> None:
    lines = [f"line {i} " + "x" * 100 for i in range(20_000)]  # > 2 MB, several read chunks
    lines[15_000] = "-----BEGIN DSA PRIVATE KEY-----"
    (tmp_path / "long.txt").write_text("\n".join(lines) + "\n")
    assert scan_file(tmp_path / "long.txt", "long.txt") == [SecretFinding("long.txt", 15_001, "private key")]


def test_allow_secret_lets_a_file_through_and_records_it_as_sealed(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "acme",
        {"README.md": "x\n", "config/server.pem": KEY, "tests/fixtures/a.pem": KEY, "tests/fixtures/b.pem": KEY},
    )
    result = make_deposit(
        tree, tmp_path / "out", when=WHEN, allow_secrets=["config/server.pem", "tests/fixtures/*.pem"]
    )
    sealed = json.loads(result.manifest_path.read_text())["sealed"]
    assert sealed == [
        {"path": "config/server.pem", "purpose": "allowed with --allow-secret"},
        {"path": "tests/fixtures/a.pem", "purpose": "allowed with --allow-secret"},
        {"path": "tests/fixtures/b.pem", "purpose": "allowed with --allow-secret"},
    ]


def test_sealed_credentials_of_the_escrow_section_are_let_through(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tree = write_tree(tmp_path / "acme", {"README.md": "x\n", "secrets/.env": "DB_PASSWORD=x\n"})
    section = escrow_section(
        (
            SealedCredential("secrets/.env", "Production configuration"),
            SealedCredential("secrets/gone.key", "Retired signing key"),
        )
    )
    result = make_deposit(tree, tmp_path / "out", when=WHEN, escrow=section)
    assert [(s.path, s.purpose) for s in result.manifest.sealed] == [("secrets/.env", "Production configuration")]
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        "sealed credential not in the deposit: secrets/gone.key"
    ]
