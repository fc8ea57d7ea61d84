"""The demo repository: the case studies replayed as backdated commits, and the CLI."""

from __future__ import annotations

import datetime as dt
import filecmp
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import GitRepo, decision_yaml, large_repo

from mkdocs_wa.analysis.changes import describe_change
from mkdocs_wa.analysis.timeline import build_timelines
from mkdocs_wa.authoring.demo import case_study_commits, make_demo_repo, setup_files, write_git_repo
from mkdocs_wa.cli import main
from mkdocs_wa.history.reader import read_history
from mkdocs_wa.model import Lens
from mkdocs_wa.source.validate import load_catalog

PROJECT = Path(__file__).resolve().parent.parent


def case_studies(root: Path) -> Path:
    """A small stand-in for decisions/: a workload of three iterations and a proposal."""
    d = root / "decisions" / "live-video"
    d.mkdir(parents=True)
    m = {"Response time": ("s", "<= 2.5", 10)}
    (d / "0001-poc.yaml").write_text(
        decision_yaml("VID-0001", status="superseded", date="2021-03-01", metrics=m, result=("refuted", "2021-04-10"), pillars={"reliability": 1})
    )
    (d / "0002-split.yaml").write_text(
        decision_yaml(
            "VID-0002", status="superseded", date="2021-04-14", supersedes=["VID-0001"], metrics={"Response time": ("s", "<= 2.5", 4.5)},
            result=("inconclusive", "2021-04-28"), pillars={"reliability": 2},
        )
    )
    (d / "0003-cdn.yaml").write_text(
        decision_yaml("VID-0003", status="accepted", date="2021-05-10", supersedes=["VID-0002"], pillars={"reliability": 4})
    )
    (d / "0004-ivs.yaml").write_text(decision_yaml("VID-0004", status="proposed", date="2021-11-08", pillars={"reliability": 4}))
    return root / "decisions"


def test_replay_commits_dates_and_tags(tmp_path: Path) -> None:
    commits = case_study_commits(
        case_studies(tmp_path / "src"), setup={"mkdocs.yml": "site_name: x\n"}, tags=[("launch-day", "VID-0001", "result"), ("cdn", "VID-0003", "accept")]
    )
    assert [(c.when.date().isoformat(), c.message) for c in commits] == [
        ("2021-02-22", "Start the architecture site"),
        ("2021-03-01", "Propose VID-0001: Decision VID-0001"),
        ("2021-03-04", "Accept VID-0001: Decision VID-0001"),
        ("2021-04-10", "Record the result of VID-0001: refuted"),
        ("2021-04-14", "Propose VID-0002: Decision VID-0002"),
        ("2021-04-17", "Accept VID-0002: Decision VID-0002; supersede VID-0001"),
        ("2021-04-28", "Record the result of VID-0002: inconclusive"),
        ("2021-05-10", "Propose VID-0003: Decision VID-0003"),
        ("2021-05-13", "Accept VID-0003: Decision VID-0003; supersede VID-0002"),
        ("2021-11-08", "Propose VID-0004: Decision VID-0004"),
    ]
    assert [(c.message.split(":")[0], c.tags) for c in commits if c.tags] == [
        ("Record the result of VID-0001", ("launch-day",)),
        ("Accept VID-0003", ("cdn",)),
    ]
    accept = commits[5]
    assert set(accept.write) == {"decisions/live-video/0001-poc.yaml", "decisions/live-video/0002-split.yaml"}
    proposed = commits[4].write["decisions/live-video/0002-split.yaml"]
    assert "status: proposed" in proposed and "observed" not in proposed and "result:" not in proposed and "pillars:" not in proposed


def test_demo_repository_history_and_timeline(tmp_path: Path, aws_lens: Lens) -> None:
    source = tmp_path / "src"
    case_studies(source)
    (source / "mkdocs.yml").write_text("site_name: demo\n")
    (source / "docs").mkdir()
    (source / "docs" / "index.md").write_text("# Hi\n")
    (source / "docs" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00binary")
    out = tmp_path / "demo"

    commits = make_demo_repo(out, source)

    repo = GitRepo(out)
    assert repo.git("rev-list", "--count", "HEAD").strip() == str(len(commits))
    assert repo.git("status", "--porcelain") == ""
    assert not filecmp.dircmp(source / "decisions", out / "decisions").diff_files
    assert (out / "docs" / "logo.png").read_bytes() == (source / "docs" / "logo.png").read_bytes()
    # Author and committer dates are both backdated.
    first = repo.git("log", "--reverse", "--format=%aI|%cI").splitlines()[0]
    assert first == "2021-02-22T09:00:00+00:00|2021-02-22T09:00:00+00:00"
    # Of the default tags, only the one whose decision and event the stand-in has.
    assert repo.git("tag", "-l").split() == ["launch-day"]
    assert repo.git("log", "-1", "--format=%s|%cI", "launch-day").strip() == "Record the result of VID-0001: refuted|2021-04-10T16:00:00+00:00"

    history = read_history(out, out / "decisions")
    assert history.warning is None
    cat, diags = load_catalog([out / "decisions"], aws_lens, display=lambda p: p.relative_to(out).as_posix())
    t = build_timelines(cat, history)["live-video"]
    assert [(s.status, s.date.isoformat()) for s in t.iterations[0].statuses] == [
        ("proposed", "2021-03-01"),
        ("accepted", "2021-03-04"),
        ("superseded", "2021-04-17"),
    ]
    changes = [describe_change(c) for r in history.of("decisions/live-video/0001-poc.yaml").revisions for c in r.changes]
    assert changes == [
        "created as proposed",
        "status: proposed → accepted",
        "result recorded: refuted",
        "Response time: observed 10 s",
        "reliability: scored 1",
        "status: accepted → superseded",
    ]


def test_the_project_case_studies_replay(tmp_path: Path) -> None:
    """The real decisions/: every file ends as written, and the default tags exist."""
    out = tmp_path / "demo"
    commits = make_demo_repo(out, PROJECT)
    assert not filecmp.dircmp(PROJECT / "decisions", out / "decisions").diff_files
    repo = GitRepo(out)
    tags = set(repo.git("tag", "-l").split())
    assert {"launch-day", "v2-serverless"} <= tags
    dates = [c.when for c in commits]
    assert dates == sorted(dates) and dates[0].year == 2021
    history = read_history(out, out / "decisions")
    assert history.warning is None and {m.tag for m in history.milestones} == tags


def test_setup_files_without_mkdocs_yml(tmp_path: Path) -> None:
    files = setup_files(tmp_path)
    assert "well-architected" in str(files["mkdocs.yml"]) and "docs/index.md" in files


def test_cli_repo_only_and_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "src"
    case_studies(source)
    out = tmp_path / "out"
    assert main(["demo", "--source", str(source), "--output", str(out), "--repo-only"]) == 0
    assert "demo repository:" in capsys.readouterr().out
    assert (out / ".git").is_dir() and (out / "mkdocs.yml").is_file()

    # A folder that is not empty is left alone...
    assert main(["demo", "--source", str(source), "--output", str(out), "--repo-only"]) == 2
    assert "--force" in capsys.readouterr().err
    # ...unless --force, but never one that holds the current folder or the source.
    monkeypatch.chdir(out)
    assert main(["demo", "--source", str(source), "--output", str(out), "--repo-only", "--force"]) == 2
    assert "current folder" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--source", str(source), "--output", str(tmp_path), "--repo-only", "--force"]) == 2
    (out / "stale.txt").write_text("x")
    assert main(["demo", "--source", str(source), "--output", str(out), "--repo-only", "--force"]) == 0
    assert not (out / "stale.txt").exists()
    assert main(["demo", "--source", str(tmp_path / "nowhere"), "--repo-only"]) == 2


def test_cli_help_lists_the_modes() -> None:
    done = subprocess.run([sys.executable, "-m", "mkdocs_wa", "demo", "--help"], capture_output=True, text=True, check=True)
    assert "--serve" in done.stdout and "--build" in done.stdout and "--output" in done.stdout


def test_synthetic_history_is_valid_and_tagged(tmp_path: Path, aws_lens: Lens) -> None:
    repo = large_repo(tmp_path / "big", decisions=30, commits=300, workloads=3, tag_every=100, seed=7)
    assert repo.git("rev-list", "--count", "HEAD").strip() == "300"
    assert repo.git("tag", "-l").split() == ["release-0", "release-1", "release-2"]
    cat, diags = load_catalog([repo.path / "decisions"], aws_lens)
    assert len(cat.decisions) == 30 and not [d for d in diags if d.is_error]
    history = read_history(repo.path, repo.path / "decisions")
    assert history.warning is None and len(history.files) == 30
    # Renames (retitles) keep their history: every file's first revision created it.
    assert all(fh.revisions[0].changes[0].kind == "created" for fh in history.files.values())
    assert sum(len(fh.revisions) for fh in history.files.values()) >= 300


def test_write_git_repo_renames_and_deletes(tmp_path: Path) -> None:
    from mkdocs_wa.authoring.demo import CommitSpec

    when = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    write_git_repo(
        tmp_path / "r",
        [
            CommitSpec("one", when, write={"a b.txt": "1\n", "c.txt": "2\n"}),
            CommitSpec("two", when + dt.timedelta(days=1), rename=(("a b.txt", "d/é.txt"),), delete=("c.txt",), tags=("v1",)),
        ],
    )
    repo = GitRepo(tmp_path / "r")
    assert sorted(repo.git("ls-files", "-z").split("\0")[:-1]) == ["d/é.txt"]
    assert repo.log() == ["two", "one"]
    assert repo.git("log", "-1", "--format=%aI", "v1").strip() == "2020-01-02T00:00:00+00:00"
