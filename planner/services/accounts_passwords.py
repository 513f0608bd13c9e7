"""The password policy and the hashing every sign-in goes through.

One home for both, so the CLI, invitations, the demo and password changes refuse the same
passwords, and a sign-in for an unknown email costs the same hash work as a known one
(otherwise the answer time tells an attacker which emails have accounts).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

MIN_PASSWORD = 10
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "common_passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list (lower case); lines starting with '# ' are its header."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("# "))


def password_problem(password: str, email: str) -> str | None:
    """Why the password is refused for this email, or None if it is acceptable."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        return f"Use at least {MIN_PASSWORD} characters."
    folded = password.strip().lower()
    email = (email or "").strip().lower()
    local_part = email.partition("@")[0]
    if folded in {email, local_part}:
        return "Do not use your email address (or its name part) as the password."
    if folded in common_passwords():
        return "This password is one of the most common ones; choose another."
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password)


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not a real password, only here to spend the same time")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against a stored hash; with no hash, spend the same work and fail."""
    if password_hash is None:
        check_password_hash(_dummy_hash(), password or "")
        return False
    return check_password_hash(password_hash, password or "")
