"""The audit log pages: the list with its filter, and the CSV export."""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from buendnis.accounts.policy import Action, requires
from buendnis.audit.display import actor_name, changes_of, object_type_label, reach_labels
from buendnis.audit.export import audit_csv
from buendnis.audit.forms import AuditFilterForm
from buendnis.audit.selectors import entries_page, entries_visible_to


def _before(request: HttpRequest) -> int | None:
    value = request.GET.get("vor", "")
    return int(value) if value.isdigit() else None


@requires(Action.AUDIT_VIEW)
def entry_list(request: HttpRequest) -> HttpResponse:
    """The entries the user may read, newest first, 50 a page (keyset: "older entries")."""
    form = AuditFilterForm(request.GET or None)
    entries = entries_visible_to(request.user, form.criteria())
    page, next_before = entries_page(entries, before=_before(request))
    labels = reach_labels(page)
    rows = [
        {
            "entry": entry,
            "actor": actor_name(entry),
            "type": object_type_label(entry.object_type),
            "changes": changes_of(entry, labels),
        }
        for entry in page
    ]
    query = request.GET.copy()
    query.pop("vor", None)
    return render(
        request,
        "audit/entry_list.html",
        {
            "form": form,
            "rows": rows,
            "next_before": next_before,
            "query": query.urlencode(),
            "first_page": _before(request) is None,
        },
    )


@requires(Action.AUDIT_VIEW)
def entry_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered entries as CSV (UTF-8 with BOM, ``;``), streamed."""
    form = AuditFilterForm(request.GET or None)
    entries = entries_visible_to(request.user, form.criteria())
    response = StreamingHttpResponse(audit_csv(entries), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="protokoll-{stamp}.csv"'
    return response
