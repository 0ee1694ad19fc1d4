"""Taxonomy endpoints, error bodies, CORS and the rate limit."""

import pytest

pytestmark = pytest.mark.django_db


def error_of(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"])
    return body["error"]


def test_root_links_every_endpoint(client):
    body = client.get("/api/v1/").json()
    assert body["items"] == "http://testserver/api/v1/items/"
    assert set(body) == {"items", "lessons", "countries", "themes", "types", "schema"}


def test_countries_per_language(client):
    english = client.get("/api/v1/countries/").json()
    assert english["language"] == "en"
    mali = next(country for country in english["results"] if country["code"] == "ML")
    assert mali == {
        "code": "ML",
        "name": "Mali",
        "items": "http://testserver/api/v1/items/?country=ML",
    }
    assert len(english["results"]) == 12
    french = client.get("/api/v1/countries/", {"language": "fr"}).json()
    names = {country["code"]: country["name"] for country in french["results"]}
    assert names["TD"] == "Tchad"


def test_themes_per_language(client):
    spanish = client.get("/api/v1/themes/", {"language": "es"}).json()
    protection = next(theme for theme in spanish["results"] if theme["slug"] == "protection")
    assert protection["name"] == "Protección"
    assert protection["description"]
    assert protection["items"].endswith("/api/v1/items/?theme=protection")


def test_types_per_language(client):
    body = client.get("/api/v1/types/", {"language": "fr"}).json()
    assert [item["key"] for item in body["results"]] == [
        "lessons_report",
        "practice_brief",
        "policy_note",
    ]
    assert body["language"] == "fr"
    assert all(item["name"] and item["items"].startswith("http") for item in body["results"])


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/api/v1/items/", {"country": "XX"}, "country"),
        ("/api/v1/items/", {"theme": "no-such-theme"}, "theme"),
        ("/api/v1/items/", {"type": "novel"}, "type"),
        ("/api/v1/items/", {"language": "de"}, "language"),
        ("/api/v1/items/", {"year": "1800"}, "year"),
        ("/api/v1/items/", {"year": "twenty"}, "year"),
        ("/api/v1/items/", {"tag": "not a slug!"}, "tag"),
        ("/api/v1/items/", {"published_after": "2024-13-01"}, "published_after"),
        ("/api/v1/items/", {"published_before": "yesterday"}, "published_before"),
        (
            "/api/v1/items/",
            {"published_after": "2024-02-01", "published_before": "2024-01-01"},
            "published_before",
        ),
        ("/api/v1/items/", {"q": "x" * 501}, "q"),
        ("/api/v1/items/", {"q": "a\x00b"}, "q"),
        ("/api/v1/items/", {"q": "*"}, "q"),
        ("/api/v1/items/", {"q": "aid", "published_after": "2024-01-01"}, "published_after"),
        ("/api/v1/items/", {"sort": "colour"}, "sort"),
        ("/api/v1/items/", {"sort": "relevance"}, "sort"),
        ("/api/v1/items/", {"q": "aid", "sort": "title"}, "sort"),
        ("/api/v1/items/", {"page": "0"}, "page"),
        ("/api/v1/items/", {"page": "two"}, "page"),
        ("/api/v1/items/", {"page": ["1", "2"]}, "page"),
        ("/api/v1/items/", {"page": "922337203685477580"}, "page"),
        ("/api/v1/items/", {"sort": "date"}, "sort"),
        ("/api/v1/items/", {"published_after": "2024-5-1"}, "published_after"),
        ("/api/v1/items/", {"published_before": " 2024-05-01"}, "published_before"),
        ("/api/v1/items/", {"page_size": "101"}, "page_size"),
        ("/api/v1/items/", {"page_size": "-1"}, "page_size"),
        ("/api/v1/items/", {"fields": "title,colour"}, "fields"),
        ("/api/v1/items/", {"fields": ","}, "fields"),
        ("/api/v1/items/", {"prefer_language": "xx"}, "prefer_language"),
        ("/api/v1/items/", {"contry": "ML"}, "contry"),
        ("/api/v1/items/1/", {"fields": "nope"}, "fields"),
        ("/api/v1/items/1/", {"country": "ML"}, "country"),
        ("/api/v1/countries/", {"language": "de"}, "language"),
        ("/api/v1/themes/", {"language": "de"}, "language"),
        ("/api/v1/types/", {"page": "1"}, "page"),
    ],
)
def test_each_bad_parameter_is_a_400_naming_it(client, path, params, parameter):
    error = error_of(client.get(path, params), 400)
    assert error["code"] == "bad_parameter"
    assert error["parameter"] == parameter
    assert "\x00" not in error["message"]


def test_unknown_addresses_are_404_with_the_same_body(client):
    for path in ("/api/v1/nothing-here/", "/api/v2/items/", "/api/"):
        error = error_of(client.get(path), 404)
        assert error["code"] == "not_found"


def test_writes_are_refused_with_the_same_body(client):
    error = error_of(client.post("/api/v1/items/", {}), 405)
    assert error["code"] == "method_not_allowed"


def test_cors_on_get_from_any_origin(client):
    response = client.get("/api/v1/countries/", headers={"Origin": "https://example.net"})
    assert response["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight(client):
    response = client.options(
        "/api/v1/items/",
        headers={"Origin": "https://example.net", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_no_cors_outside_the_api(client):
    response = client.get("/en/", headers={"Origin": "https://example.net"})
    assert "Access-Control-Allow-Origin" not in response


def test_rate_limit_answers_429_with_retry_after(client, settings):
    settings.API_RATE = "3/min"
    for _ in range(3):
        assert client.get("/api/v1/types/").status_code == 200
    response = client.get("/api/v1/countries/")
    error = error_of(response, 429)
    assert error["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert error["retry_after"] == int(response["Retry-After"])
    other_client = client.get("/api/v1/types/", REMOTE_ADDR="192.0.2.7")
    assert other_client.status_code == 200


def test_schema_is_openapi_3(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/items/", "/api/v1/items/{id}/", "/api/v1/countries/"} <= set(schema["paths"])
    assert client.get("/api/v1/schema/").status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_rate_limit(client, settings):
    settings.API_RATE = "2/min"
    for _ in range(2):
        client.get("/api/v1/types/")
    response = client.get("/api/v1/types/", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 429


def test_a_bad_sort_is_told_the_sorts_there_are(client):
    error = error_of(client.get("/api/v1/items/", {"sort": "colour"}), 400)
    assert error["message"] == (
        "Sort by one of: relevance, -publication_date, publication_date, title, -title."
    )
