"""The portal's sources: exports read from local files, folders of exports, or URLs.

A source is untrusted: a URL is fetched with a time limit for the whole transfer (not
only per read) and a size limit (read no further than the limit), over HTTPS (plain
HTTP only to this machine, e.g. a test server or a proxy on 127.0.0.1); a file is read
no further than the same limit and through no symbolic link. Diagrams are fetched from
beside the export by their relative paths, with their own limit. Every failure is a
:class:`~mkdocs_wa.diagnostics.Diagnostic` naming the source; it costs that source only.
"""

from __future__ import annotations

import ipaddress
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from mkdocs_wa.diagnostics import Diagnostic, error
from mkdocs_wa.nouns import plural_word

#: Default limits: the whole transfer of one export, one export's size, one diagram's.
TIMEOUT = 20.0
MAX_BYTES = 50_000_000
MAX_DIAGRAM_BYTES = 2_000_000
#: The file a folder's subfolders hold (the layout `mkdocs-wa export` and a site write).
EXPORT_NAME = "decisions.json"


@dataclass(frozen=True)
class SourceSpec:
    """One entry of the ``sources`` option: where, and optionally the repository's name
    in the portal's URLs and the team it belongs to."""

    location: str
    name: str = ""
    team: str = ""
    #: Where the spec was written (for diagnostics): the config file.
    origin: str = "mkdocs.yml"


@dataclass(frozen=True)
class Loaded:
    """An export's text, and a reader for files beside it."""

    origin: str  # the URL or path, as shown in diagnostics
    name: str
    team: str
    text: str
    read_beside: Callable[[str], bytes]


class SourceError(Exception):
    pass


def parse_specs(value: Sequence[Any], origin: str = "mkdocs.yml") -> tuple[list[SourceSpec], list[str]]:
    """The ``sources`` option: each entry a string (path or URL) or a mapping with
    ``url`` or ``path`` and optional ``name`` and ``team``. Returns specs and problems."""
    specs, problems = [], []
    for i, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            specs.append(SourceSpec(item.strip(), origin=origin))
        elif isinstance(item, Mapping):
            where = item.get("url") or item.get("path")
            unknown = sorted(set(map(str, item)) - {"url", "path", "name", "team"})
            if not isinstance(where, str) or not where.strip() or unknown or ("url" in item and "path" in item):
                problems.append(f"sources[{i}]: give 'url' or 'path' (and optionally 'name', 'team')"
                                + (f"; unknown {plural_word(len(unknown), 'key')}: {', '.join(unknown)}" if unknown else ""))
                continue
            specs.append(SourceSpec(where.strip(), str(item.get("name") or ""), str(item.get("team") or ""), origin))
        else:
            problems.append(f"sources[{i}]: a path, a URL, or a mapping with 'url' or 'path'")
    return specs, problems


def is_url(location: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", location))


def _loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and _loopback(parts.hostname):
        return
    if parts.scheme == "http":
        raise SourceError("plain HTTP is refused (an export could be changed on the way): use https://")
    raise SourceError(f"the scheme '{parts.scheme}' is not one the portal fetches (https)")


class _NoUnsafeRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_url(newurl)  # a redirect may not leave HTTPS (or this machine)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_NoUnsafeRedirect)


def fetch_url(url: str, *, timeout: float, max_bytes: int) -> bytes:
    """The body at ``url``, or :class:`SourceError` saying why not."""
    check_url(url)
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": "mkdocs-wa-portal", "Accept": "application/json, */*"})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise SourceError(f"larger than the limit: {int(length):,} bytes (limit {max_bytes:,}; option 'max_bytes')")
            chunks, size = [], 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SourceError(f"timed out after {timeout:g} s (option 'timeout')")
                chunk = response.read1(min(65536, max_bytes + 1 - size))  # what has arrived: the deadline is checked between reads
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise SourceError(f"larger than the limit of {max_bytes:,} bytes (option 'max_bytes')")
            return b"".join(chunks)
    except SourceError:
        raise
    except urllib.error.HTTPError as exc:
        raise SourceError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise SourceError(f"timed out after {timeout:g} s (option 'timeout')") from None
        raise SourceError(f"cannot be fetched: {reason}") from None
    except TimeoutError:
        raise SourceError(f"timed out after {timeout:g} s (option 'timeout')") from None
    except (OSError, ValueError) as exc:
        raise SourceError(f"cannot be fetched: {exc}") from None


def read_file(path: Path, max_bytes: int) -> bytes:
    if path.is_symlink():
        raise SourceError("a symbolic link: not followed")
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise SourceError(f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise SourceError(f"larger than the limit of {max_bytes:,} bytes (option 'max_bytes')")
    return data


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text (byte {exc.start})") from None


def _name_from(location: str) -> str:
    """A default name: the folder or file the export sits in (``team-a`` for
    ``https://host/team-a/architecture/decisions.json`` takes the first path part...)."""
    if is_url(location):
        parts = urlsplit(location)
        segments = [s for s in parts.path.split("/") if s and s != EXPORT_NAME and not s.endswith(".json")]
        return segments[0] if segments else (parts.hostname or "repository").split(".")[0]
    p = Path(location)
    return p.parent.name if p.name == EXPORT_NAME else p.stem


def expand(spec: SourceSpec, root: Path) -> list[SourceSpec] | SourceError:
    """A folder spec as one spec per export in it (``*/decisions.json`` and ``*.json``),
    sorted; any other spec as itself."""
    if is_url(spec.location):
        return [spec]
    path = Path(spec.location)
    path = Path(os.path.normpath(path if path.is_absolute() else root / path))
    if path.is_dir():
        found = sorted({*path.glob(f"*/{EXPORT_NAME}"), *path.glob("*.json")})
        found = [f for f in found if not f.is_symlink() and not f.parent.is_symlink()]
        if not found:
            return SourceError(f"a folder with no export in it (looked for */{EXPORT_NAME} and *.json)")
        return [SourceSpec(str(f), "", spec.team, spec.origin) for f in found]
    return [SourceSpec(str(path), spec.name, spec.team, spec.origin)]


def load(spec: SourceSpec, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES,
         max_diagram_bytes: int = MAX_DIAGRAM_BYTES) -> Loaded | Diagnostic:
    """One export's text, or a diagnostic naming the source."""
    where = spec.location
    name = spec.name or _name_from(where)
    try:
        if is_url(where):
            text = _text(fetch_url(where, timeout=timeout, max_bytes=max_bytes))

            def beside(rel: str) -> bytes:
                return fetch_url(urljoin(where, rel), timeout=timeout, max_bytes=max_diagram_bytes)
        else:
            path = Path(where)
            text = _text(read_file(path, max_bytes))
            folder = path.parent

            def beside(rel: str) -> bytes:
                target = folder / rel
                # No way out of the export's folder, even through a link inside it.
                if os.path.realpath(target) != os.path.abspath(target) or not os.path.abspath(target).startswith(os.path.abspath(folder) + os.sep):
                    raise SourceError("outside the export's folder, or through a symbolic link")
                return read_file(target, max_diagram_bytes)
    except SourceError as exc:
        return error(where, 0, 0, f"source '{name}' failed: {exc}", "portal-source")
    return Loaded(where, name, spec.team, text, beside)
