"""An Atom feed of what happened to the decisions: new decisions, results, regressions.

``<section>/feed.xml``, written with :mod:`xml.etree` (text is escaped by the library).
Deterministic: the feed's ``updated`` is its newest entry's time, never the build's,
so an unchanged site gives an unchanged file. Entry ids are ``tag:`` URIs that do not
depend on where the site is published; links are absolute with ``site_url``, else
relative to the feed (RFC 4287 allows relative references).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from mkdocs_wa.analysis.loops import FeedbackLoops
from mkdocs_wa.layout import Layout
from mkdocs_wa.model import Catalog
from mkdocs_wa.render.pages import words

ATOM = "http://www.w3.org/2005/Atom"
#: The newest entries only: a feed reader needs what is new, not the whole history.
MAX_ENTRIES = 100


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: dt.datetime
    page: str  # docs-relative .md path
    summary: str
    category: str


def page_url(md_path: str, use_directory_urls: bool) -> str:
    """The URL path of a page as MkDocs makes it (``a/b.md`` -> ``a/b/`` or ``a/b.html``)."""
    base = md_path[:-3]
    if not use_directory_urls:
        return base + ".html"
    if base == "index" or base.endswith("/index"):
        return base[:-5]
    return base + "/"


def _day(d: dt.date) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC)


def _time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _deciders(deciders: tuple[str, ...]) -> str:
    return " " + words.say("feed_deciders", deciders=", ".join(deciders)) if deciders else ""


def entries(catalog: Catalog, loops: FeedbackLoops, layout: Layout) -> list[Entry]:
    tag = f"tag:mkdocs-wa,2026:{layout.section}"
    out: list[Entry] = []
    for d in catalog.decisions:
        page = layout.decision(d)
        status = words.STATUS.get(d.status, (d.status.capitalize(), ""))[0]
        summary = words.say("feed_decision", id=d.id, workload=words.workload_name(d.workload), status=status.lower(), date=d.date.isoformat())
        out.append(Entry(f"{tag}/{d.id}/decision", words.say("feed_decision_title", status=status, id=d.id, title=d.title),
                         _day(d.date), page, summary + _deciders(d.deciders), "decision"))
        if d.result is not None:
            when = d.result.measured_on or d.date
            hv = loops.verdicts.get(d.id)
            outcome = words.OUTCOME.get(d.result.outcome, (d.result.outcome.capitalize(), ""))[0]
            summary = words.say("feed_outcome", outcome=outcome) + (f" {d.result.summary.strip()}" if d.result.summary.strip() else "")
            if hv is not None and hv.metrics:
                summary += " " + words.say("feed_metrics", metrics="; ".join(
                    words.say("feed_metric", metric=m.metric.name, observed=m.observed or words.say("verdict_unmeasured"), target=m.target,
                              verdict=m.verdict.value)
                    for m in hv.metrics))
            out.append(Entry(f"{tag}/{d.id}/result", words.say("feed_result_title", id=d.id, outcome=outcome), _day(when), page, summary, "result"))
    for r in loops.regressed:
        out.append(Entry(f"{tag}/{r.decision.id}/regressed/{r.index + 1}/{_time(r.latest.time)}",
                         words.say("feed_regressed_title", id=r.decision.id, metric=r.metric.name), r.latest.time, layout.decision(r.decision),
                         r.message() + _deciders(r.decision.deciders), "regression"))
    out.sort(key=lambda e: (e.updated, e.id), reverse=True)
    return out[:MAX_ENTRIES]


def atom_feed(
    catalog: Catalog, loops: FeedbackLoops, layout: Layout, *, title: str = "", site_url: str | None = None,
    use_directory_urls: bool = True,
) -> str:
    """The feed's text."""
    ET.register_namespace("", ATOM)
    items = entries(catalog, loops, layout)
    feed_path = layout.feed()

    def href(path: str) -> str:
        if site_url:
            return site_url.rstrip("/") + "/" + path
        return posixpath.relpath(path or ".", posixpath.dirname(feed_path) or ".") + ("/" if path.endswith("/") else "")

    def sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{name}", attrs)
        if text is not None:
            el.text = text
        return el

    root = ET.Element(f"{{{ATOM}}}feed")
    sub(root, "title", title or words.say("feed_title"))
    sub(root, "subtitle", words.say("feed_subtitle"))
    sub(root, "id", f"tag:mkdocs-wa,2026:{layout.section}/feed")
    sub(root, "updated", _time(items[0].updated) if items else "1970-01-01T00:00:00Z")
    sub(root, "link", rel="self", href=href(feed_path), type="application/atom+xml")
    sub(root, "link", rel="alternate", href=href(page_url(layout.overview(), use_directory_urls)), type="text/html")
    author = sub(root, "author")
    sub(author, "name", "mkdocs-wa")
    sub(root, "generator", "mkdocs-wa", uri="https://pypi.org/project/mkdocs-wa/")
    for e in items:
        entry = sub(root, "entry")
        sub(entry, "id", e.id)
        sub(entry, "title", e.title)
        sub(entry, "updated", _time(e.updated))
        sub(entry, "link", rel="alternate", href=href(page_url(e.page, use_directory_urls)), type="text/html")
        sub(entry, "category", term=e.category)
        sub(entry, "summary", e.summary)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
