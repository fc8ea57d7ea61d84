"""The CI recipes in docs/recipes/: valid YAML, and their shell steps run for real here.

What cannot run here (GitHub's and GitLab's runners, `gh`, the GitLab API, Pages) is
left out; everything else the recipes run (validate, diff, the Code Quality converter,
`git fetch` of the target branch) runs against a real repository with a real remote.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import yaml
from tools import venv_env, venv_tool

RECIPES = Path(__file__).resolve().parent.parent / "docs" / "recipes"
GOOD = "schema: 1\nid: SHOP-0001\ntitle: Use Stripe\nstatus: accepted\ndate: 2024-01-01\n"
NEW = "schema: 1\nid: SHOP-0002\ntitle: Add PayPal\nstatus: proposed\ndate: 2024-02-01\n"
BAD = "schema: 1\nid: SHOP-0003\ntitle: Add Klarna\nstatus: acepted\ndate: 2024-02-02\n"


def load(name: str) -> dict:
    return yaml.safe_load((RECIPES / name).read_text("utf-8"))


def sh(cwd: Path, script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def pull_request_checkout(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A clone with origin/main and a checked-out branch that adds decisions."""
    venv_tool("mkdocs-wa")  # the recipes run it: installed by setup, so a failure if missing
    env = {**venv_env(), "GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "a@example.com",
           "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "a@example.com"}
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    sh(tmp_path, f"git init -q --bare -b main {origin} && git clone -q {origin} {work}", env)
    (work / "decisions" / "shop").mkdir(parents=True)
    (work / "decisions" / "shop" / "0001-use-stripe.yaml").write_text(GOOD)
    sh(work, "git add -A && git commit -q -m first && git push -q origin main && git checkout -q -b feature", env)
    (work / "decisions" / "shop" / "0002-add-paypal.yaml").write_text(NEW)
    sh(work, "git add -A && git commit -q -m 'add paypal'", env)
    return work, env


def test_every_recipe_is_valid_yaml_and_fetches_the_whole_history() -> None:
    names = sorted(p.name for p in RECIPES.glob("*.yml"))
    assert names == [
        "github-loop-issues.yml",
        "github-measure.yml",
        "github-properdocs.yml",
        "github-publish.yml",
        "github-validate.yml",
        "github-zensical.yml",
        "gitlab-ci.yml",
    ]
    for name in ("github-validate.yml", "github-publish.yml", "github-properdocs.yml", "github-zensical.yml"):
        wf = load(name)
        steps = [s for job in wf["jobs"].values() for s in job.get("steps", [])]
        checkout = [s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@")]
        assert checkout and all(s["with"]["fetch-depth"] == 0 for s in checkout), name
    validate = load("github-validate.yml")
    assert validate[True]["pull_request"]["paths"]  # YAML 1.1 reads the key `on` as true
    runs = " ".join(s.get("run", "") for s in validate["jobs"]["validate"]["steps"])
    assert "mkdocs-wa validate --format github" in runs and 'mkdocs-wa diff --base "origin/$BASE"' in runs
    publish = load("github-publish.yml")
    assert "mkdocs build --strict" in " ".join(s.get("run", "") for s in publish["jobs"]["build"]["steps"])
    gitlab = load("gitlab-ci.yml")
    assert gitlab["variables"]["GIT_DEPTH"] == "0"
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]
    assert gitlab["decisions"]["artifacts"]["reports"]["codequality"] == "gl-code-quality.json"


def test_github_validate_steps_annotate_and_summarise(tmp_path: Path) -> None:
    work, env = pull_request_checkout(tmp_path)
    steps = {s.get("name", s.get("uses", s.get("run"))): s for s in load("github-validate.yml")["jobs"]["validate"]["steps"]}
    summary = tmp_path / "summary.md"
    step_env = {**env, "GITHUB_STEP_SUMMARY": str(summary), "BASE": "main"}

    ok = sh(work, steps["Validate (annotations on the pull request's diff)"]["run"], step_env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    diff = sh(work, steps["What the decisions change"]["run"], step_env)
    assert diff.returncode == 0, diff.stderr
    assert "SHOP-0002" in (work / "decisions-diff.md").read_text() and "SHOP-0002" in summary.read_text()

    (work / "decisions" / "shop" / "0003-add-klarna.yaml").write_text(BAD)
    bad = sh(work, steps["Validate (annotations on the pull request's diff)"]["run"], step_env)
    assert bad.returncode == 1
    assert "::error file=decisions/shop/0003-add-klarna.yaml,line=4,col=9,title=mkdocs-wa::status is 'acepted'" in bad.stdout


def test_gitlab_decisions_job_script_writes_code_quality_and_diff(tmp_path: Path) -> None:
    work, env = pull_request_checkout(tmp_path)
    (work / "decisions" / "shop" / "0003-add-klarna.yaml").write_text(BAD)
    script = "\n".join(load("gitlab-ci.yml")["decisions"]["script"])
    job_env = {**env, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}
    job_env.pop("DECISIONS_TOKEN", None)
    result = sh(work, script, job_env)
    assert result.returncode == 1, result.stdout + result.stderr  # the job fails on the invalid decision
    (issue,) = json.loads((work / "gl-code-quality.json").read_text())
    assert issue["location"] == {"path": "decisions/shop/0003-add-klarna.yaml", "lines": {"begin": 4}}
    assert issue["severity"] == "major" and "acepted" in issue["description"] and len(issue["fingerprint"]) == 40
    assert (work / "decisions-diff.md").read_text().strip()


def test_properdocs_and_zensical_recipes_build_a_site(tmp_path: Path) -> None:
    """The build steps of github-properdocs.yml and github-zensical.yml (not the
    installs), run in a real project with the tools the test extras install."""
    import sys

    from sites import decision_yaml, make_project

    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}", "NO_COLOR": "1"}
    for name, tool in (("github-properdocs.yml", "properdocs"), ("github-zensical.yml", "zensical")):
        root = make_project(tmp_path / tool, {"app/0001-queue.yaml": decision_yaml()},
                            config={"extra_css": ["architecture/assets/mkdocs-wa.css"]} if tool == "zensical" else None)
        steps = [s["run"] for s in load(name)["jobs"]["build"]["steps"] if "run" in s]
        builds = [r for r in steps if "apt-get" not in r and "pip install" not in r]
        assert any(tool in r for r in builds), builds
        assert any(f"{tool}==" in r for r in steps if "pip install" in r), "the tested version is pinned"
        for script in builds:
            done = sh(root, script, env)
            assert done.returncode == 0, f"{name}: {script}\n{done.stdout}{done.stderr}"
        assert "APP-0001" in (root / "site" / "architecture" / "app" / "0001-queue" / "index.html").read_text("utf-8"), name
