"""A workspace with personas and channels, and a factory for pieces saved through the service."""

from tests.pieces.fixtures import acme, api, blog, globex, make_piece  # noqa: F401
