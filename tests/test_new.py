"""`mkdocs-wa new`: the next-numbered file, valid as written, never an overwrite."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mkdocs_wa.analysis.checks import site_checks
from mkdocs_wa.cli import main
from mkdocs_wa.source.lens import load_lens
from mkdocs_wa.source.names import derive_prefix, slugify
from mkdocs_wa.source.validate import load_catalog

LENS = load_lens(None)[0]
DEMO = Path(__file__).resolve().parent.parent / "decisions"


def new(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["new", *args])
    out = capsys.readouterr()
    return code, out.out.strip(), out.err


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_NAME": "Ada",
           "GIT_COMMITTER_EMAIL": "a@example.com", "GIT_AUTHOR_DATE": "2024-05-01T10:00:00+00:00",
           "GIT_COMMITTER_DATE": "2024-05-01T10:00:00+00:00"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True)


def test_first_decision_validates_as_written(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = new(capsys, "Use a CDN for video", "--workload", "live-stream", "--date", "2024-05-01")
    assert code == 0, err
    assert out == "decisions/live-stream/0001-use-a-cdn-for-video.yaml"
    text = Path(out).read_text("utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../decision-v1.schema.json"
    assert (tmp_path / "decisions" / "decision-v1.schema.json").is_file()  # what the comment points at
    assert "id: LS-0001\n" in text and "date: 2024-05-01\n" in text and "status: proposed" in text
    catalog, diags = load_catalog([Path("decisions")], LENS)
    diags += site_checks(catalog, dt.date(2024, 5, 2))
    assert [d.format() for d in diags] == []
    (decision,) = catalog.decisions
    assert (decision.id, decision.title, decision.status, decision.workload) == ("LS-0001", "Use a CDN for video", "proposed", "live-stream")


def test_next_number_reuses_prefix_and_schema_reference(tmp_path: Path, monkeypatch, capsys) -> None:
    shutil.copytree(DEMO, tmp_path / "decisions")
    monkeypatch.chdir(tmp_path)
    existing = sorted((tmp_path / "decisions" / "live-video").glob("*.yaml"))
    code, out, err = new(capsys, "Cache: chat history at the edge!", "-w", "live-video", "--status", "accepted",
                         "--supersedes", "VID-0003", "--from-latest", "--date", "2024-06-01")
    assert code == 0, err
    number = len(existing) + 1
    assert out == f"decisions/live-video/{number:04d}-cache-chat-history-at-the-edge.yaml"
    text = Path(out).read_text("utf-8")
    assert text.splitlines()[0] == (tmp_path / "decisions/live-video/0001-proof-of-concept-to-production.yaml").read_text().splitlines()[0]
    assert f"id: VID-{number:04d}" in text
    assert "supersedes: [VID-0003]" in text
    assert "architecture:\n  extends: previous" in text
    assert "set the status of VID-0003 to superseded" in err
    catalog, diags = load_catalog([Path("decisions")], LENS)
    mine = [d for d in diags if out in d.path]
    # superseding an accepted decision that is not marked superseded yet is a warning on *that* file
    assert [d for d in mine if d.is_error] == []
    assert catalog.by_id()[f"VID-{number:04d}"].supersedes == ("VID-0003",)
    assert not (tmp_path / "decisions" / "decision-v1.schema.json").exists()  # the files point elsewhere


def test_refuses_unknown_supersedes_and_bad_names(tmp_path: Path, monkeypatch, capsys) -> None:
    shutil.copytree(DEMO, tmp_path / "decisions")
    monkeypatch.chdir(tmp_path)
    code, _, err = new(capsys, "X", "-w", "live-video", "--supersedes", "VID-003")
    assert code == 2 and "no decision has the id 'VID-003' (did you mean 'VID-0003'" in err
    code, _, err = new(capsys, "X", "-w", "Live Video")
    assert code == 2 and "lower-case" in err
    code, _, err = new(capsys, "X", "-w", "empty-workload", "--from-latest")
    assert code == 2 and "no accepted decision yet" in err
    assert not (tmp_path / "decisions" / "empty-workload").exists()


def test_never_overwrites_a_file_named_out_of_sequence(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "decisions" / "shop"
    folder.mkdir(parents=True)
    # A broken file still owns its number and its id.
    (folder / "0001-broken.yaml").write_text("schema: 1\nid: SHOP-0001\ntitle: [unclosed\n", "utf-8")
    (folder / "notes.yaml").write_text("schema: 1\nid: SHOP-0002\ntitle: T\nstatus: proposed\ndate: 2024-01-01\n", "utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    code, out, err = new(capsys, "Use Stripe", "-w", "shop")
    assert code == 0, err
    assert out == "decisions/shop/0003-use-stripe.yaml"  # 1 is taken by name, 2 by id
    assert "id: SHOP-0003" in Path(out).read_text()
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name in before} == before


def test_two_branches_pick_the_same_number_and_validate_says_how_to_renumber(tmp_path: Path, monkeypatch, capsys) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    monkeypatch.chdir(repo)
    git(repo, "init", "-q", "-b", "main")
    assert new(capsys, "Use Postgres", "-w", "orders", "--date", "2024-05-01")[0] == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    git(repo, "checkout", "-q", "-b", "feature-a")
    _, a, _ = new(capsys, "Add a read replica", "-w", "orders", "--date", "2024-05-02")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a")
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", "feature-b")
    _, b, _ = new(capsys, "Partition the orders table", "-w", "orders", "--date", "2024-05-03")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "b")
    assert a == "decisions/orders/0002-add-a-read-replica.yaml"
    assert b == "decisions/orders/0002-partition-the-orders-table.yaml"
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "feature-a")
    git(repo, "merge", "-q", "--no-edit", "feature-b")  # different file names: git merges cleanly

    code = main(["validate"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{b}:4:5: error: duplicate id 'ORD-0002': {a} uses it too (two branches picked the same number? " \
           "renumber this one, e.g. to 0003, and change its id and file name)" in out

    # Following the advice makes the tree valid again.
    fixed = Path("decisions/orders/0003-partition-the-orders-table.yaml")
    git(repo, "mv", b, str(fixed))
    fixed.write_text(fixed.read_text().replace("id: ORD-0002", "id: ORD-0003"))
    assert main(["validate"]) == 0
    # and the next new decision continues after it
    assert new(capsys, "Archive old orders", "-w", "orders")[1] == "decisions/orders/0004-archive-old-orders.yaml"


@pytest.mark.parametrize(
    ("title", "slug"),
    [("Use a CDN for video", "use-a-cdn-for-video"), ("Café: crème brûlée!", "cafe-creme-brulee"), ("???", "decision"),
     ("a" * 80, "a" * 60), ("split " * 20, "split-split-split-split-split-split-split-split-split-split")],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize(("workload", "prefix"), [("payments", "PAY"), ("live-video", "LV"), ("a-b-c-d-e", "ABCD"), ("3d-render", "W3R")])
def test_derive_prefix(workload: str, prefix: str) -> None:
    assert derive_prefix(workload) == prefix
