"""Words in one place (render/pages/words.py): no page builder writes an English sentence
of its own, every counted noun agrees with its number, nothing says "(s)"."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import mkdocs_wa
from mkdocs_wa.cli import main
from mkdocs_wa.render.pages import words

PACKAGE = Path(mkdocs_wa.__file__).parent
PAGES = PACKAGE / "render" / "pages"
#: The modules that write what a reader of the site sees.
BUILDERS = sorted(p for p in PAGES.glob("*.py") if p.name != "words.py") + [
    PACKAGE / "render" / "charts.py", PACKAGE / "render" / "feed.py", PACKAGE / "portal" / "dashboard.py"]
#: Literals that are no English (a CSS font stack).
NOT_WORDS = {"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"}

_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&#?\w+;")
#: Three words in a row: what a sentence or a label of the page looks like.
_WORDS3 = re.compile(r"[A-Za-z][a-z']+(?:[ ,:;.()]+[A-Za-z][a-z']+){2,}")


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):  # f"...": its literal parts, placeholders as {}
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def inline_sentences(source: str, name: str = "<source>") -> list[tuple[int, str, str]]:
    """(line, function, words) of every string literal with three words or more, outside
    docstrings and the nouns :func:`words.count` takes."""
    tree = ast.parse(source)
    skip: set[int] = set()
    functions: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip.add(id(body[0].value))  # a docstring
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                functions.setdefault(id(inner), node.name)
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)  # judged with their f-string
    found = []
    for node in ast.walk(tree):
        text = _text(node)
        if text is None or id(node) in skip or text in words.NOUNS or text in NOT_WORDS:
            continue
        match = _WORDS3.search(_ENTITY.sub(" ", _TAG.sub(" ", text)))
        if match:
            found.append((node.lineno, functions.get(id(node), "<module>"), match.group(0)))
    return found


def test_the_check_finds_an_inline_sentence() -> None:
    source = 'def page(n):\n    """A docstring is fine here."""\n    return f"<p>{n} decisions were made</p>" + words.say("ok")\n'
    assert inline_sentences(source) == [(3, "page", "decisions were made")]
    assert inline_sentences('x = \'<span class="wa-status wa-status--open">\'') == []  # markup is no sentence
    assert inline_sentences('words.count(2, "open feedback loop")') == []  # a noun of words.NOUNS


@pytest.mark.parametrize("path", BUILDERS, ids=lambda p: p.name)
def test_page_builders_write_no_sentence_of_their_own(path: Path) -> None:
    found = [
        f"{path.name}:{line} in {function}(): {text!r}"
        for line, function, text in inline_sentences(path.read_text(encoding="utf-8"), path.name)
    ]
    assert not found, "sentences belong in render/pages/words.py (TEXT, HEADING):\n" + "\n".join(found)


def test_every_said_key_is_in_text_with_its_placeholders() -> None:
    """words.say("key", name=...) everywhere: the key exists and the template names no
    placeholder the call does not fill (a translation keeps the same names)."""
    calls = 0
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "say"):
                continue
            if not node.args or not isinstance(node.args[0], ast.Constant):
                continue  # a key chosen at run time (f"source_{kind}"): checked by the pages' tests
            key = node.args[0].value
            assert key in words.TEXT, f"{path.name}:{node.lineno}: no words.TEXT[{key!r}]"
            wanted = {f for _, f, _, _ in string.Formatter().parse(words.TEXT[key]) if f}
            given = {k.arg for k in node.keywords}
            assert wanted <= given, f"{path.name}:{node.lineno}: {key!r} needs {sorted(wanted - given)}"
            calls += 1
    assert calls > 100


@pytest.mark.parametrize("noun", sorted(words.NOUNS))
def test_every_noun_agrees_with_its_number(noun: str) -> None:
    one, other = words.NOUNS[noun]
    assert words.count(1, noun) == f"1 {one}"
    assert words.count(0, noun) == f"0 {other}"
    assert words.count(2, noun) == f"2 {other}"
    assert words.count(12000, noun) == f"12,000 {other}"
    assert one != other


def test_plurals() -> None:
    assert [words.count(n, "decision") for n in (1, 2)] == ["1 decision", "2 decisions"]
    assert words.count(3, "hypothesis") == "3 hypotheses"
    assert words.targets_met(1, 1) == "1 of 1 target met" and words.targets_met(1, 2) == "1 of 2 targets met"
    with pytest.raises(KeyError):  # a noun nobody wrote the plural of is an error, not a guess
        words.count(2, "instance")


def test_no_string_says_s_in_parentheses() -> None:
    """"decision(s)": every message of the package counts with nouns.count."""
    places = sorted(PACKAGE.rglob("*.py"))
    found = []
    for path in places:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                      and n.body and isinstance(n.body[0], ast.Expr)}
        for node in ast.walk(tree):
            text = _text(node)
            if text and id(node) not in docstrings and re.search(r"[a-z]\(s\)", text.replace("http(s)", "")):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {text!r}")
    assert not found, found


def _decision(folder: Path, number: int) -> None:
    (folder / f"{number:04d}-d.yaml").write_text(
        f"schema: 1\nid: W-{number:04d}\ntitle: Decision {number}\nstatus: proposed\ndate: 2024-01-0{number}\n"
        "context: c\ndecision: d\n",
        encoding="utf-8",
    )


def test_validate_counts_in_words(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "decisions" / "w"
    folder.mkdir(parents=True)
    _decision(folder, 1)
    assert main(["validate", "decisions"]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == "1 decision loaded, 0 errors, 0 warnings"
    _decision(folder, 2)
    assert main(["validate", "decisions"]) == 0
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "2 decisions loaded, 0 errors, 0 warnings" and "(s)" not in err


def test_every_counted_noun_has_its_plural_forms() -> None:
    """count(n, "noun") and plural_word(n, "noun") anywhere in the package name a noun of
    NOUNS: a noun without its forms fails here, not in a user's build."""
    found, calls = [], 0
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node.func, "attr", getattr(node.func, "id", None)) if isinstance(node, ast.Call) else None
            if name in ("count", "plural_word") and len(node.args) == 2 and isinstance(node.args[1], ast.Constant):
                calls += 1
                if node.args[1].value not in words.NOUNS:
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.args[1].value!r}")
    assert calls > 40
    assert not found, found
