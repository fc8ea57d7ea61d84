"""The git history of every decision file, read with one git process.

:func:`read_history` runs a single ``git log -p -M --unified=<huge>`` over the decisions
tree (with :mod:`subprocess`, its output parsed as it streams). With that much context
every file's patch in a commit is one hunk holding the whole file, so each commit gives
the file's complete text before (context and ``-`` lines) and after (``+`` lines) it. Nothing
has to be replayed from older patches, each commit's field changes are computed against
its own parent even across branches, and ``-M`` makes a renamed or renumbered file keep
its history. Tags come from the same log's ``%D`` decoration.

Why not one ``git log --follow`` per file, or GitPython's ``iter_commits`` with stats:
both start a process per file or per commit, which is what made
mkdocs-git-revision-date-localized-plugin builds many times slower. Why not ``--raw``
and blob reads: that needs a second process (``cat-file --batch``), and measured on
10,000 commits it is no faster (0.30 s log + 0.17 s cat-file against 0.57 s for this
log), while the parsing that follows is the same. Why not GitPython (which the
pull-request diff and the ADR import use): importing it runs ``git version`` twice (about
0.12 s), so a build would start three git processes instead of one; the repository is
found by reading its folders instead (:func:`_find_repo`).

Parsing every revision of every file as a whole would cost more than git itself, so a
revision is cut into its top-level YAML blocks (``status: ...``, ``result:`` and its
indented lines, ...), nested blocks into their entries (a pillar's line, a metric),
and each distinct piece is parsed once, as :func:`mkdocs_wa.source.load.parse_text` reads it
(see :class:`_Reader` and :func:`_load`): a commit that changes a status parses one
line, one that records an observed value parses one metric. Only the fields the history
tracks are parsed.
Anything unusual (flow style at the top level, anchors across blocks, quoted scalars
running over lines) falls back to parsing the whole file, which is also what
:attr:`Revision.data` returns; tests check both give the same values. A text seen
before (same blob id) is not parsed again, and git's output is read as it streams,
so git and the parser run on two cores.

When history cannot be read (no git, not a repository, a shallow clone, files not
committed) nothing raises: :attr:`History.warning` is one message saying what is missing
and how to fix it, and :attr:`History.reason` a sentence for the pages.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import posixpath
import re
import select
import stat
import subprocess
import sys
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from mkdocs_wa.source.load import MAX_BYTES, parse_text, read_limited

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: Top-level fields whose values the history compares; other fields are compared as text.
TRACKED = ("id", "title", "status", "date", "workload", "supersedes", "hypothesis", "result", "pillars")

#: Context lines per patch: more than any decision file can have (files are limited to
#: 1 MB), so every patch is one hunk holding the whole file.
_CONTEXT = 1_000_000
_SEP = b"\n\x00\x00"  # starts every commit's header line (a NUL cannot start a patch line)
_FORMAT = "--format=%x00%x00%H%x00%aI%x00%cI%x00%aN%x00%D%x00%s"

SHALLOW_FIX = "fetch the full history: `git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout (GIT_DEPTH: 0 in GitLab CI)"


# --- the public model --------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field-level change made by a revision.

    ``kind`` is one of: ``created`` (new: the status it was created with), ``renamed``
    (old and new path), ``status``, ``result`` (old and new outcome; old None: first
    recorded; new None: removed), ``observed`` and ``target`` (field: the metric name),
    ``metric`` (a metric added, new its target, or removed), ``pillar`` (field: the
    pillar id, old/new score, None when absent), ``supersedes`` (new: an id added, old:
    an id removed), ``field`` (a scalar such as title, id or date, old and new value),
    ``edited`` (field: a top-level key or ``hypothesis.statement`` whose text changed),
    ``deleted`` (a followed extra file, e.g. an imported Markdown ADR, was deleted),
    ``unreadable`` (this revision's YAML could not be read).
    """

    kind: str
    field: str = ""
    old: Any = None
    new: Any = None
    #: The metric's unit, for ``observed`` and ``target`` changes.
    unit: str = ""

    def describe(self, name: str | None = None) -> str:
        """Plain text (not escaped) such as ``status: proposed → accepted``; ``name``
        replaces the field's id (e.g. a pillar's name from the lens)."""
        k, f, o, n = self.kind, name or self.field, _show(self.old, self.unit), _show(self.new, self.unit)
        if k == "created":
            return f"created as {n}" if self.new is not None else "created"
        if k == "renamed":
            return f"renamed from {o}"
        if k == "status":
            return f"status: {o} → {n}"
        if k == "result":
            if self.old is None:
                return f"result recorded: {n}"
            if self.new is None:
                return f"result removed (was {o})"
            return f"result: {o} → {n}" if o != n else "result edited"
        if k == "observed":
            if self.old is None:
                return f"{f}: observed {n}"
            if self.new is None:
                return f"{f}: observed value removed (was {o})"
            return f"{f}: observed {o} → {n}"
        if k == "target":
            return f"{f}: target {o} → {n}"
        if k == "metric":
            return f"metric added: {f}" if self.new is not None else f"metric removed: {f}"
        if k == "pillar":
            if self.old is None:
                return f"{f}: scored {n}"
            if self.new is None:
                return f"{f}: score removed (was {o})"
            return f"{f}: {o} → {n}"
        if k == "supersedes":
            return f"supersedes {n}" if self.new is not None else f"no longer supersedes {o}"
        if k == "field":
            return f"{f}: {o} → {n}"
        if k == "edited":
            return f"{f} edited"
        if k == "deleted":
            return "file deleted"
        if k == "unreadable":
            return "this revision's YAML could not be read"
        return f"{k} {f}".strip()


def _show(value: Any, unit: str = "") -> str:
    if value is None:
        return "none"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    # A unit after a bare number (observed 4.5 s), not after text that has its own.
    if unit and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{text} {unit}"
    return text


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
    #: Values of the tracked fields (:data:`TRACKED`) at this revision; None when the
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

    @cached_property
    def data(self) -> Any:
        """The whole file parsed (safely, with :func:`mkdocs_wa.source.load.parse_text`), or None."""
        doc, _ = parse_text(self.text, self.path)
        return doc.data if doc is not None else None


@dataclass(frozen=True)
class StatusChange:
    """A decision's status as set by one revision (``old`` None: created with it)."""

    date: dt.datetime
    old: str | None
    new: str
    commit: str
    uncommitted: bool = False


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
    def last_commit(self) -> Revision | None:
        committed = self.committed
        return committed[-1] if committed else None

    @property
    def uncommitted(self) -> bool:
        return any(r.uncommitted for r in self.revisions)

    def status_changes(self) -> tuple[StatusChange, ...]:
        """Every status the file took, with the date of the revision that set it."""
        out: list[StatusChange] = []
        for r in self.revisions:
            for c in r.changes:
                if c.kind == "created" and isinstance(c.new, str):
                    out.append(StatusChange(r.date, None, c.new, r.commit, r.uncommitted))
                elif c.kind == "status" and isinstance(c.new, str):
                    out.append(StatusChange(r.date, c.old if isinstance(c.old, str) else None, c.new, r.commit, r.uncommitted))
        return tuple(out)

    def as_of(self, when: dt.datetime) -> Revision | None:
        """The last readable committed revision committed at or before ``when``."""
        found = None
        for r in self.committed:
            if r.committed <= when and r.readable:
                found = r
        return found


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

    @property
    def available(self) -> bool:
        return self.reason is None

    def of(self, path: str, imported_from: str | None = None) -> FileHistory:
        """The history of the decision file at ``path`` (project-relative, "/" or os.sep).

        ``imported_from`` (a decision's ``imported_from.path``, project-relative) puts the
        original Markdown file's revisions first, marked with their own path, as long as
        ``read_history`` was given it in ``extra_paths``.
        """
        key = self._key(path)
        found = self.files.get(key)
        if found is None:
            return FileHistory(key, (), self.reason or "No history: this file is not committed yet.")
        if imported_from:
            original = self.files.get(self._key(imported_from))
            if original is None and self.root:  # repository-relative, the project below the root
                top = repo_top(Path(self.root))
                if top is not None:
                    original = self.files.get(self._key(os.path.join(top, imported_from)))
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


_norm = norm_path


# --- reading -----------------------------------------------------------------------------


def read_history(
    project_root: Path,
    decisions_dir: Path,
    *,
    extra_paths: Sequence[str] = (),
    extra_parser: Callable[[str], Mapping[str, Any] | None] | None = None,
    cache: bool = True,
) -> History:
    """Read the history of every decision file under ``decisions_dir`` with one git process.

    ``project_root`` is what keys are relative to (the folder of ``mkdocs.yml``; the
    repository may start higher up). ``extra_paths`` (project-relative) are other files
    to follow in the same log, e.g. the Markdown ADRs decisions were imported from; they
    need not exist any more. ``extra_parser`` turns such a file's text into decision
    fields (e.g. ``{"status": "accepted"}``) so their changes show; without it their
    revisions list no field changes. Never raises for a missing git, repository or
    history: see :attr:`History.warning`.

    With ``cache`` (the default), a second read of the same repository in the same
    process (``mkdocs serve`` rebuilds) starts no git process while HEAD and the tags are
    unchanged (checked by reading the git dir's ref files); the working tree is compared
    again every time, so edits show as uncommitted changes at once.
    """
    # The read makes a few hundred thousand objects that all stay (the history and its
    # parse caches): the garbage collector's passes over them free nothing and cost
    # about a tenth of the read (0.05 s at 10,000 commits), so it waits until the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read(project_root, decisions_dir, extra_paths, extra_parser, cache)
    finally:
        if collecting:
            gc.enable()


def _read(
    project_root: Path,
    decisions_dir: Path,
    extra_paths: Sequence[str],
    extra_parser: Callable[[str], Mapping[str, Any] | None] | None,
    cache: bool,
) -> History:
    root = Path(os.path.abspath(project_root))
    ddir = decisions_dir if decisions_dir.is_absolute() else root / decisions_dir
    ddir = Path(os.path.abspath(ddir))
    current = _current_files(root, ddir)
    extras = [_norm(p) for p in extra_paths if p]

    repo = _find_repo(ddir if ddir.exists() else root)
    if repo is None:
        return _unavailable(
            "the site was not built from a git repository",
            f"no history for the decisions: {ddir} is not in a git repository; build from a git clone "
            "(with full history) to show each decision's history and the evolution timeline",
        )
    if repo.top is None:
        return _unavailable("the repository has no working tree", "no history for the decisions: the repository is bare")
    top_path = repo.top
    # The shallow marker lives in the repository's own git dir (common dir for a linked
    # worktree), wherever the build runs from.
    if any((d / "shallow").exists() for d in {repo.git_dir, repo.common_dir}):
        return _unavailable(
            "the site was built from a shallow clone, which lacks the history",
            f"no history for the decisions: the repository is a shallow clone; {SHALLOW_FIX}",
        )
    try:
        ddir_rel = ddir.relative_to(top_path).as_posix()
    except ValueError:
        return _unavailable(
            "the decisions are not in the git repository",
            f"no history for the decisions: {ddir} is outside the repository at {top_path}",
        )

    keys: dict[str, str] = {}

    def to_key(repo_path: str) -> str:
        key = keys.get(repo_path)
        if key is None:
            key = keys[repo_path] = repo_path if root == top_path else _norm(os.path.relpath(top_path / repo_path, root))
        return key

    def to_repo(key: str) -> str | None:
        full = Path(os.path.abspath(root / key))
        try:
            return full.relative_to(top_path).as_posix()
        except ValueError:
            return None

    extra_repo = [p for p in (to_repo(k) for k in extras) if p]
    pathspecs = [ddir_rel or "."] + extra_repo
    live = {p for p in (to_repo(k) for k in current) if p}
    state = _repo_state(repo) if cache else None
    cache_key = (str(top_path), str(root), tuple(pathspecs), extra_parser)
    cached = _CACHE.get(cache_key) if state is not None else None
    # Reusable unless HEAD or tags moved, or a path git knows became a decision file again.
    if cached is not None and cached.state == state and not (live - cached.live) & cached.seen:
        return _assemble(root, current, cached.files, cached.milestones, cached.commits, cached.reader)

    reader = _Reader(extra_parser, set(extra_repo))
    try:
        proc = subprocess.Popen(
            [*_git_command(), "log", *_LOG_OPTIONS, _FORMAT, "--", *pathspecs],
            cwd=top_path,
            env=repo.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),  # Windows: no console flashing up
        )
    except (FileNotFoundError, PermissionError):
        return _unavailable(
            "git is not installed",
            "no history for the decisions: git is not installed (or not on PATH); install git to show "
            "each decision's history and the evolution timeline",
        )
    said: list[bytes] = []
    with proc:
        try:
            commits = reader.feed(_commits(proc.stdout, proc.stderr, said), live)
        except Exception as exc:  # a bug here must not stop the build: say so instead
            proc.kill()
            return _unavailable(
                "its git history could not be read",
                f"no history for the decisions: reading git's output failed ({type(exc).__name__}: {exc}); "
                "please report this as a bug of mkdocs-wa",
            )
        said.append(_rest(proc.stderr))
        status = proc.wait()
    if status != 0:
        message = _first_line(b"".join(said)) or f"git exited with status {status}"
        if "does not have any commits" in message or "bad default revision" in message:
            commits = 0
            reader = _Reader(extra_parser, set(extra_repo))
        else:
            return _unavailable(
                "git could not read the history",
                f"no history for the decisions: git log failed: {message}",
            )

    committed = {key: FileHistory(key, tuple(revisions)) for key, revisions in reader.lineages(to_key).items()}
    milestones = tuple(
        sorted(
            (
                Milestone(tag, sha, when, tuple(sorted(to_key(p) for p in paths)))
                for sha, tags, when, paths in reader.tagged
                for tag in tags
            ),
            key=lambda m: (m.date, m.tag),
        )
    )
    reader.release()
    if state is not None:
        while len(_CACHE) >= 4:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[cache_key] = _Cached(state, frozenset(live), frozenset(reader.seen), committed, milestones, commits, reader)
    return _assemble(root, current, committed, milestones, commits, reader)


@dataclass(frozen=True)
class _Cached:
    """The last read of a repository, for rebuilds (see ``cache`` in :func:`read_history`)."""

    state: tuple[Any, ...]
    live: frozenset[str]
    #: Every path the log mentioned.
    seen: frozenset[str]
    files: Mapping[str, FileHistory]
    milestones: tuple[Milestone, ...]
    commits: int
    reader: _Reader  # its parse caches serve the working-tree comparison


_CACHE: dict[tuple[Any, ...], _Cached] = {}


def _repo_state(repo: _Repo) -> tuple[Any, ...] | None:
    """What the history depends on besides the working tree: HEAD and every ref that can
    carry tags, read from the git dir's files (no process). None when unreadable."""
    try:
        git_dir, common = repo.git_dir, repo.common_dir
        head = (git_dir / "HEAD").read_bytes()
        parts: list[Any] = [head]
        if head.startswith(b"ref: "):
            ref = common / head[5:].strip().decode()
            parts.append(ref.read_bytes() if ref.is_file() else b"")
        for extra in (common / "packed-refs", git_dir / "shallow", common / "shallow"):
            st = extra.stat() if extra.exists() else None
            parts.append((str(extra), st.st_mtime_ns, st.st_size, st.st_ino) if st else None)
        tags = common / "refs" / "tags"
        if tags.is_dir():
            for file in sorted(tags.rglob("*")):
                if file.is_file():
                    parts.append((file.relative_to(tags).as_posix(), file.read_bytes()))
        return tuple(parts)
    except (OSError, ValueError, TypeError):
        return None


# --- the repository, found without a git process --------------------------------------
#
# Why not GitPython here: importing it runs `git version` twice (its refresh() at import
# time) and costs about 0.12 s, and its Repo() is only a way to find the folders below.
# A build should start exactly one git process, the log. (GitPython stays for the
# pull-request diff and the ADR import, which are not on the build's path.)


@dataclass(frozen=True)
class _Repo:
    """Where a repository lives: its work tree (None: bare), git dir and common dir
    (refs, tags, packed-refs and ``shallow``; the git dir itself unless a linked worktree)."""

    top: Path | None
    git_dir: Path
    common_dir: Path
    #: Set when the repository came from ``GIT_DIR`` (passed on to git, made absolute).
    from_env: bool = False

    def env(self) -> dict[str, str]:
        """git's environment: messages in English (they are matched), paths absolute."""
        env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "C"}
        if self.from_env:
            env["GIT_DIR"] = str(self.git_dir)
            env["GIT_WORK_TREE"] = str(self.top)
        return env


def _find_repo(start: Path) -> _Repo | None:
    """The repository holding ``start``, found as git finds it: ``GIT_DIR`` (and
    ``GIT_WORK_TREE``, else the current folder) if set, else the first folder up from
    ``start`` with a ``.git`` directory or ``.git`` file (``gitdir: <path>``: a linked
    worktree or a submodule), or that is itself a git dir (a bare repository)."""
    if os.environ.get("GIT_DIR"):
        git_dir = Path(os.path.abspath(os.environ["GIT_DIR"]))
        top = Path(os.path.abspath(os.environ.get("GIT_WORK_TREE") or os.getcwd()))
        return _Repo(top, git_dir, _common_dir(git_dir), True) if git_dir.is_dir() else None
    for folder in (start, *start.parents):
        dotgit = folder / ".git"
        if dotgit.is_dir():
            return _Repo(folder, dotgit, _common_dir(dotgit))
        if dotgit.is_file():
            try:
                line = dotgit.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if not line.startswith("gitdir:"):
                return None  # git refuses it too ("invalid gitfile format")
            git_dir = Path(os.path.abspath(folder / line[7:].strip()))
            return _Repo(folder, git_dir, _common_dir(git_dir)) if git_dir.is_dir() else None
    # Only when no folder up has a .git: a bare repository (or the inside of a .git
    # folder). Files named HEAD, objects/ and refs/ among the decisions of a working tree
    # must not make it look bare.
    for folder in (start, *start.parents):
        if (folder / "HEAD").is_file() and (folder / "objects").is_dir() and (folder / "refs").is_dir():
            return _Repo(None, folder, _common_dir(folder))
    return None


def repo_top(start: Path) -> Path | None:
    """The work tree holding ``start`` (found as :func:`read_history` finds it, without
    starting git), or None; for turning repository-relative paths into project ones."""
    repo = _find_repo(Path(os.path.abspath(start)))
    return repo.top if repo else None


def _common_dir(git_dir: Path) -> Path:
    """A linked worktree's git dir names the main one in its ``commondir`` file."""
    try:
        common = (git_dir / "commondir").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return git_dir
    return Path(os.path.abspath(git_dir / common)) if common else git_dir


def _git_command() -> list[str]:
    """git with the settings this parser depends on. ``GIT_PYTHON_GIT_EXECUTABLE`` is
    honoured as GitPython (used by the other git features) honours it."""
    program = os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git"
    return [program, *(arg for c in _GIT_CONFIG for arg in ("-c", c)), "--literal-pathspecs"]


def _assemble(
    root: Path,
    current: list[str],
    committed: Mapping[str, FileHistory],
    milestones: tuple[Milestone, ...],
    commits: int,
    reader: _Reader,
) -> History:
    """The history: committed revisions, the working tree compared with them, one warning."""
    files = dict(committed)
    missing: list[str] = []
    for key in current:
        files[key] = _with_worktree(files.get(key), key, root / key, reader)
        if not files[key].committed:
            missing.append(key)
    info = None
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        noun = "a decision file is" if len(missing) == 1 else f"{len(missing)} decision files are"
        info = (
            f"{noun} not committed to git, so {'it is' if len(missing) == 1 else 'they are'} shown as "
            f"{'a draft' if len(missing) == 1 else 'drafts'} with no history yet: {shown}; commit "
            f"{'it' if len(missing) == 1 else 'them'} (git add, git commit) to show when each change happened"
        )
    return History(files, milestones, None, None, commits, str(root), tuple(missing), info)


_GIT_CONFIG = (
    # Settings a user's configuration could change and this parser depends on.
    "core.quotepath=off",
    "diff.suppressBlankEmpty=false",
    "diff.noprefix=false",
    "diff.mnemonicPrefix=false",
    "log.showSignature=false",
    "i18n.logOutputEncoding=UTF-8",
    "color.ui=never",
)
_LOG_OPTIONS = (
    "-p",
    "-M",
    f"--unified={_CONTEXT}",
    # Children before parents (with dates), so renames are met before the older edits.
    "--date-order",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    # Every file as text: a ".gitattributes" line "*.yaml -diff" (or "binary") must not
    # turn every revision into "binary files differ" and so switch the history off.
    "--text",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "--full-index",  # whole blob ids: the same text is recognised, and parsed once
    "--decorate-refs=refs/tags/",
)


def _rest(stream: Any) -> bytes:
    """What is left in git's error pipe (made non-blocking while the log streamed)."""
    try:
        os.set_blocking(stream.fileno(), True)
        return stream.read() or b""
    except (OSError, ValueError):
        return b""


def _first_line(said: bytes) -> str:
    lines = [ln.strip() for ln in said.decode("utf-8", "replace").splitlines() if ln.strip()]
    return lines[0] if lines else ""


def _unavailable(reason: str, warning: str) -> History:
    return History({}, (), warning, f"No history: {reason}.")


def _current_files(root: Path, ddir: Path) -> list[str]:
    """Decision files on disk (as :func:`mkdocs_wa.source.validate.discover` finds them), project-relative."""
    out: list[str] = []
    if not ddir.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(ddir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                full = os.path.join(dirpath, name)
                try:  # a FIFO, a device or a link to one is no decision (validate reports it)
                    if not stat.S_ISREG(os.stat(full).st_mode):
                        continue
                except OSError:
                    continue
                out.append(_norm(os.path.relpath(full, root)))
    return out


def _commits(stream: Any, errors: Any = None, said: list[bytes] | None = None) -> Iterator[bytes]:
    """Whole commits (header line and patches) from git's output, as it streams.

    The pipe is drained without blocking between commits, so git keeps writing while
    this process parses (the two run on two cores) instead of stalling on a full pipe.
    (A reader thread does not do this well: each time it has read, it must wait for the
    GIL the parser holds.) Where pipes cannot be non-blocking, it simply reads.
    ``errors`` (git's standard error) is drained into ``said`` on the way, so that git
    can never block on a full error pipe either.
    """
    try:
        fd = stream.fileno()
        os.set_blocking(fd, False)
        _grow_pipe(fd)
        efd = errors.fileno() if errors is not None else -1
        if efd >= 0:
            os.set_blocking(efd, False)
    except (AttributeError, OSError, ValueError):
        yield from _split_commits(iter(lambda: stream.read(1 << 16), b""))
        return
    said = said if said is not None else []
    watch = [fd] + ([efd] if efd >= 0 else [])
    buf = b""  # the output being cut into commits, from ``start`` on
    start = search = 0
    more: list[bytes] = []  # read from the pipe, not yet added to buf (joined only when needed)
    eof = False
    turn = 0
    while True:
        turn += 1
        cut = buf.find(_SEP, search)
        # Drain now and then (the pipe holds about 40 commits), and whenever buf runs dry.
        if not eof and (cut < 0 or turn % 16 == 0):
            try:
                while data := os.read(fd, 1 << 20):
                    more.append(data)
                eof = True
            except BlockingIOError:
                pass
            if efd >= 0:
                try:
                    while data := os.read(efd, 1 << 16):
                        said.append(data)
                    efd = -1  # closed
                    watch = [fd]
                except BlockingIOError:
                    pass
        if cut >= 0:
            chunk = buf[start:cut]
            start = search = cut + len(_SEP)
            yield chunk
        elif more:
            rest = buf[start:]
            search = max(0, len(rest) - len(_SEP) + 1)
            buf = rest + b"".join(more)
            more.clear()
            start = 0
        elif eof:
            if start < len(buf):
                yield buf[start:]
            return
        else:
            select.select(watch, [], [])  # nothing complete yet: wait for git


def _grow_pipe(fd: int) -> None:
    """Let git run further ahead (Linux: a 1 MB pipe instead of 64 KB)."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", 1031) if fcntl else None
    if set_size is None or not sys.platform.startswith("linux"):
        return
    try:
        fcntl.fcntl(fd, set_size, 1 << 20)
    except OSError:
        pass  # above /proc/sys/fs/pipe-max-size: keep the default


def _split_commits(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """Whole commits from blocks of git's output (the plain, blocking way)."""
    buf = b""
    for block in blocks:
        # Look for separators only in what is new, so a huge commit is not rescanned.
        search = max(0, len(buf) - len(_SEP) + 1)
        buf += block
        start = 0
        while (cut := buf.find(_SEP, search)) >= 0:
            yield buf[start:cut]
            start = search = cut + len(_SEP)
        buf = buf[start:]
    if buf:
        yield buf


def _with_worktree(found: FileHistory | None, key: str, file: Path, reader: _Reader) -> FileHistory:
    """Add an "uncommitted" revision when the file on disk differs from its last commit."""
    revisions = found.revisions if found else ()
    try:
        raw = read_limited(file)  # never a FIFO or a device (or a link to one), never over 1 MB
        st = file.stat()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return found or FileHistory(key, (), "No history: the file cannot be read.")
    last = revisions[-1] if revisions else None
    if last is not None and _same(last.text, text):
        return found or FileHistory(key, revisions)
    when = dt.datetime.fromtimestamp(st.st_mtime).astimezone()
    snap = reader.snapshot(text, key)
    base = next((r for r in reversed(revisions) if r.readable), None)
    if base is None:
        changes = [Change("created", "status", None, snap.fields.get("status") if snap.fields else None)]
        if snap.fields is None:
            changes.append(Change("unreadable"))
    elif snap.fields is None:
        changes = [Change("unreadable")]
    else:
        changes = _changes(reader.snapshot(base.text, base.path), snap, reader)
    subject = "uncommitted changes" if revisions else "not committed yet"
    rev = Revision("", when, when, "", subject, key, tuple(changes), snap.fields, True, (), snap.blocks)
    note = None if revisions else "Not committed yet: this file has no git history."
    return FileHistory(key, revisions + (rev,), note)


def _same(committed: str, disk: str) -> bool:
    # Line endings may differ (core.autocrlf), and a missing final newline is no change.
    return committed.replace("\r\n", "\n").rstrip("\n") == disk.replace("\r\n", "\n").rstrip("\n")


# --- the log parser ----------------------------------------------------------------------

_BROKEN = object()
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t\r]|$)", re.M)
_INDENT = re.compile(r"\n( *)(?=[^ #\r\n])")


@lru_cache(maxsize=32)
def _indents(n: int) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Patterns for a nesting at indentation ``n``: a line break before a line starting
    an entry (exactly ``n`` spaces), or before a line less indented (not a comment), and
    the indentation to remove."""
    return (
        re.compile(rf"\n {{{n}}}(?=[^ #\r\n])"),
        re.compile(rf"\n {{0,{max(n - 1, 0)}}}(?=[^ #\r\n])"),
        re.compile(rf"^ {{1,{max(n, 1)}}}", re.M),
    )


#: Where a file is cut into top-level blocks: before each line that starts at column 0
#: and is not a comment.
_CUT = re.compile(r"\n(?=[^ #\n\r])")
_AFTER_KEY = frozenset(("", " ", "\t", "\r", "\n"))
#: A value starting with one of these may run over several lines at column 0 or refer to
#: another block (anchors, aliases, tags), so its block is parsed to be sure of the cut.
_RISKY = frozenset("\"'[{&*!")
_TRACKED = frozenset(TRACKED)
_PREAMBLE = frozenset(("", " ", "#", "\n", "\r"))


@dataclass(frozen=True)
class _Snapshot:
    """One version of a file: its text in blocks, tracked values, and the other fields."""

    blocks: tuple[str, ...]
    fields: Mapping[str, Any] | None
    #: Untracked top-level fields: the block's text, or its value (:class:`_Parsed`).
    others: Mapping[str, Any]


@dataclass(frozen=True)
class _Parsed:
    value: Any


@dataclass
class _Entry:
    """One file in one commit, as the patch shows it, with its text before and after."""

    old: str | None
    new: str | None
    #: None when the patch does not show the text (a pure rename or mode change).
    pre: _Snapshot | None
    post: _Snapshot | None


_UNREADABLE = _Snapshot((), None, {})
_MISSING = object()
# What a top-level block is (see _Reader._block).
_FIELD, _OTHER, _SKIP, _STOP = object(), object(), object(), object()
#: A key whose value is on the following lines (a nested mapping or sequence).
_CONTAINER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*[ \t]*:[ \t]*(?:#[^\n]*)?\r?\n")


class _Reader:
    """Turns ``git log -p`` output into per-file revisions.

    Parsing is cached by text at every level of nesting: a top-level block, each entry
    of a nested mapping (a pillar's line) and each item of a nested sequence (a
    metric). A commit that changes one observed value parses one metric item; a block
    that did not change is looked up, not parsed. Each piece is parsed by :func:`_load`
    (what :func:`~mkdocs_wa.source.load.parse_text` gives); if any piece fails, the enclosing
    block, then the whole file, is parsed as one, so the values are always what a
    whole-file parse gives.
    """

    def __init__(self, extra_parser: Callable[[str], Mapping[str, Any] | None] | None, extras: set[str]) -> None:
        self.extra_parser = extra_parser
        self.extras = extras
        #: text of a block, entry or item -> its parsed value (or _BROKEN)
        self.values: dict[str, Any] = {}
        #: a top-level block's text (without its line break; the last block of a file in
        #: ``ends``) -> what :meth:`_block` makes of it. Revisions share these strings.
        self.pieces: dict[str, tuple[str, str, object, Any]] = {}
        self.ends: dict[str, tuple[str, str, object, Any]] = {}
        #: blob id -> snapshot of that text
        self.blobs: dict[str, _Snapshot] = {}
        #: blob id of a text before a commit -> the entries waiting for its snapshot
        self.pending: dict[str, list[tuple[_Entry, _Patch]]] = {}
        #: path at this point of the walk (newest first) -> its lineage's current path (None: dead)
        self.state: dict[str, str | None] = {}
        #: lineage -> (commit header, entry), newest first
        self.found: dict[str, list[tuple[tuple[str, ...], _Entry]]] = {}
        self.tagged: list[tuple[str, tuple[str, ...], dt.datetime, list[str]]] = []
        self.live: set[str] = set()
        #: every path the log mentioned
        self.seen: set[str] = set()

    def release(self) -> None:
        """Drop what only the reading needed; keep the parse caches."""
        self.found, self.blobs, self.pending, self.state = {}, {}, {}, {}

    # reading the log, newest commit first

    def feed(self, chunks: Iterable[bytes], live: set[str]) -> int:
        """Read git's output, snapshotting each file version as it arrives (while git
        still works on older commits); return the number of commits."""
        self.live = live | self.extras
        count = 0
        for chunk in chunks:
            chunk = chunk.lstrip(b"\x00")
            if not chunk:
                continue
            count += 1
            header, _, body = chunk.partition(b"\n")
            parts = header.decode("utf-8", "replace").split("\x00")
            if len(parts) < 6:
                continue
            sha, adate, cdate, author, deco, subject = parts[:6]
            tags = tuple(sorted(t.strip()[5:] for t in deco.split(",") if t.strip().startswith("tag: ")))
            head = (sha, adate, cdate, author, subject, ",".join(tags))
            touched: list[str] = []
            for block in body.split(b"\ndiff --git ")[1:]:
                patch = _patch(block)
                if patch is None:
                    continue
                entry = _Entry(patch.old, patch.new, None, None)
                lineage = self._walk(entry)
                if lineage is None:
                    continue  # a file that no longer exists: not even parsed
                self._texts(patch, entry)
                self.found.setdefault(lineage, []).append((head, entry))
                touched.append(lineage)
            if tags:
                self.tagged.append((sha, tags, _date(cdate), touched))
        for blob, waiting in self.pending.items():  # e.g. the other side of a merge
            for entry, patch in waiting:
                entry.pre = self.blobs.get(blob) or self._snap(patch.image(b"-"), patch.old)
        self.pending.clear()
        return count

    def _texts(self, patch: _Patch, entry: _Entry) -> None:
        """Snapshot the text after the commit, and find (or wait for) the text before it.

        Snapshots are kept by blob id: the text before a commit is usually the text
        after the file's previous commit, which comes later in the log, so it is only
        extracted from this patch if no later commit turns out to have it.
        """
        if patch.binary:
            entry.pre = _UNREADABLE if patch.old else None
            entry.post = _UNREADABLE if patch.new else None
            return
        if patch.textless and patch.old is not None:
            return  # a pure rename or mode change: the text is the previous one
        if patch.new is not None:
            snap = self.blobs.get(patch.post_id) if patch.post_id else None
            if snap is None:
                snap = self._snap(patch.image(b"+"), patch.new)
                if patch.post_id:
                    self.blobs[patch.post_id] = snap
                    for waiting, _ in self.pending.pop(patch.post_id, ()):
                        waiting.pre = snap
            entry.post = snap
        if patch.old is not None:
            snap = self.blobs.get(patch.pre_id) if patch.pre_id else None
            if snap is not None:
                entry.pre = snap
            elif patch.pre_id:
                self.pending.setdefault(patch.pre_id, []).append((entry, patch))
            else:
                entry.pre = self._snap(patch.image(b"-"), patch.old)

    def _walk(self, e: _Entry) -> str | None:
        """The lineage (current path) this entry belongs to, updating paths for older commits."""
        if e.old is not None:
            self.seen.add(e.old)
        if e.new is not None:
            self.seen.add(e.new)
        if e.new is None:  # deleted here: older versions of e.old belong to no current file...
            assert e.old is not None
            if e.old not in self.state and e.old in self.extras:  # ...unless it is followed anyway
                self.state[e.old] = e.old
                return e.old
            self.state[e.old] = None
            return None
        if e.new in self.state:
            lineage = self.state[e.new]
        else:
            lineage = e.new if e.new in self.live else None
            self.state[e.new] = lineage
        if e.old is None:  # created here: nothing older at this path belongs to it
            self.state.pop(e.new, None)
        elif e.old != e.new:  # renamed here: older versions sit at the old path
            self.state.pop(e.new, None)
            self.state[e.old] = lineage
        return lineage

    # building revisions, oldest first

    def lineages(self, to_key: Callable[[str], str] = lambda p: p) -> dict[str, list[Revision]]:
        """Revisions per current file (oldest first), paths turned into keys by ``to_key``."""
        out: dict[str, list[Revision]] = {}
        for lineage, items in self.found.items():
            revisions: list[Revision] = []
            last: _Snapshot | None = None  # the latest readable version so far
            for head, e in reversed(items):
                sha, adate, cdate, author, subject, tags = head
                post = e.post if e.post is not None or e.new is None else last  # a pure rename keeps the text
                pre = e.pre if e.pre is not None and e.pre.fields is not None else last
                changes: list[Change] = []
                if e.old is None:
                    status = post.fields.get("status") if post and post.fields else None
                    changes.append(Change("created", "status", None, status))
                elif e.new is None:
                    changes.append(Change("deleted", "path", to_key(e.old), None))
                elif e.old != e.new:
                    changes.append(Change("renamed", "path", to_key(e.old), to_key(e.new)))
                if post is not None and post.fields is None:
                    changes.append(Change("unreadable"))
                elif post is not None and pre is not None and e.old is not None:
                    changes.extend(_changes(pre, post, self))
                revisions.append(
                    Revision(
                        sha,
                        _date(adate),
                        _date(cdate),
                        author,
                        subject,
                        to_key(e.new or e.old or lineage),
                        tuple(changes),
                        post.fields if post else None,
                        False,
                        tuple(t for t in tags.split(",") if t),
                        post.blocks if post else (),
                    )
                )
                if post is not None and post.fields is not None:
                    last = post
            out[to_key(lineage)] = revisions
        return out

    # parsing

    def _snap(self, raw: bytes, path: str | None) -> _Snapshot:
        if len(raw) > MAX_BYTES:  # as decision files: a 30 MB revision is not parsed or kept
            return _UNREADABLE
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _UNREADABLE
        return self.snapshot(text, path or "")

    def snapshot(self, text: str, path: str) -> _Snapshot:
        """The tracked values (and other fields) of one version of a file.

        The file is cut before each line that starts at column 0 and is not a comment:
        each block is one top-level key with its indented lines, and keeps its line
        break (a block scalar ending it needs it), so the blocks joined are the file.
        A block that is not a plain ``key:`` (flow style, a quoted key, a document
        marker...) or a duplicate key sends the file to the whole-file parse.
        """
        if not _is_yaml(path):  # an original Markdown ADR: only its own parser knows it
            data = self.extra_parser(text) if self.extra_parser else {}
            if not isinstance(data, Mapping):
                return _Snapshot((text,), None, {})
            return _Snapshot((text,), {k: data[k] for k in TRACKED if k in data}, {})
        text = text.removeprefix("\ufeff")
        fields: dict[str, Any] = {}
        others: dict[str, Any] = {}
        blocks: list[str] = []
        cut = _CUT.split(text)
        last = len(cut) - 1
        for i, piece in enumerate(cut):
            # Most blocks were met in an earlier version of the file: looked up, not read again.
            memo = self.pieces if i < last else self.ends
            found = memo.get(piece)
            if found is None:
                # Each block keeps its line break: a block scalar ending it needs it.
                found = memo[piece] = self._block(piece + "\n" if i < last else piece)
            block, key, kind, value = found
            blocks.append(block)
            if kind is _SKIP and i == 0:
                continue  # comments (or nothing) before the first key
            if kind is not _FIELD and kind is not _OTHER or key in fields or key in others:
                break
            (fields if kind is _FIELD else others)[key] = value
        else:
            return _Snapshot(tuple(blocks), fields, others)
        doc, _ = parse_text(text, path)
        if doc is None or not isinstance(doc.data, dict):
            return _Snapshot((text,), None, {})
        data = doc.data
        return _Snapshot(
            (text,),
            {k: data[k] for k in TRACKED if k in data},
            {k: _Parsed(v) for k, v in data.items() if k not in TRACKED},
        )

    def _block(self, block: str) -> tuple[str, str, object, Any]:
        """What one top-level block holds: (its text, its key, its kind, its value).

        Kinds: _FIELD (a tracked field and its value), _OTHER (an untracked field: its
        text, or its :class:`_Parsed` value when the text alone cannot be trusted),
        _SKIP (comments before the first key), _STOP (anything else: the whole file
        must be parsed).
        """
        if block[:1] in _PREAMBLE:  # only the first block can start so
            if any(ln.strip() and not ln.lstrip().startswith("#") for ln in block.splitlines()):
                return block, "", _STOP, None  # an indented document: not a plain block mapping
            return block, "", _SKIP, None
        colon = block.find(":")
        key = block[:colon]
        after = block[colon + 1 : colon + 2]
        # A plain key ("status", "review_by", "x-y") followed by its colon and a space or
        # the line's end.
        if colon < 0 or after not in _AFTER_KEY or not key.replace("-", "_").isidentifier():
            return block, key, _STOP, None
        if key in _TRACKED:
            value = self.value(block, key)
            return block, key, (_STOP if value is _BROKEN else _FIELD), value
        if block[colon + 1 : colon + 64].lstrip(" \t")[:1] in _RISKY:
            # A value that may run over lines at column 0 or refer to another block:
            # parsing it checks the cut.
            value = self.value(block, key)
            return (block, key, _STOP, None) if value is _BROKEN else (block, key, _OTHER, _Parsed(value))
        return block, key, _OTHER, block

    def value(self, text: str, key: str, shallow: bool = False) -> Any:
        """The value of ``key: ...`` (text starting at column 0), or _BROKEN. ``shallow``:
        ``text`` is known to pass :func:`_shallow` (it is part of a block that did)."""
        found = self.values.get(text, _MISSING)
        if found is not _MISSING:
            return found
        value: Any = _BROKEN
        m = _CONTAINER.match(text)
        # Deeper than _shallow allows, the block is parsed whole: parse_text then refuses
        # it if the file nests too deep, as it does the whole file.
        if m is not None and text[m.end() :].strip() and (shallow or _shallow(text)):
            value = self._nested(text[m.end() :])
        if value is _BROKEN:
            data = _load(text)
            if isinstance(data, dict) and len(data) == 1 and key in data:
                value = data[key]
        self.values[text] = value
        return value

    def _item(self, text: str) -> Any:
        """The value of a sequence item (``- ...`` at column 0), or _BROKEN."""
        found = self.values.get(text, _MISSING)
        if found is not _MISSING:
            return found
        data = _load(text)
        value = data[0] if isinstance(data, list) and len(data) == 1 else _BROKEN
        self.values[text] = value
        return value

    def _nested(self, body: str) -> Any:
        """A nested block mapping or sequence, each entry parsed (and cached) alone."""
        # Every search is anchored on a line break (a literal the regex engine finds fast),
        # so the body gets one in front: offsets in it are then offsets in body + 1.
        lined = "\n" + body
        m = _INDENT.search(lined)
        if m is None:
            return _BROKEN
        indent = len(m[1])
        seq = lined.startswith("-", m.end()) and lined[m.end() + 1 : m.end() + 2] in ("", " ", "\n", "\r")
        if indent == 0 and not seq:
            return _BROKEN
        at, less, dedent = _indents(indent)
        if indent and less.search(lined):
            return _BROKEN  # a line less indented than the entries: not a simple nesting
        starts = [x.start() for x in at.finditer(lined)]  # = offsets in body of the entries' lines
        values: list[Any] = []
        keys: list[str] = []
        cache = self.values
        for a, b in zip(starts, starts[1:] + [len(body)]):
            raw = body[a:b]  # cached as it stands: an unchanged entry is neither dedented nor parsed
            if seq:
                if not (raw.startswith("-", indent) and raw[indent + 1 : indent + 2] in ("", " ", "\n", "\r")):
                    return _BROKEN
            else:
                km = _KEY_LINE.match(raw, indent)
                if km is None:
                    return _BROKEN
                keys.append(km[1])
            value = cache.get(raw, _MISSING)
            if value is _MISSING:
                piece = dedent.sub("", raw) if indent else raw
                value = self._item(piece) if seq else self.value(piece, keys[-1], True)
                cache[raw] = value
            if value is _BROKEN:
                return _BROKEN
            values.append(value)
        if seq:
            return values
        if len(set(keys)) != len(keys):
            return _BROKEN  # a duplicate key: the whole parse reports it
        return dict(zip(keys, values))

    def other_value(self, item: Any, key: str) -> Any:
        if isinstance(item, _Parsed):
            return item.value
        parsed = self.value(item, key)
        return None if parsed is _BROKEN else parsed


def _load(text: str) -> Any:
    """The data of one piece of a file, exactly as :func:`~mkdocs_wa.source.load.parse_text`
    reads it, or _BROKEN where that reports a problem.

    parse_text records the position of every value, which the history never asks for;
    pieces that cannot meet any of the problems it checks besides duplicate keys (tags,
    anchors and aliases, merge keys, deep nesting, alias bombs) are read with
    ``yaml.load`` instead, about twice as fast. Anything it fails on goes to parse_text,
    which gives the value or refuses it the way validation does.
    """
    if _FastLoader is not None and len(text) <= _FAST_MAX and _UNSAFE.search(text) is None and _shallow(text):
        try:
            return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a safe loader, see _FastLoader
        except Exception:  # noqa: BLE001 - parse_text says what is wrong, or reads what this cannot
            pass
    doc, _ = parse_text(text, "")
    return doc.data if doc is not None else _BROKEN


def _shallow(text: str) -> bool:
    """Whether ``text`` surely nests at most :data:`~mkdocs_wa.source.load.MAX_DEPTH` (64) levels.

    A block collection starts in a line's indentation or after ``- ``, ``? `` or ``: ``,
    and each level is at least one column further in than the one holding it (but for a
    sequence written at the level of its key): with no line starting with 16 such
    characters, that is at most 2 * (15 + 1) levels, plus one level per bracket.
    """
    return text.count("[") + text.count("{") <= _FAST_FLOWS and _DEEP_LINE.search(text) is None


#: The fast path's limits: a piece within them nests within MAX_DEPTH (see _shallow), far
#: from where libyaml's recursive composer crashes, and has far fewer values than
#: :data:`~mkdocs_wa.source.load.MAX_NODES`.
_FAST_MAX = 1 << 16
_FAST_FLOWS = 32
_DEEP_LINE = re.compile(r"(?:^|\n)[ \t?:-]{16}")
#: Tags, anchors, aliases and merge keys: left to parse_text, which refuses or expands them.
_UNSAFE = re.compile(r"[!&*]|<<")

if getattr(yaml, "CSafeLoader", None) is not None:

    class _FastLoader(yaml.CSafeLoader):
        """libyaml's safe loader, reading keys and dates the way parse_text does."""

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Hashable, Any]:
            out: dict[Hashable, Any] = {}
            for key, value in node.value:
                # Keys are kept as written ("on", "1.0", "~" stay text); a collection as
                # a key or a duplicate key is refused (parse_text reports them).
                if not isinstance(key, yaml.ScalarNode) or key.value in out:
                    raise yaml.constructor.ConstructorError(None, None, "left to parse_text", key.start_mark)
                out[key.value] = self.construct_object(value, deep=deep)
            return out

    # Dates stay text: the validator reads them (and says what is wrong with them).
    _FastLoader.add_constructor(  # type: ignore[type-var]  # the stubs tie the function to its own loader class
        "tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_scalar
    )
else:  # pragma: no cover - PyYAML without libyaml: parse_text reads everything
    _FastLoader = None  # type: ignore[assignment,misc]


def _is_yaml(path: str | None) -> bool:
    return bool(path) and path.endswith((".yaml", ".yml"))  # type: ignore[union-attr]


@dataclass
class _Patch:
    """One file's patch in one commit."""

    old: str | None
    new: str | None
    #: Blob ids before and after (from the ``index`` line), "" when not shown.
    pre_id: str
    post_id: str
    #: The hunk's lines (context, ``-``, ``+``), which hold the whole file before and after.
    hunk: bytes
    binary: bool = False
    #: No hunk: a pure rename or mode change (the text did not change), or an empty file.
    textless: bool = False

    def image(self, side: bytes) -> bytes:
        """The whole text after (``side`` b"+") or before (b"-") the commit."""
        return b"".join((_AFTER if side == b"+" else _BEFORE).findall(self.hunk))


#: A hunk line of the text after (context or added) or before (context or removed) a
#: commit, without its first character. ("\ No newline at end of file" is neither.)
_AFTER = re.compile(rb"^[ +]([^\n]*\n)", re.M)
_BEFORE = re.compile(rb"^[ -]([^\n]*\n)", re.M)


def _patch(block: bytes) -> _Patch | None:
    """One file's patch (after ``diff --git ``): its paths, blob ids and lines."""
    at = block.find(b"\n@@")
    if at >= 0:
        header = block[:at].split(b"\n")
        line_end = block.find(b"\n", at + 1)
        hunk = block[line_end + 1 :] if line_end >= 0 else b""
        if hunk and not hunk.endswith(b"\n"):
            hunk += b"\n"
    else:
        header = block.split(b"\n")
        hunk = b""
    created = deleted = binary = False
    rename_from = rename_to = None
    minus = plus = None
    pre_id = post_id = ""
    for line in header[1:]:
        if line.startswith(b"index "):
            ids = line[6:].split(b" ", 1)[0].split(b"..")
            if len(ids) == 2:
                pre_id, post_id = ids[0].decode(), ids[1].decode()
        elif line.startswith(b"--- "):
            minus = _path(line[4:], b"a/")
        elif line.startswith(b"+++ "):
            plus = _path(line[4:], b"b/")
        elif line.startswith(b"rename from "):
            rename_from = _unquote(line[12:])
        elif line.startswith(b"rename to "):
            rename_to = _unquote(line[10:])
        elif line.startswith(b"new file mode") or line.startswith(b"copy from "):
            created = True
        elif line.startswith(b"deleted file mode"):
            deleted = True
        elif line.startswith(b"Binary files "):
            binary = True
    old = rename_from or minus
    new = rename_to or plus
    if old is None or new is None:
        same = _same_path(header[0])
        old = old or same
        new = new or same
    if created:
        old = None
    if deleted:
        new = None
    if old is None and new is None:
        return None
    return _Patch(old, new, pre_id, post_id, hunk, binary, not hunk)


def _path(raw: bytes, prefix: bytes) -> str | None:
    raw = raw.rstrip(b"\t")  # git ends a name holding spaces with a tab
    if raw == b"/dev/null":
        return None
    name = _unquote(raw)
    return name[len(prefix) :] if name.startswith(prefix.decode()) else name


def _same_path(header: bytes) -> str | None:
    """The path from ``a/X b/X`` (a header of a change with no ---/+++ lines)."""
    text = header.decode("utf-8", "replace")
    if text.startswith('"'):
        m = re.match(r'("(?:[^"\\]|\\.)*")', text)
        return _unquote(m[1].encode())[2:] if m else None
    half = (len(text) - 5) // 2
    if half > 0 and text[2 + half :] == " b/" + text[2 : 2 + half]:
        return text[2 : 2 + half]
    return None


_ESCAPES = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13, b'"': 34, b"\\": 92}


def _unquote(raw: bytes) -> str:
    """A path as git prints it: C-style quoted when it holds unusual characters."""
    if not raw.startswith(b'"') or not raw.endswith(b'"') or len(raw) < 2:
        return raw.decode("utf-8", "replace")
    body = raw[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        ch = body[i : i + 1]
        if ch == b"\\" and i + 1 < len(body):
            nxt = body[i + 1 : i + 2]
            if nxt.isdigit():
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
                continue
            out.append(_ESCAPES.get(nxt, nxt[0]))
            i += 2
            continue
        out += ch
        i += 1
    return out.decode("utf-8", "replace")


def _date(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime.fromtimestamp(0, dt.UTC)


# --- field changes -----------------------------------------------------------------------


def _changes(pre: _Snapshot, post: _Snapshot, reader: _Reader | None = None) -> list[Change]:
    """What ``post`` changed against ``pre``, field by field, in a stable order."""
    out: list[Change] = []
    if pre is post:
        return out
    a = pre.fields or {}
    b = post.fields or {}
    for key in _ORDER:
        x, y = a.get(key), b.get(key)
        # Values come from the parse cache: an unchanged block is the very same object.
        if x is y or x == y:
            continue
        if key == "status":
            out.append(Change("status", "status", _scalar(x), _scalar(y)))
        elif key == "supersedes":
            out.extend(_supersedes(x, y))
        elif key == "result":
            out.extend(_result(x, y))
        elif key == "hypothesis":
            out.extend(_hypothesis(x, y))
        elif key == "pillars":
            out.extend(_pillars(x, y))
        else:
            out.append(Change("field", key, _scalar(x), _scalar(y)))
    if pre.others != post.others:
        for key in sorted(set(pre.others) | set(post.others)):
            u, v = pre.others.get(key), post.others.get(key)
            if u == v:
                continue
            if u is not None and v is not None and type(u) is not type(v) and reader is not None:
                if reader.other_value(u, key) == reader.other_value(v, key):
                    continue
            out.append(Change("edited", key))
    return out


#: The order in which a revision's changes are listed.
_ORDER = ("status", "id", "title", "date", "workload", "supersedes", "result", "hypothesis", "pillars")


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return " ".join(str(value).split())


def _supersedes(a: Any, b: Any) -> list[Change]:
    old = [str(x) for x in a] if isinstance(a, list) else []
    new = [str(x) for x in b] if isinstance(b, list) else []
    return [Change("supersedes", "supersedes", None, x) for x in new if x not in old] + [
        Change("supersedes", "supersedes", x, None) for x in old if x not in new
    ]


def _result(a: Any, b: Any) -> list[Change]:
    a = a if isinstance(a, dict) else None
    b = b if isinstance(b, dict) else None
    if a == b:
        return []
    outcome_a = _scalar(a.get("outcome")) if a else None
    outcome_b = _scalar(b.get("outcome")) if b else None
    return [Change("result", "result", outcome_a, outcome_b)]


def _metrics(h: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    if isinstance(h, dict) and isinstance(h.get("metrics"), list):
        for m in h["metrics"]:
            if isinstance(m, dict) and isinstance(m.get("name"), str):
                out.setdefault(m["name"], m)
    return out


def _hypothesis(a: Any, b: Any) -> list[Change]:
    if a == b:
        return []
    out: list[Change] = []
    ma, mb = _metrics(a), _metrics(b)
    for name, m in mb.items():
        unit = u if isinstance(u := m.get("unit"), str) else ""
        if name not in ma:
            out.append(Change("metric", name, None, _scalar(m.get("target"))))
            if m.get("observed") not in (None, ""):
                out.append(Change("observed", name, None, _scalar(m.get("observed")), unit))
            continue
        before = ma[name]
        if before.get("observed") != m.get("observed"):
            old, new = before.get("observed"), m.get("observed")
            out.append(Change("observed", name, None if old == "" else _scalar(old), None if new == "" else _scalar(new), unit))
        if before.get("target") != m.get("target"):
            out.append(Change("target", name, _scalar(before.get("target")), _scalar(m.get("target")), unit))
    out.extend(Change("metric", name, _scalar(m.get("target")), None) for name, m in ma.items() if name not in mb)
    sa = a.get("statement") if isinstance(a, dict) else None
    sb = b.get("statement") if isinstance(b, dict) else None
    if sa != sb:
        out.append(Change("edited", "hypothesis.statement"))
    ra = a.get("review_by") if isinstance(a, dict) else None
    rb = b.get("review_by") if isinstance(b, dict) else None
    if ra != rb:
        out.append(Change("field", "hypothesis.review_by", _scalar(ra), _scalar(rb)))
    return out


def _score(v: Any) -> Any:
    return _scalar(v.get("score")) if isinstance(v, dict) else _scalar(v)


def _pillars(a: Any, b: Any) -> list[Change]:
    a = a if isinstance(a, dict) else {}
    b = b if isinstance(b, dict) else {}
    out: list[Change] = []
    for name in list(b) + [n for n in a if n not in b]:
        old, new = (_score(a[name]) if name in a else None), (_score(b[name]) if name in b else None)
        if old != new:
            out.append(Change("pillar", str(name), old, new))
    return out
