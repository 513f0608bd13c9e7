"""Sockets pinned to validated addresses, one deadline per fetch, bounded decoding.

Split from `fetch.py` so the HTTP flow reads on one screen. These pieces exist because
a hostile server controls the address, the bytes and their pace: a name can resolve to
a new address on a second lookup, a 10 KB gzip body can inflate to 10 GB, and a server
can keep a connection alive for ever by sending one byte just before each read timeout.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator

from .errors import FeedFetchError, FeedTimeout, FeedTooLarge
from .netguard import FeedTarget, IPAddress

_GZIP = 16 + zlib.MAX_WBITS
_ZLIB = zlib.MAX_WBITS
_RAW_DEFLATE = -zlib.MAX_WBITS


class BodyDecoder:
    """Inflate a gzip/deflate body incrementally, never holding more than `limit` bytes.

    Each `decompress` call is capped at the room left plus one byte, so a bomb is
    stopped after producing `limit + 1` bytes instead of after inflating completely.
    """

    def __init__(self, coding: str, limit: int, *, url: str | None = None) -> None:
        self.url = url
        self.limit = limit
        self.identity = coding in ("", "identity")
        self._gzip = coding in ("gzip", "x-gzip")
        if not (self.identity or self._gzip or coding == "deflate"):
            raise FeedFetchError(f"unsupported Content-Encoding {coding!r}", url=url)
        self._inflater: zlib._Decompress | None = zlib.decompressobj(_GZIP) if self._gzip else None
        self._head = b""  # first bytes of a deflate body, until we know its framing
        self._out = bytearray()

    def feed(self, data: bytes) -> None:
        """Add raw bytes from the wire; raise FeedTooLarge once the output passes the limit."""
        if self.identity:
            self._append(data)
            return
        if self._inflater is None:  # "deflate" is zlib-wrapped by spec, raw by some servers
            self._head += data
            if len(self._head) < 2:
                return
            data, self._head = self._head, b""
            wrapped = data[0] & 0x0F == 8 and int.from_bytes(data[:2], "big") % 31 == 0
            self._inflater = zlib.decompressobj(_ZLIB if wrapped else _RAW_DEFLATE)
        with self._corruption_is_a_fetch_error():
            self._inflate(self._inflater, data)

    def finish(self) -> bytes:
        """Return the whole decoded body; a compressed stream must have ended properly."""
        if self._head:  # a deflate body of one byte cannot carry a zlib header
            self._inflater = zlib.decompressobj(_RAW_DEFLATE)
            with self._corruption_is_a_fetch_error():
                self._inflate(self._inflater, self._head)
        if self._inflater is not None:
            with self._corruption_is_a_fetch_error():
                self._append(self._inflater.flush())
            if not self._inflater.eof and self._out:
                raise FeedFetchError("compressed body ends early", url=self.url)
        return bytes(self._out)

    def _inflate(self, inflater: zlib._Decompress, data: bytes) -> None:
        while data:
            if inflater.eof:
                if not self._gzip:
                    return  # bytes after a deflate stream are ignored, as browsers do
                inflater = self._inflater = zlib.decompressobj(_GZIP)  # next gzip member
            room = self.limit - len(self._out)
            self._append(inflater.decompress(data, room + 1))
            data = inflater.unconsumed_tail or (inflater.unused_data if inflater.eof else b"")

    @contextlib.contextmanager
    def _corruption_is_a_fetch_error(self) -> Iterator[None]:
        try:
            yield
        except zlib.error as exc:
            raise FeedFetchError(f"corrupt compressed body: {exc}", url=self.url) from exc

    def _append(self, data: bytes) -> None:
        self._out += data
        if len(self._out) > self.limit:
            raise FeedTooLarge(f"body exceeds {self.limit} bytes", url=self.url)


class Watchdog:
    """Enforce one deadline over a whole fetch by shutting its sockets down.

    Socket timeouts bound each read, not their sum, and `http.client` reads the status
    line and headers in loops we cannot interrupt. A timer that calls `shutdown()` on a
    duplicate of each socket makes any blocked read return EOF at the deadline; the
    reader then checks `fired` and reports a timeout.
    """

    def __init__(self, seconds: float) -> None:
        self._ends_at = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._handles: list[socket.socket] = []
        self.fired = False
        self._timer = threading.Timer(max(seconds, 0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        """Seconds left before the deadline (may be negative)."""
        return self._ends_at - time.monotonic()

    def check(self, url: str | None = None) -> None:
        """Raise FeedTimeout if the deadline has passed."""
        if self.fired or self.remaining() <= 0:
            raise FeedTimeout("the fetch took longer than the deadline", url=url)

    def watch(self, sock: socket.socket, url: str | None = None) -> None:
        """Shut `sock` down when the deadline passes (or now, if it already has)."""
        with self._lock:
            if self.fired:
                sock.close()
                raise FeedTimeout("the fetch took longer than the deadline", url=url)
            self._handles.append(sock.dup())

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for handle in self._handles:
                with contextlib.suppress(OSError):  # already closed by the peer
                    handle.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        """Stop the timer and release the duplicate sockets."""
        self._timer.cancel()
        with self._lock:
            for handle in self._handles:
                handle.close()
            self._handles.clear()


def pinned_connection(
    target: FeedTarget,
    addresses: tuple[IPAddress, ...],
    *,
    connect_timeout: float,
    read_timeout: float,
    watchdog: Watchdog,
    ssl_context: ssl.SSLContext | None = None,
) -> http.client.HTTPConnection:
    """Return a connection to `target` that will only ever connect to `addresses`.

    `http.client` is used because it lets us supply the socket ourselves while it still
    sends the URL's host name in the Host header (and, for https, in SNI and the
    certificate check): the connection goes to the address the guard validated, and a
    second DNS answer can never redirect it.
    """
    opener = functools.partial(
        _open_socket, target, addresses, connect_timeout, read_timeout, watchdog
    )
    if target.scheme == "https":
        context = ssl_context or _default_tls()
        return _PinnedHTTPSConnection(target.host, target.port, opener, read_timeout, context)
    return _PinnedHTTPConnection(target.host, target.port, opener, read_timeout)


def _open_socket(
    target: FeedTarget,
    addresses: tuple[IPAddress, ...],
    connect_timeout: float,
    read_timeout: float,
    watchdog: Watchdog,
) -> socket.socket:
    """Connect to the first validated address that answers; never resolve again."""
    last: OSError | None = None
    for address in addresses:
        timeout = min(connect_timeout, watchdog.remaining())
        if timeout <= 0:
            break
        family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
        flags = socket.AI_NUMERICHOST | socket.AI_NUMERICSERV
        infos = socket.getaddrinfo(str(address), target.port, family, socket.SOCK_STREAM, 0, flags)
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(infos[0][4])
        except OSError as exc:
            sock.close()
            last = exc
            continue
        sock.settimeout(read_timeout)
        watchdog.watch(sock, target.url)
        return sock
    if isinstance(last, TimeoutError) or last is None:
        raise FeedTimeout(f"timed out connecting to {target.host}:{target.port}", url=target.url)
    raise FeedFetchError(f"cannot connect to {target.host}:{target.port}: {last}", url=target.url)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP connection whose socket comes from `opener` (a validated address)."""

    def __init__(
        self, host: str, port: int, opener: Callable[[], socket.socket], timeout: float
    ) -> None:
        super().__init__(host, port, timeout=timeout)
        self._opener = opener

    def connect(self) -> None:
        self.sock = self._opener()


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS over a validated address, with SNI and certificate checks for the URL's host."""

    def __init__(
        self,
        host: str,
        port: int,
        opener: Callable[[], socket.socket],
        timeout: float,
        context: ssl.SSLContext,
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._opener = opener
        self._tls = context

    def connect(self) -> None:
        self.sock = self._tls.wrap_socket(self._opener(), server_hostname=self.host)


@functools.cache
def _default_tls() -> ssl.SSLContext:
    return ssl.create_default_context()
