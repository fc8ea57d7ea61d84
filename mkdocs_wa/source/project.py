"""The project a command runs in: the ``well-architected`` options of its mkdocs.yml.

The CLI follows the same configuration as ``mkdocs build``: ``decisions_dir``, ``lens``,
``review_days`` and ``today`` come from the plugin's entry in mkdocs.yml (found in the
current folder, or named with ``-f/--config-file`` as MkDocs does). Explicit command-line
options still win.

mkdocs.yml is read here without importing MkDocs (the core does not depend on it): a
safe YAML loader that accepts the tags MkDocs configurations use (``!ENV`` is resolved
as MkDocs does; ``!!python/name:...`` and other unknown tags read as nothing), and the
plugin entry is found in ``plugins:`` in its list or mapping form.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mkdocs_wa.diagnostics import Diagnostic, error
from mkdocs_wa.source.lens import builtin_lenses

PLUGIN = "well-architected"
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


class Ignored:
    """A value behind a tag only MkDocs' unsafe loader understands (``!!python/name:``,
    ``!relative``): read as this marker, never constructed."""

    def __repr__(self) -> str:
        return "<ignored tag>"


IGNORED = Ignored()


class TolerantLoader(yaml.SafeLoader):
    """Safe YAML for mkdocs.yml, the one reader of it outside MkDocs (the CLI, the
    plugin's own position, ``mkdocs-wa generate``): ``!ENV`` is read from the
    environment as MkDocs does, every other unknown tag becomes :data:`IGNORED`."""


def _construct_env(loader: TolerantLoader, node: yaml.Node) -> Any:
    # !ENV NAME or !ENV [NAME, OTHER, default]: the first variable set, else the last
    # item as a default (as pyyaml-env-tag, which MkDocs uses, reads it).
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = list(node.value)
        names = [loader.construct_scalar(n) for n in items[:-1] if isinstance(n, yaml.ScalarNode)]
        default = loader.construct_object(items[-1]) if len(items) > 1 else None
        if len(items) == 1 and isinstance(items[0], yaml.ScalarNode):
            names = [loader.construct_scalar(items[0])]
    else:
        return None
    for name in names:
        value = os.environ.get(str(name))
        if value is not None:
            return yaml.load(value, Loader=TolerantLoader) if value else value
    return default


def _construct_unknown(loader: TolerantLoader, suffix: str, node: yaml.Node) -> Ignored:
    return IGNORED  # !!python/name:..., !relative and other tags this reader has no use for


TolerantLoader.add_constructor("!ENV", _construct_env)
TolerantLoader.add_multi_constructor("", _construct_unknown)


@dataclass(frozen=True)
class Project:
    """What the CLI needs to know of a project. Paths are as the user would type them
    (relative to the current folder when mkdocs.yml is in it)."""

    #: The mkdocs.yml read, or None when there is none (defaults apply).
    config_file: Path | None = None
    decisions_dir: Path = Path("decisions")
    #: A shipped lens name or a lens file path; None: the default lens.
    lens: str | None = None
    review_days: int = 90
    today: dt.date | None = None
    #: Where the plugin's entry is in mkdocs.yml (1-based line, column; 0 when unknown).
    plugin_line: int = 0
    plugin_col: int = 0
    #: Whether mkdocs.yml has the well-architected plugin at all.
    has_plugin: bool = False
    problems: list[Diagnostic] = field(default_factory=list)


def find_config(explicit: Path | None = None, cwd: Path | None = None) -> Path | None:
    """``explicit`` (even if missing: the caller reports it), else mkdocs.yml or mkdocs.yaml
    in ``cwd``, else None."""
    if explicit is not None:
        return explicit
    base = cwd or Path(".")
    for name in CONFIG_NAMES:
        if (base / name).is_file():
            return base / name
    return None


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _plugin_entry(root: yaml.Node) -> tuple[yaml.Node | None, yaml.Node | None]:
    """(the node naming the plugin, the node of its options or None)."""
    if not isinstance(root, yaml.MappingNode):
        return None, None
    plugins = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "plugins"), None)
    if isinstance(plugins, yaml.SequenceNode):
        for item in plugins.value:
            if isinstance(item, yaml.ScalarNode) and item.value == PLUGIN:
                return item, None
            if isinstance(item, yaml.MappingNode):
                for k, v in item.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == PLUGIN:
                        return k, v
    elif isinstance(plugins, yaml.MappingNode):
        for k, v in plugins.value:
            if isinstance(k, yaml.ScalarNode) and k.value == PLUGIN:
                return k, v
    return None, None


def parse_date(value: object) -> dt.date | None:
    """A date option's value (a YAML date, or text YYYY-MM-DD); None when it is neither."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def read_project(config_file: Path | None) -> Project:
    """The project configured by ``config_file`` (see :func:`find_config`)."""
    if config_file is None:
        return Project()
    shown = str(config_file)
    if not config_file.is_file():
        what = "is a folder, not a file" if config_file.is_dir() else "no such file"
        return Project(config_file, problems=[error(shown, 0, 0, f"{what} (the MkDocs configuration, -f/--config-file)", "usage")])
    try:
        text = config_file.read_text(encoding="utf-8-sig")
        loader = TolerantLoader(text)
        try:
            root = loader.get_single_node()
            if root is None:
                return Project(config_file)
            name_node, options_node = _plugin_entry(root)
            options: dict[str, tuple[Any, yaml.Node]] = {}
            if isinstance(options_node, yaml.MappingNode):
                for k, v in options_node.value:
                    if isinstance(k, yaml.ScalarNode):
                        try:
                            value = loader.construct_object(v, deep=True)
                        except ValueError:  # e.g. today: 2026-13-01, a date YAML cannot make
                            value = v.value if isinstance(v, yaml.ScalarNode) else None
                        options[k.value] = (value, v)
        finally:
            loader.dispose()
    except (OSError, UnicodeDecodeError) as exc:
        return Project(config_file, problems=[error(shown, 0, 0, f"cannot read the MkDocs configuration: {exc}", "config")])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = getattr(exc, "problem", None) or str(exc)
        return Project(config_file, problems=[error(shown, line, col, f"invalid YAML in the MkDocs configuration: {reason}", "config")])
    if name_node is None:
        return Project(config_file)
    line, col = _position(name_node)
    root_dir = config_file.parent
    problems: list[Diagnostic] = []

    def bad(key: str, message: str) -> None:
        line, col = _position(options[key][1])
        problems.append(error(shown, line, col, f"well-architected option '{key}': {message}", "config"))

    decisions_dir = root_dir / "decisions"
    if "decisions_dir" in options:
        value = options["decisions_dir"][0]
        if isinstance(value, str) and value.strip():
            decisions_dir = root_dir / value
        else:
            bad("decisions_dir", "must be a folder name, e.g. decisions")
    lens = None
    if "lens" in options and options["lens"][0] is not None:
        value = options["lens"][0]
        if not isinstance(value, str) or not value.strip():
            bad("lens", "must be a shipped lens name or a lens file, relative to mkdocs.yml")
        else:
            lens = value if value in builtin_lenses() else str(root_dir / value)
    review_days = 90
    if "review_days" in options:
        value = options["review_days"][0]
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            review_days = value
        else:
            bad("review_days", "must be a number of days (0 or more)")
    today = None
    if "today" in options and options["today"][0] is not None:
        today = parse_date(options["today"][0])
        if today is None:
            bad("today", f"'{options['today'][0]}' is not a date (YYYY-MM-DD)")
    return Project(config_file, _tidy(decisions_dir), lens, review_days, today, line, col, True, problems)


def _tidy(path: Path) -> Path:
    """``./decisions`` as ``decisions``: paths show as the user would type them."""
    return Path(os.path.normpath(path))


def plugin_position(config_file: str | Path) -> tuple[int, int]:
    """Line and column of the well-architected entry in ``config_file``; (0, 0) if unknown."""
    path = Path(config_file)
    if not path.is_file():
        return 0, 0
    project = read_project(path)
    return project.plugin_line, project.plugin_col
