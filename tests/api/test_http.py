"""The envelope of every endpoint: ETag/Last-Modified and 304, CORS for reads only, JSON errors."""

from __future__ import annotations

import pytest

from kiosque.articles.services import content_changed

pytestmark = pytest.mark.django_db
READS = ["/api/v1/articles", "/api/v1/articles/{id}", "/api/v1/sources", "/api/v1/categories",
         "/api/v1/search?q=prix", "/api/v1/openapi.json"]


def url_of(corpus, template: str) -> str:
    return template.format(id=corpus.articles["economie"].pk)


@pytest.mark.parametrize("template", READS)
def test_every_get_revalidates(client, corpus, template):
    url = url_of(corpus, template)
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/json"
    assert first["ETag"] and first["Last-Modified"] and "must-revalidate" in first["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    assert client.get(url, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    content_changed()
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


@pytest.mark.parametrize("template", READS)
def test_reads_are_open_to_every_origin(client, corpus, template):
    url = url_of(corpus, template)
    for response in (client.get(url, headers={"Origin": "https://elsewhere.example"}), client.head(url)):
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "ETag" in response["Access-Control-Expose-Headers"]


def test_preflight_allows_reads_with_revalidation_headers(client, corpus):
    response = client.options("/api/v1/articles", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "if-none-match" in response["Access-Control-Allow-Headers"].lower()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused_without_cors(client, corpus, method):
    response = getattr(client, method)("/api/v1/articles", headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "Access-Control-Allow-Origin" not in response
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/nothing", "/api/v1/articles/12/comments"])
def test_unknown_endpoints_are_json_404(client, corpus, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_errors_are_not_cached_or_tagged(client, corpus):
    response = client.get("/api/v1/articles", {"limit": "500"})
    assert response.status_code == 400 and "ETag" not in response
    assert response["Access-Control-Allow-Origin"] == "*"  # a cross-origin page can read why
