"""The structure of a Markdown ADR: front matter, title, preamble and a tree of sections.

Why markdown-it-py and not regular expressions: a ``#`` line inside a fenced code block
or an HTML comment is not a heading, a setext heading (``Title`` over ``---``) is one,
and a ``---`` line may be a thematic break; a CommonMark parser gets all of that right,
and its tokens carry source line ranges, so every section can be cut out of the file
*verbatim*, which is what ``imported_from.unmapped`` promises. Python-Markdown (already
installed with MkDocs) renders to HTML and forgets where things came from.

Front matter is split off by hand (it is only the lines between two ``---`` fences)
and parsed with the project's own safe YAML loader (:mod:`mkdocs_wa.source.load`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from mkdocs_wa.source.load import parse_text


@cache
def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


@dataclass(frozen=True)
class Section:
    """A heading and everything up to the next heading of the same or a higher level."""

    level: int
    title: str
    #: Line indexes into :attr:`MarkdownDoc.lines`: the heading, its body, its end.
    start: int
    body_start: int
    end: int
    children: tuple[Section, ...] = ()

    @property
    def own_end(self) -> int:
        """Where the text before the first sub-heading ends."""
        return self.children[0].start if self.children else self.end


@dataclass(frozen=True)
class MarkdownDoc:
    lines: tuple[str, ...]
    #: Lines taken by the front matter (with its fences), before :attr:`lines`.
    offset: int
    front_matter: dict[str, Any] | None
    #: The front matter's own lines (fences excluded), for keeping unmapped keys verbatim.
    front_matter_lines: tuple[str, ...]
    #: Why the front matter could not be read (it is then kept as text).
    front_matter_problem: str | None
    title: Section | None
    title_raw: str
    #: (start, end) of the text between the title and the first section.
    preamble: tuple[int, int]
    sections: tuple[Section, ...]

    def text(self, start: int, end: int) -> str:
        """Lines ``start``..``end`` as text, without blank lines at either end."""
        chunk = list(self.lines[start:end])
        while chunk and not chunk[0].strip():
            chunk.pop(0)
        while chunk and not chunk[-1].strip():
            chunk.pop()
        return "\n".join(chunk)

    def body(self, s: Section) -> str:
        return self.text(s.body_start, s.end)

    def own(self, s: Section) -> str:
        return self.text(s.body_start, s.own_end)

    def verbatim(self, s: Section) -> str:
        return self.text(s.start, s.end)


def _inline_text(children: list[Token] | None) -> str:
    """The plain text of inline tokens: markup and HTML comments dropped."""
    out: list[str] = []
    for t in children or []:
        if t.type in ("text", "code_inline"):
            out.append(t.content)
        elif t.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif t.type == "image":
            out.append(_inline_text(t.children))
    return " ".join("".join(out).split())


@lru_cache(maxsize=4096)
def plain_inline(text: str) -> str:
    """Markdown inline text as plain text (``**Accepted**`` -> ``Accepted``)."""
    tokens = _md().parseInline(text)
    return _inline_text(tokens[0].children if tokens else None)


def links(text: str) -> list[tuple[str, str]]:
    """(href, link text) of every inline link in ``text``, in order."""
    tokens = _md().parseInline(text)
    out: list[tuple[str, str]] = []
    children = (tokens[0].children or []) if tokens else []
    i = 0
    while i < len(children):
        t = children[i]
        if t.type == "link_open":
            href = str(t.attrGet("href") or "")
            j = i + 1
            while j < len(children) and children[j].type != "link_close":
                j += 1
            out.append((href, _inline_text(children[i + 1 : j])))
            i = j
        i += 1
    return out


_FENCE = re.compile(r"^(?:---|\.\.\.)\s*$")


def _split_front_matter(text: str) -> tuple[list[str] | None, list[str]]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, lines
    for i in range(1, len(lines)):
        if _FENCE.match(lines[i]):
            return lines[1:i], lines[i + 1 :]
    return None, lines  # no closing fence: a thematic break, not front matter


def parse(text: str, name: str = "<adr>") -> MarkdownDoc:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fm_lines, body = _split_front_matter(text)
    front: dict[str, Any] | None = None
    problem: str | None = None
    offset = 0
    if fm_lines is not None:
        offset = len(fm_lines) + 2
        doc, diags = parse_text("\n".join(fm_lines), name)
        if doc is None:
            problem = diags[0].message if diags else "invalid YAML"
        elif doc.data is None:
            front = {}
        elif isinstance(doc.data, dict):
            front = doc.data
        else:
            problem = "the front matter is not a mapping of keys to values"

    tokens = _md().parse("\n".join(body))
    heads: list[tuple[int, int, int, str, str]] = []  # level, start, body_start, title, raw inline
    for i, t in enumerate(tokens):
        if t.type == "heading_open" and t.level == 0 and t.map:
            inline = tokens[i + 1]
            heads.append((int(t.tag[1]), t.map[0], t.map[1], _inline_text(inline.children), inline.content))
    n = len(body)

    title: Section | None = None
    title_raw = ""
    if heads and heads[0][0] == 1:
        level, start, body_start, text_, raw = heads.pop(0)
        title, title_raw = Section(level, text_, start, body_start, body_start), raw
    first = heads[0][1] if heads else n
    preamble = (title.body_start if title else 0, first)

    # Build the tree with a stack of open sections; a section ends where the next
    # heading of the same or a higher level starts.
    ends: list[int] = []
    for k, (level, _start, *_rest) in enumerate(heads):
        end = next((h[1] for h in heads[k + 1 :] if h[0] <= level), n)
        ends.append(end)

    def build(lo: int, hi: int) -> tuple[Section, ...]:
        out: list[Section] = []
        k = lo
        while k < hi:
            level, start, body_start, text_, _ = heads[k]
            j = k + 1
            while j < hi and heads[j][0] > level:
                j += 1
            out.append(Section(level, text_, start, body_start, ends[k], build(k + 1, j)))
            k = j
        return tuple(out)

    return MarkdownDoc(
        lines=tuple(body),
        offset=offset,
        front_matter=front,
        front_matter_lines=tuple(fm_lines or ()),
        front_matter_problem=problem,
        title=title,
        title_raw=title_raw,
        preamble=preamble,
        sections=build(0, len(heads)),
    )


# --- rewriting mapped text ------------------------------------------------------------

def strip_comments(text: str) -> str:
    """``text`` without its HTML comments (``<!-- ... -->``), in linear time.

    A regular expression (``<!--.*?-->``) rescans the rest of the text from every
    unclosed ``<!--``: quadratic on a line of many of them. An unclosed ``<!--`` is
    kept as text (as the expression did), so no words are lost.
    """
    if "<!--" not in text:
        return text
    out: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) != -1:
        out.append(text[pos:start])
        end = text.find("-->", start + 4)
        if end == -1:
            pos = start
            break
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)



def clean(text: str) -> str:
    """Drop HTML comments (template hints such as ``<!-- optional -->``) outside code.

    They are invisible in the original rendering but would show as text on a site
    that escapes raw HTML, which the published site does.
    """
    if "<!--" not in text:
        return text
    lines = text.split("\n")
    keep = [True] * len(lines)
    code = [False] * len(lines)
    for t in _md().parse(text):
        if not t.map:
            continue
        if t.type in ("fence", "code_block"):
            for i in range(t.map[0], t.map[1]):
                code[i] = True
        elif t.type == "html_block" and t.content.lstrip().startswith("<!--") and t.content.rstrip().endswith("-->"):
            for i in range(t.map[0], t.map[1]):
                keep[i] = False
    out: list[str] = []
    for i, line in enumerate(lines):
        if not keep[i]:
            continue
        if not code[i] and "<!--" in line:
            stripped = strip_comments(line).rstrip()
            if not stripped.strip() and line.strip():
                continue  # the line was only a comment
            line = stripped
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")


def relevel(text: str, top: int) -> str:
    """Shift headings so the highest one in ``text`` becomes level ``top`` (max 6).

    Setext headings become ATX headings, so the shifted level can be written.
    """
    tokens = _md().parse(text)
    heads = [(t, tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open" and t.level == 0 and t.map]
    if not heads:
        return text
    lines = text.split("\n")
    shift = top - min(int(t.tag[1]) for t, _ in heads)
    for t, inline in reversed(heads):
        assert t.map is not None
        level = max(1, min(6, int(t.tag[1]) + shift))
        start, end = t.map
        if t.markup.startswith("#"):
            lines[start] = re.sub(r"^(\s{0,3})#{1,6}", lambda m: m[1] + "#" * level, lines[start], count=1)  # noqa: B023 - called within this iteration
        else:
            lines[start:end] = ["#" * level + " " + " ".join(inline.content.split())]
    return "\n".join(lines)
