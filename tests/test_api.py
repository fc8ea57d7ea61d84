"""The public core API (``mkdocs_wa.__all__``): every name resolves, importing the
package loads none of it, and the example in its docstring runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import mkdocs_wa

ROOT = Path(__file__).resolve().parent.parent


def test_every_public_name_resolves_to_the_object_its_module_defines() -> None:
    for name in mkdocs_wa.__all__:
        value = getattr(mkdocs_wa, name)
        assert value is not None, name
        if name != "__version__":
            assert getattr(value, "__name__", name) == name


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        mkdocs_wa.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_importing_the_package_loads_no_stage() -> None:
    code = "import sys, mkdocs_wa; print(sorted(m for m in sys.modules if m.startswith(('mkdocs_wa.', 'jsonschema', 'yaml', 'git'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_docstring_example_checks_this_repository_s_decisions(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    example = mkdocs_wa.__doc__.split("::\n", 1)[1].split("\nThe stages", 1)[0]
    scope: dict = {"Path": Path}
    exec("\n".join(line[4:] for line in example.splitlines()), scope)  # noqa: S102
    assert len(scope["catalog"].decisions) > 5
    assert not [p for p in scope["problems"] if p.severity == "error"]
