"""`parse_date`: dates as feeds and listing pages really write them, to aware datetimes.

Layers, cheapest first:
1. ISO 8601 / W3C-DTF: `datetime.fromisoformat` (3.11 reads basic format, fractions, "Z", space separator).
2. RFC 822 / 1123: `email.utils.parsedate_to_datetime`, after we turn the zone into a numeric offset:
   the stdlib knows only UT/GMT/Z and the North-American zones, and reads "+01:00" as no zone at all.
3. Month names in French, Arabic (Mashriq, Maghreb, Morocco and Levant forms) and English, with
   day-first numeric dates: hand-written, because neither the stdlib nor feedparser knows them and
   dateparser (which does) costs milliseconds per call and pulls in a large rule set for one table.
4. feedparser's own handler chain (asctime, Greek, Hungarian, Korean, Perforce, partial W3C-DTF).
Arabic-Indic and Persian digits are mapped to ASCII first. A date without a zone is taken as UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from feedparser.datetimes import _parse_date as _feedparser_parse_date

from .months import MONTH_PATTERN, MONTHS, normalise_words

__all__ = ["parse_date"]

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# RFC 822 named zones plus the European ones French and German feeds use; military letters as RFC 822
# defines them (A = -1 ... M = -12, N = +1 ... Y = +12, Z = 0), which is also feedparser's reading.
_ZONES: dict[str, int] = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 60, "IST": 60, "WEST": 60, "CET": 60, "MET": 60,
    "CEST": 120, "MEST": 120, "EET": 120, "EEST": 180, "MSK": 180,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AST": -240, "ADT": -180, "AKST": -540, "AKDT": -480, "HST": -600,
}  # fmt: skip
_ZONES.update({chr(ord("A") + i): -60 * (i + 1) for i in range(9)})  # A..I
_ZONES.update({chr(ord("K") + i): -60 * (i + 10) for i in range(3)})  # K, L, M
_ZONES.update({chr(ord("N") + i): 60 * (i + 1) for i in range(12)})  # N..Y
_NUMERIC_ZONE = re.compile(r"\s(?:(?:GMT|UTC|UT)\s*)?([+-])(\d{1,2}):?(\d{2})?$", re.IGNORECASE)
_TRAILING_WORD = re.compile(r"\s*\(?([A-Za-z]{1,5})\)?$")
_TIME = re.compile(r"(\d{1,2})\s*[:hH]\s*(\d{2})(?:\s*:\s*(\d{2}))?(?:[.,]\d+)?(?:\s*(am|pm|a\.m\.|p\.m\.|ص|م))?")
_OFFSET = re.compile(r"(?:gmt|utc)?\s*([+-])(\d{1,2})(?::?(\d{2}))?\b", re.IGNORECASE)
_ZONE_WORD = re.compile(r"\b[A-Za-z]{2,5}\b")
_NUMERIC_DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_YEAR_AFTER = re.compile(r"^\s*[,،]?\s*(\d{4})\b")
_DAY_BEFORE = re.compile(r"(?<!\d)(\d{1,2})(?:er|st|nd|rd|th)?\s*(?:de\s+)?[,،]?\s*$")
_DAY_AFTER = re.compile(r"^\s*(\d{1,2})(?:st|nd|rd|th)?\s*[,،]?\s*(\d{4})\b")
_MERIDIEM = re.compile(r"\d\s*[ap]\.?m\b\.?", re.IGNORECASE)
_PM = ("pm", "p.m.", "م")
_AM = ("am", "a.m.", "ص")


def parse_date(text: str) -> datetime | None:
    """Aware datetime from a date string as feeds write it; None when it is not a date."""
    if not text:
        return None
    value = " ".join(text.translate(_DIGITS).split())
    if not value or len(value) > 200:
        return None
    for parser in (_iso, _rfc822, _month_names, _numeric_day_first, _feedparser):
        result = parser(value)
        if result is not None:
            return result if result.tzinfo is not None else result.replace(tzinfo=UTC)
    return None


def _iso(value: str) -> datetime | None:
    if not value[:1].isdigit() or len(value) < 8:
        return None
    candidate = value.upper() if "t" in value or "z" in value else value
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _rfc822(value: str) -> datetime | None:
    if _MERIDIEM.search(value):
        return None  # the stdlib would silently ignore "PM"; the month-name layer reads it
    body, offset = _split_zone(value)
    try:
        parsed = parsedate_to_datetime(body)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
    if offset is not None:
        return _with_offset(parsed.replace(tzinfo=None), offset)
    return parsed


def _split_zone(value: str) -> tuple[str, int | None]:
    """Strip the zone off an RFC 822 date and return it as minutes east of UTC."""
    match = _NUMERIC_ZONE.search(value)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        return value[: match.start()], sign * (int(match.group(2)) * 60 + int(match.group(3) or 0))
    word = _TRAILING_WORD.search(value)
    if word and word.group(1).upper() in _ZONES:
        return value[: word.start()], _ZONES[word.group(1).upper()]
    return value, None


def _with_offset(naive: datetime, minutes: int) -> datetime | None:
    try:
        return naive.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    except ValueError:  # offsets of a day or more
        return None


def _month_names(value: str) -> datetime | None:
    text = normalise_words(value)
    match = MONTH_PATTERN.search(text)
    if match is None:
        return None
    month = MONTHS[match.group(1)]
    before, after = text[: match.start()], text[match.end() :].lstrip(".")
    day_match, year_match = _DAY_BEFORE.search(before), _YEAR_AFTER.search(after)
    if day_match and year_match:
        day, year, rest = int(day_match.group(1)), int(year_match.group(1)), after[year_match.end() :]
    else:
        swapped = _DAY_AFTER.search(after)  # English order: "November 15, 2023"
        if swapped is None:
            return None
        day, year, rest = int(swapped.group(1)), int(swapped.group(2)), after[swapped.end() :]
    time_source = rest if _TIME.search(rest) else before
    return _assemble((year, month, day), time_source)


def _numeric_day_first(value: str) -> datetime | None:
    # fr/ar outlets write the day first: 15/11/2023, 15.11.2023, 15-11-2023.
    match = _NUMERIC_DAY_FIRST.search(value)
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups())
    return _assemble((year, month, day), value[match.end() :])


def _assemble(ymd: tuple[int, int, int], rest: str) -> datetime | None:
    hour = minute = second = 0
    offset: int | None = None
    time_match = _TIME.search(rest)
    if time_match is not None:
        hour, minute = int(time_match.group(1)), int(time_match.group(2))
        second = int(time_match.group(3) or 0)
        marker = (time_match.group(4) or "").lower()
        if marker in _PM and hour < 12:
            hour += 12
        elif marker in _AM and hour == 12:
            hour = 0
        offset = _offset_in(rest[time_match.end() :])
    try:
        naive = datetime(*ymd, hour, minute, second)
    except ValueError:
        return None
    return naive if offset is None else _with_offset(naive, offset)


def _offset_in(rest: str) -> int | None:
    match = _OFFSET.search(rest)
    if match is not None:
        sign = -1 if match.group(1) == "-" else 1
        return sign * (int(match.group(2)) * 60 + int(match.group(3) or 0))
    for word in _ZONE_WORD.findall(rest):
        if word.upper() in _ZONES:
            return _ZONES[word.upper()]
    return None


def _feedparser(value: str) -> datetime | None:
    try:
        parsed = _feedparser_parse_date(value)
    except (IndexError, TypeError, ValueError, OverflowError, KeyError, AttributeError):
        return None
    if parsed is None:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (ValueError, TypeError):
        return None
