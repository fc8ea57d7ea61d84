"""``mkdocs-wa generate``: the generated section written as plain files, in real folders.

What it writes is compared with what the plugin publishes in tests/test_zensical.py;
here: which files it writes, rewrites, removes and never touches, and its errors.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import yaml
from sites import decision_yaml, make_project, tree

from mkdocs_wa.cli import main
from mkdocs_wa.pipeline.generate import MANIFEST, NAV_FILE

QUEUE = decision_yaml(
    "APP-0001", "Use a queue", "accepted", "2024-01-10",
    context="Web requests **wait** for slow jobs.",
    pillars={"reliability": {"score": 3}},
)
CACHE = decision_yaml("APP-0002", "Cache sessions", "accepted", "2024-04-02", pillars={"reliability": {"score": 4}})
DECISIONS = {"app/0001-queue.yaml": QUEUE, "app/0002-cache.yaml": CACHE}


def project(tmp_path: Path, **kwargs) -> Path:
    return make_project(tmp_path, kwargs.pop("decisions", DECISIONS), **kwargs)


def generate(root: Path, *extra: str, capsys=None) -> tuple[int, str, str]:
    code = main(["generate", "-f", str(root / "mkdocs.yml"), *extra])
    out, err = capsys.readouterr() if capsys is not None else ("", "")
    return code, out, err


def manifest(out: Path) -> dict[str, str]:
    return json.loads((out / MANIFEST).read_text("utf-8"))["files"]


def test_writes_the_section_into_the_docs_folder(tmp_path, capsys):
    root = project(tmp_path)
    code, out, err = generate(root, capsys=capsys)
    assert code == 0, out + err
    section = root / "docs" / "architecture"
    files = set(tree(section))
    assert {"index.md", "loops.md", "app/index.md", "app/0001-queue.md", "app/0002-cache.md",
            "decisions.json", "assets/mkdocs-wa.css", NAV_FILE, MANIFEST} <= files
    # The manifest lists every file it wrote, with its hash, and nothing else.
    assert set(manifest(section)) == files - {MANIFEST}
    page = (section / "app" / "0001-queue.md").read_text("utf-8")
    assert "APP-0001 · Use a queue" in page
    assert "<strong>wait</strong>" in page  # decision Markdown is pre-rendered
    assert json.loads((section / "decisions.json").read_text("utf-8"))["decisions"][0]["id"] == "APP-0001"
    # Nothing outside the section's folder.
    assert set(tree(root / "docs")) == {"index.md"} | {f"architecture/{f}" for f in files}
    assert "2 decisions" in err and "written" in err
    # mkdocs.yml names neither the stylesheet nor (explicit nav) the section: both said.
    assert "add 'architecture/assets/mkdocs-wa.css' to extra_css" in err


def test_a_second_run_writes_nothing_and_an_edit_rewrites_one_page(tmp_path, capsys):
    root = project(tmp_path)
    assert generate(root, capsys=capsys)[0] == 0
    section = root / "docs" / "architecture"
    before = {p: p.stat().st_mtime_ns for p in section.rglob("*") if p.is_file()}
    time.sleep(0.01)
    code, _, err = generate(root, capsys=capsys)
    assert code == 0 and " 0 files written" in err, err
    assert {p: p.stat().st_mtime_ns for p in before} == before  # the manifest too
    del before[section / MANIFEST]

    (root / "decisions" / "app" / "0002-cache.yaml").write_text(CACHE.replace("Cache sessions", "Cache sessions in memory"), "utf-8")
    code, _, err = generate(root, capsys=capsys)
    assert code == 0
    changed = sorted(p.relative_to(section).as_posix() for p in before if p.stat().st_mtime_ns != before[p])
    # The page itself, the workload log and overview that list its title, the export, the nav.
    assert "app/0002-cache.md" in changed and "app/0001-queue.md" not in changed, changed
    assert "assets/mkdocs-wa.css" not in changed
    assert "Cache sessions in memory" in (section / "app" / "0002-cache.md").read_text("utf-8")


def test_a_page_no_longer_generated_is_removed_with_its_empty_folder(tmp_path, capsys):
    root = project(tmp_path, decisions={**DECISIONS, "other/0001-x.yaml": decision_yaml("OTH-0001", "Other", workload="other")})
    assert generate(root, capsys=capsys)[0] == 0
    section = root / "docs" / "architecture"
    assert (section / "other" / "0001-x.md").is_file()
    (root / "decisions" / "other" / "0001-x.yaml").unlink()
    code, _, err = generate(root, capsys=capsys)
    assert code == 0, err
    assert not (section / "other").exists()
    assert "other/0001-x.md" not in manifest(section)
    assert "removed" in err and " 0 removed" not in err


def test_a_file_it_did_not_write_is_left_alone_and_reported(tmp_path, capsys):
    root = project(tmp_path, docs={"index.md": "# Home\n", "architecture/app/0001-queue.md": "# Mine\n",
                                   "architecture/notes.md": "# My notes\n"})
    code, out, err = generate(root, capsys=capsys)
    assert code == 1
    section = root / "docs" / "architecture"
    assert (section / "app" / "0001-queue.md").read_text("utf-8") == "# Mine\n"
    assert (section / "notes.md").read_text("utf-8") == "# My notes\n"  # not generated: not touched, no report
    assert re.search(r"architecture/app/0001-queue\.md:0:0: error: exists and was not written by mkdocs-wa generate", out), out
    assert "notes.md" not in out
    assert "app/0001-queue.md" not in manifest(section)
    assert (section / "app" / "0002-cache.md").is_file()  # the rest is written
    # The author's file stays the author's: a second run reports it again, still untouched.
    assert generate(root, capsys=capsys)[0] == 1
    assert (section / "app" / "0001-queue.md").read_text("utf-8") == "# Mine\n"
    assert (section / "notes.md").read_text("utf-8") == "# My notes\n"


def test_a_generated_file_edited_by_hand_is_not_overwritten_nor_removed(tmp_path, capsys):
    root = project(tmp_path)
    assert generate(root, capsys=capsys)[0] == 0
    section = root / "docs" / "architecture"
    page = section / "app" / "0001-queue.md"
    page.write_text(page.read_text("utf-8") + "\nmy edit\n", "utf-8")
    code, out, _ = generate(root, capsys=capsys)
    assert code == 1 and "was changed since mkdocs-wa generate wrote it" in out
    assert page.read_text("utf-8").endswith("my edit\n")
    # No longer generated: kept (it was changed), with a warning.
    (root / "decisions" / "app" / "0001-queue.yaml").unlink()
    code, out, _ = generate(root, capsys=capsys)
    assert page.read_text("utf-8").endswith("my edit\n")


def test_symlinks_are_refused(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = project(tmp_path / "p")
    (root / "docs" / "architecture").symlink_to(elsewhere, target_is_directory=True)
    code, out, _ = generate(root, capsys=capsys)
    assert code == 2 and "is a symbolic link" in out
    assert list(elsewhere.iterdir()) == []

    (root / "docs" / "architecture").unlink()
    (root / "docs" / "architecture" / "app").mkdir(parents=True)
    (root / "docs" / "architecture" / "app" / "0001-queue.md").symlink_to(elsewhere / "target.md")
    code, out, _ = generate(root, capsys=capsys)
    assert code == 1 and "is a symbolic link" in out
    assert list(elsewhere.iterdir()) == []


def test_never_writes_outside_the_project(tmp_path, capsys):
    root = project(tmp_path / "p")
    outside = tmp_path / "outside"
    code, out, _ = generate(root, "--out", str(outside), capsys=capsys)
    assert code == 2 and "outside the project" in out
    assert not outside.exists()
    before = tree(root / "docs")
    code, out, _ = generate(root, "--out", str(root / "docs"), capsys=capsys)
    assert code == 2 and "the output folder is docs_dir itself" in out
    assert tree(root / "docs") == before


def test_out_names_the_folder_and_the_url_section(tmp_path, capsys):
    root = project(tmp_path)
    code, _, _ = generate(root, "--out", str(root / "docs" / "adr"), capsys=capsys)
    assert code == 0
    nav = yaml.safe_load((root / "docs" / "adr" / NAV_FILE).read_text("utf-8"))
    assert nav["title"] == "Architecture" and nav["nav"][0] == "index.md"
    code, printed, _ = generate(root, "--out", str(root / "docs" / "adr"), "--print-nav", capsys=capsys)
    fragment = yaml.safe_load(printed)
    assert fragment[0]["Architecture"][:3] == ["adr/index.md", "adr/explorer.md", "adr/loops.md"]


def test_print_nav_prints_a_fragment_whose_pages_exist(tmp_path, capsys):
    root = project(tmp_path)
    code, printed, _ = generate(root, "--print-nav", capsys=capsys)
    assert code == 0
    assert not (root / "docs" / "architecture").exists()  # prints, writes nothing
    fragment = yaml.safe_load(printed)
    assert fragment == [{"Architecture": [
        "architecture/index.md", "architecture/explorer.md", "architecture/loops.md",
        {"App": ["architecture/app/index.md", "architecture/app/timeline.md"]},
    ]}]


def test_config_errors_have_a_line_and_env_and_python_tags_are_tolerated(tmp_path, capsys):
    root = project(tmp_path)
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(text + "foo: [unclosed\n", "utf-8")
    code, out, _ = generate(root, capsys=capsys)
    assert code == 2 and re.search(r"mkdocs\.yml:\d+:\d+: error: invalid YAML", out), out

    data = yaml.safe_load(text)
    data["plugins"][1]["well-architected"].update(review_days="soon", colour="blue")
    config.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    code, out, _ = generate(root, capsys=capsys)
    lines = config.read_text("utf-8").splitlines()
    row = next(i for i, line in enumerate(lines, 1) if "review_days" in line)
    assert code == 2 and f"mkdocs.yml:{row}:" in out and "'review_days' must be int" in out, out
    assert "unknown well-architected option 'colour'" in out

    config.write_text(
        text.replace("history: false", "history: !ENV [WA_HISTORY, false]")
        + "markdown_extensions:\n  - toc:\n      slugify: !!python/object/apply:os.system [\"touch pwned\"]\n"
        + "extra: {analytics: !relative $config_dir}\n",
        "utf-8",
    )
    code, out, err = generate(root, capsys=capsys)
    assert code == 0, out + err
    assert not (root / "pwned").exists() and not Path("pwned").exists()


def test_invalid_decisions_fail_and_write_nothing(tmp_path, capsys):
    root = project(tmp_path, decisions={**DECISIONS, "app/0003-bad.yaml": "schema: 1\nid: APP-0003\n"})
    code, out, _ = generate(root, capsys=capsys)
    assert code == 1 and re.search(r"decisions/app/0003-bad\.yaml:\d+:\d+: error", out), out
    assert not (root / "docs" / "architecture").exists()
    # on_invalid: skip writes the valid ones, as the plugin does.
    root2 = project(tmp_path / "skip", decisions={**DECISIONS, "app/0003-bad.yaml": "schema: 1\nid: APP-0003\n"},
                    plugin_options={"on_invalid": "skip"})
    code, out, _ = generate(root2, capsys=capsys)
    assert code == 0 and (root2 / "docs" / "architecture" / "app" / "0001-queue.md").is_file()


def test_decision_markdown_is_sanitised_as_by_the_plugin(tmp_path, capsys):
    hostile = decision_yaml(
        "APP-0001", "Hostile", "accepted", "2024-01-10",
        context="<script>alert('ctx')</script>\n\n<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3))",
    )
    root = project(tmp_path, decisions={"app/0001-hostile.yaml": hostile})
    assert generate(root, capsys=capsys)[0] == 0
    page = (root / "docs" / "architecture" / "app" / "0001-hostile.md").read_text("utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "onerror" not in page.replace("&lt;img src=x onerror", "")
    assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', page))


def test_watch_regenerates_when_a_decision_changes(tmp_path):
    root = project(tmp_path)
    page = root / "docs" / "architecture" / "app" / "0002-cache.md"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs_wa", "generate", "-f", str(root / "mkdocs.yml"), "--watch"],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 180  # a loaded machine is slow; each step ends as soon as it is seen
        while not page.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert page.exists(), "the first generation did not happen"
        time.sleep(1)  # the watcher is started after the first generation
        (root / "decisions" / "app" / "0002-cache.yaml").write_text(CACHE.replace("Cache sessions", "Cache tokens"), "utf-8")
        while "Cache tokens" not in page.read_text("utf-8") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "Cache tokens" in page.read_text("utf-8"), "the page was not regenerated"
        # A new decision appears; the lens and config are watched too (config: section title).
        (root / "decisions" / "app" / "0003-new.yaml").write_text(decision_yaml("APP-0003", "Newer", date="2024-05-01"), "utf-8")
        new = root / "docs" / "architecture" / "app" / "0003-new.md"
        while not new.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert new.exists()
        config = yaml.safe_load((root / "mkdocs.yml").read_text("utf-8"))
        config["plugins"][1]["well-architected"]["nav_title"] = "Decisions"
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
        nav = root / "docs" / "architecture" / NAV_FILE
        while "title: Decisions" not in nav.read_text("utf-8") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "title: Decisions" in nav.read_text("utf-8")
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    assert "Traceback" not in output, output


def test_generate_runs_without_mkdocs(tmp_path):
    """The core renders and writes the section without importing MkDocs (or watchdog,
    which only --watch needs): Zensical users need not have MkDocs' machinery loaded."""
    root = project(tmp_path)
    script = (
        "import sys\n"
        "from mkdocs_wa.cli import main\n"
        f"code = main(['generate', '-f', {str(root / 'mkdocs.yml')!r}])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'watchdog'))\n"
        "print('LOADED', loaded, code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "LOADED [] 0" in done.stdout, done.stdout + done.stderr
    assert (root / "docs" / "architecture" / "app" / "0001-queue.md").is_file()


def test_problems_in_github_format(tmp_path, capsys):
    root = project(tmp_path, decisions={**DECISIONS, "app/0003-bad.yaml": "schema: 1\nid: APP-0003\n"})
    code, out, _ = generate(root, "--format", "github", capsys=capsys)
    assert code == 1
    assert re.search(r"^::error file=.*decisions/app/0003-bad\.yaml,line=\d+", out, re.MULTILINE), out


def test_a_hand_written_page_at_a_generated_url_is_reported(tmp_path, capsys):
    """docs/architecture.md has the overview's URL (architecture/), as does
    architecture/app.md the workload log's: Zensical would refuse to build."""
    root = project(tmp_path, docs={"index.md": "# Home\n", "architecture.md": "# About the code\n",
                                   "architecture/app.md": "# App\n", "guide.md": "# Guide\n"})
    code, out, _ = generate(root, capsys=capsys)
    assert code == 1
    assert re.search(r"docs/architecture\.md:0:0: error: has the URL of the generated page architecture/index\.md", out), out
    assert re.search(r"docs/architecture/app\.md:0:0: error: has the URL of the generated page architecture/app/index\.md", out), out
    assert "guide.md" not in out
    assert (root / "docs" / "architecture.md").read_text("utf-8") == "# About the code\n"


def test_an_interrupted_run_leaves_files_the_next_run_still_owns(tmp_path, capsys, monkeypatch):
    import mkdocs_wa.pipeline.generate as generate_module

    root = project(tmp_path)
    assert generate(root, capsys=capsys)[0] == 0
    section = root / "docs" / "architecture"
    for rel in ("app/0001-queue.yaml", "app/0002-cache.yaml"):
        path = root / "decisions" / rel
        path.write_text(path.read_text("utf-8").replace("title: ", "title: Now "), "utf-8")
    real = generate_module.replace_file
    calls = []

    def interrupted(target, content):
        calls.append(target)
        if len(calls) == 3:  # the manifest of what is about to change, one page, then stop
            raise KeyboardInterrupt
        real(target, content)

    monkeypatch.setattr(generate_module, "replace_file", interrupted)
    assert generate(root, capsys=capsys)[0] == 130
    monkeypatch.setattr(generate_module, "replace_file", real)
    written = [p for p in calls[1:2]]
    assert written and written[0].suffix == ".md"
    code, out, err = generate(root, capsys=capsys)
    assert code == 0 and "conflict" not in out, out + err
    assert "Now Use a queue" in (section / "app" / "0001-queue.md").read_text("utf-8")
    assert "Now Cache sessions" in (section / "app" / "0002-cache.md").read_text("utf-8")
    assert all(isinstance(v, str) for v in manifest(section).values())


def test_generate_knows_every_plugin_option_and_its_default() -> None:
    """The CLI reads mkdocs.yml without MkDocs: its table of the plugin's options must
    follow plugin/config.py, or a new option is reported as unknown (as nav_workloads
    was for a while)."""
    from mkdocs_wa.cli.generate import _OPTIONS
    from mkdocs_wa.plugin.config import WellArchitectedConfig

    declared = dict(WellArchitectedConfig._schema)
    assert set(_OPTIONS) == set(declared)
    for name, option in declared.items():
        if name != "today":  # a date option: None in both, read differently
            assert _OPTIONS[name][1] == option.default, name


def test_generate_follows_feed_and_the_markdown_extensions_allow_list(tmp_path, capsys):
    table = decision_yaml("APP-0003", "A table", "accepted", "2024-05-02",
                          context="| a | b |\n  | - | - |\n  | 1 | 2 |")
    root = project(tmp_path, decisions={**DECISIONS, "app/0003-table.yaml": table},
                   plugin_options={"feed": False, "nav_workloads": 5})
    code, out, err = generate(root, capsys=capsys)
    assert code == 0, out + err
    assert "unknown" not in err
    section = root / "docs" / "architecture"
    assert not (section / "feed.xml").exists()  # as the plugin: no feed when feed is off
    assert "<table>" in (section / "app" / "0003-table.md").read_text("utf-8")
    # an allow-list without tables: the decision's text is rendered without them, as the plugin does
    narrow = project(tmp_path / "narrow", decisions={"app/0003-table.yaml": table},
                     plugin_options={"markdown_extensions": ["attr_list"]})
    code, out, err = generate(narrow, capsys=capsys)
    assert code == 0, out + err
    assert "<table>" not in (narrow / "docs" / "architecture" / "app" / "0003-table.md").read_text("utf-8")
