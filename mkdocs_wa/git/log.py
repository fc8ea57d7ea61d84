"""``git log --raw -z``: commits and the files each one changed, with whole blob ids.

One process for any number of commits; its output is parsed as it streams. ``-z`` puts
every path between NULs as it is (no quoting to undo), ``--no-abbrev`` gives whole blob
ids (the same text is recognised wherever it appears), ``-M`` pairs renames.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from mkdocs_wa.git.repo import GitError, Repo, first_line

_FORMAT = "--format=%x00%H%x00%aI%x00%cI%x00%aN%x00%D%x00%s"
_OPTIONS = ("--raw", "-z", "--no-abbrev", "-M", "--no-color", "--no-ext-diff", "--decorate-refs=refs/tags/")


@dataclass(frozen=True)
class FileChange:
    """One file in one commit: paths before and after (None: created / deleted) and the
    blob ids of its content before and after ("" when there is none)."""

    old: str | None
    new: str | None
    old_blob: str
    new_blob: str


@dataclass
class Commit:
    sha: str
    authored: str
    committed: str
    author: str
    tags: tuple[str, ...]
    subject: str
    changes: list[FileChange]


def when(text: str) -> dt.datetime:
    """git's ISO 8601 date (an unreadable one: the epoch)."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime.fromtimestamp(0, dt.UTC)


def log(repo: Repo, pathspecs: Sequence[str], *options: str) -> Iterator[Commit]:
    """The commits touching ``pathspecs`` (newest first unless ``options`` say otherwise).

    :class:`GitError` (with git's first error line) if git fails; a repository without
    commits gives none.
    """
    with tempfile.TemporaryFile() as said:  # git's errors: a file, so git never blocks on them
        proc = repo.popen(["log", *_OPTIONS, *options, _FORMAT, "--", *pathspecs], stderr=said)
        assert proc.stdout is not None
        try:
            yield from _parse(iter(lambda: proc.stdout.read1(1 << 20), b""))  # type: ignore[union-attr]
        finally:
            proc.stdout.close()
            status = proc.wait()
        if status:
            said.seek(0)
            message = first_line(said.read())
            if "does not have any commits" in message or "bad default revision" in message:
                return
            raise GitError(message or f"git log exited with status {status}")


def _parse(chunks: Iterator[bytes]) -> Iterator[Commit]:
    """Commits from the NUL-separated tokens of git's output: an empty token starts a
    commit and six header fields follow; then each changed file is ``:<modes> <ids>
    <status>`` and its path (two paths for a rename or a copy)."""
    commit: Commit | None = None
    header: list[str] = []
    entry: list[bytes] = []  # a file's meta, then its paths
    size = 0  # tokens the entry takes
    rest = b""
    for chunk in chunks:
        tokens = (rest + chunk).split(b"\0")
        rest = tokens.pop()
        for token in tokens:
            if header:  # reading a commit's header fields
                header.append(token.decode("utf-8", "replace"))
                if len(header) == 7:
                    _, sha, authored, committed, author, deco, subject = header
                    tags = tuple(sorted(t.strip()[5:] for t in deco.split(",") if t.strip().startswith("tag: ")))
                    commit = Commit(sha, authored, committed, author, tags, subject, [])
                    header = []
            elif entry:
                entry.append(token)
                if len(entry) == size:
                    if commit is not None:
                        commit.changes.append(_change(entry))
                    entry = []
            elif not token:  # a commit starts
                if commit is not None:
                    yield commit
                    commit = None
                header = [""]
            else:
                entry = [token.lstrip(b"\n")]
                size = 3 if entry[0].rsplit(b" ", 1)[-1][:1] in (b"R", b"C") else 2
    if commit is not None:
        yield commit


_ZERO = frozenset("0")


def _change(entry: list[bytes]) -> FileChange:
    # ":100644 100644 <old id> <new id> M", then the path (two for a rename or copy)
    meta = entry[0].decode("ascii", "replace").split()
    old_blob, new_blob, status = meta[2], meta[3], meta[4][:1]
    paths = [p.decode("utf-8", "surrogateescape") for p in entry[1:]]
    old = paths[0]
    new = paths[-1]
    if status == "A" or status == "C" or set(old_blob) <= _ZERO:
        old, old_blob = None, ""
    if status == "D" or set(new_blob) <= _ZERO:
        new, new_blob = None, ""
    return FileChange(old, new, old_blob, new_blob)
