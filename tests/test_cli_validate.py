"""`mkdocs-wa validate` and `mkdocs-wa schema`, in-process through cli.main, plus the console script."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from conftest import MINIMAL, load_tree, write
from jsonschema import Draft202012Validator
from tools import venv_tool

from mkdocs_wa.cli import main

REPO = Path(__file__).resolve().parents[1]
BAD = "decisions/w/0001-x.yaml"


@pytest.fixture
def one_error(in_tmp: Path) -> Path:
    """A project whose only problem is one unknown key (line 6, column 1)."""
    write(in_tmp, BAD, MINIMAL + "titel: typo\n")
    return in_tmp


@pytest.fixture
def one_warning(in_tmp: Path) -> Path:
    """A project whose only problem is a warning (a result on a proposed decision)."""
    write(in_tmp, BAD, MINIMAL.replace("accepted", "proposed") + "result:\n  outcome: confirmed\n")
    return in_tmp


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- exit codes and text output ----------------------------------------------------------------


def test_valid_decisions_exit_0(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, BAD, MINIMAL)
    assert run(capsys, "validate") == (0, "", "1 decision loaded, 0 errors, 0 warnings\n")


def test_errors_exit_1_with_file_line_col(one_error: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate") == (
        1,
        f"{BAD}:6:1: error: unknown key 'titel' (did you mean 'title'?)\n",
        "0 decisions loaded, 1 error, 0 warnings\n",
    )


def test_warnings_alone_exit_0(one_warning: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate")
    assert code == 0
    assert out == f"{BAD}:6:1: warning: has a result but is still 'proposed': was it accepted (or rejected)?\n"


def test_strict_turns_warnings_into_failure(one_warning: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "--strict")
    assert code == 1
    assert out == f"{BAD}:6:1: warning: has a result but is still 'proposed': was it accepted (or rejected)?\n"


def test_strict_with_no_problems_exits_0(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, BAD, MINIMAL)
    assert run(capsys, "validate", "--strict")[0] == 0


def test_unknown_format_is_a_usage_error(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--format", "xml"])
    assert exc.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_no_subcommand_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: mkdocs-wa" in capsys.readouterr().err


def test_missing_path_is_a_usage_error(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate", "nope/") == (2, "nope:0:0: error: no such file or folder\n", "")


def test_default_path_is_decisions_folder(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "decisions/w/0001-x.yaml", MINIMAL + "titel: typo\n")
    write(in_tmp, "elsewhere/w/0001-x.yaml", "not: [valid\n")  # not under decisions/: not read
    code, out, err = run(capsys, "validate")
    assert (code, out) == (1, "decisions/w/0001-x.yaml:6:1: error: unknown key 'titel' (did you mean 'title'?)\n")


def test_no_decisions_folder_here(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate") == (
        2,
        "decisions:0:0: error: no such file or folder (run in the project folder, or name the decisions folder)\n",
        "",
    )


def test_files_and_folders_as_arguments(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "decisions/a/0001-x.yaml", MINIMAL.replace("W-0001", "A-1") + "titel: typo\n")
    write(in_tmp, "decisions/b/0001-x.yaml", MINIMAL.replace("W-0001", "B-1") + "colour: red\n")
    write(in_tmp, "decisions/c/0001-x.yaml", MINIMAL.replace("W-0001", "C-1") + "colour: red\n")
    code, out, err = run(capsys, "validate", "decisions/a/0001-x.yaml", str(in_tmp / "decisions/b"))
    assert (code, out) == (
        1,
        "decisions/a/0001-x.yaml:6:1: error: unknown key 'titel' (did you mean 'title'?)\n"
        "decisions/b/0001-x.yaml:6:1: error: unknown key 'colour'\n",
    )


def test_one_file_named_alone_is_checked_among_all_decisions(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # as the pre-commit hook runs it: only the staged file is named, and it supersedes another
    write(in_tmp, "decisions/w/0001-a.yaml", MINIMAL.replace("accepted", "superseded"))
    write(in_tmp, "decisions/w/0002-b.yaml", MINIMAL.replace("W-0001", "W-0002") + "supersedes: [W-0001]\n")
    write(in_tmp, "decisions/x/0001-c.yaml", MINIMAL.replace("W-0001", "X-1") + "titel: typo\n")
    assert run(capsys, "validate", "decisions/w/0002-b.yaml")[:2] == (0, "")


def test_one_file_named_alone_gets_only_its_own_problems(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "decisions/w/0001-a.yaml", MINIMAL + "colour: red\n")
    write(in_tmp, "decisions/w/0002-b.yaml", MINIMAL.replace("W-0001", "W-0002") + "supersedes: [W-0009]\n")
    code, out, err = run(capsys, "validate", "decisions/w/0002-b.yaml")
    assert (code, out) == (1, "decisions/w/0002-b.yaml:6:14: error: supersedes unknown decision 'W-0009' (did you mean 'W-0002'?)\n")


def test_file_outside_the_decisions_folder_takes_its_workload_from_its_folder(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(in_tmp, "adr/payments/0001-x.yaml", MINIMAL)
    assert run(capsys, "validate", "adr/payments/0001-x.yaml")[:2] == (0, "")


def test_file_named_twice_is_read_once(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "adr/w/0001-x.yaml", MINIMAL)
    assert run(capsys, "validate", "adr", "adr/w/0001-x.yaml")[:2] == (0, "")  # no 'duplicate id'


def test_symbolic_link_shown_under_its_own_name(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "decisions/w/0001-real.yaml", MINIMAL + "titel: typo\n")
    (in_tmp / "decisions/w/0002-link.yaml").symlink_to("0001-real.yaml")
    code, out, err = run(capsys, "validate", "decisions/w/0002-link.yaml")
    assert out.splitlines() == [  # both files hold W-0001: the link is a duplicate, in a file numbered 0002
        "decisions/w/0002-link.yaml:2:5: error: duplicate id 'W-0001': decisions/w/0001-real.yaml uses it too",
        "decisions/w/0002-link.yaml:2:5: warning: id 'W-0001' has the number 1 but its file name has 0002 "
        "(0002-link.yaml): make them agree (`mkdocs-wa renumber W-0001 W-0002`, or rename the file)",
        "decisions/w/0002-link.yaml:6:1: error: unknown key 'titel' (did you mean 'title'?)",
    ]


def test_all_problems_of_all_files_in_one_run(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "decisions/w/0001-a.yaml", "")
    write(in_tmp, "decisions/w/0002-b.yaml", "a:\n\tb: 1\n")
    write(in_tmp, "decisions/w/0003-c.yaml", MINIMAL.replace("W-0001", "W-0003").replace("2021-03-01", "2021-02-30"))
    write(in_tmp, "decisions/x/0001-d.yaml", MINIMAL.replace("W-0001", "X-1") + "supersedes: [X-0]\n")
    code, out, err = run(capsys, "validate")
    assert code == 1
    assert out.splitlines() == [
        "decisions/w/0001-a.yaml:1:1: error: file is empty: a decision needs at least schema, id, title, status and date",
        "decisions/w/0002-b.yaml:2:1: error: invalid YAML: found character that cannot start any token: "
        "a tab (YAML indents with spaces only)",
        "decisions/w/0003-c.yaml:5:7: error: '2021-02-30' is not a calendar date (YYYY-MM-DD)",
        "decisions/x/0001-d.yaml:6:14: error: supersedes unknown decision 'X-0' (did you mean 'X-1'?)",
    ]
    assert err == "1 decision loaded, 4 errors, 0 warnings\n"


# --- --format github / json -----------------------------------------------------------------------


def test_github_format_annotations(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "decisions/w/0001-a.yaml", MINIMAL + "titel: typo\n")
    write(in_tmp, "decisions/w/0002-b.yaml", MINIMAL.replace("W-0001", "W-0002").replace("accepted", "proposed") + "result:\n  outcome: confirmed\n")
    code, out, err = run(capsys, "validate", "--format", "github")
    assert code == 1
    assert out.splitlines() == [
        "::error file=decisions/w/0001-a.yaml,line=6,col=1,title=mkdocs-wa::unknown key 'titel' (did you mean 'title'?)",
        "::warning file=decisions/w/0002-b.yaml,line=6,col=1,title=mkdocs-wa::"
        "has a result but is still 'proposed': was it accepted (or rejected)?",
    ]
    assert err == ""  # the summary line is for people, not for the workflow log parser


def test_github_format_escapes_commas_in_paths_and_percent_in_messages(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "decisions/w/0001-a,b.yaml", MINIMAL + "pillars:\n  '100%': {score: 1}\n")
    code, out, err = run(capsys, "validate", "--format", "github")
    assert out.splitlines() == [
        "::error file=decisions/w/0001-a%2Cb.yaml,line=7,col=3,title=mkdocs-wa::"
        "'100%25' in pillars must be lower-case letters, digits and '-'",
    ]


def test_github_format_omits_unknown_line_and_column(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / BAD).mkdir(parents=True)
    code, out, err = run(capsys, "validate", "--format", "github")
    assert out == (
        f"::error file={BAD},title=mkdocs-wa::is a directory, not a decision file (rename it or move it out)\n"
    )


def test_json_format_is_a_list_of_diagnostics(one_error: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "--format", "json")
    assert code == 1 and err == ""
    assert json.loads(out) == [
        {
            "path": BAD,
            "line": 6,
            "col": 1,
            "severity": "error",
            "message": "unknown key 'titel' (did you mean 'title'?)",
            "code": "schema",
        }
    ]


def test_json_format_with_no_problems(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, BAD, MINIMAL)
    code, out, err = run(capsys, "validate", "--format", "json")
    assert (code, json.loads(out), err) == (0, [], "")


# --- --lens ---------------------------------------------------------------------------------------


TEAM_LENS = "schema: 1\nid: team\nname: Team\npillars:\n  - {id: speed, name: Speed}\nprinciples:\n  - {id: small-steps, name: Small steps}\n"


def test_custom_lens_file(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "lens.yaml", TEAM_LENS)
    write(in_tmp, BAD, MINIMAL + "pillars:\n  speed: {score: 4}\n  security: {score: 4}\n")
    code, out, err = run(capsys, "validate", "--lens", "lens.yaml")
    assert (code, out) == (1, f"{BAD}:8:3: error: 'security' is not a pillar of the Team lens\n")


def test_custom_lens_accepts_its_own_pillars(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "lens.yaml", TEAM_LENS)
    write(in_tmp, BAD, MINIMAL + "principles: [small-steps]\npillars:\n  speed: {score: 4}\n")
    assert run(capsys, "validate", "--lens", "lens.yaml")[:2] == (0, "")


def test_shipped_lens_by_name(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, BAD, MINIMAL + "pillars:\n  security: {score: 4}\n")
    assert run(capsys, "validate", "--lens", "azure-well-architected")[:2] == (0, "")


def test_broken_lens_file_exits_2(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "lens.yaml", "schema: 1\nid: team\nname: Team\npilars: []\n")
    write(in_tmp, BAD, MINIMAL)
    assert run(capsys, "validate", "--lens", "lens.yaml") == (
        2,
        "lens.yaml:1:1: error: the document is missing the required key 'pillars'\n"
        "lens.yaml:4:1: error: unknown key 'pilars' (did you mean 'pillars'?)\n",
        "",
    )


def test_broken_lens_in_json_format_is_json(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "lens.yaml", "[not a lens")
    write(in_tmp, BAD, MINIMAL)
    code, out, err = run(capsys, "validate", "--lens", "lens.yaml", "--format", "json")
    assert code == 2
    assert [(d["path"], d["line"], d["col"], d["severity"]) for d in json.loads(out)] == [("lens.yaml", 2, 1, "error")]


def test_missing_lens_file_exits_2(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, BAD, MINIMAL)
    assert run(capsys, "validate", "--lens", "nope.yaml") == (
        2,
        "nope.yaml:0:0: error: lens file not found (shipped lenses: aws-well-architected, azure-well-architected)\n",
        "",
    )


# --- the demo decisions ----------------------------------------------------------------------------


def test_demo_decisions_validate_without_any_diagnostic(capsys: pytest.CaptureFixture[str]) -> None:
    catalog, diags = load_tree(REPO)
    assert diags == []
    assert set(catalog.workloads()) >= {"live-video", "lab-telemetry"}
    # the site checks too (feedback loops, outcomes), judged on the newest decision's date
    newest = max(d.date for d in catalog.decisions)
    code, out, err = run(capsys, "validate", "--strict", "--today", newest.isoformat(), str(REPO / "decisions"))
    assert (code, out) == (0, "")


# --- mkdocs-wa schema -------------------------------------------------------------------------------


def test_schema_prints_a_draft_2020_12_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert {"schema", "id", "title", "status", "date"} <= set(schema["required"])


def test_printed_schema_accepts_a_decision_and_rejects_a_typo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    validator = Draft202012Validator(json.loads(run(capsys, "schema")[1]))
    write(tmp_path, BAD, MINIMAL)
    catalog, _ = load_tree(tmp_path)
    data = catalog.decisions[0].source.data  # type: ignore[union-attr]
    assert list(validator.iter_errors(data)) == []
    assert [e.validator for e in validator.iter_errors({**data, "titel": "x"})] == ["additionalProperties"]


def test_schema_output_writes_a_file(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "schema", "--output", "schema.json")
    assert (code, out) == (0, "schema.json\n")
    Draft202012Validator.check_schema(json.loads((in_tmp / "schema.json").read_text("utf-8")))


def test_schema_output_refuses_to_overwrite(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "schema.json", "mine\n")
    assert run(capsys, "schema", "--output", "schema.json") == (
        2, "", "mkdocs-wa: schema.json exists; add --force to overwrite it\n",
    )
    assert (in_tmp / "schema.json").read_text("utf-8") == "mine\n"


def test_schema_output_force_overwrites(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, "schema.json", "mine\n")
    assert run(capsys, "schema", "--output", "schema.json", "--force")[0] == 0
    assert json.loads((in_tmp / "schema.json").read_text("utf-8"))["$schema"].endswith("2020-12/schema")


def test_schema_output_into_a_missing_folder(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "schema", "--output", "no/such/schema.json") == (
        2, "", "mkdocs-wa: cannot write no/such/schema.json: No such file or directory\n",
    )


def test_schema_unknown_version_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["schema", "--version", "2"])
    assert exc.value.code == 2


# --- the installed console script ----------------------------------------------------------------


def test_console_script(tmp_path: Path) -> None:
    script = venv_tool("mkdocs-wa")
    write(tmp_path, BAD, MINIMAL + "titel: typo\n")
    done = subprocess.run(
        [script, "validate", "--format", "json", "--today", dt.date(2021, 3, 2).isoformat()],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert [(d["path"], d["line"], d["col"], d["message"]) for d in json.loads(done.stdout)] == [
        (BAD, 6, 1, "unknown key 'titel' (did you mean 'title'?)")
    ]
