"""Reading the history: one ``git log --raw`` for the paths, each distinct blob once.

The log names, for every file a commit changed, its paths and its blob ids before and
after; :class:`~mkdocs_wa.git.CatFile` then fetches each blob not seen before (one
``git cat-file --batch``) and :class:`~mkdocs_wa.history.parse.Reader` parses it. Parsed
blobs are kept by id: in the memo during ``mkdocs serve`` and as JSON in the cache
folder between builds, so a later read fetches and parses only what is new; the log
itself is kept too, under HEAD, the tags and the paths, so a build after one that saw
the same commits starts no git at all. Why so, with the figures: "Reading git" in
docs/code-architecture.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import os
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence, Set
from pathlib import Path
from typing import Any

from mkdocs_wa import git
from mkdocs_wa.changes import Change
from mkdocs_wa.history.model import FileHistory, History, Milestone, Revision, norm_path
from mkdocs_wa.history.parse import Reader, Snapshot
from mkdocs_wa.memo import NO_MEMO, Memo
from mkdocs_wa.safepath import replace_file
from mkdocs_wa.source.load import read_limited

#: The cache files (parsed blobs; git's log for the last build's HEAD and tags), named
#: anew when their format changes.
_CACHE_FILE = "history-blobs-1.json"
_LOG_FILE = "history-log-2"


def read_history(
    project_root: Path,
    decisions_dir: Path,
    *,
    extra_paths: Sequence[str] = (),
    extra_parser: Callable[[str], Mapping[str, Any] | None] | None = None,
    cache: bool = True,
    memo: Memo = NO_MEMO,
    cache_dir: Path | None = None,
) -> History:
    """Read the history of every decision file under ``decisions_dir``.

    ``project_root`` is what keys are relative to (the folder of ``mkdocs.yml``; the
    repository may start higher up). ``extra_paths`` (project-relative) are other files
    to follow in the same log, e.g. the Markdown ADRs decisions were imported from; they
    need not exist any more. ``extra_parser`` turns such a file's text into decision
    fields (e.g. ``{"status": "accepted"}``) so their changes show. Never raises for a
    missing git, repository or history: see :attr:`History.warning`.

    With ``cache`` (the default), a second read of the same repository with the same
    ``memo`` (``mkdocs serve`` rebuilds) starts no git process while HEAD and the tags
    are unchanged; the working tree is compared again every time, so edits show at once.
    After a commit, only blobs not seen before are fetched and parsed. ``cache_dir``
    keeps the parsed blobs, and git's log for the last HEAD and tags, between builds.
    """
    # The read makes a few hundred thousand objects that all stay: the garbage
    # collector's passes over them free nothing, so it waits until the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read(project_root, decisions_dir, extra_paths, extra_parser, cache, memo, cache_dir)
    finally:
        if collecting:
            gc.enable()


def _read(
    project_root: Path,
    decisions_dir: Path,
    extra_paths: Sequence[str],
    extra_parser: Callable[[str], Mapping[str, Any] | None] | None,
    cache: bool,
    memo: Memo,
    cache_dir: Path | None,
) -> History:
    root = Path(os.path.abspath(project_root))
    ddir = Path(os.path.abspath(decisions_dir if decisions_dir.is_absolute() else root / decisions_dir))
    current = _current_files(root, ddir)
    repo = git.find_repo(ddir if ddir.exists() else root)
    if repo is None:
        return _unavailable(
            "the site was not built from a git repository",
            f"{git.not_a_repository(ddir)}; build from a git clone (with full history) to show each decision's "
            "history and the evolution timeline",
        )
    if repo.top is None:
        return _unavailable("the repository has no working tree", git.BARE)
    if repo.shallow:
        return _unavailable("the site was built from a shallow clone, which lacks the history", f"{git.SHALLOW}; {git.SHALLOW_FIX}")
    top = repo.top
    try:
        ddir_rel = ddir.relative_to(top).as_posix()
    except ValueError:
        return _unavailable("the decisions are not in the git repository", f"{ddir} is outside the repository at {top}")

    # A repository path -> the project-relative key (each worked out once).
    to_key = functools.cache(lambda repo_path: repo_path if root == top else norm_path(os.path.relpath(top / repo_path, root)))

    def to_repo(key: str) -> str | None:
        try:
            return Path(os.path.abspath(root / key)).relative_to(top).as_posix()
        except ValueError:
            return None

    extras = frozenset(p for p in (to_repo(norm_path(k)) for k in extra_paths if k) if p)
    pathspecs = (ddir_rel or ".", *sorted(extras))
    live = frozenset(p for p in (to_repo(k) for k in current) if p)
    reader_key = ("history-reader", str(top), extra_parser, extras)
    state = repo.state if cache else None
    key: Hashable = ("history", str(top), str(root), pathspecs, extra_parser, state)
    read: Any = memo.get(key, lambda: None) if state is not None else None
    # Reusable unless HEAD or tags moved (they are in the key), or a path git knows
    # became a decision file again.
    stale = read is None or bool((live - read[0]) & read[1])
    try:
        # git starts first: it walks while earlier builds' parsed blobs load and the files on
        # disk are parsed (one committed as it is then needs no fetching). With the same HEAD,
        # tags and paths, an earlier build's log is read from the cache folder instead.
        keep = cache_dir / _LOG_FILE if cache_dir is not None and cache else None
        commits = git.log(repo, pathspecs, "--date-order", keep=keep) if stale else ()
        reader = memo.get(reader_key, lambda: _reader(extra_parser, extras, cache_dir))
        known = len(reader.blobs)
        disk = _on_disk(root, current, reader)
        read = (live, *_log(repo, commits, live | extras, reader, to_key)) if stale else read
    except git.GitNotFound:
        return _unavailable(
            "git is not installed",
            f"{git.NO_GIT}; install git to show each decision's history and the evolution timeline",
        )
    except git.GitError as exc:
        return _unavailable("git could not read the history", f"git log failed: {exc}")
    except Exception as exc:  # noqa: BLE001 - a bug here must not stop the build: say so instead
        return _unavailable(
            "its git history could not be read",
            f"reading git's output failed ({type(exc).__name__}: {exc}); please report this as a bug of mkdocs-wa",
        )
    if stale and state is not None:
        memo.put(key, read)
    if stale and cache_dir is not None and len(reader.blobs) > known:  # parsed from git or from disk: kept
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            replace_file(cache_dir / _CACHE_FILE, json.dumps(reader.dump(), ensure_ascii=False, separators=(",", ":")))
        except (OSError, TypeError, ValueError):
            pass  # no cache: the next build reads git again
    _, _, files, milestones, count = read
    return _assemble(disk, files, milestones, count, reader, str(root), str(top))


def _reader(extra_parser: Any, extras: frozenset[str], cache_dir: Path | None) -> Reader:
    reader = Reader(extra_parser, set(extras))
    if cache_dir is not None:
        try:
            reader.load(json.loads((cache_dir / _CACHE_FILE).read_bytes()))
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            reader = Reader(extra_parser, set(extras))  # none yet, or unusable: start again
    return reader


def _log(
    repo: git.Repo, log: Iterable[git.Commit], follow: frozenset[str], reader: Reader, to_key: Callable[[str], str]
) -> tuple[frozenset[str], dict[str, FileHistory], tuple[Milestone, ...], int]:
    """(paths the log named, histories, milestones, commits) from the log.

    The log is walked newest first as git writes it, and the blobs not seen before are
    asked for in batches as the walk meets them: ``git cat-file`` answers (and its blobs
    are parsed) while ``git log`` is still running."""
    state: dict[str, str | None] = {}  # a path at this point of the walk -> its lineage (None: dead)
    seen: set[str] = set()
    found: dict[str, list[tuple[git.Commit, git.FileChange]]] = {}
    tagged: list[tuple[git.Commit, list[str]]] = []
    need: dict[str, str] = {}  # blob id -> a path it was at
    commits = 0

    def walk() -> Iterator[str]:
        nonlocal commits
        for commit in log:
            commits += 1
            touched: list[str] = []
            for change in commit.changes:
                seen.update(p for p in (change.old, change.new) if p is not None)
                lineage = _walk(state, change, follow, reader.extras)
                if lineage is None:
                    continue  # a file that no longer exists: not even fetched
                found.setdefault(lineage, []).append((commit, change))
                touched.append(lineage)
                for blob, path in ((change.new_blob, change.new), (change.old_blob, change.old)):
                    if blob and path and blob not in need and reader.known(blob, path) is None:
                        need[blob] = path
                        yield blob
            if commit.tags:
                tagged.append((commit, touched))

    with git.CatFile(repo) as objects:
        for blob, raw in objects.many(walk()):
            if raw is None:
                raise git.GitError(f"object {blob} is missing (a damaged repository: `git fsck` says more)")
            reader.blob(blob, raw, need[blob])
    files = {to_key(lineage): FileHistory(to_key(lineage), _revisions(items, reader, to_key)) for lineage, items in found.items()}
    milestones = sorted(
        (Milestone(tag, c.sha, git.when(c.committed), tuple(sorted(map(to_key, paths)))) for c, paths in tagged for tag in c.tags),
        key=lambda m: (m.date, m.tag),
    )
    return frozenset(seen), files, tuple(milestones), commits


def _walk(state: dict[str, str | None], e: git.FileChange, live: frozenset[str], extras: Set[str]) -> str | None:
    """The lineage (current path) a change belongs to, updating paths for older commits."""
    if e.new is None:  # deleted here: older versions of e.old belong to no current file...
        assert e.old is not None
        if e.old not in state and e.old in extras:  # ...unless it is followed anyway
            state[e.old] = e.old
            return e.old
        state[e.old] = None
        return None
    lineage = state.get(e.new, e.new if e.new in live else None)
    state[e.new] = lineage
    if e.old is None:  # created here: nothing older at this path belongs to it
        state.pop(e.new, None)
    elif e.old != e.new:  # renamed here: older versions sit at the old path
        state.pop(e.new, None)
        state[e.old] = lineage
    return lineage


def _revisions(items: list[tuple[git.Commit, git.FileChange]], reader: Reader, to_key: Callable[[str], str]) -> tuple[Revision, ...]:
    """One file's revisions, oldest first, each compared with the one before."""
    revisions: list[Revision] = []
    last: Snapshot | None = None  # the latest readable version so far
    for c, e in reversed(items):
        post = reader.known(e.new_blob, e.new) if e.new else None
        pre = reader.known(e.old_blob, e.old) if e.old else None
        pre = pre if pre is not None and pre.fields is not None else last
        changes: list[Change] = []
        if e.old is not None and e.old != e.new:  # deleted, or renamed
            changes.append(Change("renamed", "path", to_key(e.old), to_key(e.new)) if e.new else Change("deleted", "path", to_key(e.old), None))
        changes += reader.changes(pre, post, e.old is None)
        when = git.when(c.authored), git.when(c.committed)
        path = to_key(e.new or e.old or "")
        fields, blocks = (post.fields, post.blocks) if post else (None, ())
        revisions.append(Revision(c.sha, *when, c.author, c.subject, path, tuple(changes), fields, False, c.tags, blocks))
        if post is not None and post.fields is not None:
            last = post
    return tuple(revisions)


def _assemble(
    disk: Mapping[str, _OnDisk | None], committed: Mapping[str, FileHistory], milestones: tuple[Milestone, ...], commits: int,
    reader: Reader, root: str, top: str,
) -> History:
    """The history: committed revisions, the working tree compared with them, one message."""
    files = dict(committed)
    missing: list[str] = []
    for key, found in disk.items():
        files[key] = _with_worktree(files.get(key), key, found, reader)
        if not files[key].committed:
            missing.append(key)
    info = None
    if missing:
        one = len(missing) == 1
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        info = (
            f"{'a decision file is' if one else f'{len(missing)} decision files are'} not committed to git, so "
            f"{'it is shown as a draft' if one else 'they are shown as drafts'} with no history yet: {shown}; commit "
            f"{'it' if one else 'them'} (git add, git commit) to show when each change happened"
        )
    return History(files, milestones, None, None, commits, root, tuple(missing), info, top)


def _unavailable(reason: str, problem: str) -> History:
    return History({}, (), f"no history for the decisions: {problem}", f"No history: {reason}.")


def _current_files(root: Path, ddir: Path) -> list[str]:
    """Decision files on disk (as :func:`mkdocs_wa.source.validate.discover` finds them),
    project-relative; never a FIFO, a device or a link to one (validate reports them)."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(ddir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        names = (os.path.join(dirpath, n) for n in sorted(filenames) if n.endswith((".yaml", ".yml")) and not n.startswith("."))
        out += (norm_path(os.path.relpath(f, root)) for f in names if os.path.isfile(f))
    return out


#: A decision file on disk: its text, its snapshot and when it was last modified.
_OnDisk = tuple[str, Snapshot, float]


def _on_disk(root: Path, current: list[str], reader: Reader) -> dict[str, _OnDisk | None]:
    """The decision files on disk (None: unreadable), each parsed and known to ``reader``
    by its blob id, so that git's copy of a file committed as it is needs no fetching."""
    out: dict[str, _OnDisk | None] = {}
    for key in current:
        try:
            raw = read_limited(root / key)  # never a FIFO or a device (or a link to one), never over 1 MB
            mtime = (root / key).stat().st_mtime
            text = raw.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            out[key] = None
            continue
        oid = git.blob_id(raw)
        out[key] = (text, reader.known(oid, key) or reader.blob(oid, raw, key), mtime)
    return out


def _with_worktree(found: FileHistory | None, key: str, disk: _OnDisk | None, reader: Reader) -> FileHistory:
    """Add an "uncommitted" revision when the file on disk differs from its last commit."""
    revisions = found.revisions if found else ()
    if disk is None:
        return found or FileHistory(key, (), "No history: the file cannot be read.")
    text, snap, mtime = disk
    last = revisions[-1] if revisions else None
    # Line endings may differ (core.autocrlf), and a missing final newline is no change.
    if last is not None and last.text.replace("\r\n", "\n").rstrip("\n") == text.replace("\r\n", "\n").rstrip("\n"):
        return found or FileHistory(key, revisions)
    when = dt.datetime.fromtimestamp(mtime).astimezone()
    base = next((r for r in reversed(revisions) if r.readable), None)
    changes = reader.changes(reader.snapshot(base.text, base.path) if base else None, snap, base is None)
    subject = "uncommitted changes" if revisions else "not committed yet"
    rev = Revision("", when, when, "", subject, key, tuple(changes), snap.fields, True, (), snap.blocks)
    return FileHistory(key, revisions + (rev,), None if revisions else "Not committed yet: this file has no git history.")
