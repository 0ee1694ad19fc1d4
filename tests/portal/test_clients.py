"""One rule for who a request comes from, and limits that parallel requests cannot slip past."""

import threading

import pytest
from django.test import RequestFactory

from portal.clients import ClientRateThrottle, client_address, parse_rate


def request(remote="198.51.100.7", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "203.0.113.5", "198.51.100.7"),
        (1, "10.0.0.2", "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.2", "1.2.3.4, 203.0.113.5", "203.0.113.5"),
        (2, "10.0.0.2", "1.2.3.4, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (0, "2001:db8:1:2:aaaa::1", None, "2001:db8:1:2::/64"),
        (0, "::ffff:198.51.100.7", None, "198.51.100.7"),
        (0, "", None, "unknown"),
    ],
)
def test_the_client_is_the_address_the_trusted_proxies_saw(
    settings, proxies, remote, forwarded, expected
):
    settings.NUM_PROXIES = proxies
    assert client_address(request(remote, forwarded)) == expected


def test_rates_read_like_django_rest_frameworks():
    assert parse_rate("10/hour") == (10, 3600) and parse_rate("120/min") == (120, 60)
    with pytest.raises((ValueError, KeyError)):
        parse_rate("ten a week")


def test_parallel_requests_cannot_all_pass_a_limit():
    """Fifty requests at once get ten passes (a read-then-write count let all fifty through)."""
    allowed, start = [], threading.Barrier(50)

    def attempt():
        start.wait()
        allowed.append(ClientRateThrottle("burst", "10/hour").allow_request(request()))

    threads = [threading.Thread(target=attempt) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 10


def test_a_limit_for_everyone_counts_all_clients_together():
    everyone = ClientRateThrottle("all-of-them", "2/hour", key=lambda request: "all")
    answers = [everyone.allow_request(request(f"198.51.100.{n}")) for n in range(3)]
    assert answers == [True, True, False] and 1 <= everyone.wait() <= 3600
