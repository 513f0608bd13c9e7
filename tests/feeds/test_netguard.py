"""The SSRF guard, judged without sending a packet: literals never reach the resolver."""

from __future__ import annotations

import ipaddress

import pytest

from planner.services.feeds.errors import FeedBlockedAddress, FeedFetchError, FeedInvalidURL
from planner.services.feeds.netguard import (
    AddressGuard,
    address_kind,
    check_url,
    parse_ip_literal,
    parse_target,
)

from .helpers import FakeResolver, guard_with


def no_dns(host: str, port: int) -> list[str]:
    raise AssertionError(f"{host!r} is a literal and must not be resolved")


STRICT = AddressGuard(resolver=no_dns)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0X7F.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("10.0.0.1.", "10.0.0.1"),
        ("0", "0.0.0.0"),
        ("[::1]", "::1"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),
        ("[::ffff:7f00:1]", "::ffff:7f00:1"),
        ("169.254.169.254", "169.254.169.254"),
    ],
)
def test_parse_ip_literal_decodes_every_spelling(host: str, expected: str) -> None:
    assert parse_ip_literal(host) == ipaddress.ip_address(expected)


@pytest.mark.parametrize("host", ["example.com", "localhost", "feeds.test", "0x7f.example"])
def test_parse_ip_literal_leaves_names_alone(host: str) -> None:
    assert parse_ip_literal(host) is None


@pytest.mark.parametrize("host", ["1.2.3.4.5", "08.0.0.1", "256.0.0.1", "1.2.0x1g.3", "4294967296"])
def test_parse_ip_literal_refuses_malformed_numbers(host: str) -> None:
    with pytest.raises(FeedInvalidURL):
        parse_ip_literal(host)


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1", "0x7f.1", "2130706433", "0177.0.0.1", "127.1", "[::1]", "::1",
        "::ffff:127.0.0.1", "[::ffff:7f00:1]", "0.0.0.0", "0", "::", "10.0.0.1", "10.1",
        "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "224.0.0.1",
        "239.255.255.250", "240.0.0.1", "255.255.255.255", "fe80::1", "fc00::1", "fd12::1",
        "fec0::1", "ff02::1", "2002:7f00:1::", "2002:a00:1::1", "64:ff9b::a00:1", "::7f00:1",
        "::ffff:10.0.0.1", "::ffff:169.254.169.254",
    ],
)  # fmt: skip
def test_guard_refuses_non_public_addresses_in_any_encoding(host: str) -> None:
    with pytest.raises(FeedBlockedAddress):
        STRICT.addresses_for(host, 80)


@pytest.mark.parametrize("host", ["localhost", "localhost.", "LOCALHOST", "db.localhost"])
def test_guard_refuses_loopback_names_without_asking_dns(host: str) -> None:
    with pytest.raises(FeedBlockedAddress):
        STRICT.addresses_for(host, 80)


def test_guard_accepts_public_literals() -> None:
    assert STRICT.addresses_for("93.184.216.34", 443) == (ipaddress.ip_address("93.184.216.34"),)
    assert STRICT.addresses_for("[2606:2800:220:1::]", 443)


def test_guard_checks_every_resolved_address() -> None:
    guard = guard_with({"mixed.test": ["93.184.216.34", "10.0.0.7"]})
    with pytest.raises(FeedBlockedAddress, match="10.0.0.7 is a private address"):
        guard.addresses_for("mixed.test", 80)


def test_guard_returns_resolved_addresses_once_each_in_order() -> None:
    guard = guard_with({"public.test": ["93.184.216.34", "2606:2800:220:1::", "93.184.216.34"]})
    assert [str(a) for a in guard.addresses_for("public.test", 80)] == [
        "93.184.216.34",
        "2606:2800:220:1::",
    ]


def test_guard_resolves_names_without_trailing_dot_and_in_lower_case() -> None:
    resolver = FakeResolver({"feeds.test": ["93.184.216.34"]})
    guard = AddressGuard(resolver=resolver)
    guard.addresses_for("Feeds.Test.", 80)
    assert resolver.calls == ["feeds.test"]


def test_guard_reports_unknown_hosts_as_fetch_errors() -> None:
    with pytest.raises(FeedFetchError, match="cannot resolve"):
        guard_with({}).addresses_for("nowhere.test", 80)


def test_allow_private_turns_the_check_off() -> None:
    guard = AddressGuard(allow_private=True, resolver=no_dns)
    assert guard.addresses_for("127.0.0.1", 80) == (ipaddress.ip_address("127.0.0.1"),)
    assert guard.addresses_for("0x7f.1", 80) == (ipaddress.ip_address("127.0.0.1"),)


def test_allow_hosts_exempts_exactly_those_names() -> None:
    guard = guard_with({"intranet.test": ["10.0.0.5"]}, allow_hosts={"intranet.test"})
    assert guard.addresses_for("intranet.test", 80) == (ipaddress.ip_address("10.0.0.5"),)
    with pytest.raises(FeedBlockedAddress):
        guard.addresses_for("10.0.0.5", 80)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.0.0.1", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("8.8.8.8", None),
    ],
)
def test_address_kind_names_the_reason(address: str, kind: str | None) -> None:
    assert address_kind(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/feed",
        "file:///etc/passwd",
        "gopher://example.com/",
        "javascript:alert(1)",
        "feed://example.com/rss",
        "example.com/feed",
        "http:///nohost",
        "http://exa mple.com/",
        "http://example.com:99999/",
        "http://[::1/",
    ],
)
def test_only_http_and_https_urls_with_a_host_are_fetched(url: str) -> None:
    with pytest.raises(FeedInvalidURL):
        parse_target(url)


def test_parse_target_builds_the_request() -> None:
    target = parse_target("HTTPS://Feeds.Example:8443/a b/ü?q=1 2#frag")
    assert (target.scheme, target.host, target.port) == ("https", "feeds.example", 8443)
    assert target.request_target == "/a%20b/%C3%BC?q=1%202"
    assert parse_target("http://bücher.example").host == "xn--bcher-kva.example"
    assert parse_target("http://example.com").request_target == "/"


def test_check_url_validates_scheme_and_address_before_storing() -> None:
    with pytest.raises(FeedInvalidURL):
        check_url("ftp://example.com/feed")
    with pytest.raises(FeedBlockedAddress) as caught:
        check_url("http://0x7f.1/feed")
    assert caught.value.url == "http://0x7f.1/feed"
    assert check_url("http://127.0.0.1/feed", allow_private=True).host == "127.0.0.1"
    assert check_url("https://93.184.216.34/feed").port == 443
