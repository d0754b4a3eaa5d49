"""Output side for feed readers and search engines: RSS 2.0, Atom and JSON Feed 1.1 feeds, sitemaps, a Google News
sitemap and an OPML list of the sources. Reads only through the articles and sources selectors."""
