"""What git knows about the ADR folder: when each file was created, and its old names.

One ``git log`` process for the whole folder (never one per file). Used only as a
fallback (a file without a date takes the date of the commit that added it) and to
resolve links to files that were renamed since. No git, no repository, a shallow
clone: the import still runs, and the report says what is missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

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
        # -c core.quotePath=false: names with accents come out as written, not octal-escaped.
        out = repo.git.execute(
            ["git", "-c", "core.quotePath=false", "log", "--reverse", "-M", "--name-status", f"--format={_SEP}%aI", "--", rel]
        )
        shallow = repo.git.rev_parse("--is-shallow-repository").strip() == "true"
    except git.GitCommandError as exc:
        if "does not have any commits" in str(exc):
            return GitInfo(root, problem="the repository has no commits yet")
        return GitInfo(root, problem=f"git log failed: {exc.stderr.strip() if exc.stderr else exc}")
    created: dict[str, dt.date] = {}
    renamed: dict[str, tuple[str, ...]] = {}
    when: dt.date | None = None
    for line in str(out).split("\n"):
        if line.startswith(_SEP):
            when = dt.datetime.fromisoformat(line[1:].strip()).date()
            continue
        parts = line.split("\t")
        if len(parts) < 2 or when is None:
            continue
        kind = parts[0][:1]
        if kind == "A":
            created.setdefault(parts[1], when)
        elif kind == "R" and len(parts) == 3:
            old, new = parts[1], parts[2]
            created[new] = created.pop(old, when)
            renamed[new] = renamed.pop(old, ()) + (old,)
        elif kind == "D":
            created.pop(parts[1], None)
            renamed.pop(parts[1], None)
    problem = "shallow clone: dates taken from git may be too late (fetch the full history)" if shallow else ""
    return GitInfo(root, created, renamed, problem)
