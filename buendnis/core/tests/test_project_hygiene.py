"""Gates that keep the project tidy: lint, format, migrations, deploy checks, translations."""

import ast
import importlib
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from buendnis.conftest import REPO_ROOT

RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"


def test_it_passes_ruff_lint() -> None:
    result = subprocess.run(
        [RUFF, "check", "--output-format", "concise", "buendnis"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_it_is_ruff_formatted() -> None:
    result = subprocess.run(
        [RUFF, "format", "--check", "buendnis"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.django_db
def test_it_has_no_missing_migrations() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_it_passes_the_deploy_checks_with_production_settings() -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "BUENDNIS_SECRET_KEY": "x" * 60 + "production-secret-key-for-the-check",
        "BUENDNIS_HTTPS": "true",
        "BUENDNIS_EMAIL_HOST": "smtp.example.org",
        "BUENDNIS_ALLOWED_HOSTS": "buendnis.example.org",
        "BUENDNIS_DATA_DIR": str(REPO_ROOT / "data" / "deploy-check"),
        "DJANGO_SETTINGS_MODULE": "buendnis.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "buendnis.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_it_ships_compiled_english_translations_up_to_date() -> None:
    locale = REPO_ROOT / "buendnis" / "locale" / "en" / "LC_MESSAGES"
    po, mo = locale / "django.po", locale / "django.mo"
    assert mo.exists()
    assert "#, fuzzy" not in po.read_text(encoding="utf-8")
    assert 'msgstr ""\n\n' not in po.read_text(encoding="utf-8").split("\n\n", 1)[1]


def _project_imports(path: Path) -> list[tuple[str, str]]:
    """Every ``from buendnis… import name`` in a file, also those inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("buendnis")
        for alias in node.names
    ]


@pytest.mark.parametrize("script", sorted((REPO_ROOT / "bench").glob("*.py")), ids=lambda p: p.name)
def test_the_benchmarks_import_only_what_the_project_has(script: Path) -> None:
    # The benchmarks import inside their functions, so a rename in the project would only
    # show when someone next runs a long benchmark.
    missing = [
        f"{module}.{name}"
        for module, name in _project_imports(script)
        if not hasattr(importlib.import_module(module), name)
        and importlib.util.find_spec(f"{module}.{name}") is None
    ]
    assert missing == []
