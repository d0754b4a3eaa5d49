"""parse_date on dates as feeds and pages write them. Expected values are written out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kiosque.pipeline.parse import parse_date


def tz(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


CASES = [
    # RFC 822 / 1123 and what feeds make of it
    ("Sat, 07 Sep 2002 00:00:01 GMT", datetime(2002, 9, 7, 0, 0, 1, tzinfo=UTC)),
    ("Sat, 7 Sep 2002 00:00 GMT", datetime(2002, 9, 7, tzinfo=UTC)),  # single-digit day, no seconds
    ("07 Sep 2002 10:00:00 +0200", datetime(2002, 9, 7, 10, tzinfo=tz(2))),  # no day name
    ("Sat, 07 Sep 02 00:00:01 EST", datetime(2002, 9, 7, 0, 0, 1, tzinfo=tz(-5))),  # two-digit year
    ("Wed, 17 Oct 2018 10:30:00 PDT", datetime(2018, 10, 17, 10, 30, tzinfo=tz(-7))),
    ("Wed, 17 Oct 2018 10:30:00 UT", datetime(2018, 10, 17, 10, 30, tzinfo=UTC)),
    ("Wed, 17 Oct 2018 10:30:00 Z", datetime(2018, 10, 17, 10, 30, tzinfo=UTC)),
    ("Wed, 17 Oct 2018 10:30:00 CEST", datetime(2018, 10, 17, 10, 30, tzinfo=tz(2))),
    ("Wed, 17 Oct 2018 10:30:00 A", datetime(2018, 10, 17, 10, 30, tzinfo=tz(-1))),  # military, RFC 822 signs
    ("Wed, 17 Oct 2018 10:30:00 N", datetime(2018, 10, 17, 10, 30, tzinfo=tz(1))),
    ("Wed, 17 Oct 2018 10:30:00 +01:00", datetime(2018, 10, 17, 10, 30, tzinfo=tz(1))),  # colon in offset
    ("Wed, 17 Oct 2018 10:30:00 GMT+2", datetime(2018, 10, 17, 10, 30, tzinfo=tz(2))),
    ("Wed, 17 Oct 2018 10:30:00 -0430", datetime(2018, 10, 17, 10, 30, tzinfo=tz(-4.5))),
    ("Wed, 17 Oct 2018 10:30:00", datetime(2018, 10, 17, 10, 30, tzinfo=UTC)),  # no zone -> UTC
    ("mer, 16 nov 2022 00:38:15 +0100", datetime(2022, 11, 16, 0, 38, 15, tzinfo=tz(1))),  # Italian day name
    ("Sun Jan  4 16:29:06 PST 2004", datetime(2004, 1, 4, 16, 29, 6, tzinfo=tz(-8))),  # asctime + zone
    ("Sat, Dec 16 2023 02:02:33 PM", datetime(2023, 12, 16, 14, 2, 33, tzinfo=UTC)),  # 12-hour clock
    # ISO 8601 / W3C-DTF
    ("2024-11-04T14:30:00+01:00", datetime(2024, 11, 4, 14, 30, tzinfo=tz(1))),
    ("2024-11-04T14:30:00Z", datetime(2024, 11, 4, 14, 30, tzinfo=UTC)),
    ("2024-11-04t14:30:00z", datetime(2024, 11, 4, 14, 30, tzinfo=UTC)),
    ("2024-11-04 14:30", datetime(2024, 11, 4, 14, 30, tzinfo=UTC)),  # no T, no zone
    ("2024-11-04", datetime(2024, 11, 4, tzinfo=UTC)),
    ("2003-12-31T10:14:55.118-08:00", datetime(2003, 12, 31, 10, 14, 55, 118000, tzinfo=tz(-8))),
    ("2024-11-04T14:30:00.1234567Z", datetime(2024, 11, 4, 14, 30, 0, 123456, tzinfo=UTC)),  # 7 fraction digits
    ("20241104T143000Z", datetime(2024, 11, 4, 14, 30, tzinfo=UTC)),  # basic format
    ("2024-11-04T14:30:00+0100", datetime(2024, 11, 4, 14, 30, tzinfo=tz(1))),
    ("2003-12", datetime(2003, 12, 1, tzinfo=UTC)),  # reduced precision (feedparser's W3C-DTF handler)
    # French
    ("15 novembre 2023 14:30", datetime(2023, 11, 15, 14, 30, tzinfo=UTC)),
    ("lun., 4 nov. 2024", datetime(2024, 11, 4, tzinfo=UTC)),
    ("Lundi 4 novembre 2024 à 14h30", datetime(2024, 11, 4, 14, 30, tzinfo=UTC)),
    ("1er janvier 2024", datetime(2024, 1, 1, tzinfo=UTC)),
    ("mer. 13 déc. 2023 08:15 +0100", datetime(2023, 12, 13, 8, 15, tzinfo=tz(1))),
    ("Publié le 3 février 2024 à 7 h 05", datetime(2024, 2, 3, 7, 5, tzinfo=UTC)),
    ("le 12 aout 2021", datetime(2021, 8, 12, tzinfo=UTC)),  # accent dropped
    ("Publié le 15/11/2023 à 14:30", datetime(2023, 11, 15, 14, 30, tzinfo=UTC)),  # day first
    ("15.11.2023 10:00 CET", datetime(2023, 11, 15, 10, tzinfo=tz(1))),
    # Arabic: Mashriq, Maghreb, Moroccan and Levantine month names; Arabic-Indic digits
    ("١٥ نوفمبر ٢٠٢٣", datetime(2023, 11, 15, tzinfo=UTC)),
    ("15 يناير 2024", datetime(2024, 1, 15, tzinfo=UTC)),
    ("15 جانفي 2024 - 10:30", datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
    ("الأحد 12 شتنبر 2021", datetime(2021, 9, 12, tzinfo=UTC)),
    ("12 سبتمبر 2021", datetime(2021, 9, 12, tzinfo=UTC)),
    ("03 دجنبر 2020 09:00", datetime(2020, 12, 3, 9, tzinfo=UTC)),
    ("03 ديسمبر 2020", datetime(2020, 12, 3, tzinfo=UTC)),
    ("5 كانون الثاني 2024", datetime(2024, 1, 5, tzinfo=UTC)),
    ("الثلاثاء، 14 تشرين الأول 2023 الساعة 10:30 م", datetime(2023, 10, 14, 22, 30, tzinfo=UTC)),
    ("12 آب 2022", datetime(2022, 8, 12, tzinfo=UTC)),
    ("٢ أبريل ٢٠٢٤ ٠٩:١٥", datetime(2024, 4, 2, 9, 15, tzinfo=UTC)),
    ("20 أفريل 2023", datetime(2023, 4, 20, tzinfo=UTC)),
    ("7 غشت 2023", datetime(2023, 8, 7, tzinfo=UTC)),
    ("۱۴ فبراير ۲۰۲۴", datetime(2024, 2, 14, tzinfo=UTC)),  # Persian digits
    # English prose dates (listing pages)
    ("November 15, 2023 2:30 PM", datetime(2023, 11, 15, 14, 30, tzinfo=UTC)),
    ("Nov 15, 2023, 12:05 a.m. EST", datetime(2023, 11, 15, 0, 5, tzinfo=tz(-5))),
    ("10 Feb 2024", datetime(2024, 2, 10, tzinfo=UTC)),
]

NOT_DATES = ["", "   ", "garbage", "Mon, 32 Jan 2024 00:00:00 GMT", "31/02/2024", "hier", "15 brumaire an VIII"]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse_date(text: str, expected: datetime) -> None:
    parsed = parse_date(text)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_a_date(text: str) -> None:
    assert parse_date(text) is None
