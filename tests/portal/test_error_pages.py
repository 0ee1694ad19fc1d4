"""Error pages in the reader's language, with nothing of the failure in them."""

import pytest
from django.test import Client, override_settings

from tests.helpers import soup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "direction"),
    [
        ("en", "Something went wrong", "ltr"),
        ("fr", "Une erreur s'est produite", "ltr"),
        ("ar", "حدث خطأ ما", "rtl"),
        ("es", "Algo ha fallado", "ltr"),
    ],
)
@override_settings(ROOT_URLCONF="tests.portal.failing_urls")
def test_a_server_error_is_told_in_the_readers_language(language, heading, direction):
    response = Client(raise_request_exception=False).get(f"/{language}/failing/")
    assert response.status_code == 500
    page = soup(response)
    assert (page.html["lang"], page.html["dir"]) == (language, direction)
    assert page.h1.get_text(strip=True) == heading
    assert "RuntimeError" not in response.content.decode()
    assert "must not see" not in response.content.decode()


@pytest.mark.parametrize("language", ["fr", "ar", "es"])
def test_a_missing_page_is_told_in_the_readers_language(client, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    assert soup(response).html["lang"] == language
    assert "Page not found" not in response.content.decode()
