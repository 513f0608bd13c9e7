"""Fixtures for accounts, sessions and limits: the suite runs with rate limits off."""

from tests.api_cpu.fixtures import limits_on  # noqa: F401
