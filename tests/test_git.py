"""mkdocs_wa.git against real repositories: the log, objects, messages, the cache between builds."""

from __future__ import annotations

import importlib
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from gitrepo import GitRepo, decision_yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_history import _docs

from mkdocs_wa import git
from mkdocs_wa.analysis.changes import describe_change
from mkdocs_wa.authoring.adr_import.gitinfo import read_git
from mkdocs_wa.compare.prdiff import DiffError, read_base
from mkdocs_wa.history.parse import Reader
from mkdocs_wa.history.reader import read_history
from mkdocs_wa.memo import Memo
from mkdocs_wa.source.lens import load_lens

log_module = importlib.import_module("mkdocs_wa.git.log")  # the package re-exports the function `log`

P = "decisions/shop/0001-cache.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "site")
    repo.write(P, decision_yaml("SHOP-0001"))
    repo.write("decisions/shop/odd name é\t.yaml", "status: x\n")
    repo.commit("Propose", "2021-03-01")
    repo.move(P, "decisions/shop/0002-cache.yaml")
    repo.git("commit", "-q", "--allow-empty-message", "-m", "", date="2021-03-02")  # an empty subject
    repo.tag("v1")
    return repo


def test_the_log_names_paths_blobs_renames_and_tags_as_git_does(repo: GitRepo) -> None:
    found = git.find_repo(repo.path / "decisions")
    assert found is not None and found.top == repo.path
    newest, oldest = git.log(found, ["decisions"])
    assert (newest.subject, newest.tags, oldest.subject, oldest.tags) == ("", ("v1",), "Propose", ())
    (moved,) = newest.changes
    blob = repo.git("rev-parse", "HEAD:decisions/shop/0002-cache.yaml").strip()
    assert moved == git.FileChange(P, "decisions/shop/0002-cache.yaml", blob, blob)
    added = {c.new: c for c in oldest.changes}
    odd = added["decisions/shop/odd name é\t.yaml"]  # as written: -z needs no unquoting
    assert odd.old is None and odd.old_blob == "" and odd.new_blob == repo.git("rev-parse", f"HEAD:{odd.new}").strip()


_UNIT = st.tuples(
    st.sampled_from([b"a", b"b" * 40]), st.text(st.characters(min_codepoint=1), max_size=5).map(str.encode), st.booleans(), st.booleans()
)


@settings(max_examples=60, deadline=None)
@given(units=st.lists(_UNIT, min_size=1, max_size=6), cuts=st.lists(st.integers(0, 400), max_size=5))
def test_the_log_parses_the_same_however_git_output_is_cut(units: list, cuts: list[int]) -> None:
    out = b""
    for sha, subject, renamed, tagged in units:
        out += b"\0" + b"\0".join([sha, b"2021-03-01T12:00:00+00:00", b"2021-03-01T12:00:00+00:00", b"A", b"tag: t" if tagged else b"", subject])
        out += b"\0\n:100644 100644 " + b"1" * 40 + b" " + b"2" * 40 + (b" R090\0a.yaml\0b.yaml\0" if renamed else b" M\0a.yaml\0")
    whole = [(c.sha, c.subject, c.tags, c.changes) for c in log_module._parse(iter([out]))]
    assert len(whole) == len(units)
    points = sorted({min(c, len(out)) for c in cuts})
    pieces = [out[a:b] for a, b in zip([0, *points], [*points, len(out)])]
    assert [(c.sha, c.subject, c.tags, c.changes) for c in log_module._parse(iter(pieces))] == whole


def test_bytes_that_are_not_utf8_stay_in_paths_and_become_u_fffd_in_headers() -> None:
    out = b"\0" + b"\0".join([b"a" * 40, b"2021-03-01T12:00:00+00:00", b"2021-03-01T12:00:00+00:00", b"Jos\xe9", b"", b"caf\xe9 \xc3\xa9"])
    out += b"\0\n:100644 100644 " + b"1" * 40 + b" " + b"2" * 40 + b" M\0decisions/d\xe9.yaml\0"
    for pieces in ([out], [out[:i] for i in (1,)] + [out[1:]], [bytes([b]) for b in out]):
        (commit,) = log_module._parse(iter(pieces))
        assert (commit.author, commit.subject) == ("Jos\ufffd", "caf\ufffd \u00e9")
        (change,) = commit.changes
        assert change.new is not None and change.new.encode("utf-8", "surrogateescape") == b"decisions/d\xe9.yaml"


def test_many_reads_its_generator_as_it_answers_in_batches_no_pipe_can_block(repo: GitRepo) -> None:
    found = git.find_repo(repo.path)
    assert found is not None
    sha = repo.git("rev-parse", "HEAD:decisions/shop/0002-cache.yaml").strip()
    pulled: list[int] = []

    def ids():  # far more requests than a pipe holds (6,000 x 41 bytes), and answers (6,000 x the file)
        for i in range(6000):
            pulled.append(i)
            yield sha if i % 2 else "0" * 40
        raise git.GitError("the log failed")

    got: list[tuple[str, int]] = []
    with git.CatFile(found) as objects:
        with pytest.raises(git.GitError, match="the log failed"):
            for oid, data in objects.many(ids()):
                if not got:
                    assert len(pulled) < 200  # the first answer came after one batch, not after every id
                got.append((oid, len(data) if data is not None else -1))
    size = len(repo.read("decisions/shop/0002-cache.yaml").encode())
    # every answer in order, up to the batch the generator's error stopped
    assert 5800 < len(got) < 6000 and got == [(sha, size) if i % 2 else ("0" * 40, -1) for i in range(len(got))]
    with git.CatFile(found) as objects:
        assert list(objects.many(iter(()))) == [] and objects._proc is None  # nothing asked: no git


def test_objects_by_any_name_and_missing_ones(repo: GitRepo) -> None:
    found = git.find_repo(repo.path)
    assert found is not None
    with git.CatFile(found) as objects:
        oid, kind, _ = objects.read("v1^{commit}") or ("", "", b"")
        assert (oid, kind) == (repo.head(), "commit")
        assert objects.read("no-such-branch^{commit}") is None
        tree = objects.read("HEAD:decisions/shop")
        assert tree is not None and tree[1] == "tree"
        entries = {name: (mode, sha) for mode, name, sha in git.parse_tree(tree[2])}
        assert set(entries) == {"0002-cache.yaml", "odd name é\t.yaml"}
        mode, sha = entries["0002-cache.yaml"]
        assert mode in git.BLOB_MODES
        text = repo.read("decisions/shop/0002-cache.yaml").encode()
        assert git.blob_id(text) == sha
        assert list(objects.many([sha, "0" * 40, sha])) == [(sha, text), ("0" * 40, None), (sha, text)]


def test_leaving_many_early_stops_git_instead_of_waiting_for_it(repo: GitRepo) -> None:
    repo.write("big.txt", "x" * 200_000)
    repo.commit("Big", "2021-03-04")
    blob = repo.git("rev-parse", "HEAD:big.txt").strip()
    found = git.find_repo(repo.path)
    assert found is not None
    objects = git.CatFile(found)
    # 200 KB of requests and 1 GB of answers: far more than either pipe holds
    for _, data in objects.many([blob] * 5000):
        assert data is not None and len(data) == 200_000
        break
    assert objects._proc is None  # stopped and closed: the loop left without a hang
    assert objects.read(f"{blob}") is not None  # and a new one starts on the next request
    objects.close()


def test_one_set_of_messages(tmp_path: Path, repo: GitRepo) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert git.not_a_repository(plain / "decisions") in (read_history(plain, plain / "decisions").warning or "")
    assert git.not_a_repository(plain) in read_git(plain).problem
    with pytest.raises(DiffError, match="not in a git repository"):
        read_base("main", plain, load_lens()[0])

    clone = repo.shallow_clone(tmp_path / "ci")
    assert git.find_repo(clone.path).shallow  # type: ignore[union-attr]
    for said in (read_history(clone.path, clone.path / "decisions").warning or "", read_git(clone.path / "decisions").problem):
        assert git.SHALLOW in said and git.SHALLOW_FIX in said
    with pytest.raises(DiffError) as raised:
        read_base("no-such-branch", clone.path / "decisions", load_lens()[0])
    assert git.SHALLOW_FIX in str(raised.value)


def _counting_git(tmp_path: Path) -> tuple[str, Callable[[], list[str]]]:
    """A git that notes each command it runs: (its path, the commands noted since the last call)."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    starts = tmp_path / "starts.log"
    starts.write_text("")
    real = subprocess.run(["which", "git"], capture_output=True, text=True, check=True).stdout.strip()
    (folder / "git").write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{starts}"\nexec "{real}" "$@"\n', encoding="utf-8")
    (folder / "git").chmod(0o755)

    def started() -> list[str]:
        said = [line.split(" --literal-pathspecs ")[1].split()[0] for line in starts.read_text().splitlines()]
        starts.write_text("")
        return said

    return str(folder / "git"), started


def test_parsed_blobs_are_kept_between_builds_and_give_the_same_history(repo: GitRepo, tmp_path: Path) -> None:
    repo.write("decisions/shop/0002-cache.yaml", decision_yaml("SHOP-0001", status="accepted", pillars={"security": 3}))
    repo.commit("Accept", "2021-03-03")
    cache = tmp_path / "cache"

    def describe(memo: Memo | None = None) -> list:
        h = read_history(repo.path, repo.path / "decisions", cache_dir=cache, memo=memo or Memo(), cache=False)
        return [(r.subject, r.fields, [describe_change(c) for c in r.changes]) for f in h.files.values() for r in f.revisions]

    fresh = describe()
    saved = json.loads(next(cache.iterdir()).read_text("utf-8"))
    assert len(saved["blobs"]) == 3  # the three versions of the decision (the odd file is no decision)
    # A second build reads them from the file: no cat-file process, the same history.
    git_program, started = _counting_git(tmp_path)
    with pytest.MonkeyPatch.context() as m:
        m.setenv("GIT_PYTHON_GIT_EXECUTABLE", git_program)
        assert describe() == fresh
    assert started() == ["log"]
    # A damaged cache file is no problem: read again, and written anew.
    next(cache.iterdir()).write_text('{"blocks": [[1]], "blobs": 7}', encoding="utf-8")
    assert describe() == fresh
    assert json.loads(next(cache.iterdir()).read_text("utf-8"))["blobs"]


def test_versions_parsed_from_disk_are_kept_between_builds_too(repo: GitRepo, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = read_history(repo.path, repo.path / "decisions", cache_dir=cache, memo=Memo())
    # every version committed is a file on disk as it is: none was fetched, all were parsed
    assert (cache / "history-blobs-1.json").is_file()
    parsed: list[str] = []
    block = Reader._block
    with pytest.MonkeyPatch.context() as m:
        m.setattr(Reader, "_block", lambda self, text: parsed.append(text) or block(self, text))
        again = read_history(repo.path, repo.path / "decisions", cache_dir=cache, memo=Memo())
    assert parsed == []  # the next build parses nothing
    assert {k: [r.fields for r in f.revisions] for k, f in again.files.items()} == {
        k: [r.fields for r in f.revisions] for k, f in first.files.items()
    }


def test_the_log_is_kept_under_head_and_tags_so_an_unchanged_repository_starts_no_git(repo: GitRepo, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    git_program, started = _counting_git(tmp_path)

    def build() -> tuple[list, list[str]]:
        """One build's read (a new memo: a new process) and the git commands it started."""
        with pytest.MonkeyPatch.context() as m:
            m.setenv("GIT_PYTHON_GIT_EXECUTABLE", git_program)
            h = read_history(repo.path, repo.path / "decisions", cache_dir=cache, memo=Memo())
        said = started()
        return [(m.tag, m.paths) for m in h.milestones] + [(r.commit, r.subject, r.path) for f in h.files.values() for r in f.revisions], said

    first, said = build()
    assert said == ["log"]  # each version committed is a file on disk as it is: parsed from there, none fetched
    assert build() == (first, [])  # the same HEAD and tags: the saved log, no git
    repo.tag("v2")
    tagged, said = build()
    assert said == ["log"] and ("v2", ("decisions/shop/0002-cache.yaml",)) in tagged
    repo.write("decisions/shop/0002-cache.yaml", decision_yaml("SHOP-0001", status="accepted"))
    repo.commit("Accept", "2021-03-03")
    repo.write("decisions/shop/0002-cache.yaml", decision_yaml("SHOP-0001", status="rejected"))  # and edited again
    committed, said = build()
    assert said == ["log", "cat-file"]  # the version committed is no longer on disk: fetched
    assert [r[1] for r in committed if r[-1] == "decisions/shop/0002-cache.yaml"][-2:] == ["Accept", "uncommitted changes"]
    (cache / "history-log-2").write_bytes(b"not git's output")
    assert build() == (committed, ["log"])  # an unusable saved log: git again, and saved anew
    assert build() == (committed, [])


def test_the_default_pyyaml_style_is_read_block_by_block() -> None:
    from mkdocs_wa.history.parse import Reader as _Reader

    text = "id: A-1\nstatus: accepted\ndeciders:\n- team\n- other\nhypothesis:\n  metrics:\n  - name: m\n    target: <= 1\n  - name: n\n    target: 2\n"
    reader = _Reader(None, set())
    snap = reader.snapshot(text, "d.yaml")
    assert snap.numbers and snap.fields is not None  # read block by block
    assert [m["name"] for m in snap.fields["hypothesis"]["metrics"]] == ["m", "n"]
    assert snap.others["deciders"] == "deciders:\n- team\n- other\n"
    # One metric changed: only its entry is parsed again (the other comes from the cache).
    before = snap.fields["hypothesis"]["metrics"][1]
    again = reader.snapshot(text.replace("target: <= 1", "target: <= 2"), "d.yaml")
    assert again.fields is not None and again.fields["hypothesis"]["metrics"][1] is before


@settings(max_examples=80, deadline=None)
@given(docs=st.lists(_docs, min_size=1, max_size=4), flow=st.sampled_from([False, None]), bad=st.booleans())
def test_snapshots_kept_as_json_come_back_the_same(docs: list[dict], flow: bool | None, bad: bool) -> None:
    from mkdocs_wa.history.parse import Reader as _Reader

    texts = [yaml.dump(d, default_flow_style=flow, sort_keys=False, allow_unicode=True) for d in docs]
    if bad:
        texts.append("status: [unclosed\n")
    reader = _Reader(None, set())
    for i, text in enumerate(texts):
        reader.blob(f"{i:040x}", text.encode(), "d.yaml")
    again = _Reader(None, set())
    again.load(json.loads(json.dumps(reader.dump())))
    for oid, snap in reader.blobs.items():
        kept = again.blobs.get(oid)
        if snap.fields is None:  # unreadable versions are not kept: read again if met
            assert kept is None
            continue
        assert kept is not None and (kept.blocks, kept.fields, kept.others) == (snap.blocks, snap.fields, snap.others)
