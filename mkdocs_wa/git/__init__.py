"""The only code that starts git: the repository (:mod:`.repo`), the log (:mod:`.log`)
and objects by id or name (:mod:`.objects`), each in one process, with one set of
messages for every command that meets a problem."""

from mkdocs_wa.git.log import Commit, FileChange, log, when
from mkdocs_wa.git.objects import BLOB_MODES, TREE_MODE, CatFile, blob_id, parse_tree
from mkdocs_wa.git.repo import (
    BARE,
    NO_GIT,
    SHALLOW,
    SHALLOW_FIX,
    GitError,
    GitNotFound,
    Repo,
    find_repo,
    not_a_repository,
    open_repo,
    repo_top,
)

__all__ = [
    "BARE", "BLOB_MODES", "NO_GIT", "SHALLOW", "SHALLOW_FIX", "TREE_MODE", "CatFile", "Commit", "FileChange",
    "GitError", "GitNotFound", "Repo", "blob_id", "find_repo", "log", "not_a_repository", "open_repo",
    "parse_tree", "repo_top", "when",
]
