"""The Art. 30 record: every model field is classified, and docs/privacy.md is up to date."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Model

from buendnis.core import processing
from buendnis.core.processing_record import DOCUMENT, END, START, render, updated


def _walked_models() -> list[type[Model]]:
    own = [m for m in apps.get_models() if m.__module__.startswith("buendnis.")]
    return own + [apps.get_model(label) for label in processing.THIRD_PARTY_MODELS]


def _fields(model: type[Model]) -> set[str]:
    """Every stored field, many-to-many included, except the automatic primary key."""
    return {
        field.name
        for field in model._meta.get_fields()
        if (field.concrete or field.many_to_many) and not field.auto_created
    }


def test_it_classifies_every_field_of_every_model() -> None:
    missing = {
        model._meta.label: sorted(
            _fields(model) - set(processing.classified_fields(model._meta.label))
        )
        if model._meta.label in processing.MODELS
        else "model not in core/processing.py MODELS"
        for model in _walked_models()
    }
    missing = {label: gap for label, gap in missing.items() if gap}
    assert not missing, f"classify these in buendnis/core/processing.py: {missing}"


def test_it_classifies_no_field_that_does_not_exist() -> None:
    walked = {model._meta.label: model for model in _walked_models()}
    assert set(processing.MODELS) <= set(walked), set(processing.MODELS) - set(walked)
    stale = {
        label: sorted(set(processing.classified_fields(label)) - _fields(walked[label]))
        for label in processing.MODELS
    }
    assert not {label: gone for label, gone in stale.items() if gone}


def test_it_classifies_each_field_once() -> None:
    for label, stored in processing.MODELS.items():
        names = [name for names in stored.fields.values() for name in names.split()]
        assert len(names) == len(set(names)), label


def test_it_uses_only_known_processing_categories_and_retention() -> None:
    for label, stored in processing.MODELS.items():
        assert stored.processing in processing.PROCESSING, label
        assert stored.retention in processing.RETENTION, label
        assert set(stored.fields) <= set(processing.CATEGORIES), label


def test_it_keeps_docs_privacy_up_to_date() -> None:
    document = DOCUMENT.read_text(encoding="utf-8")
    assert updated(document) == document, "run: buendnis processing-record"
    assert render() in document


def test_it_marks_counselling_and_reach_as_possible_art_9_data() -> None:
    record = render()
    assert "Counselling contact: date" in record
    assert processing.CATEGORIES["counselling"].special
    assert processing.CATEGORIES["reach"].special
    assert "| `counselling.Contact` | counselling | counselling |" in record


def test_it_checks_and_writes_the_document_by_command(tmp_path: object, monkeypatch) -> None:
    out = StringIO()
    call_command("processing_record", "--check", stdout=out)
    assert "up to date" in out.getvalue()
    stale = tmp_path / "privacy.md"
    stale.write_text(
        f"# Privacy\n\n{START}\nobsolete generated text\n{END}\n\nafter\n", encoding="utf-8"
    )
    monkeypatch.setattr("buendnis.core.management.commands.processing_record.DOCUMENT", stale)
    with pytest.raises(CommandError, match="out of date"):
        call_command("processing_record", "--check", stdout=StringIO())
    call_command("processing_record", stdout=StringIO())
    written = stale.read_text(encoding="utf-8")
    assert written.startswith("# Privacy\n\n" + START)
    assert written.endswith(END + "\n\nafter\n")
    assert "obsolete generated text" not in written


def test_it_refuses_a_document_without_markers() -> None:
    with pytest.raises(ValueError, match="marker"):
        updated("# Privacy\n")
