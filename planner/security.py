"""What every response carries for safety, and how a rate limit is answered.

- Headers on every response: a Content-Security-Policy with no inline script, no framing,
  `nosniff` and a same-origin referrer. Scripts live in `planner/static/js/`.
- Cookies set over https are marked `Secure` even when `SESSION_COOKIE_SECURE` is off
  (`SecureCookiesOverHttps`); with `TRUSTED_PROXIES`, the proxy's forwarded address and
  scheme are the client's (werkzeug's ProxyFix).
- A breached limit (Flask-Limiter, `planner.extensions.limiter`) is a 429 with
  `Retry-After` and "Too many attempts: try again in N s", as a page or as the API's JSON
  error. The limits themselves are `rate_limit_settings()` in `planner.config`.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable

from flask import Flask, Response, current_app, request
from flask_limiter import RateLimitExceeded
from werkzeug.middleware.proxy_fix import ProxyFix

from planner.error_pages import error_response
from planner.extensions import limiter

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
UNLIMITED = "1000000 per second"


def _add_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


class SecureCookiesOverHttps:
    """WSGI middleware: over https, every cookie (session, remember, CSRF) gets `Secure`.

    Middleware, because Flask writes the session cookie and Flask-Login the remember cookie
    after the app's own `after_request` functions. Behind a proxy, wrap the app in
    werkzeug's ProxyFix outside this so the scheme is the client's.
    """

    def __init__(self, wsgi_app: Callable) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable):
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def secure_start_response(status: str, headers: list, exc_info=None):
            headers = [
                (name, value + "; Secure")
                if name.lower() == "set-cookie" and "; secure" not in value.lower()
                else (name, value)
                for name, value in headers
            ]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, secure_start_response)


def limit_setting(name: str) -> Callable[[], str]:
    """A limit read from the app's config at request time (tests and operators change it)."""
    return lambda: current_app.config.get(name) or UNLIMITED


def limit_is_off(name: str) -> Callable[[], bool]:
    return lambda: (
        not (current_app.config.get("RATE_LIMITS_ENABLED") and current_app.config.get(name))
    )


def failed_with(*statuses: int) -> Callable[[Response], bool]:
    """Count only the answers that mean a wrong password or token."""
    return lambda response: response.status_code in statuses


def client_address() -> str:
    return request.remote_addr or "unknown"


def bearer_key() -> str:
    """Requests per API token: keyed by a hash of the token (never the secret itself)."""
    _, _, secret = request.headers.get("Authorization", "").partition(" ")
    if not secret.strip():
        return "address:" + client_address()
    return "token:" + hashlib.sha256(secret.strip().encode()).hexdigest()


def _too_many(error: RateLimitExceeded) -> Response:
    breached = limiter.current_limit
    wait = breached.reset_at - time.time() if breached else 60
    seconds = max(1, math.ceil(wait))
    body, status = error_response(
        429, "rate_limited", f"Too many attempts: try again in {seconds} s."
    )
    response = current_app.make_response((body, status))
    response.headers["Retry-After"] = str(seconds)
    return response


def init_app(app: Flask) -> None:
    """Called by `hooks.wire` once the extensions are bound."""
    app.after_request(_add_headers)
    app.wsgi_app = SecureCookiesOverHttps(app.wsgi_app)  # type: ignore[method-assign]
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops:  # outermost, so the limits and the cookies see the client's address and scheme
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    app.register_error_handler(RateLimitExceeded, _too_many)
