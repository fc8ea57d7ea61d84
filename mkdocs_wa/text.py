"""Escaping user text into generated Markdown.

Decision files are untrusted input. Any string that goes into generated Markdown
outside a Markdown-text field (titles, labels, metric names, ids, notes in tables) goes
through :func:`esc`, which neutralises both HTML and Markdown syntax, so it shows as
typed. Markdown fields (context, decision, ...) are rendered by the adapter's renderer
with raw HTML escaped and the result sanitised (see :mod:`mkdocs_wa.render.markdown`).
"""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#+!|~<>])")
#: Braces as character references: Markdown shows them, and a plugin that renders
#: pages as Jinja templates (mkdocs-macros) finds no ``{{``, ``{%`` or ``{#`` in them.
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
_PLAIN = re.compile(r"[A-Za-z0-9_./@-]+")
#: Inside raw ``<code>``, every character Markdown (tables included) would read.
_CODE = str.maketrans({ch: f"&#{ord(ch)};" for ch in "\\`*_{}[]()#+-.!|~:="})


#: Bidirectional overrides and isolates: "txt.exe" shown as "exe.txt" (a title that
#: reads differently from what it says). Dropped from user text.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _line(text: object) -> str:
    return _BIDI.sub("", " ".join(str(text).split()))


def esc(text: object) -> str:
    """Inline text, shown literally: HTML-escaped, Markdown specials backslashed, one line."""
    s = _line(text)
    s = html.escape(s, quote=True)
    # html.escape has turned < > & " ' into entities; now stop Markdown from reading the rest.
    return _MD_SPECIAL.sub(r"\\\1", s).translate(_BRACES)


def attr(text: object) -> str:
    """A value for an HTML attribute inside generated Markdown."""
    return html.escape(_line(text), quote=True).translate(_BRACES)


def url(text: str) -> str:
    """A link target from a decision file, or '' when its scheme is not http(s)/mailto/relative.

    The scheme is judged as a browser reads the link: after character references are
    decoded (``javascript&#58;``, ``&colon;``) and control characters and spaces dropped."""
    t = text.strip()
    decoded = t
    for _ in range(8):  # "&amp;#58;" decodes twice; a bounded number of rounds
        once = html.unescape(decoded)
        if once == decoded:
            break
        decoded = once
    for form in (t, decoded):
        lowered = re.sub(r"[\x00-\x20\x7f]", "", form).lower()
        scheme = re.split(r"[/?#]", lowered, maxsplit=1)[0]
        if ":" in scheme and not lowered.startswith(("http:", "https:", "mailto:")):
            return ""
    for ch, enc in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), ("{", "%7B"), ("}", "%7D")):
        t = t.replace(ch, enc)
    return t


def code(text: object) -> str:
    """Text as inline code, shown exactly as written: an HTML ``<code>`` element with
    the text escaped (braces as character references, which a Markdown code span would
    show literally), so neither Markdown nor a template engine reads it."""
    s = _line(text)
    if _PLAIN.fullmatch(s):  # a plain name (most tags and paths): a Markdown code span
        return f"`{s}`"
    return "<code>" + html.escape(s, quote=True).translate(_CODE) + "</code>"
