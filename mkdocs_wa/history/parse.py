"""Decision files read block by block, each distinct piece parsed once.

Parsing every revision of every file as a whole would cost more than git itself, so a
revision is cut into its top-level YAML blocks (``status: ...``, ``result:`` and its
indented lines, ...), nested blocks into their entries (a pillar's line, a metric), and
each distinct piece is parsed once, as :func:`mkdocs_wa.source.load.parse_text` reads it (see
:func:`_load`): a commit that changes a status parses one line, one that records an
observed value parses one metric. A sequence written at its key's column (PyYAML's
default style: ``deciders:`` then ``- team``) stays in its key's block. Only the fields
the history tracks are parsed. Anything unusual (flow style at the top level, anchors
across blocks, quoted scalars running over lines) falls back to parsing the whole file;
tests check both give the same values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from mkdocs_wa.history.model import TRACKED
from mkdocs_wa.source.load import MAX_BYTES, parse_text

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
    #: Read whole (not block by block): its blocks are the one text.
    whole: bool = True


@dataclass(frozen=True)
class Parsed:
    value: Any


UNREADABLE = Snapshot((), None, {})


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
        #: ``ends``) -> (block, key, kind, value). Revisions share these strings.
        self.pieces: dict[str, tuple[str, str, int, Any]] = {}
        self.ends: dict[str, tuple[str, str, int, Any]] = {}
        #: blob id (``md:`` before it for a file of ``extra_parser``) -> its snapshot
        self.blobs: dict[str, Snapshot] = {}

    def blob(self, oid: str, raw: bytes | None, path: str) -> Snapshot:
        """The snapshot of a blob's content (kept by its id)."""
        if raw is None or len(raw) > MAX_BYTES:  # as decision files: a 30 MB revision is not parsed or kept
            snap = UNREADABLE
        else:
            try:
                snap = self.snapshot(raw.decode("utf-8"), path)
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
        last = len(cut) - 1
        for i, piece in enumerate(cut):
            # Most blocks were met in an earlier version of the file: looked up, not read again.
            memo = self.pieces if i < last else self.ends
            found = memo.get(piece)
            if found is None:
                # Each block keeps its line break: a block scalar ending it needs it.
                found = memo[piece] = self._block(piece + "\n" if i < last else piece)
            block, key, kind, value = found
            blocks.append(block)
            if kind == _SKIP and i == 0:
                continue  # comments (or nothing) before the first key
            if kind > _OTHER or key in fields or key in others:
                return None
            (fields if kind == _FIELD else others)[key] = value
        return Snapshot(tuple(blocks), fields, others, False)

    def _whole(self, text: str, path: str) -> Snapshot:
        doc, _ = parse_text(text, path)
        if doc is None or not isinstance(doc.data, dict):
            return Snapshot((text,), None, {})
        data = doc.data
        return Snapshot((text,), {k: data[k] for k in TRACKED if k in data}, {k: Parsed(v) for k, v in data.items() if k not in TRACKED})

    # kept between builds (as JSON: a cache folder is no place to load code from)

    def dump(self) -> dict[str, Any]:
        """The snapshots of YAML blobs as data: each blob a list of block numbers, each
        block its text and what it holds; a file read whole, its text."""
        index: dict[tuple[str, bool], int] = {}
        table: list[list[Any]] = []
        blobs: dict[str, Any] = {}
        for oid, snap in self.blobs.items():
            if oid.startswith("md:") or snap.fields is None:
                continue
            if snap.whole:
                blobs[oid] = "".join(snap.blocks)
                continue
            numbers = []
            last = len(snap.blocks) - 1
            for i, block in enumerate(snap.blocks):
                piece = block if i == last else block[:-1]
                at = index.get((piece, i == last))
                if at is None:
                    _, key, kind, value = (self.ends if i == last else self.pieces)[piece]
                    at = index[piece, i == last] = len(table)
                    parsed = isinstance(value, Parsed)
                    table.append([piece, i == last, key, kind, value.value if parsed else None if kind == _OTHER else value, parsed])
                numbers.append(at)
            blobs[oid] = numbers
        return {"blocks": table, "blobs": blobs}

    def load(self, data: Mapping[str, Any]) -> None:
        """Take in what :meth:`dump` gave (a wrong shape raises ``ValueError`` or similar)."""
        entries: list[tuple[str, str, int, Any]] = []
        for piece, last, key, kind, value, parsed in data["blocks"]:
            block = piece if last else piece + "\n"
            if kind == _OTHER:
                value = Parsed(value) if parsed else block
            memo = self.ends if last else self.pieces
            entries.append(memo.setdefault(piece, (block, str(key), int(kind), value)))
        for oid, numbers in data["blobs"].items():
            if isinstance(numbers, str):
                self.blobs[oid] = self.snapshot(numbers, "x.yaml")
                continue
            got = [entries[n] for n in numbers]
            fields = {k: v for _, k, kind, v in got if kind == _FIELD}
            others = {k: v for _, k, kind, v in got if kind == _OTHER}
            self.blobs[oid] = Snapshot(tuple(e[0] for e in got), fields, others, False)

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

    def value(self, text: str, key: str, shallow: bool = False) -> Any:
        """The value of ``key: ...`` (text starting at column 0), or _BROKEN. ``shallow``:
        ``text`` is known to pass :func:`_shallow` (it is part of a block that did)."""
        found = self.values.get(text, _MISSING)
        if found is not _MISSING:
            return found
        value: Any = _BROKEN
        m = _CONTAINER.match(text)
        # Deeper than _shallow allows, the block is parsed whole: parse_text then refuses
        # it if the file nests too deep, as it does the whole file.
        if m is not None and text[m.end() :].strip() and (shallow or _shallow(text)):
            value = self._nested(text[m.end() :])
        if value is _BROKEN:
            data = _load(text)
            if isinstance(data, dict) and len(data) == 1 and key in data:
                value = data[key]
        self.values[text] = value
        return value

    def _item(self, text: str) -> Any:
        """The value of a sequence item (``- ...`` at column 0), or _BROKEN."""
        found = self.values.get(text, _MISSING)
        if found is not _MISSING:
            return found
        data = _load(text)
        value = data[0] if isinstance(data, list) and len(data) == 1 else _BROKEN
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
                value = self._item(piece) if seq else self.value(piece, keys[-1], True)
                cache[raw] = value
            if value is _BROKEN:
                return _BROKEN
            values.append(value)
        if seq:
            return values
        if len(set(keys)) != len(keys):
            return _BROKEN  # a duplicate key: the whole parse reports it
        return dict(zip(keys, values))

    def other_value(self, item: Any, key: str) -> Any:
        if isinstance(item, Parsed):
            return item.value
        parsed = self.value(item, key)
        return None if parsed is _BROKEN else parsed


def _load(text: str) -> Any:
    """The data of one piece of a file, exactly as :func:`~mkdocs_wa.source.load.parse_text`
    reads it, or _BROKEN where that reports a problem.

    parse_text records the position of every value, which the history never asks for;
    pieces that cannot meet any of the problems it checks besides duplicate keys (tags,
    anchors and aliases, merge keys, deep nesting, alias bombs) are read with
    ``yaml.load`` instead, about twice as fast. Anything it fails on goes to parse_text,
    which gives the value or refuses it the way validation does.
    """
    if _FastLoader is not None and len(text) <= _FAST_MAX and _UNSAFE.search(text) is None and _shallow(text):
        try:
            return yaml.load(text, Loader=_FastLoader)
        except Exception:  # noqa: BLE001 - parse_text says what is wrong, or reads what this cannot
            pass
    doc, _ = parse_text(text, "")
    return doc.data if doc is not None else _BROKEN


def _shallow(text: str) -> bool:
    """Whether ``text`` surely nests at most :data:`~mkdocs_wa.source.load.MAX_DEPTH` (64) levels.

    A block collection starts in a line's indentation or after ``- ``, ``? `` or ``: ``,
    and each level is at least one column further in than the one holding it (but for a
    sequence written at the level of its key): with no line starting with 16 such
    characters, that is at most 2 * (15 + 1) levels, plus one level per bracket.
    """
    return text.count("[") + text.count("{") <= _FAST_FLOWS and _DEEP_LINE.search(text) is None


#: The fast path's limits: a piece within them nests within MAX_DEPTH (see _shallow), far
#: from where libyaml's recursive composer crashes, and has far fewer values than
#: :data:`~mkdocs_wa.source.load.MAX_NODES`.
_FAST_MAX = 1 << 16
_FAST_FLOWS = 32
_DEEP_LINE = re.compile(r"(?:^|\n)[ \t?:-]{16}")
#: Tags, anchors, aliases and merge keys: left to parse_text, which refuses or expands them.
_UNSAFE = re.compile(r"[!&*]|<<")

if getattr(yaml, "CSafeLoader", None) is not None:

    class _FastLoader(yaml.CSafeLoader):
        """libyaml's safe loader, reading keys and dates the way parse_text does."""

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Hashable, Any]:
            out: dict[Hashable, Any] = {}
            for key, value in node.value:
                # Keys are kept as written ("on", "1.0", "~" stay text); a collection as
                # a key or a duplicate key is refused (parse_text reports them).
                if not isinstance(key, yaml.ScalarNode) or key.value in out:
                    raise yaml.constructor.ConstructorError(None, None, "left to parse_text", key.start_mark)
                out[key.value] = self.construct_object(value, deep=deep)
            return out

    # Dates stay text: the validator reads them (and says what is wrong with them).
    _FastLoader.add_constructor(  # type: ignore[type-var]  # the stubs tie the function to its own loader class
        "tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_scalar
    )
else:  # pragma: no cover - PyYAML without libyaml: parse_text reads everything
    _FastLoader = None  # type: ignore[assignment,misc]



def _is_yaml(path: str | None) -> bool:
    return bool(path) and path.endswith((".yaml", ".yml"))  # type: ignore[union-attr]
