from tests.engagement_import.fixtures import acme, api, engagement_csv, make_piece, zoned  # noqa: F401
