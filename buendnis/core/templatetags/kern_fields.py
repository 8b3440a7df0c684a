"""Template helpers for ``core/_field.html``."""

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def html_required(field: BoundField) -> bool:
    """Whether the control gets ``required``, as Django decides it for its own widgets.

    A ``<select>`` is only ``required`` when its first option is an empty placeholder
    (HTML's rule): a list without one always sends a value, so the browser has nothing to
    check, and the server still validates the field.
    """
    return bool(field.build_widget_attrs({}).get("required"))
