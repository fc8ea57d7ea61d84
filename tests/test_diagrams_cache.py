"""The diagram cache (counted, not timed) and builds without Graphviz."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import load_tree, write
from diagrams_helpers import BASE, write_decision

from benchmarks.synthetic_diagrams import synthetic_decisions, write_synthetic
from mkdocs_wa.diagrams import RenderResult, Theme, render_all, resolve
from mkdocs_wa.diagrams.render import library_icons_dir


def build(root: Path, **options) -> RenderResult:
    catalog, problems = load_tree(root)
    assert not [p for p in problems if ": error:" in p], problems
    archs, diags = resolve(catalog, project_root=root)
    assert diags == []
    options.setdefault("cache_dir", root / ".cache/plugin/well-architected/diagrams")
    return render_all(catalog, archs, project_root=root, workers=2, **options)


def test_second_build_renders_nothing_and_an_edit_renders_the_decision_and_its_successor(tmp_path: Path) -> None:
    write_synthetic(tmp_path / "decisions", 12, per_workload=4, whole=True)
    first = build(tmp_path)
    assert (first.rendered, first.cached) == (12, 0)
    assert first.diagnostics == ()

    second = build(tmp_path)
    assert (second.rendered, second.cached) == (0, 12)
    assert second.svgs == first.svgs

    # edit one decision in the middle of a workload: its label changes
    path = tmp_path / "decisions/w001/0002-iteration-2.yaml"
    text = path.read_text()
    label = re.search(r"label: (Component \d+)\n", text).group(1)
    path.write_text(text.replace(f"label: {label}\n", "label: Component one\n", 1))
    third = build(tmp_path)
    assert (third.rendered, third.cached) == (2, 10)
    changed = {i for i in first.svgs if first.svgs[i] != third.svgs[i]}
    assert changed == {"W001-0002", "W001-0003"}  # itself, and the successor whose diff it is
    assert "Component one" in third.svgs["W001-0002"]

    # the cache folder holds finished files only (written atomically)
    files = list((tmp_path / ".cache/plugin/well-architected/diagrams").iterdir())
    assert len(files) == 14 and all(f.name.endswith(".svg") and not f.name.startswith(".tmp") for f in files)


def test_inherited_changes_rerender_every_decision_that_draws_them(tmp_path: Path) -> None:
    write_decision(tmp_path, 1, BASE)
    write_decision(tmp_path, 2, {"extends": "previous", "nodes": [{"id": "q", "type": "aws.integration.SQS"}]})
    write_decision(tmp_path, 3, {"extends": "previous", "nodes": [{"id": "fn", "type": "aws.compute.Lambda"}]})
    assert build(tmp_path).rendered == 3
    path = tmp_path / "decisions/w/0001-decision-1.yaml"
    path.write_text(path.read_text().replace("label: Oracle", "label: Oracle DB"))
    again = build(tmp_path)
    assert (again.rendered, again.cached) == (3, 0)  # all three draw the Oracle node


def test_icon_bytes_and_theme_are_part_of_the_key(tmp_path: Path) -> None:
    icon = write(tmp_path, "icons/gw.png", (library_icons_dir() / "aws/compute/ec2.png").read_bytes())
    arch = {"nodes": [{"id": "gw", "icon": "../../icons/gw.png"}, {"id": "db", "type": "aws.database.RDS"}]}
    write_decision(tmp_path, 1, arch)
    write_decision(tmp_path, 2, {"nodes": [{"id": "db", "type": "aws.database.RDS"}]})
    assert build(tmp_path).rendered == 2
    icon.write_bytes((library_icons_dir() / "aws/compute/lambda.png").read_bytes())
    # decision 1 draws the icon; decision 2 draws it as removed, in its diff
    assert build(tmp_path).rendered == 2
    assert build(tmp_path).rendered == 0
    assert build(tmp_path, theme=Theme(added="#00AA00")).rendered == 2


def test_a_damaged_cache_entry_is_rendered_again(tmp_path: Path) -> None:
    write_decision(tmp_path, 1, BASE)
    build(tmp_path)
    folder = tmp_path / ".cache/plugin/well-architected/diagrams"
    (entry,) = folder.iterdir()
    entry.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    result = build(tmp_path)
    assert (result.rendered, result.cached) == (1, 0)
    assert "<script" not in entry.read_text()


def test_identical_drawings_render_once(tmp_path: Path) -> None:
    write_decision(tmp_path, 1, BASE, workload="a", prefix="A")
    write_decision(tmp_path, 1, BASE, workload="b", prefix="B")
    result = build(tmp_path, cache_dir=None)
    assert result.rendered == 1 and result.svgs["A-0001"] == result.svgs["B-0001"]


def test_synthetic_decisions_are_valid_and_evolve(tmp_path: Path) -> None:
    files = synthetic_decisions(20, per_workload=10)
    assert len(files) == 20
    write_synthetic(tmp_path / "decisions", 20)
    catalog, problems = load_tree(tmp_path)
    assert problems == []
    archs, diags = resolve(catalog, project_root=tmp_path)
    assert diags == [] and len(archs) == 20
    result = render_all(catalog, archs, cache_dir=None, project_root=tmp_path, workers=2)
    assert result.rendered == 20
    assert all(not result.diffs[i].empty for i in archs if archs[i].previous)


# --- without Graphviz --------------------------------------------------------------


@pytest.fixture
def no_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_missing_graphviz_is_one_clear_error(tmp_path: Path, no_dot: None) -> None:
    write_decision(tmp_path, 1, BASE)
    write_decision(tmp_path, 2, {"extends": "previous", "remove": {"nodes": ["viewers"]}})
    result = build(tmp_path)
    assert result.svgs == {} and result.rendered == 0
    (diag,) = result.diagnostics
    assert diag.is_error and diag.path == "mkdocs.yml"
    assert "Graphviz is not installed" in diag.message
    assert "apt-get install graphviz" in diag.message and "brew install graphviz" in diag.message
    # the changes can still be listed in text
    assert result.diff_markdown("W-0002").startswith("- Removed **Viewers**")


def test_missing_graphviz_can_be_a_warning(tmp_path: Path, no_dot: None) -> None:
    write_decision(tmp_path, 1, BASE)
    result = build(tmp_path, missing_graphviz="warning", origin="site/mkdocs.yml")
    (diag,) = result.diagnostics
    assert not diag.is_error and diag.path == "site/mkdocs.yml"
    assert "building without the 1 architecture diagram" in diag.message
    assert os.environ["PATH"].endswith("empty-bin")
