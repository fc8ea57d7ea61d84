"""The safe, positioned YAML loader: hostile and broken files give one clear diagnostic."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL, load_tree, write

from mkdocs_wa.source.load import MAX_BYTES, MAX_DEPTH, MAX_NODES, Position, read_yaml

DECISION = "decisions/w/0001-x.yaml"


def read(tmp_path: Path, content: str | bytes, **kwargs: object):
    """Write ``content`` as a decision file and read it: (file, document, diagnostics as text)."""
    file = write(tmp_path, DECISION, content)
    doc, diags = read_yaml(file, **kwargs)  # type: ignore[arg-type]
    return file, doc, [d.format() for d in diags]


# --- tags: plain data only ------------------------------------------------------------


def test_python_tag_is_an_error_and_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    file, doc, diags = read(tmp_path, f"schema: 1\nid: !!python/object/apply:os.system ['touch {marker}']\n")
    assert doc is None
    assert diags == [
        f"{file}:2:5: error: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' "
        "is not allowed: decision files hold plain data only"
    ]
    assert not marker.exists()


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/name:os.system ''", "tag:yaml.org,2002:python/name:os.system"),
        ("!!python/object/new:os.system [ls]", "tag:yaml.org,2002:python/object/new:os.system"),
        ("!!python/object:collections.OrderedDict {}", "tag:yaml.org,2002:python/object:collections.OrderedDict"),
        ("!!binary aGVsbG8=", "tag:yaml.org,2002:binary"),
        ("!!set {a, b}", "tag:yaml.org,2002:set"),
        ("!!omap [a: 1]", "tag:yaml.org,2002:omap"),
        ("!local thing", "!local"),
        ("!!str [a, list]", "tag:yaml.org,2002:str"),
    ],
)
def test_non_standard_tags_are_errors(tmp_path: Path, value: str, tag: str) -> None:
    file, doc, diags = read(tmp_path, f"schema: 1\ntitle: {value}\n")
    assert doc is None
    assert diags == [f"{file}:2:8: error: the YAML tag '{tag}' is not allowed: decision files hold plain data only"]


@pytest.mark.parametrize(
    ("value", "kind"),
    [("!!int abc", "a whole number"), ("!!int ''", "a whole number"), ("!!float x", "a number"), ("!!bool maybe", "true or false")],
)
def test_a_standard_tag_on_the_wrong_text_is_an_error(tmp_path: Path, value: str, kind: str) -> None:
    text = value.split(" ", 1)[1].strip("'")
    file, doc, diags = read(tmp_path, f"schema: 1\nscore: {value}\n")
    assert doc is None
    assert diags == [f"{file}:2:8: error: cannot read '{text}' as {kind}"]


def test_a_huge_number_is_quoted_short_in_the_message(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, "score: " + "9" * 5000 + "\n")
    assert diags == [f"{file}:1:8: error: cannot read '{'9' * 40}...' as a whole number"]


# --- keys -------------------------------------------------------------------------------


def test_duplicate_top_level_key(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, MINIMAL + "title: Again\n")
    assert doc is None
    assert diags == [f"{file}:6:1: error: duplicate key 'title' (first at line 3)"]


def test_duplicate_nested_key(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, MINIMAL + "pillars:\n  security: {score: 1}\n  security: {score: 2}\n")
    assert diags == [f"{file}:8:3: error: duplicate key 'security' (first at line 7)"]


def test_duplicate_key_in_flow_mapping(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, "pillars: {security: {score: 1, score: 2}}\n")
    assert diags == [f"{file}:1:32: error: duplicate key 'score' (first at line 1)"]


def test_yaml_1_1_boolean_words_as_keys_stay_distinct_text(tmp_path: Path) -> None:
    # YAML 1.1 reads on/yes/~ as True/True/None; as keys they are names, as written
    file, doc, diags = read(tmp_path, "on: 1\nyes: 2\n~: 3\n1.0: 4\n")
    assert diags == []
    assert doc is not None and doc.data == {"on": 1, "yes": 2, "~": 3, "1.0": 4}


def test_a_list_as_key_is_an_error(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, "? [a, b]\n: 1\n")
    assert diags == [f"{file}:1:3: error: a mapping key must be a plain value, not a mapping or list"]


def test_merge_key_is_an_error(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, "base: &b {score: 1}\npillars:\n  security:\n    <<: *b\n")
    assert doc is None
    assert diags == [f"{file}:4:5: error: merge keys ('<<') are not supported; write the keys out"]


def test_explicit_merge_tag_is_an_error(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, "base: &b {score: 1}\nsecurity:\n  !!merge <<: *b\n")
    assert diags == [f"{file}:3:3: error: merge keys ('<<') are not supported; write the keys out"]


def test_merge_and_value_signs_as_values_are_text(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, "a: <<\nb: [=, <<]\n")
    assert diags == []
    assert doc is not None and doc.data == {"a": "<<", "b": ["=", "<<"]}


# --- the shape of the file ---------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n", "---\n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path: Path, content: str | bytes) -> None:
    write(tmp_path, DECISION, content)
    catalog, diags = load_tree(tmp_path)
    assert diags == [f"{DECISION}:1:1: error: file is empty: a decision needs at least schema, id, title, status and date"]
    assert catalog.decisions == ()


@pytest.mark.parametrize(
    ("content", "what"),
    [("- schema: 1\n- id: W-1\n", "a list"), ("just a sentence\n", "text"), ("42\n", "a number"), ("true\n", "true/false")],
)
def test_top_level_must_be_a_mapping(tmp_path: Path, content: str, what: str) -> None:
    write(tmp_path, DECISION, content)
    catalog, diags = load_tree(tmp_path)
    assert diags == [f"{DECISION}:1:1: error: a decision file must be a mapping of keys to values, not {what}"]


def test_two_documents_in_one_file(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, MINIMAL + "---\n" + MINIMAL)
    assert doc is None
    assert diags == [f"{file}:6:1: error: a decision file holds one YAML document; found a second '---'"]


def test_tab_indentation(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, "schema: 1\nhypothesis:\n\tstatement: x\n")
    assert doc is None
    assert diags == [
        f"{file}:3:1: error: invalid YAML: found character that cannot start any token: a tab (YAML indents with spaces only)"
    ]


def test_tab_after_spaces_in_indentation(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, "hypothesis:\n  statement: x\n \treview_by: 2021-01-01\n")
    assert diags == [
        f"{file}:3:2: error: invalid YAML: found a tab character that violates indentation: a tab (YAML indents with spaces only)"
    ]


def test_syntax_error_points_at_the_problem(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, "schema: 1\ntags: [a, b\ntitle: x\n")
    assert diags == [f"{file}:3:6: error: invalid YAML: did not find expected ',' or ']'"]


def test_control_character_position(tmp_path: Path) -> None:
    # the column counts characters, not UTF-8 bytes ('é' is two bytes)
    file, doc, diags = read(tmp_path, "schema: 1\ntitle: café \x07\n")
    assert diags == [f"{file}:2:13: error: invalid YAML: control characters are not allowed (U+0007)"]


def test_unknown_alias(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, "schema: 1\ntags: [*nope]\n")
    assert diags == [f"{file}:2:8: error: unknown alias '*nope'"]


def test_self_referencing_alias_is_unknown_not_infinite(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, "tags: &t [a, *t]\n")
    assert diags == [f"{file}:1:14: error: unknown alias '*t'"]


# --- bytes that are not UTF-8 text ----------------------------------------------------------


def test_latin_1_byte(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, b"schema: 1\ntitle: caf\xe9\n")
    assert doc is None
    assert diags == [f"{file}:2:11: error: file is not UTF-8 text (byte 0xe9); save it as UTF-8"]


def test_bad_byte_column_counts_characters_before_it(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, "schema: 1\ntitle: «é» ".encode() + b"\xff\n")
    assert diags == [f"{file}:2:12: error: file is not UTF-8 text (byte 0xff); save it as UTF-8"]


def test_bad_byte_after_a_byte_order_mark(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, b"\xef\xbb\xbftitle: caf\xe9\n")
    assert diags == [f"{file}:1:11: error: file is not UTF-8 text (byte 0xe9); save it as UTF-8"]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, b"\xef\xbb\xbf" + MINIMAL.encode())
    assert diags == []
    assert doc is not None and doc.data["id"] == "W-0001"


@pytest.mark.parametrize(
    ("bom", "encoding"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_utf_16_file(tmp_path: Path, bom: bytes, encoding: str) -> None:
    file, doc, diags = read(tmp_path, bom + MINIMAL.encode(encoding))
    assert diags == [f"{file}:1:1: error: file is UTF-16 text; save it as UTF-8"]


def test_binary_file(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    file, doc, diags = read(tmp_path, png)
    assert doc is None
    assert diags == [f"{file}:3:1: error: file contains NUL bytes: this is a binary file, not YAML"]


def test_nul_byte_position(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, b"schema: 1\nid: W\x00\n")
    assert diags == [f"{file}:2:6: error: file contains NUL bytes: this is a binary file, not YAML"]


# --- size, depth, aliases: never crash, never hang -----------------------------------------


def test_file_larger_than_the_limit(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, "#" * MAX_BYTES + "\n")
    assert doc is None
    assert diags == [f"{file}:1:1: error: file is 1,000,001 bytes; decision files are limited to 1,000,000 bytes"]


def test_file_at_the_limit_is_read(tmp_path: Path) -> None:
    body = MINIMAL + "#"
    file, doc, diags = read(tmp_path, body + "x" * (MAX_BYTES - len(body) - 1) + "\n")
    assert diags == []
    assert doc is not None and doc.data["id"] == "W-0001"


def test_custom_size_limit(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, MINIMAL, max_bytes=10)
    assert diags == [f"{file}:1:1: error: file is 73 bytes; decision files are limited to 10 bytes"]


def _parse_in_subprocess(tmp_path: Path, content: bytes) -> subprocess.CompletedProcess[str]:
    """Parse ``content`` in a fresh interpreter, so a segfault fails one test, not the run."""
    file = write(tmp_path, DECISION, content)
    code = (
        "import sys\nfrom pathlib import Path\nfrom mkdocs_wa.source.load import read_yaml\n"
        "doc, diags = read_yaml(Path(sys.argv[1]), 'f.yaml')\nprint([d.format() for d in diags])"
    )
    return subprocess.run([sys.executable, "-c", code, str(file)], capture_output=True, text=True, timeout=120)


def test_deep_flow_nesting_does_not_crash(tmp_path: Path) -> None:
    # libyaml's own composer recurses in C and segfaults on this; the event builder stops
    run = _parse_in_subprocess(tmp_path, b"[" * 100_000)
    assert run.returncode == 0, run.stderr
    # PyYAML 6.0.4's libyaml scans ahead and stops at its own limit of 1,000 levels before
    # the builder sees level 65; older ones leave it to the builder. Either way: one
    # clean error, no crash.
    assert run.stdout.strip() in (
        f"['f.yaml:1:{MAX_DEPTH + 1}: error: nested more than {MAX_DEPTH} levels deep']",
        f"['f.yaml:1:1001: error: nested more than {MAX_DEPTH} levels deep']",
    )


def test_deep_flow_mapping_nesting_does_not_crash(tmp_path: Path) -> None:
    run = _parse_in_subprocess(tmp_path, b"{a: " * 100_000)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"['f.yaml:1:{4 * MAX_DEPTH + 1}: error: nested more than {MAX_DEPTH} levels deep']"


def test_deep_block_nesting(tmp_path: Path) -> None:
    text = "".join("  " * i + "a:\n" for i in range(200)) + "  " * 200 + "b\n"
    file, doc, diags = read(tmp_path, text)
    # the first mapping too deep is the value of the key on line MAX_DEPTH
    assert diags == [f"{file}:{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1}: error: nested more than {MAX_DEPTH} levels deep"]


def test_nesting_at_the_limit_is_read(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n")
    assert diags == []


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, BILLION_LAUGHS)
    assert doc is None
    # the expansion passes the limit at the 4th alias of line 6 (9**5 + earlier values)
    assert diags == [
        f"{file}:6:11: error: the document expands to more than {MAX_NODES:,} values "
        "(aliases that repeat aliases, an 'alias bomb'?)"
    ]


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, "deciders: &team [ana, bo]\ntags: *team\n")
    assert diags == []
    assert doc is not None and doc.data == {"deciders": ["ana", "bo"], "tags": ["ana", "bo"]}


# --- things that are not files ------------------------------------------------------------


def test_directory_named_like_a_decision_file(tmp_path: Path) -> None:
    (tmp_path / DECISION).mkdir(parents=True)
    write(tmp_path, "decisions/w/0002-y.yaml", MINIMAL.replace("W-0001", "W-0002"))
    catalog, diags = load_tree(tmp_path)
    assert diags == [f"{DECISION}:0:0: error: is a directory, not a decision file (rename it or move it out)"]
    assert [d.id for d in catalog.decisions] == ["W-0002"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_is_refused_not_read(tmp_path: Path) -> None:
    # reading a pipe would block forever
    (tmp_path / "decisions/w").mkdir(parents=True)
    os.mkfifo(tmp_path / DECISION)
    catalog, diags = load_tree(tmp_path)
    assert diags == [f"{DECISION}:0:0: error: is not a regular file (a pipe or a device?); refused"]


def test_symbolic_link_loop(tmp_path: Path) -> None:
    (tmp_path / "decisions/w").mkdir(parents=True)
    (tmp_path / "decisions/w/0001-a.yaml").symlink_to("0002-b.yaml")
    (tmp_path / "decisions/w/0002-b.yaml").symlink_to("0001-a.yaml")
    catalog, diags = load_tree(tmp_path)
    assert diags == [
        "decisions/w/0001-a.yaml:0:0: error: symbolic link that leads nowhere (a loop or a missing file)",
        "decisions/w/0002-b.yaml:0:0: error: symbolic link that leads nowhere (a loop or a missing file)",
    ]


def test_symbolic_link_out_of_the_tree_is_refused(tmp_path: Path) -> None:
    outside = write(tmp_path, "elsewhere/secret.yaml", MINIMAL)
    (tmp_path / "decisions/w").mkdir(parents=True)
    (tmp_path / DECISION).symlink_to(outside)
    catalog, diags = load_tree(tmp_path)
    assert diags == [f"{DECISION}:0:0: error: symbolic link leads out of {tmp_path / 'decisions'}/ (to {outside}); refused"]
    assert catalog.decisions == ()


def test_symbolic_link_to_a_folder_is_not_followed_and_says_so(tmp_path: Path) -> None:
    write(tmp_path, "elsewhere/w/0001-a.yaml", MINIMAL)
    (tmp_path / "decisions").mkdir()
    (tmp_path / "decisions/linked").symlink_to(tmp_path / "elsewhere/w")
    catalog, diags = load_tree(tmp_path)
    assert diags == ["decisions/linked:0:0: warning: symbolic link to a folder: not followed, its decisions are not read"]
    assert catalog.decisions == ()


# --- positions ------------------------------------------------------------------------------


def test_positions_of_keys_and_values(tmp_path: Path) -> None:
    text = MINIMAL + "tags: [a, b]\npillars:\n  security: {score: 4, note: fine}\n"
    file, doc, diags = read(tmp_path, text)
    assert doc is not None
    assert doc.position(("title",)) == Position(3, 8)
    assert doc.position(("title",), key=True) == Position(3, 1)
    assert doc.position(("tags", 1)) == Position(6, 11)
    assert doc.position(("pillars", "security", "score")) == Position(8, 21)
    assert doc.position(("pillars", "security"), key=True) == Position(8, 3)


def test_position_of_a_missing_path_falls_back_to_its_parent(tmp_path: Path) -> None:
    file, doc, diags = read(tmp_path, MINIMAL + "hypothesis:\n  statement: x\n")
    assert doc is not None
    assert doc.position(("hypothesis", "metrics", 0)) == Position(7, 3)
    assert doc.position(("nothing", "here")) == Position(1, 1)
