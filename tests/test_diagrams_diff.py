"""The diff between iterations, as data and as escaped Markdown."""

from __future__ import annotations

import markdown

from mkdocs_wa.diagrams import diff, diff_markdown
from mkdocs_wa.diagrams.architecture import ArchCluster, ArchEdge, Architecture, ArchNode
from mkdocs_wa.diagrams.diff import Change

OLD = Architecture(
    "W-0001",
    "w",
    nodes=(
        ArchNode("lb", "aws.network.ELB", "Load balancer"),
        ArchNode("app", "aws.compute.EC2", "App", "asg"),
        ArchNode("db", "onprem.database.Oracle", "Oracle"),
        ArchNode("old", "aws.compute.EC2", "Old"),
    ),
    clusters=(ArchCluster("asg", "ASG"), ArchCluster("gone", "Gone")),
    edges=(ArchEdge("lb", "app"), ArchEdge("app", "db", "sql"), ArchEdge("app", "old")),
)
NEW = Architecture(
    "W-0002",
    "w",
    nodes=(
        ArchNode("lb", "aws.network.ALB", "Load balancer"),  # type
        ArchNode("app", "aws.compute.EC2", "App", None),  # cluster
        ArchNode("db", "onprem.database.Oracle", "Oracle"),  # unchanged
        ArchNode("fn", "aws.compute.Lambda", "Function"),
    ),
    clusters=(ArchCluster("asg", "Auto Scaling"),),
    edges=(ArchEdge("lb", "app", "", "bold"), ArchEdge("app", "db", "sql"), ArchEdge("app", "fn", "invoke")),
    previous="W-0001",
)


def test_diff_lists_added_removed_and_changed_elements() -> None:
    d = diff(OLD, NEW)
    assert d.previous == "W-0001" and d.current == "W-0002"
    assert d.added_nodes == ("fn",) and d.removed_nodes == ("old",)
    assert d.changed_nodes == (
        Change("lb", (("type", "aws.network.ELB", "aws.network.ALB"),)),
        Change("app", (("cluster", "asg", ""),)),
    )
    assert d.added_edges == (("app", "fn"),) and d.removed_edges == (("app", "old"),)
    assert d.changed_edges == ((("lb", "app"), Change("lb->app", (("style", "solid", "bold"),))),)
    assert d.added_clusters == () and d.removed_clusters == ("gone",)
    assert d.changed_clusters == (Change("asg", (("label", "ASG", "Auto Scaling"),)),)
    assert d.node_mark("db") is None and d.edge_mark(("app", "db")) is None


def test_first_iteration_and_unchanged_iterations() -> None:
    assert diff(None, NEW).empty and diff_markdown(diff(None, NEW)) == ""
    same = diff(NEW, NEW)
    assert same.empty and diff_markdown(same) == "No change to the architecture since W-0002.\n"


def test_markdown_lists_every_change() -> None:
    text = diff_markdown(diff(OLD, NEW), OLD, NEW)
    assert text.splitlines() == [
        # labels, as the drawing shows them; no ids, no library types
        "- Added **Function**",
        "- Changed **Load balancer**: kind ELB → ALB",
        "- Changed **App**: group “Auto Scaling” → (none)",
        "- Removed **Old**",
        "- Added connection App → Function “invoke”",
        "- Changed connection Load balancer → App: style `solid` → `bold`",
        "- Removed connection App → Old",
        "- Changed group **Auto Scaling**: label “ASG” → “Auto Scaling”",
        "- Removed group **Gone**",
    ]


def test_markdown_escapes_user_text() -> None:
    evil = '<img src=x onerror="alert(1)"> *bold* [link](javascript:alert(1)) `code`'
    new = Architecture(
        "W-0002",
        "w",
        nodes=(ArchNode("a", "aws.compute.EC2", evil), ArchNode("b", "aws.compute.EC2", "<b>x</b>")),
        edges=(ArchEdge("a", "b", "<script>alert(1)</script>"),),
    )
    old = Architecture("W-0001", "w", nodes=(ArchNode("b", "aws.compute.EC2", "B"),))
    text = diff_markdown(diff(old, new), old, new)
    html = markdown.markdown(text)
    assert "<img" not in html and "<script" not in html and "<a " not in html and "<em>" not in html
    assert "<b>x</b>" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
