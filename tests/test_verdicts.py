"""Judging one metric: comparisons, ranges, bare numbers, units through pint, unmeasured."""

from __future__ import annotations

import pytest

from mkdocs_wa.model import Metric
from mkdocs_wa.source.verdicts import Quantity, Target, TargetError, Verdict, check_metric, judge, parse_target

MET, MISSED, UNMEASURED, UNKNOWN = Verdict.MET, Verdict.MISSED, Verdict.UNMEASURED, Verdict.UNKNOWN


def verdict(target: object, observed: object, unit: str = "") -> Verdict:
    return judge(Metric("m", target, unit, observed=observed))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("<= 2.5", Target("<=", Quantity(2.5))),
        (">=99.9", Target(">=", Quantity(99.9))),
        ("== 0", Target("==", Quantity(0.0))),
        ("= 0", Target("==", Quantity(0.0))),
        ("< 1 s", Target("<", Quantity(1.0, "s"))),
        ("> 1,000 users", Target(">", Quantity(1000.0, "users"))),
        ("≤ 300 ms", Target("<=", Quantity(300.0, "ms"))),
        ("≥ 10_000", Target(">=", Quantity(10000.0))),
        ("1..2.5", Target("range", Quantity(1.0), Quantity(2.5))),
        ("1..2.5 s", Target("range", Quantity(1.0, "s"), Quantity(2.5, "s"))),
        ("-5 to -1", Target("range", Quantity(-5.0), Quantity(-1.0))),
        ("1–3", Target("range", Quantity(1.0), Quantity(3.0))),
        ("42", Target("==", Quantity(42.0))),
        (42, Target("==", Quantity(42.0))),
        (0.5, Target("==", Quantity(0.5))),
        ("1e3 ms", Target("==", Quantity(1000.0, "ms"))),
    ],
)
def test_parse_target(target: object, expected: Target) -> None:
    assert parse_target(target) == expected


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("fast", "'fast' is not a target: write a comparison ('<= 1', '>= 99.9 %'), a range ('1..2.5') or a number"),
        ("<=", "'<=' is not a target: write a comparison ('<= 1', '>= 99.9 %'), a range ('1..2.5') or a number"),
        ("<= soon", "'soon' is not a number with an optional unit, such as '850 ms'"),
        ("3..1", "'3..1': the range's low end is above its high end"),
        ("1 s..2", "'1 s..2': give the unit after the second number, or after both"),
        ("", "a target is a comparison such as '<= 1', a range such as '1..2.5', or a number"),
        (True, "a target is a comparison such as '<= 1', a range such as '1..2.5', or a number"),
        (None, "a target is a comparison such as '<= 1', a range such as '1..2.5', or a number"),
        (float("nan"), "nan is not a measurement"),
        (float("inf"), "inf is not a measurement"),
        ("<= 1e999", "'1e999' is too large a number"),
    ],
)
def test_bad_targets(target: object, message: str) -> None:
    with pytest.raises(TargetError) as exc:
        parse_target(target)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    ("target", "observed", "expected"),
    [
        ("<= 2.5", 2.5, MET),
        ("<= 2.5", 2.51, MISSED),
        ("< 2.5", 2.49, MET),
        ("< 2.5", 2.5, MISSED),
        (">= 99.9", 99.9, MET),
        (">= 99.9", 99.8, MISSED),
        ("> 0", 0.01, MET),
        ("> 0", 0, MISSED),
        ("== 0", 0, MET),
        ("== 0", 1, MISSED),
        ("= 3", "3", MET),
        ("≤ 1", 1, MET),
        ("≤ 1", 1.5, MISSED),
        ("≥ 1", 1, MET),
        ("≥ 1", 0.5, MISSED),
        ("1..2.5", 1, MET),
        ("1..2.5", 2.5, MET),
        ("1..2.5", 0.99, MISSED),
        ("1..2.5", 2.51, MISSED),
        ("1 to 3", 2, MET),
        ("42", 42, MET),
        (42, 42.0, MET),
        (42, 41, MISSED),
        (0.1, 0.1 + 1e-12, MET),  # floating-point noise is not a miss
        ("<= 10", "9 %", MET),
    ],
)
def test_comparisons(target: object, observed: object, expected: Verdict) -> None:
    assert verdict(target, observed) is expected


@pytest.mark.parametrize(
    ("target", "observed", "unit", "expected"),
    [
        ("<= 1 s", "850 ms", "", MET),  # converted by pint
        ("<= 1 s", "1200 ms", "", MISSED),
        ("<= 1 s", 850, "ms", MET),  # a bare observed value is in the metric's unit
        ("<= 300 ms", 0.25, "s", MET),
        ("<= 300 ms", 0.35, "s", MISSED),
        ("<= 1 TB", "900 GB", "TB", MET),
        ("1..2 s", "1500 ms", "", MET),
        ("1 ms..2 s", "2001 ms", "s", MISSED),
        (">= 99.9 %", "99.95 %", "%", MET),
        ("<= 2.5", "10 s", "s", MISSED),  # same unit as the metric: no conversion needed
        ("<= 1000 USD/month", "900 USD/month", "USD/month", MET),  # units pint does not know, but equal
    ],
)
def test_units(target: str, observed: object, unit: str, expected: Verdict) -> None:
    assert verdict(target, observed, unit) is expected


@pytest.mark.parametrize(
    ("target", "observed", "unit", "message"),
    [
        ("<= 1 s", "3 kg", "", "cannot compare '3 kg' with 's': 'kg' measures mass, 's' measures time"),
        ("<= 1 s", "3 furlongs/fortnight", "", "cannot compare '3 furlongs/fortnight' with 's': "
         "'furlongs/fortnight' measures length per time, 's' measures time"),
        ("<= 1 s", "3 furlongs per fortnight", "", "cannot compare '3 furlongs per fortnight' with 's': "
         "'per' in 'furlongs per fortnight' is not a unit: write '/' between the names, e.g. 'requests/s'"),
        ("<= 10", "3 parsecs", "USD", "cannot compare '3 parsecs' with 'USD': 'parsecs' measures length, 'USD' measures money in USD"),
        ("<= 1 s", "2 m*10**10**10", "", "cannot compare '2 m*10**10**10' with 's': "
         "'m*10**10**10' is not a unit such as 'ms', 'GB', 'USD/month' or 'm/s^2'"),
    ],
)
def test_incompatible_units_cannot_be_judged_and_are_reported(target: str, observed: str, unit: str, message: str) -> None:
    metric = Metric("m", target, unit, observed=observed)
    assert judge(metric) is UNKNOWN
    assert check_metric(metric) == [("observed", message)]


@pytest.mark.parametrize("observed", [None, ""])
def test_unmeasured(observed: object) -> None:
    metric = Metric("m", "<= 1", observed=observed)  # type: ignore[arg-type]
    assert judge(metric) is UNMEASURED
    assert check_metric(metric) == []


@pytest.mark.parametrize("observed", [True, "fast", float("nan"), [1, 2]])
def test_observed_that_is_not_a_measurement_cannot_be_judged(observed: object) -> None:
    assert verdict("<= 1", observed) is UNKNOWN


def test_bad_target_cannot_be_judged_and_is_reported() -> None:
    metric = Metric("m", "about 3", observed=3)
    assert judge(metric) is UNKNOWN
    assert check_metric(metric) == [
        ("target", "'about 3' is not a target: write a comparison ('<= 1', '>= 99.9 %'), a range ('1..2.5') or a number")
    ]


def test_prose_baseline_is_not_judged() -> None:
    assert check_metric(Metric("m", "<= 2.5", "s", baseline="1-2.5 at 10-50 users", observed=10)) == []
