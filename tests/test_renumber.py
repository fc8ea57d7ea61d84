"""``mkdocs-wa renumber OLD NEW``: the file renamed (same slug), every reference rewritten
in place with the author's formatting and comments kept; refused with nothing written
when NEW or the new file name is taken; the team workflow with ``diff --base``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import load_tree, write
from sites import decision_yaml, tree

from mkdocs_wa.cli import main
from mkdocs_wa.compare.prdiff import diff_revision

CDN = """\
# yaml-language-server: $schema=../decision-v1.schema.json
schema: 1
id: VID-0006   # picked on the feature branch
title: Video through a CDN
status: accepted
date: 2024-07-01
context: |
  Follows VID-0005. See [the file](0006-cdn.yaml), not VID-00061 nor 0006-cdn-v2.yaml.
"""

EDGE = """\
schema: 1
id: VID-0007
title: Edge
status: accepted
date: 2024-07-02
supersedes: [VID-0005, "VID-0006"]  # both replaced
context: >-
  Builds on VID-0006
  ([its page](../0006-cdn/)).
result: {outcome: confirmed, next: 'VID-0006'}
"""

OLDER = """\
schema: 1
id: VID-0005
title: Older
status: superseded
date: 2024-06-01
supersedes:
  - VID-0004
"""


@pytest.fixture
def project(in_tmp: Path) -> Path:
    write(in_tmp, "decisions/vid/0004-first.yaml", decision_yaml("VID-0004", "First", "superseded", "2024-05-01"))
    write(in_tmp, "decisions/vid/0005-older.yaml", OLDER)
    write(in_tmp, "decisions/vid/0006-cdn.yaml", CDN)
    write(in_tmp, "decisions/vid/0007-edge.yaml", EDGE)
    return in_tmp


def test_renumber_renames_the_file_and_rewrites_every_reference_in_place(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["renumber", "VID-0006", "VID-0008"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "rename decisions/vid/0006-cdn.yaml -> decisions/vid/0008-cdn.yaml",
        "decisions/vid/0008-cdn.yaml:3:5: id: VID-0006 -> VID-0008",
        "decisions/vid/0008-cdn.yaml:8:36: context: 0006-cdn -> 0008-cdn",
        "decisions/vid/0007-edge.yaml:6:25: supersedes[1]: VID-0006 -> VID-0008",
        "decisions/vid/0007-edge.yaml:8:13: context: VID-0006 -> VID-0008",
        "decisions/vid/0007-edge.yaml:9:18: context: 0006-cdn -> 0008-cdn",
        "decisions/vid/0007-edge.yaml:10:37: result.next: VID-0006 -> VID-0008",
        "6 changes in 2 files",
    ]
    assert not (project / "decisions/vid/0006-cdn.yaml").exists()
    # every byte kept but the mentions: comments, quotes, flow and block styles
    assert (project / "decisions/vid/0008-cdn.yaml").read_text() == CDN.replace("id: VID-0006", "id: VID-0008").replace(
        "(0006-cdn.yaml)", "(0008-cdn.yaml)"
    )  # VID-00061 and 0006-cdn-v2 are other names: kept
    assert (project / "decisions/vid/0007-edge.yaml").read_text() == EDGE.replace("VID-0006", "VID-0008").replace(
        "../0006-cdn/", "../0008-cdn/"
    )
    assert (project / "decisions/vid/0005-older.yaml").read_text() == OLDER  # no mention: untouched
    catalog, diags = load_tree(project)
    # the references now name VID-0008: it is the one VID-0007 supersedes
    assert diags == [
        "decisions/vid/0008-cdn.yaml:5:9: warning: is superseded by VID-0007 but its status is 'accepted' "
        "(set it to 'superseded')"
    ]
    assert catalog.by_id()["VID-0008"].superseded_by == ("VID-0007",)
    assert catalog.by_id()["VID-0007"].supersedes == ("VID-0005", "VID-0008")


def test_dry_run_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(project)
    assert main(["renumber", "VID-0006", "VID-0008", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("would rename decisions/vid/0006-cdn.yaml -> decisions/vid/0008-cdn.yaml\n")
    assert out.endswith("6 changes in 2 files (dry run: nothing written)\n")
    assert tree(project) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["VID-0006", "VID-0007"], "'VID-0007' is already the id of decisions/vid/0007-edge.yaml: pick another number"),
        (["VID-0042", "VID-0043"], "no decision under decisions has the id 'VID-0042'"),
        (["VID-0006", "VID-x"], "NEW 'VID-x' has no number: write it as PREFIX-NUMBER, e.g. VID-0007"),
        (["VID-0006", "<b>-1"], "NEW '<b>-1' is not a decision id"),
        (["VID-0006", "VID-0006"], "OLD and NEW are the same id"),
    ],
)
def test_refused_requests_write_nothing(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = tree(project)
    assert main(["renumber", *args]) == 2
    assert message in capsys.readouterr().err
    assert tree(project) == before


def test_an_existing_file_of_the_new_number_is_not_overwritten(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, "decisions/vid/0008-cdn.yaml", "not: a decision of anyone\n")
    before = tree(project)
    assert main(["renumber", "VID-0006", "VID-0008"]) == 2
    assert "decisions/vid/0008-cdn.yaml already exists: pick another number" in capsys.readouterr().err
    assert tree(project) == before


def test_a_value_the_text_edit_cannot_reach_refuses_everything(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # an escaped id: the data says VID-0006, the text does not
    write(project, "decisions/vid/0009-escaped.yaml", EDGE.replace("VID-0007", "VID-0009").replace(
        "next: 'VID-0006'", 'next: "VID\\x2D0006"'))
    before = tree(project)
    assert main(["renumber", "VID-0006", "VID-0008"]) == 2
    assert "0009-escaped.yaml: a mention of 'VID-0006' could not be rewritten safely" in capsys.readouterr().err
    assert tree(project) == before


def test_after_a_merge_the_file_to_renumber_is_named(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, "decisions/vid/0006-chat.yaml", decision_yaml("VID-0006", "Split chat", "accepted", "2024-06-15"))
    assert main(["renumber", "VID-0006", "VID-0008"]) == 2
    assert "2 files hold the id 'VID-0006'" in capsys.readouterr().err
    assert main(["renumber", "VID-0006", "VID-0008", "--file", "decisions/vid/0006-cdn.yaml"]) == 0
    captured = capsys.readouterr()
    # the mentions of the id in other files may mean either decision: left, and said so
    assert "note: decisions/vid/0007-edge.yaml: mentions 'VID-0006', which 1 other file also holds; not changed" in captured.err
    assert (project / "decisions/vid/0006-chat.yaml").read_text().count("VID-0006") == 1
    assert "id: VID-0008" in (project / "decisions/vid/0008-cdn.yaml").read_text()
    edge = (project / "decisions/vid/0007-edge.yaml").read_text()
    assert "VID-0006" in edge and "../0008-cdn/" in edge  # the old file name named one file: rewritten


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Ana", "GIT_AUTHOR_EMAIL": "ana@example.com",
           "GIT_COMMITTER_NAME": "Ana", "GIT_COMMITTER_EMAIL": "ana@example.com"}
    subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def test_two_branches_adding_the_same_id_diff_then_renumber(in_tmp: Path, aws_lens) -> None:
    """The team workflow: git merges both VID-0006 files cleanly; diff --base finds the
    clash and names a free id; renumber fixes the branch; the merge then validates."""
    import datetime as dt

    write(in_tmp, "decisions/vid/0005-older.yaml", OLDER.replace("supersedes:\n  - VID-0004\n", "").replace("superseded", "accepted"))
    git(in_tmp, "init", "-q", "-b", "main")
    git(in_tmp, "add", ".")
    git(in_tmp, "commit", "-q", "-m", "base")
    git(in_tmp, "checkout", "-q", "-b", "feature")
    write(in_tmp, "decisions/vid/0006-cdn.yaml", CDN)
    git(in_tmp, "add", ".")
    git(in_tmp, "commit", "-q", "-m", "VID-0006: CDN")
    git(in_tmp, "checkout", "-q", "main")
    write(in_tmp, "decisions/vid/0006-chat.yaml", decision_yaml("VID-0006", "Split chat", "accepted", "2024-06-15"))
    git(in_tmp, "add", ".")
    git(in_tmp, "commit", "-q", "-m", "VID-0006: chat")
    git(in_tmp, "checkout", "-q", "feature")

    [clash] = diff_revision("main", Path("decisions"), aws_lens, dt.date(2024, 12, 1)).clashes
    assert clash.free_id == "VID-0007"
    assert main(["renumber", clash.head.id, clash.free_id]) == 0
    git(in_tmp, "add", "-A")
    git(in_tmp, "commit", "-q", "-m", "Renumber VID-0006 to VID-0007")
    assert diff_revision("main", Path("decisions"), aws_lens, dt.date(2024, 12, 1)).clashes == ()
    git(in_tmp, "merge", "-q", "main", "-m", "merge")
    catalog, diags = load_tree(in_tmp, aws_lens)
    assert diags == []
    assert sorted(d.id for d in catalog.decisions) == ["VID-0005", "VID-0006", "VID-0007"]
