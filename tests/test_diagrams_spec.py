"""Resolving architectures: extends/changes/remove, node types and icon paths, with
every problem at file:line:col."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
from conftest import write
from diagrams_helpers import BASE, load, position, write_decision

from mkdocs_wa.cli import main
from mkdocs_wa.diagrams import nodetypes, resolve
from mkdocs_wa.diagrams.architecture import ArchCluster, ArchEdge, ArchNode

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>'


def messages(diags) -> list[str]:
    return [d.format() for d in diags]


# --- node types --------------------------------------------------------------------


def test_node_types_resolve_to_library_classes() -> None:
    import diagrams.aws.compute
    import diagrams.aws.network

    assert nodetypes.node_class("aws.network.ELB") is diagrams.aws.network.ELB
    assert nodetypes.node_class("aws.compute.Lambda") is diagrams.aws.compute.Lambda
    assert nodetypes.node_class("onprem.database.Oracle").__name__ == "Oracle"
    assert nodetypes.node_class("generic.device.Mobile").__name__ == "Mobile"
    assert "aws.network.ELB" in nodetypes.known_types()
    assert len(nodetypes.known_types()) > 1000


@pytest.mark.parametrize(
    "name",
    [
        "os.path.join",  # a module outside the library
        "subprocess.Popen.x",
        "diagrams.Diagram",
        "custom.Custom.Custom",  # excluded provider: takes a file path
        "c4.Person.x",
        "aws.network._Network",  # private base class
        "aws.network.Node",  # not a node class with an icon
        "aws.network.diagrams",  # a module attribute, not a class
        "aws.network.__builtins__",
        "aws..ELB",
        "aws.network.ELB.extra",
    ],
)
def test_only_allow_listed_node_classes_resolve(name: str) -> None:
    assert nodetypes.node_class(name) is None


def test_allow_list_holds_only_library_group_modules() -> None:
    allowed = nodetypes.allowed_modules()
    assert "diagrams.aws.network" in allowed
    assert all(m.startswith("diagrams.") and m.count(".") == 2 for m in allowed)
    assert not any(m.startswith(("diagrams.custom", "diagrams.c4", "diagrams.base")) for m in allowed)


def test_unknown_type_is_reported_at_its_value_with_suggestions(tmp_path: Path) -> None:
    arch = copy.deepcopy(BASE)
    arch["nodes"][1]["type"] = "aws.network.ELBB"
    arch["nodes"][2]["type"] = "aws.compute.S3"
    path = write_decision(tmp_path, 1, arch)
    _, archs, diags = load(tmp_path)
    line, col = position(path, "aws.network.ELBB")
    line2, col2 = position(path, "aws.compute.S3")
    out = messages(diags)
    assert len(out) == 2
    assert out[0].startswith(f"decisions/w/0001-decision-1.yaml:{line}:{col}: error: unknown node type 'aws.network.ELBB' (did you mean 'aws.network.ELB'")
    assert out[1].startswith(f"decisions/w/0001-decision-1.yaml:{line2}:{col2}: error: unknown node type 'aws.compute.S3' (did you mean 'aws.storage.S3'")
    # still drawable: the node stays, as a plain box
    assert archs["W-0001"].node("lb") == ArchNode("lb", None, "Load balancer", "aws")


def test_validate_cli_reports_unknown_types(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    arch = copy.deepcopy(BASE)
    arch["nodes"][3]["type"] = "onprem.database.Oracel"
    path = write_decision(tmp_path, 1, arch)
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "decisions"]) == 1
    line, col = position(path, "onprem.database.Oracel")
    out = capsys.readouterr().out
    assert f"decisions/w/0001-decision-1.yaml:{line}:{col}: error: unknown node type 'onprem.database.Oracel' (did you mean 'onprem.database.Oracle'" in out


# --- extends, changes, remove ------------------------------------------------------


def test_extends_previous_applies_changes_then_removals(tmp_path: Path) -> None:
    write_decision(tmp_path, 1, BASE)
    write_decision(
        tmp_path,
        2,
        {
            "extends": "previous",
            "direction": "TB",
            "clusters": [{"id": "edge", "label": "Edge"}],
            "nodes": [
                {"id": "cdn", "type": "aws.network.CloudFront", "label": "CDN", "cluster": "edge"},
                {"id": "db", "type": "aws.database.Aurora", "label": "Aurora"},  # changes type+label, keeps cluster
            ],
            "edges": [{"from": "cdn", "to": "lb"}, {"from": "lb", "to": "app", "style": "bold"}],
            "remove": {"nodes": ["viewers"], "edges": [{"from": "app", "to": "db"}]},
        },
    )
    _, archs, diags = load(tmp_path)
    assert diags == []
    a = archs["W-0002"]
    assert (a.extends, a.previous, a.direction) == ("W-0001", "W-0001", "TB")
    assert [n.id for n in a.nodes] == ["lb", "app", "db", "cdn"]
    assert a.node("db") == ArchNode("db", "aws.database.Aurora", "Aurora", "aws")
    assert a.cluster("edge") == ArchCluster("edge", "Edge", None)
    assert a.cluster("asg") == ArchCluster("asg", "Auto Scaling group", "aws")
    # removing viewers took its edge viewers->lb with it; lb->app changed style only
    assert a.edges == (ArchEdge("lb", "app", "http", "bold"), ArchEdge("cdn", "lb"))
    # the first one is untouched
    assert archs["W-0001"].node("viewers") is not None and len(archs["W-0001"].edges) == 3


def test_previous_skips_decisions_without_architecture_and_proposals_use_the_latest_iteration(tmp_path: Path) -> None:
    write_decision(tmp_path, 1, BASE)
    write_decision(tmp_path, 2, None)  # a decision that does not change the picture
    write_decision(tmp_path, 3, {"extends": "previous", "nodes": [{"id": "q", "type": "aws.integration.SQS"}]})
    write_decision(tmp_path, 4, {"extends": "previous", "remove": {"nodes": ["q"]}}, status="rejected")
    write_decision(tmp_path, 5, {"extends": "previous", "nodes": [{"id": "fn", "type": "aws.compute.Lambda"}]}, status="proposed")
    _, archs, diags = load(tmp_path)
    assert diags == []
    assert archs["W-0003"].previous == "W-0001"
    # a rejected decision is no iteration: the proposal extends W-0003, not W-0004
    assert archs["W-0005"].previous == "W-0003"
    assert archs["W-0005"].node("q") is not None and archs["W-0005"].node("fn") is not None
    assert archs["W-0004"].node("q") is None


def test_extends_an_id_and_remove_a_cluster_with_its_content(tmp_path: Path) -> None:
    write_decision(tmp_path, 1, BASE)
    write_decision(tmp_path, 2, {"extends": "W-0001", "remove": {"clusters": ["aws"]}}, workload="other", prefix="O")
    _, archs, diags = load(tmp_path)
    assert diags == []
    a = archs["O-0002"]
    assert a.extends == "W-0001" and a.previous is None
    assert [n.id for n in a.nodes] == ["viewers"] and a.clusters == () and a.edges == ()


def test_a_node_can_leave_every_cluster_and_clusters_can_move(tmp_path: Path) -> None:
    write_decision(tmp_path, 1, BASE)
    write_decision(
        tmp_path,
        2,
        {
            "extends": "previous",
            "nodes": [{"id": "db", "cluster": ""}],
            "clusters": [{"id": "vpc", "label": "VPC", "clusters": [{"id": "asg"}]}],
        },
    )
    _, archs, diags = load(tmp_path)
    assert diags == []
    a = archs["W-0002"]
    assert a.node("db").cluster is None
    assert a.cluster("asg") == ArchCluster("asg", "Auto Scaling group", "vpc")


def spec_problem(tmp_path: Path, second: dict, first: dict | None = None) -> tuple[Path, list[str]]:
    write_decision(tmp_path, 1, first if first is not None else BASE)
    path = write_decision(tmp_path, 2, second)
    _, _, diags = load(tmp_path)
    return path, messages(diags)


def test_edge_naming_an_unknown_node(tmp_path: Path) -> None:
    path, out = spec_problem(tmp_path, {"extends": "previous", "edges": [{"from": "app", "to": "dbb"}]})
    line, col = position(path, "dbb")
    assert out == [f"decisions/w/0002-decision-2.yaml:{line}:{col}: error: edge names unknown node 'dbb' (did you mean 'db'?)"]


def test_edge_to_a_node_removed_in_the_same_decision(tmp_path: Path) -> None:
    path, out = spec_problem(tmp_path, {"extends": "previous", "edges": [{"from": "app", "to": "viewers"}], "remove": {"nodes": ["viewers"]}})
    line, col = position(path, "viewers")
    assert out == [f"decisions/w/0002-decision-2.yaml:{line}:{col}: error: edge names unknown node 'viewers'"]


def test_node_in_an_unknown_cluster(tmp_path: Path) -> None:
    path, out = spec_problem(tmp_path, {"extends": "previous", "nodes": [{"id": "db", "cluster": "asgg"}]})
    line, col = position(path, "asgg")
    assert out == [f"decisions/w/0002-decision-2.yaml:{line}:{col}: error: node 'db' is in unknown cluster 'asgg' (did you mean 'asg'?)"]


def test_duplicate_ids(tmp_path: Path) -> None:
    arch = copy.deepcopy(BASE)
    arch["nodes"].append({"id": "app", "type": "aws.compute.Lambda"})
    arch["clusters"].append({"id": "asg", "label": "again"})
    arch["edges"].append({"from": "viewers", "to": "lb", "label": "twice"})
    write_decision(tmp_path, 1, arch)
    path = tmp_path / "decisions/w/0001-decision-1.yaml"
    _, _, diags = load(tmp_path)
    out = messages(diags)
    node_line, node_col = position(path, "id: app", 2)
    cl_line, cl_col = position(path, "id: asg", 2)
    edge_line, edge_col = position(path, "- from: viewers", 2)
    assert out == sorted(
        [
            f"decisions/w/0001-decision-1.yaml:{cl_line}:{cl_col + 4}: error: cluster 'asg' is listed twice (first at line {position(path, 'id: asg')[0]})",
            f"decisions/w/0001-decision-1.yaml:{node_line}:{node_col + 4}: error: node 'app' is listed twice (first at line {position(path, 'id: app')[0]})",
            f"decisions/w/0001-decision-1.yaml:{edge_line}:{edge_col + 2}: error: edge viewers -> lb is listed twice (first at line {position(path, '- from: viewers')[0]})",
        ],
        key=lambda s: (int(s.split(":")[1]), int(s.split(":")[2])),
    )


def test_extends_unknown_id_or_with_nothing_before(tmp_path: Path) -> None:
    write_decision(tmp_path, 1, {"extends": "previous", "nodes": [{"id": "a", "type": "aws.compute.EC2"}]})
    p2 = write_decision(tmp_path, 2, {"extends": "W-0009", "nodes": [{"id": "b", "type": "aws.compute.EC2"}]})
    p3 = write_decision(tmp_path, 3, {"extends": "W-0004", "nodes": [{"id": "c", "type": "aws.compute.EC2"}]})
    write_decision(tmp_path, 4, None)
    _, archs, diags = load(tmp_path)
    p1 = tmp_path / "decisions/w/0001-decision-1.yaml"
    l1, c1 = position(p1, "previous")
    l2, c2 = position(p2, "W-0009")
    l3, c3 = position(p3, "W-0004", 1)
    assert messages(diags) == [
        f"decisions/w/0001-decision-1.yaml:{l1}:{c1}: error: extends 'previous', but no earlier iteration of workload 'w' has an architecture; draw this one whole (drop 'extends')",
        f"decisions/w/0002-decision-2.yaml:{l2}:{c2}: error: extends unknown decision 'W-0009' (did you mean 'W-0004' or 'W-0003' or 'W-0002'?)",
        f"decisions/w/0003-decision-3.yaml:{l3}:{c3}: error: extends 'W-0004', which has no architecture",
    ]
    assert [n.id for n in archs["W-0002"].nodes] == ["b"]


def test_extends_cycle(tmp_path: Path) -> None:
    p1 = write_decision(tmp_path, 1, {"extends": "W-0002", "nodes": [{"id": "a", "type": "aws.compute.EC2"}]})
    write_decision(tmp_path, 2, {"extends": "W-0001", "nodes": [{"id": "b", "type": "aws.compute.EC2"}]})
    p3 = write_decision(tmp_path, 3, {"extends": "W-0003", "nodes": [{"id": "c", "type": "aws.compute.EC2"}]})
    _, archs, diags = load(tmp_path)
    p2 = tmp_path / "decisions/w/0002-decision-2.yaml"
    l2, c2 = position(p2, "W-0001")
    l3, c3 = position(p3, "W-0003", 2)
    assert messages(diags) == [
        f"decisions/w/0002-decision-2.yaml:{l2}:{c2}: error: extends cycle: W-0001 -> W-0002 -> W-0001",
        f"decisions/w/0003-decision-3.yaml:{l3}:{c3}: error: extends cycle: W-0003 -> W-0003",
    ]
    assert {n.id for n in archs["W-0001"].nodes} == {"a", "b"}
    assert p1.exists()


def test_removing_what_is_not_there(tmp_path: Path) -> None:
    path, out = spec_problem(
        tmp_path,
        {"extends": "previous", "remove": {"nodes": ["app2"], "clusters": ["vpc"], "edges": [{"from": "db", "to": "app"}]}},
    )
    ln, cn = position(path, "app2")
    lc, cc = position(path, "vpc")
    le, ce = position(path, "from: db")
    assert out == [
        f"decisions/w/0002-decision-2.yaml:{ln}:{cn}: error: cannot remove node 'app2': there is no such node in the architecture of W-0001 (did you mean 'app'?)",
        f"decisions/w/0002-decision-2.yaml:{lc}:{cc}: error: cannot remove cluster 'vpc': there is no such cluster in the architecture of W-0001",
        f"decisions/w/0002-decision-2.yaml:{le}:{ce}: error: cannot remove edge db -> app: there is no such edge in the architecture of W-0001",
    ]


def test_a_new_node_needs_a_type_or_an_icon(tmp_path: Path) -> None:
    path, out = spec_problem(tmp_path, {"extends": "previous", "nodes": [{"id": "ghost", "label": "?"}]})
    line, col = position(path, "ghost")
    assert out == [f"decisions/w/0002-decision-2.yaml:{line}:{col}: error: node 'ghost' needs a 'type' (e.g. aws.compute.EC2) or an 'icon'"]


# --- icons -------------------------------------------------------------------------


def icon_arch(icon: str) -> dict:
    arch = copy.deepcopy(BASE)
    arch["nodes"].append({"id": "gw", "icon": icon, "label": "Gateway"})
    return arch


def icon_problem(tmp_path: Path, icon: str) -> tuple[Path, list[str]]:
    path = write_decision(tmp_path, 1, icon_arch(icon))
    _, archs, diags = load(tmp_path)
    assert archs["W-0001"].node("gw").icon is None
    return path, messages(diags)


def test_custom_icons_inside_the_repository_are_accepted(tmp_path: Path) -> None:
    write(tmp_path, "icons/gw.png", PNG)
    write(tmp_path, "decisions/w/gw.svg", SVG)
    write_decision(tmp_path, 1, icon_arch("../../icons/gw.png"))
    write_decision(tmp_path, 2, {"extends": "previous", "nodes": [{"id": "gw2", "icon": "gw.svg"}]})
    _, archs, diags = load(tmp_path)
    assert diags == []
    assert archs["W-0001"].node("gw").icon == "icons/gw.png"
    assert archs["W-0002"].icons() == ("decisions/w/gw.svg", "icons/gw.png")


@pytest.mark.parametrize(
    ("icon", "message"),
    [
        ("/etc/passwd.png", "icon '/etc/passwd.png' is an absolute path"),
        ("../../../outside.png", "icon '../../../outside.png' leads out of the repository"),
        ("../../icons/../../x.png", "leads out of the repository"),
        ("../../icons/gw.gif", "is not a .png or .svg file"),
        ("../../icons/none.png", "icon '../../icons/none.png' does not exist (looked for icons/none.png)"),
        ("C:\\Windows\\x.png", "is an absolute path"),
    ],
)
def test_bad_icon_paths_are_reported_at_the_value(tmp_path: Path, icon: str, message: str) -> None:
    path, out = icon_problem(tmp_path, icon)
    line, col = position(path, "icon:")
    assert len(out) == 1
    assert out[0].startswith(f"decisions/w/0001-decision-1.yaml:{line}:{col + 6}: error: ")
    assert message in out[0]


def test_symlink_leading_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside, "secret.png", PNG)
    project = tmp_path / "project"
    (project / "icons").mkdir(parents=True)
    os.symlink(outside / "secret.png", project / "icons" / "link.png")
    os.symlink(outside, project / "icons" / "dir")
    write_decision(project, 1, icon_arch("../../icons/link.png"))
    write_decision(project, 2, {"extends": "previous", "nodes": [{"id": "x", "icon": "../../icons/dir/secret.png"}]})
    _, archs, diags = load(project)
    out = messages(diags)
    assert len(out) == 2
    assert "icon '../../icons/link.png' is a symbolic link leading out of the repository" in out[0]
    assert "icon '../../icons/dir/secret.png' is a symbolic link leading out of the repository" in out[1]
    assert archs["W-0002"].icons() == ()


def test_svg_icons_with_script_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "icons/evil.svg", SVG.replace(b"<rect", b'<script>alert(1)</script><rect onload="x()"'))
    write(tmp_path, "icons/fake.png", b"<html>not a png</html>")
    path = write_decision(tmp_path, 1, icon_arch("../../icons/evil.svg"))
    write_decision(tmp_path, 2, {"extends": "previous", "nodes": [{"id": "gw", "icon": "../../icons/fake.png"}]})
    _, archs, diags = load(tmp_path)
    out = messages(diags)
    assert "icon 'icons/evil.svg' holds script, event handlers or external references" in out[0]
    assert out[0].startswith(f"decisions/w/0001-decision-1.yaml:{position(path, 'icon:')[0]}:")
    assert "icon 'icons/fake.png' is not a PNG image" in out[1]


def test_validate_from_a_subfolder_checks_icons_against_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "mkdocs.yml", "site_name: x\n")
    write(tmp_path, "icons/gw.png", PNG)
    write_decision(tmp_path, 1, icon_arch("../../icons/gw.png"))
    write_decision(tmp_path, 2, {"extends": "previous", "nodes": [{"id": "x", "icon": "../../../x.png"}]})
    monkeypatch.chdir(tmp_path / "decisions")
    from mkdocs_wa.source.lens import load_lens
    from mkdocs_wa.source.validate import load_catalog

    catalog, _ = load_catalog([Path(".")], load_lens()[0])
    _, diags = resolve(catalog)
    assert [d.path for d in diags] == ["w/0002-decision-2.yaml"]
    assert "leads out of the repository" in diags[0].message


def test_an_architecture_too_big_to_draw_is_reported_and_skipped(tmp_path: Path) -> None:
    from mkdocs_wa.diagrams import render_all
    from mkdocs_wa.diagrams.architecture import MAX_NODES

    nodes = [{"id": f"n{i}", "type": "aws.compute.EC2"} for i in range(MAX_NODES + 1)]
    path = write_decision(tmp_path, 1, {"nodes": nodes})
    catalog, archs, diags = load(tmp_path)
    line, col = position(path, "architecture:")
    assert messages(diags) == [
        f"decisions/w/0001-decision-1.yaml:{line}:{col}: error: the architecture has {MAX_NODES + 1} nodes and 0 edges; "
        f"diagrams are drawn up to {MAX_NODES} nodes and 900 edges (split it into workloads or clusters of its own)"
    ]
    result = render_all(catalog, archs, cache_dir=None, project_root=tmp_path)
    assert result.svgs == {} and result.rendered == 0 and result.diagnostics == ()
