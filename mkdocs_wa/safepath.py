"""One check for every path a command writes or deletes: it stays inside its root.

A decision tree comes from pull requests, and git keeps symbolic links: a committed
``.cache/plugin/well-architected/staged -> /home/ci`` or ``decisions/evil -> /etc``
would make a build delete, or ``mkdocs-wa new``/``import`` write, outside the project.
:func:`inside` refuses a path that leaves ``root`` or goes through a symbolic link (or
anything that is not a folder) on its way; :func:`regular_file` tells a file that is
safe to read (not a link, FIFO or device) from one that is not; :func:`replace_file`
is how every file is written: whole or not at all.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class UnsafePath(Exception):
    """A path that would lead a write or a delete outside its root."""


def inside(root: Path, path: Path, *, what: str = "path") -> Path:
    """``path`` (absolute, or relative to ``root``), checked: under ``root``, and none of
    the parts from ``root`` down to it (``path`` included) that exist is a symbolic link
    or anything else than a folder, except ``path`` itself, which may also be a regular
    file. Returns the absolute path; raises :class:`UnsafePath` naming the problem."""
    base = Path(os.path.abspath(root))
    full = Path(os.path.abspath(base / path))
    try:
        rel = full.relative_to(base)
    except ValueError:
        raise UnsafePath(f"{what} {full} is outside {base}") from None
    current = base
    for i, part in enumerate(rel.parts):
        current = current / part
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            break  # the rest is created by the caller, as real folders
        except OSError as exc:
            raise UnsafePath(f"{what} {current} cannot be checked: {exc.strerror}") from None
        last = i == len(rel.parts) - 1
        if stat.S_ISLNK(st.st_mode):
            raise UnsafePath(f"{what} {current} is a symbolic link (to {os.readlink(current)}); refusing to write through it")
        if not stat.S_ISDIR(st.st_mode) and not (last and stat.S_ISREG(st.st_mode)):
            raise UnsafePath(f"{what} {current} is not a folder")
    return full


def regular_file(path: Path) -> bool:
    """``path`` is a regular file itself (not a link to one, a FIFO or a device)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def anchor(project_root: Path, folder: Path) -> Path:
    """What ``folder`` is checked against: the project, or, for a folder configured
    outside it (an absolute ``cache_dir``), the folder's parent."""
    full = Path(os.path.abspath(project_root / folder))
    base = Path(os.path.abspath(project_root))
    return base if full == base or base in full.parents else full.parent


def folder_problem(folder: Path, cwd: Path | None = None) -> str | None:
    """Why a command must not write into ``folder`` (a symbolic link on the way from the
    working folder, or from the folder's parent when it lies elsewhere), or None."""
    base = Path.cwd() if cwd is None else cwd
    try:
        inside(anchor(base, folder), folder, what="folder")
    except UnsafePath as exc:
        return str(exc)
    return None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: The mode an ordinary new file gets (what ``open`` gives under the process's umask).
FILE_MODE = 0o666 & ~_umask()


def replace_file(path: Path, content: str | bytes, mode: int = FILE_MODE) -> None:
    """Write ``content`` (text as UTF-8, line endings as given) to ``path`` atomically: a
    temporary file beside it, then a rename, so that whoever reads it (an interrupted
    build, two builds sharing a folder) never sees half a file. The temporary file is
    removed if anything fails; the error is raised."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.chmod(tmp, mode)  # mkstemp makes it private
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
