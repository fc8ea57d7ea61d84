"""Imported ADRs keep their own history: statuses edited over commits, renames, a folder
move, a project below the repository root; and the importer's regexes stay linear."""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from pathlib import Path

import pytest
from gitrepo import GitRepo

from mkdocs_wa.adr_import.common import is_placeholder, match_meta, split_title
from mkdocs_wa.adr_import.gitinfo import commit_date, read_git
from mkdocs_wa.adr_import.markdown import clean, strip_comments
from mkdocs_wa.cli import main
from mkdocs_wa.history import read_history
from mkdocs_wa.adr_import.source import history_fields


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
    changes = [(r.date.date(), c.describe()) for r in first.revisions for c in r.changes]
    assert (dt.date(2018, 3, 1), "created as proposed") in changes
    assert (dt.date(2018, 3, 8), "status: proposed → accepted") in changes
    second = history.of("decisions/data/0002-use-a-relational-database.yaml", "doc/decisions/0002-use-a-relational-database.md")
    changes = [(r.date.date(), c.describe()) for r in second.revisions for c in r.changes]
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
    # 200,000 characters in well under a second (the old patterns took minutes).
    assert _timed(fn, text) < 1.0


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
