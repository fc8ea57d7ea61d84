"""Small Markdown building blocks shared by the generated pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ..model import Decision, Lens
from .paths import Layout, link
from .text import attr, esc

#: Turns Markdown from a decision file into safe HTML (the adapter supplies it).
RenderText = Callable[[str], str]

STATUS_SYMBOL = {
    "proposed": "◇",
    "accepted": "✔",
    "rejected": "✘",
    "deprecated": "▽",
    "superseded": "↻",
}

OUTCOME_SYMBOL = {"confirmed": "✔", "refuted": "✘", "inconclusive": "?"}


def status_badge(status: str) -> str:
    """Status as text and colour (the symbol and the word carry it without colour)."""
    symbol = STATUS_SYMBOL.get(status, "")
    return f'<span class="wa-status wa-status--{attr(status)}">{symbol} {esc(status.capitalize())}</span>'


def outcome_badge(outcome: str | None) -> str:
    if not outcome:
        return '<span class="wa-outcome wa-outcome--open">… awaiting result</span>'
    symbol = OUTCOME_SYMBOL.get(outcome, "")
    return f'<span class="wa-outcome wa-outcome--{attr(outcome)}">{symbol} {esc(outcome.capitalize())}</span>'


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


def change_cell(now: int | None, before: int | None) -> str:
    """The change against the previous iteration, as an arrow and a signed number."""
    if now is None or before is None:
        return "new" if now is not None else "–"
    delta = now - before
    if delta > 0:
        return f'<span class="wa-up">▲ +{delta}</span>'
    if delta < 0:
        return f'<span class="wa-down">▼ {delta}</span>'
    return "= 0"


def diagram_image(from_page: str, svg: str, alt: str) -> str:
    """A diagram scaled to the page, linked to itself so a reader can open it full size."""
    target = link(from_page, svg)
    return f'[![{esc(alt)}]({target})]({target} "Open the diagram full size")\n'
