"""/sources.opml: the enabled sources as an OPML 2.0 subscription list, in two groups: the publishers' own
feeds (xmlUrl = publisher feed, htmlUrl = homepage) and our per-source output feeds. `?only=publishers` or
`?only=kiosque` keeps one group, so a feed reader importing the file does not subscribe to each outlet twice."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import rfc2822_date
from lxml import etree

from kiosque.sources import selectors as source_selectors
from kiosque.syndication.entries import SITE_NAME, xml_safe

GROUPS = ("publishers", "kiosque")


def sources_opml(request: HttpRequest) -> HttpResponse:
    only = request.GET.get("only")
    if only is not None and only not in GROUPS:
        return HttpResponseBadRequest("only must be publishers or kiosque.", content_type="text/plain; charset=utf-8")
    sources = list(source_selectors.sources_for_output())
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = f"{SITE_NAME} — sources"
    etree.SubElement(head, "dateCreated").text = rfc2822_date(timezone.now())
    etree.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = etree.SubElement(root, "body")
    if only in (None, "publishers"):
        _publishers(etree.SubElement(body, "outline", text="Publishers' feeds"), sources)
    if only in (None, "kiosque"):
        group = etree.SubElement(body, "outline", text=f"{SITE_NAME} feeds")
        _ours(group, sources, absolute=request.build_absolute_uri)
    response = HttpResponse(etree.tostring(root, xml_declaration=True, encoding="UTF-8"),
                            content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kiosque-sources.opml"'
    return response


def _publishers(group: etree._Element, sources: list[Any]) -> None:
    for source in sources:
        for feed in source.output_feeds:
            outline = etree.SubElement(group, "outline", type="rss", text=xml_safe(source.name),
                                       title=xml_safe(source.name), xmlUrl=feed.url)
            if source.homepage:
                outline.set("htmlUrl", source.homepage)
            if len(source.languages or []) == 1:
                outline.set("language", source.languages[0])


def _ours(group: etree._Element, sources: list[Any], *, absolute: Any) -> None:
    for source in sources:
        etree.SubElement(group, "outline", type="rss", text=xml_safe(source.name), title=xml_safe(source.name),
                         xmlUrl=absolute(reverse("syndication:source-rss", args=[source.slug])),
                         htmlUrl=absolute(reverse("portal:source", args=[source.slug])))
