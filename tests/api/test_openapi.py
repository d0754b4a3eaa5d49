"""The OpenAPI 3.1 document is valid, describes every endpoint, and every endpoint's real responses (successes
and errors) match the schema it declares."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.syndication.builders import build_many

pytestmark = pytest.mark.django_db

# (path template in the document, concrete path and query, expected status)
CALLS = [
    ("/articles", "/articles", 200),
    ("/articles", "/articles?limit=2&language=fr", 200),
    ("/articles", "/articles?q=prix&category=%C3%A9conomie", 200),
    ("/articles", "/articles?since=yesterday", 400),
    ("/articles/{id}", "/articles/{economie}", 200),
    ("/articles/{id}", "/articles/{politique}", 200),  # blocked image: null
    ("/articles/{id}", "/articles/{markets}", 200),  # no image, several categories
    ("/articles/{id}", "/articles/{unknown-language}", 200),  # no language, no author, no homepage
    ("/articles/{id}", "/articles/999999", 404),
    ("/stories", "/stories", 200),
    ("/stories", "/stories?limit=1&language=ar", 200),
    ("/stories", "/stories?language=not-a-language", 400),
    ("/stories/{id}", "/stories/{story:prices}", 200),
    ("/stories/{id}", "/stories/999999", 404),
    ("/sources", "/sources", 200),
    ("/categories", "/categories", 200),
    ("/search", "/search?q=title+bulk&page=2", 200),
    ("/search", "/search", 400),
    ("/openapi.json", "/openapi.json", 200),
]


def registry_of(spec: dict) -> Registry:
    """The document as a JSON Schema resource, so "#/components/schemas/..." references resolve in it."""
    return Registry().with_resource("urn:kiosque-api", Resource.from_contents(spec, default_specification=DRAFT202012))


@pytest.fixture
def spec(client, db):
    return client.get("/api/v1/openapi.json").json()


def test_the_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"] == "3.1.0"
    validate(spec)


def test_every_documented_path_is_exercised(spec):
    assert {template for template, _, _ in CALLS} == set(spec["paths"])


@pytest.mark.parametrize(("template", "call", "status"), CALLS)
def test_real_responses_match_the_schema(client, spec, corpus, template, call, status):
    build_many(corpus, 25)
    path = re.sub(r"\{([\w-]+)\}", lambda m: str(corpus.articles[m.group(1)].pk), call)
    path = re.sub(r"\{story:([\w-]+)\}", lambda m: str(corpus.stories[m.group(1)].pk), path)
    response = client.get(f"/api/v1{path}")
    assert response.status_code == status
    declared = spec["paths"][template]["get"]["responses"][str(status)]
    schema = declared["content"]["application/json"]["schema"]
    validator = Draft202012Validator(
        {"$ref": f"urn:kiosque-api#{schema['$ref'][1:]}"} if "$ref" in schema else schema,
        registry=registry_of(spec), format_checker=FormatChecker(),
    )
    errors = sorted(validator.iter_errors(response.json()), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    for header in declared.get("headers", {}):
        assert header in response


def test_the_schema_rejects_what_it_should(spec):
    """The schemas are strict enough to catch drift: an unknown field or a missing one fails."""
    validator = Draft202012Validator({"$ref": "urn:kiosque-api#/components/schemas/Error"}, registry=registry_of(spec))
    assert validator.is_valid({"error": {"code": "x", "message": "y"}})
    assert not validator.is_valid({"error": {"code": "x"}})
    assert not validator.is_valid({"error": {"code": "x", "message": "y", "extra": 1}})
