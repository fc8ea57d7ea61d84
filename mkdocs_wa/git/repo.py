"""The repository, found without a git process, and git started the same way every time.

Why not GitPython: importing it runs ``git version`` (its ``refresh()``) and costs about
0.1 s, and what this package needs from it (finding the folders, a persistent
``cat-file --batch``, a tree parser) is a few lines each; see docs/dependencies.md.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

#: How to get the history a shallow clone lacks (every feature that meets one says it).
SHALLOW_FIX = "fetch the full history: `git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout (GIT_DEPTH: 0 in GitLab CI)"
#: The same words for each problem, whichever command meets it.
NO_GIT = "git is not installed (or not on PATH)"
SHALLOW = "the repository is a shallow clone"
BARE = "the repository is bare"


def not_a_repository(path: Path | str) -> str:
    return f"{path} is not in a git repository"


class GitError(Exception):
    """git could not do what was asked; the message is one line for a user."""


class GitNotFound(GitError):
    def __init__(self) -> None:
        super().__init__(NO_GIT)


#: Settings a user's configuration could change and the parsers here depend on.
_CONFIG = (
    "core.quotepath=off",
    "log.showSignature=false",
    "i18n.logOutputEncoding=UTF-8",
    "color.ui=never",
    "core.pager=cat",
)


@dataclass(frozen=True)
class Repo:
    """Where a repository lives: its work tree (None: bare), git dir and common dir
    (refs, tags, packed-refs and ``shallow``; the git dir itself unless a linked worktree)."""

    top: Path | None
    git_dir: Path
    common_dir: Path
    #: Set when the repository came from ``GIT_DIR`` (passed on to git, made absolute).
    from_env: bool = False

    @property
    def shallow(self) -> bool:
        """A shallow clone (its marker lives in the repository's own git dir, or the common
        dir for a linked worktree, wherever the command runs from)."""
        return any((d / "shallow").exists() for d in {self.git_dir, self.common_dir})

    def env(self) -> dict[str, str]:
        """git's environment: messages in English (they are matched), no pager, no
        prompt, paths absolute."""
        env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}
        if self.from_env:
            env["GIT_DIR"] = str(self.git_dir)
            if self.top is not None:
                env["GIT_WORK_TREE"] = str(self.top)
        return env

    def popen(
        self, args: Sequence[str], *, stdin: Any = subprocess.DEVNULL, stdout: Any = subprocess.PIPE, stderr: Any = subprocess.PIPE
    ) -> subprocess.Popen[bytes]:
        """Start ``git <args>`` in the repository (output as bytes on a pipe)."""
        try:
            return subprocess.Popen(
                command(*args),
                cwd=self.top or self.git_dir,
                env=self.env(),
                stdin=stdin,
                stdout=stdout,
                stderr=stderr,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),  # Windows: no console flashing up
            )
        except (FileNotFoundError, PermissionError, NotADirectoryError):
            raise GitNotFound() from None

    def run(self, args: Sequence[str]) -> bytes:
        """``git <args>``'s output; :class:`GitError` with git's first error line."""
        with self.popen(args) as proc:
            out, err = proc.communicate()
        if proc.returncode:
            raise GitError(first_line(err) or f"git exited with status {proc.returncode}")
        return out

    @cached_property
    def state(self) -> tuple[Any, ...] | None:
        """What a read of the history depends on besides the working tree: HEAD and
        every ref that can carry tags, read from the git dir's files (no process) once
        per :class:`Repo` (one look at the repository: :func:`find_repo` makes a new one).
        None when unreadable."""
        try:
            head = (self.git_dir / "HEAD").read_bytes()
            parts: list[Any] = [head]
            if head.startswith(b"ref: "):
                ref = self.common_dir / head[5:].strip().decode()
                parts.append(ref.read_bytes() if ref.is_file() else b"")
            for extra in (self.common_dir / "packed-refs", self.git_dir / "shallow", self.common_dir / "shallow"):
                st = extra.stat() if extra.exists() else None
                parts.append((str(extra), st.st_mtime_ns, st.st_size, st.st_ino) if st else None)
            tags = self.common_dir / "refs" / "tags"
            if tags.is_dir():
                for file in sorted(tags.rglob("*")):
                    if file.is_file():
                        parts.append((file.relative_to(tags).as_posix(), file.read_bytes()))
            return tuple(parts)
        except (OSError, ValueError, TypeError):
            return None


def command(*args: str) -> list[str]:
    """git with the settings the parsers depend on. ``GIT_PYTHON_GIT_EXECUTABLE`` (the
    variable GitPython reads, which users of the earlier versions set) names git."""
    program = os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git"
    return [program, *(arg for c in _CONFIG for arg in ("-c", c)), "--literal-pathspecs", *args]


def first_line(said: bytes) -> str:
    lines = [ln.strip() for ln in said.decode("utf-8", "replace").splitlines() if ln.strip()]
    return lines[0] if lines else ""


def find_repo(start: Path) -> Repo | None:
    """The repository holding ``start``, found as git finds it: ``GIT_DIR`` (and
    ``GIT_WORK_TREE``, else the current folder) if set, else the first folder up from
    ``start`` with a ``.git`` directory or ``.git`` file (``gitdir: <path>``: a linked
    worktree or a submodule), or that is itself a git dir (a bare repository)."""
    start = Path(os.path.abspath(start))
    if os.environ.get("GIT_DIR"):
        git_dir = Path(os.path.abspath(os.environ["GIT_DIR"]))
        top = Path(os.path.abspath(os.environ.get("GIT_WORK_TREE") or os.getcwd()))
        return Repo(top, git_dir, _common_dir(git_dir), True) if git_dir.is_dir() else None
    for folder in (start, *start.parents):
        dotgit = folder / ".git"
        if dotgit.is_dir():
            return Repo(folder, dotgit, _common_dir(dotgit))
        if dotgit.is_file():
            try:
                line = dotgit.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if not line.startswith("gitdir:"):
                return None  # git refuses it too ("invalid gitfile format")
            git_dir = Path(os.path.abspath(folder / line[7:].strip()))
            return Repo(folder, git_dir, _common_dir(git_dir)) if git_dir.is_dir() else None
    # Only when no folder up has a .git: a bare repository (or the inside of a .git
    # folder). Files named HEAD, objects/ and refs/ among the decisions of a working tree
    # must not make it look bare.
    for folder in (start, *start.parents):
        if (folder / "HEAD").is_file() and (folder / "objects").is_dir() and (folder / "refs").is_dir():
            return Repo(None, folder, _common_dir(folder))
    return None


def open_repo(path: Path) -> Repo:
    """The repository with a work tree that holds ``path`` (or its nearest existing
    folder); :class:`GitError` with the shared message when there is none."""
    full = Path(os.path.abspath(path))
    while not full.exists() and full != full.parent:
        full = full.parent
    repo = find_repo(full if full.is_dir() else full.parent)
    if repo is None:
        raise GitError(not_a_repository(path))
    if repo.top is None:
        raise GitError(f"{repo.git_dir}: {BARE}; run this in a checkout")
    return repo


def repo_top(start: Path) -> Path | None:
    """The work tree holding ``start`` (found without starting git), or None."""
    repo = find_repo(start)
    return repo.top if repo else None


def _common_dir(git_dir: Path) -> Path:
    """A linked worktree's git dir names the main one in its ``commondir`` file."""
    try:
        common = (git_dir / "commondir").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return git_dir
    return Path(os.path.abspath(git_dir / common)) if common else git_dir
