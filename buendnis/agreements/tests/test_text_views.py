"""Importing an agreement on the web and correcting its text: preview, confirm, cancel."""

import datetime
import random
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfWriter

from buendnis.accounts.models import Organisation, User
from buendnis.agreements.models import Agreement, AgreementTextVersion, Paragraph
from buendnis.agreements.tests.importer.test_new_layouts import ministry_pdf
from buendnis.agreements.text_forms import MAX_UPLOAD_BYTES

SAMPLES = Path(__file__).parent / "importer" / "samples"
KINDER = SAMPLES / "kinder-stark-machen.txt"

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _row_counts() -> dict[str, int]:
    """Rows in every table the project's models own (sessions included)."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _upload(client: Client, name: str, content: bytes) -> Any:
    return client.post(reverse("agreements:import"), {"file": SimpleUploadedFile(name, content)})


def _form_data(response: Any) -> dict[str, str]:
    """The preview's fields as the browser would post them back (no boxes ticked)."""
    forms = response.context["forms"]
    data: dict[str, str] = {"filename": response.context["filename"]}
    for name in forms.main.fields:
        value = forms.main[name].value()
        data[name] = "" if value is None else str(value)
    for formset in (forms.partners, forms.paragraphs, forms.signatories):
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = str(value)
        for form in formset.forms:
            for name in form.fields:
                if name == "DELETE":
                    continue
                value = form[name].value()
                data[form.add_prefix(name)] = "" if value is None else str(value)
    return data


def _preview(client: Client, data: dict[str, str], op: str) -> Any:
    return client.post(reverse("agreements:import_preview"), {**data, "op": op})


# --- permissions -----------------------------------------------------------------------


def test_it_denies_the_import_to_everyone_but_the_admin(
    fachkraft: User, koordination: User, referentin: User
) -> None:
    for user in (fachkraft, koordination, referentin):
        client = _client(user)
        assert client.get(reverse("agreements:import")).status_code == 403
        assert _upload(client, "v.txt", KINDER.read_bytes()).status_code == 403
        assert _preview(client, {}, "confirm").status_code == 403
    assert Agreement.objects.count() == 0


def test_it_denies_other_organisation(agreement: Agreement, outsider: User) -> None:
    response = _client(outsider).get(reverse("agreements:edit", args=[agreement.slug]))
    assert response.status_code == 404


def test_it_denies_corrections_to_the_partners_themselves(
    agreement: Agreement, koordination: User, referentin: User
) -> None:
    for user in (koordination, referentin):
        client = _client(user)
        assert client.get(reverse("agreements:edit", args=[agreement.slug])).status_code == 404
        detail = client.get(reverse("agreements:detail", args=[agreement.slug]))
        assert reverse("agreements:edit", args=[agreement.slug]) not in detail.text


def test_it_sends_anonymous_users_to_login() -> None:
    response = Client().get(reverse("agreements:import"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- upload and preview ----------------------------------------------------------------


def test_it_shows_the_parsed_agreement_with_its_doubts(admin_user: User) -> None:
    text = KINDER.read_text(encoding="utf-8")
    text = text.split("Dr. Sabine Reuter")[0].replace("den 14. März 2025", "den")
    client = _client(admin_user)
    before = _row_counts()

    response = _upload(client, "kinder.txt", text.encode())

    assert response.status_code == 200
    assert response.context["forms"].main["title"].value() == "Kinder stark machen"
    labels = [form["label"].value() for form in response.context["forms"].paragraphs.forms]
    assert labels == ["1", "2", "3", "3a", "4", "5", "6"]
    doubts = [d.message for d in response.context["doubts"]]
    assert "Keine Unterzeichnenden gefunden." in doubts
    assert any(m.startswith("Kein Datum der Unterzeichnung") for m in doubts)
    assert any("§ 3a ist ein Unterparagraf" in m for m in doubts)
    assert "Keine Unterzeichnenden gefunden." in response.text
    assert _row_counts() == before


def test_it_speaks_english_when_asked(admin_user: User, settings: Any) -> None:
    client = _client(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = KINDER.read_text(encoding="utf-8").split("Dr. Sabine Reuter")[0]
    response = _upload(client, "kinder.txt", text.encode())
    assert "No signatories found." in response.text
    assert "Save agreement" in response.text
    assert "does it belong to § 3" in response.text


def test_it_links_a_partner_to_the_organisation_it_already_knows(
    admin_user: User, ministry_org: Organisation
) -> None:
    response = _upload(_client(admin_user), "kinder.txt", KINDER.read_bytes())
    partners = response.context["forms"].partners.forms
    assert partners[0]["organisation"].value() == "new"
    assert partners[1]["organisation"].value() == str(ministry_org.pk)


def test_it_imports_a_pdf_after_corrections_in_one_go(
    admin_user: User, ministry_org: Organisation, tmp_path: Path
) -> None:
    pdf = ministry_pdf(SAMPLES / "vielfalt-im-verein.txt", tmp_path / "v.pdf")
    client = _client(admin_user)
    response = _upload(client, "vielfalt.pdf", pdf.read_bytes())
    assert response.status_code == 200
    data = _form_data(response)
    assert data["signed_on"] == ""
    data["signed_on"] = "2025-05-05"
    data["partners-1-organisation"] = str(ministry_org.pk)
    data["paragraphs-4-DELETE"] = "on"
    data["signatories-0-function"] = "Vorsitzender der Sportjugend"

    checked = _preview(client, data, "check")
    assert checked.status_code == 200
    assert "In Kraft ab 6. Mai 2025" in checked.text
    assert [f["label"].value() for f in checked.context["forms"].paragraphs.forms] == [
        "1", "2", "3", "3a", "4", "5",
    ]  # fmt: skip

    response = _preview(client, _form_data(checked), "confirm")

    assert response.status_code == 302
    agreement = Agreement.objects.get(title="Vielfalt im Verein")
    assert response.url == reverse("agreements:detail", args=[agreement.slug])
    assert agreement.signed_on == datetime.date(2025, 5, 5)
    assert agreement.in_force_on == datetime.date(2025, 5, 6)
    assert agreement.status == Agreement.Status.ACTIVE
    assert [p.label for p in agreement.paragraphs.all()] == ["1", "2", "3", "3a", "4", "5"]
    partners = agreement.partners.select_related("organisation").order_by("position")
    assert partners[1].organisation == ministry_org
    assert "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales" in (
        Organisation.objects.get(pk=ministry_org.pk).aliases
    )
    signatories = agreement.signatories.select_related("organisation")
    assert [(s.function, s.organisation) for s in signatories] == [
        ("Vorsitzender der Sportjugend", partners[0].organisation),
        ("Staatsministerin", ministry_org),
    ]
    page = client.get(response.url).text
    assert "In Kraft seit 6. Mai 2025" in page
    assert "§ 3a Beiträge der Sportkreise" in page


def test_it_writes_no_row_in_any_table_when_the_preview_is_cancelled(admin_user: User) -> None:
    client = _client(admin_user)
    client.get(reverse("agreements:list"))
    before = _row_counts()
    response = _upload(client, "kinder.txt", KINDER.read_bytes())
    data = _form_data(response)
    _preview(client, data, "add-paragraph")
    _preview(client, data, "split-2")

    cancelled = _preview(client, data, "cancel")

    assert cancelled.status_code == 302
    assert cancelled.url == reverse("agreements:list")
    after = _row_counts()
    assert after == before
    assert Agreement.objects.count() == 0


def test_it_adds_merges_and_splits_paragraphs(admin_user: User) -> None:
    client = _client(admin_user)
    data = _form_data(_upload(client, "kinder.txt", KINDER.read_bytes()))

    merged = _preview(client, data, "merge-3")
    paragraphs = merged.context["forms"].paragraphs.forms
    assert [f["label"].value() for f in paragraphs] == ["1", "2", "3", "4", "5", "6"]
    assert "§ 3a Beiträge der Ortsverbände\n\nDie Ortsverbände" in paragraphs[2]["body"].value()

    split = _preview(client, _form_data(merged), "split-2")
    paragraphs = split.context["forms"].paragraphs.forms
    assert [f["label"].value() for f in paragraphs] == ["1", "2", "3", "3a", "4", "5", "6"]
    assert paragraphs[3]["heading"].value() == "Beiträge der Ortsverbände"
    assert paragraphs[3]["body"].value().startswith("Die Ortsverbände")

    added = _preview(client, _form_data(split), "add-paragraph")
    paragraphs = added.context["forms"].paragraphs.forms
    assert [f["label"].value() for f in paragraphs][-1] == "7"
    assert Agreement.objects.count() == 0


def test_it_explains_how_to_split_a_paragraph_without_a_marker(admin_user: User) -> None:
    client = _client(admin_user)
    data = _form_data(_upload(client, "kinder.txt", KINDER.read_bytes()))
    response = _preview(client, data, "split-0")
    assert "Zum Teilen schreiben Sie" in response.text
    assert len(response.context["forms"].paragraphs.forms) == 7


def test_it_refuses_a_confirm_with_duplicate_numbers_and_lists_the_errors(
    admin_user: User,
) -> None:
    client = _client(admin_user)
    data = _form_data(_upload(client, "kinder.txt", KINDER.read_bytes()))
    data["paragraphs-3-label"] = "3"
    data["paragraphs-1-heading"] = ""
    before = _row_counts()

    response = _preview(client, data, "confirm")

    assert response.status_code == 400
    summary = response.text.split('id="error-summary"')[1].split("</div>")[0]
    assert "§ 3 kommt mehrfach vor." in summary
    assert "Überschrift: Dieses Feld ist zwingend erforderlich." in summary
    assert 'href="#id_paragraphs-1-heading"' in summary
    assert _row_counts() == before


def test_it_refuses_an_agreement_imported_before(admin_user: User) -> None:
    client = _client(admin_user)
    data = _form_data(_upload(client, "kinder.txt", KINDER.read_bytes()))
    assert _preview(client, data, "confirm").status_code == 302
    again = _preview(client, data, "confirm")
    assert again.status_code == 400
    assert "ist schon vorhanden" in again.text
    assert Agreement.objects.count() == 1


# --- bad uploads: one message, nothing written ------------------------------------------


def _encrypted_pdf(tmp_path: Path) -> bytes:
    writer = PdfWriter(clone_from=ministry_pdf(KINDER, tmp_path / "k.pdf"))
    writer.encrypt(user_password="geheim", owner_password="noch-geheimer")
    path = tmp_path / "verschluesselt.pdf"
    writer.write(path)
    return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("leer.txt", b"", "Die Datei ist leer."),
        ("rauschen.txt", random.Random(7).randbytes(4096), "Binärdaten"),  # noqa: S311
        ("rauschen.pdf", random.Random(8).randbytes(4096), "beschädigt"),  # noqa: S311
        ("encrypted", None, "verschlüsselt"),
        ("rezept.txt", "Apfelkuchen\n\nMehl, Butter, Äpfel.\n".encode(), "keine Vereinbarung"),
        ("vereinbarung.docx", KINDER.read_bytes(), "nur .txt und .pdf"),
        ("scan.pdf", "blank", "keinen auslesbaren Text"),
    ],
)
def test_it_refuses_a_bad_upload_with_one_message(
    admin_user: User, tmp_path: Path, name: str, content: bytes | str | None, says: str
) -> None:
    if content is None:
        name, content = "verschluesselt.pdf", _encrypted_pdf(tmp_path)
    elif content == "blank":
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.write(tmp_path / name)
        content = (tmp_path / name).read_bytes()
    client = _client(admin_user)
    client.get(reverse("agreements:import"))
    before = _row_counts()

    response = _upload(client, name, content)

    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    assert says in errors[0]
    german, english = errors[0].split(" / ", 1)
    assert german and english
    assert says in response.text
    assert _row_counts() == before


def test_it_refuses_a_file_one_byte_over_50_mb(admin_user: User) -> None:
    client = _client(admin_user)
    client.get(reverse("agreements:import"))
    before = _row_counts()
    response = _upload(client, "gross.txt", b"a" * (MAX_UPLOAD_BYTES + 1))
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "Die Datei ist größer als 50 MB. / The file is larger than 50 MB."
    ]
    assert _row_counts() == before


# --- corrections later -----------------------------------------------------------------


def _import(client: Client, **changes: str) -> Agreement:
    data = _form_data(_upload(client, "kinder.txt", KINDER.read_bytes()))
    data.update(changes)
    response = _preview(client, data, "confirm")
    assert response.status_code == 302, response.context and response.context["errors"]
    return Agreement.objects.get()


def _edit_data(client: Client, agreement: Agreement) -> dict[str, str]:
    response = client.get(reverse("agreements:edit", args=[agreement.slug]))
    assert response.status_code == 200
    return _form_data(response)


def test_it_corrects_an_agreement_freely_until_it_is_in_force(admin_user: User) -> None:
    client = _client(admin_user)
    agreement = _import(client, signed_on="")
    assert agreement.status == Agreement.Status.DRAFT
    data = _edit_data(client, agreement)
    assert "reason" not in data
    data["paragraphs-0-heading"] = "Vorwort"
    data["signed_on"] = "2030-01-15"

    response = client.post(
        reverse("agreements:edit", args=[agreement.slug]), {**data, "op": "confirm"}
    )

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.paragraphs.get(number=1).heading == "Vorwort"
    assert agreement.in_force_on == datetime.date(2030, 1, 16)
    assert agreement.status == Agreement.Status.ACTIVE
    assert AgreementTextVersion.objects.count() == 0
    assert "Tritt am 16. Januar 2030 in Kraft" in client.get(response.url).text


def test_it_keeps_a_version_with_a_reason_once_the_agreement_is_in_force(
    admin_user: User,
) -> None:
    client = _client(admin_user)
    agreement = _import(client)
    assert agreement.in_force_on == datetime.date(2025, 3, 15)
    paragraph_ids = set(Paragraph.objects.values_list("pk", flat=True))
    url = reverse("agreements:edit", args=[agreement.slug])
    data = _edit_data(client, agreement)
    assert data["reason"] == ""
    data["paragraphs-0-body"] = "Neu gefasste Präambel."

    refused = client.post(url, {**data, "op": "confirm"})
    assert refused.status_code == 400
    assert "Grund der Änderung: Dieses Feld ist zwingend erforderlich." in refused.text
    assert AgreementTextVersion.objects.count() == 0

    data["reason"] = "Tippfehler in der Präambel berichtigt"
    assert client.post(url, {**data, "op": "confirm"}).status_code == 302

    version = AgreementTextVersion.objects.get()
    assert (version.number, version.reason, version.created_by) == (
        1,
        "Tippfehler in der Präambel berichtigt",
        admin_user,
    )
    assert version.previous["paragraphs"][0]["body"].startswith("Kinder, die mit ihren Familien")
    assert agreement.paragraphs.get(number=1).body == "Neu gefasste Präambel."
    assert set(Paragraph.objects.values_list("pk", flat=True)) == paragraph_ids
    page = client.get(reverse("agreements:detail", args=[agreement.slug])).text
    assert "Änderung 1 am" in page
    assert "Tippfehler in der Präambel berichtigt" in page
