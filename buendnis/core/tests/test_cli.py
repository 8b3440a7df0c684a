"""The ``buendnis`` command line."""

import subprocess
import sys

import pytest

from buendnis import cli


def test_it_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["buendnis", "--help"])
    out = capsys.readouterr().out
    for command in (
        "demo",
        "serve",
        "migrate",
        "import-agreement",
        "import-activities",
        "remind",
        "generate",
        "createuser",
        "worker",
        "backup",
        "restore",
    ):
        assert f"  {command} " in out


def test_it_maps_hyphens_to_django_command_names() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "buendnis.cli", "import-agreement", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "--dry-run" in result.stdout


def test_it_fails_on_an_unknown_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "buendnis.cli", "no-such-thing"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "no_such_thing" in result.stderr
