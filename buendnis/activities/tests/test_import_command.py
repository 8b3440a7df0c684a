"""``buendnis import-activities FILE``: counts on success, every problem and exit 2 otherwise."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from buendnis import cli
from buendnis.accounts.models import Organisation
from buendnis.activities.models import Activity
from buendnis.activities.tests.test_import import csv_file, valid_row
from buendnis.agreements.models import Agreement

pytestmark = pytest.mark.django_db


def _file(tmp_path: Path, agreement: Agreement, rows: list[dict[str, Any]]) -> Path:
    path = tmp_path / "aktivitaeten.csv"
    path.write_bytes(csv_file(agreement, rows).getvalue())
    return path


def _run(
    path: Path, *extra: str, agreement: str = "integration-braucht-partner"
) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(
        "import_activities",
        str(path),
        "--agreement",
        agreement,
        "--organisation",
        "iaf e.V.",
        *extra,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def test_it_imports_and_prints_the_counts(
    documenting: Agreement, partner_org: Organisation, tmp_path: Path
) -> None:
    path = _file(tmp_path, documenting, [valid_row("a"), valid_row("b")])
    out, _err = _run(path)
    assert "2 Zeilen: 2 angelegt, 0 schon vorhanden" in out
    assert Activity.objects.filter(organisation=partner_org).count() == 2


def test_it_creates_nothing_new_the_second_time(
    documenting: Agreement, partner_org: Organisation, tmp_path: Path
) -> None:
    path = _file(tmp_path, documenting, [valid_row("a"), valid_row("b")])
    _run(path)
    out, _err = _run(path)
    assert "0 angelegt, 2 schon vorhanden" in out
    assert Activity.objects.count() == 2


def test_it_prints_every_problem_and_exits_2_writing_nothing(
    documenting: Agreement, partner_org: Organisation, tmp_path: Path
) -> None:
    rows = [valid_row("a"), valid_row("b", kreis_ags="06999"), valid_row("c", ends_at="1.1.2020")]
    path = _file(tmp_path, documenting, rows)
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "import_activities",
            str(path),
            "--agreement",
            documenting.slug,
            "--organisation",
            partner_org.name,
            stdout=StringIO(),
            stderr=err,
        )
    assert exit_info.value.code == 2
    text = err.getvalue()
    assert "Zeile 3, Spalte „Kreis (AGS)“: Der Kreis-Schlüssel 06999 ist unbekannt." in text
    assert "Zeile 4, Spalte „Ende“: Das Ende liegt vor dem Beginn." in text
    assert "nichts gespeichert" in text
    assert Activity.objects.count() == 0


def test_it_writes_nothing_on_a_dry_run(
    documenting: Agreement, partner_org: Organisation, tmp_path: Path
) -> None:
    out, _err = _run(_file(tmp_path, documenting, [valid_row()]), "--dry-run")
    assert "1 Zeilen geprüft: 1 neu" in out
    assert Activity.objects.count() == 0


def test_it_exits_2_for_an_unknown_agreement(
    documenting: Agreement, partner_org: Organisation, tmp_path: Path
) -> None:
    path = _file(tmp_path, documenting, [valid_row()])
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "import_activities",
            str(path),
            "--agreement",
            "gibt-es-nicht",
            "--organisation",
            partner_org.name,
            stdout=StringIO(),
            stderr=err,
        )
    assert exit_info.value.code == 2
    assert "Die Vereinbarung „gibt-es-nicht“ gibt es nicht." in err.getvalue()
    assert Activity.objects.count() == 0


def test_it_exits_2_for_a_missing_file(
    documenting: Agreement, partner_org: Organisation, tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _run(tmp_path / "fehlt.csv")
    assert exit_info.value.code == 2


def test_it_denies_other_organisation(
    documenting: Agreement, partner_org: Organisation, other_org: Organisation, tmp_path: Path
) -> None:
    path = _file(tmp_path, documenting, [valid_row()])
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "import_activities",
            str(path),
            "--agreement",
            documenting.slug,
            "--organisation",
            other_org.name,
            stdout=StringIO(),
            stderr=err,
        )
    assert "ist nicht Partnerin" in err.getvalue()
    assert Activity.objects.count() == 0


def test_it_is_listed_by_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["buendnis", "--help"])
    assert "  import-activities " in capsys.readouterr().out
