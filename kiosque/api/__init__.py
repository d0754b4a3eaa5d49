"""Read-only JSON API v1 (/api/v1/), with its OpenAPI 3.1 document at /api/v1/openapi.json.

Plain Django views rather than django-ninja: five read-only GET endpoints whose distinctive parts are
hand-made either way (keyset cursors, ETag/304 keyed by the content version, CORS limited to reads, one
error shape), while ninja would bring pydantic, its own error format and 404/405 handling to override. The
OpenAPI document is written by hand in `openapi.py` and the tests validate every endpoint's real responses
(success and error) against it, so the document cannot drift from the code unnoticed.
"""
