"""``mkdocs-wa diff``: decisions at a real git base (backdated commits) against the
working tree; Markdown and JSON; clear errors with exit 2."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write
from sites import decision_yaml

from mkdocs_wa.cli import main
from mkdocs_wa.compare.prdiff import DiffError, diff_markdown, diff_revision, read_base
from mkdocs_wa.model import Lens
from mkdocs_wa.source.lens import load_lens

TODAY = dt.date(2024, 12, 1)
HYP = {"statement": "p95 under 300 ms.", "review_by": "2024-06-01",
       "metrics": [{"name": "p95", "unit": "ms", "target": "<= 300"}]}


def git(root: Path, *args: str, date: str = "2024-01-01T12:00:00+00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Ana",
           "GIT_AUTHOR_EMAIL": "ana@example.com", "GIT_COMMITTER_NAME": "Ana", "GIT_COMMITTER_EMAIL": "ana@example.com"}
    return subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True, text=True).stdout


BASE = {
    # a loop that closes in the change
    "decisions/app/0001-queue.yaml": decision_yaml(
        "APP-0001", "Use a queue", "accepted", "2024-01-10", hypothesis=HYP,
        pillars={"reliability": {"score": 2}, "performance-efficiency": {"score": 2}}),
    # a proposal that gets accepted: a loop opens
    "decisions/app/0002-cache.yaml": decision_yaml(
        "APP-0002", "Cache sessions", "proposed", "2024-02-01", hypothesis={"statement": "fewer reads"}),
    # removed in the change
    "decisions/app/0003-old-idea.yaml": decision_yaml("APP-0003", "An old idea", "rejected", "2024-02-02"),
    # breaks in the change (left out, not "removed")
    "decisions/ops/0001-runbooks.yaml": decision_yaml("OPS-0001", "Runbooks", "accepted", "2024-01-05",
                                                      pillars={"operational-excellence": {"score": 3}}),
    # unchanged
    "decisions/ops/0002-alerts.yaml": decision_yaml("OPS-0002", "Alerts", "proposed", "2024-01-06"),
}


def make_repo(root: Path) -> Path:
    for rel, text in BASE.items():
        write(root, rel, text)
    write(root, "decisions/.hidden/0001-x.yaml", "not: [valid")  # hidden folders are skipped
    write(root, "README.md", "# project\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Base decisions", date="2024-03-01T10:00:00+00:00")
    git(root, "tag", "base")
    # Changes on top: one committed, the rest left in the working tree.
    write(root, "decisions/app/0001-queue.yaml", decision_yaml(
        "APP-0001", "Use a queue", "accepted", "2024-01-10",
        hypothesis={**HYP, "metrics": [{**HYP["metrics"][0], "observed": 250}]},
        result={"outcome": "confirmed", "measured_on": "2024-05-20"},
        pillars={"reliability": {"score": 4}, "performance-efficiency": {"score": 2}}))
    git(root, "commit", "-q", "-am", "APP-0001: result measured", date="2024-05-21T10:00:00+00:00")
    write(root, "decisions/app/0002-cache.yaml", decision_yaml(
        "APP-0002", "Cache sessions", "accepted", "2024-02-01", hypothesis={"statement": "fewer reads"}))
    (root / "decisions/app/0003-old-idea.yaml").unlink()
    write(root, "decisions/app/0004-cdn.yaml", decision_yaml(
        "APP-0004", "Video through a <CDN>", "accepted", "2024-06-01", supersedes=[],
        pillars={"reliability": {"score": 5}, "cost-optimization": {"score": 3}}))
    write(root, "decisions/ops/0001-runbooks.yaml", "schema: 1\nid: OPS-0001\ntitle: [broken\n")
    return root


@pytest.fixture
def repo(in_tmp: Path) -> Path:
    return make_repo(in_tmp)


@pytest.fixture(scope="module")
def lens() -> Lens:
    found, _ = load_lens()
    assert found is not None
    return found


def test_read_base_sees_the_revision(repo: Path, lens: Lens) -> None:
    base = read_base("base", Path("decisions"), lens)
    assert [d.id for d in base.catalog.decisions] == ["APP-0001", "APP-0002", "APP-0003", "OPS-0001", "OPS-0002"]
    assert base.commit == git(repo, "rev-parse", "base").strip()
    assert base.date == dt.datetime(2024, 3, 1, 10, 0, tzinfo=dt.UTC)
    assert base.catalog.by_id()["APP-0002"].status == "proposed"
    assert base.catalog.by_id()["APP-0001"].path == "decisions/app/0001-queue.yaml"
    assert base.catalog.by_id()["APP-0001"].workload == "app"
    assert base.diagnostics == ()  # the hidden folder's broken file is not read
    # any revision syntax git knows
    assert read_base("HEAD~1", Path("decisions"), lens).commit == base.commit
    assert read_base(base.commit[:7], Path("decisions"), lens).commit == base.commit
    assert read_base("HEAD", Path("decisions"), lens).catalog.by_id()["APP-0001"].result is not None


def test_unchanged_files_are_reused_not_parsed_again(repo: Path, lens: Lens) -> None:
    from mkdocs_wa.compare.prdiff import read_worktree

    write(repo, "decisions/ops/0002-alerts.yaml", decision_yaml(  # unchanged since base, with a diagram
        "OPS-0002", "Alerts", "proposed", "2024-01-06", architecture={"nodes": [{"id": "a", "type": "aws.compute.EC2"}]}))
    git(repo, "add", "decisions/ops/0002-alerts.yaml")
    git(repo, "commit", "-q", "-m", "diagram", date="2024-05-22T10:00:00+00:00")
    head = read_worktree(Path("decisions"), lens, root=repo)
    reuse = {d.path: d for d in head.catalog.decisions}
    now = head.catalog.by_id()
    base = read_base("HEAD", Path("decisions"), lens, reuse=reuse).catalog.by_id()
    assert base["OPS-0002"].source is now["OPS-0002"].source  # same bytes as committed: reused
    assert base["APP-0002"].source is not now["APP-0002"].source  # edited since: read from git
    assert base["APP-0002"].status == "proposed"
    older = read_base("base", Path("decisions"), lens, reuse=reuse).catalog.by_id()
    assert older["OPS-0002"].source is not now["OPS-0002"].source and older["OPS-0002"].architecture is None


def test_diff_against_base(repo: Path, lens: Lens) -> None:
    diff = diff_revision("base", Path("decisions"), lens, TODAY)
    assert [d.id for d in diff.added] == ["APP-0004"]
    assert [d.id for d in diff.removed] == ["APP-0003"]
    assert [d.id for d in diff.broken] == ["OPS-0001"]  # its file has errors now: not "removed"
    changed = {c.after.id: c for c in diff.changed}
    assert sorted(changed) == ["APP-0001", "APP-0002"]
    assert changed["APP-0001"].fields == ("hypothesis", "result", "pillars")
    # in the words of the history section (mkdocs_wa.analysis.changes), pillars by name
    assert changed["APP-0001"].details == ("result recorded: confirmed", "p95: observed 250 ms", "Reliability: 2 → 4")
    assert changed["APP-0002"].details == ("status: proposed → accepted",)
    assert [(c.before.status, c.after.status) for c in diff.status_changes] == [("proposed", "accepted")]
    scores = {ws.workload: ws for ws in diff.scores}
    app = scores["app"]
    assert (app.before.id, app.after.id) == ("APP-0001", "APP-0004")
    assert [(c.pillar, c.before, c.after, c.delta) for c in app.changes] == [
        ("reliability", 2, 5, 3),
        ("cost-optimization", None, 3, None),
    ]
    ops = scores["ops"]  # OPS-0001 is left out now: its scores went with it
    assert ops.after is None and [(c.pillar, c.before, c.after) for c in ops.changes] == [("operational-excellence", 3, None)]
    assert [(lc.decision.id, lc.reason) for lc in diff.loops_opened] == [("APP-0002", "result due 2024-05-01")]
    assert diff.loops_opened[0].loop.overdue  # 90 days after 2024-02-01
    assert [(lc.decision.id, lc.reason) for lc in diff.loops_closed] == [("APP-0001", "result recorded: confirmed")]
    assert diff.still_open == 1


def test_markdown_for_a_pull_request(repo: Path, lens: Lens) -> None:
    diff = diff_revision("base", Path("decisions"), lens, TODAY)
    md = diff_markdown(diff)
    sha = diff.base.commit[:12]
    assert md.startswith("## Architecture decisions: changes since `base`\n")
    assert f"Compared with `base` (commit `{sha}`, 2024-03-01); feedback loops judged on 2024-12-01." in md
    assert "**1 new · 2 changed · 1 removed · 1 status change · 1 loop opened · 1 closed** · 1 loop open now" in md
    assert "⚠ **1 file with errors is left out:** `decisions/ops/0001-runbooks.yaml`" in md
    assert "| **APP-0004** [Video through a &lt;CDN&gt;](decisions/app/0004-cdn.yaml) | app | accepted | 2024-06-01 |" in md
    assert "| **APP-0001** [Use a queue](decisions/app/0001-queue.yaml) | result recorded: confirmed; p95: observed 250 ms; Reliability: 2 → 4 |" in md
    assert "### Status changes" in md and "| proposed | accepted |" in md
    assert "| **APP-0003** An old idea | app | rejected | removed |" in md
    assert "file has errors now" in md
    assert "#### app\n\nLatest iteration: APP-0001 → APP-0004." in md
    assert "| Reliability | 2/5 | 5/5 | ▲ up 3 |" in md and "| Cost Optimization | – | 3/5 | newly rated |" in md
    assert "| Operational Excellence | 3/5 | – | no longer rated |" in md
    assert "| opened | result due 2024-05-01 (**overdue by 214 days**) |" in md
    assert "| closed | result recorded: confirmed |" in md
    assert "<CDN>" not in md
    linked = diff_markdown(diff, link_prefix="https://example.com/blob/abc/")
    assert "](https://example.com/blob/abc/decisions/app/0004-cdn.yaml)" in linked


def test_no_changes(repo: Path, lens: Lens) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "All of it", date="2024-06-02T10:00:00+00:00")
    diff = diff_revision("HEAD", Path("decisions"), lens, TODAY)
    assert diff.empty
    assert "No decision changed since `HEAD`." in diff_markdown(diff)


def test_decisions_folder_new_since_base(in_tmp: Path, lens: Lens) -> None:
    write(in_tmp, "README.md", "x\n")
    git(in_tmp, "init", "-q", "-b", "main")
    git(in_tmp, "add", ".")
    git(in_tmp, "commit", "-q", "-m", "Start")
    write(in_tmp, "decisions/app/0001-a.yaml", decision_yaml("APP-0001"))
    diff = diff_revision("main", Path("decisions"), lens, TODAY)
    assert not diff.base.found and [d.id for d in diff.added] == ["APP-0001"]
    assert "did not exist at `main`: every decision is new" in diff_markdown(diff)


def test_run_from_a_subfolder_with_a_relative_path(repo: Path, lens: Lens, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "decisions")
    diff = diff_revision("base", Path("."), lens, TODAY)
    # paths stay relative to the repository's top, workloads from the folders
    assert [d.path for d in diff.added] == ["decisions/app/0004-cdn.yaml"] and diff.added[0].workload == "app"
    assert [d.id for d in diff.removed] == ["APP-0003"]


def test_json_output(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--base", "base", "--format", "json", "--today", "2024-12-01"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["base"]["rev"] == "base" and len(data["base"]["commit"]) == 40 and data["base"]["found"]
    assert data["summary"] == {"added": 1, "changed": 2, "removed": 1, "broken": 1, "status_changes": 1,
                               "loops_opened": 1, "loops_closed": 1, "loops_open": 1, "clashes": 0}
    assert data["added"][0] == {"id": "APP-0004", "title": "Video through a <CDN>", "workload": "app", "status": "accepted",
                                "date": "2024-06-01", "path": "decisions/app/0004-cdn.yaml"}
    assert data["status_changes"][0]["from"] == "proposed" and data["status_changes"][0]["to"] == "accepted"
    app = next(p for p in data["pillars"] if p["workload"] == "app")
    assert app["changes"][0] == {"pillar": "reliability", "before": 2, "after": 5, "delta": 3}
    assert data["loops"]["opened"][0]["id"] == "APP-0002" and data["loops"]["opened"][0]["overdue"] is True
    assert data["loops"]["closed"][0]["reason"] == "result recorded: confirmed"
    assert data["problems"] and data["problems"][0]["path"] == "decisions/ops/0001-runbooks.yaml"


def test_cli_markdown_and_review_days(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--base", "base", "--today", "2024-05-15", "--review-days", "200"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Architecture decisions") and "result due 2024-08-19 (due in 96 days)" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--base", "no-such-branch"], "unknown revision 'no-such-branch'"),
        (["--base", "HEAD~99"], "unknown revision 'HEAD~99'"),
        (["--base", "base:decisions"], "unknown revision 'base:decisions'"),  # a tree, not a commit
        (["--base", "a\nb"], "is not a revision"),
    ],
)
def test_bad_revisions_exit_2(repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(["diff", *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == "" and "Traceback" not in captured.err


def test_not_a_repository_exits_2(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "decisions/app/0001-a.yaml", decision_yaml("APP-0001"))
    assert main(["diff", "--base", "main"]) == 2
    assert "is not in a git repository" in capsys.readouterr().err
    with pytest.raises(DiffError, match="not in a git repository"):
        read_base("main", in_tmp / "decisions", load_lens()[0])


def test_path_outside_the_repository_exits_2(repo: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]) -> None:
    other = make_repo(tmp_path_factory.mktemp("other"))
    assert main(["diff", "--base", "base", str(other / "decisions")]) == 0  # another repository: fine
    capsys.readouterr()
    outside = tmp_path_factory.mktemp("plain")
    assert main(["diff", "--base", "base", str(outside)]) == 2
    assert "is not in a git repository" in capsys.readouterr().err


def test_one_git_process_reads_the_base(repo: Path) -> None:
    """Count the git processes diff starts (every one: nothing runs git at import time)."""
    code = (
        "import subprocess, sys\n"
        "calls = []\n"
        "real = subprocess.Popen.__init__\n"
        "def spy(self, args, *a, **k):\n"
        "    calls.append(args if isinstance(args, str) else ' '.join(map(str, args)))\n"
        "    return real(self, args, *a, **k)\n"
        "subprocess.Popen.__init__ = spy\n"
        "from mkdocs_wa.cli import main\n"
        "assert main(['diff', '--base', 'base', '--today', '2024-12-01']) == 0\n"
        "print('CALLS', calls, file=sys.stderr)\n"
        "assert len(calls) == 1 and 'cat-file' in calls[0] and '--batch' in calls[0], calls\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_custom_lens(in_tmp: Path) -> None:
    lens, _ = load_lens("azure-well-architected")
    assert lens is not None
    path = "decisions/shop/0001-region.yaml"
    write(in_tmp, path, decision_yaml("SHOP-0001", principles=["observe"], pillars={"reliability": {"score": 2}}))
    git(in_tmp, "init", "-q", "-b", "main")
    git(in_tmp, "add", ".")
    git(in_tmp, "commit", "-q", "-m", "One region")
    write(in_tmp, path, decision_yaml("SHOP-0001", principles=["observe"], pillars={"reliability": {"score": 4}}))
    write(in_tmp, "decisions/shop/0002-big.yaml", "# " + "x" * 1_000_001 + "\n")
    diff = diff_revision("main", Path("decisions"), lens, TODAY)
    assert [(c.pillar, c.name, c.before, c.after) for c in diff.scores[0].changes] == [("reliability", "Reliability", 2, 4)]
    assert diff.head.error_paths == ("decisions/shop/0002-big.yaml",)
    assert main(["diff", "--base", "main", "--lens", "azure-well-architected"]) == 0


# --- two branches that picked the same id (issue 13) ------------------------------------------------


def clash_repo(root: Path) -> Path:
    """main and a feature branch each add VID-0006, in differently named files: git merges
    them without a conflict."""
    for n in range(1, 6):
        write(root, f"decisions/vid/{n:04d}-step-{n}.yaml", decision_yaml(f"VID-{n:04d}", f"Step {n}", "accepted", f"2024-0{n}-01"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Five decisions")
    git(root, "checkout", "-q", "-b", "feature")
    write(root, "decisions/vid/0006-cdn.yaml", decision_yaml("VID-0006", "Video through a CDN", "proposed", "2024-07-01"))
    write(root, "decisions/vid/0007-edge.yaml", decision_yaml("VID-0007", "Edge", "proposed", "2024-07-02", supersedes=["VID-0006"]))
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "VID-0006 and 0007 on the feature branch")
    git(root, "checkout", "-q", "main")
    write(root, "decisions/vid/0006-chat.yaml", decision_yaml("VID-0006", "Split chat from video", "accepted", "2024-06-15"))
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "VID-0006 on main")
    git(root, "checkout", "-q", "feature")
    return root


def test_an_id_taken_on_the_base_by_another_decision_is_a_clash(in_tmp: Path, aws_lens: Lens) -> None:
    clash_repo(in_tmp)
    diff = diff_revision("main", Path("decisions"), aws_lens, TODAY)
    [clash] = diff.clashes
    assert (clash.head.path, clash.base.path, clash.free_id) == (
        "decisions/vid/0006-cdn.yaml", "decisions/vid/0006-chat.yaml", "VID-0008"
    )
    assert [c.after.id for c in diff.changed] == []  # not reported as a change of VID-0006
    md = diff_markdown(diff)
    assert "⚠ 1 id clash" in md and "### ⚠ Id clashes" in md
    assert "`mkdocs-wa renumber VID-0006 VID-0008`" in md
    assert "**VID-0006** Split chat from video (`decisions/vid/0006-chat.yaml`)" in md


def test_a_renamed_or_edited_decision_is_not_a_clash(in_tmp: Path, aws_lens: Lens) -> None:
    clash_repo(in_tmp)
    git(in_tmp, "checkout", "-q", "main")
    # renamed: same title and date in another file
    git(in_tmp, "mv", "decisions/vid/0006-chat.yaml", "decisions/vid/0006-split-chat.yaml")
    # edited in place: another title in the same file
    write(in_tmp, "decisions/vid/0005-step-5.yaml", decision_yaml("VID-0005", "Step five", "accepted", "2024-05-01"))
    diff = diff_revision("HEAD", Path("decisions"), aws_lens, TODAY)
    assert diff.clashes == ()
    assert sorted(c.after.id for c in diff.changed) == ["VID-0005", "VID-0006"]


def test_clashes_in_json_and_from_the_command(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clash_repo(in_tmp)
    assert main(["diff", "--base", "main", "--format", "json", "--today", "2024-12-01"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["clashes"] == 1
    [clash] = data["clashes"]
    assert (clash["id"], clash["path"], clash["base"]["path"], clash["free_id"]) == (
        "VID-0006", "decisions/vid/0006-cdn.yaml", "decisions/vid/0006-chat.yaml", "VID-0008"
    )
