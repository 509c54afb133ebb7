"""What WeasyPrint may read: trustdocs' own assets, data: URIs and files inside the project; nothing else."""

from __future__ import annotations

import base64
import hashlib
import importlib.resources
import logging
import mimetypes
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib import request
from urllib.parse import unquote, unquote_to_bytes, urljoin, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from trustdocs.errors import BuildError
from trustdocs.render.env import TEMPLATES_PACKAGE

log = logging.getLogger(__name__)

ASSET_SCHEME = "trustdocs"
"""`trustdocs:style.css` names a file of the trustdocs.templates package."""

NETWORK = "network access is not allowed"
OUTSIDE = "outside the project"
FILE_URL = "file: URLs are not allowed; give a path relative to the project"
MISSING = "no such file"

_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_LOCAL_SCHEMES = {"data", "file", ASSET_SCHEME}


@dataclass(frozen=True)
class Refusal:
    """A reference the build may not or could not load."""

    reference: str
    reason: str

    def __str__(self) -> str:
        return f"refused to load '{self.reference}': {self.reason}"


def asset_url(name: str) -> str:
    """The URL of a packaged asset, e.g. `asset_url("style.css")`."""
    return f"{ASSET_SCHEME}:{name}"


def _scheme(reference: str) -> str | None:
    match = _SCHEME_RE.match(reference.strip())
    return match[1].lower() if match else None


def _is_inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


def _scheme_reason(scheme: str) -> str:
    return f"URL scheme '{scheme}:' is not allowed"


def resolve_project_path(reference: str, project_root: Path) -> Path:
    """The file a reference written in the input names, checked to lie inside the project.

    Only a path relative to the project (or an absolute path inside it) is accepted; URLs are
    refused before anything is opened. Symbolic links are followed, so a link pointing out of
    the project is refused too.
    """
    scheme = _scheme(reference)
    if scheme is not None:
        if scheme == "file":
            raise BuildError(str(Refusal(reference, FILE_URL)))
        if scheme in _LOCAL_SCHEMES:
            raise BuildError(str(Refusal(reference, _scheme_reason(scheme))))
        raise BuildError(str(Refusal(reference, NETWORK)))
    root = project_root.resolve()
    path = (root / reference).resolve()
    if not _is_inside(path, root):
        raise BuildError(str(Refusal(reference, OUTSIDE)))
    if not path.is_file():
        raise BuildError(str(Refusal(reference, MISSING)))
    return path


class RestrictedFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type information
    """A WeasyPrint URL fetcher that never touches the network.

    WeasyPrint catches what a fetcher raises and only logs it, so every refusal is also kept in
    `refusals`; render_pdf turns them into a BuildError. `loaded` lists every URL actually served.
    """

    def __init__(self, project_root: Path, *, extra_roots: Iterable[Path] = ()) -> None:
        # Deliberately not URLFetcher.__init__: that installs urllib's HTTP/FTP handlers, and this
        # fetcher must not be able to open a socket even by accident.
        request.OpenerDirector.__init__(self)
        self._timeout = 0
        self._http_headers: dict[str, str] = {}
        self._allowed_protocols = ()
        self._request = None
        # Stop the rendering at the first refusal rather than produce a document missing a part.
        self._fail_on_errors = True
        self.project_root = project_root.resolve()
        self.extra_roots = tuple(Path(r).resolve() for r in extra_roots)
        self.refusals: list[Refusal] = []
        self.loaded: list[str] = []
        self.read_digests: dict[str, str] = {}
        """SHA-256 of every asset and file served (not data: URIs), by URL: what a render cache checks."""

    # -- deciding -----------------------------------------------------------------------------

    def _asset(self, url: str) -> importlib.resources.abc.Traversable | Refusal:
        name = unquote(url.split(":", 1)[1]).split("?", 1)[0].split("#", 1)[0].lstrip("/")
        parts = name.split("/")
        if not name or any(p in ("", ".", "..") for p in parts):
            return Refusal(url, "not a trustdocs asset")
        resource = importlib.resources.files(TEMPLATES_PACKAGE).joinpath(*parts)
        if not resource.is_file():
            return Refusal(url, "no such trustdocs asset")
        return resource

    def _package_root(self) -> Path | None:
        root = importlib.resources.files(TEMPLATES_PACKAGE)
        return Path(str(root)).resolve() if isinstance(root, Path) else None

    def _local_file(self, url: str) -> Path | Refusal:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return Refusal(url, NETWORK)
        path = Path(request.url2pathname(unquote(parts.path))).resolve()
        roots = [self.project_root, *self.extra_roots]
        package_root = self._package_root()
        if package_root is not None:
            roots.append(package_root)
        if not any(_is_inside(path, root) for root in roots):
            return Refusal(url, OUTSIDE)
        if not path.is_file():
            return Refusal(url, MISSING)
        return path

    def check(self, url: str) -> Refusal | None:
        """Why `url` may not be loaded, or None if it may; reads nothing."""
        scheme = _scheme(url)
        if scheme == "data":
            return None
        if scheme == ASSET_SCHEME:
            found = self._asset(url)
            return found if isinstance(found, Refusal) else None
        if scheme == "file":
            found_file = self._local_file(url)
            return found_file if isinstance(found_file, Refusal) else None
        if scheme is None:
            return Refusal(url, "not an absolute URL")
        if scheme in ("http", "https", "ftp", "ftps", "sftp", "ws", "wss", "gopher"):
            return Refusal(url, NETWORK)
        return Refusal(url, _scheme_reason(scheme))

    # -- serving ------------------------------------------------------------------------------

    def _refuse(self, refusal: Refusal) -> ValueError:
        self.refusals.append(refusal)
        log.debug("%s", refusal)
        return ValueError(str(refusal))

    def _read(self, url: str) -> tuple[bytes, str]:
        """The bytes and content type of a URL `check` accepted."""
        scheme = _scheme(url)
        if scheme == "data":
            return _decode_data_url(url)
        if scheme == ASSET_SCHEME:
            resource = self._asset(url)
            assert not isinstance(resource, Refusal)
            return resource.read_bytes(), _guess_type(resource.name)
        path = self._local_file(url)
        assert isinstance(path, Path)
        return path.read_bytes(), _guess_type(path.name)

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        refusal = self.check(url)
        if refusal is not None:
            raise self._refuse(refusal)
        data, content_type = self._read(url)
        if _scheme(url) != "data":
            self.read_digests[url] = hashlib.sha256(data).hexdigest()
        self.loaded.append(url)
        return URLFetcherResponse(url, body=data, headers={"Content-Type": content_type})

    def current_digest(self, url: str) -> str | None:
        """The SHA-256 of what `url` would serve now, or None if it would be refused or cannot be read."""
        if self.check(url) is not None:
            return None
        try:
            data, _ = self._read(url)
        except OSError:
            return None
        return hashlib.sha256(data).hexdigest()

    def raise_refusals(self) -> None:
        """Raise a BuildError naming every reference that was refused, if any was."""
        if self.refusals:
            unique = dict.fromkeys(str(r) for r in self.refusals)
            raise BuildError("\n".join(unique))


def _guess_type(name: str) -> str:
    if name.endswith(".svg"):
        return "image/svg+xml"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _decode_data_url(url: str) -> tuple[bytes, str]:
    header, _, payload = url[len("data:") :].partition(",")
    params = header.split(";")
    content_type = params[0] or "text/plain"
    if "base64" in params[1:]:
        return base64.b64decode(unquote(payload)), content_type
    return unquote_to_bytes(payload), content_type


# -- checking an HTML document before rendering -----------------------------------------------

# Attributes whose URL WeasyPrint fetches; <a href> is only a link and is never fetched.
_FETCHED_ATTRIBUTES = {
    "img": ("src",),
    "link": ("href",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
    "object": ("data",),
    "embed": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "source": ("src",),
    "input": ("src",),
    "script": ("src",),
}
_CSS_URL_RE = re.compile(r"""(?:url\(\s*|@import\s+)(["']?)([^"')\s]+)\1""", re.IGNORECASE)


class _ReferenceCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = _FETCHED_ATTRIBUTES.get(tag, ())
        for name, value in attrs:
            if value is None:
                continue
            if name in names:
                self.references.append(value.strip())
            elif name == "style":
                self.references.extend(m[2] for m in _CSS_URL_RE.finditer(value))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.references.extend(m[2] for m in _CSS_URL_RE.finditer(data))


def html_references(html: str) -> list[str]:
    """Every URL in `html` that WeasyPrint would fetch, as written (fragment-only ones excluded)."""
    collector = _ReferenceCollector()
    collector.feed(html)
    collector.close()
    return [r for r in collector.references if r and not r.startswith("#")]


def check_html_references(html: str, base_url: str, fetcher: RestrictedFetcher) -> None:
    """Raise a BuildError naming every reference in `html` that `fetcher` would refuse."""
    refusals = []
    for reference in html_references(html):
        refusal = fetcher.check(urljoin(base_url, reference))
        if refusal is not None:
            refusals.append(Refusal(reference, refusal.reason))
    if refusals:
        raise BuildError("\n".join(dict.fromkeys(str(r) for r in refusals)))
