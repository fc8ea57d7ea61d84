"""The `mkdocs-wa-validate` pre-commit hook, run by a real `pre-commit` in a real repository.

pre-commit installs this repository into a fresh virtualenv (pip, from PyPI for the
dependencies), so this test needs the package index; it takes tens of seconds once.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml
from tools import venv_env, venv_tool

REPO = Path(__file__).resolve().parent.parent
GOOD = "schema: 1\nid: SHOP-0001\ntitle: Use Stripe\nstatus: accepted\ndate: 2024-01-01\n"
BAD = "schema: 1\nid: SHOP-0002\ntitle: Use PayPal too\nstatus: acepted\ndate: 2024-02-01\n"



def run(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_hooks_manifest_is_what_the_docs_promise() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "mkdocs-wa-validate"
    assert hook["entry"] == "mkdocs-wa validate" and hook["language"] == "python"
    # Any YAML file: the decisions folder is the project's (decisions_dir in mkdocs.yml).
    assert hook["files"] == r"\.ya?ml$" and hook["pass_filenames"] is False


def test_pre_commit_runs_the_hook_and_blocks_a_bad_commit(tmp_path: Path) -> None:
    # The decisions live in adr/ (the plugin's decisions_dir in mkdocs.yml): the hook runs
    # for them and checks that folder, as `mkdocs build` would read it.
    pre_commit = venv_tool("pre-commit")  # installed by setup.sh --test: a failure if missing, never a skip
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    env = venv_env(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_AUTHOR_NAME="Ada", GIT_AUTHOR_EMAIL="a@example.com",
        GIT_COMMITTER_NAME="Ada", GIT_COMMITTER_EMAIL="a@example.com",
    )
    repo = tmp_path / "project"
    (repo / "adr" / "shop").mkdir(parents=True)
    run(repo, "git", "init", "-q", "-b", "main", env=env)
    config = {"repos": [{"repo": str(REPO), "rev": rev, "hooks": [{"id": "mkdocs-wa-validate"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), "utf-8")
    (repo / "mkdocs.yml").write_text(
        "site_name: Shop\ntheme:\n  name: material\nplugins:\n  - search\n  - well-architected:\n      decisions_dir: adr\n",
        "utf-8",
    )
    (repo / "adr" / "shop" / "0001-use-stripe.yaml").write_text(GOOD, "utf-8")
    (repo / "README.md").write_text("# Shop\n", "utf-8")
    assert run(repo, pre_commit, "install", env=env).returncode == 0

    run(repo, "git", "add", "-A", env=env)
    ok = run(repo, "git", "commit", "-q", "-m", "first decision", env=env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "validate architecture decisions (mkdocs-wa)" in ok.stdout + ok.stderr
    assert "Passed" in ok.stdout + ok.stderr

    # A bad decision is refused, with file, line and column.
    (repo / "adr" / "shop" / "0002-use-paypal.yaml").write_text(BAD, "utf-8")
    run(repo, "git", "add", "-A", env=env)
    bad = run(repo, "git", "commit", "-q", "-m", "second decision", env=env)
    out = bad.stdout + bad.stderr
    assert bad.returncode != 0
    assert "adr/shop/0002-use-paypal.yaml:4:9: error: status is 'acepted'" in out
    assert "(did you mean 'accepted'?)" in out
    assert run(repo, "git", "rev-list", "--count", "HEAD", env=env).stdout.strip() == "1"

    # A commit that touches no YAML file does not run the hook.
    run(repo, "git", "reset", "-q", env=env)
    (repo / "adr" / "shop" / "0002-use-paypal.yaml").unlink()
    (repo / "README.md").write_text("# Shop\n\nMore.\n", "utf-8")
    run(repo, "git", "add", "README.md", env=env)
    skipped = run(repo, "git", "commit", "-q", "-m", "readme", env=env)
    assert skipped.returncode == 0
    assert "(no files to check)Skipped" in skipped.stdout + skipped.stderr
