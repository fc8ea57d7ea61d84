"""The benchmark's generator at a tiny size: the repository holds what was asked for.

No timing here: the benchmark itself (benchmarks/run.py) is run by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import yaml

from mkdocs_wa.analysis.checks import site_checks
from mkdocs_wa.source.lens import load_lens
from mkdocs_wa.source.validate import load_catalog

REPO = Path(__file__).resolve().parent.parent
GENERATE = REPO / "benchmarks" / "generate.py"


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def test_generated_repository_has_the_requested_counts_and_validates(tmp_path):
    out, plain = tmp_path / "project", tmp_path / "plain"
    done = subprocess.run(
        [sys.executable, str(GENERATE), str(out), "--decisions", "12", "--workloads", "3",
         "--commits", "150", "--diagrams", "5", "--plain", str(plain)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    reported = json.loads(done.stdout)

    files = sorted((out / "decisions").glob("*/*.yaml"))
    assert len(files) == 12
    assert len({f.parent.name for f in files}) == 3
    assert int(_git(out, "rev-list", "--count", "HEAD")) == 150
    with_diagram = [f for f in files if "architecture" in yaml.safe_load(f.read_text(encoding="utf-8"))]
    assert len(with_diagram) == 5
    # Diagrams are shared out over the workloads, not piled into one.
    assert len({f.parent.name for f in with_diagram}) == 3
    assert {k: reported[k] for k in ("decisions", "workloads", "commits", "diagrams")} == {
        "decisions": 12, "workloads": 3, "commits": 150, "diagrams": 5,
    }

    # History with renames and backdated dates, and a tree the plugin accepts.
    assert "R" in {line[:1] for line in _git(out, "log", "--name-status", "--format=", "-M").splitlines()}
    first = _git(out, "log", "--reverse", "--format=%ad", "--date=short").splitlines()[0]
    assert dt.date.fromisoformat(first) < dt.date(2020, 1, 1)
    lens, _ = load_lens(None)
    catalog, diags = load_catalog([out / "decisions"], lens)
    diags += site_checks(catalog, dt.date(2026, 1, 1))
    assert [d for d in diags if d.is_error] == []

    # The baseline: the plugin's pages as plain Markdown, and no plugin.
    config = yaml.safe_load((plain / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == ["search"]
    pages = list((plain / "docs").rglob("*.md"))
    assert reported["plain_pages"] == len(pages)
    decision_pages = [p for p in pages if p.parent.parent.name == "architecture" and p.name != "index.md"]
    assert len(decision_pages) >= 12
    assert len(list((plain / "docs").rglob("*.svg"))) >= 5
    # The same pages means the same Markdown extensions as the plugin's site (without
    # pymdownx.details a collapsible block's content would become a code block) and the
    # same navigation (decision pages out of it).
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert {"pymdownx.details", "pymdownx.tabbed", "admonition", "attr_list"} <= set(names)
    assert "/architecture/*/*.md" in config["not_in_nav"]
    site = tmp_path / "plain-site"
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain / "mkdocs.yml"), "-d", str(site)],
                           capture_output=True, text=True, timeout=300, cwd=plain)
    assert built.returncode == 0, built.stderr
    with_details = [p for p in decision_pages if "\n??? " in p.read_text(encoding="utf-8")]
    assert with_details, "no generated decision page has a collapsible block to check"
    html = (site / with_details[0].relative_to(plain / "docs").with_suffix("") / "index.html").read_text(encoding="utf-8")
    assert "<details" in html


def test_the_zensical_measurement_builds_the_generated_site(tmp_path):
    """``run.py --zensical`` at a tiny size: generate + zensical build of a copy of the
    project succeed, every decision is a page of the Zensical site, the project is untouched."""
    out = tmp_path / "project"
    done = subprocess.run(
        [sys.executable, str(GENERATE), str(out), "--decisions", "6", "--workloads", "2", "--commits", "30", "--diagrams", "2"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import run
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    work = tmp_path / "work"
    (work / "logs").mkdir(parents=True)
    result = run.run_zensical(out, work, runs=1)
    assert result["generated_pages"] >= 6 + 2 * 2 + 2, result  # decisions, logs and timelines, overview and loops
    assert result["total"]["wall_s"] >= result["generate"]["wall_s"] > 0
    assert not (out / "docs" / "architecture").exists()  # the copy was written, not the project
