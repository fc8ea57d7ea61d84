"""What every ADR format shares: metadata lines, section roles, and the parsed result.

The format modules (:mod:`.nygard`, :mod:`.madr`, :mod:`.log4brains`) recognise their
format; :func:`extract` then reads any of them the same way, because real files mix
them (a MADR file with a Nygard ``## Status`` section, an adr-tools file with a
``Deciders:`` line). The mapping table is documented in ``docs/guide/importing.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .dates import find_date
from .markdown import MarkdownDoc, Section, clean, plain_inline, relevel
from .status import Relation, StatusInfo, parse_status

#: Heading text (normalised) -> the role of the section.
ROLES: dict[str, str] = {}
for _role, _names in {
    "context": (
        "context",
        "context and problem statement",
        "context and problem",
        "problem statement",
        "problem",
        "background",
        "issue",
        "motivation",
    ),
    "drivers": ("decision drivers", "drivers", "forces"),
    "options": (
        "considered options",
        "options",
        "options considered",
        "alternatives",
        "alternatives considered",
        "considered alternatives",
    ),
    "pros-cons": ("pros and cons of the options", "pros and cons", "pros and cons of the alternatives"),
    "decision": ("decision", "decision outcome", "outcome", "resolution"),
    "consequences": ("consequences", "implications"),
    "consequences-part": ("positive consequences", "negative consequences", "good consequences", "bad consequences"),
    "status": ("status",),
    "links": ("links", "related decisions", "related adrs", "related records"),
}.items():
    for _name in _names:
        ROLES[_name] = _role


def normalise_heading(text: str) -> str:
    """``2. Context and Problem Statement (optional):`` -> ``context and problem statement``."""
    t = text.lower()
    t = re.sub(r"\((?:optional|required)\)", "", t)
    t = re.sub(r"^\s*(?:\d+[.)]?|[ivx]+\.)\s+", "", t)
    t = re.sub(r"[^a-z0-9 ]+", " ", t)
    return " ".join(t.split())


def role_of(section: Section) -> str | None:
    return ROLES.get(normalise_heading(section.title))


# --- metadata written as "Key: value" lines ------------------------------------------

_META_LINE = re.compile(
    r"^\s{0,3}(?:[*+-]\s+)?(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z /-]{0,30}?)\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?P<value>.*?)\s*$"
)
#: Metadata keys (lower case) and the field they fill.
META_KEYS: dict[str, str] = {
    "status": "status",
    "date": "date",
    "decision date": "date",
    "last updated": "date",
    "updated": "date",
    "deciders": "deciders",
    "decision-makers": "deciders",
    "decision makers": "deciders",
    "decided by": "deciders",
    "tags": "tags",
    "keywords": "tags",
    "technical story": "technical-story",
}


@dataclass(frozen=True)
class MetaLine:
    key: str
    value: str
    line: int  # index into MarkdownDoc.lines
    raw: str


def meta_lines(doc: MarkdownDoc, start: int, end: int) -> tuple[list[MetaLine], list[tuple[int, str]]]:
    """``Key: value`` lines between ``start`` and ``end``, and the other non-blank lines."""
    found: list[MetaLine] = []
    rest: list[tuple[int, str]] = []
    for i in range(start, end):
        raw = doc.lines[i]
        if not raw.strip():
            continue
        text = re.sub(r"<!--.*?-->", "", raw)
        m = _META_LINE.match(text)
        key = " ".join(m["key"].lower().split()) if m else ""
        if m and key in META_KEYS:
            found.append(MetaLine(META_KEYS[key], m["value"].strip(), i, raw))
        else:
            rest.append((i, raw))
    return found, rest


def split_people(value: Any) -> tuple[str, ...]:
    """Deciders or tags from a list, or from text separated by commas or semicolons."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else re.split(r"[,;]", str(value))
    out = [plain_inline(str(v)).strip() for v in items]
    return tuple(v for v in out if v)


def split_tags(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return split_people(value)
    return tuple(t for t in re.split(r"[\s,;]+", plain_inline(str(value or ""))) if t)


# --- the result ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedAdr:
    """One Markdown ADR, read but not yet numbered: what :mod:`.plan` works from."""

    format: str
    title: str
    #: The number written in the title (``# 7. Use X``), if any.
    title_number: int | None
    status: StatusInfo
    #: Where the status was read from ("" when the file has none).
    status_from: str
    date: dt.date | None
    date_from: str
    deciders: tuple[str, ...]
    tags: tuple[str, ...]
    context: str
    decision: str
    consequences: str
    unmapped: str
    relations: tuple[Relation, ...]
    warnings: tuple[str, ...] = ()
    #: The file is an ADR template (placeholders), not a decision.
    is_template: bool = False
    #: Headings recognised, for the report and the format guess.
    roles: tuple[str, ...] = field(default=())

    @property
    def is_stub(self) -> bool:
        return not (self.context or self.decision or self.consequences or self.unmapped)


_TITLE_NUMBER = re.compile(
    r"^(?:(?:ADR|RFC|Decision)[-_ #]*0*(?P<a>\d{1,6})\s*[.:)\-\u2013\u2014]?\s+|0*(?P<b>\d{1,6})\s*[.:)\-\u2013\u2014]\s*)(?P<title>\S.*)$",
    re.I,
)
_PLACEHOLDER = re.compile(r"^\s*[\[{].*(?:title|name).*[\]}]\s*$", re.I)


def split_title(text: str) -> tuple[int | None, str]:
    """``1. Record architecture decisions`` -> (1, ``Record architecture decisions``)."""
    m = _TITLE_NUMBER.match(text.strip())
    if not m:
        return None, text.strip()
    return int(m["a"] or m["b"]), m["title"].strip()


def _front_matter_block(doc: MarkdownDoc, keys: set[str]) -> str:
    """The front matter lines of ``keys``, verbatim, as a fenced YAML block."""
    lines = doc.front_matter_lines
    starts = [(i, line.split(":", 1)[0].strip()) for i, line in enumerate(lines) if line[:1] not in (" ", "\t", "#", "-", "") and ":" in line]
    keep: list[str] = []
    for k, (i, key) in enumerate(starts):
        if key in keys:
            end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
            keep.extend(lines[i:end])
    while keep and not keep[-1].strip():
        keep.pop()
    return "Front matter:\n\n```yaml\n" + "\n".join(keep) + "\n```" if keep else ""


#: Front matter keys that fill a field; every other key is kept as unmapped text.
FRONT_MATTER_KEYS = {"status": "status", "date": "date", "deciders": "deciders", "decision-makers": "deciders", "tags": "tags"}


def extract(doc: MarkdownDoc, fmt: str, *, outcome_children: Callable[[Section], str | None] | None = None) -> ParsedAdr:
    """Map a parsed Markdown ADR onto the fields of a decision, keeping everything else."""
    warnings: list[str] = []
    unmapped: list[tuple[int, str]] = []  # (line, text) so unmapped text keeps file order

    title_number, title = split_title(doc.title.title) if doc.title else (None, "")
    is_template = bool(_PLACEHOLDER.match(title)) if title else False

    # Metadata: front matter first, then "Key: value" lines, then a "## Status" section.
    statuses: list[tuple[str, str]] = []
    dates: list[tuple[str, str]] = []
    deciders: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    story = ""
    front = doc.front_matter or {}
    if doc.front_matter_problem:
        warnings.append(f"front matter not read ({doc.front_matter_problem}); kept as text")
        unmapped.append((-1, "Front matter:\n\n```yaml\n" + "\n".join(doc.front_matter_lines) + "\n```"))
        # Still take what single "key: value" lines say (the whole block is kept as text).
        for raw in doc.front_matter_lines:
            m = _META_LINE.match(raw)
            key = " ".join(m["key"].lower().split()) if m else ""
            value = m["value"].strip().strip("\"'") if m else ""
            if key == "status" and value:
                statuses.append(("front matter", value))
            elif key == "date" and value:
                dates.append(("front matter", value))
    for key, value in front.items():
        target = FRONT_MATTER_KEYS.get(str(key))
        if target == "status" and value is not None:
            statuses.append(("front matter", str(value)))
        elif target == "date" and value is not None:
            dates.append(("front matter", str(value)))
        elif target == "deciders":
            deciders = deciders or split_people(value)
        elif target == "tags":
            tags = tags or split_tags(value)
    extra_keys = {str(k) for k in front if str(k) not in FRONT_MATTER_KEYS}
    if extra_keys and (block := _front_matter_block(doc, extra_keys)):
        unmapped.append((-1, block))

    meta, rest = meta_lines(doc, *doc.preamble)
    for m in meta:
        if m.key == "status" and m.value:
            statuses.append(("'Status:' line", m.value))
        elif m.key == "date" and m.value:
            dates.append(("'Date:' line", m.value))
        elif m.key == "deciders":
            deciders = deciders or split_people(m.value)
        elif m.key == "tags":
            tags = tags or split_tags(m.value)
        elif m.key == "technical-story" and m.value:
            story = f"Technical story: {m.value}"
    if rest:
        unmapped.append((rest[0][0], "\n".join(raw for _, raw in rest)))

    context: list[str] = [story] if story else []
    decision: list[str] = []
    extra_decision: list[str] = []
    consequences: list[str] = []
    relations: list[Relation] = []
    roles: list[str] = []

    def section_text(s: Section, top: int = 3) -> str:
        return clean(relevel(doc.body(s), top))

    def titled(s: Section) -> str:
        body = section_text(s, 4)
        return f"### {s.title}\n\n{body}" if body else ""

    for s in doc.sections:
        role = role_of(s)
        roles.append(role or "")
        if role == "context":
            context.append(section_text(s))
        elif role == "drivers":
            context.append(titled(s))
        elif role == "decision":
            own = [clean(doc.own(s))]
            for child in s.children:
                child_role = role_of(child)
                where = outcome_children(child) if outcome_children else None
                if child_role in ("consequences", "consequences-part") or where == "consequences":
                    consequences.append(titled(child) if child_role == "consequences-part" else section_text(child))
                elif where == "unmapped":
                    unmapped.append((child.start, doc.verbatim(child)))
                else:
                    own.append(clean(relevel(doc.verbatim(child), 3)))
            decision.append("\n\n".join(p for p in own if p))
        elif role in ("options", "pros-cons"):
            extra_decision.append(titled(s))
        elif role == "consequences":
            consequences.append(section_text(s))
        elif role == "consequences-part":
            consequences.append(titled(s))
        elif role == "status":
            if doc.own(s).strip():
                statuses.append(("'## Status' section", doc.own(s)))
            for child in s.children:
                unmapped.append((child.start, doc.verbatim(child)))
        elif role == "links":
            kept: list[str] = []
            for line in doc.body(s).split("\n"):
                info = parse_status(line) if line.strip() else None
                mapped = [r for r in info.relations if r.maps] if info else []
                relations.extend(mapped)
                if line.strip() and not mapped:
                    kept.append(line)
                    if info and info.relations:
                        warnings.append(f"'{line.strip()}': this kind of link has no field; kept as text")
            if any(k.strip() for k in kept):
                unmapped.append((s.start, f"{doc.lines[s.start]}\n\n" + "\n".join(kept).strip("\n")))
        else:
            unmapped.append((s.start, doc.verbatim(s)))

    # The status: the first source wins; say so when the sources disagree.
    status = StatusInfo(None, (), None, (), ())
    status_from = ""
    parsed = [(src, text, parse_status(text)) for src, text in statuses]
    for src, text, info in parsed:
        relations.extend(r for r in info.relations if r not in relations)
    if parsed:
        status_from, text, status = parsed[0]
        named = [(src, info.status) for src, _, info in parsed if info.status]
        if len({s for _, s in named}) > 1:
            warnings.append("the status is written more than once and the places disagree: "
                            + "; ".join(f"{src} says {s}" for src, s in named) + f"; used the {status_from}")
        if status.status is None:
            where = next((src for src, _, info in parsed[1:] if info.status), None)
            if where:
                status_from, text, status = next(p for p in parsed if p[0] == where)
        if len(status.words) > 1:
            warnings.append(f"the status lists {', '.join(status.words)}; used the last one, {status.words[-1]}")
            unmapped.append((-0.5, f"Status as written:\n\n{text.strip()}"))  # type: ignore[arg-type]
        elif status.unrecognised:
            unmapped.append((-0.5, "Status as written:\n\n" + "\n".join(status.unrecognised)))  # type: ignore[arg-type]
        other = [r for r in relations if not r.maps]
        if other:
            unmapped.append((-0.4, "Links as written:\n\n" + "\n".join(dict.fromkeys(r.line for r in other))))  # type: ignore[arg-type]

    date: dt.date | None = None
    date_from = ""
    for src, text in dates:
        found = find_date(text)
        if found.date:
            date, date_from = found.date, src
            break
        warnings.append(f"{src} '{text}': " + (found.problem or "no date in it"))
        unmapped.append((-0.6, f"Date as written: {text}"))  # type: ignore[arg-type]
    if date is None and status.date:
        date, date_from = status.date, "the status line"

    unmapped.sort(key=lambda kv: kv[0])
    return ParsedAdr(
        format=fmt,
        title=title,
        title_number=title_number,
        status=status,
        status_from=status_from,
        date=date,
        date_from=date_from,
        deciders=deciders,
        tags=tags,
        context="\n\n".join(p for p in context if p).strip(),
        decision="\n\n".join(p for p in decision + extra_decision if p).strip(),
        consequences="\n\n".join(p for p in consequences if p).strip(),
        unmapped="\n\n".join(t.strip("\n") for _, t in unmapped if t.strip()).strip(),
        relations=tuple(relations),
        warnings=tuple(warnings),
        is_template=is_template,
        roles=tuple(roles),
    )
