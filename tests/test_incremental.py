"""Rebuilds in one process (``mkdocs serve``): the memo, the staged files of a dirty
build, and the property that matters: a rebuild that reuses the last build's work
generates exactly what a fresh build of the same files generates."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from gitrepo import GitRepo
from sites import REPO, build_in_process, decision_yaml, make_project

from mkdocs_wa.memo import NO_MEMO, Memo, NullMemo, memo_render
from mkdocs_wa.pipeline.build import BuildOptions, build
from mkdocs_wa.render.markdown import TextRenderer
from mkdocs_wa.source.lens import load_lens

# --- Memo -----------------------------------------------------------------------------------


def test_memo_makes_once_and_forgets_what_a_build_did_not_use() -> None:
    memo, made = Memo(), []

    def make(v: str):
        return lambda: made.append(v) or v.upper()

    memo.start_build()
    assert memo.get("a", make("a")) == "A" and memo.get("b", make("b")) == "B"
    assert memo.get("a", make("a")) == "A" and made == ["a", "b"]
    memo.start_build()  # the second build uses only "a"
    assert memo.get("a", make("a")) == "A" and made == ["a", "b"] and memo.hits == 1
    memo.start_build()  # "b" was not used by the last build: gone
    assert memo.get("b", make("b")) == "B" and made == ["a", "b", "b"]
    assert len(memo) == 1


def test_memo_of_tells_objects_apart_by_identity() -> None:
    memo = Memo()
    memo.start_build()
    one, same_value = ["x"], ["x"]
    assert memo.of("t", (one,), 1, lambda: "first") == "first"
    assert memo.of("t", (one,), 1, lambda: "again") == "first"
    assert memo.of("t", (same_value,), 1, lambda: "other object") == "other object"
    assert memo.of("t", (one,), 2, lambda: "other value") == "other value"


def test_memo_render_renders_each_text_once_per_settings() -> None:
    calls: list[str] = []

    def render(text: str) -> str:
        calls.append(text)
        return f"<p>{text}</p>"

    memo = Memo()
    memo.start_build()
    a, b = memo_render(render, memo, "settings-1"), memo_render(render, memo, "settings-2")
    assert a("hi") == a("hi") == b("hi") == "<p>hi</p>"
    assert calls == ["hi", "hi"]


# --- the null memo ------------------------------------------------------------------------


def test_the_null_memo_has_the_interface_and_keeps_nothing() -> None:
    made: list[str] = []

    def make(v: str):
        return lambda: made.append(v) or v.upper()

    for memo in (NullMemo(), NO_MEMO):
        memo.start_build()
        assert memo.get("a", make("a")) == "A" and memo.get("a", make("a")) == "A"
        memo.put("a", "kept?")
        assert memo.get("a", make("a")) == "A"  # not kept
        one = ["x"]
        assert memo.of("t", (one,), 1, lambda: ["made"]) is not memo.of("t", (one,), 1, lambda: ["made"])
        assert memo.changed("p", "same") and memo.changed("p", "same")  # nothing is known: always new
        assert len(memo) == 0 and memo.hits == memo.misses == 0
    assert made == ["a"] * 6


def test_the_null_memo_renders_every_time() -> None:
    calls: list[str] = []
    render = memo_render(lambda t: calls.append(t) or f"<p>{t}</p>", NO_MEMO, "s")
    assert render("hi") == render("hi") == "<p>hi</p>" and calls == ["hi", "hi"]


def test_memo_changed_compares_with_the_last_build() -> None:
    memo = Memo()
    memo.start_build()
    assert memo.changed("a.md", "A") and memo.changed("b.md", "B")
    memo.start_build()
    assert not memo.changed("a.md", "A")  # equal: unchanged
    assert memo.changed("b.md", "B2")
    memo.start_build()  # a build that generates b.md only
    assert not memo.changed("b.md", "B2")
    memo.start_build()
    assert memo.changed("a.md", "A")  # the last build did not generate a.md: new again


# --- a rebuild generates what a fresh build generates ---------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The repository's demo decisions, committed to git."""
    repo = GitRepo.init(tmp_path / "p")
    shutil.copytree(REPO / "decisions", repo.path / "decisions")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "decisions", date="2025-01-01T10:00:00")
    return repo.path


def _options(root: Path) -> BuildOptions:
    lens, _ = load_lens(None)
    assert lens is not None
    return BuildOptions(
        project_root=root,
        decisions_dir=root / "decisions",
        lens=lens,
        today=dt.date(2026, 1, 1),
        cache_dir=root / ".cache",
        edit_url_base="https://example.org/edit/main/",
    )


def _renderer() -> TextRenderer:
    return TextRenderer(["admonition", "tables"], {}, trusted_html=False)


def _outputs(result) -> tuple[dict[str, str | bytes], list[str]]:
    return {f.path: f.content for f in result.files}, [d.format() for d in result.diagnostics]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _measured(root: Path) -> None:
    """A line appended to an evidence file (as `mkdocs-wa measure` does): the decision's
    YAML is unchanged, its observed value and pages are not."""
    file = root / "decisions/live-video/evidence/VID-0004.jsonl"
    file.parent.mkdir(exist_ok=True)
    with file.open("a", encoding="utf-8") as fh:
        fh.write('{"time": "2025-06-01T12:00:00Z", "metric": "Chat response time", "value": 0.42, "unit": "s", "kind": "file"}\n')


EDITS = {
    # a title shows on other pages: the workload log, the timeline, the next decision
    "title": lambda root: _edit(root / "decisions/live-video/0002-split-chat-from-video.yaml", "title: Split chat", "title: Cut chat"),
    "supersedes": lambda root: _edit(root / "decisions/live-video/0003-video-through-cloudfront.yaml", "supersedes: [VID-0002]", "supersedes: []"),
    "broken": lambda root: _edit(root / "decisions/lab-telemetry/0002-oracle-to-aurora.yaml", "status: ", "status: [unclosed "),
    "removed": lambda root: (root / "decisions/live-video/0004-serverless-chat.yaml").unlink(),
    "evidence": _measured,
    "added": lambda root: (root / "decisions/live-video/0009-extra.yaml").write_text(
        decision_yaml("VID-0009", "An extra decision", workload="live-video", date="2024-06-01"), encoding="utf-8"
    ),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_rebuild_with_the_memo_equals_a_fresh_build(project: Path, edit: str) -> None:
    options, memo = _options(project), Memo()
    renderer = _renderer()

    def rebuild():
        memo.start_build()
        return build(options, memo_render(renderer, memo, renderer.settings), memo)

    first = rebuild()
    assert _outputs(first) == _outputs(build(options, _renderer()))
    EDITS[edit](project)
    again = rebuild()
    assert memo.hits > 0  # the rebuild did reuse work
    assert _outputs(again) == _outputs(build(options, _renderer()))
    assert _outputs(again) != _outputs(first)
    # and a commit (the history moves on) is seen too
    GitRepo(project).git("add", "-A")
    GitRepo(project).git("commit", "-q", "-m", f"edit: {edit}", date="2025-02-01T10:00:00")
    assert _outputs(rebuild()) == _outputs(build(options, _renderer()))


def test_generated_files_know_whether_they_changed(project: Path) -> None:
    options, memo = _options(project), Memo()
    memo.start_build()
    first = build(options, _renderer(), memo)
    assert all(f.changed for f in first.files)
    memo.start_build()
    assert not any(f.changed for f in build(options, _renderer(), memo).files)  # nothing edited
    EDITS["title"](project)
    memo.start_build()
    again = build(options, _renderer(), memo)
    changed = {f.path for f in again.files if f.changed}
    before = {f.path: f.content for f in first.files}
    # exactly the files whose content differs from the last build's
    assert changed == {f.path for f in again.files if before.get(f.path) != f.content}
    assert "architecture/live-video/0002-split-chat-from-video.md" in changed
    assert "architecture/live-video/index.md" in changed  # the workload's log lists the title
    assert not any(p.startswith("architecture/lab-telemetry/") for p in changed)
    # a one-off build (the null memo) knows nothing of an earlier build: everything is new
    assert all(f.changed for f in build(options, _renderer()).files)


def test_unchanged_files_give_the_same_objects(project: Path) -> None:
    options, memo = _options(project), Memo()
    memo.start_build()
    first = build(options, _renderer(), memo)
    EDITS["title"](project)
    memo.start_build()
    second = build(options, _renderer(), memo)
    before, after = first.catalog.by_id(), second.catalog.by_id()
    assert after["VID-0002"] is not before["VID-0002"]
    # VID-0001 is superseded: cross_check gives it a new object each build, kept the same
    assert after["VID-0001"] is before["VID-0001"] and after["VID-0001"].superseded_by == ("VID-0002",)
    assert all(after[i] is before[i] for i in before if i != "VID-0002")


# --- mkdocs build --dirty: only the pages an edit changed are rebuilt -----------------------


def test_dirty_rebuild_renders_only_the_changed_pages(tmp_path: Path) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    root = make_project(
        tmp_path,
        {
            "app/0001-queue.yaml": decision_yaml("APP-0001", "First title"),
            "app/0002-cache.yaml": decision_yaml("APP-0002", "Cache reads", date="2024-02-01"),
            "ops/0001-runbooks.yaml": decision_yaml("OPS-0001", "Runbooks"),
        },
    )
    site = tmp_path / "site"
    cwd = os.getcwd()
    os.chdir(root)
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
        config.plugins.on_startup(command="serve", dirty=True)  # keeps the plugin instance
        mkdocs_build(config, dirty=True)
        pages = {p: site / p for p in ("architecture/app/0001-queue/index.html", "architecture/ops/0001-runbooks/index.html")}
        built = {p: f.stat().st_mtime_ns for p, f in pages.items()}
        _edit(root / "decisions/app/0001-queue.yaml", "First title", "Second title")
        mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)), dirty=True)
    finally:
        config.plugins.on_shutdown()  # as mkdocs serve does: the next build starts afresh
        os.chdir(cwd)
    edited = pages["architecture/app/0001-queue/index.html"]
    assert "Second title" in edited.read_text(encoding="utf-8")
    assert edited.stat().st_mtime_ns > built["architecture/app/0001-queue/index.html"]
    # a page the edit did not change is not rendered again
    assert pages["architecture/ops/0001-runbooks/index.html"].stat().st_mtime_ns == built["architecture/ops/0001-runbooks/index.html"]
    assert "Second title" in (site / "architecture/app/index.html").read_text(encoding="utf-8")
    # generated files stay in memory: nothing is written beside the cache
    assert not (root / ".cache/plugin/well-architected/staged").exists()


def test_a_plain_build_writes_no_generated_file_to_disk(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"app/0001-queue.yaml": decision_yaml("APP-0001", "First title")})
    site = build_in_process(root)
    assert "First title" in (site / "architecture/app/0001-queue/index.html").read_text(encoding="utf-8")
    assert not (root / ".cache/plugin/well-architected/staged").exists()
    assert not list(root.glob("**/0001-queue.md"))


def test_a_rebuild_takes_unchanged_diagrams_from_the_memo(project: Path) -> None:
    options, memo = _options(project), Memo()
    memo.start_build()
    first = build(options, _renderer(), memo)
    assert first.diagrams is not None and first.diagrams.rendered > 0
    shutil.rmtree(project / ".cache" / "diagrams")  # not read again: the memo has them
    EDITS["title"](project)
    memo.start_build()
    again = build(options, _renderer(), memo)
    assert again.diagrams is not None and again.diagrams.rendered == 0
    assert again.diagrams.svgs == first.diagrams.svgs
    assert not (project / ".cache" / "diagrams").exists()


@pytest.mark.parametrize("freeze", [False, True])
def test_serve_freezes_the_garbage_collector_only_when_asked(tmp_path: Path, freeze: bool) -> None:
    """gc.freeze() acts on the whole process: the option serve_freeze_gc opts in."""
    import gc

    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    root = make_project(tmp_path, {"app/0001-queue.yaml": decision_yaml("APP-0001", "First title")},
                        plugin_options={"serve_freeze_gc": True} if freeze else None)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="serve", dirty=False)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    assert gc.get_freeze_count() == 0
    try:
        config.plugins.on_config(config)
        config.plugins.on_serve(server, config=config, builder=lambda: None)
        assert (gc.get_freeze_count() > 0) is freeze
    finally:
        config.plugins.on_shutdown()
        server.server_close()
    assert gc.get_freeze_count() == 0  # undone with the session
