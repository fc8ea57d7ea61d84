"""What git knows about the ADR folder: when each file was created, and its old names.

One ``git log`` process for the whole folder (never one per file). Used only as a
fallback (a file without a date takes the date of the commit that added it) and to
resolve links to files that were renamed since. No git, no repository, a shallow
clone: the import still runs, and the report says what is missing.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_SEP = "\x1e"  # record separator: cannot occur in an ISO date


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
    try:
        import git
    except ImportError:  # pragma: no cover - GitPython is a dependency
        return GitInfo(None, problem="GitPython is not installed")
    try:
        repo = git.Repo(folder, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return GitInfo(None, problem="the source folder is not in a git repository: no history to fall back on")
    except git.GitCommandNotFound:  # pragma: no cover - depends on the machine
        return GitInfo(None, problem="git is not installed")
    root = Path(repo.working_tree_dir or folder).resolve()
    try:
        rel = folder.resolve().relative_to(root).as_posix() or "."
        specs = [rel]
        out = _log(repo, specs)
        # A file that git shows as added may have been moved in from a folder outside the
        # pathspec (``docs/adr`` -> ``docs/decisions``): ask git about those commits without
        # a pathspec, and read the old folders' history too. A few rounds at most, one
        # process each.
        for _ in range(4):
            created, renamed, added_in = _chain(out)
            moved = _moved_in(repo, {sha for sha, _ in added_in.values()}, set(added_in))
            folders = sorted({posixpath.dirname(old) or "." for old in moved} - set(specs))
            if not folders:
                break
            specs += folders
            out = _log(repo, specs)
        shallow = repo.git.rev_parse("--is-shallow-repository").strip() == "true"
    except git.GitCommandError as exc:
        if "does not have any commits" in str(exc):
            return GitInfo(root, problem="the repository has no commits yet")
        return GitInfo(root, problem=f"git log failed: {exc.stderr.strip() if exc.stderr else exc}")
    created, renamed, _ = _chain(out)
    problem = "shallow clone: dates taken from git may be too late (fetch the full history)" if shallow else ""
    return GitInfo(root, created, renamed, problem)


def _log(repo: Any, specs: list[str]) -> str:
    # -c core.quotePath=false: names with accents come out as written, not octal-escaped.
    return str(repo.git.execute(
        ["git", "-c", "core.quotePath=false", "log", "--reverse", "-M", "--name-status", f"--format={_SEP}%H {_SEP}%aI",
         "--", *specs]
    ))


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


def _chain(out: str) -> tuple[dict[str, dt.date], dict[str, tuple[str, ...]], dict[str, tuple[str, dt.date]]]:
    """Creation dates and earlier names per path, chaining renames; and, for each path
    whose first event is an addition, (commit, date) of that addition."""
    created: dict[str, dt.date] = {}
    renamed: dict[str, tuple[str, ...]] = {}
    added_in: dict[str, tuple[str, dt.date]] = {}
    when: dt.date | None = None
    sha = ""
    for line in out.split("\n"):
        if line.startswith(_SEP):
            head, _, date = line[1:].partition(" " + _SEP)
            sha, when = head.strip(), commit_date(date)
            continue
        parts = line.split("\t")
        if len(parts) < 2 or when is None:
            continue
        kind = parts[0][:1]
        if kind in ("A", "C"):
            path = parts[-1]
            if path not in created:
                created[path] = when
                added_in[path] = (sha, when)
        elif kind == "R" and len(parts) == 3:
            old, new = parts[1], parts[2]
            if old in created:
                created[new] = created.pop(old)
                if old in added_in:
                    added_in[new] = added_in.pop(old)
            else:
                created[new] = when
            renamed[new] = renamed.pop(old, ()) + (old,)
        elif kind == "D":
            created.pop(parts[1], None)
            renamed.pop(parts[1], None)
            added_in.pop(parts[1], None)
    return created, renamed, added_in


def _moved_in(repo: Any, shas: set[str], paths: set[str]) -> set[str]:
    """Old paths of ``paths`` that the commits ``shas`` renamed from elsewhere."""
    if not shas:
        return set()
    out = str(repo.git.execute(
        ["git", "-c", "core.quotePath=false", "show", "-M", "--name-status", "--format=", *sorted(shas)]
    ))
    found: set[str] = set()
    for line in out.split("\n"):
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].startswith("R") and parts[2] in paths:
            found.add(parts[1])
    return found
