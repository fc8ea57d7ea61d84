"""Objects out of the repository through one persistent ``git cat-file --batch``.

A blob, tree or commit is asked for by any name git resolves (a full id, ``main``,
``HEAD~3:path``, ``@{upstream}``); many blobs are asked for with
:meth:`CatFile.many`, in batches whose answers are read before the next is sent.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterable, Iterator
from typing import IO, Self

from mkdocs_wa.git.repo import GitError, Repo

TREE_MODE = 0o040000
BLOB_MODES = (0o100644, 0o100755, 0o100664)


class CatFile:
    """``git cat-file --batch``, started on first use and kept until :meth:`close`."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self._proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            self._proc = self.repo.popen(["cat-file", "--batch"], stdin=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return self._proc

    def read(self, name: str) -> tuple[str, str, bytes] | None:
        """(id, type, content) of the object ``name`` names, or None if there is none."""
        if "\n" in name or "\r" in name:
            return None
        proc = self._start()
        try:
            stdin, _ = _pipes(proc)
            stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
            stdin.flush()
            return self._answer()
        except (BrokenPipeError, OSError, ValueError) as exc:
            raise GitError(f"git cat-file stopped: {exc}") from None

    def many(self, oids: Iterable[str]) -> Iterator[tuple[str, bytes | None]]:
        """(id, content) of each blob id, in order; content None when missing.

        ``oids`` is read as the answers are: a generator walking ``git log`` asks for
        blobs while that log is still being written. Ids are sent in batches of at most
        4 KB (what any pipe holds, so the write never waits) and a batch's answers are
        all read before the next is sent, so neither git nor this process waits on the
        other: one git process, no thread. No id, no git process.
        """
        ids = iter(oids)
        finished = False
        try:
            while batch := _batch(ids):
                proc = self._start()
                if not _send(proc, "".join(f"{oid}\n" for oid in batch)):
                    raise GitError("git cat-file stopped")
                for oid in batch:
                    found = self._answer()
                    yield oid, found[2] if found else None
            finished = True
        finally:
            if not finished and self._proc is not None:  # left early: git may be blocked writing what nobody reads
                self._proc.kill()
                self.close()

    def _answer(self) -> tuple[str, str, bytes] | None:
        assert self._proc is not None, "asked after _start"
        _, out = _pipes(self._proc)
        header = out.readline()
        if not header:
            raise GitError("git cat-file stopped")
        parts = header.split()
        if len(parts) != 3:  # "<name> missing" (or ambiguous)
            return None
        size = int(parts[2])
        data = out.read(size + 1)[:size]
        return parts[0].decode("ascii"), parts[1].decode("ascii"), data

    def close(self) -> None:
        if self._proc is not None:
            proc, self._proc = self._proc, None
            stdin, stdout = _pipes(proc)
            try:
                stdin.close()
            except OSError:
                pass
            stdout.close()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def parse_tree(data: bytes, hex_length: int = 40) -> list[tuple[int, str, str]]:
    """A raw tree object's entries: (mode, name, id)."""
    size = hex_length // 2
    out: list[tuple[int, str, str]] = []
    at = 0
    while at < len(data):
        space = data.index(b" ", at)
        nul = data.index(b"\0", space)
        mode = int(data[at:space], 8)
        name = data[space + 1 : nul].decode("utf-8", "surrogateescape")
        out.append((mode, name, data[nul + 1 : nul + 1 + size].hex()))
        at = nul + 1 + size
    return out


def blob_id(data: bytes, hex_length: int = 40) -> str:
    """The id git gives a blob with this content (SHA-1, or SHA-256 repositories)."""
    digest = hashlib.sha256 if hex_length == 64 else hashlib.sha1
    return digest(b"blob %d\0" % len(data) + data).hexdigest()


def _batch(ids: Iterator[str]) -> list[str]:
    """The next ids to send: up to 4,096 bytes of them (a pipe's smallest size)."""
    out: list[str] = []
    size = 0
    for oid in ids:
        out.append(oid)
        size += len(oid) + 1
        if size > 4096 - 66:
            break
    return out


def _send(proc: subprocess.Popen[bytes], line: str) -> bool:
    """Write ``line`` to git's input; False if git stopped."""
    text = line.encode("ascii")
    try:
        stdin, _ = _pipes(proc)
        stdin.write(text)
        stdin.flush()
    except (OSError, ValueError):
        return False
    return True


def _pipes(proc: subprocess.Popen[bytes]) -> tuple[IO[bytes], IO[bytes]]:
    """The process's stdin and stdout (both pipes: _start asks for them)."""
    assert proc.stdin is not None and proc.stdout is not None
    return proc.stdin, proc.stdout
