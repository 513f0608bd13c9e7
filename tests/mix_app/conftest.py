"""Fixtures for the mix service, its API and the dashboard: see fixtures.py."""

from tests.mix_app.fixtures import acme, globex, make_items, make_piece  # noqa: F401
