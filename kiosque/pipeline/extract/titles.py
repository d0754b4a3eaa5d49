"""The headline: og:title / JSON-LD headline / <h1> / <title>, without the " - Site name" decoration.

A part of a "A | B - C" title is dropped only when it names the site (og:site_name, publisher or
the host's own label, compared letters-and-digits only) or when the page's <h1> shows which part
is the headline; a short unrecognised suffix is kept, since "Brexit - la décision" must survive.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from .dom import element_text

__all__ = ["clean_title", "first_h1", "names_site", "site_labels"]

# " | ", " - ", " – ", " — ", " · ", " • ", " :: ", " » ", " / ": separators with spaces around them.
# A plain ":" is not one: French typography puts a space before it inside real headlines.
_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•»/~]|::)\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")
_GENERIC_LABELS = frozenset({"www", "m", "amp", "com", "co", "org", "net", "gov", "ac", "news", "edu"})
_MAX_H1_CHARS = 400


def _squash(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return _NOT_ALNUM.sub("", "".join(c for c in folded if not unicodedata.combining(c)))


def site_labels(site_names: list[str], url: str) -> frozenset[str]:
    """Squashed names the site goes by: its declared names and its host's distinctive labels."""
    labels = {_squash(name) for name in site_names if name}
    host = (urlsplit(url).hostname or "") if url else ""
    parts = host.split(".")
    labels.update(p for p in parts[:-1] if len(p) >= 3 and p not in _GENERIC_LABELS)
    return frozenset(label for label in labels if len(label) >= 2)


def names_site(part: str, labels: frozenset[str]) -> bool:
    squashed = _squash(part)
    if not squashed:
        return True  # a bare separator or symbol
    return any(squashed == label or label in squashed or (len(squashed) >= 4 and squashed in label) for label in labels)


def clean_title(title: str, *, labels: frozenset[str], h1: str = "") -> str:
    """`title` with site-name parts removed at either end; the <h1> wins when the title wraps it."""
    title = " ".join(title.split())
    # The <h1> must look like a headline (not the site logo) and cover a fair share of the title.
    if h1 and len(h1) >= max(10, 0.4 * len(title)) and not names_site(h1, labels) and _squash(h1) in _squash(title):
        return h1
    parts = _SEPARATOR.split(title)
    while len(parts) > 1 and names_site(parts[-1], labels):
        parts.pop()
    while len(parts) > 1 and names_site(parts[0], labels):
        parts.pop(0)
    if len(parts) == len(_SEPARATOR.split(title)):
        return title  # nothing recognised: keep the separators as they were written
    return _rejoin(title, parts)


def _rejoin(title: str, parts: list[str]) -> str:
    """The span of `title` from the first kept part to the last, original separators included."""
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if 0 <= start < end else " ".join(parts)


def first_h1(root: HtmlElement) -> str:
    """Text of the headline <h1>: the first inside <article>/<main> when there is one."""
    body = root.find("body")
    if body is None:
        return ""
    for path in (".//article//h1", ".//main//h1", ".//h1"):
        for element in body.iterfind(path):
            text = element_text(element)
            if text and len(text) <= _MAX_H1_CHARS:
                return text
    return ""
