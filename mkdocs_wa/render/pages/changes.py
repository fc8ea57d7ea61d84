"""What changed since the latest git tag (``layout.changes()``).

Built from the evolution timelines, i.e. from the same single read of git history as
the rest of the site: each workload's status changes, results and new decisions dated
after the tag, with a link to its timeline. There is no page while the repository has
no tag (the timelines' milestones).
"""

from __future__ import annotations

from collections.abc import Mapping

from mkdocs_wa.analysis.timeline import Timeline, TimelineMilestone
from mkdocs_wa.layout import Layout, link
from mkdocs_wa.model import Catalog
from mkdocs_wa.render.pages import words
from mkdocs_wa.render.pages.common import decision_link_html, status_badge
from mkdocs_wa.render.pages.timeline import Event, render_events, timeline_events
from mkdocs_wa.render.pages.workload import workload_title
from mkdocs_wa.text import attr, code, esc


def latest_tag(timelines: Mapping[str, Timeline]) -> TimelineMilestone | None:
    """The most recent tag on any workload's timeline."""
    tags = [m for t in timelines.values() for m in t.milestones]
    return max(tags, key=lambda m: (m.date, m.tag), default=None)


def changes_markdown(catalog: Catalog, timelines: Mapping[str, Timeline], layout: Layout) -> str | None:
    tag = latest_tag(timelines)
    if tag is None:
        return None
    page = layout.changes()
    since = tag.date.date()
    out = [f"# {words.say('changes_since', tag=esc(tag.tag))}\n"]
    out.append(words.say("changes_intro", tag=code(tag.tag), date=since.isoformat(), commit=code(tag.commit[:10])) + "\n")
    any_change = False
    for workload, decisions in catalog.workloads().items():
        timeline = timelines.get(workload)
        events = [e for e in timeline_events(timeline, layout, page) if e.order != 3 and e.date > since] if timeline else []
        in_timeline = {it.id for it in timeline.iterations} if timeline else set()
        for d in decisions:  # decisions that are no iteration (proposed, rejected) have no timeline steps
            if d.id not in in_timeline and d.date > since:
                events.append(Event(d.date, 1, f"{status_badge(d.status)} {decision_link_html(page, d, layout, with_title=False)} {attr(d.title)}"))
        if not events:
            continue
        any_change = True
        name = esc(workload_title(workload))
        target = link(page, layout.timeline(workload)) if timeline else link(page, layout.workload(workload))
        out.append(f"## [{name}]({target})\n")
        out.append(render_events(events))
    if not any_change:
        out.append(words.say("no_change_since") + "\n")
    return "\n".join(out)
