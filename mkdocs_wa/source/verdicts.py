"""Judge each metric against its target: met, missed or not yet measured.

:func:`judge` judges one metric, :func:`hypothesis_verdict` all metrics of a decision's
hypothesis, and :func:`outcome_diagnostics` warns when a declared ``result.outcome``
disagrees with them (``confirmed`` while a target was missed, ``refuted`` while every
target was met).

A target is a comparison (``<= 1``, ``< 2.5``, ``>= 99.9``, ``> 0``, ``== 0``), a range
(``1..2.5``, inclusive) or a bare number (meaning ``==``); a unit may follow a number
(``<= 1 s``, ``850 ms``). Values in the metric's own unit compare as numbers. When a
value names another unit, :mod:`mkdocs_wa.source.units` checks that it fits and converts it
(with pint, imported only for units outside its common table, because loading pint's
registry costs a few hundred milliseconds). :func:`check_metric` reports an unknown
unit and a target whose unit does not fit the metric's before anything is observed.

Texts are stripped and bounded (:data:`MAX_TEXT`) before any pattern reads them, and
no pattern can backtrack; numbers are bounded (:data:`MAX_MAGNITUDE`) before they are
compared, so a value such as ``1e308`` is a diagnostic, not an overflow later.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from mkdocs_wa.diagnostics import Diagnostic, warning
from mkdocs_wa.model import Catalog, Decision, Metric
from mkdocs_wa.nouns import count
from mkdocs_wa.source.units import Unit, UnitError, parse_unit
from mkdocs_wa.source.units import convert as convert_units

#: A number at the start of a value: sign, digits (with '_' or ',' between), decimals,
#: exponent. Matched with re.match and nothing after it, so it never backtracks.
_NUMBER = re.compile(r"[-+]?(?:\d[\d_,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
#: A range's separator: '..', an en dash or the word 'to'.
_RANGE_SEP = re.compile(r"\.\.|–|\bto\b")
_OPS = ("<=", ">=", "==", "≤", "≥", "=", "<", ">")
_OP_NAMES = {"≤": "<=", "≥": ">=", "=": "=="}
#: Longest target or value read (spaces around it aside): a target is a short
#: comparison; a longer text is refused before any pattern looks at it.
MAX_TEXT = 100
#: Largest magnitude compared: far beyond any measurement (write a larger unit), and
#: small enough that no conversion or chart overflows.
MAX_MAGNITUDE = 1e15


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
    num = f"{q.value:,.10g}"
    return f"{num} {q.unit}".strip()


class TargetError(ValueError):
    pass


def _number(value: float, text: object) -> float:
    if not math.isfinite(value):  # YAML's .nan and .inf, '1e999'
        raise TargetError(f"{text} is not a measurement" if not isinstance(text, str) else f"'{text}' is too large a number")
    if abs(value) > MAX_MAGNITUDE:
        raise TargetError(
            f"{_clip(text)} is too large to compare (at most {MAX_MAGNITUDE:.0e}): write it in a larger unit"
        )
    return float(value)


def _cut(text: str, limit: int = 40) -> str:
    """``text`` cut short for a message: a hostile value may be long."""
    return text if len(text) <= limit else text[:limit] + "..."


def _clip(value: object) -> str:
    text = value if isinstance(value, str) else f"{value:g}" if isinstance(value, float) else str(value)
    return f"'{_cut(text)}'"


def parse_quantity(value: Any) -> Quantity:
    """A number, or a string holding a number and an optional unit."""
    if isinstance(value, bool):
        raise TargetError("true/false is not a measurement")
    if isinstance(value, (int, float)):
        return Quantity(_number(float(value), value))
    if not isinstance(value, str):
        raise TargetError(f"{value!r} is not a number")
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise TargetError(f"{_clip(text)} is {len(text):,} characters long; a value is a number and a unit, such as '850 ms'")
    m = _NUMBER.match(text)
    unit = text[m.end() :].strip() if m else ""
    if not m or (unit and (unit[0].isdigit() or unit[0] == "." or any(c in unit for c in "<>=≤≥"))):
        raise TargetError(f"'{value}' is not a number with an optional unit, such as '850 ms'")
    try:
        number = float(m.group().replace("_", "").replace(",", ""))
    except ValueError:  # '1,' or '1__'
        raise TargetError(f"'{value}' is not a number with an optional unit, such as '850 ms'") from None
    if not math.isfinite(number):  # '1e999'
        raise TargetError(f"'{value}' is too large a number")
    return Quantity(_number(number, text), unit)


def parse_target(value: Any) -> Target:
    """Parse a target written in a decision file; :class:`TargetError` says what is wrong.

    No pattern here can backtrack: the text is stripped and bounded first, the operator
    is a prefix, a range is split at its first separator.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Target("==", parse_quantity(value))
    if not isinstance(value, str) or not value.strip():
        raise TargetError("a target is a comparison such as '<= 1', a range such as '1..2.5', or a number")
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise TargetError(f"{_clip(text)} is {len(text):,} characters long; a target is short, such as '<= 1 s'")
    op = next((o for o in _OPS if text.startswith(o)), None)
    if op is not None:
        rest = text[len(op) :].lstrip()
        if rest and rest[0] not in "<>=≤≥":  # '<=' alone is not '<' followed by '='
            return Target(_OP_NAMES.get(op, op), parse_quantity(rest))
    else:
        sep = _RANGE_SEP.search(text)
        if sep and _NUMBER.match(text) and _NUMBER.match(text[sep.end() :].lstrip()):
            low, high = parse_quantity(text[: sep.start()]), parse_quantity(text[sep.end() :])
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
            f"'{_cut(text)}' is not a target: write a comparison ('<= 1', '>= 99.9 %'), a range ('1..2.5') or a number"
        ) from None


def _convert(q: Quantity, to_unit: str, metric_unit: str) -> Quantity:
    """``q`` expressed in ``to_unit``; an empty unit means the metric's own unit."""
    src = q.unit or metric_unit
    dst = to_unit or metric_unit
    # A bare number is in the metric's unit; the same unit (spaces aside) needs no pint.
    if not src or not dst or src.replace(" ", "") == dst.replace(" ", ""):
        return Quantity(q.value, dst)
    try:
        return Quantity(convert_units(q.value, src, dst), dst)
    except UnitError as exc:
        raise TargetError(f"cannot compare '{_fmt(q)}' with '{dst}': {exc}") from None


def _unit(text: str) -> Unit | None:
    try:
        return parse_unit(text)
    except UnitError:
        return None


def observed_quantity(metric: Metric, evidence: bool = True) -> Quantity | None:
    """The value a metric is judged on: its latest evidence (with ``evidence``), else the
    typed ``observed`` value; None while not measured. :class:`TargetError` when the
    typed value is not a number."""
    if evidence and metric.evidence:
        latest = metric.evidence[-1]
        return Quantity(latest.value, latest.unit)
    if metric.observed is None or metric.observed == "":
        return None
    return parse_quantity(metric.observed)


def judge(metric: Metric, evidence: bool = True) -> Verdict:
    """Whether the observed value meets the target (errors in values: UNKNOWN).

    The observed value is the latest evidence when there is any (and ``evidence``),
    else the value typed in the file."""
    try:
        q = observed_quantity(metric, evidence)
    except TargetError:
        return Verdict.UNKNOWN
    if q is None:
        return Verdict.UNMEASURED
    return judge_quantity(metric, q)


def judge_quantity(metric: Metric, q: Quantity) -> Verdict:
    """Whether the value ``q`` (a unitless one is in the metric's unit) meets the target."""
    try:
        target = parse_target(metric.target)
        unit = target.low.unit or metric.unit
        observed = _convert(q, unit, metric.unit).value
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


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """``value`` in ``from_unit`` expressed in ``to_unit`` (pint when they differ);
    :class:`TargetError` says why it cannot be."""
    return _convert(Quantity(value, from_unit), to_unit, to_unit).value


def check_metric(metric: Metric) -> list[tuple[str, str]]:
    """Problems with a metric's values, as (field, message) pairs, all of them at once:
    an unknown unit, a target that cannot be read or whose unit does not fit the
    metric's, an observed value that cannot be compared with the target."""
    problems: list[tuple[str, str]] = []
    metric_unit: Unit | None = None
    if metric.unit:
        try:
            metric_unit = parse_unit(metric.unit)
        except UnitError as exc:
            problems.append(("unit", str(exc)))
    try:
        target = parse_target(metric.target)
    except TargetError as exc:
        return problems + [("target", str(exc))]
    for end in (target.low, target.high):
        if end is None or not end.unit:
            continue
        try:
            unit = parse_unit(end.unit)
        except UnitError as exc:
            return problems + [("target", str(exc))]
        if metric_unit is not None and not unit.fits(metric_unit):
            return problems + [
                (
                    "target",
                    f"the target {_clip(metric.target)} is in '{end.unit}' ({unit.describe()}), which does not fit "
                    f"the metric's unit '{metric.unit}' ({metric_unit.describe()}): write the target in "
                    f"'{metric.unit}' or correct the unit",
                )
            ]
    unit_text = target.low.unit or metric.unit
    # The baseline may be prose ("1-2.5 s at 50 users"); the observed value is judged.
    if metric.observed is not None and metric.observed != "" and (metric_unit or not metric.unit):
        try:
            _convert(parse_quantity(metric.observed), unit_text, metric.unit)
        except TargetError as exc:
            problems.append(("observed", str(exc)))
    return problems


# --- a whole hypothesis -----------------------------------------------------------------


def describe_target(metric: Metric) -> str:
    """The target as people read it (``<= 2.5 s``), or as written when it cannot be parsed."""
    try:
        target = parse_target(metric.target)
    except TargetError:
        return str(metric.target)
    if not target.low.unit and metric.unit:  # a range's low end has the high end's unit
        unit = metric.unit
        if target.op == "range":
            assert target.high is not None
            return f"{target.low.value:g} to {target.high.value:g} {unit}"
        return f"{target.op} {target.low.value:g} {unit}"
    return target.describe()


def describe_observed(metric: Metric, evidence: bool = True) -> str:
    """The observed value with its unit (``10 s``), or '' while not measured; the
    latest evidence when there is any (and ``evidence``)."""
    if evidence and metric.evidence:
        latest = metric.evidence[-1]
        return f"{latest.value:.6g} {latest.unit}".strip()
    value = metric.observed
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g} {metric.unit}".strip()
    try:
        q = parse_quantity(value)
    except TargetError:
        return str(value)
    return f"{q.value:g} {q.unit or metric.unit}".strip()


@dataclass(frozen=True)
class MetricVerdict:
    metric: Metric
    verdict: Verdict
    #: The target and observed value as text for pages (``<= 2.5 s``, ``10 s``).
    target: str
    observed: str


@dataclass(frozen=True)
class HypothesisVerdict:
    """All metrics of one hypothesis, judged, and what the decision declares about them.

    ``verdict`` sums the metrics up: MISSED when any target was missed (one missed
    target is enough to doubt the hypothesis), else UNKNOWN when a value cannot be
    judged, else UNMEASURED while any metric waits for its value, else MET. It is None
    for a decision without hypothesis or without metrics.
    """

    metrics: tuple[MetricVerdict, ...] = ()
    verdict: Verdict | None = None
    #: ``result.outcome`` as declared in the file, None without a result.
    outcome: str | None = None
    #: The same hypothesis judged on the values typed in the file, when ``metrics`` use
    #: evidence: the declared outcome is checked against what it was written from (later
    #: evidence that misses a target is a regression, see :mod:`mkdocs_wa.analysis.loops`).
    typed: HypothesisVerdict | None = None

    def count(self, verdict: Verdict) -> int:
        return sum(m.verdict is verdict for m in self.metrics)

    @property
    def missed(self) -> tuple[MetricVerdict, ...]:
        return tuple(m for m in self.metrics if m.verdict is Verdict.MISSED)

    @property
    def disagreement(self) -> str:
        """Why the declared outcome contradicts the metrics, or '' when it does not."""
        if self.typed is not None:
            return self.typed.disagreement
        if self.outcome == "confirmed" and self.missed:
            names = ", ".join(f"'{m.metric.name}' ({m.observed}, target {m.target})" for m in self.missed)
            return (
                f"result.outcome is 'confirmed' but {len(self.missed)} of {count(len(self.metrics), 'metric')} missed "
                f"their target: {names}; say 'refuted' or 'inconclusive', or correct the values"
            )
        if self.outcome == "refuted" and self.metrics and self.verdict is Verdict.MET:
            return (
                f"result.outcome is 'refuted' but all {count(len(self.metrics), 'metric')} met their target; "
                "say 'confirmed', or add the metric that refuted the hypothesis"
            )
        return ""

    @property
    def agrees(self) -> bool | None:
        """False when the declared outcome contradicts the metrics; None without outcome or metrics."""
        if self.outcome is None or not self.metrics:
            return None
        return not self.disagreement


def summarise(verdicts: tuple[Verdict, ...]) -> Verdict | None:
    if not verdicts:
        return None
    for v in (Verdict.MISSED, Verdict.UNKNOWN, Verdict.UNMEASURED):
        if v in verdicts:
            return v
    return Verdict.MET


def hypothesis_verdict(decision: Decision, evidence: bool = True) -> HypothesisVerdict:
    """Judge every metric of the decision's hypothesis and sum them up (on the latest
    evidence where there is any; only on the typed values without ``evidence``)."""
    outcome = decision.result.outcome if decision.result else None
    if decision.hypothesis is None:
        return HypothesisVerdict(outcome=outcome)
    judged = tuple(
        MetricVerdict(m, judge(m, evidence), describe_target(m), describe_observed(m, evidence))
        for m in decision.hypothesis.metrics
    )
    typed = None
    if evidence and any(m.evidence for m in decision.hypothesis.metrics):
        typed = hypothesis_verdict(decision, evidence=False)
    return HypothesisVerdict(judged, summarise(tuple(m.verdict for m in judged)), outcome, typed)


def outcome_diagnostics(decision: Decision) -> list[Diagnostic]:
    """A warning at ``result.outcome`` when the declared outcome contradicts the metrics.

    The outcome is checked against the values typed in the file (what the result was
    written from); later evidence that misses a target is a regression instead (see
    :func:`mkdocs_wa.analysis.loops.regressions`)."""
    message = hypothesis_verdict(decision).disagreement
    if not message:
        return []
    line, col = (0, 0)
    if decision.source is not None:
        pos = decision.source.position(("result", "outcome"))
        line, col = pos.line, pos.col
    return [warning(decision.path, line, col, message, OUTCOME_CODE)]


#: Diagnostic code of an outcome that contradicts its metrics.
OUTCOME_CODE = "outcome"


def check_outcomes(catalog: Catalog, today: object = None) -> list[Diagnostic]:
    """The site check (see :mod:`mkdocs_wa.analysis.checks`): every contradicting outcome."""
    return [diag for d in catalog.decisions for diag in outcome_diagnostics(d)]


def to_metric_unit(value: float, unit: str, metric_unit: str) -> float:
    """A source's value in the metric's unit (12 significant digits: 700 ms is 0.7 s).

    ``1/s`` (requests per second from a load test) becomes any per-time unit: the
    metric's numerator is what is counted (``req/s``, ``requests/min``, ``1/h``)."""
    if not unit or not metric_unit:
        return value
    if unit == "1/s" and metric_unit != "1/s":
        if "/" not in metric_unit:
            raise TargetError(f"'{metric_unit}' is not a rate such as 'req/s' or 'requests/min'")
        per = metric_unit.rsplit("/", 1)[1].strip()
        value = value * convert(1, per, "s")
    else:
        value = convert(value, unit, metric_unit)
    return float(f"{value:.12g}")
