"""Find out which engine answers at a URL and build its adapter.

Rule (from each product's root endpoint): OpenSearch reports ``version.distribution ==
"opensearch"``; Elasticsearch reports no distribution and the tagline "You Know, for Search".
"""

import json
import ssl
import urllib.error
import urllib.request
from base64 import b64encode
from urllib.parse import unquote, urlsplit, urlunsplit

from .base import EngineTimedOut, EngineUnavailable, WritePolicy
from .elasticsearch import ElasticsearchEngine
from .opensearch import OpenSearchEngine

SUPPORTED = {"opensearch": (2, 3), "elasticsearch": (8, 9)}


def connect(
    url, *, timeout=5.0, verify_certs=True, ca_certs=None, identify_timeout=None, writes=None
):
    """The adapter for the cluster at ``url``; raises ``EngineUnavailable`` or ``ValueError``.

    ``url`` may name several nodes of one cluster, separated by commas (``cluster_urls``): the
    client then sends each request to the next node in turn and, when one cannot be reached,
    tries the others before the request fails, so a node that dies costs readers nothing.

    ``timeout`` (seconds) is the client's for every read; writes wait and retry as ``writes``
    (a ``WritePolicy``) says; ``identify_timeout`` (default ``timeout``) bounds the first
    request, which reads the root endpoint to recognise the product.
    ``ValueError`` means the cluster answered but is not a supported product or major version.
    """
    urls = cluster_urls(url)
    root = first_root_endpoint(
        urls, timeout=identify_timeout or timeout, verify_certs=verify_certs, ca_certs=ca_certs
    )
    product, version = identify(root)
    engine_class = OpenSearchEngine if product == "opensearch" else ElasticsearchEngine
    return engine_class.from_url(
        urls,
        version,
        timeout=timeout,
        verify_certs=verify_certs,
        ca_certs=ca_certs,
        writes=writes or WritePolicy(),
    )


def cluster_urls(url):
    """The node URLs in ``url`` (one, or several separated by commas), in order."""
    return [part.strip() for part in url.split(",") if part.strip()]


def first_root_endpoint(urls, **options):
    """The root endpoint of the first node of ``urls`` that answers (``read_root_endpoint``);
    raises the last node's ``EngineUnavailable`` when none does."""
    for url in urls[:-1]:
        try:
            return read_root_endpoint(url, **options)
        except EngineUnavailable:
            continue
    return read_root_endpoint(urls[-1], **options)


def identify(root):
    """``(product, version)`` from a root endpoint reply; raises ``ValueError`` if unsupported."""
    version = root.get("version", {})
    number = str(version.get("number", ""))
    product = "opensearch" if version.get("distribution") == "opensearch" else "elasticsearch"
    if product == "elasticsearch" and root.get("tagline") != "You Know, for Search":
        raise ValueError(f"the cluster is neither Elasticsearch nor OpenSearch: {root!r:.200}")
    major = int(number.split(".")[0]) if number[:1].isascii() and number[:1].isdigit() else 0
    if major not in SUPPORTED[product]:
        supported = " or ".join(str(v) for v in SUPPORTED[product])
        raise ValueError(f"{product} {number} is not supported (need {supported}.x)")
    return product, number


def read_root_endpoint(url, *, timeout, verify_certs, ca_certs):
    """GET ``url``/ as JSON; credentials in the URL are sent as HTTP basic auth."""
    parts = urlsplit(url)
    headers = {"Accept": "application/json"}
    if parts.username:
        credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        token = b64encode(credentials.encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    bare = urlunsplit((parts.scheme, netloc, parts.path or "/", "", ""))
    context = ssl.create_default_context(cafile=ca_certs)
    if not verify_certs:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    request = urllib.request.Request(bare, headers=headers)  # noqa: S310  (http(s) URL from settings)
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as reply:  # noqa: S310
            return json.load(reply)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        failure = EngineTimedOut if isinstance(reason, TimeoutError) else EngineUnavailable
        raise failure(f"no search engine answers at {bare}: {error}") from error
