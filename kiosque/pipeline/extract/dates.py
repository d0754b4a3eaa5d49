"""The page's publication date: structured data first, htmldate when the page declares none.

Declared timestamps (JSON-LD datePublished, article:published_time...) keep their time and zone;
htmldate is only asked when none parses, because it costs a tree copy and a text scan and returns
a day without a time (we then give midnight UTC).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from htmldate import find_date
from lxml.etree import XPath
from lxml.html import HtmlElement

from .dom import xpath_elements

__all__ = ["DATE_META_KEYS", "page_date", "parse_timestamp"]

# Meta names/properties/itemprops that hold the publication date, most specific first.
DATE_META_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "published_time",
    "datepublished",
    "article.published",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "dc.date.created",
    "citation_publication_date",
    "date",
    "dc.date",
)
_EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)  # news sites before this are not what we crawl
_TIME_PUBLISHED = XPath(
    '//time[@itemprop="datePublished"][@datetime] | //time[@pubdate][@datetime]'
    ' | //*[@itemprop="datePublished"][@content]'
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def page_date(root: HtmlElement, *, declared: list[str], url: str) -> datetime | None:
    """First plausible timestamp among `declared` (page order of preference), then the page's
    <time>/itemprop markup, then htmldate's fast search."""
    now = datetime.now(UTC)
    for values in (declared, _time_elements(root)):  # a generator: the XPath runs only if needed
        for value in values:
            stamp = parse_timestamp(value)
            if stamp is not None and _plausible(stamp, now):
                return stamp
    # Not htmldate's extensive search: it would find a date on 4% more trafilatura-eval pages, but
    # it hands text to dateparser, which compiles regexes per locale (seconds per new language).
    found = find_date(
        root, extensive_search=False, original_date=True, url=url or None, max_date=now.date().isoformat()
    )
    stamp = parse_timestamp(found) if found else None
    return stamp if stamp is not None and _plausible(stamp, now) else None


def _time_elements(root: HtmlElement) -> Iterator[str]:
    for element in xpath_elements(_TIME_PUBLISHED, root)[:3]:
        yield element.get("datetime") or element.get("content") or ""


def parse_timestamp(value: str | None) -> datetime | None:
    """ISO 8601 (with or without zone; naive means UTC), RFC 2822 or YYYYMMDD; None otherwise."""
    value = (value or "").strip()
    if not value:
        return None
    compact = _COMPACT_DATE.match(value)
    if compact:
        value = "-".join(compact.groups())
    try:
        stamp = datetime.fromisoformat(value.replace(" ", "T", 1) if len(value) > 10 else value)
    except ValueError:
        try:
            stamp = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def _plausible(stamp: datetime, now: datetime) -> bool:
    return _EARLIEST <= stamp <= now + timedelta(days=2)
