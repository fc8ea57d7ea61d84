"""``git log --raw -z``: commits and the files each one changed, with whole blob ids.

One process for any number of commits; its output is parsed as it streams. ``-z`` puts
every path between NULs as it is (no quoting to undo), ``--no-abbrev`` gives whole blob
ids (the same text is recognised wherever it appears), ``-M`` pairs renames.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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


def log(repo: Repo, pathspecs: Sequence[str], *options: str, keep: Path | None = None) -> Iterator[Commit]:
    """The commits touching ``pathspecs`` (newest first unless ``options`` say otherwise).

    git starts at once and writes into a file, never waiting for this process (which may
    do other work before it asks for the first commit); the commits are parsed as the
    file grows. :class:`GitError` (with git's first error line) if git fails; a
    repository without commits gives none. ``keep`` (a file in a cache folder) keeps
    git's output under a hash of HEAD, the tags and the arguments: a later call while
    they are the same reads it and starts no git.
    """
    state = repo.state if keep is not None else None
    head, into = b"", None
    if keep is not None and state is not None:
        stamp = hashlib.sha256(repr((str(repo.top), tuple(pathspecs), options, state)).encode("utf-8", "surrogateescape"))
        head = stamp.hexdigest().encode("ascii") + b"\n"
        try:
            with open(keep, "rb") as saved:
                if saved.read(len(head)) == head:
                    return _parse(iter([saved.read()]))
        except OSError:
            pass
        into = _beside(keep, head)
    if into is None:  # not kept: a temporary file, removed once open
        head, keep, into = b"", None, tempfile.mkstemp(prefix="mkdocs-wa-log-")
    fd, name = into
    said = tempfile.TemporaryFile()  # git's errors
    try:
        with open(fd, "wb") as file:
            proc = repo.popen(["log", *_OPTIONS, *options, _FORMAT, "--", *pathspecs], stdout=file, stderr=said)
        output = open(name, "rb")  # noqa: SIM115 - _follow closes it
        output.seek(len(head))
    except BaseException:
        said.close()
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    if keep is None:
        with contextlib.suppress(OSError):  # an open file cannot be removed on Windows: then after reading
            os.unlink(name)
    return _follow(proc, output, name, said, keep)


def _beside(keep: Path, head: bytes) -> tuple[int, str] | None:
    """A new file in ``keep``'s folder starting with ``head``, for git to write after
    (renamed to ``keep`` when git succeeds); None if the folder cannot be written."""
    try:
        keep.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=keep.parent, prefix=f".{keep.name}.", suffix=".tmp")
        os.write(fd, head)
        return fd, name
    except OSError:
        return None


def _follow(proc: subprocess.Popen[bytes], output: BinaryIO, name: str, said: BinaryIO, keep: Path | None) -> Iterator[Commit]:
    def chunks() -> Iterator[bytes]:
        while True:
            running = proc.poll() is None
            while data := output.read(1 << 20):
                yield data
            if not running:
                return
            time.sleep(0.002)  # git is still writing

    done = False
    try:
        yield from _parse(chunks())
        done = True
    finally:
        output.close()
        if proc.poll() is None:
            proc.kill()
        status = proc.wait()
        with contextlib.suppress(OSError):
            if keep is not None and done and not status:
                os.replace(name, keep)  # all of it, and git succeeded: kept
            else:
                os.unlink(name)
        said.seek(0)
        message = first_line(said.read())
        said.close()
    if status and not ("does not have any commits" in message or "bad default revision" in message):
        raise GitError(message or f"git log exited with status {status}")


def _parse(chunks: Iterator[bytes]) -> Iterator[Commit]:
    """Commits from the NUL-separated tokens of git's output: an empty token starts a
    commit and six header fields follow; then each changed file is ``:<modes> <ids>
    <status>`` and its path (two paths for a rename or a copy).

    Each chunk is decoded once, up to its last NUL (no UTF-8 sequence holds a NUL), with
    ``surrogateescape``: a path is kept byte for byte; a header field holding bytes that
    are not UTF-8 gets U+FFFD for them."""
    commit: Commit | None = None
    buf: list[str] = []  # tokens not used yet
    rest = b""  # a token not complete yet
    done = False
    while not done:
        chunk = next(chunks, None)
        if chunk is None:
            done, chunk = True, b"\0"  # ends the last token
        data = rest + chunk
        cut = data.rfind(b"\0") + 1
        rest = data[cut:]
        buf += data[:cut].decode("utf-8", "surrogateescape").split("\0")[:-1]
        i, n = 0, len(buf)
        while i < n:
            token = buf[i]
            if not token:  # a commit starts
                if i + 7 > n:
                    break
                if commit is not None:
                    yield commit
                fields = buf[i + 1 : i + 7]
                sha, authored, committed, author, deco, subject = fields if all(map(str.isascii, fields)) else map(_text, fields)
                tags = tuple(sorted(t.strip()[5:] for t in deco.split(",") if t.strip().startswith("tag: "))) if deco else ()
                commit = Commit(sha, authored, committed, author, tags, subject, [])
                i += 7
                continue
            meta = token.lstrip("\n").split(" ")
            size = 3 if meta[-1][:1] in ("R", "C") else 2
            if i + size > n:
                break
            if commit is not None and len(meta) == 5:
                commit.changes.append(_change(meta, buf[i + 1 : i + size]))
            i += size
        del buf[:i]
    if commit is not None:
        yield commit


def _text(field: str) -> str:
    """A header field as text: bytes that are not UTF-8 (kept as surrogates) become U+FFFD."""
    if field.isascii():
        return field
    return field.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_ZEROS = frozenset(("0" * 40, "0" * 64))


def _change(meta: list[str], paths: list[str]) -> FileChange:
    # ":100644 100644 <old id> <new id> M", then the path (two for a rename or copy)
    old_blob, new_blob, status = meta[2], meta[3], meta[4][:1]
    old: str | None = paths[0]
    new: str | None = paths[1] if len(paths) == 2 else old
    if status in ("A", "C") or old_blob in _ZEROS:
        old, old_blob = None, ""
    if status == "D" or new_blob in _ZEROS:
        new, new_blob = None, ""
    return FileChange(old, new, old_blob, new_blob)
