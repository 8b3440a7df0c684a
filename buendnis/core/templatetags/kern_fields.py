"""Template helpers for ``core/_field.html``."""

from django import template
from django.forms import BoundField, ModelChoiceField
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from buendnis.core.forms import choices_of

register = template.Library()


@register.filter
def html_required(field: BoundField) -> bool:
    """Whether the control gets ``required``, as Django decides it for its own widgets.

    A ``<select>`` is only ``required`` when its first option is an empty placeholder
    (HTML's rule): a list without one always sends a value, so the browser has nothing to
    check, and the server still validates the field.
    """
    model_field = field.field
    if isinstance(model_field, ModelChoiceField) and model_field.empty_label is not None:
        # its first option is the empty one: no need to read the choices to know (Django's
        # widget reads them for that, a query of its own)
        return bool(model_field.required and field.form.use_required_attribute)
    return bool(field.build_widget_attrs({}).get("required"))


SELECTED = mark_safe(" selected")


@register.filter
def select_options(field: BoundField) -> SafeString:
    """The ``<option>`` elements of a select, the current one selected.

    In Python rather than a template loop: the choices are read once (``choices_of``: a
    model field's in one query) and the current value is looked up once, not for every
    option — a filter form's Kreise, formats and goals are many.
    """
    current = str(field.value())
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, SELECTED if str(value) == current else "", label)
            for value, label in choices_of(field.field)
        ),
    )
