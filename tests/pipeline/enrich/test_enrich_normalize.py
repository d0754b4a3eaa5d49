"""normalize_text and tokenize: one table per rule, French/English and Arabic."""

from __future__ import annotations

import pytest

from kiosque.pipeline.enrich.normalize import ELISIONS, normalize_text, tokenize

# (rule, text, lang, normalised)
RULES = [
    # NFKC: ligatures, full-width forms, Arabic presentation forms, non-breaking spaces
    ("nfkc-ligature", "ﬁnale ﬂash", "fr", "finale flash"),
    ("nfkc-fullwidth", "ＣＯＰ２９", "en", "cop29"),
    ("nfkc-arabic-presentation", "ﻻ ﺍﻟﻤﻐﺮﺏ", "ar", "لا المغرب"),
    ("nfkc-nbsp", "Casablanca\u00a0:\u202fvictoire", "fr", "casablanca victoire"),
    # casefold
    ("casefold", "ÉLECTIONS Législatives", "fr", "elections legislatives"),
    ("casefold-sharp-s", "Straße", "en", "strasse"),
    ("casefold-dotted-i", "İstanbul", "en", "istanbul"),
    # Latin accents
    ("accents-fr", "à â ä ç é è ê ë î ï ô ö ù û ü ÿ", "fr", "a a a c e e e e i i o o u u u y"),
    ("accents-en", "Café naïve résumé", "en", "cafe naive resume"),
    ("accents-decomposed-input", "e\u0301te\u0301", "fr", "ete"),
    ("ligature-oe-ae", "Cœur d'œuvre, ex æquo", "fr", "coeur oeuvre ex aequo"),
    ("accents-in-arabic-text", "بنك Crédit Agricole", "ar", "بنك credit agricole"),
    # French elision, ' and ’
    ("elision-l", "L'État et l’économie", "fr", "etat et economie"),
    ("elision-d", "d'Agadir, d’Oujda", "fr", "agadir oujda"),
    ("elision-qu", "Qu'il pleuve, qu’importe", "fr", "il pleuve importe"),
    ("elision-j-n-s-c", "j'ai n'est s'il c'est", "fr", "ai est il est"),
    ("elision-m-t", "m'a t'es", "fr", "a es"),
    ("elision-long", "jusqu'à lorsqu'il puisqu’elle quoiqu'on", "fr", "a il elle on"),
    ("elision-modifier-apostrophe", "lʼOccitanie", "fr", "occitanie"),
    ("elision-after-punctuation", "«l'affaire» (d'abord)", "fr", "affaire abord"),
    ("elision-unknown-language", "L'Oréal", None, "oreal"),
    ("no-elision-inside-word", "aujourd'hui prud’hommes", "fr", "aujourd hui prud hommes"),
    ("no-elision-in-english", "L'Oréal's shares", "en", "l oreal s shares"),
    ("no-elision-at-end", "l' d'", "fr", "l d"),
    # Arabic: tashkeel, superscript alef, tatweel
    ("tashkeel", "الْمَغْرِبُ يُوَاجِهُ مِصْرَ", "ar", "المغرب يواجه مصر"),
    ("tanween-shadda-sukun", "كِتَابٌ مُهِمٌّ جِدًّا", "ar", "كتاب مهم جدا"),
    ("superscript-alef", "هٰذا", "ar", "هذا"),
    ("tatweel", "الـــمـغـرب", "ar", "المغرب"),
    # Arabic: alef forms, taa marbuta, alef maqsura, hamza on waw/yaa
    ("alef-hamza-above", "أحمد", "ar", "احمد"),
    ("alef-hamza-below", "إبراهيم", "ar", "ابراهيم"),
    ("alef-madda", "آمنة", "ar", "امنه"),
    ("alef-wasla", "ٱلله", "ar", "الله"),
    ("taa-marbuta", "مدرسة الحكومة", "ar", "مدرسه الحكومه"),
    ("alef-maqsura", "مستشفى على", "ar", "مستشفي علي"),
    ("hamza-on-waw", "مسؤول المؤتمر", "ar", "مسوول الموتمر"),
    ("hamza-on-yaa", "رئيس الطائرة", "ar", "رييس الطايره"),
    ("persian-yeh-kaf", "کتاب یوم", "ar", "كتاب يوم"),
    ("standalone-hamza-kept", "سماء", "ar", "سماء"),
    # digits
    ("arabic-indic-digits", "٢٠٢٤ ٠١٢٣٤٥٦٧٨٩", "ar", "2024 0123456789"),
    ("persian-digits", "۱۴۰۳ ۴۵۶", "ar", "1403 456"),
    ("mixed-digits", "COP٢٩ à Bakou", "fr", "cop29 a bakou"),
    # punctuation and symbols to spaces, whitespace collapsed
    ("punctuation-fr", "Inflation : 3,5 % en septembre !", "fr", "inflation 3 5 en septembre"),
    ("punctuation-quotes-dashes", "« Il faut agir » — dit-il…", "fr", "il faut agir dit il"),
    ("punctuation-arabic", "قال، إن المغرب؛ هل؟", "ar", "قال ان المغرب هل"),
    ("symbols", "10 $ + 5 € = #victoire @kiosque", "fr", "10 5 victoire kiosque"),
    ("underscore", "snake_case", "en", "snake case"),
    ("whitespace", "  un\t\tdeux\n\ntrois  ", "fr", "un deux trois"),
    # invisible characters sit inside words: removed, not turned into spaces
    ("soft-hyphen", "gouverne\u00adment", "fr", "gouvernement"),
    ("zwnj-rlm", "المغرب\u200c\u200f اليوم", "ar", "المغرب اليوم"),
    ("bom", "\ufeffTitre", "fr", "titre"),
    ("zero-width-space-separates", "un\u200bdeux", "fr", "un deux"),
    # nothing left
    ("empty", "", None, ""),
    ("only-punctuation", " ... !!! — ", "fr", ""),
]


@pytest.mark.parametrize(("rule", "text", "lang", "normalised"), RULES, ids=[rule[0] for rule in RULES])
def test_normalize_text(rule: str, text: str, lang: str | None, normalised: str) -> None:
    assert normalize_text(text, lang) == normalised
    assert normalize_text(normalised, lang) == normalised  # idempotent


def test_every_listed_elision_is_removed() -> None:
    text = " ".join(f"{article}'avion {article}’orage" for article in ELISIONS)
    assert normalize_text(text, "fr") == " ".join(["avion orage"] * len(ELISIONS))


def test_matching_across_spellings() -> None:
    """The point of it all: the same words typed differently normalise the same."""
    assert normalize_text("L’ÉTAT d’urgence", "fr") == normalize_text("l'etat d'Urgence", "fr")
    assert normalize_text("إِنْتِخَابَاتُ الرِّئاسَةِ", "ar") == normalize_text("انتخابات الرياسه", "ar")
    assert normalize_text("مؤتمر ٢٠٢٤", "ar") == normalize_text("موتمر 2024", "ar")


@pytest.mark.parametrize(
    ("text", "lang", "tokens"),
    [
        ("L'équipe du Maroc s'impose 2-0", "fr", ["equipe", "du", "maroc", "impose", "2", "0"]),
        ("Morocco's team wins 2-0", "en", ["morocco", "s", "team", "wins", "2", "0"]),
        ("المنتخب المغربي يفوز ٢-٠", "ar", ["المنتخب", "المغربي", "يفوز", "2", "0"]),
        ("", "fr", []),
    ],
)
def test_tokenize(text: str, lang: str, tokens: list[str]) -> None:
    assert tokenize(text, lang) == tokens
