"""Small Markdown building blocks shared by the generated pages."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence

from mkdocs_wa.layout import Layout, link
from mkdocs_wa.model import Decision, Lens
from mkdocs_wa.render.pages import words
from mkdocs_wa.render.pages.components import a
from mkdocs_wa.render.pages.icons import icon
from mkdocs_wa.text import attr, esc

#: Turns Markdown from a decision file into safe HTML (the adapter supplies it).
RenderText = Callable[[str], str]

# Badges live with the other Material components; imported here for the pages that
# already take them from this module.
from mkdocs_wa.render.pages.components import outcome_badge, status_badge  # noqa: E402,F401


def text_block(markdown_text: str, render: RenderText) -> str:
    """A Markdown field of a decision, rendered and sanitised, as a raw HTML block."""
    if not markdown_text.strip():
        return ""
    return f'<div class="wa-text">\n{render(markdown_text)}\n</div>\n'


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; cells must already be escaped."""
    rows = list(rows)
    if not rows:
        return ""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    out += ["| " + " | ".join(cell.replace("\n", " ") for cell in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def html_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """An HTML table for generated HTML; headers and cells must already be escaped."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def decision_link(from_page: str, d: Decision, layout: Layout, *, with_title: bool = True) -> str:
    label = f"{d.id} {d.title}" if with_title else d.id
    return f"[{esc(label)}]({link(from_page, layout.decision(d))})"


def decision_link_html(from_page: str, d: Decision, layout: Layout, *, with_title: bool = True) -> str:
    """:func:`decision_link` for generated HTML (the link resolved, the label escaped)."""
    label = f"{d.id} {d.title}" if with_title else d.id
    return a(layout.href(from_page, layout.decision(d)), attr(label))


def pillar_name(lens: Lens, pillar_id: str) -> str:
    p = lens.pillar(pillar_id)
    return p.name if p else pillar_id


def score_cell(score: int | None) -> str:
    if score is None:
        return "–"
    return f'<span class="wa-score wa-score--{score}">{score}/5</span>'


CHANGE_ICON = {"up": "arrow-up-bold", "down": "arrow-down-bold", "same": "equal"}


def change_cell(now: int | None, before: int | None) -> str:
    """The change against the previous score, as an arrow icon and the words of
    :func:`.words.change` (``up 1 from 3``), never colour alone."""
    kind, text = words.change(now, before)
    if kind == "none":
        return "–"
    if kind == "new":
        return "new"
    return f'<span class="wa-{kind}">{icon(CHANGE_ICON[kind])} {text}</span>'


#: The smallest label size, in CSS pixels, a diagram may be shown with.
MIN_LABEL_PX = 11
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([0-9.]+)pt"')
_FONT_SIZE = re.compile(r'font-size="([0-9.]+)"')


def diagram_min_width(svg_text: str) -> int | None:
    """The narrowest width (CSS px) at which the SVG's smallest label still renders
    at :data:`MIN_LABEL_PX`; None when the SVG does not say its size."""
    size = _SVG_SIZE.search(svg_text[:2000])
    # Every label of a drawing has the theme's one size: the first says it (searching
    # the whole file, icons inlined, would cost more than the page itself).
    font = _FONT_SIZE.search(svg_text)
    if not size or not font or float(font.group(1)) <= 0:
        return None
    # Graphviz writes the width and font sizes in points (4/3 px); the ratio is what counts.
    return math.ceil(float(size.group(1)) * MIN_LABEL_PX / float(font.group(1)))


def diagram_image(from_page: str, svg: str, alt: str, *, min_width: int | None = None) -> str:
    """A diagram, linked to itself so a reader can open it full size. With
    ``min_width`` it never shrinks below that (its labels stay readable): a narrower
    page scrolls it sideways inside its own box, not the page."""
    target = link(from_page, svg)
    size = f'{{ style="min-width: {int(min_width)}px" }}' if min_width else ""
    # a paragraph with a class (attr_list), so it works indented in tabs and collapsible blocks
    return f'[![{esc(alt)}]({target}){size}]({target} "{words.TEXT["diagram_open"]}")\n{{: .wa-diagram }}\n'

