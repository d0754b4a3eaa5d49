"""Retry-After values: delay-seconds or HTTP-date (RFC 9110 §10.2.3)."""

from __future__ import annotations

import pytest

from kiosque.pipeline.fetch import parse_retry_after

NOW = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Wed, 21 Oct 2015 07:30:00 GMT", 120.0),
        ("Wednesday, 21-Oct-15 07:29:00 GMT", 60.0),  # obsolete RFC 850 form
        ("Wed Oct 21 07:28:30 2015", 30.0),  # asctime form
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # past: retry now
        ("Wed, 21 Oct 2015 07:29:00 -0000", 60.0),
        ("-5", None),
        ("1.5", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == expected
