"""Small Markdown building blocks shared by the generated pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ..model import Decision, Lens
from .paths import Layout, link
from . import words
from .icons import icon
from .text import esc

#: Turns Markdown from a decision file into safe HTML (the adapter supplies it).
RenderText = Callable[[str], str]

# Badges live with the other Material components; imported here for the pages that
# already take them from this module.
from .components import outcome_badge, status_badge  # noqa: E402,F401


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


def decision_link(from_page: str, d: Decision, layout: Layout, *, with_title: bool = True) -> str:
    label = f"{d.id} {d.title}" if with_title else d.id
    return f"[{esc(label)}]({link(from_page, layout.decision(d))})"


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


def diagram_image(from_page: str, svg: str, alt: str) -> str:
    """A diagram scaled to the page, linked to itself so a reader can open it full size."""
    target = link(from_page, svg)
    return f'[![{esc(alt)}]({target})]({target} "Open the diagram full size")\n'
