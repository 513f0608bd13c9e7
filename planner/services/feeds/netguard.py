"""Decide which feed URLs may be fetched and which addresses may be connected to.

A feed URL is user input that makes the server open a connection, so it is a
server-side request forgery vector. The guard judges the addresses a host *resolves to*,
not the spelling of the URL, and the fetcher connects to exactly the addresses the guard
returned (no second lookup, so no DNS-rebinding gap). Every redirect hop goes through
the guard again. Host spellings that resolvers treat as numbers (`0x7f.1`, `2130706433`,
`0177.0.0.1`) are decoded here the way browsers and `inet_aton` do, so they are judged
as the address they denote without asking DNS.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from .errors import FeedBlockedAddress, FeedFetchError, FeedInvalidURL

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]
"""Turn (host name, port) into address strings; raise OSError when the name is unknown."""

ALLOWED_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST_NAME = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$")
_NUMBER_PART = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
# Characters a request line may carry as they are; everything else is percent-encoded.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


def system_resolver(host: str, port: int) -> list[str]:
    """Resolve with the operating system (the default `Resolver`)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class FeedTarget:
    """The pieces of an http(s) URL needed to send one request."""

    url: str
    scheme: str
    host: str  # lower-case, IDNA-encoded, no brackets, no trailing dot
    port: int
    request_target: str  # path and query, percent-encoded, never empty


def parse_target(url: str) -> FeedTarget:
    """Split `url` into what a request needs, refusing anything but http(s) with a host."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FeedInvalidURL(f"malformed URL {url!r}: {exc}", url=url) from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise FeedInvalidURL(f"only http and https feeds can be fetched, not {shown}", url=url)
    if not parts.hostname:
        raise FeedInvalidURL(f"URL {url!r} has no host", url=url)
    host = normalise_host(parts.hostname, url=url)
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    query = quote(parts.query, safe=_QUERY_SAFE)
    return FeedTarget(
        url=url.strip(),
        scheme=scheme,
        host=host,
        port=port if port is not None else _DEFAULT_PORTS[scheme],
        request_target=f"{path}?{query}" if query else path,
    )


def normalise_host(host: str, *, url: str | None = None) -> str:
    """Lower-case, strip brackets and one trailing dot, IDNA-encode; refuse odd characters."""
    name = host.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if ":" in name:
        try:
            return str(ipaddress.IPv6Address(name))
        except ValueError as exc:
            raise FeedInvalidURL(f"malformed IPv6 address {host!r}", url=url) from exc
    if name.endswith("."):
        name = name[:-1]
    try:
        name = name.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise FeedInvalidURL(f"malformed host name {host!r}", url=url) from exc
    if not _HOST_NAME.match(name):
        raise FeedInvalidURL(f"malformed host name {host!r}", url=url)
    return name


def parse_ip_literal(host: str) -> IPAddress | None:
    """Return the address `host` spells by itself, or None when it is a name to resolve.

    Follows the WHATWG URL host parser: a host whose last label is a number is an IPv4
    address written with 1 to 4 parts in decimal, octal (leading 0) or hex (0x). Such a
    host that does not decode is malformed rather than a name, as browsers treat it.
    """
    name = host.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if ":" in name:
        try:
            return ipaddress.IPv6Address(name)
        except ValueError:
            return None
    if name.endswith("."):
        name = name[:-1]
    parts = name.split(".")
    if not _NUMBER_PART.match(parts[-1]):
        return None
    numbers = [_ipv4_number(part, host) for part in parts]
    if len(numbers) > 4 or any(n > 255 for n in numbers[:-1]):
        raise FeedInvalidURL(f"malformed IPv4 address {host!r}")
    if numbers[-1] >= 256 ** (5 - len(numbers)):
        raise FeedInvalidURL(f"malformed IPv4 address {host!r}")
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _ipv4_number(part: str, host: str) -> int:
    try:
        if part.startswith("0x"):
            return int(part[2:] or "0", 16)
        if len(part) > 1 and part.startswith("0"):
            return int(part[1:], 8)
        return int(part, 10)
    except ValueError as exc:
        raise FeedInvalidURL(f"malformed IPv4 address {host!r}") from exc


def address_kind(address: IPAddress) -> str | None:
    """Say why `address` must not be fetched from ("loopback", ...), or None if it is public.

    Addresses that embed an IPv4 address (IPv4-mapped, 6to4, NAT64) are judged by the
    IPv4 address inside, because that is where the packets end up.
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return address_kind(embedded)
        if address.is_site_local:
            return "site-local"
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("non-public", not address.is_global),
    )
    return next((kind for kind, hit in checks if hit), None)


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True)
class AddressGuard:
    """Resolve hosts and refuse those reaching non-public addresses.

    `allow_private` turns the check off (the app sets it from FEED_ALLOW_PRIVATE=1).
    `allow_hosts` exempts exact host names, so an operator can trust one intranet feed
    host, and tests can let a first hop reach the local server while a redirect to
    127.0.0.1 is still refused. `resolver` is injectable so tests never touch real DNS.
    """

    allow_private: bool = False
    allow_hosts: frozenset[str] = field(default_factory=frozenset)
    resolver: Resolver = system_resolver

    def addresses_for(self, host: str, port: int) -> tuple[IPAddress, ...]:
        """Return every address of `host`, refusing when any of them is not public."""
        name = normalise_host(host)
        literal = parse_ip_literal(name)
        trusted = self.allow_private or name in self.allow_hosts
        if literal is not None:
            addresses: tuple[IPAddress, ...] = (literal,)
        else:
            if not trusted and (name == "localhost" or name.endswith(".localhost")):
                raise FeedBlockedAddress(f"refusing to fetch from {host!r}: a loopback name")
            addresses = self._resolve(name, port)
        if trusted:
            return addresses
        for address in addresses:
            kind = address_kind(address)
            if kind is not None:
                raise FeedBlockedAddress(
                    f"refusing to fetch from {host!r}: {address} is a {kind} address"
                    " (set FEED_ALLOW_PRIVATE=1 to allow it)"
                )
        return addresses

    def _resolve(self, name: str, port: int) -> tuple[IPAddress, ...]:
        try:
            raw = self.resolver(name, port)
        except (OSError, UnicodeError) as exc:
            raise FeedFetchError(f"cannot resolve host {name!r}: {exc}") from exc
        addresses: dict[IPAddress, None] = {}
        for text in raw:
            try:
                addresses[ipaddress.ip_address(text)] = None
            except ValueError as exc:
                raise FeedFetchError(f"resolver gave a malformed address {text!r}") from exc
        if not addresses:
            raise FeedFetchError(f"host {name!r} has no addresses")
        return tuple(addresses)


def check_url(
    url: str, *, allow_private: bool = False, guard: AddressGuard | None = None
) -> FeedTarget:
    """Validate a feed URL before storing it: http(s), and a host with public addresses."""
    guard = guard if guard is not None else AddressGuard(allow_private=allow_private)
    target = parse_target(url)
    try:
        guard.addresses_for(target.host, target.port)
    except FeedFetchError as exc:
        exc.url = url
        raise
    return target
