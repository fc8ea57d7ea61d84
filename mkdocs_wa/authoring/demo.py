"""The demo: a git repository with real, backdated history replaying the case studies.

The project's own history is short, so the demo site is built on a repository whose
commits replay the case studies in ``decisions/`` over their real dates (see
:func:`case_study_commits`).

Commits are only *described* (:class:`CommitSpec`); :func:`write_git_repo` writes them
with one ``git fast-import`` process (the benchmarks' large generated history,
``benchmarks/synthetic_history.py``, uses it too). Nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_AUTHOR = "Demo Team <team@example.com>"

#: A clean environment for the git processes that write repositories: no user or system
#: configuration (signing hooks, templates, a different default branch) leaks in.
_GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
}


@dataclass(frozen=True)
class CommitSpec:
    """One commit to write: file changes, a message, a date, and tags to put on it.

    ``rename`` is applied first (old path, new path), then ``delete``, then ``write``
    (path -> new text), so a commit can move a file and change it. Paths are
    repository-relative, with ``/``.
    """

    message: str
    when: dt.datetime
    author: str = DEFAULT_AUTHOR
    write: Mapping[str, str | bytes] = field(default_factory=dict)
    delete: tuple[str, ...] = ()
    rename: tuple[tuple[str, str], ...] = ()
    #: Annotated tags on this commit (dated like it).
    tags: tuple[str, ...] = ()


def git_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for git processes that write demo or test repositories."""
    env = dict(os.environ)
    env.update(_GIT_ENV)
    if extra:
        env.update(extra)
    return env


def _stamp(when: dt.datetime) -> str:
    """A date in git's raw format: seconds since the epoch and the UTC offset."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    offset = when.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{int(when.timestamp())} {sign}{minutes // 60:02d}{minutes % 60:02d}"


def _data(text: str | bytes) -> bytes:
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    return b"data %d\n" % len(raw) + raw + b"\n"


def _ident(author: str) -> str:
    if "<" not in author:
        return f"{author} <{re.sub(r'[^a-z0-9]+', '.', author.lower()).strip('.') or 'someone'}@example.com>"
    return author


def _fast_import_stream(commits: Iterable[CommitSpec], branch: str) -> Iterator[bytes]:
    ref = f"refs/heads/{branch}"
    mark = 0
    for spec in commits:
        mark += 1
        who = f"{_ident(spec.author)} {_stamp(spec.when)}"
        out = [f"commit {ref}\nmark :{mark}\nauthor {who}\ncommitter {who}\n".encode(), _data(spec.message)]
        if mark > 1:
            out.append(b"from :%d\n" % (mark - 1))
        for old, new in spec.rename:
            out.append(f"R {_quote(old)} {_quote(new)}\n".encode())
        for path in spec.delete:
            out.append(f"D {_quote(path)}\n".encode())
        for path, text in spec.write.items():
            out.append(f"M 100644 inline {_quote(path)}\n".encode())
            out.append(_data(text))
        out.append(b"\n")
        for tag in spec.tags:
            out.append(f"tag {tag}\nfrom :{mark}\ntagger {who}\n".encode())
            out.append(_data(f"{tag}\n"))
        yield b"".join(out)


def _quote(path: str) -> str:
    """A path for fast-import: C-style quoted when it holds spaces or quotes."""
    if re.search(r'[\s"\\]', path) or path.startswith('"'):
        return '"' + path.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return path


def write_git_repo(path: Path, commits: Iterable[CommitSpec], *, branch: str = "main") -> int:
    """Create a git repository at ``path`` holding ``commits`` (oldest first); return their count.

    One ``git fast-import`` process writes every commit with its backdated author and
    committer dates; the working tree is then checked out, so the folder looks like a
    normal clone. ``path`` must not already hold a repository.
    """
    path.mkdir(parents=True, exist_ok=True)
    env = git_env()
    subprocess.run(["git", "init", "-q", "-b", branch, str(path)], check=True, env=env)
    count = 0
    proc = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"],
        cwd=path,
        stdin=subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None
    try:
        for chunk in _fast_import_stream(commits, branch):
            proc.stdin.write(chunk)
            count += 1
        proc.stdin.write(b"done\n")
    finally:
        proc.stdin.close()
        code = proc.wait()
    if code != 0:
        raise RuntimeError(f"git fast-import failed with exit code {code}")
    if count:
        subprocess.run(["git", "reset", "-q", "--hard", branch], cwd=path, check=True, env=env)
    return count


# --- the case studies, replayed --------------------------------------------------------

#: Tags of the demo repository: (tag, decision id, the event of that decision it marks).
DEMO_TAGS: tuple[tuple[str, str, str], ...] = (
    ("launch-day", "VID-0001", "result"),
    ("v2-serverless", "VID-0004", "accept"),
    ("forklift", "TEL-0001", "accept"),
    ("aurora", "TEL-0002", "accept"),
    ("serverless-ingest", "TEL-0005", "accept"),
)
#: Days between proposing a decision and accepting (or rejecting) it, at most.
ACCEPT_AFTER_DAYS = 3
#: Used when the source has no mkdocs.yml of its own.
FALLBACK_MKDOCS_YML = """\
site_name: mkdocs-wa demo
theme:
  name: material
  font: false  # no request to Google Fonts
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {icon: material/weather-night, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {icon: material/weather-sunny, name: Switch to light mode}
markdown_extensions: [admonition, attr_list, tables]
plugins:
  - search
  - well-architected:
      decisions_dir: decisions
"""
FALLBACK_INDEX = "# mkdocs-wa demo\n\nThe architecture decisions of two workloads: see *Architecture*.\n"


@dataclass
class _Case:
    """One case-study decision: its final text and, while replaying, where it stands."""

    path: str
    final: str
    id: str
    title: str
    date: dt.date
    status: str
    supersedes: tuple[str, ...]
    measured_on: dt.date | None
    has_result: bool
    has_pillars: bool
    author: str
    #: state while replaying: None until proposed
    now: str | None = None
    result: bool = False
    pillars: bool = False

    def render(self) -> str:
        text = _set_status(self.final, self.now or "proposed")
        if self.has_result and not self.result:
            text = _drop_block(text, "result")
            text = _drop_observed(text)
        if self.has_pillars and not self.pillars:
            text = _drop_block(text, "pillars")
        return text


def _set_status(text: str, status: str) -> str:
    return re.sub(r"(?m)^status:[^\n]*$", f"status: {status}", text, count=1)


def _drop_block(text: str, key: str) -> str:
    """The text without the top-level ``key:`` and its indented lines."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    skipping = False
    for line in lines:
        if re.match(rf"{re.escape(key)}\s*:", line):
            skipping = True
            continue
        if skipping and line[:1] not in (" ", "\t", "\n", "\r", ""):
            skipping = False
        if not skipping:
            out.append(line)
    return "".join(out)


def _drop_observed(text: str) -> str:
    """The text without observed metric values (block style lines, or flow-style entries)."""
    text = re.sub(r"(?m)^[ \t]+observed:[^\n]*\n", "", text)
    return re.sub(r",\s*observed:\s*[^,}\n]+", "", text)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def _load_cases(decisions_dir: Path, repo_prefix: str) -> list[_Case]:
    from mkdocs_wa.source.load import parse_date, read_yaml  # the case studies are read like any decision file

    cases: list[_Case] = []
    for file in sorted(decisions_dir.rglob("*.y*ml")):
        if any(part.startswith(".") for part in file.relative_to(decisions_dir).parts):
            continue
        doc, _ = read_yaml(file)
        if doc is None or not isinstance(doc.data, dict):
            continue
        data = doc.data
        date = parse_date(data.get("date"))
        if date is None or not isinstance(data.get("id"), str):
            continue
        result = data.get("result") if isinstance(data.get("result"), dict) else None
        deciders = data.get("deciders") or []
        who = str(deciders[0]) if isinstance(deciders, list) and deciders else "architecture team"
        cases.append(
            _Case(
                path=f"{repo_prefix}/{file.relative_to(decisions_dir).as_posix()}",
                final=file.read_text(encoding="utf-8"),
                id=data["id"],
                title=str(data.get("title", "")),
                date=date,
                status=str(data.get("status", "proposed")),
                supersedes=tuple(str(x) for x in data.get("supersedes") or ()),
                measured_on=parse_date(result.get("measured_on")) if result else None,
                has_result=result is not None,
                has_pillars=bool(data.get("pillars")),
                author=f"{who.title()} <{re.sub(r'[^a-z0-9]+', '-', who.lower()).strip('-') or 'team'}@example.com>",
            )
        )
    return cases


def case_study_commits(
    decisions_dir: Path,
    *,
    setup: Mapping[str, str | bytes] | None = None,
    tags: Sequence[tuple[str, str, str]] = DEMO_TAGS,
    repo_prefix: str = "decisions",
) -> list[CommitSpec]:
    """Commits that replay the decisions under ``decisions_dir`` over their real dates.

    For each decision: a commit adding it as ``proposed`` on its ``date``; a commit
    accepting it (and marking the decisions it supersedes ``superseded``) a few days
    later, before its result; a commit recording its observed values and result on
    ``result.measured_on``; rejected and deprecated ones likewise. Pillar scores arrive
    with the result (or with the acceptance when there is none). The last commit of
    each file leaves it exactly as in ``decisions_dir``. ``setup`` files (mkdocs.yml,
    docs) are committed first, a week before the first decision. ``tags`` are
    (name, decision id, "propose" | "accept" | "result") and put annotated tags on the
    commits of those events.
    """
    cases = _load_cases(decisions_dir, repo_prefix)
    by_id = {c.id: c for c in cases}
    commits: list[CommitSpec] = []
    if not cases:
        return commits
    start = min(c.date for c in cases) - dt.timedelta(days=7)
    if setup:
        commits.append(CommitSpec("Start the architecture site", _at(start, 9), DEFAULT_AUTHOR, dict(setup)))

    events: list[tuple[dt.datetime, int, str, _Case]] = []
    for c in cases:
        events.append((_at(c.date, 9), 0, "propose", c))
        if c.status in ("accepted", "superseded", "deprecated", "rejected"):
            day = c.date + dt.timedelta(days=ACCEPT_AFTER_DAYS)
            if c.measured_on is not None and c.measured_on > c.date:
                day = min(day, c.measured_on - dt.timedelta(days=1))
            day = max(day, c.date)
            events.append((_at(day, 11), 1, "reject" if c.status == "rejected" else "accept", c))
        if c.has_result and c.measured_on is not None:
            events.append((_at(max(c.measured_on, c.date), 16), 2, "result", c))
    events.sort(key=lambda e: (e[0], e[1], e[3].id))
    tag_at = {(decision, event): name for name, decision, event in tags}

    for when, _, kind, c in events:
        written: dict[str, str | bytes] = {}
        if kind == "propose":
            c.now = "proposed"
            # Scores come with the result, or the acceptance; one never accepted has them
            # from the start (its expected scores).
            c.pillars = c.status in ("proposed", "rejected")
            message = f"Propose {c.id}: {c.title}"
        elif kind == "reject":
            c.now = "rejected"
            message = f"Reject {c.id}: {c.title}"
        elif kind == "accept":
            c.now = "accepted"
            if not c.has_result:
                c.pillars = True
            message = f"Accept {c.id}: {c.title}"
            replaced = [by_id[x] for x in c.supersedes if x in by_id and by_id[x].now is not None]
            for old in replaced:
                old.now = "superseded"
                written[old.path] = old.render()
            if replaced:
                message += "; supersede " + ", ".join(o.id for o in replaced)
        else:
            c.result = c.pillars = True
            outcome = re.search(r"(?m)^  outcome:\s*(\S+)", c.final)
            message = f"Record the result of {c.id}" + (f": {outcome[1]}" if outcome else "")
        written[c.path] = c.render()
        names = tuple(name for key, name in tag_at.items() if key == (c.id, kind))
        commits.append(CommitSpec(message, when, c.author, written, tags=names))

    # Statuses no event sets (deprecated, or a supersede the replay could not place), and
    # anything else the rendering could not reproduce: one last commit makes every file
    # exactly what is in decisions_dir.
    last = max(e[0] for e in events)
    finish: dict[str, str | bytes] = {}
    for c in cases:
        c.now, c.result, c.pillars = c.status, True, True
        if c.render() != _current(commits, c.path):
            finish[c.path] = c.final
    if finish:
        commits.append(CommitSpec("Bring the decisions up to date", last + dt.timedelta(days=1), DEFAULT_AUTHOR, finish))
    return commits


def _current(commits: Sequence[CommitSpec], path: str) -> str | bytes | None:
    for spec in reversed(commits):
        if path in spec.write:
            return spec.write[path]
    return None


def setup_files(source: Path | None) -> dict[str, str | bytes]:
    """mkdocs.yml and docs/ of ``source`` (a project checkout), for the demo's first commit;
    a small mkdocs.yml and home page when it has none (or there is no checkout)."""
    files: dict[str, str | bytes] = {}
    config = source / "mkdocs.yml" if source is not None else None
    files["mkdocs.yml"] = config.read_text(encoding="utf-8") if config and config.is_file() else FALLBACK_MKDOCS_YML
    # docs/, and the theme overrides the checkout's mkdocs.yml names (custom_dir).
    folders = [source / "docs", source / "overrides"] if source is not None else []
    for docs in (f for f in folders if f.is_dir()):
        for file in sorted(docs.rglob("*")):
            rel = file.relative_to(docs.parent)  # the source checkout
            if file.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in rel.parts):
                files[rel.as_posix()] = file.read_bytes()
    if not any(k.startswith("docs/") for k in files):
        files["docs/index.md"] = FALLBACK_INDEX
    # the load-test reports that metrics are measured from (see measured_commits)
    reports = reports_root(source) / "loadtests"
    for file in sorted(reports.rglob("*")) if reports.is_dir() else ():
        if file.is_file() and not file.name.startswith("."):
            files["loadtests/" + file.relative_to(reports).as_posix()] = file.read_bytes()
    files[".gitignore"] = "site/\n.cache/\n"
    return files


#: Who records evidence in the demo: a scheduled CI job (docs/recipes/github-measure.yml).
MEASURE_AUTHOR = "Measure bot <ci@example.com>"


def measured_commits(decisions: Path, root: Path) -> list[CommitSpec]:
    """Evidence commits, as a scheduled ``mkdocs-wa measure`` would have made them.

    For every metric of the case studies in ``decisions`` measured from a CSV report with a
    ``time_column``, the real measuring code runs at noon (UTC) of each of the report's
    dates from the decision's date on; the values of one date are one commit appending
    to the evidence files, so the demo shows a measured series and its history.
    """
    import csv

    from mkdocs_wa.measure.common import Context
    from mkdocs_wa.measure.run import measure_one, targets
    from mkdocs_wa.source.evidence import evidence_file, parse_time, to_line
    from mkdocs_wa.source.lens import load_lens
    from mkdocs_wa.source.validate import load_catalog

    lens, _ = load_lens()
    assert lens is not None
    # paths as in the demo repository (decisions/<workload>/...), whatever folder they come from
    catalog, _ = load_catalog([decisions], lens, display=lambda f: "decisions/" + Path(os.path.relpath(f, decisions)).as_posix())
    when: dict[dt.datetime, list] = {}
    for t in targets(catalog):
        spec = t.metric.measure.spec if t.metric.measure else {}
        if t.metric.measure is None or t.metric.measure.kind != "file" or spec.get("format") != "csv" or not spec.get("time_column"):
            continue
        try:
            with open(root / spec["path"], encoding="utf-8", newline="") as fh:
                days = {parse_time(row[spec["time_column"]]) for row in csv.DictReader(fh)}
        except (OSError, KeyError, ValueError):
            continue
        for day in days:
            if day.date() >= t.decision.date:
                when.setdefault(day + dt.timedelta(hours=12), []).append(t)
    commits: list[CommitSpec] = []
    written: dict[str, str] = {}
    for at in sorted(when):
        ctx = Context(at=at, project_root=root)
        changed: dict[str, str | bytes] = {}
        for t in when[at]:
            outcome = measure_one(t, ctx)
            if outcome.evidence is None:
                continue
            path = evidence_file(Path(t.decision.path), t.decision.id).as_posix()
            written[path] = written.get(path, "") + to_line(outcome.evidence)
            changed[path] = written[path]
        if changed:
            commits.append(CommitSpec("Evidence from mkdocs-wa measure", at, MEASURE_AUTHOR, changed))
    return commits


#: The installed package folder (``mkdocs_wa/``), which holds the packaged data.
PACKAGE = Path(__file__).resolve().parent.parent


def reports_root(source: Path | None) -> Path:
    """The folder whose ``loadtests/`` holds the load-test reports the case studies are
    measured from: the checkout, or the package (``loadtests/`` links to the repository's
    ``loadtests/``; a wheel holds a copy)."""
    return source if source is not None else PACKAGE


def case_studies_dir() -> Path:
    """The case studies shipped in the package (``case_studies/`` links to the
    repository's ``decisions/``; a wheel holds a copy)."""
    return PACKAGE / "case_studies"


def default_source() -> Path | None:
    """The project checkout this package runs from (``mkdocs.yml``, ``docs/`` and the case
    studies in ``decisions/``), or None when it runs installed from a wheel: the demo
    then uses the packaged case studies and a small mkdocs.yml."""
    checkout = PACKAGE.parent
    if (checkout / "decisions").is_dir() and (checkout / "mkdocs.yml").is_file() and (checkout / "pyproject.toml").is_file():
        return checkout
    return None


def make_demo_repo(output: Path, source: Path | None = None) -> list[CommitSpec]:
    """Write the demo repository at ``output``: the source's mkdocs.yml and docs, then the
    case studies of ``source/decisions`` replayed commit by commit. Without a source (and
    no checkout to run from), the packaged case studies with a small mkdocs.yml. Returns
    the commits."""
    source = source or default_source()
    decisions = source / "decisions" if source is not None else case_studies_dir()
    if not decisions.is_dir():
        raise FileNotFoundError(f"{decisions} not found: the demo replays the case studies of a mkdocs-wa checkout")
    commits = case_study_commits(decisions, setup=setup_files(source))
    # the evidence commits go between the others, by date (sorted() keeps the order of equal dates)
    commits = sorted(commits + measured_commits(decisions, reports_root(source)), key=lambda c: c.when)
    write_git_repo(output, commits)
    return commits
