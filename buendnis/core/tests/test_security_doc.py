"""docs/security.md stays true: every test it names exists."""

import ast
import re
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
DOCUMENT = PACKAGE.parent / "docs" / "security.md"
# Test files named without a folder in the V2/V3 table live here.
DEFAULT_FOLDER = PACKAGE / "accounts" / "security" / "tests"
CODE_SPAN = re.compile(r"`([^`]+)`")
TEST_FILE = re.compile(r"^(?:[\w/]+/)?test_\w+\.py$")
TEST_FUNCTION = re.compile(r"^test_\w+$")


@cache
def _functions(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    )


def _test_files() -> list[Path]:
    return sorted(PACKAGE.rglob("test_*.py"))


def _resolve(name: str) -> list[Path]:
    """The test file a reference means: a path under ``buendnis/`` or a bare file name."""
    if "/" in name:
        path = PACKAGE / name
        return [path] if path.is_file() else []
    preferred = DEFAULT_FOLDER / name
    if preferred.is_file():
        return [preferred]
    return [path for path in _test_files() if path.name == name]


def _references() -> list[str]:
    return [
        span.strip()
        for span in CODE_SPAN.findall(DOCUMENT.read_text(encoding="utf-8"))
        if "test_" in span
    ]


def _problem(reference: str, every_test: frozenset[str]) -> str | None:
    file_part, _sep, function = reference.partition("::")
    if function:
        files = _resolve(file_part)
        if not files:
            return f"{reference}: no such test file"
        if not any(function in _functions(path) for path in files):
            return f"{reference}: no test {function} in {file_part}"
        return None
    if TEST_FILE.match(reference):
        return None if _resolve(reference) else f"{reference}: no such test file"
    if TEST_FUNCTION.match(reference):
        return None if reference in every_test else f"{reference}: no such test function"
    return None  # a setting or module that happens to contain "test_"


def test_every_test_named_in_docs_security_exists() -> None:
    every_test = frozenset().union(*(_functions(path) for path in _test_files()))
    references = _references()
    assert len(references) > 100
    problems = [p for ref in references if (p := _problem(ref, every_test))]
    assert not problems, "docs/security.md names tests that do not exist:\n" + "\n".join(problems)


def test_it_notices_a_test_that_does_not_exist() -> None:
    every_test = frozenset().union(*(_functions(path) for path in _test_files()))
    assert _problem("test_throttling.py::test_it_never_existed", every_test)
    assert _problem("core/tests/test_nowhere.py::test_it_passes_ruff_lint", every_test)
    assert _problem("test_it_is_made_up_entirely", every_test)
    assert (
        _problem("core/tests/test_project_hygiene.py::test_it_passes_ruff_lint", every_test) is None
    )
    assert _problem("test_throttling.py", every_test) is None
