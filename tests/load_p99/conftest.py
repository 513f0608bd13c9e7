from tests.pieces.fixtures import acme, blog, make_piece  # noqa: F401
