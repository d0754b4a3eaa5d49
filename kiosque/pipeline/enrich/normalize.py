"""Text normalisation shared by search and duplicate detection: same input, same tokens, any language.

    normalize_text("L’Équipe d’Afrique : 3,5 % !", "fr")  -> "equipe afrique 3 5"
    normalize_text("الْمَغْرِبُ يُواجِهُ مِصْرَ ٢٠٢٤", "ar")     -> "المغرب يواجه مصر 2024"

Steps: Unicode NFKC (ligatures, presentation forms, full-width forms), casefold, French elision, then one
character table (str.translate) for everything else:
- Latin: accents and other combining marks removed (é -> e, ç -> c), œ -> oe, æ -> ae;
- Arabic: tashkeel (U+064B-U+065F, U+0670) and Quranic annotation marks removed, tatweel removed,
  alef forms (أ إ آ ٱ) -> ا, taa marbuta ة -> ه, alef maqsura ى -> ي, hamza on waw/yaa (ؤ -> و, ئ -> ي),
  Persian yeh/kaf (ی ک) -> ي ك (Persian keyboards are common for Arabic typing);
- digits of any script (Arabic-Indic ٠-٩, Persian ۰-۹...) -> ASCII;
- punctuation, symbols, separators, control characters and the zero-width space -> space; other invisible
  format characters (soft hyphen, zero-width joiners, direction marks) removed, since they sit inside words;
- whitespace collapsed.

Script rules apply to every text whatever `lang`: Arabic articles quote French names ("Crédit Agricole")
and French ones quote Arabic, and a query and a document must normalise the same way even when the
language guess differs. Only French elision depends on `lang`: applied for "fr" and for unknown (None).
Hand-written: no installed library does Arabic orthographic normalisation (PyStemmer's Arabic stemmer
also stems, which search may add on top), and the table keeps it one pass over the text.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ELISIONS", "normalize_text", "tokenize"]

# Lucene's French elision set (ElisionFilter), which covers the usual list plus m' and t' and quoiqu'.
ELISIONS = ("l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu")
# ' and ’, plus ʼ (U+02BC, used by some French typesetting) and ‘ (autocorrect's wrong-way quote).
_APOSTROPHES = "'’ʼ‘"
_ELISION = re.compile(rf"(?<!\w)(?:{'|'.join(sorted(ELISIONS, key=len, reverse=True))})[{_APOSTROPHES}](?=\w)")

_ARABIC_LETTERS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ة": "ه",
    "ى": "ي",
    "ؤ": "و",
    "ئ": "ي",
    "ی": "ي",
    "ک": "ك",
}
_LATIN_LIGATURES = {"œ": "oe", "æ": "ae"}
_REMOVED_RANGES = (
    (0x0300, 0x036F),  # combining diacritical marks (Latin accents after decomposition)
    (0x1AB0, 0x1AFF),  # combining diacritical marks extended
    (0x1DC0, 0x1DFF),  # combining diacritical marks supplement
    (0x20D0, 0x20FF),  # combining marks for symbols
    (0xFE20, 0xFE2F),  # combining half marks
    (0x0610, 0x061A),  # Arabic honorific and Quranic signs
    (0x064B, 0x065F),  # tashkeel: fathatan ... wavy hamza below
    (0x0670, 0x0670),  # superscript alef
    (0x06D6, 0x06ED),  # Quranic annotation marks
    (0x0640, 0x0640),  # tatweel
)


class _CharTable(dict[int, str | None]):
    """str.translate table filled on first sight of each character, so it covers all of Unicode."""

    def __missing__(self, codepoint: int) -> str | None:
        value = _map_char(chr(codepoint))
        self[codepoint] = value
        return value


def _map_char(char: str) -> str | None:
    codepoint = ord(char)
    if any(low <= codepoint <= high for low, high in _REMOVED_RANGES):
        return None
    if char in _ARABIC_LETTERS:
        return _ARABIC_LETTERS[char]
    if char in _LATIN_LIGATURES:
        return _LATIN_LIGATURES[char]
    category = unicodedata.category(char)
    if category == "Nd":
        return str(unicodedata.decimal(char))
    if char == "\u200b":  # zero-width space: a word break with no width (Thai, Khmer, some CMS output)
        return " "
    if category == "Cf":
        return None
    if category[0] not in "LMN":
        return " "
    if char.isascii():
        return char
    # Precomposed Latin letters: é -> e + U+0301 -> e. Other scripts keep their marks (Indic vowels).
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) > 1 and unicodedata.name(char, "").startswith("LATIN"):
        return "".join(part for part in decomposed if not unicodedata.combining(part))
    return char


_TABLE = _CharTable()


def normalize_text(text: str, lang: str | None) -> str:
    """Normalised form of `text` for matching (see the module docstring); `lang` is an ISO 639-1 code."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if lang is None or lang.lower().startswith("fr"):
        folded = _ELISION.sub("", folded)
    return " ".join(folded.translate(_TABLE).split())


def tokenize(text: str, lang: str | None) -> list[str]:
    """Words of the normalised text: normalize_text(text, lang).split()."""
    return normalize_text(text, lang).split()
