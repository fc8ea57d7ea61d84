"""Checks across files: duplicate ids, dangling references, cycles, statuses, superseded_by."""

from __future__ import annotations

from pathlib import Path

from conftest import MINIMAL, load_tree, write


def decision(tmp_path: Path, relpath: str, id_: str, status: str = "accepted", date: str = "2021-03-01", extra: str = "") -> None:
    """Write a valid decision (lines 1-5 as in MINIMAL, ``extra`` from line 6 on)."""
    text = MINIMAL.replace("W-0001", id_).replace("accepted", status).replace("2021-03-01", date)
    write(tmp_path, relpath, text + extra)


# --- duplicate ids ---------------------------------------------------------------------------


def test_duplicate_id_says_how_to_renumber(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/w/0001-a.yaml", "W-0001")
    decision(tmp_path, "decisions/w/0002-b.yaml", "W-0002", date="2021-04-01")
    decision(tmp_path, "decisions/w/0002-c.yaml", "W-0002", date="2021-05-01")
    catalog, diags = load_tree(tmp_path)
    assert diags == [
        "decisions/w/0002-c.yaml:2:5: error: duplicate id 'W-0002': decisions/w/0002-b.yaml uses it too "
        "(two branches picked the same number? renumber this one, e.g. to 0003, and change its id and file name)"
    ]


def test_duplicate_id_across_workloads_suggests_a_number_in_its_own_workload(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/a/0007-a.yaml", "X-1")
    decision(tmp_path, "decisions/b/0001-b.yaml", "X-1")
    catalog, diags = load_tree(tmp_path)
    assert diags == [
        # the id/file-number warning (issue 13) comes with it: X-1 in a file numbered 0007
        "decisions/a/0007-a.yaml:2:5: warning: id 'X-1' has the number 1 but its file name has 0007 (0007-a.yaml): "
        "make them agree (`mkdocs-wa renumber X-1 X-0007`, or rename the file)",
        "decisions/b/0001-b.yaml:2:5: error: duplicate id 'X-1': decisions/a/0007-a.yaml uses it too "
        "(two branches picked the same number? renumber this one, e.g. to 0002, and change its id and file name)"
    ]


# --- references ------------------------------------------------------------------------------


def test_supersedes_unknown_id_suggests_close_ids(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/w/0001-a.yaml", "VID-0001", "superseded")
    decision(tmp_path, "decisions/w/0002-b.yaml", "VID-0002", extra="supersedes: [VID-0001, VID-001]\n")
    catalog, diags = load_tree(tmp_path)
    assert diags == [
        "decisions/w/0002-b.yaml:6:24: error: supersedes unknown decision 'VID-001' (did you mean 'VID-0001' or 'VID-0002'?)"
    ]


def test_supersedes_unknown_id_without_a_close_match(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/w/0001-a.yaml", "W-0001", extra="supersedes:\n  - CHAT-0042\n")
    assert load_tree(tmp_path)[1] == ["decisions/w/0001-a.yaml:7:5: error: supersedes unknown decision 'CHAT-0042'"]


def test_result_next_unknown_id(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/w/0001-a.yaml", "W-0001", extra="result:\n  outcome: refuted\n  next: W-0020\n")
    decision(tmp_path, "decisions/w/0002-b.yaml", "W-0002")
    assert load_tree(tmp_path)[1] == [
        "decisions/w/0001-a.yaml:8:9: error: result.next names unknown decision 'W-0020' (did you mean 'W-0002' or 'W-0001'?)"
    ]


def test_result_next_known_id(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/w/0001-a.yaml", "W-0001", extra="result:\n  outcome: refuted\n  next: W-0002\n")
    decision(tmp_path, "decisions/w/0002-b.yaml", "W-0002", "proposed")
    catalog, diags = load_tree(tmp_path)
    assert diags == []
    assert catalog.by_id()["W-0001"].result.next == "W-0002"  # type: ignore[union-attr]


def test_reference_to_a_broken_file_is_not_reported_as_unknown(tmp_path: Path) -> None:
    # the broken file has its own error; the files naming it must not get a second, wrong one
    decision(tmp_path, "decisions/w/0001-a.yaml", "W-0001", "superseded", extra="titel: typo\n")
    decision(tmp_path, "decisions/w/0002-b.yaml", "W-0002", "superseded", extra="supersedes: [W-0001]\n")
    decision(tmp_path, "decisions/w/0003-c.yaml", "W-0003", extra="supersedes: [W-0002]\ncolour: red\n")
    decision(tmp_path, "decisions/w/0004-d.yaml", "W-0004", extra="result:\n  outcome: refuted\n  next: W-0003\n")
    assert load_tree(tmp_path)[1] == [
        "decisions/w/0001-a.yaml:6:1: error: unknown key 'titel' (did you mean 'title'?)",
        "decisions/w/0003-c.yaml:7:1: error: unknown key 'colour'",
    ]


# --- supersede cycles ------------------------------------------------------------------------


def test_two_decisions_superseding_each_other(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/w/0001-a.yaml", "W-0001", "superseded", extra="supersedes: [W-0002]\n")
    decision(tmp_path, "decisions/w/0002-b.yaml", "W-0002", "superseded", extra="supersedes: [W-0001]\n")
    assert load_tree(tmp_path)[1] == ["decisions/w/0001-a.yaml:6:1: error: supersede cycle: W-0001 -> W-0002 -> W-0001"]


def test_three_cycle_reported_once(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/w/0001-a.yaml", "W-0001", "superseded", extra="supersedes: [W-0003]\n")
    decision(tmp_path, "decisions/w/0002-b.yaml", "W-0002", "superseded", extra="supersedes: [W-0001]\n")
    decision(tmp_path, "decisions/w/0003-c.yaml", "W-0003", "superseded", extra="supersedes: [W-0002]\n")
    assert load_tree(tmp_path)[1] == [
        "decisions/w/0001-a.yaml:6:1: error: supersede cycle: W-0001 -> W-0003 -> W-0002 -> W-0001"
    ]


def test_cycle_beside_a_chain(tmp_path: Path) -> None:
    # W-0004 supersedes into the cycle but is not part of it
    decision(tmp_path, "decisions/w/0001-a.yaml", "W-0001", "superseded", extra="supersedes: [W-0002]\n")
    decision(tmp_path, "decisions/w/0002-b.yaml", "W-0002", "superseded", extra="supersedes: [W-0001]\n")
    decision(tmp_path, "decisions/w/0004-d.yaml", "W-0004", extra="supersedes: [W-0001]\n")
    assert load_tree(tmp_path)[1] == ["decisions/w/0001-a.yaml:6:1: error: supersede cycle: W-0001 -> W-0002 -> W-0001"]


def test_decision_superseding_itself(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/w/0001-a.yaml", "W-0001", extra="supersedes: [W-0001]\n")
    assert load_tree(tmp_path)[1] == ["decisions/w/0001-a.yaml:6:14: error: 'W-0001' cannot supersede itself"]


def test_long_chain_is_not_a_cycle(tmp_path: Path) -> None:
    for n in range(1, 30):
        status = "accepted" if n == 29 else "superseded"
        extra = f"supersedes: [W-{n - 1:04d}]\n" if n > 1 else ""
        decision(tmp_path, f"decisions/w/{n:04d}-x.yaml", f"W-{n:04d}", status, extra=extra)
    catalog, diags = load_tree(tmp_path)
    assert diags == []
    assert catalog.by_id()["W-0028"].superseded_by == ("W-0029",)


# --- statuses --------------------------------------------------------------------------------


def test_superseded_status_with_nothing_superseding_it(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/w/0001-a.yaml", "W-0001", "superseded")
    assert load_tree(tmp_path)[1] == [
        "decisions/w/0001-a.yaml:4:9: error: status is 'superseded' but no decision lists 'W-0001' in its 'supersedes'"
    ]


def test_superseded_but_status_still_accepted_is_a_warning(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/w/0001-a.yaml", "W-0001")
    decision(tmp_path, "decisions/w/0002-b.yaml", "W-0002", extra="supersedes: [W-0001]\n")
    assert load_tree(tmp_path)[1] == [
        "decisions/w/0001-a.yaml:4:9: warning: is superseded by W-0002 but its status is 'accepted' (set it to 'superseded')"
    ]


def test_deprecated_decision_may_be_superseded(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/w/0001-a.yaml", "W-0001", "deprecated")
    decision(tmp_path, "decisions/w/0002-b.yaml", "W-0002", extra="supersedes: [W-0001]\n")
    assert load_tree(tmp_path)[1] == []


def test_result_on_a_proposed_decision_is_a_warning(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/w/0001-a.yaml", "W-0001", "proposed", extra="result:\n  outcome: confirmed\n")
    catalog, diags = load_tree(tmp_path)
    assert diags == ["decisions/w/0001-a.yaml:6:1: warning: has a result but is still 'proposed': was it accepted (or rejected)?"]
    assert len(catalog.decisions) == 1  # a warning does not drop the decision


# --- superseded_by -------------------------------------------------------------------------------


def test_superseded_by_is_derived_from_supersedes(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/w/0001-a.yaml", "W-0001", "superseded")
    decision(tmp_path, "decisions/w/0002-b.yaml", "W-0002", "superseded", "2021-04-01", extra="supersedes: [W-0001]\n")
    decision(tmp_path, "decisions/w/0003-c.yaml", "W-0003", date="2021-05-01", extra="supersedes: [W-0002, W-0001]\n")
    catalog, diags = load_tree(tmp_path)
    assert diags == []
    by_id = catalog.by_id()
    assert by_id["W-0001"].superseded_by == ("W-0002", "W-0003")
    assert by_id["W-0002"].superseded_by == ("W-0003",)
    assert by_id["W-0003"].superseded_by == ()


def test_catalog_order_and_iterations(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/b/0001-a.yaml", "B-1", date="2021-01-01")
    decision(tmp_path, "decisions/a/0002-b.yaml", "A-2", "rejected", date="2021-02-01")
    decision(tmp_path, "decisions/a/0001-c.yaml", "A-1", "superseded", date="2021-03-01")
    decision(tmp_path, "decisions/a/0003-d.yaml", "A-3", date="2021-04-01", extra="supersedes: [A-1]\n")
    catalog, diags = load_tree(tmp_path)
    assert diags == []
    assert [d.id for d in catalog.decisions] == ["A-2", "A-1", "A-3", "B-1"]
    assert [d.id for d in catalog.iterations("a")] == ["A-1", "A-3"]
    assert list(catalog.workloads()) == ["a", "b"]


# --- one run, every problem --------------------------------------------------------------------


def test_cross_file_problems_in_several_files_all_reported(tmp_path: Path) -> None:
    decision(tmp_path, "decisions/w/0001-a.yaml", "W-0001", "superseded")
    decision(tmp_path, "decisions/w/0002-b.yaml", "W-0001", date="2021-04-01")
    decision(tmp_path, "decisions/w/0003-c.yaml", "W-0003", "proposed", extra="supersedes: [W-9]\nresult:\n  outcome: confirmed\n")
    assert load_tree(tmp_path)[1] == [
        "decisions/w/0001-a.yaml:4:9: error: status is 'superseded' but no decision lists 'W-0001' in its 'supersedes'",
        "decisions/w/0002-b.yaml:2:5: error: duplicate id 'W-0001': decisions/w/0001-a.yaml uses it too "
        "(two branches picked the same number? renumber this one, e.g. to 0004, and change its id and file name)",
        "decisions/w/0002-b.yaml:2:5: warning: id 'W-0001' has the number 1 but its file name has 0002 (0002-b.yaml): "
        "make them agree (`mkdocs-wa renumber W-0001 W-0002`, or rename the file)",
        "decisions/w/0003-c.yaml:6:14: error: supersedes unknown decision 'W-9'",
        "decisions/w/0003-c.yaml:7:1: warning: has a result but is still 'proposed': was it accepted (or rejected)?",
    ]
