"""Material for MkDocs components in generated pages: admonitions, collapsible
blocks, content tabs, grid cards, badges with icons.

None of them needs ``md_in_html``, which costs every page of a site that enables it
(it takes over Python-Markdown's parsing of all raw HTML): blocks whose bodies are
Markdown use the syntax of the extensions Material documents (``admonition``,
``pymdownx.details`` ``???``, ``pymdownx.tabbed`` with ``alternate_style``, ``attr_list``),
and the HTML-only ones (grid cards, the explorer's table, the timeline's events) are
written as finished HTML whose links :meth:`~mkdocs_wa.layout.Layout.href` has already
resolved. The MkDocs adapter enables the extensions for the site when it does not
already (see ``site.PAGE_EXTENSIONS``). Icons are inline SVG (:mod:`.icons`). Under
another theme the same HTML degrades to plain blocks, lists and ``<details>``: nothing
needs JavaScript.

Markdown bodies are already safe (escaped by the caller with :func:`~mkdocs_wa.text.esc`);
HTML bodies hold user text escaped with :func:`~mkdocs_wa.text.attr`; titles are words
of :mod:`.words` or user text escaped by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence

from mkdocs_wa.render.pages.icons import icon
from mkdocs_wa.render.pages.words import OUTCOME, STATUS
from mkdocs_wa.text import attr

#: Characters Markdown's inline patterns read, even inside an attribute of inline HTML
#: (its link pattern runs before its HTML pattern): written as character references,
#: which browsers decode and Markdown leaves alone.
_MD_INLINE = {c: f"&#{ord(c)};" for c in "[]()`*_\\|!~{}#+"}


def md_attr(text: object) -> str:
    """A value for an attribute of *inline* HTML in generated Markdown (a table cell, a
    list item): HTML-escaped like :func:`~.text.attr`, and inert to Markdown."""
    return "".join(_MD_INLINE.get(c, c) for c in attr(text))


def indent(markdown: str, spaces: int = 4) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else "" for line in markdown.rstrip("\n").split("\n"))


def admonition(kind: str, title: str, body: str) -> str:
    """``!!! kind "title"`` with ``body`` inside (``title`` must hold no double quote)."""
    return f'!!! {kind} "{title}"\n\n{indent(body)}\n'


def details(summary: str, body: str, *, kind: str = "abstract", open: bool = False, css: str = "") -> str:
    """A collapsible block with a Markdown ``body`` (``pymdownx.details``: ``??? kind``),
    styled as Material's. ``summary`` is inline Markdown (user text escaped with
    :func:`~mkdocs_wa.text.esc`), holding no line break."""
    classes = " ".join(c for c in (kind, css) if c)
    marker = "???+" if open else "???"
    return f'{marker} {classes} "{summary}"\n\n{indent(body)}\n'


def details_html(summary_html: str, body_html: str, *, kind: str = "abstract", css: str = "") -> str:
    """A collapsible block inside generated HTML (both parts HTML, user text escaped)."""
    classes = " ".join(c for c in (kind, css) if c)
    return f'<details class="{classes}"><summary>{summary_html}</summary>{body_html}</details>'


def a(target: str, label_html: str, *, title: str = "", css: str = "") -> str:
    """A link in generated HTML: ``target`` from :meth:`~mkdocs_wa.layout.Layout.href`
    (or a URL checked by :func:`~mkdocs_wa.text.url`), ``label_html`` escaped."""
    extra = (f' title="{attr(title)}"' if title else "") + (f' class="{css}"' if css else "")
    return f'<a href="{attr(target)}"{extra}>{label_html}</a>'


def html_code(text: object) -> str:
    """Text as ``<code>`` in generated HTML."""
    return f"<code>{attr(text)}</code>"


def tabs(items: Sequence[tuple[str, str]]) -> str:
    """Content tabs (``=== "After"``); a single item is shown without tabs."""
    items = [(label, body) for label, body in items if body.strip()]
    if len(items) == 1:
        return items[0][1]
    return "\n".join(f'=== "{label}"\n\n{indent(body)}\n' for label, body in items)


def cards(items: Sequence[str], css: str = "") -> str:
    """Material grid cards as HTML: each item is one card's HTML (no blank line)."""
    body = "\n".join(f"<li>{item}</li>" for item in items if item.strip())
    extra = f" {css}" if css else ""
    return f'<div class="grid cards{extra}"><ul>\n{body}\n</ul></div>\n'


def status_badge(status: str, *, with_icon: bool = True) -> str:
    """A status as icon + word, in the status' colour (the word carries the meaning).
    ``with_icon=False`` for long lists (the explorer), where the icons would weigh
    more than the rest of the page."""
    label, name = STATUS.get(status, (status.capitalize(), "information-outline"))
    mark = f"{icon(name)} " if with_icon else ""
    return f'<span class="wa-status wa-status--{attr(status)}">{mark}{attr(label)}</span>'


def outcome_badge(outcome: str | None, *, with_icon: bool = True) -> str:
    """A hypothesis' result (or "Awaiting result"), with a different shape from the
    status badge: a status is a pill, a result a squared tag with the word "Result"."""
    key = outcome if outcome in OUTCOME else None
    label, name = OUTCOME[key]
    if outcome and outcome not in OUTCOME:
        label = outcome.capitalize()
    css = attr(outcome) if outcome else "open"
    mark = f"{icon(name)} " if with_icon else ""
    return f'<span class="wa-outcome wa-outcome--{css}">{mark}{attr(label)}</span>'
