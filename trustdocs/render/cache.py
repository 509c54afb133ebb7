"""A cache of rendered PDFs, one entry per PdfJob, so that a rebuild lays out only what changed.

An entry is keyed on everything that decides the PDF's bytes: every field of the job (read with
`dataclasses.fields`, so a field added to PdfJob is keyed without a change here), the trustdocs version and the
versions of the libraries that write the PDF. What the HTML pulls in through the restricted fetcher (style
sheets, fonts, images) is not in the HTML: the entry lists every file the fetcher served while rendering, with
a hash of its bytes, and a lookup re-reads and re-hashes them; one that changed or went missing is a miss.

An entry is a JSON header line, then the PDF. The header holds the key and the PDF's SHA-256: a truncated,
altered or foreign entry is a miss (and is overwritten), never used. Entries are written atomically, and
each one used is touched, so that `prune` can drop those the latest build did not use.

The architecture diagrams Graphviz draws are kept the same way (render/diagrams.py, `drawings_kept_in`), keyed
on the diagram's description and the Graphviz version: drawing them is a tenth of a build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from trustdocs import __version__
from trustdocs.errors import BuildError
from trustdocs.write.atomic import atomic_write_bytes

if TYPE_CHECKING:
    from trustdocs.render.documents import PdfJob

log = logging.getLogger(__name__)

CACHE_DIRNAME = ".trustdocs-cache"
"""The cache's folder inside the output directory unless `--cache-dir` names another."""
ENTRY_SUFFIX = ".pdf-entry"
DIAGRAM_SUFFIX = ".diagram-entry"
ENTRY_SUFFIXES = (ENTRY_SUFFIX, DIAGRAM_SUFFIX)
ENTRY_FORMAT = 1
_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "pypdf")


def _library_versions() -> dict[str, str]:
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def canonical(value: object) -> object:
    """`value` as plain JSON values that say exactly what it is (dataclasses field by field, bytes hashed)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            "@": type(value).__qualname__,
            **{f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)},
        }
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, bytes):
        return {"@bytes": hashlib.sha256(value).hexdigest()}
    if isinstance(value, PurePath):
        return {"@path": str(value)}
    if isinstance(value, dt.date | dt.datetime):
        return {"@date": value.isoformat()}
    if isinstance(value, enum.Enum):
        return {"@enum": f"{type(value).__qualname__}.{value.name}"}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return {"@dict": [[canonical(k), canonical(v)] for k, v in value.items()]}
    if isinstance(value, set | frozenset):
        return {"@set": sorted(json.dumps(canonical(v), sort_keys=True) for v in value)}
    # Anything else is keyed by its repr: a type whose repr leaves out what matters would be a bug to fix here.
    return {"@repr": f"{type(value).__qualname__}:{value!r}"}


def value_key(value: object, **versions: str) -> str:
    """A hash of `value` (see `canonical`), the trustdocs version, the PDF libraries' and `versions`."""
    described: dict[str, object] = {"trustdocs": __version__, "libraries": _library_versions()}
    described.update(versions=versions, value=canonical(value))
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def job_key(job: PdfJob) -> str:
    """The cache key of a job: a hash of its fields, the trustdocs version and the PDF libraries' versions."""
    return value_key(job)


@dataclass(frozen=True)
class RenderCache:
    """The cache in `directory`; picklable, so that worker processes use the same one."""

    directory: Path

    def _entry(self, key: str, suffix: str) -> Path:
        return self.directory / f"{key}{suffix}"

    def read(self, key: str, suffix: str = ENTRY_SUFFIX) -> tuple[list[bytes], list[tuple[str, str]]] | None:
        """The blobs of an intact entry and the resources (URL, SHA-256) it lists, or None; touches it."""
        path = self._entry(key, suffix)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        header_line, newline, payload = raw.partition(b"\n")
        try:
            header = json.loads(header_line)
            sizes = [int(size) for size in header["sizes"]]
            valid = (
                newline == b"\n"
                and header["format"] == ENTRY_FORMAT
                and header["key"] == key
                and sum(sizes) == len(payload)
                and header["sha256"] == hashlib.sha256(payload).hexdigest()
            )
            resources = [(str(url), str(digest)) for url, digest in header["resources"]]
        except (ValueError, KeyError, TypeError):
            valid = False
        if not valid:
            log.debug("ignoring the damaged cache entry %s", path.name)
            return None
        blobs, start = [], 0
        for size in sizes:
            blobs.append(payload[start : start + size])
            start += size
        try:
            os.utime(path)
        except OSError:
            pass
        return blobs, resources

    def write(
        self, key: str, blobs: list[bytes], resources: dict[str, str] | None = None, suffix: str = ENTRY_SUFFIX
    ) -> None:
        """Keep `blobs` under `key`, made from `resources` (URL → SHA-256); never fails a build."""
        payload = b"".join(blobs)
        header = {
            "format": ENTRY_FORMAT,
            "key": key,
            "sizes": [len(blob) for blob in blobs],
            "sha256": hashlib.sha256(payload).hexdigest(),
            "resources": sorted((resources or {}).items()),
        }
        try:
            atomic_write_bytes(self._entry(key, suffix), json.dumps(header, sort_keys=True).encode() + b"\n" + payload)
        except BuildError as error:  # a cache that cannot be written only makes the next build slower
            log.warning("could not write to the render cache %s: %s", self.directory, error)

    def lookup(self, job: PdfJob, key: str | None = None) -> bytes | None:
        """The PDF of a valid entry for `job`, or None: the entry is intact and every file it was rendered
        from still has the bytes it had."""
        found = self.read(key or job_key(job))
        if found is None or len(found[0]) != 1:
            return None
        [data], resources = found
        fetcher = job.fetcher()
        if any(fetcher.current_digest(url) != digest for url, digest in resources):
            log.debug("cache entry %s: a resource it was rendered from changed", key)
            return None
        return data

    def store(self, job: PdfJob, data: bytes, resources: dict[str, str], key: str | None = None) -> None:
        """Keep `data` as the PDF of `job`, rendered from `resources` (URL → SHA-256)."""
        self.write(key or job_key(job), [data], resources)

    def render(self, job: PdfJob) -> bytes:
        """The PDF of `job`, from the cache when a valid entry exists, else rendered and kept."""
        key = job_key(job)
        data = self.lookup(job, key)
        if data is not None:
            log.debug("cache hit %s", key[:12])
            return data
        fetcher = job.fetcher()
        data = job.render(fetcher=fetcher)
        self.store(job, data, fetcher.read_digests, key)
        return data

    def store_joined(self, job: PdfJob, data: bytes, htmls: list[str]) -> None:
        """Keep `data`, the PDF of `job` joined from the PDFs of `htmls` (rendered like `job`, kept in this
        cache): the entry lists every file those were rendered from. Not kept if one of them is missing."""
        resources: dict[str, str] = {}
        for html in htmls:
            found = self.read(job_key(dataclasses.replace(job, html=html)))
            if found is None:
                return
            resources.update(found[1])
        self.write(job_key(job), [data], resources)

    def render_joined(self, job: PdfJob, join: Callable[[Callable[[str], bytes]], bytes]) -> bytes:
        """The PDF of `job` made by `join` from PDFs of other HTML (its parts), cached whole and part by part."""
        data = self.lookup(job)
        if data is not None:
            return data
        used: list[str] = []

        def render(html: str) -> bytes:
            used.append(html)
            return job.render_html(html, self)

        data = join(render)
        self.store_joined(job, data, used)
        return data

    def prune(self, used_since: float) -> int:
        """Remove the entries not used since `used_since` (a time.time()); returns how many were removed."""
        removed = 0
        try:
            entries = [e for suffix in ENTRY_SUFFIXES for e in self.directory.glob(f"*{suffix}")]
        except OSError:
            return 0
        for entry in entries:
            try:
                if entry.stat().st_mtime < used_since:
                    entry.unlink()
                    removed += 1
            except OSError:
                pass
        return removed


def build_started() -> float:
    """The time to pass to `prune` after a build: a little before now, as file times may be coarse."""
    return time.time() - 1.0
