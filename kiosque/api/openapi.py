"""The OpenAPI 3.1 document of API v1, written by hand (see the package docstring for why) and checked by the
tests: the document against the OpenAPI schema, every endpoint's real responses against it."""

from __future__ import annotations

from typing import Any

from kiosque.api.params import DEFAULT_LIMIT, MAX_LIMIT

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: Schema, *, description: str = "") -> Schema:
    schema: Schema = {"type": "object", "properties": properties, "required": sorted(properties),
                      "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def _nullable(schema: Schema) -> Schema:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


STRING, INTEGER = {"type": "string"}, {"type": "integer"}
URL = {"type": "string", "format": "uri"}
WHEN = {"type": "string", "format": "date-time"}

IMAGE = _object({
    "id": INTEGER, "url": URL, "thumb_url": URL, "width": INTEGER, "height": INTEGER,
    "thumb_width": INTEGER, "thumb_height": INTEGER,
    "state": {"type": "string", "enum": ["ok", "protected"], "description": "blocked images are never shown"},
}, description="Our own copies of the article's image (display size and thumbnail); publishers are never hotlinked.")
SOURCE_REF = _object({"slug": STRING, "name": STRING, "homepage": _nullable(STRING), "url": URL})
CATEGORY_REF = _object({"slug": STRING, "name": STRING})
_ARTICLE_PROPERTIES: Schema = {
    "id": INTEGER,
    "url": {**URL, "description": "our article page"},
    "canonical_url": {**STRING, "description": "the publisher's page, as the publisher gives it"},
    "title": STRING,
    "lead": {**STRING, "description": "plain text"},
    "language": _nullable({**STRING, "description": "ISO 639-1 code of the article's language"}),
    "author": _nullable(STRING),
    "published": WHEN,
    "updated": WHEN,
    "source": _ref("SourceRef"),
    "categories": {"type": "array", "items": _ref("CategoryRef")},
    "image": _nullable(_ref("Image")),
    "story": _nullable({**INTEGER, "description": "id of the article's story (GET /stories/{id})"}),
    "wire_of": _nullable({**INTEGER, "description": "the earliest copy of the agency dispatch it republishes"}),
    "wire_count": {**INTEGER, "description": "how many other outlets carry the same agency dispatch"},
}
ARTICLE = _object(_ARTICLE_PROPERTIES)
ARTICLE_DETAIL = _object({
    **_ARTICLE_PROPERTIES,
    "excerpt": {"type": "array", "items": STRING,
                "description": "the opening paragraphs after the lead that the source's excerpt policy lets us show"},
})
ARTICLE_PAGE = _object({
    "items": {"type": "array", "items": _ref("Article")},
    "limit": INTEGER,
    "next": _nullable({**URL, "description": "the next page (same filters), or null on the last page"}),
})
SEARCH_PAGE = _object({
    "query": STRING, "total": INTEGER, "page": INTEGER, "per_page": INTEGER, "pages": INTEGER,
    "next": _nullable(URL), "previous": _nullable(URL),
    "items": {"type": "array", "items": _ref("Article")},
})
SOURCE = _object({
    "slug": STRING, "name": STRING, "homepage": _nullable(STRING),
    "languages": {"type": "array", "items": STRING}, "country": _nullable(STRING),
    "article_count": INTEGER, "last_change": _nullable(WHEN), "url": URL,
    "feeds": {"type": "array", "items": _object({"url": STRING, "kind": STRING}),
              "description": "the publisher's own feeds we read"},
})
CATEGORY = _object(
    {"slug": STRING, "name": STRING, "article_count": INTEGER, "last_change": _nullable(WHEN), "url": URL}
)
COUNTS = {"type": "object", "additionalProperties": INTEGER}
_STORY_PROPERTIES: Schema = {
    "id": INTEGER,
    "url": {**URL, "description": "our story page"},
    "title": {**STRING, "description": "in the language of the first report (an editor's title first)"},
    "titles": {"type": "object", "additionalProperties": STRING, "description": "{language: title}"},
    "first_published": _nullable(WHEN),
    "last_published": _nullable(WHEN),
    "article_count": INTEGER,
    "source_count": INTEGER,
    "languages": {**COUNTS, "description": "articles per language"},
    "sources": {**COUNTS, "description": "articles per source slug"},
    "first_reporter": _nullable(_object({"article": INTEGER, "source": STRING})),
    "pinned": {"type": "boolean", "description": "pinned by an editor at the top of the front page"},
    "feed": {**URL, "description": "Atom feed of the story (also /rss/ and /json/)"},
}
STORY = _object(_STORY_PROPERTIES, description="All coverage of one event, across outlets and languages.")
EVIDENCE = _object({
    "method": {"type": "string", "enum": ["assign", "repair", "editor", "alone"]},
    "matched": _nullable({**INTEGER, "description": "the article it was matched with"}),
    "score": _nullable({"type": "number"}),
    "similarity": _nullable({"type": "number", "description": "cosine of the multilingual embeddings"}),
    "shared_names": {"type": "array", "items": STRING},
    "shared_numbers": {"type": "array", "items": STRING},
    "wire": {"type": "boolean", "description": "a copy of the same agency dispatch"},
}, description="Why the article is in the story.")
STORY_ARTICLE = _object({**_ARTICLE_PROPERTIES, "evidence": _nullable(_ref("Evidence"))})
STORY_DETAIL = _object({
    **_STORY_PROPERTIES,
    "articles": {"type": "array", "items": _ref("StoryArticle"), "description": "earliest first"},
})
STORY_PAGE = _object({
    "items": {"type": "array", "items": _ref("Story")},
    "limit": INTEGER,
    "next": _nullable({**URL, "description": "the next page, or null on the last page"}),
})
ERROR = _object({"error": _object({"code": STRING, "message": STRING})})

SCHEMAS: Schema = {
    "Image": IMAGE, "SourceRef": SOURCE_REF, "CategoryRef": CATEGORY_REF, "Article": ARTICLE,
    "ArticleDetail": ARTICLE_DETAIL, "ArticlePage": ARTICLE_PAGE, "SearchPage": SEARCH_PAGE,
    "Source": SOURCE, "SourceList": _object({"items": {"type": "array", "items": _ref("Source")}}),
    "Category": CATEGORY, "CategoryList": _object({"items": {"type": "array", "items": _ref("Category")}}),
    "Story": STORY, "StoryDetail": STORY_DETAIL, "StoryPage": STORY_PAGE, "StoryArticle": STORY_ARTICLE,
    "Evidence": EVIDENCE,
    "Error": ERROR,
}


def _param(name: str, schema: Schema, description: str, *, where: str = "query", required: bool = False) -> Schema:
    return {"name": name, "in": where, "required": required, "description": description, "schema": schema}


LANGUAGE = {"type": "string", "pattern": "^[a-z]{2,3}$"}
DATE_PARAM = {"type": "string", "description": "ISO 8601 date or date-time; without an offset, UTC"}
SOURCE_PARAM = _param("source", STRING, "a source's slug (400 if unknown)")
LIST_PARAMETERS = [
    _param("language", LANGUAGE, "only articles in this language"),
    SOURCE_PARAM,
    _param("category", STRING, "a category's slug (400 if unknown)"),
    _param("since", DATE_PARAM, "only articles published or updated at or after this time"),
    _param("q", STRING, "full-text filter: the newest of the 1,000 best matches"),
    _param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}, "page size"),
    _param("cursor", STRING, "opaque position from a previous page's `next` URL"),
]
STORY_PARAMETERS = [
    _param("language", LANGUAGE, "only stories covered in this language"),
    _param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}, "page size"),
    _param("cursor", STRING, "opaque position from a previous page's `next` URL"),
]
SEARCH_PARAMETERS = [
    _param("q", STRING, "the words to find (all must match)", required=True),
    _param("lang", LANGUAGE, "only articles in this language (and its analyzer)"),
    SOURCE_PARAM,
    _param("since", DATE_PARAM, "published at or after"),
    _param("until", DATE_PARAM, "published before"),
    _param("page", {"type": "integer", "minimum": 1, "default": 1}, "page number (20 results a page)"),
]
_HEADERS = {
    "ETag": {"schema": STRING, "description": "changes whenever the content changes"},
    "Last-Modified": {"schema": STRING},
    "Access-Control-Allow-Origin": {"schema": {"type": "string", "const": "*"}},
}


def _json(schema_name: str, description: str, *, headers: bool = False) -> Schema:
    response: Schema = {"description": description, "content": {"application/json": {"schema": _ref(schema_name)}}}
    if headers:
        response["headers"] = _HEADERS
    return response


def _get(summary: str, ok: str, *, parameters: list[Schema] | None = None, errors: tuple[str, ...] = ()) -> Schema:
    responses: Schema = {"200": _json(ok, "OK", headers=True), "304": {"description": "Not Modified (ETag or date)"}}
    for status in errors:
        responses[status] = _json("Error", {"400": "Bad parameter", "404": "Not found"}[status])
    operation: Schema = {"summary": summary, "responses": responses}
    if parameters:
        operation["parameters"] = parameters
    return {"get": operation}


def document() -> Schema:
    openapi_self = _get("This document", "OpenAPI")
    openapi_self["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {"type": "object"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kiosque API", "version": "1.0.0",
            "description": "Read-only access to the articles Kiosque gathers. Every GET answers with an ETag and a "
            "Last-Modified (304 on revalidation) and `Access-Control-Allow-Origin: *`; errors are "
            '`{"error": {"code", "message"}}`.',
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/articles": _get("Articles, newest first (cursor pagination)", "ArticlePage",
                              parameters=LIST_PARAMETERS, errors=("400",)),
            "/articles/{id}": _get("One article", "ArticleDetail", errors=("404",),
                                   parameters=[_param("id", INTEGER, "article id", where="path", required=True)]),
            "/stories": _get("Stories, the most recently covered first (cursor pagination)", "StoryPage",
                             parameters=STORY_PARAMETERS, errors=("400",)),
            "/stories/{id}": _get("One story with its coverage and why each article is in it", "StoryDetail",
                                  errors=("404",),
                                  parameters=[_param("id", INTEGER, "story id", where="path", required=True)]),
            "/sources": _get("Enabled sources", "SourceList"),
            "/categories": _get("Categories with articles", "CategoryList"),
            "/search": _get("Full-text search, best matches first (page pagination)", "SearchPage",
                            parameters=SEARCH_PARAMETERS, errors=("400",)),
            "/openapi.json": openapi_self,
        },
        "components": {"schemas": SCHEMAS},
    }
