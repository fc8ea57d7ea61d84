"""The CLI follows the project: mkdocs.yml's well-architected options, read without MkDocs.

Every command finds mkdocs.yml (current folder, or ``-f/--config-file``) and uses the
plugin's ``decisions_dir``, ``lens``, ``review_days`` and ``today``; an explicit path or
option still wins. Also the smaller configuration points of issue 13: an unquoted
``today`` date, a missing Graphviz reported at the plugin's line with the right advice,
clear date errors.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL, write
from diagrams_helpers import BASE, decision_text
from sites import build

from mkdocs_wa.cli import main
from mkdocs_wa.source.project import find_config, read_project

#: A lens of the team's own, with a pillar the default lens does not have.
OUR_LENS = """\
schema: 1
id: our-lens
name: Our lens
pillars:
  - id: delivery
    name: Delivery
  - id: cost
    name: Cost
"""

ADR_CONFIG = """\
site_name: Ours
theme:
  name: material
  font: false
plugins:
  - search
  - well-architected:
      decisions_dir: adr
      lens: our-lens.yaml
      review_days: 10
      today: 2026-12-01
"""

#: Accepted on 2026-11-01 with a hypothesis and no result: due 10 days later (review_days).
DUE = MINIMAL.replace("2021-03-01", "2026-11-01") + (
    "hypothesis:\n  statement: Deploys get faster.\n  metrics:\n    - name: Deploy time\n      unit: min\n"
    "      baseline: 30\n      target: \"<= 10\"\n"
    "pillars:\n  delivery:\n    score: 4\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # usage errors (a bad mkdocs.yml) exit 2 as argparse's do
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def adr_project(in_tmp: Path) -> Path:
    write(in_tmp, "mkdocs.yml", ADR_CONFIG)
    write(in_tmp, "our-lens.yaml", OUR_LENS)
    write(in_tmp, "adr/w/0001-x.yaml", DUE)
    return in_tmp


# --- reading mkdocs.yml --------------------------------------------------------------------------


def test_reads_mkdocs_tags_and_both_plugin_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WA_DIR", "records")
    monkeypatch.delenv("WA_UNSET", raising=False)
    write(tmp_path, "mkdocs.yml", (
        "site_name: x\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n"
        "  - search\n"
        "  - well-architected:\n"
        "      decisions_dir: !ENV [WA_DIR, decisions]\n"
        "      enabled: !ENV [WA_UNSET, true]\n"
        "      review_days: !ENV [WA_UNSET, 30]\n"
        "      today: 2026-12-01\n"
    ))
    project = read_project(tmp_path / "mkdocs.yml")
    assert project.problems == []
    assert project.decisions_dir == tmp_path / "records"
    assert project.review_days == 30 and project.today == dt.date(2026, 12, 1)
    assert (project.plugin_line, project.plugin_col) == (7, 5)

    # The mapping form of plugins:, and a plugin without options.
    write(tmp_path, "mkdocs.yml", "plugins:\n  search: {}\n  well-architected:\n    lens: azure-well-architected\n")
    project = read_project(tmp_path / "mkdocs.yml")
    assert project.has_plugin and project.lens == "azure-well-architected" and project.plugin_line == 3
    write(tmp_path, "mkdocs.yml", "plugins:\n  - well-architected\n")
    project = read_project(tmp_path / "mkdocs.yml")
    assert project.has_plugin and project.decisions_dir == tmp_path / "decisions" and project.lens is None


def test_no_mkdocs_yml_means_the_defaults(tmp_path: Path) -> None:
    assert find_config(cwd=tmp_path) is None
    project = read_project(None)
    assert project.decisions_dir == Path("decisions") and project.lens is None and project.review_days == 90


def test_wrong_options_are_diagnostics_at_their_place(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "mkdocs.yml", "plugins:\n  - well-architected:\n      review_days: soon\n      today: 2026-13-01\n")
    code, out, _ = run(capsys, "validate")
    assert code == 2
    assert out.splitlines() == [
        "mkdocs.yml:3:20: error: well-architected option 'review_days': must be a number of days (0 or more)",
        "mkdocs.yml:4:14: error: well-architected option 'today': '2026-13-01' is not a date (YYYY-MM-DD)",
    ]
    write(in_tmp, "mkdocs.yml", "plugins:\n  - well-architected: [\n")
    code, out, _ = run(capsys, "validate")
    assert code == 2 and out.startswith("mkdocs.yml:3:1: error: invalid YAML in the MkDocs configuration")


# --- every command follows it --------------------------------------------------------------------


def test_validate_uses_the_projects_folder_lens_review_days_and_today(adr_project: Path, capsys) -> None:
    code, out, err = run(capsys, "validate")
    # Accepted on 2026-11-01, due 10 days later, judged on 2026-12-01: overdue; the
    # lens's pillar 'delivery' is known.
    assert code == 0, out
    assert "adr/w/0001-x.yaml" in out and "overdue" in out and "not a pillar" not in out
    assert err == "1 decision loaded, 0 errors, 1 warning\n"
    # Naming the folder gives the same (the lens still comes from mkdocs.yml).
    assert run(capsys, "validate", "adr")[:2] == (code, out)
    # Explicit options win.
    code, out, _ = run(capsys, "validate", "--lens", "aws-well-architected", "--today", "2026-11-05")
    assert code == 1 and "'delivery' is not a pillar of the AWS" in out and "overdue" not in out


def test_config_file_option_from_another_folder(adr_project: Path, capsys, monkeypatch) -> None:
    elsewhere = adr_project / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, out, _ = run(capsys, "validate", "-f", "../mkdocs.yml", "--format", "json")
    assert code == 0
    assert [d["path"] for d in json.loads(out)] == ["../adr/w/0001-x.yaml"]
    code, out, _ = run(capsys, "validate", "--config-file", "nope.yml")
    assert (code, out) == (2, "nope.yml:0:0: error: no such file (the MkDocs configuration, -f/--config-file)\n")


def test_new_writes_into_the_projects_folder(adr_project: Path, capsys) -> None:
    code, out, err = run(capsys, "new", "Ship weekly", "-w", "w", "--date", "2026-11-20")
    assert code == 0, err
    assert out == "adr/w/0002-ship-weekly.yaml\n"
    assert not (adr_project / "decisions").exists()
    # An explicit folder wins.
    code, out, _ = run(capsys, "new", "Elsewhere", "-w", "w", "--decisions-dir", "other")
    assert out == "other/w/0001-elsewhere.yaml\n"


def test_import_writes_into_the_projects_folder(adr_project: Path, capsys) -> None:
    write(adr_project, "doc/adr/0001-use-postgres.md", "# 1. Use Postgres\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n\n"
          "## Context\n\nWe need a database.\n\n## Decision\n\nPostgres.\n\n## Consequences\n\nOne more thing to run.\n")
    code, out, _ = run(capsys, "import", "doc/adr", "-w", "shop")
    assert code == 0, out
    assert (adr_project / "adr" / "shop" / "0001-use-postgres.yaml").is_file()


def test_diff_reads_the_projects_folder(adr_project: Path, capsys) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@x"}
    for cmd in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"], ["git", "commit", "-qm", "one"]):
        subprocess.run(cmd, cwd=adr_project, env=env, check=True)
    write(adr_project, "adr/w/0002-y.yaml", MINIMAL.replace("W-0001", "W-0002").replace("A decision", "Second"))
    code, out, err = run(capsys, "diff", "--base", "main", "--format", "json")
    assert code == 0, err
    assert "W-0002" in out


def test_measure_follows_the_project(adr_project: Path, capsys, monkeypatch) -> None:
    """``measure`` reads the decisions of ``decisions_dir`` and a report's path from the
    project's folder, also when run from elsewhere with ``-f``."""
    measured = DUE.replace("      target: \"<= 10\"\n", "      target: \"<= 10\"\n      measure:\n        file:\n"
                           "          path: reports/deploys.csv\n          format: csv\n          column: minutes\n")
    write(adr_project, "adr/w/0001-x.yaml", measured)
    write(adr_project, "reports/deploys.csv", "minutes\n12\n")
    elsewhere = adr_project / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, out, err = run(capsys, "measure", "-f", "../mkdocs.yml", "--at", "2026-11-20T09:00:00Z")
    assert code == 0, err
    evidence = adr_project / "adr" / "w" / "evidence" / "W-0001.jsonl"
    record = json.loads(evidence.read_text("utf-8"))
    assert (record["value"], record["unit"]) == (12, "min")
    assert not (adr_project / "decisions").exists() and not (elsewhere / "decisions").exists()


def test_renumber_follows_the_project(adr_project: Path, capsys) -> None:
    code, out, err = run(capsys, "renumber", "W-0001", "W-0007")
    assert code == 0, err
    assert (adr_project / "adr" / "w" / "0007-x.yaml").is_file() and not (adr_project / "adr" / "w" / "0001-x.yaml").exists()
    assert "id: W-0007" in (adr_project / "adr" / "w" / "0007-x.yaml").read_text("utf-8")


# --- clear messages ------------------------------------------------------------------------------


def test_a_bad_date_option_says_what_to_write(in_tmp: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--today", "2026-13-01"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "'2026-13-01' is not a date: write it as YYYY-MM-DD" in err and "fromisoformat" not in err


def test_new_suggests_the_workload_name(in_tmp: Path, capsys) -> None:
    code, _, err = run(capsys, "new", "Split chat", "-w", "Live Video")
    assert code == 2
    assert "use --workload live-video" in err
    assert not (in_tmp / "decisions").exists()


def test_import_summary_counts_the_warnings_it_printed(in_tmp: Path, capsys) -> None:
    # No date anywhere: the importer warns that it used the file's modification date.
    write(in_tmp, "doc/adr/0001-use-postgres.md", "# 1. Use Postgres\n\n## Status\n\nAccepted\n\n## Decision\n\nPostgres.\n")
    code, out, _ = run(capsys, "import", "doc/adr", "-w", "shop")
    printed = out.count("warning:")
    assert printed >= 1
    assert out.rstrip().endswith(f"{printed} warning{'' if printed == 1 else 's'}.")


# --- the plugin ----------------------------------------------------------------------------------


def _project(root: Path, plugin_lines: str, decisions: dict[str, str]) -> Path:
    write(root, "mkdocs.yml", "site_name: x\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
          "  - well-architected:\n" + plugin_lines)
    write(root, "docs/index.md", "# Home\n")
    for rel, text in decisions.items():
        write(root, f"decisions/{rel}", text)
    return root


def test_an_unquoted_today_is_a_date(tmp_path: Path) -> None:
    root = _project(tmp_path, "      history: false\n      today: 2026-12-01\n", {"w/0001-x.yaml": MINIMAL})
    done = build(root)
    assert done.returncode == 0, done.stderr
    root = _project(tmp_path, "      history: false\n      today: '2026-13-01'\n", {"w/0001-x.yaml": MINIMAL})
    done = build(root)
    assert done.returncode != 0 and "'2026-13-01' is not a date: write it as YYYY-MM-DD" in done.stderr


def test_missing_graphviz_points_at_the_plugin_and_gives_the_right_advice(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", "      history: false\n", {"w/0001-decision-1.yaml": decision_text(1, BASE)})
    bin_dir = tmp_path / "bin"  # a PATH without Graphviz's dot
    bin_dir.mkdir()
    env = {**os.environ, "PATH": str(bin_dir), "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "mkdocs.yml:7:5: error: Graphviz is not installed" in done.stderr
    assert "allow_missing_graphviz: true" in done.stderr
    assert "on_invalid" not in done.stderr
