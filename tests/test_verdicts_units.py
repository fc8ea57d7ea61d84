"""Verdicts: every comparison, ranges, units (pint only when units differ), the
aggregate per hypothesis and the warning when a declared outcome disagrees."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write
from mkdocs_wa.model import Decision, Hypothesis, Metric, Result
from mkdocs_wa.validate import load_catalog
from mkdocs_wa.verdicts import (
    OUTCOME_CODE,
    check_outcomes,
    TargetError,
    Verdict,
    check_metric,
    describe_observed,
    describe_target,
    hypothesis_verdict,
    judge,
    parse_target,
)
from sites import decision_yaml

MET, MISSED, UNMEASURED, UNKNOWN = Verdict.MET, Verdict.MISSED, Verdict.UNMEASURED, Verdict.UNKNOWN


def v(target: object, observed: object, unit: str = "") -> Verdict:
    return judge(Metric("m", target, unit, observed=observed))


# --- comparisons, at and around each boundary -----------------------------------------


@pytest.mark.parametrize(
    "target, observed, expected",
    [
        ("<= 2.5", 2.4, MET),
        ("<= 2.5", 2.5, MET),
        ("<= 2.5", 2.6, MISSED),
        ("< 2.5", 2.4, MET),
        ("< 2.5", 2.5, MISSED),
        (">= 99.9", 99.9, MET),
        (">= 99.9", 99.89, MISSED),
        ("> 0", 0.001, MET),
        ("> 0", 0, MISSED),
        ("== 0", 0, MET),
        ("== 0", 1, MISSED),
        ("= 3", 3, MET),  # a single '=' reads as '=='
        ("≤ 1", 1, MET),
        ("≥ 1", 0.5, MISSED),
        ("<=2.5", 2, MET),  # no space needed
        ("  >=  10  ", 10, MET),
        (5, 5, MET),  # a bare number means ==
        (5, 5.0000000001, MET),  # equality tolerates float noise
        (5, 6, MISSED),
        ("5", 5, MET),
        ("> -5", -4, MET),
        ("< -5", -4, MISSED),
        (">= 10000", 1000, MISSED),
        (">= 1,000", "1,500", MET),  # thousands separators
        ("<= 1e3", 999, MET),
        ("<= 1_000", 1000, MET),
    ],
)
def test_comparison(target: object, observed: object, expected: Verdict) -> None:
    assert v(target, observed) is expected


@pytest.mark.parametrize(
    "target, observed, expected",
    [
        ("1..2.5", 1, MET),  # inclusive at both ends
        ("1..2.5", 2.5, MET),
        ("1..2.5", 0.99, MISSED),
        ("1..2.5", 2.51, MISSED),
        ("1 .. 2.5", 2, MET),
        ("1 to 3", 2, MET),
        ("1–3", 3, MET),  # en dash
        ("-5..5", -5, MET),
        ("-5..5", -6, MISSED),
    ],
)
def test_range(target: object, observed: object, expected: Verdict) -> None:
    assert v(target, observed) is expected


def test_not_measured_and_cannot_judge() -> None:
    assert v("<= 1", None) is UNMEASURED
    assert v("<= 1", "") is UNMEASURED
    assert v("<= 1", "n/a", "s") is UNKNOWN
    assert v("<= 1", True) is UNKNOWN  # true/false is not a measurement
    assert v("about one", 1) is UNKNOWN


# --- units ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target, observed, unit, expected",
    [
        # bare numbers are in the metric's unit
        ("<= 2.5", 10, "s", MISSED),
        ("<= 1 s", 0.8, "s", MET),
        # the target names another unit than the metric: the value is converted
        ("<= 1 s", 850, "ms", MET),
        ("<= 1 s", 1001, "ms", MISSED),
        ("== 1 s", 1000, "ms", MET),
        # the observed value names its own unit
        ("<= 1 s", "850 ms", "", MET),
        ("<= 1 s", "1000 ms", "s", MET),
        ("<= 1 s", "1.2 s", "s", MISSED),
        ("<= 2.5", "900 ms", "s", MET),
        ("<= 1 min", "59 s", "s", MET),
        ("<= 1 min", "61 s", "s", MISSED),
        ("<= 1 TB", "900 GB", "TB", MET),
        ("<= 1 TB", "1100 GB", "TB", MISSED),
        ("<= 32 degC", "80 degF", "", MET),  # offset units: 80 °F is 26.7 °C
        ("<= 20 degC", "80 degF", "", MISSED),
        ("< 1 %", 0.009, "", MET),  # the metric names no unit: a bare value is in the target's
        (">= 99.9 %", "99.95 %", "%", MET),
        (">= 99.9", "99.95%", "%", MET),
        (">= 0.999", "99.95 %", "dimensionless", MET),
        # ranges with units: on the high end only, on both, in different units
        ("1..2.5 s", 2, "", MET),
        ("1..2.5 s", "3000 ms", "", MISSED),
        ("500 ms..2 s", "1.5 s", "", MET),
        ("500 ms..2 s", 0.4, "s", MISSED),
        ("500 ms..2 s", 1500, "ms", MET),
        # units pint does not know compare fine while they are the metric's own
        (">= 10000", 1000, "users", MISSED),
        ("<= 8000 USD/month", "7999 USD/month", "USD/month", MET),
        ("<= 8000 USD / month", "8001 USD/month", "USD/month", MISSED),  # spaces aside
    ],
)
def test_units(target: object, observed: object, unit: str, expected: Verdict) -> None:
    assert v(target, observed, unit) is expected


def test_units_that_do_not_convert_cannot_be_judged_and_are_reported() -> None:
    metric = Metric("p95", "<= 1 s", "s", observed="3 GB")
    assert judge(metric) is UNKNOWN
    [(field, message)] = check_metric(metric)
    assert field == "observed" and "cannot compare '3 GB' with 's'" in message
    # a unit pint does not know, different from the metric's, cannot be judged either
    assert v("<= 10", "9 EUR", "USD") is UNKNOWN


@pytest.mark.parametrize(
    "target, fragment",
    [
        ("3..1", "low end is above its high end"),
        ("2 s..1500 ms", "low end is above its high end"),  # compared after conversion
        ("1 s..2", "give the unit after the second number"),
        ("1 s..2 GB", "cannot compare"),
        ("", "a target is a comparison"),
        ("fast", "is not a target"),
        ("<= fast", "is not a number"),
        (True, "a target is a comparison"),
    ],
)
def test_bad_targets(target: object, fragment: str) -> None:
    with pytest.raises(TargetError, match=fragment):
        parse_target(target)
    assert check_metric(Metric("m", target, observed=1))[0][0] == "target"


def test_same_units_never_load_pint() -> None:
    """pint's registry costs hundreds of milliseconds: only a unit conversion loads it."""
    code = (
        "import sys\n"
        "from mkdocs_wa.model import Metric\n"
        "from mkdocs_wa.verdicts import judge, check_metric\n"
        "for t, o, u in [('<= 2.5 s', '2 s', 's'), ('<= 2.5', 3, 's'), ('1..2 users', 1, 'users'), (5, '5', '')]:\n"
        "    judge(Metric('m', t, u, observed=o)); check_metric(Metric('m', t, u, observed=o))\n"
        "assert 'pint' not in sys.modules, 'pint was imported'\n"
        "judge(Metric('m', '<= 1 s', 'ms', observed=850))\n"
        "assert 'pint' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_descriptions_for_pages() -> None:
    assert describe_target(Metric("m", "<= 2.5", "s")) == "<= 2.5 s"
    assert describe_target(Metric("m", "1..2", "s")) == "1 to 2 s"
    assert describe_target(Metric("m", "<= 1 s", "ms")) == "<= 1 s"
    assert describe_target(Metric("m", "fast", "s")) == "fast"
    assert describe_observed(Metric("m", 1, "s", observed=10)) == "10 s"
    assert describe_observed(Metric("m", 1, "s", observed="850 ms")) == "850 ms"
    assert describe_observed(Metric("m", 1, "s", observed="2.0")) == "2 s"
    assert describe_observed(Metric("m", 1, "s", observed=None)) == ""


# --- a hypothesis as a whole --------------------------------------------------------


def decision(*metrics: Metric, outcome: str | None = None, hypothesis: bool = True) -> Decision:
    return Decision(
        id="W-0001",
        title="t",
        status="accepted",
        date=dt.date(2024, 1, 1),
        workload="w",
        path="w.yaml",
        hypothesis=Hypothesis("s", tuple(metrics)) if hypothesis else None,
        result=Result(outcome) if outcome else None,
    )


MET_M = Metric("a", "<= 1", observed=1)
MISSED_M = Metric("b", "<= 1", "s", observed=2)
OPEN_M = Metric("c", "<= 1")
BAD_M = Metric("d", "<= 1", observed="n/a")


@pytest.mark.parametrize(
    "metrics, expected",
    [
        ((), None),
        ((MET_M,), MET),
        ((MET_M, MET_M), MET),
        ((MET_M, OPEN_M), UNMEASURED),
        ((OPEN_M,), UNMEASURED),
        ((MET_M, BAD_M, OPEN_M), UNKNOWN),
        ((MET_M, MISSED_M), MISSED),  # one missed target is enough
        ((MISSED_M, BAD_M, OPEN_M), MISSED),
    ],
)
def test_hypothesis_aggregate(metrics: tuple[Metric, ...], expected: Verdict | None) -> None:
    hv = hypothesis_verdict(decision(*metrics))
    assert hv.verdict is expected
    assert [m.verdict for m in hv.metrics] == [judge(m) for m in metrics]


def test_no_hypothesis() -> None:
    hv = hypothesis_verdict(decision(hypothesis=False, outcome="confirmed"))
    assert hv.verdict is None and hv.metrics == () and hv.outcome == "confirmed" and hv.agrees is None


@pytest.mark.parametrize(
    "metrics, outcome, agrees",
    [
        ((MET_M, MISSED_M), "confirmed", False),  # confirmed while a target was missed
        ((MET_M, MET_M), "refuted", False),  # refuted while all met
        ((MET_M, MET_M), "confirmed", True),
        ((MET_M, MISSED_M), "refuted", True),
        ((MET_M, OPEN_M), "refuted", True),  # not all measured: a refutation may rest on them
        ((MET_M, MISSED_M), "inconclusive", True),
        ((MET_M,), "inconclusive", True),
        ((MET_M, MISSED_M), None, None),
        ((), "confirmed", None),
    ],
)
def test_declared_outcome_against_metrics(metrics: tuple[Metric, ...], outcome: str | None, agrees: bool | None) -> None:
    hv = hypothesis_verdict(decision(*metrics, outcome=outcome))
    assert hv.agrees is agrees
    assert bool(hv.disagreement) is (agrees is False)


def test_confirmed_with_missed_target_names_the_metric() -> None:
    hv = hypothesis_verdict(decision(MET_M, MISSED_M, outcome="confirmed"))
    assert "'b' (2 s, target <= 1 s)" in hv.disagreement and "1 of 2" in hv.disagreement


# --- the warning, at the outcome's file:line:col (validate and the build run check_outcomes)


def test_outcome_warning_points_at_result_outcome(in_tmp: Path, aws_lens) -> None:
    metrics = [
        {"name": "p95", "unit": "ms", "target": "<= 300", "observed": "0.5 s"},
        {"name": "errors", "unit": "%", "target": "< 1", "observed": 0.5},
    ]
    write(
        in_tmp,
        "decisions/app/0001-confirmed-but-missed.yaml",
        decision_yaml("APP-0001", hypothesis={"statement": "s", "metrics": metrics}, result={"outcome": "confirmed"}),
    )
    write(
        in_tmp,
        "decisions/app/0002-refuted-but-met.yaml",
        decision_yaml(
            "APP-0002",
            date="2024-02-01",
            hypothesis={"statement": "s", "metrics": metrics[1:]},
            result={"measured_on": "2024-03-01", "outcome": "refuted"},
        ),
    )
    write(
        in_tmp,
        "decisions/app/0003-fine.yaml",
        decision_yaml("APP-0003", date="2024-03-01", hypothesis={"statement": "s", "metrics": metrics[1:]}, result={"outcome": "confirmed"}),
    )
    catalog, diags = load_catalog([Path("decisions")], aws_lens)
    assert diags == []
    found = [d for d in check_outcomes(catalog) if d.code == OUTCOME_CODE]
    by_file = {d.path: d for d in found}
    assert sorted(by_file) == ["decisions/app/0001-confirmed-but-missed.yaml", "decisions/app/0002-refuted-but-met.yaml"]
    first = by_file["decisions/app/0001-confirmed-but-missed.yaml"]
    text = Path(first.path).read_text().splitlines()
    assert text[first.line - 1][first.col - 1 :] == "confirmed"
    assert text[first.line - 1].strip() == "outcome: confirmed"
    assert not first.is_error and "'p95' (0.5 s, target <= 300 ms)" in first.message
    second = by_file["decisions/app/0002-refuted-but-met.yaml"]
    lines = Path(second.path).read_text().splitlines()
    assert lines[second.line - 1][second.col - 1 :] == "refuted"
