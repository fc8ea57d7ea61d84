"""Generated files written to a folder, for dirty builds (``mkdocs serve --dirty``).

In a dirty build MkDocs rebuilds a page only when its source is newer than the page it
wrote last time (``File.is_modified`` compares modification times), and a file that lives
only in memory always counts as modified. So the plugin, in a dirty build, writes each
generated file under the cache folder and hands MkDocs that path, and :class:`Stage`
rewrites a file only when its content changed. An edit to one decision then touches a
handful of files (its page, its workload's log and timeline, the overview, the export)
and MkDocs rebuilds only those pages.

The folder is the plugin's own (inside ``cache_dir``): files in it that no build
generates any more are removed, so a renamed decision leaves nothing behind. Before
anything is written or removed, the folder and every folder below it that a write goes
through are checked (:func:`mkdocs_wa.safepath.inside`): a symbolic link there (committed
to the repository, say) is refused, so nothing outside the cache is ever touched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from mkdocs_wa.render.site import GeneratedFile
from mkdocs_wa.safepath import anchor, inside, regular_file


class Stage:
    def __init__(self, folder: Path, root: Path | None = None) -> None:
        self.folder = folder
        #: what the folder must stay inside (the project)
        self.root = anchor(root, folder) if root is not None else folder.parent
        #: path -> what this process last wrote there, so that an unchanged file is
        #: neither read nor written again (comparing is a memcmp, much cheaper than
        #: hashing the pages and diagrams: docs/performance.md)
        self._written: dict[str, str | bytes] = {}
        #: files written (or rewritten) by the last call
        self.changed: list[str] = []
        self._paths: set[str] | None = None

    def write(self, files: Iterable[GeneratedFile]) -> dict[str, Path]:
        """Write what changed; return every file's path on disk, by its site path."""
        out: dict[str, Path] = {}
        self.changed = []
        inside(self.root, self.folder, what="the staging folder")  # raises UnsafePath
        for f in files:
            parts = PurePosixPath(f.path).parts
            if f.path.startswith("/") or ".." in parts:  # site paths come from Layout: never
                raise ValueError(f"not a relative site path: {f.path!r}")
            target = self.folder.joinpath(*parts)
            last = self._written.get(f.path)
            if last is None or not (last is f.content or last == f.content) or not regular_file(target):
                inside(self.folder, target, what="the staged file")
                data = f.content.encode("utf-8") if isinstance(f.content, str) else f.content
                if not _same(target, data):
                    _write(target, data)
                    self.changed.append(f.path)
                self._written[f.path] = f.content
            out[f.path] = target
        if set(out) != self._paths:  # the first call, or a decision came or went
            self._paths = set(out)
            self._prune(self._paths)
        return out

    def _prune(self, keep: set[str]) -> None:
        for old in [p for p in self._written if p not in keep]:
            del self._written[old]
        if not self.folder.is_dir():
            return
        inside(self.root, self.folder, what="the staging folder")
        # os.walk does not follow links to folders; a link to a file is removed itself.
        for dirpath, _dirnames, filenames in os.walk(self.folder, topdown=False):
            for name in filenames:
                path = Path(dirpath) / name
                if path.relative_to(self.folder).as_posix() not in keep:
                    path.unlink(missing_ok=True)
            if dirpath != str(self.folder) and not os.path.islink(dirpath) and not os.listdir(dirpath):
                os.rmdir(dirpath)


def _same(target: Path, data: bytes) -> bool:
    """The file already holds ``data`` (left by an earlier serve session)."""
    try:
        if not regular_file(target):  # a link or a FIFO is never read
            return False
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def _write(target: Path, data: bytes) -> None:
    """Atomically: MkDocs may be reading the folder of an earlier build's files."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
