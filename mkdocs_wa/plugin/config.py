"""Typed, documented options of the ``well-architected`` plugin."""

from __future__ import annotations

import datetime as dt

from mkdocs.config import base
from mkdocs.config import config_options as c

from mkdocs_wa.render.nav import MOST_LISTED
from mkdocs_wa.source.project import parse_date


class DateOption(c.BaseConfigOption[dt.date | None]):
    """A date written ``2026-12-01`` (YAML reads it as a date) or ``"2026-12-01"``."""

    def run_validation(self, value: object) -> dt.date | None:
        if value is None:
            return None
        date = parse_date(value)
        if date is None:
            raise base.ValidationError(f"'{value}' is not a date: write it as YYYY-MM-DD, e.g. 2026-12-01")
        return date


class WellArchitectedConfig(base.Config):
    #: Turn the plugin off without removing it (e.g. ``enabled: !ENV [WA_ENABLED, true]``).
    enabled = c.Type(bool, default=True)
    #: Folder of decision files, relative to mkdocs.yml.
    decisions_dir = c.Type(str, default="decisions")
    #: URL section of the generated pages (``architecture/`` -> ``/architecture/...``).
    section = c.Type(str, default="architecture")
    #: Title of the generated section in the navigation.
    nav_title = c.Type(str, default="Architecture")
    #: List every decision page in the navigation, under its workload. Off: the navigation
    #: holds the overview, explorer, loops and each workload's log and timeline; a decision
    #: page is reached from its log, the explorer and search (and shows its log as the
    #: current place in the navigation), so the build grows linearly with the decisions.
    #: Turn it on for a small site.
    nav_decisions = c.Type(bool, default=False)
    #: The most workloads the navigation lists (each with its log and timeline). With
    #: more, it holds the overview, explorer, loops and changes pages, and the overview's
    #: card per workload leads to the rest: every page carries the navigation, so at 100
    #: workloads listing them costs more than the rest of the plugin (docs/performance.md).
    nav_workloads = c.Type(int, default=MOST_LISTED)
    #: Lens: a shipped lens name (``aws-well-architected``, ``azure-well-architected``) or a
    #: YAML file relative to mkdocs.yml. Default: AWS Well-Architected.
    lens = c.Optional(c.Type(str))
    #: What an invalid decision does: ``fail`` the build listing every problem, or
    #: ``skip`` the file with a warning (``mkdocs build --strict`` still fails on it).
    on_invalid = c.Choice(("fail", "skip"), default="fail")
    #: Allow raw HTML in decision Markdown. Off: HTML is shown as text and links are
    #: limited to safe schemes, because decision files come from pull requests.
    trusted_html = c.Type(bool, default=False)
    #: Draw an architecture diagram per iteration (needs Graphviz).
    diagrams = c.Type(bool, default=True)
    #: When Graphviz is missing: ``False`` fails the build naming the package to install;
    #: ``True`` builds without diagrams and logs one warning.
    allow_missing_graphviz = c.Type(bool, default=False)
    #: Read the evolution of each decision from git history.
    history = c.Type(bool, default=True)
    #: Days after a decision's date when its result is due if it names no ``review_by``.
    review_days = c.Type(int, default=90)
    #: The date open feedback loops are judged on (YYYY-MM-DD); default: today. Set it
    #: for reproducible builds.
    today = DateOption()
    #: Cache folder for rendered diagrams, relative to mkdocs.yml.
    cache_dir = c.Type(str, default=".cache/plugin/well-architected")
    #: ``mkdocs serve``: after the first build, freeze what is alive (``gc.freeze()``,
    #: for the whole process) so Python's full collections skip it during rebuilds.
    #: Off by default: it saves a fraction of a second per rebuild at 1,000 decisions
    #: (docs/performance.md) and changes the garbage collector of every plugin.
    serve_freeze_gc = c.Type(bool, default=False)
    #: Write ``<section>/decisions.json`` with every decision, verdict and series.
    export = c.Type(bool, default=True)
    #: Write ``<section>/feed.xml``: an Atom feed of new decisions, results and regressions.
    feed = c.Type(bool, default=True)
    #: Base URL for "edit this decision" links, e.g.
    #: ``https://github.com/org/repo/edit/main/``; default: derived from ``repo_url``
    #: and ``edit_uri``.
    edit_url_base = c.Optional(c.Type(str))
    #: The Markdown extensions decision text may use, among the site's own
    #: (``markdown_extensions`` of mkdocs.yml). Default: an allow-list of extensions that
    #: only change how text is written (no ``pymdownx.snippets``, nothing that reads
    #: files or runs code); list names here to narrow or widen it.
    markdown_extensions = c.Optional(c.ListOfItems(c.Type(str)))
