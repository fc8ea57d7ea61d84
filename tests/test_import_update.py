"""import --update, folder-per-ADR layouts, an empty folder, and the dates a folder writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from gitrepo import GitRepo

from mkdocs_wa.cli import main
from mkdocs_wa.source.lens import load_lens
from mkdocs_wa.source.validate import load_catalog

LENS = load_lens(None)[0]


def adr(number: int, title: str, status: str, consequences: str = "It gets easier.", date: str = "Date: 2019-01-01") -> str:
    return (
        f"# {number}. {title}\n\n{date}\n\n## Status\n\n{status}\n\n## Context\n\nWe need {title.lower()}.\n\n"
        f"## Decision\n\nWe {title.lower()}.\n\n## Consequences\n\n{consequences}\n"
    )


def run(repo: GitRepo, monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(repo.path)
    code = main(["import", *args])
    return code, capsys.readouterr().out


def decisions(repo: GitRepo) -> dict:
    catalog, diags = load_catalog([repo.path / "decisions"], LENS)
    assert [d.format() for d in diags if d.is_error] == []
    return catalog.by_id()


def test_update_refreshes_changed_sources_and_marks_superseded(tmp_path: Path, monkeypatch, capsys) -> None:
    from sites import build

    repo = GitRepo.init(tmp_path / "repo")
    repo.write("adr/0001-use-queues.md", adr(1, "Use queues", "Accepted"))
    repo.write("adr/0002-use-mysql.md", adr(2, "Use MySQL", "Accepted"))
    repo.commit("ADRs", "2019-01-01")
    code, out = run(repo, monkeypatch, capsys, "adr", "-w", "app")
    assert code == 0, out
    # A person adds what the import never writes.
    first = repo.path / "decisions/app/0001-use-queues.yaml"
    first.write_text(first.read_text("utf-8") + "# our hypothesis\nhypothesis:\n  statement: Queues halve the latency.\n  review_by: 2030-01-01\n", "utf-8")
    repo.write("docs/index.md", "# Home\n")
    repo.write("mkdocs.yml", yaml.safe_dump({"site_name": "T", "plugins": [{"well-architected": {"today": "2026-01-01", "history": False}}]}))
    repo.commit("Import", "2020-01-01")

    # Later: ADR 1 edited, ADR 3 supersedes ADR 2.
    repo.write("adr/0001-use-queues.md", adr(1, "Use queues", "Accepted", "Retries need care. It gets easier."))
    repo.write("adr/0003-use-postgresql.md", adr(3, "Use PostgreSQL", "Accepted\n\nSupersedes [2. Use MySQL](0002-use-mysql.md)"))
    repo.commit("More ADRs", "2021-01-01")

    unchanged = first.read_bytes()
    code, out = run(repo, monkeypatch, capsys, "adr", "-w", "app")
    assert code == 1, out  # ADR 2 must become superseded: that needs --update
    assert "adr/0001-use-queues.md: skipped: already imported as decisions/app/0001-use-queues.yaml (APP-0001), but it differs now: consequences changed" in out
    assert "adr/0002-use-mysql.md: skipped: already imported as decisions/app/0002-use-mysql.yaml (APP-0002), but it differs now: status: accepted → superseded" in out
    assert "run the import with --update" in out
    assert "adr/0003-use-postgresql.md: imported to decisions/app/0003-use-postgresql.yaml as APP-0003" in out
    assert first.read_bytes() == unchanged  # nothing overwritten unless asked

    code, out = run(repo, monkeypatch, capsys, "adr", "-w", "app", "--update")
    assert code == 0, out
    assert "adr/0001-use-queues.md: updated decisions/app/0001-use-queues.yaml (APP-0001, accepted)" in out
    assert "changed: consequences changed" in out
    assert "changed: status: accepted → superseded" in out
    d = decisions(repo)
    assert d["APP-0001"].consequences == "Retries need care. It gets easier.\n"
    assert d["APP-0001"].hypothesis is not None and d["APP-0001"].hypothesis.statement == "Queues halve the latency."
    assert "# our hypothesis\nhypothesis:\n  statement: Queues halve the latency.\n  review_by: 2030-01-01\n" in first.read_text("utf-8")
    assert d["APP-0002"].status == "superseded" and d["APP-0002"].superseded_by == ("APP-0003",)
    repo.commit("Update", "2021-01-02")
    result = build(repo.path, strict=True)
    assert result.returncode == 0, result.stderr

    code, out = run(repo, monkeypatch, capsys, "adr", "-w", "app", "--update")
    assert code == 0 and out.count("; unchanged") == 3, out


def test_folder_per_adr_layout_needs_recursive_and_an_empty_folder_fails(tmp_path: Path, monkeypatch, capsys) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("docs/decisions/0001-use-queues/index.md", adr(1, "Use queues", "Accepted", "See ![flow](flow.png)."))
    (repo.path / "docs/decisions/0001-use-queues/flow.png").write_bytes(b"\x89PNG-a")
    repo.write("docs/decisions/0002-use-cache/index.md", adr(2, "Use a cache", "Proposed", "See ![flow](flow.png)."))
    (repo.path / "docs/decisions/0002-use-cache/flow.png").write_bytes(b"\x89PNG-b")
    repo.write("docs/decisions/README.md", "# Decisions\n\nThe list.\n")
    repo.write("empty/notes.txt", "nothing here\n")
    repo.commit("ADRs", "2019-01-01")

    code, out = run(repo, monkeypatch, capsys, "docs/decisions", "-w", "app")
    assert code == 1, out
    assert "no ADR found in docs/decisions" in out
    assert "folder-per-ADR layout: use --recursive" in out
    assert not (repo.path / "decisions/app").exists()

    code, out = run(repo, monkeypatch, capsys, "empty", "-w", "app")
    assert code == 1 and "no ADR found in empty: it holds no Markdown file" in out

    code, out = run(repo, monkeypatch, capsys, "docs/decisions", "-w", "app", "--recursive")
    assert code == 0, out
    d = decisions(repo)
    assert d["APP-0001"].path == "decisions/app/0001-use-queues.yaml" and d["APP-0001"].title == "Use queues"
    assert d["APP-0002"].path == "decisions/app/0002-use-cache.yaml"
    assert d["APP-0001"].imported_from.path == "docs/decisions/0001-use-queues/index.md"
    # each folder's image keeps its own folder
    assert "![flow](assets/0001-use-queues/flow.png)" in d["APP-0001"].consequences
    assert (repo.path / "decisions/app/assets/0001-use-queues/flow.png").read_bytes() == b"\x89PNG-a"
    assert (repo.path / "decisions/app/assets/0002-use-cache/flow.png").read_bytes() == b"\x89PNG-b"


def test_day_month_order_from_the_folder_two_digit_years_and_late_dates(tmp_path: Path, monkeypatch, capsys) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("adr/0001-a.md", adr(1, "Use A", "Accepted", date="Date: 26/03/2018"))
    repo.write("adr/0002-b.md", adr(2, "Use B", "Accepted", date="Date 09/04/2018"))
    repo.write("adr/0003-c.md", adr(3, "Use C", "Accepted", date="Date: 12/05/18"))
    repo.commit("ADRs", "2018-04-20")
    repo.write("adr/0004-d.md", adr(4, "Use D", "Accepted", date="Date: 2018-06-01"))
    repo.commit("ADR 4", "2018-05-01")
    code, out = run(repo, monkeypatch, capsys, "adr", "-w", "app")
    assert code == 0, out
    d = decisions(repo)
    assert d["APP-0001"].date == dt.date(2018, 3, 26)
    assert d["APP-0002"].date == dt.date(2018, 4, 9)
    assert d["APP-0002"].sections == ()  # the date was read: no "as written" text left over
    assert d["APP-0003"].date == dt.date(2018, 5, 12)
    assert "'09/04/2018' read as day/month, 2018-04-09, as the folder's other dates are written (e.g. '26/03/2018')" in out
    # written after its first commit: kept, and flagged
    assert d["APP-0004"].date == dt.date(2018, 6, 1)
    assert "the written date, 2018-06-01, is later than the file's first commit, 2018-05-01" in out
    assert "the written date, 2018-03-26" not in out


def test_assets_are_never_written_through_a_symlinked_folder(tmp_path: Path, monkeypatch, capsys) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("adr/0001-use-x.md", adr(1, "Use X", "Accepted", "See ![d](d.png)."))
    (repo.path / "adr/d.png").write_bytes(b"\x89PNG")
    repo.commit("ADR", "2019-01-01")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo.path / "decisions").mkdir()
    (repo.path / "decisions/app").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.chdir(repo.path)
    code = main(["import", "adr", "-w", "app"])
    err = capsys.readouterr().err
    assert not (elsewhere / "assets").exists() and list(elsewhere.iterdir()) == []
    # the workload folder itself is refused before anything is written
    assert code == 2 and "is a symbolic link" in err, err


def test_a_source_moved_after_its_import_is_the_same_adr(tmp_path: Path, monkeypatch, capsys) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("doc/adr/0001-use-queues.md", adr(1, "Use queues", "Accepted"))
    repo.commit("ADR", "2019-01-01")
    code, out = run(repo, monkeypatch, capsys, "doc/adr", "-w", "app")
    assert code == 0, out
    repo.commit("Import", "2019-02-01")
    repo.move("doc/adr/0001-use-queues.md", "docs/decisions/0001-use-queues.md")
    repo.commit("Move the ADRs", "2020-01-01")
    code, out = run(repo, monkeypatch, capsys, "docs/decisions", "-w", "app")
    assert "docs/decisions/0001-use-queues.md: skipped: already imported as decisions/app/0001-use-queues.yaml (APP-0001)" in out
    assert "imported_from changed" in out
    code, out = run(repo, monkeypatch, capsys, "docs/decisions", "-w", "app", "--update")
    assert code == 0, out
    d = decisions(repo)
    assert list(d) == ["APP-0001"]
    assert d["APP-0001"].imported_from.path == "docs/decisions/0001-use-queues.md"
    assert d["APP-0001"].imported_from.renamed_from == ("doc/adr/0001-use-queues.md",)
