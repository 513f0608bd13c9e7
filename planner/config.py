"""Every setting read from the environment, in one place.

The app reads them once, into `app.config`, when it is created; tests override them there.
Nothing else in `planner` reads `os.environ`. The audit engine (`nlp/`) is a library of
its own that also reads `NLP_MODEL` and `NLP_MAX_NEW_STRINGS` when used alone; inside the
app it gets them from here (`services.audit.configure_engine`).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

# The repository: templates/, migrations/ and instance/ are found from here.
ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance_path: str) -> str:
    """Use SECRET_KEY, else a key generated once into instance/ so sessions survive restarts."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def is_on(value: object, default: bool = False) -> bool:
    """Read a yes/no setting: a bool as it is, `1`/`true`/`yes`/`on` (any case) as on."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _flag(name: str, default: bool = False) -> bool:
    return is_on(os.environ.get(name), default)


def _int(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    return int(value) if value else None


DEFAULT_QUEUE = "planner"


def queue_settings() -> dict:
    """The task queue's settings; also read by a job that runs with no app (`planner.queue`)."""
    return {
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "RQ_QUEUE": os.environ.get("RQ_QUEUE") or DEFAULT_QUEUE,
        "FEED_LOCK_TTL_SECONDS": _int("FEED_LOCK_TTL_SECONDS"),
    }


def rate_limit_settings() -> dict:
    """Flask-Limiter's storage (Redis when REDIS_URL is set) and the limits of sign-in and
    API token use, as `limits` strings ("5 per minute;20 per hour"); empty turns one off.
    """
    return {
        "RATE_LIMITS_ENABLED": _flag("RATE_LIMITS_ENABLED", default=True),
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": "planner-limits",
        # Proxies in front of the app whose X-Forwarded-For/-Proto/-Host to trust: without
        # it, behind a proxy every client has the proxy's address and shares its limits.
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES") or 0,
        # Failed sign-ins for one email from one address, and from one address in all.
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "5 per minute;20 per hour"),
        "LOGIN_IP_RATE_LIMIT": os.environ.get("LOGIN_IP_RATE_LIMIT", "100 per hour"),
        # Requests per API token, and unknown or revoked tokens from one address.
        "API_TOKEN_RATE_LIMIT": os.environ.get("API_TOKEN_RATE_LIMIT", "300 per minute"),
        "API_AUTH_FAILURE_RATE_LIMIT": os.environ.get(
            "API_AUTH_FAILURE_RATE_LIMIT", "10 per minute"
        ),
    }


def serve_settings() -> dict:
    """`flask serve`'s waitress limits: enough connections and short enough timeouts that
    a few hundred idle or slow clients cannot take the server offline (docs/operations.md)."""
    return {
        # Where `flask serve` (and gunicorn.conf.py) listens, and the URL messages print.
        "HOST": os.environ.get("HOST", "").strip() or "127.0.0.1",
        "PORT": _int("PORT") or 5000,
        "SERVE_THREADS": _int("SERVE_THREADS") or 8,
        "SERVE_CONNECTION_LIMIT": _int("SERVE_CONNECTION_LIMIT") or 1000,
        "SERVE_CHANNEL_TIMEOUT": _int("SERVE_CHANNEL_TIMEOUT") or 30,
        "SERVE_CLEANUP_INTERVAL": _int("SERVE_CLEANUP_INTERVAL") or 10,
        "SERVE_BACKLOG": _int("SERVE_BACKLOG") or 2048,
    }


def database_url(instance_path: str) -> str:
    """DATABASE_URL, or an SQLite file in instance/."""
    url = os.environ.get("DATABASE_URL")
    if url:
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgres://")
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + str(Path(instance_path) / "planner.sqlite3")


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    overrides = dict(overrides or {})
    config: dict = {
        "SQLALCHEMY_DATABASE_URI": overrides.pop("SQLALCHEMY_DATABASE_URI", None)
        or database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE"),
        "REMEMBER_COOKIE_NAME": "remember_token",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=int(os.environ.get("REMEMBER_DAYS") or 14)),
        "WTF_CSRF_TIME_LIMIT": None,
        "FEED_ALLOW_PRIVATE": _flag("FEED_ALLOW_PRIVATE"),
        "EMBEDDED_POLLER": _flag("EMBEDDED_POLLER", default=True),
        "EMBEDDED_POLL_SECONDS": float(os.environ.get("EMBEDDED_POLL_SECONDS") or 0) or None,
        "NLP_MODEL": os.environ.get("NLP_MODEL", "").strip() or None,
        "NLP_MAX_NEW_STRINGS": _int("NLP_MAX_NEW_STRINGS"),
        **queue_settings(),
        **serve_settings(),
        **rate_limit_settings(),
    }
    if "SECRET_KEY" not in overrides:
        config["SECRET_KEY"] = _secret_key(instance_path)
    config.update(overrides)
    return config
