"""Builds kiosque/demo/snapshot/ from the shared corpora (see scripts/build_demo_snapshot.py).

Deterministic: the same inputs give byte-identical files (gzip without timestamps, fixed
dates, images drawn from hashes of their URLs, JSON with a fixed key order).
"""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosque.demo.build import feeds, images
from kiosque.demo.build.fictional import IMAGE_GROUP, load_fictional_sites
from kiosque.demo.build.model import BUILD_EPOCH, Article, File, Site
from kiosque.demo.build.readme import render_readme
from kiosque.demo.build.real import load_real_sites
from kiosque.demo.store import key_of_url, url_to_file

__all__ = ["MAX_TOTAL_BYTES", "build_snapshot", "collect"]

MAX_TOTAL_BYTES = 15 * 1024 * 1024
HTML = "text/html; charset=utf-8"


class Collector:
    """Files by URL key; refuses two different bodies for one URL or two URLs for one file name."""

    def __init__(self) -> None:
        self.files: dict[str, File] = {}

    def add(self, url: str, body: bytes, content_type: str, last_modified: datetime) -> None:
        key = key_of_url(url)
        known = self.files.get(key)
        if known is not None:
            if known.body != body:
                raise ValueError(f"two different bodies for {url}")
            return
        self.files[key] = File(url=url, body=body, content_type=content_type, last_modified=last_modified)


def _images(sites: list[Site], out: Collector) -> dict[str, int]:
    """Placeholder pictures at each article's image URL; returns their sizes (for feed enclosures)."""
    group: dict[str, bytes] = {}
    sizes: dict[str, int] = {}
    for site in sites:
        for article in site.articles:
            if not article.image_url or key_of_url(article.image_url) in out.files:
                continue
            if article.image_group:
                if "original" not in group:
                    group["original"] = images.placeholder_jpeg(
                        IMAGE_GROUP, label="Agence Atlas Presse", subtitle="photo d'agence"
                    )
                picture = group["original"]
                if article.image_variant == "resized":
                    picture = images.resized_jpeg(picture)
            else:
                host = urlsplit(article.url).netloc
                picture = images.placeholder_jpeg(article.image_url, label=site.name, subtitle=host)
            out.add(article.image_url, picture, "image/jpeg", feeds.article_last_modified(article))
            sizes[article.image_url] = len(picture)
    return sizes


def _site_files(site: Site, sizes: dict[str, int], out: Collector) -> None:
    for article in site.articles:
        out.add(article.url, article.html, HTML, feeds.article_last_modified(article))
    newest = max((a.published for a in site.articles if a.published), default=BUILD_EPOCH)
    for spec in site.feeds:
        if spec.kind == "listing":
            continue  # the real section front, added with the replay listings
        body, content_type = feeds.render_feed(site, spec, sizes)
        out.add(spec.url, body, content_type, newest)
    out.add(site.homepage, feeds.render_homepage(site), HTML, newest)
    sitemaps = [s.url for s in site.feeds if s.kind == "sitemap"]
    out.add(
        f"https://{site.host}/robots.txt",
        feeds.render_robots(site, sitemaps=sitemaps),
        "text/plain; charset=utf-8",
        BUILD_EPOCH,
    )


def collect(data: Path) -> tuple[list[Site], Collector]:
    """Every site and every file the server will answer, from the shared data directory."""
    real_sites, listings = load_real_sites(data / "replay")
    sites = load_fictional_sites(data / "clustering") + real_sites
    out = Collector()
    sizes = _images(sites, out)
    for site in sites:
        _site_files(site, sizes, out)
    for url, body in listings:
        out.add(url, body, HTML, BUILD_EPOCH)
    site_hosts = {site.host for site in sites}
    for host in sorted({urlsplit(f.url).netloc.lower() for f in out.files.values()} - site_hosts):
        out.add(f"https://{host}/robots.txt", feeds.render_robots(None), "text/plain; charset=utf-8", BUILD_EPOCH)
    return sites, out


def _article_entry(article: Article) -> dict[str, Any]:
    return {
        "url": article.url,
        "site": article.site,
        "lang": article.lang,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "image_url": article.image_url,
        "story": article.story,
        "wire": article.wire,
        "section": article.section or None,
        "origin": article.origin,
        "ref": article.ref,
        "image_group": article.image_group,
        "image_variant": article.image_variant,
        "disallowed": article.disallowed,
    }


def _site_entry(site: Site) -> dict[str, Any]:
    return {
        "slug": site.slug,
        "name": site.name,
        "host": site.host,
        "homepage": site.homepage,
        "languages": site.languages,
        "country": site.country,
        "origin": site.origin,
        "feeds": [{"url": f.url, "kind": f.kind, "listing_selector": f.listing_selector} for f in site.feeds],
        "extraction_rules": {"remove_selectors": site.remove_selectors, "body_selector": site.body_selector},
        "robots_disallow": site.disallow,
    }


def manifest_of(sites: list[Site], out: Collector) -> dict[str, Any]:
    resources = [
        {
            "url": f.url,
            "file": url_to_file(f.url),
            "content_type": f.content_type,
            "last_modified": format_datetime(f.last_modified.astimezone(BUILD_EPOCH.tzinfo), usegmt=True),
        }
        for f in sorted(out.files.values(), key=lambda f: f.url)
    ]
    files = [r["file"] for r in resources]
    if len(set(files)) != len(files):
        raise ValueError("two URLs map to one file name")
    return {
        "version": 1,
        "description": "Kiosque demo snapshot: real publisher pages (replay corpus) and fictional outlets "
        "(hand-written clustering set), with generated feeds, robots.txt, homepages and placeholder images. "
        "Offline demo and tests only; the real pages remain their publishers' copyrighted content.",
        "sites": [_site_entry(s) for s in sites],
        "resources": resources,
        "articles": [_article_entry(a) for s in sites for a in s.newest_first()],
    }


def build_snapshot(data: Path, out_dir: Path) -> dict[str, Any]:
    """Write manifest.json and files/ under out_dir (its previous files/ is replaced)."""
    sites, out = collect(data)
    manifest = manifest_of(sites, out)
    shutil.rmtree(out_dir / "files", ignore_errors=True)
    by_url = {f.url: f for f in out.files.values()}
    total = 0
    for resource in manifest["resources"]:
        target = out_dir / resource["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        packed = gzip.compress(by_url[resource["url"]].body, compresslevel=9, mtime=0)
        target.write_bytes(packed)
        total += len(packed)
    text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
    (out_dir / "manifest.json").write_text(text, encoding="utf-8")
    readme = render_readme(manifest)
    (out_dir / "README.md").write_text(readme, encoding="utf-8")
    total += len(text.encode("utf-8")) + len(readme.encode("utf-8"))
    if total > MAX_TOTAL_BYTES:
        raise ValueError(f"snapshot is {total} bytes, over the {MAX_TOTAL_BYTES} budget")
    manifest["_total_bytes"] = total
    return manifest
