"""Acme and its pieces, and generated engagement histories stored as results."""

from tests.best_times.fixtures import buyer, plant_history  # noqa: F401
from tests.pieces.fixtures import acme, api, blog, globex, make_piece  # noqa: F401
