"""How decisions are named: ids (``VID-0003``), file names (``0003-some-title.yaml``),
workload folders, and the template's placeholder text. The loader, the validator, the
PR diff and the authoring commands all follow these rules."""

from __future__ import annotations

import collections
import re
import unicodedata
from collections.abc import Iterable

#: ``0007-some-title.yaml`` -> 7; the same rule as :data:`mkdocs_wa.source.validate.FILE_NAME`.
_FILE_NUMBER = re.compile(r"^(\d+)-")
#: ``VID-0003`` -> ("VID", "0003"); ids are ``PREFIX-NUMBER`` by convention only.
_ID = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z0-9_.]*)-(?P<number>\d+)$")
_WORKLOAD = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def slugify(text: str, max_length: int = 60) -> str:
    """A file-name slug: lower-case ASCII letters, digits and single dashes.

    Accents are folded (``Café`` -> ``cafe``) rather than dropped, and a long title is
    cut at a word boundary so file names stay readable in a terminal.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:max_length]
    return slug.strip("-") or "decision"


def valid_workload(name: str) -> bool:
    return bool(_WORKLOAD.match(name))


def workload_problem(name: str) -> str:
    """Why ``name`` cannot name a workload, with the name to use instead; '' if it can."""
    if valid_workload(name):
        return ""
    message = f"workload '{name}' must be lower-case letters, digits and '-' (it names a folder)"
    suggestion = slugify(name, max_length=200)
    if suggestion != "decision" and valid_workload(suggestion):
        message += f"; use --workload {suggestion}"
    return message


def derive_prefix(workload: str) -> str:
    """An id prefix from a workload name: ``payments`` -> ``PAY``, ``live-video`` -> ``LV``.

    Only used when the workload has no decisions yet and no ``--id-prefix`` is given;
    after that, :func:`existing_prefix` keeps whatever the team chose.
    """
    words = [w for w in workload.split("-") if w]
    if len(words) > 1:
        prefix = "".join(w[0] for w in words[:4]).upper()
    else:
        prefix = (words[0] if words else "adr")[:3].upper()
    return prefix if prefix[0].isalpha() else "W" + prefix


def split_id(decision_id: str) -> tuple[str, int] | None:
    m = _ID.match(decision_id)
    return (m["prefix"], int(m["number"])) if m else None


def existing_prefix(ids: Iterable[str]) -> str | None:
    """The prefix most of ``ids`` use (ties: the alphabetically first), or None."""
    counts = collections.Counter(p[0] for i in ids if (p := split_id(i)))
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def format_id(prefix: str, number: int) -> str:
    return f"{prefix}-{number:04d}"


def file_name(number: int, slug: str) -> str:
    return f"{number:04d}-{slug}.yaml"


def file_number(name: str) -> int | None:
    m = _FILE_NUMBER.match(name)
    return int(m[1]) if m else None


#: The template's placeholder text, by the field it stands in. ``mkdocs-wa validate`` warns
#: when a decision that is no longer ``proposed`` still holds one.
PLACEHOLDERS: dict[tuple[str, ...], str] = {
    ("context",): "TODO: the forces at play, and why a decision is needed now.",
    ("decision",): "TODO: what we decided to do.",
    ("consequences",): "TODO: what becomes easier, and what becomes harder.",
    ("hypothesis", "statement"): "TODO: what this change should achieve, in a form a measurement can confirm or refute.",
}
