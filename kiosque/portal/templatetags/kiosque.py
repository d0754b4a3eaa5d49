from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext

from kiosque.articles.models import Article

register = template.Library()

_RTL = {"ar", "fa", "he", "ur"}


@register.filter
def text_dir(language: str | None) -> str:
    """Writing direction for content in `language` (Arabic content is RTL even in a French page)."""
    return "rtl" if (language or "")[:2] in _RTL else "ltr"


@register.filter
def dmy(value: Any) -> str:
    """The portal's date format, as on Maghress: DD - MM - YYYY, in the site's time zone."""
    if not value:
        return ""
    return formats.date_format(localtime(value) if isinstance(value, datetime) else value, "d - m - Y")


@register.simple_tag
def attribution(article: Article) -> SafeString:
    """"Publié dans <SOURCE> le DD - MM - YYYY" in the interface language; the source links to its page."""
    source = format_html(
        '<a class="source-name" href="{}">{}</a>', reverse("portal:source", args=[article.source.slug]),
        article.source.name,
    )
    when = format_html('<time datetime="{}">{}</time>', article.published_at.isoformat(), dmy(article.published_at))
    # Translators: the attribution line under an article title; keep {source} and {date}.
    return format_html(gettext("Published in {source} on {date}"), source=source, date=when)


@register.simple_tag(takes_context=True)
def switch_language_url(context: dict[str, Any], language: str) -> str:
    """This page's address in another interface language."""
    request = context["request"]
    url = translate_url(request.get_full_path(), language)
    return url


@register.simple_tag
def interface_languages() -> list[tuple[str, str]]:
    """(code, name) of each interface language, each name in its own language and never translated."""
    return list(settings.LANGUAGES)
