"""Show a questionnaire text with its real language, marking a fallback to German."""

from django import template
from django.conf import settings
from django.utils.html import format_html

from buendnis.feedback.texts import Localised

register = template.Library()


@register.simple_tag
def localised(text: Localised, note: Localised | None = None) -> str:
    """The text; a fallback carries ``lang``/``dir`` and, if given, the visible note."""
    if not text.fallback:
        return format_html("{}", text.text)
    if note is None:
        return format_html('<span lang="{}" dir="{}">{}</span>', text.lang, text.dir, text.text)
    return format_html(
        '<span lang="{}" dir="{}">{}</span> <span class="feedback-fallback"{}>{}</span>',
        text.lang,
        text.dir,
        text.text,
        format_html(' lang="{}" dir="{}"', note.lang, note.dir) if note.fallback else "",
        note.text,
    )


@register.simple_tag
def free_text_retention_days() -> int:
    """How many days free-text answers are kept before the purge deletes them."""
    return settings.FEEDBACK_FREE_TEXT_RETENTION_DAYS
