"""Imported ADRs keep their own history: statuses edited over commits, renames, a folder
move, a project below the repository root; and the importer's regexes stay linear."""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from pathlib import Path

import pytest
from gitrepo import GitRepo

from mkdocs_wa.analysis.changes import describe_change
from mkdocs_wa.authoring.adr_import.common import is_placeholder, match_meta, split_title
from mkdocs_wa.authoring.adr_import.gitinfo import commit_date, read_git
from mkdocs_wa.authoring.adr_import.markdown import clean, strip_comments
from mkdocs_wa.authoring.adr_import.source import history_fields
from mkdocs_wa.cli import main
from mkdocs_wa.history.reader import read_history


def adr(number: int, title: str, status: str, body: str = "", date_line: str = "") -> str:
    date = f"Date: {date_line}\n\n" if date_line else ""
    return (
        f"# {number}. {title}\n\n{date}## Status\n\n{status}\n\n## Context\n\n"
        f"The context of {title.lower()} is written here.\n\n## Decision\n\nWe decide to {title.lower()}.\n\n"
        f"## Consequences\n\nEverything about {title.lower()} gets easier.\n{body}"
    )


@pytest.fixture()
def moved_repo(tmp_path: Path) -> GitRepo:
    """ADRs edited over years: a status accepted a week later, a file renamed, the whole
    folder moved, a later ADR superseding an earlier one. The site lives in web/."""
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("doc/adr/0001-record-decisions.md", adr(1, "Record decisions", "Proposed"))
    repo.write("doc/adr/0002-use-mysql.md", adr(2, "Use MySQL", "Proposed"))
    repo.commit("Propose the first ADRs", "2018-03-01")
    repo.write("doc/adr/0001-record-decisions.md", adr(1, "Record decisions", "Accepted"))
    repo.commit("Accept ADR 1", "2018-03-08")
    repo.write("doc/adr/0002-use-mysql.md", adr(2, "Use MySQL", "Accepted"))
    repo.commit("Accept ADR 2", "2018-05-10")
    repo.move("doc/adr/0002-use-mysql.md", "doc/adr/0002-use-a-relational-database.md")
    repo.commit("Rename ADR 2", "2019-01-15")
    repo.git("mv", "doc/adr", "doc/decisions")
    repo.commit("Move the ADRs", "2020-06-01")
    repo.write("doc/decisions/0003-use-postgresql.md", adr(3, "Use PostgreSQL", "Accepted\n\nSupersedes [2. Use MySQL](0002-use-a-relational-database.md)"))
    repo.write(
        "doc/decisions/0002-use-a-relational-database.md",
        adr(2, "Use MySQL", "Superseded by [3. Use PostgreSQL](0003-use-postgresql.md)"),
    )
    repo.commit("Supersede ADR 2", "2021-02-01")
    (repo.path / "web" / "docs").mkdir(parents=True)
    (repo.path / "web" / "docs" / "index.md").write_text("# Home\n", "utf-8")
    return repo


def test_git_follows_renames_and_folder_moves(moved_repo: GitRepo) -> None:
    git = read_git(moved_repo.path / "doc" / "decisions")
    assert git.created["doc/decisions/0002-use-a-relational-database.md"] == dt.date(2018, 3, 1)
    assert git.created["doc/decisions/0001-record-decisions.md"] == dt.date(2018, 3, 1)
    assert git.created["doc/decisions/0003-use-postgresql.md"] == dt.date(2021, 2, 1)
    assert git.renamed_from["doc/decisions/0002-use-a-relational-database.md"] == (
        "doc/adr/0002-use-mysql.md",
        "doc/adr/0002-use-a-relational-database.md",
    )


def test_history_of_an_imported_adr_comes_from_its_markdown(moved_repo: GitRepo, monkeypatch, capsys) -> None:
    import yaml
    from sites import build_in_process

    web = moved_repo.path / "web"
    monkeypatch.chdir(web)
    assert main(["import", "../doc/decisions", "-w", "data"]) == 0, capsys.readouterr().out
    (web / "mkdocs.yml").write_text(
        yaml.safe_dump({"site_name": "T", "plugins": [{"well-architected": {"today": "2026-01-01"}}]}), "utf-8"
    )
    moved_repo.commit("Import the ADRs", "2022-01-10")

    history = read_history(web, Path("decisions"), extra_paths=[
        "../doc/decisions/0001-record-decisions.md", "../doc/decisions/0002-use-a-relational-database.md",
        "../doc/adr/0001-record-decisions.md", "../doc/adr/0002-use-mysql.md", "../doc/adr/0002-use-a-relational-database.md",
    ], extra_parser=history_fields, cache=False)
    first = history.of("decisions/data/0001-record-decisions.yaml", "doc/decisions/0001-record-decisions.md")
    changes = [(r.date.date(), describe_change(c)) for r in first.revisions for c in r.changes]
    assert (dt.date(2018, 3, 1), "created as proposed") in changes
    assert (dt.date(2018, 3, 8), "status: proposed → accepted") in changes
    second = history.of("decisions/data/0002-use-a-relational-database.yaml", "doc/decisions/0002-use-a-relational-database.md")
    changes = [(r.date.date(), describe_change(c)) for r in second.revisions for c in r.changes]
    assert changes[0] == (dt.date(2018, 3, 1), "created as proposed")
    assert (dt.date(2018, 5, 10), "status: proposed → accepted") in changes
    assert (dt.date(2021, 2, 1), "status: accepted → superseded") in changes
    assert any(c.startswith("renamed from") for _, c in changes)

    # The site does the same from imported_from alone (path and renamed_from are
    # repository-relative; mkdocs.yml is in web/, below the repository root).
    site = build_in_process(web)
    page = (site / "architecture" / "data" / "0002-use-a-relational-database" / "index.html").read_text("utf-8")
    history_html = page[page.index('id="history"'):]
    for day, what in (("2018-03-01", "created as proposed"), ("2018-05-10", "proposed → accepted"),
                      ("2021-02-01", "accepted → superseded")):
        assert day in history_html and what in history_html, (day, what)
    assert history_html.index("2018-03-01") < history_html.index("2018-05-10") < history_html.index("2021-02-01")


def test_out_of_range_time_zone_does_not_crash_the_import(tmp_path: Path) -> None:
    """A hand-made commit with author offset +2400 (git writes it as it is)."""
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("adr/0001-x.md", adr(1, "Use X", "Accepted"))
    repo.git("add", "-A")
    tree = repo.git("write-tree").strip()
    raw = f"tree {tree}\nauthor A <a@b> 1577880000 +2400\ncommitter A <a@b> 1577880000 +2400\n\nodd zone\n"
    sha = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--literally", "--stdin"], cwd=repo.path,
                         input=raw, capture_output=True, text=True, check=True).stdout.strip()
    repo.git("update-ref", "HEAD", sha)
    assert "+24:00" in repo.git("log", "--format=%aI")
    git = read_git(repo.path / "adr")
    assert git.created["adr/0001-x.md"] == dt.date(2020, 1, 2)  # 12:00 UTC + 24 h, as git prints it
    assert commit_date("2020-01-01T12:00:00+24:00") == dt.date(2020, 1, 1)
    assert commit_date("garbage") is None


# --- issue 20 item 7: every regex that sees ADR text is linear -----------------------------


def _timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


@pytest.mark.parametrize(
    "fn, text",
    [
        (is_placeholder, "[" + "title " * 20_000 + "x"),
        (is_placeholder, "{" + "name" * 50_000),
        (split_title, "[" + " title" * 20_000),
        (split_title, "1" + " " * 100_000 + "."),
        (split_title, "ADR" + "-" * 100_000 + "1"),
        (strip_comments, "<!--" * 50_000),
        (strip_comments, "<!-- x -->" * 20_000 + "<!--" * 20_000),
        (clean, ("<!-- a\n" * 5_000) + "<!--" * 20_000),
        (match_meta, "Status" + " " * 100_000 + "x"),
        (match_meta, "- **Status:** " + " " * 100_000 + "x"),
        (match_meta, "Status:" + " \t" * 100_000 + "!"),
        (history_fields, "# T\n\n## Status\n\n" + "<!--" * 20_000 + "\n" + "Status: " + " " * 50_000 + "x\n"),
    ],
)
def test_import_patterns_are_linear(fn, text: str) -> None:
    # 200,000 characters take well under a second here (the old patterns took minutes);
    # the bound leaves room for a loaded, shared machine, far below what backtracking costs.
    assert _timed(fn, text) < 5.0


def test_a_supersede_written_later_shows_at_its_commit(tmp_path: Path, monkeypatch, capsys) -> None:
    import yaml
    from sites import build_in_process

    repo = GitRepo.init(tmp_path / "repo")
    repo.write("adr/0001-use-soap.md", adr(1, "Use SOAP", "Accepted"))
    repo.write("adr/0002-use-rest.md", adr(2, "Use REST", "Proposed"))
    repo.commit("Two ADRs", "2019-01-01")
    repo.write("adr/0002-use-rest.md", adr(2, "Use REST", "Accepted\n\nSupersedes [1. Use SOAP](0001-use-soap.md)"))
    repo.write("adr/0001-use-soap.md", adr(1, "Use SOAP", "Superseded by [2. Use REST](0002-use-rest.md)"))
    repo.commit("REST replaces SOAP", "2019-02-01")
    monkeypatch.chdir(repo.path)
    assert main(["import", "adr", "-w", "api"]) == 0, capsys.readouterr().out
    repo.write("docs/index.md", "# Home\n")
    repo.write("mkdocs.yml", yaml.safe_dump({"site_name": "T", "theme": {"name": "material"},
                                             "plugins": [{"well-architected": {"today": "2026-01-01"}}]}))
    repo.commit("Import", "2020-01-01")
    site = build_in_process(repo.path)
    page = (site / "architecture/api/0002-use-rest/index.html").read_text("utf-8")
    history = " ".join(page[page.index('id="history"'):].split())
    day = history.index("2019-02-01")
    assert history.index("status: proposed → accepted", day) > day
    assert history.index("supersedes API-0001", day) > day
    page = (site / "architecture/api/0001-use-soap/index.html").read_text("utf-8")
    history = " ".join(page[page.index('id="history"'):].split())
    assert history.index("status: accepted → superseded") > history.index("2019-02-01")


def test_mangled_adrs_never_raise(tmp_path: Path) -> None:
    """Fixture ADRs with lines inserted, cut and deleted at random (fixed seed): every
    one is read, planned and validated without a traceback, and a second run with
    --update finds nothing to change."""
    import random

    from mkdocs_wa.authoring.adr_import import import_adrs

    fixtures = Path(__file__).parent / "fixtures" / "adr"
    texts = [p.read_text("utf-8", errors="replace") for p in sorted(fixtures.rglob("*.md"))]
    pieces = ["\n", "## Status\n", "Superseded by [1](0001-x.md)\n", "---\n", "<!--", "-->", "```\n", "| a | b |\n",
              "Date: 31/02/2020\n", "* Status: \n", "# \n", "[x]: ", "![i](../../../etc/passwd)", "\t", "  \n",
              'Chosen option: "', "### Option\n", "\u202e", "Date 09/04/18"]
    rng = random.Random(20)
    repo = GitRepo.init(tmp_path / "repo")
    for n in range(30):
        lines = rng.choice(texts).split("\n")
        for _ in range(rng.randint(1, 6)):
            k = rng.randrange(len(lines) + 1)
            if rng.random() < 0.5:
                lines.insert(k, rng.choice(pieces) + rng.choice(lines))
            elif lines:
                j = min(k, len(lines) - 1)
                lines[j] = lines[j][: rng.randrange(len(lines[j]) + 1)] + rng.choice(pieces)
        name = rng.choice([f"{n:04d}-x{n}.md", f"2020010{n % 9 + 1}-y{n}.md", f"z{n}.md", f"{n:04d}-d{n}/index.md"])
        repo.write(f"adr/{name}", "\n".join(lines))
    repo.commit("ADRs", "2020-01-01")
    import os

    cwd = os.getcwd()
    os.chdir(repo.path)
    try:
        first = import_adrs(Path("adr"), "w", recursive=True)
        again = import_adrs(Path("adr"), "w", recursive=True, update=True)
    finally:
        os.chdir(cwd)
    assert len(first.imported) >= 15
    assert not [d for d in first.diagnostics if d.is_error]
    assert again.imported == () and all("unchanged" in f.reason for f in again.files if f.target)
