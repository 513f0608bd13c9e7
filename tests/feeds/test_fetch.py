"""fetch_feed against a local server: statuses, redirects, retries, SSRF."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler

import pytest

from planner.services.feeds.errors import (
    FeedBlockedAddress,
    FeedFetchError,
    FeedGone,
    FeedInvalidURL,
)
from planner.services.feeds.fetch import parse_retry_after
from planner.services.feeds.netguard import AddressGuard

from .helpers import FakeResolver, FeedServer, fetch, guard_with, read_data

RSS = read_data("rss20.xml")
MIB = 2**20


def test_ok_returns_body_validators_and_type(feed_server: FeedServer) -> None:
    url = feed_server.reply(
        "/feed", RSS, ETag='"v1"', Last_Modified="Tue, 05 Mar 2024 13:00:00 GMT",
        Content_Type="application/rss+xml; charset=utf-8",
    )  # fmt: skip
    result = fetch(url)
    assert result.status == "ok"
    assert result.content == RSS
    assert (result.url, result.permanent_url, result.http_status) == (url, None, 200)
    assert result.etag == '"v1"'
    assert result.last_modified == "Tue, 05 Mar 2024 13:00:00 GMT"
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert result.fetched_at.tzinfo is not None
    sent = feed_server.requests[0].headers
    assert "gzip" in sent["Accept-Encoding"]
    assert sent["User-Agent"].startswith("PersonaPlanner/")
    assert "If-None-Match" not in sent


def test_result_is_frozen(feed_server: FeedServer) -> None:
    result = fetch(feed_server.reply("/feed", RSS))
    with pytest.raises(AttributeError):
        result.status = "not_modified"  # type: ignore[misc]


def conditional(validator_header: str, expected: str):
    def route(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get(validator_header) == expected:
            handler.send_response(304)
            handler.send_header("ETag", '"v1"')
            handler.end_headers()
        else:
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(RSS)))
            handler.end_headers()
            handler.wfile.write(RSS)

    return route


def test_etag_gives_not_modified(feed_server: FeedServer) -> None:
    url = feed_server.route("/feed", conditional("If-None-Match", '"v1"'))
    result = fetch(url, etag='"v1"')
    assert (result.status, result.http_status, result.content) == ("not_modified", 304, None)
    assert result.etag == '"v1"'
    assert fetch(url, etag='"v0"').status == "ok"


def test_last_modified_gives_not_modified(feed_server: FeedServer) -> None:
    stamp = "Tue, 05 Mar 2024 13:00:00 GMT"
    url = feed_server.route("/feed", conditional("If-Modified-Since", stamp))
    result = fetch(url, last_modified=stamp)
    assert result.status == "not_modified"
    assert result.last_modified == stamp  # kept when the 304 does not repeat it


def test_validators_with_line_breaks_are_not_sent(feed_server: FeedServer) -> None:
    url = feed_server.reply("/feed", RSS)
    fetch(url, etag='"a"\r\nX-Injected: 1', last_modified="x\nY: z")
    headers = feed_server.requests[0].headers
    assert "X-Injected" not in headers and "If-None-Match" not in headers


@pytest.mark.parametrize("status", [301, 308])
def test_permanent_redirect_sets_permanent_url(feed_server: FeedServer, status: int) -> None:
    final = feed_server.reply("/new", RSS)
    url = feed_server.redirect("/old", "/new", status)
    result = fetch(url)
    assert (result.url, result.permanent_url, result.content) == (final, final, RSS)


@pytest.mark.parametrize("status", [302, 303, 307])
def test_temporary_redirect_is_followed_without_updating(feed_server: FeedServer, status: int):
    final = feed_server.reply("/elsewhere", RSS)
    result = fetch(feed_server.redirect("/feed", final, status))
    assert (result.url, result.permanent_url) == (final, None)


def test_permanent_url_stops_at_the_first_temporary_hop(feed_server: FeedServer) -> None:
    feed_server.reply("/d", RSS)
    feed_server.redirect("/c", "/d", 302)
    moved = feed_server.redirect("/b", "/c", 308)
    start = feed_server.redirect("/a", "/b", 301)
    result = fetch(start)
    assert result.url == feed_server.url("/d")
    assert result.permanent_url == feed_server.url("/c")
    assert moved == feed_server.url("/b")
    # A temporary hop first means the original URL stays.
    feed_server.redirect("/t", "/a", 302)
    assert fetch(feed_server.url("/t")).permanent_url is None


def test_redirect_loops_stop_after_max_redirects(feed_server: FeedServer) -> None:
    url = feed_server.redirect("/loop", "/loop")
    with pytest.raises(FeedFetchError, match="more than 3 redirects"):
        fetch(url, max_redirects=3)
    assert len(feed_server.requests) == 4


def test_redirect_without_location_is_an_error(feed_server: FeedServer) -> None:
    url = feed_server.reply("/feed", b"", 302)
    with pytest.raises(FeedFetchError, match="without a Location") as caught:
        fetch(url)
    assert caught.value.status == 302


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/feed", "gopher://x/"])
def test_redirect_to_another_scheme_is_refused(feed_server: FeedServer, target: str) -> None:
    with pytest.raises(FeedInvalidURL, match="only http and https"):
        fetch(feed_server.redirect("/feed", target))


def test_410_is_gone(feed_server: FeedServer) -> None:
    with pytest.raises(FeedGone) as caught:
        fetch(feed_server.reply("/feed", b"gone", 410))
    assert caught.value.status == 410


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_in_seconds(feed_server: FeedServer, status: int) -> None:
    url = feed_server.reply("/feed", b"busy", status, Retry_After="120")
    before = datetime.now(UTC)
    with pytest.raises(FeedFetchError) as caught:
        fetch(url)
    assert caught.value.status == status
    retry_after = caught.value.retry_after
    assert retry_after is not None
    assert before + timedelta(seconds=119) <= retry_after <= datetime.now(UTC) + timedelta(120)


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_as_http_date(feed_server: FeedServer, status: int) -> None:
    when = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    url = feed_server.reply("/feed", b"", status, Retry_After=format_datetime(when, usegmt=True))
    with pytest.raises(FeedFetchError) as caught:
        fetch(url)
    assert caught.value.retry_after == when


def test_503_without_retry_after(feed_server: FeedServer) -> None:
    with pytest.raises(FeedFetchError) as caught:
        fetch(feed_server.reply("/feed", b"", 503))
    assert (caught.value.status, caught.value.retry_after) == (503, None)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 500, 502])
def test_other_errors_carry_their_status(feed_server: FeedServer, status: int) -> None:
    with pytest.raises(FeedFetchError) as caught:
        fetch(feed_server.reply("/feed", b"no", status))
    assert caught.value.status == status
    assert type(caught.value) is FeedFetchError


def test_parse_retry_after_edge_cases() -> None:
    now = datetime(2024, 3, 5, 12, 0, tzinfo=UTC)
    assert parse_retry_after("0", now) == now
    assert parse_retry_after(" 30 ", now) == now + timedelta(seconds=30)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now) == now  # past: retry now
    assert parse_retry_after("Thu, 07 Mar 2024 12:00:00 GMT", now) == now + timedelta(days=2)
    for junk in (None, "", "soon", "-5", "1.5", "9" * 40):
        assert parse_retry_after(junk, now) is None


# --- SSRF ---------------------------------------------------------------------------


def test_local_server_is_refused_unless_private_allowed(feed_server: FeedServer) -> None:
    url = feed_server.reply("/feed", RSS)
    with pytest.raises(FeedBlockedAddress, match="127.0.0.1 is a loopback address"):
        fetch(url, allow_private=False)
    assert feed_server.requests == []


@pytest.mark.parametrize(
    "host", ["0x7f.1", "2130706433", "0177.0.0.1", "127.1", "localhost.", "[::ffff:127.0.0.1]"]
)
def test_encoded_loopback_urls_are_refused(feed_server: FeedServer, host: str) -> None:
    feed_server.reply("/feed", RSS)
    with pytest.raises(FeedBlockedAddress):
        fetch(feed_server.url("/feed", host=host), allow_private=False)
    assert feed_server.requests == []


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/feed",
        "http://10.0.0.1/feed",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/feed",
        "http://0x7f.1:{port}/feed",
        "http://localhost:{port}/feed",
        "http://inside.test/feed",
    ],
)
def test_redirect_to_a_private_address_is_refused(feed_server: FeedServer, target: str):
    """The first hop is allowed by name; the redirect target is judged on its own."""
    feed_server.reply("/feed", RSS)
    feed_server.redirect("/start", target.format(port=feed_server.port))
    guard = guard_with(
        {"feeds.test": ["127.0.0.1"], "inside.test": ["10.0.0.9"]}, allow_hosts={"feeds.test"}
    )
    with pytest.raises(FeedBlockedAddress) as caught:
        fetch(feed_server.url("/start", host="feeds.test"), allow_private=False, guard=guard)
    assert feed_server.paths() == ["/start"]
    assert caught.value.url == target.format(port=feed_server.port)


def test_connects_to_the_validated_address_and_sends_the_host_name(feed_server: FeedServer):
    url = feed_server.reply("/feed", RSS)
    resolver = FakeResolver({"feeds.test": ["127.0.0.1"]})
    guard = AddressGuard(allow_private=True, resolver=resolver)
    feed_server.redirect("/start", "/feed", 301)
    result = fetch(feed_server.url("/start", host="feeds.test"), guard=guard)
    assert result.content == RSS and url.endswith("/feed")
    assert [r.headers["Host"] for r in feed_server.requests] == [
        f"feeds.test:{feed_server.port}"
    ] * 2
    assert resolver.calls == ["feeds.test", "feeds.test"]  # once per hop, never again


def test_no_second_lookup_between_check_and_connect(feed_server: FeedServer) -> None:
    """A resolver that would rebind on a second lookup is asked only once."""
    feed_server.reply("/feed", RSS)
    answers = iter([["127.0.0.1"]])

    def rebinding(host: str, port: int) -> list[str]:
        return next(answers)  # a second call raises StopIteration and fails the test

    guard = AddressGuard(allow_private=True, resolver=rebinding)
    assert fetch(feed_server.url("/feed", host="feeds.test"), guard=guard).status == "ok"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/feed", "file:///etc/passwd", "/relative"])
def test_non_http_urls_are_refused_with_a_clear_message(url: str) -> None:
    with pytest.raises(FeedInvalidURL, match="only http and https"):
        fetch(url)


def test_connection_refused_is_a_fetch_error(feed_server: FeedServer) -> None:
    url = feed_server.url("/feed")
    feed_server.close()
    with pytest.raises(FeedFetchError, match="cannot connect"):
        fetch(url)
