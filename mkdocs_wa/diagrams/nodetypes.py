"""Node types: ``provider.group.Class`` names mapped onto the ``diagrams`` library's classes.

A decision file names a node type as text (``aws.network.ELB``). Turning text into an
import is where a data file could make the build run code, so the mapping is closed:

* the modules that may be imported form an allow-list, built by listing (not
  importing) the installed ``diagrams`` package: ``diagrams.<provider>.<group>``;
* a type is looked up only when its module is in that list, and only in the module's
  namespace (``vars``), never with ``getattr`` on user text;
* the value found must be a class, a subclass of ``diagrams.Node`` and carry an icon.

Providers that are not plain icon classes are left out: ``custom`` (takes a file path),
``c4`` (functions building HTML labels) and ``base``.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import os
import pkgutil
import re
from types import ModuleType

import diagrams

from mkdocs_wa.diagnostics import Diagnostic, error

#: Packages of the library that hold no plain node classes a decision may use.
EXCLUDED_PROVIDERS = frozenset({"base", "c4", "custom"})

_PART = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@functools.lru_cache(maxsize=1)
def allowed_modules() -> frozenset[str]:
    """Every ``diagrams.<provider>.<group>`` module of the installed library.

    Found with :func:`pkgutil.iter_modules` on the package folders, which lists files
    without importing anything.
    """
    out: set[str] = set()
    for provider in pkgutil.iter_modules(diagrams.__path__):
        if not provider.ispkg or provider.name in EXCLUDED_PROVIDERS or provider.name.startswith("_"):
            continue
        folder = os.path.join(os.path.dirname(diagrams.__file__), provider.name)
        for group in pkgutil.iter_modules([folder]):
            if group.ispkg or group.name.startswith("_"):
                continue
            out.add(f"diagrams.{provider.name}.{group.name}")
    return frozenset(out)


def _module(name: str) -> ModuleType | None:
    # The only import of a name built from user text, and only from the allow-list.
    if name not in allowed_modules():
        return None
    try:
        return importlib.import_module(name)
    except ImportError:  # a broken install: report the type as unknown, not a traceback
        return None


def _node_classes(module: ModuleType) -> dict[str, type[diagrams.Node]]:
    """Public icon node classes defined in (or aliased by) one library module."""
    out: dict[str, type[diagrams.Node]] = {}
    for name, value in vars(module).items():
        if (
            not name.startswith("_")
            and isinstance(value, type)
            and issubclass(value, diagrams.Node)
            and value is not diagrams.Node
            and getattr(value, "_icon", None)
        ):
            out[name] = value
    return out


@functools.cache
def _classes_of(module_name: str) -> dict[str, type[diagrams.Node]]:
    module = _module(module_name)
    return _node_classes(module) if module is not None else {}


def node_class(type_name: str) -> type[diagrams.Node] | None:
    """The library class for ``provider.group.Class``, or None when there is none."""
    parts = type_name.split(".")
    if len(parts) != 3 or not all(_PART.match(p) for p in parts):
        return None
    provider, group, cls = parts
    module = f"diagrams.{provider}.{group}"
    if module not in allowed_modules():  # before the cache, which keeps only library names
        return None
    return _classes_of(module).get(cls)


@functools.lru_cache(maxsize=1)
def known_types() -> tuple[str, ...]:
    """Every valid type name, sorted. Imports each allowed module once, which is slow
    (docs/performance.md): only a did-you-mean for an unknown type asks for it."""
    out: list[str] = []
    for module_name in sorted(allowed_modules()):
        prefix = module_name.removeprefix("diagrams.")
        out.extend(f"{prefix}.{cls}" for cls in _classes_of(module_name))
    return tuple(sorted(out))


def suggest(type_name: str, n: int = 3) -> list[str]:
    """The known types closest to ``type_name``: same name in another case or group
    first (``aws.compute.S3`` -> ``aws.storage.S3``), then by spelling."""
    known = known_types()
    lowered = type_name.lower()
    out = [t for t in known if t.lower() == lowered]
    cls = type_name.rsplit(".", 1)[-1].lower()
    provider = type_name.split(".", 1)[0].lower()
    same_class = [t for t in known if t.rsplit(".", 1)[-1].lower() == cls]
    same_class.sort(key=lambda t: (t.split(".", 1)[0].lower() != provider, t))
    out += same_class
    out += difflib.get_close_matches(type_name, known, n=n, cutoff=0.6)
    if len(out) < n:
        by_lower = {t.lower(): t for t in known}
        out += [by_lower[t] for t in difflib.get_close_matches(lowered, list(by_lower), n=n, cutoff=0.6)]
    return list(dict.fromkeys(out))[:n]


def check_type(type_name: str, path: str, line: int, col: int) -> Diagnostic | None:
    """None when ``type_name`` names a node class, else an error with suggestions."""
    if node_class(type_name) is not None:
        return None
    close = suggest(type_name)
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    shape = "" if len(type_name.split(".")) == 3 else "; a type is written provider.group.Class, e.g. 'aws.network.ELB'"
    return error(
        path,
        line,
        col,
        f"unknown node type '{type_name}'{hint}{shape}; the types are the node classes of the "
        f"diagrams library {diagrams_version()}: https://diagrams.mingrammer.com/docs/nodes/aws",
        "diagram",
    )


@functools.lru_cache(maxsize=1)
def diagrams_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("diagrams")
    except PackageNotFoundError:  # pragma: no cover - vendored copies
        return "unknown"
