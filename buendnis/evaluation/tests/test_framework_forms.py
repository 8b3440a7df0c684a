"""The indicator form reads and writes every demo indicator without changing it."""

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest

from buendnis.activities.services import documentation_setup
from buendnis.agreements import framework
from buendnis.agreements.services import portfolio_load
from buendnis.core.management.commands.demo import PORTFOLIO
from buendnis.counselling.services import topics_setup
from buendnis.evaluation.framework_forms import (
    IndicatorForm,
    indicator_initial,
    target_years,
)
from buendnis.feedback.questionnaires import questionnaires_seed


def _as_post(initial: dict[str, Any]) -> dict[str, Any]:
    """What a browser sends for the form filled with these initial values."""
    data: dict[str, Any] = {}
    for name, value in initial.items():
        if value is None:
            data[name] = ""
        elif isinstance(value, Decimal):
            data[name] = format(value.normalize(), "f")
        else:
            data[name] = value
    return data


@pytest.mark.django_db
def test_every_demo_indicator_survives_the_form_unchanged() -> None:
    founding = portfolio_load(data=json.loads(PORTFOLIO.read_text(encoding="utf-8")))[0]
    documentation_setup(agreement=founding, on=datetime.date(2019, 6, 4))
    topics_setup(agreement=founding)
    questionnaires_seed(agreement=founding)
    content = framework.framework_content(agreement=founding)
    assert len(content["indicators"]) == 19
    for entry in content["indicators"]:
        years = target_years([int(y) for y in entry["targets"]], today_year=2026)
        form = IndicatorForm(
            _as_post(indicator_initial(entry)),
            agreement=founding,
            goals=content["goals"],
            years=years,
        )
        assert form.is_valid(), (entry["code"], form.errors)
        assert form.indicator_data() == entry, entry["code"]
