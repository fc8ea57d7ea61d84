"""Property-based: whatever is in a file, the tool answers with diagnostics, never an exception."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_wa.diagnostics import Diagnostic
from mkdocs_wa.model import Decision, Metric
from mkdocs_wa.source.lens import load_lens
from mkdocs_wa.source.load import parse_bytes, read_yaml
from mkdocs_wa.source.validate import build_decision, cross_check
from mkdocs_wa.source.verdicts import Verdict, check_metric, judge

LENS, _ = load_lens()
assert LENS is not None
NAME = "decisions/w/0001-x.yaml"
# no deadline: the first pint conversion loads its registry, and timing is not the point
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_clean(diags: Iterable[Diagnostic]) -> None:
    for d in diags:
        assert isinstance(d, Diagnostic)
        assert d.path == NAME
        assert d.line >= 0 and d.col >= 0
        assert isinstance(d.message, str) and d.message.strip()
        assert "\n" not in d.message  # one diagnostic, one line (and one GitHub annotation)


def load_and_build(raw: bytes) -> None:
    doc, diags = parse_bytes(raw, NAME)
    assert_clean(diags)
    if doc is None:
        assert diags, "a file that cannot be read must say why"
        return
    decision, more = build_decision(doc, LENS, "w")
    assert_clean(more)
    assert (decision is None) == any(d.is_error for d in more)


# --- random bytes and YAML-ish text -------------------------------------------------------------

YAML_TOKENS = st.sampled_from(
    [
        "schema", "id", "title", "status", "date", "pillars", "security", "score", "hypothesis", "metrics",
        "target", "result", "outcome", "supersedes", ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "\n", "  ",
        "\t", "'", '"', "#", "&a ", "*a", "&b ", "*b", "!!python/object/apply:os.system ", "!!int ", "!!bool ",
        "!!float ", "!!str ", "!!binary ", "!!set ", "!x ", "? ", "<<", "=", "~", "---\n", "...\n", "|\n", ">\n",
        "1", "5", "-1", "2021-02-30", "2021-03-01", ".nan", ".inf", "yes", "on", "null", "<= 1 s", "1..2",
        "é", "\u2028", "\x07", "\ufeff", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "@", "`",
    ]
)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(raw: bytes) -> None:
    load_and_build(raw)


@FUZZ
@given(st.lists(YAML_TOKENS, max_size=80).map("".join))
def test_random_yaml_like_text(text: str) -> None:
    load_and_build(text.encode("utf-8"))


@FUZZ
@given(st.text(max_size=500))
def test_random_unicode_text(text: str) -> None:
    load_and_build(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(max_size=500), st.lists(YAML_TOKENS, max_size=40).map(lambda t: "".join(t).encode())))
def test_random_files_through_read_yaml(tmp_path: Path, raw: bytes) -> None:
    file = tmp_path / "0001-x.yaml"
    file.write_bytes(raw)
    doc, diags = read_yaml(file, NAME)
    assert_clean(diags)
    assert doc is not None or diags


# --- decisions with the right shape and random contents -----------------------------------------------

IDS = st.sampled_from(["W-0001", "W-0002", "W-0003", "X-1", "bad id", "", "W-0001"])
DATES = st.one_of(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)).map(dt.date.isoformat),
    st.sampled_from(["2021-02-30", "2021-13-01", "2021-3-1", "today", ""]),
    st.integers(),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10, 10), st.floats(allow_nan=True), st.text(max_size=20))
TARGETS = st.one_of(
    st.sampled_from(["<= 1", ">= 99.9 %", "< 2.5 s", "> 0", "== 0", "1..2.5", "≤ 300 ms", "5..1", "about", "<=", "1 s..2"]),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=15),
)
OBSERVED = st.one_of(st.none(), TARGETS, st.sampled_from(["850 ms", "3 kg", "1.2 s", "10", "2 m*10**10**10"]))
METRIC = st.fixed_dictionaries(
    {"name": st.sampled_from(["latency", "cost", "latency", ""]), "target": TARGETS},
    optional={"unit": st.sampled_from(["s", "ms", "", "%", "USD/month", "kg"]), "baseline": SCALARS, "observed": OBSERVED},
)
PILLARS = st.dictionaries(
    st.sampled_from([*LENS.pillar_ids, "secuirty", "Security", "speed"]),
    st.fixed_dictionaries({"score": st.one_of(st.integers(-2, 8), SCALARS)}, optional={"note": st.text(max_size=10)}),
    max_size=4,
)
DECISION = st.fixed_dictionaries(
    {"schema": st.sampled_from([1, 1, 1, 2, 0, "1"]), "id": IDS, "title": st.text(max_size=20), "date": DATES,
     "status": st.sampled_from(["proposed", "accepted", "rejected", "deprecated", "superseded", "acepted"])},
    optional={
        "tags": st.lists(st.text(max_size=5), max_size=3),
        "supersedes": st.lists(IDS, max_size=3),
        "principles": st.lists(st.sampled_from([*LENS.principle_ids, "on-demnd"]), max_size=3),
        "pillars": PILLARS,
        "hypothesis": st.fixed_dictionaries(
            {"statement": st.text(max_size=20)}, optional={"metrics": st.lists(METRIC, max_size=3), "review_by": DATES}
        ),
        "result": st.fixed_dictionaries(
            {"outcome": st.sampled_from(["confirmed", "refuted", "inconclusive", "confrimed"])},
            optional={"measured_on": DATES, "next": IDS, "summary": st.text(max_size=10)},
        ),
        "architecture": st.fixed_dictionaries({}, optional={"direction": st.sampled_from(["LR", "XY"])}),
        "titel": st.just("typo"),
    },
)


@FUZZ
@given(DECISION)
def test_random_decisions_validate_or_explain(data: dict) -> None:
    load_and_build(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


@FUZZ
@given(st.lists(DECISION, min_size=1, max_size=6))
def test_random_sets_of_decisions_cross_check_cleanly(items: list[dict]) -> None:
    decisions = []
    for data in items:
        doc, diags = parse_bytes(yaml.safe_dump(data).encode(), NAME)
        assert doc is not None
        decision, _ = build_decision(doc, LENS, "w")
        if decision is not None:
            decisions.append(decision)
    out, diags = cross_check(decisions)
    assert_clean(diags)
    assert len(out) == len(decisions)
    by_id: dict[str, Decision] = {}
    for d in out:
        by_id.setdefault(d.id, d)  # the first of a duplicate id wins, as in cross_check
    for d in out:  # superseded_by is exactly the inverse of supersedes (among distinct ids)
        for newer in d.superseded_by:
            assert d.id in by_id[newer].supersedes


@FUZZ
@given(st.one_of(TARGETS, st.none(), st.booleans()), OBSERVED, st.text(max_size=12))
def test_judging_any_metric_never_raises(target: object, observed: object, unit: str) -> None:
    metric = Metric("m", target, unit, observed=observed)  # type: ignore[arg-type]
    assert judge(metric) in set(Verdict)
    for field, message in check_metric(metric):
        assert field in ("unit", "target", "observed") and message
