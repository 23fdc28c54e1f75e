from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


@pytest.mark.django_db
def test_schema_validates_and_lists_the_kern_endpoints():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid OpenAPI document
    paths = schema["paths"]
    for path in ["/api/v1/kern/frameworks/", "/api/v1/kern/frameworks/{id}/", "/api/v1/kern/areas/",
                 "/api/v1/kern/objectives/", "/api/v1/kern/frameworks/{id}/publish/"]:
        assert path in paths, path


@pytest.mark.django_db
def test_schema_and_docs_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_api_errors_are_json_with_code_and_two_languages(client):
    response = client.get("/api/v1/kern/frameworks/999999/")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert body["message"] == {"nl": "Niet gevonden.", "en": "Not found."}
