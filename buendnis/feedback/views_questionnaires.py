"""Staff pages for questionnaires: the list with format defaults, texts per language, questions.

Every change goes through ``feedback.questionnaires``, which starts a new version as soon as
the current one has answers.
"""

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buendnis.accounts.policy import Action, can, requires
from buendnis.activities.models import Format
from buendnis.agreements.models import Agreement
from buendnis.core.conflict import conflict_response
from buendnis.core.locking import EditConflict
from buendnis.feedback import questionnaires as authoring
from buendnis.feedback import selectors, services
from buendnis.feedback.forms import (
    AddLanguageForm,
    FormatQuestionnaireForm,
    QuestionForm,
    TranslationForm,
)
from buendnis.feedback.models import SOURCE_LANGUAGE, Questionnaire, QuestionnaireVersion
from buendnis.feedback.texts import Language, languages, missing_texts


def _get_agreement_for_user(request: HttpRequest, slug: str, action: Action) -> Agreement:
    agreement = get_object_or_404(Agreement, slug=slug)
    if not can(request.user, action, agreement):
        raise Http404
    return agreement


def _get_questionnaire_for_user(request: HttpRequest, pk: int, action: Action) -> Questionnaire:
    questionnaire = get_object_or_404(Questionnaire.objects.select_related("agreement"), pk=pk)
    if not can(request.user, action, questionnaire.agreement):
        raise Http404
    return questionnaire


@requires(Action.QUESTIONNAIRE_VIEW)
def questionnaire_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The agreement's questionnaires and which one each format uses."""
    agreement = _get_agreement_for_user(request, slug, Action.QUESTIONNAIRE_VIEW)
    may_edit = can(request.user, Action.QUESTIONNAIRE_EDIT, agreement)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        form = FormatQuestionnaireForm(request.POST)
        if form.is_valid():
            fmt = get_object_or_404(Format, agreement=agreement, pk=form.cleaned_data["format"])
            chosen = form.cleaned_data["questionnaire"]
            questionnaire = (
                get_object_or_404(Questionnaire, agreement=agreement, pk=chosen) if chosen else None
            )
            services.format_questionnaire_set(fmt=fmt, questionnaire=questionnaire)
            messages.success(request, _("„%(name)s“ ist gespeichert.") % {"name": fmt.name})
        return redirect("feedback:questionnaires", slug=agreement.slug)
    context = {
        "agreement": agreement,
        "questionnaires": Questionnaire.objects.filter(agreement=agreement).prefetch_related(
            "versions"
        ),
        "formats": Format.objects.filter(agreement=agreement).select_related(
            "feedback_default__questionnaire"
        ),
        "may_edit": may_edit,
    }
    return render(request, "feedback/questionnaire_list.html", context)


@requires(Action.QUESTIONNAIRE_VIEW)
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _get_questionnaire_for_user(request, pk, Action.QUESTIONNAIRE_VIEW)
    version = selectors.current_version(questionnaire)
    questions = list(version.questions.all())
    context = {
        "questionnaire": questionnaire,
        "version": version,
        "questions": questions,
        "languages": [
            (language, missing_texts(version, questions, language.code))
            for language in languages(version)
        ],
        "versions": questionnaire.versions.order_by("-number"),
        "may_edit": can(request.user, Action.QUESTIONNAIRE_EDIT, questionnaire.agreement),
        "language_form": AddLanguageForm(),
        "question_form": QuestionForm(initial={"version": questionnaire.version}),
    }
    return render(request, "feedback/questionnaire_detail.html", context)


@requires(Action.QUESTIONNAIRE_EDIT)
def questionnaire_language(request: HttpRequest, pk: int, code: str = "") -> HttpResponse:
    """Edit one language's texts; a new code adds the language."""
    questionnaire = _get_questionnaire_for_user(request, pk, Action.QUESTIONNAIRE_EDIT)
    if not code:
        add = AddLanguageForm(request.GET)
        if not add.is_valid():
            messages.error(request, _("Bitte einen Sprachcode wie „ku“ angeben."))
            return redirect("feedback:questionnaire", pk=questionnaire.pk)
        return redirect(
            "feedback:questionnaire_language", pk=questionnaire.pk, code=add.cleaned_data["code"]
        )
    version = selectors.current_version(questionnaire)
    known = {language.code: language for language in languages(version)}
    if not authoring.LANGUAGE_CODE.match(code):
        raise Http404
    form = TranslationForm(
        request.POST or None,
        version=version,
        code=code,
        initial=_translation_initial(questionnaire, version, code),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = authoring.questionnaire_translate(
                questionnaire=questionnaire,
                language=Language(
                    code=code, name=form.cleaned_data["name"], dir=form.cleaned_data["dir"]
                ),
                texts=form.texts(),
                labels=form.labels(),
                option_labels=form.option_labels(),
                by=request.user,
                expected_version=form.expected_version(),
            )
        except EditConflict as conflict:
            return _conflict(request, form, conflict.current)
        except authoring.QuestionnaireInvalid as invalid:
            for problem in invalid.problems:
                form.add_error(None, problem)
        else:
            _report_version(request, version.number, saved.number)
            return redirect("feedback:questionnaire", pk=questionnaire.pk)
    context = {
        "questionnaire": questionnaire,
        "code": code,
        "is_new": code not in known,
        "is_source": code == SOURCE_LANGUAGE,
        "form": form,
    }
    return render(request, "feedback/questionnaire_language.html", context)


def _translation_initial(
    questionnaire: Questionnaire, version: QuestionnaireVersion, code: str
) -> dict[str, object]:
    """The stored texts of one language as form values, with the edit version."""
    known = {language.code: language for language in languages(version)}
    current = known.get(code, Language(code=code, name="", dir="ltr"))
    stored = TranslationForm(version=version, code=code)
    return {
        **{name: field.initial for name, field in stored.fields.items()},
        "version": questionnaire.version,
        "name": current.name,
        "dir": current.dir,
    }


def _conflict(request: HttpRequest, form: Form, current: Questionnaire) -> HttpResponse:
    """The shared 409 page for a questionnaire edited meanwhile (texts or a new question)."""
    version = selectors.current_version(current)
    if isinstance(form, TranslationForm):
        stored = _translation_initial(current, version, form._code)
    else:
        question = version.questions.filter(key=form.cleaned_data.get("key")).first()
        stored = (
            {"key": question.key, "kind": question.kind, "label": question.labels.get("de")}
            if question
            else {}
        )
    return conflict_response(
        request,
        mine=form,
        stored=stored,
        version=current.version,
        what=_("diesen Fragebogen"),
        back=reverse("feedback:questionnaire", args=[current.pk]),
    )


def _report_version(request: HttpRequest, before: int, after: int) -> None:
    if after != before:
        messages.success(
            request,
            _("Gespeichert als Version %(number)s. Bisherige Antworten bleiben bei ihrer Version.")
            % {"number": after},
        )
    else:
        messages.success(request, _("Gespeichert."))


@require_POST
@requires(Action.QUESTIONNAIRE_EDIT)
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _get_questionnaire_for_user(request, pk, Action.QUESTIONNAIRE_EDIT)
    before = selectors.current_version(questionnaire).number
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            saved = authoring.questionnaire_add_question(
                questionnaire=questionnaire,
                key=form.cleaned_data["key"],
                kind=form.cleaned_data["kind"],
                label=form.cleaned_data["label"],
                options=form.cleaned_data["option_list"],
                by=request.user,
                expected_version=form.expected_version(),
            )
        except EditConflict as conflict:
            return _conflict(request, form, conflict.current)
        except authoring.QuestionnaireInvalid as invalid:
            messages.error(request, " ".join(invalid.problems))
        else:
            _report_version(request, before, saved.number)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("feedback:questionnaire", pk=questionnaire.pk)


@require_POST
@requires(Action.QUESTIONNAIRE_EDIT)
def question_remove(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    questionnaire = _get_questionnaire_for_user(request, pk, Action.QUESTIONNAIRE_EDIT)
    before = selectors.current_version(questionnaire).number
    posted = request.POST.get("version", "")
    try:
        saved = authoring.questionnaire_remove_question(
            questionnaire=questionnaire,
            key=key,
            by=request.user,
            expected_version=int(posted) if posted.isdigit() else 0,
        )
    except EditConflict:
        messages.error(
            request,
            _(
                "Der Fragebogen wurde inzwischen geändert; die Frage ist nicht entfernt. "
                "Bitte prüfen Sie den neuen Stand."
            ),
        )
    else:
        _report_version(request, before, saved.number)
    return redirect("feedback:questionnaire", pk=questionnaire.pk)
