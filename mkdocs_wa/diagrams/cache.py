"""A content-hash cache of rendered diagrams, kept in a folder between builds.

The key is a SHA-256 of everything a drawing depends on: the resolved architecture,
the previous one (the diff is drawn too), the bytes of custom icons, the versions of
the ``diagrams`` library, of Graphviz and of mkdocs-wa, the theme, and a format
number bumped whenever the drawing code changes its output. An unchanged decision
therefore never runs Graphviz again, and editing one decision re-renders only the
diagrams whose inputs changed: its own and its successor's (whose diff it is).

Entries are written atomically (a temporary file in the same folder, then
``os.replace``), so a build that is interrupted, or two builds sharing the folder,
never leave half a file to be read back.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

from mkdocs_wa import __version__
from mkdocs_wa.diagrams.architecture import Architecture
from mkdocs_wa.diagrams.icons import Icon
from mkdocs_wa.diagrams.nodetypes import diagrams_version
from mkdocs_wa.diagrams.render import RenderError, Theme, check_svg
from mkdocs_wa.safepath import regular_file, replace_file

#: Bump when the drawing changes for the same inputs (render.py), to drop old entries.
CACHE_FORMAT = 1
_KEY = re.compile(r"^[0-9a-f]{64}$")


@functools.lru_cache(maxsize=8)
def _dot_version(dot: str) -> str:
    try:
        done = subprocess.run([dot, "-V"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (done.stderr or done.stdout).strip() or "unknown"


def graphviz_version() -> str | None:
    """``dot -V`` of the Graphviz on PATH (run once per dot program), or None when
    Graphviz is not installed."""
    dot = shutil.which("dot")
    return _dot_version(dot) if dot else None


def icons_used(arch: Architecture, previous: Architecture | None) -> tuple[str, ...]:
    """The custom icons a drawing of ``arch`` against ``previous`` shows, sorted."""
    return tuple(sorted({*arch.icons(), *(previous.icons() if previous else ())}))


def cache_key(
    arch: Architecture,
    previous: Architecture | None,
    icons: Mapping[str, Icon],
    theme: Theme,
    graphviz: str | None = None,
) -> str:
    """The SHA-256 (hex) naming the SVG of ``arch`` drawn against ``previous``."""
    used = icons_used(arch, previous)
    payload = {
        "format": CACHE_FORMAT,
        "mkdocs_wa": __version__,
        "diagrams": diagrams_version(),
        "graphviz": graphviz if graphviz is not None else graphviz_version(),
        "theme": theme.key(),
        "architecture": arch.drawing(),
        "previous": previous.drawing() if previous else None,
        # A missing icon is part of the input too: the node is drawn without it.
        "icons": {p: hashlib.sha256(icons[p].data).hexdigest() if p in icons else None for p in used},
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: Digests of SVG texts that passed :func:`check_svg` in this process: parsing each cached
#: SVG again on every ``mkdocs serve`` rebuild took half a second at 200 diagrams.
_CHECKED: set[bytes] = set()


def _check_once(svg: str) -> None:
    digest = hashlib.blake2b(svg.encode("utf-8"), digest_size=32).digest()
    if digest in _CHECKED:
        return
    check_svg(svg)
    if len(_CHECKED) > 100_000:  # a serve session that ran for days: start over
        _CHECKED.clear()
    _CHECKED.add(digest)


class DiagramCache:
    """SVGs by key in ``folder`` (None: nothing is kept). Counts hits and misses."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def _file(self, key: str) -> Path | None:
        if self.folder is None or not _KEY.match(key):
            return None
        return self.folder / f"{key}.svg"

    def get(self, key: str) -> str | None:
        """The cached SVG, or None (counted as a miss). An entry that does not pass
        the SVG safety check (edited by hand, or truncated by a full disk) is a miss."""
        file = self._file(key)
        svg: str | None = None
        if file is not None and regular_file(file):  # never a link, a FIFO or a device
            try:
                svg = file.read_text(encoding="utf-8")
                _check_once(svg)
            except (OSError, UnicodeDecodeError, RenderError):
                svg = None
        if svg is None or file is None:
            self.misses += 1
            return None
        self.hits += 1
        try:  # mark it used, for prune()
            os.utime(file)
        except OSError:
            pass
        return svg

    def put(self, key: str, svg: str) -> None:
        file = self._file(key)
        if file is None:
            return
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            replace_file(file, svg)
        except OSError:
            # A read-only or full cache folder costs speed, not the build.
            pass

    def prune(self, max_age_days: float = 30) -> int:
        """Delete entries not used for ``max_age_days`` (hits refresh the date).
        Returns how many were deleted."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        limit = time.time() - max_age_days * 86400
        removed = 0
        for file in self.folder.glob("*.svg"):
            try:
                if file.stat().st_mtime < limit:
                    file.unlink()
                    removed += 1
            except OSError:
                continue
        return removed
