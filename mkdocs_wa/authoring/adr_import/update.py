"""``import --update``: refresh a decision imported before from its changed source.

Only the keys the import writes (:data:`OWNED`) are replaced; everything a person added
since (hypothesis, metrics, pillars, result, architecture, principles, comments between
them) stays as written, block for block. The file is cut into top-level blocks as the
history reader cuts it: a block starts at a line that begins at column 0 and is not a
comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

#: Top-level keys the import writes; ``id`` stays as the existing file has it.
OWNED = ("title", "status", "date", "deciders", "tags", "supersedes", "context", "decision", "consequences",
         "sections", "options", "imported_from")

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:")


def _blocks(text: str) -> list[tuple[str | None, str]]:
    """(top-level key or None, its lines) in file order."""
    out: list[tuple[str | None, list[str]]] = []
    for line in text.splitlines(keepends=True):
        starts = line[:1] not in (" ", "\t", "#", "\n", "\r", "") and not line.startswith(("---", "..."))
        m = _KEY.match(line) if starts else None
        if m or not out:
            # Comment lines right above a key belong to it (they describe it).
            lead: list[str] = []
            while out and out[-1][1] and out[-1][1][-1].startswith("#") and out[-1][0] is not None:
                lead.insert(0, out[-1][1].pop())
            out.append((m[1] if m else None, lead + [line]))
        else:
            out[-1][1].append(line)
    return [(k, "".join(lines)) for k, lines in out]


@dataclass(frozen=True)
class Refresh:
    text: str
    #: Keys whose value changed, with a short description (``status: accepted → superseded``).
    changes: tuple[str, ...]


def _short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:39] + "…"


def refresh(old_text: str, new_text: str) -> Refresh:
    """``old_text`` with its imported keys replaced by those of ``new_text``."""
    old_blocks = _blocks(old_text)
    new_blocks = {k: b for k, b in _blocks(new_text) if k in OWNED}
    try:
        old_data = yaml.safe_load(old_text) or {}
        new_data = yaml.safe_load(new_text) or {}
    except yaml.YAMLError:
        old_data, new_data = {}, {}
    out: list[str] = []
    placed: set[str] = set()
    last_owned = -1
    for key, block in old_blocks:
        if key in OWNED:
            if key in new_blocks:
                out.append(new_blocks[key] if block.endswith("\n") or not new_blocks[key].endswith("\n") else new_blocks[key])
                placed.add(key)
            last_owned = len(out)
        else:
            out.append(block)
    missing = [new_blocks[k] for k in OWNED if k in new_blocks and k not in placed]
    if missing:
        at = last_owned if last_owned >= 0 else len(out)
        if at and not out[at - 1].endswith("\n"):
            out[at - 1] += "\n"
        out[at:at] = missing
    changes: list[str] = []
    for key in OWNED:
        a, b = old_data.get(key) if isinstance(old_data, dict) else None, new_data.get(key) if isinstance(new_data, dict) else None
        if a == b or (key == "date" and str(a) == str(b)):
            continue
        if key in ("status", "date", "title") and a is not None and b is not None:
            changes.append(f"{key}: {_short(a)} → {_short(b)}")
        elif a is None:
            changes.append(f"{key} added")
        elif b is None:
            changes.append(f"{key} removed")
        else:
            changes.append(f"{key} changed")
    return Refresh("".join(out), tuple(changes))
