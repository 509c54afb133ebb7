"""A project as a git revision holds it, read with git itself into a temporary folder (the work tree is never
touched)."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path, PurePosixPath

from trustdocs.errors import TrustdocsError

_GIT_TIMEOUT = 60
"""Seconds any one git command may take."""


class RevisionError(TrustdocsError):
    """A revision or project path that cannot be read: a usage error (exit 2), printed on one line."""

    exit_code = 2


def _git(repository: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(repository), *args], capture_output=True, timeout=_GIT_TIMEOUT, check=False
        )
    except FileNotFoundError as error:
        raise RevisionError("git is not installed, so a revision cannot be read") from error
    except subprocess.TimeoutExpired as error:
        raise RevisionError(f"git {args[0]} took longer than {_GIT_TIMEOUT} s") from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def project_in_repository(project: Path) -> tuple[Path, str]:
    """The top folder of the git repository holding `project` and the project's path inside it ("" at the
    top, otherwise POSIX and ending in "/")."""
    folder = project if project.is_dir() else project.parent
    if not folder.is_dir():
        raise RevisionError(f"'{project}' is not a project folder")
    try:
        top = _git(folder, "rev-parse", "--show-toplevel").decode().strip()
    except RevisionError as error:
        raise RevisionError(
            f"'{folder}' is not inside a git repository, so a revision cannot be read ({error.message})"
        ) from error
    prefix = _git(folder, "rev-parse", "--show-prefix").decode().strip()
    return Path(top), prefix


def extract_revision(project: Path, revision: str, into: Path) -> Path:
    """Write the project folder as `revision` holds it into `into` and return its path there.

    `revision` is anything git names a commit by (`HEAD~3`, a tag, a hash), resolved in the repository that
    holds `project`, at the project's path inside it.
    """
    if revision.startswith("-"):
        raise RevisionError(f"'{revision}' is not a revision")
    repository, prefix = project_in_repository(project)
    try:
        commit = (
            _git(repository, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
            .decode()
            .strip()
        )
    except RevisionError:
        commit = ""
    if not commit:
        raise RevisionError(f"'{revision}' is not a revision of the repository at {repository}")
    listed = _git(repository, "ls-tree", "-d", "--name-only", commit, "--", prefix.rstrip("/") or ".")
    if prefix and not listed.strip():
        raise RevisionError(f"revision '{revision}' has no folder '{prefix.rstrip('/')}'")
    archive = _git(repository, "archive", "--format=tar", commit, "--", prefix or ".")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):
            # The "data" filter refuses links and paths that would leave `into`.
            tar.extractall(into, filter="data")
        else:  # Python before 3.11.4: keep plain files and folders with relative paths only
            members = [
                m
                for m in tar.getmembers()
                if (m.isfile() or m.isdir()) and not m.name.startswith("/") and ".." not in PurePosixPath(m.name).parts
            ]
            tar.extractall(into, members=members)
    return into.joinpath(*PurePosixPath(prefix).parts) if prefix else into


def project_version(spec: str, project: Path, into: Path) -> tuple[Path, str]:
    """The folder holding one side of a comparison and how to name it: `spec` itself when it is a project
    folder or file, otherwise the revision `spec` of `project`, extracted into `into`."""
    given = Path(spec)
    if given.is_dir() and (given / "trustdocs.yaml").is_file() or given.is_file():
        return given, spec
    if given.is_dir():
        raise RevisionError(f"'{spec}' is a folder without trustdocs.yaml, not a project")
    return extract_revision(project, spec, into), spec
