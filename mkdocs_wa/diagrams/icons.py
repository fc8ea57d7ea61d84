"""Custom node icons: files of the repository, and only of the repository.

A decision may draw a node with its own PNG or SVG (``icon: ../icons/gateway.svg``,
relative to the decision file). The path is user input pointing at the build machine's
disk, so it is checked before anything reads it: no absolute paths, no ``..`` out of
the project, no symbolic link leading out of it, a .png/.svg that exists and is small,
and an SVG with no script or external reference (the icon ends up inside the site).
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from mkdocs_wa.source.load import TooBig, read_limited

#: An icon is a small picture; a bigger file is refused before reading it into every SVG.
MAX_ICON_BYTES = 512 * 1024
SUFFIXES = {".png": "image/png", ".svg": "image/svg+xml"}

# Scripts, event handlers and references to anything but the icon itself. Browsers run
# no script in an <image>, but the icon is also a file of the site: keep it inert.
_SVG_UNSAFE = re.compile(
    rb"<\s*script|<\s*foreignObject|\bon[a-z]+\s*=|javascript:|(?:xlink:)?href\s*=\s*[\"'](?!#|data:image/)|url\(\s*[\"']?(?!#|data:image/)|<!ENTITY|@import",
    re.IGNORECASE,
)
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class IconError(ValueError):
    """A problem with a custom icon, as a sentence for a diagnostic."""


@dataclass(frozen=True)
class Icon:
    #: POSIX path relative to the project root.
    path: str
    mime: str
    data: bytes


def locate(icon: str, decision_file: Path, project_root: Path) -> str | None:
    """The icon's path relative to ``project_root`` (POSIX), or :class:`IconError`.

    ``decision_file`` is the decision's absolute path. None when the decision file is
    not found inside ``project_root`` (a check run from elsewhere): then only what can
    be judged from the text was checked.
    """
    if not icon.strip():
        raise IconError("icon path is empty")
    if "\x00" in icon:
        raise IconError("icon path contains a NUL character")
    if icon.startswith(("/", "\\", "~")) or PureWindowsPath(icon).drive:
        raise IconError(f"icon '{icon}' is an absolute path; give a path relative to the decision file, inside the repository")
    if PurePosixPath(icon.replace("\\", "/")).suffix.lower() not in SUFFIXES:
        raise IconError(f"icon '{icon}' is not a .png or .svg file")
    root = Path(os.path.abspath(project_root))
    decision_dir = Path(os.path.abspath(decision_file)).parent
    if not decision_dir.is_relative_to(root) or not decision_file.is_file():
        return None
    # Lexically first: '..' that climbs out of the project is refused whatever is on disk.
    joined = posixpath.normpath(posixpath.join(decision_dir.relative_to(root).as_posix(), icon.replace("\\", "/")))
    if joined == ".." or joined.startswith("../"):
        raise IconError(f"icon '{icon}' leads out of the repository; keep icons inside it")
    target = root / joined
    # Then on disk: a symbolic link anywhere on the way may lead elsewhere.
    if not os.path.lexists(target):
        raise IconError(f"icon '{icon}' does not exist (looked for {joined})")
    real = target.resolve()
    if not real.is_relative_to(root.resolve()):
        raise IconError(f"icon '{icon}' is a symbolic link leading out of the repository (to {real}); refused")
    if not real.is_file():
        raise IconError(f"icon '{icon}' is not a file")
    return joined


def read(path: str, project_root: Path) -> Icon:
    """Read an icon located by :func:`locate`, checking it again (the tree may have
    changed since) and checking its content."""
    root = project_root.resolve()
    real = (root / path).resolve()
    if not real.is_relative_to(root) or not real.is_file():
        raise IconError(f"icon '{path}' is no longer a file inside the repository")
    # The name the decision used decides the kind; the content must then match it.
    suffix = PurePosixPath(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise IconError(f"icon '{path}' is not a .png or .svg file")
    try:
        data = read_limited(real, MAX_ICON_BYTES)  # never a FIFO or a device, never unbounded
    except TooBig as exc:
        raise IconError(f"icon '{path}' is {exc.size:,} bytes; icons are limited to {MAX_ICON_BYTES:,} bytes") from None
    except OSError:
        raise IconError(f"icon '{path}' cannot be read as a regular file") from None
    if suffix == ".png" and not data.startswith(_PNG_MAGIC):
        raise IconError(f"icon '{path}' is not a PNG image")
    if suffix == ".svg":
        if b"<svg" not in data[:4096].lower():
            raise IconError(f"icon '{path}' is not an SVG image")
        if _SVG_UNSAFE.search(data):
            raise IconError(f"icon '{path}' holds script, event handlers or external references; use a plain SVG")
    return Icon(path, SUFFIXES[suffix], data)
