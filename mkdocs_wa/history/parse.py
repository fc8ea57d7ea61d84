"""Decision files read block by block, each distinct piece parsed once.

Parsing every revision of every file as a whole would cost more than git itself, so a
revision is cut into its top-level YAML blocks (``status: ...``, ``result:`` and its
indented lines, ...), nested blocks into their entries (a pillar's line, a metric), and
each distinct piece is parsed once, as :func:`mkdocs_wa.source.load.parse_text` reads it
(see :func:`~mkdocs_wa.source.load.load_data`): a commit that changes a status parses one
line, one that records an observed value parses one metric. A sequence written at its key's column (PyYAML's
default style: ``deciders:`` then ``- team``) stays in its key's block. Only the fields
the history tracks are parsed. Anything unusual (flow style at the top level, anchors
across blocks, quoted scalars running over lines) falls back to parsing the whole file;
tests check both give the same values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mkdocs_wa.changes import TRACKED, Change, tracked_changes
from mkdocs_wa.source.load import MAX_BYTES, load_data, parse_text
from mkdocs_wa.source.load import shallow as is_shallow

_BROKEN = object()
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t\r]|$)", re.MULTILINE)
_INDENT = re.compile(r"\n( *)(?=[^ #\r\n])")


@lru_cache(maxsize=32)
def _indents(n: int) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Patterns for a nesting at indentation ``n``: a line break before a line starting
    an entry (exactly ``n`` spaces; for a mapping, not a ``- `` item of a sequence
    written at its key's column), or before a line less indented (not a comment), and
    the indentation to remove."""
    return (
        re.compile(rf"\n {{{n}}}(?=[^ #\r\n])"),
        re.compile(rf"\n {{0,{max(n - 1, 0)}}}(?=[^ #\r\n])"),
        re.compile(rf"^ {{1,{max(n, 1)}}}", re.MULTILINE),
        re.compile(rf"\n {{{n}}}(?=[^ #\r\n-]|-[^ \t\r\n])"),
    )


#: Where a file is cut into top-level blocks: before each line that starts at column 0
#: and is not a comment, nor an item of a sequence written at its key's column.
_CUT = re.compile(r"\n(?=[^ #\n\r-]|-[^ \t\n\r])")
_AFTER_KEY = frozenset(("", " ", "\t", "\r", "\n"))
#: A value starting with one of these may run over several lines at column 0 or refer to
#: another block (anchors, aliases, tags), so its block is parsed to be sure of the cut.
_RISKY = frozenset("\"'[{&*!")
_TRACKED = frozenset(TRACKED)
_PREAMBLE = frozenset(("", " ", "#", "\n", "\r"))
_MISSING = object()
#: What a top-level block is (see Reader._block); the numbers are their names on disk.
_FIELD, _OTHER, _SKIP, _STOP = 0, 1, 2, 3
#: A key whose value is on the following lines (a nested mapping or sequence).
_CONTAINER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*[ \t]*:[ \t]*(?:#[^\n]*)?\r?\n")


@dataclass(frozen=True)
class Snapshot:
    """One version of a file: its text in blocks, tracked values, and the other fields."""

    blocks: tuple[str, ...]
    fields: Mapping[str, Any] | None
    #: Untracked top-level fields: the block's text, or its value (:class:`Parsed`).
    others: Mapping[str, Any]
    #: Read block by block: each block's number in :attr:`Reader.rows` (none: read whole).
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Parsed:
    value: Any


UNREADABLE = Snapshot((), None, {})
#: What a top-level block holds: (its text, its key, its kind, its value, its row number).
_Entry = tuple[str, str, int, Any, int]


class Reader:
    """Snapshots of file versions, parsed with caches at every level of nesting.

    If any piece fails, the enclosing block, then the whole file, is parsed as one, so
    the values are always what a whole-file parse gives.
    """

    def __init__(self, extra_parser: Callable[[str], Mapping[str, Any] | None] | None, extras: set[str] | frozenset[str] = frozenset()) -> None:
        self.extra_parser = extra_parser
        self.extras = extras
        #: text of a block, entry or item -> its parsed value (or _BROKEN)
        self.values: dict[str, Any] = {}
        #: a top-level block's text (without its line break; the last block of a file in
        #: ``ends``) -> (block, key, kind, value, number). Revisions share these strings.
        self.pieces: dict[str, _Entry] = {}
        self.ends: dict[str, _Entry] = {}
        #: every block met, numbered in order: (its text, whether it ends a file, entry)
        self.rows: list[tuple[str, bool, _Entry]] = []
        #: blob id (``md:`` before it for a file of ``extra_parser``) -> its snapshot
        self.blobs: dict[str, Snapshot] = {}

    def blob(self, oid: str, raw: bytes | None, path: str) -> Snapshot:
        """The snapshot of a blob's content (kept by its id)."""
        try:  # as decision files: a 30 MB revision is not parsed or kept
            snap = UNREADABLE if raw is None or len(raw) > MAX_BYTES else self.snapshot(raw.decode("utf-8"), path)
        except UnicodeDecodeError:
            snap = UNREADABLE
        self.blobs[oid if _is_yaml(path) else "md:" + oid] = snap
        return snap

    def known(self, oid: str, path: str) -> Snapshot | None:
        return self.blobs.get(oid if _is_yaml(path) else "md:" + oid)

    def snapshot(self, text: str, path: str) -> Snapshot:
        """The tracked values (and other fields) of one version of a file.

        The file is cut before each line that starts a top-level key: each block is one
        key with its indented lines, and keeps its line break (a block scalar ending it
        needs it), so the blocks joined are the file. A block that is not a plain
        ``key:`` (flow style, a quoted key, a document marker...) or a duplicate key
        sends the file to the whole-file parse.
        """
        if not _is_yaml(path):  # an original Markdown ADR: only its own parser knows it
            data = self.extra_parser(text) if self.extra_parser else {}
            if not isinstance(data, Mapping):
                return Snapshot((text,), None, {})
            return Snapshot((text,), {k: data[k] for k in TRACKED if k in data}, {})
        text = text.removeprefix("\ufeff")
        return self._assemble(_CUT.split(text)) or self._whole(text, path)

    def _assemble(self, cut: list[str]) -> Snapshot | None:
        fields: dict[str, Any] = {}
        others: dict[str, Any] = {}
        blocks: list[str] = []
        numbers: list[int] = []
        last = len(cut) - 1
        for i, piece in enumerate(cut):
            # Most blocks were met in an earlier version of the file: looked up, not read again.
            memo = self.pieces if i < last else self.ends
            found = memo.get(piece)
            if found is None:
                # Each block keeps its line break: a block scalar ending it needs it.
                found = memo[piece] = (*self._block(piece + "\n" if i < last else piece), len(self.rows))
                self.rows.append((piece, i == last, found))
            block, key, kind, value, number = found
            blocks.append(block)
            numbers.append(number)
            if kind == _SKIP and i == 0:
                continue  # comments (or nothing) before the first key
            if kind > _OTHER or key in fields or key in others:
                return None
            (fields if kind == _FIELD else others)[key] = value
        return Snapshot(tuple(blocks), fields, others, tuple(numbers))

    def _whole(self, text: str, path: str) -> Snapshot:
        doc, _ = parse_text(text, path)
        if doc is None or not isinstance(doc.data, dict):
            return Snapshot((text,), None, {})
        data = doc.data
        return Snapshot((text,), {k: data[k] for k in TRACKED if k in data}, {k: Parsed(v) for k, v in data.items() if k not in TRACKED})

    # kept between builds (as JSON: a cache folder is no place to load code from)

    def dump(self) -> dict[str, Any]:
        """The snapshots of YAML blobs as data: every block met (its text and what it
        holds), each blob the numbers of its blocks; a file read whole, its text."""
        table = [
            [piece, last, key, kind, value.value if isinstance(value, Parsed) else value if kind == _FIELD else None, isinstance(value, Parsed)]
            for piece, last, (_, key, kind, value, _) in self.rows
        ]
        blobs = {
            oid: snap.numbers or "".join(snap.blocks)
            for oid, snap in self.blobs.items()
            if not oid.startswith("md:") and snap.fields is not None
        }
        return {"blocks": table, "blobs": blobs}

    def load(self, data: Mapping[str, Any]) -> None:
        """Take in what :meth:`dump` gave (a wrong shape raises ``ValueError`` or similar)."""
        for piece, last, key, kind, value, parsed in data["blocks"]:
            block = piece if last else piece + "\n"
            if kind == _OTHER:
                value = Parsed(value) if parsed else block
            memo = self.ends if last else self.pieces
            entry = memo.setdefault(piece, (block, str(key), int(kind), value, len(self.rows)))
            self.rows.append((piece, bool(last), entry))
        for oid, numbers in data["blobs"].items():
            if isinstance(numbers, str):  # a file read whole: its text
                self.blobs[oid] = self.snapshot(numbers, "x.yaml")
                continue
            got = [self.rows[n][2] for n in numbers]
            fields = {k: v for _, k, kind, v, _ in got if kind == _FIELD}
            others = {k: v for _, k, kind, v, _ in got if kind == _OTHER}
            self.blobs[oid] = Snapshot(tuple(e[0] for e in got), fields, others, tuple(numbers))

    def _block(self, block: str) -> tuple[str, str, int, Any]:
        """What one top-level block holds: (its text, its key, its kind, its value).

        Kinds: _FIELD (a tracked field and its value), _OTHER (an untracked field: its
        text, or its :class:`Parsed` value when the text alone cannot be trusted),
        _SKIP (comments before the first key), _STOP (anything else: the whole file
        must be parsed).
        """
        if block[:1] in _PREAMBLE:  # only the first block can start so
            if any(ln.strip() and not ln.lstrip().startswith("#") for ln in block.splitlines()):
                return block, "", _STOP, None  # an indented document: not a plain block mapping
            return block, "", _SKIP, None
        colon = block.find(":")
        key = block[:colon]
        after = block[colon + 1 : colon + 2]
        # A plain key ("status", "review_by", "x-y") followed by its colon and a space or
        # the line's end.
        if colon < 0 or after not in _AFTER_KEY or not key.replace("-", "_").isidentifier():
            return block, key, _STOP, None
        if key in _TRACKED:
            value = self.value(block, key)
            return block, key, (_STOP if value is _BROKEN else _FIELD), value
        if block[colon + 1 : colon + 64].lstrip(" \t")[:1] in _RISKY:
            # A value that may run over lines at column 0 or refer to another block:
            # parsing it checks the cut.
            value = self.value(block, key)
            return (block, key, _STOP, None) if value is _BROKEN else (block, key, _OTHER, Parsed(value))
        return block, key, _OTHER, block

    def value(self, text: str, key: str | None, shallow: bool = False) -> Any:
        """The value of ``key: ...`` (text starting at column 0), or of the sequence item
        ``- ...`` when ``key`` is None; _BROKEN if it is not so simple. ``shallow``: ``text``
        is known to pass :func:`~mkdocs_wa.source.load.shallow` (it is part of a block that did)."""
        found = self.values.get(text, _MISSING)
        if found is not _MISSING:
            return found
        value: Any = _BROKEN
        m = _CONTAINER.match(text) if key is not None else None
        # Deeper than shallow() allows, the block is parsed whole: parse_text then refuses
        # it if the file nests too deep, as it does the whole file.
        if m is not None and text[m.end() :].strip() and (shallow or is_shallow(text)):
            value = self._nested(text[m.end() :])
        if value is _BROKEN:
            data = load_data(text, _BROKEN)
            if key is None and isinstance(data, list) and len(data) == 1:
                value = data[0]
            elif key is not None and isinstance(data, dict) and len(data) == 1 and key in data:
                value = data[key]
        self.values[text] = value
        return value

    def _nested(self, body: str) -> Any:
        """A nested block mapping or sequence, each entry parsed (and cached) alone."""
        # Every search is anchored on a line break (a literal the regex engine finds fast),
        # so the body gets one in front: offsets in it are then offsets in body + 1.
        lined = "\n" + body
        m = _INDENT.search(lined)
        if m is None:
            return _BROKEN
        indent = len(m[1])
        seq = lined.startswith("-", m.end()) and lined[m.end() + 1 : m.end() + 2] in ("", " ", "\n", "\r")
        if indent == 0 and not seq:
            return _BROKEN
        at, less, dedent, key_at = _indents(indent)
        if indent and less.search(lined):
            return _BROKEN  # a line less indented than the entries: not a simple nesting
        starts = [x.start() for x in (at if seq else key_at).finditer(lined)]  # = offsets in body of the entries' lines
        values: list[Any] = []
        keys: list[str] = []
        cache = self.values
        for a, b in zip(starts, starts[1:] + [len(body)]):
            raw = body[a:b]  # cached as it stands: an unchanged entry is neither dedented nor parsed
            if seq:
                if not (raw.startswith("-", indent) and raw[indent + 1 : indent + 2] in ("", " ", "\n", "\r")):
                    return _BROKEN
            else:
                km = _KEY_LINE.match(raw, indent)
                if km is None:
                    return _BROKEN
                keys.append(km[1])
            value = cache.get(raw, _MISSING)
            if value is _MISSING:
                piece = dedent.sub("", raw) if indent else raw
                value = self.value(piece, None if seq else keys[-1], True)
                cache[raw] = value
            if value is _BROKEN:
                return _BROKEN
            values.append(value)
        if seq:
            return values
        if len(set(keys)) != len(keys):
            return _BROKEN  # a duplicate key: the whole parse reports it
        return dict(zip(keys, values))

    def changes(self, pre: Snapshot | None, post: Snapshot | None, created: bool) -> list[Change]:
        """What a new version ``post`` changed: ``created`` with its status, or against
        ``pre`` (the latest readable version before it) as :func:`~mkdocs_wa.changes.field_changes`
        says, the other fields compared block by block (a block the parse cache kept is the
        very same object; a block read two ways is compared by value); an unreadable one says so."""
        out = [Change("created", "status", None, post.fields.get("status") if post and post.fields else None)] if created else []
        if post is not None and post.fields is None:
            return [*out, Change("unreadable")]
        if created or post is None or pre is None or pre is post:
            return out
        out += tracked_changes(pre.fields or {}, post.fields or {})
        for key in sorted(set(pre.others) | set(post.others)) if pre.others != post.others else ():
            u, v = pre.others.get(key), post.others.get(key)
            if u != v and (u is None or v is None or type(u) is type(v) or self._other(u, key) != self._other(v, key)):
                out.append(Change("edited", key))
        return out

    def _other(self, item: Any, key: str) -> Any:
        if isinstance(item, Parsed):
            return item.value
        parsed = self.value(item, key)
        return None if parsed is _BROKEN else parsed


def _is_yaml(path: str) -> bool:
    return path.endswith((".yaml", ".yml"))
