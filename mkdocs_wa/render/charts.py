"""Trend charts as SVG files of the site, drawn with pygal.

Readable with no JavaScript and no network: pygal's tooltip script (a remote file) and
its inline config script are left out, its stylesheet is inlined, and the values are
printed on the metric chart because there are no tooltips to hover. Sensible in dark
mode: the background is transparent and every colour (text, grid, series) has at least
3:1 contrast on both white and Material's slate background, so one file works in both
schemes (an ``<img>`` cannot see the page's colour scheme). Series differ by dash
pattern as well as colour, for readers who cannot tell the colours apart.

Output is deterministic (no random ids, no generation date), so an unchanged chart is
an unchanged file; renders are memoised by their inputs for ``mkdocs serve`` rebuilds.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from mkdocs_wa.analysis.timeline import Timeline
from mkdocs_wa.layout import Layout
from mkdocs_wa.model import Lens, Metric
from mkdocs_wa.render.pages import words
from mkdocs_wa.source.verdicts import Quantity

#: Mid-luminance colours: >= 3:1 contrast on white and on Material's slate (#1e2129).
PALETTE = ("#2e7dd7", "#e0662b", "#1f9e6e", "#c2559a", "#b88a00", "#7b6fd6", "#3a8fd9", "#d9632f")
#: Text and axis colour: about 4:1 on both backgrounds.
TEXT = "#808080"
DASHES = ("", "8,4", "2,4", "12,4,2,4", "4,4", "1,3", "16,4", "6,2,2,2")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_UUID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def pillar_trend_svg(timeline: Timeline, lens: Lens) -> str:
    """Every scored pillar's score (0-5) across the workload's iterations."""
    ids = tuple(it.id for it in timeline.iterations)
    series = tuple(
        (_pillar_name(lens, p), tuple(score for _, score in points)) for p, points in timeline.pillars.items()
    )
    return _pillar_chart(timeline.workload, ids, series)


def metric_trend_svg(timeline: Timeline, metric_name: str) -> str:
    """One metric's observed values (and its target) across the iterations that
    measure it, on the iterations' dates."""
    s = timeline.metrics.get(metric_name)
    if s is None:
        return _metric_chart(metric_name, "", (), (), (), (), "")
    dates = {it.id: it.decision.date for it in timeline.iterations}
    points = [p for p in s.points if p.iteration in dates]
    texts = [p.target_text for p in points if p.target_text]
    return _metric_chart(
        s.name,
        s.unit,
        tuple(p.iteration for p in points),
        tuple(dates[p.iteration] for p in points),
        tuple(p.observed for p in points),
        tuple(p.target for p in points),
        _good_side(texts[-1] if texts else ""),
    )


def _good_side(target_text: str) -> str:
    """'below' for ``<= 1``/``< 1``, 'above' for ``>= 10``/``> 10``, else ''."""
    t = target_text.strip()
    return "below" if t.startswith("<") else "above" if t.startswith(">") else ""


def chart_files(timeline: Timeline, lens: Lens, layout: Layout) -> list[tuple[str, str]]:
    """Every chart of a workload as (docs-relative path, SVG): one chart per metric with a
    trend (pillar scores are a heat strip on the page, not a chart) (in two iterations or more,
    measured at least once). The names are :meth:`Timeline.chart_names`."""
    out: list[tuple[str, str]] = []
    for name, series in timeline.metrics.items():
        if series.trend:
            out.append((layout.chart(timeline.workload, series.slug), metric_trend_svg(timeline, name)))
    return out


def _pillar_name(lens: Lens, pillar_id: str) -> str:
    p = lens.pillar(pillar_id)
    return p.name if p else pillar_id


def _style() -> Any:
    from pygal.style import Style

    return Style(
        background="transparent",
        plot_background="transparent",
        foreground=TEXT,
        foreground_strong=TEXT,
        foreground_subtle=TEXT,
        opacity=".9",
        opacity_hover="1",
        stroke_opacity="1",
        stroke_opacity_hover="1",
        stroke_width="2.5",
        stroke_width_hover="3.5",
        guide_stroke_color=TEXT,
        major_guide_stroke_color=TEXT,
        guide_stroke_dasharray="2,6",
        major_guide_stroke_dasharray="2,6",
        colors=PALETTE,
        # Printed values: pygal's default is black, unreadable on a dark background.
        value_colors=(TEXT,) * len(PALETTE),
        font_family=FONT,
        title_font_size=18,
        # 15 px in an 800 px wide drawing: 13 px at 1280 px, and 11 px on a phone, where
        # the page shows a chart no narrower than 590 px (scrolling inside its box)
        label_font_size=15,
        major_label_font_size=15,
        legend_font_size=15,
        value_font_size=15,
        value_label_font_size=15,
        tooltip_font_size=15,
        no_data_font_size=20,
    )


def _base(series: int, **config: Any) -> dict[str, Any]:
    # The legend goes under the plot, in up to three columns. pygal reserves
    # floor(series / columns) rows for it instead of ceil(...), so the rows it forgets
    # are added to the bottom margin (1.5 x the legend's line height each).
    columns = max(1, min(series, 3))
    missing = -(-series // columns) - series // columns
    base = dict(
        style=_style(),
        js=[],  # no remote tooltip script: the chart must work offline and without JavaScript
        width=800,
        height=440,
        legend_at_bottom=True,
        legend_at_bottom_columns=columns,
        truncate_legend=-1,
        truncate_label=-1,
        allow_interruptions=True,
        dots_size=4,
        margin=16,
        margin_bottom=16 + 21 * missing,
        margin_right=24,
    )
    base.update((k, v) for k, v in config.items() if v is not None)
    return base


@lru_cache(maxsize=256)
def _pillar_chart(workload: str, ids: tuple[str, ...], series: tuple[tuple[str, tuple[int | None, ...]], ...]) -> str:
    import pygal  # deferred: only builds with charts pay for importing it

    chart = pygal.Line(
        **_base(
            len(series),
            title=words.say("chart_pillars_title", workload=words.workload_name(workload)),
            x_title=words.say("chart_pillars_x"),
            y_title=words.say("chart_pillars_y"),
            range=(0, 5),
            min_scale=5,
            max_scale=5,
            x_label_rotation=_rotation(ids),
            no_data_text=words.say("chart_no_scores"),
        )
    )
    if series:  # pygal cannot place labels on a chart without data
        chart.x_labels = list(ids)
        chart.y_labels = [0, 1, 2, 3, 4, 5]
    for i, (name, values) in enumerate(series):
        chart.add(name, list(values), stroke_style={"dasharray": DASHES[i % len(DASHES)], "width": 2.5})
    return _clean(chart, "pillars")


#: The largest magnitude a chart draws; pygal's scale arithmetic overflows near 1e308
#: (a larger value is listed in the page's table, not drawn).
CHART_LIMIT = 1e15
#: Significant digits a chart keeps: pygal looks for "nice" ticks forever between values
#: that differ in the 16th digit (99.99999999999999 and 100).
_DIGITS = 12


def bounded(value: float | None) -> float | None:
    """A value a chart can draw: finite, within :data:`CHART_LIMIT`, rounded to 12
    significant digits, or None (not drawn)."""
    if value is None or not math.isfinite(value) or abs(value) > CHART_LIMIT:
        return None
    v = float(f"{value:.{_DIGITS}g}")
    return 0.0 if abs(v) < 1 / CHART_LIMIT else v


def _padded_range(values: Sequence[float]) -> tuple[float, float] | None:
    """An explicit axis range when the values (nearly) coincide, or None."""
    if not values:
        return None
    lo, hi = min(values), max(values)
    size = max(abs(lo), abs(hi), 1.0)
    if hi - lo > size * 1e-6:
        return None
    pad = size * 0.05
    return (lo - pad, hi + pad)


@lru_cache(maxsize=256)
def _metric_chart(
    name: str,
    unit: str,
    ids: tuple[str, ...],
    dates: tuple[dt.date, ...],
    observed: tuple[float | None, ...],
    target: tuple[float | None, ...],
    good: str,
) -> str:
    """Observed values as a line over the iterations' dates; the target as a step line
    (it holds from one iteration to the next, it does not slide between them) with its
    good side shaded. No chart title: the page's heading names the metric once."""
    observed, target = tuple(map(bounded, observed)), tuple(map(bounded, target))
    import pygal


    values = [v for v in observed + target if v is not None]
    has_target = any(t is not None for t in target)
    top = max(values) * 1.15 if values and max(values) > 0 else 1.0
    bottom = 0.0 if values and 0 <= min(values) <= 0.5 * max(values) else (min(values) * 0.9 if values else 0.0)
    labels: dict[dt.date, list[str]] = {}
    for i, d in zip(ids, dates):
        labels.setdefault(d, []).append(i)
    style = _style()
    style.opacity = ".16"  # the shaded good side; dots and lines keep full opacity below
    style.colors = (PALETTE[0], PALETTE[2])
    chart = pygal.DateLine(
        **_base(
            2 if has_target else 1,
            style=style,
            height=300,
            print_values=True,
            print_values_position="top",
            margin_right=90,  # room for the last iteration's printed value
            no_data_text=words.say("chart_not_measured"),
            range=_padded_range(values) or ((bottom, top) if values else None),
            zero=top if good == "above" else bottom,
            x_value_formatter=lambda d: f"{d.isoformat()} " + " ".join(labels.get(d, [])),
            value_formatter=lambda v: words.number(v, unit),
            show_x_guides=False,
        )
    )
    if ids:
        chart.x_labels = sorted(labels)
        chart.x_label_rotation = 20 if len(labels) > 2 else 0
    points = [(d, v) for d, v in zip(dates, observed)]
    chart.add(
        words.HEADING["observed"],
        points,
        formatter=lambda v: _printed(v, unit),
        stroke_style={"width": 3},
        dots_size=5,
    )
    if has_target:
        step: list[tuple[dt.date, float | None]] = []
        last: float | None = None
        for d, t in zip(dates, target):
            if last is not None and t != last:
                step.append((d, last))
            step.append((d, t))
            last = t
        target_label = words.say("chart_target_shaded") if good in ("below", "above") else words.HEADING["target"]
        chart.add(
            target_label,
            step,
            formatter=lambda v: "",  # the target is the step line; values on it would clutter
            show_dots=False,
            fill=bool(good),
            stroke_style={"dasharray": "8,6", "width": 2},
        )
    return _clean(chart, "metric")


def evidence_svg(metric: Metric) -> str:
    """A metric's measured series over time (``mkdocs-wa measure``) against its target."""
    from mkdocs_wa.source.verdicts import TargetError, _convert, parse_target

    unit = metric.unit
    points = []
    for e in metric.evidence:
        try:
            points.append((e.time.replace(tzinfo=None), _convert(Quantity(e.value, e.unit), unit, unit).value))
        except TargetError:
            continue
    bounds: tuple[float, ...] = ()
    try:
        t = parse_target(metric.target)
        ends = (t.low, t.high) if t.op == "range" and t.high is not None else (t.low,)
        bounds = tuple(_convert(q, unit, unit).value for q in ends)
    except TargetError:
        pass
    return _evidence_chart(metric.name, unit, tuple(points), bounds)


@lru_cache(maxsize=256)
def _evidence_chart(name: str, unit: str, points: tuple[tuple[Any, float], ...], bounds: tuple[float, ...]) -> str:
    import pygal

    values = [v for _, v in points] + list(bounds)
    chart = pygal.DateTimeLine(
        **_base(
            1 + len(bounds),
            title=words.say("chart_measured_title", metric=name),
            x_title=words.say("chart_time_utc"),
            y_title=f"{name} ({unit})" if unit else name,
            x_label_rotation=30,
            x_value_formatter=lambda t: t.strftime("%Y-%m-%d"),
            print_values=True,
            print_values_position="top",
            margin_right=120,
            no_data_text=words.say("chart_not_measured"),
            include_x_axis=bool(values) and 0 <= min(values) <= 0.5 * max(values),
        )
    )
    chart.add(words.HEADING["measured"], list(points), formatter=lambda v: _printed(v, unit), stroke_style={"width": 3})
    if points:
        first, last = points[0][0], points[-1][0]
        if first == last:  # one measurement: the target still shows as a line around it
            first, last = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
        for i, bound in enumerate(bounds):
            label = words.HEADING["target"] if len(bounds) == 1 else words.say(("chart_target_low", "chart_target_high")[i])
            chart.add(label, [(first, bound), (last, bound)], show_dots=False, formatter=lambda v: "",
                      stroke_style={"dasharray": "8,6", "width": 2})
    return _clean(chart, "measured")


def _printed(value: Any, unit: str) -> str:
    """A printed value: pygal hands an XY chart's formatter the (x, y) pair."""
    if isinstance(value, (list, tuple)):
        value = value[1] if len(value) > 1 else None
    return "" if value is None else words.number(value, unit)


def _rotation(ids: Sequence[str]) -> int:
    return 30 if len(ids) > 6 or sum(len(i) for i in ids) > 60 else 0


def _clean(chart: Any, name: str) -> str:
    """The SVG without scripts, comments (links, generation date) or random ids."""
    svg = chart.render(is_unicode=True)
    svg = _SCRIPT.sub("", svg)
    svg = _COMMENT.sub("", svg)
    return _UUID.sub(f"chart-{name}", svg)
