"""HTML of the fictional outlets' article pages: one template family per outlet.

Each family carries its own boilerplate (navigation, footer, related links, share bar,
newsletter box) so the extractor meets realistic chrome. "seed" copies the layout of the page
we model (/work/shared/seed): a scrolling ticker of the outlet's latest headlines, the image
report box next to the picture and the "Publié dans <SOURCE> le DD - MM - YYYY" line.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from html import escape as _escape
from typing import TYPE_CHECKING

from kiosque.demo.build.model import Article, Site

if TYPE_CHECKING:
    from kiosque.demo.build.fictional import Outlet

__all__ = ["LABELS", "REPORT_BOX", "SECTION_PATHS", "paragraphs", "render_article"]

_FR_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_FR_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
# Moroccan month names (يوليوز، غشت، شتنبر...), as Moroccan outlets print them.
_AR_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر")
_AR_DAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
LABELS = {
    "fr": {
        "politique": "Politique",
        "economie": "Économie",
        "societe": "Société",
        "sport": "Sport",
        "culture": "Culture",
        "monde": "Monde",
        "sciences": "Sciences",
    },
    "ar": {
        "politique": "سياسة",
        "economie": "اقتصاد",
        "societe": "مجتمع",
        "sport": "رياضة",
        "culture": "ثقافة",
        "monde": "دولي",
        "sciences": "علوم",
    },
    "en": {
        "politique": "Politics",
        "economie": "Business",
        "societe": "Morocco",
        "sport": "Sport",
        "culture": "Culture",
        "monde": "World",
        "sciences": "Science",
    },
}
SECTION_PATHS = {
    "fr": {k: k for k in ("politique", "economie", "societe", "sport", "culture", "monde", "sciences")},
    "ar": {
        "politique": "siyasa",
        "economie": "iqtisad",
        "societe": "mujtamaa",
        "sport": "riyada",
        "culture": "thaqafa",
        "monde": "dawli",
        "sciences": "ouloum",
    },
    "en": {
        "politique": "politics",
        "economie": "business",
        "societe": "morocco",
        "sport": "sport",
        "culture": "culture",
        "monde": "world",
        "sciences": "science",
    },
}
_LOCALES = {"fr": "fr_MA", "ar": "ar_MA", "en": "en_GB"}
REPORT_BOX = (
    "Merci d'avoir signalé!",
    "Cette image sera automatiquement bloquée après qu'elle soit signalée par plusieurs personnes.",
)


def escape(text: str) -> str:
    """Escape for text and double-quoted attributes; apostrophes stay as typed, as on most sites."""
    return _escape(text, quote=False).replace('"', "&quot;")


def paragraphs(body: str) -> list[str]:
    """The body split into paragraphs of two or three sentences (the set stores one paragraph)."""
    sentences = [s for s in re.split(r"(?<=[.!?؟»])\s+(?=\S)", body.strip()) if s]
    size = 3 if len(sentences) > 6 else 2
    return [" ".join(sentences[i : i + size]) for i in range(0, len(sentences), size)]


def fr_date(moment: datetime) -> str:
    return f"{_FR_DAYS[moment.weekday()]} {moment.day} {_FR_MONTHS[moment.month - 1]} {moment.year} à {moment:%Hh%M}"


def ar_date(moment: datetime) -> str:
    return f"{_AR_DAYS[moment.weekday()]} {moment.day} {_AR_MONTHS[moment.month - 1]} {moment.year} - {moment:%H:%M}"


def _links(articles: list[Article], css: str) -> str:
    items = "".join(f'<li><a href="{escape(a.url)}">{escape(a.title)}</a></li>' for a in articles)
    return f'<ul class="{css}">{items}</ul>'


def _related(article: Article, site: Site, count: int = 4) -> list[Article]:
    others = [a for a in site.newest_first() if a.url != article.url]
    same = [a for a in others if a.section == article.section]
    return (same + [a for a in others if a not in same])[:count]


def _head(outlet: Outlet, article: Article, site: Site, *, lead: str) -> str:
    assert article.published is not None
    image = article.image_url
    feed = site.feeds[0]
    feed_type = {
        "rss": "application/rss+xml",
        "atom": "application/atom+xml",
        "rdf": "application/rdf+xml",
        "jsonfeed": "application/feed+json",
    }.get(feed.kind)
    metas = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(article.title)} - {escape(outlet.name)}</title>",
        f'<meta name="description" content="{escape(lead)}">',
        f'<meta name="author" content="{escape(article.author)}">',
        f'<link rel="canonical" href="{escape(article.url)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{escape(outlet.name)}">',
        f'<meta property="og:locale" content="{_LOCALES[outlet.lang]}">',
        f'<meta property="og:title" content="{escape(article.title)}">',
        f'<meta property="og:description" content="{escape(lead)}">',
        f'<meta property="og:url" content="{escape(article.url)}">',
        f'<meta property="og:image" content="{escape(image)}">' if image else "",
        f'<meta property="article:published_time" content="{article.published.isoformat()}">',
        f'<meta property="article:section" content="{escape(LABELS[outlet.lang][article.section])}">',
        f'<link rel="alternate" type="{feed_type}" href="{escape(feed.url)}">' if feed_type else "",
        f'<link rel="stylesheet" href="https://{outlet.host}/static/css/main.css">',
    ]
    if outlet.style in {"agency", "arabic", "desk"}:
        metas.append(_json_ld(outlet, article, lead=lead))
    direction = "rtl" if outlet.lang == "ar" else "ltr"
    head = "\n".join(m for m in metas if m)
    return f'<!DOCTYPE html>\n<html lang="{outlet.lang}" dir="{direction}">\n<head>\n{head}\n</head>\n'


def _json_ld(outlet: Outlet, article: Article, *, lead: str) -> str:
    assert article.published is not None
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": lead,
        "datePublished": article.published.isoformat(),
        "inLanguage": outlet.lang,
        "mainEntityOfPage": article.url,
        "author": {
            "@type": "Person" if article.author != outlet.bylines[-1] else "Organization",
            "name": article.author,
        },
        "publisher": {"@type": "Organization", "name": outlet.name},
    }
    if article.image_url:
        data["image"] = [article.image_url]
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{payload}</script>'


def _nav(outlet: Outlet, css: str) -> str:
    labels = LABELS[outlet.lang]
    home = {"fr": "Accueil", "ar": "الرئيسية", "en": "Home"}[outlet.lang]
    items = [f'<li><a href="/">{home}</a></li>'] + [
        f'<li><a href="/{path}/">{labels[key]}</a></li>' for key, path in SECTION_PATHS[outlet.lang].items()
    ]
    return f'<nav class="{css}"><ul>{"".join(items)}</ul></nav>'


def _figure(article: Article, credit: str) -> str:
    if not article.image_url:
        return ""
    return (
        f'<figure class="media"><img src="{escape(article.image_url)}" alt="{escape(article.title)}" '
        f'width="640" height="360" loading="eager"><figcaption>{escape(credit)}</figcaption></figure>'
    )


def _body(lead: str, body: str, *, lead_css: str) -> str:
    parts = [f'<p class="{lead_css}"><strong>{escape(lead)}</strong></p>']
    parts += [f"<p>{escape(p)}</p>" for p in paragraphs(body)]
    return "\n".join(parts)


def _seed(outlet: Outlet, article: Article, site: Site, *, lead: str, body: str) -> str:
    assert article.published is not None
    ticker = " ".join(f'<a href="{escape(a.url)}">{escape(a.title)}</a>' for a in site.newest_first()[:12])
    report = (
        f'<div class="report-box" role="dialog"><p class="report-thanks">{REPORT_BOX[0]}</p>'
        f"<p>{REPORT_BOX[1]}</p></div>"
    )
    signal = '<button class="report-image" type="button">Signaler cette image</button>' if article.image_url else ""
    most_read = sorted(site.articles, key=lambda a: a.ref)[:5]
    return f"""<body class="single">
<div class="ticker" id="ticker"><span class="ticker-label">À la une</span><div class="ticker-track">
<marquee behavior="scroll" direction="left" scrollamount="4">{ticker}</marquee></div></div>
<header class="site-header"><a class="logo" href="/">{escape(outlet.name)}</a>
{_nav(outlet, "main-menu")}
<form class="search" action="/recherche/" method="get"><input type="search" name="q" placeholder="Rechercher"></form>
</header>
<main class="page">
<div class="breadcrumb"><a href="/">Accueil</a> ›
<a href="/{article.section}/">{LABELS["fr"][article.section]}</a></div>
<div class="article-image">{_figure(article, "Photo : " + outlet.name)}{signal}
{report if article.image_url else ""}</div>
<div class="article">
<h1 class="article-title">{escape(article.title)}</h1>
<p class="source-line">Publié dans {escape(outlet.name)} le {article.published:%d - %m - %Y}</p>
<div class="article-content">
{_body(lead, body, lead_css="chapo")}
</div>
<p class="byline">{escape(article.author)}</p>
<div class="share">Partager : <a href="https://www.facebook.com/sharer/sharer.php?u={escape(article.url)}">Facebook</a>
<a href="https://twitter.com/intent/tweet?url={escape(article.url)}">X</a>
<a href="https://wa.me/?text={escape(article.url)}">WhatsApp</a></div>
</div>
<aside class="related"><h2>Articles similaires</h2>{_links(_related(article, site), "related-list")}</aside>
<aside class="most-read"><h2>Les plus lus</h2>{_links(most_read, "most-read-list")}</aside>
</main>
<footer class="site-footer"><p>{escape(outlet.name)} — {escape(outlet.description)}. © 2024 Tous droits réservés.</p>
<ul><li><a href="/qui-sommes-nous/">Qui sommes-nous</a></li><li><a href="/contact/">Contact</a></li>
<li><a href="/mentions-legales/">Mentions légales</a></li><li><a href="/publicite/">Publicité</a></li></ul>
<p class="social">Suivez-nous sur Facebook, X et Instagram</p></footer>
<script>document.querySelectorAll(".report-image").forEach(function (b) {{ b.addEventListener("click",
function () {{ b.nextElementSibling.classList.add("open"); }}); }});</script>
</body>
</html>
"""


def _wordpress(outlet: Outlet, article: Article, site: Site, *, lead: str, body: str) -> str:
    assert article.published is not None
    words = sorted({w for w in article.url.split("/")[-2].split("-") if len(w) > 3})[:4]
    tags = "".join(f'<a href="/tag/{w}/" rel="tag">{w}</a> ' for w in words)
    return f"""<body class="post-template-default single single-post">
<div id="page" class="site"><header id="masthead" class="site-header">
<p class="site-title"><a href="/" rel="home">{escape(outlet.name)}</a></p>
<p class="site-description">{escape(outlet.description)}</p>
{_nav(outlet, "main-navigation")}</header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article class="post type-post status-publish format-standard has-post-thumbnail">
<header class="entry-header"><span class="cat-links"><a href="/{article.section}/" rel="category tag">
{LABELS["fr"][article.section]}</a></span>
<h1 class="entry-title">{escape(article.title)}</h1>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published"
datetime="{article.published.isoformat()}">{fr_date(article.published)}</time></span>
<span class="byline"> Par <span class="author vcard"><a class="url fn n" href="/auteur/">{escape(article.author)}</a>
</span></span></div></header>
<div class="post-thumbnail">{_figure(article, "© " + outlet.name)}</div>
<div class="entry-content">
{_body(lead, body, lead_css="has-medium-font-size")}
</div>
<footer class="entry-footer"><span class="tags-links">Mots-clés : {tags}</span></footer>
</article>
<nav class="navigation post-navigation"><h2 class="screen-reader-text">Navigation de l'article</h2>
{_links(_related(article, site, 2), "nav-links")}</nav>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond">
<h3 class="comment-reply-title">Laisser un commentaire</h3><p class="comment-notes">Votre adresse e-mail ne sera
pas publiée. Les champs obligatoires sont indiqués avec *</p></div></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2 class="widget-title">
Articles récents</h2>{_links(site.newest_first()[:5], "recent")}</section></aside></div>
<footer id="colophon" class="site-footer"><div class="site-info">© 2024 {escape(outlet.name)} · Fièrement propulsé
par WordPress</div></footer></div>
</body>
</html>
"""


def _agency(outlet: Outlet, article: Article, site: Site, *, lead: str, body: str) -> str:
    assert article.published is not None
    return f"""<body class="depeche">
<header class="top"><a class="brand" href="/fr/">{escape(outlet.name)}</a>
<span class="langs"><a href="/fr/">FR</a> | <a href="/ar/">ع</a> | <a href="/en/">EN</a></span>
{_nav(outlet, "rubriques")}</header>
<main><article class="dispatch">
<h1>{escape(article.title)}</h1>
<div class="dispatch-meta"><time datetime="{article.published.isoformat()}">{article.published:%d/%m/%Y %H:%M}</time>
</div>
{_figure(article, "Photo AAP")}
<div class="dispatch-text">
<p class="dateline">Rabat, {article.published:%d/%m/%Y} (AAP) - {escape(lead)}</p>
{"".join(f"<p>{escape(p)}</p>" for p in paragraphs(body))}
</div>
<p class="copyright">© Agence Atlas Presse. Reproduction et diffusion interdites sans autorisation écrite.</p>
</article>
<aside class="fil"><h2>Fil des dépêches</h2>{_links(site.newest_first()[:6], "fil-list")}</aside></main>
<footer><p>Agence Atlas Presse — Service aux abonnés : abonnements@atlas-presse.ma</p></footer>
</body>
</html>
"""


def _arabic(outlet: Outlet, article: Article, site: Site, *, lead: str, body: str) -> str:
    assert article.published is not None
    section = LABELS["ar"][article.section]
    return f"""<body class="news-single">
<header class="header"><div class="top-bar"><span class="today">{ar_date(article.published)}</span>
<a href="/rss.xml">RSS</a></div><a class="logo" href="/">{escape(outlet.name)}</a>
{_nav(outlet, "menu")}</header>
<div class="breaking"><strong>عاجل:</strong> {_links(site.newest_first()[:3], "breaking-list")}</div>
<main class="container"><article class="news-article">
<span class="category"><a href="/{SECTION_PATHS["ar"][article.section]}/">{section}</a></span>
<h1 class="news-title">{escape(article.title)}</h1>
<div class="news-meta"><span class="author">{escape(article.author)}</span>
<time datetime="{article.published.isoformat()}">{ar_date(article.published)}</time></div>
{_figure(article, "صورة: " + outlet.name)}
<div class="news-body">
{_body(lead, body, lead_css="excerpt")}
</div>
<div class="share-bar">شارك: <a href="https://www.facebook.com/sharer.php?u={escape(article.url)}">فيسبوك</a>
<a href="https://twitter.com/share?url={escape(article.url)}">تويتر</a></div>
</article>
<aside class="related"><h3>مقالات ذات صلة</h3>{_links(_related(article, site), "related-news")}</aside>
<aside class="most-read"><h3>الأكثر قراءة</h3>{_links(site.newest_first()[4:9], "top-news")}</aside></main>
<footer class="footer"><p>جميع الحقوق محفوظة © 2024 {escape(outlet.name)}</p>
<ul><li><a href="/about">من نحن</a></li><li><a href="/contact">اتصل بنا</a></li>
<li><a href="/privacy">سياسة الخصوصية</a></li></ul></footer>
</body>
</html>
"""


def _desk(outlet: Outlet, article: Article, site: Site, *, lead: str, body: str) -> str:
    assert article.published is not None
    return f"""<body class="article">
<a class="skip" href="#maincontent">Skip to main content</a>
<header class="masthead"><a class="wordmark" href="/">{escape(outlet.name)}</a>
{_nav(outlet, "primary-nav")}<a class="subscribe" href="/subscribe">Support us</a></header>
<main id="maincontent"><article class="story">
<p class="kicker"><a href="/{SECTION_PATHS["en"][article.section]}/">{LABELS["en"][article.section]}</a></p>
<h1 class="headline">{escape(article.title)}</h1>
<p class="standfirst">{escape(lead)}</p>
<p class="byline">By {escape(article.author)} · <time datetime="{article.published.isoformat()}">
{article.published:%a %d %b %Y %H.%M}</time></p>
{_figure(article, "Illustration: " + outlet.name)}
<div class="article-body">
{"".join(f"<p>{escape(p)}</p>" for p in paragraphs(body))}
</div>
<div class="newsletter-signup"><h2>Sign up to The Daily Desk</h2><p>Our morning email breaks down the key stories
of the day, telling you what's happening and why it matters.</p><form><input type="email" placeholder="Email">
<button>Sign up</button></form></div>
</article>
<aside class="most-viewed"><h2>Most viewed</h2>{_links(site.newest_first()[:5], "most-viewed-list")}</aside>
</main>
<footer class="site-footer"><p>© 2024 Global Desk News Ltd. All rights reserved.</p>
<ul><li><a href="/about">About us</a></li><li><a href="/terms">Terms</a></li><li><a href="/privacy">Privacy</a></li>
</ul></footer>
</body>
</html>
"""


_STYLES = {"seed": _seed, "wordpress": _wordpress, "agency": _agency, "arabic": _arabic, "desk": _desk}


def render_article(outlet: Outlet, article: Article, site: Site, *, lead: str, body: str) -> bytes:
    page = _head(outlet, article, site, lead=lead) + _STYLES[outlet.style](outlet, article, site, lead=lead, body=body)
    return page.encode("utf-8")
