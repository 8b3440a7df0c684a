"""The preview's draft: operations and the doubts it highlights."""

import pytest

from buendnis.agreements.text_draft import (
    Draft,
    OperationError,
    apply_operation,
    doubts,
    sort_paragraphs,
)


def _draft(labels: list[str], **changes: object) -> Draft:
    draft: Draft = {
        "title": "Ankommen",
        "subtitle": "",
        "topic": "",
        "place": "Wiesbaden",
        "signed_on": "2025-05-05",
        "reason": "",
        "partners": [
            {"name": "Netzwerk e.V.", "aliases": "", "role": "", "organisation": "new"},
            {"name": "Ministerium", "aliases": "", "role": "", "organisation": "new"},
        ],
        "paragraphs": [{"label": label, "heading": "H", "body": "B."} for label in labels],
        "signatories": [
            {"name": "Lena Vogt", "function": "Vorsitzende", "organisation": "Netzwerk e.V."},
            {"name": "Heike Hofmann", "function": "Ministerin", "organisation": "Ministerium"},
        ],
    }
    draft.update(changes)
    return draft


def _messages(draft: Draft) -> list[str]:
    return [doubt.message for doubt in doubts(draft)]


def test_it_has_no_doubts_about_a_clean_draft() -> None:
    assert _messages(_draft(["1", "2", "3"])) == []


def test_it_doubts_jumps_repeats_letters_and_order() -> None:
    messages = _messages(_draft(["1", "3", "3", "3a", "5", "4"]))
    assert "Die §-Nummern springen von 1 auf 3." in messages
    assert "§ 3 kommt mehrfach vor." in messages
    assert any(
        m.startswith("§ 3a ist ein Unterparagraf") and "mit § 4 weiter" in m for m in messages
    )
    assert "Die §-Nummern springen von 3a auf 5." in messages
    assert "§ 4 steht nach § 5." in messages


def test_it_doubts_missing_signatures_date_place_and_strangers() -> None:
    draft = _draft(["1"], signed_on="", place="", signatories=[])
    messages = _messages(draft)
    assert "Keine Unterzeichnenden gefunden." in messages
    assert "Kein Ort der Unterzeichnung gefunden." in messages
    assert any(m.startswith("Kein Datum der Unterzeichnung gefunden") for m in messages)

    draft = _draft(["1"])
    draft["signatories"][1]["organisation"] = "Landkreis Fulda"
    draft["signatories"][0]["function"] = ""
    messages = _messages(draft)
    assert "In welcher Funktion unterschreibt Lena Vogt?" in messages
    assert "Heike Hofmann unterschreibt für „Landkreis Fulda“, keinen der Bündnispartner." in (
        messages
    )
    assert "Für Ministerium hat niemand unterschrieben." in messages
    targets = {doubt.target for doubt in doubts(draft)}
    assert {"signatory-1", "partner-1"} <= targets


def test_it_merges_and_splits_and_refuses_a_split_without_a_marker() -> None:
    draft = _draft(["1", "2"])
    draft["paragraphs"][1]["body"] = "Erster Teil.\n§ 2a Feste\nZehn Feste im Jahr."
    apply_operation(draft, "split-1")
    assert draft["paragraphs"][1]["body"] == "Erster Teil."
    assert draft["paragraphs"][2] == {
        "label": "2a",
        "heading": "Feste",
        "body": "Zehn Feste im Jahr.",
    }

    apply_operation(draft, "merge-2")
    assert draft["paragraphs"][1]["body"] == "Erster Teil.\n\n§ 2a Feste\n\nZehn Feste im Jahr."

    with pytest.raises(OperationError):
        apply_operation(draft, "split-0")
    with pytest.raises(OperationError):
        apply_operation(draft, "merge-0")
    with pytest.raises(OperationError):
        apply_operation(draft, "merge-9")
    with pytest.raises(OperationError):
        apply_operation(draft, "drop-tables")


def test_it_sorts_paragraphs_by_number_and_letter() -> None:
    draft = sort_paragraphs(_draft(["2", "10", "1", "2a", "x"]))
    assert [p["label"] for p in draft["paragraphs"]] == ["1", "2", "2a", "10", "x"]
