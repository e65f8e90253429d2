"""The shared HTTP client against a real local server: retries, timeouts, truncation, size cap, robots.txt,
conditional GETs, rate limits. Everything stays on 127.0.0.1."""

from __future__ import annotations

import pickle
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC

import pytest
from http_server import LocalHttpServer, Reply

from pipeline.http import FetchError, HttpClient, HttpConfig, MemoryValidatorCache, ValidatorCache
from pipeline.sources.base import SourceFetchError

FAST = HttpConfig(
    connect_timeout=1.0,
    read_timeout=1.0,
    backoff_base=0.01,
    backoff_max=0.05,
    retry_after_max=5.0,
    requests_per_second_per_host=1000.0,
)
HTML = "text/html; charset=utf-8"
MakeClient = Callable[..., HttpClient]


@pytest.fixture
def server() -> Iterator[LocalHttpServer]:
    with LocalHttpServer() as srv:
        yield srv


@pytest.fixture
def make_client() -> Iterator[MakeClient]:
    clients: list[HttpClient] = []

    def make(validators: ValidatorCache | None = None, **overrides: object) -> HttpClient:
        client = HttpClient(replace(FAST, **overrides), validators=validators)  # type: ignore[arg-type]
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def test_get_json(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/jobs", Reply(body={"jobs": [{"id": 1}]}, headers={"X-Total": "1"}))
    response = make_client().get(server.url("/jobs"), params={"page": 2, "content": "true"})
    assert response.status == 200 and not response.not_modified
    assert response.json() == {"jobs": [{"id": 1}]}
    assert response.headers["x-total"] == "1" and response.content_type == "application/json"
    assert response.url == server.url("/jobs") + "?page=2&content=true"
    assert response.fetched_at.tzinfo == UTC
    assert server.requests_for("/jobs")[0].query == {"page": "2", "content": "true"}


def test_429_honours_retry_after(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/jobs", Reply(429, headers={"Retry-After": "1"}), Reply(body=[1]))
    start = time.monotonic()
    assert make_client().get(server.url("/jobs")).json() == [1]
    assert time.monotonic() - start >= 0.95
    assert len(server.requests_for("/jobs")) == 2


def test_retry_after_is_capped(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/jobs", Reply(503, headers={"Retry-After": "3600"}), Reply(body=[1]))
    start = time.monotonic()
    assert make_client(retry_after_max=0.2).get(server.url("/jobs")).json() == [1]
    assert 0.15 <= time.monotonic() - start < 3


def test_server_errors_are_retried(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/jobs", Reply(500), Reply(503), Reply(body={"ok": True}))
    assert make_client().get(server.url("/jobs")).json() == {"ok": True}
    assert len(server.requests_for("/jobs")) == 3


def test_persistent_503_gives_up_after_max_attempts(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/jobs", Reply(503))
    with pytest.raises(FetchError) as info:
        make_client().get(server.url("/jobs"))
    assert info.value.reason == "HTTP 503 after 4 attempts"
    assert str(info.value) == f"{server.url('/jobs')}: HTTP 503 after 4 attempts"
    assert info.value.retryable and isinstance(info.value, SourceFetchError)
    assert len(server.requests_for("/jobs")) == 4


def test_read_timeout_then_success(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/slow", Reply(body="late", delay=2.0), Reply(body="on time"))
    assert make_client(read_timeout=0.5).get(server.url("/slow")).text() == "on time"
    assert len(server.requests_for("/slow")) == 2


def test_timeout_every_time(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/slow", Reply(body="late", delay=0.6))
    with pytest.raises(FetchError, match="timed out after 3 attempts") as info:
        make_client(read_timeout=0.2, max_attempts=3).get(server.url("/slow"))
    assert info.value.retryable
    assert len(server.requests_for("/slow")) == 3


def test_connection_refused(make_client: MakeClient) -> None:
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as info:
        make_client(max_attempts=2).get(f"http://127.0.0.1:{port}/jobs")
    assert info.value.reason == "connection failed (Connection refused) after 2 attempts"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "not a url"])
def test_bad_urls_fail_without_a_request(make_client: MakeClient, url: str) -> None:
    with pytest.raises(FetchError, match=r"unsupported URL scheme|invalid URL") as info:
        make_client().get(url, html=True)
    assert not info.value.retryable


@pytest.mark.parametrize("chunked", [False, True])
def test_truncated_body_is_retried(server: LocalHttpServer, make_client: MakeClient, chunked: bool) -> None:
    body = "x" * 5000
    server.route("/jobs", Reply(body=body, truncate_to=120, chunked=chunked), Reply(body=body, chunked=chunked))
    assert make_client().get(server.url("/jobs")).text() == body
    assert len(server.requests_for("/jobs")) == 2


def test_always_truncated_body_fails(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/jobs", Reply(body="x" * 5000, truncate_to=120))
    with pytest.raises(FetchError) as info:
        make_client().get(server.url("/jobs"))
    assert info.value.reason == "body truncated (got 120 of 5000 bytes) after 4 attempts"
    assert len(server.requests_for("/jobs")) == 4


def test_html_error_page_where_json_was_expected(server: LocalHttpServer, make_client: MakeClient) -> None:
    page = "<html>\n  <body><h1>Service unavailable</h1>\n<p>Please try again later.</p></body></html>" * 3
    server.route("/api", Reply(body=page, content_type=HTML))
    response = make_client().get(server.url("/api"))
    with pytest.raises(FetchError) as info:
        response.json()
    assert info.value.reason.startswith("expected JSON but got text/html: <html> <body><h1>Service unavailable")
    assert "\n" not in info.value.reason
    assert len(info.value.reason) == len("expected JSON but got text/html: ") + 80


def test_invalid_json_with_json_content_type(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/api", Reply(body='{"jobs": [', content_type="application/json"))
    with pytest.raises(FetchError, match=r"invalid JSON \(.*\): \{\"jobs\": \["):
        make_client().get(server.url("/api")).json()


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_oversized_body_is_refused_and_not_retried(
    server: LocalHttpServer, make_client: MakeClient, chunked: bool
) -> None:
    server.route("/big", Reply(body=b"x" * 200_000, chunked=chunked))
    with pytest.raises(FetchError) as info:
        make_client(max_bytes=100_000).get(server.url("/big"))
    assert info.value.reason == "response larger than 100000 bytes"
    assert not info.value.retryable
    assert len(server.requests_for("/big")) == 1


def test_body_at_the_cap_is_accepted(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/big", Reply(body=b"x" * 100_000, chunked=True))
    assert len(make_client(max_bytes=100_000).get(server.url("/big")).body) == 100_000


def test_charset_decoding(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/latin", Reply(body="Café Zürich".encode("latin-1"), content_type="text/html; charset=iso-8859-1"))
    server.route("/broken", Reply(body=b"ok \xff\xfe\xc3 end", content_type="text/html"))
    client = make_client()
    assert client.get(server.url("/latin")).text() == "Café Zürich"
    assert client.get(server.url("/broken")).text() == "ok \ufffd\ufffd\ufffd end"


def test_404_fails_at_once(server: LocalHttpServer, make_client: MakeClient) -> None:
    with pytest.raises(FetchError) as info:
        make_client().get(server.url("/gone"))
    assert info.value.reason == "HTTP 404" and not info.value.retryable
    assert len(server.requests_for("/gone")) == 1


def test_fetch_error_pickles() -> None:
    error = pickle.loads(pickle.dumps(FetchError("https://a.example/x", "HTTP 503 after 4 attempts", retryable=True)))
    assert (str(error), error.url, error.reason, error.retryable) == (
        "https://a.example/x: HTTP 503 after 4 attempts",
        "https://a.example/x",
        "HTTP 503 after 4 attempts",
        True,
    )


ROBOTS = "User-agent: *\nDisallow: /private\n\nUser-agent: otherbot\nDisallow: /\n"


def test_robots_disallow_and_allow(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/robots.txt", Reply(body=ROBOTS))
    server.route("/private/job", Reply(body="secret", content_type=HTML))
    server.route("/careers", Reply(body="<h1>Jobs</h1>", content_type=HTML))
    client = make_client()
    with pytest.raises(FetchError) as info:
        client.get(server.url("/private/job"), html=True)
    assert info.value.reason == "disallowed by robots.txt" and not info.value.retryable
    assert server.requests_for("/private/job") == []
    assert client.get(server.url("/careers"), html=True).text() == "<h1>Jobs</h1>"
    assert client.get(server.url("/careers"), params={"page": 2}, html=True).status == 200
    assert len(server.requests_for("/robots.txt")) == 1
    robots_request = server.requests_for("/robots.txt")[0]
    assert robots_request.headers["user-agent"] == FAST.user_agent


def test_api_requests_ignore_robots(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/robots.txt", Reply(body="User-agent: *\nDisallow: /\n"))
    server.route("/api/jobs", Reply(body=[]))
    assert make_client().get(server.url("/api/jobs")).json() == []
    assert server.requests_for("/robots.txt") == []


def test_robots_404_allows_everything(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/careers", Reply(body="jobs", content_type=HTML))
    assert make_client().get(server.url("/careers"), html=True).text() == "jobs"
    assert [r.path for r in server.requests] == ["/robots.txt", "/careers"]


def test_robots_5xx_disallows_everything(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/robots.txt", Reply(500))
    server.route("/careers", Reply(body="jobs", content_type=HTML))
    client = make_client(max_attempts=2)
    for _ in range(2):
        with pytest.raises(FetchError, match=r"^.*: disallowed by robots.txt \(robots.txt unavailable: HTTP 500"):
            client.get(server.url("/careers"), html=True)
    assert server.requests_for("/careers") == []
    assert len(server.requests_for("/robots.txt")) == 2  # one fetch (2 attempts), then cached


def test_robots_can_be_switched_off(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/robots.txt", Reply(body="User-agent: *\nDisallow: /\n"))
    server.route("/careers", Reply(body="jobs", content_type=HTML))
    assert make_client(obey_robots=False).get(server.url("/careers"), html=True).text() == "jobs"


def test_conditional_get_with_etag(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/jobs", Reply(body={"v": 1}, headers={"ETag": '"v1"'}), Reply(304, headers={"ETag": '"v1"'}))
    cache = MemoryValidatorCache()
    client = make_client(validators=cache)
    first = client.get(server.url("/jobs"), params={"board": "acme"})
    cache.remember(first.url, first)
    second = client.get(server.url("/jobs"), params={"board": "acme"})
    assert (second.status, second.not_modified, second.body) == (304, True, first.body)
    assert second.json() == {"v": 1} and second.content_type == "application/json"
    sent = [r.headers.get("if-none-match") for r in server.requests_for("/jobs")]
    assert sent == [None, '"v1"']


def test_conditional_get_with_last_modified(server: LocalHttpServer, make_client: MakeClient) -> None:
    stamp = "Wed, 21 Oct 2026 07:28:00 GMT"
    page = "<p>Café</p>".encode("latin-1")
    server.route(
        "/page",
        Reply(body=page, headers={"Last-Modified": stamp}, content_type="text/html; charset=latin-1"),
        Reply(304),
    )
    cache = MemoryValidatorCache()
    client = make_client(validators=cache)
    cache.remember(server.url("/page"), client.get(server.url("/page")))
    second = client.get(server.url("/page"))
    assert second.not_modified and second.text() == "<p>Café</p>" and second.last_modified == stamp
    assert [r.headers.get("if-modified-since") for r in server.requests_for("/page")] == [None, stamp]


def test_responses_without_validators_are_not_remembered(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/jobs", Reply(body=[1]))
    cache = MemoryValidatorCache()
    cache.remember(server.url("/jobs"), make_client(validators=cache).get(server.url("/jobs")))
    assert cache.lookup(server.url("/jobs")) is None


def test_user_agent_on_every_request(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/jobs", Reply(body=[]))
    make_client().get(server.url("/jobs"), headers={"User-Agent": "curl/8", "Accept": "application/json"})
    headers = server.requests_for("/jobs")[0].headers
    assert "jobatlas" in headers["user-agent"] and "https://" in headers["user-agent"]
    assert headers["accept"] == "application/json"


def test_rate_limit_per_host(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/jobs", Reply(body=[]))
    client = make_client(requests_per_second_per_host=5.0)
    start = time.monotonic()
    for _ in range(4):
        client.get(server.url("/jobs"))
    assert time.monotonic() - start >= 0.5


def test_rate_limit_is_shared_by_threads(server: LocalHttpServer, make_client: MakeClient) -> None:
    server.route("/jobs", Reply(body=[]))
    client = make_client(requests_per_second_per_host=5.0)
    start = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: client.get(server.url("/jobs")), range(4)))
    assert time.monotonic() - start >= 0.5


def test_rate_limit_does_not_cross_hosts(server: LocalHttpServer, make_client: MakeClient) -> None:
    client = make_client(requests_per_second_per_host=2.0)
    server.route("/jobs", Reply(body=[]))
    with LocalHttpServer() as other:
        other.route("/jobs", Reply(body=[]))
        start = time.monotonic()
        client.get(server.url("/jobs"))
        client.get(other.url("/jobs"))
        assert time.monotonic() - start < 0.5
        start = time.monotonic()
        client.get(server.url("/jobs"))  # same host again: waits for its slot
        assert time.monotonic() - start >= 0.3


def test_nothing_keeps_running_after_close() -> None:
    before = set(threading.enumerate())
    with LocalHttpServer() as server, HttpClient(FAST) as client:
        server.route("/slow", Reply(body="late", delay=5.0), Reply(body="ok"))
        server.route("/careers", Reply(body="jobs", content_type=HTML))
        assert client.get(server.url("/careers"), html=True).text() == "jobs"
        with pytest.raises(FetchError):
            replace_client = HttpClient(replace(FAST, read_timeout=0.1, max_attempts=1))
            try:
                replace_client.get(server.url("/slow"))
            finally:
                replace_client.close()
    deadline = time.monotonic() + 2
    while set(threading.enumerate()) - before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert {t.name for t in set(threading.enumerate()) - before} == set()
