"""Write the generated section as plain files, for site generators without MkDocs' plugin
API (Zensical) or any MkDocs-compatible tool.

:func:`section_files` turns what :func:`mkdocs_wa.pipeline.build.build` composed (paths relative
to ``docs_dir``) into files relative to the output folder, with the stylesheet moved
inside it and a navigation file added. :func:`write_output` puts them on disk:

* only files whose content changed are written (a server watching the docs folder
  rebuilds only what changed);
* a manifest (:data:`MANIFEST`, in the output folder) lists the files it wrote with
  their SHA-256; a file it wrote before and no longer generates is removed;
* a file that is not in the manifest (the author's) is never written or removed: it is
  reported as a conflict. So is a file of the manifest changed since it was written;
* nothing is written outside the output folder, and no path through a symbolic link.

Nothing here imports MkDocs.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mkdocs_wa.diagnostics import Diagnostic, error, warning
from mkdocs_wa.layout import Layout
from mkdocs_wa.model import Catalog
from mkdocs_wa.render.nav import nav_items
from mkdocs_wa.render.site import CSS_PATH, JS_PATH, GeneratedFile
from mkdocs_wa.safepath import replace_file

#: The list of files ``mkdocs-wa generate`` owns in its output folder (a dot file:
#: MkDocs and Zensical publish no dot file).
MANIFEST = ".mkdocs-wa.json"
#: The section's navigation, in the format of mkdocs-awesome-nav, which Zensical reads
#: natively when ``awesome-nav`` is listed under ``plugins``.
NAV_FILE = ".nav.yml"
#: Where the stylesheet goes, relative to the output folder.
CSS_IN_SECTION = "assets/mkdocs-wa.css"
#: Where the decision explorer's script goes, relative to the output folder.
JS_IN_SECTION = "assets/explorer.js"
_FORMAT = "mkdocs-wa generate 1"


def css_path(layout: Layout) -> str:
    """The stylesheet's path relative to ``docs_dir`` (for ``extra_css``)."""
    return posixpath.join(layout.section, CSS_IN_SECTION)


def js_path(layout: Layout) -> str:
    """The explorer's script path relative to ``docs_dir`` (for ``extra_javascript``)."""
    return posixpath.join(layout.section, JS_IN_SECTION)


def nav_fragment(catalog: Catalog, layout: Layout, paths: Iterable[str], title: str, *, decisions: bool = False) -> str:
    """YAML to paste under ``nav:`` in mkdocs.yml (an explicit navigation): the plugin's
    section (:func:`mkdocs_wa.render.nav.nav_items`), with the decision pages only with
    ``decisions`` (the option ``nav_decisions``)."""
    items = nav_items(catalog, layout, paths, relative=False, decisions=decisions)
    return yaml.safe_dump([{title: items}], sort_keys=False, allow_unicode=True)


def section_files(
    files: Iterable[GeneratedFile], catalog: Catalog, layout: Layout, title: str, *, decisions: bool = False
) -> dict[str, str | bytes]:
    """Output-folder-relative path -> content: the generated section, its stylesheet,
    and :data:`NAV_FILE` (the plugin's navigation; decision pages in it only with
    ``decisions``)."""
    prefix = layout.section + "/"
    out: dict[str, str | bytes] = {}
    pages: list[str] = []
    for f in files:
        if f.path == CSS_PATH:
            out[CSS_IN_SECTION] = f.content
        elif f.path == JS_PATH:
            out[JS_IN_SECTION] = f.content
        elif f.path.startswith(prefix):
            out[f.path[len(prefix):]] = with_safe_title(f.content) if f.is_page and isinstance(f.content, str) else f.content
            if f.is_page:
                pages.append(f.path)
        else:  # pragma: no cover - every generated path comes from Layout
            raise ValueError(f"generated file outside the section: {f.path}")
    nav = {"title": title, "nav": nav_items(catalog, layout, pages, relative=True, decisions=decisions)}
    out[NAV_FILE] = "# Written by mkdocs-wa generate; read by Zensical's awesome-nav.\n" + yaml.safe_dump(
        nav, sort_keys=False, allow_unicode=True
    )
    return out


_H1 = re.compile(r"^# (.+)$", re.MULTILINE)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def with_safe_title(page: str) -> str:
    """``page`` with a ``title`` in front matter when its heading holds markup characters.

    Material's and Zensical's templates write ``<title>{{ page.title | striptags }}``,
    and ``striptags`` *unescapes* entities: a decision titled ``</title><script>...``
    would become live markup in the head. ``page.meta.title`` is written as it is (the
    plugin sets it in ``on_page_content`` for the same reason), so the escaped heading
    text goes there. Only a title holding ``<`` or ``&`` can change under striptags."""
    if page.startswith("---\n"):
        return page
    found = _H1.search(page)
    if found is None:
        return page
    text = _MD_ESCAPE.sub(r"\1", found.group(1).strip())  # the heading as HTML text (entities kept)
    if "&" not in text:
        return page
    return "---\n" + yaml.safe_dump({"title": text}, allow_unicode=True, width=10**6) + "---\n\n" + page


def _url_of(rel: str) -> str:
    """The URL path MkDocs and Zensical give a docs-relative Markdown file
    (``a/b.md`` and ``a/b/index.md`` -> ``a/b/``; ``README.md`` is an index too)."""
    stem = rel[: -len(".md")]
    head, _, name = stem.rpartition("/")
    if name.lower() in ("index", "readme"):
        return head + "/" if head else ""
    return stem + "/"


def url_collisions(docs_dir: Path, out: Path, generated: Iterable[str]) -> list[Diagnostic]:
    """Hand-written pages whose URL is a generated page's: Zensical refuses to build
    with both ("multiple owners"), MkDocs keeps one without a word. ``generated`` are
    paths relative to ``out``."""
    try:
        out_rel = Path(os.path.abspath(out)).relative_to(os.path.abspath(docs_dir)).as_posix()
    except ValueError:
        return []
    ours = {posixpath.join(out_rel, p) for p in generated if p.endswith(".md")}
    urls = {_url_of(p): p for p in ours}
    found = []
    for folder, dirs, names in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.endswith(".md") or name.startswith("."):
                continue
            rel = Path(folder, name).relative_to(docs_dir).as_posix()
            if rel in ours:
                continue
            other = urls.get(_url_of(rel))
            if other is not None:
                found.append(error(str(Path(folder, name)), 0, 0,
                                   f"has the URL of the generated page {other} (/{_url_of(rel)}): Zensical refuses to build "
                                   "with both and MkDocs keeps only one. Rename this page or change the plugin's 'section'",
                                   "generate-url"))
    return found


# --- writing -----------------------------------------------------------------------------


@dataclass
class OutputReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def conflicts(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.code == "generate-conflict"]


def _digest(content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def _safe_relative(rel: str) -> bool:
    parts = rel.split("/")
    return bool(rel) and not rel.startswith("/") and all(p not in ("", ".", "..") for p in parts) and "\\" not in rel


def _symlink_on_the_way(out: Path, rel: str) -> Path | None:
    """The first existing component of ``out/rel`` that is a symbolic link, if any."""
    here = out
    for part in rel.split("/"):
        here = here / part
        if here.is_symlink():
            return here
        if not here.exists():
            return None
    return None


def read_manifest(out: Path) -> tuple[dict[str, set[str]], list[Diagnostic]]:
    """The files a previous run wrote into ``out``: path -> the SHA-256 digests its
    content may have (one; two while a run that was interrupted was replacing it)."""
    path = out / MANIFEST
    if path.is_symlink():
        return {}, [error(str(path), 0, 0, "is a symbolic link; mkdocs-wa generate does not follow links", "generate-symlink")]
    if not path.exists():
        return {}, []
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        line, col = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (0, 0)
        return {}, [error(str(path), line, col, f"the manifest cannot be read ({exc}); delete it and the files "
                          "mkdocs-wa wrote, then run again", "generate-manifest")]
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("format") != _FORMAT or not isinstance(files, dict):
        return {}, [error(str(path), 1, 1, f"not a manifest of this version of mkdocs-wa generate ({_FORMAT!r}); "
                          "delete it and the files mkdocs-wa wrote, then run again", "generate-manifest")]
    owned: dict[str, set[str]] = {}
    for rel, digests in files.items():
        digests = [digests] if isinstance(digests, str) else digests
        if isinstance(rel, str) and _safe_relative(rel) and isinstance(digests, list):
            owned[rel] = {d for d in digests if isinstance(d, str)}
    return owned, []


def _write_manifest(out: Path, files: Mapping[str, set[str]]) -> None:
    entries = {rel: (next(iter(d)) if len(d) == 1 else sorted(d)) for rel, d in sorted(files.items())}
    text = json.dumps({"format": _FORMAT, "files": entries}, indent=1) + "\n"
    path = out / MANIFEST
    try:
        if path.read_text("utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    replace_file(path, text)


def check_output_folder(out: Path, boundary: Path) -> list[Diagnostic]:
    """``out`` must be inside ``boundary`` (the project), reached through no symbolic link."""
    out_abs, top = Path(os.path.abspath(out)), Path(os.path.abspath(boundary))
    if not out_abs.is_relative_to(top):
        return [error(str(out), 0, 0, f"the output folder is outside the project ({top}); mkdocs-wa generate "
                      "writes only inside it", "generate-outside")]
    if out_abs == top:
        return [error(str(out), 0, 0, "the output folder is the project folder itself; name the section's folder "
                      "under docs_dir", "generate-outside")]
    here = top
    for part in out_abs.relative_to(top).parts:
        here = here / part
        if here.is_symlink():
            return [error(str(here), 0, 0, "is a symbolic link; mkdocs-wa generate does not write through links",
                          "generate-symlink")]
        if here.exists() and not here.is_dir():
            return [error(str(here), 0, 0, "is a file, not a folder", "generate-outside")]
    return []


def write_output(out: Path, files: Mapping[str, str | bytes]) -> OutputReport:
    """Bring ``out`` to ``files`` (path relative to ``out`` -> content), touching only the
    files the manifest says are ours; the manifest is rewritten last. The caller has
    checked ``out`` with :func:`check_output_folder`."""
    report = OutputReport()
    owned, report.diagnostics = read_manifest(out)
    if report.diagnostics:
        return report
    out.mkdir(parents=True, exist_ok=True)

    def conflict(rel: str, why: str) -> None:
        report.diagnostics.append(error(str(out / rel), 0, 0, why, "generate-conflict"))

    # Decide everything first, so the manifest can say what is about to change.
    keep: dict[str, set[str]] = {}  # ours after this run
    writes: list[tuple[str, str | bytes]] = []
    for rel, content in sorted(files.items()):
        if not _safe_relative(rel) or rel == MANIFEST:  # pragma: no cover - paths come from Layout
            conflict(rel, "is not a path inside the output folder; not written")
            continue
        digest = _digest(content)
        target = out / rel
        link = _symlink_on_the_way(out, rel)
        if link is not None:
            conflict(rel, f"{link} is a symbolic link; mkdocs-wa generate does not write through links (remove it)")
            continue
        on_disk = _file_digest(target)
        if target.exists() and on_disk is None:
            conflict(rel, "is a folder where mkdocs-wa generates a file; rename it or change the section")
            continue
        if on_disk is not None and rel not in owned:
            conflict(rel, "exists and was not written by mkdocs-wa generate: left as it is. Rename or move your file, "
                     "or delete it to let mkdocs-wa write the generated page there")
            continue
        if on_disk is not None and on_disk not in owned[rel]:
            conflict(rel, "was changed since mkdocs-wa generate wrote it: left as it is (generated files are "
                     "rewritten on every run; edit the decision instead). Delete it to regenerate it")
            continue
        keep[rel] = {digest}
        if on_disk == digest:
            report.unchanged += 1
        else:
            writes.append((rel, content))
    removals: list[str] = []
    for rel, digests in sorted(owned.items()):
        if rel in files or _symlink_on_the_way(out, rel) is not None:
            continue  # generated (handled above), or a link was put there: not ours any more
        on_disk = _file_digest(out / rel)
        if on_disk is None:
            continue
        if on_disk not in digests:
            report.diagnostics.append(warning(str(out / rel), 0, 0, "is no longer generated but was changed since "
                                              "mkdocs-wa generate wrote it: left as it is", "generate-stale"))
            continue
        removals.append(rel)

    if writes or removals:
        # Interrupted from here on, the next run still knows these files as its own,
        # whether each holds its old content or its new one.
        pending = {rel: set(d) for rel, d in owned.items() if rel in keep or rel in removals}
        for rel, _content in writes:
            pending[rel] = pending.get(rel, set()) | keep[rel]
        _write_manifest(out, {**keep, **pending})
    for rel, content in writes:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        replace_file(out / rel, content)
        report.written.append(rel)
    for rel in removals:
        (out / rel).unlink()
        report.removed.append(rel)
        _prune(out, (out / rel).parent)
    # Files kept because of a conflict are the author's: not listed.
    _write_manifest(out, keep)
    return report


def _prune(out: Path, folder: Path) -> None:
    """Remove folders emptied by a removal, up to (not including) ``out``."""
    while folder != out and folder.is_relative_to(out) and not folder.is_symlink():
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
