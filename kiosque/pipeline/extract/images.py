"""The lead image: og:image, twitter:image, JSON-LD image, then the article's first real picture.

Declared images that are plainly the site's logo or a placeholder are passed over: a card showing
the outlet's logo is worse than a card without a picture.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from .dom import absolute_http_url, article_container

__all__ = ["lead_image"]

_NOT_A_PHOTO = re.compile(
    r"logo|placeholder|default[-_]?(?:image|share|og|social)|blank\.|spacer|pixel\.|1x1|/icons?/|favicon|\.svg(?:$|\?)",
    re.IGNORECASE,
)
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|webp|avif|gif)$", re.IGNORECASE)
_LAZY_ATTRIBUTES = ("src", "data-src", "data-lazy-src", "data-original", "data-lazy", "data-url")
_MIN_SIDE = 150  # declared width/height below this is an icon, avatar or tracking pixel


def lead_image(candidates: tuple[str, ...], *, tree: HtmlElement, base: str) -> str | None:
    """The first declared image that is not a logo, else the first sizeable <img> of the article
    container in `tree` (the whole of `tree` when it was narrowed to a per-source body)."""
    for candidate in candidates:
        url = absolute_http_url(candidate, base)
        if url and not _NOT_A_PHOTO.search(url):
            return url
    container = article_container(tree)
    if container is None:
        return None
    for img in container.iter("img"):
        url = _image_source(img, base)
        if url and _big_enough(img) and _looks_like_a_photo(img, url):
            return url
    return None


def _looks_like_a_photo(img: HtmlElement, url: str) -> bool:
    """A picture the page presents as such: inside <figure>/<picture>, or an image file name, or
    a declared size. `<img src="x">` in the middle of the text is not a lead image."""
    if _NOT_A_PHOTO.search(url):
        return False
    if any(ancestor.tag in ("figure", "picture") for ancestor in img.iterancestors()):
        return True
    if _IMAGE_FILE.search(urlsplit(url).path):
        return True
    return bool(img.get("width") and img.get("height"))


def _image_source(img: HtmlElement, base: str) -> str | None:
    for attr in _LAZY_ATTRIBUTES:
        url = absolute_http_url(img.get(attr), base)
        if url:
            return url
    srcset = img.get("srcset") or img.get("data-srcset") or ""
    first = srcset.split(",")[0].split()
    return absolute_http_url(first[0], base) if first else None


def _big_enough(img: HtmlElement) -> bool:
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < _MIN_SIDE:
            return False
    return True
