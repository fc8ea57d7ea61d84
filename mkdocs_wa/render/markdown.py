"""Render Markdown from decision files with an allow-list of the site's extensions, safely.

Decision files arrive through pull requests, so their Markdown is untrusted:

* Only extensions on an allow-list (:data:`SAFE_EXTENSIONS`, or the plugin option
  ``markdown_extensions``) render decision text, with the site's settings for them. An
  extension that reads files (``pymdownx.snippets``, ``pymdownx.b64``) or runs code is
  not on it, and custom fences or inline code formatters of other packages (which can
  run code, e.g. markdown-exec) are dropped from ``pymdownx.superfences`` and
  ``pymdownx.inlinehilite``.
* Raw HTML is not passed through (Python-Markdown's raw-HTML block and inline handlers
  are removed, so ``<script>`` shows as text), and the HTML that Markdown produces is
  sanitised with nh3 (Ammonia): only known tags and attributes remain; links keep only
  http, https and mailto schemes (checked after entities are decoded, as a browser
  reads them); every ``id`` (and ``#`` link to it) gets the ``wa-`` prefix so it cannot
  take the place of one of the theme's (Material looks up ``#__config``); a ``title``
  holding markup characters is dropped (Material's tooltips show titles as HTML);
  remote images (tracking pixels) become links to the image (and, should one come
  through another way, lose their source).
* ``{``, ``}``, backticks and tildes come out as character references, so that a plugin
  rendering the page as a Jinja template (mkdocs-macros) finds nothing to run, and the
  page's own Markdown pass finds no code fence in decision text (see :data:`_INERT`).

``trusted_html: true`` keeps raw HTML and attributes as the site's own pages would.
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import SubstituteTagInlineProcessor
from markdown.treeprocessors import Treeprocessor

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

#: Prefix of every id in rendered decision text (and of ``#`` links to them).
ID_PREFIX = "wa-"

#: Extensions decision text may use when the site enables them: Python-Markdown's own
#: and pymdown-extensions that only change how text is written. Not here: anything that
#: reads files (``pymdownx.snippets``, ``pymdownx.b64``, ``pymdownx.pathconverter``),
#: passes raw HTML (``md_in_html``, ``pymdownx.blocks.html``), or is not known.
SAFE_EXTENSIONS = (
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "legacy_attrs",
    "legacy_em", "nl2br", "sane_lists", "smarty", "tables", "toc", "codehilite",
    "pymdownx.arithmatex", "pymdownx.betterem", "pymdownx.caret", "pymdownx.critic",
    "pymdownx.details", "pymdownx.emoji", "pymdownx.escapeall", "pymdownx.fancylists",
    "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.keys", "pymdownx.magiclink",
    "pymdownx.mark", "pymdownx.progressbar", "pymdownx.saneheaders", "pymdownx.smartsymbols",
    "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist", "pymdownx.tilde",
    "pymdownx.blocks.admonition", "pymdownx.blocks.details", "pymdownx.blocks.tab",
    "pymdownx.blocks.definition", "pymdownx.striphtml",
)


def _name(extension: object) -> str:
    name = extension if isinstance(extension, str) else type(extension).__module__
    return name.removeprefix("markdown.extensions.")


def _own_callables(entries: list, keys: tuple[str, ...]) -> list:
    """Custom fences / inline formatters whose functions are pymdown-extensions' own
    (Mermaid and the like); others (from any package) may run code on the text."""
    kept = []
    for entry in entries or []:
        funcs = [entry.get(k) for k in keys if isinstance(entry, dict) and entry.get(k) is not None]
        if all(getattr(f, "__module__", "").startswith("pymdownx.") for f in funcs):
            kept.append(entry)
    return kept


def allowed_extensions(extensions: list, configs: dict, allow: list[str] | tuple[str, ...] | None = None) -> tuple[list, dict]:
    """The site's extensions that decision text may use, and their settings."""
    allowed = {_name(a) for a in (SAFE_EXTENSIONS if allow is None else allow)}
    exts, cfgs = [], {}
    for ext in extensions:
        name = _name(ext)
        if name not in allowed:
            continue
        exts.append(ext)
        if isinstance(ext, str) and ext in configs:
            cfg = dict(configs[ext])
            if allow is None and name == "pymdownx.superfences" and "custom_fences" in cfg:
                cfg["custom_fences"] = _own_callables(cfg["custom_fences"], ("format", "validator"))
            if allow is None and name == "pymdownx.inlinehilite" and "custom_inline" in cfg:
                cfg["custom_inline"] = _own_callables(cfg["custom_inline"], ("format", "validator"))
            cfgs[ext] = cfg
    return exts, cfgs


def _is_remote(value: str) -> bool:
    v = "".join(value.split()).lower()
    return v.startswith("//") or ":" in v.split("/", 1)[0]


def _attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's attribute filter (values arrive with entities decoded)."""
    if name == "id":
        return value if value.startswith(ID_PREFIX) else ID_PREFIX + value
    if name == "href" and value.startswith("#") and len(value) > 1:
        return value if value[1:].startswith(ID_PREFIX) else "#" + ID_PREFIX + value[1:]
    if name == "title" and any(ch in value for ch in "<>&\"'`"):
        return None
    if tag == "img" and name == "src" and _is_remote(value):
        return None
    return value


_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


#: Characters written as references in the rendered HTML. The HTML goes into a generated
#: page, which MkDocs renders as Markdown again with the site's extensions: a template
#: plugin must find no ``{{``/``{%``, and the preprocessors that run before raw HTML is set
#: aside must find no fence (a code block holding "```python" on a line of its own would
#: reach superfences' custom fences, which can run code) and no ``--8<--`` (already
#: ``&lt;``).
_INERT = str.maketrans({"{": "&#123;", "}": "&#125;", "`": "&#96;", "~": "&#126;"})


def inert(html: str) -> str:
    """Rendered decision text that no later stage reads as markup: braces, backticks and
    tildes as character references, no bidirectional override."""
    return _BIDI.sub("", html.translate(_INERT))


class _RemoteImagesAsLinks(Treeprocessor):
    """``![alt](https://...)``: a link to the image, not an image the page loads (a
    tracking pixel would tell a third party who reads the site, and when)."""

    def run(self, root) -> None:  # noqa: ANN001 (an ElementTree element)
        for parent in root.iter():
            for i, child in enumerate(list(parent)):
                if child.tag == "img" and _is_remote(child.get("src", "")):
                    link = etree.Element("a", {"href": child.get("src", "")})
                    link.text = child.get("alt") or "image"
                    link.tail = child.tail
                    parent[i] = link


class _NoRawHtml(Extension):
    """Treat raw HTML in the source as text."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_RemoteImagesAsLinks(md), "wa-remote-images", 0)
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
    def __init__(
        self, extensions: list, extension_configs: dict, *, trusted_html: bool, allow: list[str] | None = None
    ) -> None:
        exts, cfgs = allowed_extensions(extensions, extension_configs, allow)
        if not trusted_html:
            exts.append(_NoRawHtml())
        self._md = markdown.Markdown(extensions=exts, extension_configs=cfgs)
        self._trusted = trusted_html
        #: What the output depends on besides the text (a key for memo_render).
        self.settings = repr((list(extensions), extension_configs, trusted_html, allow, 2))

    def __call__(self, text: str) -> str:
        html = self._md.reset().convert(text)
        if self._trusted:
            return _mark_relative(html)
        return inert(
            _mark_relative(
                nh3.clean(
                    html,
                    tags=_TAGS,
                    attributes=_ATTRIBUTES,
                    attribute_filter=_attribute,
                    url_schemes={"http", "https", "mailto"},
                    link_rel="noopener noreferrer nofollow",
                )
            )
        )
