from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language_info, gettext

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
    """ "Publié dans <SOURCE> le DD - MM - YYYY" in the interface language; the source links to its page."""
    source = format_html(
        '<a class="source-name" href="{}">{}</a>',
        reverse("portal:source", args=[article.source.slug]),
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


@register.simple_tag
def select_options(choices: list[tuple[str, str]], selected: str | None) -> SafeString:
    """<option>s built in one pass: Django's Select widget renders a template per option (~300 ms for a
    thousand sources) and even format_html per option costs ~15 ms; the standard library's escape (the same
    &<>"' replacements as Django's) over one join takes about 1 ms."""
    chosen = str(selected or "")
    options = (
        f'<option value="{html.escape(str(value))}"{" selected" if value == chosen else ""}>'
        f"{html.escape(str(label))}</option>"
        for value, label in choices
    )
    return mark_safe("".join(options))  # every value and label is escaped above


@register.filter
def language_name(code: str | None) -> str:
    """A content language's name in the interface language ("arabe" on a French page)."""
    try:
        return str(get_language_info(code)["name_translated"]) if code else gettext("Unknown language")
    except KeyError:
        return code or ""


@register.simple_tag
def story_first_reporter(article: Article) -> SafeString:
    """ "Premier à en parler : <SOURCE>, le DD - MM - YYYY à HH:MM"."""
    source = format_html(
        '<a href="{}">{}</a>', reverse("portal:source", args=[article.source.slug]), article.source.name
    )
    local = localtime(article.published_at)
    when = format_html(
        '<time datetime="{}">{} {}</time>',
        article.published_at.isoformat(),
        dmy(local),
        formats.time_format(local, "H:i"),
    )
    # Translators: who reported a story first; keep {source} and {date}.
    return format_html(gettext("First reported by {source} on {date}"), source=source, date=when)


@register.simple_tag
def story_why(item: Any) -> SafeString:
    """Why an article of a story page is in the story: the article it matched and what they share."""
    link = item.link
    if link is None:
        return format_html("{}", gettext("Grouped with this story before the evidence was kept."))
    matched = link.matched
    target = (
        format_html('<a href="{}">{}</a>', reverse("portal:article", args=[matched.pk]), matched.source.name)
        if matched is not None
        else ""
    )
    if link.wire:
        text = (
            gettext("Copy of the same agency dispatch as {source}.")
            if matched
            else gettext("Copy of an agency dispatch.")
        )
        return format_html(text, source=target)
    if link.method == "editor":
        return format_html("{}", gettext("Placed in this story by an editor."))
    if matched is None:
        return format_html("{}", gettext("First report of this story."))
    parts = [
        format_html(
            gettext("Close to the report of {source}: similarity {percent} %"),
            source=target,
            percent=round(100 * (link.similarity or 0)),
        )
    ]
    if link.shared_names:
        parts.append(format_html(gettext("shared names: {names}"), names=", ".join(link.shared_names[:6])))
    if link.shared_numbers:
        parts.append(format_html(gettext("shared figures: {numbers}"), numbers=", ".join(link.shared_numbers[:6])))
    if link.method == "repair":
        parts.append(format_html("{}", gettext("regrouped by the periodic pass")))
    return format_html("{}.", format_html_join("; ", "{}", ((p,) for p in parts)))
