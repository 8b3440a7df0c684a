"""The package: valid Frictionless, and every figure exactly the protected publication's."""

import csv
import io
import json
from pathlib import Path

import frictionless
import pytest
from django.conf import settings

from buendnis.activities.grid import (
    ONLINE,
    TOTAL,
    activities_grid,
    format_node,
    reach_node,
    region_node,
)
from buendnis.activities.models import Kreis
from buendnis.agreements.models import Agreement
from buendnis.core.disclosure.cache import publication_for
from buendnis.core.disclosure.periods import YEAR
from buendnis.counselling import grid as counselling
from buendnis.counselling.models import Topic
from buendnis.feedback.grid import ALL, agree_node, answered_node, feedback_grid
from buendnis.feedback.published import share
from buendnis.opendata.package import DESCRIPTOR, build, package, write
from buendnis.opendata.tables import TABLE_NAMES

pytestmark = pytest.mark.django_db
YEAR_ = 2025


def _rows(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"{name}.csv"].decode())))


def _text(value: object) -> str:
    return "" if value is None else str(value)


def test_it_is_a_valid_frictionless_data_package(demo: Agreement, tmp_path: Path) -> None:
    write(tmp_path, build(demo, YEAR_))
    report = frictionless.validate(str(tmp_path / DESCRIPTOR))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [DESCRIPTOR, *(f"{n}.csv" for n in TABLE_NAMES)]
    )


def test_it_describes_licence_sources_contributors_and_the_rule(demo: Agreement) -> None:
    meta = json.loads(build(demo, YEAR_).files[DESCRIPTOR])
    assert meta["name"] == "buendnis-integration-braucht-partner-2025"
    assert meta["licenses"][0]["name"] == "dl-de-by-2.0"
    assert "English:" in meta["description"] and "Schutzregel" in meta["description"]
    assert meta["sources"] and meta["created"]
    roles = {c["title"]: c["role"] for c in meta["contributors"]}
    assert "publisher" in roles.values() and "author" in roles.values()
    assert meta["protection"]["threshold"] == settings.SUPPRESSION_THRESHOLD
    for resource in meta["resources"]:
        schema = resource["schema"]
        assert {"< 5", "•", "–", ""} <= set(schema["missingValues"])
        assert schema["primaryKey"]
        for field in schema["fields"]:
            assert field["title"] and "English:" in field["description"]


def test_every_figure_is_the_protected_publications(demo: Agreement) -> None:
    files = build(demo, YEAR_).files
    time = (YEAR, YEAR_)
    activities = publication_for(activities_grid(agreement=demo))
    hidden = 0
    rb_of = {}
    for ags, rb in Kreis.objects.values_list("ags", "regierungsbezirk"):
        rb_of[ags[:3]] = rb
    for row in _rows(files, "aktivitaeten-nach-region"):
        region = {
            "hessen": TOTAL,
            "online": ONLINE,
            "kreis": row["schluessel"],
            "regierungsbezirk": rb_of.get(row["schluessel"]),
        }[row["ebene"]]
        for column, measure in (("aktivitaeten", "activities"), ("teilnahmen", "attendances")):
            key = region_node(measure, region, time)
            assert row[column] == _text(activities.shown(key)), (row, column)
            hidden += key in activities.marks
    for row in _rows(files, "aktivitaeten-nach-format"):
        node_key = {"gesamt": TOTAL, "status": f"status:{row['schluessel']}"}.get(
            row["ebene"], row["schluessel"]
        )
        for column, measure in (
            ("aktivitaeten", "activities"),
            ("teilnahmen", "attendances"),
            ("erstteilnahmen", "first_timers"),
        ):
            key = format_node(measure, node_key, time)
            assert row[column] == _text(activities.shown(key)), (row, column)
            hidden += key in activities.marks
    for row in _rows(files, "reichweite-nach-kategorie"):
        key = reach_node(row["dimension"], row["schluessel"], time)
        assert row["teilnahmen"] == _text(activities.shown(key))
        hidden += key in activities.marks
    advice = publication_for(counselling.counselling_grid(agreement=demo))
    for row in _rows(files, "beratung-nach-merkmal"):
        if row["merkmal"] == "gesamt":
            key = counselling.total_node(time)
        else:
            value: object = row["schluessel"]
            if row["merkmal"] == "first":
                value = row["schluessel"] == "ja"
            key = counselling.category_node(row["merkmal"], value, time)
        assert row["kontakte"] == _text(advice.shown(key)), row
        hidden += key in advice.marks
    topics = dict(Topic.objects.filter(agreement=demo).values_list("name", "id"))
    for row in _rows(files, "beratung-nach-thema"):
        topic = counselling.TOTAL if row["thema"] == "Alle Themen" else topics[row["thema"]]
        key = counselling.topic_node(topic, time)
        assert row["nennungen"] == _text(advice.shown(key))
        hidden += key in advice.marks
    feedback = publication_for(feedback_grid(agreement=demo))
    answered = [k for k in feedback.grid.nodes if k[0] == "answered" and k[4] == time]
    rows = _rows(files, "rueckmeldungen-zustimmung")
    assert len(rows) == len(answered) > 0
    shares = 0
    for row, (_kind, q, f, question, _time) in zip(
        rows, sorted((k for k in answered), key=lambda k: repr(k[1:4])), strict=True
    ):
        assert row["frage"] == ("alle" if question == ALL else question)
        whole, part = answered_node(q, f, question, time), agree_node(q, f, question, time)
        assert row["beantwortet"] == _text(feedback.shown(whole))
        assert row["zustimmend"] == _text(feedback.shown(part))
        assert row["anteil_zustimmung"] == _text(share(feedback, part, whole))
        shares += row["anteil_zustimmung"] != ""
    assert hidden > 10, "the demo year has protected cells"
    assert shares > 0, "and published shares"


def test_no_protected_cell_shows_a_small_count(demo: Agreement) -> None:
    files = build(demo, YEAR_).files
    meta = json.loads(files[DESCRIPTOR])
    marks = 0
    for resource in meta["resources"]:
        numeric = [f["name"] for f in resource["schema"]["fields"] if f["type"] == "integer"]
        for row in _rows(files, resource["name"]):
            for column in numeric:
                value = row[column]
                if value in ("< 5", "•", "–"):
                    marks += 1
                    continue
                if column != "jahr":
                    assert not 0 < int(value) < settings.SUPPRESSION_THRESHOLD, (row, column)
    assert marks > 0


def test_it_is_built_once_per_state_of_the_data(demo: Agreement) -> None:
    first = package(demo, YEAR_)
    again = package(demo, YEAR_)
    assert again.files == first.files  # the cached copy, "created" included
    demo.activities.filter(starts_at__year=YEAR_).first().delete()
    changed = package(demo, YEAR_)
    assert changed.files != first.files  # a fresh protection of the changed data
