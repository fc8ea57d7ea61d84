"""The ``well-architected-portal`` MkDocs plugin: an organisation portal built from the
exports (``decisions.json``) of many repositories.

A second plugin rather than an option of ``well-architected``: a portal usually has no
decisions of its own, and its options (sources, time and size limits) have nothing in
common with a repository's. Both can run in one site. The work happens in
:func:`mkdocs_wa.portal.build.build_portal`; this module translates options in, and
diagnostics and generated files out.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from mkdocs_wa.nouns import count
from mkdocs_wa.plugin.config import DateOption
from mkdocs_wa.plugin.nav import insert_section
from mkdocs_wa.plugin.plugin import add_page_support, finish_page
from mkdocs_wa.portal.build import PortalOptions, PortalResult, build_portal
from mkdocs_wa.portal.sources import MAX_BYTES, MAX_DIAGRAM_BYTES, TIMEOUT, parse_specs
from mkdocs_wa.render.markdown import REL_MARK, TextRenderer, resolve_relative
from mkdocs_wa.render.nav import MOST_LISTED
from mkdocs_wa.render.site import CSS_PATH, JS_PATH

log = get_plugin_logger("well-architected-portal")


class PortalConfig(base.Config):
    enabled = c.Type(bool, default=True)
    #: Exports to merge: paths (a ``decisions.json``, or a folder of ``*/decisions.json``
    #: and ``*.json``), HTTPS URLs, or mappings ``{url|path, name, team}``.
    sources = c.Type(list, default=[])
    #: URL section of the portal's pages.
    section = c.Type(str, default="portal")
    #: Title of the portal's section in the navigation.
    nav_title = c.Type(str, default="Architecture portal")
    #: The date feedback loops are judged on; default: today.
    today = DateOption()
    #: Seconds allowed for fetching one export (the whole transfer), and each diagram.
    timeout = c.Type((int, float), default=TIMEOUT)
    #: Largest export read, in bytes.
    max_bytes = c.Type(int, default=MAX_BYTES)
    #: Largest diagram read, in bytes.
    max_diagram_bytes = c.Type(int, default=MAX_DIAGRAM_BYTES)
    #: The most repositories the navigation lists (and workloads per repository). With
    #: more, it holds the portal's front page, which leads to each: every page carries the
    #: navigation, so listing 500 repositories would cost more than the pages themselves.
    nav_repositories = c.Type(int, default=MOST_LISTED)


class PortalPlugin(BasePlugin[PortalConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.result: PortalResult | None = None
        self.options: PortalOptions | None = None
        self.specs: list = []

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        root = Path(config.config_file_path or ".").resolve().parent
        origin = Path(config.config_file_path or "mkdocs.yml").name
        specs, problems = parse_specs(self.config.sources, origin)
        if problems:
            raise PluginError("well-architected-portal: " + "; ".join(problems))
        if not specs:
            raise PluginError("well-architected-portal: 'sources' lists no export (paths, folders or https:// URLs)")
        section = self.config.section.strip("/")
        if not section:
            raise PluginError("well-architected-portal: 'section' must name a folder, e.g. 'portal'")
        if self.config.timeout <= 0 or self.config.max_bytes <= 0 or self.config.max_diagram_bytes <= 0:
            raise PluginError("well-architected-portal: 'timeout', 'max_bytes' and 'max_diagram_bytes' must be positive")
        self.specs = specs
        self.options = PortalOptions(
            root=root, section=section, today=self.config.today or dt.date.today(),
            timeout=float(self.config.timeout), max_bytes=self.config.max_bytes,
            max_diagram_bytes=self.config.max_diagram_bytes,
        )
        add_page_support(config)
        return config

    # Priority -110: after the well-architected plugin (-100), whose stylesheet and
    # script it then finds already there.
    @event_priority(-110)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.options is None:
            return None
        # Exports are untrusted: never raw HTML, only the safe extensions' defaults.
        renderer = TextRenderer(config.markdown_extensions, config.mdx_configs, trusted_html=False)
        result = build_portal(self.specs, self.options, renderer)
        for d in result.diagnostics:
            (log.error if d.is_error else log.warning)(d.format())
        log.info(f"{count(len(result.repos), 'repository')} in the portal, {count(len(result.failed), 'source')} failed")
        by_url = {f.dest_uri.casefold(): f for f in files}
        clashes = []
        for generated in result.files:
            file = File.generated(config, generated.path, content=generated.content, inclusion=InclusionLevel.NOT_IN_NAV)
            existing = by_url.get(file.dest_uri.casefold())
            if existing is not None:
                if generated.path in (CSS_PATH, JS_PATH):
                    continue  # the well-architected plugin's, the same file
                clashes.append(f"{existing.src_uri} and the portal's {generated.path} both give the URL '{file.dest_uri}'")
                continue
            files.append(file)
        if clashes:
            for clash in clashes:
                log.error(f"well-architected-portal: {clash}")
            raise PluginError(f"well-architected-portal: {count(len(clashes), 'page')} of the site "
                              f"{'has' if len(clashes) == 1 else 'have'} the URL of a portal page; "
                              f"rename them or change the option 'section' (now '{self.options.section}')")
        self.result = result
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled or self.result is None or self.options is None:
            return None
        # Repositories and workloads, not every decision: a portal of thousands of
        # decisions keeps a navigation of a size people (and MkDocs) can use; an explicit
        # nav that places the portal's pages wins.
        section = self.options.section
        sites = [(repo.name, repo.export.catalog, repo.layout) for repo in self.result.repos]
        insert_section(nav, files, self.config.nav_title, section, sites, head=[f"{section}/index.md"],
                       most=self.config.nav_repositories)
        return nav

    # Priority 100: before other plugins see the page (mkdocs-macros reads render_macros).
    @event_priority(100)
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self._ours(page):
            page.meta["render_macros"] = False
            # The theme's edit button: the decision's file in its own repository, if known.
            page.edit_url = self.result.edit_urls.get(page.file.src_uri) if self.result else None
        return None

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self._ours(page):
            return None
        html = finish_page(html, page)
        if REL_MARK in html:
            # Relative links in an export's text name files of its repository, which the
            # portal does not have: they point to what exists, and say so at debug level.
            html, missing = resolve_relative(html, page.file.src_uri, files.get_file_from_path,
                                             lambda f: f.url_relative_to(page.file))
            for target in missing:
                log.debug(f"{page.file.src_uri}: '{target}' names a file of the repository, not of the portal")
        return html

    def _ours(self, page: Page) -> bool:
        return bool(self.config.enabled and self.options is not None and page.file.generated_by
                    and page.file.src_uri.startswith(self.options.section + "/"))
