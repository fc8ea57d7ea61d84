"""Render Markdown from decision files with the site's own extensions, safely.

Decision files arrive through pull requests, so their Markdown is untrusted. By default
raw HTML is not passed through (Python-Markdown's raw-HTML block and inline handlers
are removed, so ``<script>`` shows as text), and the HTML that Markdown produces is
sanitised with nh3 (Ammonia): only known tags and attributes remain, and links keep
only http, https and mailto schemes (no ``javascript:``). ``trusted_html: true``
keeps raw HTML as the site's own pages would.
"""

from __future__ import annotations

import markdown
import nh3
from markdown.extensions import Extension

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul",
}
_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}


class _NoRawHtml(Extension):
    """Treat raw HTML in the source as text."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


class TextRenderer:
    def __init__(self, extensions: list, extension_configs: dict, *, trusted_html: bool) -> None:
        exts = list(extensions)
        if not trusted_html:
            exts.append(_NoRawHtml())
        self._md = markdown.Markdown(extensions=exts, extension_configs=extension_configs)
        self._trusted = trusted_html
        #: What the output depends on besides the text (a key for memo_render).
        self.settings = repr((list(extensions), extension_configs, trusted_html))

    def __call__(self, text: str) -> str:
        html = self._md.reset().convert(text)
        if self._trusted:
            return html
        return nh3.clean(
            html,
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
