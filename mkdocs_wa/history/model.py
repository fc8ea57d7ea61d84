"""What git says about the decision files: revisions, field-level changes, milestones."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mkdocs_wa.changes import Change


@dataclass(frozen=True)
class Revision:
    """One commit that changed a decision file (or its uncommitted state)."""

    #: Full commit id; "" for uncommitted changes.
    commit: str
    #: When the change was made (author date, with its UTC offset).
    date: dt.datetime
    #: When it was committed (committer date): what milestones compare against.
    committed: dt.datetime
    author: str
    subject: str
    #: Path of the file at this revision, relative to the project root, with "/".
    path: str
    changes: tuple[Change, ...] = ()
    #: Values of the tracked fields (:data:`~mkdocs_wa.changes.TRACKED`) at this revision; None when the
    #: revision could not be read (it then has no field changes).
    fields: Mapping[str, Any] | None = None
    uncommitted: bool = False
    #: Git tags on this commit.
    tags: tuple[str, ...] = ()
    #: The file's text cut into top-level blocks (shared with other revisions); joined
    #: they are :attr:`text`.
    blocks: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @property
    def short(self) -> str:
        return self.commit[:7] if self.commit else "uncommitted"

    @property
    def readable(self) -> bool:
        return self.fields is not None

    @property
    def status(self) -> str | None:
        value = (self.fields or {}).get("status")
        return value if isinstance(value, str) else None

    @property
    def text(self) -> str:
        """The whole file at this revision ("" when unknown, e.g. a binary file)."""
        return "".join(self.blocks)


@dataclass(frozen=True)
class FileHistory:
    """The revisions of one decision file, oldest first."""

    path: str
    revisions: tuple[Revision, ...] = ()
    #: Why there is no history, or only part of it (for the page); None when complete.
    note: str | None = None

    @property
    def committed(self) -> tuple[Revision, ...]:
        return tuple(r for r in self.revisions if not r.uncommitted)

    @property
    def created(self) -> Revision | None:
        committed = self.committed
        return committed[0] if committed else None

    @property
    def uncommitted(self) -> bool:
        return any(r.uncommitted for r in self.revisions)

    def as_of(self, when: dt.datetime) -> Revision | None:
        """The last readable committed revision committed at or before ``when``."""
        return next((r for r in reversed(self.committed) if r.committed <= when and r.readable), None)


@dataclass(frozen=True)
class Milestone:
    """A git tag on a commit that changed decision files."""

    tag: str
    commit: str
    #: The tagged commit's committer date.
    date: dt.datetime
    #: The (current) decision files that commit changed, project-relative.
    paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class History:
    """What git says about the decision files. ``files`` keys are project-relative paths."""

    files: Mapping[str, FileHistory] = field(default_factory=dict)
    milestones: tuple[Milestone, ...] = ()
    #: One message for the build log: what is missing and how to fix it; None if nothing.
    warning: str | None = None
    #: A sentence for pages when history could not be read at all; None when it was.
    reason: str | None = None
    #: Commits read from git.
    commits: int = 0
    #: The project root keys are relative to (absolute paths given to :meth:`of` are
    #: made relative to it).
    root: str = ""
    #: Decision files not committed yet (drafts, e.g. in a local preview), project-relative.
    drafts: tuple[str, ...] = ()
    #: One message for the build log about them (information, not a problem: a decision
    #: is written, previewed, then committed); None if there are none.
    info: str | None = None
    #: The repository's work tree (absolute): what ``imported_from`` paths are relative to.
    top: str = ""

    @property
    def available(self) -> bool:
        return self.reason is None

    def of(self, path: str, imported_from: str | None = None) -> FileHistory:
        """The history of the decision file at ``path`` (project-relative, "/" or os.sep).

        ``imported_from`` (a decision's ``imported_from.path``, relative to the repository)
        puts the original Markdown file's revisions first, marked with their own path, as
        long as ``read_history`` was given it in ``extra_paths``.
        """
        key = self._key(path)
        found = self.files.get(key)
        if found is None:
            return FileHistory(key, (), self.reason or "No history: this file is not committed yet.")
        original = self.files.get(self._key(os.path.join(self.top or self.root, imported_from))) if imported_from else None
        if original is not None and original.revisions:
            seen = {r.commit for r in found.revisions if r.commit}
            before = tuple(r for r in original.committed if r.commit not in seen)
            merged = tuple(sorted(before, key=lambda r: r.committed)) + found.revisions
            return FileHistory(key, merged, found.note)
        return found

    def _key(self, path: str) -> str:
        if self.root and os.path.isabs(path):
            path = os.path.relpath(path, self.root)
        return norm_path(path)


def norm_path(path: str) -> str:
    """A path as history keys are written: "/" separators, no "./" or "a/../"."""
    return posixpath.normpath(path.replace(os.sep, "/")) if path else path

