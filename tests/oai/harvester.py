"""A real OAI-PMH harvester (Sickle) whose HTTP goes through Django's test client.

Sickle sends each request with ``requests``; ``TestClientSickle._request`` hands it to the test
client instead, so every request runs inside the test's database transaction while Sickle does all
the protocol work: building requests, following resumption tokens, parsing records and turning
``<error>`` elements into exceptions.
"""

import requests
from django.test import Client
from requests.structures import CaseInsensitiveDict
from sickle import Sickle

ENDPOINT = "http://testserver/oai/"


class TestClientSickle(Sickle):
    __test__ = False

    def __init__(self, http_method="GET", **kwargs):
        super().__init__(ENDPOINT, http_method=http_method, max_retries=0, **kwargs)
        self.client = Client()
        self.requests = []

    def _request(self, kwargs):
        self.requests.append(dict(kwargs))
        if self.http_method == "GET":
            answer = self.client.get("/oai/", kwargs)
        else:
            answer = self.client.post("/oai/", kwargs)
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(answer.headers)
        response.encoding = "utf-8"
        response.url = ENDPOINT
        return response
