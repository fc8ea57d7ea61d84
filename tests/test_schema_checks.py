"""Single-file checks: schema, types, enums, unknown keys, dates, scores, lens ids, targets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import MINIMAL, load_tree, write

DECISION = "decisions/w/0001-x.yaml"


def check(tmp_path: Path, text: str) -> list[str]:
    """Diagnostics of one decision file, as 'path:line:col: severity: message'."""
    write(tmp_path, DECISION, text)
    return load_tree(tmp_path)[1]


def with_metric(**fields: str) -> str:
    """MINIMAL plus a hypothesis with one metric (lines 6-12 hold the metric's fields)."""
    lines = "".join(f"      {k}: {v}\n" for k, v in fields.items())
    return MINIMAL + "hypothesis:\n  statement: It works.\n  metrics:\n    - name: latency\n" + lines


def test_minimal_decision_is_valid(tmp_path: Path) -> None:
    write(tmp_path, DECISION, MINIMAL)
    catalog, diags = load_tree(tmp_path)
    assert diags == []
    (d,) = catalog.decisions
    assert (d.id, d.title, d.status, d.date, d.workload, d.path) == (
        "W-0001", "A decision", "accepted", dt.date(2021, 3, 1), "w", DECISION,
    )


# --- required keys -----------------------------------------------------------------------


def test_missing_required_keys_each_reported_once(tmp_path: Path) -> None:
    assert check(tmp_path, "schema: 1\nid: W-0001\n") == [
        f"{DECISION}:1:1: error: the document is missing the required key 'date'",
        f"{DECISION}:1:1: error: the document is missing the required key 'status'",
        f"{DECISION}:1:1: error: the document is missing the required key 'title'",
    ]


def test_missing_schema_version(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL.replace("schema: 1\n", "")) == [
        f"{DECISION}:1:1: error: missing 'schema: 1' (the format version of this file)"
    ]


def test_missing_schema_version_does_not_hide_other_errors(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL.replace("schema: 1\n", "") + "titel: x\n") == [
        f"{DECISION}:1:1: error: missing 'schema: 1' (the format version of this file)",
        f"{DECISION}:5:1: error: unknown key 'titel' (did you mean 'title'?)",
    ]


def test_missing_nested_required_key(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL + "hypothesis:\n  review_by: 2021-04-01\n") == [
        f"{DECISION}:7:3: error: hypothesis is missing the required key 'statement'"
    ]


def test_metric_without_target(tmp_path: Path) -> None:
    text = MINIMAL + "hypothesis:\n  statement: s\n  metrics:\n    - name: latency\n"
    assert check(tmp_path, text) == [f"{DECISION}:9:7: error: hypothesis.metrics[0] is missing the required key 'target'"]


# --- types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("tags: launch\n", "6:7: error: tags must be a list, not text"),
        ("deciders: [ana, 7]\n", "6:17: error: deciders[1] must be text, not a number"),
        ("context: [a]\n", "6:10: error: context must be text, not a list"),
        ("hypothesis:\n", "6:1: error: hypothesis is empty (nothing follows 'hypothesis:'); write its keys on the lines below it, indented two spaces more than it"),
        ("pillars: [security]\n", "6:10: error: pillars must be a mapping of keys to values, not a list"),
        ("pillars:\n  security: {score: 2.5}\n", "7:21: error: pillars.security.score must be a whole number, not 2.5"),
        ("pillars:\n  security: {score: yes}\n", "7:21: error: pillars.security.score must be a whole number, not true/false"),
        ("pillars:\n  security: {score: '3'}\n", "7:21: error: pillars.security.score must be a whole number, not text"),
    ],
)
def test_wrong_types(tmp_path: Path, line: str, expected: str) -> None:
    assert check(tmp_path, MINIMAL + line) == [f"{DECISION}:{expected}"]


def test_title_as_list(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL.replace("title: A decision", "title: [a, b]")) == [
        f"{DECISION}:3:8: error: title must be text, not a list"
    ]


def test_empty_title(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL.replace("title: A decision", "title: ''")) == [
        f"{DECISION}:3:8: error: title must not be empty"
    ]


def test_id_with_forbidden_characters(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL.replace("id: W-0001", "id: 1 two")) == [
        f"{DECISION}:2:5: error: id '1 two' has characters it may not have (allowed: ^[A-Za-z][A-Za-z0-9_.-]*$)"
    ]


# --- enums ------------------------------------------------------------------------------


def test_status_typo_suggests_the_value(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL.replace("status: accepted", "status: acepted")) == [
        f"{DECISION}:4:9: error: status is 'acepted', which is not one of: "
        "proposed, accepted, rejected, deprecated, superseded (did you mean 'accepted'?)"
    ]


def test_status_far_from_any_value_has_no_suggestion(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL.replace("status: accepted", "status: maybe")) == [
        f"{DECISION}:4:9: error: status is 'maybe', which is not one of: proposed, accepted, rejected, deprecated, superseded"
    ]


def test_outcome_typo_suggests_the_value(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL + "result:\n  outcome: refuded\n") == [
        f"{DECISION}:7:12: error: result.outcome is 'refuded', which is not one of: "
        "confirmed, refuted, inconclusive (did you mean 'refuted'?)"
    ]


def test_edge_style_enum(tmp_path: Path) -> None:
    text = MINIMAL + "architecture:\n  edges:\n    - {from: a, to: b, style: dashd}\n"
    assert check(tmp_path, text) == [
        f"{DECISION}:8:31: error: architecture.edges[0].style is 'dashd', which is not one of: "
        "solid, dashed, dotted, bold (did you mean 'dashed'?)"
    ]


# --- unknown keys -----------------------------------------------------------------------------


def test_unknown_key_suggests_the_known_one(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL + "titel: Typo\n") == [f"{DECISION}:6:1: error: unknown key 'titel' (did you mean 'title'?)"]


def test_unknown_key_without_a_close_match(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL + "colour: blue\n") == [f"{DECISION}:6:1: error: unknown key 'colour'"]


def test_unknown_key_in_a_metric(tmp_path: Path) -> None:
    assert check(tmp_path, with_metric(target="'<= 1'", obsreved="0.5")) == [
        f"{DECISION}:11:7: error: unknown key 'obsreved' in hypothesis.metrics[0] (did you mean 'observed'?)"
    ]


def test_unknown_key_in_a_pillar_score(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL + "pillars:\n  security: {score: 3, notes: x}\n") == [
        f"{DECISION}:7:24: error: unknown key 'notes' in pillars.security (did you mean 'note'?)"
    ]


def test_superseded_by_is_derived_not_written(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL + "superseded_by: [W-0002]\n") == [
        f"{DECISION}:6:1: error: unknown key 'superseded_by' (did you mean 'supersedes'?)"
    ]


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2021-02-30", "2021-13-01", "2021-00-10"])
def test_impossible_calendar_date(tmp_path: Path, value: str) -> None:
    assert check(tmp_path, MINIMAL.replace("2021-03-01", value)) == [
        f"{DECISION}:5:7: error: '{value}' is not a calendar date (YYYY-MM-DD)"
    ]


@pytest.mark.parametrize("value", ["2021-3-1", "2021-03-01 10:00:00", "01/03/2021", "March 2021"])
def test_date_not_written_yyyy_mm_dd(tmp_path: Path, value: str) -> None:
    assert check(tmp_path, MINIMAL.replace("2021-03-01", value)) == [
        f"{DECISION}:5:7: error: date is '{value}', not a date written YYYY-MM-DD"
    ]


def test_date_as_number(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL.replace("2021-03-01", "20210301")) == [
        f"{DECISION}:5:7: error: date must be text, not a number"
    ]


def test_invalid_review_by_and_measured_on_both_reported(tmp_path: Path) -> None:
    text = MINIMAL + "hypothesis:\n  statement: s\n  review_by: 2021-04-31\nresult:\n  outcome: confirmed\n  measured_on: 2021-02-29\n"
    assert check(tmp_path, text) == [
        f"{DECISION}:8:14: error: '2021-04-31' is not a calendar date (YYYY-MM-DD)",
        f"{DECISION}:11:16: error: '2021-02-29' is not a calendar date (YYYY-MM-DD)",
    ]


def test_leap_day_is_a_date(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL.replace("2021-03-01", "2020-02-29")) == []


# --- scores and lens ids ----------------------------------------------------------------------


@pytest.mark.parametrize("score", ["6", "-1", "100"])
def test_score_out_of_range(tmp_path: Path, score: str) -> None:
    assert check(tmp_path, MINIMAL + f"pillars:\n  reliability: {{score: {score}}}\n") == [
        f"{DECISION}:7:24: error: pillars.reliability.score is {score}; a score is from 0 to 5"
    ]


@pytest.mark.parametrize("score", ["0", "5"])
def test_score_bounds_are_valid(tmp_path: Path, score: str) -> None:
    assert check(tmp_path, MINIMAL + f"pillars:\n  reliability: {{score: {score}}}\n") == []


def test_unknown_pillar_suggests_the_lens_pillar(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL + "pillars:\n  reliablity: {score: 3}\n") == [
        f"{DECISION}:7:3: error: 'reliablity' is not a pillar of the AWS Well-Architected Framework lens (did you mean 'reliability'?)"
    ]


def test_unknown_pillar_without_a_close_match(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL + "pillars:\n  happiness: {score: 3}\n") == [
        f"{DECISION}:7:3: error: 'happiness' is not a pillar of the AWS Well-Architected Framework lens"
    ]


def test_pillar_id_in_capitals(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL + "pillars:\n  Security: {score: 3}\n") == [
        f"{DECISION}:7:3: error: 'Security' in pillars must be lower-case letters, digits and '-'"
    ]


def test_unknown_principle_suggests_the_lens_principle(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL + "principles: [on-demand, test-at-scle]\n") == [
        f"{DECISION}:6:25: error: 'test-at-scle' is not a design principle of the AWS Well-Architected Framework lens (did you mean 'test-at-scale'?)"
    ]


def test_valid_pillars_and_principles_are_kept_in_lens_order(tmp_path: Path) -> None:
    text = MINIMAL + "principles: [practice]\npillars:\n  sustainability: {score: 1}\n  security: {score: 4, note: ok}\n"
    write(tmp_path, DECISION, text)
    catalog, diags = load_tree(tmp_path)
    assert diags == []
    (d,) = catalog.decisions
    assert [(p.pillar, p.score, p.note) for p in d.pillars] == [("security", 4, "ok"), ("sustainability", 1, "")]
    assert d.principles == ("practice",)


# --- schema versions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2", "schema version 2 is not supported by this mkdocs-wa (it reads version 1); upgrade mkdocs-wa"),
        ("0", "schema version 0 is not supported by this mkdocs-wa (it reads version 1); fix the version"),
        ("one", "'schema' must be a whole number such as 1"),
        ("'1'", "'schema' must be a whole number such as 1"),
        ("true", "'schema' must be a whole number such as 1"),
        ("1.5", "'schema' must be a whole number such as 1"),
    ],
)
def test_unsupported_schema_version(tmp_path: Path, value: str, message: str) -> None:
    assert check(tmp_path, MINIMAL.replace("schema: 1", f"schema: {value}")) == [f"{DECISION}:1:9: error: {message}"]


# --- metric targets ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("about 3", "'about 3' is not a target: write a comparison ('<= 1', '>= 99.9 %'), a range ('1..2.5') or a number"),
        ("'<= fast'", "'fast' is not a number with an optional unit, such as '850 ms'"),
        ("'5..1'", "'5..1': the range's low end is above its high end"),
        ("'1 s..2'", "'1 s..2': give the unit after the second number, or after both"),
        ("'<='", "'<=' is not a target: write a comparison ('<= 1', '>= 99.9 %'), a range ('1..2.5') or a number"),
        ("''", "a target is a comparison such as '<= 1', a range such as '1..2.5', or a number"),
        (".nan", "nan is not a measurement"),
    ],
)
def test_bad_metric_target(tmp_path: Path, target: str, message: str) -> None:
    assert check(tmp_path, with_metric(target=target)) == [f"{DECISION}:10:15: error: {message}"]


def test_observed_value_in_a_unit_that_cannot_be_compared(tmp_path: Path) -> None:
    assert check(tmp_path, with_metric(unit="s", target="'<= 1'", observed="3 kg")) == [
        f"{DECISION}:12:17: error: cannot compare '3 kg' with 's': 'kg' measures mass, 's' measures time"
    ]


def test_observed_value_that_is_not_a_number(tmp_path: Path) -> None:
    assert check(tmp_path, with_metric(target="'<= 1'", observed="fast enough")) == [
        f"{DECISION}:11:17: error: 'fast enough' is not a number with an optional unit, such as '850 ms'"
    ]


def test_unit_expression_is_refused_before_pint_sees_it(tmp_path: Path) -> None:
    # pint evaluates unit strings as arithmetic: 10**10**10 would never finish
    assert check(tmp_path, with_metric(unit="s", target="'<= 1'", observed="'2 m*10**10**10'")) == [
        f"{DECISION}:12:17: error: cannot compare '2 m*10**10**10' with 's': 'm*10**10**10' is not a unit such as 'ms', 'GB', 'USD/month' or 'm/s^2'"
    ]


def test_metric_listed_twice(tmp_path: Path) -> None:
    text = MINIMAL + "hypothesis:\n  statement: s\n  metrics:\n    - {name: cost, target: 1}\n    - {name: cost, target: 2}\n"
    assert check(tmp_path, text) == [f"{DECISION}:10:14: error: metric 'cost' is listed twice in this hypothesis"]


def test_prose_baseline_is_allowed(tmp_path: Path) -> None:
    assert check(tmp_path, with_metric(unit="s", baseline="'1-2.5 at 10-50 users'", target="'<= 2.5'", observed="10")) == []


# --- where the decision belongs ------------------------------------------------------------


def test_file_directly_in_decisions_needs_a_workload(tmp_path: Path) -> None:
    write(tmp_path, "decisions/0001-x.yaml", MINIMAL)
    assert load_tree(tmp_path)[1] == ["decisions/0001-x.yaml:1:1: error: put the file in decisions/<workload>/ or set 'workload'"]


def test_workload_key_overrides_the_folder(tmp_path: Path) -> None:
    write(tmp_path, "decisions/0001-x.yaml", MINIMAL + "workload: live-video\n")
    catalog, diags = load_tree(tmp_path)
    assert diags == []
    assert catalog.decisions[0].workload == "live-video"


def test_workload_with_spaces(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL + "workload: Live Video\n") == [
        f"{DECISION}:6:11: error: workload 'Live Video' has characters it may not have (allowed: ^[a-z0-9][a-z0-9-]*$)"
    ]


def test_workload_folder_name_that_is_not_an_id(tmp_path: Path) -> None:
    write(tmp_path, "decisions/Live Video/0001-x.yaml", MINIMAL)
    assert load_tree(tmp_path)[1] == [
        "decisions/Live Video/0001-x.yaml:1:1: error: the folder name 'Live Video' is not a workload id "
        "(lower-case letters, digits and '-'): rename the folder or set 'workload'"
    ]


def test_workload_key_rescues_a_badly_named_folder(tmp_path: Path) -> None:
    write(tmp_path, "decisions/Live Video/0001-x.yaml", MINIMAL + "workload: live-video\n")
    assert load_tree(tmp_path)[1] == []


def test_file_name_not_numbered_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "decisions/w/Use Kafka.yaml", MINIMAL)
    catalog, diags = load_tree(tmp_path)
    assert diags == [
        "decisions/w/Use Kafka.yaml:1:1: warning: file name should be NNNN-short-title.yaml (e.g. 0003-split-chat-from-video.yaml)"
    ]
    assert len(catalog.decisions) == 1


# --- one run, every problem ---------------------------------------------------------------------


def test_every_problem_in_one_file_is_reported(tmp_path: Path) -> None:
    text = (
        "schema: 1\nid: W-0001\ntitle: T\nstatus: aceppted\ndate: 2021-02-30\n"
        "titel: x\npillars:\n  security: {score: 9}\n"
    )
    assert check(tmp_path, text) == [
        f"{DECISION}:4:9: error: status is 'aceppted', which is not one of: "
        "proposed, accepted, rejected, deprecated, superseded (did you mean 'accepted'?)",
        f"{DECISION}:5:7: error: '2021-02-30' is not a calendar date (YYYY-MM-DD)",
        f"{DECISION}:6:1: error: unknown key 'titel' (did you mean 'title'?)",
        f"{DECISION}:8:21: error: pillars.security.score is 9; a score is from 0 to 5",
    ]


def test_lens_ids_are_checked_in_a_file_that_fails_its_schema(tmp_path: Path) -> None:
    text = MINIMAL + "titel: x\npillars:\n  reliabilty: {score: 3}\nprinciples: [on-demnd]\n"
    assert check(tmp_path, text) == [
        f"{DECISION}:6:1: error: unknown key 'titel' (did you mean 'title'?)",
        f"{DECISION}:8:3: error: 'reliabilty' is not a pillar of the AWS Well-Architected Framework lens "
        "(did you mean 'reliability'?)",
        f"{DECISION}:9:14: error: 'on-demnd' is not a design principle of the AWS Well-Architected Framework lens "
        "(did you mean 'on-demand'?)",
    ]


def test_every_problem_in_every_file_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "decisions/a/0001-x.yaml", MINIMAL + "titel: x\n")
    write(tmp_path, "decisions/a/0002-y.yaml", b"title: caf\xe9\n")
    write(tmp_path, "decisions/b/0001-z.yaml", "- not a mapping\n")
    write(tmp_path, "decisions/b/0002-w.yaml", "schema: 1\nid: !!python/name:os.system\n")
    (tmp_path / "decisions/b/0003-v.yaml").mkdir()
    write(tmp_path, "decisions/c/0001-ok.yaml", MINIMAL.replace("W-0001", "C-0001"))
    catalog, diags = load_tree(tmp_path)
    assert diags == [
        "decisions/a/0001-x.yaml:6:1: error: unknown key 'titel' (did you mean 'title'?)",
        "decisions/a/0002-y.yaml:1:11: error: file is not UTF-8 text (byte 0xe9); save it as UTF-8",
        "decisions/b/0001-z.yaml:1:1: error: a decision file must be a mapping of keys to values, not a list",
        "decisions/b/0002-w.yaml:2:5: error: the YAML tag 'tag:yaml.org,2002:python/name:os.system' "
        "is not allowed: decision files hold plain data only",
        "decisions/b/0003-v.yaml:0:0: error: is a directory, not a decision file (rename it or move it out)",
    ]
    assert [d.id for d in catalog.decisions] == ["C-0001"]


def test_a_huge_value_is_cut_short_in_the_message(tmp_path: Path) -> None:
    assert check(tmp_path, MINIMAL.replace("status: accepted", "status: " + "x" * 100_000)) == [
        f"{DECISION}:4:9: error: status is '{'x' * 60}...', which is not one of: "
        "proposed, accepted, rejected, deprecated, superseded"
    ]


# --- checks between fields (issue 13) -----------------------------------------------------------


def test_review_by_before_the_decision_date_is_an_error(tmp_path: Path) -> None:
    text = MINIMAL + "hypothesis:\n  statement: s\n  review_by: 2021-02-01\n"
    assert check(tmp_path, text) == [
        f"{DECISION}:8:14: error: review_by 2021-02-01 is before the decision's date 2021-03-01: "
        "the result cannot be due before the decision is made"
    ]
    assert check(tmp_path, text.replace("2021-02-01", "2021-03-01")) == []  # the same day is fine


def test_id_number_that_differs_from_the_file_number_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "decisions/lv/0001-x.yaml", MINIMAL.replace("W-0001", "LV-0002"))
    catalog, diags = load_tree(tmp_path)
    assert diags == [
        "decisions/lv/0001-x.yaml:2:5: warning: id 'LV-0002' has the number 2 but its file name has 0001 "
        "(0001-x.yaml): make them agree (`mkdocs-wa renumber LV-0002 LV-0001`, or rename the file)"
    ]
    assert [d.id for d in catalog.decisions] == ["LV-0002"]  # a warning: still published


def test_template_placeholders_left_in_an_accepted_decision_are_warnings(tmp_path: Path) -> None:
    import datetime as dt

    from mkdocs_wa.authoring.scaffold import render_template

    template = render_template(
        decision_id="W-0001", title="T", status="accepted", date=dt.date(2021, 3, 1), schema_ref="../s.json"
    )
    diags = check(tmp_path, template)
    assert [d.split(": ")[1] for d in diags] == ["warning"] * 4, diags
    assert [d.split(":")[1:3] for d in diags] == [["11", "3"], ["13", "3"], ["15", "3"], ["19", "5"]]  # each TODO
    assert "context still holds the template's placeholder 'TODO: the forces at play, and why a deci...'" in diags[0]
    assert "but the status is 'accepted': write it, or keep the status 'proposed'" in diags[0]
    # a proposal may still be a draft; written text with TODO elsewhere is fine
    assert check(tmp_path, template.replace("status: accepted", "status: proposed")) == []
    written = MINIMAL + "context: |\n  TODO: migrate the last service next quarter.\n"
    assert check(tmp_path, written) == []


def test_a_file_that_fails_its_schema_still_gets_its_references_checked(tmp_path: Path) -> None:
    write(tmp_path, "decisions/w/0001-a.yaml", MINIMAL)
    text = MINIMAL.replace("W-0001", "W-0002").replace("accepted", "acepted") + (
        "supersedes: [W-0001, W-0009]\nresult:\n  outcome: confirmed\n  next: W-0042\n"
    )
    write(tmp_path, "decisions/w/0002-b.yaml", text)
    write(tmp_path, "decisions/w/0003-c.yaml", MINIMAL.replace("W-0001", "W-0002").replace("titl", "tilt"))
    catalog, diags = load_tree(tmp_path)
    assert diags == [
        "decisions/w/0001-a.yaml:4:9: warning: is superseded by W-0002 but its status is 'accepted' (set it to 'superseded')",
        "decisions/w/0002-b.yaml:4:9: error: status is 'acepted', which is not one of: "
        "proposed, accepted, rejected, deprecated, superseded (did you mean 'accepted'?)",
        "decisions/w/0002-b.yaml:6:22: error: supersedes unknown decision 'W-0009' (did you mean 'W-0001'?)",
        "decisions/w/0002-b.yaml:9:9: error: result.next names unknown decision 'W-0042' (did you mean 'W-0001'?)",
        "decisions/w/0003-c.yaml:1:1: error: the document is missing the required key 'title'",
        "decisions/w/0003-c.yaml:2:5: error: duplicate id 'W-0002': decisions/w/0002-b.yaml uses it too",
        "decisions/w/0003-c.yaml:2:5: warning: id 'W-0002' has the number 2 but its file name has 0003 (0003-c.yaml): "
        "make them agree (`mkdocs-wa renumber W-0002 W-0003`, or rename the file)",
        "decisions/w/0003-c.yaml:3:1: error: unknown key 'tilte' (did you mean 'title'?)",
    ]


def test_a_file_that_fails_its_schema_still_gets_its_units_checked(tmp_path: Path) -> None:
    text = with_metric(unit="zorks", target="'<= 1'").replace("accepted", "acepted")
    assert [d.split(": ", 2)[2] for d in check(tmp_path, text)] == [
        "status is 'acepted', which is not one of: proposed, accepted, rejected, deprecated, superseded "
        "(did you mean 'accepted'?)",
        "'zorks' is not a known unit; use a unit such as 'ms', 'GB', '%', a currency code ('USD/month') "
        "or a counting unit ('users', 'requests/s')",
    ]


# --- help for the usual YAML mistakes, at the right line (issue 13) ------------------------------


def test_unquoted_colon_in_a_value_says_to_quote_it(tmp_path: Path) -> None:
    text = MINIMAL.replace("title: A decision", "title: Kafka: the event bus")
    assert check(tmp_path, text) == [
        f"{DECISION}:3:13: error: invalid YAML: mapping values are not allowed in this context: a ': ' inside a value "
        "makes YAML read a second key; put the whole value in quotes, e.g. title: \"Kafka: the event bus\", "
        "or use a block ('|') for long text"
    ]
    assert check(tmp_path, MINIMAL.replace("title: A decision", 'title: "Kafka: the event bus"')) == []


@pytest.mark.parametrize(
    "pillars, line, col",
    [
        ("  reliability:\n    score: 3\n   security:\n    score: 2\n", 9, 4),  # one space too many
        ("  reliability:\n    score: 3\n security:\n    score: 2\n", 9, 2),  # one space too few
    ],
)
def test_a_misindented_pillar_says_to_indent_it_at_its_own_line(tmp_path: Path, pillars: str, line: int, col: int) -> None:
    [message] = check(tmp_path, MINIMAL + "pillars:\n" + pillars)
    assert message.startswith(f"{DECISION}:{line}:{col}: error: invalid YAML: this line starts at column {col}, ")
    assert "indent it exactly like the keys beside it, or two spaces more than the key it belongs under" in message


def test_a_pillar_whose_keys_are_not_indented_under_it(tmp_path: Path) -> None:
    text = MINIMAL + "pillars:\n  security:\n    score: 4\n  reliability:\n  score: 3\n  note: ok\n"
    assert check(tmp_path, text) == [
        f"{DECISION}:9:3: error: pillars.reliability is empty (nothing follows 'reliability:'); "
        "write its keys on the lines below it, indented two spaces more than it",
        f"{DECISION}:10:3: error: 'score' is not a pillar: it belongs to the pillar above it; "
        "indent it two spaces more than that pillar's key",
        f"{DECISION}:11:3: error: 'note' is not a pillar: it belongs to the pillar above it; "
        "indent it two spaces more than that pillar's key",
    ]


def test_a_comma_in_a_flow_mapping_says_to_quote_the_text(tmp_path: Path) -> None:
    text = MINIMAL + "result: {outcome: confirmed, learned: Static belongs on S3, always.}\n"
    assert check(tmp_path, text) == [
        f"{DECISION}:6:61: error: unknown key 'always.' in result: the comma after 'learned' started a new key; "
        "inside {...} put text that holds a comma in quotes (learned: \"Static belongs on S3, always.\"), "
        "or write result in block style, one key per line"
    ]
    block = MINIMAL + "result:\n  outcome: confirmed\n  learned: Static belongs on S3, always.\n"
    assert check(tmp_path, block) == []
    # a key that is simply unknown, in block style, keeps the plain message
    assert check(tmp_path, MINIMAL + "result:\n  outcome: confirmed\n  lerned: x\n") == [
        f"{DECISION}:8:3: error: unknown key 'lerned' in result (did you mean 'learned'?)"
    ]
