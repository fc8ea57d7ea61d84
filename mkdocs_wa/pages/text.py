"""Escaping user text into generated Markdown.

Decision files are untrusted input. Any string that goes into generated Markdown
outside a Markdown-text field (titles, labels, metric names, ids, notes in tables) goes
through :func:`esc`, which neutralises both HTML and Markdown syntax, so it shows as
typed. Markdown fields (context, decision, ...) are rendered by the adapter's renderer
with raw HTML escaped and the result sanitised (see :mod:`mkdocs_wa.plugin.markdown`).
"""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~<>])")


def esc(text: object) -> str:
    """Inline text, shown literally: HTML-escaped, Markdown specials backslashed, one line."""
    s = " ".join(str(text).split())
    s = html.escape(s, quote=True)
    # html.escape has turned < > & " ' into entities; now stop Markdown from reading the rest.
    return _MD_SPECIAL.sub(r"\\\1", s)


def attr(text: object) -> str:
    """A value for an HTML attribute inside generated Markdown."""
    return html.escape(" ".join(str(text).split()), quote=True)


def url(text: str) -> str:
    """A link target from a decision file, or '' when its scheme is not http(s)/mailto/relative."""
    t = text.strip()
    lowered = re.sub(r"[\x00-\x20]", "", t).lower()
    if ":" in lowered.split("/", 1)[0] and not lowered.startswith(("http:", "https:", "mailto:")):
        return ""
    return t.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def code(text: object) -> str:
    """Text as an inline code span, shown exactly as written.

    Markdown escapes nothing inside a code span (a backslash would show), and
    Python-Markdown HTML-escapes its content itself, so the text goes in raw, fenced
    with more backticks than it contains.
    """
    s = " ".join(str(text).split())
    longest = max((len(run) for run in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {s} {fence}" if longest or s.startswith(("`", " ")) else f"`{s}`"
