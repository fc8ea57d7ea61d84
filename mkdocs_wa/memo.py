"""What a long-running process (``mkdocs serve``) keeps from one build to the next.

A rebuild after an edit to one decision should redo the work of that decision, not of
all of them. :class:`Memo` keeps results under keys that name everything they depend
on (a file's content, its name and the lens; a Markdown text and the renderer's
settings; the very model objects a page is made from), so a hit is always right and
nothing has to be invalidated by hand.

Entries that one build did not ask for are dropped when the next build starts, so a
serve session that edits the same file a hundred times keeps one version of it, not a
hundred. A one-off ``mkdocs build`` gets :data:`NO_MEMO`, a :class:`NullMemo`: the same
interface, keeping nothing, so no stage needs a branch for "no memo".
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self) -> None:
        self._previous: dict[Hashable, Any] = {}
        self._current: dict[Hashable, Any] = {}
        self.hits = 0
        self.misses = 0

    def start_build(self) -> None:
        """Start a build: what the last build used stays available; the rest is dropped."""
        self._previous = self._current or self._previous
        self._current = {}
        self.hits = self.misses = 0

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value under ``key``, made (and kept) on first use."""
        if key in self._current:
            self.hits += 1
            return self._current[key]
        if key in self._previous:
            self.hits += 1
            value = self._previous[key]
        else:
            self.misses += 1
            value = make()
        self._current[key] = value
        return value

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` under ``key``, replacing what is there."""
        self._current[key] = value

    def of(self, tag: str, objects: tuple[Any, ...], values: Hashable, make: Callable[[], T]) -> T:
        """The value made from ``objects`` (immutable model objects, told apart by
        identity: the same file gives the same object while it is unchanged, see
        :func:`mkdocs_wa.source.validate.load_catalog`) and hashable ``values``."""
        # The entry keeps its objects alive, so no other object can take one of their
        # ids while the entry exists: an id key cannot name the wrong object.
        return self.get((tag, tuple(map(id, objects)), values), lambda: (objects, make()))[1]

    def changed(self, key: Hashable, value: Any) -> bool:
        """Whether ``value`` differs from what the last build kept under ``key`` (True
        when it kept nothing); ``value`` is kept for the next build. Compared by identity
        first: an unchanged page reused from the memo is the very same string."""
        last = self._current.get(key, self._previous.get(key, _MISSING))
        self._current[key] = value
        return last is _MISSING or not (last is value or last == value)

    def __len__(self) -> int:
        return len(self._current)


_MISSING = object()


class NullMemo(Memo):
    """A memo that keeps nothing: every value is made when asked for, every value is new.
    What a one-off build uses (see :data:`NO_MEMO`)."""

    def start_build(self) -> None:
        pass

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        return make()

    def put(self, key: Hashable, value: Any) -> None:
        pass

    def of(self, tag: str, objects: tuple[Any, ...], values: Hashable, make: Callable[[], T]) -> T:
        return make()

    def changed(self, key: Hashable, value: Any) -> bool:
        return True

    def __len__(self) -> int:
        return 0


#: The memo of a one-off build: keeps nothing, and holds no state (hits and misses stay 0).
NO_MEMO: Memo = NullMemo()


class MemoRender:
    """A Markdown renderer (text -> HTML) that renders each text once per ``settings``."""

    def __init__(self, render: Callable[[str], str], memo: Memo, settings: Hashable) -> None:
        self.render, self.memo, self.settings = render, memo, settings

    def __call__(self, text: str) -> str:
        return self.memo.get(("markdown", self.settings, text), lambda: self.render(text))


def memo_render(render: Callable[[str], str], memo: Memo, settings: Hashable) -> Callable[[str], str]:
    """``render``, remembering its output in ``memo``."""
    return MemoRender(render, memo, settings)


def render_settings(render: Callable[[str], str]) -> Hashable:
    """What tells renderers apart in a memo key: their settings, or the renderer itself."""
    return getattr(render, "settings", render)
