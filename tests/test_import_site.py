"""Imported ADRs on the built site: every sentence, in order; links between ADRs and
images work; status qualifiers show; a broken link fails --strict. Real git history,
real MkDocs builds."""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import pytest
import yaml
from gitrepo import GitRepo
from markdown_it import MarkdownIt

from mkdocs_wa.authoring.adr_import import import_adrs
from mkdocs_wa.authoring.adr_import.common import match_meta
from mkdocs_wa.cli import main

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)

NYGARD_1 = """# 1. Record architecture decisions

Date: 2018-03-26

## Status

Accepted

## Context

We need to record the architectural decisions made on this project.

## Decision

We will use Architecture Decision Records, as [described by Michael Nygard](http://thinkrelevance.com/blog/2011/11/15/documenting-architecture-decisions).

## Consequences

See Michael Nygard's article, linked above. For a lightweight toolset, see [adr-tools](https://github.com/npryce/adr-tools).
"""

NYGARD_2 = """# 2. Use PostgreSQL

Date: 2018-04-09

## Status

{status}

## Context

Orders need a relational store. The team knows SQL well.

![Current architecture](images/current.png)

| Store | Cost |
| --- | --- |
| PostgreSQL | low |
| Oracle | high<br />with licences |

## What's proposed

Run PostgreSQL 10 on our own servers.<br />One primary and one replica.\x20\x20
Backups go to tape.

## Decision

We use PostgreSQL for orders. See [the first record](./0001-record-architecture-decisions.md#context) for why we write these.

```sql
CREATE TABLE orders (id serial primary key);
```

## Reasoning

It is free. It is well known in the team.

## Consequences

- We run backups ourselves.
- Reporting can query the same database.

## Links

* [Vendor comparison](assets/comparison.pdf)
"""

MADR_3 = """---
status: accepted
date: 2020-05-04
deciders: Ana Lima, Ben Ode
consulted: DBA team
---
# Use Aurora for orders

## Context and Problem Statement

Running PostgreSQL ourselves costs two days a month. Can a managed service do it?

## Decision Drivers

* Less operations work
* Same SQL dialect

## Considered Options

* Aurora PostgreSQL
* RDS PostgreSQL
* Keep our own servers

## Decision Outcome

Chosen option: "Aurora PostgreSQL", because it scales storage by itself.

### Consequences

* Good, because no more patching
* Bad, because it costs more

### Confirmation

The monthly operations report shows no database patching.

## Pros and Cons of the Options

### Aurora PostgreSQL

* Good, because storage grows by itself
* Bad, because it is AWS only

### RDS PostgreSQL

* Good, because it is cheaper
* Bad, because storage must be sized by hand

## More Information

This partly supersedes [ADR 2](0002-use-postgresql.md). The reporting part stays.
"""

MADR_2 = """# Use plain JUnit5 for testing

* Status: accepted
* Deciders: Ben Ode
* Date: 2020-06-01

Technical Story: [ORD-7](https://example.com/ORD-7)

## Context and Problem Statement

Tests need readable assertions. Which library do we use?

## Considered Options

* Plain JUnit5
* AssertJ

## Decision Outcome

Chosen option: "Plain JUnit5", because it adds no dependency.

### Positive Consequences

* No new dependency.

### Negative Consequences

* Some assertions are long.

## Summary

We stay with the standard library for tests.

## Notes

Revisit when the test suite doubles.
"""

LOG4BRAINS = """# Use Kafka for events

- Status: on hold
- Deciders: Ana Lima
- Date: 2021-03-01
- Tags: events, messaging

## Context and Problem Statement

Services poll each other for changes. Polling wastes requests.

## Decision Outcome

Chosen option: "Kafka", because the team runs it already.

## Validation

A load test with ten times today's events passes.
"""

NO_STATUS = """# 5. Cache product pages

## Context

Product pages are slow at peak times.

## Proposal

Cache them for one minute at the edge.

## Rationale

Prices change at most hourly.
"""

SOURCES = {
    "0001-record-architecture-decisions.md": NYGARD_1,
    "0003-use-aurora.md": MADR_3,
    "0004-use-junit5.md": MADR_2,
    "0005-cache-product-pages.md": NO_STATUS,
}


@pytest.fixture(scope="module")
def site_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[GitRepo, Path]:
    """A repository whose ADRs were written over years, imported and built once."""
    root = tmp_path_factory.mktemp("import-site")
    repo = GitRepo.init(root / "repo")
    repo.write("doc/adr/0001-record-architecture-decisions.md", NYGARD_1)
    repo.commit("ADR 1", "2018-03-26")
    repo.write("doc/adr/0002-use-postgresql.md", NYGARD_2.format(status="Proposed"))
    (repo.path / "doc/adr/images").mkdir()
    (repo.path / "doc/adr/images/current.png").write_bytes(PNG)
    (repo.path / "doc/adr/assets").mkdir()
    (repo.path / "doc/adr/assets/comparison.pdf").write_bytes(b"%PDF-1.4 comparison\n")
    repo.commit("Propose ADR 2", "2018-04-09")
    repo.write("doc/adr/0002-use-postgresql.md", NYGARD_2.format(status="Accepted"))
    repo.commit("Accept ADR 2", "2018-04-16")
    repo.write("doc/adr/0003-use-aurora.md", MADR_3)
    repo.write("doc/adr/0002-use-postgresql.md", NYGARD_2.format(status="Partly superseded by [3. Use Aurora](0003-use-aurora.md)"))
    repo.commit("ADR 3 partly supersedes ADR 2", "2020-05-04")
    repo.write("doc/adr/0004-use-junit5.md", MADR_2)
    repo.write("doc/adr/0005-cache-product-pages.md", NO_STATUS)
    repo.commit("ADRs 4 and 5", "2020-06-01")
    repo.write("kb/adr/20210301-use-kafka.md", LOG4BRAINS)
    repo.commit("Kafka", "2021-03-01")

    repo.write("docs/index.md", "# Home\n")
    repo.write("mkdocs.yml", yaml.safe_dump({"site_name": "T", "theme": {"name": "material"}, "plugins": [{"well-architected": {"today": "2026-01-01"}}]}))
    return repo, root


def _import(repo: GitRepo, monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(repo.path)
    code = main(["import", *args])
    return code, capsys.readouterr().out


def _text_of(html_text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html_text)
    return " ".join(html.unescape(text).split())


def _sentences(markdown: str) -> list[str]:
    """The sentences of an ADR's body, in order: paragraphs, list items, table cells, code;
    not the title, the front matter, the metadata lines or the Status section (those
    become fields, checked on their own)."""
    text = markdown.split("\n---\n", 1)[1] if markdown.startswith("---\n") else markdown
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    out: list[str] = []
    in_heading = False
    section = ""
    for i, t in enumerate(tokens):
        if t.type == "heading_open":
            in_heading = True
            section = tokens[i + 1].content.lower()
        elif t.type == "heading_close":
            in_heading = False
        elif t.type in ("fence", "code_block"):
            out.extend(line for line in t.content.split("\n") if line.strip())
        elif t.type == "inline" and not in_heading and section != "status":
            if match_meta(t.content) and match_meta(t.content)["key"].lower() in ("status", "date", "deciders", "tags"):
                continue
            plain = "".join(c.content if c.type in ("text", "code_inline") else " " for c in t.children or [])
            plain = re.sub(r"<br\s*/?>", " ", plain)
            out.extend(s for s in re.split(r"(?<=[.!?])\s+", " ".join(plain.split())) if s)
    return out


def _page(root: Path, workload: str, slug: str) -> str:
    page = (root / "site" / "architecture" / workload / slug / "index.html").read_text("utf-8")
    return page[page.index("<article") : page.index("</article>")]


@pytest.fixture(scope="module")
def built(site_repo: tuple[GitRepo, Path]) -> tuple[GitRepo, dict]:
    from sites import build

    repo, _ = site_repo
    reports = {}
    cwd = Path.cwd()
    import os

    os.chdir(repo.path)
    try:
        reports["orders"] = import_adrs(Path("doc/adr"), "orders")
        reports["events"] = import_adrs(Path("kb/adr"), "events")
    finally:
        os.chdir(cwd)
    repo.commit("Import the ADRs", "2022-01-10")
    result = build(repo.path, strict=True)
    return repo, {"reports": reports, "build": result}


def test_strict_build_passes_and_every_sentence_is_on_the_page_in_order(built) -> None:
    repo, info = built
    assert info["build"].returncode == 0, info["build"].stderr
    for name, slug, source in [
        ("0001", "0001-record-architecture-decisions", NYGARD_1),
        ("0002", "0002-use-postgresql", NYGARD_2.format(status="x")),
        ("0003", "0003-use-aurora", MADR_3),
        ("0004", "0004-use-junit5", MADR_2),
        ("0005", "0005-cache-product-pages", NO_STATUS),
    ]:
        text = _text_of(_page(repo.path, "orders", slug))
        pos = 0
        for sentence in _sentences(source):
            found = text.find(sentence, pos)
            assert found >= 0, f"{name}: missing or out of order: {sentence!r}"
            pos = found + len(sentence)
    text = _text_of(_page(repo.path, "events", "0001-use-kafka"))
    for sentence in _sentences(LOG4BRAINS):
        assert sentence in text


def test_headings_of_unmapped_sections_are_kept(built) -> None:
    repo, _ = built
    page = _page(repo.path, "orders", "0002-use-postgresql")
    headings = [_text_of(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page)]
    assert headings[:6] == ["Status", "Context", "What's proposed", "Decision", "Reasoning", "Consequences"]
    assert "Links" in headings
    page = _page(repo.path, "orders", "0003-use-aurora")
    for heading in ("Decision Drivers", "Considered Options", "Confirmation", "Pros and Cons of the Options", "More Information"):
        assert re.search(rf"<h[23][^>]*>{heading}", page), heading
    assert "Options considered" in page and "Aurora PostgreSQL</strong> ✔ chosen" in page
    page = _page(repo.path, "orders", "0005-cache-product-pages")
    assert re.search(r"<h2[^>]*>Proposal", page) and re.search(r"<h2[^>]*>Rationale", page)


def test_links_between_adrs_and_images_work(built) -> None:
    repo, _ = built
    site = repo.path / "site"
    page = _page(repo.path, "orders", "0002-use-postgresql")
    # the link to ADR 1 (with its anchor) goes to ADR 1's page
    assert 'href="../0001-record-architecture-decisions/#context"' in page
    # the image and the linked file were copied beside the decisions and published
    assert (repo.path / "decisions/orders/assets/images/current.png").read_bytes() == PNG
    assert 'src="../assets/images/current.png"' in page
    assert (site / "architecture/orders/assets/images/current.png").read_bytes() == PNG
    assert 'href="../assets/assets/comparison.pdf"' in page
    assert (site / "architecture/orders/assets/assets/comparison.pdf").is_file()
    # tables and line breaks survive
    flat = " ".join(page.split())
    assert "<table>" in page and "<td>high<br> with licences</td>" in flat
    assert "Run PostgreSQL 10 on our own servers.<br> One primary and one replica.<br>" in flat
    page3 = _page(repo.path, "orders", "0003-use-aurora")
    assert 'href="../0002-use-postgresql/"' in page3


def test_status_qualifiers_and_missing_status_are_shown(built) -> None:
    repo, _ = built
    page = _page(repo.path, "orders", "0002-use-postgresql")
    assert "Superseded" in page and "as written: “Partly superseded by 3. Use Aurora”" in page
    page = _page(repo.path, "orders", "0005-cache-product-pages")
    assert "not stated in the source" in page
    page = _page(repo.path, "events", "0001-use-kafka")
    assert "as written: “on hold”" in page


def test_status_history_comes_from_the_markdown_commits(built) -> None:
    repo, _ = built
    page = _page(repo.path, "orders", "0002-use-postgresql")
    history = _text_of(page[page.index('id="history"') :])
    for when, what in (("2018-04-09", "created as proposed"), ("2018-04-16", "status: proposed → accepted"),
                       ("2020-05-04", "status: accepted → superseded")):
        assert when in history and what in history
        assert history.index(when) < history.index(what)


def test_a_link_that_leads_nowhere_fails_strict(tmp_path: Path, monkeypatch, capsys) -> None:
    from sites import build

    repo = GitRepo.init(tmp_path / "repo")
    repo.write("adr/0001-x.md", NYGARD_1.replace("linked above.", "linked above, and [our wiki](../wiki/home.md)."))
    repo.commit("ADR", "2019-01-01")
    repo.write("docs/index.md", "# Home\n")
    repo.write("mkdocs.yml", yaml.safe_dump({"site_name": "T", "theme": {"name": "material"}, "plugins": [{"well-architected": {"today": "2026-01-01", "history": False}}]}))
    code, out = _import(repo, monkeypatch, capsys, "adr", "-w", "app")
    assert "the relative link '../wiki/home.md' names no file" in out
    result = build(repo.path, strict=True)
    assert result.returncode != 0
    assert "decisions/app/0001-x.yaml: the link or image '../wiki/home.md'" in result.stderr


def test_fifty_adrs_import_quickly(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    for n in range(1, 51):
        status = "Accepted" if n % 3 else f"Superseded by [{n + 1}. Next](00{n + 1:02d}-adr-{n + 1}.md)"
        repo.write(f"doc/adr/00{n:02d}-adr-{n}.md", NYGARD_2.format(status=status).replace("2. Use PostgreSQL", f"{n}. ADR {n}"))
    (repo.path / "doc/adr/images").mkdir()
    (repo.path / "doc/adr/images/current.png").write_bytes(PNG)
    (repo.path / "doc/adr/assets").mkdir()
    (repo.path / "doc/adr/assets/comparison.pdf").write_bytes(b"%PDF")
    repo.commit("ADRs", "2019-01-01")
    import os

    cwd = os.getcwd()
    os.chdir(repo.path)
    try:
        start = time.perf_counter()
        report = import_adrs(Path("doc/adr"), "app")
        elapsed = time.perf_counter() - start
    finally:
        os.chdir(cwd)
    assert len(report.imported) == 50
    print(f"imported 50 ADRs in {elapsed:.2f} s")
    assert elapsed < 6.0  # target 3 s; the limit leaves room for a loaded test machine


@pytest.mark.parametrize(
    "heading, field",
    [("Decisions", "decision"), ("What's proposed", None), ("Proposal", None), ("Reasoning", None), ("Rationale", None),
     ("Summary", None), ("Notes", None), ("More Information", None), ("Confirmation", None), ("Validation", None),
     ("Links", None)],
)
def test_common_headings_are_mapped_or_kept_under_their_own_heading(heading: str, field: str | None) -> None:
    from mkdocs_wa.authoring.adr_import.source import read_text

    text = f"# 4. Use X\n\n## Status\n\nAccepted\n\n## Context\n\nWhy we look.\n\n## {heading}\n\nThe words under it. Two sentences.\n"
    _, _, adr = read_text(text, "0004-use-x.md")
    if field:
        assert getattr(adr, field) == "The words under it. Two sentences."
        assert adr.sections == ()
    else:
        assert [(s.heading, s.body, s.after) for s in adr.sections] == [(heading, "The words under it. Two sentences.", "context")]


def test_options_considered_with_pros_and_cons_lists() -> None:
    from mkdocs_wa.authoring.adr_import.source import read_text

    text = (
        "# 4. Pick a broker\n\n## Status\n\nAccepted\n\n## Context\n\nWe need events.\n\n## Options considered\n\n"
        "### Option 1: Kafka\n\nPros:\n\n- fast\n- durable\n\nCons:\n\n- complex\n\n"
        "### Option 2: RabbitMQ\n\n* Good, because simple\n* Bad, because slower\n\n## Decision\n\nWe choose Kafka.\n"
    )
    _, _, adr = read_text(text, "0004-pick-a-broker.md")
    assert [(o.name, o.chosen, o.pros, o.cons) for o in adr.options] == [
        ("Option 1: Kafka", True, ("fast", "durable"), ("complex",)),
        ("Option 2: RabbitMQ", False, ("Good, because simple",), ("Bad, because slower",)),
    ]
    # the text stays too, under its heading, before the decision
    assert [(s.heading, s.after) for s in adr.sections] == [("Options considered", "context")]


def test_text_is_written_as_block_scalars(built) -> None:
    repo, _ = built
    for file in sorted((repo.path / "decisions").rglob("*.yaml")):
        text = file.read_text("utf-8")
        assert not re.search(r"^\s*(?:- )?(?:context|decision|consequences|body): [\"']", text, re.M), file
    assert "replica.<br />\n    Backups go to tape." in (repo.path / "decisions/orders/0002-use-postgresql.yaml").read_text("utf-8")


def test_tabs_and_trailing_spaces_still_give_a_block() -> None:
    from mkdocs_wa.authoring.adr_import.plan import block_text
    from mkdocs_wa.authoring.scaffold import dump_mapping

    text = block_text("a line \nhard break  \nnext\n\tindented\n```\ncode\twith tab  \n```")
    assert dump_mapping({"context": text + "\n"}).startswith("context: |")
    assert text == "a line\nhard break<br />\nnext\n    indented\n```\ncode    with tab\n```"


@pytest.mark.parametrize(
    "written, status, as_written",
    [
        ("Accepted", "accepted", None),
        ("**Accepted**", "accepted", None),
        ("Proposed (2021-05-01)", "proposed", None),
        ("Accepted (documenting an existing thing)", "accepted", "Accepted (documenting an existing thing)"),
        ("Rejected (see 019)", "rejected", "Rejected (see 019)"),
        ("On hold", "proposed", "On hold"),
        ("Incomplete", "proposed", "Incomplete"),
        ("Reverted", "deprecated", "Reverted"),
        ("Partly superseded by [3. Use Aurora](0003-use-aurora.md)", "superseded", "Partly superseded by 3. Use Aurora"),
        ("Superseded by [3. Use Aurora](0003-use-aurora.md)", "superseded", None),
        ("Accepted\n\nSupersedes [1. X](0001-x.md)", "accepted", None),
    ],
)
def test_status_as_written(written: str, status: str, as_written: str | None) -> None:
    from mkdocs_wa.authoring.adr_import.source import read_text

    _, _, adr = read_text(f"# 2. Use X\n\n## Status\n\n{written}\n\n## Context\n\nWhy.\n", "0002-use-x.md")
    assert (adr.status.status, adr.status_as_written) == (status, as_written)


def test_relative_links_in_any_decision_resolve_or_warn(tmp_path: Path, caplog) -> None:
    from sites import build_in_process, decision_yaml, make_project

    make_project(
        tmp_path,
        {
            "app/0001-a.yaml": decision_yaml("APP-0001", context="See [home](../../index.md#top) and [B](0002-b.md).\n"),
            "app/0002-b.yaml": decision_yaml("APP-0002", context="See [gone](0009-gone.md) and ![x](assets/none.png).\n"),
        },
    )
    site = build_in_process(tmp_path, caplog)
    page = (site / "architecture/app/0001-a/index.html").read_text("utf-8")
    assert 'href="../../../#top"' in page and 'href="../0002-b/"' in page
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("decisions/app/0002-b.yaml: the link or image '0009-gone.md'" in w for w in warnings), warnings
    assert any("'assets/none.png'" in w for w in warnings), warnings
    assert not any("0001-a.yaml" in w for w in warnings), warnings
