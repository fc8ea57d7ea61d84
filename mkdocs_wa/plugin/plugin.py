"""The ``well-architected`` MkDocs plugin: event handlers that hand the core's output to MkDocs.

Every handler starts by checking ``enabled``. The work happens in
:func:`mkdocs_wa.pipeline.build.build`; this module translates options in, and diagnostics and
generated files out.
"""

from __future__ import annotations

import datetime as dt
import gc
import html as html_lib
import os
import posixpath
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from mkdocs_wa.diagnostics import Diagnostic
from mkdocs_wa.layout import Layout
from mkdocs_wa.memo import NO_MEMO, Memo, memo_render
from mkdocs_wa.pipeline.build import BuildOptions, BuildResult, build, edit_url
from mkdocs_wa.plugin.config import WellArchitectedConfig
from mkdocs_wa.plugin.nav import insert_section
from mkdocs_wa.render.markdown import REL_MARK, TextRenderer, resolve_relative
from mkdocs_wa.render.pages.words import count
from mkdocs_wa.render.site import CSS_PATH, JS_PATH, PAGE_EXTENSIONS
from mkdocs_wa.source.lens import builtin_lenses, load_lens
from mkdocs_wa.source.project import plugin_position

log = get_plugin_logger("well-architected")

class WellArchitectedPlugin(BasePlugin[WellArchitectedConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.result: BuildResult | None = None
        self.options: BuildOptions | None = None
        self.edit_urls: dict[str, str] = {}
        self.page_sources: dict[str, str] = {}
        #: Decision page -> its tags, for Material's tags plugin when the site enables it.
        self.page_tags: dict[str, tuple[str, ...]] = {}
        self.tags_plugin = False
        #: Kept between the builds of one ``mkdocs serve`` (see on_startup).
        self.memo: Memo = NO_MEMO
        #: Whether on_serve froze the garbage collector (option serve_freeze_gc).
        self.frozen = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup makes MkDocs keep this instance for every rebuild of a
        # serve session, so what one build parsed and rendered serves the next, and
        # each generated file knows whether it changed since (for --dirty, see _File).
        self.memo = Memo() if command == "serve" else NO_MEMO

    # -- configuration ---------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        root = Path(config.config_file_path or ".").resolve().parent
        self.tags_plugin = any(name in ("tags", "material/tags") for name in config.plugins)
        lens_spec = self.config.lens
        if lens_spec and lens_spec not in builtin_lenses():
            lens_spec = str(root / lens_spec)
        lens, diags = load_lens(lens_spec)
        if lens is None:
            self._log(diags, as_warning=False)
            raise PluginError("well-architected: the lens file is invalid (see the errors above)")
        today = self.config.today or dt.date.today()
        section = self.config.section.strip("/")
        if not section:
            raise PluginError("well-architected: 'section' must name a folder, e.g. 'architecture'")
        self.options = BuildOptions(
            project_root=root,
            decisions_dir=root / self.config.decisions_dir,
            lens=lens,
            layout=Layout(section, directory_urls=config.use_directory_urls),
            today=today,
            review_days=self.config.review_days,
            edit_url_base=self.config.edit_url_base or _edit_url_base(config, root),
            diagrams=self.config.diagrams,
            missing_graphviz="warning" if self.config.allow_missing_graphviz else "error",
            cache_dir=root / self.config.cache_dir,
            export=self.config.export,
            history=self.config.history,
            commit_url=config.repo_url.rstrip("/") + "/commit/{sha}" if config.repo_url else None,
            origin=Path(config.config_file_path or "mkdocs.yml").name,
            origin_position=plugin_position(config.config_file_path) if config.config_file_path else (0, 0),
            feed=self.config.feed,
            site_name=config.site_name or "",
            site_url=config.site_url or None,
            use_directory_urls=config.use_directory_urls,
        )
        add_page_support(config)
        return config

    # -- files, navigation, pages ----------------------------------------------------

    # Priority -100: run after other plugins have added their files, so a collision with
    # a page of theirs (or the author's) is reported instead of silently replaced.
    @event_priority(-100)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.options is None:
            return None
        if not self.options.decisions_dir.is_dir():
            log.warning(f"no decisions folder at {self.options.decisions_dir} (option 'decisions_dir')")
        self.memo.start_build()
        renderer = TextRenderer(
            config.markdown_extensions, config.mdx_configs,
            trusted_html=self.config.trusted_html, allow=self.config.markdown_extensions,
        )
        render = memo_render(renderer, self.memo, renderer.settings)
        result = build(self.options, render, self.memo)
        errors = [d for d in result.diagnostics if d.is_error]
        # A missing Graphviz is no problem of a decision file: 'on_invalid: skip' would
        # not help, and the error itself says what does.
        in_files = [d for d in errors if d.code != "graphviz"]
        if errors and (self.config.on_invalid == "fail" or len(in_files) < len(errors)):
            self._log(result.diagnostics, as_warning=False)
            if not in_files:
                raise PluginError(
                    "well-architected: Graphviz is missing (see above): install it, or set "
                    "'allow_missing_graphviz: true' in the plugin's options to build without diagrams."
                )
            raise PluginError(
                f"well-architected: {count(len(in_files), 'error')} in decision files (listed above). "
                "Fix them, or set 'on_invalid: skip' to build without the invalid decisions."
            )
        self._log(result.diagnostics, as_warning=True)
        for notice in result.notices:
            log.warning(notice)
        for info in result.infos:  # drafts: a local preview is no problem, --strict passes
            log.info(info)
        log.debug(f"generated {count(len(result.files), 'file')}, changed since the last build: {sum(f.changed for f in result.files)}")
        self.edit_urls = {}
        self.page_sources = {}
        self.page_tags = {}
        # A page of the site (or of another plugin) with the URL of a generated file would be
        # replaced by it, or replace it: compared by output URL (a docs/architecture.md and the
        # overview architecture/index.md are both /architecture/), not by source path.
        by_url = {f.dest_uri.casefold(): f for f in files}
        made: list[File] = []
        clashes: list[str] = []
        for generated in result.files:
            file: File = _File.made(config, generated.path, generated.content, changed=generated.changed)
            existing = by_url.get(file.dest_uri.casefold()) or files.get_file_from_path(generated.path)
            if existing is not None:
                source = generated.decision.path if generated.decision is not None else f"the plugin's page {generated.path}"
                where = f"plugin {existing.generated_by}" if existing.generated_by else Path(config.docs_dir).name + "/"
                clashes.append(f"{existing.src_uri} (in {where}) and {source} both give the URL '{file.dest_uri}'")
            made.append(file)
        if clashes:
            for clash in clashes:
                log.error(f"well-architected: {clash}")
            raise PluginError(
                f"well-architected: {count(len(clashes), 'page')} of the site "
                f"{'has' if len(clashes) == 1 else 'have'} the URL of a generated page (listed above); "
                f"rename them or change the plugin's 'section' option (now '{self.options.layout.section}')"
            )
        for generated, file in zip(result.files, made):
            # NOT_IN_NAV: MkDocs neither lists them in its automatic nav nor reports them as
            # missing from an explicit one; on_nav places them in one curated section.
            files.append(file)
            if generated.decision is not None:
                self.page_sources[generated.path] = generated.decision.path
                if generated.decision.tags and generated.is_page:
                    self.page_tags[generated.path] = generated.decision.tags
            if generated.decision is not None and (url := edit_url(self.options.edit_url_base, generated.decision)):
                self.edit_urls[generated.path] = url
        self.result = result
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled or self.result is None or self.options is None:
            return None
        layout = self.options.layout
        insert_section(nav, files, self.config.nav_title, layout.section, [(None, self.result.catalog, layout)],
                       decisions=self.config.nav_decisions, most=self.config.nav_workloads)
        return nav

    # Priority 100: before other plugins see the page (mkdocs-macros reads render_macros).
    @event_priority(100)
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or self.options is None:
            return None
        if self._ours(page):
            # A generated page is no template: mkdocs-macros (and plugins that follow its
            # convention) leave it alone. User text in it is escaped besides (pages/text.py).
            page.meta["render_macros"] = False
            # Material's tags plugin (priority -50, after this) lists decisions by tag. Its
            # templates write tag names unescaped, so they get them escaped. Only with the
            # plugin on: a non-empty meta costs page rendering at scale (on_page_content).
            if self.tags_plugin and (tags := self.page_tags.get(page.file.src_uri)):
                page.meta["tags"] = [html_lib.escape(t, quote=False) for t in tags]
        # Generated pages have no source in docs/: point "edit" at the decision's YAML.
        url = self.edit_urls.get(page.file.src_uri)
        if url:
            page.edit_url = url
        elif page.file.generated_by and page.file.src_uri.startswith(self.options.layout.section + "/"):
            page.edit_url = None
        return None

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or self.options is None or not self._ours(page):
            return None
        html = finish_page(html, page)
        if REL_MARK in html:
            # Relative links and images in decision text: to the page or file they name,
            # and a warning (so --strict fails, as for MkDocs' own pages) when none exists.
            html, missing = resolve_relative(html, page.file.src_uri, files.get_file_from_path, lambda f: f.url_relative_to(page.file))
            where = self.page_sources.get(page.file.src_uri, page.file.src_uri)
            for target in missing:
                log.warning(f"{where}: the link or image '{target}' in the decision's text leads to no page or file of the site "
                            f"(relative to its page, {page.file.src_uri})")
        return html

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder) -> LiveReloadServer | None:
        if not self.config.enabled or self.options is None:
            return None
        if self.options.decisions_dir.is_dir():
            server.watch(str(self.options.decisions_dir))
        origin = self.options.lens.origin
        if origin and not origin.startswith("builtin:"):
            server.watch(origin)
        if self.config.serve_freeze_gc:
            # Opt-in: what the first build left alive (the memo, the history, MkDocs'
            # own state) stays alive for the session; frozen, Python's full collections
            # skip it during rebuilds. Collected first, so no garbage is kept frozen.
            # It changes the whole process, so it is the site's choice (figures:
            # docs/performance.md, "Rebuilds").
            gc.collect()
            gc.freeze()
            self.frozen = True
        return server

    def on_shutdown(self) -> None:
        # MkDocs keeps this instance for the whole process (because of on_startup):
        # another build in it (a test, a script) must not inherit this session's state.
        self.memo = NO_MEMO
        if self.frozen:
            gc.unfreeze()
            self.frozen = False

    # -- helpers ---------------------------------------------------------------------

    def _ours(self, page: Page) -> bool:
        return bool(
            self.options is not None
            and page.file.generated_by
            and page.file.src_uri.startswith(self.options.layout.section + "/")
        )

    def _log(self, diagnostics: list[Diagnostic], *, as_warning: bool) -> None:
        for d in diagnostics:
            text = d.format()
            if d.is_error and not as_warning:
                log.error(text)
            else:
                log.warning(text)


class _File(File):
    """A generated file that knows whether its content changed since the last build.

    In a dirty build (``mkdocs serve --dirty``) MkDocs renders a page again only when
    ``is_modified()``; for a file held in memory it always says yes. This one says yes
    only when the content changed (:attr:`GeneratedFile.changed`) or the page was never
    written, so an edit to one decision renders its page, its workload's log and
    timeline, and the few other pages that show it, not the whole section."""

    changed = True

    @classmethod
    def made(cls, config: MkDocsConfig, path: str, content: str | bytes, *, changed: bool) -> _File:
        file = cls.generated(config, path, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
        assert isinstance(file, _File)
        file.changed = changed
        return file

    def is_modified(self) -> bool:
        return self.changed or not os.path.isfile(self.abs_dest_path)


_THEME_ID = re.compile(r'(\sid="|\shref="#|\sfor=")(_[^"]*")')


def add_page_support(config: MkDocsConfig) -> None:
    """Add what generated pages need to the site's config: the stylesheet, the script and
    the Markdown extensions of Material's components (see render/pages/components.py).
    Each extension only acts on syntax a page opts into ("!!!", "===", "{: }"), so
    authors' own pages render as before. Shared by both plugins: added once."""
    if CSS_PATH not in config.extra_css:
        config.extra_css.append(CSS_PATH)
    if JS_PATH not in [str(js) for js in config.extra_javascript]:
        config.extra_javascript.append(JS_PATH)
    for extension, options in PAGE_EXTENSIONS:
        if extension not in config.markdown_extensions:
            config.markdown_extensions.append(extension)
            if options:
                config.mdx_configs.setdefault(extension, dict(options))


def finish_page(html: str, page: Page) -> str:
    """What every generated page needs once rendered (both plugins call it)."""
    # Back to an empty meta (see below): render_macros has done its job.
    page.meta.pop("render_macros", None)
    html = _own_ids(html, page)
    # Material writes <title>{{ page.title | striptags }}</title>, and Jinja's
    # striptags *unescapes* entities: a decision titled "</title><script>..." would
    # become live markup in the head. page.meta.title is written as it is, so it gets
    # the title as MkDocs took it from the h1 (still escaped). Only a title holding
    # "<" or "&" can change under striptags; leaving page.meta empty on the others
    # matters at scale: with a non-empty meta, Material looks up meta.icon, subtitle
    # and status for every navigation entry of every page (+25 % page rendering at
    # 1,000 decisions, see docs/performance.md).
    title = page.title
    if title and ("<" in title or "&" in title):
        page.meta["title"] = title
    return html


def _own_ids(html: str, page: Page) -> str:
    """Ids of a generated page that start with ``_`` (a heading made from a metric named
    ``__config``) get the ``wa-`` prefix: Material's own elements have ids such as
    ``__config``, ``__search`` and ``__drawer``, and the first in the page wins. Labels
    follow their inputs (``pymdownx.tabbed`` pairs ``<label for="__tabbed_1_1">`` with its
    radio button), as ``#`` links follow their targets."""
    if ' id="_' not in html and 'href="#_' not in html:
        return html

    def fix(items) -> None:
        for item in items:
            if item.id.startswith("_"):
                item.id = "wa-" + item.id
            fix(item.children)

    fix(page.toc)
    return _THEME_ID.sub(lambda m: m[1] + "wa-" + m[2], html)


def _edit_url_base(config: MkDocsConfig, root: Path) -> str | None:
    """``repo_url`` + ``edit_uri`` with the docs folder taken off, so the decision's
    repository-relative path can follow it."""
    if not config.repo_url or not config.edit_uri:
        return None
    edit_uri = config.edit_uri.strip("/")
    docs = Path(config.docs_dir).resolve()
    try:
        docs_rel = docs.relative_to(root).as_posix()
    except ValueError:
        docs_rel = docs.name
    if edit_uri.endswith("/" + docs_rel) or edit_uri == docs_rel:
        edit_uri = edit_uri[: -len(docs_rel)].rstrip("/")
    if "://" in edit_uri:
        return edit_uri + "/"
    return posixpath.join(config.repo_url.rstrip("/"), edit_uri) + "/"
