"""``mkdocs-wa generate``: write the generated section as plain files into the docs folder.

For site generators that do not run MkDocs plugins (Zensical) or to look at what the
plugin publishes. It reads the ``well-architected`` options from mkdocs.yml, runs the
same pipeline as the plugin (:func:`mkdocs_wa.pipeline.build.build`), renders the Markdown of
decision files the same safe way (:class:`mkdocs_wa.render.markdown.TextRenderer`, which
imports no MkDocs), and writes the files with :func:`mkdocs_wa.pipeline.generate.write_output`.
``--watch`` regenerates when decisions, the lens or mkdocs.yml change.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import posixpath
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from mkdocs_wa.cli.common import print_diagnostics
from mkdocs_wa.diagnostics import Diagnostic, error, has_errors, sort_key, warning
from mkdocs_wa.layout import Layout
from mkdocs_wa.memo import NO_MEMO, Memo, memo_render
from mkdocs_wa.pipeline.build import BuildOptions, build, display_path
from mkdocs_wa.pipeline.generate import check_output_folder, css_path, js_path, nav_fragment, section_files, url_collisions, write_output
from mkdocs_wa.render.pages.words import count
from mkdocs_wa.render.site import PAGE_EXTENSIONS
from mkdocs_wa.source.lens import builtin_lenses, load_lens
from mkdocs_wa.source.project import IGNORED, TolerantLoader

PLUGIN = "well-architected"
#: Extensions MkDocs always loads, before the configured ones (``MarkdownExtensions(builtins=...)``).
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
#: Extensions the plugin adds when missing (what generated pages use).
PLUGIN_EXTENSIONS = tuple(name for name, _ in PAGE_EXTENSIONS)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "generate",
        help="write the generated section (for Zensical or any MkDocs-compatible tool) into the docs folder",
        description="Read the well-architected options from mkdocs.yml and write the generated pages, diagrams, "
        "charts, export, stylesheet and a navigation file into the section's folder under docs_dir. Only files "
        "whose content changed are written; files written before and no longer generated are removed; a file "
        "mkdocs-wa did not write is never touched (a manifest, .mkdocs-wa.json, lists its own). Exit 0 when "
        "written, 1 on errors in decisions or conflicting files, 2 on usage errors.",
    )
    p.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"), metavar="FILE",
                   help="the MkDocs configuration (default: mkdocs.yml)")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="the folder to write (default: the section's folder under docs_dir, e.g. docs/architecture)")
    p.add_argument("--watch", action="store_true",
                   help="keep running and regenerate when decisions, the lens or the configuration change")
    p.add_argument("--print-nav", action="store_true",
                   help="print the YAML to add under 'nav:' in mkdocs.yml (an explicit navigation) and write nothing")
    p.add_argument("--strict", action="store_true", help="fail (exit 1, write nothing) on warnings too")
    p.add_argument("--format", choices=("text", "github", "json"), default="text", help="how problems are printed")
    p.set_defaults(run=run)


# --- the project configuration, read with project.TolerantLoader ---------------------------


@dataclass
class _ProjectConfig:
    """What generate needs from mkdocs.yml. Private to this command until the shared
    project-config reader lands (mkdocs_wa/cli/project.py)."""

    path: Path
    data: dict
    node: yaml.Node | None
    options: dict = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.path.resolve().parent

    @property
    def docs_dir(self) -> Path:
        return self.root / str(self.data.get("docs_dir") or "docs")

    def mark(self, *keys: str | int) -> tuple[int, int]:
        """Line and column (1-based) of the value at ``keys``, or of the deepest found."""
        node, best = self.node, (1, 1) if self.node is not None else (0, 0)
        for key in keys:
            child = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == key:
                        child = v
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                child = node.value[key]
            if child is None:
                break
            node = child
            best = (child.start_mark.line + 1, child.start_mark.column + 1)
        return best


def _read_project_config(path: Path) -> tuple[_ProjectConfig | None, list[Diagnostic]]:
    shown = str(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return None, [error(shown, 0, 0, "no such file (run in the project folder or pass -f mkdocs.yml)", "usage")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [error(shown, 0, 0, f"cannot be read: {exc}", "usage")]
    loader = TolerantLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return None, [error(shown, line, col, f"invalid YAML: {getattr(exc, 'problem', None) or exc}", "config")]
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return None, [error(shown, 1, 1, "must be a mapping of settings", "config")]
    config = _ProjectConfig(path, data, node)
    return config, _plugin_options(config)


#: Option -> (types, default), as the plugin declares them (plugin/config.py).
_OPTIONS: dict[str, tuple[tuple[type, ...], Any]] = {
    "enabled": ((bool,), True),
    "decisions_dir": ((str,), "decisions"),
    "section": ((str,), "architecture"),
    "nav_title": ((str,), "Architecture"),
    "nav_decisions": ((bool,), False),
    # Zensical's navigation cannot hang a page under another without listing it, so
    # generate lists every workload whatever this says (it is known, not a typo).
    "nav_workloads": ((int,), 30),
    "lens": ((str, type(None)), None),
    "on_invalid": ((str,), "fail"),
    "trusted_html": ((bool,), False),
    "diagrams": ((bool,), True),
    "allow_missing_graphviz": ((bool,), False),
    "history": ((bool,), True),
    "review_days": ((int,), 90),
    "today": ((str, dt.date, type(None)), None),
    "cache_dir": ((str,), ".cache/plugin/well-architected"),
    "serve_freeze_gc": ((bool,), False),  # mkdocs serve only: nothing to do here
    "export": ((bool,), True),
    "feed": ((bool,), True),
    "edit_url_base": ((str, type(None)), None),
    "markdown_extensions": ((list, type(None)), None),
}


def _plugin_options(config: _ProjectConfig) -> list[Diagnostic]:
    """Fill ``config.options`` from the ``well-architected`` entry of ``plugins`` (the
    plugin's defaults when there is none)."""
    shown = str(config.path)
    plugins = config.data.get("plugins") or []
    raw: Any = None
    where: tuple = ("plugins",)
    if isinstance(plugins, dict):
        raw, where = plugins.get(PLUGIN), ("plugins", PLUGIN)
    elif isinstance(plugins, list):
        for i, entry in enumerate(plugins):
            if entry == PLUGIN:
                raw, where = {}, ("plugins", i)
            elif isinstance(entry, dict) and PLUGIN in entry:
                raw, where = entry[PLUGIN], ("plugins", i, PLUGIN)
    raw = raw or {}
    diags: list[Diagnostic] = []
    if not isinstance(raw, dict):
        return [error(shown, *config.mark(*where), f"the {PLUGIN} plugin's options must be a mapping", "config")]
    options = {name: default for name, (_, default) in _OPTIONS.items()}
    for key, value in raw.items():
        line, col = config.mark(*where, key)
        if key not in _OPTIONS:
            diags.append(warning(shown, line, col, f"unknown {PLUGIN} option '{key}'", "config"))
            continue
        types, _ = _OPTIONS[key]
        if value is IGNORED or not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            names = " or ".join("null" if t is type(None) else t.__name__ for t in types)
            diags.append(error(shown, line, col, f"{PLUGIN} option '{key}' must be {names}", "config"))
            continue
        options[key] = value
    if isinstance(options["markdown_extensions"], list) and not all(isinstance(x, str) for x in options["markdown_extensions"]):
        diags.append(error(shown, *config.mark(*where, "markdown_extensions"),
                           f"{PLUGIN} option 'markdown_extensions' must be a list of extension names", "config"))
        options["markdown_extensions"] = None
    if options["on_invalid"] not in ("fail", "skip"):
        diags.append(error(shown, *config.mark(*where, "on_invalid"), "on_invalid must be 'fail' or 'skip'", "config"))
    if isinstance(options["today"], str):
        try:
            options["today"] = dt.date.fromisoformat(options["today"])
        except ValueError:
            diags.append(error(shown, *config.mark(*where, "today"), f"'today: {options['today']}' is not a date (YYYY-MM-DD)", "config"))
    if not str(options["section"]).strip("/"):
        diags.append(error(shown, *config.mark(*where, "section"), "'section' must name a folder, e.g. 'architecture'", "config"))
    config.options = options
    return diags


def _markdown_extensions(config: _ProjectConfig) -> tuple[list[str], dict[str, dict], list[Diagnostic]]:
    """The extensions (and their settings) MkDocs and the plugin would render decision
    Markdown with: MkDocs' built-ins, the configured ones, then the plugin's."""
    raw = config.data.get("markdown_extensions") or []
    names = list(MKDOCS_BUILTIN_EXTENSIONS)
    settings: dict[str, dict] = {}
    diags: list[Diagnostic] = []
    if isinstance(raw, dict):
        entries = list(raw.items())
    elif isinstance(raw, list):
        entries = []
        for e in raw:
            if isinstance(e, str):
                entries.append((e, None))
            elif isinstance(e, dict) and len(e) == 1:
                entries.append(next(iter(e.items())))
            else:
                entries.append((None, e))
    else:
        where = config.mark("markdown_extensions")
        return names + list(PLUGIN_EXTENSIONS), {}, [error(str(config.path), *where, "markdown_extensions must be a list", "config")]
    for i, (name, value) in enumerate(entries):
        if not isinstance(name, str):
            diags.append(error(str(config.path), *config.mark("markdown_extensions", i),
                               "an extension is a name or a mapping of one name to its settings", "config"))
            continue
        if name not in names:
            names.append(name)
        if isinstance(value, dict):
            settings[name] = _drop_ignored(value)
    for name, options in PAGE_EXTENSIONS:  # as the plugin does for a site that lacks them
        if name not in names:
            names.append(name)
            if options:
                settings.setdefault(name, dict(options))
    return names, settings, diags


def _drop_ignored(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_ignored(v) for k, v in value.items() if v is not IGNORED}
    if isinstance(value, list):
        return [_drop_ignored(v) for v in value if v is not IGNORED]
    return value


def _edit_url_base(config: _ProjectConfig) -> str | None:
    """``repo_url`` + ``edit_uri`` without the docs folder, as the plugin derives it."""
    repo_url, edit_uri = config.data.get("repo_url"), config.data.get("edit_uri")
    if not isinstance(repo_url, str) or not repo_url:
        return None
    docs_rel = posixpath.normpath(str(config.data.get("docs_dir") or "docs")).strip("/")
    if edit_uri is None:  # MkDocs' defaults for the known hosts
        host = repo_url.split("://", 1)[-1].split("/", 1)[0].lower()
        edit_uri = {"github.com": "edit/master/", "gitlab.com": "edit/master/", "bitbucket.org": "src/default/"}.get(host)
        if edit_uri is None:
            return None
        edit_uri += docs_rel
    if not isinstance(edit_uri, str) or not edit_uri:
        return None
    edit_uri = edit_uri.strip("/")
    if edit_uri.endswith("/" + docs_rel) or edit_uri == docs_rel:
        edit_uri = edit_uri[: -len(docs_rel)].rstrip("/")
    if "://" in edit_uri:
        return edit_uri + "/"
    return posixpath.join(repo_url.rstrip("/"), edit_uri) + "/"


# --- one generation --------------------------------------------------------------------


@dataclass
class _Plan:
    options: BuildOptions
    out: Path
    docs_dir: Path
    title: str
    on_invalid: str
    render: Any
    notices: list[str]
    #: List every decision page in the navigation (option ``nav_decisions``).
    nav_decisions: bool = False


def _plan(args: argparse.Namespace, memo: Memo) -> tuple[_Plan | None, list[Diagnostic], _ProjectConfig | None]:
    config, diags = _read_project_config(args.config_file)
    if config is None or has_errors(diags):
        return None, diags, config
    o = config.options
    shown = str(config.path)
    root = config.root
    lens_spec = o["lens"]
    if lens_spec and lens_spec not in builtin_lenses():
        lens_spec = str(root / lens_spec)
    lens, lens_diags = load_lens(lens_spec)
    diags += lens_diags
    if lens is None:
        return None, diags, config
    docs_dir = config.docs_dir
    section = str(o["section"]).strip("/")
    out = args.out if args.out is not None else docs_dir / section
    out_abs = Path(os.path.abspath(out))
    # Written inside docs_dir, the folder is the URL section (links, nav and search agree).
    if out_abs.is_relative_to(os.path.abspath(docs_dir)) and out_abs != Path(os.path.abspath(docs_dir)):
        section = out_abs.relative_to(os.path.abspath(docs_dir)).as_posix()
    diags += check_output_folder(out, root)
    if out_abs == Path(os.path.abspath(docs_dir)):
        diags.append(error(str(out), 0, 0, "the output folder is docs_dir itself; name a folder inside it "
                           f"(default: {Path(docs_dir.name) / section})", "usage"))
    names, settings, ext_diags = _markdown_extensions(config)
    diags += ext_diags
    if has_errors(diags):
        return None, diags, config
    from mkdocs_wa.render.markdown import TextRenderer  # Python-Markdown and nh3 only, no MkDocs

    try:
        renderer = TextRenderer(names, settings, trusted_html=o["trusted_html"], allow=o["markdown_extensions"])
    except Exception as exc:  # an extension that is not installed or refuses its settings
        return None, diags + [error(shown, *config.mark("markdown_extensions"),
                                    f"the Markdown extensions cannot be loaded: {exc}", "config")], config
    repo_url = config.data.get("repo_url")
    options = BuildOptions(
        project_root=root,
        decisions_dir=root / o["decisions_dir"],
        lens=lens,
        layout=Layout(section, directory_urls=None),  # Zensical resolves links in raw HTML as in Markdown
        today=o["today"] or dt.date.today(),
        review_days=o["review_days"],
        edit_url_base=o["edit_url_base"] or _edit_url_base(config),
        diagrams=o["diagrams"],
        missing_graphviz="warning" if o["allow_missing_graphviz"] else "error",
        cache_dir=root / o["cache_dir"],
        export=o["export"],
        feed=o["feed"],
        history=o["history"],
        commit_url=repo_url.rstrip("/") + "/commit/{sha}" if isinstance(repo_url, str) and repo_url else None,
        origin=config.path.name,
        # As the plugin sets them: the export's links back and the feed's title and URLs.
        site_name=str(config.data.get("site_name") or ""),
        site_url=site_url if isinstance(site_url := config.data.get("site_url"), str) and site_url else None,
    )
    notices = _setup_notices(config, Layout(section), names)
    render = memo_render(renderer, memo, renderer.settings)
    plan = _Plan(options, out, docs_dir, o["nav_title"], o["on_invalid"], render, notices, o["nav_decisions"])
    return plan, diags, config


def _setup_notices(config: _ProjectConfig, layout: Layout, extensions: list[str]) -> list[str]:
    """What mkdocs.yml still needs for the generated files to display as with the plugin."""
    notices = []
    css = css_path(layout)
    extra_css = config.data.get("extra_css") or []
    if css not in extra_css:
        notices.append(f"{config.path.name}: add '{css}' to extra_css, or the generated pages show without their styles:\n"
                       f"  extra_css:\n    - {css}")
    js = js_path(layout)
    if js not in [str(j) for j in config.data.get("extra_javascript") or []]:
        notices.append(f"{config.path.name}: add '{js}' to extra_javascript, or the decision explorer cannot filter "
                       f"(its table reads without it):\n  extra_javascript:\n    - {js}")
    configured = config.data.get("markdown_extensions")
    if configured is not None:
        listed = {e if isinstance(e, str) else next(iter(e), None) for e in configured} if isinstance(configured, list) else set(configured)
        missing = [e for e in PLUGIN_EXTENSIONS if e not in listed]
        if missing:
            notices.append(f"{config.path.name}: add {', '.join(missing)} to markdown_extensions "
                           "(the plugin adds them; other tools do not)")
    nav = config.data.get("nav")
    if isinstance(nav, list) and layout.section + "/" not in yaml.safe_dump(nav):
        notices.append(f"{config.path.name} has an explicit nav that names no page of {layout.section}/: "
                       "add the output of `mkdocs-wa generate --print-nav` under nav")
    return notices


def generate_once(args: argparse.Namespace, memo: Memo = NO_MEMO, stream=None) -> int:
    out_stream = stream or sys.stdout
    plan, diags, _ = _plan(args, memo)
    if plan is None:
        print_diagnostics(sorted(diags, key=sort_key), args.format, out_stream)
        return 2
    memo.start_build()
    result = build(plan.options, plan.render, memo)
    diags = sorted(diags + result.diagnostics, key=sort_key)
    failed = has_errors(diags, strict=args.strict) if plan.on_invalid == "fail" or args.strict else False
    if not plan.options.decisions_dir.is_dir():
        diags.append(warning(str(plan.options.decisions_dir), 0, 0, "no decisions folder (option 'decisions_dir')", "usage"))
    if args.print_nav:
        print_diagnostics(diags, args.format, sys.stderr)
        pages = [f.path for f in result.files if f.is_page]
        print(nav_fragment(result.catalog, plan.options.layout, pages, plan.title, decisions=plan.nav_decisions), end="", file=out_stream)
        return 1 if failed else 0
    if failed:
        print_diagnostics(diags, args.format, out_stream)
        errors = sum(d.is_error for d in diags)
        what = count(errors, "error") if errors else f"{count(len(diags), 'warning')} with --strict"
        print(f"{what}: nothing written. Fix them, or set 'on_invalid: skip' to generate without the "
              "invalid decisions.", file=sys.stderr)
        return 1
    files = section_files(result.files, result.catalog, plan.options.layout, plan.title, decisions=plan.nav_decisions)
    report = write_output(plan.out, files)
    collisions = url_collisions(plan.docs_dir, plan.out, files)
    show = display_path(plan.options.project_root)  # paths as the other diagnostics show them
    written = [replace(d, path=show(Path(d.path))) for d in report.diagnostics + collisions]
    diags = sorted(diags + written, key=sort_key)
    print_diagnostics(diags, args.format, out_stream)
    for notice in result.notices + plan.notices:
        print(f"notice: {notice}", file=sys.stderr)
    print(
        f"{show(Path(plan.out))}: {count(len(report.written), 'file')} written, {report.unchanged} unchanged, "
        f"{len(report.removed)} removed, {count(len(report.conflicts) + len(collisions), 'conflict')}; "
        f"{count(len(result.catalog.decisions), 'decision')}",
        file=sys.stderr,
    )
    return 1 if any(d.is_error for d in report.diagnostics + collisions) else 0


def run(args: argparse.Namespace) -> int:
    if args.watch and args.print_nav:
        print("--watch and --print-nav do not go together", file=sys.stderr)
        return 2
    if not args.watch:
        return generate_once(args)
    return watch(args)


# --- --watch -----------------------------------------------------------------------------


def _watched(args: argparse.Namespace) -> list[Path]:
    """Files and folders whose change regenerates: mkdocs.yml, the decisions, the lens."""
    paths = [Path(os.path.abspath(args.config_file))]
    config, _ = _read_project_config(args.config_file)
    if config is not None and config.options:
        paths.append(config.root / config.options["decisions_dir"])
        lens = config.options["lens"]
        if lens and lens not in builtin_lenses():
            paths.append(config.root / lens)
    return paths


def watch(args: argparse.Namespace, stop: threading.Event | None = None, quiet: float = 0.3) -> int:
    try:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.api import BaseObserver  # Observer is the platform's subclass
    except ImportError:  # pragma: no cover - MkDocs and ProperDocs bring watchdog
        print("--watch needs watchdog: pip install watchdog", file=sys.stderr)
        return 2
    stop = stop or threading.Event()
    changed = threading.Event()
    memo = Memo()

    class Handler(FileSystemEventHandler):
        def __init__(self, targets: list[Path]) -> None:
            self.targets = targets

        def on_any_event(self, event) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            for raw in (getattr(event, "src_path", ""), getattr(event, "dest_path", "")):
                if raw and any(Path(os.fsdecode(raw)) == t or Path(os.fsdecode(raw)).is_relative_to(t) for t in self.targets):
                    changed.set()

    def schedule(targets: list[Path]) -> BaseObserver:
        observer = Observer()
        handler = Handler(targets)
        folders: set[Path] = set()
        for t in targets:
            folder = t if t.is_dir() else t.parent
            if folder.is_dir() and folder not in folders:
                folders.add(folder)
                observer.schedule(handler, str(folder), recursive=t.is_dir())
        observer.start()
        return observer

    def shape(paths: list[Path]) -> list[tuple[Path, bool]]:
        return [(p, p.is_dir()) for p in paths]  # a folder created later is watched then

    status = generate_once(args, memo)
    targets = _watched(args)
    watched = shape(targets)
    observer = schedule(targets)
    print("watching decisions, lens and configuration for changes (Ctrl+C to stop)", file=sys.stderr)
    try:
        while not stop.is_set():
            if not changed.wait(0.2):
                continue
            # Wait until the edits settle (an editor saves in several steps).
            while changed.is_set() and not stop.is_set():
                changed.clear()
                time.sleep(quiet)
            if stop.is_set():
                break
            status = generate_once(args, memo)
            # The configuration may name another decisions folder or lens now.
            now = _watched(args)
            if shape(now) != watched:
                observer.stop()
                observer.join()
                targets, watched = now, shape(now)
                observer = schedule(targets)
                changed.set()  # once more: a change while no observer ran is not lost
    finally:
        observer.stop()
        observer.join()
    return status
