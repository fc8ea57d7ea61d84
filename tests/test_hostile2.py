"""Hostile decisions, round two (issue 20): attacks from outside, with the plugins and
extensions real sites enable.

Every build here runs ``mkdocs build`` in a subprocess with mkdocs-macros,
``pymdownx.snippets``, ``attr_list``, ``abbr``, ``content.tooltips`` and
``navigation.instant`` enabled, and (like ``tests/test_hostile.py``) proves that nothing
outside ``site/`` and ``.cache/`` changed and no code ran.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sites import decision_yaml
from test_hostile import PWNED, live_script, snapshot

SECRET = "AUTHORIZATION: basic c2VjcmV0LXRva2Vu"

#: What real sites enable: template macros, file inclusion, attributes, abbreviations.
EXTENSIONS = [
    "admonition",
    "attr_list",
    "abbr",
    "tables",
    "footnotes",
    {"toc": {"permalink": True}},
    "pymdownx.superfences",
    "pymdownx.details",
    {"pymdownx.snippets": {"base_path": ["."], "check_paths": False}},
]
THEME = {"name": "material", "features": ["content.tooltips", "navigation.instant"]}


def site_config(plugin_options: dict | None = None, *, macros: bool = True) -> dict:
    wa = {"today": "2026-01-01", "history": False, **(plugin_options or {})}
    plugins: list = ["search"]
    if macros:
        plugins.append("macros")
    plugins.append({"well-architected": wa})
    return {"site_name": "Hostile", "theme": THEME, "markdown_extensions": EXTENSIONS, "plugins": plugins}


def write_project(root: Path, decisions: dict[str, str], *, config: dict | None = None, docs: dict[str, str] | None = None) -> Path:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    for rel, text in (docs or {"index.md": "# Home\n\nMacros work here: {{ 6 * 7 }}.\n"}).items():
        path = root / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for rel, text in decisions.items():
        path = root / "decisions" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config or site_config(), sort_keys=False), encoding="utf-8")
    return root


class Built:
    def __init__(self, root: Path, proc: subprocess.CompletedProcess[str]) -> None:
        self.root, self.proc, self.site = root, proc, root / "site"
        self.log = proc.stderr

    @property
    def ok(self) -> bool:
        return self.proc.returncode == 0

    def pages(self) -> list[Path]:
        return sorted((self.site / "architecture").rglob("*.html"))

    def text(self) -> str:
        section = self.site / "architecture"
        return "\n".join(p.read_text("utf-8", "replace") for p in sorted(section.rglob("*")) if p.suffix in (".html", ".svg", ".json"))


def run_build(root: Path, *extra: str, canary: Path | None = None) -> Built:
    """``mkdocs build`` in a subprocess; the project outside site/ and .cache/, and the
    canary folder, must be unchanged afterwards."""
    inside = snapshot(root, skip=("site", ".cache"))
    outside = snapshot(canary) if canary else None
    # No bytecode: a site's own Python (a hook, a custom fence's module) would get a
    # __pycache__ beside it, which is Python's doing, not the build's.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PWNED": str(PWNED), "PYTHONDONTWRITEBYTECODE": "1"}
    args = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site"), *extra]
    proc = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert not PWNED.exists(), "a decision file ran code"
    assert snapshot(root, skip=("site", ".cache")) == inside, "the build changed the project outside site/ and .cache/"
    if canary is not None:
        assert snapshot(canary) == outside, "the build changed files outside the project"
    assert "Traceback" not in proc.stderr, proc.stderr
    return Built(root, proc)


def article(html: str) -> str:
    start = html.index("<article")
    return html[start : html.index("</article>", start)]


# --- 1. template injection through mkdocs-macros -----------------------------------------

JINJA = "{{ 7 * 191 }} {% set n = 6 * 1000 %}{{ n }} {# c #}"


def test_macros_render_nothing_from_a_decision(tmp_path):
    decision = decision_yaml(
        "APP-0001",
        "Title " + JINJA,
        tags=["{{7*191}}", "{%set n=6*1000%}{{n}}"],
        deciders=[JINJA],
        context=f"Context {JINJA}\n\nA code span: `{JINJA}`\n\n```\n{JINJA}\n```\n",
        hypothesis={"statement": JINJA, "metrics": [{"name": "m " + JINJA, "target": "<= 3", "observed": 2, "unit": "ms"}]},
        imported_from={"path": "docs/adr/0001-{{7*191}}.md", "format": "nygard"},
    )
    named = decision_yaml("APP-0002", "Named", date="2024-02-01", supersedes=["APP-0001"])
    decision = decision.replace("status: accepted", "status: superseded")
    root = write_project(tmp_path / "p", {"app/0001-first.yaml": decision, "app/0002-{{7*191}}{%set n=6*1000%}{{n}}.yaml": named},
                         config=site_config({"edit_url_base": "https://example.org/edit/"}))
    built = run_build(root)
    assert built.ok, built.log
    assert "file name should be" in built.log  # the odd name is flagged, and shown inert
    home = (built.site / "index.html").read_text("utf-8")
    assert "Macros work here: 42." in home  # macros is active on the site's own pages
    text = built.text()
    assert "1337" not in text and "6000" not in text, "a macro in a decision was rendered"
    page = (built.site / "architecture/app/0001-first/index.html").read_text("utf-8")
    body = article(page)
    # shown as typed, in every place it went
    import html as h

    shown = h.unescape(re.sub(r"<[^>]+>", "", body))
    assert shown.count("{{ 7 * 191 }}") >= 4, shown
    assert "{{7*191}}" in shown and "{%set n=6*1000%}{{n}}" in shown


def test_generated_pages_hold_no_template_syntax(tmp_path):
    """Even a macros set-up that renders every page finds no ``{{``, ``{%`` or ``{#``."""
    from mkdocs_wa.pipeline.build import BuildOptions, build
    from mkdocs_wa.render.markdown import TextRenderer
    from mkdocs_wa.source.lens import load_lens

    decision = decision_yaml(
        "APP-0001", "T " + JINJA, tags=[JINJA], deciders=[JINJA], context=f"`{JINJA}` {JINJA}",
        hypothesis={"statement": JINJA, "metrics": [{"name": JINJA, "target": "<= 3", "observed": 2}]},
        pillars={"reliability": {"score": 3, "note": JINJA}},
    )
    root = write_project(tmp_path / "p", {"app/0001-first.yaml": decision})
    lens, _ = load_lens(None)
    result = build(
        BuildOptions(root, root / "decisions", lens, diagrams=False, history=False),
        TextRenderer(["tables", "attr_list"], {}, trusted_html=False),
    )
    pages = [f for f in result.files if f.is_page]
    assert pages
    for f in pages:
        assert not re.search(r"\{[{%#]", f.content), (f.path, re.findall(r".{20}\{[{%#].{20}", f.content))


# --- 2. file inclusion through Markdown extensions ---------------------------------------


def test_snippets_do_not_include_files_in_decision_text(tmp_path):
    decision = decision_yaml(context='--8<-- "secret.txt"\n\nInline: ;--8<-- "secret.txt"\n', decision='--8<--\nsecret.txt\n--8<--\n')
    docs = {"index.md": "# Home\n\n--8<-- \"secret.txt\"\n"}  # the site's own pages keep snippets
    root = write_project(tmp_path / "p", {"app/0001-x.yaml": decision}, docs=docs)
    built = run_build(root)
    assert built.ok, built.log
    assert SECRET in (built.site / "index.html").read_text("utf-8")
    assert SECRET not in built.text()
    import json

    index = json.loads((built.site / "search/search_index.json").read_text("utf-8"))["docs"]
    ours = [d for d in index if d["location"].startswith("architecture/")]
    assert ours and not [d["location"] for d in ours if SECRET in d["text"] or SECRET in d["title"]]
    assert any(SECRET in d["text"] for d in index if not d["location"].startswith("architecture/"))
    assert "--8&lt;--" in built.text() or "--8<--" in built.text()


def test_markdown_extensions_option_narrows_the_allow_list(tmp_path):
    from mkdocs_wa.render.markdown import TextRenderer, allowed_extensions

    exts = ["abbr", "attr_list", "pymdownx.snippets", "markdown.extensions.toc", "tables"]
    assert allowed_extensions(exts, {}, None)[0] == ["abbr", "attr_list", "markdown.extensions.toc", "tables"]
    assert allowed_extensions(exts, {}, ["tables"])[0] == ["tables"]
    narrowed = TextRenderer(exts, {}, trusted_html=False, allow=["tables"])
    assert "<abbr" not in narrowed("*[HTML]: Hyper Text\n\nHTML")
    assert "<abbr" in TextRenderer(exts, {}, trusted_html=False)("*[HTML]: Hyper Text\n\nHTML")
    # custom fences of other packages (which may run code) are dropped, pymdownx's own kept
    from pymdownx.superfences import fence_code_format

    def runs_code(*args, **kwargs):  # pragma: no cover - must never be called
        raise AssertionError("a custom fence of another package ran")

    fences = [{"name": "python", "class": "x", "format": runs_code}, {"name": "mermaid", "class": "mermaid", "format": fence_code_format}]
    _, cfg = allowed_extensions(["pymdownx.superfences"], {"pymdownx.superfences": {"custom_fences": fences}})
    assert [f["name"] for f in cfg["pymdownx.superfences"]["custom_fences"]] == ["mermaid"]
    r = TextRenderer(["pymdownx.superfences"], {"pymdownx.superfences": {"custom_fences": fences}}, trusted_html=False)
    assert "print" in r("```python\nprint(1)\n```\n")


# --- 3 and 6. ids the theme looks up, titles the theme turns into HTML ----------------------

CONFIG_JSON = '{"base": "https://evil.example", "features": [], "search": "x", "version": {"provider": "mike"}}'


def test_no_element_takes_the_theme_ids_and_no_title_holds_markup(tmp_path):
    context = (
        f"{CONFIG_JSON}\n{{: #__config }}\n\n"
        "## \\_\\_config\n\n## \\_\\_search\n\n"
        '[x](https://example.org "<img src=x onerror=window.__pwned=1>")\n\n'
        '[y](https://example.org){: title="<img src=x onerror=window.__pwned=2>" }\n\n'
        "*[HTML]: <img src=x onerror=window.__pwned=3>\n\nHTML here.\n\n"
        "[ok](https://example.org \"A plain title\")\n\n"
        "Jump to [the section](#__config). Footnote[^1].\n\n[^1]: The note.\n"
    )
    metrics = [{"name": "__config", "target": "<= 3", "observed": 2}, {"name": "__drawer", "target": "<= 3", "observed": 2}]
    decision = decision_yaml(context=context, hypothesis={"statement": "s", "metrics": metrics})
    second = decision_yaml("APP-0002", "Again", date="2024-02-01", hypothesis={"statement": "s", "metrics": metrics})
    root = write_project(tmp_path / "p", {"app/0001-x.yaml": decision, "app/0002-y.yaml": second})
    built = run_build(root)
    assert built.ok, built.log
    for page in built.pages():
        html = page.read_text("utf-8")
        ids = re.findall(r'\sid="([^"]*)"', html)
        assert ids.count("__config") == 1, (page, ids)  # Material's own, last in the page
        assert ids.count("__search") <= 1 and ids.count("__drawer") <= 1, (page, ids)
        for title in re.findall(r'\stitle="([^"]*)"', article(html)):
            assert "&lt;" not in title and "<" not in title, (page, title)
        assert not live_script(html), (page, live_script(html))
    page = (built.site / "architecture/app/0001-x/index.html").read_text("utf-8")
    assert 'title="A plain title"' in page  # a plain title stays
    assert 'id="wa-__config"' in page and 'href="#wa-__config"' in page  # links follow their ids
    assert re.search(r'id="wa-fn:1"', page) and 'href="#wa-fn:1"' in page
    timeline = (built.site / "architecture/app/timeline/index.html").read_text("utf-8")
    # the metric's chart heading (HTML): an id of the plugin's own, the name as text
    assert re.search(r'<h3 id="wa-[^"]*">__config</h3>', timeline), re.findall(r'id="[^"]*config[^"]*"', timeline)


# --- 4. javascript: past the link check --------------------------------------------------


def test_entity_encoded_schemes_are_refused(tmp_path):
    from mkdocs_wa.text import url

    for bad in ["javascript&#58;alert(1)", "javascript&colon;alert(1)", "java&#x09;script:alert(1)", "javascript&amp;#58;x",
                "jav&#97;script:alert(1)", " JAVASCRIPT&#x3A;alert(1)", "data&colon;text/html,x", "vbscript&#58;x"]:
        assert url(bad) == "", bad
    assert url("https://example.org/a?b=1&c=2") == "https://example.org/a?b=1&c=2"
    assert url("../x.md#a:b") == "../x.md#a:b"

    metrics = [{"name": f"m{i}", "target": "<= 3", "observed": 2, "source": s}
               for i, s in enumerate(["javascript&#58;window.__pwned=1", "javascript&colon;window.__pwned=2"])]
    lens = {"schema": 1, "id": "evil", "name": "Evil lens", "url": "javascript&#58;alert('L-url')",
            "pillars": [{"id": "reliability", "name": "Reliability", "description": "d"}]}
    root = write_project(tmp_path / "p", {"app/0001-x.yaml": decision_yaml(hypothesis={"statement": "s", "metrics": metrics})},
                         config=site_config({"lens": "evil-lens.yaml"}))
    (root / "evil-lens.yaml").write_text(yaml.safe_dump(lens), encoding="utf-8")
    built = run_build(root)
    assert built.ok, built.log
    for page in built.pages():
        assert not live_script(page.read_text("utf-8")), page
    assert "m0" in built.text() and "Evil lens" in built.text()


# --- 5 and 12. writes and deletes through symbolic links -----------------------------------


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim"
    (victim / "architecture" / "app").mkdir(parents=True)
    (victim / "precious.txt").write_text("keep me\n", encoding="utf-8")
    (victim / "architecture" / "app" / "old.md").write_text("keep me too\n", encoding="utf-8")
    (victim / "diagram.svg").write_text("<svg/>", encoding="utf-8")
    os.utime(victim / "diagram.svg", (0, 0))  # older than the cache keeps entries
    return victim


@pytest.mark.parametrize("linked", ["staged", "cache", "section"])
def test_dirty_build_never_deletes_or_writes_through_a_committed_link(tmp_path, linked):
    victim = _victim(tmp_path)
    root = write_project(tmp_path / "p", {"app/0001-x.yaml": decision_yaml()}, config=site_config(macros=False))
    cache = root / ".cache" / "plugin" / "well-architected"
    if linked == "staged":
        cache.mkdir(parents=True)
        (cache / "staged").symlink_to(victim)
    elif linked == "cache":
        cache.parent.mkdir(parents=True)
        cache.symlink_to(victim)
    else:
        (cache / "staged").mkdir(parents=True)
        (cache / "staged" / "architecture").symlink_to(victim / "architecture")
    built = run_build(root, "--dirty", canary=victim)  # the canary: nothing outside changed
    if linked == "cache":  # the diagram cache would lie behind the link: refused
        assert not built.ok
        assert "symbolic link" in built.log, built.log
    else:  # generated files stay in memory: a dirty build writes nothing under the cache
        assert built.ok, built.log
    assert (victim / "precious.txt").read_text("utf-8") == "keep me\n"
    assert (victim / "architecture" / "app" / "old.md").read_text("utf-8") == "keep me too\n"


def test_diagram_cache_behind_a_link_is_not_used(tmp_path):
    victim = _victim(tmp_path)
    arch = {"nodes": [{"id": "web", "type": "aws.compute.EC2"}]}
    root = write_project(tmp_path / "p", {"app/0001-x.yaml": decision_yaml(architecture=arch)}, config=site_config(macros=False))
    cache = root / ".cache" / "plugin" / "well-architected"
    cache.mkdir(parents=True)
    (cache / "diagrams").symlink_to(victim)
    built = run_build(root, canary=victim)
    assert not built.ok  # an error diagnostic: the build fails as for any other error
    assert re.search(r"mkdocs\.yml:0:0: error: the diagram cache .*diagrams is a symbolic link", built.log), built.log


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs_wa", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_new_and_import_refuse_to_write_through_a_linked_folder(tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    root = tmp_path / "p"
    (root / "decisions").mkdir(parents=True)
    (root / "decisions" / "evil").symlink_to(victim)
    adrs = root / "adr"
    adrs.mkdir()
    (adrs / "0001-use-x.md").write_text("# 1. Use X\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n", encoding="utf-8")
    new = _cli(root, "new", "A title", "--workload", "evil")
    assert new.returncode != 0 and "symbolic link" in new.stderr, new.stderr
    imported = _cli(root, "import", "adr", "--workload", "evil")
    assert imported.returncode != 0 and "symbolic link" in imported.stderr, imported.stderr
    linked_root = tmp_path / "q"
    (linked_root).mkdir()
    (linked_root / "decisions").symlink_to(victim)
    assert "symbolic link" in _cli(linked_root, "new", "A title", "--workload", "app").stderr
    assert list(victim.iterdir()) == []
    assert "Traceback" not in new.stderr + imported.stderr
    # a real folder still works
    ok = _cli(root, "new", "A title", "--workload", "app")
    assert ok.returncode == 0, ok.stderr
    assert (root / "decisions" / "app").is_dir() and not (root / "decisions" / "app").is_symlink()


def test_new_refuses_titles_that_are_not_plain_text(tmp_path):
    (tmp_path / "decisions").mkdir()
    bad = subprocess.run([sys.executable, "-m", "mkdocs_wa", "new", b"Caf\xe9 latin-1", "--workload", "app"],
                         cwd=tmp_path, capture_output=True, timeout=120)
    assert bad.returncode != 0 and b"UTF-8" in bad.stderr and b"Traceback" not in bad.stderr, bad.stderr
    rtl = _cli(tmp_path, "new", "Safe \u202eexe.txt", "--workload", "app")
    assert rtl.returncode != 0 and "right-to-left" in rtl.stderr
    assert not (tmp_path / "decisions" / "app").exists() or not list((tmp_path / "decisions" / "app").glob("*.yaml"))


# --- 9. a decision silently replacing a page ---------------------------------------------


def test_a_docs_page_with_the_url_of_a_generated_page_is_an_error_naming_both(tmp_path):
    docs = {"index.md": "# Home\n", "architecture/app.md": "# Mine\n", "architecture.md": "# The code's architecture\n"}
    root = write_project(tmp_path / "p", {"app/0001-x.yaml": decision_yaml()}, config=site_config(macros=False), docs=docs)
    built = run_build(root, "--strict")
    assert not built.ok
    assert re.search(r"architecture\.md \(in docs/\) and the plugin's page architecture/index\.md both give the URL 'architecture/index\.html'", built.log), built.log
    assert re.search(r"architecture/app\.md \(in docs/\) and the plugin's page architecture/app/index\.md both give the URL", built.log), built.log
    # and a decision's own page
    docs = {"index.md": "# Home\n", "architecture/app/0001-x.md": "# Mine\n"}
    root = write_project(tmp_path / "q", {"app/0001-x.yaml": decision_yaml()}, config=site_config(macros=False), docs=docs)
    built = run_build(root)
    assert not built.ok
    assert "architecture/app/0001-x.md (in docs/) and decisions/app/0001-x.yaml both give the URL" in built.log, built.log


def test_decisions_with_the_url_of_another_page_are_validate_errors_naming_both(tmp_path):
    def d(i: str, **extra) -> str:
        return decision_yaml(i, "T", **extra)

    files = {
        "app/0001-x.yaml": d("APP-0001"),
        "app/0001-x.yml": d("APP-0002"),
        "app/nested/0001-x.yaml": d("APP-0003"),
        "app/index.yaml": d("APP-0004"),
        "app/timeline.yaml": d("APP-0005"),
        "loops/0001-a.yaml": d("LOO-0001"),
        "other/0002-b.yaml": d("OTH-0002", workload="loops"),
        "explorer/0001-e.yaml": d("EXP-0001"),
    }
    root = write_project(tmp_path / "p", files, config=site_config(macros=False))
    proc = _cli(root, "validate", "decisions")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "Traceback" not in out
    expected = [
        r"decisions/app/0001-x\.yml:1:1: error: .*URL '<section>/app/0001-x/' of decisions/app/0001-x\.yaml",
        r"decisions/app/nested/0001-x\.yaml:1:1: error: .*URL '<section>/app/0001-x/' of decisions/app/0001-x\.yaml",
        r"decisions/app/index\.yaml:1:1: error: .*URL '<section>/app/' of the decision log of workload 'app'",
        r"decisions/app/timeline\.yaml:1:1: error: .*URL '<section>/app/timeline/' of the evolution timeline of workload 'app'",
        r"decisions/loops/0001-a\.yaml:1:1: error: the workload name 'loops' .* of the feedback-loops page",
        r"decisions/other/0002-b\.yaml:1:1: error: the workload name 'loops' .* of the feedback-loops page",
        r"decisions/explorer/0001-e\.yaml:1:1: error: the workload name 'explorer' .* of the decision explorer",
    ]
    for pattern in expected:
        assert re.search(pattern, out), (pattern, out)
    # the build reports the same, and with on_invalid: skip builds the rest, the first file's page intact
    built = run_build(root)
    assert not built.ok and "decisions/app/0001-x.yml:1:1: error" in built.log
    root2 = write_project(tmp_path / "q", files, config=site_config({"on_invalid": "skip"}, macros=False))
    built = run_build(root2)
    assert built.ok, built.log
    assert "APP-0001" in (built.site / "architecture/app/0001-x/index.html").read_text("utf-8")
    assert "feedback loop" in (built.site / "architecture/loops/index.html").read_text("utf-8").lower()


def test_this_repository_site_has_no_url_collision(tmp_path):
    """The code's architecture page (once docs/architecture.md, the URL of the plugin's
    overview) and the plugin's section: built with --strict, which fails on a clash."""
    repo = Path(__file__).resolve().parent.parent
    docs = {p.relative_to(repo / "docs").as_posix() for p in (repo / "docs").rglob("*.md")}
    assert "architecture.md" not in docs and "architecture/index.md" not in docs
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(repo / "mkdocs.yml"), "-d", str(tmp_path / "site")],
        cwd=repo, capture_output=True, text=True, timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "Architecture of the code" in (tmp_path / "site/code-architecture/index.html").read_text("utf-8")
    assert "well-architected" in (tmp_path / "site/architecture/index.html").read_text("utf-8").lower() or (tmp_path / "site/architecture/loops/index.html").is_file()


# --- 8. numbers that broke the charts ------------------------------------------------------


@pytest.mark.parametrize(
    "observed",
    [(99.99999999999999, 100), (100, 99.99999999999999), (1e308, 1), (1e308, -1e308), (5e-324, 0), (1e300, 1e300)],
)
def test_charts_survive_numbers_at_the_edges(tmp_path, observed):
    def d(i: str, date: str, value: float) -> str:
        metric = {"name": "availability", "unit": "%", "target": "99.9..100", "observed": value}
        return decision_yaml(i, f"Iteration {i}", date=date, hypothesis={"statement": "s", "metrics": [metric]})

    files = {"app/0001-a.yaml": d("APP-0001", "2024-01-01", observed[0]), "app/0002-b.yaml": d("APP-0002", "2024-02-01", observed[1])}
    root = write_project(tmp_path / "p", files, config=site_config(macros=False))
    built = run_build(root)  # a pygal loop would hit the subprocess' time limit
    assert "Traceback" not in built.log
    if any(abs(v) > 1e15 for v in observed):
        # validate refuses what no comparison can hold, so the build stops with that
        # diagnostic (the chart code bounds such values too: test_bounded_chart_values)
        assert "too large to compare" in built.log, built.log
        return
    chart = built.site / "architecture/app/charts"
    svgs = list(chart.glob("*.svg"))
    assert svgs, built.log
    # the timeline's table lists each value as written
    timeline = (built.site / "architecture/app/timeline/index.html").read_text("utf-8")
    assert "Iteration APP-0001" in timeline or "APP-0001" in timeline


def test_bounded_chart_values():
    from mkdocs_wa.render.charts import bounded

    assert bounded(99.99999999999999) == 100.0
    assert bounded(1e308) is None and bounded(float("inf")) is None and bounded(float("nan")) is None
    assert bounded(5e-324) == 0.0 and bounded(None) is None and bounded(12.5) == 12.5


# --- 10, 11, 15. history: size, special files, switched off or faked --------------------

from gitrepo import GitRepo  # noqa: E402


def _history_repo(tmp_path: Path) -> tuple[GitRepo, str]:
    repo = GitRepo.init(tmp_path / "r")
    rel = "decisions/app/0001-x.yaml"
    repo.write(rel, decision_yaml("APP-0001", "First title", status="proposed"))
    repo.commit("create", "2024-01-01")
    repo.write(rel, decision_yaml("APP-0001", "First title", status="accepted"))
    repo.commit("accept", "2024-01-05")
    return repo, rel


def test_a_huge_revision_is_not_read_into_the_history(tmp_path):
    from mkdocs_wa.history.reader import read_history

    repo, rel = _history_repo(tmp_path)
    repo.write(rel, decision_yaml("APP-0001", "x" * 3_000_000, status="accepted"))
    repo.commit("huge title", "2024-01-10")
    repo.write(rel, decision_yaml("APP-0001", "First title", status="accepted"))
    repo.commit("restore", "2024-01-11")
    fh = read_history(repo.path, repo.path / "decisions").of(rel)
    assert [r.subject for r in fh.revisions] == ["create", "accept", "huge title", "restore"]
    huge = fh.revisions[2]
    assert not huge.readable and huge.text == "" and [c.kind for c in huge.changes] == ["unreadable"]
    assert fh.revisions[3].readable and not any(len(str(c)) > 10_000 for r in fh.revisions for c in r.changes)


def test_gitattributes_cannot_switch_the_history_off(tmp_path):
    from mkdocs_wa.history.reader import read_history

    repo, rel = _history_repo(tmp_path)
    repo.write(".gitattributes", "*.yaml -diff\n*.yml binary\n")
    repo.commit("attributes", "2024-01-06")
    fh = read_history(repo.path, repo.path / "decisions").of(rel)
    assert all(r.readable for r in fh.revisions), [(r.subject, r.changes) for r in fh.revisions]
    assert [c.new for r in fh.revisions for c in r.changes if c.kind == "status"][-1] == "accepted"


def test_files_named_like_a_git_dir_among_decisions_do_not_make_the_repository_bare(tmp_path):
    from mkdocs_wa.history.reader import read_history

    repo, rel = _history_repo(tmp_path)
    repo.write("decisions/HEAD", "ref: refs/heads/main\n")
    repo.write("decisions/objects/.keep", "")
    repo.write("decisions/refs/.keep", "")
    repo.commit("look bare", "2024-01-07")
    history = read_history(repo.path, repo.path / "decisions")
    assert history.available, history.warning
    assert len(history.of(rel).committed) == 2


def test_imported_from_must_name_a_markdown_file_outside_the_decisions(tmp_path):
    from mkdocs_wa.history.reader import read_history
    from mkdocs_wa.source.lens import load_lens
    from mkdocs_wa.source.validate import load_catalog

    repo, rel = _history_repo(tmp_path)
    other = "decisions/app/0002-y.yaml"
    for name, path in [("0003-dot", "."), ("0004-other", "decisions/app/0001-x.yaml"), ("0005-up", "../../etc/passwd.md"),
                       ("0006-inside", "decisions/app/adr.md"), ("0007-ok", "docs/adr/0001-x.md")]:
        n = name[:4]
        repo.write(f"decisions/app/{name}.yaml", decision_yaml(f"APP-{n}", "T", imported_from={"path": path, "format": "nygard"}))
    repo.write(other, decision_yaml("APP-0002", "Y"))
    repo.commit("more", "2024-02-01")
    catalog, diags = load_catalog([repo.path / "decisions"], load_lens(None)[0], display=lambda p: p.relative_to(repo.path).as_posix())
    warned = {d.path for d in diags if "imported_from.path" in d.message or "its history is not read" in d.message}
    assert warned == {f"decisions/app/{n}.yaml" for n in ("0003-dot", "0004-other", "0005-up", "0006-inside")}, diags
    by_id = catalog.by_id()
    assert by_id["APP-0007"].imported_history_path == "docs/adr/0001-x.md"
    assert all(by_id[f"APP-{n}"].imported_history_path is None for n in ("0003", "0004", "0005", "0006"))
    # "." never reaches git: the history of 0004 is its own, not 0001's
    history = read_history(repo.path, repo.path / "decisions", extra_paths=[d.imported_history_path for d in catalog.decisions if d.imported_history_path])
    assert [r.subject for r in history.of("decisions/app/0004-other.yaml", by_id["APP-0004"].imported_history_path).revisions] == ["more"]


def test_special_files_among_the_decisions_are_skipped_not_read(tmp_path):
    """A FIFO would hang every reader; a link to /dev/zero would fill the memory."""
    from mkdocs_wa.history.reader import read_history

    repo, rel = _history_repo(tmp_path)
    os.mkfifo(repo.path / "decisions/app/0002-fifo.yaml")
    (repo.path / "decisions/app/0003-zero.yaml").symlink_to("/dev/zero")
    history = read_history(repo.path, repo.path / "decisions")  # returns: no read blocks
    assert len(history.of(rel).committed) == 2
    root = repo.path
    (root / "mkdocs.yml").write_text(yaml.safe_dump(site_config(macros=False)), encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs/index.md").write_text("# Home\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(root / "site")], cwd=root, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert "Traceback" not in proc.stderr
    assert "0002-fifo.yaml:0:0: error: is not a regular file" in proc.stderr, proc.stderr
    assert "0003-zero.yaml:0:0: error: symbolic link leads out of" in proc.stderr, proc.stderr
    # the import skips a FIFO with one line in its report
    adr = root / "adr"
    adr.mkdir()
    os.mkfifo(adr / "0001-fifo.md")
    (adr / "0002-use-x.md").write_text("# 2. Use X\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n", encoding="utf-8")
    imported = _cli(root, "import", "adr", "--workload", "imp", "--dry-run")
    assert "Traceback" not in imported.stderr, imported.stderr
    assert imported.stdout.count("not a regular file") == 1, imported.stdout


# --- 13. far dates, forged commit times ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_far_dates_are_diagnostics_in_every_format(tmp_path, fmt):
    text = decision_yaml(date="9999-12-31", hypothesis={"statement": "s", "metrics": [{"name": "m", "target": "<= 1"}]})
    (tmp_path / "decisions/app").mkdir(parents=True)
    (tmp_path / "decisions/app/0001-far.yaml").write_text(text, encoding="utf-8")
    proc = _cli(tmp_path, "validate", "decisions", "--format", fmt)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "9999-12-31" in proc.stdout and "plausible date" in proc.stdout, proc.stdout
    if fmt == "json":
        import json

        assert json.loads(proc.stdout)[0]["line"] == 5


def test_the_build_reports_a_far_date_instead_of_crashing(tmp_path):
    root = write_project(tmp_path / "p", {"app/0001-far.yaml": decision_yaml(date="9999-12-31")}, config=site_config(macros=False))
    built = run_build(root)
    assert not built.ok and "decisions/app/0001-far.yaml:5:7: error: '9999-12-31' is not a plausible date" in built.log, built.log


def test_a_forged_commit_time_does_not_crash_diff(tmp_path):
    repo = GitRepo.init(tmp_path / "r")
    repo.write("decisions/app/0001-x.yaml", decision_yaml())
    repo.commit("base", "2024-01-01")
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    raw = f"tree {tree}\nauthor A <a@x> 99999999999999999999 +0000\ncommitter A <a@x> 99999999999999999999 +0000\n\nforged\n"
    forged = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--literally", "--stdin"], cwd=repo.path, input=raw,
                            capture_output=True, text=True, check=True).stdout.strip()
    repo.git("update-ref", "refs/tags/forged", forged)
    repo.write("decisions/app/0002-y.yaml", decision_yaml("APP-0002", "Second"))
    proc = _cli(repo.path, "diff", "--base", "forged")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "APP-0002" in proc.stdout


# --- 14. what diff and the import print ------------------------------------------------------


def test_diff_output_mentions_no_one_links_nothing_and_sends_no_escapes(tmp_path):
    repo = GitRepo.init(tmp_path / "r")
    repo.write("decisions/app/0001-x.yaml", decision_yaml())
    repo.commit("base", "2024-01-01")
    repo.tag("base")
    title = "Ping @octocat and @org/security-team see https://evil.example/x www.evil.example \x1b]0;pwned\x07\x1b[2J done"
    repo.write("decisions/app/0002-y.yaml", decision_yaml("APP-0002", title, tags=["\x1b[31mred"]))
    proc = _cli(repo.path, "diff", "--base", "base")
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr
    assert "octocat" in out and "evil.example" in out  # still shown
    assert not re.search(r"(?<![\w\u2060])@[A-Za-z0-9]", out), out
    assert "https://" not in out and "www.evil" not in out
    assert "\x1b" not in out and "\x07" not in out
    jproc = _cli(repo.path, "diff", "--base", "base", "--format", "json")
    assert "\x1b" not in jproc.stdout and "\\u001b" in jproc.stdout  # JSON escapes it


def test_import_report_sends_no_terminal_escapes(tmp_path):
    adr = tmp_path / "adr"
    adr.mkdir()
    (adr / "0001-use-x.md").write_text(
        "# 1. Use X \x1b]0;pwned\x07\x1b[2J\u202e\n\nDate: 2024-01-01\n\n## Status\n\nAccepted \x1b[31m\n\n## Context\n\nc\n\n"
        "## Decision\n\nd\n\n## Consequences\n\ne\n", encoding="utf-8")
    proc = _cli(tmp_path, "import", "adr", "--workload", "app", "--dry-run")
    assert "Traceback" not in proc.stderr, proc.stderr
    for stream in (proc.stdout, proc.stderr):
        assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream
    assert "Use X" in proc.stdout


# --- 16. huge values, remote images, bidi overrides, "#" in names ----------------------------


def test_error_messages_do_not_repeat_huge_values():
    from mkdocs_wa.diagnostics import MAX_MESSAGE, error

    d = error("x.yaml", 1, 1, "value '" + "A" * 200_000 + "' is wrong")
    assert len(d.message) < MAX_MESSAGE + 80 and d.message.startswith("value 'AAA") and d.message.endswith("' is wrong")


def test_remote_images_bidi_overrides_and_hash_in_file_names(tmp_path):
    context = "![pixel](https://tracker.example/p.gif?u=1) ![proto](//tracker.example/q.gif) ![local](../img/x.png)\n"
    files = {
        "app/0001-a#b.yaml": decision_yaml("APP-0001", "Invoice \u202egpj.exe", context=context),
        "app/0002-c.yaml": decision_yaml("APP-0002", "Second", date="2024-02-01", supersedes=["APP-0001"]),
    }
    files["app/0001-a#b.yaml"] = files["app/0001-a#b.yaml"].replace("status: accepted", "status: superseded")
    root = write_project(tmp_path / "p", files, config=site_config(macros=False))
    built = run_build(root)
    assert built.ok, built.log
    text = "\n".join(p.read_text("utf-8") for p in built.pages())
    # a remote image is a link to it, never loaded with the page; a local one stays
    assert not re.search(r"<img[^>]*tracker\.example", text), re.findall(r"<img[^>]*>", text)
    assert '<a href="https://tracker.example/p.gif?u=1" rel="noopener noreferrer nofollow">pixel</a>' in text.replace("&amp;", "&")
    assert re.search(r'<img alt="local" src="[^"]*img/x\.png"', text)
    assert "\u202e" not in text and "Invoice gpj.exe" in text
    page = built.site / "architecture/app/0001-a#b/index.html"
    assert page.is_file(), sorted(p.name for p in (built.site / "architecture/app").iterdir())
    second = (built.site / "architecture/app/0002-c/index.html").read_text("utf-8")
    assert "0001-a%23b/" in second and "0001-a#b/" not in second


# --- 3 and 6 in a real browser: no script on load, none on hover ----------------------------


@pytest.mark.browser
def test_theme_config_and_tooltips_run_no_script_in_a_browser(tmp_path, chromium):
    from browser import Watch, serve

    evil_config = '{"base": "https://evil.example", "features": [], "search": "x", "version": {"provider": "mike"}}'
    context_md = (
        f"{evil_config}\n{{: #__config }}\n\n## \\_\\_config\n\n"
        '[hover me](https://example.org/a "<img src=x onerror=window.__pwned=1>")\n\n'
        '[hover too](https://example.org/b){: title="<img src=x onerror=window.__pwned=2>" }\n\n'
        "*[HTML]: <img src=x onerror=window.__pwned=3>\n\nHTML here.\n"
    )
    metrics = [{"name": "__config", "target": "<= 3", "observed": 2}]
    files = {
        "app/0001-x.yaml": decision_yaml(context=context_md, hypothesis={"statement": "s", "metrics": metrics}),
        "app/0002-y.yaml": decision_yaml("APP-0002", "Again", date="2024-02-01", hypothesis={"statement": "s", "metrics": metrics}),
    }
    root = write_project(tmp_path / "p", files)
    built = run_build(root)
    assert built.ok, built.log
    dialogs: list[str] = []
    with serve(built.site) as base:
        context = chromium.new_context()
        try:
            for page in ("architecture/app/0001-x/", "architecture/app/timeline/"):
                tab = context.new_page()
                tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                watch = Watch(base).attach(tab)
                tab.goto(base + page, wait_until="networkidle")
                # Material found its own configuration: its scripts ran (the header search works)
                assert tab.evaluate("document.querySelector('#__config').tagName") == "SCRIPT", page
                assert tab.evaluate("JSON.parse(document.querySelector('#__config').textContent).base") != "https://evil.example"
                if page.endswith("0001-x/"):
                    for selector in ("a[href='https://example.org/a']", "a[href='https://example.org/b']", "abbr"):
                        tab.hover(selector)
                        tab.wait_for_timeout(400)  # Material shows tooltips after a delay
                assert tab.evaluate("window.__pwned") is None, page
                assert not [u for u in watch.external if "evil.example" in u], watch.external
                assert not watch.console_errors, watch.console_errors
                tab.close()
        finally:
            context.close()
    assert not dialogs, dialogs


def test_macros_render_nothing_from_git_tags_messages_and_authors(tmp_path):
    repo = GitRepo.init(tmp_path / "r")
    root = write_project(repo.path, {"app/0001-x.yaml": decision_yaml(status="proposed")}, config=site_config({"history": True}))
    repo.commit("create {{ 7 * 191 }}", "2024-01-01", author="Mallory {% set n = 6 * 1000 %}{{ n }} <m@example.com>")
    (root / "decisions/app/0001-x.yaml").write_text(decision_yaml(status="accepted"), encoding="utf-8")
    repo.commit("accept {# c #}", "2024-01-05")
    repo.tag("v{{7+1330}}")
    built = run_build(root)
    assert built.ok, built.log
    text = built.text()
    assert "1337" not in text and "6000" not in text, "a macro in git text was rendered"
    import html as h

    page = h.unescape((built.site / "architecture/app/0001-x/index.html").read_text("utf-8"))
    assert "v{{7+1330}}" in page and "{{ 7 * 191 }}" in page


def test_markdown_extensions_option_in_a_build(tmp_path):
    decision = decision_yaml(context="*[HTML]: Hyper Text Markup Language\n\nHTML here.\n\n--8<-- \"secret.txt\"\n")
    default = run_build(write_project(tmp_path / "a", {"app/0001-x.yaml": decision}, config=site_config(macros=False)))
    narrow = run_build(write_project(tmp_path / "b", {"app/0001-x.yaml": decision},
                                     config=site_config({"markdown_extensions": ["tables"]}, macros=False)))
    wide = run_build(write_project(tmp_path / "c", {"app/0001-x.yaml": decision},
                                   config=site_config({"markdown_extensions": ["abbr", "pymdownx.snippets"]}, macros=False)))
    page = "architecture/app/0001-x/index.html"
    assert all(b.ok for b in (default, narrow, wide)), (default.log, narrow.log, wide.log)
    assert "<abbr" in (default.site / page).read_text("utf-8") and SECRET not in default.text()
    assert "<abbr" not in (narrow.site / page).read_text("utf-8")
    assert SECRET in (wide.site / page).read_text("utf-8")  # widened on purpose: trusted authors only


def test_decision_text_never_reaches_a_custom_fence_of_the_site(tmp_path):
    """A code fence in a decision's code block ends up, as HTML, in the generated page,
    which MkDocs renders as Markdown again: superfences' preprocessor runs before raw HTML
    is set aside, and a custom fence (markdown-exec and the like) runs code."""
    context = "Look:\n\n    before\n\n    ```exec\n    pwn\n    ```\n\n    ~~~exec\n    pwn\n    ~~~\n\n\\`\\`\\`exec\n"
    root = write_project(tmp_path / "p", {"app/0001-x.yaml": decision_yaml(context=context)},
                         config=site_config(macros=False), docs={"index.md": "# Home\n\n```exec\nhello\n```\n"})
    (root / "fence_runner.py").write_text(
        "import os\n\n"
        "def run(source, language, class_name, options, md, **kwargs):\n"
        "    if 'pwn' in source:\n"
        "        open(os.environ['PWNED'], 'w').close()\n"
        "    return '<pre>RAN ' + source + '</pre>'\n",
        encoding="utf-8",
    )
    config = (root / "mkdocs.yml").read_text("utf-8").replace(
        "- pymdownx.superfences\n",
        "- pymdownx.superfences:\n    custom_fences:\n    - name: exec\n      class: exec\n"
        "      format: !!python/name:fence_runner.run\n",
    )
    assert "fence_runner" in config
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    built = run_build(root)  # asserts the fence did not run on decision text (no PWNED file)
    assert built.ok, built.log
    assert "RAN hello" in (built.site / "index.html").read_text("utf-8")  # the site's own pages keep it
    assert "RAN" not in built.text()
    assert "```exec" in __import__("html").unescape((built.site / "architecture/app/0001-x/index.html").read_text("utf-8"))
