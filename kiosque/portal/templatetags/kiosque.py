from __future__ import annotations

from django import template

register = template.Library()

_RTL = {"ar", "fa", "he", "ur"}


@register.filter
def text_dir(language: str | None) -> str:
    """Writing direction for content in `language` (Arabic content is RTL even in a French page)."""
    return "rtl" if (language or "")[:2] in _RTL else "ltr"
