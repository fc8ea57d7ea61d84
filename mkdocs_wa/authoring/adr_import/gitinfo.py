"""What git knows about the ADR folder: when each file was created, and its old names.

One ``git log`` process for the whole folder (never one per file). Used only as a
fallback (a file without a date takes the date of the commit that added it) and to
resolve links to files that were renamed since. No git, no repository, a shallow
clone: the import still runs, and the report says what is missing.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs_wa import git


@dataclass(frozen=True)
class GitInfo:
    root: Path | None
    #: Repository-relative path -> date of the commit that added the file (under any name).
    created: dict[str, dt.date] = field(default_factory=dict)
    #: Current path -> the names it had before, oldest first.
    renamed_from: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Why git could not tell (no repository, shallow clone...), for the report.
    problem: str = ""


def read_git(folder: Path) -> GitInfo:
    repo = git.find_repo(folder.resolve())
    if repo is None:
        return GitInfo(None, problem=f"{git.not_a_repository(folder)}: no history to fall back on")
    root = (repo.top or folder).resolve()
    try:
        rel = folder.resolve().relative_to(root).as_posix() or "."
        specs = [rel]
        commits = list(git.log(repo, specs, "--reverse"))
        # A file that git shows as added may have been moved in from a folder outside the
        # pathspec (``docs/adr`` -> ``docs/decisions``): ask git about those commits without
        # a pathspec, and read the old folders' history too. A few rounds at most, one
        # process each.
        for _ in range(4):
            _, _, added_in = _chain(commits)
            moved = _moved_in(repo, {sha for sha, _ in added_in.values()}, set(added_in))
            folders = sorted({posixpath.dirname(old) or "." for old in moved} - set(specs))
            if not folders:
                break
            specs += folders
            commits = list(git.log(repo, specs, "--reverse"))
    except (git.GitError, ValueError) as exc:
        return GitInfo(root, problem=f"git log failed: {exc}")
    created, renamed, _ = _chain(commits)
    problem = f"{git.SHALLOW}: dates taken from git may be too late; {git.SHALLOW_FIX}" if repo.shallow else ""
    return GitInfo(root, created, renamed, problem)


def commit_date(text: str) -> dt.date | None:
    """The date of git's ``%aI`` (``2020-01-01T12:00:00+24:00`` too: a time zone out of
    range, which git writes for a hand-made commit, keeps the date as written)."""
    text = text.strip()
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None


def _chain(commits: Iterable[git.Commit]) -> tuple[dict[str, dt.date], dict[str, tuple[str, ...]], dict[str, tuple[str, dt.date]]]:
    """Creation dates and earlier names per path, chaining renames; and, for each path
    whose first event is an addition, (commit, date) of that addition."""
    created: dict[str, dt.date] = {}
    renamed: dict[str, tuple[str, ...]] = {}
    added_in: dict[str, tuple[str, dt.date]] = {}
    for commit in commits:
        when = commit_date(commit.authored)
        if when is None:
            continue
        for change in commit.changes:
            old, new = change.old, change.new
            if old is None and new is not None:  # added (or copied)
                if new not in created:
                    created[new] = when
                    added_in[new] = (commit.sha, when)
            elif new is None and old is not None:  # deleted
                created.pop(old, None)
                renamed.pop(old, None)
                added_in.pop(old, None)
            elif old is not None and new is not None and old != new:  # renamed
                if old in created:
                    created[new] = created.pop(old)
                    if old in added_in:
                        added_in[new] = added_in.pop(old)
                else:
                    created[new] = when
                renamed[new] = renamed.pop(old, ()) + (old,)
    return created, renamed, added_in


def _moved_in(repo: git.Repo, shas: set[str], paths: set[str]) -> set[str]:
    """Old paths of ``paths`` that the commits ``shas`` renamed from elsewhere."""
    if not shas:
        return set()
    return {
        c.old
        for commit in git.log(repo, [], "--no-walk=unsorted", *sorted(shas))
        for c in commit.changes
        if c.old is not None and c.new in paths and c.old != c.new
    }
