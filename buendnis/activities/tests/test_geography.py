"""Hessen's Kreise are reference data: present after migrate and back after a flush."""

import pytest
from django.core.management import call_command

from buendnis.activities.geography import read_kreise
from buendnis.activities.models import Kreis


@pytest.mark.django_db(transaction=True)
def test_a_flush_brings_the_kreise_back() -> None:
    shipped = {row["ags"]: row["name"] for row in read_kreise()}
    assert len(shipped) == 26
    assert dict(Kreis.objects.values_list("ags", "name")) == shipped

    call_command("flush", interactive=False, verbosity=0)

    assert dict(Kreis.objects.values_list("ags", "name")) == shipped
    assert Kreis.objects.get(pk="06413").regierungsbezirk == "Darmstadt"


@pytest.mark.django_db(transaction=True)
def test_kreise_the_user_changed_are_left_alone_after_migrate() -> None:
    Kreis.objects.filter(pk="06413").update(name="Offenbach am Main (Stadt)")

    call_command("migrate", verbosity=0)

    assert Kreis.objects.get(pk="06413").name == "Offenbach am Main (Stadt)"
    assert Kreis.objects.count() == 26
