"""Diagnostics: every problem a user can cause, with file, line and column.

A diagnostic is data; the CLI prints it (text, GitHub annotations or JSON) and the
MkDocs adapter sends it through MkDocs' logger. Nothing here raises.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


#: The longest message a diagnostic keeps whole (longer ones are cut in the middle).
MAX_MESSAGE = 1000


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place. ``line`` and ``col`` are 1-based; 0 means unknown."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str
    code: str = ""

    def __post_init__(self) -> None:
        # A message quoting a huge value (a 100 KB title) would flood the terminal, the
        # CI log and MkDocs' output: long messages keep their start and end.
        if len(self.message) > MAX_MESSAGE:
            half = MAX_MESSAGE // 2
            cut = f"{self.message[:half]}… ({len(self.message) - 2 * half:,} characters left out) …{self.message[-half:]}"
            object.__setattr__(self, "message", cut)
        if len(self.path) > MAX_MESSAGE:
            object.__setattr__(self, "path", self.path[: MAX_MESSAGE // 2] + "…")

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        return f"{visible(self.path)}:{self.line}:{self.col}: {self.severity.value}: {visible(self.message)}"

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def error(path: str, line: int, col: int, message: str, code: str = "") -> Diagnostic:
    return Diagnostic(path, line, col, Severity.ERROR, message, code)


def warning(path: str, line: int, col: int, message: str, code: str = "") -> Diagnostic:
    return Diagnostic(path, line, col, Severity.WARNING, message, code)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"'{c}'" for c in close) + "?)"


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.path, d.line, d.col, d.message)


#: Control characters quoted from a file (ESC, newlines, C1...) would reach a terminal or
#: a CI log as commands: clear the screen, rewrite a line, start a "::error::" workflow
#: command on a line of its own. They are shown escaped instead (\x1b, \n).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with control characters written as Python escapes."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def _escape_data(text: str) -> str:
    # GitHub workflow commands: https://github.com/actions/toolkit (command.ts escapeData)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(d: Diagnostic) -> str:
    """A workflow command that GitHub shows as an annotation on the diff line."""
    props = f"file={_escape_property(visible(d.path))}"
    if d.line:
        props += f",line={d.line}"
    if d.col:
        props += f",col={d.col}"
    props += ",title=mkdocs-wa"
    return f"::{d.severity.value} {props}::{_escape_data(visible(d.message))}"


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in diagnostics], indent=2, ensure_ascii=False)


def has_errors(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    return any(d.is_error or strict for d in diagnostics)


#: What never reaches a terminal from the CLI: control characters but tab and newline
#: (ESC sequences, carriage returns, C1), and the bidirectional overrides and isolates
#: that make text display in another order than it reads.
_TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    return _TERMINAL_UNSAFE.sub("", text)


class SafeStream:
    """A text stream that drops :func:`terminal_safe`'s characters from all it writes:
    every command prints user text (titles, file names, git messages) through it."""

    def __init__(self, stream) -> None:  # noqa: ANN001 (any text stream)
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_safe(text))
        return len(text)

    def __getattr__(self, name: str):  # noqa: ANN204 (flush, fileno, encoding...)
        return getattr(self._stream, name)
