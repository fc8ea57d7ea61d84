"""Render Markdown from decision files with the site's own extensions, safely.

Decision files arrive through pull requests, so their Markdown is untrusted. By default
raw HTML is not passed through (Python-Markdown's raw-HTML block and inline handlers
are removed, so ``<script>`` shows as text), and the HTML that Markdown produces is
sanitised with nh3 (Ammonia): only known tags and attributes remain, and links keep
only http, https and mailto schemes (no ``javascript:``). ``trusted_html: true``
keeps raw HTML as the site's own pages would.
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import SubstituteTagInlineProcessor

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
        # The one raw tag kept: a line break (``<br>``, ``<br />``), common in ADRs and
        # their tables; it carries no attribute, so nothing else comes through with it.
        md.inlinePatterns.register(SubstituteTagInlineProcessor(r"<br[ \t]{0,8}/?>", "br"), "wa-br", 95)


#: Marks a relative link or image of decision text until the page it lands on is known
#: (see :func:`resolve_relative`): only then can it be checked and pointed at its URL.
REL_MARK = "wa-rel:"
_URL_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _mark_relative(html: str) -> str:
    def sub(m: re.Match[str]) -> str:
        value = m[2]
        if not value or value.startswith(("#", "/")) or _SCHEME.match(value):
            return m[0]
        return m[1] + REL_MARK + value + m[3]

    return _URL_ATTR.sub(sub, html)


def resolve_relative(html: str, page_src: str, lookup: Callable[[str], Any], relative_url: Callable[[Any], str]) -> tuple[str, list[str]]:
    """Point each marked relative link or image at what it names, relative to the page's
    source path (``0014-x.md`` beside a decision page is that decision's page); returns
    the HTML and the targets that name no page or file of the site."""
    missing: list[str] = []
    base = posixpath.dirname(page_src)

    def sub(m: re.Match[str]) -> str:
        value = m[2]
        if not value.startswith(REL_MARK):
            return m[0]
        value = value[len(REL_MARK):]
        target, hash_, fragment = html_lib.unescape(value).partition("#")
        target = target.split("?", 1)[0]
        path = posixpath.normpath(posixpath.join(base, unquote(target))) if target else page_src
        found = lookup(path)
        if found is None:
            missing.append(html_lib.unescape(value))
            return m[1] + value + m[3]
        return m[1] + html_lib.escape(relative_url(found) + hash_ + fragment, quote=True) + m[3]

    return _URL_ATTR.sub(sub, html), missing


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
            return _mark_relative(html)
        return _mark_relative(nh3.clean(
            html,
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        ))
