"""Judge each metric against its target: met, missed or not yet measured.

A target is a comparison (``<= 1``, ``< 2.5``, ``>= 99.9``, ``> 0``, ``== 0``), a range
(``1..2.5``, inclusive) or a bare number (meaning ``==``); a unit may follow a number
(``<= 1 s``, ``850 ms``). Values in the metric's own unit compare as numbers. When a
value names another unit, `pint` (the units library) converts it; pint is imported
only then, because loading its registry costs a few hundred milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

from .model import Metric

_NUMBER = r"[-+]?(?:\d[\d_,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_VALUE = re.compile(rf"^\s*(?P<num>{_NUMBER})\s*(?P<unit>[^\d\s<>=.][^<>=]*?)?\s*$")
_COMPARISON = re.compile(r"^\s*(?P<op><=|>=|==|=|<|>|≤|≥)\s*(?P<rest>.+)$")
_RANGE = re.compile(rf"^\s*(?P<low>{_NUMBER}\s*[^\d\s.]*?)\s*(?:\.\.|–|\bto\b)\s*(?P<high>{_NUMBER}.*)$")
_OPS = {"≤": "<=", "≥": ">=", "=": "=="}


class Verdict(str, Enum):
    MET = "met"
    MISSED = "missed"
    UNMEASURED = "not measured"
    UNKNOWN = "cannot judge"


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str = ""


@dataclass(frozen=True)
class Target:
    op: str  # "<=", ">=", "==", "<", ">", "range"
    low: Quantity
    high: Quantity | None = None

    def describe(self) -> str:
        if self.op == "range":
            assert self.high is not None
            return f"{_fmt(self.low)} to {_fmt(self.high)}"
        return f"{self.op} {_fmt(self.low)}"


def _fmt(q: Quantity) -> str:
    num = f"{q.value:g}"
    return f"{num} {q.unit}".strip()


class TargetError(ValueError):
    pass


def parse_quantity(value: Any) -> Quantity:
    """A number, or a string holding a number and an optional unit."""
    if isinstance(value, bool):
        raise TargetError("true/false is not a measurement")
    if isinstance(value, (int, float)):
        return Quantity(float(value))
    if not isinstance(value, str):
        raise TargetError(f"{value!r} is not a number")
    m = _VALUE.match(value)
    if not m:
        raise TargetError(f"'{value}' is not a number with an optional unit, such as '850 ms'")
    return Quantity(float(m["num"].replace("_", "").replace(",", "")), (m["unit"] or "").strip())


def parse_target(value: Any) -> Target:
    """Parse a target written in a decision file; :class:`TargetError` says what is wrong."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Target("==", Quantity(float(value)))
    if not isinstance(value, str) or not value.strip():
        raise TargetError("a target is a comparison such as '<= 1', a range such as '1..2.5', or a number")
    m = _COMPARISON.match(value)
    if m:
        op = _OPS.get(m["op"], m["op"])
        return Target(op, parse_quantity(m["rest"]))
    m = _RANGE.match(value)
    if m:
        low, high = parse_quantity(m["low"]), parse_quantity(m["high"])
        if low.unit and not high.unit:
            raise TargetError(f"'{value}': give the unit after the second number, or after both")
        if not low.unit:
            low = Quantity(low.value, high.unit)
        if _convert(high, low.unit, "").value < low.value:
            raise TargetError(f"'{value}': the range's low end is above its high end")
        return Target("range", low, high)
    try:
        return Target("==", parse_quantity(value))
    except TargetError:
        raise TargetError(
            f"'{value}' is not a target: write a comparison ('<= 1', '>= 99.9 %'), a range ('1..2.5') or a number"
        ) from None


@cache
def _registry() -> Any:
    import pint  # deferred: see the module docstring

    return pint.UnitRegistry()


def _convert(q: Quantity, to_unit: str, metric_unit: str) -> Quantity:
    """``q`` expressed in ``to_unit``; an empty unit means the metric's own unit."""
    src = q.unit or metric_unit
    dst = to_unit or metric_unit
    if src == dst or not src or not dst:
        return Quantity(q.value, dst)
    try:
        ureg = _registry()
        converted = ureg.Quantity(q.value, src).to(dst).magnitude
    except Exception as exc:  # pint raises several unrelated error types
        raise TargetError(f"cannot compare '{_fmt(q)}' with '{dst}': {exc}") from None
    return Quantity(float(converted), dst)


def judge(metric: Metric) -> Verdict:
    """Whether the observed value meets the target (errors in values: UNKNOWN)."""
    if metric.observed is None or metric.observed == "":
        return Verdict.UNMEASURED
    try:
        target = parse_target(metric.target)
        unit = target.low.unit or metric.unit
        observed = _convert(parse_quantity(metric.observed), unit, metric.unit).value
        low = _convert(target.low, unit, metric.unit).value
        if target.op == "range":
            assert target.high is not None
            high = _convert(target.high, unit, metric.unit).value
            ok = low <= observed <= high
        else:
            ok = {
                "<=": observed <= low,
                ">=": observed >= low,
                "<": observed < low,
                ">": observed > low,
                "==": abs(observed - low) <= 1e-9 * max(1.0, abs(low)),
            }[target.op]
    except TargetError:
        return Verdict.UNKNOWN
    return Verdict.MET if ok else Verdict.MISSED


def check_metric(metric: Metric) -> list[tuple[str, str]]:
    """Problems with a metric's values, as (field, message) pairs."""
    problems: list[tuple[str, str]] = []
    try:
        target = parse_target(metric.target)
    except TargetError as exc:
        return [("target", str(exc))]
    unit = target.low.unit or metric.unit
    # The baseline may be prose ("1-2.5 s at 50 users"); the observed value is judged.
    if metric.observed is not None and metric.observed != "":
        try:
            _convert(parse_quantity(metric.observed), unit, metric.unit)
        except TargetError as exc:
            problems.append(("observed", str(exc)))
    return problems
