"""Give a decision a new id: rename its file and rewrite every reference to it.

When two branches both add ``VID-0006`` (in files with different names, so git merges
them without a conflict), one of them must move: :func:`plan` finds the decision, the
new file name (same slug, new number) and every mention of the old id or the old file
name in the decisions (``id``, ``supersedes``, ``result.next``, and Markdown text:
links to ``0006-cdn.yaml`` or its page ``0006-cdn/``, mentions of ``VID-0006``);
:func:`apply` writes them.

The files are edited as text, at the positions the loader recorded, never dumped
again: the author's formatting, quoting and comments stay as they were. Each edited
text is parsed again and must hold exactly the data expected (the old data with the
id replaced); otherwise nothing is written. Nothing is written when the new id or the
new file name is taken.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs_wa.authoring.scaffold import create_exclusive
from mkdocs_wa.nouns import count
from mkdocs_wa.safepath import replace_file
from mkdocs_wa.source.load import Document, parse_text, read_yaml
from mkdocs_wa.source.names import split_id
from mkdocs_wa.source.validate import FILE_NAME, discover

#: The id syntax of the schema.
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")


class RenumberError(Exception):
    """The request cannot be done; nothing was written."""


@dataclass(frozen=True)
class Change:
    """One mention replaced: where, in which field, what by what."""

    path: Path
    line: int
    col: int
    field: str
    old: str
    new: str


@dataclass
class Plan:
    old_id: str
    new_id: str
    #: The file holding the decision, and its new path (the same when only the id changes).
    source: Path
    target: Path
    #: New text of each edited file (keyed by its current path).
    texts: dict[Path, str] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    #: Files not read (invalid YAML...) or not rewritten (another file with the old id):
    #: the user checks them by hand.
    notes: list[str] = field(default_factory=list)


def _mention(word: str, id_like: bool) -> re.Pattern[str]:
    """``word`` as a whole word: not inside a longer id (``VID-00061``, ``VID-0006.1``) or
    file name (``0006-cdn-v2``); a file name may be followed by its extension."""
    if id_like:
        return re.compile(r"(?<![A-Za-z0-9_.-])" + re.escape(word) + r"(?![A-Za-z0-9_]|[-.][A-Za-z0-9_])")
    return re.compile(r"(?<![A-Za-z0-9_.-])" + re.escape(word) + r"(?![A-Za-z0-9_-])")


def _offsets(text: str) -> list[int]:
    starts = [0]
    i = text.find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


def _leaves(data: Any, path: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], str]]:
    """Every text value in ``data`` with its path (iteratively: depth is bounded by the loader)."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [(path, data)]
    while stack:
        p, node = stack.pop()
        if isinstance(node, str):
            out.append((p, node))
        elif isinstance(node, dict):
            stack.extend((p + (k,), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((p + (i,), v) for i, v in enumerate(node))
    return out


def _replace_data(data: Any, subs: list[tuple[re.Pattern[str], str]]) -> Any:
    if isinstance(data, str):
        for pattern, new in subs:
            data = pattern.sub(new, data)
        return data
    if isinstance(data, dict):
        return {k: _replace_data(v, subs) for k, v in data.items()}
    if isinstance(data, list):
        return [_replace_data(v, subs) for v in data]
    return data


def _field(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _edit(doc: Document, file: Path, subs: list[tuple[re.Pattern[str], str]]) -> tuple[str, list[Change]]:
    """The text of ``doc`` with every mention replaced inside the text values, and the changes."""
    text = doc.text
    starts = _offsets(text)

    def offset(line: int, col: int) -> int:
        return starts[line - 1] + col - 1 if 0 < line <= len(starts) else len(text)

    # Where each value starts, and where the next key or value starts: a text value's
    # source (quotes, block lines, a comment after it) lies between the two.
    marks = sorted({offset(p.line, p.col) for p in (*doc.values.values(), *doc.keys.values())})
    spans: list[tuple[int, int, tuple[str | int, ...]]] = []
    for path, value in _leaves(doc.data):
        if not any(pattern.search(value) for pattern, _ in subs) or path not in doc.values:
            continue
        start = offset(doc.values[path].line, doc.values[path].col)
        later = [m for m in marks if m > start]
        spans.append((start, later[0] if later else len(text), path))
    changes: list[Change] = []
    out: list[str] = []
    done = 0
    for start, end, path in sorted(spans):
        if start < done:
            continue
        out.append(text[done:start])
        piece = text[start:end]
        for pattern, new in subs:
            for m in pattern.finditer(piece):
                at = start + m.start()
                line = _line_of(starts, at)
                changes.append(Change(file, line + 1, at - starts[line] + 1, _field(path), m.group(), new))
            piece = pattern.sub(new, piece)
        out.append(piece)
        done = end
    out.append(text[done:])
    return "".join(out), changes


def _line_of(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1


def plan(decisions_dir: Path, old_id: str, new_id: str, *, file: Path | None = None) -> Plan:
    """Everything :func:`apply` would write; :class:`RenumberError` when it cannot be done."""
    number = _check_ids(old_id, new_id)
    if not decisions_dir.is_dir():
        raise RenumberError(f"{decisions_dir}: no such folder")
    docs, unread = _read_all(decisions_dir)
    holders = [(p, d) for p, d in docs if d.data.get("id") == old_id]
    taken = [p for p, d in docs if d.data.get("id") == new_id]
    if taken:
        raise RenumberError(f"'{new_id}' is already the id of {taken[0]}: pick another number")
    source = _source(holders, old_id, decisions_dir, file)
    m = FILE_NAME.match(source.name)
    target = source
    subs = [(_mention(old_id, True), new_id)]
    if m:
        ext = source.suffix
        target = source.with_name(f"{number:04d}-{m['slug']}{ext}")
        if target != source:
            subs.append((_mention(source.stem, False), target.stem))
    if target != source and (target.exists() or target.is_symlink()):
        raise RenumberError(f"{target} already exists: pick another number")

    result = Plan(old_id, new_id, source, target, notes=unread)
    others = [p for p, _ in holders if p != source]
    for path, doc in docs:
        if others and path != source:
            # Another file holds the old id too: a mention of it may mean that one.
            if any(pattern.search(v) for _, v in _leaves(doc.data) for pattern, _ in subs[:1]):
                holds = "holds" if len(others) == 1 else "hold"
                result.notes.append(f"{path}: mentions '{old_id}', which {count(len(others), 'other file')} also {holds}; not changed")
            if len(subs) < 2:
                continue
            file_subs = subs[1:]  # the old file name names one file: still rewritten
        else:
            file_subs = subs
        new_text, changes = _edit(doc, path, file_subs)
        if not changes:
            continue
        if path.read_bytes().startswith(b"\xef\xbb\xbf"):  # keep a byte-order mark the loader dropped
            new_text = "\ufeff" + new_text
        if path.is_symlink():
            raise RenumberError(f"{path} is a symbolic link and mentions '{old_id}': edit the file it points to")
        expected = _replace_data(doc.data, file_subs)
        check, problems = parse_text(new_text, str(path))
        if check is None or check.data != expected:
            raise RenumberError(
                f"{path}: a mention of '{old_id}' could not be rewritten safely "
                "(an escaped or unusual value?); nothing was changed: edit it by hand"
            )
        result.texts[path] = new_text
        result.changes.extend(sorted(changes, key=lambda c: (c.line, c.col)))
    if source not in result.texts:  # the id is written in a way the edit could not reach
        raise RenumberError(f"{source}: its id could not be found in the text; nothing was changed")
    return result


def _check_ids(old_id: str, new_id: str) -> int:
    """The new id's number, once both ids are well formed and different."""
    for name, value in (("OLD", old_id), ("NEW", new_id)):
        if not _ID.match(value):
            raise RenumberError(f"{name} '{value}' is not a decision id (letters, digits, '-', '_', '.')")
    parts = split_id(new_id)
    if parts is None:
        raise RenumberError(f"NEW '{new_id}' has no number: write it as PREFIX-NUMBER, e.g. VID-0007")
    if old_id == new_id:
        raise RenumberError("OLD and NEW are the same id")
    return parts[1]


def _read_all(decisions_dir: Path) -> tuple[list[tuple[Path, Document]], list[str]]:
    """Every decision file read (path, document), and a note for each one not read."""
    files, _ = discover([decisions_dir])
    docs: list[tuple[Path, Document]] = []
    unread: list[str] = []
    for path, _root in files:
        doc, problems = read_yaml(path)
        if doc is None or not isinstance(doc.data, dict):
            unread.append(f"{path}: not read ({problems[0].message if problems else 'not a mapping'}); check it by hand")
            continue
        docs.append((path, doc))
    return docs, unread


def _source(holders: list[tuple[Path, Document]], old_id: str, decisions_dir: Path, file: Path | None) -> Path:
    """The one file to renumber among those holding ``old_id`` (``file`` when given)."""
    if file is not None:
        chosen = [(p, d) for p, d in holders if os.path.abspath(p) == os.path.abspath(file)]
        if not chosen:
            raise RenumberError(f"{file} does not hold the id '{old_id}'")
    else:
        chosen = holders
    if not chosen:
        raise RenumberError(f"no decision under {decisions_dir} has the id '{old_id}'")
    if len(chosen) > 1:
        names = ", ".join(str(p) for p, _ in chosen)
        raise RenumberError(f"{len(chosen)} files hold the id '{old_id}' ({names}): name the one to renumber with --file")
    source = chosen[0][0]
    if source.is_symlink():
        raise RenumberError(f"{source} is a symbolic link: renumber the file it points to")
    return source


def apply(p: Plan) -> None:
    """Write the plan: the other files first, then the renamed one (created, never
    overwriting a file, then the old one removed)."""
    for path, text in p.texts.items():
        if path != p.source:
            replace_file(path, text, path.stat().st_mode & 0o777)
    text = p.texts[p.source]
    if p.target == p.source:
        replace_file(p.source, text, p.source.stat().st_mode & 0o777)
        return
    if not create_exclusive(p.target, text):
        raise RenumberError(f"{p.target} already exists: nothing renamed")
    os.unlink(p.source)
