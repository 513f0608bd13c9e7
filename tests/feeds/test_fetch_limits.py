"""fetch_feed against a local server: bodies, compression, size and time limits, TLS."""

from __future__ import annotations

import gzip
import ssl
import time
import tracemalloc
import zlib
from http.server import BaseHTTPRequestHandler

import pytest

from planner.services.feeds.errors import (
    FeedFetchError,
    FeedTimeout,
    FeedTooLarge,
)
from planner.services.feeds.netguard import AddressGuard

from .helpers import FakeResolver, FeedServer, fetch, read_data

RSS = read_data("rss20.xml")
MIB = 2**20


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
