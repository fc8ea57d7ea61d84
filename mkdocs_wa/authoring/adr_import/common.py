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

from mkdocs_wa.authoring.adr_import.dates import find_date
from mkdocs_wa.authoring.adr_import.markdown import MarkdownDoc, Section, clean, links, plain_inline, relevel, strip_comments
from mkdocs_wa.authoring.adr_import.status import KEPT_WORDS, MAX_STATUS_LINE, STATUS_WORDS, Relation, StatusInfo, parse_status

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
    "decision": ("decision", "decisions", "decision outcome", "outcome", "resolution", "the decision", "decision made"),
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

#: The ``Key:`` part of a metadata line (``* **Status:** accepted``); the value is the rest
#: of the line. Every repeat is bounded or followed by a fixed character, so a match is
#: linear in the line (a lazy ``(.*?)\s*$`` for the value was quadratic on long lines).
_META_KEY = re.compile(
    r"[ \t]{0,3}(?:[*+-][ \t]{1,8})?(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z /-]{0,30}?)[ \t]{0,8}(?:\*\*|__)?[ \t]{0,8}:"
)


@dataclass(frozen=True)
class _KeyValue:
    key: str
    value: str

    def __getitem__(self, name: str) -> str:
        return self.key if name == "key" else self.value


#: ``Date 09/04/2018``: a date line written without its colon.
_DATE_NO_COLON = re.compile(r"[ \t]{0,3}(?:[*+-][ \t]{1,8})?(?:\*\*|__)?(?P<key>date)(?:\*\*|__)?[ \t]{1,8}(?=\d)", re.I)


def match_meta(line: str) -> _KeyValue | None:
    """``Key: value`` in a line, or None; the value without surrounding space or bold marks."""
    m = _META_KEY.match(line) or _DATE_NO_COLON.match(line)
    if not m:
        return None
    value = line[m.end() :].strip()
    if value.startswith(("**", "__")):
        value = value[2:].lstrip()
    return _KeyValue(m["key"], value)


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
        text = strip_comments(raw)
        m = match_meta(text)
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
class ExtraSection:
    """Text with no field of its own, kept under its heading after the field it followed."""

    heading: str
    body: str
    #: ``title``, ``context``, ``decision`` or ``consequences``.
    after: str
    #: Line in the source (for keeping the file's order).
    line: float = 0


@dataclass(frozen=True)
class ConsideredOption:
    name: str
    chosen: bool = False
    pros: tuple[str, ...] = ()
    cons: tuple[str, ...] = ()


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
    sections: tuple[ExtraSection, ...]
    relations: tuple[Relation, ...]
    warnings: tuple[str, ...] = ()
    #: The file is an ADR template (placeholders), not a decision.
    is_template: bool = False
    #: Headings recognised, for the report and the format guess.
    roles: tuple[str, ...] = field(default=())
    #: The status as written when the mapped status does not say it all; "" when the
    #: file states no status; None when the status word says it all.
    status_as_written: str | None = None
    options: tuple[ConsideredOption, ...] = ()
    #: The date as written (the first date line or front matter value), for the folder's
    #: day/month order and its warnings.
    date_text: str = ""

    @property
    def is_stub(self) -> bool:
        return not (self.context or self.decision or self.consequences or any(s.body for s in self.sections))

    @property
    def unmapped(self) -> str:
        """The extra sections as one Markdown text (for the report)."""
        return "\n\n".join((f"### {s.heading}\n\n" if s.heading else "") + s.body for s in self.sections)


_TITLE_NUMBER = re.compile(
    r"(?:(?:ADR|RFC|Decision)[-_ #]{0,8}0*(?P<a>\d{1,6})[ \t]*(?:[.:)\-\u2013\u2014][ \t]*|[ \t])"
    r"|0*(?P<b>\d{1,6})(?:[ \t]*[.:)\-\u2013\u2014][ \t]*|[ \t]+))(?P<title>\S.*)",
    re.I | re.S,
)
#: Boilerplate before a title: ``Architecture Decision Record: Use X``, ``ADR: Use X``.
_TITLE_PREFIX = re.compile(
    r"(?:architecture[ \t]+decision[ \t]+record|architectural[ \t]+decision[ \t]+record|architecture[ \t]+decision"
    r"|decision[ \t]+record)[ \t]{0,8}[:\-\u2013\u2014][ \t]{0,8}(?P<title>\S.*)|(?:ADR|RFC)[ \t]{0,8}:[ \t]{0,8}(?P<t2>\S.*)",
    re.I | re.S,
)


def is_placeholder(title: str) -> bool:
    """``[short title of solved problem and solution]``, ``{Title}``: a template's title.

    Plain string tests, linear in the title (the expression it replaces backtracked on
    long titles).
    """
    t = title.strip()
    return len(t) >= 2 and t[0] in "[{" and t[-1] in "]}" and ("title" in t.lower() or "name" in t.lower())


def split_title(text: str) -> tuple[int | None, str]:
    """``1. Record architecture decisions`` -> (1, ``Record architecture decisions``)."""
    text = text.strip()
    number: int | None = None
    if m := _TITLE_PREFIX.fullmatch(text):
        text = (m["title"] or m["t2"]).strip()
    if m := _TITLE_NUMBER.fullmatch(text):
        n = int(m["a"] or m["b"])
        # "23 Logging" is numbered; "2021 roadmap" starts with a year.
        spaced = m["b"] is not None and text[m.end("b") :].lstrip(" \t")[:1] not in ".:)-\u2013\u2014"
        if not (spaced and 1900 <= n <= 2100):
            number, text = n, m["title"].strip()
    if m := _TITLE_PREFIX.fullmatch(text):  # "ADR 7: Architecture Decision Record: X"
        text = (m["title"] or m["t2"]).strip()
    return number, text


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


@dataclass
class _Acc:
    """What the passes of :func:`extract` collect."""

    warnings: list[str] = field(default_factory=list)
    sections: list[ExtraSection] = field(default_factory=list)
    statuses: list[tuple[str, str]] = field(default_factory=list)
    dates: list[tuple[str, str]] = field(default_factory=list)
    deciders: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    context: list[str] = field(default_factory=list)
    decision: list[str] = field(default_factory=list)
    consequences: list[str] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    #: The mapped field the text read so far last went to (where extra sections follow).
    last: str = "title"

    def keep(self, heading: str, body: str, line: float, after: str | None = None) -> None:
        if body.strip():
            self.sections.append(ExtraSection(heading, body.strip("\n"), after or self.last, line))


def _meta_value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _front_matter_pass(doc: MarkdownDoc, acc: _Acc) -> None:
    """Front matter: status, date, deciders and tags fill fields; other keys are kept."""
    front = doc.front_matter or {}
    if doc.front_matter_problem:
        acc.warnings.append(f"front matter not read ({doc.front_matter_problem}); kept as text")
        acc.keep("Front matter", "```yaml\n" + "\n".join(doc.front_matter_lines) + "\n```", -1, "title")
        # Still take what single "key: value" lines say (the whole block is kept as text).
        for raw in doc.front_matter_lines:
            m = match_meta(raw)
            key = " ".join(m["key"].lower().split()) if m else ""
            value = m["value"].strip().strip("\"'") if m else ""
            if key == "status" and value:
                acc.statuses.append(("front matter", value))
            elif key == "date" and value:
                acc.dates.append(("front matter", value))
    for key, value in front.items():
        target = FRONT_MATTER_KEYS.get(str(key))
        if target == "status" and value is not None:
            acc.statuses.append(("front matter", str(value)))
        elif target == "date" and value is not None:
            acc.dates.append(("front matter", str(value)))
        elif target == "deciders":
            acc.deciders = acc.deciders or split_people(value)
        elif target == "tags":
            acc.tags = acc.tags or split_tags(value)
    extra = {str(k): v for k, v in front.items() if str(k) not in FRONT_MATTER_KEYS and v not in (None, "", [])}
    if extra:
        simple = all(isinstance(v, (str, int, float)) or (isinstance(v, list) and all(isinstance(x, (str, int, float)) for x in v))
                     for v in extra.values())
        body = ("\n".join(f"- **{k.capitalize()}:** {_meta_value(v)}" for k, v in extra.items()) if simple
                else _front_matter_block(doc, set(extra)).removeprefix("Front matter:\n\n"))
        acc.keep("", body, -1, "title")


def _preamble_pass(doc: MarkdownDoc, acc: _Acc) -> str:
    """``Key: value`` lines under the title fill fields; the other lines are kept. Returns
    the technical story line ("" if none)."""
    meta, rest = meta_lines(doc, *doc.preamble)
    story = ""
    for m in meta:
        if m.key == "status" and m.value:
            acc.statuses.append(("'Status:' line", m.value))
        elif m.key == "date" and m.value:
            acc.dates.append(("'Date:' line", m.value))
        elif m.key == "deciders":
            acc.deciders = acc.deciders or split_people(m.value)
        elif m.key == "tags":
            acc.tags = acc.tags or split_tags(m.value)
        elif m.key == "technical-story" and m.value:
            story = strip_comments(m.raw).strip().lstrip("*+- \t")  # as written
    if rest:
        # The other lines with the blank lines between them (paragraphs stay apart), the
        # metadata lines left out.
        taken = {m.line for m in meta}
        lines = [doc.lines[i] for i in range(rest[0][0], rest[-1][0] + 1) if i not in taken]
        acc.keep("", clean(re.sub(r"\n{3,}", "\n\n", "\n".join(lines))), rest[0][0], "title")
    return story


def _sections_pass(doc: MarkdownDoc, acc: _Acc, outcome_children: Callable[[Section], str | None] | None) -> None:
    """Each section to its field, or kept under its heading after the field before it."""

    def section_text(s: Section, top: int = 3) -> str:
        return clean(relevel(doc.body(s), top))

    def titled(s: Section) -> str:
        body = section_text(s, 4)
        return f"### {s.title}\n\n{body}" if body else ""

    def kept(s: Section) -> None:
        acc.keep(s.title, section_text(s), s.start)

    for s in doc.sections:
        role = role_of(s)
        acc.roles.append(role or "")
        if role == "context":
            acc.context.append(section_text(s))
            acc.last = "context" if acc.last == "title" else acc.last
        elif role == "drivers" and acc.last in ("title", "context") and acc.context:
            acc.context.append(titled(s))
        elif role == "decision":
            acc.last = "decision"
            own = [clean(doc.own(s))]
            for child in s.children:
                child_role = role_of(child)
                where = outcome_children(child) if outcome_children else None
                if child_role in ("consequences", "consequences-part") or where == "consequences":
                    acc.consequences.append(titled(child) if child_role == "consequences-part" else section_text(child))
                    acc.last = "consequences"
                elif where == "unmapped" or acc.last == "consequences":
                    kept(child)
                else:
                    own.append(clean(relevel(doc.verbatim(child), 3)))
            acc.decision.append("\n\n".join(p for p in own if p))
        elif role == "consequences":
            acc.consequences.append(section_text(s))
            acc.last = "consequences"
        elif role == "consequences-part" and acc.last in ("decision", "consequences"):
            acc.consequences.append(titled(s))
            acc.last = "consequences"
        elif role == "status":
            if doc.own(s).strip():
                acc.statuses.append(("'## Status' section", doc.own(s)))
            for child in s.children:
                kept(child)
        elif role == "links":
            lines: list[str] = []
            for line in doc.body(s).split("\n"):
                info = parse_status(line) if line.strip() else None
                mapped = [r for r in info.relations if r.maps] if info else []
                acc.relations.extend(mapped)
                if line.strip() and not mapped:
                    if info and info.relations:
                        acc.warnings.append(f"'{line.strip()}': this kind of link has no field; kept as text")
                lines.append(line)  # every line stays on the page (a mapped link too: it is a link)
            acc.keep(s.title, clean("\n".join(lines).strip("\n")), s.start)
        else:
            kept(s)


_SAID = re.compile(r"[\W_]+")


def _status_pass(acc: _Acc) -> tuple[StatusInfo, str, str | None]:
    """The status (the first source wins; the places disagreeing is a warning), where it
    was read, and the status as written when the mapped word does not say it all."""
    status = StatusInfo(None, (), None, (), ())
    status_from = ""
    parsed = [(src, text, parse_status(text)) for src, text in acc.statuses]
    for _src, _text, info in parsed:
        acc.relations.extend(r for r in info.relations if r not in acc.relations)
    if not parsed:
        return status, "", ""
    status_from, text, status = parsed[0]
    named = [(src, info.status) for src, _, info in parsed if info.status]
    if len({s for _, s in named}) > 1:
        acc.warnings.append("the status is written more than once and the places disagree: "
                            + "; ".join(f"{src} says {s}" for src, s in named) + f"; used the {status_from}")
    if status.status is None:
        where = next((src for src, _, info in parsed[1:] if info.status), None)
        if where:
            status_from, text, status = next(p for p in parsed if p[0] == where)
    if len(status.words) > 1:
        acc.warnings.append(f"the status lists {', '.join(status.words)}; used the last one, {status.words[-1]}")
    # Lines the mapped status (and its links and date) say in full need not be shown again.
    unsaid: list[str] = []
    for raw in clean(text).split("\n"):
        if len(raw) > MAX_STATUS_LINE:
            unsaid.append(raw.strip())
            continue
        line = plain_inline(raw.strip()).strip()
        if not line:
            continue
        info = parse_status(raw)
        bare = _SAID.sub(" ", line.lower()).strip()
        if info.date:
            bare = _SAID.sub(" ", find_date_text_removed(line).lower()).strip()
        if STATUS_WORDS.get(bare) == status.status and status.status is not None and bare not in KEPT_WORDS:
            continue
        if info.relations and all(r.maps for r in info.relations) and _RELATION_START.match(line):
            continue
        unsaid.append(raw.strip())
    if not unsaid:
        return status, status_from, None
    # A qualifier: a line with no link ("On hold"), or words before a relation phrase
    # ("Partly superseded by [3. X](...)"), shown beside the mapped status.
    short = [u for u in unsaid if len(u) <= 120]
    qualifiers = [u for u in short if (not parse_status(u).relations and not links(u))
                  or (parse_status(u).relations and not _RELATION_START.match(plain_inline(u)))]
    if len(unsaid) > 1 or len(short) < len(unsaid) or any(links(u) for u in unsaid):
        acc.keep("Status", clean(text), -0.5, "title")
    return status, status_from, (plain_inline(qualifiers[0])[:120] if qualifiers else None)


_RELATION_START = re.compile(r"(?:superseded by|superseeded by|supersedes|replaced by|replaces)\b", re.I)


def find_date_text_removed(line: str) -> str:
    """``Proposed (2021-05-01)`` -> ``Proposed ()``: the line without its date."""
    found = find_date(line)
    return line.replace(found.text, "") if found.date and found.text else line


def _date_pass(acc: _Acc, status: StatusInfo) -> tuple[dt.date | None, str]:
    for src, text in acc.dates:
        found = find_date(text)
        if found.date:
            return found.date, src
        acc.warnings.append(f"{src} '{text}': " + (found.problem or "no date in it"))
        acc.keep("Date", f"As written: {text}", -0.6, "title")
        break
    if status.date:
        return status.date, "the status line"
    return None, ""


_LIST_ITEM = re.compile(r"[ \t]{0,3}(?:[*+-]|\d{1,3}[.)])[ \t]+(?P<text>\S.*)")
_GOOD = ("good", "pro", "pros", "+", "advantage", "benefit")
_BAD = ("bad", "con", "cons", "-", "disadvantage", "drawback")


def _options_pass(doc: MarkdownDoc, decision_text: str) -> tuple[ConsideredOption, ...]:
    """Considered options (MADR "Considered Options", "Options considered"), their pros and
    cons (MADR "Pros and Cons of the Options"), and the chosen one ("Chosen option: ...")."""
    names: list[str] = []
    pros: dict[str, list[str]] = {}
    cons: dict[str, list[str]] = {}

    def key(name: str) -> str:
        return " ".join(_SAID.sub(" ", name.lower()).split())

    def read_arguments(name: str, body: str) -> None:
        mode = ""
        for raw in body.split("\n"):
            m = _LIST_ITEM.fullmatch(raw.rstrip())
            line = plain_inline(m["text"] if m else raw).strip()
            low = line.lower()
            head = _SAID.split(low.strip(), maxsplit=1)[0] if low.strip() else ""
            if not m:
                if head in _GOOD and low.rstrip(": ") in ("pros", "pro", "good", "advantages", "benefits"):
                    mode = "pro"
                elif head in _BAD and low.rstrip(": ") in ("cons", "con", "bad", "disadvantages", "drawbacks"):
                    mode = "con"
                continue
            if head in ("good",) or low.startswith(("pro:", "pros:")) or (mode == "pro" and head not in ("bad", "neutral")):
                pros.setdefault(key(name), []).append(line)
            elif head in ("bad",) or low.startswith(("con:", "cons:")) or mode == "con":
                cons.setdefault(key(name), []).append(line)

    for s in doc.sections:
        role = role_of(s)
        if role == "options":
            for raw in doc.own(s).split("\n"):
                if m := _LIST_ITEM.fullmatch(raw.rstrip()):
                    name = plain_inline(m["text"]).strip()
                    if name:
                        names.append(name)
            for child in s.children:
                if not any(key(child.title) == key(n) for n in names):
                    names.append(child.title)
                read_arguments(child.title, doc.body(child))
        elif role == "pros-cons":
            for child in s.children:
                if not any(key(child.title) == key(n) for n in names):
                    names.append(child.title)
                read_arguments(child.title, doc.body(child))
    if not names:
        return ()
    chosen = ""
    for raw in decision_text.split("\n"):
        low = plain_inline(raw).lower()
        if "chosen option" in low or "we chose" in low or "we choose" in low:
            said = low.split('"')[1] if low.count('"') >= 2 else low
            def bare(n: str) -> str:  # "Option 1: Kafka" -> "kafka"
                return re.sub(r"^(?:option|alternative)\s*\d*\s*", "", key(n)) or key(n)

            fits = [n for n in names if key(n) and (bare(n) in key(said) or (len(key(said)) > 2 and key(n).startswith(key(said))))]
            chosen = max(fits, key=lambda n: len(bare(n))) if fits else ""
            break
    return tuple(
        ConsideredOption(n, n == chosen, tuple(pros.get(key(n), ())), tuple(cons.get(key(n), ()))) for n in dict.fromkeys(names)
    )


def extract(doc: MarkdownDoc, fmt: str, *, outcome_children: Callable[[Section], str | None] | None = None) -> ParsedAdr:
    """Map a parsed Markdown ADR onto the fields of a decision, keeping everything else.

    In passes: the title, the front matter, the lines under the title, the sections,
    the status, the date, the considered options. Text that fits no field is kept as
    a section under its own heading, placed after the field it followed in the file.
    """
    acc = _Acc()
    title_number, title = split_title(doc.title.title) if doc.title else (None, "")
    is_template = is_placeholder(title) if title else False
    _front_matter_pass(doc, acc)
    story = _preamble_pass(doc, acc)
    if story:
        acc.context.append(story)
    _sections_pass(doc, acc, outcome_children)
    status, status_from, as_written = _status_pass(acc)
    date, date_from = _date_pass(acc, status)
    decision = "\n\n".join(p for p in acc.decision if p).strip()
    options = _options_pass(doc, decision)
    acc.sections.sort(key=lambda s: s.line)
    return ParsedAdr(
        format=fmt,
        title=title,
        title_number=title_number,
        status=status,
        status_from=status_from,
        date=date,
        date_from=date_from,
        deciders=acc.deciders,
        tags=acc.tags,
        context="\n\n".join(p for p in acc.context if p).strip(),
        decision=decision,
        consequences="\n\n".join(p for p in acc.consequences if p).strip(),
        sections=tuple(acc.sections),
        relations=tuple(acc.relations),
        warnings=tuple(acc.warnings),
        is_template=is_template,
        roles=tuple(acc.roles),
        status_as_written=as_written,
        options=options,
        date_text=acc.dates[0][1] if acc.dates else "",
    )
