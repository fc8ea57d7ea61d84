"""Lenses: shipped ones, a team's own file, and broken lens files."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL, load_tree, write

from mkdocs_wa.source.lens import DEFAULT_LENS, builtin_lenses, load_lens

TEAM_LENS = """\
schema: 1
id: team
name: Team lens
pillars:
  - id: speed
    name: Speed
  - id: safety
    name: Safety
principles:
  - id: small-steps
    name: Small steps
"""


def lens_diags(tmp_path: Path, text: str) -> list[str]:
    file = write(tmp_path, "lens.yaml", text)
    lens, diags = load_lens(file)
    assert lens is None
    return [d.format().removeprefix(f"{file}") for d in diags]


def test_default_lens_is_aws_well_architected() -> None:
    lens, diags = load_lens()
    assert diags == [] and lens is not None
    assert lens.id == DEFAULT_LENS == "aws-well-architected"
    assert lens.pillar_ids == (
        "operational-excellence", "security", "reliability", "performance-efficiency", "cost-optimization", "sustainability",
    )
    assert lens.principle_ids == (
        "on-demand", "automate-everything", "test-at-scale", "fact-based-feedback", "evolve-architectures", "practice",
    )
    assert lens.origin == "builtin:aws-well-architected"


@pytest.mark.parametrize("name", ["aws-well-architected", "azure-well-architected"])
def test_every_shipped_lens_loads(name: str) -> None:
    assert name in builtin_lenses()
    lens, diags = load_lens(name)
    assert diags == [] and lens is not None and lens.id == name and lens.pillars


def test_team_lens_file(tmp_path: Path) -> None:
    lens, diags = load_lens(write(tmp_path, "lens.yaml", TEAM_LENS))
    assert diags == [] and lens is not None
    assert (lens.id, lens.name, lens.pillar_ids, lens.principle_ids) == ("team", "Team lens", ("speed", "safety"), ("small-steps",))
    assert lens.pillar("safety").name == "Safety"  # type: ignore[union-attr]
    assert lens.principle("nope") is None


def test_decisions_are_checked_against_the_lens_in_use(tmp_path: Path) -> None:
    lens, _ = load_lens(write(tmp_path, "lens.yaml", TEAM_LENS))
    text = MINIMAL + "principles: [small-step]\npillars:\n  speed: {score: 3}\n  security: {score: 2}\n  safty: {score: 1}\n"
    write(tmp_path, "decisions/w/0001-x.yaml", text)
    assert load_tree(tmp_path, lens)[1] == [
        "decisions/w/0001-x.yaml:6:14: error: 'small-step' is not a design principle of the Team lens (did you mean 'small-steps'?)",
        "decisions/w/0001-x.yaml:9:3: error: 'security' is not a pillar of the Team lens",
        "decisions/w/0001-x.yaml:10:3: error: 'safty' is not a pillar of the Team lens (did you mean 'safety'?)",
    ]


def test_missing_lens_file_names_the_shipped_lenses(tmp_path: Path) -> None:
    lens, diags = load_lens(str(tmp_path / "nope.yaml"))
    assert lens is None
    assert [d.format() for d in diags] == [
        f"{tmp_path / 'nope.yaml'}:0:0: error: lens file not found (shipped lenses: aws-well-architected, azure-well-architected)"
    ]


def test_lens_path_that_is_a_directory(tmp_path: Path) -> None:
    lens, diags = load_lens(tmp_path)
    assert [d.format() for d in diags] == [f"{tmp_path}:0:0: error: is a directory, not a lens file"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [":1:1: error: a lens file must be a mapping with schema, id, name and pillars"]),
        ("- a\n", [":1:1: error: a lens file must be a mapping with schema, id, name and pillars"]),
        ("pillars: [\n", [":2:1: error: invalid YAML: did not find expected node content"]),
        (
            TEAM_LENS.replace("schema: 1\n", ""),
            [":1:1: error: missing 'schema: 1' (the format version of this lens file)"],
        ),
        (
            TEAM_LENS.replace("schema: 1", "schema: 2"),
            [":1:9: error: lens schema version 2 is not supported (this mkdocs-wa reads version 1)"],
        ),
        (
            "schema: 1\npillars: 7\n",
            [
                ":1:1: error: the document is missing the required key 'id'",
                ":1:1: error: the document is missing the required key 'name'",
                ":2:10: error: pillars must be a list, not a number",
            ],
        ),
        ("schema: 1\nid: t\nname: T\npillars: []\n", [":4:10: error: pillars must not be empty"]),
        (
            "schema: 1\nid: Team\nname: T\npillars:\n  - {id: a, name: A, colour: red}\n",
            [
                ":2:5: error: id 'Team' has characters it may not have (allowed: ^[a-z0-9][a-z0-9-]*$)",
                ":5:22: error: unknown key 'colour' in pillars[0]",
            ],
        ),
        (
            "schema: 1\nid: t\nname: T\npillars:\n  - {id: a, name: A}\n  - {id: a, name: B}\n",
            [":6:10: error: duplicate pillar id 'a'"],
        ),
        (
            "schema: 1\nid: t\nname: T\npillars:\n  - {id: [a], name: A}\n",
            [":5:10: error: pillars[0].id must be text, not a list"],
        ),
        (
            TEAM_LENS + "  - id: small-steps\n    name: Again\n",
            [":12:9: error: duplicate principle id 'small-steps'"],
        ),
    ],
)
def test_broken_lens_file(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert lens_diags(tmp_path, text) == expected
