"""The History section of a decision page: its revisions from git, field by field.

The caller writes the ``## History`` heading; this is the body. Every string from a
decision file or from git (subjects, authors, paths, values) is escaped.
"""

from __future__ import annotations

from mkdocs_wa.analysis.changes import CHANGE_WORDS, describe_change, pillar_label
from mkdocs_wa.changes import Change
from mkdocs_wa.history.model import FileHistory, Revision
from mkdocs_wa.model import Lens
from mkdocs_wa.render.pages import words
from mkdocs_wa.text import code, esc, url

#: Shown when no history was read at all (the plugin's history option is off).
NO_HISTORY = words.say("history_off")


def history_markdown(
    decision_history: FileHistory | None,
    *,
    lens: Lens | None = None,
    commit_url: str | None = None,
) -> str:
    """The revisions of one decision file, oldest first, each with its field changes.

    ``lens`` names pillars in score changes; ``commit_url`` (e.g.
    ``https://github.com/org/repo/commit/{sha}``) links each commit.
    """
    fh = decision_history
    if fh is None:
        return NO_HISTORY + "\n"
    out: list[str] = []
    if not fh.revisions:
        return (fh.note or words.say("history_none")) + "\n"
    committed = fh.committed
    if committed:
        first, last = committed[0], committed[-1]
        day, last_day = first.date.date().isoformat(), last.date.date().isoformat()
        span = words.say("history_span", first=day, last=last_day) if first is not last else words.say("history_day", day=day)
        out.append(words.say("history_intro", commits=words.count(len(committed), "commit"), span=span) + "\n")
    if fh.note:
        out.append(f"{esc(fh.note)}\n")
    for r in fh.revisions:
        out.append(_revision(r, fh.path, lens, commit_url))
    return "\n".join(out)


def _revision(r: Revision, current: str, lens: Lens | None, commit_url: str | None) -> str:
    if r.uncommitted:
        head = f"- **{esc(r.subject.capitalize())}**" + words.say("aside", text=words.say("history_uncommitted"))
    else:
        sha = f"`{r.short}`"
        if commit_url:
            target = url(commit_url.replace("{sha}", r.commit))
            if target:
                sha = f"[{sha}]({target})"
        parts = [f"**{r.date.date().isoformat()}**", esc(r.subject), sha]
        if r.author:
            parts.append(esc(r.author))
        if r.tags:
            parts.append(words.say("tag", tag=", ".join(code(t) for t in r.tags)))
        if r.path != current:
            parts.append(words.say("history_as", path=code(r.path)))
        head = "- " + " · ".join(parts)
    changes = [c for c in r.changes]
    if not changes:
        return head + "\n    - " + words.say("history_no_change") + "\n"
    lines = [head]
    lines += [f"    - {_describe(c, lens)}" for c in changes]
    return "\n".join(lines) + "\n"


def _describe(c: Change, lens: Lens | None) -> str:
    if c.kind == "renamed":  # the one sentence with markup: the old path as code
        return CHANGE_WORDS["renamed"].format(old=code(c.old))
    return esc(describe_change(c, pillar_label(lens, c)))
