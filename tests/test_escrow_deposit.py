"""Escrow deposits: reproducible archives, git checkouts, the contents checklist and the deposit time."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import random
import subprocess
import tarfile
from pathlib import Path

import pytest

from trustdocs.errors import BuildError
from trustdocs.escrow import deposit as deposit_module
from trustdocs.escrow import deposit_time, make_deposit, parse_deposit_date, read_manifest
from trustdocs.escrow.checklist import default_checklist, evaluate_checklist, glob_regex
from trustdocs.model.escrow import (
    DepositItem,
    Escrow,
    Party,
    ReleaseCondition,
    ReleaseProcess,
    SealedCredential,
    Verification,
)

WHEN = deposit_time(parse_deposit_date("2026-03-14T02:10:00Z"))
WHEN_EPOCH = 1773454200


def write_tree(root: Path, files: dict[str, str | bytes], order: list[str] | None = None) -> Path:
    for name in order or list(files):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        content = files[name]
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def generated_files(seed: int = 7, count: int = 40) -> dict[str, str | bytes]:
    rng = random.Random(seed)
    files: dict[str, str | bytes] = {
        "README.md": "# Build\n\nmake all\n",
        "LICENSE": "Apache-2.0\n",
        "poetry.lock": "[[package]]\nname = 'click'\n",
    }
    for i in range(count):
        folder = rng.choice(["src", "src/core", "docs", "db/migrations", "assets"])
        if folder == "assets":
            files[f"{folder}/blob{i:02d}.bin"] = rng.randbytes(rng.randint(0, 5000))
        else:
            files[f"{folder}/file{i:02d}.txt"] = "".join(rng.choice("abc \n") for _ in range(rng.randint(0, 3000)))
    return files


def escrow_section(**changes: object) -> Escrow:
    values: dict[str, object] = dict(
        agent=Party("Escrow Agent Ltd", "agent"),
        agreement_type="three_party",
        depositor=Party("Acme Cloud Ltd", "depositor"),
        beneficiaries=(Party("Globex", "beneficiary"),),
        contents=(),
        method="upload",
        frequency="quarterly",
        encryption="PGP",
        verification=Verification("inventory", "annually"),
        release_conditions=(ReleaseCondition("insolvency", "The depositor becomes insolvent."),),
        release_process=ReleaseProcess("written notice", 10, "arbitration"),
    )
    values.update(changes)
    return Escrow(**values)  # type: ignore[arg-type]


def git(root: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- reproducibility ---------------------------------------------------------------------------------


def test_same_tree_gives_byte_identical_archive_whatever_times_order_and_permissions(tmp_path: Path) -> None:
    files = generated_files()
    first = write_tree(tmp_path / "a" / "acme", files)
    second = write_tree(tmp_path / "b" / "acme", files, order=list(reversed(files)))
    for i, path in enumerate(sorted(p for p in second.rglob("*") if p.is_file())):
        os.utime(path, (1_000_000 + i * 9973, 1_000_000 + i * 7919))
        path.chmod(0o600 if i % 2 else 0o664)  # permissions other than the executable bit do not count
    (first / "src" / "run.sh").write_text("#!/bin/sh\n")
    (second / "src" / "run.sh").write_text("#!/bin/sh\n")
    (first / "src" / "run.sh").chmod(0o755)
    (second / "src" / "run.sh").chmod(0o700)

    a = make_deposit(first, tmp_path / "out-a", when=WHEN)
    b = make_deposit(second, tmp_path / "out-b", when=WHEN)

    assert a.archive.name == b.archive.name == "acme-20260314T021000Z.tar.gz"
    assert sha256(a.archive) == sha256(b.archive) == a.manifest.archive_sha256 == b.manifest.archive_sha256
    assert a.archive.read_bytes() == b.archive.read_bytes()


def test_changing_a_file_or_its_executable_bit_changes_the_archive(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "acme", {"README.md": "x\n", "run.sh": "#!/bin/sh\n"})
    before = make_deposit(tree, tmp_path / "out1", when=WHEN).manifest.archive_sha256
    (tree / "run.sh").chmod(0o755)
    after = make_deposit(tree, tmp_path / "out2", when=WHEN).manifest.archive_sha256
    assert before != after


def test_archive_entries_are_sorted_and_normalised(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "acme", {"b.txt": "b", "a/z.txt": "z", "A.txt": "A", "run.sh": "#!/bin/sh\n"})
    (tree / "run.sh").chmod(0o750)
    (tree / "link").symlink_to("b.txt")
    result = make_deposit(tree, tmp_path / "out", when=WHEN)

    with tarfile.open(result.archive) as tar:
        members = tar.getmembers()
    root = "acme-20260314T021000Z"
    assert [(m.name, m.mode, m.uid, m.gid, m.uname, m.gname, m.mtime) for m in members] == [
        (f"{root}/A.txt", 0o644, 0, 0, "", "", WHEN_EPOCH),
        (f"{root}/a/z.txt", 0o644, 0, 0, "", "", WHEN_EPOCH),
        (f"{root}/b.txt", 0o644, 0, 0, "", "", WHEN_EPOCH),
        (f"{root}/link", 0o777, 0, 0, "", "", WHEN_EPOCH),
        (f"{root}/run.sh", 0o755, 0, 0, "", "", WHEN_EPOCH),
    ]
    assert members[3].issym() and members[3].linkname == "b.txt"
    header = result.archive.read_bytes()[:10]
    assert header[3] == 0  # gzip flags: no file name
    assert header[4:8] == b"\0\0\0\0"  # gzip mtime
    with gzip.open(result.archive) as raw:
        assert raw.read(1)  # a valid gzip stream


def test_manifest_lists_every_file_with_size_and_hash(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "acme", {"README.md": "hello\n", "src/app.py": "print(1)\n"})
    result = make_deposit(tree, tmp_path / "out", when=WHEN)

    assert result.manifest_path == tmp_path / "out" / "acme-20260314T021000Z.manifest.json"
    data = json.loads(result.manifest_path.read_text())
    assert data["files"] == [
        {"path": "README.md", "size": 6, "sha256": hashlib.sha256(b"hello\n").hexdigest(), "mode": "0644"},
        {"path": "src/app.py", "size": 9, "sha256": hashlib.sha256(b"print(1)\n").hexdigest(), "mode": "0644"},
    ]
    assert data["totals"] == {"files": 2, "bytes": 15}
    assert data["deposit"] == {"date": "2026-03-14T02:10:00Z", "date_source": "--date", "reproducible": True}
    assert data["source"] == {"name": "acme", "git": False, "commit": None, "dirty": None, "include_untracked": False}
    assert data["archive"] == {
        "name": "acme-20260314T021000Z.tar.gz",
        "root": "acme-20260314T021000Z",
        "sha256": sha256(result.archive),
        "bytes": result.archive.stat().st_size,
    }
    assert data["trustdocs_version"] == "0.1.0"
    assert data["secret_scan"] == {"scanned": 2, "skipped_binary": 0, "skipped_large": []}
    assert read_manifest(result.manifest_path) == result.manifest


def test_outside_git_every_file_but_dot_git_and_the_output_folder_is_deposited(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "acme", {"README.md": "x", ".git/config": "[core]", "sub/.git": "gitdir: x", ".hidden": "h"}
    )
    result = make_deposit(tree, tree / "deposits", when=WHEN)
    again = make_deposit(tree, tree / "deposits", when=WHEN)  # the first deposit is not deposited
    assert [f.path for f in result.manifest.files] == [".hidden", "README.md"]
    assert again.manifest.archive_sha256 == result.manifest.archive_sha256
    assert sorted(p.name for p in (tree / "deposits").iterdir()) == [
        "acme-20260314T021000Z.manifest.json",
        "acme-20260314T021000Z.tar.gz",
    ]


def test_a_symlinked_folder_is_deposited_as_a_link_not_followed(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"passwd": "root:x:0:0\n"})
    tree = write_tree(tmp_path / "acme", {"README.md": "x"})
    (tree / "etc").symlink_to(outside)
    result = make_deposit(tree, tmp_path / "out", when=WHEN)
    assert [(f.path, f.size, f.mode, f.link) for f in result.manifest.files] == [
        ("README.md", 1, "0644", None),
        ("etc", 0, "0777", str(outside)),
    ]


def test_a_file_name_that_is_not_utf8_survives_the_manifest(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "acme", {"README.md": "x"})
    (tree / os.fsdecode(b"caf\xe9.txt")).write_text("latin-1 name\n")
    (tree / "café.md").write_text("utf-8 name\n")
    result = make_deposit(tree, tmp_path / "out", when=WHEN)
    assert [f.path for f in result.manifest.files] == ["README.md", "café.md", "caf\udce9.txt"]  # byte order
    assert read_manifest(result.manifest_path) == result.manifest
    from trustdocs.escrow import verify_deposit

    assert verify_deposit(result.archive).integrity_passed


def test_the_output_folder_cannot_be_the_source(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "acme", {"README.md": "x"})
    with pytest.raises(BuildError) as error:
        make_deposit(tree, tree, when=WHEN)
    assert error.value.message == f"the output folder must not be the source folder: {tree}"


def test_an_empty_tree_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(BuildError) as error:
        make_deposit(tmp_path / "empty", tmp_path / "out", when=WHEN)
    assert error.value.message == f"nothing to deposit: no files in {tmp_path / 'empty'}"
    assert not (tmp_path / "out").exists()


def test_a_failed_deposit_leaves_no_partial_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = write_tree(tmp_path / "acme", {"README.md": "x\n", "z.txt": "data data\n"})
    out = tmp_path / "out"
    real_scan = deposit_module.scan_for_secrets

    def scan_then_shrink(*args: object, **kwargs: object) -> object:
        result = real_scan(*args, **kwargs)  # type: ignore[arg-type]
        (tree / "z.txt").write_text("d")  # the file changes after it was listed, while README is archived
        return result

    monkeypatch.setattr(deposit_module, "scan_for_secrets", scan_then_shrink)
    with pytest.raises(BuildError) as error:
        make_deposit(tree, out, when=WHEN)
    assert error.value.message == "cannot deposit z.txt: it changed while it was being deposited"
    assert list(out.iterdir()) == []


# --- git checkouts -----------------------------------------------------------------------------------


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    root = write_tree(
        tmp_path / "acme",
        {
            "README.md": "# Acme\n",
            "LICENSE": "MIT\n",
            "requirements.txt": "click\n",
            "src/app.py": "print(1)\n",
            ".gitignore": "build/\n",
        },
    )
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    write_tree(root, {"notes.txt": "untracked\n", "build/out.bin": "ignored\n"})
    return root


def test_a_git_checkout_deposits_only_tracked_files_and_records_the_commit(checkout: Path, tmp_path: Path) -> None:
    result = make_deposit(checkout, tmp_path / "out", when=WHEN)
    commit = git(checkout, "rev-parse", "HEAD")

    assert [f.path for f in result.manifest.files] == [
        ".gitignore",
        "LICENSE",
        "README.md",
        "requirements.txt",
        "src/app.py",
    ]
    assert (result.manifest.git, result.manifest.commit, result.manifest.dirty) == (True, commit, False)
    assert result.archive.name == f"acme-20260314T021000Z-{commit[:12]}.tar.gz"


def test_uncommitted_changes_mark_the_deposit_dirty(checkout: Path, tmp_path: Path) -> None:
    (checkout / "src" / "app.py").write_text("print(2)\n")
    result = make_deposit(checkout, tmp_path / "out", when=WHEN)
    assert result.manifest.dirty is True
    # the working tree's content is deposited, not the committed one
    assert {f.path: f.size for f in result.manifest.files}["src/app.py"] == 9


def test_include_untracked_adds_untracked_but_not_ignored_files(checkout: Path, tmp_path: Path) -> None:
    result = make_deposit(checkout, tmp_path / "out", when=WHEN, include_untracked=True)
    assert [f.path for f in result.manifest.files] == [
        ".gitignore",
        "LICENSE",
        "README.md",
        "notes.txt",
        "requirements.txt",
        "src/app.py",
    ]
    assert (result.manifest.dirty, result.manifest.include_untracked) == (True, True)


def test_a_subfolder_of_a_checkout_deposits_its_tracked_files(checkout: Path, tmp_path: Path) -> None:
    result = make_deposit(checkout / "src", tmp_path / "out", when=WHEN)
    assert [f.path for f in result.manifest.files] == ["app.py"]
    assert result.manifest.commit == git(checkout, "rev-parse", "HEAD")


def test_a_checkout_without_commits_has_no_commit(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "fresh", {"README.md": "x\n"})
    git(root, "init", "-q")
    git(root, "add", ".")
    result = make_deposit(root, tmp_path / "out", when=WHEN)
    assert (result.manifest.commit, result.manifest.dirty) == (None, True)
    assert result.archive.name == "fresh-20260314T021000Z.tar.gz"


def test_a_sealed_credential_is_deposited_even_when_git_ignores_it(checkout: Path, tmp_path: Path) -> None:
    write_tree(checkout, {"build/deploy.pem": "-----BEGIN RSA PRIVATE KEY-----\n"})
    section = escrow_section(sealed_credentials=(SealedCredential("build/deploy.pem", "Production TLS key"),))
    result = make_deposit(checkout, tmp_path / "out", when=WHEN, escrow=section)
    assert "build/deploy.pem" in [f.path for f in result.manifest.files]
    assert [(s.path, s.purpose) for s in result.manifest.sealed] == [("build/deploy.pem", "Production TLS key")]


# --- the contents checklist --------------------------------------------------------------------------


def test_the_default_checklist_reports_found_and_missing_items(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "acme",
        {"README.md": "x", "LICENSE": "x", "infra/main.tf": "x", "vendor/lib/LICENSE.txt": "x", "docs/guide.md": "x"},
    )
    result = make_deposit(tree, tmp_path / "out", when=WHEN)

    found = {r.item.id: r.matches for r in result.checklist}
    assert found == {
        "build_instructions": ("README.md",),
        "dependency_manifests": (),
        "licences": ("LICENSE", "vendor/lib/LICENSE.txt"),
        "build_environment": (),
        "infrastructure_as_code": ("infra/main.tf",),
        "database_schema": (),
        "deployment_scripts": (),
        "documentation": ("README.md", "docs/guide.md"),
    }
    assert [r.item.id for r in result.missing_required] == ["dependency_manifests"]
    items = json.loads(result.manifest_path.read_text())["checklist"]
    assert items["source"] == "default"
    assert [(i["id"], i["required"], i["found"], i["match_count"], i["matches"]) for i in items["items"][:3]] == [
        ("build_instructions", True, True, 1, ["README.md"]),
        ("dependency_manifests", True, False, 0, []),
        ("licences", True, True, 2, ["LICENSE", "vendor/lib/LICENSE.txt"]),
    ]


def test_the_project_checklist_replaces_the_default_and_lists_the_first_five_matches(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "acme", {f"db/{i}.sql": "select 1;\n" for i in range(7)})
    section = escrow_section(
        contents=(
            DepositItem("schema", "Database schema", ("db/*.sql",)),
            DepositItem("images", "Container images", ("images/*.tar",), required=False),
        )
    )
    result = make_deposit(tree, tmp_path / "out", when=WHEN, escrow=section)
    checklist = result.manifest.checklist
    assert result.manifest.checklist_source == "project"
    assert [(c.id, c.found, c.match_count, c.matches) for c in checklist] == [
        ("schema", True, 7, ("db/0.sql", "db/1.sql", "db/2.sql", "db/3.sql", "db/4.sql")),
        ("images", False, 0, ()),
    ]


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("LICENSE*", "LICENSE", True),
        ("LICENSE*", "vendor/x/license.md", True),
        ("/README*", "README.md", True),
        ("/README*", "docs/README.md", False),
        ("docs/**", "docs/a/b.md", True),
        ("docs/**", "src/docs/a.md", False),
        ("**/migrations/**", "app/migrations/0001.py", True),
        ("*.tf", "infra/prod/main.tf", True),
        (".github/workflows/*.yml", ".github/workflows/ci.yml", True),
        (".github/workflows/*.yml", ".github/workflows/old/ci.yml", False),
        ("docs/", "docs/x.md", True),
        ("[ab].txt", "b.txt", True),
        ("[!ab].txt", "b.txt", False),
    ],
)
def test_checklist_globs(pattern: str, path: str, matches: bool) -> None:
    assert bool(glob_regex(pattern).match(path)) is matches


def test_the_default_checklist_is_package_data() -> None:
    items = default_checklist()
    assert [(i.id, i.required) for i in items] == [
        ("build_instructions", True),
        ("dependency_manifests", True),
        ("licences", True),
        ("build_environment", False),
        ("infrastructure_as_code", False),
        ("database_schema", False),
        ("deployment_scripts", False),
        ("documentation", False),
    ]
    assert [r.found for r in evaluate_checklist(items[:2], ["Cargo.lock"])] == [False, True]


# --- the deposit time --------------------------------------------------------------------------------


def test_source_date_epoch_dates_the_deposit(tmp_path: Path) -> None:
    when = deposit_time(None, {"SOURCE_DATE_EPOCH": str(WHEN_EPOCH)})
    assert (when.iso, when.source, when.reproducible) == ("2026-03-14T02:10:00Z", "SOURCE_DATE_EPOCH", True)
    tree = write_tree(tmp_path / "acme", {"README.md": "x\n"})
    result = make_deposit(tree, tmp_path / "out", when=when)
    by_option = make_deposit(tree, tmp_path / "out2", when=WHEN)
    assert result.archive.name == "acme-20260314T021000Z.tar.gz"
    assert result.manifest.archive_sha256 == by_option.manifest.archive_sha256
    with tarfile.open(result.archive) as tar:
        assert [m.mtime for m in tar.getmembers()] == [WHEN_EPOCH]


def test_the_date_option_wins_over_source_date_epoch() -> None:
    when = deposit_time(parse_deposit_date("2026-01-02"), {"SOURCE_DATE_EPOCH": "0"})
    assert (when.iso, when.source) == ("2026-01-02T00:00:00Z", "--date")


def test_without_a_date_the_clock_is_used_and_noted_as_not_reproducible(tmp_path: Path) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    when = deposit_time(None, {})
    assert when.source == "clock" and not when.reproducible and when.archive_mtime == 0
    assert before <= when.moment <= dt.datetime.now(dt.UTC)
    tree = write_tree(tmp_path / "acme", {"README.md": "x\n"})
    data = json.loads(make_deposit(tree, tmp_path / "out", when=when).manifest_path.read_text())
    assert data["deposit"]["reproducible"] is False
    assert data["deposit"]["date_source"] == "clock"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-14T02:10:00Z", "2026-03-14T02:10:00Z"),
        ("2026-03-14T03:10:00+01:00", "2026-03-14T02:10:00Z"),
        ("2026-03-14", "2026-03-14T00:00:00Z"),
    ],
)
def test_deposit_dates(text: str, expected: str) -> None:
    assert deposit_time(parse_deposit_date(text)).iso == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("yesterday", "'yesterday' is not an ISO 8601 date or date-time, e.g. 2026-03-14T02:10:00Z"),
        (
            "2026-03-14T02:10:00",
            "'2026-03-14T02:10:00' has no UTC offset; write e.g. 2026-03-14T02:10:00Z or 2026-03-14T02:10:00+01:00",
        ),
        ("1969-12-31T00:00:00Z", "'1969-12-31T00:00:00Z' is before 1970-01-01"),
    ],
)
def test_bad_deposit_dates(text: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_deposit_date(text)
    assert str(error.value) == message


def test_a_bad_source_date_epoch_is_reported() -> None:
    with pytest.raises(ValueError) as error:
        deposit_time(None, {"SOURCE_DATE_EPOCH": "last tuesday"})
    assert str(error.value) == "SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, not 'last tuesday'"


def test_an_unreadable_folder_is_reported_not_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = write_tree(tmp_path / "acme", {"README.md": "x", "private/a.txt": "a"})
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if str(path).endswith("private"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(BuildError) as error:
        make_deposit(tree, tmp_path / "out", when=WHEN)
    assert error.value.message == f"cannot deposit: {tree / 'private'}: Permission denied"
