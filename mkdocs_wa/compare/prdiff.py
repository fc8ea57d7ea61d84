"""What the decisions changed since a git revision, for a pull-request comment.

:func:`read_base` loads the decisions as they were at a revision, :func:`read_worktree`
as they are now, :func:`diff_catalogs` compares them (new, changed and removed
decisions, status changes, pillar score changes per workload, feedback loops opened and
closed) and :func:`diff_markdown` / :func:`diff_json` render the result.

Reading the base costs one git process: a single ``git cat-file --batch``
(:class:`mkdocs_wa.git.CatFile`) is asked for the commit, then for each tree under the
decisions folder and each decision file's blob, as the walk finds them. Why not
``git archive``: it applies ``export-ignore``/``export-subst`` attributes, so it can hide
or rewrite files. Why not ``git ls-tree`` + ``git cat-file``: two processes. Why not a
library that parses revisions itself: it misses forms git accepts (``@{upstream}``,
``main@{1}``, ``:/message``); cat-file lets git resolve the name.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mkdocs_wa import git
from mkdocs_wa.analysis.changes import decision_fields, describe_change, pillar_label
from mkdocs_wa.analysis.loops import DEFAULT_REVIEW_DAYS, Loop, open_loops
from mkdocs_wa.analysis.scores import workload_scores
from mkdocs_wa.changes import Change, field_changes
from mkdocs_wa.diagnostics import Diagnostic, error, sort_key
from mkdocs_wa.model import Catalog, Decision, Lens
from mkdocs_wa.nouns import count
from mkdocs_wa.source.load import MAX_BYTES, parse_bytes
from mkdocs_wa.source.names import file_number, format_id, split_id
from mkdocs_wa.source.validate import build_decision, cross_check, load_catalog
from mkdocs_wa.text import esc as _esc

#: A pull-request comment is read by GitHub (or GitLab), which turns "@name" into a
#: mention (a notification to that person or team) and bare URLs into links. In text
#: from decision files a word joiner (U+2060, invisible) breaks both.
_MENTION = re.compile(r"@(?=[A-Za-z0-9_])")
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=:/)|(?<=www)(?=\.)")
_JOINER = "\u2060"


def esc(text: object) -> str:
    """:func:`mkdocs_wa.text.esc`, and no mention or bare link."""
    return _AUTOLINK.sub(_JOINER, _MENTION.sub("@" + _JOINER, _esc(text)))


class DiffError(Exception):
    """A problem with the request (not a git repository, an unknown revision...)."""


@dataclass(frozen=True)
class Snapshot:
    """The decisions at one point: a revision or the working tree."""

    catalog: Catalog
    diagnostics: tuple[Diagnostic, ...] = ()
    #: What the user named (``main``, ``HEAD~3``) or "working tree".
    label: str = "working tree"
    commit: str = ""
    date: dt.datetime | None = None
    #: False when the decisions folder did not exist at the revision.
    found: bool = True

    @property
    def error_paths(self) -> tuple[str, ...]:
        return tuple(sorted({d.path for d in self.diagnostics if d.is_error}))


# --- reading ------------------------------------------------------------------------------


def _repo(path: Path) -> git.Repo:
    try:
        return git.open_repo(path)
    except git.GitError as exc:
        raise DiffError(f"{exc}: diff compares the decisions with a git revision") from None


def repo_root(path: Path) -> Path:
    """The top of the working tree that holds ``path``."""
    top = _repo(path).top
    assert top is not None  # open_repo refuses a bare repository
    return top


def _relative(path: Path, root: Path) -> str:
    full = Path(os.path.abspath(path))
    try:
        rel = full.relative_to(root).as_posix()
    except ValueError:
        raise DiffError(f"{path} is outside the git repository at {root}") from None
    return "" if rel == "." else rel


def _parse_commit(data: bytes) -> tuple[str, dt.datetime | None]:
    """The tree id and committer date of a raw commit object."""
    tree, when = "", None
    for line in data.split(b"\n\n", 1)[0].split(b"\n"):
        if line.startswith(b"tree "):
            tree = line[5:].decode("ascii")
        elif line.startswith(b"committer "):
            try:
                stamp, offset = line.rsplit(b" ", 2)[1:]
                sign = -1 if offset.startswith(b"-") else 1
                minutes = int(offset[1:3]) * 60 + int(offset[3:5])
                tz = dt.timezone(sign * dt.timedelta(minutes=minutes))
                when = dt.datetime.fromtimestamp(int(stamp), tz)
            except (ValueError, IndexError, OverflowError, OSError):  # a forged date: unknown
                when = None
    return tree, when


def read_base(
    rev: str,
    path: Path,
    lens: Lens,
    *,
    root: Path | None = None,
    reuse: Mapping[str, Decision] | None = None,
) -> Snapshot:
    """The decisions under ``path`` (a folder or file of the working tree) as they were
    at revision ``rev``, checked like :func:`mkdocs_wa.source.validate.load_catalog` does.

    Paths in the result are relative to the repository's top (or ``root``).
    ``reuse`` maps such paths to decisions already loaded from the working tree: a file
    whose bytes on disk have the blob id it had at ``rev`` is not read nor parsed again
    (in a pull request most files are unchanged, and parsing is the cost).
    Raises :class:`DiffError` for a missing repository or an unknown revision.
    """
    if not rev or "\n" in rev or "\r" in rev:
        raise DiffError(f"{rev!r} is not a revision")
    repo = _repo(path)
    top = repo.top
    assert top is not None
    show = root or top
    rel = _relative(path, top)
    try:
        # One `git cat-file --batch` answers every request below.
        with git.CatFile(repo) as objects:
            found = objects.read(f"{rev}^{{commit}}")
            if found is None:
                hint = f"{git.SHALLOW}: {git.SHALLOW_FIX}" if repo.shallow else "in CI, fetch it first, e.g. `git fetch origin main`"
                raise DiffError(f"unknown revision '{rev}': no commit by that name in {top} ({hint})")
            commit, _, data = found
            tree, when = _parse_commit(data)
            width = len(commit)

            def read(oid: str) -> bytes:
                got = objects.read(oid)
                if got is None:
                    raise DiffError(f"object {oid} is missing from {top} (a damaged repository: `git fsck` says more)")
                return got[2]

            # Walk down to the decisions folder (or file), then collect YAML files under it.
            oid, mode = tree, git.TREE_MODE
            for part in [p for p in rel.split("/") if p]:
                match = next(((m, o) for m, name, o in git.parse_tree(read(oid), width) if name == part), None) if mode == git.TREE_MODE else None
                if match is None:
                    oid = ""
                    break
                mode, oid = match
            base_rel = rel if oid and mode == git.TREE_MODE else posixpath.dirname(rel)

            def display(sub: str) -> str:
                return Path(os.path.relpath(top / base_rel / sub, show)).as_posix()

            def unchanged(sub: str, blob: str) -> Decision | None:
                known = (reuse or {}).get(display(sub))
                if known is None:
                    return None
                try:
                    data = (show / known.path).read_bytes()
                except OSError:
                    return None
                return known if git.blob_id(data, len(blob)) == blob else None

            # (path under the decisions folder, content or None, the reused decision)
            files: list[tuple[str, bytes | None, Decision | None]] = []

            def add(sub: str, blob: str) -> None:
                known = unchanged(sub, blob)
                files.append((sub, None, known) if known else (sub, read(blob), None))

            if oid and mode in git.BLOB_MODES:
                add(posixpath.basename(rel), oid)
            elif oid and mode == git.TREE_MODE:
                stack = [("", oid)]
                while stack:
                    prefix, tree_oid = stack.pop()
                    for m, name, sha in git.parse_tree(read(tree_oid), width):
                        if name.startswith("."):
                            continue  # hidden, as discover() skips them
                        sub = f"{prefix}{name}"
                        if m == git.TREE_MODE:
                            stack.append((sub + "/", sha))
                        elif m in git.BLOB_MODES and name.endswith((".yaml", ".yml")):
                            add(sub, sha)
                        # symbolic links and submodules are not followed at a revision
    except git.GitError as exc:
        raise DiffError(str(exc)) from None
    catalog, diags = _catalog(files, display, lens)
    return Snapshot(catalog, tuple(diags), rev, commit, when, found=bool(oid))


def _catalog(
    files: list[tuple[str, bytes | None, Decision | None]], display: Callable[[str], str], lens: Lens
) -> tuple[Catalog, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    decisions: list[Decision] = []
    for sub, raw, known in sorted(files, key=lambda f: f[0]):
        if known is not None:
            # Same bytes as now: the same decision, but superseded_by is derived again below.
            decisions.append(replace(known, superseded_by=()))
            continue
        assert raw is not None
        name = display(sub)
        if len(raw) > MAX_BYTES:  # as read_yaml refuses it in the working tree
            diags.append(error(name, 1, 1, f"file is {len(raw):,} bytes; decision files are limited to {MAX_BYTES:,} bytes", "file"))
            continue
        doc, problems = parse_bytes(raw, name)
        diags.extend(problems)
        if doc is None:
            continue
        parts = sub.split("/")
        decision, problems = build_decision(doc, lens, parts[0] if len(parts) > 1 else None)
        diags.extend(problems)
        if decision is not None:
            decisions.append(decision)
    decisions.sort(key=lambda d: (d.workload, d.date, d.id))
    decisions, problems = cross_check(decisions)
    diags.extend(problems)
    return Catalog(tuple(decisions), lens), sorted(diags, key=sort_key)


def read_worktree(path: Path, lens: Lens, *, root: Path) -> Snapshot:
    """The decisions under ``path`` now, with paths relative to ``root``."""

    def display(file: Path) -> str:
        try:
            return Path(os.path.abspath(file)).relative_to(root).as_posix()
        except ValueError:
            return file.as_posix()

    catalog, diags = load_catalog([path], lens, display=display)
    return Snapshot(catalog, tuple(diags), "working tree")


# --- comparing ---------------------------------------------------------------------------

#: Fields compared between the two sides (``superseded_by`` follows from others).
_COMPARED = tuple(f.name for f in fields(Decision) if f.name not in ("source", "superseded_by", "path", "id"))


@dataclass(frozen=True)
class DecisionChange:
    before: Decision
    after: Decision
    #: Names of the fields that differ (``path`` when the file moved).
    fields: tuple[str, ...]
    #: What changed, in words (plain text, not escaped).
    details: tuple[str, ...]

    @property
    def status_changed(self) -> bool:
        return self.before.status != self.after.status


@dataclass(frozen=True)
class ScoreChange:
    pillar: str
    name: str
    before: int | None
    after: int | None

    @property
    def delta(self) -> int | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class WorkloadScores:
    workload: str
    #: The latest iteration on each side (None: none).
    before: Decision | None
    after: Decision | None
    changes: tuple[ScoreChange, ...]


@dataclass(frozen=True)
class LoopChange:
    decision: Decision
    #: "opened" or "closed".
    kind: str
    #: Why it closed ("result recorded: confirmed", "status: accepted → superseded", ...),
    #: or when an opened loop's result is due.
    reason: str
    loop: Loop | None = None


@dataclass(frozen=True)
class Clash:
    """An id that the base gives to another decision: two branches picked the same number.

    Git merges the two files cleanly (they have different names); the site would then
    hold the id twice. ``free_id`` is the next id free on both sides.
    """

    base: Decision
    head: Decision
    free_id: str


@dataclass(frozen=True)
class DecisionDiff:
    base: Snapshot
    head: Snapshot
    today: dt.date
    added: tuple[Decision, ...] = ()
    changed: tuple[DecisionChange, ...] = ()
    removed: tuple[Decision, ...] = ()
    #: Decisions of the base whose file now has errors (so they are not "removed").
    broken: tuple[Decision, ...] = ()
    scores: tuple[WorkloadScores, ...] = ()
    loops_opened: tuple[LoopChange, ...] = ()
    loops_closed: tuple[LoopChange, ...] = ()
    #: Head decisions that still have an open loop (for the totals).
    still_open: int = 0
    #: Ids given to another decision on the base (see :class:`Clash`).
    clashes: tuple[Clash, ...] = ()

    @property
    def status_changes(self) -> tuple[DecisionChange, ...]:
        return tuple(c for c in self.changed if c.status_changed)

    @property
    def empty(self) -> bool:
        return not (
            self.added or self.changed or self.removed or self.broken or self.scores or self.loops_opened
            or self.loops_closed or self.clashes
        )


def _details(before: Decision, after: Decision, lens: Lens) -> tuple[str, ...]:
    """What changed, in the words of the history pages (:mod:`mkdocs_wa.analysis.changes`)."""
    changes = list(field_changes(decision_fields(before), decision_fields(after)))
    if before.path != after.path:
        changes.insert(0, Change("renamed", "path", before.path, after.path))
    return tuple(describe_change(c, pillar_label(lens, c)) for c in changes)


def _compare(before: Decision, after: Decision, lens: Lens) -> DecisionChange | None:
    changed = [name for name in _COMPARED if getattr(before, name) != getattr(after, name)]
    moved = before.path != after.path
    if not changed and not moved:
        return None
    return DecisionChange(before, after, tuple((["path"] if moved else []) + changed), _details(before, after, lens))


def is_clash(before: Decision, after: Decision) -> bool:
    """The same id for another decision: in another file, with another title or date.

    A file renamed (same title and date) or a decision edited in place (same file) is a
    change; two different files that disagree on what the id names are two decisions.
    """
    return before.path != after.path and (before.title != after.title or before.date != after.date)


def next_free_id(decision_id: str, *catalogs: Catalog, workload: str) -> str:
    """The id after the highest number any of ``catalogs`` uses in ``workload`` (by ids
    and file names), with ``decision_id``'s prefix: free on every side."""
    parts = split_id(decision_id)
    prefix = parts[0] if parts else decision_id
    taken = [0]
    for catalog in catalogs:
        for d in catalog.decisions:
            if d.workload != workload:
                continue
            if (p := split_id(d.id)) is not None:
                taken.append(p[1])
            if (n := file_number(d.slug)) is not None:
                taken.append(n)
    return format_id(prefix, max(taken) + 1)


def _latest_scores(catalog: Catalog, workload: str) -> tuple[Decision | None, dict[str, int]]:
    steps = workload_scores(catalog, workload)
    return (steps[-1].item, dict(steps[-1].after)) if steps else (None, {})


def diff_catalogs(
    base: Snapshot, head: Snapshot, today: dt.date, *, default_review_days: int = DEFAULT_REVIEW_DAYS
) -> DecisionDiff:
    """Everything that differs between two snapshots, loops judged on ``today``."""
    old = base.catalog.by_id()
    new = head.catalog.by_id()
    broken_paths = set(head.error_paths)
    added = tuple(d for d in head.catalog.decisions if d.id not in old)
    gone = [d for d in base.catalog.decisions if d.id not in new]
    removed = tuple(d for d in gone if d.path not in broken_paths)
    broken = tuple(d for d in gone if d.path in broken_paths)
    clashes = tuple(
        Clash(old[d.id], d, next_free_id(d.id, base.catalog, head.catalog, workload=d.workload))
        for d in head.catalog.decisions
        if d.id in old and is_clash(old[d.id], d)
    )
    clashed = {c.head.id for c in clashes}
    changed = tuple(
        c for d in head.catalog.decisions
        if d.id in old and d.id not in clashed and (c := _compare(old[d.id], d, head.catalog.lens))
    )

    lens = head.catalog.lens
    scores: list[WorkloadScores] = []
    for workload in sorted(set(base.catalog.workloads()) | set(head.catalog.workloads())):
        was, before = _latest_scores(base.catalog, workload)
        now, after = _latest_scores(head.catalog, workload)
        order = [p for p in lens.pillar_ids if p in before or p in after] + sorted((set(before) | set(after)) - set(lens.pillar_ids))
        moved = tuple(
            ScoreChange(p, pillar.name if (pillar := lens.pillar(p)) else p, before.get(p), after.get(p))
            for p in order
            if before.get(p) != after.get(p)
        )
        if moved or (was and was.id) != (now and now.id):
            scores.append(WorkloadScores(workload, was, now, moved))

    base_loops = {lp.decision.id: lp for lp in open_loops(base.catalog, today, default_review_days=default_review_days)}
    head_loops = {lp.decision.id: lp for lp in open_loops(head.catalog, today, default_review_days=default_review_days)}
    opened = tuple(
        LoopChange(lp.decision, "opened", f"result due {lp.due.isoformat()}", lp)
        for i, lp in head_loops.items()
        if i not in base_loops
    )
    closed = []
    for i, lp in base_loops.items():
        if i in head_loops:
            continue
        now_d = new.get(i)
        if now_d is None:
            reason = "decision has errors now" if lp.decision.path in broken_paths else "decision removed"
        elif now_d.result is not None:
            reason = describe_change(Change("result", "result", None, now_d.result.outcome))
        elif now_d.status != lp.decision.status:
            reason = describe_change(Change("status", "status", lp.decision.status, now_d.status))
        else:
            reason = "hypothesis removed"
        closed.append(LoopChange(now_d or lp.decision, "closed", reason))
    return DecisionDiff(
        base=base,
        head=head,
        today=today,
        added=added,
        changed=changed,
        removed=removed,
        broken=broken,
        scores=tuple(scores),
        loops_opened=opened,
        loops_closed=tuple(closed),
        still_open=len(head_loops),
        clashes=clashes,
    )


def diff_revision(
    rev: str,
    path: Path,
    lens: Lens,
    today: dt.date,
    *,
    default_review_days: int = DEFAULT_REVIEW_DAYS,
) -> DecisionDiff:
    """Compare the decisions under ``path`` at ``rev`` with the working tree."""
    root = repo_root(path)
    head = read_worktree(path, lens, root=root) if path.exists() else Snapshot(Catalog((), lens))
    base = read_base(rev, path, lens, root=root, reuse={d.path: d for d in head.catalog.decisions})
    return diff_catalogs(base, head, today, default_review_days=default_review_days)


# --- rendering ------------------------------------------------------------------------------


def _d(d: Decision, link: Callable[[str], str]) -> str:
    target = link(d.path)
    title = f"[{esc(d.title)}]({target})" if target else esc(d.title)
    return f"**{esc(d.id)}** {title}"


def _code(text: str) -> str:
    """Inline code for a revision or path; escaped text when it holds a backtick."""
    one_line = " ".join(text.split())
    return f"`{one_line}`" if "`" not in one_line and one_line else esc(one_line)


def _table(headers: Sequence[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    out += ["| " + " | ".join(c.replace("\n", " ") for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def _arrow(delta: int | None, after: int | None) -> str:
    if after is None:
        return "no longer rated"
    if delta is None:
        return "newly rated"
    if delta > 0:
        return f"▲ up {delta}"
    if delta < 0:
        return f"▼ down {-delta}"
    return "= no change"


def _score(value: int | None) -> str:
    return "–" if value is None else f"{value}/5"


def _loop_text(lc: LoopChange) -> str:
    lp = lc.loop
    if lp is None:
        return esc(lc.reason)
    state = f"**overdue by {count(lp.days_overdue, 'day')}**" if lp.overdue else f"due in {count(lp.days_left, 'day')}"
    return f"{esc(lc.reason)} ({state})"


def diff_markdown(diff: DecisionDiff, *, link_prefix: str = "") -> str:
    """Markdown for a pull-request comment. Decision titles link to their files: the
    paths are relative to the repository's top, prefixed with ``link_prefix`` (e.g.
    ``https://github.com/org/repo/blob/<sha>/``); an empty prefix keeps them relative."""

    def link(path: str) -> str:
        return link_prefix + quote(path, safe="/")

    base = diff.base
    where = _code(base.label)
    out = [f"## Architecture decisions: changes since {where}\n"]
    commit = f" (commit `{base.commit[:12]}`" + (f", {base.date.date().isoformat()})" if base.date else ")") if base.commit else ""
    out.append(f"Compared with {where}{commit}; feedback loops judged on {diff.today.isoformat()}.\n")
    counts = [
        f"{len(diff.added)} new",
        f"{len(diff.changed)} changed",
        f"{len(diff.removed)} removed",
        f"{count(len(diff.status_changes), 'status change')}",
        f"{count(len(diff.loops_opened), 'loop')} opened",
        f"{len(diff.loops_closed)} closed",
    ]
    if diff.clashes:
        counts.insert(0, f"⚠ {count(len(diff.clashes), 'id clash')}")
    out.append("**" + " · ".join(counts) + f"** · {count(diff.still_open, 'loop')} open now\n")
    if not base.found:
        out.append(f"The decisions folder did not exist at {where}: every decision is new.\n")
    if diff.head.error_paths:
        files = ", ".join(_code(p) for p in diff.head.error_paths)
        n = len(diff.head.error_paths)
        out.append(f"⚠ **{count(n, 'file')} with errors {'is' if n == 1 else 'are'} left out:** {files}. Run `mkdocs-wa validate`.\n")
    if diff.empty:
        out.append(f"No decision changed since {where}.\n")
        return "\n".join(out)
    if diff.clashes:
        out.append("### ⚠ Id clashes\n")
        out.append(
            f"These ids name another decision at {where}: another branch took the same number. Git merges both "
            "files without a conflict, and the site would then hold the id twice. Renumber the decision of this "
            "change (it renames the file and rewrites every reference to it):\n"
        )
        rows = [
            [
                _d(c.head, link),
                f"**{esc(c.base.id)}** {esc(c.base.title)} ({_code(c.base.path)})",
                _code(f"mkdocs-wa renumber {c.head.id} {c.free_id}"),
            ]
            for c in diff.clashes
        ]
        out.append(_table(["Here", f"At {where}", "Fix"], rows))
    if diff.added:
        out.append("### New decisions\n")
        out.append(_table(["Decision", "Workload", "Status", "Date"], [[_d(d, link), esc(d.workload), esc(d.status), d.date.isoformat()] for d in diff.added]))
    if diff.changed:
        out.append("### Changed decisions\n")
        out.append(_table(["Decision", "What changed"], [[_d(c.after, link), esc("; ".join(c.details))] for c in diff.changed]))
    if diff.status_changes:
        out.append("### Status changes\n")
        out.append(_table(["Decision", "Before", "After"], [[_d(c.after, link), esc(c.before.status), esc(c.after.status)] for c in diff.status_changes]))
    if diff.removed or diff.broken:
        out.append("### Removed decisions\n")
        rows = [[f"**{esc(d.id)}** {esc(d.title)}", esc(d.workload), esc(d.status), "removed"] for d in diff.removed]
        rows += [[_d(d, link), esc(d.workload), esc(d.status), "file has errors now"] for d in diff.broken]
        out.append(_table(["Decision", "Workload", "Was", "Why"], rows))
    if diff.scores:
        out.append("### Pillar scores\n")
        for ws in diff.scores:
            was = esc(ws.before.id) if ws.before else "none"
            now = esc(ws.after.id) if ws.after else "none"
            out.append(f"#### {esc(ws.workload)}\n")
            out.append(f"Latest iteration: {was} → {now}.\n" if was != now else f"Latest iteration: {now}.\n")
            if ws.changes:
                rows = [[esc(c.name), _score(c.before), _score(c.after), _arrow(c.delta, c.after)] for c in ws.changes]
                out.append(_table(["Pillar", "Before", "After", "Change"], rows))
            else:
                out.append("No pillar score changed.\n")
    if diff.loops_opened or diff.loops_closed:
        out.append("### Feedback loops\n")
        rows = [[_d(lc.decision, link), "opened", _loop_text(lc)] for lc in diff.loops_opened]
        rows += [[_d(lc.decision, link), "closed", _loop_text(lc)] for lc in diff.loops_closed]
        out.append(_table(["Decision", "Loop", "Detail"], rows))
    return "\n".join(out)


def _summary(d: Decision) -> dict[str, Any]:
    return {"id": d.id, "title": d.title, "workload": d.workload, "status": d.status, "date": d.date.isoformat(), "path": d.path}


def diff_json(diff: DecisionDiff) -> dict[str, Any]:
    """The diff as JSON-ready data (plain strings: escape them before rendering)."""
    base = diff.base

    def loop(lc: LoopChange) -> dict[str, Any]:
        out: dict[str, Any] = {**_summary(lc.decision), "reason": lc.reason}
        if lc.loop is not None:
            out.update(due=lc.loop.due.isoformat(), overdue=lc.loop.overdue, days_overdue=lc.loop.days_overdue)
        return out

    return {
        "base": {
            "rev": base.label,
            "commit": base.commit,
            "date": base.date.isoformat() if base.date else None,
            "found": base.found,
            "errors": sum(d.is_error for d in base.diagnostics),
        },
        "today": diff.today.isoformat(),
        "summary": {
            "added": len(diff.added),
            "changed": len(diff.changed),
            "removed": len(diff.removed),
            "broken": len(diff.broken),
            "status_changes": len(diff.status_changes),
            "loops_opened": len(diff.loops_opened),
            "loops_closed": len(diff.loops_closed),
            "loops_open": diff.still_open,
            "clashes": len(diff.clashes),
        },
        "clashes": [
            {**_summary(c.head), "base": _summary(c.base), "free_id": c.free_id} for c in diff.clashes
        ],
        "added": [_summary(d) for d in diff.added],
        "changed": [
            {**_summary(c.after), "old_path": c.before.path, "fields": list(c.fields), "details": list(c.details)}
            for c in diff.changed
        ],
        "removed": [_summary(d) for d in diff.removed],
        "broken": [_summary(d) for d in diff.broken],
        "status_changes": [{**_summary(c.after), "from": c.before.status, "to": c.after.status} for c in diff.status_changes],
        "pillars": [
            {
                "workload": ws.workload,
                "latest_before": ws.before.id if ws.before else None,
                "latest_after": ws.after.id if ws.after else None,
                "changes": [{"pillar": c.pillar, "before": c.before, "after": c.after, "delta": c.delta} for c in ws.changes],
            }
            for ws in diff.scores
        ],
        "loops": {"opened": [loop(lc) for lc in diff.loops_opened], "closed": [loop(lc) for lc in diff.loops_closed]},
        "problems": [d.to_json() for d in diff.head.diagnostics if d.is_error],
    }
