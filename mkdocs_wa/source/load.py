"""Load YAML safely, keeping the source position of every key and value.

Why not ``yaml.safe_load``: it forgets positions, silently keeps the last of two
duplicate keys, expands alias bombs, and libyaml's composer recurses in C, so a
deeply nested document crashes the interpreter (a segmentation fault, not an
exception). Here PyYAML's event parser (libyaml when available) feeds a small
iterative builder that checks each of those things and turns every problem into a
:class:`~mkdocs_wa.diagnostics.Diagnostic`. Nothing in a file is ever executed: only
the standard YAML scalar tags are accepted.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mkdocs_wa.diagnostics import Diagnostic, error

try:  # libyaml is several times faster; the pure-Python parser gives the same events
    from yaml import CSafeLoader as _Loader

    _LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _LIBYAML = False

#: Larger files are refused before parsing: a decision is a page of text, not data.
MAX_BYTES = 1_000_000
#: Deepest nesting of mappings and sequences (nested clusters need a handful).
MAX_DEPTH = 64
#: Values produced, counting every alias expansion (an "alias bomb" needs billions).
MAX_NODES = 200_000

Path_ = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP}


@dataclass(frozen=True, slots=True)  # one per value of every file: slots halve their memory
class Position:
    line: int  # 1-based
    col: int  # 1-based


@dataclass
class Document:
    """A parsed YAML file: plain data plus where each piece of it came from."""

    path: str
    data: Any
    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)
    text: str = ""

    def position(self, path: Path_, *, key: bool = False) -> Position:
        """The position of the value (or key) at ``path``, else of its nearest parent."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if key and p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), Position(1, 1))


class LoadError(Exception):
    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def _pos(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1) if mark is not None else Position(1, 1)


class _Resolver(_Loader):  # only used for its implicit tag resolution and scalar constructors
    pass


_resolver = _Resolver("")


def _scalar(event: yaml.ScalarEvent) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        if event.implicit[0] and event.tag is None:
            tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        else:
            tag = _STR
        if tag in (_MERGE, _VALUE):  # a plain '<<' or '=' as a value is just text
            tag = _STR
    if tag not in _SCALAR_TAGS:
        p = _pos(event.start_mark)
        raise LoadError(
            p.line, p.col, f"the YAML tag '{tag}' is not allowed: decision files hold plain data only"
        )
    if tag == _STR:
        return event.value
    if tag == _TIMESTAMP:
        # Keep the text: dates are checked (and parsed) by the validator, which can say
        # exactly what is wrong with them; YAML's timestamp also accepts times of day.
        return event.value
    node = yaml.ScalarNode(tag, event.value)  # no marks: a failure is reported at the event's own below
    try:
        return _resolver.construct_object(node, deep=True)
    except Exception:  # noqa: BLE001 - e.g. !!int "abc" (ValueError), !!bool "x" (KeyError), !!int "" (IndexError)
        p = _pos(event.start_mark)
        raise LoadError(p.line, p.col, f"cannot read {_short(event.value)} as {_KINDS[tag]}") from None


_KINDS = {_INT: "a whole number", _FLOAT: "a number", _BOOL: "true or false", _NULL: "null"}


def _short(text: str, limit: int = 40) -> str:
    """``text`` quoted for a message, cut short: a hostile value may be megabytes long."""
    return repr(text if len(text) <= limit else text[:limit] + "...")


class _Builder:
    """Turns a stream of YAML events into Python data, recording positions.

    One method per kind of event; the open containers are a stack of
    ``[container, path, pending_key, start_count, anchor, start_mark]``.
    """

    def __init__(self, path: str) -> None:
        self.doc = Document(path, None)
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.count = 0
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.root_set = False
        self.documents = 0

    def _count(self, n: int, mark: Any) -> None:
        self.count += n
        if self.count > MAX_NODES:
            p = _pos(mark)
            raise LoadError(
                p.line,
                p.col,
                f"the document expands to more than {MAX_NODES:,} values "
                "(aliases that repeat aliases, an 'alias bomb'?)",
            )

    def build(self, events: Any) -> Any:
        for event in events:
            if isinstance(event, yaml.ScalarEvent):
                self._scalar(event)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                self._start(event)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                container, path, _, start, anchor, mark = self.stack.pop()
                self._attach(container, mark, self.count - start + 1, anchor)
            elif isinstance(event, yaml.AliasEvent):
                self._alias(event)
            elif isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    p = _pos(event.start_mark)
                    raise LoadError(p.line, p.col, "a decision file holds one YAML document; found a second '---'")
        self.doc.data = self.root if self.root_set else None
        return self.doc

    def _at_key(self) -> bool:
        """Whether the next value is a key of the innermost mapping."""
        return bool(self.stack) and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is _NO_KEY

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        self._count(1, event.start_mark)
        is_key = self._at_key()
        if is_key and event.tag == _MERGE or (is_key and event.tag is None and event.value == "<<" and event.implicit[0]):
            value: Any = _MERGE_KEY
        else:
            value = _scalar(event)
            if is_key and not isinstance(value, str):
                # Keys are names: keep what was written ('on', '1.0', '~'), not
                # YAML 1.1's reading of it (True, 1.0, None), which makes 'on' and
                # 'yes' the same key and reports them as 'True'.
                value = event.value
        if not is_key:
            self.doc.values[self._child_path()] = _pos(event.start_mark)
        self._attach(value, event.start_mark, 1, event.anchor)

    def _start(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> None:
        self._count(1, event.start_mark)
        if len(self.stack) >= MAX_DEPTH:
            p = _pos(event.start_mark)
            raise LoadError(p.line, p.col, f"nested more than {MAX_DEPTH} levels deep")
        kind = _MAP if isinstance(event, yaml.MappingStartEvent) else _SEQ
        if event.tag not in (None, "!", kind):
            p = _pos(event.start_mark)
            raise LoadError(
                p.line, p.col, f"the YAML tag '{event.tag}' is not allowed: decision files hold plain data only"
            )
        if self._at_key():
            p = _pos(event.start_mark)
            raise LoadError(p.line, p.col, "a mapping key must be a plain value, not a mapping or list")
        path = self._child_path()
        self.doc.values[path] = _pos(event.start_mark)
        self.stack.append([{} if kind == _MAP else [], path, _NO_KEY, self.count, event.anchor, event.start_mark])

    def _alias(self, event: yaml.AliasEvent) -> None:
        if event.anchor not in self.anchors:
            p = _pos(event.start_mark)
            raise LoadError(p.line, p.col, f"unknown alias '*{event.anchor}'")
        value, size = self.anchors[event.anchor]
        self._count(size, event.start_mark)
        if not self._at_key():
            self.doc.values[self._child_path()] = _pos(event.start_mark)
        self._attach(value, event.start_mark, size, None)

    def _attach(self, value: Any, mark: Any, size: int, anchor: str | None) -> None:
        """Put a finished value where it belongs: the root, the next item of a list, a
        mapping's next key, or the value of its pending key."""
        if anchor:
            self.anchors[anchor] = (value, size)
        if not self.stack:
            self.root, self.root_set = value, True
            return
        top = self.stack[-1]
        container, cpath = top[0], top[1]
        if isinstance(container, list):
            index = len(container)
            container.append(value)
            self.doc.values.setdefault(cpath + (index,), _pos(mark))
            return
        if top[2] is _NO_KEY:
            top[2] = self._key(value, mark, container, cpath)
            self.doc.keys[cpath + (top[2],)] = _pos(mark)
            return
        key = top[2]
        container[key] = value
        self.doc.values.setdefault(cpath + (key,), _pos(mark))
        top[2] = _NO_KEY

    def _key(self, value: Any, mark: Any, container: dict[str, Any], cpath: Path_) -> str:
        """A mapping key, checked: a plain value, no merge key, not a duplicate."""
        if isinstance(value, (dict, list)):
            p = _pos(mark)
            raise LoadError(p.line, p.col, "a mapping key must be a plain value, not a mapping or list")
        if value is _MERGE_KEY:
            p = _pos(mark)
            raise LoadError(p.line, p.col, "merge keys ('<<') are not supported; write the keys out")
        key = value if isinstance(value, str) else str(value)
        if key in container:
            p = _pos(mark)
            first = self.doc.keys.get(cpath + (key,))
            where = f" (first at line {first.line})" if first else ""
            raise LoadError(p.line, p.col, f"duplicate key '{key}'{where}")
        return key

    def _child_path(self) -> Path_:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top[0], list):
            return top[1] + (len(top[0]),)
        return top[1] + ((top[2],) if top[2] is not _NO_KEY else ("<key>",))


_NO_KEY = object()
_MERGE_KEY = object()


def _offset_to_position(text: bytes, offset: int) -> Position:
    """Line and column (in characters, as editors count) of a byte offset."""
    before = text[:offset]
    line = before.count(b"\n") + 1
    segment = before[before.rfind(b"\n") + 1 :]
    if line == 1 and segment.startswith(_BOM):
        segment = segment[len(_BOM) :]
    return Position(line, len(segment.decode("utf-8", "replace")) + 1)


_BOM = b"\xef\xbb\xbf"


def _tab_at(text: str, mark: Any) -> bool:
    if mark is None:
        return False
    lines = text.split("\n")
    return mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]


def _line(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    start = 0
    for _ in range(mark.line):  # no split: a hostile file may have a million lines
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start : end if end >= 0 else len(text)].rstrip("\r")


def _advice(text: str, problem: str, mark: Any, context_mark: Any) -> str:
    """The parser's problem, with what to do for the usual mistakes.

    * a ': ' inside a plain value (``title: Kafka: the event bus``): quote the value;
    * a line indented unlike the keys around it (``did not find expected key``, or
      ``expected <block end>`` from the pure-Python parser): indent it under its key.
    """
    if problem.startswith("mapping values are not allowed"):
        line = _line(text, mark)
        key, sep, value = line.partition(": ")
        value = value.split(" #", 1)[0].strip()
        example = ""
        if sep and value and '"' not in value and len(line) <= 120:
            example = f", e.g. {key.strip()}: \"{value}\""
        return (
            f"{problem}: a ': ' inside a value makes YAML read a second key; put the whole value in quotes{example}, "
            "or use a block ('|') for long text"
        )
    if context_mark is not None and mark is not None and (
        problem == "did not find expected key" or problem.startswith("expected <block end>")
    ):
        here, there = mark.column + 1, context_mark.column + 1
        return (
            f"this line starts at column {here}, which lines up with no key above it (the keys of the mapping "
            f"from line {context_mark.line + 1} start at column {there}): indent it exactly like the keys beside it, "
            "or two spaces more than the key it belongs under"
        )
    return problem


def parse_text(text: str, path: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse YAML text into a :class:`Document`, or return the diagnostic that stops it."""
    try:
        doc = _Builder(path).build(yaml.parse(text, Loader=_Loader))
    except LoadError as exc:
        return None, [error(path, exc.line, exc.col, exc.message, "yaml")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        p = _pos(mark)
        problem = exc.problem or exc.context or "invalid YAML"
        if "maximum nesting depth" in str(problem):
            # Newer libyaml (PyYAML 6.0.4 wheels) scans ahead and stops at its own limit
            # before the builder reaches MAX_DEPTH: say the same thing either way.
            return None, [error(path, p.line, p.col, f"nested more than {MAX_DEPTH} levels deep", "yaml")]
        if _tab_at(text, mark):
            problem = f"{problem}: a tab (YAML indents with spaces only)"
        else:
            problem = _advice(text, str(problem), mark, exc.context_mark)
        return None, [error(path, p.line, p.col, f"invalid YAML: {problem}", "yaml")]
    except yaml.reader.ReaderError as exc:  # e.g. control characters, which YAML forbids
        # libyaml counts the position in UTF-8 bytes, PyYAML's own reader in characters
        encoded = text.encode("utf-8", "surrogatepass")
        offset = exc.position if _LIBYAML else len(text[: exc.position].encode("utf-8", "surrogatepass"))
        p = _offset_to_position(encoded, offset)
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return None, [error(path, p.line, p.col, f"invalid YAML: {exc.reason} (U+{char:04X})", "yaml")]
    except yaml.YAMLError as exc:  # anything else without a mark
        return None, [error(path, 1, 1, f"invalid YAML: {exc}", "yaml")]
    doc.text = text
    return doc, []


def read_yaml(file: Path, display: str | None = None, max_bytes: int = MAX_BYTES) -> tuple[Document | None, list[Diagnostic]]:
    """Read one file, refusing what is not a small UTF-8 text file, and parse it."""
    name = display or str(file)
    raw, diags = read_file(file, name, max_bytes)
    return (None, diags) if raw is None else parse_bytes(raw, name)


class NotRegular(OSError):
    """A path that is not a regular file (a pipe, a device, a folder)."""


class TooBig(OSError):
    """A file over the size limit; ``size`` is what it holds (at least)."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size:,} bytes")
        self.size = size


def read_limited(file: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file (a symbolic link is followed), at most ``max_bytes``.

    Opened without blocking and checked on the open file, so a FIFO or a device (even
    one swapped in after a check) is never read: a FIFO would hang the read, and
    ``/dev/zero`` never end. Raises :class:`NotRegular`, :class:`TooBig` or OSError."""
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(f"{file} is not a regular file")
        if st.st_size > max_bytes:
            raise TooBig(st.st_size)
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # grew while read
                raise TooBig(total)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_file(file: Path, name: str, max_bytes: int = MAX_BYTES) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of a decision file, refusing folders, pipes, devices and big files."""
    if file.is_dir():
        return None, [error(name, 0, 0, "is a directory, not a decision file (rename it or move it out)", "file")]
    try:
        return read_limited(file, max_bytes), []
    except NotRegular:
        # a named pipe or a device would block the read (or never end)
        return None, [error(name, 0, 0, "is not a regular file (a pipe or a device?); refused", "file")]
    except TooBig as exc:
        return None, [error(name, 1, 1, f"file is {exc.size:,} bytes; decision files are limited to {max_bytes:,} bytes", "file")]
    except OSError as exc:
        return None, [error(name, 0, 0, f"cannot read file: {exc.strerror or exc}", "file")]


def parse_bytes(raw: bytes, name: str) -> tuple[Document | None, list[Diagnostic]]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # what some Windows editors and shells write
        return None, [error(name, 1, 1, "file is UTF-16 text; save it as UTF-8", "file")]
    nul = raw.find(b"\x00")
    if nul >= 0:
        p = _offset_to_position(raw, nul)
        return None, [error(name, p.line, p.col, "file contains NUL bytes: this is a binary file, not YAML", "file")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
        p = _offset_to_position(raw, offset)
        return None, [
            error(name, p.line, p.col, f"file is not UTF-8 text (byte 0x{raw[offset]:02x}); save it as UTF-8", "file")
        ]
    return parse_text(text, name)


def parse_date(value: Any) -> dt.date | None:
    """An ISO calendar date (YYYY-MM-DD), or None when ``value`` is not one."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def load_data(text: str, failed: Any = None) -> Any:
    """The data of ``text``, exactly as :func:`parse_text` reads it, or ``failed`` where
    that reports a problem (for readers that need the values, not their positions: the
    history reads every version of every decision file).

    parse_text records the position of every value, which the history never asks for;
    pieces that cannot meet any of the problems it checks besides duplicate keys (tags,
    anchors and aliases, merge keys, deep nesting, alias bombs) are read with
    ``yaml.load`` instead, about twice as fast. Anything it fails on goes to parse_text,
    which gives the value or refuses it the way validation does.
    """
    if _FastLoader is not None and len(text) <= _FAST_MAX and _UNSAFE.search(text) is None and shallow(text):
        try:
            return yaml.load(text, Loader=_FastLoader)
        except Exception:  # noqa: BLE001 - parse_text says what is wrong, or reads what this cannot
            pass
    doc, _ = parse_text(text, "")
    return doc.data if doc is not None else failed


def shallow(text: str) -> bool:
    """Whether ``text`` surely nests at most :data:`MAX_DEPTH` (64) levels.

    A block collection starts in a line's indentation or after ``- ``, ``? `` or ``: ``,
    and each level is at least one column further in than the one holding it (but for a
    sequence written at the level of its key): with no line starting with 16 such
    characters, that is at most 2 * (15 + 1) levels, plus one level per bracket.
    """
    return text.count("[") + text.count("{") <= _FAST_FLOWS and _DEEP_LINE.search(text) is None


#: The fast path's limits: a piece within them nests within MAX_DEPTH (see shallow), far
#: from where libyaml's recursive composer crashes, and has far fewer values than
#: :data:`MAX_NODES`.
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
