"""Fixtures for curation: the service, the API, the buttons: see fixtures.py."""

from tests.mix_app.fixtures import acme, globex, make_items, make_piece  # noqa: F401
