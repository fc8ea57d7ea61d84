"""History from real git repositories: backdated commits, renames, tags, shallow clones."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from gitrepo import GitRepo, decision_yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_wa.analysis.changes import describe_change
from mkdocs_wa.changes import TRACKED
from mkdocs_wa.history.model import History
from mkdocs_wa.history.parse import _BROKEN
from mkdocs_wa.history.parse import Reader as _Reader
from mkdocs_wa.history.reader import read_history
from mkdocs_wa.memo import Memo
from mkdocs_wa.source.load import load_data, parse_text

P = "decisions/shop/0001-cache.yaml"


def describe(history: History, path: str) -> list[tuple[str, str, list[str]]]:
    return [(r.date.date().isoformat(), r.subject, [describe_change(c) for c in r.changes]) for r in history.of(path).revisions]


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return GitRepo.init(tmp_path / "site")


def test_status_transitions_results_and_scores_on_the_dates_of_their_commits(repo: GitRepo) -> None:
    m = {"p95 response time": ("ms", "<= 500", None), "Monthly cost": ("USD/month", "<= 9000", None)}
    repo.write(P, decision_yaml("SHOP-0001", metrics=m))
    repo.commit("Propose a cache", "2021-03-01", author="Grace Hopper <grace@example.com>")
    repo.write(P, decision_yaml("SHOP-0001", status="accepted", metrics=m, pillars={"reliability": 2, "security": 4}))
    repo.commit("Accept the cache", "2021-03-05")
    m2 = {"p95 response time": ("ms", "<= 400", 420), "Monthly cost": ("USD/month", "<= 9000", None)}
    repo.write(
        P,
        decision_yaml(
            "SHOP-0001", status="accepted", metrics=m2, result=("refuted", "2021-04-01"), pillars={"reliability": 3, "security": 4}
        ),
    )
    repo.commit("Record the result", "2021-04-01")

    history = read_history(repo.path, repo.path / "decisions")

    assert history.warning is None and history.available and history.commits == 3
    assert describe(history, P) == [
        ("2021-03-01", "Propose a cache", ["created as proposed"]),
        ("2021-03-05", "Accept the cache", ["status: proposed → accepted", "reliability: scored 2", "security: scored 4"]),
        (
            "2021-04-01",
            "Record the result",
            ["result recorded: refuted", "p95 response time: observed 420 ms", "p95 response time: target <= 500 → <= 400", "reliability: 2 → 3"],
        ),
    ]
    fh = history.of(P)
    assert fh.revisions[0].author == "Grace Hopper"
    assert fh.revisions[1].date == dt.datetime(2021, 3, 5, 12, tzinfo=dt.UTC)
    assert [(r.date.date(), c.old, c.new) for r in fh.revisions for c in r.changes if c.kind in ("created", "status")] == [
        (dt.date(2021, 3, 1), None, "proposed"),
        (dt.date(2021, 3, 5), "proposed", "accepted"),
    ]
    assert fh.revisions[-1].fields["pillars"]["reliability"] == {"score": 3}
    assert yaml.safe_load(fh.revisions[-1].text)["result"]["outcome"] == "refuted"  # the whole file
    assert not fh.uncommitted and fh.note is None


LONG = "consequences: |\n" + "".join(f"  Line {i} of what follows from the decision.\n" for i in range(12))


def test_a_renamed_and_renumbered_file_keeps_its_history(repo: GitRepo) -> None:
    # git pairs a deleted and an added file as a rename when they are at least 50% alike.
    repo.write(P, decision_yaml("SHOP-0001", extra=LONG))
    repo.write("decisions/shop/0002-other.yaml", decision_yaml("SHOP-0002"))
    repo.commit("Two proposals", "2021-03-01")
    new = "decisions/checkout/0007-cache.yaml"
    repo.move(P, new)
    repo.write(new, repo.read(new).replace("SHOP-0001", "CHK-0007"))
    repo.commit("Renumber the cache decision", "2021-03-02")
    repo.write(new, repo.read(new).replace("status: proposed", "status: accepted"))
    repo.commit("Accept it", "2021-03-03")

    history = read_history(repo.path, repo.path / "decisions")

    assert set(history.files) == {new, "decisions/shop/0002-other.yaml"}
    revisions = history.of(new).revisions
    assert [r.path for r in revisions] == [P, new, new]
    assert [describe_change(c) for c in revisions[1].changes] == [
        f"renamed from {P}",
        "id: SHOP-0001 → CHK-0007",
        "title: Decision SHOP-0001 → Decision CHK-0007",
        "context edited",
    ]
    assert [describe_change(c) for c in revisions[2].changes] == ["status: proposed → accepted"]
    assert revisions[0].changes[0].kind == "created"
    assert [describe_change(c) for c in history.of("decisions/shop/0002-other.yaml").revisions[0].changes] == ["created as proposed"]


def test_paths_with_spaces_and_accents_and_a_pure_rename(repo: GitRepo) -> None:
    odd = 'decisions/café/0001 a "cache".yaml'
    repo.write(odd, decision_yaml("CAFE-0001"))
    repo.commit("Propose", "2021-03-01")
    moved = "decisions/café/0002 été.yaml"
    repo.move(odd, moved)
    repo.commit("Rename only", "2021-03-02")

    history = read_history(repo.path, repo.path / "decisions")

    revisions = history.of(moved).revisions
    assert [r.path for r in revisions] == [odd, moved]
    assert [describe_change(c) for c in revisions[1].changes] == [f"renamed from {odd}"]
    assert revisions[1].status == "proposed"  # a pure rename keeps the text it had


def test_supersedes_added_and_a_deleted_decision_ignored(repo: GitRepo) -> None:
    repo.write(P, decision_yaml("SHOP-0001", status="accepted"))
    repo.write("decisions/shop/0009-gone.yaml", decision_yaml("SHOP-0009"))
    repo.commit("Start", "2021-03-01")
    repo.write("decisions/shop/0002-cdn.yaml", decision_yaml("SHOP-0002", status="accepted"))
    repo.remove("decisions/shop/0009-gone.yaml")
    repo.commit("A CDN", "2021-03-02")
    repo.write("decisions/shop/0002-cdn.yaml", decision_yaml("SHOP-0002", status="accepted", supersedes=["SHOP-0001"]))
    repo.write(P, decision_yaml("SHOP-0001", status="superseded"))
    repo.commit("The CDN replaces the cache", "2021-03-03")

    history = read_history(repo.path, repo.path / "decisions")

    assert set(history.files) == {P, "decisions/shop/0002-cdn.yaml"}
    assert describe(history, "decisions/shop/0002-cdn.yaml")[-1][2] == ["supersedes SHOP-0001"]
    assert describe(history, P)[-1][2] == ["status: accepted → superseded"]


def test_uncommitted_changes_and_uncommitted_files_give_one_warning(repo: GitRepo) -> None:
    repo.write(P, decision_yaml("SHOP-0001"))
    repo.commit("Propose", "2021-03-01")
    repo.write(P, decision_yaml("SHOP-0001", status="accepted"))  # not committed
    repo.write("decisions/shop/0002-new.yaml", decision_yaml("SHOP-0002"))
    repo.write("decisions/shop/0003-new.yaml", decision_yaml("SHOP-0003"))

    history = read_history(repo.path, repo.path / "decisions")

    last = history.of(P).revisions[-1]
    assert last.uncommitted and last.commit == "" and last.subject == "uncommitted changes"
    assert [describe_change(c) for c in last.changes] == ["status: proposed → accepted"]
    new = history.of("decisions/shop/0002-new.yaml")
    assert new.note and "not committed" in new.note.lower()
    assert [describe_change(c) for c in new.revisions[0].changes] == ["created as proposed"]
    assert new.created is None and new.uncommitted
    # One message for both files, saying how to publish them: information, not a warning
    # (a draft previewed before it is committed is the normal way to write one); the
    # modified file is not in it.
    assert history.warning is None
    assert history.drafts == ("decisions/shop/0002-new.yaml", "decisions/shop/0003-new.yaml")
    assert history.info is not None
    assert "2 decision files are not committed" in history.info and "drafts" in history.info
    assert "0002-new.yaml" in history.info and "0003-new.yaml" in history.info and "0001" not in history.info
    assert "git commit" in history.info


def test_line_endings_alone_are_not_an_uncommitted_change(repo: GitRepo) -> None:
    repo.write(P, decision_yaml("SHOP-0001"))
    repo.commit("Propose", "2021-03-01")
    (repo.path / P).write_bytes(decision_yaml("SHOP-0001").replace("\n", "\r\n").encode())
    assert not read_history(repo.path, repo.path / "decisions").of(P).uncommitted


def test_tags_are_milestones_with_their_dates_and_files(repo: GitRepo) -> None:
    repo.write(P, decision_yaml("SHOP-0001"))
    repo.commit("Propose", "2021-03-01")
    repo.write(P, decision_yaml("SHOP-0001", status="accepted"))
    repo.commit("Accept", "2021-03-10")
    repo.tag("launch-day")
    repo.tag("v1", lightweight=True)
    repo.write("README.md", "not a decision\n")
    repo.commit("Docs only", "2021-03-12")
    repo.tag("docs-only")  # on a commit that touches no decision: not a milestone of them
    repo.write("decisions/shop/0002-cdn.yaml", decision_yaml("SHOP-0002"))
    repo.commit("Propose a CDN", "2021-05-01")
    repo.tag("v2-serverless")

    history = read_history(repo.path, repo.path / "decisions")

    assert [(m.tag, m.date.date().isoformat(), m.paths) for m in history.milestones] == [
        ("launch-day", "2021-03-10", (P,)),
        ("v1", "2021-03-10", (P,)),
        ("v2-serverless", "2021-05-01", ("decisions/shop/0002-cdn.yaml",)),
    ]
    assert history.of(P).revisions[1].tags == ("launch-day", "v1")


def test_a_broken_historic_revision_is_skipped(repo: GitRepo) -> None:
    repo.write(P, decision_yaml("SHOP-0001"))
    repo.commit("Propose", "2021-03-01")
    repo.write(P, "schema: 1\nid: [unclosed\n")
    repo.commit("Oops", "2021-03-02")
    repo.write(P, decision_yaml("SHOP-0001", status="accepted"))
    repo.commit("Fix and accept", "2021-03-03")

    history = read_history(repo.path, repo.path / "decisions")

    revisions = history.of(P).revisions
    assert not revisions[1].readable and [c.kind for c in revisions[1].changes] == ["unreadable"]
    # The change is measured against the last revision that could be read.
    assert [describe_change(c) for c in revisions[2].changes] == ["status: proposed → accepted"]
    assert history.warning is None


def test_a_file_created_broken_is_both_created_and_unreadable(repo: GitRepo) -> None:
    repo.write(P, "schema: 1\nid: [unclosed\n")
    repo.commit("Start", "2021-03-01")
    repo.write(P, decision_yaml("SHOP-0001", status="accepted"))
    repo.commit("Fix", "2021-03-02")

    first, second = read_history(repo.path, repo.path / "decisions").of(P).revisions
    assert [(c.kind, c.new) for c in first.changes] == [("created", None), ("unreadable", None)]
    assert not first.readable and second.readable


def test_a_branch_commit_is_compared_with_its_own_parent(repo: GitRepo) -> None:
    repo.write(P, decision_yaml("SHOP-0001", pillars={"reliability": 2}))
    repo.commit("Propose", "2021-03-01")
    repo.branch("scores")
    repo.write(P, decision_yaml("SHOP-0001", pillars={"reliability": 4}))
    repo.commit("Rescore on a branch", "2021-03-03")
    repo.checkout("main")
    repo.write(P, decision_yaml("SHOP-0001", status="accepted", pillars={"reliability": 2}))
    repo.commit("Accept on main", "2021-03-02")
    repo.merge("scores", "Merge scores", "2021-03-04")

    history = read_history(repo.path, repo.path / "decisions")

    by_subject = {r.subject: [describe_change(c) for c in r.changes] for r in history.of(P).revisions}
    # In date order the branch commit follows "Accept on main"; against its own parent it
    # changed a score only, and did not "revert" the status.
    assert by_subject["Rescore on a branch"] == ["reliability: 2 → 4"]
    assert by_subject["Accept on main"] == ["status: proposed → accepted"]


def test_project_root_below_the_repository_root(repo: GitRepo) -> None:
    repo.write("site/decisions/shop/0001-cache.yaml", decision_yaml("SHOP-0001"))
    repo.commit("Propose", "2021-03-01")

    history = read_history(repo.path / "site", repo.path / "site" / "decisions")

    assert list(history.files) == [P]
    assert history.of(P).revisions[0].path == P
    assert history.of(os.path.join("decisions", "shop", "0001-cache.yaml")).revisions  # os.sep accepted


def test_decisions_outside_the_project_root(repo: GitRepo) -> None:
    repo.write(P, decision_yaml("SHOP-0001"))
    repo.write("site/mkdocs.yml", "site_name: x\n")
    repo.commit("Propose", "2021-03-01")

    history = read_history(repo.path / "site", repo.path / "decisions")

    assert list(history.files) == ["../" + P]
    assert history.of(str(repo.path / P)).revisions[0].subject == "Propose"  # an absolute path works too


def test_imported_markdown_history_comes_first(repo: GitRepo) -> None:
    md = "docs/adr/0001-use-a-cache.md"
    repo.write(md, "# 1. Use a cache\n\n## Status\n\nProposed\n")
    repo.commit("ADR 1", "2020-01-01")
    repo.write(md, "# 1. Use a cache\n\n## Status\n\nAccepted\n")
    repo.commit("Accept ADR 1", "2020-02-01")
    repo.remove(md)
    repo.write(P, decision_yaml("SHOP-0001", status="accepted", extra=f"imported_from:\n  path: {md}\n"))
    repo.commit("Import ADRs", "2021-01-01")

    def parse_md(text: str) -> dict[str, str]:
        return {"status": text.split("## Status\n\n", 1)[1].split()[0].lower()}

    history = read_history(repo.path, repo.path / "decisions", extra_paths=[md], extra_parser=parse_md)
    revisions = history.of(P, imported_from=md).revisions

    assert [(r.subject, r.path) for r in revisions] == [
        ("ADR 1", md),
        ("Accept ADR 1", md),
        ("Import ADRs", P),  # the commit that deleted the original shows once
    ]
    assert [describe_change(c) for c in revisions[1].changes] == ["status: proposed → accepted"]
    merged = history.of(P, imported_from=md).revisions
    assert [c.new for r in merged for c in r.changes if c.kind in ("created", "status")] == ["proposed", "accepted", "accepted"]
    assert history.of(P).revisions[0].subject == "Import ADRs"  # without imported_from: the YAML alone
    assert history.warning is None


# --- one git process -----------------------------------------------------------------


def git_wrapper(folder: Path) -> tuple[dict[str, str], Path]:
    """An environment whose PATH starts with a ``git`` that logs its arguments (one line
    per start) and then runs the real git: every git process counts, at import too."""
    real = shutil.which("git")
    assert real is not None
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "starts.log"
    script = folder / "git"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_PYTHON", "GIT_DIR", "GIT_WORK_TREE"))}
    env["PATH"] = f"{folder}{os.pathsep}{env.get('PATH', '')}"
    return env, log


def starts(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for git")
def test_exactly_one_git_process_per_read_counting_the_import(repo: GitRepo, tmp_path: Path) -> None:
    for i in range(1, 6):
        repo.write(f"decisions/shop/000{i}-d.yaml", decision_yaml(f"SHOP-000{i}"))
        repo.commit(f"Propose {i}", f"2021-03-0{i}")
        repo.tag(f"t{i}")
    # edited since: the committed version is not on disk, so it is fetched
    repo.write("decisions/shop/0001-d.yaml", decision_yaml("SHOP-0001", status="accepted"))
    env, log = git_wrapper(tmp_path / "bin")
    script = (
        "import json, sys; from pathlib import Path; from mkdocs_wa.history.reader import read_history;"
        "h = read_history(Path(sys.argv[1]), Path(sys.argv[1]) / 'decisions');"
        "print(json.dumps([len(h.files), len(h.milestones), 'git' in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", script, str(repo.path)], env=env, capture_output=True, text=True, check=True)

    assert json.loads(done.stdout) == [5, 5, False]  # GitPython not even imported
    # The log, then one cat-file for every blob it names: no `git version` before them.
    line, blobs = starts(log)
    assert " --literal-pathspecs log --raw -z --no-abbrev -M " in line and line.endswith(" -- decisions"), line
    assert blobs.endswith(" cat-file --batch"), blobs


# --- when git is not there -----------------------------------------------------------


def test_a_shallow_clone_gives_one_warning_saying_how_to_fetch(repo: GitRepo, tmp_path: Path) -> None:
    repo.write(P, decision_yaml("SHOP-0001"))
    repo.commit("Propose", "2021-03-01")
    repo.write(P, decision_yaml("SHOP-0001", status="accepted"))
    repo.commit("Accept", "2021-03-02")
    clone = repo.shallow_clone(tmp_path / "ci")
    assert (clone.path / ".git" / "shallow").exists()

    # Built from a subfolder: the check looks at the repository's git dir, not the cwd.
    history = read_history(clone.path / "decisions", clone.path / "decisions")

    assert history.warning is not None and "shallow" in history.warning
    assert "fetch-depth: 0" in history.warning and "git fetch --unshallow" in history.warning
    assert not history.available and history.files == {}
    assert "shallow clone" in (history.of("shop/0001-cache.yaml").note or "")


def test_not_a_git_repository(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    (folder / "decisions" / "shop").mkdir(parents=True)
    (folder / "decisions" / "shop" / "0001-a.yaml").write_text(decision_yaml("SHOP-0001"))

    history = read_history(folder, folder / "decisions")

    assert history.warning is not None and "not in a git repository" in history.warning
    assert history.of("decisions/shop/0001-a.yaml").note == "No history: the site was not built from a git repository."
    assert history.of("decisions/shop/0001-a.yaml").revisions == ()


def test_a_repository_without_commits(repo: GitRepo) -> None:
    repo.write(P, decision_yaml("SHOP-0001"))
    history = read_history(repo.path, repo.path / "decisions")
    assert history.available and history.commits == 0
    assert history.warning is None and history.info is not None and "a decision file is not committed" in history.info
    assert history.of(P).revisions[0].uncommitted


def test_git_missing_after_import(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write(P, decision_yaml("SHOP-0001"))
    repo.commit("Propose", "2021-03-01")
    # The variable GitPython honours (the other git features use GitPython): honoured too.
    monkeypatch.setenv("GIT_PYTHON_GIT_EXECUTABLE", str(repo.path / "no-such-git"))
    history = read_history(repo.path, repo.path / "decisions")
    assert history.warning is not None and "git is not installed" in history.warning
    assert not history.available


def test_git_not_on_path(repo: GitRepo, tmp_path: Path) -> None:
    repo.write(P, decision_yaml("SHOP-0001"))
    repo.commit("Propose", "2021-03-01")
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_PYTHON")}
    env["PATH"] = str(empty)
    script = (
        "import json, sys; from pathlib import Path; from mkdocs_wa.history.reader import read_history;"
        "h = read_history(Path(sys.argv[1]), Path(sys.argv[1]) / 'decisions');"
        "print(json.dumps([h.warning, h.reason]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(repo.path)], env=env, capture_output=True, text=True, check=True
    )
    warning, reason = json.loads(done.stdout)
    assert "git is not installed" in warning and "install git" in warning
    assert reason == "No history: git is not installed."


# --- finding the repository without git ------------------------------------------------


def _two_commits(repo: GitRepo) -> None:
    repo.write(P, decision_yaml("SHOP-0001"))
    repo.commit("Propose", "2021-03-01")
    repo.write(P, decision_yaml("SHOP-0001", status="accepted"))
    repo.commit("Accept", "2021-03-02")
    repo.tag("v1")


def test_a_linked_worktree_reads_tags_and_shallow_marker_from_the_common_dir(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_commits(repo)
    repo.git("worktree", "add", "-q", "-b", "side", str(tmp_path / "wt"))
    wt = tmp_path / "wt"
    assert (wt / ".git").is_file()

    history = read_history(wt, wt / "decisions")
    assert [r.subject for r in history.of(P).revisions] == ["Propose", "Accept"]
    assert [m.tag for m in history.milestones] == ["v1"]
    # A new tag lives in the common dir: the cached read is not reused.
    repo.tag("v2")
    assert [m.tag for m in read_history(wt, wt / "decisions").milestones] == ["v1", "v2"]

    clone = repo.shallow_clone(tmp_path / "ci")
    clone.git("worktree", "add", "-q", "-b", "side", str(tmp_path / "ci-wt"))
    shallow = read_history(tmp_path / "ci-wt", tmp_path / "ci-wt" / "decisions")
    assert not shallow.available and "shallow" in (shallow.warning or "")


def test_a_git_file_with_a_relative_path_as_in_a_submodule(repo: GitRepo, tmp_path: Path) -> None:
    _two_commits(repo)
    store = tmp_path / "store"
    store.mkdir()
    (repo.path / ".git").rename(store / "site.git")
    (repo.path / ".git").write_text("gitdir: ../store/site.git\n", encoding="utf-8")
    assert repo.log() == ["Accept", "Propose"]  # git itself accepts it

    history = read_history(repo.path / "decisions", repo.path / "decisions")  # built from a subfolder
    assert [r.subject for r in history.of("shop/0001-cache.yaml").revisions] == ["Propose", "Accept"]


def test_git_dir_and_work_tree_from_the_environment(repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _two_commits(repo)
    (repo.path / ".git").rename(tmp_path / "elsewhere.git")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_DIR", "elsewhere.git")  # relative to the current folder, as git reads it
    monkeypatch.setenv("GIT_WORK_TREE", str(repo.path))

    history = read_history(repo.path, repo.path / "decisions")
    assert [r.subject for r in history.of(P).revisions] == ["Propose", "Accept"]
    assert not history.of(P).uncommitted


def test_a_bare_repository(repo: GitRepo, tmp_path: Path) -> None:
    _two_commits(repo)
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(bare)], check=True, capture_output=True)

    history = read_history(bare, bare / "decisions")
    assert not history.available and history.warning == "no history for the decisions: the repository is bare"


def test_git_log_failing_gives_its_first_error_line(repo: GitRepo) -> None:
    _two_commits(repo)
    blob = repo.git("rev-parse", f"HEAD~1:{P}").strip()  # not the version on disk, which is read from there
    (repo.path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()  # a corrupt repository

    history = read_history(repo.path, repo.path / "decisions", cache=False)
    assert not history.available and history.reason == "No history: git could not read the history."
    assert history.warning is not None and history.warning.startswith("no history for the decisions: git log failed: ")
    assert blob in history.warning and "\n" not in history.warning


# --- the block-wise parse gives what a whole-file parse gives -----------------------

TRICKY = [
    # flow style at the top level
    "{schema: 1, id: A-1, status: accepted, pillars: {security: {score: 3}}}\n",
    # a quoted scalar running over lines at column 0
    'schema: 1\ncontext: "a\nstatus: rejected"\nstatus: accepted\n',
    # an anchor in an untracked block used by a tracked one
    "tags: &t [a]\nsupersedes: *t\nstatus: accepted\n",
    # an indentless sequence, comments between entries, a key with a space before the colon
    "hypothesis:\n  statement: x\n  metrics:\n  - name: m\n    target: '<= 1'\n# note\n  - name: n\n    target: 2\nstatus : proposed\n",
    # nested mapping with a comment line at column 0 inside
    "pillars:\n  security: {score: 1}\n# why\n  reliability:\n    score: 2\n    note: >\n      folded\n      text\n",
    # a duplicate key: invalid, as in a whole-file parse
    "status: accepted\nstatus: proposed\n",
    # a document marker and a BOM
    "\ufeff---\nstatus: accepted\nresult: {outcome: confirmed}\n",
    # a block scalar with an indentation indicator and blank lines
    "result:\n  outcome: refuted\n  summary: |2\n     indented\n\n     more\n",
    # block scalars at the end of a block, of a nested entry and of the file without newline
    "result:\n  summary: |\n    text\n  outcome: refuted\nhypothesis:\n  statement: |\n    s\n\n# c\nstatus: x\ntitle: |\n  end",
    # Windows line endings, comments after values, an indented document, a tab line
    "status: accepted\r\npillars:\r\n  security: {score: 1}\r\n  reliability:\r\n    score: 2\r\nhypothesis:\r\n  statement: |\r\n    x\r\n",
    "# c\n  \nstatus: x # comment\nresult: # c\n  outcome: refuted   # why\n",
    "  status: x\n",
    "status: x\n\t\nresult: 1\n",
]


class _BlockDumper(yaml.SafeDumper):
    """Writes text with line breaks as literal block scalars (``|``), as people do."""


_BlockDumper.add_representer(
    str,
    lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style="|" if "\n" in s else None),
)


def _whole(text: str) -> dict | None:
    doc, _ = parse_text(text, "x")
    if doc is None or not isinstance(doc.data, dict):
        return None
    return {k: doc.data[k] for k in TRACKED if k in doc.data}


@pytest.mark.parametrize("text", TRICKY)
def test_blockwise_parse_matches_whole_file_parse(text: str) -> None:
    reader = _Reader(None, set())
    assert reader.snapshot(text, "d.yaml").fields == _whole(text)
    assert reader.snapshot(text, "d.yaml").fields == _whole(text)  # and again from the cache


_scalars = st.one_of(
    st.integers(-5, 100),
    st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=12),
    st.lists(st.text(st.characters(min_codepoint=33, max_codepoint=0x7E), min_size=1, max_size=8), min_size=1, max_size=3).map(
        lambda lines: "\n".join(lines) + "\n"
    ),  # multi-line text: a block scalar
    st.none(),
    st.booleans(),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "score", "note", "x y"]), inner, max_size=3),
    max_leaves=8,
)
_docs = st.dictionaries(st.sampled_from(list(TRACKED) + ["context", "tags", "architecture"]), _values, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    docs=st.lists(_docs, min_size=1, max_size=4),
    flow=st.sampled_from([False, None, True]),
    width=st.sampled_from([20, 80]),
    blocks=st.booleans(),
)
def test_blockwise_parse_matches_whole_file_parse_generated(docs: list[dict], flow: bool | None, width: int, blocks: bool) -> None:
    reader = _Reader(None, set())  # one reader for several documents: its caches are shared
    for data in docs + [dict(reversed(list(d.items()))) for d in docs]:  # blocks move: last, not last
        dumper = _BlockDumper if blocks else yaml.SafeDumper
        text = yaml.dump(data, Dumper=dumper, default_flow_style=flow, width=width, sort_keys=False, allow_unicode=True)
        assert reader.snapshot(text, "d.yaml").fields == _whole(text), text


# --- the fast path (yaml.load) reads each piece as parse_text does -----------------

_DEEP_FLOW = "a: " + "[" * 70 + "]" * 70 + "\n"  # libyaml takes it, parse_text refuses it
_DEEP_BLOCK = "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 70)) + "  " * 70 + "x\n"
_DEEP_COMPACT = "a:\n" + "  " + "- " * 70 + "x\n"

FALL_BACKS = [
    # an alias (and its anchor): expanded by parse_text, within its limits
    "a: &x {score: 1}\nb: *x\n",
    "- &m {name: p95, target: 1}\n- *m\n",
    # tags: the standard scalar ones are read, any other refused
    "a: !!str 1\n",
    "a: !!int '3'\n",
    "a: !!python/name:os.system x\n",
    "a: !custom x\n",
    "a: ! 1\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x, y}\n",
    "a: !!omap [x: 1]\n",
    "a: !!timestamp 2021-03-01\n",
    # an alias bomb: refused before it expands
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n" for p, n in zip("abcdef", "bcdefg")),
    # duplicate keys, also written differently
    "a: 1\na: 2\n",
    "score: 1\nnote: x\nscore: 2\n",
    "1: x\n'1': y\n",
    "a:\n  b: 1\n  b: 2\n",
    # a merge key, a '<<' or '=' as a value
    "a: {<<: {b: 1}, c: 2}\n",
    "a: <<\n",
    "a: =\n",
    # deep nesting: refused at 64 levels however written
    _DEEP_FLOW,
    _DEEP_BLOCK,
    _DEEP_COMPACT,
    "a: " + "[" * 63 + "]" * 63 + "\n",  # 64 levels: still read
    # keys as written, dates as text, numbers and booleans as YAML 1.1 reads them
    "on: yes\n~: null\n1.0: 0x1F\n2021-03-01: 2021-03-01 10:00\n",
    "a: [1_000, .inf, 1:20, 0o17, 017, '017']\n",
    # a collection as a key, two documents, control characters, big text
    "? [a]\n: b\n",
    "{a: 1}: b\n",
    "a: 1\n---\nb: 2\n",
    "a: \x07\n",
    "a: " + "x" * 70_000 + "\n",
    "a: [" + ", ".join(["1"] * 40) + "]\n",
    "a: [" + ", ".join(["[1]"] * 40) + "]\n",
]


def _as_parse_text(text: str) -> object:
    doc, _ = parse_text(text, "")
    return doc.data if doc is not None else _BROKEN


@pytest.mark.parametrize("text", FALL_BACKS, ids=range(len(FALL_BACKS)))
def test_the_fast_parse_gives_what_parse_text_gives(text: str) -> None:
    assert load_data(text, _BROKEN) == _as_parse_text(text)


def test_the_fast_parse_refuses_what_validation_refuses() -> None:
    # What the comparison above relies on: parse_text does refuse these.
    for text in ("a: !!python/name:os.system x\n", "a: 1\na: 2\n", "a: {<<: {b: 1}}\n", _DEEP_FLOW, _DEEP_BLOCK, _DEEP_COMPACT):
        assert load_data(text, _BROKEN) is _BROKEN, text
    assert load_data("a: &x {score: 1}\nb: *x\n", _BROKEN) == {"a": {"score": 1}, "b": {"score": 1}}
    assert load_data("on: 2021-03-01\n1: x\n", _BROKEN) == {"on": "2021-03-01", "1": "x"}


@pytest.mark.parametrize("text", FALL_BACKS, ids=range(len(FALL_BACKS)))
def test_blockwise_parse_with_fall_backs_matches_whole_file_parse(text: str) -> None:
    # The same pieces as values of tracked fields, nested entries and sequence items.
    indented = "".join("    " + ln + "\n" for ln in text.splitlines())
    for doc in (
        text.replace("a:", "status:", 1),
        f"status: x\npillars:\n  security:\n{indented}",
        f"status: x\nhypothesis:\n  metrics:\n  - name: m\n{indented}",
    ):
        reader = _Reader(None, set())
        assert reader.snapshot(doc, "d.yaml").fields == _whole(doc), doc


_PIECES = st.sampled_from(
    ["a", "b", "on", "~", "1", "0x1F", ".inf", "1:20", "2021-03-01", "'q'", '"d"', ": ", ":", "- ", "? ", "\n", "  ",
     "\t", "[", "]", "{", "}", ", ", "&x ", "*x", "!!str ", "!!int ", "! ", "!x ", "<<", "=", "#c", "|", ">", "---"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_the_fast_parse_matches_parse_text_on_generated_text(text: str) -> None:
    assert load_data(text, _BROKEN) == _as_parse_text(text), text


def test_a_failure_while_parsing_becomes_the_warning(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write(P, decision_yaml("SHOP-0001"))
    repo.commit("Propose", "2021-03-01")

    def broken(self: _Reader, text: str, path: str) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(_Reader, "snapshot", broken)
    history = read_history(repo.path, repo.path / "decisions")
    assert history.warning is not None and "RuntimeError: boom" in history.warning and "bug" in history.warning
    assert not history.available


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for git")
def test_rebuilds_reuse_the_read_until_head_or_tags_move(repo: GitRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    repo.write(P, decision_yaml("SHOP-0001"))
    repo.commit("Propose", "2021-03-01")
    env, log = git_wrapper(tmp_path / "bin")
    monkeypatch.delenv("GIT_PYTHON_GIT_EXECUTABLE", raising=False)

    class Calls:  # the git processes the reads started so far
        def __len__(self) -> int:
            return len(starts(log))

    calls = Calls()

    memo = Memo()  # as `mkdocs serve` keeps it from one build to the next

    def read(**options: bool) -> History:
        memo.start_build()
        with monkeypatch.context() as m:  # only reads see the counting git (not the commits here)
            m.setenv("PATH", env["PATH"])
            return read_history(repo.path, repo.path / "decisions", memo=memo, **options)

    # the log; its one blob is the file on disk, read from there (no cat-file)
    assert len(read().of(P).revisions) == 1 and len(calls) == 1
    # An edit in the working tree (as in `mkdocs serve`): no git process, and it shows.
    repo.write(P, decision_yaml("SHOP-0001", status="accepted"))
    repo.write("decisions/shop/0002-new.yaml", decision_yaml("SHOP-0002"))
    h = read()
    assert len(calls) == 1
    assert [describe_change(c) for c in h.of(P).revisions[-1].changes] == ["status: proposed → accepted"]
    assert h.of("decisions/shop/0002-new.yaml").revisions[0].uncommitted and "0002-new" in (h.info or "")
    # A commit moves HEAD: read the log again (its new blob is the edited file: known).
    repo.commit("Accept", "2021-03-02", paths=[P])
    h = read()
    assert len(calls) == 2 and [r.subject for r in h.of(P).revisions] == ["Propose", "Accept"]
    # A tag: read the log again; no blob is new.
    repo.tag("v1")
    assert [m.tag for m in read().milestones] == ["v1"] and len(calls) == 3
    assert read().milestones and len(calls) == 3
    # Without the cache: always the log (the blobs are known).
    read(cache=False)
    assert len(calls) == 4
