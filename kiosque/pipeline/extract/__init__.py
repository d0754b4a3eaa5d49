"""Article extraction: page HTML -> title, lead, plain text, sanitised HTML and page metadata.

    extract(html: str | bytes, options: ExtractOptions) -> ExtractedArticle
    raises ExtractError (kiosque.pipeline.errors) with a readable reason when the page has no
    usable article: not HTML, a JavaScript shell, too little text, an invalid per-source rule.

trafilatura is the engine, used as a library behind this one call; `ExtractedArticle.html` is
sanitised by nh3 as the very last step.
"""

from __future__ import annotations

from .core import extract

__all__ = ["extract"]
