"""docs/guide/getting-started.md, run as written in an empty git repository.

Every ```bash block of the guide runs, top to bottom, with the virtualenv's commands
first on PATH, except the blocks the guide marks with the comment
``<!-- getting-started test: skip (why) -->`` on the line before (installation, and
``mkdocs serve``, which runs until stopped). The last block ends in ``mkdocs build
--strict``, which must pass. ``mkdocs-wa init`` is also checked on its own: it never
overwrites a file.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tools import venv_env, venv_tool

from mkdocs_wa.cli import main

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "guide" / "getting-started.md"
SKIP = re.compile(r"<!--\s*getting-started test:\s*skip\b[^>]*-->\s*$")
FENCE = re.compile(r"^```bash\n(.*?)^```", re.S | re.M)


def guide_blocks() -> list[tuple[str, bool]]:
    """Every bash block of the guide and whether the test runs it."""
    text = GUIDE.read_text("utf-8")
    out = []
    for m in FENCE.finditer(text):
        before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        out.append((m.group(1), not SKIP.search(before)))
    return out


def test_the_guide_marks_only_installation_and_serve_as_skipped() -> None:
    blocks = guide_blocks()
    skipped = [b for b, run in blocks if not run]
    assert len(skipped) == 2
    assert "pip install mkdocs-wa" in skipped[0] and skipped[1].split()[:2] == ["mkdocs", "serve"]
    ran = [b for b, run in blocks if run]
    assert ran[0].strip() == "mkdocs-wa init"
    assert ran[-1].rstrip().endswith("mkdocs build --strict")


def test_the_guide_runs_as_written_in_an_empty_git_repository(tmp_path: Path) -> None:
    venv_tool("mkdocs-wa"), venv_tool("mkdocs")  # installed by setup: a failure if missing
    repo = tmp_path / "architecture"
    repo.mkdir()
    env = venv_env(
        HOME=str(tmp_path / "home"),  # no user git configuration
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Ada", GIT_AUTHOR_EMAIL="ada@example.com",
        GIT_COMMITTER_NAME="Ada", GIT_COMMITTER_EMAIL="ada@example.com",
        NO_MKDOCS_2_WARNING="1",
    )
    (tmp_path / "home").mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, env=env, check=True)

    logs = []
    for block, run in guide_blocks():
        if not run:
            continue
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"this block of the guide failed:\n{block}\n{done.stdout}\n{done.stderr}"
        logs.append((block, done.stdout + done.stderr))
        page = repo / "site" / "architecture" / "live-video" / "0001-serve-video-through-a-cdn" / "index.html"
        if block.strip().startswith("mkdocs build --strict"):
            # Before the commit: a draft, shown, and no warning (--strict passed).
            html = page.read_text("utf-8")
            assert "Draft: not committed yet" in html
            assert "shown as drafts" in done.stderr and "WARNING" not in done.stderr

    # After the commit: published with its history, no longer a draft.
    html = page.read_text("utf-8")
    assert "Draft: not committed yet" not in html
    assert "Start the architecture site" in html  # the commit, in the decision's history
    assert (repo / "site" / "index.html").is_file()
    tracked = subprocess.run(["git", "ls-files"], cwd=repo, env=env, capture_output=True, text=True).stdout.split()
    assert "docs/index.md" in tracked and "mkdocs.yml" in tracked and ".gitignore" in tracked
    assert not any(p.startswith(("site/", ".cache/")) for p in tracked)


def test_init_never_overwrites_and_names_what_it_left_alone(tmp_path, monkeypatch, capsys) -> None:
    project = tmp_path / "shop"
    project.mkdir()
    monkeypatch.chdir(project)
    (project / "mkdocs.yml").write_text("site_name: Mine\nplugins:\n  - well-architected:\n      decisions_dir: adr\n")
    (project / ".gitignore").write_text("site/\n")
    assert main(["init", "--date", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    assert (project / "mkdocs.yml").read_text() == "site_name: Mine\nplugins:\n  - well-architected:\n      decisions_dir: adr\n"
    assert (project / ".gitignore").read_text() == "site/\n"
    assert "left alone mkdocs.yml (exists)" in out and "left alone .gitignore (exists)" in out
    assert "note: .gitignore does not ignore .cache/" in out
    # The first decision goes where mkdocs.yml says decisions are, and validates.
    assert "wrote adr/shop/0001-record-architecture-decisions.yaml" in out
    assert main(["validate", "--strict"]) == 0
    capsys.readouterr()
    # Again: everything exists, nothing is written.
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    assert main(["init"]) == 0
    out = capsys.readouterr().out
    assert "wrote" not in out and "left alone adr/ (it holds decisions already" in out
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before
