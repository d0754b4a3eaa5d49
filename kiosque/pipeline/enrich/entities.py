"""Names and numbers of an article: the language-independent facts that tell two events apart.

Two reports of one event agree on figures (a 2-1 score, 550 dirhams, 13.1 million tourists, 17 October)
and on names; two events of one topic (two matches of a club, two quakes, two weekly councils) share
vocabulary but not those facts. `extract_entities` pulls them out of raw text:

- `numbers`: canonical values of digit groups, with thousands separators and scale words resolved
  ("38,000" en, "38 000" fr, "38 ألف" ar -> "38000"; "13,1 millions" / "13.1 مليون" -> "13100000");
  Arabic-Indic digits are read as digits. Times of day ("20h30") are left out: outlets print them in
  their own time zone.
- `scores`: "2-1" style results, order-free ("1-2" == "2-1": the loser's outlet writes it the other way).
- `dates`: day + month name in French, English and Arabic (Moroccan, Maghreb, Middle-Eastern and Levantine
  month names) as "MM-DD".
- `days`: the calendar days the text points at with a weekday or "yesterday" ("jeudi", "الخميس", "on
  Sunday", "hier"), resolved against the publication date: the nearest such day from five days before to
  one day after it ("jeudi" in a Wednesday paper is tomorrow). Reports of one event name its day.
- `names`: capitalised Latin-script words that do not open a sentence, normalised (accents, case).
- `skeletons`: consonant skeletons used to match a Latin name against Arabic script ("Zeroual" and
  "الزروالي" both give "zrl"); Latin names give one, Arabic words give one per plausible clitic split.

Hand-written: no installed library does multilingual number reading or Latin/Arabic transliteration,
and a full NER model is out of budget for 200 articles/s on two cores.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from kiosque.pipeline.enrich.normalize import normalize_text

__all__ = ["Entities", "arabic_skeletons", "extract_entities", "latin_skeleton"]

_SCALES = {
    "thousand": 1e3, "mille": 1e3, "الف": 1e3, "الاف": 1e3,
    "million": 1e6, "millions": 1e6, "مليون": 1e6, "ملايين": 1e6,
    "milliard": 1e9, "milliards": 1e9, "billion": 1e9, "billions": 1e9, "مليار": 1e9, "ملايير": 1e9,
    "مليارات": 1e9, "bn": 1e9,
}  # fmt: skip
# Month names after normalize_text (accents and Arabic letter variants folded). Two-word Levantine names
# are matched on their first word plus the next one below.
_MONTHS = {
    **{m: i for i, m in enumerate(("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                                    "septembre", "octobre", "novembre", "decembre"), 1)},
    **{m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                    "september", "october", "november", "december"), 1)},
    **{m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sept", "oct",
                                    "nov", "dec"), 1)},
    # Moroccan: يناير فبراير مارس أبريل ماي يونيو يوليوز غشت شتنبر أكتوبر نونبر دجنبر
    **{m: i for i, m in enumerate(("يناير", "فبراير", "مارس", "ابريل", "ماي", "يونيو", "يوليوز", "غشت",
                                    "شتنبر", "اكتوبر", "نونبر", "دجنبر"), 1)},
    # Middle-Eastern / Egyptian spellings
    "مايو": 5, "يوليو": 7, "اغسطس": 8, "سبتمبر": 9, "نوفمبر": 11, "ديسمبر": 12, "سيبتمبر": 9,
    # Algerian / Tunisian
    "جانفي": 1, "فيفري": 2, "افريل": 4, "جوان": 6, "جويليه": 7, "اوت": 8,
    # Levantine (single-word ones; تشرين / كانون need the next word)
    "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7, "اب": 8, "ايلول": 9,
}  # fmt: skip
_WEEKDAYS = {
    **{d: i for i, d in enumerate(("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"))},
    **{d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    **{d: i for i, d in enumerate(("الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد"))},
    "الاتنين": 0,  # the bare forms are left out: اثنين is also "two", احد "one", جمعه "gathering"
}  # fmt: skip
_YESTERDAY = frozenset(("hier", "yesterday", "امس", "الامس", "البارحه"))
_LEVANT_TWO = {("تشرين", "الاول"): 10, ("تشرين", "الثاني"): 11, ("كانون", "الاول"): 12, ("كانون", "الثاني"): 1}
_MONTH_WORDS = frozenset(_MONTHS) | {first for first, _ in _LEVANT_TWO}  # words that may start a month name
_DAY_WORDS = frozenset(_WEEKDAYS) | _YESTERDAY
# Capitalised words that are not names: function words that open quotes or follow a colon, weekdays.
_NOT_NAMES = frozenset({
    "le", "la", "les", "l", "un", "une", "des", "du", "de", "au", "aux", "en", "et", "ou", "a", "il", "elle",
    "ils", "elles", "on", "ce", "cette", "ces", "son", "sa", "ses", "leur", "selon", "pour", "par", "sur", "dans",
    "avec", "apres", "avant", "lors", "depuis", "mais", "plus", "the", "an", "of", "in", "at", "to",
    "for", "by", "and", "or", "but", "with", "from", "after", "before", "this", "that", "these", "those", "its",
    "his", "her", "their", "he", "she", "they", "we", "it", "as", "is", "was", "are", "were", "lundi", "mardi",
    "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "mr", "mrs", "m", "mme", "dr", "al", "el",
})  # fmt: skip
_ARABIC_LETTER = re.compile(r"[\u0620-\u064a]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_TIME = re.compile(r"\b\d{1,2}\s?[h:]\s?\d{2}\b")
_SCORE = re.compile(r"(?<![\d.,/-])(\d{1,2})\s?[-–]\s?(\d{1,2})(?![\d.,/%-])")
# A digit group: thousands groups separated by a (narrow) no-break space or a plain space, or digits with
# "." / "," separators (decimal or thousands, decided by _number_value).
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])|\d+(?:[.,]\d+)*)")
_WORD_AFTER = re.compile(r"\s*([^\W\d_]+)")
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’-]*")
_SENTENCE_END = re.compile(r"[.!?:;«»\"“”(\[–—]\s*$")
_NAME_PARTS = re.compile(r"['’-]")


@dataclass(frozen=True)
class Entities:
    numbers: frozenset[str] = frozenset()
    scores: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()
    days: frozenset[date] = frozenset()
    names: frozenset[str] = frozenset()
    skeletons: frozenset[str] = frozenset()  # Latin names' skeletons, or Arabic words' skeletons
    arabic: bool = False  # Arabic-script text: `skeletons` come from all its words


def extract_entities(text: str, lang: str | None, published: date | None = None) -> Entities:
    """Names, numbers, scores and dates of `text` (title, lead and body joined); `published` in local time."""
    text = _fold_digits(unicodedata.normalize("NFKC", text))
    no_times = _TIME.sub(" ", text)
    scores = frozenset("-".join(sorted(m.groups())) for m in _SCORE.finditer(no_times))
    numbers = _numbers(_SCORE.sub(" ", no_times), lang)
    words = normalize_text(text, lang).split()
    dates = _dates(words)
    days = _days(words, published) if published is not None else frozenset()
    names = _names(text, lang)
    # By script, not by `lang`: a missing or wrong language tag must not hide an Arabic text's names.
    arabic = len(_ARABIC_LETTER.findall(text)) > len(_LATIN_LETTER.findall(text))
    if arabic:
        skeletons = arabic_skeletons(words)
    else:
        skeletons = frozenset(s for s in (latin_skeleton(n) for n in names) if len(s) >= 3)
    return Entities(
        numbers=numbers, scores=scores, dates=dates, days=days, names=names, skeletons=skeletons, arabic=arabic
    )


class _DigitTable(dict[int, str]):
    """str.translate table: digits of any script -> ASCII, Arabic decimal/thousands signs -> , and space."""

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint)
        value = char
        if char == "٫":
            value = ","
        elif char == "٬":
            value = " "
        elif not char.isascii() and unicodedata.category(char) == "Nd":
            value = str(unicodedata.decimal(char))
        self[codepoint] = value
        return value


_DIGITS = _DigitTable()


def _fold_digits(text: str) -> str:
    return text.translate(_DIGITS)


def _numbers(text: str, lang: str | None) -> frozenset[str]:
    values = set()
    for match in _NUMBER.finditer(text):
        raw = match.group(1)
        readings = _number_values(raw, lang)
        if not readings:  # an identifier such as a decree number "2.24.852": matched as written
            values.add(raw)
            continue
        after = _WORD_AFTER.match(text, match.end())
        scale = _SCALES.get(normalize_text(after.group(1), lang), 1.0) if after is not None else 1.0
        values.update(_canonical(value * scale) for value in readings)
    return frozenset(values)


def _number_values(raw: str, lang: str | None) -> tuple[float, ...]:
    """The values a digit group can mean: one, or two when "3,500" / "3.500" is ambiguous; none for ids."""
    raw = raw.replace("\u00a0", " ").replace("\u202f", " ")
    if " " in raw:
        return (float(raw.replace(" ", "")),)
    parts = re.split(r"[.,]", raw)
    if len(parts) > 2:  # "1,200,000" (thousands groups) or "2.24.852" (an identifier)
        return (float("".join(parts)),) if all(len(p) == 3 for p in parts[1:]) else ()
    if len(parts) == 1:
        return (float(raw),)
    decimal, grouped = float(f"{parts[0]}.{parts[1]}"), float(parts[0] + parts[1])
    if len(parts[1]) != 3:
        return (decimal,)
    # English writes "115,000" and "3.5", French "115 000" and "3,5": a language's own convention decides;
    # elsewhere (Arabic outlets use both) either reading may be meant.
    sep = raw[len(parts[0])]
    if lang == "en":
        return (grouped,) if sep == "," else (decimal,)
    if lang == "fr":
        return (decimal,) if sep == "," else (grouped,)
    return (decimal, grouped)


def _canonical(value: float) -> str:
    return f"{value:.10g}"


def _dates(words: list[str]) -> frozenset[str]:
    """Day + month name pairs as "MM-DD" ("17 octobre", "October 17", "17 اكتوبر", "17 تشرين الاول")."""
    found = set()
    for i, word in enumerate(words):
        if word not in _MONTH_WORDS:  # most words: one set lookup (this runs over every word of the body)
            continue
        month = _LEVANT_TWO.get((word, words[i + 1])) if i + 1 < len(words) else None
        month = month or _MONTHS.get(word)
        if month is None:
            continue
        for j in (i - 1, i + 1):  # "17 octobre", "17 اكتوبر", "October 17", "Oct. 17th"
            if 0 <= j < len(words) and words[j].rstrip("ersthndu").isdigit():
                day = int(words[j].rstrip("ersthndu"))
                if 1 <= day <= 31:
                    found.add(f"{month:02d}-{day:02d}")
                    break
    return frozenset(found)


def _days(words: list[str], published: date) -> frozenset[date]:
    found = set()
    for word in words:
        # "يوم الخميس", "والخميس", "بالأمس": one clitic letter may be glued to the Arabic weekday.
        if word not in _DAY_WORDS:
            if len(word) <= 4 or word.isascii() or word[1:] not in _DAY_WORDS:
                continue  # most words: one or two set lookups
            word = word[1:]
        weekday = _WEEKDAYS.get(word)
        if weekday is not None:
            back = (published.weekday() - weekday) % 7
            found.add(published + timedelta(days=1) if back == 6 else published - timedelta(days=back))
        else:
            found.add(published - timedelta(days=1))
    return frozenset(found)


def _names(text: str, lang: str | None) -> frozenset[str]:
    matches = list(_LATIN_WORD.finditer(text))
    lowercase = {m.group(0).lower() for m in matches if m.group(0)[0].islower()}
    # A word is a name when one of its occurrences qualifies: each distinct word is judged until it does, then
    # normalised once (bodies repeat their names; this was most of the entities' cost).
    capitalised: set[str] = set()
    for match in matches:
        word = match.group(0).strip("'’-")
        if len(word) < 2 or not word[0].isupper() or word in capitalised:
            continue
        opens_sentence = match.start() == 0 or _SENTENCE_END.search(text, max(0, match.start() - 3), match.start())
        # A sentence's first word is a name when the text never writes it in lower case ("Raja edge Wydad").
        if opens_sentence and not word.isupper() and word.lower() in lowercase:
            continue
        capitalised.add(word)
    names = set()
    for word in capitalised:
        for part in _NAME_PARTS.split(word):
            norm = normalize_text(part, lang)
            if len(norm) >= 2 and norm not in _NOT_NAMES and norm not in _MONTHS:
                names.add(norm)
    return frozenset(names)


_LATIN_DIGRAPHS = (("ch", "s"), ("sh", "s"), ("kh", "k"), ("gh", "k"), ("dj", "j"), ("th", "t"), ("ph", "f"),
                   ("qu", "k"), ("ck", "k"), ("ce", "se"), ("ci", "si"), ("x", "ks"))  # fmt: skip
_LATIN_CLASS = str.maketrans({"c": "k", "q": "k", "g": "k", "p": "b", "v": "f", **dict.fromkeys("aeiouyw", "")})
_ARABIC_CLASS = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "k", "د": "d", "ذ": "d", "ر": "r", "ز": "z",
    "س": "s", "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "k", "ف": "f", "ق": "k", "ك": "k",
    "ل": "l", "م": "m", "ن": "n", "ه": "h", "گ": "k", "ڤ": "f", "پ": "b",
}  # fmt: skip
# Letters outside the classes (alef, waw, yaa, ain, hamza: vowels or unwritten in Latin names) are dropped.
_ARABIC_TABLE = {**dict.fromkeys(range(0x0600, 0x0700)), **{ord(k): v for k, v in _ARABIC_CLASS.items()}}
_NON_LETTER = re.compile(r"[^a-z]")
_DOUBLED = re.compile(r"(.)\1+")
_ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف", "ك")


@functools.lru_cache(maxsize=65536)
def latin_skeleton(name: str) -> str:
    """Consonant skeleton of a normalised Latin-script name, in the classes Arabic script distinguishes."""
    word = name.lower()
    for digraph, repl in _LATIN_DIGRAPHS:
        word = word.replace(digraph, repl)
    return _collapse(_NON_LETTER.sub("", word.translate(_LATIN_CLASS)))


def arabic_skeletons(words: list[str]) -> frozenset[str]:
    """Skeletons of normalised Arabic words, one per way of splitting off a clitic (و، ب، ل، ال...)."""
    out: set[str] = set()
    for word in words:
        if word and "\u0600" <= word[0] <= "\u06ff":
            out.update(_word_skeletons(word))
    return frozenset(out)


@functools.lru_cache(maxsize=65536)
def _word_skeletons(word: str) -> tuple[str, ...]:
    stems = {word}
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            stems.add(word[len(prefix) :])
    out = set()
    for stem in stems:
        stem = stem[:-1] if stem.endswith("ه") else stem  # taa marbuta, folded to ه by normalize_text
        skeleton = _collapse(stem.translate(_ARABIC_TABLE))
        if len(skeleton) >= 3:
            out.add(skeleton)
    return tuple(sorted(out))


def _collapse(skeleton: str) -> str:
    # Doubled letters ("Tissint", shadda already removed) count once.
    return _DOUBLED.sub(r"\1", skeleton)
