"""Trend charts: SVG that works offline, without JavaScript, in both colour schemes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from gitrepo import decision_yaml

from mkdocs_wa.analysis.timeline import Timeline, build_timelines
from mkdocs_wa.layout import Layout
from mkdocs_wa.model import Lens
from mkdocs_wa.render import charts
from mkdocs_wa.render.charts import PALETTE, TEXT, chart_files, metric_trend_svg, pillar_trend_svg
from mkdocs_wa.source.validate import load_catalog

NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


@pytest.fixture
def timeline(tmp_path: Path, aws_lens: Lens) -> Timeline:
    d = tmp_path / "decisions" / "shop"
    d.mkdir(parents=True)
    m = "p95 latency"
    (d / "0001-a.yaml").write_text(
        decision_yaml("SHOP-0001", status="superseded", date="2021-01-01", metrics={m: ("ms", "<= 500", 900)}, pillars={"reliability": 1, "cost-optimization": 3})
    )
    (d / "0002-b.yaml").write_text(
        decision_yaml(
            "SHOP-0002", status="superseded", date="2021-02-01", supersedes=["SHOP-0001"], metrics={m: ("ms", "<= 500", "0.45 s")}, pillars={"reliability": 3}
        )
    )
    (d / "0003-c.yaml").write_text(
        decision_yaml(
            "SHOP-0003", status="accepted", date="2021-03-01", supersedes=["SHOP-0002"], metrics={m: ("ms", "<= 300", None), '<script>x</script> & "q"': ("%", "<= 1", 2)}, pillars={"security": 4}
        )
    )
    cat, diags = load_catalog([tmp_path / "decisions"], aws_lens)
    assert not [x for x in diags if x.is_error], diags
    return build_timelines(cat, None)["shop"]


def check_offline(svg: str) -> ET.Element:
    """Well-formed, no script, no reference to anything but the SVG namespaces."""
    root = ET.fromstring(svg.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script" not in svg.lower()
    assert not [el for el in root.iter() if el.tag.endswith("script")]
    assert set(re.findall(r"https?://[^\s\"'<>)]+", svg)) <= NAMESPACES
    assert "@import" not in svg and "url(" not in svg
    assert not re.search(r"\b(xlink:)?href=", svg)
    assert not [el for el in root.iter() if any(a.startswith("on") for a in el.attrib)]
    return root


def texts(root: ET.Element) -> list[str]:
    return [" ".join("".join(el.itertext()).split()) for el in root.iter("{http://www.w3.org/2000/svg}text")]


def test_pillar_chart(timeline: Timeline, aws_lens: Lens) -> None:
    svg = pillar_trend_svg(timeline, aws_lens)
    root = check_offline(svg)
    words = texts(root)
    assert "Pillar scores across iterations: Shop" in words  # the workload by its name, not its folder
    assert "Iteration (decision id, oldest first)" in words
    assert any(w.startswith("Score (0 = absent") for w in words)  # the y axis title, with its scale
    assert {"Security", "Reliability", "Cost Optimization"} <= set(words)  # the legend names pillars
    assert "Operational Excellence" not in words  # never scored: no empty series
    assert {"SHOP-0001", "SHOP-0002", "SHOP-0003"} <= set(words)  # x labels
    assert {str(i) for i in range(6)} <= set(words)  # y labels 0..5


def test_metric_chart(timeline: Timeline) -> None:
    svg = metric_trend_svg(timeline, "p95 latency")
    root = check_offline(svg)
    words = texts(root)
    # no title and no axis title: the page's heading names the metric once; the unit
    # is on every axis label, with thousands separators
    assert not any("p95 latency" in w for w in words)
    assert "1,000 ms" in words and "0 ms" in words
    assert "Observed" in words and "Target (shaded: target met)" in words
    # dates on the x axis, each with the iteration it belongs to
    assert any(w.startswith("2021-") and "SHOP-0001" in w for w in words), words
    # Values printed (there are no tooltips without JavaScript), in the series' unit:
    # "0.45 s" was converted to milliseconds.
    assert "900 ms" in words and "450 ms" in words


def test_hostile_names_are_text(timeline: Timeline) -> None:
    name = '<script>x</script> & "q"'
    svg = metric_trend_svg(timeline, name)
    root = check_offline(svg)
    assert not any("script" in w for w in texts(root))  # the name is not drawn, so never markup


def test_dark_mode_and_determinism(timeline: Timeline, aws_lens: Lens) -> None:
    svg = pillar_trend_svg(timeline, aws_lens)
    # Transparent, and text in the mid grey that reads on white and on slate.
    assert "fill:transparent" in svg.replace(" ", "")
    assert f"fill:{TEXT}" in svg.replace(" ", "")
    assert PALETTE[0] in svg
    assert "#000" not in svg and "black" not in svg and "rgba(0,0,0" not in svg.replace(" ", "")
    # No random ids or dates: the same input gives the same file.
    charts._pillar_chart.cache_clear()  # render again, not from the memo
    assert pillar_trend_svg(timeline, aws_lens) == svg
    assert "pygal.org" not in svg and not re.search(r"chart-[0-9a-f]{8}-", svg)


def test_chart_files_match_chart_names(timeline: Timeline, aws_lens: Lens) -> None:
    files = chart_files(timeline, aws_lens, Layout())
    assert [p for p, _ in files] == [Layout().chart("shop", n) for n in timeline.chart_names()]
    # The hostile metric is in one iteration only: no trend, no chart.
    # Pillars are a heat strip on the page, not a chart.
    assert timeline.chart_names() == ["metric-p95-latency"]


def test_unknown_metric_and_empty_timeline(timeline: Timeline, aws_lens: Lens) -> None:
    root = check_offline(metric_trend_svg(timeline, "no such metric"))
    assert "Not measured yet" in texts(root)
    empty = Timeline("empty", (), {}, {}, ())
    root = check_offline(pillar_trend_svg(empty, aws_lens))
    assert "No pillar scores yet" in texts(root)
    assert chart_files(empty, aws_lens, Layout()) == []
