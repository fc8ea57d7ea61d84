"""Real git repositories for tests: backdated commits, tags, renames, shallow clones.

Usage (from any test file: ``from gitrepo import GitRepo, decision_yaml``)::

    repo = GitRepo.init(tmp_path / "site")
    repo.write("decisions/shop/0001-cache.yaml", decision_yaml("SHOP-0001", status="proposed"))
    repo.commit("Propose a cache", "2021-03-01")
    repo.move("decisions/shop/0001-cache.yaml", "decisions/shop/0002-cache.yaml")
    repo.commit("Renumber", "2021-03-02")
    repo.tag("launch-day")                         # annotated, dated like HEAD
    clone = repo.shallow_clone(tmp_path / "ci")    # git clone --depth 1 file://...

Every git process runs without the user's or system's git configuration, with fixed
author and committer identities, and with ``GIT_AUTHOR_DATE``/``GIT_COMMITTER_DATE``
set from the date given, so histories are the same on every machine. For large
generated histories (thousands of commits) use :func:`large_repo`, which writes them
with one ``git fast-import``.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.synthetic_history import synthetic_repo
from mkdocs_wa.authoring.demo import git_env

DEFAULT_AUTHOR = "Ada Lovelace <ada@example.com>"


def git_date(when: str | dt.date | dt.datetime) -> str:
    """A date for GIT_*_DATE: ``"2021-03-01"`` means noon UTC that day."""
    if isinstance(when, dt.datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        return when.isoformat()
    if isinstance(when, dt.date):
        return f"{when.isoformat()}T12:00:00+00:00"
    return f"{when}T12:00:00+00:00" if len(when) == 10 else when


def _split_ident(author: str) -> tuple[str, str]:
    name, _, email = author.partition("<")
    return name.strip(), email.rstrip(">").strip() or "someone@example.com"


@dataclass(frozen=True)
class GitRepo:
    """A git working tree in a test's temporary folder."""

    path: Path

    @classmethod
    def init(cls, path: Path, *, branch: str = "main") -> GitRepo:
        path.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "init", "-q", "-b", branch, str(path)], check=True, env=git_env())
        return cls(path)

    def git(self, *args: str, date: str | dt.date | dt.datetime | None = None, author: str = DEFAULT_AUTHOR) -> str:
        """Run ``git ARGS`` here and return its standard output (raises on failure)."""
        name, email = _split_ident(author)
        extra = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
        }
        if date is not None:
            extra["GIT_AUTHOR_DATE"] = extra["GIT_COMMITTER_DATE"] = git_date(date)
        done = subprocess.run(
            ["git", *args], cwd=self.path, env=git_env(extra), check=True, capture_output=True, text=True
        )
        return done.stdout

    def write(self, relpath: str, text: str | bytes) -> Path:
        """Write a file in the working tree (not staged until :meth:`commit`)."""
        file = self.path / relpath
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            file.write_bytes(text)
        else:
            file.write_text(text, encoding="utf-8")
        return file

    def read(self, relpath: str) -> str:
        return (self.path / relpath).read_text(encoding="utf-8")

    def remove(self, relpath: str) -> None:
        self.git("rm", "-q", "--", relpath)

    def move(self, old: str, new: str) -> None:
        """``git mv`` (creating the target folder)."""
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", "--", old, new)

    def commit(
        self,
        message: str,
        date: str | dt.date | dt.datetime,
        *,
        author: str = DEFAULT_AUTHOR,
        paths: Sequence[str] | None = None,
    ) -> str:
        """Stage everything (or ``paths``) and commit it on ``date``; return the commit id."""
        self.git("add", "-A", "--", *(paths or ["."]))
        self.git("commit", "-q", "--allow-empty", "--no-verify", "-m", message, date=date, author=author)
        return self.head()

    def tag(self, name: str, *, ref: str = "HEAD", message: str | None = None, lightweight: bool = False) -> None:
        """Tag ``ref``: annotated (dated like the commit) unless ``lightweight``."""
        if lightweight:
            self.git("tag", name, ref)
            return
        when = self.git("log", "-1", "--format=%cI", ref).strip()
        self.git("tag", "-a", name, "-m", message or name, ref, date=when)

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def branch(self, name: str, *, start: str = "HEAD") -> None:
        self.git("checkout", "-q", "-b", name, start)

    def checkout(self, ref: str) -> None:
        self.git("checkout", "-q", ref)

    def merge(self, ref: str, message: str, date: str | dt.date | dt.datetime) -> str:
        self.git("merge", "-q", "--no-ff", "--no-edit", "-m", message, ref, date=date)
        return self.head()

    def shallow_clone(self, dest: Path, depth: int = 1) -> GitRepo:
        """``git clone --depth DEPTH file://...``: what CI checks out by default."""
        subprocess.run(
            ["git", "clone", "-q", "--depth", str(depth), self.path.resolve().as_uri(), str(dest)],
            check=True,
            env=git_env(),
            capture_output=True,
        )
        return GitRepo(dest)

    def clone(self, dest: Path) -> GitRepo:
        subprocess.run(["git", "clone", "-q", str(self.path), str(dest)], check=True, env=git_env(), capture_output=True)
        return GitRepo(dest)

    def log(self, *args: str) -> list[str]:
        """``git log --format=%s`` lines (newest first), with extra ``args``."""
        return self.git("log", "--format=%s", *args).splitlines()


def large_repo(path: Path, **options: object) -> GitRepo:
    """A generated repository (see :func:`benchmarks.synthetic_history.synthetic_commits` for options:
    ``decisions``, ``commits``, ``workloads``, ``diagram_share``, ``tag_every``, ``seed``)."""
    synthetic_repo(path, **options)
    return GitRepo(path)


def decision_yaml(
    id: str,
    *,
    status: str = "proposed",
    date: str = "2021-03-01",
    title: str | None = None,
    supersedes: Sequence[str] = (),
    metrics: Mapping[str, tuple[str, str, object]] | None = None,
    result: tuple[str, str] | None = None,
    pillars: Mapping[str, int] | None = None,
    extra: str = "",
) -> str:
    """A valid decision file (titles and metric names may hold any text).

    ``metrics``: name -> (unit, target, observed or None); ``result``: (outcome,
    measured_on); ``pillars``: pillar id -> score; ``extra``: YAML lines appended as is.
    """
    # Free text is written as JSON strings, which YAML reads as double-quoted scalars.
    lines = ["schema: 1", f"id: {id}", f"title: {json.dumps(title or 'Decision ' + id)}", f"status: {status}", f"date: {date}"]
    if supersedes:
        lines.append(f"supersedes: [{', '.join(supersedes)}]")
    lines += ["context: |", f"  Why {id} was needed."]
    if metrics:
        lines += ["hypothesis:", "  statement: |", "    It works better.", "  metrics:"]
        for name, (unit, target, observed) in metrics.items():
            lines += [f"    - name: {json.dumps(name)}", f"      unit: {json.dumps(unit)}", f"      target: {json.dumps(target)}"]
            if observed is not None:
                lines.append(f"      observed: {observed}")
    if result:
        lines += ["result:", f"  outcome: {result[0]}", f"  measured_on: {result[1]}"]
    if pillars:
        lines.append("pillars:")
        lines += [f"  {p}: {{score: {s}}}" for p, s in pillars.items()]
    text = "\n".join(lines) + "\n"
    return text + (extra if extra.endswith("\n") or not extra else extra + "\n")
