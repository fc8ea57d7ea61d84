"""Statuses as people write them, and the links between ADRs written next to them.

``Accepted``, ``ACCEPTED``, ``✅ Accepted``, ``**Accepted**``, ``Proposed (2021-05-01)``,
``Superseded by [12. Use X](0012-use-x.md)``, ``Accepted\\n\\nSupersedes [3. ...](...)``
(adr-tools), ``superseded by ADR-0123`` (MADR 4 front matter), ``draft`` (log4brains).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from mkdocs_wa.authoring.adr_import.dates import find_date
from mkdocs_wa.authoring.adr_import.markdown import links, plain_inline, strip_comments

#: Words (lower case) that name a status, and the status of format version 1 they mean.
STATUS_WORDS: dict[str, str] = {
    "accepted": "accepted",
    "accept": "accepted",
    "approved": "accepted",
    "adopted": "accepted",
    "agreed": "accepted",
    "decided": "accepted",
    "implemented": "accepted",
    "active": "accepted",
    "done": "accepted",
    "proposed": "proposed",
    "proposal": "proposed",
    "draft": "proposed",
    "pending": "proposed",
    "in review": "proposed",
    "under review": "proposed",
    "under discussion": "proposed",
    "in discussion": "proposed",
    "in progress": "proposed",
    "work in progress": "proposed",
    "wip": "proposed",
    "open": "proposed",
    "suggested": "proposed",
    "rfc": "proposed",
    "rejected": "rejected",
    "declined": "rejected",
    "refused": "rejected",
    "abandoned": "rejected",
    "withdrawn": "rejected",
    "deprecated": "deprecated",
    "obsolete": "deprecated",
    "retired": "deprecated",
    # Statuses the lifecycle lacks: mapped to the nearest one, and the word as written is
    # kept beside it on the page (imported_from.status_as_written).
    "on hold": "proposed",
    "on-hold": "proposed",
    "paused": "proposed",
    "postponed": "proposed",
    "deferred": "proposed",
    "parked": "proposed",
    "incomplete": "proposed",
    "reverted": "deprecated",
    "partly superseded": "superseded",
    "partially superseded": "superseded",
    "superseded": "superseded",
    "superseeded": "superseded",
    "replaced": "superseded",
}
#: A longer line is no status (and parsing it costs): kept as text as it is.
MAX_STATUS_LINE = 1000

#: Status words the lifecycle lacks: the word as written is shown beside the mapped status.
KEPT_WORDS = frozenset({"on hold", "on-hold", "paused", "postponed", "deferred", "parked", "incomplete", "reverted",
                        "partly superseded", "partially superseded"})
_WORDS = re.compile(
    r"(?<![a-z])(" + "|".join(re.escape(w) for w in sorted(STATUS_WORDS, key=len, reverse=True)) + r")(?![a-z])"
)

#: Relation phrases between ADRs (adr-tools' ``adr link`` and MADR's "Links").
_RELATION = re.compile(
    r"(?<![A-Za-z])(superseded by|superseeded by|supersedes|replaced by|replaces|deprecated by|amended by|amends|"
    r"clarified by|clarifies|refined by|refines|extended by|extends|relates to|related to|depends on)(?![A-Za-z])\s*:?",
    re.I,
)
_KIND = {
    "superseded by": "superseded-by",
    "superseeded by": "superseded-by",
    "replaced by": "superseded-by",
    "supersedes": "supersedes",
    "replaces": "supersedes",
}
_BARE_REF = re.compile(r"(?:\bADR[-_ #]*|#|(?<![\w-]))0*(\d{1,5})(?!\d)", re.I)
_NUMBER_IN_NAME = re.compile(r"^0*(\d{1,6})(?=[-_.])")


@dataclass(frozen=True)
class Reference:
    """One ADR named in a relation: a link target and/or a number."""

    href: str
    text: str
    number: int | None


@dataclass(frozen=True)
class Relation:
    #: ``supersedes``, ``superseded-by``, or the phrase as written (``amended by``...).
    kind: str
    refs: tuple[Reference, ...]
    #: The whole line it was written on, kept when the relation cannot be mapped.
    line: str

    @property
    def maps(self) -> bool:
        return self.kind in ("supersedes", "superseded-by")


@dataclass(frozen=True)
class StatusInfo:
    #: A status of format version 1, or None when the text named none.
    status: str | None
    #: Every status word found, in order (more than one: a status history).
    words: tuple[str, ...]
    date: dt.date | None
    relations: tuple[Relation, ...]
    #: Status lines in which no status word was found (kept as unmapped text).
    unrecognised: tuple[str, ...]


def href_name(href: str) -> str:
    """The file name a link points at: ``./0012-use-x.md#top`` -> ``0012-use-x.md``."""
    path = unquote(href.split("#", 1)[0].split("?", 1)[0])
    return path.rstrip("/").rsplit("/", 1)[-1]


def _reference(href: str, text: str) -> Reference:
    number: int | None = None
    if m := _NUMBER_IN_NAME.match(href_name(href)):
        number = int(m[1])
    elif m := _BARE_REF.search(text):
        number = int(m[1])
    return Reference(href, text, number)


def _refs(segment: str) -> tuple[Reference, ...]:
    found = links(segment)
    if found:
        return tuple(_reference(href, text) for href, text in found)
    text = plain_inline(segment).strip(" .,;")
    if not text:
        return ()
    m = _BARE_REF.search(text)
    return (Reference("", text, int(m[1]) if m else None),)


def _strip_line(line: str) -> str:
    line = strip_comments(line).strip()
    return re.sub(r"^(?:[*+-]|\d+[.)])\s+", "", line)


@lru_cache(maxsize=4096)
def parse_status(text: str) -> StatusInfo:
    """Read a status section (or a status value) into a status and relations."""
    words: list[str] = []
    relations: list[Relation] = []
    unrecognised: list[str] = []
    dates: list[tuple[bool, dt.date]] = []  # (line named a status?, date written on it)
    for raw in text.split("\n"):
        line = _strip_line(raw)
        if not line:
            continue
        if len(line) > MAX_STATUS_LINE:  # not a status: kept as text, not parsed
            unrecognised.append(raw.strip())
            continue
        matches = list(_RELATION.finditer(line))
        before = line[: matches[0].start()] if matches else line
        for k, m in enumerate(matches):
            end = matches[k + 1].start() if k + 1 < len(matches) else len(line)
            phrase = " ".join(m[1].lower().split())
            relations.append(Relation(_KIND.get(phrase, phrase), _refs(line[m.end() : end]), raw.strip()))
        plain = plain_inline(before).lower()
        found = [STATUS_WORDS[w] for w in _WORDS.findall(plain)]
        if found:
            words.append(found[0])
        elif any(r.kind == "superseded-by" for r in relations[len(relations) - len(matches) :]):
            words.append("superseded")
        elif any(r.kind == "deprecated by" for r in relations[len(relations) - len(matches) :]):
            words.append("deprecated")
        elif plain.strip(" .:-") and not matches:
            unrecognised.append(raw.strip())
        if (found or not matches) and (when := find_date(before).date):
            dates.append((bool(found), when))
    status = words[-1] if words else None
    # "2021-01-01 proposed / 2021-02-01 accepted": the date of the latest status counts.
    with_word = [d for named, d in dates if named]
    date = with_word[-1] if with_word else (dates[0][1] if dates else None)
    if any(r.kind == "superseded-by" for r in relations):
        status = "superseded"
    return StatusInfo(status, tuple(words), date, tuple(relations), tuple(unrecognised))
