"""Writes for open data: switch publication of an agreement's year (or every year) on or off."""

from django.db import transaction
from django.utils.translation import gettext as _

from buendnis.accounts.models import User
from buendnis.accounts.policy import Action, can
from buendnis.agreements.models import Agreement
from buendnis.opendata import selectors
from buendnis.opendata.models import Decision


class SwitchRefused(Exception):
    """The switch cannot be made; the message says why."""


@transaction.atomic
def opendata_switch(
    *, agreement: Agreement, year: int | None, published: bool, by: User
) -> Decision:
    """Record a decision to publish (or withdraw) a year, or every agreed year (``None``)."""
    if not can(by, Action.OPENDATA_PUBLISH, agreement):
        raise SwitchRefused(_("Sie dürfen diese Vereinbarung nicht veröffentlichen."))
    if year is not None and year not in selectors.agreed_years(agreement):
        raise SwitchRefused(
            _("%(year)s ist kein abgeschlossenes Jahr der Vereinbarung mit Daten.") % {"year": year}
        )
    return Decision.objects.create(
        agreement=agreement, year=year, published=published, decided_by=by
    )
