"""``buendnis opendata``: writes the package of a published year, refuses everything else."""

import io
from pathlib import Path

import frictionless
import pytest
from django.core.management import call_command

from buendnis.accounts.models import User
from buendnis.agreements.models import Agreement
from buendnis.opendata.models import Decision
from buendnis.opendata.package import DESCRIPTOR

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("opendata", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _publish(agreement: Agreement, year: int | None) -> None:
    Decision.objects.create(
        agreement=agreement,
        year=year,
        published=True,
        decided_by=User.objects.get(username="ministerium"),
    )


def test_it_writes_a_published_year(demo: Agreement, tmp_path: Path) -> None:
    _publish(demo, 2025)
    target = tmp_path / "paket"
    code, out, _err = _run("--agreement", demo.slug, "--year", "2025", str(target))
    assert code == 0, out
    assert frictionless.validate(str(target / DESCRIPTOR)).valid
    assert "geschrieben / files written" in out


def test_it_refuses_an_unpublished_year_unless_forced(demo: Agreement, tmp_path: Path) -> None:
    target = tmp_path / "paket"
    code, _out, err = _run("--agreement", demo.slug, "--year", "2025", str(target))
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "nicht als offene Daten veröffentlicht" in err and "not published" in err
    assert not target.exists()
    code, _out, _err = _run("--agreement", demo.slug, "--year", "2025", "--force", str(target))
    assert code == 0
    assert (target / DESCRIPTOR).exists()


def test_a_withdrawn_year_is_refused(demo: Agreement, tmp_path: Path) -> None:
    _publish(demo, None)
    Decision.objects.create(
        agreement=demo,
        year=2025,
        published=False,
        decided_by=User.objects.get(username="ministerium"),
    )
    code, _out, err = _run("--agreement", demo.slug, "--year", "2025", str(tmp_path / "x"))
    assert code == 2 and "not published" in err


def test_it_refuses_an_unknown_agreement(db: None, tmp_path: Path) -> None:
    code, _out, err = _run("--agreement", "gibt-es-nicht", "--year", "2025", str(tmp_path / "x"))
    assert code == 2
    assert err.strip() == "Unbekannte Vereinbarung / unknown agreement: gibt-es-nicht"
    assert not (tmp_path / "x").exists()


def test_it_refuses_a_year_without_data(demo: Agreement, tmp_path: Path) -> None:
    code, _out, err = _run("--agreement", demo.slug, "--year", "2001", "--force", str(tmp_path))
    assert code == 2
    assert "Keine Daten für 2001 / no data for 2001" in err


def test_it_refuses_a_directory_that_is_not_empty(demo: Agreement, tmp_path: Path) -> None:
    _publish(demo, 2025)
    (tmp_path / "notiz.txt").write_text("schon da")
    code, _out, err = _run("--agreement", demo.slug, "--year", "2025", str(tmp_path))
    assert code == 2
    assert "nicht leer / is not empty" in err
    assert [p.name for p in tmp_path.iterdir()] == ["notiz.txt"]
