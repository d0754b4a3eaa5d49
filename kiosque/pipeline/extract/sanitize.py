"""The last step: nh3 (ammonia) with an allow-list. Whatever came before, only this reaches templates.

Allowed: p, h2-h4, ul/ol/li, blockquote, figure/figcaption, img (src/alt/width/height, http(s)
only), a (href http/https/mailto; rel="noopener nofollow" forced), em/strong/b/i, basic tables,
br. Scripts, styles, iframes, forms and the like are dropped with their content; every other
tag is unwrapped (its text kept); event handlers and other attributes never pass.
"""

from __future__ import annotations

import nh3

__all__ = ["sanitize_html"]

_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "figure",
    "figcaption",
    "img",
    "a",
    "em",
    "strong",
    "b",
    "i",
    "br",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
}
# Dropped together with everything inside them (the others are unwrapped, keeping their text).
_DROP_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "select",
    "option",
    "textarea",
    "noscript",
    "template",
    "svg",
    "math",
    "canvas",
    "audio",
    "video",
    "head",
    "title",
    "meta",
    "link",
    "base",
}
_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
_IMAGE_SCHEMES = ("http://", "https://")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # url_schemes below is one list for every URL attribute; an image may only load over http(s).
    if tag == "img" and attribute == "src" and not value.strip().lower().startswith(_IMAGE_SCHEMES):
        return None
    if attribute in ("width", "height", "colspan", "rowspan") and not value.strip().isdigit():
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags=_DROP_WITH_CONTENT,
    attributes=_ATTRIBUTES,
    attribute_filter=_attribute_filter,
    strip_comments=True,
    link_rel="noopener nofollow",
    url_schemes={"http", "https", "mailto"},
    url_relative="deny",  # links were made absolute before; a relative one here has no base left
)


def sanitize_html(html: str) -> str:
    """Safe article HTML; run it after every other transformation."""
    return _CLEANER.clean(html).strip()
