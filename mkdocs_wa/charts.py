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
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from .model import Lens, Metric
from .verdicts import Quantity
from .pages.paths import Layout
from .timeline import Timeline

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
    """One metric's observed values (and its target) across the iterations that measure it."""
    s = timeline.metrics.get(metric_name)
    if s is None:
        return _metric_chart(metric_name, "", (), (), ())
    return _metric_chart(
        s.name,
        s.unit,
        tuple(p.iteration for p in s.points),
        tuple(p.observed for p in s.points),
        tuple(p.target for p in s.points),
    )


def chart_files(timeline: Timeline, lens: Lens, layout: Layout) -> list[tuple[str, str]]:
    """Every chart of a workload as (docs-relative path, SVG): the pillar chart when any
    pillar is scored, and one chart per metric with a trend (in two iterations or more,
    measured at least once). The names are :meth:`Timeline.chart_names`."""
    out: list[tuple[str, str]] = []
    if timeline.pillars:
        out.append((layout.chart(timeline.workload, "pillars"), pillar_trend_svg(timeline, lens)))
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
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=14,
        value_font_size=13,
        value_label_font_size=13,
        no_data_font_size=20,
    )


def _base(series: int, **config: Any) -> dict[str, Any]:
    # The legend goes under the plot, in up to three columns. pygal reserves
    # floor(series / columns) rows for it instead of ceil(...), so the rows it forgets
    # are added to the bottom margin (1.5 x the legend's line height each).
    columns = max(1, min(series, 3))
    missing = -(-series // columns) - series // columns
    return dict(
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
        **{"margin_right": 24, **config},
    )


@lru_cache(maxsize=256)
def _pillar_chart(workload: str, ids: tuple[str, ...], series: tuple[tuple[str, tuple[int | None, ...]], ...]) -> str:
    import pygal  # deferred: only builds with charts pay for importing it

    chart = pygal.Line(
        **_base(
            len(series),
            title=f"Pillar scores across iterations: {workload}",
            x_title="Iteration (decision id, oldest first)",
            y_title="Score (0 = absent, 5 = excellent)",
            range=(0, 5),
            min_scale=5,
            max_scale=5,
            x_label_rotation=_rotation(ids),
            no_data_text="No pillar scores yet",
        )
    )
    if series:  # pygal cannot place labels on a chart without data
        chart.x_labels = list(ids)
        chart.y_labels = [0, 1, 2, 3, 4, 5]
    for i, (name, values) in enumerate(series):
        chart.add(name, list(values), stroke_style={"dasharray": DASHES[i % len(DASHES)], "width": 2.5})
    return _clean(chart, "pillars")


@lru_cache(maxsize=256)
def _metric_chart(
    name: str, unit: str, ids: tuple[str, ...], observed: tuple[float | None, ...], target: tuple[float | None, ...]
) -> str:
    import pygal

    values = [v for v in observed + target if v is not None]
    has_target = any(t is not None for t in target)
    chart = pygal.Line(
        **_base(
            2 if has_target else 1,
            title=f"{name} across iterations",
            x_title="Iteration (decision id, oldest first)",
            y_title=f"{name} ({unit})" if unit else name,
            x_label_rotation=_rotation(ids),
            print_values=True,
            margin_right=120,  # room for the last iteration's printed value
            print_values_position="top",
            no_data_text="Not measured yet",
            # Start at zero unless every value sits far from it (availability at 99.9 %
            # would be a flat line on a 0-100 axis).
            include_x_axis=bool(values) and 0 <= min(values) <= 0.5 * max(values),
        )
    )
    if ids:
        chart.x_labels = list(ids)
    suffix = f" {unit}" if unit else ""
    chart.add(
        "Observed",
        list(observed),
        formatter=lambda v: "" if v is None else f"{v:,.10g}{suffix}",
        stroke_style={"width": 3},
    )
    if has_target:
        chart.add(
            "Target",
            list(target),
            formatter=lambda v: "",  # the target is the dashed line; values on it would clutter
            show_dots=False,
            stroke_style={"dasharray": "8,6", "width": 2},
        )
    return _clean(chart, "metric")


def evidence_svg(metric: Metric) -> str:
    """A metric's measured series over time (``mkdocs-wa measure``) against its target."""
    from .verdicts import TargetError, _convert, parse_target

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
            title=f"{name}, measured",
            x_title="Time (UTC)",
            y_title=f"{name} ({unit})" if unit else name,
            x_label_rotation=30,
            x_value_formatter=lambda t: t.strftime("%Y-%m-%d"),
            print_values=True,
            print_values_position="top",
            margin_right=120,
            no_data_text="Not measured yet",
            include_x_axis=bool(values) and 0 <= min(values) <= 0.5 * max(values),
        )
    )
    suffix = f" {unit}" if unit else ""
    chart.add("Measured", list(points), formatter=lambda v: "" if v is None else f"{v[1] if isinstance(v, (tuple, list)) else v:,.6g}{suffix}",
              stroke_style={"width": 3})
    if points:
        first, last = points[0][0], points[-1][0]
        if first == last:  # one measurement: the target still shows as a line around it
            first, last = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
        for i, bound in enumerate(bounds):
            label = "Target" if len(bounds) == 1 else ("Target (low)", "Target (high)")[i]
            chart.add(label, [(first, bound), (last, bound)], show_dots=False, formatter=lambda v: "",
                      stroke_style={"dasharray": "8,6", "width": 2})
    return _clean(chart, "measured")


def _rotation(ids: Sequence[str]) -> int:
    return 30 if len(ids) > 6 or sum(len(i) for i in ids) > 60 else 0


def _clean(chart: Any, name: str) -> str:
    """The SVG without scripts, comments (links, generation date) or random ids."""
    svg = chart.render(is_unicode=True)
    svg = _SCRIPT.sub("", svg)
    svg = _COMMENT.sub("", svg)
    return _UUID.sub(f"chart-{name}", svg)
