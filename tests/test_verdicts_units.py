"""Verdicts: every comparison, ranges, units (pint only when units differ), the
aggregate per hypothesis and the warning when a declared outcome disagrees."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write
from sites import decision_yaml

from mkdocs_wa.model import Decision, Hypothesis, Metric, Result
from mkdocs_wa.source.validate import load_catalog
from mkdocs_wa.source.verdicts import (
    OUTCOME_CODE,
    TargetError,
    Verdict,
    check_metric,
    check_outcomes,
    describe_observed,
    describe_target,
    hypothesis_verdict,
    judge,
    parse_target,
)

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
        "from mkdocs_wa.source.verdicts import judge, check_metric\n"
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


# --- units are known, and a target's unit fits the metric's (issue 13) ------------------------


@pytest.mark.parametrize(
    "unit",
    ["s", "ms", "%", "USD/month", "EUR", "users", "instances", "components", "days", "TB/day", "req/s",
     "requests/min", "GiB", "Mbit/s", "kWh", "degC", "m/s^2", "dimensionless", "count", "people", "queries/s"],
)
def test_units_the_project_uses_are_known(unit: str) -> None:
    assert check_metric(Metric("m", "<= 1", unit, observed=1)) == []


@pytest.mark.parametrize(
    "unit, fragment",
    [
        ("zorks", "'zorks' is not a known unit; use a unit such as"),
        ("secnds", "(did you mean 'seconds'"),
        ("USD/montth", "'montth' in 'USD/montth' is not a known unit (did you mean 'month'"),
        ("KB", "did you mean 'kB' (kilobyte) or 'KiB'?"),
        ("$/month", "'$' in '$/month' is not a unit: write a currency code such as 'USD'"),
        ("requests per second", "'per' in 'requests per second' is not a unit: write '/' between the names"),
        ("m*10**10**10", "is not a unit such as 'ms', 'GB', 'USD/month' or 'm/s^2'"),
        ("ms/", "is not a unit such as"),
    ],
)
def test_unknown_units_are_reported_with_a_suggestion(unit: str, fragment: str) -> None:
    problems = check_metric(Metric("m", "<= 1", unit))
    assert [field for field, _ in problems] == ["unit"]
    assert fragment in problems[0][1]


@pytest.mark.parametrize(
    "target, unit, fragment",
    [
        ("<= 1 GB", "s", "the target '<= 1 GB' is in 'GB' (data size), which does not fit the metric's unit 's' (time)"),
        (">= 99 %", "ms", "'%' (a plain number), which does not fit the metric's unit 'ms' (time)"),
        ("<= 10 users", "instances", "(number of users), which does not fit the metric's unit 'instances' (number of instances)"),
        ("<= 10 EUR/month", "USD/month", "(money in EUR per time), which does not fit the metric's unit 'USD/month'"),
        ("1..2 GB", "s", "is in 'GB' (data size)"),
        ("<= 1 zorks", "s", "'zorks' is not a known unit"),
    ],
)
def test_a_target_unit_that_does_not_fit_is_found_before_anything_is_observed(target: str, unit: str, fragment: str) -> None:
    [(field, message)] = check_metric(Metric("m", target, unit))  # nothing observed yet
    assert field == "target" and fragment in message


def test_fitting_units_convert_across_counting_units_and_currencies() -> None:
    assert v("<= 100 requests/s", "5000 req/min", "requests/s") is MET  # 83 per second
    assert v("<= 100 requests/s", "7000 req/min", "requests/s") is MISSED
    assert v("<= 1000 USD/month", "11000 USD/year", "USD/month") is MET
    assert v("<= 1000 USD/month", "13000 USD/year", "USD/month") is MISSED
    assert v("<= 10", "9 EUR", "USD") is UNKNOWN  # no exchange rates


def test_unknown_unit_and_a_bad_observed_value_come_out_together(tmp_path: Path) -> None:
    metrics = [
        {"name": "a", "unit": "zorks", "target": "<= 1"},
        {"name": "b", "unit": "s", "target": "<= 1 GB"},
        {"name": "c", "unit": "s", "target": "<= 1", "observed": "2 kg"},
    ]
    write(tmp_path, "decisions/w/0001-x.yaml", decision_yaml("W-0001", hypothesis={"statement": "s", "metrics": metrics}))
    from conftest import load_tree

    messages = load_tree(tmp_path)[1]
    assert len(messages) == 3, messages
    assert "'zorks' is not a known unit" in messages[0]
    assert "is in 'GB' (data size), which does not fit the metric's unit 's' (time)" in messages[1]
    assert "cannot compare '2 kg' with 's': 'kg' measures mass, 's' measures time" in messages[2]


def test_the_common_unit_table_agrees_with_pint() -> None:
    """Common units are checked without pint; each must mean what pint says it means."""
    from mkdocs_wa.source.units import _COMMON, _pint_dims

    disagree = {name: (dims, _pint_dims(name)) for name, dims in _COMMON.items() if _pint_dims(name) != tuple(sorted(dims))}
    assert disagree == {}


def test_common_units_are_checked_without_loading_pint() -> None:
    code = (
        "import sys\n"
        "from mkdocs_wa.model import Metric\n"
        "from mkdocs_wa.source.verdicts import check_metric\n"
        "for u in ['s', 'ms', '%', 'USD/month', 'users', 'instances', 'TB/day', 'GB']:\n"
        "    assert check_metric(Metric('m', '<= 1', u, observed=1)) == [], u\n"
        "assert check_metric(Metric('m', '<= 1 GB', 's'))\n"
        "assert 'pint' not in sys.modules, 'pint was imported'\n"
        "assert check_metric(Metric('m', '<= 1', 'kWh')) == []\n"
        "assert 'pint' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# --- numbers are bounded before they are compared (issue 20, item 8) --------------------------


@pytest.mark.parametrize(
    "observed, fragment",
    [
        (1e308, "'1e+308' is too large to compare"),
        (float("inf"), "inf is not a measurement"),
        (float("nan"), "nan is not a measurement"),
        ("1e308 ms", "is too large to compare"),
        ("1e999", "is too large a number"),
    ],
)
def test_huge_and_non_numbers_in_observed_are_diagnostics(observed: object, fragment: str) -> None:
    metric = Metric("m", "<= 1", "s", observed=observed)  # type: ignore[arg-type]
    assert judge(metric) is UNKNOWN
    [(field, message)] = check_metric(metric)
    assert field == "observed" and fragment in message


def test_the_largest_values_still_compare_after_conversion() -> None:
    assert v("<= 1e15 s", "1e15 year", "s") is MISSED  # 3e22 s: converted, compared, no overflow
    assert v(">= 1e15 PB", "1e15 PB", "bit") is MET  # 8e33 bit on both sides
    assert v("<= 1e15", "1000000000000001", "s") is UNKNOWN  # just above the bound


# --- no pattern that reads a target or a unit can be made to hang (issue 20, item 7) ----------


ADVERSARIAL = [
    "<= 1 " + "a" * 40 + "!",  # the unit pattern used to backtrack exponentially
    "<= 1 " + "a" * 5000 + "!",
    "1" + " " * 200_000,  # a quadratic range pattern
    "1" + " " * 200_000 + "x",
    " " * 200_000 + "1..",
    "1" + "," * 100_000 + "x",
    "1" + "_" * 100_000 + ".",
    "1 " + "to " * 50_000,
    "1" + "." * 100_000,
    "<=" + " " * 100_000 + "1 " + "ms/" * 10_000,
    "1 " + "a " * 50_000 + "..2",
    "1" + "–" * 100_000,
]


def test_adversarial_targets_and_units_finish_quickly(tmp_path: Path) -> None:
    """Each input is judged, checked and validated in a child process that must end in
    a few seconds (a blow-up would take minutes to years)."""
    import json

    for i, text in enumerate(ADVERSARIAL, start=1):  # one file each: a file holds at most 1 MB
        metrics = [{"name": "m", "unit": text[:1000], "target": text, "observed": text}]
        decision = decision_yaml(f"W-{i:04d}", hypothesis={"statement": "s", "metrics": metrics})
        write(tmp_path, f"decisions/w/{i:04d}-x.yaml", decision)
    code = (
        "import json, sys, time\n"
        "from pathlib import Path\n"
        "from mkdocs_wa.model import Metric\n"
        "from mkdocs_wa.source.verdicts import check_metric, judge, describe_target, describe_observed\n"
        "from mkdocs_wa.source.units import parse_unit, UnitError\n"
        "from mkdocs_wa.source.lens import load_lens\n"
        "from mkdocs_wa.source.validate import load_catalog\n"
        "texts = json.loads(Path(sys.argv[1]).read_text())\n"
        "for t in texts:\n"
        "    for unit in ('s', t[:60_000], ''):\n"
        "        m = Metric('m', t, unit, observed=t)\n"
        "        judge(m); check_metric(m); describe_target(m); describe_observed(m)\n"
        "        m = Metric('m', '<= 1', unit, observed=t)\n"
        "        judge(m); check_metric(m)\n"
        "    try: parse_unit(t)\n"
        "    except UnitError: pass\n"
        "lens, _ = load_lens()\n"
        "catalog, diags = load_catalog([Path(sys.argv[2])], lens)\n"
        "assert len(diags) >= len(texts), diags\n"
    )
    (tmp_path / "texts.json").write_text(json.dumps(ADVERSARIAL))
    subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "texts.json"), str(tmp_path / "decisions")], check=True, timeout=20
    )


@pytest.mark.parametrize("unit", ['<script>window.__pwned="F-unit"</script>', "<img src=x onerror=alert(1)>", "ms</td>"])
def test_markup_in_a_unit_is_refused(unit: str) -> None:
    [(field, message)] = check_metric(Metric("m", "<= 1", unit))
    assert field == "unit" and "not a unit" in message
