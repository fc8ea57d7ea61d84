"""The git history of every decision file, read with one git process.

:func:`read_history` runs a single ``git log -p -M --unified=<huge>`` over the decisions
tree (through GitPython, streamed). With that much context every file's patch in a
commit is one hunk holding the whole file, so each commit gives the file's complete
text before (context and ``-`` lines) and after (context and ``+`` lines) it. Nothing
has to be replayed from older patches, each commit's field changes are computed against
its own parent even across branches, and ``-M`` makes a renamed or renumbered file keep
its history. Tags come from the same log's ``%D`` decoration.

Why not one ``git log --follow`` per file, or GitPython's ``iter_commits`` with stats:
both start a process per file or per commit, which is what made
mkdocs-git-revision-date-localized-plugin builds many times slower. Why not
``--raw`` and blob reads: that is a second process (``cat-file --batch``) and measured no
faster once the blobs are read.

Parsing every revision of every file as a whole would cost more than git itself, so a
revision is cut into its top-level YAML blocks (``status: ...``, ``result:`` and its
indented lines, ...) and only the blocks whose fields the history tracks are parsed,
each distinct block once (see :class:`_Reader`): a commit that changes a status parses
one line. Anything unusual (flow-style top level, anchors across blocks, quoted scalars
running over lines) falls back to parsing the whole file with
:func:`mkdocs_wa.load.parse_text`, which is also what :attr:`Revision.data` returns.

When history cannot be read (no git, not a repository, a shallow clone, files not
committed) nothing raises: :attr:`History.warning` is one message saying what is missing
and how to fix it, and :attr:`History.reason` a sentence for the pages.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .load import parse_text

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

    def describe(self, name: str | None = None) -> str:
        """Plain text (not escaped) such as ``status: proposed → accepted``; ``name``
        replaces the field's id (e.g. a pillar's name from the lens)."""
        k, f, o, n = self.kind, name or self.field, _show(self.old), _show(self.new)
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


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


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
    #: The file's text, in blocks shared with other revisions (see :attr:`text`).
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
        """The whole file parsed (safely, with :func:`mkdocs_wa.load.parse_text`), or None."""
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

    @property
    def available(self) -> bool:
        return self.reason is None

    def of(self, path: str, imported_from: str | None = None) -> FileHistory:
        """The history of the decision file at ``path`` (project-relative, "/" or os.sep).

        ``imported_from`` (a decision's ``imported_from.path``, project-relative) puts the
        original Markdown file's revisions first, marked with their own path, as long as
        ``read_history`` was given it in ``extra_paths``.
        """
        key = _norm(path)
        found = self.files.get(key)
        if found is None:
            return FileHistory(key, (), self.reason or "No history: this file is not committed yet.")
        if imported_from:
            original = self.files.get(_norm(imported_from))
            if original is not None and original.revisions:
                seen = {r.commit for r in found.revisions if r.commit}
                before = tuple(r for r in original.committed if r.commit not in seen)
                merged = tuple(sorted(before, key=lambda r: r.committed)) + found.revisions
                return FileHistory(key, merged, found.note)
        return found


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
) -> History:
    """Read the history of every decision file under ``decisions_dir`` with one git process.

    ``project_root`` is what keys are relative to (the folder of ``mkdocs.yml``; the
    repository may start higher up). ``extra_paths`` (project-relative) are other files
    to follow in the same log, e.g. the Markdown ADRs decisions were imported from; they
    need not exist any more. ``extra_parser`` turns such a file's text into decision
    fields (e.g. ``{"status": "accepted"}``) so their changes show; without it their
    revisions list no field changes. Never raises for a missing git, repository or
    history: see :attr:`History.warning`.
    """
    root = Path(os.path.abspath(project_root))
    ddir = decisions_dir if decisions_dir.is_absolute() else root / decisions_dir
    ddir = Path(os.path.abspath(ddir))
    current = _current_files(root, ddir)
    extras = [_norm(p) for p in extra_paths if p]

    try:
        import git  # deferred: importing GitPython runs `git version`, and fails without git
    except ImportError:
        return _unavailable(
            "git is not installed",
            "no history for the decisions: git is not installed (or not on PATH); install git to show "
            "each decision's history and the evolution timeline",
        )
    try:
        repo = git.Repo(ddir if ddir.exists() else root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return _unavailable(
            "the site was not built from a git repository",
            f"no history for the decisions: {ddir} is not in a git repository; build from a git clone "
            "(with full history) to show each decision's history and the evolution timeline",
        )
    top = repo.working_tree_dir
    if top is None:
        return _unavailable("the repository has no working tree", "no history for the decisions: the repository is bare")
    top_path = Path(os.path.abspath(top))
    # The shallow marker lives in the repository's own git dir (common dir for a linked
    # worktree), wherever the build runs from.
    if any((Path(d) / "shallow").exists() for d in {repo.git_dir, getattr(repo, "common_dir", repo.git_dir)}):
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
    reader = _Reader(extra_parser, set(extra_repo))
    live = {p for p in (to_repo(k) for k in current) if p}
    try:
        proc = (
            repo.git(c=list(_GIT_CONFIG), literal_pathspecs=True)
            .log(*_LOG_OPTIONS, _FORMAT, "--", *pathspecs, as_process=True)
        )
        commits = reader.feed(_chunks(_drain(proc.stdout)), live)
        proc.wait()
    except git.GitCommandNotFound:
        return _unavailable(
            "git is not installed",
            "no history for the decisions: git is not installed (or not on PATH); install git",
        )
    except git.GitCommandError as exc:
        message = _stderr(exc)
        if "does not have any commits" in message or "bad default revision" in message:
            commits = 0
            reader = _Reader(extra_parser, set(extra_repo))
        else:
            return _unavailable(
                "git could not read the history",
                f"no history for the decisions: git log failed: {message}",
            )

    files: dict[str, FileHistory] = {}
    for repo_path, revisions in reader.lineages().items():
        key = to_key(repo_path)
        files[key] = FileHistory(key, tuple(_rekey(r, to_key) for r in revisions))
    missing: list[str] = []
    for key in current:
        files[key] = _with_worktree(files.get(key), key, root / key, reader)
        if not files[key].committed:
            missing.append(key)
    milestones = tuple(
        Milestone(tag, sha, when, tuple(sorted(to_key(p) for p in paths)))
        for sha, tags, when, paths in reader.tagged
        for tag in tags
    )
    warning = None
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        noun = "a decision file is" if len(missing) == 1 else f"{len(missing)} decision files are"
        warning = (
            f"{noun} not committed to git, so {'it has' if len(missing) == 1 else 'they have'} no history yet: "
            f"{shown}; commit {'it' if len(missing) == 1 else 'them'} (git add, git commit) to show when each change happened"
        )
    return History(files, tuple(sorted(milestones, key=lambda m: (m.date, m.tag))), warning, None, commits)


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
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "--decorate-refs=refs/tags/",
)


def _stderr(exc: Any) -> str:
    text = exc.stderr if isinstance(exc.stderr, str) else str(exc.stderr or exc)
    lines = [ln.strip() for ln in text.replace("stderr:", "").strip().strip("'").splitlines() if ln.strip()]
    return lines[0] if lines else str(exc)


def _unavailable(reason: str, warning: str) -> History:
    return History({}, (), warning, f"No history: {reason}.")


def _current_files(root: Path, ddir: Path) -> list[str]:
    """Decision files on disk (as :func:`mkdocs_wa.validate.discover` finds them), project-relative."""
    out: list[str] = []
    if not ddir.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(ddir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                out.append(_norm(os.path.relpath(os.path.join(dirpath, name), root)))
    return out


def _drain(stream: Any, size: int = 1 << 16) -> Iterator[bytes]:
    """Git's output as it comes, read by a thread so that git never waits on a full pipe
    while this process parses (git and the parser then run on two cores)."""
    out: queue.SimpleQueue[bytes | BaseException | None] = queue.SimpleQueue()

    def pump() -> None:
        try:
            while block := stream.read1(size) if hasattr(stream, "read1") else stream.read(size):
                out.put(block)
        except BaseException as exc:  # handed to the reading side
            out.put(exc)
        out.put(None)

    thread = threading.Thread(target=pump, name="mkdocs-wa-git-log", daemon=True)
    thread.start()
    while (item := out.get()) is not None:
        if isinstance(item, BaseException):
            raise item
        yield item
    thread.join()


def _chunks(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """Whole commits (header line and patches) from git's output, as it streams."""
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


def _rekey(r: Revision, to_key: Callable[[str], str]) -> Revision:
    changes = tuple(
        Change(c.kind, c.field, to_key(c.old), to_key(c.new)) if c.kind == "renamed" else c for c in r.changes
    )
    return Revision(
        r.commit, r.date, r.committed, r.author, r.subject, to_key(r.path), changes, r.fields, r.uncommitted, r.tags, r.blocks
    )


def _with_worktree(found: FileHistory | None, key: str, file: Path, reader: _Reader) -> FileHistory:
    """Add an "uncommitted" revision when the file on disk differs from its last commit."""
    revisions = found.revisions if found else ()
    try:
        raw = file.read_bytes()
        stat = file.stat()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return found or FileHistory(key, (), "No history: the file cannot be read.")
    last = revisions[-1] if revisions else None
    if last is not None and _same(last.text, text):
        return found or FileHistory(key, revisions)
    when = dt.datetime.fromtimestamp(stat.st_mtime).astimezone()
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
#: A line at column 0 that is not a comment: a top-level key (group 1) and the first
#: character of its value on the same line (group 2), or no key (not a plain mapping).
_TOP = re.compile(r"\n(?=[^ #\n\r])(?:([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?![^ \t\r\n])[ \t]*(.?))?")
#: A value starting with one of these may run over several lines at column 0 or refer to
#: another block (anchors, aliases, tags), so its block is parsed to be sure of the cut.
_RISKY = frozenset("\"'[{&*!")
_TRACKED = frozenset(TRACKED)


@dataclass(frozen=True)
class _Snapshot:
    """One version of a file: its text in blocks, tracked values, and the other fields."""

    blocks: tuple[str, ...]
    fields: Mapping[str, Any] | None
    #: Untracked top-level fields: ("t", block text) or ("v", parsed value).
    others: Mapping[str, tuple[str, Any]]


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
#: A key whose value is on the following lines (a nested mapping or sequence).
_CONTAINER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*[ \t]*:[ \t]*(?:#[^\n]*)?\r?\n")


class _Reader:
    """Turns ``git log -p`` output into per-file revisions.

    Parsing is cached by text at every level of nesting: a top-level block, each entry
    of a nested mapping (a pillar's line) and each item of a nested sequence (a
    metric). A commit that changes one observed value parses one metric item; a block
    that did not change is looked up, not parsed. Each piece is parsed with
    :func:`~mkdocs_wa.load.parse_text`; if any piece fails, the enclosing block, then
    the whole file, is parsed as one, so the values are always what a whole-file parse
    gives.
    """

    def __init__(self, extra_parser: Callable[[str], Mapping[str, Any] | None] | None, extras: set[str]) -> None:
        self.extra_parser = extra_parser
        self.extras = extras
        #: text of a block, entry or item -> its parsed value (or _BROKEN)
        self.values: dict[str, Any] = {}
        #: one shared string per distinct block, so revisions keep their text cheaply
        self.canon: dict[str, str] = {}
        #: text before a commit -> the entries waiting for the snapshot of that text
        self.pending: dict[bytes, list[_Entry]] = {}
        #: path at this point of the walk (newest first) -> its lineage's current path (None: dead)
        self.state: dict[str, str | None] = {}
        #: lineage -> (commit header, entry), newest first
        self.found: dict[str, list[tuple[tuple[str, ...], _Entry]]] = {}
        self.tagged: list[tuple[str, tuple[str, ...], dt.datetime, list[str]]] = []
        self.live: set[str] = set()

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
                old, new, pre, post, binary = patch
                entry = _Entry(old, new, None, None)
                lineage = self._walk(entry)
                if lineage is None:
                    continue  # a file that no longer exists: not even parsed
                if binary:
                    entry.pre = _UNREADABLE if old else None
                    entry.post = _UNREADABLE if new else None
                else:
                    if post is not None:
                        entry.post = self._snap(post, new)
                        for waiting in self.pending.pop(post, ()):
                            waiting.pre = entry.post
                    if pre is not None:
                        # The text before this commit is usually the text after the
                        # file's previous commit, which comes later in the log: wait for it.
                        self.pending.setdefault(pre, []).append(entry)
                self.found.setdefault(lineage, []).append((head, entry))
                touched.append(lineage)
            if tags:
                self.tagged.append((sha, tags, _date(cdate), touched))
        for raw, entries in self.pending.items():  # e.g. the other side of a merge
            snap = self._snap(raw, entries[0].old)
            for waiting in entries:
                waiting.pre = snap
        self.pending.clear()
        return count

    def _walk(self, e: _Entry) -> str | None:
        """The lineage (current path) this entry belongs to, updating paths for older commits."""
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

    def lineages(self) -> dict[str, list[Revision]]:
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
                    changes.append(Change("deleted", "path", e.old, None))
                elif e.old != e.new:
                    changes.append(Change("renamed", "path", e.old, e.new))
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
                        e.new or e.old or lineage,
                        tuple(changes),
                        post.fields if post else None,
                        False,
                        tuple(t for t in tags.split(",") if t),
                        post.blocks if post else (),
                    )
                )
                if post is not None and post.fields is not None:
                    last = post
            out[lineage] = revisions
        return out

    # parsing

    def _snap(self, raw: bytes, path: str | None) -> _Snapshot:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _UNREADABLE
        return self.snapshot(text, path or "")

    def snapshot(self, text: str, path: str) -> _Snapshot:
        """The tracked values (and other fields) of one version of a file."""
        if not _is_yaml(path):  # an original Markdown ADR: only its own parser knows it
            data = self.extra_parser(text) if self.extra_parser else {}
            if not isinstance(data, Mapping):
                return _Snapshot((text,), None, {})
            return _Snapshot((text,), {k: data[k] for k in TRACKED if k in data}, {})
        text = text.removeprefix("\ufeff")
        pieces = _split(text)
        if pieces is not None:
            fields: dict[str, Any] = {}
            others: dict[str, tuple[str, Any]] = {}
            values = self.values
            for key, block, first in pieces:
                if key is None:
                    continue
                if key in _TRACKED or first in _RISKY:
                    value = values.get(block, _MISSING)
                    if value is _MISSING:
                        value = self.value(block, key)
                    if value is _BROKEN:
                        break
                    if key in _TRACKED:
                        fields[key] = value
                    else:
                        others[key] = ("v", value)
                else:
                    others[key] = ("t", block.rstrip())
            else:
                canon = self.canon
                return _Snapshot(tuple([canon.setdefault(b, b) for _, b, _ in pieces]), fields, others)
        doc, _ = parse_text(text, path)
        if doc is None or not isinstance(doc.data, dict):
            return _Snapshot((text,), None, {})
        data = doc.data
        return _Snapshot(
            (text,),
            {k: data[k] for k in TRACKED if k in data},
            {k: ("v", v) for k, v in data.items() if k not in TRACKED},
        )

    def value(self, text: str, key: str) -> Any:
        """The value of ``key: ...`` (text starting at column 0), or _BROKEN."""
        found = self.values.get(text, _MISSING)
        if found is not _MISSING:
            return found
        value: Any = _BROKEN
        m = _CONTAINER.match(text)
        if m is not None and text[m.end() :].strip():
            value = self._nested(text[m.end() :])
        if value is _BROKEN:
            doc, _ = parse_text(text, "")
            if doc is not None and isinstance(doc.data, dict) and list(doc.data) == [key]:
                value = doc.data[key]
        self.values[text] = value
        return value

    def _item(self, text: str) -> Any:
        """The value of a sequence item (``- ...`` at column 0), or _BROKEN."""
        found = self.values.get(text, _MISSING)
        if found is not _MISSING:
            return found
        doc, _ = parse_text(text, "")
        value = doc.data[0] if doc is not None and isinstance(doc.data, list) and len(doc.data) == 1 else _BROKEN
        self.values[text] = value
        return value

    def _nested(self, body: str) -> Any:
        """A nested block mapping or sequence, each entry parsed (and cached) alone."""
        lines = body.splitlines(keepends=True)
        indent = -1
        seq = False
        starts: list[int] = []
        for i, line in enumerate(lines):
            stripped = line.lstrip(" ")
            if not stripped.strip() or stripped.startswith("#"):
                continue
            n = len(line) - len(stripped)
            if indent < 0:
                indent = n
                seq = stripped.startswith("-") and stripped[1:2] in (" ", "\n", "\r")
                if indent == 0 and not seq:
                    return _BROKEN
            if n < indent:
                return _BROKEN
            if n == indent:
                if seq != (stripped.startswith("-") and stripped[1:2] in (" ", "\n", "\r")):
                    return _BROKEN
                if not seq and not _KEY_LINE.match(stripped):
                    return _BROKEN
                starts.append(i)
        if not starts:
            return _BROKEN
        starts.append(len(lines))
        pad = " " * indent
        values: list[Any] = []
        keys: list[str] = []
        for a, b in zip(starts, starts[1:]):
            piece = "".join(ln[indent:] if ln.startswith(pad) else ln.lstrip(" ") for ln in lines[a:b])
            if seq:
                value = self._item(piece)
            else:
                key = _KEY_LINE.match(piece)[1]  # type: ignore[index]
                keys.append(key)
                value = self.value(piece, key)
            if value is _BROKEN:
                return _BROKEN
            values.append(value)
        if seq:
            return values
        if len(set(keys)) != len(keys):
            return _BROKEN  # a duplicate key: the whole parse reports it
        return dict(zip(keys, values))

    def other_value(self, item: tuple[str, Any], key: str) -> Any:
        kind, value = item
        if kind == "v":
            return value
        parsed = self.value(value + "\n", key)
        return None if parsed is _BROKEN else parsed


def _is_yaml(path: str | None) -> bool:
    return bool(path) and path.endswith((".yaml", ".yml"))  # type: ignore[union-attr]


def _split(text: str) -> list[tuple[str | None, str, str]] | None:
    """Top-level blocks as (key, text, first character of the value on the key's line);
    None when the file is not simply a block mapping with plain keys."""
    found = list(_TOP.finditer("\n" + text))  # match.start() is then the line's offset in text
    if not found:
        return [(None, text, "")] if text else []
    pieces: list[tuple[str | None, str, str]] = []
    first = found[0].start()
    if first > 0:
        pieces.append((None, text[:first], ""))
    ends = [m.start() for m in found[1:]] + [len(text)]
    seen: set[str] = set()
    for m, end in zip(found, ends):
        key = m[1]
        if key is None or key in seen:
            return None  # not a plain key, or a duplicate one: the whole-file parse judges
        seen.add(key)
        pieces.append((key, text[m.start() : end], m[2]))
    return pieces


def _patch(block: bytes) -> tuple[str | None, str | None, bytes | None, bytes | None, bool] | None:
    """One file's patch (after ``diff --git ``): old and new path, both texts, binary or not."""
    lines = block.split(b"\n")
    old: str | None = ""
    new: str | None = ""
    created = deleted = binary = False
    rename_from = rename_to = None
    minus = plus = None
    i = 1
    n = len(lines)
    while i < n:
        line = lines[i]
        if line.startswith(b"@@"):
            break
        if line.startswith(b"--- "):
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
        i += 1
    hunk = lines[i + 1 :] if i < n else []
    old = rename_from or (minus if minus is not None else None)
    new = rename_to or (plus if plus is not None else None)
    if old is None or new is None:
        same = _same_path(lines[0])
        old = old or same
        new = new or same
    if created:
        old = None
    if deleted:
        new = None
    if old is None and new is None:
        return None
    if binary:
        return old, new, None, None, True
    if hunk and hunk[-1] == b"":
        hunk.pop()
    pre = b"\n".join([ln[1:] for ln in hunk if ln[:1] == b" " or ln[:1] == b"-"]) + b"\n" if old is not None else None
    post = b"\n".join([ln[1:] for ln in hunk if ln[:1] == b" " or ln[:1] == b"+"]) + b"\n" if new is not None else None
    if not hunk:
        # No hunk: an empty file, or a pure rename / mode change (the text is unchanged).
        if created:
            post = b""
        elif old is not None and new is not None:
            pre = post = None
    return old, new, pre, post, False


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
        return dt.datetime.fromtimestamp(0, dt.timezone.utc)


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
            if u is not None and v is not None and u[0] != v[0] and reader is not None:
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
        if name not in ma:
            out.append(Change("metric", name, None, _scalar(m.get("target"))))
            if m.get("observed") not in (None, ""):
                out.append(Change("observed", name, None, _scalar(m.get("observed"))))
            continue
        before = ma[name]
        if before.get("observed") != m.get("observed"):
            old, new = before.get("observed"), m.get("observed")
            out.append(Change("observed", name, None if old == "" else _scalar(old), None if new == "" else _scalar(new)))
        if before.get("target") != m.get("target"):
            out.append(Change("target", name, _scalar(before.get("target")), _scalar(m.get("target"))))
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
