"""Make a newly imported agreement ready for work (used by the web import and the command).

This reaches up into the apps that document under an agreement, which is why it is not a
service of ``agreements``: views and commands call it right after the import's write, in
the same transaction.
"""

from django.utils import timezone

from buendnis.activities.services import documentation_setup
from buendnis.agreements.models import Agreement
from buendnis.counselling.services import topics_setup


def ready_for_documentation(agreement: Agreement) -> None:
    """Give a new agreement the default formats, reach categories and counselling topics.

    Without them nobody could document the first activity (§ 7) or counselling contact;
    the partners change them later on their pages.
    """
    documentation_setup(agreement=agreement, on=agreement.in_force_on or timezone.localdate())
    topics_setup(agreement=agreement)
