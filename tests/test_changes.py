"""One change vocabulary: the history section of a decision page, the PR diff
(``mkdocs-wa diff``) and the export tell the same edit, committed to a real git
repository, in the same words; and :func:`field_changes` field by field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from gitrepo import GitRepo, decision_yaml

from mkdocs_wa.analysis.changes import CHANGE_WORDS, decision_fields, describe_change
from mkdocs_wa.changes import Change, field_changes
from mkdocs_wa.compare.prdiff import diff_revision
from mkdocs_wa.history.reader import read_history
from mkdocs_wa.model import Lens
from mkdocs_wa.render.export import export_json
from mkdocs_wa.render.pages import words
from mkdocs_wa.render.pages.history_section import history_markdown
from mkdocs_wa.source.lens import load_lens
from mkdocs_wa.source.validate import load_catalog
from mkdocs_wa.text import esc

TODAY = dt.date(2024, 12, 1)
PATH = "decisions/app/0001-queue.yaml"


@pytest.fixture(scope="module")
def lens() -> Lens:
    found, _ = load_lens(None)
    assert found is not None
    return found


def _edited_repo(root: Path) -> GitRepo:
    """A decision committed, then edited in one commit: a title, a result, a measured
    value and a target, a pillar rescored, one dropped and one added, its context."""
    repo = GitRepo.init(root)
    repo.write(PATH, decision_yaml(
        "APP-0001", status="accepted", date="2024-01-10", title="Use a queue",
        metrics={"p95": ("ms", "<= 300", None)}, pillars={"reliability": 2, "security": 3}))
    repo.commit("Accept the queue", "2024-01-10")
    repo.write(PATH, decision_yaml(
        "APP-0001", status="accepted", date="2024-01-10", title="Use a durable queue",
        metrics={"p95": ("ms", "<= 250", 240)}, result=("confirmed", "2024-05-20"),
        pillars={"reliability": 4, "cost-optimization": 3}).replace("Why APP-0001 was needed.", "Why it was needed."))
    repo.commit("Measured", "2024-05-21")
    return repo


def test_history_page_pr_diff_and_export_word_a_change_alike(tmp_path: Path, lens: Lens, monkeypatch) -> None:
    repo = _edited_repo(tmp_path / "site")
    monkeypatch.chdir(repo.path)
    expected = [
        "title: Use a queue → Use a durable queue",
        "result recorded: confirmed",
        "p95: observed 240 ms",
        "p95: target <= 300 → <= 250",
        "Reliability: 2 → 4",
        "Cost Optimization: scored 3",
        "Security: score removed (was 3)",
        "context edited",
    ]
    # the PR diff: two catalogs compared with field_changes
    diff = diff_revision("HEAD~1", repo.path / "decisions", lens, TODAY)
    (changed,) = diff.changed
    assert list(changed.details) == expected

    # the export: the history's changes of the last revision
    history = read_history(repo.path, repo.path / "decisions")
    catalog, _ = load_catalog([repo.path / "decisions"], lens)
    exported = export_json(catalog, today=TODAY, history=history)["decisions"][0]["history"][-1]
    assert [c["text"] for c in exported["changes"]] == expected

    # the decision page's history section: the same sentences, escaped
    page = history_markdown(history.of(PATH), lens=lens)
    last = page.split("Measured", 1)[1].splitlines()[1:]
    assert [line.removeprefix("    - ") for line in last if line.startswith("    - ")] == [esc(t) for t in expected]


def test_field_changes_field_by_field() -> None:
    old = {"status": "proposed", "title": "A", "supersedes": ["X-1"], "context": "c",
           "hypothesis": {"statement": "s", "metrics": [{"name": "m", "unit": "s", "target": "<= 2", "observed": 3}]},
           "pillars": {"security": {"score": 2, "note": "n"}}}
    new = {"status": "accepted", "title": "A", "supersedes": ["X-2"], "context": "c2", "tags": ["t"],
           "hypothesis": {"statement": "s2", "metrics": [{"name": "m", "unit": "s", "target": "<= 2", "observed": 1.0}]},
           "result": {"outcome": "refuted"}, "pillars": {"security": {"score": 2, "note": "other"}}}
    got = field_changes(old, new)
    assert [describe_change(c) for c in got] == [
        "status: proposed → accepted",
        "supersedes X-2",
        "no longer supersedes X-1",
        "result recorded: refuted",
        "m: observed 3 s → 1 s",
        "hypothesis statement edited",
        "pillar notes edited",  # a note changed, no score: still said
        "context edited",
        "tags edited",
    ]
    assert field_changes(old, old) == ()
    assert field_changes(None, {"status": "accepted"}) == (Change("status", "status", None, "accepted"),)
    # an outcome changed, then the result removed: one word, "result", as in the history
    assert describe_change(field_changes({"result": {"outcome": "confirmed"}}, {"result": {"outcome": "refuted"}})[0]) \
        == "result: confirmed → refuted"
    assert describe_change(field_changes({"result": {"outcome": "confirmed"}}, {})[0]) == "result removed (was confirmed)"
    assert describe_change(field_changes({"result": {"outcome": "confirmed"}},
                                         {"result": {"outcome": "confirmed", "learned": "x"}})[0]) == "result edited"


def test_decision_fields_compare_as_the_file_does(tmp_path: Path, lens: Lens) -> None:
    """A decision read back gives the fields its file holds: nothing changes against itself,
    and an edit shows the same changes as comparing the files' YAML would."""
    repo = _edited_repo(tmp_path / "site")
    history = read_history(repo.path, repo.path / "decisions")
    first, second = history.of(PATH).revisions
    catalog, _ = load_catalog([repo.path / "decisions"], lens)
    (now,) = catalog.decisions
    assert field_changes(decision_fields(now), decision_fields(now)) == ()
    tracked = {k: v for k, v in decision_fields(now).items() if k in second.fields}
    assert field_changes(first.fields, second.fields) == field_changes(first.fields, tracked)


def test_the_words_are_one_set() -> None:
    assert words.CHANGE_WORDS is CHANGE_WORDS and words.describe_change is describe_change
    assert "outcome" not in " ".join(CHANGE_WORDS.values())
