"""Month names in French, English and Arabic, as `dates` matches them.

Keys are written the way `normalise_words` leaves text: lower case, accents and Arabic hamza/madda
and short vowels dropped (so أبريل, ابريل and إبريل are one key; février and fevrier too).
Arabic has four naming families in use: Egyptian/Gulf (from English), Tunisian/Algerian (from
French), Moroccan, and Levantine/Iraqi (Syriac names, often two words).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MONTHS", "MONTH_PATTERN", "normalise_words"]

_FRENCH = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5,
    "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
_ENGLISH = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_ARABIC = {
    # Egypt, Gulf, most of the Mashriq press
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7,
    "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    # Tunisia, Algeria
    "جانفي": 1, "فيفري": 2, "افريل": 4, "ماي": 5, "جوان": 6, "جويلية": 7, "جويليه": 7, "اوت": 8,
    # Morocco
    "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
    # Levant, Iraq
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7, "اب": 8,
    "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,
}  # fmt: skip

MONTHS: dict[str, int] = {**_FRENCH, **_ENGLISH, **_ARABIC}
MONTH_PATTERN = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(k) for k in sorted(MONTHS, key=len, reverse=True)) + r")(?!\w)"
)
_TATWEEL = "\u0640"


def normalise_words(value: str) -> str:
    """Lower case without combining marks (accents, hamza, madda, harakat) or tatweel."""
    decomposed = unicodedata.normalize("NFD", value.lower().replace(_TATWEEL, ""))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
