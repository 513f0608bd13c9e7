"""A local feed server on 127.0.0.1 and guards that keep every test on loopback.

The `no_outside_traffic` fixture is autouse: any attempt to resolve a real host name or
connect to a non-loopback address fails the test instead of leaving the machine.
"""

from __future__ import annotations

import ipaddress
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.feeds.helpers import FeedServer


@pytest.fixture(autouse=True)
def no_outside_traffic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that would resolve a real name or connect beyond loopback."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):
        try:
            ipaddress.ip_address(host.split("%")[0] if isinstance(host, str) else host)
        except ValueError as exc:
            raise AssertionError(f"test tried a real DNS lookup of {host!r}") from exc
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0].split("%")[0]
            if not ipaddress.ip_address(host).is_loopback:
                raise AssertionError(f"test tried to connect to {host}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for feeds.test, made with the openssl command."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = [
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-days", "1", "-subj", "/CN=feeds.test",
        "-addext", "subjectAltName=DNS:feeds.test", "-keyout", str(key), "-out", str(cert),
    ]  # fmt: skip
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot make a test certificate: {exc}")
    return cert, key
