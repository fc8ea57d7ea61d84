"""Material for MkDocs components as generated Markdown: admonitions, collapsible
blocks, content tabs, grid cards, badges with icons.

They are written in the syntax of the Markdown extensions Material documents
(``admonition``, ``pymdownx.details``-style ``<details>`` through ``md_in_html``,
``pymdownx.tabbed`` with ``alternate_style``, ``md_in_html`` grid cards), so MkDocs
still resolves the links inside them; the MkDocs adapter enables those extensions for
the site when it does not already (see ``site.PAGE_EXTENSIONS``). Icons
are inline SVG (:mod:`.icons`), so they need no extension at all. Under another theme
the same HTML degrades to plain blocks, lists and ``<details>``: nothing needs
JavaScript.

Bodies are Markdown that is already safe (escaped by the caller); titles are plain
words of :mod:`.words` or text escaped with :func:`~.text.attr`.
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


def details(summary_html: str, body: str, *, kind: str = "abstract", open: bool = False, css: str = "") -> str:
    """A collapsible block, styled as Material's ``???`` blocks; ``summary_html`` is HTML."""
    classes = " ".join(c for c in (kind, css) if c)
    state = " open" if open else ""
    return f'<details class="{classes}"{state} markdown>\n<summary>{summary_html}</summary>\n\n{body.rstrip()}\n\n</details>\n'


def tabs(items: Sequence[tuple[str, str]]) -> str:
    """Content tabs (``=== "After"``); a single item is shown without tabs."""
    items = [(label, body) for label, body in items if body.strip()]
    if len(items) == 1:
        return items[0][1]
    return "\n".join(f'=== "{label}"\n\n{indent(body)}\n' for label, body in items)


def cards(items: Sequence[str], css: str = "") -> str:
    """Material grid cards: each item is one card's Markdown (first line is its head)."""
    body = "\n\n".join("- " + indent(item).lstrip() for item in items if item.strip())
    extra = f" {css}" if css else ""
    return f'<div class="grid cards{extra}" markdown>\n\n{body}\n\n</div>\n'


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
