"""Every example in README.md and docs/ validates as written.

The fenced YAML blocks that look like decision files (top-level ``schema:``, ``id:``,
``title:`` and ``status:``) are validated as ``mkdocs-wa validate --strict`` would: no
error, no warning. Blocks that look like lenses are loaded as lenses. README's "A first
decision" must also add up: the command it shows makes the file and id the example
has, with the same schema comment.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from pathlib import Path

import pytest

from mkdocs_wa.analysis.checks import site_checks
from mkdocs_wa.cli import main
from mkdocs_wa.source.lens import load_lens
from mkdocs_wa.source.validate import load_catalog

REPO = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```", re.S | re.M)
#: The date examples are judged on (nothing in them may be overdue then).
TODAY = dt.date(2026, 12, 1)


def blocks(lang: tuple[str, ...]) -> list[tuple[str, str]]:
    """(where, text) of every fenced block in README.md and docs/**/*.md in ``lang``."""
    out = []
    for file in [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]:
        text = file.read_text("utf-8")
        for m in FENCE.finditer(text):
            if m["lang"] in lang:
                line = text[: m.start()].count("\n") + 1
                out.append((f"{file.relative_to(REPO)}:{line}", m["body"]))
    return out


def _top_keys(text: str) -> set[str]:
    return set(re.findall(r"(?m)^([a-z_]+):", text))


def decision_examples() -> list[tuple[str, str]]:
    return [(w, b) for w, b in blocks(("yaml", "yml")) if {"schema", "id", "title", "status"} <= _top_keys(b)]


def lens_examples() -> list[tuple[str, str]]:
    return [(w, b) for w, b in blocks(("yaml", "yml")) if {"schema", "id", "name", "pillars"} <= _top_keys(b)]


def test_the_examples_are_found() -> None:
    where = [w for w, _ in decision_examples()]
    assert any(w.startswith("README.md:") for w in where), where
    assert any(w.startswith("docs/guide/getting-started.md:") for w in where), where
    assert lens_examples()


@pytest.mark.parametrize("where,text", decision_examples(), ids=[w for w, _ in decision_examples()])
def test_every_decision_example_validates(where: str, text: str, tmp_path: Path, aws_lens) -> None:
    decision_id = re.search(r"(?m)^id:\s*(\S+)", text)[1]
    number = int(decision_id.rsplit("-", 1)[1])
    path = tmp_path / "decisions" / "w" / f"{number:04d}-example.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, "utf-8")
    catalog, diags = load_catalog([tmp_path / "decisions"], aws_lens)
    diags += site_checks(catalog, TODAY)
    assert [d.format() for d in diags] == [], where
    assert len(catalog.decisions) == 1
    # Block style: no {...} flow mapping holding prose, where a comma would split it.
    assert not re.search(r"\{[^}]*:[^}]*\}", text), f"{where}: use block style, not {{...}}"


@pytest.mark.parametrize("where,text", lens_examples(), ids=[w for w, _ in lens_examples()])
def test_every_lens_example_loads(where: str, text: str, tmp_path: Path) -> None:
    (tmp_path / "lens.yaml").write_text(text, "utf-8")
    lens, diags = load_lens(tmp_path / "lens.yaml")
    assert lens is not None, (where, [d.format() for d in diags])


def test_readmes_first_decision_adds_up(tmp_path: Path, monkeypatch, capsys) -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("## A first decision"):]
    section = section[: section.index("\n## ", 4)]
    command = next(line for line in section.splitlines() if line.startswith("mkdocs-wa new "))
    argv = shlex.split(command.split("#", 1)[0])[1:]
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 0
    made = capsys.readouterr().out.strip()
    assert f"`{made}`" in section, f"README says another path than `new` prints ({made})"
    written = (tmp_path / made).read_text("utf-8")
    (example,) = [b for _, b in decision_examples() if b in section]
    assert example.splitlines()[0] == written.splitlines()[0], "the schema comment differs from what `new` writes"
    new_id = re.search(r"(?m)^id:\s*(\S+)", written)[1]
    assert re.search(r"(?m)^id:\s*(\S+)", example)[1] == new_id
    assert f"`{new_id}`" in section
