"""Hostile decision files: each attack is refused or neutralised with a clear diagnostic.

Every build here runs ``mkdocs build`` in a subprocess, as a user (or CI on a pull
request) does, inside :func:`guarded_build`, which proves the build wrote nothing
outside its output (``site/``) and cache (``.cache/``): the project tree, a canary
folder outside it, the HOME and TMPDIR the build ran with are compared byte for byte
before and after, and the file a code-running YAML tag would create must not exist.

The attacks (the list in the issue's closing note comes from here):

* YAML tags that would run code: ``!!python/object/apply``, ``/name``, ``/object/new``,
  ``/module``, on a scalar, a sequence and a mapping, in a decision and in a lens file.
* Script through every text field, the metric ``source`` link, Markdown links and
  images, metric values, pillar notes and diagram labels; pattern-restricted fields
  (``id``, ``workload``, ``supersedes``...) refuse text outright.
* Escaping the repository: icon paths with ``..``, absolute, home and drive paths,
  icons that are symbolic links out of the tree, SVG icons with script, and decision
  files (or folders) that are symbolic links leading out of ``decisions/``.
* Exhausting memory or time: an alias bomb, a 50 MB file, deep YAML nesting, 3,000
  nodes, 200 nested clusters, a dense graph that keeps Graphviz busy, huge labels.
* Graphviz syntax in labels: quotes, backslashes and escapes, ``<>{}|``, HTML-like
  labels, DOT statements, newlines, bidirectional overrides, very long labels.
"""

from __future__ import annotations

import base64
import html.parser
import os
import re
import subprocess
import sys
import tempfile
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from browser import IMAGES_JS, Watch, generated_pages, serve
from sites import decision_yaml, make_project

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


# --- a build that must write nothing outside site/ and .cache/ --------------------------


def snapshot(root: Path, skip: tuple[str, ...] = ()) -> dict[str, object]:
    """Every entry under ``root`` (files with their bytes, folders, links with their
    target), except the top-level names in ``skip``."""
    out: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(root)
        if rel_dir.parts[:1] and rel_dir.parts[0] in skip:
            dirnames[:] = []
            continue
        for name in dirnames + filenames:
            path = here / name
            rel = path.relative_to(root).as_posix()
            if rel in skip:
                continue
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                out[rel] = ("dir",)
            else:
                out[rel] = ("file", path.read_bytes())
    return out


@dataclass
class Outcome:
    root: Path
    returncode: int
    log: str  # stderr: MkDocs' log with the diagnostics
    site: Path

    @property
    def built(self) -> bool:
        return self.returncode == 0

    def text(self) -> str:
        """Every HTML, SVG and JSON file of the generated section, concatenated."""
        section = self.site / "architecture"
        return "\n".join(p.read_text("utf-8", "replace") for p in sorted(section.rglob("*")) if p.suffix in (".html", ".svg", ".json"))


PWNED = Path("/tmp") / f"mkdocs-wa-pwned-{uuid.uuid4().hex}"
#: The demo site's Markdown extensions: attr_list can put attributes on elements, so the
#: hostile builds use it too.
EXTENSIONS = ["admonition", "attr_list", "tables", {"toc": {"permalink": True}}, "pymdownx.superfences", "pymdownx.details"]


@pytest.fixture
def guarded(tmp_path):
    """``guarded(decisions, ...) -> Outcome``: make a project, build it in a subprocess
    with HOME and TMPDIR in a canary folder, and check nothing outside site/ and .cache/
    changed (project, canary folder, HOME, TMPDIR) and no code ran."""
    canary = tmp_path / "canary"
    (canary / "home").mkdir(parents=True)
    (canary / "tmp").mkdir()
    (canary / "secret.txt").write_text("canary secret\n", encoding="utf-8")

    def run(decisions: dict[str, str], *, strict: bool = False, plugin_options: dict | None = None, before=None) -> Outcome:
        root = make_project(tmp_path / "project", decisions, plugin_options=plugin_options, config={"markdown_extensions": EXTENSIONS})
        if before is not None:
            before(root)
        outside = snapshot(tmp_path, skip=("project",))
        inside = snapshot(root, skip=("site", ".cache"))
        env = {
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "HOME": str(canary / "home"),
            "TMPDIR": str(canary / "tmp"),
            "PWNED": str(PWNED),
        }
        args = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")]
        if strict:
            args.append("--strict")
        proc = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=600)
        assert not PWNED.exists(), f"a decision file ran code: {PWNED} exists"
        assert snapshot(root, skip=("site", ".cache")) == inside, "the build changed the project outside site/ and .cache/"
        assert snapshot(tmp_path, skip=("project",)) == outside, "the build wrote outside the project (HOME, TMPDIR or elsewhere)"
        assert "Traceback" not in proc.stderr, proc.stderr
        return Outcome(root, proc.returncode, proc.stderr, root / "site")

    yield run
    PWNED.unlink(missing_ok=True)


def errors(outcome: Outcome) -> list[str]:
    return [line for line in outcome.log.splitlines() if line.startswith("ERROR")]


# --- YAML tags that would run code ---------------------------------------------------------

CODE_TAGS = {
    "apply-scalar": f'title: !!python/object/apply:os.system ["touch {PWNED}"]\n',
    "apply-mapping": f'title: !!python/object/apply:os.system {{args: ["touch {PWNED}"]}}\n',
    "new": f'title: !!python/object/new:subprocess.Popen [["touch", "{PWNED}"]]\n',
    "name": "title: !!python/name:os.system\n",
    "module": "title: !!python/module:os\n",
    "apply-in-list": f'title: t\ntags:\n  - !!python/object/apply:os.system ["touch {PWNED}"]\n',
    "local-tag": "title: !ENV PWNED\n",
}


@pytest.mark.parametrize("name", sorted(CODE_TAGS))
def test_yaml_tags_that_would_run_code_are_refused(guarded, name):
    head = "schema: 1\nid: APP-0001\nstatus: accepted\ndate: 2024-01-10\n"
    outcome = guarded({"app/0001-evil.yaml": head + CODE_TAGS[name]})
    assert not outcome.built
    line = 7 if name == "apply-in-list" else 5
    assert re.search(rf"decisions/app/0001-evil\.yaml:{line}:\d+: error: the YAML tag '[^']+' is not allowed", outcome.log), outcome.log


def test_code_tags_in_a_lens_file_are_refused(guarded):
    def lens(root: Path) -> None:
        (root / "evil-lens.yaml").write_text(f'schema: 1\nname: !!python/object/apply:os.system ["touch {PWNED}"]\n', encoding="utf-8")

    outcome = guarded({"app/0001-x.yaml": decision_yaml()}, plugin_options={"lens": "evil-lens.yaml"}, before=lens)
    assert not outcome.built
    assert re.search(r"evil-lens\.yaml:2:\d+: error: the YAML tag '[^']+' is not allowed", outcome.log), outcome.log


def test_validate_command_refuses_code_tags_too(tmp_path):
    file = tmp_path / "decisions" / "app" / "0001-evil.yaml"
    file.parent.mkdir(parents=True)
    file.write_text("schema: 1\nid: APP-0001\nstatus: accepted\ndate: 2024-01-10\n" + CODE_TAGS["apply-scalar"], encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mkdocs_wa", "validate", "decisions"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "decisions/app/0001-evil.yaml:5:8: error: the YAML tag" in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    assert not PWNED.exists()


# --- script through every field ------------------------------------------------------------


def payload(field: str) -> str:
    """Script three ways, tagged with ``field`` so each field's text can be found."""
    return (
        f'<script>window.__pwned="{field}"</script> <img src=x onerror="window.__pwned=\'{field}\'"> '
        f'[{field}](javascript:window.__pwned=1) <a href="javascript:alert(1)">{field}</a> "><svg onload=alert(1)> '
        f"</title><script>window.__pwned=5</script> --><script>alert(1)</script> ]]><x onclick=alert(1)>"
    )


def hostile_decisions() -> dict[str, str]:
    """One decision with a payload in every field that takes text (and a second one
    extending its architecture), with its field markers."""
    p = payload
    first = decision_yaml(
        "APP-0001",
        p("F-title"),
        "accepted",
        "2024-01-10",
        deciders=[p("F-decider")],
        tags=[p("F-tag")],
        context=p("F-context")
        + "\n\n![img](javascript:alert(1)) <javascript:alert(2)> [ref][r] [ent](&#106;avascript:alert(4))\n\n[r]: javascript:alert(3)\n"
        + '\nA paragraph\n{: onclick="alert(5)" style="background:url(javascript:alert(6))" }\n'
        + '\n[attr](https://example.com){: onmouseover="alert(7)" href="javascript:alert(8)" }\n'
        + '\n??? note "<img src=x onerror=alert(9)>"\n    details\n'
        + '\n```html\n<script>alert(10)</script>\n```\n',
        decision=p("F-decision") + "\n\n<iframe src=javascript:alert(1)></iframe><object data=x></object>\n",
        consequences=p("F-consequences") + "\n\n[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](vbscript:msgbox)\n",
        principles=["on-demand"],
        hypothesis={
            "statement": p("F-statement"),
            "review_by": "2024-03-01",
            "metrics": [
                {
                    "name": p("F-metric-name"),
                    "unit": "ms",  # a unit must be a known unit: markup there is refused (test_verdicts_units)
                    "baseline": p("F-baseline"),
                    "target": "<= 300",
                    "observed": 250,
                    "source": "javascript:window.__pwned='F-source'",
                },
                {"name": "second", "target": "< 1", "observed": 1, "source": " JaVa\tScRiPt:alert(1)"},
                {"name": "third", "target": "<= 1", "observed": 1, "source": "data:text/html,<script>alert(1)</script>"},
                {"name": "../../../../../pwned-chart", "target": "<= 3", "observed": 5},
            ],
        },
        result={"outcome": "confirmed", "measured_on": "2024-02-20", "summary": p("F-summary"), "learned": p("F-learned")},
        pillars={"reliability": {"score": 3, "note": p("F-note")}, "security": {"score": 2, "note": p("F-note2")}},
        imported_from={"path": p("F-imported"), "format": p("F-format"), "unmapped": p("F-unmapped")},
        architecture={
            "clusters": [{"id": "c1", "label": p("F-cluster"), "clusters": [{"id": "c2", "label": p("F-subcluster")}]}],
            "nodes": [
                {"id": "web", "type": "aws.compute.EC2", "label": p("F-node"), "cluster": "c1"},
                {"id": "db", "type": "aws.database.RDS", "label": p("F-node2"), "cluster": "c2"},
            ],
            "edges": [{"from": "web", "to": "db", "label": p("F-edge")}],
        },
    )
    second = decision_yaml(
        "APP-0002",
        "Second",
        "accepted",
        "2024-02-10",
        hypothesis={
            "statement": "Same metrics, measured again.",
            "metrics": [
                {"name": p("F-metric-name"), "unit": "ms", "target": "<= 300", "observed": 200},
                {"name": "../../../../../pwned-chart", "target": "<= 3", "observed": 2},
            ],
        },
        pillars={"reliability": {"score": 4, "note": p("F-note3")}},
        architecture={"extends": "previous", "nodes": [{"id": "web", "label": p("F-changed-node")}], "remove": {"nodes": ["db"]}},
    )
    return {"app/0001-first.yaml": first, "app/0002-second.yaml": second}


#: Markers that must show up (as text) in the site: proof each field reached a page.
FIELDS = [
    "F-title", "F-decider", "F-tag", "F-context", "F-decision", "F-consequences", "F-statement",
    "F-metric-name", "F-baseline", "F-summary", "F-learned",
    "F-note", "F-note2", "F-imported",
]
DIAGRAM_FIELDS = ["F-cluster", "F-subcluster", "F-node", "F-node2", "F-edge", "F-changed-node"]

_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc", "background"}
_SAFE_SCHEME = re.compile(r"^(?:https?:|mailto:|#|data:image/(?:png|svg\+xml|gif|jpeg);base64,|[^:]*$)", re.IGNORECASE)


class LiveScript(html.parser.HTMLParser):
    """Finds what would run in a browser: script elements that are not the theme's,
    event-handler attributes, and URLs with a scheme that can run code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "style" and value and re.search(r"javascript:|expression\(|url\(\s*['\"]?\s*(?!data:image/)[a-z]+:", value, re.I):
                self.found.append(f"<{tag} style={value[:80]!r}>")
            if name in _URL_ATTRS and value is not None:
                squeezed = re.sub(r"[\x00-\x20]", "", value)
                if not _SAFE_SCHEME.match(squeezed):
                    self.found.append(f"<{tag} {name}={value[:80]!r}>")
        if tag in ("iframe", "object", "embed", "frame", "base"):
            self.found.append(f"<{tag}>")
        if tag == "meta" and any(n == "http-equiv" and (v or "").lower() == "refresh" for n, v in attrs):
            self.found.append("<meta http-equiv=refresh>")
        if tag == "script":
            self.in_script = True
        if tag in ("title", "textarea"):
            # RCDATA, as a browser reads it: text up to the closing tag. A title that
            # closes it early ("</title><script>") shows up as the live tags after it.
            self.set_cdata_mode(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and ("__pwned" in data or "alert(" in data):
            self.found.append(f"<script>{data[:80]}")


def live_script(text: str) -> list[str]:
    parser = LiveScript()
    parser.feed(text)
    parser.close()
    return parser.found


def svg_problems(svg: str) -> list[str]:
    found = []
    for el in ET.fromstring(svg.encode("utf-8")).iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in ("script", "foreignObject", "iframe", "a", "use", "animate", "set", "handler"):
            found.append(f"<{tag}>")
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local.lower().startswith("on"):
                found.append(f"{tag} {local}")
            if local == "href" and not value.startswith("data:image/"):
                found.append(f"{tag} href={value[:60]}")
    return found


def test_script_in_any_field_never_runs(guarded):
    outcome = guarded(hostile_decisions())
    assert outcome.built, outcome.log
    pages = sorted((outcome.site / "architecture").rglob("*.html"))
    assert len(pages) >= 4
    for page in pages:
        found = live_script(page.read_text("utf-8"))
        assert not found, f"{page.relative_to(outcome.site)}: {found}"
    text = outcome.text()
    missing = [f for f in FIELDS if f not in text]
    assert not missing, f"fields not shown anywhere (so not checked): {missing}"
    diagrams = sorted((outcome.site / "architecture").rglob("diagrams/*.svg"))
    charts = sorted((outcome.site / "architecture").rglob("charts/*.svg"))
    assert [d.name for d in diagrams] == ["0001-first.svg", "0002-second.svg"]
    assert len(charts) >= 2, charts  # both metrics (pillar scores are a heat strip on the page)
    every_svg = sorted(p.relative_to(outcome.site).as_posix() for p in outcome.site.rglob("*.svg"))
    assert every_svg == sorted(p.relative_to(outcome.site).as_posix() for p in diagrams + charts), every_svg
    shown = ""
    for svg in diagrams + charts:
        content = svg.read_text("utf-8")
        assert not svg_problems(content), (svg.name, svg_problems(content))
        shown += " ".join(ET.fromstring(content.encode("utf-8")).itertext())
    # labels are drawn as text (cut to a few lines), never as markup; a chart draws no
    # metric name (the page's heading names it), so it is checked on the pages above
    assert "<script>" in shown and "onerror" in shown
    for marker in DIAGRAM_FIELDS:
        assert marker[:6] in shown, marker


def test_script_in_a_lens_never_runs(guarded):
    """A custom lens is a file of the repository too (a pull request can change it)."""
    p = payload

    def lens(root: Path) -> None:
        data = {
            "schema": 1,
            "id": "evil",
            "name": p("L-name"),
            "url": "javascript:alert('L-url')",
            "pillars": [{"id": "reliability", "name": p("L-pillar"), "description": p("L-pillar-description")}],
            "principles": [{"id": "on-demand", "name": p("L-principle"), "description": p("L-principle-description")}],
        }
        (root / "evil-lens.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")

    decision = decision_yaml(principles=["on-demand"], pillars={"reliability": {"score": 3}})
    outcome = guarded({"app/0001-x.yaml": decision}, plugin_options={"lens": "evil-lens.yaml"}, before=lens)
    assert outcome.built, outcome.log
    for page in sorted((outcome.site / "architecture").rglob("*.html")):
        found = live_script(page.read_text("utf-8"))
        assert not found, f"{page.relative_to(outcome.site)}: {found}"
    text = outcome.text()
    missing = [f for f in ("L-name", "L-pillar", "L-principle") if f not in text]
    assert not missing, missing


def test_the_checker_finds_live_script():
    """The HTML check above can fail: it sees each way script gets in, and not text."""
    live = [
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" java\tscript:alert(1)">x</a>',
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        "<title>x</title><script>window.__pwned=1</script>",
        "<iframe src=x></iframe>",
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
        '<p style="background:url(javascript:alert(1))">x</p>',
    ]
    for sample in live:
        assert live_script(sample), sample
    inert = [
        "&lt;script&gt;window.__pwned=1&lt;/script&gt;",
        "<title>x &lt;/title&gt;&lt;script&gt;alert(1)</title>",
        "<title><script>alert(1)</script></title>",
        '<a href="https://example.com/?q=javascript:x">x</a>',
        '<a href="../page/#onerror">onerror=alert(1)</a>',
        '<img src="data:image/png;base64,AAAA" alt="onerror=alert(1)">',
    ]
    for sample in inert:
        assert not live_script(sample), sample


def test_metric_values_that_are_not_numbers_are_refused(guarded):
    metrics = [
        {"name": "m1", "target": "<= 1 <script>alert(1)</script>", "observed": 1},
        {"name": "m2", "target": "<= 1", "observed": "<img src=x onerror=alert(1)>"},
    ]
    text = decision_yaml(hypothesis={"statement": "s", "metrics": metrics})
    outcome = guarded({"app/0001-x.yaml": text})
    assert not outcome.built
    assert re.search(r"0001-x\.yaml:\d+:\d+: error: '<img src=x onerror=alert\(1\)>' is not a number", outcome.log), outcome.log
    assert re.search(r"0001-x\.yaml:\d+:\d+: error: '1 <script>alert\(1\)</script>' is not a number", outcome.log), outcome.log


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "APP-<script>"),
        ("workload", "<script>"),
        ("supersedes", ["X<img src=x onerror=alert(1)>"]),
        ("principles", ["<script>"]),
        ("date", "2024-01-10<script>"),
    ],
)
def test_fields_with_a_pattern_refuse_markup(guarded, field, value):
    text = decision_yaml(**{field: value}) if field not in ("id", "date") else decision_yaml(**{"id" if field == "id" else "date": value})
    outcome = guarded({"app/0001-x.yaml": text})
    assert not outcome.built
    assert re.search(rf"0001-x\.yaml:\d+:\d+: error: .*{field}", outcome.log), outcome.log
    assert not (outcome.site / "architecture" / "app" / "0001-x").exists()


def test_control_characters_in_messages_are_shown_escaped(guarded):
    """A value quoted in a diagnostic cannot drive the terminal or start a CI command."""
    text = (
        "schema: 1\nid: APP-0001\ntitle: t\nstatus: accepted\ndate: 2024-01-10\nhypothesis:\n  statement: s\n"
        '  metrics:\n    - {name: m, target: "<= 1", observed: "\\e]0;TITLE\\a\\e[2J\\n::error file=x::forged"}\n'
    )
    outcome = guarded({"app/0001-x.yaml": text})
    assert not outcome.built
    assert "\x1b" not in outcome.log and "\x07" not in outcome.log
    assert not [line for line in outcome.log.splitlines() if line.startswith("::")], outcome.log
    assert r"'\x1b]0;TITLE\x07\x1b[2J\n::error file=x::forged' is not a number" in outcome.log, outcome.log


# --- escaping the repository ---------------------------------------------------------------


def icon_decision(icon: str) -> str:
    return decision_yaml(architecture={"nodes": [{"id": "n", "icon": icon, "label": "n"}]})


def _outside(tmp_path: Path) -> Path:
    """A folder beside the project with a 'secret' PNG and decision file."""
    out = tmp_path / "outside"
    out.mkdir(exist_ok=True)
    (out / "secret.png").write_bytes(PNG + b"SECRET-ICON-BYTES")
    (out / "0002-secret.yaml").write_text(decision_yaml("APP-0002", "SECRET-DECISION-TITLE"), encoding="utf-8")
    return out


ICON_ATTACKS = {
    # name: (icon path, what the diagnostic says)
    "dotdot-passwd": ("../../etc/passwd", "is not a .png or .svg file"),
    "dotdot-out": ("../../../../../../../../etc/passwd.png", "leads out of the repository"),
    "dotdot-beside": ("../../../outside/secret.png", "leads out of the repository"),
    "absolute": ("/etc/passwd.png", "is an absolute path"),
    "absolute-secret": ("{outside}/secret.png", "is an absolute path"),
    "home": ("~/.ssh/id_rsa.png", "is an absolute path"),
    "drive": ("C:\\Windows\\win.png", "is an absolute path"),
    "backslashes": ("..\\..\\..\\outside\\secret.png", "leads out of the repository"),
    "nul": ("icon\x00.png", "NUL"),
    "link-file": ("../../icons/link.png", "symbolic link leading out of the repository"),
    "link-dir": ("../../icons/linkdir/secret.png", "symbolic link leading out of the repository"),
    "svg-script": ("../../icons/evil.svg", "holds script, event handlers or external references"),
    "svg-external": ("../../icons/external.svg", "holds script, event handlers or external references"),
    "fake-png": ("../../icons/fake.png", "is not a PNG image"),
    "huge": ("../../icons/huge.png", "icons are limited to"),
}


@pytest.mark.parametrize("attack", sorted(ICON_ATTACKS))
def test_icon_paths_cannot_leave_the_repository(guarded, tmp_path, attack):
    icon, message = ICON_ATTACKS[attack]
    outside = _outside(tmp_path)
    icon = icon.format(outside=outside)

    def icons(root: Path) -> None:
        folder = root / "icons"
        folder.mkdir()
        (folder / "link.png").symlink_to(outside / "secret.png")
        (folder / "linkdir").symlink_to(outside, target_is_directory=True)
        (folder / "evil.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', encoding="utf-8")
        (folder / "external.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            '<image xlink:href="file:///etc/passwd"/></svg>',
            encoding="utf-8",
        )
        (folder / "fake.png").write_text("#!/bin/sh\ntouch /tmp/x\n", encoding="utf-8")
        with open(folder / "huge.png", "wb") as f:
            f.write(PNG)
            f.truncate(2 * 1024 * 1024)  # sparse: quick to make

    outcome = guarded({"app/0001-x.yaml": icon_decision(icon)}, before=icons)
    assert not outcome.built, outcome.log
    assert re.search(r"decisions/app/0001-x\.yaml:\d+:\d+: error: .*" + re.escape(message), outcome.log), outcome.log
    # nothing from outside reached the site or the cache
    for folder in (outcome.site, outcome.root / ".cache"):
        for file in folder.rglob("*") if folder.exists() else ():
            if file.is_file():
                data = file.read_bytes()
                assert b"SECRET-ICON-BYTES" not in data and base64.b64encode(PNG + b"SECRET-ICON-BYTES")[:40] not in data, file


def test_a_decision_file_linking_out_of_decisions_is_refused(guarded, tmp_path):
    outside = _outside(tmp_path)

    def link(root: Path) -> None:
        (root / "decisions" / "app" / "0002-secret.yaml").symlink_to(outside / "0002-secret.yaml")

    outcome = guarded({"app/0001-x.yaml": decision_yaml()}, before=link)
    assert not outcome.built
    assert re.search(r"decisions/app/0002-secret\.yaml:0:0: error: symbolic link leads out of .*decisions/ \(to .*outside/0002-secret\.yaml\); refused", outcome.log), outcome.log
    assert "SECRET-DECISION-TITLE" not in outcome.log


def test_a_folder_linking_out_of_decisions_is_not_read(guarded, tmp_path):
    outside = _outside(tmp_path)

    def link(root: Path) -> None:
        (root / "decisions" / "linked").symlink_to(outside, target_is_directory=True)

    outcome = guarded({"app/0001-x.yaml": decision_yaml()}, before=link)
    assert outcome.built, outcome.log
    assert "SECRET-DECISION-TITLE" not in outcome.text()
    assert not (outcome.site / "architecture" / "linked").exists()
    assert "decisions/linked:0:0: warning: symbolic link to a folder: not followed" in outcome.log, outcome.log


def test_a_decision_linking_to_a_device_or_loop_is_refused(guarded):
    def link(root: Path) -> None:
        (root / "decisions" / "app" / "0002-zero.yaml").symlink_to("/dev/zero")
        (root / "decisions" / "app" / "0003-loop.yaml").symlink_to("0003-loop.yaml")

    outcome = guarded({"app/0001-x.yaml": decision_yaml()}, before=link)
    assert not outcome.built
    assert "0002-zero.yaml:0:0: error: symbolic link leads out of" in outcome.log, outcome.log
    assert "0003-loop.yaml:0:0: error: symbolic link that leads nowhere" in outcome.log, outcome.log


# --- exhausting memory or time ------------------------------------------------------------


BILLION_LAUGHS = """\
schema: 1
id: APP-0001
status: accepted
date: 2024-01-10
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
title: *i
"""


def test_alias_bomb_is_refused(guarded):
    outcome = guarded({"app/0001-bomb.yaml": BILLION_LAUGHS})
    assert not outcome.built
    assert re.search(r"0001-bomb\.yaml:\d+:\d+: error: the document expands to more than [\d,]+ values \(aliases that repeat aliases, an 'alias bomb'\?\)", outcome.log), outcome.log


def test_a_50_mb_file_is_refused_by_its_size_before_parsing(guarded):
    # The first line would be refused by the parser: its message must not appear, which
    # shows the file was never parsed.
    head = "schema: 1\ntitle: " + CODE_TAGS["apply-scalar"].split(": ", 1)[1]
    big = head + "# " + "x" * (50 * 1024 * 1024) + "\n"
    outcome = guarded({"app/0001-big.yaml": big})
    assert not outcome.built
    size = len(big.encode("utf-8"))
    assert f"decisions/app/0001-big.yaml:1:1: error: file is {size:,} bytes; decision files are limited to 1,000,000 bytes" in outcome.log, outcome.log
    assert "YAML tag" not in outcome.log


@pytest.mark.parametrize("depth", [200, 100_000])
def test_deeply_nested_yaml_is_refused(guarded, depth):
    text = "schema: 1\nid: APP-0001\ntitle: t\nstatus: accepted\ndate: 2024-01-10\ncontext: " + "[" * depth + "]" * depth + "\n"
    outcome = guarded({"app/0001-deep.yaml": text})
    assert not outcome.built
    assert re.search(r"0001-deep\.yaml:6:\d+: error: nested more than \d+ levels deep", outcome.log), outcome.log


def nested_clusters(depth: int) -> dict:
    """``depth`` clusters each inside the one before, a node in the innermost."""
    inner: dict = {"id": f"c{depth - 1}", "label": f"level {depth - 1}"}
    for level in range(depth - 2, -1, -1):
        inner = {"id": f"c{level}", "label": f"level {level}", "clusters": [inner]}
    return {
        "clusters": [inner],
        "nodes": [{"id": "deep", "type": "aws.compute.EC2", "cluster": f"c{depth - 1}"}, {"id": "top", "type": "aws.compute.EC2"}],
        "edges": [{"from": "top", "to": "deep"}],
    }


def nested_clusters_yaml(depth: int) -> str:
    """:func:`nested_clusters` written by hand (PyYAML's dumper recurses too deep)."""
    lines = ["architecture:", "  clusters:"]
    for level in range(depth):
        pad = "  " * (2 + 2 * level)
        lines += [f"{pad}- id: c{level}", f"{pad}  label: level {level}"]
        if level < depth - 1:
            lines.append(f"{pad}  clusters:")
    lines += [
        "  nodes:",
        f"    - {{id: deep, type: aws.compute.EC2, cluster: c{depth - 1}}}",
        "    - {id: top, type: aws.compute.EC2}",
        "  edges:",
        "    - {from: top, to: deep}",
    ]
    return decision_yaml() + "\n".join(lines) + "\n"


def test_200_nested_clusters_are_refused(guarded):
    outcome = guarded({"app/0001-deep.yaml": nested_clusters_yaml(200)})
    assert not outcome.built
    assert re.search(r"0001-deep\.yaml:\d+:\d+: error: nested more than \d+ levels deep", outcome.log), outcome.log


def test_the_deepest_clusters_yaml_allows_are_drawn(guarded):
    # Each cluster level is two YAML levels (a mapping in a list): about 30 fit under the
    # loader's limit; the drawing nests 16 deep and draws the rest flat.
    assert yaml.safe_load(nested_clusters_yaml(29))["architecture"] == nested_clusters(29)
    outcome = guarded({"app/0001-deep.yaml": nested_clusters_yaml(29)})
    assert outcome.built, outcome.log
    svg = ET.fromstring((outcome.site / "architecture" / "app" / "diagrams" / "0001-deep.svg").read_bytes())
    ids = [el.get("id") for el in svg.iter()]
    assert "wa-node-deep" in ids and "wa-node-top" in ids
    assert len([i for i in ids if i and i.startswith("wa-cluster-")]) == 16


def test_3000_nodes_are_refused(guarded):
    nodes = [{"id": f"n{i}", "type": "aws.compute.EC2"} for i in range(3000)]
    edges = [{"from": f"n{i}", "to": f"n{i + 1}"} for i in range(2999)]
    outcome = guarded({"app/0001-big.yaml": decision_yaml(architecture={"nodes": nodes, "edges": edges})})
    assert not outcome.built
    assert re.search(
        r"0001-big\.yaml:\d+:\d+: error: the architecture has 3000 nodes and 2999 edges; diagrams are drawn up to 300 nodes and 900 edges",
        outcome.log,
    ), outcome.log


def test_a_graph_that_keeps_graphviz_busy_is_stopped(tmp_path, monkeypatch, aws_lens):
    """Within the node and edge limits, a dense random graph with labels keeps dot busy
    for many minutes: Graphviz runs under a time limit (lowered here) and the decision
    gets a diagnostic; dot is killed, not left running."""
    import random

    from mkdocs_wa.diagrams import render as render_module
    from mkdocs_wa.diagrams import render_all, resolve
    from mkdocs_wa.source.validate import load_catalog

    rng = random.Random(1)
    nodes = [{"id": f"n{i}", "type": "aws.compute.EC2", "label": f"Node {i} with a label that wraps"} for i in range(300)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < 900:
        a, b = rng.randrange(300), rng.randrange(300)
        if a != b:
            pairs.add((a, b))
    edges = [{"from": f"n{a}", "to": f"n{b}", "label": "some edge label"} for a, b in sorted(pairs)]
    make_project(tmp_path, {"app/0001-dense.yaml": decision_yaml(architecture={"nodes": nodes, "edges": edges})})
    catalog, diags = load_catalog([tmp_path / "decisions"], aws_lens, display=lambda f: f.relative_to(tmp_path).as_posix())
    assert not [d for d in diags if d.is_error], diags
    archs, diags = resolve(catalog, project_root=tmp_path)
    assert not diags, diags
    monkeypatch.setattr(render_module, "GRAPHVIZ_TIMEOUT", 3.0)
    work = tmp_path / "tmp"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))  # where the render's folder goes
    result = render_all(catalog, archs, cache_dir=tmp_path / ".cache", project_root=tmp_path, workers=1)
    assert result.svgs == {}
    assert [d.format() for d in result.diagnostics] == [
        "decisions/app/0001-dense.yaml:6:1: error: the architecture diagram could not be drawn: Graphviz gave up after 3 s "
        "laying out the diagram; draw fewer nodes and edges (split the architecture into several workloads)"
    ]
    assert list(work.iterdir()) == [], "the render's temporary folder is left behind"
    still = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and os.readlink(proc / "cwd").startswith(str(work)):
                still.append((proc / "cmdline").read_bytes())
        except OSError:  # gone, or another user's
            continue
    assert not still, f"dot is still running: {still}"


def test_huge_labels_are_cut(guarded):
    label = "A" * 900_000
    text = decision_yaml(
        title="T" * 50_000,
        architecture={
            "clusters": [{"id": "c", "label": label}],
            "nodes": [{"id": "a", "type": "aws.compute.EC2", "label": label, "cluster": "c"}, {"id": "b", "type": "aws.compute.EC2"}],
            "edges": [{"from": "a", "to": "b", "label": label}],
        },
    )
    assert len(text) < 1_000_000 * 3
    outcome = guarded({"app/0001-huge.yaml": text.replace("A" * 900_000, "A" * 300_000)})
    assert outcome.built, outcome.log
    svg = (outcome.site / "architecture" / "app" / "diagrams" / "0001-huge.svg").read_text("utf-8")
    assert len(svg) < 200_000
    assert max(len(t) for t in ET.fromstring(svg.encode("utf-8")).itertext()) < 100


# --- Graphviz syntax in labels ------------------------------------------------------------

GRAPHVIZ_LABELS = {
    "quotes": 'say "hi" \'there\'',
    "escapes": "a\\N b\\G c\\L \\l\\n\\r end\\",
    "record": "<>{}|[];:,=",
    "html-like": "<<b>x</b>>",
    "dot-statement": 'a"]; evil [label="pwn',
    "entities": "&amp; &#x41; &lt;",
    "newlines": "first\nsecond\r\nthird",
    "bidi": "abc\u202edcba",
}


def test_graphviz_syntax_in_labels_is_drawn_as_text(guarded):
    ids = list(GRAPHVIZ_LABELS)
    nodes = [{"id": f"n{i}", "type": "aws.compute.EC2", "label": GRAPHVIZ_LABELS[k], "cluster": "c"} for i, k in enumerate(ids)]
    edges = [{"from": f"n{i}", "to": f"n{i + 1}", "label": GRAPHVIZ_LABELS[ids[i + 1]]} for i in range(len(ids) - 1)]
    clusters = [{"id": "c", "label": GRAPHVIZ_LABELS["dot-statement"] + " " + GRAPHVIZ_LABELS["html-like"]}]
    outcome = guarded({"app/0001-labels.yaml": decision_yaml(architecture={"nodes": nodes, "edges": edges, "clusters": clusters})})
    assert outcome.built, outcome.log
    svg = (outcome.site / "architecture" / "app" / "diagrams" / "0001-labels.svg").read_text("utf-8")
    assert not svg_problems(svg)
    root = ET.fromstring(svg.encode("utf-8"))
    texts = [t for t in root.itertext() if t.strip()]
    shown = "\n".join(texts)
    for expected in ['say "hi" \'there\'', "a\\N b\\G c\\L", "<>{}|[];:,=", "<<b>x</b>>", 'a"]; evil', "&amp; &#x41; &lt;", "first", "second", "third", "abcdcba"]:
        assert expected in shown, (expected, texts)
    assert "\u202e" not in svg
    # nothing a label said became a node, edge or attribute: 8 nodes, 7 edges, 1 cluster
    classes = [el.get("class", "") for el in root.iter()]
    assert sum("wa-node" in c for c in classes) == 8
    assert sum("wa-edge" in c for c in classes) == 7
    assert sum("wa-cluster" in c for c in classes) == 1
    assert "evil" not in " ".join(el.get("id", "") for el in root.iter())


# --- the hostile site in a real browser -------------------------------------------------


@pytest.mark.browser
def test_hostile_site_runs_no_script_in_a_browser(guarded, chromium):
    """Every page of the hostile site, and a search for the payloads, in Chromium: no
    dialog opens, no payload sets ``window.__pwned``, no request leaves for a payload's
    URL, and the diagram and chart images display."""
    outcome = guarded(hostile_decisions())
    assert outcome.built, outcome.log
    pages = generated_pages(outcome.site)
    dialogs: list[str] = []
    with serve(outcome.site) as base:
        context = chromium.new_context()
        try:
            for page in ["", *pages]:
                tab = context.new_page()
                tab.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
                watch = Watch(base).attach(tab)
                tab.goto(base + page, wait_until="networkidle")
                images = tab.evaluate(IMAGES_JS)
                assert tab.evaluate("window.__pwned") is None, page
                # ![img](javascript:...) keeps its alt text and loses its src (nh3): no request
                broken = [i["src"] for i in images if not (i["complete"] and i["naturalWidth"] > 0) and i["src"] is not None]
                assert not broken, (page, broken)
                assert not [u for u in watch.external if "javascript" in u or "example" in u], watch.external
                tab.close()
            tab = context.new_page()
            tab.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
            tab.goto(base, wait_until="networkidle")
            # queries whose results show the payloads in their titles and teasers
            for query in ("F-title", "F-context", "onerror", "F-node"):
                box = tab.locator(".md-search__input")
                box.click()
                box.fill("")
                box.press_sequentially(query, delay=20)  # key events, as Material reads them
                tab.wait_for_selector(".md-search-result__item", timeout=20_000)
                tab.wait_for_timeout(300)  # let the result list render fully
                assert tab.evaluate("window.__pwned") is None, query
                assert tab.locator(".md-search-result script, .md-search-result img[onerror]").count() == 0, query
            tab.close()
        finally:
            context.close()
    assert not dialogs, dialogs


@pytest.mark.parametrize(
    "path",
    [
        "<img src=x onerror=alert(1)>/0001-x.yaml",  # a workload folder name becomes URLs and titles
        "app/0001-x\"><script>alert(1)<.yaml",
        "app/0001-x\x1b[2J.yaml",
    ],
)
def test_hostile_file_and_folder_names_are_refused(guarded, path):
    """Refused (an error), or built with a warning (mkdocs build --strict fails) and the
    name only ever escaped in the pages."""
    outcome = guarded({path: decision_yaml()})
    flagged = [line for line in outcome.log.splitlines() if line.startswith(("ERROR", "WARNING")) and "decisions/" in line]
    assert flagged, outcome.log
    assert "\x1b" not in outcome.log
    for page in (outcome.site / "architecture").rglob("*.html") if outcome.site.exists() else ():
        assert not live_script(page.read_text("utf-8")), page
