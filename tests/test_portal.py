"""The organisation portal: exports of real git repositories, published by real MkDocs
builds (one on its "Pages" site, one as a `mkdocs-wa export` artifact), served over HTTP
on 127.0.0.1 and merged by a real MkDocs build of a portal; failing and hostile sources.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
import yaml
from browser import IMAGES_JS, Watch, broken_links, generated_pages, serve
from gitrepo import GitRepo
from jsonschema import Draft202012Validator
from sites import build, decision_yaml, read
from tools import venv_env

from mkdocs_wa.portal.build import PortalOptions, build_portal
from mkdocs_wa.portal.read import ExportError, parse_export
from mkdocs_wa.portal.sources import SourceSpec, load
from mkdocs_wa.render.export import export_schema
from mkdocs_wa.render.markdown import TextRenderer

TODAY = "2026-01-01"

ARCH = {
    "nodes": [
        {"id": "web", "type": "aws.network.ELB", "label": "Load balancer"},
        {"id": "app", "type": "aws.compute.EC2", "label": "App"},
    ],
    "edges": [{"from": "web", "to": "app"}],
}

HOSTILE = '<script>alert("x")</script><img src=x onerror="window.__pwned=1">'


def _repo(root: Path, *, site_url: str, title: str, prefix: str = "VID", review_by: str = "2025-03-01") -> GitRepo:
    """A repository with its own site: two decisions (the same ids in every repository),
    committed on two days, the first with a diagram and an overdue feedback loop."""
    repo = GitRepo.init(root)
    config = {
        "site_name": f"{title} architecture",
        "site_url": site_url,
        "repo_url": f"https://git.example.com/{root.name}",
        "edit_uri": "edit/main/docs/",
        "theme": {"name": "material"},
        "plugins": ["search", {"well-architected": {"today": TODAY}}],
    }
    repo.write("mkdocs.yml", yaml.safe_dump(config, sort_keys=False))
    repo.write("docs/index.md", f"# {title}\n")
    repo.write(
        "decisions/video/0001-split.yaml",
        decision_yaml(
            f"{prefix}-0001", title=f"{title}: split chat from video", status="proposed", date="2025-01-10",
            context="Chat stalls when video saturates the hosts.",
            hypothesis={"statement": "Chat stays responsive.", "review_by": review_by,
                        "metrics": [{"name": "Chat response", "unit": "s", "baseline": 10, "target": "<= 1"}]},
            pillars={"reliability": {"score": 3}, "performance-efficiency": {"score": 2}},
            architecture=ARCH,
        ),
    )
    repo.commit("Propose the split", "2025-01-10")
    text = repo.read("decisions/video/0001-split.yaml").replace("status: proposed", "status: accepted")
    repo.write("decisions/video/0001-split.yaml", text)
    repo.write(
        "decisions/video/0002-cdn.yaml",
        decision_yaml(f"{prefix}-0002", title=f"{title}: video through a CDN", date="2025-02-01",
                      hypothesis={"statement": "Start time drops.",
                                  "metrics": [{"name": "Start time", "unit": "s", "baseline": 4, "target": "<= 2",
                                               "observed": 1.5}]},
                      result={"outcome": "confirmed", "measured_on": "2025-03-01"},
                      pillars={"reliability": {"score": 4}}),
    )
    repo.commit("Accept the split; a CDN", "2025-02-01")
    return repo


def _mkdocs_build(root: Path, *, strict: bool = True) -> subprocess.CompletedProcess[str]:
    result = build(root, strict=strict)
    return result


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the test's folder, plus a source that answers too slowly."""

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/slow/"):
            time.sleep(3)
        elif self.path.startswith("/drip/"):  # every read gets a byte in time; the whole never ends in time
            self.send_response(200)
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
            return
        elif self.path.startswith("/redirect/"):
            self.send_response(302)
            self.send_header("Location", "http://example.com/decisions.json")
            self.end_headers()
            return
        super().do_GET()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    """Two repositories' exports on an HTTP server on 127.0.0.1: team-a's from its built
    site (``site/architecture/decisions.json``, diagrams beside it), team-b's from
    ``mkdocs-wa export``; and the hostile or broken sources the tests name."""
    base = tmp_path_factory.mktemp("portal")
    www = base / "www"
    www.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(www)))
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"

    a = _repo(base / "team-a", site_url=f"{url}/team-a/", title="Team A")
    done = _mkdocs_build(a.path, strict=False)  # not strict: VID-0001's loop is overdue (a warning)
    assert done.returncode == 0, done.stderr
    (www / "team-a").symlink_to(a.path / "site")  # "GitHub Pages" of team A

    b = _repo(base / "team-b", site_url="https://team-b.example.com/", title="Team B")
    done = subprocess.run([sys.executable, "-m", "mkdocs_wa", "export", "export"], check=False, cwd=b.path, env=venv_env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (www / "team-b").symlink_to(b.path / "export")  # "an artifact" of team B

    good = json.loads((b.path / "export" / "decisions.json").read_text("utf-8"))
    broken = www / "broken"
    broken.mkdir()
    (broken / "decisions.json").write_text('{"format": "mkdocs-wa-export", "version": 2,', "utf-8")
    invalid = dict(good, decisions=[dict(good["decisions"][0], status="maybe")])
    (www / "invalid").mkdir()
    (www / "invalid" / "decisions.json").write_text(json.dumps(invalid), "utf-8")
    hostile = json.loads(json.dumps(good))
    hostile["decisions"][0]["title"] = HOSTILE
    hostile["decisions"][0]["context"] = f"Look: {HOSTILE} [x](javascript:alert(1))"
    (www / "hostile").mkdir()
    (www / "hostile" / "decisions.json").write_text(json.dumps(hostile), "utf-8")
    rel = good["decisions"][0]["diagram"]
    (www / "hostile" / rel).parent.mkdir(parents=True)
    (www / "hostile" / rel).write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "utf-8")
    (www / "big").mkdir()
    (www / "big" / "decisions.json").write_text(json.dumps(dict(good, padding="x" * 300_000)), "utf-8")
    (www / "slow").mkdir()
    (www / "slow" / "decisions.json").write_text(json.dumps(good), "utf-8")
    yield {"url": url, "base": base, "www": www, "a": a, "b": b}
    server.shutdown()
    server.server_close()


def _portal(root: Path, sources: list, **options: object) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    config = {
        "site_name": "Our organisation",
        "theme": {"name": "material", "font": False, "features": ["content.action.edit"]},
        "plugins": ["search", {"well-architected-portal": {"today": TODAY, "sources": sources, **options}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Portal home\n", "utf-8")
    return root


def test_exports_are_version_2_and_valid(served) -> None:
    validator = Draft202012Validator(export_schema(2), format_checker=Draft202012Validator.FORMAT_CHECKER)
    for path in (served["a"].path / "site/architecture/decisions.json", served["b"].path / "export/decisions.json"):
        data = json.loads(path.read_text("utf-8"))
        validator.validate(data)
        assert data["version"] == 2
        first = data["decisions"][0]
        assert first["diagram"] == "video/diagrams/0001-split.svg"
        assert (path.parent / first["diagram"]).read_text("utf-8").rstrip().endswith("</svg>")
        assert [r["subject"] for r in first["history"]] == ["Propose the split", "Accept the split; a CDN"]
        assert first["history"][1]["fields"]["status"] == "accepted"
    b = json.loads((served["b"].path / "export/decisions.json").read_text("utf-8"))
    assert b["repository"]["repo_url"] == "https://git.example.com/team-b"
    assert b["repository"]["site_url"] == "https://team-b.example.com/architecture/"
    assert b["decisions"][0]["edit_url"] == "https://git.example.com/team-b/edit/main/decisions/video/0001-split.yaml"


def test_portal_merges_repositories_with_the_same_ids(served, tmp_path: Path) -> None:
    url = served["url"]
    root = _portal(tmp_path / "portal", [
        {"url": f"{url}/team-a/architecture/decisions.json", "name": "team-a", "team": "Video"},
        {"url": f"{url}/team-b/decisions.json", "name": "team-b", "team": "Edge"},
    ])
    done = _mkdocs_build(root)
    assert done.returncode == 0, done.stderr
    site = root / "site"
    a = read(site, "portal/team-a/video/0001-split/index.html")
    b = read(site, "portal/team-b/video/0001-split/index.html")
    assert "VID-0001 · Team A: split chat from video" in a and "VID-0001 · Team B: split chat from video" in b
    # The same pages as the repository's own site: history from git, the diagram, the loop notice.
    assert "Propose the split" in a and "overdue" in a.lower()
    assert 'src="../diagrams/0001-split.svg"' in a
    assert read(site, "portal/team-a/video/diagrams/0001-split.svg").rstrip().endswith("</svg>")
    assert read(site, "portal/team-b/video/timeline/index.html")
    assert 'href="https://git.example.com/team-b/edit/main/decisions/video/0001-split.yaml"' in b
    # Material's edit button, too: the file in team B's repository (not the portal's).
    assert b.count('href="https://git.example.com/team-b/edit/main/decisions/video/0001-split.yaml"') == 2
    board = read(site, "portal/index.html")
    assert "2 repositories" in board and "Video" in board and "Edge" in board
    assert board.count("1 of 2") == 2  # hypotheses confirmed, per workload
    assert 'href="team-a/video/"' in board and 'href="team-b/"' in board
    assert f'href="{url}/team-a/architecture/"' in board  # back to team A's own site
    overview = read(site, "portal/team-a/index.html")
    assert "team-a: architecture review" in overview and "https://git.example.com/team-a" in overview
    # One search over everything.
    index = json.loads(read(site, "search/search_index.json"))
    titles = " ".join(doc["title"] for doc in index["docs"])
    assert "Team A: split chat from video" in titles and "Team B: split chat from video" in titles


def test_more_repositories_than_nav_repositories_are_reached_from_the_front_page(served, tmp_path: Path) -> None:
    url = served["url"]
    root = _portal(tmp_path / "portal", [
        {"url": f"{url}/team-a/architecture/decisions.json", "name": "team-a"},
        {"url": f"{url}/team-b/decisions.json", "name": "team-b"},
    ], nav_repositories=1)
    done = _mkdocs_build(root)  # --strict: no page reported missing from the navigation
    assert done.returncode == 0, done.stderr
    site = root / "site"
    for page in ("portal/index.html", "portal/team-a/index.html", "portal/team-b/video/0001-split/index.html"):
        html = read(site, page)
        nav = html[html.index("md-nav--primary") : html.index('class="md-content"')]
        base = "http://site/" + page
        targets = {urllib.parse.urljoin(base, h)[len("http://site/"):].removesuffix("index.html") for h in re.findall(r'<a href="([^"#]*)', nav)}
        assert not {t for t in targets if t.startswith(("portal/team-a/", "portal/team-b/"))} - {page[: -len("index.html")]}, page
        assert "md-nav__item--active" in nav, page  # the front page: the current place
    b = read(site, "portal/team-b/video/0001-split/index.html")
    assert "VID-0001 · Team B: split chat from video" in b
    board = read(site, "portal/index.html")
    assert 'href="team-a/' in board and 'href="team-b/' in board


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("missing/decisions.json", "HTTP 404"),
        ("slow/decisions.json", "timed out after 1 s"),
        ("big/decisions.json", "larger than the limit"),
        ("broken/decisions.json", "not JSON"),
        ("invalid/decisions.json", "invalid export (schema version 2) at /decisions/0/status"),
    ],
)
def test_a_failing_source_costs_only_itself(served, tmp_path: Path, source: str, expected: str) -> None:
    url = served["url"]
    sources = [f"{url}/{source}", {"url": f"{url}/team-b/decisions.json", "name": "team-b"}]
    root = _portal(tmp_path / "portal", sources, timeout=1, max_bytes=200_000)
    done = _mkdocs_build(root, strict=False)
    assert done.returncode == 0, done.stderr
    log = done.stderr
    assert f"{url}/{source}" in log and expected in log, log
    assert (root / "site/portal/team-b/video/0001-split/index.html").is_file()
    assert expected.split(" at ")[0] in read(root / "site", "portal/index.html")  # readers see what is missing
    strict = _mkdocs_build(root, strict=True)
    assert strict.returncode != 0 and "in strict mode" in strict.stdout + strict.stderr, strict.stderr


def test_hostile_export_is_escaped_and_its_svg_left_out(served, tmp_path: Path) -> None:
    url = served["url"]
    root = _portal(tmp_path / "portal", [{"url": f"{url}/hostile/decisions.json", "name": "hostile"}])
    done = _mkdocs_build(root, strict=False)
    assert done.returncode == 0, done.stderr
    assert "the diagram video/diagrams/0001-split.svg of VID-0001 is left out: the drawing contains a <script> element" in done.stderr
    site = root / "site"
    page = read(site, "portal/hostile/video/0001-split/index.html")
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "javascript:alert" not in page
    assert not (site / "portal/hostile/video/diagrams/0001-split.svg").exists()
    assert "<script>alert" not in read(site, "portal/index.html")


def test_plain_http_elsewhere_and_traversal_are_refused(served, tmp_path: Path) -> None:
    good = (served["b"].path / "export/decisions.json").read_text("utf-8")
    by_diagram = json.loads(good)
    by_diagram["decisions"][1]["diagram"] = "video/../../../secret.svg"
    by_workload = json.loads(good)
    by_workload["decisions"][0]["workload"] = "../../etc"
    for name, data in (("by-diagram", by_diagram), ("by-workload", by_workload)):
        (tmp_path / "exports" / name).mkdir(parents=True)
        (tmp_path / "exports" / name / "decisions.json").write_text(json.dumps(data), "utf-8")
    root = _portal(tmp_path / "portal", ["http://example.com/decisions.json", "../exports"])
    done = _mkdocs_build(root, strict=False)
    log = done.stderr.replace(str(tmp_path), "T")
    assert done.returncode == 0, log
    assert "http://example.com/decisions.json:0:0: error: source 'example' failed: plain HTTP is refused" in log
    # A diagram path out of the export's folder fails the schema: the file, its line, the entry.
    assert "T/exports/by-diagram/decisions.json:" in log and "at /decisions/1/diagram: " in log, log
    # A workload name that would leave the portal's folder costs that decision only.
    assert "T/exports/by-workload/decisions.json:" in log and "decision VID-0001 left out: the workload name '../../etc'" in log
    site = root / "site"
    assert not list(tmp_path.glob("**/etc"))
    assert "VID-0002" in read(site, "portal/by-workload/video/0002-cdn/index.html")
    assert not (site / "portal/by-diagram").exists()


def test_a_schema_error_names_the_line_of_its_decision(served) -> None:
    text = (served["b"].path / "export/decisions.json").read_text("utf-8")
    broken = text.replace('"status": "accepted"', '"status": 7', 1)
    with pytest.raises(ExportError) as caught:
        parse_export(broken, "https://team-b.example.com/architecture/decisions.json")
    [problem] = caught.value.diagnostics
    line = next(i for i, row in enumerate(broken.split("\n"), 1) if '"status": 7' in row)
    assert (problem.path, problem.line, problem.col) == ("https://team-b.example.com/architecture/decisions.json", line, 5)
    assert "at /decisions/0/status" in problem.message
    with pytest.raises(ExportError, match="version '7' is not one this mkdocs-wa reads"):
        parse_export('{"format": "mkdocs-wa-export", "version": 7}', "x")
    with pytest.raises(ExportError, match="not an mkdocs-wa export"):
        parse_export("[1, 2]", "x")


RECIPES = Path(__file__).resolve().parent.parent / "docs" / "recipes" / "portal"


def _run_steps(recipe: str, cwd: Path, before_gh=None) -> None:
    """Run the recipe's shell steps for real, except what needs GitHub's runners: apt-get
    and pip (set up here already) and `gh` (replaced by ``before_gh``: what it downloads)."""
    workflow = yaml.safe_load((RECIPES / recipe).read_text("utf-8"))
    [job] = [j for j in workflow["jobs"].values() if any("run" in s for s in j.get("steps", []))]
    for step in job["steps"]:
        if "run" not in step:
            continue
        lines = [x for x in step["run"].splitlines() if not x.strip().startswith(("sudo apt-get", "pip install"))]
        if any(x.strip().startswith("gh ") for x in lines):
            lines = [x for x in lines if not x.strip().startswith("gh ")]
            if before_gh is not None:
                before_gh()
        script = "\n".join(lines).strip()
        if not script:
            continue
        done = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env={**venv_env(), "NO_MKDOCS_2_WARNING": "1"},
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, f"{recipe}: {script}\n{done.stdout}\n{done.stderr}"


def test_ci_recipe_runs_offline(served, tmp_path: Path) -> None:
    """The two workflows of docs/recipes/portal/: each team's (site + export artifact),
    then the portal's (one team from its Pages site over HTTP, one from its artifact)."""
    www, url = served["www"], served["url"]
    pages = _repo(tmp_path / "payments", site_url=f"{url}/payments/", title="Payments", prefix="PAY", review_by="2026-06-01")
    billing = _repo(tmp_path / "billing", site_url="https://billing.example.com/", title="Billing", review_by="2026-06-01")
    for repo in (pages, billing):
        _run_steps("github-export.yml", repo.path)
        assert (repo.path / "site/architecture/decisions.json").is_file()
        assert (repo.path / "decisions-export/decisions.json").is_file()
    (www / "payments").symlink_to(pages.path / "site")  # deployed to Pages
    portal_root = _portal(tmp_path / "portal", [
        {"url": f"{url}/payments/architecture/decisions.json", "team": "Payments"},
        {"path": "exports", "team": "Billing"},
    ])

    def download() -> None:  # what `gh run download ... --dir exports/billing` writes
        shutil.copytree(billing.path / "decisions-export", portal_root / "exports" / "billing")

    _run_steps("github-portal.yml", portal_root, before_gh=download)
    site = portal_root / "site"
    assert "PAY-0001 · Payments: split chat from video" in read(site, "portal/payments/video/0001-split/index.html")
    assert "VID-0001 · Billing: split chat from video" in read(site, "portal/billing/video/0001-split/index.html")
    board = read(site, "portal/index.html")
    assert "2 repositories" in board and "Payments" in board and "Billing" in board


@pytest.mark.browser
def test_portal_in_a_browser_runs_no_script_and_links_resolve(served, tmp_path: Path, chromium) -> None:
    """Every page of a portal with two repositories and a hostile one, in Chromium: no
    dialog, no payload run, every diagram displays, every internal link resolves."""
    url = served["url"]
    root = _portal(tmp_path / "portal", [
        {"url": f"{url}/team-a/architecture/decisions.json", "name": "team-a"},
        {"url": f"{url}/team-b/decisions.json", "name": "team-b"},
        {"url": f"{url}/hostile/decisions.json", "name": "hostile"},
    ])
    done = _mkdocs_build(root, strict=False)
    assert done.returncode == 0, done.stderr
    site = root / "site"
    pages = generated_pages(site, "portal")
    assert "portal/team-b/video/0001-split/" in pages and "portal/hostile/video/0001-split/" in pages
    dialogs: list[str] = []
    with serve(site) as base:
        assert broken_links(site, pages, base) == []
        context = chromium.new_context()
        try:
            for page in pages:
                tab = context.new_page()
                tab.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
                watch = Watch(base).attach(tab)
                tab.goto(base + page, wait_until="networkidle")
                images = tab.evaluate(IMAGES_JS)
                assert tab.evaluate("window.__pwned") is None, page
                assert not [i["src"] for i in images if not (i["complete"] and i["naturalWidth"] > 0)], page
                assert watch.console_errors == [] and watch.http_errors == [] and watch.external == [], page
                tab.close()
        finally:
            context.close()
    assert not dialogs, dialogs


def test_time_limit_is_for_the_whole_transfer_and_redirects_stay_safe(served, tmp_path: Path) -> None:
    url = served["url"]
    start = time.monotonic()
    slow = load(SourceSpec(f"{url}/drip/decisions.json"), timeout=1)
    assert "timed out after 1 s" in slow.message and time.monotonic() - start < 3  # type: ignore[union-attr]
    moved = load(SourceSpec(f"{url}/redirect/decisions.json"), timeout=5)
    assert "plain HTTP is refused" in moved.message  # type: ignore[union-attr]
    real = served["b"].path / "export" / "decisions.json"
    (tmp_path / "linked.json").symlink_to(real)
    linked = load(SourceSpec(str(tmp_path / "linked.json")))
    assert "a symbolic link: not followed" in linked.message  # type: ignore[union-attr]
    loaded = load(SourceSpec(str(real)))
    with pytest.raises(Exception, match="outside the export's folder"):
        loaded.read_beside("../../team-a/mkdocs.yml")  # type: ignore[union-attr]


def test_version_1_exports_are_read_and_names_do_not_clash(served, tmp_path: Path) -> None:
    """A version 1 export (no diagrams, tags or links back) still gives its pages; two
    sources that ask for the same name: the second is an error naming it."""
    v2 = json.loads((served["b"].path / "export/decisions.json").read_text("utf-8"))
    v1 = {k: v for k, v in v2.items() if k not in ("repository", "history_reason", "milestones")}
    v1 |= {"version": 1, "$schema": "https://mkdocs-wa.invalid/schemas/export-v1.schema.json"}
    for d in v1["decisions"]:
        del d["diagram"], d["edit_url"]
        for r in d["history"]:
            r.pop("fields", None)
    Draft202012Validator(export_schema(1)).validate(v1)
    (tmp_path / "old.json").write_text(json.dumps(v1), "utf-8")
    specs = [SourceSpec(str(tmp_path / "old.json"), "shop"), SourceSpec(str(served["b"].path / "export/decisions.json"), "shop")]
    result = build_portal(specs, PortalOptions(root=tmp_path), TextRenderer([], {}, trusted_html=False))
    paths = {f.path for f in result.files}
    assert "portal/shop/video/0001-split.md" in paths and "portal/shop/video/timeline.md" in paths
    page = next(f.content for f in result.files if f.path == "portal/shop/video/0001-split.md")
    assert "Propose the split" in page  # its history, from the version 1 export
    [clash] = [d for d in result.diagnostics if "is taken" in d.message or "has the name" in d.message]
    assert clash.path.endswith("export/decisions.json") and "has the name 'shop'" in clash.message
