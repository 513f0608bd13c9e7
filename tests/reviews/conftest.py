"""Acme from the piece tests (Pete, negative; Olivia, buyer) and the review fixtures."""

from tests.pieces.fixtures import acme, api, make_piece  # noqa: F401
from tests.reviews.fixtures import feed_item, pete_with_dead_word  # noqa: F401
