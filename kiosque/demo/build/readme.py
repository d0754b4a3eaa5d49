"""README.md written next to the generated snapshot (so the committed data explains itself)."""

from __future__ import annotations

import collections
from typing import Any

__all__ = ["render_readme"]

_TEXT = """# Kiosque demo snapshot (generated: do not edit)

Rebuilt by `scripts/build_demo_snapshot.py` from `shared/data` (replay/ and clustering/dev.jsonl);
served by `python -m kiosque.demo.replay` / `kiosque.demo.ReplayServer`.

{counts}

## What is in it

* Real publisher pages from the replay corpus (public test fixtures of news scrapers and text
  extractors), at their real URLs, bytes unchanged. Their text is the publishers' copyrighted
  content, redistributed upstream as test fixtures: offline demo and tests only, do not republish.
* Five fictional outlets (Agence Atlas Presse, Atlas Matin, L'Écho de Rabat, الأطلس اليوم, Global
  Desk News) rendered from the hand-written clustering set: invented hosts, invented people.
* Generated for every site: a feed of its kept articles (newest first), a homepage with feed
  discovery links, robots.txt; for every image host too: robots.txt.
* Placeholder JPEGs ("Image de démonstration") at each article's og:image URL. The recorded pages
  came without their pictures; none of these is a press photo.

## manifest.json

```
version: 1
sites[]:     slug, name, host, homepage, languages[], country (ISO 3166 alpha-2), origin ("replay"|"clustering"),
             feeds[] {{url, kind: rss|atom|rdf|jsonfeed|sitemap|listing, listing_selector: str|null}},
             extraction_rules {{remove_selectors[], body_selector: str|null}}, robots_disallow[]
resources[]: url, file (gzipped body, relative to this directory), content_type (with charset for text),
             last_modified (HTTP date)
articles[]:  url, site (slug), lang, title, published (ISO 8601 or null), image_url (or null),
             story (clustering label or null), wire (agency copy), section (or null), origin, ref,
             image_group, image_variant ("same": identical bytes, "resized": same picture resized),
             disallowed (robots.txt forbids it although its feed lists it)
```

File names: `files/<host>/<path segments joined with "~">[__q<sha1(query)[:8]>].gz`; the manifest is
the source of truth (see `kiosque.demo.store.url_to_file`).
"""


def render_readme(manifest: dict[str, Any]) -> str:
    langs = collections.Counter(a["lang"] for a in manifest["articles"])
    kinds = collections.Counter(f["kind"] for s in manifest["sites"] for f in s["feeds"])
    counts = (
        f"{len(manifest['sites'])} sites, {len(manifest['articles'])} articles "
        f"({', '.join(f'{k} {v}' for k, v in sorted(langs.items()))}), {len(manifest['resources'])} URLs; "
        f"feeds: {', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}."
    )
    return _TEXT.format(counts=counts)
