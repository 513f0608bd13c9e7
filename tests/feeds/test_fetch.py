"""fetch_feed against a local server: statuses, redirects, limits, timeouts, SSRF."""

from __future__ import annotations

import gzip
import ssl
import time
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler

import pytest

from planner.services.feeds import fetch_feed
from planner.services.feeds.errors import (
    FeedBlockedAddress,
    FeedFetchError,
    FeedGone,
    FeedInvalidURL,
    FeedTimeout,
    FeedTooLarge,
)
from planner.services.feeds.fetch import parse_retry_after
from planner.services.feeds.netguard import AddressGuard

from .conftest import FakeResolver, FeedServer, guard_with, read_data

RSS = read_data("rss20.xml")
MIB = 2**20


def fetch(url: str, **options):
    """Fetch from the local server: private addresses allowed, short deadline."""
    options.setdefault("deadline", 5)
    options.setdefault("allow_private", True)
    return fetch_feed(url, **options)


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


# --- bodies, compression and limits ---------------------------------------------------


def test_gzip_body_is_inflated(feed_server: FeedServer) -> None:
    url = feed_server.reply("/feed", gzip.compress(RSS), Content_Encoding="gzip")
    assert fetch(url).content == RSS


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_body_is_inflated(feed_server: FeedServer, wbits: int) -> None:
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = compressor.compress(RSS) + compressor.flush()
    url = feed_server.reply("/feed", body, Content_Encoding="deflate")
    assert fetch(url).content == RSS


def test_corrupt_gzip_is_a_fetch_error(feed_server: FeedServer) -> None:
    url = feed_server.reply("/feed", b"\x1f\x8b\x08\x00garbage" * 10, Content_Encoding="gzip")
    with pytest.raises(FeedFetchError, match="corrupt compressed body"):
        fetch(url)


def test_truncated_gzip_is_a_fetch_error(feed_server: FeedServer) -> None:
    url = feed_server.reply("/feed", gzip.compress(RSS)[:-12], Content_Encoding="gzip")
    with pytest.raises(FeedFetchError, match="ends early"):
        fetch(url)


def test_unknown_content_encoding_is_a_fetch_error(feed_server: FeedServer) -> None:
    url = feed_server.reply("/feed", b"\x00\x01", Content_Encoding="br")
    with pytest.raises(FeedFetchError, match="unsupported Content-Encoding"):
        fetch(url)


def test_short_body_is_a_fetch_error(feed_server: FeedServer) -> None:
    url = feed_server.reply("/feed", RSS[:100], Content_Length=str(len(RSS)))
    with pytest.raises(FeedFetchError, match="before the body was complete"):
        fetch(url)


def test_oversize_body_with_content_length_is_refused_before_reading(feed_server: FeedServer):
    url = feed_server.reply("/feed", b"x" * (MIB + 1))
    with pytest.raises(FeedTooLarge):
        fetch(url, max_bytes=MIB)


def test_oversize_body_without_content_length_is_cut_off(feed_server: FeedServer) -> None:
    url = feed_server.reply("/feed", b"<rss>" + b"x" * (2 * MIB), Content_Length=None)
    with pytest.raises(FeedTooLarge):
        fetch(url, max_bytes=MIB)
    assert fetch(url, max_bytes=3 * MIB).content.startswith(b"<rss>")


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """One gzip member inflating to 128 MiB of zeros (about 570 KB on the wire)."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MIB)
    return b"".join([*(compressor.compress(zeros) for _ in range(128)), compressor.flush()])


@pytest.mark.parametrize("members", [1, 8], ids=["128MiB", "1GiB-multi-member"])
def test_gzip_bomb_is_cut_off_while_streaming(
    feed_server: FeedServer, gzip_bomb: bytes, members: int
) -> None:
    url = feed_server.reply("/bomb", gzip_bomb * members, Content_Encoding="gzip")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(FeedTooLarge):
            fetch(url)  # default limit: 10 MiB after decompression
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * MIB, f"peak {peak / MIB:.1f} MiB: the bomb was inflated too far"
    assert elapsed < 3


# --- time limits ----------------------------------------------------------------------


def drip_body(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.end_headers()
    try:
        for _ in range(200):
            handler.wfile.write(b" ")
            time.sleep(0.05)
    except OSError:
        pass


def drip_headers(handler: BaseHTTPRequestHandler) -> None:
    try:
        handler.wfile.write(b"HTTP/1.0 200 OK\r\nX-Slow: ")
        for _ in range(200):
            handler.wfile.write(b"a")
            time.sleep(0.05)
    except OSError:
        pass


def silent(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(3)


@pytest.mark.parametrize("route", [drip_body, drip_headers], ids=["body", "headers"])
def test_dripping_server_is_cut_off_by_the_deadline(feed_server: FeedServer, route) -> None:
    url = feed_server.route("/slow", route)
    started = time.perf_counter()
    with pytest.raises(FeedTimeout, match="deadline"):
        fetch(url, read_timeout=0.5, deadline=1)
    assert 0.9 < time.perf_counter() - started < 2


def test_silent_server_hits_the_read_timeout(feed_server: FeedServer) -> None:
    url = feed_server.route("/silent", silent)
    started = time.perf_counter()
    with pytest.raises(FeedTimeout):
        fetch(url, read_timeout=0.3)
    assert time.perf_counter() - started < 1.5


# --- TLS ------------------------------------------------------------------------------


def test_https_uses_the_host_name_for_sni_and_certificate(tls_files) -> None:
    cert, key = tls_files
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    names: list[str | None] = []
    server_tls.sni_callback = lambda sock, name, context: names.append(name)
    server = FeedServer(tls=server_tls)
    try:
        server.reply("/feed", RSS)
        client_tls = ssl.create_default_context(cafile=str(cert))
        resolver = FakeResolver({"feeds.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})
        guard = AddressGuard(allow_private=True, resolver=resolver)
        result = fetch(server.url("/feed", host="feeds.test"), guard=guard, ssl_context=client_tls)
        assert result.content == RSS
        assert names == ["feeds.test"]
        assert server.requests[0].headers["Host"] == f"feeds.test:{server.port}"
        with pytest.raises(FeedFetchError, match="TLS error"):
            fetch(server.url("/feed", host="other.test"), guard=guard, ssl_context=client_tls)
    finally:
        server.close()
